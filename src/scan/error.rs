//! Errors of a scan. A [`RecordError`] belongs to one input record and becomes an
//! error record in the output while the batch goes on; a [`ScanError`] stops the
//! whole scan (the output cannot be written). Both say what to do about it.

use std::fmt;
use std::sync::Arc;

/// Why one input record (a file, a JSONL line, a CSV row) yielded no verdict.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// A file or directory entry that could not be opened or listed.
    #[error("cannot read: {0}")]
    Unreadable(String),
    /// Reading failed part-way (I/O error, corrupt gzip stream): the rest of the input
    /// is skipped.
    #[error("read failed, rest of the input skipped: {0}")]
    ReadFailed(String),
    /// A JSONL line that is not one JSON object.
    #[error("bad JSON: {0}")]
    Json(String),
    /// The record has no field or column holding the posting's text.
    #[error("no {wanted} field{available}")]
    MissingField {
        /// The field name(s) looked for, quoted.
        wanted: String,
        /// ", columns are: …" for CSV, empty otherwise.
        available: String,
    },
    /// The text (or title) field holds something other than a string.
    #[error("field \"{field}\" is {found}, not a string")]
    NotString {
        /// The field.
        field: String,
        /// What it holds instead ("a number", "an object"…).
        found: &'static str,
    },
    /// The record's bytes are not UTF-8.
    #[error("not valid UTF-8 (first bad byte at offset {offset} of the record)")]
    InvalidUtf8 {
        /// Offset of the first invalid byte within the record's text.
        offset: usize,
    },
    /// The record is over the size cap; it was skipped without being held in memory.
    #[error("{size} bytes is over the {max}-byte limit for one posting; raise --max-bytes to accept it")]
    TooLarge {
        /// Size of the record in bytes.
        size: u64,
        /// The cap.
        max: u64,
    },
    /// A stream over the size cap whose full size is unknown: reading stopped at the cap
    /// (a device such as `/dev/zero` never ends).
    #[error("over the {max}-byte limit for one posting (reading stopped there); raise --max-bytes to accept it")]
    OverLimit {
        /// The cap.
        max: u64,
    },
    /// A CSV row with an odd number of quote characters: a quote was left open, so the
    /// row took in the lines after it (RFC 4180 quotes come in pairs).
    #[error("unbalanced quotes: a quote is left open, so this row spans {lines} line(s) and may hold the rows after it; fix the quoting")]
    UnbalancedQuotes {
        /// Lines the row spans.
        lines: u64,
    },
    /// NUL bytes: a binary file, not a posting.
    #[error("binary data (NUL bytes), not a posting")]
    Binary,
    /// Nothing but whitespace to classify.
    #[error("the posting is empty")]
    Empty,
    /// The classifier panicked on this record: a bug in jdclass.
    #[error("internal error while classifying this record (a jdclass bug; please report it)")]
    Internal,
}

impl RecordError {
    /// Every kind name, in the order [`RecordError::kind_index`] numbers them.
    pub const KINDS: [&'static str; 11] = [
        "unreadable",
        "read-failed",
        "json",
        "missing-field",
        "not-string",
        "utf8",
        "too-large",
        "binary",
        "empty",
        "internal",
        "csv",
    ];

    /// A short stable name for the kind of error (for summaries and filters).
    pub fn kind(&self) -> &'static str {
        Self::KINDS[self.kind_index()]
    }

    /// The position of this error's kind in [`RecordError::KINDS`].
    pub fn kind_index(&self) -> usize {
        match self {
            RecordError::Unreadable(_) => 0,
            RecordError::ReadFailed(_) => 1,
            RecordError::Json(_) => 2,
            RecordError::MissingField { .. } => 3,
            RecordError::NotString { .. } => 4,
            RecordError::InvalidUtf8 { .. } => 5,
            RecordError::TooLarge { .. } | RecordError::OverLimit { .. } => 6,
            RecordError::Binary => 7,
            RecordError::Empty => 8,
            RecordError::Internal => 9,
            RecordError::UnbalancedQuotes { .. } => 10,
        }
    }
}

/// A [`RecordError`] with the input and line it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The input's name (a path, or `<stdin>`).
    pub source: Arc<str>,
    /// 1-based line where the record starts, for line-based inputs.
    pub line: Option<u64>,
    /// What went wrong.
    pub error: RecordError,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.source, line, self.error),
            None => write!(f, "{}: {}", self.source, self.error),
        }
    }
}

impl std::error::Error for Located {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Why a scan stopped before reaching the end of its inputs.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The output could not be written (disk full, closed pipe…).
    #[error("cannot write the output")]
    Output(#[source] std::io::Error),
    /// The reader thread could not be started.
    #[error("cannot start the input reader thread")]
    Thread(#[source] std::io::Error),
    /// The reader thread died: a bug in jdclass.
    #[error("the input reader stopped unexpectedly (a jdclass bug; please report it)")]
    ReaderPanicked,
}
