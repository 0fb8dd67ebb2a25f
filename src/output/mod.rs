//! Output formats for classified postings. One serde record type ([`Record`]) feeds
//! every machine format; the human format reads the same [`Verdict`].

pub mod html;
pub mod human;

use crate::lexicon::LexiconId;
use crate::verdict::Verdict;
use serde::Serialize;

/// The lexicon fields every record names.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct LexiconStamp<'a> {
    /// Lexicon name.
    pub name: &'a str,
    /// Declared version.
    pub version: &'a str,
    /// Content hash.
    pub hash: &'a str,
}

impl<'a> From<&'a LexiconId> for LexiconStamp<'a> {
    fn from(id: &'a LexiconId) -> Self {
        LexiconStamp { name: &id.name, version: &id.version, hash: &id.hash }
    }
}

/// One classified posting as written by `--format json`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct Record<'a> {
    /// The input's name.
    pub source: &'a str,
    /// The verdict, flattened into the record.
    #[serde(flatten)]
    pub verdict: &'a Verdict,
    /// The lexicon that produced it.
    pub lexicon: LexiconStamp<'a>,
}

/// One input that could not be classified, as written by `--format json`.
#[derive(Debug, Serialize)]
pub struct ErrorRecord<'a> {
    /// The input's name.
    pub source: &'a str,
    /// What went wrong.
    pub error: String,
    /// The lexicon in use.
    pub lexicon: LexiconStamp<'a>,
}

/// `s` made safe for a terminal: control characters (escape sequences that set the
/// window title or clear the screen, backspaces, carriage returns…) and the Unicode
/// bidirectional overrides are shown as `\u{..}` escapes instead of being acted on.
/// Every human output passes text from postings and file names through it.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A recruiter check as written by `jdclass check --format json`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "serve", derive(utoipa::ToSchema))]
pub struct CheckRecord<'a> {
    /// The input's name.
    pub source: &'a str,
    /// The report, flattened into the record.
    #[serde(flatten)]
    pub report: &'a crate::check::CheckReport,
    /// Confidence of the verdict on the posting as it stands.
    pub confidence: f64,
    /// The lexicon that produced it.
    pub lexicon: LexiconStamp<'a>,
}

/// Whether to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Emit ANSI colours.
    pub color: bool,
}

impl Style {
    /// Wrap `s` in an ANSI colour code when colouring.
    pub fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}
