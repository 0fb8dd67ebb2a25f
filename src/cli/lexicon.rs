//! `jdclass lexicon …` and `jdclass explain TERM`: look inside the lexicon.

use super::{Config, Outcome};
use anyhow::{bail, Result};
use clap::Subcommand;
use std::io::{BufWriter, Write};

/// Subcommands of `jdclass lexicon`.
#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Print every phrase and variant the matcher searches for, one per line.
    Phrases,
}

/// Flags of `jdclass explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// An entry id ("product-roadmap") or a phrase as it may appear in a posting ("roadmaps").
    term: String,
}

/// Run a lexicon subcommand.
pub fn run(config: &Config, cmd: &LexiconCommand) -> Result<Outcome> {
    match cmd {
        LexiconCommand::Phrases => phrases(config),
    }
}

fn phrases(config: &Config) -> Result<Outcome> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    for p in config.classifier.matcher().patterns() {
        writeln!(out, "{p}")?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// Print one entry: id, kind, weights, phrases and variants, provenance and reason.
pub fn explain(config: &Config, args: &ExplainArgs) -> Result<Outcome> {
    let lexicon = config.classifier.lexicon();
    let Some(entry) = jdclass::explain::find(lexicon, config.classifier.matcher(), &args.term) else {
        bail!("no lexicon entry has the id or phrase \"{}\"; `jdclass lexicon phrases` lists every phrase", args.term);
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    out.write_all(jdclass::explain::render(lexicon, entry).as_bytes())?;
    out.flush()?;
    Ok(Outcome::Success)
}
