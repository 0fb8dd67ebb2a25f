//! `jdclass lexicon mine`: propose lexicon entries from documents, so that the shipped
//! lexicon can say which of its phrases the sources actually support, and a lexicon for a
//! new domain can start from data rather than from memory.
//!
//! Two kinds of input are contrasted:
//!
//! - **comparison articles** (PM vs PO): each sentence is attributed to the role it is
//!   about ([`attribute`]), and n-grams of PM sentences are contrasted with n-grams of PO
//!   sentences;
//! - **labelled postings**: n-grams of `pm` postings against `po` postings, and of `other`
//!   postings against product ones (`pm`, `po`, `hybrid`).
//!
//! N-grams are 1 to [`MAX_ORDER`] words of normalised text inside one sentence and one
//! punctuation-free run (see [`super::text`]), never starting or ending with a stop word,
//! never touching a role name. Each is ranked by the weighted log-odds z of
//! [`super::logodds`]; counts and the prior are kept per n-gram length, because a 1-gram
//! and a 4-gram are draws from different distributions. The output is a lexicon-format
//! TOML file of candidates for a person to review ([`render_toml`]).
//!
//! # Sentence roles
//! Rules, first match wins:
//! 0. a cell of a comparison table whose header row names the roles ("| Product Manager |
//!    Product Owner |") takes its column's role; markdown tables and tables written one
//!    cell per line (`cell |`, rows separated by a lone `|`) are both read;
//! 1. a sentence naming the PM role (product manager, PM, product management, head of
//!    product…) and not the PO role is **pm**; naming the PO role (product owner, PO) and
//!    not the PM role, **po**; naming both, **both**; naming only other roles (scrum
//!    master, project manager…), **neither**. Plurals and possessives count ("PMs",
//!    "product owner's").
//! 2. a sentence that names no role and has a personal pronoun (they, their, he, she…)
//!    among its first [`PRONOUN_REACH`] words takes the previous sentence's role;
//! 3. otherwise it takes the role of its **section**: the last heading (a line of at most
//!    [`HEADING_MAX_WORDS`] words without a full stop that is not a list item) sets the
//!    section to the role it names, or to none; a line ending in a colon that names a role
//!    ("A good PM spends time on:") sets it too, so the list after it belongs to that role;
//! 4. otherwise **neither**.
//!
//! Headings themselves follow rule 1 only. Only pm and po sentences are contrasted; both
//! and neither sentences still count in the pooled corpus the prior is drawn from.

use super::corpus::{Document, Problem};
use super::logodds::{log_odds, Prior, DEFAULT_PRIOR_SCALE};
use super::text::{for_each_gram, mask_tokens, split_sentences, tokenize, RoleFinder, Sentence, Token};
use super::ToolError;
use crate::lexicon::{Kind, Lexicon, Role};
use crate::matcher::{Hit, Matcher};
use crate::normalize::{normalize_into, Normalized};
use crate::score::Label;
use crate::variants;
use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::hash::Hash;
use std::ops::Range;

/// Longest n-gram mined, in words: long enough for "voice of the customer", short enough
/// that a candidate is a phrase, not a clause.
pub const MAX_ORDER: usize = 4;
/// |z| at which a suggested weight reaches ±1: `weight = clamp(z / Z_FULL, −1, 1)`,
/// rounded to one decimal. On the seeds the strongest phrases ("team", "backlog",
/// "market") reach |z| ≈ 3.5–4.7 and a phrase seen about eight times on one side only
/// z ≈ 2, which maps to 0.5, the lexicon's usual weight for a supporting duty.
pub const Z_FULL: f64 = 4.0;
/// A suggested weight is never smaller than this: a duty needs a non-zero weight.
const MIN_WEIGHT: f64 = 0.1;
/// A heading is a line of at most this many words without a full stop.
pub const HEADING_MAX_WORDS: usize = 12;
/// A pronoun among a sentence's first this-many words makes it inherit the previous
/// sentence's role ("In addition, they…").
pub const PRONOUN_REACH: usize = 3;
/// Personal pronouns that refer back to a role named before.
const PRONOUNS: &[&str] = &["he", "her", "his", "she", "their", "theirs", "them", "they"];
/// Examples kept per candidate.
const EXAMPLES: usize = 2;
/// Words in an example context, the phrase included. Short on purpose: an example shows
/// how a phrase is used without copying a sentence of the source.
pub const EXAMPLE_MAX_WORDS: usize = 9;
/// Characters that, standing between a line and the line before it, make it a list item.
const BULLET_MARKERS: &[char] = &['•', '◦', '▪', '●', '‣', '⁃', '■', '∙', '➢', '✓', '✔', '·', '*', '-', '–', '—'];

/// Thresholds of a mining run.
#[derive(Debug, Clone, PartialEq)]
pub struct MineOptions {
    /// Longest n-gram, in words (1..=[`MAX_ORDER`]).
    pub max_order: usize,
    /// Fewest occurrences in the contrasted classes.
    pub min_count: u32,
    /// Fewest documents (articles or postings) an n-gram must occur in.
    pub min_docs: usize,
    /// Fewest |z| a candidate needs.
    pub min_z: f64,
    /// Candidates kept, strongest first.
    pub top: usize,
    /// Scale of the Dirichlet prior (see [`DEFAULT_PRIOR_SCALE`]).
    pub prior_scale: f64,
}

impl Default for MineOptions {
    fn default() -> Self {
        MineOptions {
            max_order: MAX_ORDER,
            min_count: 2,
            min_docs: 1,
            min_z: 1.0,
            top: 50,
            prior_scale: DEFAULT_PRIOR_SCALE,
        }
    }
}

/// Which role a sentence of an article is about. The discriminants are the class indexes
/// of [`Mode::Articles`] (see [`Mode::class_names`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SentenceRole {
    /// Product Manager.
    Pm = 0,
    /// Product Owner.
    Po = 1,
    /// Both roles (a comparison).
    Both = 2,
    /// Neither (another role, or nothing to go by).
    Neither = 3,
}

/// Which rule gave a sentence its role (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Because {
    /// It is a cell of a table column headed by the role.
    Table,
    /// It names the role.
    Named,
    /// A pronoun refers to the previous sentence's role.
    Pronoun,
    /// It stands in a section whose heading or lead-in names the role.
    Section,
    /// Nothing to go by.
    Nothing,
}

/// A sentence of an article with the role it is attributed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attributed {
    /// Byte range in the normalised text.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// The role.
    pub role: SentenceRole,
    /// Why.
    pub because: Because,
}

/// Attribute each sentence of a normalised article to a role (rules in the module docs).
/// `role_hits` are [`RoleFinder`] hits in `norm`; `source` is the text before normalisation.
pub fn attribute(norm: &Normalized, source: &str, finder: &RoleFinder, role_hits: &[Hit]) -> Vec<Attributed> {
    let text = norm.text.as_str();
    let mut sentences = Vec::new();
    split_sentences(text, &mut sentences);
    let mut out = Vec::with_capacity(sentences.len());
    let cells = table_cells(norm, source, finder);
    let mut section: Option<SentenceRole> = None;
    let mut previous: Option<SentenceRole> = None;
    let mut k = 0;
    while k < sentences.len() {
        let line = sentences[k].line;
        let group_end = k + sentences[k..].iter().take_while(|s| s.line == line).count();
        let group = &sentences[k..group_end];
        let (line_start, line_end) = (group[0].start, group[group.len() - 1].end);
        let heading = group.len() == 1
            && !text[line_start..line_end].ends_with('.')
            && word_count(text, line_start..line_end) <= HEADING_MAX_WORDS
            && !is_list_item(norm, source, line_start);
        for s in group.iter().flat_map(|s| split_at_cells(text, s, &cells)) {
            let cell = cells.iter().find(|(c, _)| c.start <= s.start && s.end <= c.end);
            let (role, because) = match (cell, named_role(finder, role_hits, s.start..s.end)) {
                (Some(&(_, role)), _) => (role, Because::Table),
                (None, Some(role)) => (role, Because::Named),
                (None, None) if heading => (SentenceRole::Neither, Because::Nothing),
                (None, None) => match (starts_with_pronoun(text, &s), previous, section) {
                    (true, Some(p), _) => (p, Because::Pronoun),
                    (_, _, Some(sec)) => (sec, Because::Section),
                    _ => (SentenceRole::Neither, Because::Nothing),
                },
            };
            previous = Some(role);
            out.push(Attributed { start: s.start, end: s.end, role, because });
        }
        let Some(&last) = out.last() else { break };
        if heading {
            section = (last.because == Because::Named).then_some(last.role);
        } else if text[line_start..line_end].ends_with(':') && last.because == Because::Named {
            section = Some(last.role);
        }
        k = group_end;
    }
    out
}

fn word_count(text: &str, range: Range<usize>) -> usize {
    let mut tokens = Vec::new();
    tokenize(text, range, &mut tokens);
    tokens.len()
}

/// Whether the line starting at `line_start` of the normalised text is a list item: the
/// source bytes skipped between it and the previous line hold a bullet, a "1." or a `<li>`.
fn is_list_item(norm: &Normalized, source: &str, line_start: usize) -> bool {
    // The normaliser gives a `\n` the origin of the character after it, so the gap starts
    // after the previous line's last character.
    let text = &norm.text;
    let from = match text[..line_start].rfind('\n') {
        Some(nl) if nl > 0 => {
            let last_len = text[..nl].chars().next_back().map_or(1, char::len_utf8);
            let o = norm.origin_of(nl - last_len);
            o + source.get(o..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8)
        }
        _ => 0,
    };
    let gap = source.get(from..norm.origin_of(line_start)).unwrap_or("");
    let numbered = gap.trim_end().strip_suffix(['.', ')']).is_some_and(|g| g.ends_with(|c: char| c.is_ascii_digit()));
    gap.contains(BULLET_MARKERS) || gap.to_ascii_lowercase().contains("<li") || numbered
}

/// The role(s) named inside `range` of the normalised text, by rule 1.
fn named_role(finder: &RoleFinder, role_hits: &[Hit], range: Range<usize>) -> Option<SentenceRole> {
    let (mut pm, mut po, mut other) = (false, false, false);
    for h in role_hits.iter().filter(|h| h.start as usize >= range.start && h.end as usize <= range.end) {
        match finder.role(h) {
            Role::Pm => pm = true,
            Role::Po => po = true,
            Role::Hybrid => (pm, po) = (true, true),
            Role::Other => other = true,
            Role::Unknown => {}
        }
    }
    match (pm, po, other) {
        (true, true, _) => Some(SentenceRole::Both),
        (true, false, _) => Some(SentenceRole::Pm),
        (false, true, _) => Some(SentenceRole::Po),
        (false, false, true) => Some(SentenceRole::Neither),
        (false, false, false) => None,
    }
}

/// Body cells of comparison tables, as byte ranges of the normalised text, with the role
/// their column's header names. Only columns headed by exactly one of the two roles count.
fn table_cells(norm: &Normalized, source: &str, finder: &RoleFinder) -> Vec<(Range<usize>, SentenceRole)> {
    let mut out = Vec::new();
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut at = 0;
    for l in source.split_inclusive('\n') {
        lines.push(at..at + l.trim_end().len());
        at += l.len();
    }
    let is_table_line = |r: &Range<usize>| {
        let t = source[r.clone()].trim();
        !t.is_empty() && (t.starts_with('|') || t.ends_with('|'))
    };
    let mut i = 0;
    while i < lines.len() {
        let len = lines[i..].iter().take_while(|r| is_table_line(r)).count();
        if len >= 2 {
            let rows = table_rows(source, &lines[i..i + len]);
            if let Some((header, body)) = rows.split_first() {
                let roles: Vec<Option<SentenceRole>> = header.iter().map(|c| cell_role(source, c, finder)).collect();
                if roles.iter().any(Option::is_some) {
                    for row in body {
                        for (cell, role) in row.iter().zip(&roles) {
                            if let Some(role) = role {
                                let start = norm.origin.partition_point(|&o| (o as usize) < cell.start);
                                let end = norm.origin.partition_point(|&o| (o as usize) < cell.end);
                                out.push((start..end, *role));
                            }
                        }
                    }
                }
            }
        }
        i += len.max(1);
    }
    out
}

/// The rows of a table block, each a list of cell ranges (trimmed) in `source`.
fn table_rows(source: &str, lines: &[Range<usize>]) -> Vec<Vec<Range<usize>>> {
    let trimmed = |r: Range<usize>| {
        let t = &source[r.clone()];
        let lead = t.len() - t.trim_start().len();
        r.start + lead..r.start + lead + t.trim().len()
    };
    let markdown = lines.iter().all(|r| source[r.clone()].trim_start().starts_with('|'));
    let mut rows = Vec::new();
    if markdown {
        for r in lines {
            let line = &source[r.clone()];
            if line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t')) {
                continue; // the |---|---| separator
            }
            let bars: Vec<usize> = line.match_indices('|').map(|(k, _)| r.start + k).collect();
            rows.push(bars.windows(2).map(|w| trimmed(w[0] + 1..w[1])).collect());
        }
    } else {
        let mut row = Vec::new();
        for r in lines {
            let t = trimmed(r.clone());
            if &source[t.clone()] == "|" {
                if !row.is_empty() {
                    rows.push(std::mem::take(&mut row));
                }
            } else {
                let cell = &source[t.clone()];
                let body = cell.strip_suffix('|').unwrap_or(cell).trim_end();
                row.push(trimmed(t.start..t.start + body.len()));
            }
        }
        if !row.is_empty() {
            rows.push(row);
        }
    }
    rows
}

/// The role a table header cell names, if it names exactly one of PM and PO.
fn cell_role(source: &str, cell: &Range<usize>, finder: &RoleFinder) -> Option<SentenceRole> {
    let text = &source[cell.clone()];
    let mut norm = Normalized::new();
    normalize_into(text, &mut norm);
    let mut hits = Vec::new();
    finder.find(&norm, text, &mut hits);
    named_role(finder, &hits, 0..norm.text.len()).filter(|r| matches!(r, SentenceRole::Pm | SentenceRole::Po))
}

/// `s` cut where a table cell starts or ends inside it, so no piece spans two cells.
fn split_at_cells(text: &str, s: &Sentence, cells: &[(Range<usize>, SentenceRole)]) -> Vec<Sentence> {
    let mut cuts: Vec<usize> =
        cells.iter().flat_map(|(c, _)| [c.start, c.end]).filter(|&k| k > s.start && k < s.end).collect();
    if cuts.is_empty() {
        return vec![*s];
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut pieces = Vec::new();
    let mut from = s.start;
    for to in cuts.into_iter().chain([s.end]) {
        let Some(piece) = text.get(from..to) else { continue };
        let lead = piece.len() - piece.trim_start().len();
        if !piece.trim().is_empty() {
            pieces.push(Sentence { start: from + lead, end: from + lead + piece.trim().len(), line: s.line });
        }
        from = to;
    }
    pieces
}

fn starts_with_pronoun(text: &str, s: &Sentence) -> bool {
    let mut tokens = Vec::new();
    tokenize(text, s.start..s.end, &mut tokens);
    tokens.iter().take(PRONOUN_REACH).any(|t| PRONOUNS.contains(&&text[t.start..t.end]))
}

/// What was mined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Comparison articles: PM sentences against PO sentences.
    Articles,
    /// Labelled postings: pm against po, and other against product.
    Postings,
}

impl Mode {
    /// Names of the four classes counted, in index order.
    pub fn class_names(self) -> [&'static str; 4] {
        match self {
            Mode::Articles => ["pm", "po", "both", "neither"],
            Mode::Postings => ["pm", "po", "hybrid", "other"],
        }
    }
}

/// Class indexes (see [`Mode::class_names`]): pm, po, then both or hybrid, then neither or other.
const PM: usize = 0;
const PO: usize = 1;
const HYBRID: usize = 2;
const OTHER: usize = 3;

/// An occurrence shown to the reviewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The document it is from.
    pub document: String,
    /// At most [`EXAMPLE_MAX_WORDS`] words around the phrase, "…" where cut.
    pub context: String,
}

/// One proposed entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The phrase, normalised.
    pub phrase: String,
    /// `Duty` (pm vs po) or `Other` (other vs product, postings only).
    pub kind: Kind,
    /// Suggested strategic weight (duties).
    pub strategic: f32,
    /// Suggested roadmap weight (duties).
    pub roadmap: f32,
    /// Suggested other-role weight (kind other).
    pub other: f32,
    /// z of pm (> 0) against po (< 0).
    pub z_pm_po: f64,
    /// Postings only: z of other (> 0) against product (< 0).
    pub z_other: Option<f64>,
    /// Occurrences per class (see [`Mode::class_names`]).
    pub counts: [u32; 4],
    /// Documents it occurs in.
    pub documents: usize,
    /// Source names: the articles it occurs in, or the postings file.
    pub sources: Vec<String>,
    /// Up to two contexts from the side it leans to.
    pub examples: Vec<Example>,
}

impl Candidate {
    /// The z that decided the candidate: other-vs-product for kind other, else pm-vs-po.
    pub fn deciding_z(&self) -> f64 {
        match (self.kind, self.z_other) {
            (Kind::Other, Some(z)) => z,
            _ => self.z_pm_po,
        }
    }

    /// The class its examples come from.
    fn side(&self) -> usize {
        match self.kind {
            Kind::Other => OTHER,
            _ if self.z_pm_po > 0.0 => PM,
            _ => PO,
        }
    }
}

/// The result of a mining run.
#[derive(Debug, Clone)]
pub struct Mined {
    /// Articles or postings.
    pub mode: Mode,
    /// Names of the documents used, in reading order.
    pub documents: Vec<String>,
    /// Sentences (articles) or postings per class.
    pub class_sizes: [usize; 4],
    /// N-grams that passed every threshold, before `top`.
    pub passed: usize,
    /// The candidates, strongest first.
    pub candidates: Vec<Candidate>,
    /// Postings skipped (label not pm, po, hybrid or other).
    pub skipped: Vec<Problem>,
    /// The thresholds used.
    pub options: MineOptions,
}

/// Counts of one n-gram.
#[derive(Debug, Clone)]
struct GramCount {
    order: usize,
    counts: [u32; 4],
    docs: Vec<u32>,
}

/// One n-gram occurrence as the walk sees it.
struct GramAt<'a> {
    doc: usize,
    class: usize,
    text: &'a str,
    tokens: &'a [Token],
    first: usize,
    last: usize,
}

impl GramAt<'_> {
    fn phrase(&self) -> &str {
        &self.text[self.tokens[self.first].start..self.tokens[self.last].end]
    }
}

/// Visit every n-gram occurrence of every document with its class, and return the number
/// of sentences per class. `classes[d]` is the class of posting `d` (postings) and ignored
/// for articles, whose sentences are attributed.
fn walk(
    docs: &[Document],
    mode: Mode,
    classes: &[Option<usize>],
    finder: &RoleFinder,
    max_order: usize,
    f: &mut dyn FnMut(GramAt<'_>),
) -> [usize; 4] {
    let mut sentences_per_class = [0; 4];
    let mut norm = Normalized::new();
    let (mut hits, mut spans, mut tokens, mut masked, mut sentences) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (d, doc) in docs.iter().enumerate() {
        let doc_class = classes.get(d).copied().flatten();
        if mode == Mode::Postings && doc_class.is_none() {
            continue;
        }
        normalize_into(&doc.text, &mut norm);
        finder.find(&norm, &doc.text, &mut hits);
        spans.clear();
        spans.extend(hits.iter().map(|h| h.start as usize..h.end as usize));
        let units: Vec<(Range<usize>, usize)> = match mode {
            Mode::Articles => attribute(&norm, &doc.text, finder, &hits)
                .into_iter()
                .map(|a| (a.start..a.end, a.role as usize))
                .collect(),
            Mode::Postings => {
                split_sentences(&norm.text, &mut sentences);
                sentences.iter().map(|s| (s.start..s.end, doc_class.unwrap_or(OTHER))).collect()
            }
        };
        for (range, class) in units {
            sentences_per_class[class] += 1;
            tokens.clear();
            tokenize(&norm.text, range, &mut tokens);
            mask_tokens(&tokens, &spans, &mut masked);
            for_each_gram(&norm.text, &tokens, &masked, max_order, |first, last| {
                f(GramAt { doc: d, class, text: &norm.text, tokens: &tokens, first, last })
            });
        }
    }
    sentences_per_class
}

/// Mine comparison articles: PM sentences against PO sentences.
pub fn mine_articles(docs: &[Document], lexicon: &Lexicon, options: &MineOptions) -> Result<Mined, ToolError> {
    mine(docs, Mode::Articles, &[], &RoleFinder::new(lexicon)?, options, None)
}

/// Mine labelled postings (labels as [`Label::parse`] reads them); `source_name` names the
/// file in the candidates' `sources`.
pub fn mine_postings(
    docs: &[Document],
    source_name: &str,
    lexicon: &Lexicon,
    options: &MineOptions,
) -> Result<Mined, ToolError> {
    let mut skipped = Vec::new();
    let classes: Vec<Option<usize>> = docs
        .iter()
        .map(|d| {
            let label = d.label.as_deref().and_then(Label::parse);
            if label.is_none() {
                let message =
                    format!("label {:?} is not pm, po, hybrid or other; skipped", d.label.as_deref().unwrap_or(""));
                skipped.push(Problem { place: d.name.clone(), message });
            }
            label.map(|l| match l {
                Label::Pm => PM,
                Label::Po => PO,
                Label::Hybrid => HYBRID,
                Label::Other => OTHER,
            })
        })
        .collect();
    let mut mined = mine(docs, Mode::Postings, &classes, &RoleFinder::new(lexicon)?, options, Some(source_name))?;
    mined.skipped = skipped;
    Ok(mined)
}

/// Both modes: count, score, filter, rank, then collect examples for the candidates kept.
/// `classes` are the postings' classes (empty for articles); `source_name` the postings file.
fn mine(
    docs: &[Document],
    mode: Mode,
    classes: &[Option<usize>],
    finder: &RoleFinder,
    options: &MineOptions,
    source_name: Option<&str>,
) -> Result<Mined, ToolError> {
    let max_order = options.max_order.clamp(1, MAX_ORDER);
    // Pass 1: counts per n-gram and totals per n-gram length.
    let mut table: HashMap<String, GramCount> = HashMap::new();
    let mut totals = [[0u64; 4]; MAX_ORDER + 1];
    let sentences = walk(docs, mode, classes, finder, max_order, &mut |g| {
        let order = g.last - g.first + 1;
        totals[order][g.class] += 1;
        let phrase = g.phrase();
        if !table.contains_key(phrase) {
            table.insert(phrase.to_string(), GramCount { order, counts: [0; 4], docs: Vec::new() });
        }
        if let Some(c) = table.get_mut(phrase) {
            c.counts[g.class] += 1;
            if c.docs.last() != Some(&(g.doc as u32)) {
                c.docs.push(g.doc as u32);
            }
        }
    });

    // Score and filter.
    let mut eligible: HashMap<&str, Candidate> = HashMap::new();
    for (phrase, c) in &table {
        if c.docs.len() < options.min_docs {
            continue;
        }
        let n = totals[c.order].map(|t| t as f64);
        let y = c.counts.map(f64::from);
        let prior = Prior::pooled(y.iter().sum(), n.iter().sum(), options.prior_scale);
        let z_pm_po = log_odds(y[PM], n[PM], y[PO], n[PO], prior).z;
        let z_other = (mode == Mode::Postings).then(|| {
            let (y_product, n_product) = (y[PM] + y[PO] + y[HYBRID], n[PM] + n[PO] + n[HYBRID]);
            log_odds(y[OTHER], n[OTHER], y_product, n_product, prior).z
        });
        let in_pm_po = c.counts[PM] + c.counts[PO];
        let all: u32 = c.counts.iter().sum();
        let (kind, strategic, roadmap, other) = match z_other {
            Some(zo) if zo >= options.min_z && zo >= z_pm_po.abs() && all >= options.min_count => {
                (Kind::Other, 0.0, 0.0, weight(zo))
            }
            _ if z_pm_po.abs() >= options.min_z && in_pm_po >= options.min_count => {
                let w = weight(z_pm_po);
                (Kind::Duty, w, w, 0.0)
            }
            _ => continue,
        };
        let sources = match source_name {
            Some(s) => vec![s.to_string()],
            None => c.docs.iter().map(|&d| docs[d as usize].name.clone()).collect(),
        };
        eligible.insert(
            phrase,
            Candidate {
                phrase: phrase.clone(),
                kind,
                strategic,
                roadmap,
                other,
                z_pm_po,
                z_other,
                counts: c.counts,
                documents: c.docs.len(),
                sources,
                examples: Vec::new(),
            },
        );
    }
    let redundant = redundant(&eligible);
    let mut candidates: Vec<Candidate> =
        eligible.into_values().filter(|c| !redundant.contains(c.phrase.as_str())).collect();
    let passed = candidates.len();
    candidates.sort_by(|a, b| b.deciding_z().abs().total_cmp(&a.deciding_z().abs()).then(a.phrase.cmp(&b.phrase)));
    candidates.truncate(options.top);

    // Pass 2: examples for the candidates kept.
    let index: HashMap<String, usize> = candidates.iter().enumerate().map(|(i, c)| (c.phrase.clone(), i)).collect();
    let mut fallback: Vec<Option<Example>> = vec![None; candidates.len()];
    walk(docs, mode, classes, finder, max_order, &mut |g| {
        let Some(&i) = index.get(g.phrase()) else { return };
        let c = &mut candidates[i];
        if g.class != c.side() || c.examples.len() >= EXAMPLES {
            return;
        }
        let example = Example { document: docs[g.doc].name.clone(), context: context(&g) };
        if c.examples.iter().all(|e| e.document != example.document) {
            c.examples.push(example);
        } else if fallback[i].is_none() {
            fallback[i] = Some(example);
        }
    });
    for (c, extra) in candidates.iter_mut().zip(fallback) {
        if c.examples.len() < EXAMPLES {
            c.examples.extend(extra);
        }
    }
    let (documents, class_sizes) = match mode {
        Mode::Articles => (docs.iter().map(|d| d.name.clone()).collect(), sentences),
        Mode::Postings => {
            let mut sizes = [0; 4];
            classes.iter().flatten().for_each(|&c| sizes[c] += 1);
            let used = docs.iter().zip(classes).filter(|(_, c)| c.is_some()).map(|(d, _)| d.name.clone()).collect();
            (used, sizes)
        }
    };
    Ok(Mined { mode, documents, class_sizes, passed, candidates, skipped: Vec::new(), options: options.clone() })
}

/// Suggested weight for a z: `clamp(z / Z_FULL, −1, 1)` to one decimal, at least
/// [`MIN_WEIGHT`] in size.
pub fn weight(z: f64) -> f32 {
    let w = ((z / Z_FULL).clamp(-1.0, 1.0) * 10.0).round() / 10.0;
    (w.abs().max(MIN_WEIGHT).copysign(z)) as f32
}

/// Share of a phrase's sightings inside one longer candidate at which the shorter phrase
/// adds nothing for a reviewer: "stories" is 11 of 12 times part of "user stories", while
/// "backlog" stands on its own often enough (8 of 21) to stay beside "product backlog".
pub const SUBSUMED_SHARE: f64 = 0.8;

/// N-grams to drop because a longer n-gram of `grams` that contains them (whole words)
/// holds at least [`SUBSUMED_SHARE`] of their sightings; `count` reads the sightings from
/// the map's values.
pub fn redundant_sub_grams<K: Borrow<str> + Eq + Hash, V>(
    grams: &HashMap<K, V>,
    count: impl Fn(&V) -> f64,
) -> HashSet<String> {
    let mut drop = HashSet::new();
    for (phrase, value) in grams {
        let words: Vec<&str> = phrase.borrow().split(' ').collect();
        for a in 0..words.len() {
            for b in a..words.len() {
                if b - a + 1 == words.len() {
                    continue;
                }
                let sub = words[a..=b].join(" ");
                if grams.get(sub.as_str()).is_some_and(|inner| count(value) >= SUBSUMED_SHARE * count(inner)) {
                    drop.insert(sub);
                }
            }
        }
    }
    drop
}

/// Candidates to drop: sub-grams as [`redundant_sub_grams`], and the British spelling of a
/// phrase whose American spelling is also a candidate (the lexicon generates it).
fn redundant(eligible: &HashMap<&str, Candidate>) -> HashSet<String> {
    let mut drop = redundant_sub_grams(eligible, |c| c.counts.iter().map(|&n| f64::from(n)).sum());
    drop.extend(eligible.keys().filter_map(|p| variants::british(p)).filter(|gb| eligible.contains_key(gb.as_str())));
    drop
}

/// A few words around an occurrence, inside its sentence.
fn context(g: &GramAt<'_>) -> String {
    let order = g.last - g.first + 1;
    let side = EXAMPLE_MAX_WORDS.saturating_sub(order) / 2;
    let lo = g.first.saturating_sub(side);
    let hi = (g.last + side).min(g.tokens.len() - 1);
    let words: Vec<&str> = g.tokens[lo..=hi].iter().map(|t| &g.text[t.start..t.end]).collect();
    format!("{}{}{}", if lo > 0 { "… " } else { "" }, words.join(" "), if hi + 1 < g.tokens.len() { " …" } else { "" })
}

/// How the lexicon already covers a phrase, for the reviewer: an entry matching the whole
/// phrase, entries matching parts of it, or nothing.
pub fn coverage(phrase: &str, lexicon: &Lexicon, matcher: &Matcher) -> String {
    let mut norm = Normalized::new();
    normalize_into(phrase, &mut norm);
    let mut hits = Vec::new();
    matcher.find_into(&norm, phrase, &mut hits);
    let name = |h: &Hit| {
        let e = &lexicon.entries[h.entry as usize];
        format!("entry '{}' (line {})", e.id, e.line)
    };
    match hits.as_slice() {
        [] => "none".to_string(),
        [h] if h.start == 0 && h.end as usize == norm.text.len() => format!("exact, {}", name(h)),
        _ => {
            let parts: Vec<String> = hits
                .iter()
                .map(|h| format!("\"{}\" is {}", &norm.text[h.start as usize..h.end as usize], name(h)))
                .collect();
            format!("partial, {}", parts.join("; "))
        }
    }
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// An entry id for a phrase: `mined-` and the phrase in kebab case.
fn id_for(phrase: &str, taken: &mut HashSet<String>) -> String {
    let mut slug = String::from("mined");
    for part in phrase.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()) {
        slug.push('-');
        slug.push_str(part);
    }
    let mut id = slug.clone();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{slug}-{n}");
        n += 1;
    }
    id
}

/// The candidates as a lexicon-format TOML file: a `[lexicon]` table and one `[[entry]]`
/// per candidate with `provenance = "mined"`, its z-scores, counts and documents in `why`,
/// and, as comments, two example contexts and how `lexicon` already covers the phrase. It
/// loads as a lexicon, so `jdclass lexicon check` and `--lexicon` work on it.
pub fn render_toml(mined: &Mined, lexicon: &Lexicon, matcher: &Matcher) -> String {
    let o = &mined.options;
    let names = mined.mode.class_names();
    let mut s = String::new();
    let what = match mined.mode {
        Mode::Articles => "articles",
        Mode::Postings => "postings",
    };
    let _ = writeln!(s, "# Candidate lexicon entries mined by `jdclass lexicon mine`. Review each one before it");
    let _ = writeln!(s, "# goes into a lexicon: see lexicon/README.md.");
    let _ = writeln!(s, "# lexicon: {} {} (hash {})", lexicon.id.name, lexicon.id.version, lexicon.id.hash);
    match mined.mode {
        Mode::Articles => {
            let _ = writeln!(s, "# input: {} articles: {}", mined.documents.len(), mined.documents.join(", "));
        }
        Mode::Postings => {
            let _ =
                writeln!(s, "# input: {} labelled postings ({} skipped)", mined.documents.len(), mined.skipped.len());
        }
    }
    let sizes: Vec<String> = names.iter().zip(mined.class_sizes).map(|(n, c)| format!("{n} {c}")).collect();
    let unit = if mined.mode == Mode::Articles { "sentences" } else { "postings" };
    let _ = writeln!(s, "# {unit}: {}", sizes.join(", "));
    let contrast = match mined.mode {
        Mode::Articles => "pm sentences (z > 0) against po sentences (z < 0)",
        Mode::Postings => "pm (z > 0) against po (z < 0); kind other: other (z > 0) against pm+po+hybrid",
    };
    let _ = writeln!(s, "# contrast: {contrast}");
    let _ = writeln!(
        s,
        "# method: 1-{}-word n-grams, weighted log-odds z with an informative Dirichlet prior (scale {})",
        o.max_order.clamp(1, MAX_ORDER),
        o.prior_scale
    );
    let _ = writeln!(
        s,
        "# kept: {} of {} n-grams with count >= {}, documents >= {}, |z| >= {}",
        mined.candidates.len(),
        mined.passed,
        o.min_count,
        o.min_docs,
        o.min_z
    );
    let _ =
        writeln!(s, "# weights: strategic = roadmap = clamp(z / {Z_FULL}, -1, 1), other = clamp(z / {Z_FULL}, 0, 1);");
    let _ = writeln!(s, "# a mined z says which side a phrase leans to, not which axis: split it by hand.");
    let _ = writeln!(s);
    let _ = writeln!(s, "[lexicon]");
    let _ = writeln!(s, "name = \"mined-candidates\"");
    let _ = writeln!(s, "version = \"0\"");
    let _ = writeln!(
        s,
        "description = {}",
        toml_str(&format!("Candidates mined from {} {what}; review before use", mined.documents.len()))
    );
    let mut taken = HashSet::new();
    for c in &mined.candidates {
        let _ = writeln!(s);
        let _ = writeln!(s, "[[entry]]");
        let _ = writeln!(s, "id = {}", toml_str(&id_for(&c.phrase, &mut taken)));
        let _ = writeln!(s, "kind = \"{}\"", if c.kind == Kind::Other { "other" } else { "duty" });
        let _ = writeln!(s, "phrases = [{}]", toml_str(&c.phrase));
        if c.kind == Kind::Other {
            let _ = writeln!(s, "other = {:.1}", c.other);
        } else {
            let _ = writeln!(s, "strategic = {:.1}", c.strategic);
            let _ = writeln!(s, "roadmap = {:.1}", c.roadmap);
        }
        let sources: Vec<String> = c.sources.iter().map(|x| toml_str(x)).collect();
        let _ = writeln!(s, "sources = [{}]", sources.join(", "));
        let _ = writeln!(s, "provenance = \"mined\"");
        let counts: Vec<String> = names.iter().zip(c.counts).map(|(n, k)| format!("{n} {k}")).collect();
        let docs = format!(
            "{} of {} {}",
            c.documents,
            mined.documents.len(),
            if mined.mode == Mode::Articles { "articles" } else { "postings" }
        );
        let why = match c.z_other {
            Some(zo) => {
                format!("z = {:+.2} pm vs po, {zo:+.2} other vs product; {}; {docs}", c.z_pm_po, counts.join(", "))
            }
            None => format!("z = {:+.2} pm vs po; {}; {docs}", c.z_pm_po, counts.join(", ")),
        };
        let _ = writeln!(s, "why = {}", toml_str(&why));
        for e in &c.examples {
            let _ = writeln!(s, "# e.g. {} ({})", toml_str(&e.context), e.document);
        }
        let _ = writeln!(s, "# coverage: {}", coverage(&c.phrase, lexicon, matcher));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributed(text: &str) -> Vec<(String, SentenceRole, Because)> {
        let lexicon = Lexicon::embedded();
        let finder = RoleFinder::new(&lexicon).unwrap();
        let mut norm = Normalized::new();
        normalize_into(text, &mut norm);
        let mut hits = Vec::new();
        finder.find(&norm, text, &mut hits);
        attribute(&norm, text, &finder, &hits)
            .into_iter()
            .map(|a| (norm.text[a.start..a.end].to_string(), a.role, a.because))
            .collect()
    }

    #[test]
    fn sentence_roles_follow_names_pronouns_and_sections() {
        use Because::*;
        use SentenceRole::*;
        let text = "\
## What does a Product Owner do?
The PO's day is the backlog. They write user stories. Refinement happens weekly.

Responsibilities of a Product Manager
* Setting the vision
* Talking to customers.

In short, PMs look outward while POs look inward. The scrum master runs the stand-up.
A good product manager spends time on:
* pricing
Key facts
Budgets are set yearly.";
        let want = [
            ("what does a product owner do?", Po, Named),
            ("the po's day is the backlog.", Po, Named),
            ("they write user stories.", Po, Pronoun),
            ("refinement happens weekly.", Po, Section),
            ("responsibilities of a product manager", Pm, Named),
            ("setting the vision", Pm, Section),
            ("talking to customers.", Pm, Section),
            ("in short, pms look outward while pos look inward.", Both, Named),
            ("the scrum master runs the stand up.", Neither, Named),
            ("a good product manager spends time on:", Pm, Named),
            ("pricing", Pm, Section),
            ("key facts", Neither, Nothing),
            ("budgets are set yearly.", Neither, Nothing),
        ];
        let got = attributed(text);
        let got: Vec<(&str, SentenceRole, Because)> = got.iter().map(|(s, r, b)| (s.as_str(), *r, *b)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn weights_map_z_linearly_and_never_to_zero() {
        let cases = [(8.0, 1.0), (4.0, 1.0), (2.0, 0.5), (-1.2, -0.3), (0.1, 0.1), (-0.1, -0.1), (-9.0, -1.0)];
        for (z, w) in cases {
            assert_eq!(weight(z), w, "z = {z}");
        }
    }

    #[test]
    fn ids_are_kebab_case_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(id_for("user stories", &mut taken), "mined-user-stories");
        assert_eq!(id_for("p&l", &mut taken), "mined-p-l");
        assert_eq!(id_for("p l", &mut taken), "mined-p-l-2");
        assert_eq!(id_for("team's backlog", &mut taken), "mined-team-s-backlog");
    }

    #[test]
    fn coverage_names_exact_partial_and_missing() {
        let lexicon = Lexicon::embedded();
        let matcher = Matcher::new(&lexicon).unwrap();
        assert!(coverage("product backlog", &lexicon, &matcher).starts_with("exact, entry 'product-backlog'"));
        let partial = coverage("weekly roadmap review", &lexicon, &matcher);
        assert!(partial.starts_with("partial, \"roadmap\" is entry 'roadmap'"), "{partial}");
        assert_eq!(coverage("zebra crossing", &lexicon, &matcher), "none");
    }
}
