//! The recruiter check: does a posting read as the role it is meant to hire for, which
//! phrases pull it elsewhere, what a posting for that role is expected to carry and
//! does not, and the smallest set of edits that makes it read as intended.
//!
//! The edits are found by search, not looked up: candidate edits (remove a phrase that
//! pulls away, add a responsibility of the intended role) are applied to the text and
//! the posting is classified again; the edit that brings it closest to the intended
//! label ([`distance_to`]) is kept, until the label flips. Edits that turn out
//! unnecessary are then dropped, and the final set is verified on the edited text.

use crate::classify::{Classifier, Scratch};
use crate::context::Effect;
use crate::lexicon::{Lexicon, Role};
use crate::score::{distance_to, Label, Pulls};
use crate::verdict::{Evidence, Mass, Side, Verdict};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};

/// Most edits the search makes before giving up. Pruning then drops the ones that
/// turned out unnecessary, so a generous limit costs time, not a longer answer.
pub const MAX_EDITS: usize = 24;
/// Findings listed, most influential first.
pub const MAX_FINDINGS: usize = 12;
/// Bytes of posting text the edit search may re-classify in all. Each candidate edit
/// is tried by classifying the edited posting (linear in its size), so the search is
/// given a budget of work rather than of tries: an ordinary posting (5–10 KB) gets
/// over a thousand tries, more than the search needs (a round tries each candidate
/// once, about 25, and few postings need more than five rounds); a 1 MB posting gets
/// 16 and finishes in about the time of classifying it that many times.
pub const SEARCH_WORK_BYTES: usize = 16 * 1024 * 1024;
/// Tries the search always gets, however large the posting.
pub const MIN_TRIES: usize = 16;

/// A signal a posting for a role is expected to carry: a name for people, the lexicon
/// entries any of which shows it, and a responsibility sentence that adds it.
struct Signal {
    name: &'static str,
    terms: &'static [&'static str],
    sentence: &'static str,
}

/// What a Product Owner posting is expected to show (from the seeds' PO duties).
const PO_SIGNALS: &[Signal] = &[
    Signal {
        name: "ownership of the product backlog",
        terms: &["backlog", "product-backlog", "backlog-management", "backlog-prioritization", "backlog-items"],
        sentence: "Own and prioritise the product backlog for the team.",
    },
    Signal {
        name: "user stories",
        terms: &["user-stories", "story-writing", "story-splitting", "story-mapping"],
        sentence: "Write user stories that the developers can pick up.",
    },
    Signal {
        name: "acceptance criteria",
        terms: &["acceptance-criteria", "definition-of-done", "accept-work"],
        sentence: "Define acceptance criteria and accept or reject completed work.",
    },
    Signal {
        name: "sprint planning and refinement",
        terms: &[
            "sprint-planning",
            "sprint-review",
            "sprint-goal",
            "backlog-refinement",
            "backlog-grooming",
            "next-sprint",
        ],
        sentence: "Lead sprint planning and backlog refinement with the scrum team.",
    },
    Signal {
        name: "daily work with developers and QA",
        terms: &[
            "development-team",
            "developers",
            "qa",
            "scrum-team",
            "agile-team",
            "within-team",
            "answer-dev-questions",
        ],
        sentence: "Work day to day with the development team and QA, answering questions as they build.",
    },
];

/// What a Product Manager posting is expected to show (from the seeds' PM duties).
const PM_SIGNALS: &[Signal] = &[
    Signal {
        name: "ownership of the product roadmap",
        terms: &["product-roadmap", "roadmap", "long-term-roadmap", "roadmapping"],
        sentence: "Own the product roadmap for the coming quarters.",
    },
    Signal {
        name: "product vision and strategy",
        terms: &["product-vision", "product-strategy", "define-the-vision", "strategic-vision", "strategic-direction"],
        sentence: "Set the product vision and strategy.",
    },
    Signal {
        name: "market and customer research",
        terms: &["market-research", "market-trends", "market-analysis", "customer-insights", "customer-discovery"],
        sentence: "Run market research to understand market trends and customer needs.",
    },
    Signal {
        name: "competitive analysis",
        terms: &["competitive-analysis", "competitive-landscape", "competitors"],
        sentence: "Track the competitive landscape and run competitive analysis.",
    },
    Signal {
        name: "go-to-market, pricing and positioning",
        terms: &["go-to-market", "pricing", "positioning", "product-launch", "monetization"],
        sentence: "Define pricing, positioning and the go-to-market plan with sales and marketing.",
    },
    Signal {
        name: "business outcomes",
        terms: &["business-outcomes", "business-model", "profitability", "roi", "p-and-l", "revenue"],
        sentence: "Own the business outcomes of the product: revenue, profitability and ROI.",
    },
];

fn signals_for(target: Label) -> Vec<&'static Signal> {
    match target {
        Label::Po => PO_SIGNALS.iter().collect(),
        Label::Pm => PM_SIGNALS.iter().collect(),
        Label::Hybrid => PM_SIGNALS.iter().chain(PO_SIGNALS).collect(),
        Label::Other => Vec::new(),
    }
}

/// The role a title names: every role name in the whole `title` counts (two different
/// ones make it hybrid), so "Product Owner, Mobile" names a PO however it is punctuated.
pub fn role_of_title(classifier: &Classifier, title: &str) -> Option<Role> {
    let v = classifier.classify(title);
    let mut roles = v.title_evidence.iter().map(|e| e.role);
    let first = roles.next()?;
    Some(if roles.all(|r| r == first) { first } else { Role::Hybrid })
}

/// The intended role as a label, from a role name.
pub fn intended_from_role(role: Role) -> Option<Label> {
    match role {
        Role::Pm => Some(Label::Pm),
        Role::Po => Some(Label::Po),
        Role::Hybrid => Some(Label::Hybrid),
        Role::Other | Role::Unknown => None,
    }
}

/// Why the role a posting is meant for could not be read from its title.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleError {
    /// The title names no role.
    #[error("cannot tell which role {from} names; say which role the posting is for: pm, po or hybrid")]
    Unnamed {
        /// Where the role was looked for: the title given, or the posting's first line.
        from: String,
    },
    /// The title names a role that is not a product role.
    #[error("{from} names a{} {role} role; a check compares against pm, po or hybrid", if *.role == "other" { "n" } else { "" })]
    NotProduct {
        /// Where the role was looked for.
        from: String,
        /// The role it names.
        role: &'static str,
    },
}

/// The role a posting is meant to hire for, when not said outright: the role `title`
/// names, or else the role the posting's first line (as read into `verdict`) names.
pub fn intended_role(classifier: &Classifier, verdict: &Verdict, title: Option<&str>) -> Result<Label, RoleError> {
    let (role, from) = match title {
        Some(t) => (role_of_title(classifier, t), format!("the title \"{t}\"")),
        None => (verdict.title_role(), "the posting's first line".to_string()),
    };
    let role = role.ok_or_else(|| RoleError::Unnamed { from: from.clone() })?;
    intended_from_role(role).ok_or(RoleError::NotProduct { from, role: role.as_str() })
}

/// A phrase that pulls the posting away from the intended role.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct Finding {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The phrase as written.
    pub phrase: String,
    /// Lexicon entry id.
    pub term: String,
    /// The role it pulls toward.
    pub toward: Label,
    /// Which axis, in words ("strategic +0.90, roadmap +0.40").
    pub axis: String,
    /// How much it moves the verdict (weight × section multiplier).
    pub influence: f64,
    /// Why the phrase sits on that side (the lexicon entry's reason).
    pub why: String,
}

/// An expected signal the posting lacks.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct Missing {
    /// What is missing, for people.
    pub signal: String,
    /// Lexicon entries any of which would show it.
    pub terms: Vec<String>,
}

/// One edit of the posting.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "lowercase")]
pub enum Change {
    /// Remove or reword every listed occurrence of a phrase.
    Remove {
        /// Lexicon entry id.
        term: String,
        /// The phrase as written (first occurrence).
        phrase: String,
        /// (byte offset, byte length, line, column) of each occurrence in the input.
        occurrences: Vec<(usize, usize, usize, usize)>,
        /// The side it pulls toward.
        toward: Label,
    },
    /// Add a responsibility sentence.
    Add {
        /// The expected signal it supplies.
        signal: String,
        /// The sentence to add.
        sentence: String,
    },
}

/// Everything `jdclass check` reports.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct CheckReport {
    /// The role the posting is meant to hire for.
    pub intended: Label,
    /// What the body reads as.
    pub label: Label,
    /// Whether the two agree.
    pub consistent: bool,
    /// One sentence: consistent, or the mismatch and its size.
    pub summary: String,
    /// Phrases pulling away from the intended role, most influential first.
    pub findings: Vec<Finding>,
    /// Expected signals of the intended role that the posting does not carry.
    pub missing: Vec<Missing>,
    /// The smallest set of edits found that flips the verdict to the intended role.
    pub changes: Vec<Change>,
    /// The label of the posting with `changes` applied.
    pub after: Option<Label>,
    /// Whether applying `changes` makes the posting read as intended.
    pub flips: bool,
    /// Edited versions of the posting the search classified.
    pub tries: usize,
    /// Whether the search ran out of its work budget ([`SEARCH_WORK_BYTES`]) before it
    /// finished: the changes are then the best found so far, still verified.
    pub search_cut_short: bool,
}

/// How many more edited postings the search may classify.
struct Budget<'s> {
    left: usize,
    used: usize,
    cut_short: bool,
    /// Set by someone no longer waiting for the report (see [`check_verdict_until`]).
    stop: &'s AtomicBool,
}

impl<'s> Budget<'s> {
    fn for_text(text: &str, stop: &'s AtomicBool) -> Budget<'s> {
        Budget { left: (SEARCH_WORK_BYTES / text.len().max(1)).max(MIN_TRIES), used: 0, cut_short: false, stop }
    }

    /// Take one try; false (and the search marked as cut short) when none is left or
    /// the search was told to stop.
    fn take(&mut self) -> bool {
        if self.stop.load(Ordering::Relaxed) {
            self.left = 0;
        }
        if self.left == 0 {
            self.cut_short = true;
            return false;
        }
        self.left -= 1;
        self.used += 1;
        true
    }
}

fn pulls_of(m: &Mass) -> Pulls {
    Pulls {
        pm: m.pm,
        po: m.po,
        other: m.other,
        pm_anchor: m.pm_anchor,
        po_anchor: m.po_anchor,
        pm_owned: m.pm_owned,
        ..Default::default()
    }
}

/// The side an evidence item pulls toward, as a label.
fn toward(e: &Evidence) -> Label {
    match e.leaning() {
        Side::Other => Label::Other,
        Side::Po => Label::Po,
        Side::Pm | Side::Mixed | Side::None => Label::Pm,
    }
}

/// Whether evidence toward `side` works against reading the posting as `target`.
fn pulls_away(side: Label, target: Label) -> bool {
    match target {
        Label::Pm => side != Label::Pm,
        Label::Po => side != Label::Po,
        Label::Hybrid | Label::Other => side == Label::Other,
    }
}

/// Apply edits to the original text: removals cut the listed occurrences, additions go
/// in a "Responsibilities" block at the end (an HTML list for HTML postings), where a
/// recruiter would add duties and where they cannot change how earlier text is read.
pub fn apply(text: &str, changes: &[Change]) -> String {
    let mut cuts: Vec<(usize, usize)> = changes
        .iter()
        .flat_map(|c| match c {
            Change::Remove { occurrences, .. } => occurrences.iter().map(|&(o, l, _, _)| (o, l)).collect(),
            Change::Add { .. } => Vec::new(),
        })
        .collect();
    cuts.sort_unstable();
    let mut out = String::with_capacity(text.len() + 256);
    let mut at = 0;
    for (o, l) in cuts {
        if o < at || o + l > text.len() || !text.is_char_boundary(o) || !text.is_char_boundary(o + l) {
            continue;
        }
        out.push_str(&text[at..o]);
        at = o + l;
    }
    out.push_str(&text[at..]);
    let added: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Add { sentence, .. } => Some(sentence.as_str()),
            Change::Remove { .. } => None,
        })
        .collect();
    if !added.is_empty() {
        if crate::normalize::looks_like_html(text) {
            out.push_str("\n<h3>Responsibilities</h3>\n<ul>\n");
            for s in &added {
                out.push_str(&format!("<li>{}</li>\n", crate::output::html::escape(s)));
            }
            out.push_str("</ul>\n");
        } else {
            out.push_str("\n\nResponsibilities:\n");
            for s in &added {
                out.push_str(&format!("- {s}\n"));
            }
        }
    }
    out
}

/// The role a phrase pulls toward, in words for a sentence ("pulls toward …").
pub fn toward_words(label: Label) -> &'static str {
    match label {
        Label::Pm => "Product Manager",
        Label::Po => "Product Owner",
        Label::Hybrid => "a hybrid PM/PO",
        Label::Other => "a non-product role",
    }
}

/// Where a removal applies, for people: each place with the text that stands there as
/// written, since one entry is found under several phrases ("velocity", "burndown"):
/// `"velocity" at 7:9, 9:2` when every place holds the same phrase, else
/// `"velocity" at 7:9, "burndown" at 7:22`.
pub fn describe_places(text: &str, occurrences: &[(usize, usize, usize, usize)], phrase: &str) -> String {
    let html = crate::normalize::looks_like_html(text);
    let places: Vec<(String, String)> = occurrences
        .iter()
        .map(|&(o, n, line, column)| {
            let written = text.get(o..o + n).map(|p| crate::normalize::readable_fragment(p, html));
            (written.filter(|w| !w.is_empty()).unwrap_or_else(|| phrase.to_string()), format!("{line}:{column}"))
        })
        .collect();
    let Some(first) = places.first() else { return format!("\"{phrase}\"") };
    if places.iter().all(|(p, _)| p.to_lowercase() == first.0.to_lowercase()) {
        let at: Vec<&str> = places.iter().map(|p| p.1.as_str()).collect();
        format!("\"{}\" at {}", first.0, at.join(", "))
    } else {
        places.iter().map(|(p, at)| format!("\"{p}\" at {at}")).collect::<Vec<_>>().join(", ")
    }
}

/// Check `text` against the `intended` role.
pub fn check(classifier: &Classifier, text: &str, intended: Label) -> CheckReport {
    let mut scratch = Scratch::new();
    let verdict = classifier.classify_with(text, &mut scratch);
    check_verdict(classifier, text, &verdict, intended, &mut scratch)
}

/// Check a posting already classified as `verdict`.
pub fn check_verdict(
    classifier: &Classifier,
    text: &str,
    verdict: &Verdict,
    intended: Label,
    scratch: &mut Scratch,
) -> CheckReport {
    check_verdict_until(classifier, text, verdict, intended, scratch, &AtomicBool::new(false))
}

/// [`check_verdict`] whose edit search ends early once `stop` is set: the caller can
/// give up on a report (a server request past its time budget) without the search
/// running on for up to [`SEARCH_WORK_BYTES`] of re-classification. The flag is read
/// before each try, so at most the try under way and the final verification still run;
/// the report is then marked `search_cut_short`, and its changes are still verified.
pub fn check_verdict_until(
    classifier: &Classifier,
    text: &str,
    verdict: &Verdict,
    intended: Label,
    scratch: &mut Scratch,
    stop: &AtomicBool,
) -> CheckReport {
    let lexicon = classifier.lexicon();
    let consistent = verdict.label == intended;
    let findings = findings(lexicon, verdict, intended);
    let missing = missing(verdict, intended);
    let mut budget = Budget::for_text(text, stop);
    let (changes, after) =
        if consistent { (Vec::new(), None) } else { flip(classifier, text, verdict, intended, scratch, &mut budget) };
    let flips = after == Some(intended);
    CheckReport {
        intended,
        label: verdict.label,
        consistent,
        summary: summary(verdict, intended),
        findings,
        missing,
        changes,
        after,
        flips,
        tries: budget.used,
        search_cut_short: budget.cut_short,
    }
}

fn summary(v: &Verdict, intended: Label) -> String {
    let p = pulls_of(&v.mass);
    if v.label == intended {
        return format!("the body reads as {}, as intended: {}", intended.long_name(), v.reason);
    }
    let share = p.pm_share() * 100.0;
    let size = match v.label {
        Label::Pm => format!("{share:.0}% of the evidence is strategic/roadmap"),
        Label::Po => format!("{:.0}% of the evidence is tactical/backlog", 100.0 - share),
        Label::Hybrid => format!("it owns both sides ({share:.0}% strategic/roadmap)"),
        Label::Other => v.reason.clone(),
    };
    let reads_as = if v.label == Label::Other { toward_words(Label::Other) } else { v.label.long_name() };
    format!("meant as {}; the body reads as {reads_as}: {size}", intended.long_name())
}

fn findings(lexicon: &Lexicon, v: &Verdict, intended: Label) -> Vec<Finding> {
    let mut out: Vec<Finding> = v
        .evidence
        .iter()
        .filter(|e| pulls_away(toward(e), intended))
        .map(|e| {
            let axis = if e.side == Side::Other {
                format!("non-product weight {:.2}", e.other)
            } else {
                format!("strategic {:+.2}, roadmap {:+.2}", e.strategic, e.roadmap)
            };
            let mut why = lexicon.entry(&e.term).map(|x| x.why.clone()).unwrap_or_default();
            match e.effect {
                Effect::Contribution => why = format!("works from a strategic artefact rather than owning it. {why}"),
                // The entry's own reason is about the PO side; read here, it is the
                // facilitator's work, and the reason must say that, not contradict it.
                Effect::Facilitated => {
                    why = "facilitated for the team: running backlog and sprint ceremonies for others is a scrum \
                           master's or agile coach's work"
                        .to_string()
                }
                _ => {}
            }
            Finding {
                line: e.line,
                column: e.column,
                phrase: e.phrase.clone(),
                term: e.term.clone(),
                toward: toward(e),
                axis,
                influence: crate::verdict::round3(e.strength()),
                why,
            }
        })
        .collect();
    out.sort_by(|a, b| b.influence.total_cmp(&a.influence).then(a.line.cmp(&b.line)));
    out.truncate(MAX_FINDINGS);
    out
}

fn missing(v: &Verdict, intended: Label) -> Vec<Missing> {
    signals_for(intended)
        .into_iter()
        .filter(|s| {
            !v.evidence.iter().any(|e| s.terms.contains(&e.term.as_str()) && pulls_toward_intended(e, intended))
        })
        .map(|s| Missing { signal: s.name.to_string(), terms: s.terms.iter().map(|t| t.to_string()).collect() })
        .collect()
}

fn pulls_toward_intended(e: &Evidence, intended: Label) -> bool {
    match intended {
        Label::Hybrid => toward(e) != Label::Other,
        other => toward(e) == other,
    }
}

/// Candidate edits: remove each phrase that pulls away; add each expected signal.
fn candidates(v: &Verdict, intended: Label) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for e in &v.evidence {
        let side = toward(e);
        if !pulls_away(side, intended) {
            continue;
        }
        let occ = (e.offset, e.len, e.line, e.column);
        match out.iter_mut().find(|c| matches!(c, Change::Remove { term, .. } if *term == e.term)) {
            Some(Change::Remove { occurrences, .. }) => occurrences.push(occ),
            _ => out.push(Change::Remove {
                term: e.term.clone(),
                phrase: e.phrase.clone(),
                occurrences: vec![occ],
                toward: side,
            }),
        }
    }
    for s in signals_for(intended) {
        out.push(Change::Add { signal: s.name.to_string(), sentence: s.sentence.to_string() });
    }
    out
}

/// Search for a small set of edits that flips the label to `intended`: a strict greedy
/// pass (stop when no edit helps) and, if that gets stuck, a patient one (keep taking
/// the best edit up to [`MAX_EDITS`]); each result is pruned of edits it does not need,
/// and the smaller set that flips wins. Returns the edits and the label they give.
fn flip(
    classifier: &Classifier,
    text: &str,
    v: &Verdict,
    intended: Label,
    scratch: &mut Scratch,
    budget: &mut Budget<'_>,
) -> (Vec<Change>, Option<Label>) {
    let strict = greedy(classifier, text, v, intended, scratch, true, budget);
    let found = if strict.1 == intended || budget.left == 0 {
        strict
    } else {
        greedy(classifier, text, v, intended, scratch, false, budget)
    };
    let (mut chosen, label) = found;
    if label != intended {
        return (chosen, Some(label));
    }
    // Drop edits that are not needed, latest first (they were the least helpful), until
    // none can go: with duty-level reading, dropping one edit can make another unneeded.
    'prune: loop {
        let before = chosen.len();
        let mut k = chosen.len();
        while k > 0 {
            k -= 1;
            let mut without = chosen.clone();
            without.remove(k);
            if without.is_empty() {
                continue;
            }
            if !budget.take() {
                break 'prune;
            }
            if classifier.standing(&apply(text, &without), scratch).label == intended {
                chosen = without;
            }
        }
        if chosen.len() == before {
            break;
        }
    }
    // The verification is always made, budget or not: the report never claims a flip
    // it did not see.
    budget.used += 1;
    let after = classifier.standing(&apply(text, &chosen), scratch).label;
    (chosen, Some(after))
}

/// One greedy pass: repeatedly apply the candidate edit that brings the posting closest
/// to `intended` ([`distance_to`]), re-classifying the edited text each time. A `strict`
/// pass stops when no edit shortens the distance; a patient one goes on (a removal can
/// look useless alone, inside the hybrid band, and still be needed with the next).
fn greedy(
    classifier: &Classifier,
    text: &str,
    v: &Verdict,
    intended: Label,
    scratch: &mut Scratch,
    strict: bool,
    budget: &mut Budget<'_>,
) -> (Vec<Change>, Label) {
    let mut pool = candidates(v, intended);
    let mut chosen: Vec<Change> = Vec::new();
    let mut label = v.label;
    let mut current = distance_to(&pulls_of(&v.mass), &v.duty_summary, intended);
    while label != intended && chosen.len() < MAX_EDITS && !pool.is_empty() {
        let mut best: Option<(usize, f64, Label)> = None;
        for (i, c) in pool.iter().enumerate() {
            if !budget.take() {
                break;
            }
            chosen.push(c.clone());
            let r = classifier.standing(&apply(text, &chosen), scratch);
            chosen.pop();
            let d = if r.label == intended { 0.0 } else { distance_to(&pulls_of(&r.mass), &r.duty_summary, intended) };
            if best.is_none_or(|(_, bd, _)| d < bd) {
                best = Some((i, d, r.label));
            }
        }
        let Some((i, d, l)) = best else { break };
        if strict && d >= current && l != intended {
            break;
        }
        if budget.left == 0 && l != intended && d >= current {
            break; // a partial round that found nothing better: keep what we have
        }
        chosen.push(pool.remove(i));
        current = d;
        label = l;
    }
    (chosen, label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classifier() -> &'static Classifier {
        static C: std::sync::OnceLock<Classifier> = std::sync::OnceLock::new();
        C.get_or_init(Classifier::embedded)
    }

    const PM_BODY: &str = "Senior Product Owner\n\nResponsibilities:\n\
        - Set the product vision and own the product roadmap for the next 18 months.\n\
        - Run market research and competitive analysis to find new market opportunities.\n\
        - Define pricing and positioning and lead the go-to-market plan with sales and marketing.\n\
        - Own the business case and the P&L of the product line.\n";

    #[test]
    fn a_pm_body_under_a_po_title_flips_with_the_suggested_edits() {
        let r = check(classifier(), PM_BODY, Label::Po);
        assert!(!r.consistent);
        assert_eq!(r.label, Label::Pm);
        assert!(r.summary.contains("strategic/roadmap"), "{}", r.summary);
        assert!(!r.findings.is_empty() && r.findings.iter().all(|f| f.toward == Label::Pm));
        assert!(r.missing.iter().any(|m| m.signal.contains("backlog")));
        assert!(r.flips, "{:?}", r.changes);
        let edited = apply(PM_BODY, &r.changes);
        assert_eq!(classifier().classify(&edited).label, Label::Po, "{edited}");
    }

    #[test]
    fn pruning_leaves_no_unneeded_edit() {
        let r = check(classifier(), PM_BODY, Label::Po);
        for k in 0..r.changes.len() {
            let mut fewer = r.changes.clone();
            fewer.remove(k);
            let label = classifier().classify(&apply(PM_BODY, &fewer)).label;
            assert_ne!(label, Label::Po, "edit {k} ({:?}) was not needed", r.changes[k]);
        }
    }

    #[test]
    fn a_stopped_search_tries_nothing_more_and_says_so() {
        let verdict = classifier().classify(PM_BODY);
        let full = check_verdict(classifier(), PM_BODY, &verdict, Label::Po, &mut Scratch::new());
        assert!(full.flips && full.tries > 1 && !full.search_cut_short, "{full:?}");
        let stop = AtomicBool::new(true);
        let r = check_verdict_until(classifier(), PM_BODY, &verdict, Label::Po, &mut Scratch::new(), &stop);
        assert_eq!(r.tries, 0);
        assert!(r.search_cut_short && r.changes.is_empty() && !r.flips, "{r:?}");
        assert_eq!(r.after, Some(Label::Pm), "the label as it stands, not a claimed flip");
        assert_eq!((r.summary, r.missing.len()), (full.summary, full.missing.len()), "the rest of the report is whole");
    }

    #[test]
    fn a_consistent_posting_needs_no_change() {
        let r = check(classifier(), PM_BODY, Label::Pm);
        assert!(r.consistent && r.changes.is_empty() && r.after.is_none());
        assert!(r.summary.starts_with("the body reads as Product Manager, as intended"), "{}", r.summary);
    }

    #[test]
    fn apply_cuts_occurrences_and_appends_duties() {
        let text = "Own pricing. Own pricing again.";
        let changes = vec![
            Change::Remove {
                term: "pricing".into(),
                phrase: "pricing".into(),
                occurrences: vec![(4, 7, 1, 5), (17, 7, 1, 18)],
                toward: Label::Pm,
            },
            Change::Add { signal: "x".into(), sentence: "Write user stories.".into() },
        ];
        assert_eq!(apply(text, &changes), "Own . Own  again.\n\nResponsibilities:\n- Write user stories.\n");
        let html = apply("<p>Own pricing.</p>", &changes[1..]);
        assert!(html.ends_with("<ul>\n<li>Write user stories.</li>\n</ul>\n"), "{html}");
        // Overlapping or out-of-range cuts are skipped, never panic.
        let bad = vec![Change::Remove {
            term: "t".into(),
            phrase: "p".into(),
            occurrences: vec![(2, 100, 1, 1), (1, 1, 1, 1)],
            toward: Label::Pm,
        }];
        assert_eq!(apply("abc", &bad), "ac");
    }

    #[test]
    fn an_empty_posting_gets_the_intended_duties_added() {
        let r = check(classifier(), "Product Owner\n", Label::Po);
        assert_eq!(r.label, Label::Other);
        assert!(r.flips, "{:?}", r.changes);
        assert!(r.changes.iter().all(|c| matches!(c, Change::Add { .. })));
        assert_eq!(r.missing.len(), PO_SIGNALS.len());
    }
}
