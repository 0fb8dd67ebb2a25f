//! From weighted hits to axis scores and a label. Every number that decides a verdict
//! is a named constant here, and the README walks through the same computation.
//!
//! 1. Each hit gets a **multiplier** from its section ([`section_weight`]); negated,
//!    attributed and title hits get 0.
//! 2. Hits of one entry add up, then **saturate**: `log2(1 + Σ multipliers)`, so one
//!    mention counts 1, three count 2, seven count 3 — repeating a phrase cannot
//!    dominate a posting.
//! 3. Each entry's saturated count `n` feeds the **pulls**: PM pull += `n × max(s⁺, r⁺)`,
//!    PO pull += `n × max(s⁻, r⁻)`, other pull += `n × other`, where `s` and `r` are the
//!    entry's strategic and roadmap weights (⁺ the positive part, ⁻ the negative part).
//! 4. **Axis scores** are balances shrunk toward 0 when evidence is thin:
//!    `strategic = (Σ n·s⁺ − Σ n·s⁻) / (Σ n·|s| + AXIS_PRIOR)`, the same for roadmap.
//!    Being ratios, they do not saturate on long postings.
//! 5. The **label** follows [`decide`].

use crate::context::{Effect, Section};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Multiplier of a hit by where it stands. Duties describe the job; requirements say
/// what a candidate brings (still the role's, a little weaker); nice-to-haves are
/// optional; company blurbs, benefits and legal text describe the employer.
pub fn section_weight(section: Section) -> f64 {
    match section {
        Section::Duties => 1.0,
        Section::Intro => 0.8,
        Section::Requirements => 0.6,
        Section::Preferred => 0.4,
        Section::Boilerplate => 0.15,
        Section::Title => 0.0,
    }
}

/// A hit on a strategic artefact the role only contributes to ("input into the
/// roadmap") counts toward the tactical side at this fraction of the entry's weight.
pub const CONTRIBUTION_WEIGHT: f64 = 0.5;
/// A backlog/sprint phrase the role facilitates for others counts as this much
/// non-product evidence.
pub const FACILITATION_OTHER: f64 = 0.6;
/// Shrinks axis scores toward 0 when evidence is thin (one hit of weight 1 reads as
/// 0.5, not 1.0).
pub const AXIS_PRIOR: f64 = 1.0;
/// Below this product pull (PM + PO) a posting has too little product-role evidence
/// to be a product role: about two clear duties.
pub const MIN_PRODUCT_MASS: f64 = 2.0;
/// A posting is `other` when its non-product pull reaches this multiple of its product
/// pull: project, scrum-master, analyst or marketing duties dominate.
pub const OTHER_DOMINANCE: f64 = 1.0;
/// Both sides need at least this pull for `hybrid`: about two substantial duties each.
pub const HYBRID_MIN_SIDE: f64 = 2.5;
/// `hybrid` needs the PM share of the product pull inside this band; outside it the
/// larger side wins even when both are present.
pub const HYBRID_BAND: (f64, f64) = (0.35, 0.65);
/// Evidence this strong gives full confidence in the evidence factor's half-life sense:
/// `1 − exp(−mass / CONFIDENCE_MASS)`.
pub const CONFIDENCE_MASS: f64 = 4.0;
/// A verdict at or above this confidence is reported as reliable.
pub const RELIABLE_CONFIDENCE: f64 = 0.5;

/// The four labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    /// Product Manager: strategic, market-facing, owns the roadmap.
    Pm,
    /// Product Owner: tactical, team-facing, owns the backlog.
    Po,
    /// Clearly owns both.
    Hybrid,
    /// Not a product role, or too little evidence.
    Other,
}

impl Label {
    /// All labels in display order.
    pub const ALL: [Label; 4] = [Label::Pm, Label::Po, Label::Hybrid, Label::Other];

    /// The short name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Pm => "pm",
            Label::Po => "po",
            Label::Hybrid => "hybrid",
            Label::Other => "other",
        }
    }

    /// The name for people.
    pub fn long_name(self) -> &'static str {
        match self {
            Label::Pm => "Product Manager",
            Label::Po => "Product Owner",
            Label::Hybrid => "hybrid Product Manager / Product Owner",
            Label::Other => "not a product role",
        }
    }

    /// Parse a label as written in labelled data ("pm", "PO", "Product Owner"…).
    pub fn parse(s: &str) -> Option<Label> {
        match s.trim().to_ascii_lowercase().replace(['_', '-'], " ").as_str() {
            "pm" | "product manager" => Some(Label::Pm),
            "po" | "product owner" => Some(Label::Po),
            "hybrid" | "both" | "pm po" => Some(Label::Hybrid),
            "other" | "neither" | "none" => Some(Label::Other),
            _ => None,
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Accumulated evidence of one posting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Pulls {
    /// Strategic / roadmap side.
    pub pm: f64,
    /// Tactical / backlog side.
    pub po: f64,
    /// Non-product roles.
    pub other: f64,
    /// Σ n·s⁺ and Σ n·s⁻ (strategic axis).
    #[serde(skip)]
    pub strategic: (f64, f64),
    /// Σ n·r⁺ and Σ n·r⁻ (roadmap axis).
    #[serde(skip)]
    pub roadmap: (f64, f64),
}

/// Diminishing returns for repeated hits of one entry.
pub fn saturate(total_multiplier: f64) -> f64 {
    (1.0 + total_multiplier).log2()
}

/// The weights a hit contributes given what the context rules decided:
/// (strategic, roadmap, other).
pub fn effective_weights(effect: Effect, strategic: f64, roadmap: f64, other: f64) -> (f64, f64, f64) {
    match effect {
        Effect::Counted => (strategic, roadmap, other),
        Effect::Contribution => (-strategic.abs() * CONTRIBUTION_WEIGHT, -roadmap.abs() * CONTRIBUTION_WEIGHT, 0.0),
        Effect::Facilitated => (0.0, 0.0, FACILITATION_OTHER),
        Effect::Negated | Effect::Attributed | Effect::Title => (0.0, 0.0, 0.0),
    }
}

impl Pulls {
    /// Add one entry's saturated count `n` with its effective weights.
    pub fn add(&mut self, n: f64, (s, r, o): (f64, f64, f64)) {
        self.pm += n * s.max(0.0).max(r.max(0.0));
        self.po += n * (-s).max(0.0).max((-r).max(0.0));
        self.other += n * o;
        self.strategic.0 += n * s.max(0.0);
        self.strategic.1 += n * (-s).max(0.0);
        self.roadmap.0 += n * r.max(0.0);
        self.roadmap.1 += n * (-r).max(0.0);
    }

    /// Strategic (+) ↔ tactical (−) score in [-1, 1].
    pub fn strategic_score(&self) -> f64 {
        balance(self.strategic)
    }

    /// Roadmap (+) ↔ backlog (−) score in [-1, 1].
    pub fn roadmap_score(&self) -> f64 {
        balance(self.roadmap)
    }

    /// PM + PO pull.
    pub fn product(&self) -> f64 {
        self.pm + self.po
    }
}

fn balance((plus, minus): (f64, f64)) -> f64 {
    (plus - minus) / (plus + minus + AXIS_PRIOR)
}

/// A label, its confidence in [0, 1] and the reason in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The label.
    pub label: Label,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Why, in one sentence.
    pub reason: String,
}

/// The label rule:
/// 1. product pull below [`MIN_PRODUCT_MASS`] → `other` (too little product evidence);
/// 2. other pull ≥ [`OTHER_DOMINANCE`] × product pull → `other` (non-product duties);
/// 3. both sides ≥ [`HYBRID_MIN_SIDE`] and PM share inside [`HYBRID_BAND`] → `hybrid`;
/// 4. otherwise the larger side: `pm` or `po`.
///
/// Confidence is an evidence factor `1 − exp(−mass / CONFIDENCE_MASS)` times a margin
/// factor `(1 + margin) / 2`, where the margin (0..1) is how far the deciding quantity
/// sits from the threshold it crossed.
pub fn decide(p: &Pulls) -> Decision {
    let product = p.product();
    let evidence = |mass: f64| 1.0 - (-mass / CONFIDENCE_MASS).exp();
    let conf = |mass: f64, margin: f64| (evidence(mass) * (1.0 + margin.clamp(0.0, 1.0)) / 2.0).clamp(0.0, 1.0);
    if product < MIN_PRODUCT_MASS && p.other < MIN_PRODUCT_MASS {
        return Decision {
            label: Label::Other,
            confidence: conf(MIN_PRODUCT_MASS, 1.0 - product / MIN_PRODUCT_MASS) * 0.8,
            reason: format!("too little product-role evidence: product pull {product:.2} is below {MIN_PRODUCT_MASS}"),
        };
    }
    if p.other >= OTHER_DOMINANCE * product {
        let margin = (p.other - OTHER_DOMINANCE * product) / p.other.max(f64::EPSILON);
        return Decision {
            label: Label::Other,
            confidence: conf(p.other, margin),
            reason: format!(
                "non-product duties outweigh product ones: other pull {:.2} vs product pull {product:.2}",
                p.other
            ),
        };
    }
    if product < MIN_PRODUCT_MASS {
        return Decision {
            label: Label::Other,
            confidence: conf(MIN_PRODUCT_MASS, 1.0 - product / MIN_PRODUCT_MASS) * 0.8,
            reason: format!("too little product-role evidence: product pull {product:.2} is below {MIN_PRODUCT_MASS}"),
        };
    }
    let share = p.pm / product;
    let (lo, hi) = HYBRID_BAND;
    if p.pm >= HYBRID_MIN_SIDE && p.po >= HYBRID_MIN_SIDE && (lo..=hi).contains(&share) {
        let margin = 1.0 - (share - 0.5).abs() / (hi - 0.5);
        return Decision {
            label: Label::Hybrid,
            confidence: conf(product, margin),
            reason: format!(
                "owns both sides: PM pull {:.2} and PO pull {:.2}, {:.0}% strategic/roadmap",
                p.pm,
                p.po,
                share * 100.0
            ),
        };
    }
    let margin = (share - 0.5).abs() * 2.0;
    let (label, side) = if share >= 0.5 { (Label::Pm, "strategic/roadmap") } else { (Label::Po, "tactical/backlog") };
    let pct = if share >= 0.5 { share } else { 1.0 - share } * 100.0;
    Decision {
        label,
        confidence: conf(product, margin),
        reason: format!("{pct:.0}% of the product evidence is {side} (PM pull {:.2}, PO pull {:.2})", p.pm, p.po),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pulls(pm: f64, po: f64, other: f64) -> Pulls {
        Pulls { pm, po, other, ..Default::default() }
    }

    #[test]
    fn decision_table() {
        let cases = [
            (pulls(0.0, 0.0, 0.0), Label::Other),
            (pulls(1.0, 0.5, 0.0), Label::Other),
            (pulls(5.0, 1.0, 0.0), Label::Pm),
            (pulls(1.0, 5.0, 0.0), Label::Po),
            (pulls(4.0, 4.0, 0.0), Label::Hybrid),
            (pulls(8.0, 3.0, 0.0), Label::Pm), // both present, but PM dominates
            (pulls(2.0, 2.0, 0.0), Label::Pm), // both present, too thin for hybrid
            (pulls(3.0, 2.0, 6.0), Label::Other),
            (pulls(0.5, 0.5, 3.0), Label::Other),
        ];
        for (p, want) in cases {
            assert_eq!(decide(&p).label, want, "{p:?}");
        }
    }

    #[test]
    fn saturation_diminishes() {
        assert_eq!(saturate(1.0), 1.0);
        assert_eq!(saturate(3.0), 2.0);
        assert!(saturate(100.0) < 7.0);
    }

    #[test]
    fn scores_stay_in_range_and_shrink_when_thin() {
        let mut p = Pulls::default();
        p.add(1.0, (1.0, -1.0, 0.0));
        assert_eq!(p.strategic_score(), 0.5);
        assert_eq!(p.roadmap_score(), -0.5);
        for _ in 0..10_000 {
            p.add(10.0, (1.0, 1.0, 0.0));
        }
        assert!(p.strategic_score() < 1.0 && p.roadmap_score() <= 1.0);
    }

    #[test]
    fn confidence_is_a_probability_like_number() {
        for p in [pulls(0.0, 0.0, 0.0), pulls(100.0, 0.0, 0.0), pulls(3.0, 3.0, 3.0), pulls(2.0, 2.0, 100.0)] {
            let c = decide(&p).confidence;
            assert!((0.0..=1.0).contains(&c), "{c}");
        }
    }

    #[test]
    fn labels_parse() {
        assert_eq!(Label::parse("PO"), Some(Label::Po));
        assert_eq!(Label::parse("Product Manager"), Some(Label::Pm));
        assert_eq!(Label::parse("hybrid"), Some(Label::Hybrid));
        assert_eq!(Label::parse("banana"), None);
    }
}
