//! `jdclass lexicon …` and `jdclass explain TERM`: look inside the lexicon, check it,
//! measure it on a corpus, and mine candidate entries for it. The work is done by
//! [`jdclass::lexicon_tools`]; this module maps flags to options and prints. Every output
//! names the lexicon it is about (name, version, content hash).

use super::output::{format_parser, Format, OutputOpts};
use super::{Config, LexiconOpt, Outcome, ThreadsOpt};
use anyhow::{bail, Context, Result};
use clap::{ArgGroup, Subcommand};
use jdclass::lexicon::{DEFAULT_LEXICON, EMBEDDED_NAME};
use jdclass::lexicon_tools::corpus::{self, Corpus, Problem};
use jdclass::lexicon_tools::logodds::DEFAULT_PRIOR_SCALE;
use jdclass::lexicon_tools::mine::{self, MineOptions, MAX_ORDER};
use jdclass::lexicon_tools::stats::{self, StatsOptions};
use jdclass::lexicon_tools::{check, ToolError};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where `lexicon check` and `lexicon stats` look for postings when not told.
const DEFAULT_CORPUS: &str = "corpus/postings";

/// Subcommands of `jdclass lexicon`.
#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Print every phrase and variant the matcher searches for, one per line.
    #[command(
        after_help = "Examples:\n  jdclass lexicon phrases | wc -l\n  jdclass lexicon phrases --lexicon mine.toml > phrases.txt"
    )]
    Phrases(PhrasesArgs),
    /// Propose candidate entries (lexicon-format TOML) from comparison articles or labelled postings.
    #[command(
        after_help = "Examples:\n  jdclass lexicon mine --articles ../shared/seeds --top 60 -o candidates.toml\n  jdclass lexicon mine --postings labelled.jsonl --label-field label"
    )]
    Mine(MineArgs),
    /// Validate a lexicon and report every defect with its line. Exit 2 on errors, 0 otherwise.
    #[command(
        after_help = "Examples:\n  jdclass lexicon check                       # the built-in lexicon\n  jdclass lexicon check mine.toml --seeds ../shared/seeds\n  jdclass lexicon check --no-corpus"
    )]
    Check(CheckArgs),
    /// Measure the lexicon on postings: entries that fire, low-evidence postings, uncovered n-grams.
    #[command(
        after_help = "Examples:\n  jdclass lexicon stats corpus/postings\n  jdclass lexicon stats labelled.jsonl --text-field body --format json"
    )]
    Stats(StatsArgs),
    /// Show a lexicon entry (the same as `jdclass explain TERM`).
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Show(ExplainArgs),
}

impl LexiconCommand {
    /// The lexicon and thread options the subcommand was given.
    pub fn options(&self) -> (&LexiconOpt, Option<&ThreadsOpt>) {
        match self {
            LexiconCommand::Phrases(a) => (&a.lexicon, None),
            LexiconCommand::Mine(a) => (&a.lexicon, None),
            LexiconCommand::Check(a) => (&a.lexicon, Some(&a.threads)),
            LexiconCommand::Stats(a) => (&a.lexicon, Some(&a.threads)),
            LexiconCommand::Show(a) => (&a.lexicon, None),
        }
    }
}

/// Examples of `jdclass explain`.
pub const EXPLAIN_EXAMPLES: &str = "\
Examples:
  jdclass explain roadmap                      # by phrase, as it appears in postings
  jdclass explain product-roadmap              # by entry id
  jdclass explain \"user stories\" --lexicon mine.toml";

/// Flags of `jdclass lexicon phrases`.
#[derive(Debug, clap::Args)]
pub struct PhrasesArgs {
    #[command(flatten)]
    lexicon: LexiconOpt,
}

/// Flags of `jdclass explain` and `jdclass lexicon show`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// An entry id ("product-roadmap") or a phrase as it may appear in a posting ("roadmaps").
    term: String,

    #[command(flatten)]
    pub lexicon: LexiconOpt,
}

/// Flags of `jdclass lexicon mine`.
///
/// Each n-gram (1-4 words, inside a sentence, no stop word at either end, no role name) is
/// ranked by the weighted log-odds z with an informative Dirichlet prior (Monroe et al. 2008).
/// Articles: sentences about the PM are contrasted with sentences about the PO. Postings: pm
/// against po, and other against pm+po+hybrid. Suggested weights: clamp(z / 4, -1, 1).
#[derive(Debug, clap::Args)]
#[command(group(ArgGroup::new("input").required(true).args(["articles", "postings"])))]
pub struct MineArgs {
    /// Comparison articles (PM vs PO): files or directories.
    #[arg(long, num_args = 1.., value_name = "PATH")]
    articles: Vec<PathBuf>,
    /// Labelled postings: a JSONL file, one object per line.
    #[arg(long, value_name = "FILE.jsonl")]
    postings: Option<PathBuf>,
    /// Field holding the label (pm, po, hybrid, other) in --postings.
    #[arg(long, default_value = "label", requires = "postings")]
    label_field: String,
    /// Field holding the text in --postings.
    #[arg(long, default_value = "text", requires = "postings")]
    text_field: String,
    /// Fewest occurrences in the two classes contrasted.
    #[arg(long, default_value_t = MineOptions::default().min_count, value_name = "N")]
    min_count: u32,
    /// Fewest documents (articles or postings) a phrase must occur in.
    #[arg(long, default_value_t = MineOptions::default().min_docs, value_name = "N")]
    min_docs: usize,
    /// Smallest |z| kept.
    #[arg(long, default_value_t = MineOptions::default().min_z, value_name = "Z")]
    min_z: f64,
    /// Candidates written, strongest first.
    #[arg(long, default_value_t = MineOptions::default().top, value_name = "N")]
    top: usize,
    /// Longest n-gram, in words (1-4).
    #[arg(long, default_value_t = MAX_ORDER, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=MAX_ORDER as u64))]
    max_words: usize,
    /// Scale of the prior: pseudo-counts as a fraction of the pooled counts (above 0).
    #[arg(long, default_value_t = DEFAULT_PRIOR_SCALE, value_name = "S")]
    prior_scale: f64,
    /// Write the candidates to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    #[command(flatten)]
    lexicon: LexiconOpt,
}

/// Flags of `jdclass lexicon check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The lexicon file to check (default: the --lexicon file, else the built-in lexicon).
    file: Option<PathBuf>,
    /// Directory of the seed documents: every `sources` item must be one of its files.
    #[arg(long, value_name = "DIR")]
    seeds: Option<PathBuf>,
    /// Postings to run the lexicon on, for never-fires and shadowed-in-corpus warnings: a
    /// directory, or a JSONL file (see --text-field). Default: corpus/postings if it exists.
    #[arg(long, value_name = "PATH")]
    corpus: Option<PathBuf>,
    /// Skip the checks that need a corpus.
    #[arg(long, conflicts_with = "corpus")]
    no_corpus: bool,
    /// Field holding the text when the corpus is a JSONL file.
    #[arg(long, default_value = "text")]
    text_field: String,

    #[command(flatten)]
    lexicon: LexiconOpt,

    #[command(flatten)]
    threads: ThreadsOpt,
}

/// Flags of `jdclass lexicon stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Postings: a directory (or a file) of postings, or a JSONL file (see --text-field).
    #[arg(value_name = "CORPUS", default_value = DEFAULT_CORPUS)]
    corpus: PathBuf,
    /// Field holding the text when CORPUS is a JSONL file.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// Output format [default: human, or from -o's extension].
    #[arg(long, value_name = "FORMAT", value_parser = format_parser(STATS_FORMATS))]
    format: Option<Format>,

    #[command(flatten)]
    out: OutputOpts,
    /// Uncovered n-grams listed.
    #[arg(long, default_value_t = StatsOptions::default().top_gaps, value_name = "N")]
    top: usize,
    /// Fewest low-evidence postings an uncovered n-gram must occur in.
    #[arg(long, default_value_t = StatsOptions::default().min_gap_postings, value_name = "N")]
    min_gap_postings: usize,

    #[command(flatten)]
    lexicon: LexiconOpt,

    #[command(flatten)]
    threads: ThreadsOpt,
}

/// Formats `jdclass lexicon stats` writes.
const STATS_FORMATS: &[Format] = &[Format::Human, Format::Json];

/// Run a lexicon subcommand. (`check` runs before the lexicon is loaded: see [`check`].)
pub fn run(config: &Config, cmd: &LexiconCommand) -> Result<Outcome> {
    match cmd {
        LexiconCommand::Phrases(_) => phrases(config),
        LexiconCommand::Mine(a) => mine(config, a),
        LexiconCommand::Stats(a) => stats(config, a),
        LexiconCommand::Show(a) => explain(config, a),
        LexiconCommand::Check(_) => bail!("internal: `lexicon check` runs before the lexicon is loaded"),
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
    let id = &lexicon.id;
    writeln!(out, "  lexicon:     {} {} (hash {})", id.name, id.version, id.hash)?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// Items of a batch that were skipped, on stderr: the batch went on without them.
fn report_problems(problems: &[Problem]) {
    for p in problems {
        eprintln!("jdclass: {p}");
    }
}

fn mine(config: &Config, args: &MineArgs) -> Result<Outcome> {
    if !(args.prior_scale > 0.0 && args.prior_scale.is_finite()) {
        bail!("--prior-scale {} must be a number above 0", args.prior_scale);
    }
    let lexicon = config.classifier.lexicon();
    let options = MineOptions {
        max_order: args.max_words,
        min_count: args.min_count,
        min_docs: args.min_docs,
        min_z: args.min_z,
        top: args.top,
        prior_scale: args.prior_scale,
    };
    let mined = match &args.postings {
        Some(path) => {
            let corpus = corpus::read_jsonl(path, &args.text_field, Some(&args.label_field))?;
            report_problems(&corpus.problems);
            let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
            mine::mine_postings(&corpus.documents, &name, lexicon, &options)?
        }
        None => {
            let corpus = corpus::read_files(&args.articles)?;
            report_problems(&corpus.problems);
            mine::mine_articles(&corpus.documents, lexicon, &options)?
        }
    };
    report_problems(&mined.skipped);
    let text = mine::render_toml(&mined, lexicon, config.classifier.matcher());
    match &args.output {
        Some(path) => {
            std::fs::write(path, &text).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "jdclass: {} candidates of {} written to {} (lexicon {} {}, hash {})",
                mined.candidates.len(),
                mined.passed,
                path.display(),
                lexicon.id.name,
                lexicon.id.version,
                lexicon.id.hash
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(Outcome::Success)
}

/// The corpus the empirical checks and stats run on: the one given, else
/// [`DEFAULT_CORPUS`] when it exists.
fn read_corpus(given: Option<&Path>, text_field: &str) -> Result<Option<Corpus>, ToolError> {
    let default = Path::new(DEFAULT_CORPUS);
    let path = match given {
        Some(p) => p,
        None if default.is_dir() => default,
        None => return Ok(None),
    };
    let corpus = corpus::read_postings(path, text_field)?;
    report_problems(&corpus.problems);
    Ok(Some(corpus))
}

/// `jdclass lexicon check`. It runs before the lexicon is loaded (the loader stops at the
/// first error; check reports them all), so it reads `--lexicon` itself.
pub fn check(args: &CheckArgs) -> Result<Outcome> {
    if args.threads.threads > 0 {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(args.threads.threads).build_global();
    }
    let (text, name) = match args.file.as_ref().or(args.lexicon.lexicon.as_ref()) {
        Some(path) => (jdclass::lexicon::read_lexicon_file(path)?, path.display().to_string()),
        None => (DEFAULT_LEXICON.to_string(), EMBEDDED_NAME.to_string()),
    };
    let corpus = if args.no_corpus { None } else { read_corpus(args.corpus.as_deref(), &args.text_field)? };
    let report = check::check(&text, &name, args.seeds.as_deref(), corpus.as_ref())?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let id = &report.lexicon;
    writeln!(
        out,
        "lexicon: {} {} (hash {}) from {}, {} entries",
        id.name, id.version, id.hash, id.source, report.entries
    )?;
    match &report.corpus {
        Some((source, n)) => writeln!(out, "corpus:  {source} ({n} postings)")?,
        None => writeln!(out, "corpus:  none (never-fires and shadowed-in-corpus not checked; see --corpus)")?,
    }
    for d in &report.diagnostics {
        writeln!(out, "{d}")?;
    }
    let kinds: Vec<String> = report.counts().iter().map(|(k, n)| format!("{} {n}", k.as_str())).collect();
    writeln!(
        out,
        "{} error(s), {} warning(s){}{}",
        report.errors(),
        report.warnings(),
        if kinds.is_empty() { "" } else { ": " },
        kinds.join(", ")
    )?;
    out.flush()?;
    Ok(if report.errors() > 0 { Outcome::Error } else { Outcome::Success })
}

fn stats(config: &Config, args: &StatsArgs) -> Result<Outcome> {
    let Some(corpus) = read_corpus(Some(&args.corpus), &args.text_field)? else {
        bail!("no corpus to measure");
    };
    let options = StatsOptions { top_gaps: args.top, min_gap_postings: args.min_gap_postings };
    let report = stats::stats(&config.classifier, &corpus, &options);
    let format = args.out.format(args.format, STATS_FORMATS, Format::Human, "jdclass lexicon stats")?;
    let mut out = args.out.open()?;
    match format {
        Format::Json => {
            serde_json::to_writer(&mut out, &report)?;
            writeln!(out)?;
        }
        _ => out.write_all(stats::render_table(&report).as_bytes())?,
    }
    out.flush()?;
    Ok(Outcome::Success)
}
