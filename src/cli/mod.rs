//! Command-line flags (clap derive: the doc comments are the help text) and the
//! commands they run, one module per subcommand. Flags are turned into a ready-to-use
//! [`Config`] (classifier, colours, threads) before any work starts.

mod check;
mod classify;
mod eval;
mod lexicon;
mod scan;
#[cfg(feature = "serve")]
mod serve;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use jdclass::{Classifier, Lexicon};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// How a run ended; the numbers are the documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: everything was classified (or checked consistent).
    Success,
    /// 1: `jdclass check` found a title/body mismatch, or `scan --fail-on-error` saw errors.
    Mismatch,
    /// 2: an input, the lexicon or the flags could not be used.
    Error,
    /// 130: interrupted (Ctrl-C) before the end of the input.
    Interrupted,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(match o {
            Outcome::Success => 0,
            Outcome::Mismatch => 1,
            Outcome::Error => 2,
            Outcome::Interrupted => 130,
        })
    }
}

/// Whether an error is a closed pipe on output (`jdclass … | head`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Tell whether job postings describe a Product Manager, a Product Owner, a hybrid of
/// both, or another role, and show the phrases behind each verdict.
///
/// Exit codes: 0 success; 1 mismatch (`check`) or errors with `scan --fail-on-error`;
/// 2 error (unreadable input, bad lexicon, bad flags); 130 `scan` interrupted by Ctrl-C.
/// A closed output pipe exits 0.
#[derive(Debug, Parser)]
#[command(name = "jdclass", version, args_conflicts_with_subcommands = true, max_term_width = 100)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    classify: classify::ClassifyArgs,

    #[command(flatten)]
    global: Global,
}

/// Flags every subcommand takes.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// Use this lexicon file instead of the built-in one.
    #[arg(long, global = true, value_name = "FILE")]
    lexicon: Option<PathBuf>,

    /// When to colour human output (auto: only on a terminal, never with NO_COLOR set).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,

    /// Worker threads (0: one per core).
    #[arg(long, global = true, default_value_t = 0, value_name = "N")]
    threads: usize,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Classify a corpus: files, directories, JSONL or CSV dumps (optionally gzipped), stdin.
    Scan(scan::ScanArgs),
    /// Check a posting against the role it is meant to hire for, with fixes.
    Check(check::CheckArgs),
    /// Measure against labelled postings (JSONL): confusion matrix, precision, recall, F1.
    Eval(eval::EvalArgs),
    /// Inspect, check, measure and mine the lexicon.
    #[command(subcommand)]
    Lexicon(lexicon::LexiconCommand),
    /// Show a lexicon entry: its phrases, weights, provenance and why it sits on its side.
    Explain(lexicon::ExplainArgs),
    /// Serve the API and a page to check postings in a browser (see /openapi.json).
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
}

/// Output format of classification results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable verdicts.
    Human,
    /// One JSON object per posting, one per line.
    Json,
    /// A self-contained HTML report.
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Flags resolved into things ready to use.
pub struct Config {
    /// The compiled lexicon.
    pub classifier: Classifier,
    /// Colour or not.
    pub style: jdclass::output::Style,
}

impl Config {
    fn new(global: &Global) -> Result<Config> {
        let lexicon = match &global.lexicon {
            Some(path) => Lexicon::from_path(path)?,
            None => Lexicon::embedded(),
        };
        let classifier = Classifier::new(lexicon)?;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match global.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        if global.threads > 0 {
            // Fails only if a pool was already built, which never happens before this.
            let _ = rayon::ThreadPoolBuilder::new().num_threads(global.threads).build_global();
        }
        Ok(Config { classifier, style: jdclass::output::Style { color } })
    }
}

/// Parse the command line and run it.
pub fn run() -> Result<Outcome> {
    let args = Args::parse();
    if let Some(Command::Lexicon(lexicon::LexiconCommand::Check(a))) = &args.command {
        return lexicon::check(&args.global, a); // reads a possibly broken lexicon itself
    }
    let config = Config::new(&args.global)?;
    match args.command {
        Some(Command::Scan(a)) => scan::run(&config, &a),
        Some(Command::Check(a)) => check::run(&config, &a),
        Some(Command::Eval(a)) => eval::run(&config, &a),
        Some(Command::Lexicon(c)) => lexicon::run(&config, &c),
        Some(Command::Explain(a)) => lexicon::explain(&config, &a),
        #[cfg(feature = "serve")]
        Some(Command::Serve(a)) => serve::run(config, &a),
        None => classify::run(&config, &args.classify),
    }
}

#[cfg(test)]
mod tests {
    use super::Args;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Args::command().debug_assert();
    }
}
