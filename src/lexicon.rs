//! The lexicon: phrases with weights on two axes (strategic ↔ tactical, roadmap ↔
//! backlog), an "other role" weight, role names, and the cue words the context rules
//! use. It is a human-edited TOML file; the default one is compiled into the binary so
//! `jdclass` works from any directory, and `--lexicon FILE` replaces it.

use crate::error::LexiconError;
use crate::normalize::normalize_phrase;
use crate::variants;
use crate::wordset::WordIndex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// The shipped lexicon, embedded at build time.
pub const DEFAULT_LEXICON: &str = include_str!("../lexicon/default.toml");
/// Name used for the embedded lexicon in messages and outputs.
pub const EMBEDDED_NAME: &str = "<embedded lexicon/default.toml>";
/// Largest lexicon file accepted (the shipped one is about 120 KB). A bound on the file
/// bounds the time and memory to load it, and stops `--lexicon /dev/zero` at once.
pub const MAX_LEXICON_BYTES: usize = 8 * 1024 * 1024;
/// Most entries a lexicon may hold (the shipped one has a few hundred).
pub const MAX_ENTRIES: usize = 20_000;
/// Most phrases (before spelling variants) a lexicon may hold in all.
pub const MAX_PHRASES: usize = 100_000;
/// Longest phrase, in bytes: a lexicon phrase is a few words, and the automaton's size
/// and the context rules' windows grow with it.
pub const MAX_PHRASE_BYTES: usize = 200;
/// Smallest non-zero weight: outputs round weights to 3 decimals, and a smaller weight
/// (or one that rounds to zero in single precision, like 1e-50) has no visible effect.
pub const MIN_WEIGHT: f64 = 0.001;
/// Hex digits of the content hash shown in outputs: enough to tell versions apart.
const HASH_DIGITS: usize = 12;

/// What an entry is evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A product duty, scored on the two axes.
    Duty,
    /// A duty of a non-product role (project manager, scrum master, analyst, marketer).
    Other,
    /// A role name: title evidence, never scored as content.
    Role,
}

/// The role a role-name entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Product Manager.
    Pm,
    /// Product Owner.
    Po,
    /// A combined title ("PM/PO").
    Hybrid,
    /// A non-product role (scrum master, project manager...).
    Other,
    /// A masked role name (`[ROLE]` in anonymised data).
    Unknown,
}

impl Role {
    /// The short name used in files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Pm => "pm",
            Role::Po => "po",
            Role::Hybrid => "hybrid",
            Role::Other => "other",
            Role::Unknown => "unknown",
        }
    }
}

/// Where an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provenance {
    /// Written by a person from the seed documents.
    Curated,
    /// Proposed by `jdclass lexicon mine` and kept after review.
    Mined,
}

impl Provenance {
    /// The short name used in files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Curated => "curated",
            Provenance::Mined => "mined",
        }
    }
}

/// Which non-product role an `other` entry's duty belongs to, so a posting can say
/// what it reads as ("reads as product marketing"), not only what it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// Messaging, positioning for campaigns, launches, sales enablement.
    ProductMarketing,
    /// Programme, project and delivery management.
    Delivery,
    /// Scrum master, agile coach.
    AgileCoaching,
    /// Business and systems analysis.
    Analysis,
    /// Software engineering.
    Engineering,
    /// UX/UI design.
    Design,
    /// Data analysis and analytics.
    Data,
    /// Sales and account management.
    Sales,
    /// Customer support and success operations.
    Support,
}

impl Profile {
    /// Every profile, in display order.
    pub const ALL: [Profile; 9] = [
        Profile::ProductMarketing,
        Profile::Delivery,
        Profile::AgileCoaching,
        Profile::Analysis,
        Profile::Engineering,
        Profile::Design,
        Profile::Data,
        Profile::Sales,
        Profile::Support,
    ];

    /// The kebab-case name used in files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::ProductMarketing => "product-marketing",
            Profile::Delivery => "delivery",
            Profile::AgileCoaching => "agile-coaching",
            Profile::Analysis => "analysis",
            Profile::Engineering => "engineering",
            Profile::Design => "design",
            Profile::Data => "data",
            Profile::Sales => "sales",
            Profile::Support => "support",
        }
    }

    /// The role in words, for "reads as …".
    pub fn describe(self) -> &'static str {
        match self {
            Profile::ProductMarketing => "product marketing",
            Profile::Delivery => "programme / project delivery",
            Profile::AgileCoaching => "scrum master / agile coaching",
            Profile::Analysis => "business analysis",
            Profile::Engineering => "engineering",
            Profile::Design => "design",
            Profile::Data => "data analysis",
            Profile::Sales => "sales",
            Profile::Support => "customer support",
        }
    }
}

/// One lexicon entry, validated.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Unique id (kebab-case).
    pub id: String,
    /// Duty, other-role duty, or role name.
    pub kind: Kind,
    /// For role entries: which role.
    pub role: Option<Role>,
    /// Phrases as written in the file.
    pub phrases: Vec<String>,
    /// -1 (tactical) ..= +1 (strategic).
    pub strategic: f32,
    /// -1 (backlog) ..= +1 (roadmap).
    pub roadmap: f32,
    /// 0 ..= 1: how strongly this points to a non-product role.
    pub other: f32,
    /// Names ownership of a product itself (roadmap, product vision, backlog, user
    /// stories). Only anchors can make a posting a product role; other duties
    /// (pricing, sales, developers) only tilt it toward one side.
    pub anchor: bool,
    /// Names the product's own content — features, requirements, releases, what the
    /// team builds next — rather than the business around it (strategy, revenue,
    /// market trends, positioning), which product marketing, business analysis and
    /// programme roles talk about as much as product managers do. A posting with no
    /// anchor is a product role only when its own duties decide what gets built:
    /// duties with a `builds` (or anchor) phrase.
    pub builds: bool,
    /// For `other` entries: which non-product role the duty belongs to.
    pub profile: Option<Profile>,
    /// For duties: a non-product role that uses the same word for its own work
    /// ("positioning" is product marketing's too). In a statement that also carries
    /// that role's own phrases, the word reads as that role's work (see `duties`).
    pub shared_with: Option<Profile>,
    /// Match only when written exactly as a phrase (acronyms like "PO").
    pub case_sensitive: bool,
    /// Seed files that support the entry.
    pub sources: Vec<String>,
    /// Curated or mined.
    pub provenance: Provenance,
    /// Why the entry sits on its side.
    pub why: String,
    /// 1-based line of the entry in its file.
    pub line: usize,
}

/// A list of cue word sequences with an index by first word: checking a window of words
/// costs one lookup per word instead of one comparison per cue (the context rules run
/// for every hit, so this is on the hot path).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct CueList {
    cues: Vec<Vec<String>>,
    /// First word → its group in `groups`.
    #[serde(skip)]
    by_first: WordIndex,
    /// The cues that share a first word (indices into `cues`), and whether one of them
    /// is that word alone.
    #[serde(skip)]
    groups: Vec<(Vec<u32>, bool)>,
    /// A one-probe Bloom filter of the cues' first words, keyed on first byte, last
    /// byte and length (see [`word_key`]): most words near a hit start no cue, and
    /// this rejects them without hashing them.
    #[serde(skip)]
    first_words: Vec<u64>,
}

/// A fast non-cryptographic hasher (the multiply-rotate scheme of rustc's FxHash) for
/// the cue index: its keys come from the lexicon, not from input, so SipHash's
/// flooding resistance buys nothing, and the lookup runs for every word near a hit.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildFx;

/// The hasher [`BuildFx`] builds.
#[derive(Debug, Default)]
pub struct FxHasher(u64);

impl std::hash::BuildHasher for BuildFx {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        for chunk in bytes.chunks(8) {
            self.0 = (self.0.rotate_left(5) ^ load_le(chunk)).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The first 8 bytes of `b` as a little-endian integer, zero-padded when shorter.
/// Byte by byte for short words: a variable-length copy into a buffer would be a
/// `memcpy` call for every word hashed.
#[inline]
pub(crate) fn load_le(b: &[u8]) -> u64 {
    match b.first_chunk::<8>() {
        Some(head) => u64::from_le_bytes(*head),
        None => b.iter().rev().fold(0u64, |x, &c| (x << 8) | u64::from(c)),
    }
}

/// 64-bit words in a [`CueList`]'s filter: 4,096 bits for a few dozen cues keeps false
/// positives rare.
const CUE_FILTER_WORDS: usize = 64;

/// A word's bit in a [`CueList`]'s filter.
fn word_key(word: &str) -> usize {
    let b = word.as_bytes();
    let (first, last) = (b.first().copied().unwrap_or(0) as usize, b.last().copied().unwrap_or(0) as usize);
    (first ^ (last << 3) ^ (b.len() << 7)) % (CUE_FILTER_WORDS * 64)
}

impl CueList {
    /// Index normalised word sequences (empty ones are dropped).
    pub fn new(cues: Vec<Vec<String>>) -> CueList {
        let cues: Vec<Vec<String>> = cues.into_iter().filter(|c| !c.is_empty()).collect();
        let mut group_of: HashMap<&str, usize> = HashMap::new();
        let mut groups: Vec<(Vec<u32>, bool)> = Vec::new();
        let mut first_words = vec![0u64; CUE_FILTER_WORDS];
        for (i, c) in cues.iter().enumerate() {
            let g = *group_of.entry(c[0].as_str()).or_insert_with(|| {
                groups.push((Vec::new(), false));
                groups.len() - 1
            });
            groups[g].0.push(i as u32);
            groups[g].1 |= c.len() == 1;
            let k = word_key(&c[0]);
            first_words[k / 64] |= 1 << (k % 64);
        }
        let by_first = WordIndex::new(group_of.iter().map(|(&w, &g)| (w, g as u32)));
        CueList { by_first, groups, first_words, cues }
    }

    /// Whether some cue's first word could be `word` (see `first_words`).
    #[inline(always)]
    pub(crate) fn may_start(&self, word: &str) -> bool {
        let k = word_key(word);
        // A default (empty) list has no filter and no cues.
        self.first_words.get(k / 64).is_some_and(|w| w & (1 << (k % 64)) != 0)
    }

    /// Whether a cue starts at `words[i]`. The context rules ask this for every word
    /// near every hit, and the filter rejects nearly all of them: that test is inlined
    /// into the caller, the lookup behind it is not.
    #[inline(always)]
    pub fn matches_at(&self, words: &[&str], i: usize) -> bool {
        match words.get(i) {
            Some(w) if self.may_start(w) => self.find_after(w, words[i + 1..].iter().copied(), |_| true),
            _ => false,
        }
    }

    /// The first position in `words` where a cue starts.
    pub fn find(&self, words: &[&str]) -> Option<usize> {
        (0..words.len()).find(|&i| self.matches_at(words, i))
    }

    /// Whether a cue starts at the first word of `words` (an iterator, so a caller
    /// need not collect a sentence's words to ask).
    pub fn starts<'a>(&self, words: impl Iterator<Item = &'a str> + Clone) -> bool {
        self.find_at(words, |_| true)
    }

    /// Call `found` with the length in words of each cue that starts at the first word
    /// of `words`.
    pub fn each_at<'a>(&self, words: impl Iterator<Item = &'a str> + Clone, mut found: impl FnMut(usize)) {
        self.find_at(words, |n| {
            found(n);
            false
        });
    }

    /// Offer `stop` the length in words of each cue that starts at the first word of
    /// `words`, until it returns true; whether it did. The filter test is inlined (most
    /// words fail it); the lookup is not.
    #[inline(always)]
    fn find_at<'a>(&self, mut words: impl Iterator<Item = &'a str> + Clone, stop: impl FnMut(usize) -> bool) -> bool {
        let Some(first) = words.next() else { return false };
        self.may_start(first) && self.find_after(first, words, stop)
    }

    /// [`CueList::find_at`] for a first word that passed the filter, and the words after it.
    #[inline(never)]
    fn find_after<'a>(
        &self,
        first: &str,
        words: impl Iterator<Item = &'a str> + Clone,
        mut stop: impl FnMut(usize) -> bool,
    ) -> bool {
        // The index already matched the first word: compare only the rest.
        self.by_first.get(first).is_some_and(|g| {
            self.groups[g as usize].0.iter().any(|&k| {
                let c = &self.cues[k as usize];
                let mut it = words.clone();
                c[1..].iter().all(|cw| it.next() == Some(cw.as_str())) && stop(c.len())
            })
        })
    }

    /// Whether a cue starts anywhere in `words` (see [`CueList::starts`]).
    pub fn occurs_in<'a>(&self, mut words: impl Iterator<Item = &'a str> + Clone) -> bool {
        loop {
            let Some(word) = words.next() else { return false };
            // Each word is read once; only a possible first word is read again.
            if self.may_start(word) && self.find_after(word, words.clone(), |_| true) {
                return true;
            }
        }
    }

    /// Whether `word` is itself a one-word cue.
    pub fn has_word(&self, word: &str) -> bool {
        self.may_start(word) && self.by_first.get(word).is_some_and(|g| self.groups[g as usize].1)
    }
}

impl std::ops::Deref for CueList {
    type Target = [Vec<String>];
    fn deref(&self) -> &[Vec<String>] {
        &self.cues
    }
}

/// Cue words used by the context rules, editable with the lexicon. Each cue is a
/// normalised word sequence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ContextCues {
    /// Words before a phrase that negate it ("not", "no", "without").
    pub negation_before: CueList,
    /// Words after a phrase that negate it ("is not", "sits with").
    pub negation_after: CueList,
    /// Sequences that look like negation but are not ("not only", "no matter").
    pub negation_exceptions: CueList,
    /// Words that make a role name the hire itself ("looking for a", "as a").
    pub hire_frames: CueList,
    /// Relative pronouns that start another role's duty ("who", "that").
    pub relative: CueList,
    /// Words naming another owner after "by" ("leadership", "executives").
    pub agents: CueList,
    /// Verbs that make a strategic artefact someone else's, worked from ("contribute to").
    pub contribution: CueList,
    /// Verbs of ownership that cancel a contribution cue ("define", "own").
    pub ownership: CueList,
    /// Verbs that make product ceremonies a facilitator's work ("facilitate").
    pub facilitation: CueList,
    /// Words that make a clause the reader's own ("you", "your").
    pub self_reference: CueList,
    /// Headings of boilerplate sections (about us, benefits, EEO).
    pub boilerplate_headings: CueList,
    /// Headings of duty sections (responsibilities, what you'll do).
    pub duty_headings: CueList,
    /// Headings of requirement sections (qualifications, about you).
    pub requirement_headings: CueList,
    /// Headings of nice-to-have sections.
    pub preferred_headings: CueList,
    /// Phrases that mark a sentence as boilerplate wherever it stands.
    pub boilerplate_sentences: CueList,
    /// Openings of a sentence in the company's voice ("we", "our").
    pub company_voice: CueList,
    /// Words that make a company-voice sentence about the hire after all ("you", "this role").
    pub role_voice: CueList,
}

/// Name and version from the file's `[lexicon]` table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    /// Short name.
    pub name: String,
    /// Version the authors bump on every change.
    pub version: String,
    /// One line about it.
    #[serde(default)]
    pub description: String,
}

/// What every output names so a result can be traced to the lexicon that made it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LexiconId {
    /// The lexicon's name.
    pub name: String,
    /// Its declared version.
    pub version: String,
    /// First hex digits of the SHA-256 of the file's bytes.
    pub hash: String,
    /// Where it was loaded from.
    pub source: String,
}

/// A validated lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// Name, version, hash, source.
    pub id: LexiconId,
    /// Description from the file.
    pub description: String,
    /// Entries in file order.
    pub entries: Vec<Entry>,
    /// Cue words for the context rules.
    pub cues: ContextCues,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    lexicon: Meta,
    #[serde(default)]
    context: RawContext,
    #[serde(default)]
    entry: Vec<toml::Spanned<RawEntry>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawContext {
    negation_before: Vec<String>,
    negation_after: Vec<String>,
    negation_exceptions: Vec<String>,
    hire_frames: Vec<String>,
    relative: Vec<String>,
    agents: Vec<String>,
    contribution: Vec<String>,
    ownership: Vec<String>,
    facilitation: Vec<String>,
    self_reference: Vec<String>,
    boilerplate_headings: Vec<String>,
    duty_headings: Vec<String>,
    requirement_headings: Vec<String>,
    preferred_headings: Vec<String>,
    boilerplate_sentences: Vec<String>,
    company_voice: Vec<String>,
    role_voice: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    #[serde(default = "default_kind")]
    kind: Kind,
    role: Option<Role>,
    phrases: Vec<String>,
    #[serde(default)]
    strategic: f64,
    #[serde(default)]
    roadmap: f64,
    #[serde(default)]
    other: f64,
    #[serde(default)]
    anchor: bool,
    #[serde(default)]
    builds: bool,
    profile: Option<Profile>,
    shared_with: Option<Profile>,
    #[serde(default)]
    case_sensitive: bool,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default = "default_provenance")]
    provenance: Provenance,
    #[serde(default)]
    why: String,
}

fn default_kind() -> Kind {
    Kind::Duty
}
fn default_provenance() -> Provenance {
    Provenance::Curated
}

fn too_big(len: u64) -> String {
    format!(
        "the file is over {} MiB ({len} bytes or more); a lexicon is at most {MAX_LEXICON_BYTES} bytes",
        MAX_LEXICON_BYTES / (1024 * 1024)
    )
}

/// Read a lexicon file, refusing one over [`MAX_LEXICON_BYTES`] without reading further
/// (so a device such as `/dev/zero` is refused at once).
pub fn read_lexicon_file(path: &Path) -> Result<String, LexiconError> {
    use std::io::Read;
    let io = |source| LexiconError::Io { path: path.to_path_buf(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_LEXICON_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() > MAX_LEXICON_BYTES {
        return Err(LexiconError::Limit { path: path.display().to_string(), message: too_big(bytes.len() as u64) });
    }
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(&String::from_utf8_lossy(e.as_bytes()), e.utf8_error().valid_up_to());
        LexiconError::Syntax {
            path: path.display().to_string(),
            line,
            column,
            message: "invalid UTF-8; save the lexicon as UTF-8".to_string(),
        }
    })
}

/// Line starts of a text, found once, so that many offsets can be turned into lines
/// without counting from the top each time.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|p| p + 1));
        LineIndex { starts }
    }

    /// 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// 1-based (line, column) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

/// The hash every output shows for lexicon text: the first [`HASH_DIGITS`] hex digits of
/// the SHA-256 of its bytes. Public so tools can name a file that does not parse.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(HASH_DIGITS.div_ceil(2)).map(|b| format!("{b:02x}")).collect::<String>()[..HASH_DIGITS]
        .to_string()
}

fn cue_list(items: &[String]) -> CueList {
    CueList::new(cue_words(items))
}

fn cue_words(items: &[String]) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|s| normalize_phrase(s).split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect::<Vec<_>>())
        .filter(|v| !v.is_empty())
        .collect()
}

impl Lexicon {
    /// The lexicon compiled into the binary.
    pub fn embedded() -> Self {
        // The embedded file is checked by the test suite; failing here is a build defect.
        Self::parse(DEFAULT_LEXICON, EMBEDDED_NAME).expect("the embedded lexicon is valid (checked by tests)")
    }

    /// The embedded lexicon's id without building the lexicon: its `[lexicon]` table
    /// read alone, and the hash of the whole text. `--version` needs only this, and a
    /// second full parse would double every run's start-up.
    pub fn embedded_id() -> LexiconId {
        #[derive(Deserialize)]
        struct Head {
            lexicon: Meta,
        }
        let text = DEFAULT_LEXICON;
        let start = text.find("\n[lexicon]").map_or(0, |i| i + 1);
        let end = text[start + 1..].find("\n[").map_or(text.len(), |i| start + 1 + i);
        let head: Head =
            toml::from_str(&text[start..end]).expect("the embedded lexicon's head is valid (checked by tests)");
        LexiconId {
            name: head.lexicon.name,
            version: head.lexicon.version,
            hash: content_hash(text),
            source: EMBEDDED_NAME.to_string(),
        }
    }

    /// Load and validate a lexicon file.
    pub fn from_path(path: &Path) -> Result<Self, LexiconError> {
        let text = read_lexicon_file(path)?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parse and validate lexicon text; `source` names it in messages.
    pub fn parse(text: &str, source: &str) -> Result<Self, LexiconError> {
        let limit = |message: String| LexiconError::Limit { path: source.to_string(), message };
        if text.len() > MAX_LEXICON_BYTES {
            return Err(limit(too_big(text.len() as u64)));
        }
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            LexiconError::Syntax { path: source.to_string(), line, column, message: e.message().trim().to_string() }
        })?;
        if raw.entry.len() > MAX_ENTRIES {
            return Err(limit(format!(
                "{} entries; a lexicon holds at most {MAX_ENTRIES}: split it or drop rarely firing entries",
                raw.entry.len()
            )));
        }
        let mut phrase_count = 0usize;
        let mut entries = Vec::with_capacity(raw.entry.len());
        let mut seen_ids = std::collections::HashMap::new();
        // Entries come in file order: count lines incrementally, not from the top each time.
        let (mut counted_to, mut line) = (0, 1);
        for spanned in raw.entry {
            let start = spanned.span().start.min(text.len());
            if start >= counted_to {
                line += memchr::memchr_iter(b'\n', &text.as_bytes()[counted_to..start]).count();
                counted_to = start;
            } else {
                line = line_col(text, start).0;
            }
            let e = spanned.into_inner();
            let fail =
                |message: String| LexiconError::Entry { path: source.to_string(), line, id: e.id.clone(), message };
            if e.id.trim().is_empty() {
                return Err(fail("the id is empty; give every entry a unique kebab-case id".into()));
            }
            if let Some(first) = seen_ids.insert(e.id.clone(), line) {
                return Err(fail(format!("duplicate id (first defined at line {first}); ids must be unique")));
            }
            if let Some(p) = e.phrases.iter().find(|p| p.len() > MAX_PHRASE_BYTES) {
                let head: String = p.chars().take(40).collect();
                return Err(fail(format!(
                    "phrase \"{head}…\" is {} bytes; a phrase is a few words, at most {MAX_PHRASE_BYTES} bytes",
                    p.len()
                )));
            }
            phrase_count += e.phrases.len();
            if phrase_count > MAX_PHRASES {
                return Err(fail(format!(
                    "the lexicon has more than {MAX_PHRASES} phrases in all; split it or drop rarely firing phrases"
                )));
            }
            if e.phrases.is_empty() || e.phrases.iter().any(|p| normalize_phrase(p).is_empty()) {
                return Err(fail("every entry needs at least one non-empty phrase".into()));
            }
            for (axis, w) in [("strategic", e.strategic), ("roadmap", e.roadmap)] {
                if !(-1.0..=1.0).contains(&w) || w.is_nan() {
                    return Err(fail(format!("{axis} = {w} is out of range; weights are between -1.0 and 1.0")));
                }
            }
            if !(0.0..=1.0).contains(&e.other) || e.other.is_nan() {
                return Err(fail(format!("other = {} is out of range; it is between 0.0 and 1.0", e.other)));
            }
            for (axis, w) in [("strategic", e.strategic), ("roadmap", e.roadmap), ("other", e.other)] {
                if w != 0.0 && w.abs() < MIN_WEIGHT {
                    return Err(fail(format!(
                        "{axis} = {w} is too small to have an effect; use 0, or at least {MIN_WEIGHT} in size"
                    )));
                }
            }
            match e.kind {
                Kind::Duty if e.strategic == 0.0 && e.roadmap == 0.0 => {
                    return Err(fail(
                        "a duty needs a non-zero strategic or roadmap weight (or kind = \"other\" / \"role\")".into(),
                    ));
                }
                Kind::Duty if e.other != 0.0 => {
                    return Err(fail("a duty has no `other` weight; make it kind = \"other\" instead".into()));
                }
                Kind::Other if e.other == 0.0 || e.strategic != 0.0 || e.roadmap != 0.0 => {
                    return Err(fail("kind = \"other\" takes only an `other` weight above 0".into()));
                }
                Kind::Role if e.role.is_none() => {
                    return Err(fail(
                        "kind = \"role\" needs role = \"pm\" | \"po\" | \"hybrid\" | \"other\" | \"unknown\"".into(),
                    ));
                }
                Kind::Role if e.strategic != 0.0 || e.roadmap != 0.0 || e.other != 0.0 => {
                    return Err(fail("role names are title evidence and carry no weights".into()));
                }
                _ => {}
            }
            if e.anchor && e.kind != Kind::Duty {
                return Err(fail("`anchor` is only for product duties (kind = \"duty\")".into()));
            }
            if e.builds && e.kind != Kind::Duty {
                return Err(fail("`builds` is only for product duties (kind = \"duty\")".into()));
            }
            if e.profile.is_some() && e.kind != Kind::Other {
                return Err(fail("`profile` is only for kind = \"other\" (the non-product role it belongs to)".into()));
            }
            if e.shared_with.is_some() && e.kind != Kind::Duty {
                return Err(fail("`shared_with` is only for product duties (kind = \"duty\")".into()));
            }
            if e.kind != Kind::Role && e.role.is_some() {
                return Err(fail("`role` is only for kind = \"role\"".into()));
            }
            entries.push(Entry {
                id: e.id,
                kind: e.kind,
                role: e.role,
                phrases: e.phrases,
                strategic: e.strategic as f32,
                roadmap: e.roadmap as f32,
                other: e.other as f32,
                anchor: e.anchor,
                builds: e.builds,
                profile: e.profile,
                shared_with: e.shared_with,
                case_sensitive: e.case_sensitive,
                sources: e.sources,
                provenance: e.provenance,
                why: e.why,
                line,
            });
        }
        let c = &raw.context;
        let cues = ContextCues {
            negation_before: cue_list(&c.negation_before),
            negation_after: cue_list(&c.negation_after),
            negation_exceptions: cue_list(&c.negation_exceptions),
            hire_frames: cue_list(&c.hire_frames),
            relative: cue_list(&c.relative),
            agents: cue_list(&c.agents),
            contribution: cue_list(&c.contribution),
            ownership: cue_list(&c.ownership),
            facilitation: cue_list(&c.facilitation),
            self_reference: cue_list(&c.self_reference),
            boilerplate_headings: cue_list(&c.boilerplate_headings),
            duty_headings: cue_list(&c.duty_headings),
            requirement_headings: cue_list(&c.requirement_headings),
            preferred_headings: cue_list(&c.preferred_headings),
            boilerplate_sentences: cue_list(&c.boilerplate_sentences),
            company_voice: cue_list(&c.company_voice),
            role_voice: cue_list(&c.role_voice),
        };
        Ok(Lexicon {
            id: LexiconId {
                name: raw.lexicon.name,
                version: raw.lexicon.version,
                hash: content_hash(text),
                source: source.to_string(),
            },
            description: raw.lexicon.description,
            entries,
            cues,
        })
    }

    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Every pattern the matcher searches for, as (normalised pattern, entry index,
    /// raw phrase). British spellings are added after each American one.
    pub fn patterns(&self) -> Vec<(String, usize, String)> {
        let mut out = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            for p in &e.phrases {
                let norm = normalize_phrase(p);
                if let Some(gb) = variants::british(&norm) {
                    out.push((norm.clone(), i, p.clone()));
                    out.push((gb, i, p.clone()));
                } else {
                    out.push((norm, i, p.clone()));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_le_pads_like_a_buffer_copy() {
        let text = b"abcdefghij";
        for n in 0..=text.len() {
            let mut buf = [0u8; 8];
            let k = n.min(8);
            buf[..k].copy_from_slice(&text[..k]);
            assert_eq!(load_le(&text[..n]), u64::from_le_bytes(buf), "{n} bytes");
        }
    }

    const HEAD: &str = "[lexicon]\nname = \"t\"\nversion = \"1\"\n";

    fn err(body: &str) -> String {
        Lexicon::parse(&format!("{HEAD}{body}"), "test.toml").unwrap_err().to_string()
    }

    #[test]
    fn embedded_lexicon_is_valid() {
        let lex = Lexicon::embedded();
        assert!(lex.entries.len() >= 150, "{} entries", lex.entries.len());
        assert_eq!(lex.id.hash.len(), HASH_DIGITS);
    }

    #[test]
    fn the_embedded_id_is_the_built_lexicons_id() {
        assert_eq!(Lexicon::embedded_id(), Lexicon::embedded().id);
    }

    #[test]
    fn errors_name_file_line_and_entry() {
        let e = err("\n[[entry]]\nid = \"a\"\nphrases = [\"x\"]\nstrategic = 1.5\n");
        assert_eq!(e, "test.toml:5: entry 'a': strategic = 1.5 is out of range; weights are between -1.0 and 1.0");
        let e = err("[[entry]]\nid = \"a\"\nphrases = [\"x\"]\nstrategic = 1\n[[entry]]\nid = \"a\"\nphrases = [\"y\"]\nroadmap = 1\n");
        assert!(e.starts_with("test.toml:8: entry 'a': duplicate id (first defined at line 4)"), "{e}");
        let e = err("[[entry]]\nid = \"a\"\nphrases = []\nroadmap = 1\n");
        assert!(e.contains("entry 'a': every entry needs"), "{e}");
        let e = err("[[entry]]\nid = \"a\"\nphrases = [\"x\"]\n");
        assert!(e.contains("needs a non-zero"), "{e}");
        let e = err("[[entry]]\nid = \"r\"\nkind = \"role\"\nphrases = [\"x\"]\n");
        assert!(e.contains("needs role ="), "{e}");
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let e = err("[[entry]]\nid = \"a\"\nphrases = [\"x\"\n");
        assert!(e.starts_with("test.toml:6:") || e.starts_with("test.toml:7:"), "{e}");
        let e = err("[[entry]]\nid = \"a\"\nphrases = [\"x\"]\nweight = 1\n");
        assert!(e.starts_with("test.toml:7:") && e.contains("weight"), "{e}");
    }

    #[test]
    fn hash_changes_with_content() {
        let a = Lexicon::parse(&format!("{HEAD}[[entry]]\nid = \"a\"\nphrases = [\"x\"]\nroadmap = 1\n"), "a").unwrap();
        let b =
            Lexicon::parse(&format!("{HEAD}[[entry]]\nid = \"a\"\nphrases = [\"x\"]\nroadmap = 0.9\n"), "b").unwrap();
        assert_ne!(a.id.hash, b.id.hash);
    }
}
