//! `jdclass lexicon stats`: measure a lexicon on a corpus, to decide where it needs work.
//! Three questions, one pass:
//!
//! - **which entries fire**, how often and on how many postings, and how many of those hits
//!   counted toward a verdict (the rest were negated, another role's, or in the title);
//! - **how many postings have too little evidence**: their anchor pull (roadmap, vision,
//!   backlog, user stories of their own) is below [`MIN_ANCHOR_MASS`], so the classifier
//!   can only call them `other` whatever else they say;
//! - **where the gaps are**: the commonest n-grams (1 to [`GAP_MAX_ORDER`] words, not
//!   starting or ending with a stop word) of those low-evidence postings that no entry
//!   covers — none of their words is part of a phrase the matcher found. Sentences the
//!   classifier itself discounts as boilerplate, company voice or title are left out (the
//!   section comes from the classifier's own [`Layout`]), so benefits and equal-opportunity
//!   text do not crowd the list.
//!
//! Postings are classified in parallel; the report is the same whatever the thread count.

use super::check::entry_side;
use super::corpus::Corpus;
use super::mine::redundant_sub_grams;
use super::text::{for_each_gram, mask_tokens, split_sentences, tokenize};
use crate::classify::{Classifier, Scratch};
use crate::context::{Layout, Section};
use crate::lexicon::{Kind, Lexicon, LexiconId};
use crate::matcher::Hit;
use crate::normalize::{normalize_into, Normalized};
use crate::score::{Label, MIN_ANCHOR_MASS};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// Longest gap n-gram, in words: gaps are read by people, and a 3-word phrase already
/// names a duty ("manage vendor contracts").
pub const GAP_MAX_ORDER: usize = 3;

/// What to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsOptions {
    /// Gap n-grams listed.
    pub top_gaps: usize,
    /// Fewest low-evidence postings a gap n-gram must occur in: a phrase of one posting is
    /// that posting's wording, not a gap.
    pub min_gap_postings: usize,
}

impl Default for StatsOptions {
    fn default() -> Self {
        StatsOptions { top_gaps: 30, min_gap_postings: 2 }
    }
}

/// How one entry did on the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryStats {
    /// Entry id.
    pub id: String,
    /// duty, other or role.
    pub kind: Kind,
    /// pm side, po side, other roles or role name.
    pub side: &'static str,
    /// Phrase matches, all postings together.
    pub hits: usize,
    /// Postings with at least one match.
    pub postings: usize,
    /// Matches that counted toward a verdict.
    pub counted: usize,
    /// Line of the entry in the lexicon file.
    pub line: usize,
}

/// An n-gram of low-evidence postings that no entry covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The n-gram, normalised.
    pub phrase: String,
    /// Low-evidence postings it occurs in.
    pub postings: usize,
    /// Occurrences.
    pub count: usize,
}

/// Postings whose anchor pull is below [`MIN_ANCHOR_MASS`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LowEvidence {
    /// How many.
    pub postings: usize,
    /// Their share of all postings read, in [0, 1].
    pub share: f64,
    /// The threshold.
    pub min_anchor_mass: f64,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The lexicon measured.
    pub lexicon: LexiconId,
    /// The corpus, as given.
    pub corpus: String,
    /// Postings read and classified.
    pub postings: usize,
    /// Items that could not be read.
    pub unreadable: usize,
    /// Postings per label the classifier gave; the counts add up to `postings`.
    pub labels: BTreeMap<Label, usize>,
    /// Postings with too little evidence.
    pub low_evidence: LowEvidence,
    /// Every entry, most postings first.
    pub entries: Vec<EntryStats>,
    /// Entries with no match at all.
    pub never_fired: usize,
    /// Uncovered n-grams of low-evidence postings, commonest first.
    pub gaps: Vec<Gap>,
}

/// What one posting contributes.
struct PostingStats {
    label: Label,
    low: bool,
    /// (entry index, hits, counted).
    entries: Vec<(usize, usize, usize)>,
    /// Uncovered n-grams with their counts (low-evidence postings only).
    grams: HashMap<String, usize>,
}

/// Measure `classifier`'s lexicon on `corpus`.
pub fn stats(classifier: &Classifier, corpus: &Corpus, options: &StatsOptions) -> Stats {
    let lexicon = classifier.lexicon();
    let index: HashMap<&str, usize> = lexicon.entries.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    let per_posting: Vec<PostingStats> = corpus
        .documents
        .par_iter()
        .map_init(
            || (Scratch::new(), Normalized::new(), Vec::new(), Layout::default()),
            |(scratch, norm, hits, layout), doc| {
                let v = classifier.classify_with(&doc.text, scratch);
                let mut entries: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
                let counted = v.evidence.iter().map(|e| (e.term.as_str(), true));
                let found = v.discounted.iter().map(|e| (e.term.as_str(), false));
                let titles = v.title_evidence.iter().map(|t| (t.term.as_str(), false));
                for (term, did_count) in counted.chain(found).chain(titles) {
                    if let Some(&i) = index.get(term) {
                        let slot = entries.entry(i).or_default();
                        slot.0 += 1;
                        slot.1 += usize::from(did_count);
                    }
                }
                let low = v.mass.pm_anchor + v.mass.po_anchor < MIN_ANCHOR_MASS;
                let mut grams = HashMap::new();
                if low {
                    normalize_into(&doc.text, norm);
                    classifier.matcher().find_into(norm, &doc.text, hits);
                    uncovered_grams(norm, hits, lexicon, layout, &mut grams);
                }
                PostingStats {
                    label: v.label,
                    low,
                    entries: entries.into_iter().map(|(i, (h, c))| (i, h, c)).collect(),
                    grams,
                }
            },
        )
        .collect();

    let mut entries: Vec<EntryStats> = lexicon
        .entries
        .iter()
        .map(|e| EntryStats {
            id: e.id.clone(),
            kind: e.kind,
            side: entry_side(e),
            hits: 0,
            postings: 0,
            counted: 0,
            line: e.line,
        })
        .collect();
    let mut labels: BTreeMap<Label, usize> = Label::ALL.iter().map(|&l| (l, 0)).collect();
    let mut low = 0;
    let mut gap_counts: HashMap<String, (usize, usize)> = HashMap::new();
    for p in per_posting {
        *labels.entry(p.label).or_insert(0) += 1;
        low += usize::from(p.low);
        for (i, h, c) in p.entries {
            entries[i].hits += h;
            entries[i].counted += c;
            entries[i].postings += 1;
        }
        for (g, n) in p.grams {
            let slot = gap_counts.entry(g).or_default();
            slot.0 += 1;
            slot.1 += n;
        }
    }
    let postings = corpus.documents.len();
    let never_fired = entries.iter().filter(|e| e.hits == 0).count();
    entries.sort_by(|a, b| b.postings.cmp(&a.postings).then(b.hits.cmp(&a.hits)).then(a.line.cmp(&b.line)));

    gap_counts.retain(|_, (p, _)| *p >= options.min_gap_postings);
    let redundant = redundant_sub_grams(&gap_counts, |&(_, count)| count as f64);
    let mut gaps: Vec<Gap> = gap_counts
        .into_iter()
        .filter(|(g, _)| !redundant.contains(g.as_str()))
        .map(|(phrase, (postings, count))| Gap { phrase, postings, count })
        .collect();
    gaps.sort_by(|a, b| b.postings.cmp(&a.postings).then(b.count.cmp(&a.count)).then(a.phrase.cmp(&b.phrase)));
    gaps.truncate(options.top_gaps);

    Stats {
        lexicon: lexicon.id.clone(),
        corpus: corpus.source.clone(),
        postings,
        unreadable: corpus.problems.len(),
        labels,
        low_evidence: LowEvidence {
            postings: low,
            share: if postings == 0 { 0.0 } else { low as f64 / postings as f64 },
            min_anchor_mass: MIN_ANCHOR_MASS,
        },
        entries,
        never_fired,
        gaps,
    }
}

/// Count the n-grams of `norm` none of whose words is part of a matcher hit, outside the
/// sentences the classifier discounts as boilerplate, company voice or title.
fn uncovered_grams(
    norm: &Normalized,
    hits: &[Hit],
    lexicon: &Lexicon,
    layout: &mut Layout,
    grams: &mut HashMap<String, usize>,
) {
    let text = norm.text.as_str();
    layout.build(text, lexicon, hits);
    // The section of a sentence, asked of the layout with a role-name probe at its start:
    // a role hit is read for its section only, never for negation or attribution.
    let probe_entry = lexicon.entries.iter().position(|e| e.kind == Kind::Role).unwrap_or(0) as u32;
    let spans: Vec<_> = hits.iter().map(|h| h.start as usize..h.end as usize).collect();
    let (mut sentences, mut tokens, mut masked) = (Vec::new(), Vec::new(), Vec::new());
    split_sentences(text, &mut sentences);
    for s in &sentences {
        if !lexicon.entries.is_empty() {
            let probe = [Hit { entry: probe_entry, start: s.start as u32, end: s.end as u32 }];
            let section = layout.read(text, lexicon, &probe, 0, &[]).section;
            if matches!(section, Section::Boilerplate | Section::Company | Section::Title) {
                continue;
            }
        }
        tokens.clear();
        tokenize(text, s.start..s.end, &mut tokens);
        mask_tokens(&tokens, &spans, &mut masked);
        for_each_gram(text, &tokens, &masked, GAP_MAX_ORDER, |a, b| {
            let g = &text[tokens[a].start..tokens[b].end];
            match grams.get_mut(g) {
                Some(n) => *n += 1,
                None => {
                    grams.insert(g.to_string(), 1);
                }
            }
        });
    }
}

/// The report as a readable table.
pub fn render_table(s: &Stats) -> String {
    let mut out = String::new();
    let pct = |x: f64| x * 100.0;
    let _ = writeln!(
        out,
        "lexicon: {} {} (hash {}) from {}",
        s.lexicon.name, s.lexicon.version, s.lexicon.hash, s.lexicon.source
    );
    let _ = writeln!(out, "corpus:  {} — {} postings classified, {} unreadable", s.corpus, s.postings, s.unreadable);
    let labels: Vec<String> = s.labels.iter().map(|(l, n)| format!("{l} {n}")).collect();
    let _ = writeln!(out, "labels:  {}", labels.join(" · "));
    let _ = writeln!(
        out,
        "low evidence: {} of {} postings ({:.1}%) have an anchor pull below {}",
        s.low_evidence.postings,
        s.postings,
        pct(s.low_evidence.share),
        s.low_evidence.min_anchor_mass
    );
    let _ = writeln!(out);
    let fired: Vec<&EntryStats> = s.entries.iter().filter(|e| e.hits > 0).collect();
    let width = fired.iter().map(|e| e.id.len()).max().unwrap_or(5).max(5);
    let _ = writeln!(out, "entries that fired: {} of {}", fired.len(), s.entries.len());
    let _ = writeln!(
        out,
        "  {:width$}  {:5}  {:11}  {:>8}  {:>6}  {:>7}",
        "entry", "kind", "side", "postings", "hits", "counted"
    );
    for e in &fired {
        let kind = match e.kind {
            Kind::Duty => "duty",
            Kind::Other => "other",
            Kind::Role => "role",
        };
        let _ = writeln!(
            out,
            "  {:width$}  {:5}  {:11}  {:>8}  {:>6}  {:>7}",
            e.id, kind, e.side, e.postings, e.hits, e.counted
        );
    }
    let _ = writeln!(out);
    let silent: Vec<&str> = s.entries.iter().filter(|e| e.hits == 0).map(|e| e.id.as_str()).collect();
    let _ = writeln!(out, "never fired: {} entries", silent.len());
    for chunk in silent.chunks(6) {
        let _ = writeln!(out, "  {}", chunk.join(", "));
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "gaps: n-grams of low-evidence postings that no entry covers");
    let gw = s.gaps.iter().map(|g| g.phrase.chars().count()).max().unwrap_or(6).max(6);
    let _ = writeln!(out, "  {:gw$}  {:>8}  {:>5}", "n-gram", "postings", "count");
    for g in &s.gaps {
        let _ = writeln!(out, "  {:gw$}  {:>8}  {:>5}", g.phrase, g.postings, g.count);
    }
    out
}
