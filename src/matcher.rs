//! The phrase matcher over every phrase and variant of the lexicon, built once and
//! shared by reference across threads. A hit counts only on whole words, so "sprint"
//! never fires inside "sprinter".
//!
//! # Two engines, one answer
//! Nearly every phrase is words separated by single spaces ("product roadmap"). Those
//! go into a [`WordTrie`]: the text is walked word by word; a word that can start a
//! phrase (a small Bloom filter says no to almost all others, function words included)
//! is looked up in a hash table of the lexicon's vocabulary, and a trie over word ids
//! follows the words after it to find every phrase starting there, overlapping ones
//! included. Whole-word matching is free, since only word starts and
//! ends are visited. That is several times faster than a byte automaton's overlapping
//! search, whose DFA is too big for the cache. The few remaining phrases (with `&` or
//! an apostrophe: "p&l", "customer's voice", or anything a user lexicon holds) go
//! into a byte-level Aho-Corasick automaton with the whole-word check after each
//! match; when three or fewer punctuation bytes cover them all (the shipped lexicon's
//! `&`, `'` and `[`), a SIMD search for those bytes finds them instead and each phrase
//! is compared in place (`Anchors`). Both engines report the same candidates a single
//! automaton over all phrases would (`tests::word_trie_finds_what_the_automaton_finds`
//! holds them to it).
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
use crate::lexicon::BuildFx;
use crate::lexicon::Lexicon;
use crate::normalize::{is_word_byte, Normalized};
use crate::tokens::Tokens;
use crate::wordset::WordIndex;
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

/// No phrase starts with this word.
const NO_NODE: u32 = u32::MAX;
/// No pattern ends at this trie node.
const NO_PATTERN: u32 = u32::MAX;

/// Whether `pattern` is plain words separated by single spaces, which the word trie
/// matches exactly as a byte automaton with the whole-word check would.
fn is_word_pattern(pattern: &str) -> bool {
    !pattern.is_empty() && pattern.split(' ').all(|w| !w.is_empty() && w.bytes().all(is_word_byte))
}

/// A trie over word ids for the phrases [`is_word_pattern`] accepts (module docs).
#[derive(Debug, Clone, Default)]
struct WordTrie {
    /// Vocabulary word → word id, while the trie is built.
    vocab: HashMap<Box<[u8]>, u32, BuildFx>,
    /// The same, for lookups ([`WordTrie::freeze`]): no memcmp for words of up to eight
    /// bytes, and the head the start filter loaded is reused.
    lookup: WordIndex,
    /// Word id → the trie node of the one-word prefix, or [`NO_NODE`] when no phrase
    /// starts with that word.
    first: Vec<u32>,
    /// (node, next word id) → child node.
    next: HashMap<(u32, u32), u32, BuildFx>,
    /// Node → the pattern id ending there, or [`NO_PATTERN`].
    pattern_at: Vec<u32>,
    /// Node → whether any longer phrase continues from it.
    has_children: Vec<bool>,
    /// A one-probe Bloom filter ([`FILTER_BITS`] bits) over the ways a phrase can start:
    /// a one-word phrase's word ([`filter_bit_of`]) and the first two words of a longer
    /// one ([`pair_bit_of`]). Most words of a posting start none (function words such as
    /// "the" only continue one), and many that begin some phrase ("product", "team") are
    /// not followed by its second word; this rejects both before the hash tables.
    start_filter: Vec<u64>,
}

/// Bits in the vocabulary filter: 8 KB, in cache, with few false positives for a
/// vocabulary of a few thousand words.
const FILTER_BITS: usize = 1 << 16;

/// A cheap hash of a word for the filter: its first 8 bytes and its length.
#[cfg(test)]
fn filter_bit(w: &[u8]) -> usize {
    filter_bit_of(crate::lexicon::load_le(w), w.len())
}

/// [`filter_bit`] from the word's first 8 bytes (zero-padded) and its length.
fn filter_bit_of(head: u64, len: usize) -> usize {
    let x = (head ^ ((len as u64) << 59)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (x >> (64 - FILTER_BITS.trailing_zeros())) as usize
}

/// The filter bit of two words in a row ([`WordTrie::start_filter`]), from each one's
/// first 8 bytes (zero-padded) and length. Another multiplier than [`filter_bit_of`],
/// so that a pair and a single word rarely share a bit.
fn pair_bit_of((h1, l1): (u64, usize), (h2, l2): (u64, usize)) -> usize {
    let x = (h1.wrapping_mul(0xff51_afd7_ed55_8ccd) ^ h2 ^ ((l1 as u64) << 59) ^ ((l2 as u64) << 54))
        .wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    (x >> (64 - FILTER_BITS.trailing_zeros())) as usize
}

/// The first 8 bytes of the word `hay[s..e]` as [`crate::lexicon::load_le`] reads them
/// (zero-padded), by one load and a mask wherever `hay` has 8 bytes from `s`: a loop
/// over a short word's bytes ends at a length the branch predictor cannot guess.
fn word_head(hay: &[u8], s: usize, e: usize) -> u64 {
    match hay.get(s..).and_then(|rest| rest.first_chunk::<8>()) {
        // Words are never empty, so the shift is 0..=56.
        Some(head) => u64::from_le_bytes(*head) & (u64::MAX >> (64 - 8 * (e - s).clamp(1, 8))),
        None => crate::lexicon::load_le(&hay[s..e]),
    }
}

impl WordTrie {
    fn insert(&mut self, pattern: &str, pid: u32) {
        if self.start_filter.is_empty() {
            self.start_filter = vec![0; FILTER_BITS / 64];
        }
        let key = |w: &str| (crate::lexicon::load_le(w.as_bytes()), w.len());
        let mut words = pattern.split(' ');
        let bit = match (words.next(), words.next()) {
            (Some(w), None) => Some(filter_bit_of(key(w).0, key(w).1)),
            (Some(w1), Some(w2)) => Some(pair_bit_of(key(w1), key(w2))),
            (None, _) => None, // `split` yields at least one piece
        };
        if let Some(bit) = bit {
            self.start_filter[bit / 64] |= 1 << (bit % 64);
        }
        let mut node = None;
        for w in pattern.split(' ') {
            let next_id = self.vocab.len() as u32;
            let id = *self.vocab.entry(w.as_bytes().into()).or_insert(next_id);
            if id == next_id {
                self.first.push(NO_NODE);
            }
            node = Some(match node {
                None => {
                    if self.first[id as usize] == NO_NODE {
                        self.first[id as usize] = self.new_node();
                    }
                    self.first[id as usize]
                }
                Some(parent) => {
                    self.has_children[parent as usize] = true;
                    match self.next.get(&(parent, id)) {
                        Some(&child) => child,
                        None => {
                            let child = self.new_node();
                            self.next.insert((parent, id), child);
                            child
                        }
                    }
                }
            });
        }
        if let Some(n) = node {
            self.pattern_at[n as usize] = pid;
        }
    }

    /// Build the lookup index once every phrase is in.
    fn freeze(&mut self) {
        self.lookup = WordIndex::new(
            self.vocab.iter().map(|(w, &id)| (std::str::from_utf8(w).unwrap_or_default(), id)).collect::<Vec<_>>(),
        );
    }

    fn new_node(&mut self) -> u32 {
        self.pattern_at.push(NO_PATTERN);
        self.has_children.push(false);
        (self.pattern_at.len() - 1) as u32
    }

    /// Every phrase occurrence in `hay`, overlapping ones included, as candidates
    /// carrying their pattern id, in order of their start.
    ///
    /// One pass over the text's match words (`words`, as [`Tokens::words`] lists them).
    /// A word that can start a phrase (the start filter, then the hash table) walks the
    /// trie forward over the words that follow it, each of which must come after exactly
    /// one space; every other word costs two filter probes.
    fn find(&self, hay: &[u8], words: &[(u32, u32)], out: &mut Vec<Hit>) {
        // The filter first, for 64 words at a time into a bit mask: deciding word by
        // word whether to look further is a branch the predictor gets wrong for about
        // one word in three; visiting the mask's set bits is not. A word passes as a
        // one-word phrase, or with the word after it (one space on) as a longer one's
        // first two words; each word's head is read once, and serves both probes.
        let key = |(s, e): (u32, u32)| (word_head(hay, s as usize, e as usize), (e - s) as usize);
        // As an array, so that indexing by a bit from the hashes' top bits needs no check.
        let Ok(filter) = <&[u64; FILTER_BITS / 64]>::try_from(self.start_filter.as_slice()) else { return };
        let has = |bit: usize| filter[bit / 64] >> (bit % 64) & 1;
        let Some(&first) = words.first() else { return };
        let mut cur = key(first);
        for (c, chunk) in words.chunks(64).enumerate() {
            let mut pass = 0u64;
            for (j, &(_, e)) in chunk.iter().enumerate() {
                let mut bit = has(filter_bit_of(cur.0, cur.1));
                if let Some(&next) = words.get(c * 64 + j + 1) {
                    let following = key(next);
                    let adjacent = next.0 == e + 1 && hay.get(e as usize) == Some(&b' ');
                    bit |= u64::from(adjacent) & has(pair_bit_of(cur, following));
                    cur = following;
                }
                pass |= bit << j;
            }
            while pass != 0 {
                let k = c * 64 + pass.trailing_zeros() as usize;
                pass &= pass - 1;
                self.walk(hay, words, k, out);
            }
        }
    }

    /// Every phrase that starts at word `k` of `words` (which passed the start filter).
    fn walk(&self, hay: &[u8], words: &[(u32, u32)], k: usize, out: &mut Vec<Hit>) {
        let (s, e) = words[k];
        let w = &hay[s as usize..e as usize];
        let Some(id) = self.lookup.get_bytes(w, word_head(hay, s as usize, e as usize)) else { return };
        let mut node = self.first[id as usize];
        if node == NO_NODE {
            return; // a word that only ever continues a phrase
        }
        let mut end = e;
        let mut next = k + 1;
        loop {
            if self.pattern_at[node as usize] != NO_PATTERN {
                out.push(Hit { entry: self.pattern_at[node as usize], start: s, end });
            }
            if !self.has_children[node as usize] {
                break;
            }
            // The next word must follow after exactly one space. (The list's next
            // word starts at the first word byte after `end`.)
            let Some(&(ns, ne)) = words.get(next) else { break };
            if ns != end + 1 || hay[end as usize] != b' ' {
                break;
            }
            let next_word = &hay[ns as usize..ne as usize];
            let Some(nid) = self.lookup.get_bytes(next_word, word_head(hay, ns as usize, ne as usize)) else { break };
            match self.next.get(&(node, nid)) {
                Some(&child) => node = child,
                None => break,
            }
            end = ne;
            next += 1;
        }
    }
}

/// The compiled phrase matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// The plain-word phrases.
    trie: WordTrie,
    /// The other phrases (see the module docs), if there are any.
    automaton: Option<AhoCorasick>,
    /// Pattern ids of the phrases in `automaton`, by its own pattern index.
    automaton_pid: Vec<u32>,
    /// Bytes one of which every phrase in `automaton` holds, when three or fewer do
    /// (see [`Anchors`]).
    anchors: Option<Anchors>,
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
        let mut trie = WordTrie::default();
        let mut automaton_pid = Vec::new();
        let mut rest: Vec<&str> = Vec::new();
        for (pid, p) in patterns.iter().enumerate() {
            if is_word_pattern(p) {
                trie.insert(p, pid as u32);
            } else {
                automaton_pid.push(pid as u32);
                rest.push(p);
            }
        }
        trie.freeze();
        let automaton = if rest.is_empty() {
            None
        } else {
            Some(
                byte_automaton(&rest)
                    .map_err(|message| LexiconError::Matcher { path: lexicon.id.source.clone(), message })?,
            )
        };
        let anchors = Anchors::of(&rest);
        Ok(Matcher { trie, automaton, automaton_pid, anchors, entry_of, exact, rank, patterns })
    }

    /// Every normalised pattern the automaton searches for.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Find whole-word hits in `norm`, appending to `hits` (cleared first), overlaps
    /// resolved as the module docs say. `source` is the original text, for
    /// case-sensitive entries. Finds the text's words first; a caller that has them
    /// (the classifier, which shares them with the context rules) uses
    /// [`Matcher::find_with`].
    pub fn find_into(&self, norm: &Normalized, source: &str, hits: &mut Vec<Hit>) {
        let mut tokens = Tokens::new();
        tokens.split(&norm.text);
        self.find_with(norm, source, &tokens, hits);
    }

    /// [`Matcher::find_into`] with the words of `norm.text` already split into `tokens`
    /// (from that same text). Allocates only when `hits` must grow.
    pub fn find_with(&self, norm: &Normalized, source: &str, tokens: &Tokens, hits: &mut Vec<Hit>) {
        debug_assert!(
            tokens.words().last().is_none_or(|t| t.1 as usize <= norm.text.len()),
            "the words were split from another text"
        );
        hits.clear();
        let hay = norm.text.as_bytes();
        // Candidates carry their pattern id in `entry` until resolved.
        self.trie.find(hay, tokens.words(), hits);
        self.find_rest(hay, hits);
        hits.retain(|h| {
            let Some(want) = &self.exact[h.entry as usize] else { return true };
            let (a, b) = (norm.origin_of(h.start as usize), norm.origin_of(h.end as usize - 1) + 1);
            spelled_as(source.get(a..b).unwrap_or("").as_bytes(), want.as_bytes())
        });
        resolve(hits, &self.rank);
        for h in hits.iter_mut() {
            h.entry = self.entry_of[h.entry as usize];
        }
    }
}

/// Whether `written` (source text) spells `want` (a case-sensitive phrase with its
/// dashes and slashes made spaces), read the same way. In place: "safe", "pm" and "po"
/// are common words, and this runs for each of their candidates.
fn spelled_as(written: &[u8], want: &[u8]) -> bool {
    let joiner_as_space = |b: u8| if b == b'-' || b == b'/' { b' ' } else { b };
    written.len() == want.len() && written.iter().zip(want).all(|(&w, &x)| joiner_as_space(w) == x)
}

impl Matcher {
    /// Append the automaton phrases' whole-word candidates in `hay`. With [`Anchors`],
    /// a SIMD search finds the anchor bytes and each phrase assigned to the byte found
    /// is compared in place; otherwise the automaton searches the whole text.
    fn find_rest(&self, hay: &[u8], out: &mut Vec<Hit>) {
        let Some(automaton) = &self.automaton else { return };
        let Some(a) = &self.anchors else {
            for m in automaton.find_overlapping_iter(hay) {
                let (s, e) = (m.start(), m.end());
                if is_bounded(hay, s, e) {
                    let pid = self.automaton_pid[m.pattern().as_usize()];
                    out.push(Hit { entry: pid, start: s as u32, end: e as u32 });
                }
            }
            return;
        };
        for p in memchr::memchr3_iter(a.bytes[0], a.bytes[1], a.bytes[2], hay) {
            for &(k, at) in &a.phrases[a.bytes.iter().position(|&b| b == hay[p]).unwrap_or(0)] {
                let pid = self.automaton_pid[k as usize];
                let phrase = self.patterns[pid as usize].as_bytes();
                let Some(s) = p.checked_sub(at as usize) else { continue };
                let e = s + phrase.len();
                if hay.get(s..e) == Some(phrase) && is_bounded(hay, s, e) {
                    out.push(Hit { entry: pid, start: s as u32, end: e as u32 });
                }
            }
        }
    }
}

/// Up to three bytes one of which every automaton phrase holds (punctuation: the
/// automaton gets only phrases that are not plain words, and the shipped ones hold
/// `&`, `'` or `[`). Posting text is mostly plain words, so a search for those bytes
/// skips nearly all of it, where the automaton's own prefilter stops at common letters
/// and restarts its search at each.
///
/// Each phrase is assigned one of the bytes and the offset of its first occurrence in
/// the phrase, so an occurrence of the phrase in the text is compared, and reported,
/// exactly once: at the text position of that byte.
#[derive(Debug, Clone)]
struct Anchors {
    /// The bytes (the last repeated when fewer than three).
    bytes: [u8; 3],
    /// For each of `bytes`, the phrases assigned to it: (index among the automaton's
    /// phrases, offset of the byte in the phrase).
    phrases: [Vec<(u32, u32)>; 3],
}

impl Anchors {
    /// Choose the bytes greedily (the one most phrases hold first), or `None` when some
    /// phrase holds none or three do not cover them all.
    fn of(patterns: &[&str]) -> Option<Anchors> {
        let held = |p: &str, b: u8| p.bytes().any(|x| x == b);
        let candidates = |p: &str| p.bytes().filter(|&b| !is_word_byte(b) && b != b' ').collect::<Vec<u8>>();
        if patterns.is_empty() || patterns.iter().any(|p| candidates(p).is_empty()) {
            return None;
        }
        let mut left: Vec<&str> = patterns.to_vec();
        let mut bytes = Vec::new();
        while !left.is_empty() {
            if bytes.len() == 3 {
                return None;
            }
            let mut count = [0usize; 256];
            for p in &left {
                let mut c = candidates(p);
                c.sort_unstable();
                c.dedup();
                for b in c {
                    count[b as usize] += 1;
                }
            }
            let best = (0..=255u8).max_by_key(|&b| (count[b as usize], std::cmp::Reverse(b)))?;
            bytes.push(best);
            left.retain(|p| !held(p, best));
        }
        let mut phrases: [Vec<(u32, u32)>; 3] = Default::default();
        for (k, p) in patterns.iter().enumerate() {
            // The first chosen byte the phrase holds, at its first offset.
            let (slot, at) = bytes.iter().enumerate().find_map(|(i, &b)| Some((i, p.bytes().position(|x| x == b)?)))?;
            phrases[slot].push((k as u32, at as u32));
        }
        let last = *bytes.last()?;
        let byte = |i: usize| bytes.get(i).copied().unwrap_or(last);
        Some(Anchors { bytes: [byte(0), byte(1), byte(2)], phrases })
    }
}

/// Whether the match `hay[s..e]` stands on whole words: no word byte continues it on
/// either side (an edge that is itself punctuation needs no boundary).
fn is_bounded(hay: &[u8], s: usize, e: usize) -> bool {
    (s == 0 || !is_word_byte(hay[s - 1]) || !is_word_byte(hay[s]))
        && (e == hay.len() || !is_word_byte(hay[e]) || !is_word_byte(hay[e - 1]))
}

/// A byte automaton reporting every (overlapping) occurrence of `patterns`.
fn byte_automaton<P: AsRef<[u8]>>(patterns: &[P]) -> Result<AhoCorasick, String> {
    // A DFA is fastest but its size grows with patterns × alphabet classes: fine for a
    // few thousand patterns, gigabytes for a user lexicon of 100k odd phrases. Beyond
    // DFA_MAX_PATTERN_BYTES use the contiguous NFA (compact, a little slower per byte).
    let pattern_bytes: usize = patterns.iter().map(|p| p.as_ref().len()).sum();
    let kind =
        if pattern_bytes <= DFA_MAX_PATTERN_BYTES { AhoCorasickKind::DFA } else { AhoCorasickKind::ContiguousNFA };
    AhoCorasick::builder().match_kind(MatchKind::Standard).kind(Some(kind)).build(patterns).map_err(|e| e.to_string())
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

    #[test]
    fn case_sensitive_spelling_reads_joiners_as_spaces() {
        for (written, want) in [
            ("SAFe", "SAFe"),
            ("safe", "SAFe"),
            ("SAFE", "SAFe"),
            ("PM", "PM"),
            ("pm", "PM"),
            ("PMs", "PM"),
            ("P-M", "P M"),
            ("P/M", "P M"),
            ("P M", "P M"),
            ("P_M", "P M"),
            ("", "PM"),
        ] {
            let by_copy = written.replace(['-', '/'], " ") == want;
            assert_eq!(spelled_as(written.as_bytes(), want.as_bytes()), by_copy, "{written:?} as {want:?}");
        }
        assert!(spelled_as(b"P-M", b"P M") && !spelled_as(b"pm", b"PM"));
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
    fn word_heads_read_like_load_le() {
        let hay = b"a bb ccc dddddddd eeeeeeeeee f";
        let mut tokens = Tokens::new();
        tokens.split(std::str::from_utf8(hay).unwrap());
        // Words short and long, near the start and within 8 bytes of the end.
        assert_eq!(tokens.words().len(), 6);
        for &(s, e) in tokens.words() {
            let (s, e) = (s as usize, e as usize);
            assert_eq!(word_head(hay, s, e), crate::lexicon::load_le(&hay[s..e]), "word at {s}..{e}");
            assert_eq!(filter_bit_of(word_head(hay, s, e), e - s), filter_bit(&hay[s..e]));
        }
    }

    /// Every candidate (before resolving) of the two engines, and of one byte automaton
    /// over all patterns with the whole-word check: the reference the trie must equal.
    fn candidates(m: &Matcher, text: &str) -> (Vec<Hit>, Vec<Hit>) {
        let hay = text.as_bytes();
        let mut tokens = Tokens::new();
        tokens.split(text);
        let mut got = Vec::new();
        m.trie.find(hay, tokens.words(), &mut got);
        m.find_rest(hay, &mut got);
        let all = byte_automaton(&m.patterns).unwrap();
        let want: Vec<Hit> = all
            .find_overlapping_iter(hay)
            .filter(|x| is_bounded(hay, x.start(), x.end()))
            .map(|x| Hit { entry: x.pattern().as_usize() as u32, start: x.start() as u32, end: x.end() as u32 })
            .collect();
        let key = |h: &Hit| (h.start, h.end, h.entry);
        got.sort_by_key(key);
        let mut want = want;
        want.sort_by_key(key);
        (got, want)
    }

    #[test]
    fn word_trie_finds_what_the_automaton_finds() {
        let c = Classifier::embedded();
        let m = c.matcher();
        let mut norm = Normalized::default();
        let mut texts: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/postings"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        // Generated text: lexicon words and word pieces joined by every kind of
        // separator, so phrases meet, overlap, run into longer words and break at
        // punctuation, newlines and double spaces.
        let vocab: Vec<&str> = m.patterns.iter().flat_map(|p| p.split(' ')).collect();
        let seps = [" ", " ", " ", "  ", "\n", ", ", "-", "/", "'", "&", "s ", ". ", " x"];
        let mut next = crate::test_rng::below(0x2545_f491_4f6c_dd1d);
        for _ in 0..200 {
            let mut t = String::new();
            for _ in 0..300 {
                t.push_str(vocab[next(vocab.len())]);
                t.push_str(seps[next(seps.len())]);
            }
            texts.push(t);
        }
        texts.push("P&L owner; the customer's voice, p & l, [role] and [role]s".into());
        // The shipped phrases for the automaton all hold an anchor byte, so it runs in
        // windows here: this test holds the windows to a search of the whole text.
        assert!(m.anchors.is_some());
        for t in &texts {
            normalize_into(t, &mut norm);
            let (got, want) = candidates(m, &norm.text);
            assert!(!want.is_empty());
            assert_eq!(got, want, "in {:?}", &t[..t.len().min(200)]);
        }
    }

    #[test]
    fn anchors_cover_every_automaton_phrase_or_none_are_used() {
        let phrases = ["p&l", "p&l owner", "customer's voice", "[role]", "a[b]c"];
        let a = Anchors::of(&phrases).unwrap();
        // Every phrase is assigned exactly once, to a byte it holds at that offset.
        let mut assigned: Vec<u32> = a.phrases.iter().flatten().map(|&(k, _)| k).collect();
        assigned.sort_unstable();
        assert_eq!(assigned, (0..phrases.len() as u32).collect::<Vec<_>>());
        for (slot, list) in a.phrases.iter().enumerate() {
            for &(k, at) in list {
                assert_eq!(phrases[k as usize].as_bytes()[at as usize], a.bytes[slot], "{}", phrases[k as usize]);
            }
        }
        let one = Anchors::of(&["a.b", "c.d"]).unwrap();
        assert_eq!(one.bytes, [b'.'; 3]);
        // Four phrases with four different punctuation bytes: no three cover them.
        assert!(Anchors::of(&["a.b", "c,d", "e;f", "g:h"]).is_none());
        // A phrase with no punctuation at all (a double space) has no anchor.
        assert!(Anchors::of(&["a  b"]).is_none());
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
