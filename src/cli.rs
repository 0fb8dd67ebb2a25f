//! Command-line flags (clap derive: the doc comments are the help text) and the
//! commands they run. Flags are turned into a ready-to-use classifier and output style
//! before any work starts.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use jdclass::eval::{Confusion, Report};
use jdclass::input::{read_posting, DEFAULT_MAX_BYTES};
use jdclass::output::{human, ErrorRecord, LexiconStamp, Record, Style};
use jdclass::{Classifier, Label, Lexicon, Scratch};
use rayon::prelude::*;
use std::io::{BufRead, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// How a run ended; the numbers are the documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: everything was classified (or checked consistent).
    Success,
    /// 1: a check found a mismatch (reserved for `jdclass check`).
    #[allow(dead_code)]
    Mismatch,
    /// 2: an input, the lexicon or the flags could not be used.
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(match o {
            Outcome::Success => 0,
            Outcome::Mismatch => 1,
            Outcome::Error => 2,
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
/// Exit codes: 0 success, 1 mismatch (check), 2 error (unreadable input, bad lexicon,
/// bad flags). A closed output pipe exits 0 quietly.
#[derive(Debug, Parser)]
#[command(name = "jdclass", version, args_conflicts_with_subcommands = true, max_term_width = 100)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,

    /// Postings to classify (plain text, markdown or HTML); `-` reads stdin.
    #[arg(value_name = "FILE")]
    files: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Phrases listed per evidence group in human output.
    #[arg(long, default_value_t = 8, value_name = "N")]
    top: usize,

    /// Largest posting accepted, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES, value_name = "BYTES")]
    max_bytes: u64,

    #[command(flatten)]
    global: Global,
}

#[derive(Debug, clap::Args)]
struct Global {
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
    /// Measure against labelled postings (JSONL): confusion matrix, precision, recall, F1.
    Eval(EvalArgs),
    /// Inspect the lexicon.
    #[command(subcommand)]
    Lexicon(LexiconCommand),
}

#[derive(Debug, clap::Args)]
struct EvalArgs {
    /// JSONL file, one labelled posting per line.
    file: PathBuf,
    /// Field holding the posting text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// Field holding the gold label (pm, po, hybrid, other).
    #[arg(long, default_value = "label")]
    label_field: String,
    /// Field holding the id shown for misses.
    #[arg(long, default_value = "id")]
    id_field: String,
    /// List each misclassified posting with its top evidence.
    #[arg(long)]
    misses: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, Subcommand)]
enum LexiconCommand {
    /// Print every phrase and variant the matcher searches for, one per line.
    Phrases,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable verdicts.
    Human,
    /// One JSON object per posting, one per line.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Flags resolved into things ready to use.
struct Config {
    classifier: Classifier,
    style: Style,
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
        Ok(Config { classifier, style: Style { color } })
    }
}

/// Parse the command line and run it.
pub fn run() -> Result<Outcome> {
    let args = Args::parse();
    let config = Config::new(&args.global)?;
    match &args.command {
        Some(Command::Eval(e)) => eval(&config, e),
        Some(Command::Lexicon(LexiconCommand::Phrases)) => phrases(&config),
        None => {
            if args.files.is_empty() {
                bail!("no posting given: try `jdclass posting.txt`, `jdclass - < posting.txt`, or `jdclass --help`");
            }
            classify_files(&config, &args)
        }
    }
}

fn classify_files(config: &Config, args: &Args) -> Result<Outcome> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let lexicon = &config.classifier.lexicon().id;
    let mut scratch = Scratch::new();
    let mut outcome = Outcome::Success;
    for (n, file) in args.files.iter().enumerate() {
        let name = if file == "-" { "<stdin>" } else { file.as_str() };
        match read_posting(file, args.max_bytes) {
            Ok(posting) => {
                let mut verdict = config.classifier.classify_with(&posting.text, &mut scratch);
                verdict.warnings = posting.warnings;
                match args.format {
                    Format::Json => {
                        serde_json::to_writer(
                            &mut out,
                            &Record { source: name, verdict: &verdict, lexicon: LexiconStamp::from(lexicon) },
                        )?;
                        writeln!(out)?;
                    }
                    Format::Human => {
                        if n > 0 {
                            writeln!(out)?;
                        }
                        out.write_all(human::render(name, &verdict, lexicon, &config.style, args.top).as_bytes())?;
                    }
                }
            }
            Err(err) => {
                outcome = Outcome::Error;
                if args.format == Format::Json {
                    serde_json::to_writer(
                        &mut out,
                        &ErrorRecord { source: name, error: err.to_string(), lexicon: LexiconStamp::from(lexicon) },
                    )?;
                    writeln!(out)?;
                }
                out.flush()?;
                eprintln!("jdclass: {err}");
            }
        }
    }
    out.flush()?;
    Ok(outcome)
}

fn phrases(config: &Config) -> Result<Outcome> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    for p in config.classifier.matcher().patterns() {
        writeln!(out, "{p}")?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// One line of an eval file, classified.
struct Scored {
    id: String,
    gold: Label,
    verdict: jdclass::Verdict,
}

fn eval(config: &Config, args: &EvalArgs) -> Result<Outcome> {
    let file = std::fs::File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let mut lines = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}: cannot read", args.file.display(), i + 1))?;
        lines.push((i + 1, line));
    }
    let name = args.file.display().to_string();
    let results: Vec<Result<Scored, String>> = lines
        .par_iter()
        .map_init(Scratch::new, |scratch, (n, line)| {
            if line.trim().is_empty() {
                return Err(format!("{name}:{n}: empty line"));
            }
            let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("{name}:{n}: not JSON: {e}"))?;
            let text = v
                .get(&args.text_field)
                .and_then(|t| t.as_str())
                .ok_or_else(|| format!("{name}:{n}: no string field \"{}\" (set --text-field)", args.text_field))?;
            let raw = v
                .get(&args.label_field)
                .and_then(|t| t.as_str())
                .ok_or_else(|| format!("{name}:{n}: no string field \"{}\" (set --label-field)", args.label_field))?;
            let gold = Label::parse(raw)
                .ok_or_else(|| format!("{name}:{n}: label \"{raw}\" is not pm, po, hybrid or other"))?;
            let id = v
                .get(&args.id_field)
                .map(|x| x.as_str().map(String::from).unwrap_or_else(|| x.to_string()))
                .unwrap_or_else(|| format!("line {n}"));
            Ok(Scored { id, gold, verdict: config.classifier.classify_with(text, scratch) })
        })
        .collect();
    let mut confusion = Confusion::default();
    let mut errors = 0;
    for r in &results {
        match r {
            Ok(s) => confusion.add(s.gold, s.verdict.label),
            Err(e) => {
                errors += 1;
                eprintln!("jdclass: {e}");
            }
        }
    }
    if confusion.total() == 0 {
        bail!("{name}: no usable labelled posting (check --text-field and --label-field)");
    }
    let report = Report::new(confusion, errors);
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Json => {
            serde_json::to_writer(
                &mut out,
                &serde_json::json!({ "report": report, "lexicon": LexiconStamp::from(&config.classifier.lexicon().id) }),
            )?;
            writeln!(out)?;
        }
        Format::Human => {
            out.write_all(report.render().as_bytes())?;
            let id = &config.classifier.lexicon().id;
            writeln!(out, "lexicon         {} {} ({})", id.name, id.version, id.hash)?;
            if args.misses {
                writeln!(out, "\nmisses")?;
                for s in results.iter().flatten().filter(|s| s.gold != s.verdict.label) {
                    let v = &s.verdict;
                    writeln!(
                        out,
                        "{}: gold {} predicted {} (conf {:.2}; pm {:.1} po {:.1} other {:.1}) — {}",
                        s.id, s.gold, v.label, v.confidence, v.mass.pm, v.mass.po, v.mass.other, v.reason
                    )?;
                    let top: Vec<String> = v
                        .evidence
                        .iter()
                        .take(10)
                        .map(|e| {
                            format!(
                                "{}{}",
                                e.term,
                                if e.effect == jdclass::context::Effect::Counted {
                                    String::new()
                                } else {
                                    format!("({})", e.effect.describe())
                                }
                            )
                        })
                        .collect();
                    writeln!(out, "    evidence: {}", top.join(", "))?;
                    let disc: Vec<String> =
                        v.discounted.iter().take(6).map(|e| format!("{}({})", e.term, e.effect.describe())).collect();
                    if !disc.is_empty() {
                        writeln!(out, "    not counted: {}", disc.join(", "))?;
                    }
                }
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}
