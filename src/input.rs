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
        std::io::stdin().lock().take(max_bytes + 1).read_to_end(&mut bytes).map_err(io)?;
    } else {
        let p = Path::new(path);
        let meta = std::fs::metadata(p).map_err(io)?;
        if meta.is_dir() {
            return Err(InputError::Directory { name });
        }
        if meta.len() > max_bytes {
            return Err(InputError::TooLarge { name, size: meta.len(), max: max_bytes });
        }
        std::fs::File::open(p).map_err(io)?.take(max_bytes + 1).read_to_end(&mut bytes).map_err(io)?;
    }
    posting_from_bytes(&name, bytes, max_bytes)
}

/// A posting already in memory (from a binding or a server): the same size cap and the
/// same warnings (empty, NUL bytes, invalid UTF-8) as a posting read from a file.
pub fn posting_from_bytes(name: &str, bytes: Vec<u8>, max_bytes: u64) -> Result<Posting, InputError> {
    if bytes.len() as u64 > max_bytes {
        return Err(InputError::TooLarge { name: name.to_string(), size: bytes.len() as u64, max: max_bytes });
    }
    let mut warnings = Vec::new();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        warnings.push("the posting is empty".to_string());
    } else if bytes.iter().take(8192).filter(|&&b| b == 0).count() > 0 {
        warnings.push("the input contains NUL bytes: it may be a binary file, not a posting".to_string());
    }
    let text = decode(bytes, &mut warnings);
    Ok(Posting { text, warnings })
}
