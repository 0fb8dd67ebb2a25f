//! The statistic the miner ranks phrases by: the weighted log-odds ratio with an
//! informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words: Lexical
//! Feature Selection and Evaluation for Identifying the Content of Political Conflict").
//!
//! Raw frequency ranks "product" and "team" first; a plain log-odds ratio ranks a phrase
//! seen once on one side as infinitely distinctive. The prior fixes both: every n-gram
//! starts with pseudo-counts proportional to how common it is in the pooled corpus, so a
//! rare phrase needs several sightings before it moves, and the z-score divides by the
//! estimate's own uncertainty. For n-gram `w` and classes `i`, `j`:
//!
//! ```text
//! δ_w  = ln((y_w^i + α_w) / (n^i + α_0 − y_w^i − α_w)) − ln((y_w^j + α_w) / (n^j + α_0 − y_w^j − α_w))
//! σ²_w ≈ 1 / (y_w^i + α_w) + 1 / (y_w^j + α_w)
//! z_w  = δ_w / σ_w
//! ```
//!
//! where `y` are counts, `n` totals, and the prior is `α_w = s · y_w^pooled`,
//! `α_0 = s · n^pooled` with the scale `s` ([`DEFAULT_PRIOR_SCALE`]). `z > 0` leans to `i`.

/// Scale `s` of the prior: pseudo-counts worth this fraction of the pooled corpus. A phrase
/// seen `c` times on one side only gets z ≈ k·√c with k = ln((1+s)/s) / √(1/(1+s) + 1/s):
/// k = 0.73 at s = 0.1 (z ≈ 1 for two sightings, 2 for eight), near the largest k any scale
/// gives. A larger scale shrinks every phrase toward its pooled rate (k = 0.57 at s = 1); a
/// smaller one makes the unseen side's pseudo-count so small that its variance swamps δ
/// (k = 0.46 at s = 0.01). Both would need more sightings for the same z.
pub const DEFAULT_PRIOR_SCALE: f64 = 0.1;

/// The Dirichlet pseudo-counts of one n-gram.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prior {
    /// α_w: the n-gram's pseudo-count.
    pub alpha_w: f64,
    /// α_0: the pseudo-count total.
    pub alpha_0: f64,
}

impl Prior {
    /// The informative prior from pooled counts: `α_w = scale · pooled_count`,
    /// `α_0 = scale · pooled_total`.
    pub fn pooled(pooled_count: f64, pooled_total: f64, scale: f64) -> Prior {
        Prior { alpha_w: scale * pooled_count, alpha_0: scale * pooled_total }
    }
}

/// The log-odds ratio of one n-gram between two classes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogOdds {
    /// δ: positive when the n-gram leans to the first class.
    pub delta: f64,
    /// Approximate variance of δ.
    pub variance: f64,
    /// δ / √variance.
    pub z: f64,
}

/// δ, its variance and z for counts `y_i` of `n_i` and `y_j` of `n_j` under `prior`. A
/// degenerate input (a pseudo-count or a remainder that is not positive, which happens
/// only when the prior is empty or one n-gram is the whole corpus) carries no evidence:
/// everything is 0.
pub fn log_odds(y_i: f64, n_i: f64, y_j: f64, n_j: f64, prior: Prior) -> LogOdds {
    let Prior { alpha_w, alpha_0 } = prior;
    let (a_i, a_j) = (y_i + alpha_w, y_j + alpha_w);
    let (rest_i, rest_j) = (n_i + alpha_0 - a_i, n_j + alpha_0 - a_j);
    if [a_i, a_j, rest_i, rest_j].iter().any(|&x| x.is_nan() || x <= 0.0) {
        return LogOdds { delta: 0.0, variance: 0.0, z: 0.0 };
    }
    let delta = (a_i / rest_i).ln() - (a_j / rest_j).ln();
    let variance = 1.0 / a_i + 1.0 / a_j;
    LogOdds { delta, variance, z: delta / variance.sqrt() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symmetric_and_signed() {
        let prior = Prior::pooled(6.0, 200.0, DEFAULT_PRIOR_SCALE);
        let a = log_odds(5.0, 100.0, 1.0, 100.0, prior);
        let b = log_odds(1.0, 100.0, 5.0, 100.0, prior);
        assert!(a.z > 0.0 && (a.z + b.z).abs() < 1e-12, "{a:?} {b:?}");
        let even = log_odds(3.0, 100.0, 3.0, 100.0, prior);
        assert!(even.z.abs() < 1e-12);
    }

    #[test]
    fn more_evidence_more_z() {
        // Exclusive to one side: z grows with the count, roughly with its square root.
        let z = |c: f64| log_odds(c, 1000.0, 0.0, 1000.0, Prior::pooled(c, 2000.0, DEFAULT_PRIOR_SCALE)).z;
        assert!(z(2.0) < z(8.0) && z(8.0) < z(32.0));
        assert!(z(2.0) < 1.2 && z(8.0) > 1.9, "{} {}", z(2.0), z(8.0));
    }

    #[test]
    fn degenerate_inputs_carry_no_evidence() {
        for (y_i, n_i, y_j, n_j, prior) in [
            (0.0, 10.0, 0.0, 10.0, Prior { alpha_w: 0.0, alpha_0: 0.0 }),
            (5.0, 5.0, 0.0, 0.0, Prior { alpha_w: 0.5, alpha_0: 0.5 }),
            (f64::NAN, 1.0, 1.0, 1.0, Prior { alpha_w: 1.0, alpha_0: 2.0 }),
        ] {
            assert_eq!(log_odds(y_i, n_i, y_j, n_j, prior).z, 0.0);
        }
    }
}
