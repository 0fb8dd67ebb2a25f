//! Tools for the people who maintain a lexicon, behind `jdclass lexicon mine | check |
//! stats`. The classifier is only as good as its phrase list, and a phrase list edited by
//! hand drifts: entries that never fire, phrases that a longer phrase of another entry
//! silently swallows, weights nobody can trace back to a source. These tools make each of
//! those visible:
//!
//! - [`mine`] proposes candidate entries from comparison articles or labelled postings,
//!   ranked by the weighted log-odds ratio of [`logodds`];
//! - [`check`] validates a lexicon file and reports *every* defect with its file and line;
//! - [`stats`] measures a lexicon on a corpus: how often each entry fires, how many
//!   postings have too little evidence, and which n-grams of those postings no entry covers.
//!
//! [`text`] holds what they share: sentence and word splitting over normalised text, the
//! stop-word list, n-gram enumeration and role-name detection. [`corpus`] reads the inputs.
//!
//! ```
//! use jdclass::lexicon_tools::logodds::{log_odds, Prior};
//!
//! // A phrase seen 6 times in 100 PM n-grams and once in 80 PO n-grams, with a prior
//! // worth one tenth of its pooled count (7) and of the pooled total (180).
//! let prior = Prior { alpha_w: 0.7, alpha_0: 18.0 };
//! let z = log_odds(6.0, 100.0, 1.0, 80.0, prior).z;
//! assert!(z > 1.0 && z < 2.0, "{z}");
//! ```

pub mod check;
pub mod corpus;
pub mod logodds;
pub mod mine;
pub mod stats;
pub mod text;

use std::path::PathBuf;

/// An input the lexicon tools cannot use at all. Problems with single items of a batch
/// (one unreadable posting, one bad JSONL line) are not errors: they are collected as
/// [`corpus::Problem`]s and the batch goes on.
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// An input holds nothing to work on.
    #[error("{path}: {message}")]
    Empty {
        /// The path.
        path: PathBuf,
        /// What is missing and what to do.
        message: String,
    },
    /// The lexicon cannot be compiled (role names that collide, for instance).
    #[error(transparent)]
    Lexicon(#[from] crate::error::LexiconError),
}
