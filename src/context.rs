//! Context rules: a phrase is evidence only when the posting gives it to the role
//! being hired. Each hit is read in its sentence and section:
//!
//! - **negation** — "you will not own the roadmap", "no backlog management";
//! - **attribution** — another role's duty: "partner with product owners who manage the
//!   backlog", "translate the product manager's roadmap", "a roadmap set by leadership";
//! - **contribution** — a strategic artefact the role works *from* ("contribute to the
//!   roadmap", "execute the product strategy"): evidence of the tactical side;
//! - **facilitation** — ceremonies run for someone else ("facilitate sprint planning"):
//!   a scrum master's or coach's duty, evidence of a non-product role;
//! - **section** — company blurbs, benefits and equal-opportunity text weigh less than
//!   responsibilities; requirements weigh a little less than duties;
//! - **title** — phrases in the posting's title line are title evidence only.
//!
//! The cue words live in the lexicon's `[context]` table so they can be edited with it.

use crate::career;
use crate::coordination;
use crate::lexicon::{ContextCues, Kind, Lexicon};
use crate::matcher::Hit;
use crate::tokens::{class_mask, Tokens, BLOCK};
use serde::Serialize;

/// Words searched back from a phrase for a negation cue; the search also stops at a
/// sentence end, a contrast word or a new subject ("you").
const NEGATION_REACH: usize = 8;
/// Words after a phrase searched for a trailing negation ("… is not part of the role").
const NEGATION_AFTER_REACH: usize = 3;
/// Words before a phrase searched for a contribution or facilitation verb.
const VERB_REACH: usize = 5;
/// Words between a possessive role name and the phrase it owns ("the PM's long-term vision").
const POSSESSIVE_GAP: usize = 3;
/// Earlier phrases overlapping a hit that are passed over to find the list item before it.
const MAX_OVERLAPS_SKIPPED: usize = 3;
/// Words a relative clause may run from the role name to the phrase it owns.
const RELATIVE_REACH: usize = 14;
/// Words before a role name searched for a hire frame ("we are looking for a").
const HIRE_FRAME_REACH: usize = 4;
/// Words after a phrase searched for a passive agent ("… set by leadership").
const AGENT_REACH: usize = 6;
/// A clause longer than this (about 60 words) is a flattened list, not a sentence.
const LONG_CLAUSE_BYTES: usize = 400;
/// In such a clause, boilerplate cues count within this many bytes (about 25 words) of a hit.
const BOILERPLATE_WINDOW_BYTES: usize = 150;
/// A heading is a short line.
const MAX_HEADING_WORDS: usize = 8;
/// A title line is a short first line naming a role.
const MAX_TITLE_WORDS: usize = 16;

/// The word that turns a contribution verb's object into its result ("translate the
/// vision into a roadmap", "break the strategy down into …").
const RESULT_MARKER: &str = "into";
/// Words that end a negation's reach or a relative clause.
const CONTRAST: &[&str] = &["but", "however", "instead", "while", "whereas", "yet", "although", "though"];
/// Words that end a possessive's noun phrase.
const PREPOSITIONS: &[&str] = &["into", "to", "for", "with", "from", "on", "in", "by", "at", "through", "across"];
/// Words skipped between "by" and the agent it names.
const DETERMINERS: &[&str] = &["the", "a", "an", "our", "your", "their", "its", "senior", "product"];

/// The part of a posting a phrase stands in; each has a weight (see `score`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// Before any recognised heading.
    Intro,
    /// Responsibilities / what you'll do.
    Duties,
    /// Requirements / qualifications.
    Requirements,
    /// Nice to have.
    Preferred,
    /// About us, benefits, equal opportunity, how to apply.
    Boilerplate,
    /// A sentence in the company's voice ("We are…", "Our mission…") that does not
    /// talk about the hire.
    Company,
    /// The title line.
    Title,
}

impl Section {
    /// The short name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Intro => "intro",
            Section::Duties => "duties",
            Section::Requirements => "requirements",
            Section::Preferred => "preferred",
            Section::Boilerplate => "boilerplate",
            Section::Company => "company",
            Section::Title => "title",
        }
    }
}

/// What the context rules decided about one hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// Evidence for its side, as weighted in the lexicon.
    Counted,
    /// Negated: not evidence.
    Negated,
    /// Another role's duty: not evidence.
    Attributed,
    /// A strategic artefact the role contributes to: tactical evidence.
    Contribution,
    /// A ceremony the role facilitates for others: non-product evidence.
    Facilitated,
    /// In the title line: title evidence only.
    Title,
    /// Part of a proper name ("Launch Orchard"): not evidence.
    Name,
    /// In the role the hire may grow into ("grow into a product manager role where
    /// you'll own the roadmap"): not evidence.
    Future,
}

impl Effect {
    /// A short reason for people.
    pub fn describe(self) -> &'static str {
        match self {
            Effect::Counted => "counted",
            Effect::Negated => "negated",
            Effect::Attributed => "another role's duty",
            Effect::Contribution => "works from it (tactical)",
            Effect::Facilitated => "facilitated for others (non-product)",
            Effect::Title => "in the title",
            Effect::Name => "part of a name",
            Effect::Future => "in the role the hire may grow into",
        }
    }
}

/// The context decision for one hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// What the hit counts as.
    pub effect: Effect,
    /// Where it stands.
    pub section: Section,
    /// Index (into the posting's hits) of the role name it was attributed to, if any.
    pub attributed_to: Option<u32>,
    /// Whether an ownership verb governs it ("define the roadmap", "own the backlog").
    pub owned: bool,
}

/// Precomputed structure of one posting's normalised text.
#[derive(Debug, Default)]
pub struct Layout {
    /// Byte offsets of clause ends (`.`, `!`, `?`, `;`, `:`, `\n`), ascending.
    bounds: Vec<u32>,
    /// Byte offsets of sentence ends (`.`, `!`, `?`, `\n`), ascending.
    sentences: Vec<u32>,
    /// Byte offsets of every `.`, `!`, `?`, `;` and `\n` (sentence starts for the
    /// attribution rules, which do not need a space after the mark), ascending.
    stops: Vec<u32>,
    /// Indices (into the posting's hits) of role-name hits, ascending.
    roles: Vec<u32>,
    /// Section changes: (start offset, section), ascending.
    sections: Vec<(u32, Section)>,
    /// End of the title line, if the first line is a title.
    title_end: Option<u32>,
    /// The last clause checked for boilerplate cues: (start, end, is boilerplate).
    /// Hits arrive in text order, so one entry is a complete cache. The end is part of
    /// the key: a hit that runs over a clause bound (a user phrase with punctuation)
    /// has a longer clause from the same start.
    boiler_cache: Option<(u32, u32, bool)>,
    /// The last sentence checked for company voice: (start, is company voice).
    voice_cache: Option<(u32, bool)>,
    /// Career cues ("grow into a … role"): byte ranges, ascending.
    career_cues: Vec<(u32, u32)>,
    /// Every word of the text as a byte range, in order: found once per posting (and
    /// shared with the matcher), so the rules that look at the words around each hit
    /// slice this list instead of walking the bytes again (see [`tokens_in`]).
    words: Tokens,
    /// The long clause whose boilerplate cues `long_cues` holds (start, end).
    long_clause: Option<(u32, u32)>,
    /// Byte extents of the boilerplate cues in that clause, ascending: found once per
    /// clause, so each hit's window check is a lookup, not a rescan of its words.
    long_cues: Vec<(u32, u32)>,
    /// Where the last lookups in `bounds`, `sentences` and `stops` ended (see [`Cursor`]).
    bounds_at: Cursor,
    sentences_at: Cursor,
    stops_at: Cursor,
}

/// Where a lookup in an ascending list of offsets ended, so the next one starts there:
/// hits are read in text order, so each lookup walks a step or two forward where a
/// binary search would take a dozen unpredictable branches. A lookup behind the cursor
/// (a caller reading hits out of order) falls back to the binary search.
#[derive(Debug, Default, Clone, Copy)]
struct Cursor(usize);

/// Steps walked forward before a lookup falls back to a binary search of the rest.
const CURSOR_WALK: usize = 8;

impl Cursor {
    /// How many offsets of `list` are below `x`: `list.partition_point(|&p| p < x)`.
    #[inline]
    fn below(&mut self, list: &[u32], x: usize) -> usize {
        let from = self.0.min(list.len());
        let i = if from > 0 && list[from - 1] as usize >= x {
            list.partition_point(|&p| (p as usize) < x)
        } else {
            below_from(list, from, x)
        };
        self.0 = i;
        i
    }
}

/// [`Cursor::below`] for an `x` that no offset before `list[from]` reaches.
#[inline]
fn below_from(list: &[u32], from: usize, x: usize) -> usize {
    let mut i = from;
    for _ in 0..CURSOR_WALK {
        match list.get(i) {
            Some(&p) if (p as usize) < x => i += 1,
            _ => return i,
        }
    }
    i + list[i..].partition_point(|&p| (p as usize) < x)
}

/// The span of `start..end` between the ends listed in `list` (ascending): from just
/// after the last end before `start` to the first end at or after `end`, or to
/// `text_len` when there is none.
fn enclosing(list: &[u32], at: &mut Cursor, start: usize, end: usize, text_len: usize) -> (usize, usize) {
    let i = at.below(list, start);
    let a = if i == 0 { 0 } else { list[i - 1] as usize + 1 };
    // Hits end after they start, so the end's search goes on from the start's; anything
    // else is searched in full.
    let j = if end >= start { below_from(list, i, end) } else { list.partition_point(|&p| (p as usize) < end) };
    (a, list.get(j).map_or(text_len, |&p| p as usize))
}

/// Whether `b` belongs to a word as the context rules and statements read words:
/// letters, digits, apostrophes, non-ASCII bytes, the `[ROLE]` masks' brackets and `&`
/// ("p&l").
pub(crate) fn is_word_char(b: u8) -> bool {
    crate::normalize::WORD_BYTES[b as usize] & crate::normalize::CONTEXT_WORD_BYTE != 0
}

/// Byte ranges of the words of `text[a..b]`, in order (the words [`words`] yields).
pub(crate) fn word_ranges(text: &[u8], a: usize, b: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = a;
    std::iter::from_fn(move || {
        while i < b && !is_word_char(text[i]) {
            i += 1;
        }
        if i >= b {
            return None;
        }
        let s = i;
        while i < b && is_word_char(text[i]) {
            i += 1;
        }
        Some((s, i))
    })
}

/// Words of `text[a..b]`, in order.
///
/// Works on bytes: every byte of a non-ASCII character is a word byte, so cutting at
/// ASCII separators gives the same words as splitting on characters, without decoding.
fn words(text: &str, a: usize, b: usize) -> Words<'_> {
    Words { text, front: a, back: b }
}

/// Words a hit's reading looks at before it, nearest first, and after it.
const BACK_WORDS: usize = if NEGATION_REACH > VERB_REACH { NEGATION_REACH } else { VERB_REACH } + 2;
const FWD_WORDS: usize = AGENT_REACH + 2;

/// Fill `buf` from `it` (as far as it goes) and return the filled part.
fn fill<'b, 'a, const N: usize>(buf: &'b mut [&'a str; N], it: impl Iterator<Item = &'a str>) -> &'b [&'a str] {
    let mut n = 0;
    for (slot, w) in buf.iter_mut().zip(it) {
        *slot = w;
        n += 1;
    }
    &buf[..n]
}

/// The iterator [`words`] returns: the unread part is `text[front..back]`.
#[derive(Clone)]
struct Words<'a> {
    text: &'a str,
    front: usize,
    back: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let b = self.text.as_bytes();
        while self.front < self.back && !is_word_char(b[self.front]) {
            self.front += 1;
        }
        if self.front == self.back {
            return None;
        }
        let s = self.front;
        while self.front < self.back && is_word_char(b[self.front]) {
            self.front += 1;
        }
        // Cut only at ASCII bytes, so both ends are character boundaries.
        Some(&self.text[s..self.front])
    }
}

impl DoubleEndedIterator for Words<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let b = self.text.as_bytes();
        while self.back > self.front && !is_word_char(b[self.back - 1]) {
            self.back -= 1;
        }
        if self.back == self.front {
            return None;
        }
        let e = self.back;
        while self.back > self.front && is_word_char(b[self.back - 1]) {
            self.back -= 1;
        }
        Some(&self.text[self.back..e])
    }
}

/// The words of `text[lo..hi]` from a posting's word list: the same words [`words`]
/// yields (a word cut by `lo` or `hi` is cut the same way), found by a lookup in the
/// list's index ([`Tokens::context_in`]) instead of a walk over the bytes.
#[inline]
fn tokens_in<'a, 'k>(text: &'a str, tokens: &'k Tokens, lo: usize, hi: usize) -> TokenWords<'a, 'k> {
    TokenWords { text, tokens: &tokens.context()[tokens.context_in(lo, hi)], lo, hi }
}

/// The iterator [`tokens_in`] returns.
#[derive(Clone)]
struct TokenWords<'a, 'k> {
    text: &'a str,
    tokens: &'k [(u32, u32)],
    lo: usize,
    hi: usize,
}

impl ExactSizeIterator for TokenWords<'_, '_> {}

impl TokenWords<'_, '_> {
    /// A token's range clipped to the window. Word bounds are ASCII separators, and the
    /// window's ends are character boundaries wherever [`words`] is used, so a clipped
    /// range is too.
    fn clip(&self, (s, e): (u32, u32)) -> (usize, usize) {
        ((s as usize).max(self.lo), (e as usize).min(self.hi))
    }
}

impl<'a> Iterator for TokenWords<'a, '_> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let (&t, rest) = self.tokens.split_first()?;
        self.tokens = rest;
        let (s, e) = self.clip(t);
        Some(&self.text[s..e])
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.tokens.len(), Some(self.tokens.len()))
    }

    // The words are a slice: skipping them reads none.
    fn nth(&mut self, n: usize) -> Option<&'a str> {
        self.tokens = self.tokens.get(n..).unwrap_or_default();
        self.next()
    }
}

impl DoubleEndedIterator for TokenWords<'_, '_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let (&t, rest) = self.tokens.split_last()?;
        self.tokens = rest;
        let (s, e) = self.clip(t);
        Some(&self.text[s..e])
    }

    fn nth_back(&mut self, n: usize) -> Option<Self::Item> {
        self.tokens = &self.tokens[..self.tokens.len().saturating_sub(n)];
        self.next_back()
    }
}

/// The offsets of the bytes that can end a clause, sentence or statement (`\n . : ; ! ?`),
/// in text order: one pass of 64-byte masks, so the lists built from them need no sort
/// (two three-byte `memchr` scans would each be ordered, but not together).
fn end_marks(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let is_end = |x: u8| (x == b'\n') | (x == b'.') | (x == b':') | (x == b';') | (x == b'!') | (x == b'?');
    b.chunks(BLOCK).enumerate().flat_map(move |(k, chunk)| {
        let mask = match chunk.try_into() {
            Ok(block) => class_mask(block, is_end),
            Err(_) => {
                // The tail, padded with zero bytes (no end byte).
                let mut last = [0u8; BLOCK];
                last[..chunk.len()].copy_from_slice(chunk);
                class_mask(&last, is_end)
            }
        };
        Bits(mask).map(move |i| k * BLOCK + i)
    })
}

/// The set bits of a mask, lowest first.
struct Bits(u64);

impl Iterator for Bits {
    type Item = usize;
    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let i = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(i)
    }
}

impl Layout {
    /// Analyse `text` (normalised) with the lexicon's cues and the posting's hits.
    pub fn build(&mut self, text: &str, lexicon: &Lexicon, hits: &[Hit]) {
        self.split(text);
        self.build_split(text, lexicon, hits);
    }

    /// Find the words of `text` (normalised): the first half of [`Layout::build`], done
    /// before matching so the matcher can walk the same words ([`Layout::words`]).
    pub fn split(&mut self, text: &str) {
        self.words.split(text);
    }

    /// Both word lists [`Layout::split`] found (the matcher reads [`Tokens::words`];
    /// [`Layout::tokens`] is the context rules' list, [`Tokens::context`]).
    pub fn words(&self) -> &Tokens {
        &self.words
    }

    /// The rest of [`Layout::build`], on the words [`Layout::split`] found in `text`
    /// (the same text: the rules slice it at those words' offsets).
    pub fn build_split(&mut self, text: &str, lexicon: &Lexicon, hits: &[Hit]) {
        debug_assert!(
            self.words.context().last().is_none_or(|t| t.1 as usize <= text.len()),
            "the words were split from another text"
        );
        self.bounds.clear();
        self.sentences.clear();
        self.sections.clear();
        self.stops.clear();
        self.roles.clear();
        self.boiler_cache = None;
        self.voice_cache = None;
        self.long_clause = None;
        self.long_cues.clear();
        self.title_end = None;
        self.bounds_at = Cursor::default();
        self.sentences_at = Cursor::default();
        self.stops_at = Cursor::default();
        let b = text.as_bytes();
        for i in end_marks(b) {
            let c = b[i];
            let ends = match c {
                b'.' | b':' => b.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\n'),
                _ => true,
            };
            if c != b':' {
                self.stops.push(i as u32);
            }
            if ends {
                self.bounds.push(i as u32);
                if c != b':' && c != b';' {
                    self.sentences.push(i as u32);
                }
            }
        }
        career::find_all(text, &self.words, &mut self.career_cues);
        self.roles.extend(
            hits.iter()
                .enumerate()
                .filter(|(_, h)| lexicon.entries[h.entry as usize].kind == Kind::Role)
                .map(|(j, _)| j as u32),
        );
        let cues = &lexicon.cues;
        let mut line_start = 0;
        let mut first = true;
        let mut ws: Vec<&str> = Vec::new();
        // Line ends by the memchr crate's SIMD search: `str::split` finds them with the
        // standard library's plain byte search, a measurable share of this pass.
        for end in memchr::memchr_iter(b'\n', b).chain(std::iter::once(b.len())) {
            let line = &text[line_start..end];
            // Only a short line or one with a colon can be a heading, and only the first
            // line a title: other lines need no word list.
            // Counted by the word index, not by walking the words.
            let count = tokens_in(text, &self.words, line_start, end).len();
            let short = count <= MAX_TITLE_WORDS.max(MAX_HEADING_WORDS);
            if !(first || short || memchr::memchr(b':', line.as_bytes()).is_some()) {
                line_start = end + 1;
                continue;
            }
            if first && count > 0 {
                first = false;
                let names_role = hits
                    .iter()
                    .take_while(|h| (h.start as usize) < end)
                    .any(|h| lexicon.entries[h.entry as usize].kind == Kind::Role);
                // A posting of one line has no title: "Product manager owning the
                // roadmap and pricing" is the posting, not its name.
                let more = text[end..].bytes().any(|b| !b.is_ascii_whitespace());
                if names_role && more && count <= MAX_TITLE_WORDS && !line.trim_end().ends_with('.') {
                    self.title_end = Some(end as u32);
                }
            }
            if short {
                // Only a short line's words are listed: a long first line (scraped
                // postings often have one) would grow the list for nothing.
                ws.clear();
                ws.extend(tokens_in(text, &self.words, line_start, end));
                if let Some(section) = heading(line, &ws, cues) {
                    self.sections.push((line_start as u32, section));
                } else if self.sections.last().is_some_and(|&(_, s)| s == Section::Boilerplate)
                    && addresses_hire(line, &ws)
                {
                    // "You'll need to:" after the perks: the posting is back on the hire.
                    self.sections.push((line_start as u32, Section::Intro));
                }
            } else {
                self.inline_headings(text, line_start, end, cues);
            }
            line_start = end + 1;
        }
    }

    /// Headings inside a long line — scraped postings often lose their line breaks:
    /// "… Location: Berlin. About the role: you will … Benefits: dental, …". Each short
    /// lead-in before a colon that names a section starts that section there. An inline
    /// boilerplate heading covers only its own sentence, so a "Location:" near the top
    /// of a one-line posting cannot turn the whole posting into boilerplate.
    ///
    /// One forward pass: colons that share a lead-in start (no clause end between them,
    /// as in "a:b:c:…") extend one running word list instead of re-reading the lead-in
    /// from its start, so the cost is linear in the line however many colons it holds.
    fn inline_headings(&mut self, text: &str, start: usize, end: usize, cues: &ContextCues) {
        let mut current = self.sections.last().map_or(Section::Intro, |&(_, s)| s);
        // The lead-in being read: its start, how far its words were collected, its first
        // MAX_HEADING_WORDS + 1 words, and its first colon with the words before it.
        let mut lead_start = usize::MAX;
        let mut scanned_to = 0;
        let mut lead: Vec<&str> = Vec::new();
        let mut first_colon: Option<usize> = None;
        for colon in memchr::memchr_iter(b':', &text.as_bytes()[start..end]).map(|p| start + p) {
            // The lead-in runs back to the previous clause end.
            let i = self.bounds.partition_point(|&p| (p as usize) < colon);
            let this_start = if i == 0 { start } else { (self.bounds[i - 1] as usize + 1).max(start) };
            if this_start != lead_start {
                lead_start = this_start;
                scanned_to = this_start;
                lead.clear();
                first_colon = None;
            }
            // A colon is not a word character, so the words up to this colon are the
            // words up to the previous one followed by those in between.
            if lead.len() <= MAX_HEADING_WORDS {
                lead.extend(words(text, scanned_to, colon).take(MAX_HEADING_WORDS + 1 - lead.len()));
                scanned_to = colon;
            }
            let words_before_first = first_colon;
            if first_colon.is_none() {
                first_colon = Some(lead.len());
            }
            if lead.is_empty() || lead.len() > MAX_HEADING_WORDS {
                continue;
            }
            let ends_with_period = text[lead_start..colon].trim_end().ends_with('.');
            let Some(section) = heading_of(&lead, ends_with_period, words_before_first, cues) else { continue };
            self.sections.push((lead_start as u32, section));
            if section == Section::Boilerplate {
                let j = self.sentences.partition_point(|&p| (p as usize) <= colon);
                if let Some(&stop) = self.sentences.get(j) {
                    if (stop as usize) < end {
                        self.sections.push((stop + 1, current));
                    }
                }
            } else {
                current = section;
            }
        }
    }

    fn clause(&mut self, start: usize, end: usize, text_len: usize) -> (usize, usize) {
        enclosing(&self.bounds, &mut self.bounds_at, start, end, text_len)
    }

    fn sentence(&mut self, start: usize, end: usize, text_len: usize) -> (usize, usize) {
        enclosing(&self.sentences, &mut self.sentences_at, start, end, text_len)
    }

    /// Whether the sentence `text[a..b]` speaks as the company without talking about
    /// the hire: it opens with a company-voice word and names no role-voice cue.
    fn company_voice(&self, text: &str, a: usize, b: usize, cues: &ContextCues) -> bool {
        cues.company_voice.starts(tokens_in(text, &self.words, a, b))
            && !cues.role_voice.occurs_in(tokens_in(text, &self.words, a, b))
    }

    fn section_at(&self, pos: usize) -> Section {
        if self.title_end.is_some_and(|t| pos < t as usize) {
            return Section::Title;
        }
        let i = self.sections.partition_point(|&(p, _)| p as usize <= pos);
        if i == 0 {
            Section::Intro
        } else {
            self.sections[i - 1].1
        }
    }

    /// Whether the hit at `s..e` follows a career cue in its sentence ("…grow into a
    /// [role] role where you'll define the roadmap"). The cues were found once per posting.
    fn after_career_cue(&mut self, text: &str, s: usize, e: usize) -> bool {
        if self.career_cues.is_empty() {
            return false;
        }
        let (sa, _) = self.sentence(s, e, text.len());
        let i = self.career_cues.partition_point(|&(a, _)| (a as usize) < sa);
        self.career_cues.get(i).is_some_and(|&(_, end)| end as usize <= s)
    }

    /// Whether the clause `text[a..b]` around a hit at `pos` carries a boilerplate cue.
    /// In a clause too long to be one sentence (a flattened list) only the words near
    /// the hit count, so one "founded in" cannot void a whole posting.
    fn boilerplate_sentence(&mut self, text: &str, (a, b): (usize, usize), pos: usize, cues: &ContextCues) -> bool {
        if b - a > LONG_CLAUSE_BYTES {
            if self.long_clause != Some((a as u32, b as u32)) {
                self.long_clause = Some((a as u32, b as u32));
                self.long_cues.clear();
                let mut it = tokens_in(text, &self.words, a, b);
                loop {
                    let rest = it.clone();
                    let Some(w) = it.next() else { break };
                    let start = w.as_ptr() as usize - text.as_ptr() as usize;
                    cues.boilerplate_sentences.each_at(rest.clone(), |n| {
                        let last = rest.clone().nth(n - 1).unwrap_or(w);
                        let end = last.as_ptr() as usize - text.as_ptr() as usize + last.len();
                        self.long_cues.push((start as u32, end as u32));
                    });
                }
            }
            // A cue counts when all its words lie within the window around the hit.
            let lo = pos.saturating_sub(BOILERPLATE_WINDOW_BYTES).max(a) as u32;
            let hi = (pos + BOILERPLATE_WINDOW_BYTES).min(b) as u32;
            let i = self.long_cues.partition_point(|&(s, _)| s < lo);
            return self.long_cues[i..].iter().take_while(|&&(s, _)| s < hi).any(|&(_, e)| e <= hi);
        }
        if let Some((start, end, v)) = self.boiler_cache {
            if (start as usize, end as usize) == (a, b) {
                return v;
            }
        }
        let v = cues.boilerplate_sentences.occurs_in(tokens_in(text, &self.words, a, b));
        self.boiler_cache = Some((a as u32, b as u32, v));
        v
    }

    /// Read hit `k` of `hits` in context.
    ///
    /// `earlier` holds the readings of `hits[..k]` (or fewer): a phrase that continues a
    /// list takes the reading of the item before it (see [`crate::coordination`]).
    pub fn read(&mut self, text: &str, lexicon: &Lexicon, hits: &[Hit], k: usize, earlier: &[Reading]) -> Reading {
        let h = hits[k];
        let (s, e) = (h.start as usize, h.end as usize);
        let entry = &lexicon.entries[h.entry as usize];
        let cues = &lexicon.cues;
        let mut section = self.section_at(s);
        let reading = |effect, section| Reading { effect, section, attributed_to: None, owned: false };
        if section == Section::Title {
            return reading(Effect::Title, section);
        }
        let (ca, cb) = self.clause(s, e, text.len());
        if section != Section::Boilerplate && self.boilerplate_sentence(text, (ca, cb), s, cues) {
            section = Section::Boilerplate;
        }
        if matches!(section, Section::Intro | Section::Duties) {
            let (sa, sb) = self.sentence(s, e, text.len());
            let voice = match self.voice_cache {
                Some((start, v)) if start as usize == sa => v,
                _ => {
                    let v = self.company_voice(text, sa, sb, cues);
                    self.voice_cache = Some((sa as u32, v));
                    v
                }
            };
            if voice {
                section = Section::Company;
            }
        }
        if entry.kind == Kind::Role {
            return reading(Effect::Counted, section);
        }
        if self.after_career_cue(text, s, e) {
            return reading(Effect::Future, section);
        }
        // Words before the hit in its clause, nearest first.
        // On the stack: this runs for every hit.
        let mut back_buf = [""; BACK_WORDS];
        let back = fill(&mut back_buf, tokens_in(text, &self.words, ca, s).rev());
        let mut fwd_buf = [""; FWD_WORDS];
        let fwd = fill(&mut fwd_buf, tokens_in(text, &self.words, e, cb));

        if negated(back, fwd, cues) {
            return reading(Effect::Negated, section);
        }
        let stops_before = self.stops_at.below(&self.stops, s);
        if let Some(r) = self.attributed(text, lexicon, hits, k, ca, stops_before, fwd) {
            return Reading { effect: Effect::Attributed, section, attributed_to: Some(r as u32), owned: false };
        }
        let mut verbs_buf = [""; VERB_REACH];
        let verbs = fill(&mut verbs_buf, back.iter().take(VERB_REACH).rev().copied());
        // Owned: an ownership verb stands before it, or the phrase opens with one.
        let owned = cues.ownership.find(verbs).is_some() || {
            let mut own = tokens_in(text, &self.words, s, e);
            let first: [&str; 3] = [own.next().unwrap_or(""), own.next().unwrap_or(""), own.next().unwrap_or("")];
            cues.ownership.matches_at(&first, 0)
        };
        let pm_side = entry.strategic > 0.0 || entry.roadmap > 0.0;
        let po_side = entry.strategic < 0.0 || entry.roadmap < 0.0;
        if entry.kind == Kind::Duty && pm_side && !owned && works_from(verbs, cues) {
            return reading(Effect::Contribution, section);
        }
        if entry.kind == Kind::Duty && po_side && !owned && cues.facilitation.find(verbs).is_some() {
            return reading(Effect::Facilitated, section);
        }
        if entry.kind == Kind::Duty && !owned && (pm_side || po_side) {
            match self.list_reading(text, hits, k, earlier, ca) {
                Some(Effect::Contribution) if pm_side => return reading(Effect::Contribution, section),
                Some(Effect::Facilitated) if po_side => return reading(Effect::Facilitated, section),
                _ => {}
            }
        }
        Reading { effect: Effect::Counted, section, attributed_to: None, owned }
    }

    /// The reading of the list item before hit `k`, when `k` continues that list inside
    /// the clause starting at `clause_start`.
    fn list_reading(
        &self,
        text: &str,
        hits: &[Hit],
        k: usize,
        earlier: &[Reading],
        clause_start: usize,
    ) -> Option<Effect> {
        let s = hits[k].start as usize;
        // The nearest earlier phrase that ends before this one starts (a few overlap it).
        let j = (0..k.min(earlier.len())).rev().take(MAX_OVERLAPS_SKIPPED + 1).find(|&j| hits[j].end as usize <= s)?;
        let (a, b) = (hits[j].start as usize, hits[j].end as usize);
        if a < clause_start {
            return None;
        }
        let gap_words = tokens_in(text, &self.words, b, s);
        coordination::continues_list(&text[b..s], gap_words).then_some(earlier[j].effect)
    }

    /// The text's words as byte ranges, in order (what [`words`] would yield over the
    /// whole text).
    pub fn tokens(&self) -> &[(u32, u32)] {
        self.words.context()
    }

    /// The end of the title line, if the first line was read as a title.
    pub fn title_end(&self) -> Option<usize> {
        self.title_end.map(|t| t as usize)
    }
}

/// Words that speak to the reader as the hire.
const SECOND_PERSON: &[&str] = &["you", "you'll", "you're", "you'd", "you've", "your"];

/// Whether a short line no heading list knows introduces what follows about the hire:
/// it is no list item, it leads into something (ends with a colon or an ellipsis), and
/// it speaks to the reader ("You'll need to:", "Now, back to you…").
fn addresses_hire(line: &str, ws: &[&str]) -> bool {
    let t = line.trim();
    let item = t.starts_with(['*', '-', '•', '·'])
        || t.split('.').next().is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    !item
        && (t.ends_with(':') || t.ends_with("...") || t.ends_with('…'))
        && ws.iter().any(|w| SECOND_PERSON.contains(w))
}

/// Whether a line is a heading, and of which section.
fn heading(line: &str, ws: &[&str], cues: &ContextCues) -> Option<Section> {
    let ends_with_period = line.trim_end().ends_with('.');
    let colon_words = || line.find(':').map(|p| words(line, 0, p).count());
    if ws.is_empty() || ws.len() <= MAX_HEADING_WORDS && !ends_with_period {
        return heading_of(ws, ends_with_period, None, cues);
    }
    heading_of(ws, ends_with_period, colon_words(), cues)
}

/// [`heading`] on a line's words `ws`, whether the line ends with a period, and the
/// number of words before its first colon (if it has one).
fn heading_of(ws: &[&str], ends_with_period: bool, colon_words: Option<usize>, cues: &ContextCues) -> Option<Section> {
    if ws.is_empty() {
        return None;
    }
    let short = ws.len() <= MAX_HEADING_WORDS && !ends_with_period;
    // "Benefits: health, dental…" opens a section even on a long line.
    let scope = if short {
        ws
    } else {
        match colon_words {
            Some(n) if n <= MAX_HEADING_WORDS => &ws[..n.min(ws.len())],
            _ => return None,
        }
    };
    let lists = [
        (&cues.boilerplate_headings, Section::Boilerplate),
        (&cues.duty_headings, Section::Duties),
        (&cues.requirement_headings, Section::Requirements),
        (&cues.preferred_headings, Section::Preferred),
    ];
    lists.into_iter().find(|(list, _)| list.find(scope).is_some()).map(|(_, section)| section)
}

/// Whether a contribution cue stands in `verbs` (the words before a phrase, in order)
/// with no [`RESULT_MARKER`] after it: "translate the vision into a strategy" works
/// from the vision but makes the strategy.
fn works_from(verbs: &[&str], cues: &ContextCues) -> bool {
    (0..verbs.len()).any(|i| {
        let mut found = false;
        cues.contribution.each_at(verbs[i..].iter().copied(), |n| {
            found |= !verbs[i + n..].contains(&RESULT_MARKER);
        });
        found
    })
}

fn negated(back: &[&str], fwd: &[&str], cues: &ContextCues) -> bool {
    // Backwards: stop at a contrast word or a new subject.
    let mut reach = back.len().min(NEGATION_REACH);
    // Most hits have no word in reach that could start a negation cue: note whether one
    // does on the way, and only then put the window in text order and read it.
    let mut may_negate = false;
    for (i, w) in back[..reach].iter().enumerate() {
        if CONTRAST.contains(w) || cues.self_reference.has_word(w) {
            reach = i;
            break;
        }
        may_negate |= cues.negation_before.may_start(w);
    }
    if may_negate {
        let mut window_buf = [""; BACK_WORDS];
        let window = fill(&mut window_buf, back[..reach].iter().rev().copied());
        // Exceptions first ("not only", "no matter"): they hide the negation inside them.
        for i in 0..window.len() {
            if cues.negation_before.matches_at(window, i) && !cues.negation_exceptions.matches_at(window, i) {
                return true;
            }
        }
    }
    let after = &fwd[..fwd.len().min(NEGATION_AFTER_REACH + 1)];
    cues.negation_after.find(after).is_some_and(|i| i < NEGATION_AFTER_REACH)
        && cues.negation_exceptions.find(after).is_none()
}

impl Layout {
    /// The index of the role hit this duty hit belongs to, if it is another role's duty.
    ///
    /// Linear in the posting: the sentence start comes from the index built once per
    /// posting, and only role names within reach of the phrase are looked at (a relative
    /// clause or possessive farther than [`RELATIVE_REACH`] words away never applies), so
    /// a long unpunctuated run of role names and duties costs a constant per hit.
    /// `stops_before` is how many of the layout's `stops` lie before the hit.
    #[allow(clippy::too_many_arguments)]
    fn attributed(
        &self,
        text: &str,
        lexicon: &Lexicon,
        hits: &[Hit],
        k: usize,
        clause_start: usize,
        stops_before: usize,
        fwd: &[&str],
    ) -> Option<usize> {
        let h = hits[k];
        let cues = &lexicon.cues;
        let is_role = |j: usize| lexicon.entries[hits[j].entry as usize].kind == Kind::Role;
        // Sentence start: clauses split on ":" too, but a relative clause may not cross "." or "\n".
        let i = stops_before;
        let sent_start = if i == 0 { 0 } else { self.stops[i - 1] as usize + 1 }.min(clause_start);
        // A role name ending at or before the start of the (RELATIVE_REACH + 2)-th word back
        // leaves more than RELATIVE_REACH words (and more than POSSESSIVE_GAP) between it
        // and the phrase: neither rule below can apply to it or to any earlier one.
        let before_k = self.roles.partition_point(|&j| (j as usize) < k);
        // Most hits have no role name earlier in their sentence: skip the walk back.
        let near_role = before_k > 0 && hits[self.roles[before_k - 1] as usize].end as usize >= sent_start;
        let reach_start = if near_role {
            tokens_in(text, &self.words, sent_start, h.start as usize)
                .rev()
                .nth(RELATIVE_REACH + 1)
                .map(|w| w.as_ptr() as usize - text.as_ptr() as usize)
        } else {
            None
        };
        for &j in self.roles[..before_k].iter().rev() {
            let j = j as usize;
            let r = hits[j];
            // Hits do not overlap, so role ends descend with j: stop at the first out of reach.
            if (r.end as usize) < sent_start || reach_start.is_some_and(|p| r.end as usize <= p) {
                break;
            }
            let rest = &text[r.end as usize..h.start as usize];
            // (a) possessive: "the product manager's roadmap", "POs' backlog".
            let possessive =
                rest.strip_prefix("'s").or_else(|| rest.strip_prefix("s'")).or_else(|| rest.strip_prefix('\''));
            if let Some(after) = possessive {
                // The possessive owns the noun phrase right after it ("the PM's long-term
                // vision and roadmap"), not what follows a preposition or another phrase
                // ("the PM's roadmap into user stories").
                let gap = tokens_in(text, &self.words, h.start as usize - after.len(), h.start as usize);
                let crosses = gap.clone().any(|w| PREPOSITIONS.contains(&w))
                    || hits[j + 1..k].iter().any(|m| lexicon.entries[m.entry as usize].kind != Kind::Role);
                if gap.len() <= POSSESSIVE_GAP && !crosses {
                    return Some(j);
                }
            }
            // (b) relative clause: "each squad has a product owner who owns the backlog". The
            // role name is someone else unless the posting frames it as the hire ("we are
            // looking for a product owner who…", "as a PO who…").
            // On the stack: this runs for every role name near a hit. A gap too long for
            // the rule (RELATIVE_REACH words after a possessive "s") is not read.
            let mut between = tokens_in(text, &self.words, r.end as usize, h.start as usize);
            if between.len() > RELATIVE_REACH + 1 {
                continue;
            }
            let mut between_buf = [""; RELATIVE_REACH + 1];
            let between = fill(&mut between_buf, &mut between);
            let between = if between.first() == Some(&"s") { &between[1..] } else { between };
            let relative = between.first().is_some_and(|w| cues.relative.has_word(w));
            let interrupted = between.iter().any(|w| cues.self_reference.has_word(w) || CONTRAST.contains(w));
            if relative && between.len() <= RELATIVE_REACH && !interrupted {
                let mut before_buf = [""; HIRE_FRAME_REACH];
                let n = fill(
                    &mut before_buf,
                    tokens_in(text, &self.words, sent_start.min(r.start as usize), r.start as usize).rev(),
                )
                .len();
                let before = &mut before_buf[..n];
                before.reverse();
                if cues.hire_frames.find(before).is_none() {
                    return Some(j);
                }
            }
        }
        // (c) passive agent: "a roadmap set by leadership", "the backlog owned by the PO".
        if let Some(by) = fwd.iter().take(AGENT_REACH).position(|w| *w == "by") {
            let mut rest = &fwd[by + 1..];
            while rest.first().is_some_and(|w| DETERMINERS.contains(w)) {
                rest = &rest[1..];
            }
            if cues.agents.matches_at(rest, 0) {
                return Some(k);
            }
            // A role name right after "by", among the next few hits. Only a " by " before
            // the last of them can lead to one, so the search stops there.
            const NEXT_HITS: usize = 4;
            let candidates = &hits[(k + 1).min(hits.len())..(k + 1 + NEXT_HITS).min(hits.len())];
            let limit = candidates.last().map_or(h.end as usize, |r| r.start as usize).max(h.end as usize);
            let by_at = text[h.end as usize..limit].find(" by ").map(|p| h.end as usize + p + 4);
            if let Some(at) = by_at {
                if let Some(j) = candidates
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (k + 1 + i, r))
                    .find(|(j, r)| {
                        is_role(*j)
                            && (r.start as usize) >= at
                            && words(text, at, r.start as usize).all(|w| DETERMINERS.contains(&w))
                    })
                    .map(|(j, _)| j)
                {
                    return Some(j);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn token_windows_read_like_word_walks() {
        use super::{tokens_in, word_ranges, words};
        let text = "the pm's [role] owns p&l, roadmap—and the backlog; you'll café-work… ok";
        let mut tokens = crate::tokens::Tokens::new();
        tokens.split(text);
        let walked: Vec<(u32, u32)> =
            word_ranges(text.as_bytes(), 0, text.len()).map(|(s, e)| (s as u32, e as u32)).collect();
        assert_eq!(tokens.context(), walked);
        let bounds: Vec<usize> = (0..=text.len()).filter(|&p| text.is_char_boundary(p)).collect();
        for &lo in &bounds {
            for &hi in bounds.iter().filter(|&&h| h >= lo) {
                let want: Vec<&str> = words(text, lo, hi).collect();
                assert_eq!(tokens_in(text, &tokens, lo, hi).collect::<Vec<_>>(), want, "{lo}..{hi}");
                let back: Vec<&str> = words(text, lo, hi).rev().collect();
                assert_eq!(tokens_in(text, &tokens, lo, hi).rev().collect::<Vec<_>>(), back, "{lo}..{hi} reversed");
                assert_eq!(tokens_in(text, &tokens, lo, hi).len(), want.len(), "{lo}..{hi} counted");
                for n in 0..=want.len() + 1 {
                    let mut it = tokens_in(text, &tokens, lo, hi);
                    assert_eq!(it.nth(n), want.get(n).copied(), "{lo}..{hi} nth({n})");
                    assert_eq!(
                        it.collect::<Vec<_>>(),
                        want.get(n + 1..).unwrap_or_default(),
                        "{lo}..{hi} after nth({n})"
                    );
                    let mut it = tokens_in(text, &tokens, lo, hi);
                    assert_eq!(it.nth_back(n), back.get(n).copied(), "{lo}..{hi} nth_back({n})");
                    assert_eq!(
                        it.rev().collect::<Vec<_>>(),
                        back.get(n + 1..).unwrap_or_default(),
                        "{lo}..{hi} after nth_back({n})"
                    );
                }
            }
        }
    }

    #[test]
    fn cursors_answer_as_binary_searches_do() {
        use super::{enclosing, Cursor};
        // Repeated offsets, and a list long enough that a far jump ends the walk.
        let list: Vec<u32> = [3, 7, 7, 20].into_iter().chain((21..400).step_by(3)).collect();
        let below = |x: usize| list.partition_point(|&p| (p as usize) < x);
        let mut at = Cursor::default();
        // Forwards, in place, far ahead, past the end, backwards, from the start again.
        for x in [0, 3, 4, 7, 8, 8, 20, 21, 22, 30, 250, 399, 1000, 5, 0, 7, 390, 21, 24] {
            assert_eq!(at.below(&list, x), below(x), "below({x})");
        }
        let mut at = Cursor::default();
        for (start, end) in [(0, 2), (4, 8), (8, 7), (9, 30), (30, 30), (5, 200), (390, 500), (10, 12)] {
            let i = below(start);
            let j = below(end);
            let want = (if i == 0 { 0 } else { list[i - 1] as usize + 1 }, list.get(j).map_or(999, |&p| p as usize));
            assert_eq!(enclosing(&list, &mut at, start, end, 999), want, "{start}..{end}");
        }
    }

    #[test]
    fn cue_lists_match_word_sequences() {
        let list = crate::lexicon::CueList::new(vec![
            vec!["with".to_string(), "the".to_string()],
            vec!["not".to_string()],
            vec!["not".to_string(), "only".to_string()],
        ]);
        let ws = ["work", "with", "the", "team"];
        assert_eq!(list.find(&ws), Some(1));
        assert!(!list.matches_at(&ws, 0) && list.matches_at(&ws, 1));
        assert!(!list.matches_at(&["with"], 0), "a cue longer than the window does not match");
        assert!(list.has_word("not") && !list.has_word("with"));
        assert!(list.matches_at(&["not", "only"], 0));
        assert_eq!(list.find(&[]), None);
    }
}
