//! # jdclass
//!
//! Reads a job posting and tells whether it describes a **Product Manager** (strategic,
//! market-facing, owns the roadmap), a **Product Owner** (tactical, team-facing, owns the
//! backlog), a **hybrid** of both, or **other** (project manager, scrum master, business
//! analyst, product marketing…), and shows the phrases behind the verdict.
//!
//! A [`Lexicon`] of weighted phrases, built from five articles on PM vs PO, is compiled
//! once into a [`Classifier`]. Each posting is normalised (HTML, quotes, hyphens, case),
//! matched with one Aho-Corasick automaton, read in context (negation, another role's
//! duties, boilerplate sections) and scored on two axes: strategic ↔ tactical and
//! roadmap ↔ backlog. See [`score`] for how the numbers become a label.
//!
//! ```
//! use jdclass::{Classifier, Label};
//!
//! let classifier = Classifier::embedded();
//! let verdict = classifier.classify(
//!     "Own the product backlog, write user stories with acceptance criteria, \
//!      run sprint planning and refinement with the developers and QA.",
//! );
//! assert_eq!(verdict.label, Label::Po);
//! assert!(verdict.scores.roadmap < 0.0); // backlog side
//! assert!(verdict.evidence.iter().any(|e| e.term == "acceptance-criteria"));
//! ```
#![deny(missing_docs)]

pub mod career;
pub mod check;
pub mod classify;
pub mod context;
pub mod coordination;
pub mod duties;
pub mod error;
pub mod eval;
pub mod explain;
pub mod input;
pub mod leaders;
pub mod lexicon;
pub mod lexicon_tools;
pub mod matcher;
pub mod names;
pub mod normalize;
pub mod output;
pub mod scan;
pub mod score;
#[cfg(feature = "serve")]
pub mod serve;
#[cfg(test)]
mod test_rng;
pub mod tokens;
pub mod variants;
pub mod verdict;
pub mod wordset;
pub mod written;

pub use classify::{Classifier, Scratch, Standing};
pub use error::LexiconError;
pub use lexicon::{Lexicon, LexiconId};
pub use score::Label;
pub use verdict::Verdict;
