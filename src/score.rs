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
use crate::duties::DutySummary;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Multiplier of a hit by where it stands. Duties describe the job; requirements say
/// what a candidate brings (still the role's, a little weaker); nice-to-haves are
/// optional; sentences in the company's voice ("we build…") mostly describe the
/// employer; company blurbs, benefits and legal text describe the employer only.
pub fn section_weight(section: Section) -> f64 {
    match section {
        Section::Duties => 1.0,
        Section::Intro => 0.8,
        Section::Requirements => 0.6,
        Section::Preferred => 0.4,
        Section::Company => 0.4,
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
/// Non-anchor duties (pricing, sales, developers, "strategic") also appear in analyst,
/// marketing and project postings, so they count at this fraction toward a posting's
/// *product mass* and toward the PM/PO share; anchors count in full.
pub const NON_ANCHOR_SHARE: f64 = 0.5;
/// Below this product mass (anchors + [`NON_ANCHOR_SHARE`] × the rest) a posting has
/// too little product-role evidence: about two clear duties.
pub const MIN_PRODUCT_MASS: f64 = 1.5;
/// Below this anchor pull a posting names no product it owns (no roadmap, product
/// vision, backlog or user stories of its own): it is `other` however much business
/// vocabulary it has. One anchor phrase, even in a weaker section, is enough.
pub const MIN_ANCHOR_MASS: f64 = 0.5;
/// A posting is `other` when its non-product pull reaches this multiple of its product
/// pull: project, scrum-master, analyst or marketing duties dominate.
pub const OTHER_DOMINANCE: f64 = 0.6;
/// `hybrid` needs at least this PM-side anchor pull (roadmap, vision, what to build):
/// about two such duties. It is higher than the PO side's because the seeds have a PO
/// work *from* the roadmap and carry the vision to the team, so a PO posting names
/// them routinely without owning them.
pub const HYBRID_MIN_PM_ANCHOR: f64 = 1.5;
/// `hybrid` needs at least this PO-side anchor pull (backlog, user stories, sprint
/// planning): one clear backlog duty and a mention of another.
pub const HYBRID_MIN_PO_ANCHOR: f64 = 1.0;
/// `hybrid` also needs this much of the PM-side anchor pull to be *owned* (an ownership
/// verb governs it: "define the roadmap", "set the vision"): about one owned duty. A PO
/// clarifies the vision and follows the roadmap (seeds 000, 001, 002) without owning it.
pub const HYBRID_MIN_PM_OWNED: f64 = 0.8;
/// `hybrid` also needs the PM share of the product pull inside this band: a posting
/// that mentions a backlog once among twenty strategic duties is a PM posting.
pub const HYBRID_BAND: (f64, f64) = (0.3, 0.8);
/// A posting is `other` when at least this many of the hire's duties are another
/// role's work (marketing, delivery, coaching, analysis…)…
pub const MIN_OTHER_DUTIES: u32 = 2;
/// …and they reach this multiple of its product duties: it reads as that role even
/// when it mentions go-to-market, roadmap or strategy.
pub const OTHER_DUTY_DOMINANCE: f64 = 1.0;
/// …unless the hire owns at least this much PM-side anchor pull (two owned duties such
/// as "define the roadmap", "set the vision"): a hire who decides what gets built is a
/// product role even when the product serves marketers or delivery teams.
pub const OWNS_PRODUCT_MASS: f64 = 2.0;
/// Without an anchor phrase, a posting is still a product role when at least this many
/// of the hire's duties are product work: duties that decide what gets built are not
/// limited to a short list of anchor phrases.
pub const MIN_PRODUCT_DUTIES: u32 = 2;
/// Hybrid by duties (the rubric's test): at least this many substantial strategic
/// duties and this many backlog/sprint duties (PO duties with an anchor phrase) of the
/// hire's own…
pub const HYBRID_MIN_DUTIES: u32 = 2;
/// …and the smaller side (PM or PO duties) at least this share of the product duties.
pub const HYBRID_MIN_DUTY_SHARE: f64 = 0.25;
/// The pulls' hybrid region (anchors on both sides, PM side owned) also needs this many
/// substantial strategic duties of the hire's own: anchors named in passing ("a vision
/// for the area", "the roadmap") beside a real backlog are a PO's context, not a PM's work.
pub const HYBRID_REGION_MIN_STRATEGIC: u32 = 1;
/// …and this many backlog/sprint duties of the hire's own, the same test from the other
/// side: backlog words only inside statements about strategy ("turn research into
/// requirements, user stories and roadmap recommendations") or in the team's
/// description ("our squads run sprints") beside a strategic role are a PM's context,
/// not a PO's work.
pub const HYBRID_REGION_MIN_BACKLOG: u32 = 1;
/// Evidence this strong gives full confidence in the evidence factor's half-life sense:
/// `1 − exp(−mass / CONFIDENCE_MASS)`.
pub const CONFIDENCE_MASS: f64 = 4.0;
/// A verdict at or above this confidence is reported as reliable.
pub const RELIABLE_CONFIDENCE: f64 = 0.5;

/// The four labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
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
    /// PM-side pull of anchor entries only.
    pub pm_anchor: f64,
    /// PO-side pull of anchor entries only.
    pub po_anchor: f64,
    /// The part of `pm_anchor` from hits an ownership verb governs ("define the
    /// roadmap"), as opposed to mentions ("aligned with the roadmap").
    pub pm_owned: f64,
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
        Effect::Negated | Effect::Attributed | Effect::Title | Effect::Name | Effect::Future => (0.0, 0.0, 0.0),
    }
}

impl Pulls {
    /// Add one entry's saturated count `n` with its effective weights; `anchor` says
    /// whether the entry names ownership of a product; `n_owned` is the saturated count
    /// of its hits an ownership verb governs.
    pub fn add(&mut self, n: f64, (s, r, o): (f64, f64, f64), anchor: bool, n_owned: f64) {
        let pm_weight = s.max(0.0).max(r.max(0.0));
        let pm = n * pm_weight;
        let po = n * (-s).max(0.0).max((-r).max(0.0));
        self.pm += pm;
        self.po += po;
        if anchor {
            self.pm_anchor += pm;
            self.po_anchor += po;
            self.pm_owned += n_owned * pm_weight;
        }
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

    /// Whether the anchors and share meet every `hybrid` condition of [`decide`].
    pub fn in_hybrid_region(&self) -> bool {
        let (lo, hi) = HYBRID_BAND;
        self.pm_anchor >= HYBRID_MIN_PM_ANCHOR
            && self.pm_owned >= HYBRID_MIN_PM_OWNED
            && self.po_anchor >= HYBRID_MIN_PO_ANCHOR
            && (lo..=hi).contains(&self.pm_share())
    }

    /// Anchors in full plus [`NON_ANCHOR_SHARE`] of the other product pull.
    pub fn product_mass(&self) -> f64 {
        let anchors = self.pm_anchor + self.po_anchor;
        anchors + NON_ANCHOR_SHARE * (self.product() - anchors)
    }

    /// The PM share of the product mass, anchors in full, the rest discounted.
    pub fn pm_share(&self) -> f64 {
        let pm = self.pm_anchor + NON_ANCHOR_SHARE * (self.pm - self.pm_anchor);
        let po = self.po_anchor + NON_ANCHOR_SHARE * (self.po - self.po_anchor);
        if pm + po == 0.0 {
            0.5
        } else {
            pm / (pm + po)
        }
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

/// The label rule, with `mass` = [`Pulls::product_mass`] and `share` = [`Pulls::pm_share`]:
/// 1. other pull ≥ [`OTHER_DOMINANCE`] × mass → `other` (non-product duties dominate);
/// 2. anchor pull below [`MIN_ANCHOR_MASS`] or mass below [`MIN_PRODUCT_MASS`] →
///    `other` (the posting does not own a product);
/// 3. anchor pull ≥ [`HYBRID_MIN_PM_ANCHOR`] (of which ≥ [`HYBRID_MIN_PM_OWNED`] owned) /
///    [`HYBRID_MIN_PO_ANCHOR`] and share inside [`HYBRID_BAND`], with at least
///    [`HYBRID_REGION_MIN_STRATEGIC`] strategic and [`HYBRID_REGION_MIN_BACKLOG`]
///    backlog duties of the hire's own, or the rubric's duty test ([`duty_hybrid`])
///    → `hybrid`;
/// 4. otherwise the larger side: `pm` when share ≥ 0.5, else `po`.
///
/// Confidence is an evidence factor `1 − exp(−mass / CONFIDENCE_MASS)` times a margin
/// factor `(1 + margin) / 2`, where the margin (0..1) is how far the deciding quantity
/// sits from the threshold it crossed.
pub fn decide(p: &Pulls, d: &DutySummary) -> Decision {
    let j = judge(p, d);
    Decision { label: j.label, confidence: j.confidence, reason: j.why.describe() }
}

/// [`decide`] without the sentence: the label, its confidence and the figures the
/// sentence would quote. `scan` writes no reason, and formatting one (floats to two
/// places) cost about 1% of a scan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    /// The label.
    pub label: Label,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Which rule decided, and on what figures.
    pub why: Why,
}

/// The rule of [`decide`] that gave the label, with the figures its reason quotes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Why {
    /// Most of the hire's duties are another role's work.
    OtherDuties {
        /// The role they read as.
        what: &'static str,
        /// Duties of another role.
        other: u32,
        /// Product duties.
        product: u32,
    },
    /// Rule 1: non-product pull dominates.
    OtherPull {
        /// The other pull.
        other: f64,
        /// The product mass.
        mass: f64,
    },
    /// Rule 2: too little evidence of owning a product.
    TooLittle {
        /// The anchor pull.
        anchors: f64,
        /// The product mass.
        mass: f64,
    },
    /// Rule 3: both sides owned.
    Hybrid {
        /// Roadmap/vision anchor pull.
        pm_anchor: f64,
        /// Backlog/sprint anchor pull.
        po_anchor: f64,
        /// The PM share of the product pull.
        share: f64,
    },
    /// Rule 4: the larger side.
    Side {
        /// That side's share, in percent.
        pct: f64,
        /// The side, in words.
        side: &'static str,
        /// The PM pull.
        pm: f64,
        /// The PO pull.
        po: f64,
    },
}

impl Why {
    /// The reason in one sentence.
    pub fn describe(&self) -> String {
        match *self {
            Why::OtherDuties { what, other, product } => {
                format!("reads as {what}: {other} of the hire's duties are another role's work, {product} product work")
            }
            Why::OtherPull { other, mass } => {
                format!("non-product duties dominate: other pull {other:.2} ≥ {OTHER_DOMINANCE} × product mass {mass:.2}")
            }
            Why::TooLittle { anchors, mass } => format!(
                "too little evidence of owning a product: anchor pull {anchors:.2} (needs {MIN_ANCHOR_MASS}), product mass {mass:.2} (needs {MIN_PRODUCT_MASS})"
            ),
            Why::Hybrid { pm_anchor, po_anchor, share } => format!(
                "owns both sides: roadmap/vision anchors {pm_anchor:.2} and backlog/sprint anchors {po_anchor:.2}, {:.0}% strategic/roadmap",
                share * 100.0
            ),
            Why::Side { pct, side, pm, po } => {
                format!("{pct:.0}% of the product evidence is {side} (PM pull {pm:.2}, PO pull {po:.2})")
            }
        }
    }
}

/// The label rule of [`decide`], without formatting its reason.
pub fn judge(p: &Pulls, d: &DutySummary) -> Judgement {
    let mass = p.product_mass();
    let anchors = p.pm_anchor + p.po_anchor;
    let evidence = |m: f64| 1.0 - (-m / CONFIDENCE_MASS).exp();
    let conf = |m: f64, margin: f64| (evidence(m) * (1.0 + margin.clamp(0.0, 1.0)) / 2.0).clamp(0.0, 1.0);
    let product_duties = d.pm + d.po;
    if d.other >= MIN_OTHER_DUTIES
        && f64::from(d.other) >= OTHER_DUTY_DOMINANCE * f64::from(product_duties)
        && p.pm_owned < OWNS_PRODUCT_MASS
    {
        let margin = 1.0 - OTHER_DUTY_DOMINANCE * f64::from(product_duties) / f64::from(d.other);
        let what = d.top_profile().map_or("another role's work", |(p, _)| p.describe());
        return Judgement {
            label: Label::Other,
            confidence: conf(f64::from(d.other), margin),
            why: Why::OtherDuties { what, other: d.other, product: product_duties },
        };
    }
    if p.other > 0.0 && p.other >= OTHER_DOMINANCE * mass {
        let margin = (p.other - OTHER_DOMINANCE * mass) / p.other;
        return Judgement {
            label: Label::Other,
            confidence: conf(p.other, margin),
            why: Why::OtherPull { other: p.other, mass },
        };
    }
    if (anchors < MIN_ANCHOR_MASS && d.builds < MIN_PRODUCT_DUTIES) || mass < MIN_PRODUCT_MASS {
        let margin = 1.0 - (anchors / MIN_ANCHOR_MASS).min(mass / MIN_PRODUCT_MASS);
        return Judgement {
            label: Label::Other,
            confidence: conf(MIN_PRODUCT_MASS.max(p.other), margin) * 0.8,
            why: Why::TooLittle { anchors, mass },
        };
    }
    let share = p.pm_share();
    let hi = HYBRID_BAND.1;
    if (p.in_hybrid_region() && region_duties(d)) || duty_hybrid(d) {
        let depth = (p.pm_anchor / HYBRID_MIN_PM_ANCHOR)
            .min(p.po_anchor / HYBRID_MIN_PO_ANCHOR)
            .min(p.pm_owned / HYBRID_MIN_PM_OWNED)
            - 1.0;
        let margin = depth.min(1.0 - (share - 0.5).abs() / (hi - 0.5));
        return Judgement {
            label: Label::Hybrid,
            confidence: conf(mass, margin),
            why: Why::Hybrid { pm_anchor: p.pm_anchor, po_anchor: p.po_anchor, share },
        };
    }
    let margin = (share - 0.5).abs() * 2.0;
    let (label, side) = if share >= 0.5 { (Label::Pm, "strategic/roadmap") } else { (Label::Po, "tactical/backlog") };
    let pct = if share >= 0.5 { share } else { 1.0 - share } * 100.0;
    Judgement { label, confidence: conf(mass, margin), why: Why::Side { pct, side, pm: p.pm, po: p.po } }
}

/// The hire's own duties on both sides that the pulls' hybrid region also needs.
fn region_duties(d: &DutySummary) -> bool {
    d.pm_strategic >= HYBRID_REGION_MIN_STRATEGIC && d.po_backlog >= HYBRID_REGION_MIN_BACKLOG
}

/// The rubric's hybrid: enough strategic and backlog/sprint duties of the hire's own,
/// neither side a token mention.
pub fn duty_hybrid(d: &DutySummary) -> bool {
    let (pm, po) = (f64::from(d.pm), f64::from(d.po));
    d.pm_strategic >= HYBRID_MIN_DUTIES
        && d.po_backlog >= HYBRID_MIN_DUTIES
        && pm.min(po) >= HYBRID_MIN_DUTY_SHARE * (pm + po)
}

/// How far `p` is from being labelled `target` by [`decide`]: 0 when it already is,
/// otherwise the summed shortfalls of the conditions `target` needs (in pull units and
/// share points). The recruiter check uses it to rank candidate edits.
pub fn distance_to(p: &Pulls, duties: &DutySummary, target: Label) -> f64 {
    /// Crossing a threshold needs a little more than reaching it.
    const STEP: f64 = 0.01;
    if decide(p, duties).label == target {
        return 0.0;
    }
    let mass = p.product_mass();
    let anchors = p.pm_anchor + p.po_anchor;
    let share = p.pm_share();
    let (lo, hi) = HYBRID_BAND;
    if target == Label::Other {
        let by_other = (OTHER_DOMINANCE * mass - p.other).max(0.0) + STEP;
        let by_anchor = (anchors - MIN_ANCHOR_MASS).max(0.0) + STEP;
        return by_other.min(by_anchor);
    }
    // Leave `other`: non-product duties below dominance, enough anchors and mass.
    let mut d = (p.other - OTHER_DOMINANCE * mass + STEP).max(0.0) / mass.max(1.0)
        + (MIN_ANCHOR_MASS - anchors).max(0.0)
        + (MIN_PRODUCT_MASS - mass).max(0.0);
    let in_hybrid = p.pm_anchor >= HYBRID_MIN_PM_ANCHOR
        && p.po_anchor >= HYBRID_MIN_PO_ANCHOR
        && (lo..=hi).contains(&share)
        && region_duties(duties);
    match target {
        Label::Hybrid => {
            d += (HYBRID_MIN_PM_ANCHOR - p.pm_anchor).max(0.0)
                + (HYBRID_MIN_PM_OWNED - p.pm_owned).max(0.0)
                + (HYBRID_MIN_PO_ANCHOR - p.po_anchor).max(0.0)
                + (lo - share).max(0.0)
                + (share - hi).max(0.0)
                + f64::from(HYBRID_REGION_MIN_STRATEGIC.saturating_sub(duties.pm_strategic))
                + f64::from(HYBRID_REGION_MIN_BACKLOG.saturating_sub(duties.po_backlog));
        }
        Label::Pm => {
            d += (0.5 - share + STEP).max(0.0);
            if in_hybrid {
                d += (p.po_anchor - HYBRID_MIN_PO_ANCHOR + STEP).min(hi - share + STEP);
            }
        }
        Label::Po => {
            d += (share - 0.5 + STEP).max(0.0);
            if in_hybrid {
                d += (p.pm_anchor - HYBRID_MIN_PM_ANCHOR + STEP)
                    .min(p.pm_owned - HYBRID_MIN_PM_OWNED + STEP)
                    .min(share - lo + STEP);
            }
        }
        Label::Other => unreachable!("handled above"),
    }
    d.max(STEP)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pulls where half of each side comes from anchor entries, the PM ones owned.
    fn pulls(pm: f64, po: f64, other: f64) -> Pulls {
        Pulls { pm, po, other, pm_anchor: pm / 2.0, po_anchor: po / 2.0, pm_owned: pm / 2.0, ..Default::default() }
    }

    #[test]
    fn decision_table() {
        let cases = [
            (pulls(0.0, 0.0, 0.0), Label::Other),
            (pulls(1.0, 0.5, 0.0), Label::Other),
            (pulls(5.0, 1.0, 0.0), Label::Pm),
            (pulls(1.0, 5.0, 0.0), Label::Po),
            (pulls(4.0, 4.0, 0.0), Label::Hybrid),
            (pulls(20.0, 3.2, 0.0), Label::Pm), // both owned, but PM dominates
            (pulls(2.0, 2.0, 0.0), Label::Pm),  // both present, too thin for hybrid
            // Roadmap and vision named but not owned, backlog owned: a Product Owner.
            (Pulls { pm: 4.0, po: 5.0, pm_anchor: 3.0, po_anchor: 4.0, ..Default::default() }, Label::Po),
            (pulls(3.0, 2.0, 6.0), Label::Other),
            (pulls(0.5, 0.5, 3.0), Label::Other),
            // Plenty of business vocabulary, no product ownership: a marketer or analyst.
            (Pulls { pm: 12.0, po: 1.0, pm_anchor: 0.3, ..Default::default() }, Label::Other),
        ];
        // One strategic and one backlog duty of the hire's own, as the pulls' hybrid
        // region needs.
        let one = DutySummary { pm_strategic: 1, po_backlog: 1, ..Default::default() };
        for (p, want) in cases {
            assert_eq!(decide(&p, &one).label, want, "{p:?}");
        }
        // Without either, anchors on both sides are one side's context, not a hybrid:
        // backlog words only in strategy statements or the team's description beside
        // strategic duties read as pm. The recruiter check's distance counts each
        // missing duty as one unit.
        for (d, missing) in [
            (DutySummary::default(), 2.0),
            (DutySummary { pm_strategic: 1, ..Default::default() }, 1.0),
            (DutySummary { po_backlog: 1, ..Default::default() }, 1.0),
        ] {
            assert_eq!(decide(&pulls(4.0, 4.0, 0.0), &d).label, Label::Pm, "{d:?}");
            assert_eq!(distance_to(&pulls(4.0, 4.0, 0.0), &d, Label::Hybrid), missing, "{d:?}");
        }
    }

    #[test]
    fn a_hire_who_owns_the_product_is_not_another_role() {
        // Three marketing duties and one product duty read as product marketing…
        let d = DutySummary { pm: 1, other: 3, ..Default::default() };
        let p = Pulls { pm: 4.0, po: 0.5, pm_anchor: 1.0, pm_owned: 1.0, ..Default::default() };
        assert_eq!(decide(&p, &d).label, Label::Other);
        // …unless the hire owns the roadmap and the vision.
        let owns = Pulls { pm_owned: OWNS_PRODUCT_MASS, pm_anchor: OWNS_PRODUCT_MASS, ..p };
        assert_eq!(decide(&owns, &d).label, Label::Pm);
    }

    #[test]
    fn distance_is_zero_exactly_at_the_target_label() {
        // A grid over the pulls: distance is 0 for the decided label and positive for others.
        let steps = [0.0, 0.3, 0.8, 1.2, 2.0, 3.5, 6.0];
        for &pm in &steps {
            for &po in &steps {
                for &other in &[0.0, 1.0, 4.0] {
                    for &frac in &[0.0, 0.5, 1.0] {
                        let p =
                            Pulls { pm, po, other, pm_anchor: pm * frac, po_anchor: po * frac, ..Default::default() };
                        let got = decide(&p, &DutySummary::default()).label;
                        for target in Label::ALL {
                            let d = distance_to(&p, &DutySummary::default(), target);
                            assert_eq!(d == 0.0, target == got, "{p:?} target {target}: {d}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn distance_shrinks_as_evidence_moves_toward_the_target() {
        let far = Pulls { pm: 8.0, po: 1.0, pm_anchor: 4.0, po_anchor: 0.5, pm_owned: 4.0, ..Default::default() };
        let none = DutySummary::default();
        let nearer = Pulls { pm: 5.0, po: 3.0, pm_anchor: 2.0, po_anchor: 2.0, pm_owned: 2.0, ..Default::default() };
        assert!(distance_to(&nearer, &none, Label::Po) < distance_to(&far, &none, Label::Po));
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
        p.add(1.0, (1.0, -1.0, 0.0), false, 0.0);
        assert_eq!(p.strategic_score(), 0.5);
        assert_eq!(p.roadmap_score(), -0.5);
        for _ in 0..10_000 {
            p.add(10.0, (1.0, 1.0, 0.0), true, 10.0);
        }
        assert!(p.strategic_score() < 1.0 && p.roadmap_score() <= 1.0);
    }

    #[test]
    fn confidence_is_a_probability_like_number() {
        for p in [pulls(0.0, 0.0, 0.0), pulls(100.0, 0.0, 0.0), pulls(3.0, 3.0, 3.0), pulls(2.0, 2.0, 100.0)] {
            let c = decide(&p, &DutySummary::default()).confidence;
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
