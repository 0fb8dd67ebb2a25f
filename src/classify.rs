//! The classifier: a lexicon and its matcher, built once, then `classify` per posting.
//! `Classifier` is `Sync`; share one by reference across threads and give each thread
//! its own [`Scratch`] so the hot loop reuses its buffers.

use crate::context::{Effect, Layout, Reading, Section};
use crate::duties::{self, DutyKind, DutySummary, Statement};
use crate::error::LexiconError;
use crate::lexicon::{Kind, Lexicon};
use crate::matcher::{Hit, Matcher};
use crate::names;
use crate::normalize::{normalize_into, Normalized};
use crate::score::{decide, effective_weights, judge, saturate, section_weight, Pulls};
use crate::verdict::{round3, Duty, Evidence, Mass, Scores, Side, TitleEvidence, Verdict};
use crate::written::{as_written, push_as_written};

/// Characters of context shown on each side of a phrase.
const SNIPPET_CONTEXT: usize = 40;

/// The longest text one verdict reads. Offsets into a posting are `u32`, and
/// normalising can lengthen a text (a capital glued to a word gains a break, some
/// capitals lowercase to longer characters: under 2x), so 1 GiB keeps every offset in
/// range. A longer text is read up to this many bytes (at a character boundary); the
/// CLI's `--max-bytes` refuses sizes above it.
pub const MAX_POSTING_BYTES: usize = 1 << 30;

/// `text` cut to at most `limit` bytes, at a character boundary.
fn within(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
/// Occurrences of one entry listed as evidence. Scoring counts every hit; the list
/// stops here so a huge or repetitive input cannot produce a huge verdict.
pub const EVIDENCE_PER_TERM: u32 = 10;

/// Number of [`Effect`] variants (slots per entry in `Scratch::total_index`).
const EFFECTS: usize = 8;

fn effect_slot(effect: Effect) -> usize {
    match effect {
        Effect::Counted => 0,
        Effect::Negated => 1,
        Effect::Attributed => 2,
        Effect::Contribution => 3,
        Effect::Facilitated => 4,
        Effect::Title => 5,
        Effect::Name => 6,
        Effect::Future => 7,
    }
}

/// Reusable per-thread buffers.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: Normalized,
    hits: Vec<Hit>,
    layout: Layout,
    readings: Vec<Reading>,
    /// Per (entry, effect): total multiplier of its hits, and of its owned hits.
    totals: Vec<(u32, Effect, f64, f64)>,
    /// Per (entry, effect) slot: 1 + its index in `totals` (0: none yet), so adding a
    /// hit costs one lookup however many distinct entries a posting hits.
    total_index: Vec<u32>,
    line_starts: Vec<usize>,
    /// Per entry: occurrences listed so far in this posting.
    listed: Vec<u32>,
    /// Statement byte ranges and the statements read from them.
    ranges: Vec<(u32, u32)>,
    statements: Vec<Statement>,
    /// Per entry: 1 + its index in the brief's ranking (0: not ranked yet).
    best_index: Vec<u32>,
}

impl Scratch {
    /// Empty buffers.
    pub fn new() -> Self {
        Self::default()
    }
}

/// A lexicon compiled for matching.
#[derive(Debug, Clone)]
pub struct Classifier {
    lexicon: Lexicon,
    matcher: Matcher,
}

impl Classifier {
    /// Compile a lexicon.
    pub fn new(lexicon: Lexicon) -> Result<Self, LexiconError> {
        let matcher = Matcher::new(&lexicon)?;
        Ok(Classifier { lexicon, matcher })
    }

    /// The classifier for the lexicon compiled into the binary.
    pub fn embedded() -> Self {
        Self::new(Lexicon::embedded()).expect("the embedded lexicon compiles (checked by tests)")
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The compiled matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Classify one posting (allocates fresh buffers; see [`Classifier::classify_with`]).
    pub fn classify(&self, text: &str) -> Verdict {
        self.classify_with(text, &mut Scratch::new())
    }

    /// Normalise, match, read every hit in context and add up the pulls: the part
    /// every entry point shares. Leaves the hits and their readings in `scratch`.
    fn analyse(&self, text: &str, scratch: &mut Scratch) -> (Pulls, DutySummary) {
        let Scratch { norm, hits, layout, readings, totals, total_index, ranges, statements, .. } = scratch;
        normalize_into(text, norm);
        // One word split serves the matcher and the context rules.
        layout.split(&norm.text);
        self.matcher.find_with(norm, text, layout.words(), hits);
        layout.build_split(&norm.text, &self.lexicon, hits);
        // A role name only ever counts as title evidence, and whether it stands in the
        // title is known from the layout alone: skip the context rules for it.
        let title_end = layout.title_end().unwrap_or(0);
        readings.clear();
        for (k, h) in hits.iter().enumerate() {
            let reading = if self.lexicon.entries[h.entry as usize].kind == Kind::Role {
                let in_title = (h.start as usize) < title_end;
                Reading {
                    effect: if in_title { Effect::Title } else { Effect::Counted },
                    section: if in_title { Section::Title } else { Section::Intro },
                    attributed_to: None,
                    owned: false,
                }
            } else {
                layout.read(&norm.text, &self.lexicon, hits, k, readings)
            };
            readings.push(reading);
        }
        // "Launch Orchard is a media company": a capitalised name is not a duty.
        names::mark(norm, text, layout.words().words(), &self.lexicon, hits, readings);
        // Statements whose subject is someone else give their phrases to that person.
        duties::read(&norm.text, &self.lexicon, hits, layout, readings, ranges, statements);
        // Sum multipliers per (entry, effect), then saturate each sum.
        totals.clear();
        // All zero between postings (the used slots are reset below), so a big lexicon
        // costs nothing per posting here.
        total_index.resize(self.lexicon.entries.len() * EFFECTS, 0);
        for (h, r) in hits.iter().zip(readings.iter()) {
            let m = section_weight(r.section);
            let owned = if r.owned { m } else { 0.0 };
            let slot = &mut total_index[h.entry as usize * EFFECTS + effect_slot(r.effect)];
            match *slot {
                0 => {
                    totals.push((h.entry, r.effect, m, owned));
                    *slot = totals.len() as u32;
                }
                at => {
                    let t = &mut totals[at as usize - 1];
                    t.2 += m;
                    t.3 += owned;
                }
            }
        }
        for &(entry, effect, ..) in totals.iter() {
            total_index[entry as usize * EFFECTS + effect_slot(effect)] = 0;
        }
        let mut pulls = Pulls::default();
        for &(entry, effect, total, owned) in totals.iter() {
            let e = &self.lexicon.entries[entry as usize];
            if e.kind == Kind::Role {
                continue;
            }
            let weights = effective_weights(effect, e.strategic as f64, e.roadmap as f64, e.other as f64);
            pulls.add(saturate(total), weights, e.anchor, saturate(owned));
        }
        let summary = duties::tally(&self.lexicon, hits, readings, statements);
        (pulls, summary)
    }

    /// What the verdict on `text` decides, without its evidence: its label, masses and
    /// duty tally, equal to those of [`Classifier::classify_with`]. For callers that
    /// read a posting many times over and weigh only these (the edit search of
    /// `check` re-reads each edited draft): listing the evidence, with its text and
    /// snippets, makes a verdict take about 1.5× as long on a median posting and 2-3×
    /// on a long one with many phrases.
    pub fn standing(&self, text: &str, scratch: &mut Scratch) -> Standing {
        let text = within(text, MAX_POSTING_BYTES);
        let (pulls, duty_summary) = self.analyse(text, scratch);
        Standing { label: judge(&pulls, &duty_summary).label, mass: Mass::of(&pulls), duty_summary }
    }

    /// Classify one posting reusing `scratch`.
    pub fn classify_with(&self, text: &str, scratch: &mut Scratch) -> Verdict {
        let text = within(text, MAX_POSTING_BYTES);
        let (pulls, summary) = self.analyse(text, scratch);
        let Scratch { norm, hits, layout, readings, line_starts, listed, statements, .. } = scratch;
        let decision = decide(&pulls, &summary);

        line_starts.clear();
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        // Sized once: grown by doubling, a vector of these 200-byte records is copied
        // five times over for a typical posting.
        let mut evidence = Vec::with_capacity(listed_hits(hits, readings, listed, self.lexicon.entries.len()).count());
        let mut discounted = Vec::new();
        let mut title_evidence = Vec::new();
        // Listed hits come in text order: count columns on from the previous one on the
        // same line instead of from the line start (a one-line 1 MiB posting would
        // otherwise cost a line's length per hit).
        let mut cursor = (0usize, 0usize, 1usize); // (line, offset, column)
        for (h, r) in listed_hits(hits, readings, listed, self.lexicon.entries.len()) {
            let e = &self.lexicon.entries[h.entry as usize];
            let (a, b) = input_span(norm, text, h.start as usize, h.end as usize);
            let phrase = as_written(text.get(a..b).unwrap_or_default(), norm.html);
            let line = line_starts.partition_point(|&s| s <= a);
            let from = if cursor.0 == line && cursor.1 <= a { cursor } else { (line, line_starts[line - 1], 1) };
            let column = match text.get(from.1..a) {
                Some(s) => {
                    let column = from.2 + s.chars().count();
                    cursor = (line, a, column);
                    column
                }
                None => 1,
            };
            if e.kind == Kind::Role {
                title_evidence.push(TitleEvidence {
                    term: e.id.clone(),
                    role: e.role.unwrap_or(crate::lexicon::Role::Unknown),
                    phrase,
                    in_title: r.section == crate::context::Section::Title,
                    line,
                    column,
                });
                continue;
            }
            let (s, rd, o) = effective_weights(r.effect, e.strategic as f64, e.roadmap as f64, e.other as f64);
            let side = if o > 0.0 {
                Side::Other
            } else if s == 0.0 && rd == 0.0 {
                Side::None
            } else if s >= 0.0 && rd >= 0.0 {
                Side::Pm
            } else if s <= 0.0 && rd <= 0.0 {
                Side::Po
            } else {
                Side::Mixed
            };
            let because = r.attributed_to.map(|j| {
                let rh = hits[j as usize];
                if rh.start == h.start {
                    // A passive agent that is not a role name ("set by leadership").
                    agent_after(&norm.text, h.end as usize).unwrap_or_else(|| "another role".into())
                } else {
                    let (ra, rb) = input_span(norm, text, rh.start as usize, rh.end as usize);
                    as_written(text.get(ra..rb).unwrap_or_default(), norm.html)
                }
            });
            // The name a word is part of, as written ("Launch Orchard").
            let because = because.or_else(|| {
                (r.effect == Effect::Name).then(|| {
                    let (a, b) = input_span(norm, text, h.start as usize, names::name_end(&norm.text, h.end as usize));
                    as_written(text.get(a..b).unwrap_or_default(), norm.html)
                })
            });
            // A statement's third-party subject ("the head of digital owns…").
            let because = because.or_else(|| {
                (r.effect == Effect::Attributed)
                    .then(|| statement_of(statements, h.start))
                    .flatten()
                    .and_then(|st| st.subject)
                    .map(|(a, b)| norm.text[a as usize..b as usize].to_string())
            });
            let ev = Evidence {
                term: e.id.clone(),
                phrase,
                kind: e.kind,
                side,
                strategic: round3(s),
                roadmap: round3(rd),
                other: round3(o),
                effect: r.effect,
                section: r.section,
                multiplier: section_weight(r.section),
                because,
                line,
                column,
                offset: a,
                len: b - a,
                snippet: snippet(norm, h.start as usize, h.end as usize, text),
            };
            if side == Side::None {
                discounted.push(ev);
            } else {
                evidence.push(ev);
            }
        }
        evidence.sort_by(|x, y| y.strength().total_cmp(&x.strength()).then(x.offset.cmp(&y.offset)));
        let title = layout.title_end().map(|end| norm.text[..end].trim().to_string());
        let mut duties = Vec::with_capacity(statements.iter().filter(|st| st.hire).count());
        duties.extend(statements.iter().filter(|st| st.hire).map(|st| {
            let (a, b) = trimmed_origin(norm, text, st.start as usize, st.end as usize);
            let line = line_starts.partition_point(|&s| s <= a);
            let mut terms: Vec<String> = Vec::new();
            for h in &hits[st.first_hit as usize..st.end_hit as usize] {
                let e = &self.lexicon.entries[h.entry as usize];
                if e.kind != Kind::Role && !terms.contains(&e.id) {
                    terms.push(e.id.clone());
                }
            }
            Duty {
                kind: st.kind,
                profile: if st.kind == DutyKind::Other { st.profile } else { None },
                text: as_written(&text[a..b], norm.html),
                line,
                offset: a,
                len: b - a,
                terms,
            }
        }));
        Verdict {
            label: decision.label,
            confidence: round3(decision.confidence),
            reliable: decision.confidence >= crate::score::RELIABLE_CONFIDENCE,
            reason: decision.reason,
            scores: Scores { strategic: round3(pulls.strategic_score()), roadmap: round3(pulls.roadmap_score()) },
            mass: Mass::of(&pulls),
            title,
            hits: hits.iter().filter(|h| self.lexicon.entries[h.entry as usize].kind != Kind::Role).count(),
            evidence,
            discounted,
            title_evidence,
            duties,
            duty_summary: summary,
            warnings: Vec::new(),
        }
    }
}

/// The deciding part of a verdict (see [`Classifier::standing`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// pm, po, hybrid or other: [`Verdict::label`].
    pub label: crate::score::Label,
    /// [`Verdict::mass`].
    pub mass: Mass,
    /// [`Verdict::duty_summary`].
    pub duty_summary: DutySummary,
}

/// The hits a verdict lists, with their readings: at most [`EVIDENCE_PER_TERM`]
/// occurrences of each entry, in text order. `listed` is per-entry scratch.
fn listed_hits<'a>(
    hits: &'a [Hit],
    readings: &'a [Reading],
    listed: &'a mut Vec<u32>,
    entries: usize,
) -> impl Iterator<Item = (&'a Hit, &'a Reading)> + 'a {
    listed.clear();
    listed.resize(entries, 0);
    hits.iter().zip(readings).filter(move |(h, _)| {
        let shown = &mut listed[h.entry as usize];
        *shown = shown.saturating_add(1);
        *shown <= EVIDENCE_PER_TERM
    })
}

/// The statement holding normalised byte `pos`.
fn statement_of(statements: &[Statement], pos: u32) -> Option<&Statement> {
    let i = statements.partition_point(|st| st.end <= pos);
    statements.get(i).filter(|st| st.start <= pos)
}

/// The input byte range of normalised `start..end`, without surrounding whitespace
/// and bullet marks, on character boundaries.
fn trimmed_origin(norm: &Normalized, text: &str, start: usize, end: usize) -> (usize, usize) {
    let t = norm.text.as_bytes();
    let (mut s, mut e) = (start, end);
    while s < e && !t[s].is_ascii_alphanumeric() && t[s] < 0x80 {
        s += 1;
    }
    while e > s && !t[e - 1].is_ascii_alphanumeric() && t[e - 1] < 0x80 {
        e -= 1;
    }
    if s >= e {
        let a = norm.origin_of(start).min(text.len());
        return (a, a);
    }
    let a = norm.origin_of(s).min(text.len());
    let last = norm.origin_of(e - 1).min(text.len().saturating_sub(1));
    let b = last + text[last..].chars().next().map_or(0, char::len_utf8);
    let mut a = a;
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    (a, b.max(a))
}

/// The input bytes `start..end` of the normalised text came from: from the first
/// byte's origin to the end of the last byte's character.
fn input_span(norm: &Normalized, text: &str, start: usize, end: usize) -> (usize, usize) {
    let (a, b) = (norm.origin_of(start), norm.origin_of(end.max(start + 1) - 1));
    (a, b + text.get(b..).and_then(|t| t.chars().next()).map_or(1, char::len_utf8))
}

/// Words after which an agent's name ends.
const AGENT_END: &[&str] = &["and", "or", "with", "to", "for", "in", "on", "who", "which", "that", "while", "but"];
/// Words skipped before an agent's name.
const AGENT_DETERMINERS: &[&str] = &["the", "a", "an", "our", "your", "their", "its", "his", "her"];
/// Longest agent name reported, in words ("the executive leadership team").
const AGENT_WORDS: usize = 3;

/// The agent a passive names after a phrase: "a roadmap set by the leadership team"
/// → "leadership team".
fn agent_after(norm: &str, end: usize) -> Option<String> {
    let rest = &norm[end..];
    let rest = &rest[..rest.find(['\n', '.', ';', ',', ':']).unwrap_or(rest.len())];
    let after = &rest[rest.find(" by ")? + 4..];
    let words: Vec<&str> = after
        .split(' ')
        .filter(|w| !w.is_empty())
        .skip_while(|w| AGENT_DETERMINERS.contains(w))
        .take_while(|w| !AGENT_END.contains(w))
        .take(AGENT_WORDS)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The line of normalised text around a hit, trimmed to [`SNIPPET_CONTEXT`] chars a side.
fn snippet(norm: &Normalized, start: usize, end: usize, source: &str) -> String {
    let t = &norm.text;
    let tb = t.as_bytes();
    let (a, b) = snippet_bounds(t, start, end);
    let cut_before = a > 0 && tb[a - 1] != b'\n';
    let cut_after = b < t.len() && tb[b] != b'\n';
    // The writer's own text (casing, hyphens, quotes), tags removed from HTML.
    let (oa, ob) = input_span(norm, source, a, b);
    const CUT: &str = "…";
    let mut out = String::with_capacity(ob.saturating_sub(oa) + 2 * CUT.len());
    if cut_before {
        out.push_str(CUT);
    }
    match source.get(oa..ob) {
        Some(s) => push_as_written(&mut out, s, norm.html),
        None => out.push_str(&t[a..b]),
    }
    if cut_after {
        out.push_str(CUT);
    }
    out
}

/// The bounds of a snippet around normalised `start..end`: at most [`SNIPPET_CONTEXT`]
/// chars each way, stopping at the line's ends. The line itself is never searched, so
/// a snippet costs the same on a 1 MiB line. Where the chars in reach are ASCII (nearly
/// always: the text is lowercased) a char is a byte, and a line end is found by memchr
/// instead of a walk char by char.
fn snippet_bounds(t: &str, start: usize, end: usize) -> (usize, usize) {
    let tb = t.as_bytes();
    let lo = start.saturating_sub(SNIPPET_CONTEXT);
    let a = match tb.get(lo..start) {
        Some(before) if before.is_ascii() => memchr::memrchr(b'\n', before).map_or(lo, |p| lo + p + 1),
        _ => walk_back(t, start),
    };
    let hi = end.saturating_add(SNIPPET_CONTEXT).min(tb.len());
    let b = match tb.get(end..hi) {
        Some(after) if after.is_ascii() => memchr::memchr(b'\n', after).map_or(hi, |p| end + p),
        _ => walk_on(t, end),
    };
    (a, b)
}

/// [`snippet_bounds`]'s start, walking back char by char.
fn walk_back(t: &str, start: usize) -> usize {
    let tb = t.as_bytes();
    let mut a = start;
    for _ in 0..SNIPPET_CONTEXT {
        if a == 0 || tb[a - 1] == b'\n' {
            break;
        }
        a -= 1;
        while !t.is_char_boundary(a) {
            a -= 1;
        }
    }
    a
}

/// [`snippet_bounds`]'s end, walking on char by char.
fn walk_on(t: &str, end: usize) -> usize {
    let tb = t.as_bytes();
    let mut b = end;
    for _ in 0..SNIPPET_CONTEXT {
        if b >= t.len() || tb[b] == b'\n' {
            break;
        }
        b += 1;
        while !t.is_char_boundary(b) {
            b += 1;
        }
    }
    b
}

/// The part of a verdict a batch needs, computed by [`Classifier::classify_brief`]
/// without building evidence strings, snippets or line numbers. It agrees with
/// [`Brief::from_verdict`] of the full [`Verdict`] for the same text.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief<'a> {
    /// pm, po, hybrid or other.
    pub label: crate::score::Label,
    /// Confidence in [0, 1], rounded like [`Verdict::confidence`].
    pub confidence: f64,
    /// Axis positions, rounded like [`Verdict::scores`].
    pub scores: Scores,
    /// Ids of the entries behind the counted evidence, strongest first, each once.
    pub terms: Vec<&'a str>,
    /// The role the title line names (see [`Verdict::title_role`]).
    pub title_role: Option<crate::lexicon::Role>,
}

impl<'a> Brief<'a> {
    /// The brief of a full verdict, keeping at most `max_terms` evidence terms.
    pub fn from_verdict(verdict: &'a Verdict, max_terms: usize) -> Brief<'a> {
        let mut terms: Vec<&str> = Vec::new();
        for e in &verdict.evidence {
            if terms.len() == max_terms {
                break;
            }
            if !terms.contains(&e.term.as_str()) {
                terms.push(&e.term);
            }
        }
        Brief {
            label: verdict.label,
            confidence: verdict.confidence,
            scores: verdict.scores,
            terms,
            title_role: verdict.title_role(),
        }
    }
}

impl Classifier {
    /// Classify one posting for a batch: the label, scores, confidence, the ids of the
    /// `max_terms` strongest evidence entries and the title's role, without the
    /// strings [`Classifier::classify_with`] builds for each piece of evidence.
    pub fn classify_brief(&self, text: &str, scratch: &mut Scratch, max_terms: usize) -> Brief<'_> {
        let text = within(text, MAX_POSTING_BYTES);
        let (pulls, summary) = self.analyse(text, scratch);
        let Scratch { norm, hits, readings, listed, best_index, .. } = scratch;
        let decision = judge(&pulls, &summary);
        best_index.resize(self.lexicon.entries.len(), 0); // zero between postings, as `total_index`

        // Each entry's strongest counted hit, as `classify_with` ranks evidence:
        // strength (rounded weights × section multiplier) descending, then offset.
        // Like the verdict, look at no more than EVIDENCE_PER_TERM occurrences per entry.
        let mut best: Vec<(f64, u32, u32)> = Vec::new();
        let mut title_role = None;
        for (h, r) in listed_hits(hits, readings, listed, self.lexicon.entries.len()) {
            let e = &self.lexicon.entries[h.entry as usize];
            if e.kind == Kind::Role {
                if r.section == crate::context::Section::Title {
                    let role = e.role.unwrap_or(crate::lexicon::Role::Unknown);
                    title_role = match title_role {
                        None => Some(role),
                        Some(r) if r == role => Some(r),
                        Some(_) => Some(crate::lexicon::Role::Hybrid),
                    };
                }
                continue;
            }
            let (s, rd, o) = effective_weights(r.effect, e.strategic as f64, e.roadmap as f64, e.other as f64);
            if o <= 0.0 && s == 0.0 && rd == 0.0 {
                continue; // not evidence (Side::None)
            }
            let strength = round3(s).abs().max(round3(rd).abs()).max(round3(o)) * section_weight(r.section);
            let offset = norm.origin_of(h.start as usize) as u32;
            let slot = &mut best_index[h.entry as usize];
            match *slot {
                0 => {
                    best.push((strength, offset, h.entry));
                    *slot = best.len() as u32;
                }
                at => {
                    let b = &mut best[at as usize - 1];
                    if strength > b.0 || (strength == b.0 && offset < b.1) {
                        *b = (strength, offset, h.entry);
                    }
                }
            }
        }
        for b in &best {
            best_index[b.2 as usize] = 0;
        }
        best.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        let terms = best.iter().take(max_terms).map(|b| self.lexicon.entries[b.2 as usize].id.as_str()).collect();
        Brief {
            label: decision.label,
            confidence: round3(decision.confidence),
            scores: Scores { strategic: round3(pulls.strategic_score()), roadmap: round3(pulls.roadmap_score()) },
            terms,
            title_role,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{snippet_bounds, walk_back, walk_on, within, SNIPPET_CONTEXT};

    /// The memchr bounds agree with the walk char by char, on generated lines of ASCII
    /// and multi-byte characters around hits at every position, near the text's ends too.
    #[test]
    fn snippet_bounds_agree_with_the_walk() {
        let pieces = ["a", "b ", "\n", "é", "—", "x\ny", "  "];
        let mut next = crate::test_rng::below(0x9e37_79b9_7f4a_7c15);
        for round in 0..300 {
            let len = next(3 * SNIPPET_CONTEXT);
            // Mostly ASCII, as normalised text is; every fifth text freely mixed.
            let mixed = round % 5 == 0;
            let t: String = (0..len).map(|_| pieces[if mixed { next(pieces.len()) } else { next(3) }]).collect();
            let boundaries: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
            for (k, &start) in boundaries.iter().enumerate() {
                let end = boundaries[(k + 1).min(boundaries.len() - 1)];
                assert_eq!(
                    snippet_bounds(&t, start, end),
                    (walk_back(&t, start), walk_on(&t, end)),
                    "{t:?} {start}..{end}"
                );
            }
        }
    }

    #[test]
    fn long_texts_are_cut_at_a_character_boundary() {
        assert_eq!(within("abc", 3), "abc");
        assert_eq!(within("abcd", 3), "abc");
        // "é" is two bytes: a limit inside it cuts before it.
        assert_eq!(within("aé", 2), "a");
        assert_eq!(within("aé", 3), "aé");
    }
}
