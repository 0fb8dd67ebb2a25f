//! `jdclass lexicon check`: validate a lexicon file and report *every* defect with its file,
//! line and entry id. The loader ([`Lexicon::parse`]) stops at the first problem, which is
//! right for classifying and wrong for editing a 3,000-line file; and some defects are not
//! load errors at all, only reasons the classifier will quietly ignore a phrase.
//!
//! Each `[[entry]]` is re-parsed *on its own* with the loader, so the rules for a single
//! entry (phrases present, kinds and weights consistent, no unknown keys) are the loader's
//! own and can never drift from it. Then come the checks that need the whole file:
//!
//! | defect | severity | meaning |
//! |---|---|---|
//! | `syntax` | error | not TOML, or a table outside the entries is malformed |
//! | `invalid` | error | the loader refuses the entry (message says why) |
//! | `out-of-range` | error | `strategic`/`roadmap` outside −1..1, `other` outside 0..1 |
//! | `duplicate-id` | error | two entries share an id |
//! | `duplicate-phrase` | error | two entries list the same phrase |
//! | `colliding-phrase` | error | two entries' phrases or spelling variants normalise to the same pattern |
//! | `unknown-source` | error | with `--seeds DIR`: a source that is not a file of DIR |
//! | `no-sources` | warning | the entry names no source |
//! | `shadowed` | warning | see below |
//! | `shadowed-in-corpus` | warning | a phrase that occurs in the corpus but never counts |
//! | `partial-overlap` | warning | the end of one entry's phrase is the start of another's ("define the product" / "product vision") |
//! | `never-fires` | warning | no phrase of the entry matches any posting of the corpus |
//!
//! **Shadowed**, precisely: phrase P of entry A is shadowed by phrase Q of entry B when P's
//! pattern is a whole-word part of Q's pattern (prefix, infix or suffix: "roadmap" in
//! "translate the roadmap"), A and B sit on different sides (pm side = strategic + roadmap
//! ≥ 0, po side, or other roles), and neither is a role name. The matcher is
//! leftmost-longest, so wherever Q occurs the text is B's and A's evidence is lost. That is
//! often the intent (a longer phrase that reverses a word's meaning), so it is a warning to
//! read, not an error. **Shadowed in corpus** is the empirical version, whatever the sides:
//! P occurs (as whole words) in the corpus, and every occurrence is taken by a longer or
//! earlier phrase of another entry. Case-sensitive entries are left out of it.
//!
//! **Partial overlap**: phrase P of entry A ends with words that phrase Q of entry B starts
//! with, so in text holding both ("define the product vision") only one can count; the
//! matcher keeps the more specific concept (see `matcher`), which is worth checking.

use super::corpus::Corpus;
use super::ToolError;
use crate::error::LexiconError;
use crate::lexicon::{content_hash, ContextCues, Entry, Kind, Lexicon, LexiconId, LineIndex};
use crate::matcher::{Hit, Matcher};
use crate::normalize::{is_word_byte, normalize_into, normalize_phrase, Normalized};
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::Path;

/// The header each entry is re-parsed under; the slice of the entry follows it.
const MINI_HEAD: &str = "[lexicon]\nname = \"check\"\nversion = \"0\"\n";

/// How bad a defect is: errors make `jdclass lexicon check` exit 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The lexicon is wrong or will not load.
    Error,
    /// The lexicon loads, but part of it does nothing or may not do what was meant.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// The kinds of defect (see the module docs for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Defect {
    /// Not TOML, or a malformed table outside the entries.
    Syntax,
    /// The loader refuses the entry.
    Invalid,
    /// A weight out of its range.
    OutOfRange,
    /// Two entries with one id.
    DuplicateId,
    /// Two entries with one phrase.
    DuplicatePhrase,
    /// Two entries whose phrases match the same text.
    CollidingPhrase,
    /// A source file that is not in the seeds directory.
    UnknownSource,
    /// No sources.
    NoSources,
    /// A phrase another entry's longer phrase swallows, on a different side.
    Shadowed,
    /// A phrase whose every occurrence in the corpus another entry takes.
    ShadowedInCorpus,
    /// The end of one entry's phrase is the start of another's.
    PartialOverlap,
    /// An entry that matches nothing in the corpus.
    NeverFires,
}

impl Defect {
    /// Error or warning.
    pub fn severity(self) -> Severity {
        match self {
            Defect::NoSources
            | Defect::Shadowed
            | Defect::ShadowedInCorpus
            | Defect::PartialOverlap
            | Defect::NeverFires => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The name shown in brackets.
    pub fn as_str(self) -> &'static str {
        match self {
            Defect::Syntax => "syntax",
            Defect::Invalid => "invalid",
            Defect::OutOfRange => "out-of-range",
            Defect::DuplicateId => "duplicate-id",
            Defect::DuplicatePhrase => "duplicate-phrase",
            Defect::CollidingPhrase => "colliding-phrase",
            Defect::UnknownSource => "unknown-source",
            Defect::NoSources => "no-sources",
            Defect::Shadowed => "shadowed",
            Defect::ShadowedInCorpus => "shadowed-in-corpus",
            Defect::PartialOverlap => "partial-overlap",
            Defect::NeverFires => "never-fires",
        }
    }
}

/// One defect, at a line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind.
    pub defect: Defect,
    /// The lexicon file (or the embedded lexicon's name).
    pub path: String,
    /// 1-based line: the offending phrase, key or source when it can be found, else the
    /// entry's `[[entry]]` line.
    pub line: usize,
    /// The entry, when the defect belongs to one.
    pub id: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}[{}]: ", self.path, self.line, self.defect.severity(), self.defect.as_str())?;
        if let Some(id) = &self.id {
            write!(f, "entry '{id}': ")?;
        }
        f.write_str(&self.message)
    }
}

/// What a check found.
#[derive(Debug, Clone)]
pub struct Report {
    /// The lexicon checked: name and version as declared ("?" when unreadable), content hash.
    pub lexicon: LexiconId,
    /// `[[entry]]` tables in the file.
    pub entries: usize,
    /// The corpus the empirical checks ran on, and its number of postings.
    pub corpus: Option<(String, usize)>,
    /// Every defect, by line.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.defect.severity() == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Diagnostics per kind.
    pub fn counts(&self) -> BTreeMap<Defect, usize> {
        let mut out = BTreeMap::new();
        for d in &self.diagnostics {
            *out.entry(d.defect).or_insert(0) += 1;
        }
        out
    }
}

#[derive(Deserialize)]
struct EntrySpans {
    #[serde(default)]
    entry: Vec<toml::Spanned<toml::Table>>,
}

/// One `[[entry]]` of the file.
struct RawEntry {
    /// Byte range of `[[entry]]` … last key.
    span: Range<usize>,
    line: usize,
    id: Option<String>,
    /// The entry as the loader reads it, if it does.
    entry: Option<Entry>,
}

/// Check lexicon `text` (named `path` in messages). With `seeds`, every source must be a
/// file of that directory; with `corpus`, entries that never fire and phrases that never
/// count are reported.
pub fn check(text: &str, path: &str, seeds: Option<&Path>, corpus: Option<&Corpus>) -> Result<Report, ToolError> {
    let seed_files = match seeds {
        Some(dir) => Some(list_dir(dir)?),
        None => None,
    };
    let mut report = Report {
        lexicon: LexiconId {
            name: "?".into(),
            version: "?".into(),
            hash: content_hash(text),
            source: path.to_string(),
        },
        entries: 0,
        corpus: None,
        diagnostics: Vec::new(),
    };
    let mut out = Diagnostics { path, list: Vec::new() };
    // Line numbers for every diagnostic come from one index of the line starts.
    let lines = LineIndex::new(text);
    let lines = &lines;
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            let line = e.span().map_or(1, |s| lines.line(s.start));
            out.push(Defect::Syntax, line, None, e.message().trim().to_string());
            report.diagnostics = out.list;
            return Ok(report);
        }
    };
    let meta = table.get("lexicon").and_then(|v| v.as_table());
    let field = |k: &str| meta.and_then(|m| m.get(k)).and_then(|v| v.as_str()).map(str::to_string);
    report.lexicon.name = field("name").unwrap_or_else(|| "?".into());
    report.lexicon.version = field("version").unwrap_or_else(|| "?".into());

    let spans = match toml::from_str::<EntrySpans>(text) {
        Ok(s) => s.entry,
        Err(e) => {
            let line = e.span().map_or(1, |s| lines.line(s.start));
            out.push(Defect::Syntax, line, None, e.message().trim().to_string());
            Vec::new()
        }
    };
    let mut raw: Vec<RawEntry> = spans
        .into_iter()
        .map(|s| {
            let span = entry_extent(text, s.span());
            let id = s.get_ref().get("id").and_then(|v| v.as_str()).map(str::to_string);
            RawEntry { line: lines.line(span.start), span, id, entry: None }
        })
        .collect();
    report.entries = raw.len();

    // The whole file once: reports what lies outside the entries ([lexicon], [context]).
    if let Err(LexiconError::Syntax { line, message, .. }) = Lexicon::parse(text, path) {
        if !raw.iter().any(|r| (lines.line(r.span.start)..=lines.line(r.span.end)).contains(&line)) {
            out.push(Defect::Syntax, line, None, message);
        }
    }

    for r in &mut raw {
        check_entry(text, lines, path, r, &mut out);
    }
    duplicate_ids(&raw, &mut out);
    let valid: Vec<(&RawEntry, &Entry)> = raw.iter().filter_map(|r| r.entry.as_ref().map(|e| (r, e))).collect();
    let owners = phrases(text, lines, &valid, &mut out);
    shadowed(text, lines, &valid, &owners, &mut out);
    partial_overlaps(text, lines, &valid, &owners, &mut out);
    sources(text, lines, &valid, seed_files.as_ref(), seeds, &mut out);
    if let Some(corpus) = corpus {
        report.corpus = Some((corpus.source.clone(), corpus.documents.len()));
        empirical(text, lines, &report.lexicon, &valid, &owners, corpus, &mut out);
    }
    report.diagnostics = out.list;
    report.diagnostics.sort_by(|a, b| a.line.cmp(&b.line).then(a.defect.cmp(&b.defect)));
    Ok(report)
}

struct Diagnostics<'a> {
    path: &'a str,
    list: Vec<Diagnostic>,
}

impl Diagnostics<'_> {
    fn push(&mut self, defect: Defect, line: usize, id: Option<&str>, message: String) {
        self.list.push(Diagnostic { defect, path: self.path.to_string(), line, id: id.map(str::to_string), message });
    }
}

fn list_dir(dir: &Path) -> Result<HashSet<String>, ToolError> {
    let io = |source| ToolError::Io { path: dir.to_path_buf(), source };
    let mut names = HashSet::new();
    for item in std::fs::read_dir(dir).map_err(io)? {
        names.insert(item.map_err(io)?.file_name().to_string_lossy().into_owned());
    }
    Ok(names)
}

/// Byte offset of the first line in `span` that assigns `key`, if any.
fn key_offset(text: &str, span: &Range<usize>, key: &str) -> Option<usize> {
    let mut offset = span.start;
    for l in text[span.clone()].split_inclusive('\n') {
        let t = l.trim_start();
        if t.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('=')) {
            return Some(offset);
        }
        offset += l.len();
    }
    None
}

/// Line of the first line in `span` that assigns `key`, if any.
fn key_line(text: &str, lines: &LineIndex, span: &Range<usize>, key: &str) -> Option<usize> {
    key_offset(text, span, key).map(|o| lines.line(o))
}

/// Line of a quoted string ("s" or 's') in the value of `key` (an array that may span
/// lines), if it can be found.
fn string_line(text: &str, lines: &LineIndex, span: &Range<usize>, key: &str, s: &str) -> Option<usize> {
    let from = key_offset(text, span, key)?;
    let slice = &text[from..span.end];
    [format!("\"{s}\""), format!("'{s}'")].iter().find_map(|q| slice.find(q.as_str())).map(|p| lines.line(from + p))
}

/// The whole text of the entry whose parsed span is `span`: from its `[[entry]]` header
/// to the next table header or the end. The parser's span covers the header, the keys
/// or both depending on the toml version; the checks re-read the entry as a whole.
fn entry_extent(text: &str, span: Range<usize>) -> Range<usize> {
    const HEADER: &str = "[[entry]]";
    /// How far before the parsed span its header may stand (blank lines, comments).
    const LOOK_BACK: usize = 256;
    let floor_char = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let probe = floor_char((span.start + HEADER.len()).min(text.len()));
    let from = floor_char(span.start.saturating_sub(LOOK_BACK).min(probe));
    let start = text[from..probe].rfind(HEADER).map_or(span.start, |i| from + i);
    let body = floor_char((start + HEADER.len()).min(text.len()));
    let end = text[body..]
        .match_indices('\n')
        .map(|(i, _)| body + i + 1)
        .find(|&i| text[i..].trim_start_matches([' ', '\t']).starts_with('['))
        .unwrap_or(text.len());
    start..end.max(span.end.min(text.len()))
}

/// The loader's verdict on one entry, and the weight ranges with the key's own line.
fn check_entry(text: &str, lines: &LineIndex, path: &str, r: &mut RawEntry, out: &mut Diagnostics<'_>) {
    let id = r.id.as_deref();
    let table: Option<toml::Table> = toml::from_str(&text[r.span.clone()])
        .ok()
        .and_then(|t: toml::Table| t.get("entry")?.as_array()?.first()?.as_table().cloned());
    let mut range_errors = 0;
    for (key, lo, hi) in [("strategic", -1.0, 1.0), ("roadmap", -1.0, 1.0), ("other", 0.0, 1.0)] {
        let value =
            table.as_ref().and_then(|t| t.get(key)).and_then(|v| v.as_float().or(v.as_integer().map(|i| i as f64)));
        if let Some(w) = value {
            if w.is_nan() || !(lo..=hi).contains(&w) {
                range_errors += 1;
                let line = key_line(text, lines, &r.span, key).unwrap_or(r.line);
                out.push(
                    Defect::OutOfRange,
                    line,
                    id,
                    format!("{key} = {w} is out of range; it is between {lo:.1} and {hi:.1}"),
                );
            }
        }
    }
    if range_errors > 0 {
        return; // the loader would report the same weight; its other rules wait for the fix
    }
    let mini = format!("{MINI_HEAD}{}", &text[r.span.clone()]);
    let head_lines = MINI_HEAD.lines().count();
    match Lexicon::parse(&mini, path) {
        Ok(mut lex) => {
            if let Some(mut e) = lex.entries.pop() {
                e.line = r.line;
                r.entry = Some(e);
            }
        }
        Err(LexiconError::Entry { message, .. }) => out.push(Defect::Invalid, r.line, id, message),
        Err(LexiconError::Syntax { line, message, .. }) => {
            out.push(Defect::Invalid, r.line + line.saturating_sub(head_lines + 1), id, message)
        }
        Err(other) => out.push(Defect::Invalid, r.line, id, other.to_string()),
    }
}

fn duplicate_ids(raw: &[RawEntry], out: &mut Diagnostics<'_>) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for r in raw {
        let Some(id) = r.id.as_deref() else { continue };
        match first.get(id) {
            Some(&line) => out.push(
                Defect::DuplicateId,
                r.line,
                Some(id),
                format!("the id is already used by the entry at line {line}; ids must be unique"),
            ),
            None => {
                first.insert(id, r.line);
            }
        }
    }
}

/// Who owns a pattern: the first valid entry (index into `valid`) and the phrase that made it.
type Owners = HashMap<String, (usize, String)>;

/// Every pattern (phrase and spelling variant, normalised) of every valid entry. Reports
/// patterns claimed by two entries, and returns each pattern's first owner.
fn phrases(text: &str, lines: &LineIndex, valid: &[(&RawEntry, &Entry)], out: &mut Diagnostics<'_>) -> Owners {
    let mut owners: Owners = HashMap::new();
    let mut reported: HashSet<(usize, String)> = HashSet::new();
    for (i, (r, e)) in valid.iter().enumerate() {
        for (pattern, raw) in patterns_of(e) {
            match owners.get(&pattern) {
                None => {
                    owners.insert(pattern, (i, raw));
                }
                Some((j, _)) if *j == i => {}
                Some((j, other_raw)) => {
                    if !reported.insert((i, raw.clone())) {
                        continue;
                    }
                    let (or, oe) = valid[*j];
                    let line = string_line(text, lines, &r.span, "phrases", &raw).unwrap_or(r.line);
                    let same = normalize_phrase(&raw) == normalize_phrase(other_raw);
                    let (defect, message) = if same && raw.trim().eq_ignore_ascii_case(other_raw.trim()) {
                        (
                            Defect::DuplicatePhrase,
                            format!(
                                "phrase \"{raw}\" is also a phrase of entry '{}' (line {}); keep it in one entry",
                                oe.id, or.line
                            ),
                        )
                    } else {
                        (Defect::CollidingPhrase, format!(
                            "phrase \"{raw}\" matches the same text (\"{pattern}\") as \"{other_raw}\" of entry '{}' (line {}); keep it in one entry",
                            oe.id, or.line
                        ))
                    };
                    out.push(defect, line, Some(&e.id), message);
                }
            }
        }
    }
    owners
}

/// (pattern, raw phrase) of one entry, as the matcher sees them (British variants included).
fn patterns_of(e: &Entry) -> Vec<(String, String)> {
    let one = Lexicon {
        id: LexiconId { name: String::new(), version: String::new(), hash: String::new(), source: String::new() },
        description: String::new(),
        entries: vec![e.clone()],
        cues: ContextCues::default(),
    };
    one.patterns().into_iter().map(|(p, _, raw)| (p, raw)).collect()
}

/// Which side an entry's evidence goes to, for the shadowing rule and the stats table (the
/// same split as `jdclass explain`: strategic + roadmap ≥ 0 is the PM side).
pub fn entry_side(e: &Entry) -> &'static str {
    match e.kind {
        Kind::Role => "role name",
        Kind::Other => "other roles",
        Kind::Duty if e.strategic + e.roadmap >= 0.0 => "pm side",
        Kind::Duty => "po side",
    }
}

fn shadowed(text: &str, lines: &LineIndex, valid: &[(&RawEntry, &Entry)], owners: &Owners, out: &mut Diagnostics<'_>) {
    // (shadowed entry, its phrase, shadowing entry) → the longer phrases that swallow it.
    let mut found: BTreeMap<(usize, &str, usize), Vec<&str>> = BTreeMap::new();
    for (q, (b, q_raw)) in owners.iter().filter(|(q, _)| q.contains(' ')) {
        if valid[*b].1.kind == Kind::Role {
            continue;
        }
        let words: Vec<&str> = q.split(' ').collect();
        for start in 0..words.len() {
            for end in start + 1..=words.len() {
                if end - start == words.len() {
                    continue;
                }
                let Some((a, p_raw)) = owners.get(&words[start..end].join(" ")) else { continue };
                let (ea, eb) = (valid[*a].1, valid[*b].1);
                if a != b && ea.kind != Kind::Role && entry_side(ea) != entry_side(eb) {
                    let longer = found.entry((*a, p_raw.as_str(), *b)).or_default();
                    if !longer.contains(&q_raw.as_str()) {
                        longer.push(q_raw.as_str());
                    }
                }
            }
        }
    }
    for ((a, p_raw, b), mut longer) in found {
        let ((ra, ea), (rb, eb)) = (valid[a], valid[b]);
        longer.sort_unstable();
        let quoted: Vec<String> = longer.iter().map(|q| format!("\"{q}\"")).collect();
        out.push(
            Defect::Shadowed,
            string_line(text, lines, &ra.span, "phrases", p_raw).unwrap_or(ra.line),
            Some(&ea.id),
            format!(
                "phrase \"{p_raw}\" ({}) is lost wherever entry '{}' (line {}, {}) matches {}: the longer phrase takes the text",
                entry_side(ea),
                eb.id,
                rb.line,
                entry_side(eb),
                quoted.join(", ")
            ),
        );
    }
}

/// Pairs of phrases of different entries where a proper word-suffix of one is a proper
/// word-prefix of the other. One pass builds the set of every proper prefix; a second
/// looks up every proper suffix, so the cost is linear in the lexicon's total words.
fn partial_overlaps(
    text: &str,
    lines: &LineIndex,
    valid: &[(&RawEntry, &Entry)],
    owners: &Owners,
    out: &mut Diagnostics<'_>,
) {
    let countable = |i: usize| valid[i].1.kind != Kind::Role;
    let mut prefixes: HashMap<String, Vec<&str>> = HashMap::new();
    for q in owners.iter().filter(|(q, (b, _))| q.contains(' ') && countable(*b)).map(|(q, _)| q) {
        let words: Vec<&str> = q.split(' ').collect();
        for end in 1..words.len() {
            prefixes.entry(words[..end].join(" ")).or_default().push(q.as_str());
        }
    }
    // (entry A, its phrase) → (entry B, B's phrase), once per pair of phrases.
    let mut found: BTreeMap<(usize, &str), Vec<(usize, &str)>> = BTreeMap::new();
    for (p, (a, p_raw)) in owners.iter().filter(|(p, (a, _))| p.contains(' ') && countable(*a)) {
        let words: Vec<&str> = p.split(' ').collect();
        for start in 1..words.len() {
            let Some(qs) = prefixes.get(&words[start..].join(" ")) else { continue };
            for q in qs {
                let (b, q_raw) = &owners[*q];
                if b != a {
                    found.entry((*a, p_raw.as_str())).or_default().push((*b, q_raw.as_str()));
                }
            }
        }
    }
    for ((a, p_raw), mut others) in found {
        others.sort_unstable();
        others.dedup();
        let (ra, ea) = valid[a];
        let quoted: Vec<String> =
            others.iter().map(|(b, q)| format!("\"{q}\" ('{}', line {})", valid[*b].1.id, valid[*b].0.line)).collect();
        out.push(
            Defect::PartialOverlap,
            string_line(text, lines, &ra.span, "phrases", p_raw).unwrap_or(ra.line),
            Some(&ea.id),
            format!(
                "phrase \"{p_raw}\" ends where {} starts: where both stand only the more specific one counts",
                quoted.join(", ")
            ),
        );
    }
}

fn sources(
    text: &str,
    lines: &LineIndex,
    valid: &[(&RawEntry, &Entry)],
    seed_files: Option<&HashSet<String>>,
    seeds: Option<&Path>,
    out: &mut Diagnostics<'_>,
) {
    for (r, e) in valid {
        if e.sources.is_empty() {
            out.push(
                Defect::NoSources,
                r.line,
                Some(&e.id),
                "no sources: name the seed documents that support this entry".to_string(),
            );
        }
        let (Some(files), Some(dir)) = (seed_files, seeds) else { continue };
        for s in e.sources.iter().filter(|s| !files.contains(s.as_str())) {
            let line = string_line(text, lines, &r.span, "sources", s).unwrap_or(r.line);
            out.push(
                Defect::UnknownSource,
                line,
                Some(&e.id),
                format!("source \"{s}\" is not a file of {}", dir.display()),
            );
        }
    }
}

/// How one phrase fared in the corpus.
#[derive(Default)]
struct PhraseUse {
    /// Whole-word occurrences.
    occurrences: usize,
    /// Occurrences its own entry matched.
    counted: usize,
    /// Entries that took the others, with how often.
    takers: BTreeMap<usize, usize>,
}

/// Never-fires and shadowed-in-corpus: run the matcher (leftmost-longest, as the
/// classifier) and an overlapping search for every pattern over the corpus, and compare.
fn empirical(
    text: &str,
    lines: &LineIndex,
    id: &LexiconId,
    valid: &[(&RawEntry, &Entry)],
    owners: &Owners,
    corpus: &Corpus,
    out: &mut Diagnostics<'_>,
) {
    // A lexicon of the valid entries, each pattern kept by its first owner only, so the
    // matcher builds even when the file has collisions.
    let mut entries: Vec<Entry> = valid.iter().map(|(_, e)| (*e).clone()).collect();
    for (i, e) in entries.iter_mut().enumerate() {
        let keep: HashSet<String> = patterns_of(e)
            .into_iter()
            .filter(|(p, _)| owners.get(p).is_some_and(|(o, _)| *o == i))
            .map(|(_, raw)| raw)
            .collect();
        e.phrases.retain(|p| keep.contains(p));
    }
    let kept: Vec<usize> = (0..entries.len()).filter(|&i| !entries[i].phrases.is_empty()).collect();
    let lexicon = Lexicon {
        id: id.clone(),
        description: String::new(),
        entries: kept.iter().map(|&i| entries[i].clone()).collect(),
        cues: ContextCues::default(),
    };
    let Ok(matcher) = Matcher::new(&lexicon) else { return };
    // Every pattern of a case-insensitive entry, for the overlapping search.
    let mut all: Vec<(String, usize, String)> =
        lexicon.patterns().into_iter().filter(|(_, e, _)| !lexicon.entries[*e].case_sensitive).collect();
    all.sort();
    all.dedup_by(|a, b| a.0 == b.0);
    let Ok(search) = AhoCorasick::builder().match_kind(MatchKind::Standard).build(all.iter().map(|(p, _, _)| p)) else {
        return;
    };

    let mut fired = vec![0usize; lexicon.entries.len()];
    let mut phrase_use: HashMap<(usize, &str), PhraseUse> = HashMap::new();
    let mut norm = Normalized::new();
    let mut hits: Vec<Hit> = Vec::new();
    for doc in &corpus.documents {
        normalize_into(&doc.text, &mut norm);
        matcher.find_into(&norm, &doc.text, &mut hits);
        for h in &hits {
            fired[h.entry as usize] += 1;
        }
        let hay = norm.text.as_bytes();
        for m in search.find_overlapping_iter(hay) {
            let (s, e) = (m.start(), m.end());
            let whole = (s == 0 || !is_word_byte(hay[s - 1]) || !is_word_byte(hay[s]))
                && (e == hay.len() || !is_word_byte(hay[e]) || !is_word_byte(hay[e - 1]));
            if !whole {
                continue;
            }
            let (_, owner, raw) = &all[m.pattern().as_usize()];
            let slot = phrase_use.entry((*owner, raw.as_str())).or_default();
            slot.occurrences += 1;
            // Counted when a hit of its own entry overlaps it (a longer phrase of the same
            // entry is the same evidence); otherwise the overlapping hits took it.
            let overlapping: Vec<&Hit> =
                hits.iter().filter(|h| (h.start as usize) < e && (h.end as usize) > s).collect();
            if overlapping.iter().any(|h| h.entry as usize == *owner) {
                slot.counted += 1;
            } else {
                for h in overlapping {
                    *slot.takers.entry(h.entry as usize).or_insert(0) += 1;
                }
            }
        }
    }
    let n = corpus.documents.len();
    let mut lost: Vec<_> = phrase_use.into_iter().filter(|(_, u)| u.occurrences > 0 && u.counted == 0).collect();
    lost.sort_by_key(|((e, raw), _)| (*e, *raw));
    for ((e, raw), PhraseUse { occurrences: occ, takers, .. }) in lost {
        let (r, entry) = valid[kept[e]];
        let takers: Vec<String> = takers.iter().map(|(t, k)| format!("'{}' ×{k}", lexicon.entries[*t].id)).collect();
        let line = string_line(text, lines, &r.span, "phrases", raw).unwrap_or(r.line);
        out.push(
            Defect::ShadowedInCorpus,
            line,
            Some(&entry.id),
            format!(
                "phrase \"{raw}\" occurs {occ} time(s) in {} but never counts: other entries take the text ({})",
                corpus.source,
                if takers.is_empty() { "a match that starts earlier".to_string() } else { takers.join(", ") }
            ),
        );
    }
    for (i, (r, e)) in valid.iter().enumerate() {
        let pos = kept.iter().position(|&k| k == i);
        if pos.is_none_or(|p| fired[p] == 0) {
            out.push(
                Defect::NeverFires,
                r.line,
                Some(&e.id),
                format!("no phrase matches any of the {n} postings of {}", corpus.source),
            );
        }
    }
}
