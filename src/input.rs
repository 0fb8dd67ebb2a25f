//! Reading one posting from a file or stdin: size cap, invalid UTF-8, directories.
//! Problems that still leave text to classify become warnings; the rest are errors
//! that name the input and say what to do.

use std::io::Read;
use std::path::Path;

/// Default cap on one posting: real postings are tens of KB; anything this large is a
/// dump that belongs to `jdclass scan`.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// A posting read into memory.
#[derive(Debug)]
pub struct Posting {
    /// The text (invalid UTF-8 replaced by U+FFFD).
    pub text: String,
    /// Problems that did not stop reading.
    pub warnings: Vec<String>,
}

/// Why a posting could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Open/read failure.
    #[error("{name}: cannot read: {source}")]
    Io {
        /// The input's name.
        name: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Over the size cap.
    #[error("{name}: {size} bytes is over the {max}-byte limit for one posting; use `jdclass scan` for dumps, or raise --max-bytes")]
    TooLarge {
        /// The input's name.
        name: String,
        /// Its size (at least).
        size: u64,
        /// The cap.
        max: u64,
    },
    /// Nothing but whitespace: there is no text to classify, so there is no verdict.
    #[error("{name}: the posting is empty (no text to classify)")]
    Empty {
        /// The input's name.
        name: String,
    },
    /// NUL bytes: a binary file, not a posting.
    #[error("{name}: binary data (NUL bytes), not a posting")]
    Binary {
        /// The input's name.
        name: String,
    },
    /// A directory given where a file was expected.
    #[error("{name}: is a directory; classify its files with `jdclass scan {name}`")]
    Directory {
        /// The input's name.
        name: String,
    },
}

/// Decode bytes as UTF-8, replacing invalid sequences and saying where the first was.
pub fn decode(bytes: Vec<u8>, warnings: &mut Vec<String>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            warnings.push(format!(
                "not valid UTF-8 (first bad byte at offset {at}); invalid bytes were replaced with U+FFFD"
            ));
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    }
}

/// Read a posting from `path`, or stdin when `path` is `-`.
pub fn read_posting(path: &str, max_bytes: u64) -> Result<Posting, InputError> {
    let name = if path == "-" { "<stdin>".to_string() } else { path.to_string() };
    let io = |source| InputError::Io { name: name.clone(), source };
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin().lock().take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    } else {
        let p = Path::new(path);
        let meta = std::fs::metadata(p).map_err(io)?;
        if meta.is_dir() {
            return Err(InputError::Directory { name });
        }
        if meta.len() > max_bytes {
            return Err(InputError::TooLarge { name, size: meta.len(), max: max_bytes });
        }
        std::fs::File::open(p).map_err(io)?.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    }
    posting_from_bytes(&name, bytes, max_bytes)
}

/// A posting already in memory (from a binding or a server): the same size cap and the
/// same warnings (empty, NUL bytes, invalid UTF-8) as a posting read from a file.
pub fn posting_from_bytes(name: &str, bytes: Vec<u8>, max_bytes: u64) -> Result<Posting, InputError> {
    if bytes.len() as u64 > max_bytes {
        return Err(InputError::TooLarge { name: name.to_string(), size: bytes.len() as u64, max: max_bytes });
    }
    match no_text(&bytes) {
        Some(NoText::Empty) => return Err(InputError::Empty { name: name.to_string() }),
        Some(NoText::Binary) => return Err(InputError::Binary { name: name.to_string() }),
        None => {}
    }
    let mut warnings = Vec::new();
    let text = decode(bytes, &mut warnings);
    Ok(Posting { text, warnings })
}

/// Why an input holds no text to classify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoText {
    /// Nothing but whitespace (or a byte-order mark).
    Empty,
    /// NUL bytes: a binary file.
    Binary,
}

/// The one rule every command applies before classifying: an input that is empty or
/// binary gets no verdict (a verdict of "other" for no text would be a guess), but an
/// error saying so. Text never holds NUL bytes; binary formats nearly always do.
pub fn no_text(bytes: &[u8]) -> Option<NoText> {
    if memchr::memchr(0, bytes).is_some() {
        Some(NoText::Binary)
    } else if std::str::from_utf8(bytes).map_or_else(
        |_| bytes.iter().all(u8::is_ascii_whitespace),
        |s| s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').is_empty(),
    ) {
        Some(NoText::Empty)
    } else {
        None
    }
}
