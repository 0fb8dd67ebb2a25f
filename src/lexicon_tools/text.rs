//! Sentences, words and n-grams of *normalised* text (see [`crate::normalize`]), shared by
//! the miner and the corpus statistics. Working on the classifier's own folded text means a
//! candidate phrase is exactly what the matcher would search for: "go-to-market" is already
//! "go to market", and an n-gram never spans punctuation that would stop a lexicon phrase
//! from matching ("analysts, marketers" yields no "analysts marketers").
//!
//! Role names are found with the classifier's [`Matcher`] over the lexicon's `kind = "role"`
//! entries plus a few built-in names, so "PM"/"PO" stay case-sensitive and "product
//! manager's" is a role name exactly as it is for the classifier.

use crate::error::LexiconError;
use crate::lexicon::{ContextCues, Entry, Kind, Lexicon, Provenance, Role};
use crate::matcher::{Hit, Matcher};
use crate::normalize::{is_word_byte, normalize_phrase, Normalized};
use std::collections::HashSet;
use std::ops::Range;

/// Words that carry no duty on their own: function words, and a few generic verbs and nouns
/// ("ensure", "based", "order") that otherwise rank as fragments of "ensure that", "based
/// on", "in order to". An n-gram may contain them ("voice of the customer") but may not
/// start or end with one ("the backlog", "backlog and"). Sorted, lowercase, as the
/// normaliser writes them (apostrophes folded to `'`).
pub const STOP_WORDS: &[&str] = &[
    "a",
    "able",
    "about",
    "above",
    "across",
    "after",
    "again",
    "against",
    "all",
    "almost",
    "along",
    "also",
    "although",
    "always",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "aren't",
    "around",
    "as",
    "at",
    "based",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "can't",
    "cannot",
    "could",
    "couldn't",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "down",
    "during",
    "each",
    "either",
    "else",
    "ensure",
    "ensures",
    "ensuring",
    "etc",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "had",
    "has",
    "hasn't",
    "have",
    "haven't",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "including",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "least",
    "less",
    "let",
    "let's",
    "like",
    "make",
    "makes",
    "making",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "neither",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "or",
    "order",
    "other",
    "others",
    "otherwise",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "per",
    "rather",
    "really",
    "same",
    "several",
    "shall",
    "she",
    "should",
    "shouldn't",
    "since",
    "so",
    "some",
    "such",
    "sure",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they'll",
    "they're",
    "thing",
    "things",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "usually",
    "very",
    "via",
    "vs",
    "was",
    "wasn't",
    "way",
    "ways",
    "we",
    "we'll",
    "we're",
    "well",
    "were",
    "weren't",
    "what",
    "what's",
    "when",
    "where",
    "whereas",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "won't",
    "would",
    "wouldn't",
    "yet",
    "you",
    "you'll",
    "you're",
    "your",
    "yours",
    "yourself",
];

/// Words before a full stop that do not end a sentence ("e.g." is caught as one-letter words).
const ABBREVIATIONS: &[&str] = &["approx", "cf", "dr", "etc", "inc", "ltd", "mr", "mrs", "ms", "no", "vs"];

/// Role names known even to a lexicon without `kind = "role"` entries: (role, phrase,
/// case-sensitive). A name the lexicon already has is not added again.
const BUILTIN_ROLE_NAMES: &[(Role, &str, bool)] = &[
    (Role::Pm, "product manager", false),
    (Role::Pm, "product managers", false),
    (Role::Pm, "product management", false),
    (Role::Pm, "PM", true),
    (Role::Pm, "PMs", true),
    (Role::Po, "product owner", false),
    (Role::Po, "product owners", false),
    (Role::Po, "PO", true),
    (Role::Po, "POs", true),
    (Role::Other, "scrum master", false),
    (Role::Other, "scrum masters", false),
    (Role::Other, "project manager", false),
    (Role::Other, "project managers", false),
    (Role::Other, "program manager", false),
    (Role::Other, "program managers", false),
    (Role::Other, "business analyst", false),
    (Role::Other, "business analysts", false),
];

/// Whether `word` is in [`STOP_WORDS`].
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Whether an n-gram may start or end with `word`: not a stop word, not a lone letter,
/// not a bare number ("12 months" is a lexicon author's call, not a mined candidate).
pub fn can_edge_gram(word: &str) -> bool {
    !is_stop_word(word) && word.chars().nth(1).is_some() && !word.bytes().all(|b| b.is_ascii_digit())
}

/// A sentence of normalised text: byte range and 0-based line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// First byte.
    pub start: usize,
    /// End byte (exclusive), after the closing punctuation.
    pub end: usize,
    /// Which line (`\n`-separated) of the normalised text it is on.
    pub line: usize,
}

/// Split normalised text into sentences, appending to `out` (cleared first). A sentence ends
/// at a line break, or at `.`, `!` or `?` (and any closing quotes or brackets) followed by a
/// space — except after an abbreviation or a one-letter word ("e.g.", "vs.", "J. Smith").
pub fn split_sentences(text: &str, out: &mut Vec<Sentence>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut line_start = 0;
    for (line, line_text) in text.split('\n').enumerate() {
        let line_end = line_start + line_text.len();
        let mut start = line_start;
        let mut i = line_start;
        while i < line_end {
            if matches!(bytes[i], b'.' | b'!' | b'?') && !is_abbreviation_dot(bytes, line_start, i) {
                let mut j = i + 1;
                while j < line_end && matches!(bytes[j], b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']') {
                    j += 1;
                }
                if j == line_end || bytes[j] == b' ' {
                    push_trimmed(text, start, j, line, out);
                    start = j;
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
        push_trimmed(text, start, line_end, line, out);
        line_start = line_end + 1;
    }
}

fn is_abbreviation_dot(bytes: &[u8], line_start: usize, dot: usize) -> bool {
    if bytes[dot] != b'.' {
        return false;
    }
    let word_start = (line_start..dot).rev().take_while(|&k| is_word_byte(bytes[k])).last().unwrap_or(dot);
    let word = std::str::from_utf8(&bytes[word_start..dot]).unwrap_or("");
    word.len() == 1 || ABBREVIATIONS.contains(&word)
}

fn push_trimmed(text: &str, start: usize, end: usize, line: usize, out: &mut Vec<Sentence>) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(Sentence { start: start + lead, end: end - trail, line });
    }
}

/// A word of normalised text: a run of word bytes, with apostrophes and ampersands inside
/// it ("team's", "p&l"). Consecutive tokens separated by exactly one space share a
/// `chunk`; punctuation between them starts a new one, and n-grams stay inside a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First byte.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// Run of words joined by single spaces this token belongs to.
    pub chunk: u32,
}

/// The tokens of `text[range]`, appended to `out` (not cleared: a caller may collect the
/// tokens of several sentences, whose chunks never join).
pub fn tokenize(text: &str, range: Range<usize>, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut chunk = out.last().map_or(0, |t| t.chunk + 1);
    let mut prev_end: Option<usize> = None;
    let mut i = range.start;
    while i < range.end {
        if !is_word_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < range.end
            && (is_word_byte(bytes[i])
                || (matches!(bytes[i], b'\'' | b'&') && i + 1 < range.end && is_word_byte(bytes[i + 1])))
        {
            i += 1;
        }
        match prev_end {
            Some(p) if &text[p..start] == " " => {}
            Some(_) => chunk += 1,
            None => {}
        }
        out.push(Token { start, end: i, chunk });
        prev_end = Some(i);
    }
}

/// Calls `f(first, last)` (inclusive token indices) for every n-gram of 1 to `max_order`
/// tokens that stays inside one chunk, has no token in `masked` (role names), and starts and
/// ends with a word that [`can_edge_gram`]. Its text is `text[tokens[first].start..tokens[last].end]`.
pub fn for_each_gram(text: &str, tokens: &[Token], masked: &[bool], max_order: usize, mut f: impl FnMut(usize, usize)) {
    let edge: Vec<bool> = tokens.iter().map(|t| can_edge_gram(&text[t.start..t.end])).collect();
    for first in 0..tokens.len() {
        if !edge[first] || masked[first] {
            continue;
        }
        for last in first..tokens.len().min(first + max_order) {
            if tokens[last].chunk != tokens[first].chunk || masked[last] {
                break;
            }
            if edge[last] {
                f(first, last);
            }
        }
    }
}

/// Marks the tokens that overlap any of `spans` (byte ranges, sorted by start).
pub fn mask_tokens(tokens: &[Token], spans: &[Range<usize>], masked: &mut Vec<bool>) {
    masked.clear();
    let mut k = 0;
    for t in tokens {
        while k < spans.len() && spans[k].end <= t.start {
            k += 1;
        }
        masked.push(spans[k..].iter().take_while(|s| s.start < t.end).any(|s| s.end > t.start));
    }
}

/// Finds role names (the lexicon's role entries plus [`BUILTIN_ROLE_NAMES`]) in normalised
/// text with the classifier's own matcher.
#[derive(Debug, Clone)]
pub struct RoleFinder {
    roles: Vec<Role>,
    matcher: Matcher,
}

impl RoleFinder {
    /// Compile the role names of `lexicon`.
    pub fn new(lexicon: &Lexicon) -> Result<Self, LexiconError> {
        let mut entries: Vec<Entry> = lexicon.entries.iter().filter(|e| e.kind == Kind::Role).cloned().collect();
        let mut known: HashSet<String> =
            entries.iter().flat_map(|e| e.phrases.iter().map(|p| normalize_phrase(p))).collect();
        for (i, &(role, phrase, case_sensitive)) in BUILTIN_ROLE_NAMES.iter().enumerate() {
            if known.insert(normalize_phrase(phrase)) {
                entries.push(Entry {
                    id: format!("builtin-role-{i}"),
                    kind: Kind::Role,
                    role: Some(role),
                    phrases: vec![phrase.to_string()],
                    strategic: 0.0,
                    roadmap: 0.0,
                    other: 0.0,
                    anchor: false,
                    builds: false,
                    profile: None,
                    shared_with: None,
                    case_sensitive,
                    sources: Vec::new(),
                    provenance: Provenance::Curated,
                    why: String::new(),
                    line: 0,
                });
            }
        }
        let roles = entries.iter().map(|e| e.role.unwrap_or(Role::Unknown)).collect();
        let roles_only =
            Lexicon { id: lexicon.id.clone(), description: String::new(), entries, cues: ContextCues::default() };
        Ok(RoleFinder { roles, matcher: Matcher::new(&roles_only)? })
    }

    /// Role-name hits in `norm` (`source` is the text before normalisation, for the
    /// case-sensitive acronyms), appended to `hits` (cleared first).
    pub fn find(&self, norm: &Normalized, source: &str, hits: &mut Vec<Hit>) {
        self.matcher.find_into(norm, source, hits);
    }

    /// The role a hit names.
    pub fn role(&self, hit: &Hit) -> Role {
        self.roles.get(hit.entry as usize).copied().unwrap_or(Role::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_into;

    fn sentences(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        split_sentences(text, &mut out);
        out.iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]), "STOP_WORDS must be sorted and unique");
        assert!(is_stop_word("the") && is_stop_word("you'll") && !is_stop_word("backlog"));
    }

    #[test]
    fn sentence_table() {
        let cases: [(&str, &[&str]); 6] = [
            ("own the roadmap. groom the backlog.", &["own the roadmap.", "groom the backlog."]),
            ("tools, e.g. jira. then more", &["tools, e.g. jira.", "then more"]),
            ("pm vs. po is old! really? yes", &["pm vs. po is old!", "really?", "yes"]),
            ("heading\nline two. line three", &["heading", "line two.", "line three"]),
            ("version 2.0 ships \"soon.\" next", &["version 2.0 ships \"soon.\"", "next"]),
            ("  \n\n", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(sentences(text), want, "{text:?}");
        }
        let mut out = Vec::new();
        split_sentences("a b.\nc d", &mut out);
        assert_eq!(out.iter().map(|s| s.line).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn tokens_and_chunks() {
        let text = "the team's p&l, voice of the customer (roadmap)";
        let mut toks = Vec::new();
        tokenize(text, 0..text.len(), &mut toks);
        let words: Vec<(&str, u32)> = toks.iter().map(|t| (&text[t.start..t.end], t.chunk)).collect();
        assert_eq!(
            words,
            [
                ("the", 0),
                ("team's", 0),
                ("p&l", 0),
                ("voice", 1),
                ("of", 1),
                ("the", 1),
                ("customer", 1),
                ("roadmap", 2)
            ]
        );
    }

    #[test]
    fn grams_respect_chunks_masks_and_stop_word_edges() {
        let text = "own the product backlog, write user stories for the scrum master";
        let mut toks = Vec::new();
        tokenize(text, 0..text.len(), &mut toks);
        let mut masked = Vec::new();
        let scrum = text.find("scrum master").unwrap();
        let role = scrum..scrum + "scrum master".len();
        mask_tokens(&toks, std::slice::from_ref(&role), &mut masked);
        let mut grams = Vec::new();
        for_each_gram(text, &toks, &masked, 3, |a, b| grams.push(&text[toks[a].start..toks[b].end]));
        assert_eq!(
            grams,
            [
                "own",
                "own the product",
                "product",
                "product backlog",
                "backlog",
                "write",
                "write user",
                "write user stories",
                "user",
                "user stories",
                "stories"
            ]
        );
    }

    #[test]
    fn role_finder_uses_lexicon_and_builtin_names() {
        let finder = RoleFinder::new(&Lexicon::embedded()).unwrap();
        let cases = [
            ("The PM's roadmap", vec![Role::Pm]),
            ("a product owner's backlog and the scrum master", vec![Role::Po, Role::Other]),
            ("product management tools", vec![Role::Pm]),
            ("meet at 3 pm", vec![]),
            ("Product Owners (POs) and the [ROLE]", vec![Role::Po, Role::Po, Role::Unknown]),
        ];
        for (text, want) in cases {
            let mut norm = Normalized::new();
            normalize_into(text, &mut norm);
            let mut hits = Vec::new();
            finder.find(&norm, text, &mut hits);
            let got: Vec<Role> = hits.iter().map(|h| finder.role(h)).collect();
            assert_eq!(got, want, "{text}");
        }
    }
}
