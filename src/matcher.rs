//! One Aho-Corasick automaton over every phrase and variant of the lexicon, built once
//! and shared by reference across threads. Leftmost-longest semantics make "product
//! roadmap" one hit rather than "product" + "roadmap"; a hit counts only on whole
//! words, so "sprint" never fires inside "sprinter".

use crate::error::LexiconError;
use crate::lexicon::Lexicon;
use crate::normalize::{is_word_byte, Normalized};
use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use std::collections::HashMap;

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
    /// Every pattern, in id order (for `jdclass lexicon phrases`).
    patterns: Vec<String>,
}

impl Matcher {
    /// Build the automaton. Two entries that share a phrase are an error: the matcher
    /// could not tell which one a hit belongs to.
    pub fn new(lexicon: &Lexicon) -> Result<Self, LexiconError> {
        let mut owner: HashMap<String, usize> = HashMap::new();
        let mut patterns = Vec::new();
        let mut entry_of = Vec::new();
        let mut exact = Vec::new();
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
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(kind))
            .build(&patterns)
            .map_err(|e| LexiconError::Matcher { path: lexicon.id.source.clone(), message: e.to_string() })?;
        Ok(Matcher { automaton, entry_of, exact, patterns })
    }

    /// Every normalised pattern the automaton searches for.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Find whole-word hits in `norm`, appending to `hits` (cleared first). `source`
    /// is the original text, for case-sensitive entries.
    pub fn find_into(&self, norm: &Normalized, source: &str, hits: &mut Vec<Hit>) {
        hits.clear();
        let hay = norm.text.as_bytes();
        let mut pos = 0;
        while pos < hay.len() {
            let Some(m) = self.automaton.find(Input::new(hay).range(pos..)) else { break };
            let (s, e) = (m.start(), m.end());
            let pid = m.pattern().as_usize();
            let bounded = (s == 0 || !is_word_byte(hay[s - 1]) || !is_word_byte(hay[s]))
                && (e == hay.len() || !is_word_byte(hay[e]) || !is_word_byte(hay[e - 1]));
            if !bounded {
                // Part of a longer word: look again one byte later, so a real
                // phrase starting inside this match is still found.
                pos = s + 1;
                continue;
            }
            if let Some(want) = &self.exact[pid] {
                let (a, b) = (norm.origin_of(s), norm.origin_of(e - 1) + 1);
                let got = source.get(a..b).unwrap_or("");
                if got.replace(['-', '/'], " ") != *want {
                    pos = s + 1;
                    continue;
                }
            }
            hits.push(Hit { entry: self.entry_of[pid], start: s as u32, end: e as u32 });
            pos = e;
        }
    }
}
