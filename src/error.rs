//! Typed errors of the library. Each says which file, which line or entry, and what
//! to do, so the binary can print them as they are.

use std::path::PathBuf;

/// A lexicon file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The file could not be read at all.
    #[error("cannot read lexicon {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not have the lexicon's shape.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The file (or `<embedded>`).
        path: String,
        /// 1-based line of the fault.
        line: usize,
        /// 1-based column of the fault.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// One entry breaks a rule (weight out of range, no phrases, unknown role...).
    #[error("{path}:{line}: entry '{id}': {message}")]
    Entry {
        /// The file (or `<embedded>`).
        path: String,
        /// 1-based line where the entry starts.
        line: usize,
        /// The entry's id.
        id: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The file is over one of the lexicon's size limits (see `lexicon::MAX_LEXICON_BYTES`).
    #[error("{path}: {message}")]
    Limit {
        /// The file (or `<embedded>`).
        path: String,
        /// Which limit, and what to do.
        message: String,
    },
    /// The automaton could not be built from the phrases.
    #[error("{path}: cannot build the phrase matcher: {message}")]
    Matcher {
        /// The file (or `<embedded>`).
        path: String,
        /// What aho-corasick said.
        message: String,
    },
}
