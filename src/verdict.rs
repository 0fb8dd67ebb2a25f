//! The result of classifying one posting: one serde-serialisable type feeds every
//! output format (human, JSON, CSV, HTML). With the `serve` feature these types (and
//! the check's) also derive `utoipa::ToSchema`, so the server's `/openapi.json` is
//! generated from the very types serde writes.

use crate::context::{Effect, Section};
use crate::duties::{DutyKind, DutySummary};
use crate::lexicon::{Kind, Profile, Role};
use crate::score::{Label, Pulls, RELIABLE_CONFIDENCE};
use serde::Serialize;

/// Which side a piece of evidence pulls toward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Strategic / roadmap.
    Pm,
    /// Tactical / backlog.
    Po,
    /// Both axes disagree (e.g. strategic but backlog-ward).
    Mixed,
    /// A non-product role.
    Other,
    /// Not evidence (negated, attributed, title).
    None,
}

/// Axis positions in [-1, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct Scores {
    /// +1 strategic … −1 tactical.
    pub strategic: f64,
    /// +1 roadmap … −1 backlog.
    pub roadmap: f64,
}

/// Evidence pulls toward each side (after context rules and saturation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct Mass {
    /// Strategic / roadmap pull.
    pub pm: f64,
    /// Tactical / backlog pull.
    pub po: f64,
    /// Non-product pull.
    pub other: f64,
    /// The part of `pm` from anchor entries (owning a roadmap, vision, what to build).
    pub pm_anchor: f64,
    /// The part of `po` from anchor entries (owning a backlog, stories, sprints).
    pub po_anchor: f64,
    /// The part of `pm_anchor` an ownership verb governs ("define the roadmap").
    pub pm_owned: f64,
}

impl Mass {
    /// The pulls as a verdict reports them (rounded to three places).
    pub fn of(p: &Pulls) -> Mass {
        Mass {
            pm: round3(p.pm),
            po: round3(p.po),
            other: round3(p.other),
            pm_anchor: round3(p.pm_anchor),
            po_anchor: round3(p.po_anchor),
            pm_owned: round3(p.pm_owned),
        }
    }
}

/// One phrase found in the posting, with what it counted for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct Evidence {
    /// Lexicon entry id.
    pub term: String,
    /// The text as written in the posting.
    pub phrase: String,
    /// Duty or other-role duty.
    pub kind: Kind,
    /// The side it pulls toward after context rules.
    pub side: Side,
    /// Effective strategic weight (after context rules, before section weight).
    pub strategic: f64,
    /// Effective roadmap weight.
    pub roadmap: f64,
    /// Effective other-role weight.
    pub other: f64,
    /// What the context rules decided.
    pub effect: Effect,
    /// Where in the posting it stands.
    pub section: Section,
    /// The section multiplier applied.
    pub multiplier: f64,
    /// The phrase that made it negated or attributed, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "serve", schema(nullable = false))] // skipped, never null
    pub because: Option<String>,
    /// 1-based line in the input.
    pub line: usize,
    /// 1-based column (in characters) in the input.
    pub column: usize,
    /// Byte offset in the input.
    pub offset: usize,
    /// Byte length in the input.
    pub len: usize,
    /// The surrounding text.
    pub snippet: String,
}

impl Evidence {
    /// The side it leans to, with [`Side::Mixed`] resolved by the sign of
    /// strategic + roadmap (the axis sum decides which role it pulls toward on balance).
    pub fn leaning(&self) -> Side {
        match self.side {
            Side::Mixed if self.strategic + self.roadmap >= 0.0 => Side::Pm,
            Side::Mixed => Side::Po,
            side => side,
        }
    }

    /// How much this hit moves the verdict before saturation: its strongest weight
    /// times the section multiplier.
    pub fn strength(&self) -> f64 {
        self.strategic.abs().max(self.roadmap.abs()).max(self.other) * self.multiplier
    }
}

/// A role name found in the posting: title evidence, never content evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct TitleEvidence {
    /// Lexicon entry id.
    pub term: String,
    /// The role named.
    pub role: Role,
    /// As written.
    pub phrase: String,
    /// Whether it stands in the title line.
    pub in_title: bool,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// One of the hire's duties or requirements: a statement of the posting and what it
/// is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct Duty {
    /// PM, PO, another role's work, or neutral.
    pub kind: DutyKind,
    /// For another role's work: which role.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "serve", schema(nullable = false))] // skipped, never null
    pub profile: Option<Profile>,
    /// The statement as written (whitespace collapsed).
    pub text: String,
    /// 1-based line in the input.
    pub line: usize,
    /// Byte offset in the input.
    pub offset: usize,
    /// Byte length in the input.
    pub len: usize,
    /// Lexicon entries found in it.
    pub terms: Vec<String>,
}

/// Everything jdclass concluded about one posting.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct Verdict {
    /// pm, po, hybrid or other.
    pub label: Label,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Whether confidence reaches the reliability threshold.
    pub reliable: bool,
    /// Why this label, in one sentence.
    pub reason: String,
    /// Axis positions.
    pub scores: Scores,
    /// Pulls toward each side.
    pub mass: Mass,
    /// The title line, when the first line reads as one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "serve", schema(nullable = false))] // skipped, never null
    pub title: Option<String>,
    /// Phrase occurrences found (role names excluded), before the per-term listing cap.
    pub hits: usize,
    /// Phrases that counted, strongest first (at most
    /// [`EVIDENCE_PER_TERM`](crate::classify::EVIDENCE_PER_TERM) occurrences per entry).
    pub evidence: Vec<Evidence>,
    /// Phrases found but not counted (negated, another role's, in the title).
    pub discounted: Vec<Evidence>,
    /// Role names: title evidence.
    pub title_evidence: Vec<TitleEvidence>,
    /// The hire's duties and requirements that carry a lexicon phrase, in text order.
    pub duties: Vec<Duty>,
    /// Counts of those duties by kind.
    pub duty_summary: DutySummary,
    /// Problems with the input that did not stop classification.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Verdict {
    /// Whether confidence reaches [`RELIABLE_CONFIDENCE`].
    pub fn is_reliable(&self) -> bool {
        self.confidence >= RELIABLE_CONFIDENCE
    }

    /// The role the title names, if the title line names exactly one kind of role.
    pub fn title_role(&self) -> Option<Role> {
        let mut roles = self.title_evidence.iter().filter(|t| t.in_title).map(|t| t.role);
        let first = roles.next()?;
        Some(if roles.all(|r| r == first) { first } else { Role::Hybrid })
    }
}

/// Round to 3 decimals so outputs are stable and readable.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
