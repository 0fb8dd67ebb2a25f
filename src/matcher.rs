//! One Aho-Corasick automaton over every phrase and variant of the lexicon, built once
//! and shared by reference across threads. A hit counts only on whole words, so
//! "sprint" never fires inside "sprinter".
//!
//! # Overlaps
//! The automaton reports **every** candidate, overlapping ones included, and
//! [`resolve`] keeps the most specific concept in each group of overlapping
//! candidates, so no phrase is lost to a neighbour that merely shares a word with it:
//!
//! 1. A candidate naming more **content words** is more specific. Function words
//!    ("the", "for", "of"…) and ownership verbs ("define", "own", "set"…) name no
//!    concept: ownership is a context cue read around the phrase, not part of it. So in
//!    "define the product vision", `product vision` (2 content words) beats `define
//!    the product` (1), and in "product vision for payments" it beats `vision for`.
//! 2. Then the longer candidate in words ("own the product backlog" over "product
//!    backlog"), then an anchor entry, then the stronger weight, then the earlier one.
//!
//! Candidates are accepted in that order; one that overlaps an accepted candidate is
//! dropped. A candidate contained in another is therefore always dropped, and two that
//! only touch share no byte and both count.

use crate::error::LexiconError;
use crate::lexicon::Lexicon;
use crate::normalize::{is_word_byte, Normalized};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;

/// Words that name no concept of their own: they never make a phrase more specific.
pub const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "for", "to", "and", "or", "with", "in", "on", "by", "at", "from", "into", "our", "your",
    "its", "their", "this", "that", "vs", "versus", "is", "are", "be", "new",
];

/// Total pattern bytes up to which the automaton is a DFA (the shipped lexicon has about
/// 45 KB of patterns; a DFA over 256 KB of patterns already takes tens of MB).
const DFA_MAX_PATTERN_BYTES: usize = 256 * 1024;

/// One phrase occurrence in normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the entry in the lexicon.
    pub entry: u32,
    /// Start byte in the normalised text.
    pub start: u32,
    /// End byte (exclusive) in the normalised text.
    pub end: u32,
}

/// The compiled phrase matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: AhoCorasick,
    /// Pattern id → entry index.
    entry_of: Vec<u32>,
    /// Pattern id → the exact spelling required, for case-sensitive entries.
    exact: Vec<Option<String>>,
    /// Pattern id → specificity rank (higher wins an overlap; see the module docs).
    rank: Vec<u64>,
    /// Every pattern, in id order (for `jdclass lexicon phrases`).
    patterns: Vec<String>,
}

/// The specificity rank of a pattern: content words, then words, then anchor, then
/// the entry's strongest weight (in thousandths). Ties go to the earlier candidate.
fn specificity(pattern: &str, anchor: bool, weight: f32, ownership: &dyn Fn(&str) -> bool) -> u64 {
    let words: Vec<&str> = pattern.split(' ').filter(|w| !w.is_empty()).collect();
    let content = words.iter().filter(|w| !FUNCTION_WORDS.contains(w) && !ownership(w)).count() as u64;
    let weight = (weight.abs().min(1.0) * 1000.0) as u64;
    (content.min(255) << 24) | ((words.len() as u64).min(255) << 16) | (u64::from(anchor) << 12) | weight
}

impl Matcher {
    /// Build the automaton. Two entries that share a phrase are an error: the matcher
    /// could not tell which one a hit belongs to.
    pub fn new(lexicon: &Lexicon) -> Result<Self, LexiconError> {
        let mut owner: HashMap<String, usize> = HashMap::new();
        let mut patterns = Vec::new();
        let mut entry_of = Vec::new();
        let mut exact = Vec::new();
        let mut rank = Vec::new();
        let ownership = |w: &str| lexicon.cues.ownership.has_word(w);
        for (pattern, entry, raw) in lexicon.patterns() {
            let e = &lexicon.entries[entry];
            match owner.get(&pattern) {
                Some(&other) if other == entry => continue, // "go-to-market" and "go to market" in one entry
                Some(&other) => {
                    let o = &lexicon.entries[other];
                    return Err(LexiconError::Entry {
                        path: lexicon.id.source.clone(),
                        line: e.line,
                        id: e.id.clone(),
                        message: format!(
                            "phrase \"{raw}\" matches the same text as entry '{}' (line {}); keep it in one entry",
                            o.id, o.line
                        ),
                    });
                }
                None => {}
            }
            owner.insert(pattern.clone(), entry);
            exact.push(e.case_sensitive.then(|| raw.replace(['-', '/'], " ")));
            entry_of.push(entry as u32);
            let weight = e.strategic.abs().max(e.roadmap.abs()).max(e.other);
            rank.push(specificity(&pattern, e.anchor, weight, &ownership));
            patterns.push(pattern);
        }
        // A DFA is fastest but its size grows with patterns × alphabet classes: fine for
        // the shipped lexicon (~2,700 patterns, a few MB), gigabytes for a user lexicon of
        // 100k phrases. Beyond DFA_MAX_PATTERN_BYTES use the contiguous NFA (compact, a
        // little slower per byte).
        let pattern_bytes: usize = patterns.iter().map(String::len).sum();
        let kind =
            if pattern_bytes <= DFA_MAX_PATTERN_BYTES { AhoCorasickKind::DFA } else { AhoCorasickKind::ContiguousNFA };
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&patterns)
            .map_err(|e| LexiconError::Matcher { path: lexicon.id.source.clone(), message: e.to_string() })?;
        Ok(Matcher { automaton, entry_of, exact, rank, patterns })
    }

    /// Every normalised pattern the automaton searches for.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Find whole-word hits in `norm`, appending to `hits` (cleared first), overlaps
    /// resolved as the module docs say. `source` is the original text, for
    /// case-sensitive entries.
    pub fn find_into(&self, norm: &Normalized, source: &str, hits: &mut Vec<Hit>) {
        hits.clear();
        let hay = norm.text.as_bytes();
        // Candidates carry their pattern id in `entry` until resolved.
        for m in self.automaton.find_overlapping_iter(hay) {
            let (s, e) = (m.start(), m.end());
            let pid = m.pattern().as_usize();
            let bounded = (s == 0 || !is_word_byte(hay[s - 1]) || !is_word_byte(hay[s]))
                && (e == hay.len() || !is_word_byte(hay[e]) || !is_word_byte(hay[e - 1]));
            if !bounded {
                continue;
            }
            if let Some(want) = &self.exact[pid] {
                let (a, b) = (norm.origin_of(s), norm.origin_of(e - 1) + 1);
                let got = source.get(a..b).unwrap_or("");
                if got.replace(['-', '/'], " ") != *want {
                    continue;
                }
            }
            hits.push(Hit { entry: pid as u32, start: s as u32, end: e as u32 });
        }
        resolve(hits, &self.rank);
        for h in hits.iter_mut() {
            h.entry = self.entry_of[h.entry as usize];
        }
    }
}

/// Keep the most specific candidate of each overlapping group (module docs), in text
/// order. `cands[i].entry` holds a pattern id indexing `rank`. Linear in the number of
/// candidates apart from sorting inside each group, and groups are a few words long.
pub fn resolve(cands: &mut Vec<Hit>, rank: &[u64]) {
    cands.sort_unstable_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut out = 0;
    let mut i = 0;
    let mut group: Vec<Hit> = Vec::new();
    while i < cands.len() {
        // A group: candidates linked by overlap, in start order.
        let mut j = i + 1;
        let mut end = cands[i].end;
        while j < cands.len() && cands[j].start < end {
            end = end.max(cands[j].end);
            j += 1;
        }
        if j == i + 1 {
            cands[out] = cands[i];
            out += 1;
        } else {
            group.clear();
            group.extend_from_slice(&cands[i..j]);
            group.sort_by_key(|h| (std::cmp::Reverse(rank[h.entry as usize]), h.start));
            let first = out;
            for &g in &group {
                if cands[first..out].iter().all(|a| g.end <= a.start || g.start >= a.end) {
                    cands[out] = g;
                    out += 1;
                }
            }
            cands[first..out].sort_unstable_by_key(|h| h.start);
        }
        i = j;
    }
    cands.truncate(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_into;
    use crate::Classifier;

    /// The entry ids found in `text`, in text order.
    fn terms(text: &str) -> Vec<String> {
        let c = Classifier::embedded();
        let mut norm = Normalized::default();
        normalize_into(text, &mut norm);
        let mut hits = Vec::new();
        c.matcher().find_into(&norm, text, &mut hits);
        hits.iter().map(|h| c.lexicon().entries[h.entry as usize].id.clone()).collect()
    }

    /// Overlap cases: (text, entries that must fire, entries that must not).
    #[test]
    fn overlaps_keep_the_most_specific_concept() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            ("Define the product vision for payments", &["product-vision"], &["product-definition", "vision-general"]),
            ("Define the product roadmap", &["product-roadmap"], &["roadmap", "product-definition"]),
            ("Shape the product strategy", &["product-strategy"], &["strategy", "product-definition"]),
            ("Own the product backlog", &["product-backlog"], &["backlog"]),
            ("We use a product roadmap", &["product-roadmap"], &["roadmap"]),
            ("Write user stories", &["story-writing"], &["user-stories"]),
            ("roadmap backlog", &["roadmap", "backlog"], &[]),
            ("a sprinter", &[], &["sprint"]),
        ];
        for (text, want, not) in cases {
            let got = terms(text);
            for w in *want {
                assert!(got.iter().any(|g| g == w), "{text:?}: expected {w} in {got:?}");
            }
            for n in *not {
                assert!(!got.iter().any(|g| g == n), "{text:?}: {n} must not fire, got {got:?}");
            }
        }
    }

    #[test]
    fn resolve_is_a_greedy_choice_by_rank() {
        let h = |p: u32, s: u32, e: u32| Hit { entry: p, start: s, end: e };
        // Pattern 0 ranks lowest, 2 highest.
        let rank = [1, 2, 3];
        let mut c = vec![h(0, 0, 10), h(2, 5, 15), h(1, 12, 20), h(0, 30, 35)];
        resolve(&mut c, &rank);
        assert_eq!(c, vec![h(2, 5, 15), h(0, 30, 35)]);
        // Touching candidates share no byte: both stay.
        let mut c = vec![h(0, 0, 5), h(1, 5, 9)];
        resolve(&mut c, &rank);
        assert_eq!(c.len(), 2);
        // A chain where the best sits in the middle frees both ends' neighbours only
        // when they do not overlap it.
        let mut c = vec![h(1, 0, 4), h(2, 3, 8), h(1, 7, 12), h(0, 12, 14)];
        resolve(&mut c, &rank);
        assert_eq!(c, vec![h(2, 3, 8), h(0, 12, 14)]);
    }

    #[test]
    fn specificity_ignores_function_words_and_ownership_verbs() {
        let own = |w: &str| matches!(w, "define" | "own");
        assert!(specificity("product vision", true, 0.9, &own) > specificity("define the product", true, 0.9, &own));
        assert!(
            specificity("own the product backlog", true, 0.9, &own) > specificity("product backlog", true, 0.9, &own)
        );
        assert!(specificity("vision for", true, 0.9, &own) < specificity("product vision", false, 0.1, &own));
    }
}
