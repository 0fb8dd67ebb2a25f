//! Command-line flags (clap derive: the doc comments are the help text) and the
//! commands they run, one module per subcommand. Flags are turned into a ready-to-use
//! [`Config`] (classifier, colours, threads) before any work starts.
//!
//! The grammar follows ripgrep and fd: `jdclass FILE...` classifies (the `classify`
//! subcommand, named or not), every option may stand before or after the subcommand
//! (see [`args::rewrite`]), each subcommand offers only the options that mean something
//! to it, and stdin is read when it is piped and no input is named.

mod args;
mod check;
mod classify;
mod eval;
mod lexicon;
mod output;
mod scan;
#[cfg(feature = "serve")]
mod serve;

use anyhow::Result;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
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
    // serde_json wraps the io error of a failed write and does not expose it as a
    // source: ask it for the kind.
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

const TOP_HELP: &str = "\
Options may stand before or after the subcommand (`jdclass --threads 2 scan dump.jsonl`
is `jdclass scan dump.jsonl --threads 2`); each subcommand lists the ones it takes.
Without a subcommand, `jdclass FILE...` classifies (the `classify` subcommand), and with
no FILE it reads a posting piped on stdin.

Examples:
  jdclass posting.txt                          # a readable verdict with its evidence
  cat posting.html | jdclass --format json     # stdin when piped; one JSON document
  jdclass scan dump.jsonl.gz -o labels.csv     # a corpus; the format from -o's extension
  jdclass check draft.md --as po               # exit 1 when the body reads as another role
  jdclass eval corpus/manifest.csv             # accuracy on labelled postings
  jdclass completions bash > /etc/bash_completion.d/jdclass

Exit codes: 0 success; 1 mismatch (`check`) or errors with `scan --fail-on-error`;
2 error (unreadable or empty input, bad lexicon, bad flags); 130 `scan` interrupted by
Ctrl-C. A closed output pipe exits 0.";

/// Tell whether job postings describe a Product Manager, a Product Owner, a hybrid of
/// both, or another role, and show the phrases behind each verdict.
#[derive(Debug, Parser)]
#[command(
    name = "jdclass",
    max_term_width = 100,
    after_help = TOP_HELP,
    subcommand_required = true,
    override_usage = "jdclass [OPTIONS] [FILE]...\n       jdclass <COMMAND> [OPTIONS] [ARGS]..."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// `--lexicon`: every command that classifies or shows the lexicon.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LexiconOpt {
    /// Use this lexicon file instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
}

/// `--color`: commands that write human output.
#[derive(Debug, Clone, clap::Args)]
pub struct ColorOpt {
    /// When to colour human output (auto: only on a terminal, never with NO_COLOR set or
    /// TERM=dumb).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,
}

/// `--threads`: commands that classify many postings in parallel.
#[derive(Debug, Clone, clap::Args)]
pub struct ThreadsOpt {
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub threads: usize,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Classify postings one by one (the default: `jdclass FILE...`).
    Classify(classify::ClassifyArgs),
    /// Classify a corpus: files, directories, JSONL, CSV/TSV or Parquet dumps, stdin.
    Scan(scan::ScanArgs),
    /// Check a posting against the role it is meant to hire for, with fixes.
    Check(check::CheckArgs),
    /// Measure against labelled postings (JSONL, CSV, or the corpus manifest).
    Eval(eval::EvalArgs),
    /// Inspect, check, measure and mine the lexicon.
    #[command(subcommand)]
    Lexicon(lexicon::LexiconCommand),
    /// Show a lexicon entry: its phrases, weights, provenance and why it sits on its side.
    #[command(after_help = lexicon::EXPLAIN_EXAMPLES)]
    Explain(lexicon::ExplainArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per subcommand with --dir.
    #[command(after_help = MAN_HELP)]
    Man {
        /// Write jdclass.1 and jdclass-SUBCOMMAND.1 pages into DIR instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Serve the API and a page to check postings in a browser (see /openapi.json).
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
}

const COMPLETIONS_HELP: &str = "\
Examples:
  jdclass completions bash > ~/.local/share/bash-completion/completions/jdclass
  jdclass completions zsh > \"${fpath[1]}/_jdclass\"
  jdclass completions fish > ~/.config/fish/completions/jdclass.fish
  jdclass completions powershell >> $PROFILE";

const MAN_HELP: &str = "\
Examples:
  jdclass man | man -l -                       # read it now
  jdclass man > /usr/local/share/man/man1/jdclass.1
  jdclass man --dir /usr/local/share/man/man1  # one page per subcommand too";

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
    /// Load the lexicon, decide on colour (for output that goes to a terminal when
    /// `to_terminal`) and size the thread pool.
    fn new(lexicon: &LexiconOpt, color: Option<&ColorOpt>, threads: Option<&ThreadsOpt>) -> Result<Config> {
        let lexicon = match &lexicon.lexicon {
            Some(path) => Lexicon::from_path(path)?,
            None => Lexicon::embedded(),
        };
        let classifier = Classifier::new(lexicon)?;
        let color = color.is_some_and(|c| colour_wanted(c.color, std::io::stdout().is_terminal()));
        if let Some(t) = threads.filter(|t| t.threads > 0) {
            // Fails only if a pool was already built, which never happens before this.
            let _ = rayon::ThreadPoolBuilder::new().num_threads(t.threads).build_global();
        }
        Ok(Config { classifier, style: jdclass::output::Style { color } })
    }
}

/// Whether to colour: `always`, `never`, or on a terminal unless `NO_COLOR` is set or
/// `TERM` is `dumb` (a terminal that cannot show ANSI codes).
fn colour_wanted(when: ColorWhen, terminal: bool) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => terminal && !no_color && !dumb,
    }
}

/// The clap definition, with the version naming the built-in lexicon.
pub fn command() -> clap::Command {
    let id = Lexicon::embedded_id();
    let version = format!("{} (lexicon {} {}, hash {})", env!("CARGO_PKG_VERSION"), id.name, id.version, id.hash);
    // clap keeps `&'static str`s; one short string per run.
    Cli::command().version(&*Box::leak(version.into_boxed_str()))
}

/// Parse the command line and run it.
pub fn run() -> Result<Outcome> {
    let mut cmd = command();
    let argv = args::rewrite(&cmd, std::env::args_os().collect());
    let matches = cmd.try_get_matches_from_mut(argv).unwrap_or_else(|e| e.exit());
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match cli.command {
        Command::Classify(a) => classify::run(&Config::new(&a.lexicon, Some(&a.color), None)?, &a),
        Command::Scan(a) => scan::run(&Config::new(&a.lexicon, Some(&a.color), Some(&a.threads))?, &a),
        Command::Check(a) => check::run(&Config::new(&a.lexicon, Some(&a.color), None)?, &a),
        Command::Eval(a) => eval::run(&Config::new(&a.lexicon, None, Some(&a.threads))?, &a),
        Command::Lexicon(lexicon::LexiconCommand::Check(a)) => lexicon::check(&a), // reads a broken lexicon itself
        Command::Lexicon(c) => {
            let (lex, threads) = c.options();
            lexicon::run(&Config::new(lex, None, threads)?, &c)
        }
        Command::Explain(a) => lexicon::explain(&Config::new(&a.lexicon, None, None)?, &a),
        #[cfg(feature = "serve")]
        Command::Serve(a) => serve::run(Config::new(&a.lexicon, None, None)?, &a),
        Command::Completions { shell } => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut cmd, "jdclass", &mut out);
            Ok(Outcome::Success)
        }
        Command::Man { dir } => {
            match dir {
                Some(dir) => {
                    std::fs::create_dir_all(&dir)
                        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
                    clap_mangen::generate_to(cmd, &dir)
                        .map_err(|e| anyhow::anyhow!("cannot write man pages into {}: {e}", dir.display()))?;
                }
                None => {
                    let mut out = std::io::stdout().lock();
                    clap_mangen::Man::new(cmd).render(&mut out)?;
                }
            }
            Ok(Outcome::Success)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn colour_rules() {
        assert!(colour_wanted(ColorWhen::Always, false));
        assert!(!colour_wanted(ColorWhen::Never, true));
        assert!(!colour_wanted(ColorWhen::Auto, false));
    }
}
