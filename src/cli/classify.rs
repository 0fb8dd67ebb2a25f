//! `jdclass [classify] FILE...`: classify postings one by one and write a verdict for
//! each, in any of the formats (human, json, jsonl, csv, html).

use super::output::{format_parser, parse_posting_size, Format, OutputOpts};
use super::{ColorOpt, Config, LexiconOpt, Outcome};
use anyhow::{bail, Result};
use jdclass::classify::Brief;
use jdclass::input::{read_posting, InputError, DEFAULT_MAX_BYTES};
use jdclass::output::{human, ErrorRecord, LexiconStamp, Record};
use jdclass::scan::format::{Csv, Row, RowWriter};
use jdclass::scan::{RecordError, DEFAULT_TERMS};
use jdclass::{Scratch, Verdict};
use std::io::{IsTerminal, Write};

/// Formats `jdclass FILE` writes.
const FORMATS: &[Format] = &[Format::Human, Format::Json, Format::Jsonl, Format::Csv, Format::Html];

const EXAMPLES: &str = "\
Formats:
  human  a readable verdict per posting, with its evidence (default)
  json   one JSON document: the record for one posting, an array for several
  jsonl  one JSON record per posting, one per line
  csv    one row per posting (the columns of `jdclass scan --format csv`)
  html   one self-contained page: highlighted postings and a strategic x roadmap plot
A file that cannot be read, is empty or is binary gets an error (an error record in
json, jsonl and csv) and exit code 2; the other files are still classified.

Examples:
  jdclass posting.txt                          # `classify` is the default subcommand
  jdclass a.txt b.html --format jsonl          # one JSON object per line
  cat posting.txt | jdclass                    # stdin when piped (or name it: -)
  jdclass posting.html -o report.html          # the format from the extension
  jdclass posting.md --top 20 --max-bytes 1M";

/// Flags of the default command.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct ClassifyArgs {
    /// Postings to classify (plain text, markdown or HTML); `-` reads stdin, which is
    /// also read when no FILE is given and stdin is not a terminal.
    #[arg(value_name = "FILE")]
    files: Vec<String>,

    /// Output format [default: human, or from -o's extension].
    #[arg(long, value_name = "FORMAT", value_parser = format_parser(FORMATS))]
    format: Option<Format>,

    #[command(flatten)]
    out: OutputOpts,

    /// Phrases listed per evidence group in human output.
    #[arg(long, default_value_t = 8, value_name = "N")]
    top: usize,

    /// Largest posting accepted (bytes; K, M, G suffixes).
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES, value_name = "SIZE", value_parser = parse_posting_size)]
    max_bytes: u64,

    #[command(flatten)]
    pub lexicon: LexiconOpt,

    #[command(flatten)]
    pub color: ColorOpt,
}

/// One input's result.
enum Outcome1 {
    Classified { name: String, text: String, verdict: Box<Verdict> },
    Failed { name: String, error: InputError },
}

/// Classify each file in turn; an unreadable file is reported and the rest go on.
pub fn run(config: &Config, args: &ClassifyArgs) -> Result<Outcome> {
    let format = args.out.format(args.format, FORMATS, Format::Human, "jdclass classify")?;
    let mut files = args.files.clone();
    if files.is_empty() {
        if std::io::stdin().is_terminal() {
            bail!("no posting given: try `jdclass posting.txt`, `jdclass - < posting.txt`, or `jdclass --help`");
        }
        files.push("-".into());
    }
    if files.iter().any(|f| f == "-") && std::io::stdin().is_terminal() && !args.out.quiet {
        eprintln!("jdclass: reading posting from stdin… (end with Ctrl-D; `jdclass --help` for usage)");
    }
    let mut out = args.out.open()?;
    let lexicon = &config.classifier.lexicon().id;
    let style = if args.out.output.is_some() { jdclass::output::Style { color: false } } else { config.style };
    let mut scratch = Scratch::new();
    let mut outcome = Outcome::Success;
    let mut kept = Vec::new(); // json (one document) and html need every posting first
    if format == Format::Csv {
        let mut header = Vec::new();
        Csv { lexicon }.header(&mut header);
        out.write_all(&header)?;
    }
    for (n, file) in files.iter().enumerate() {
        let name = if file == "-" { "<stdin>".to_string() } else { file.clone() };
        let result = match read_posting(file, args.max_bytes) {
            Ok(posting) => {
                let mut verdict = config.classifier.classify_with(&posting.text, &mut scratch);
                verdict.warnings = posting.warnings;
                Outcome1::Classified { name, text: posting.text, verdict: Box::new(verdict) }
            }
            Err(error) => {
                outcome = Outcome::Error;
                eprintln!("jdclass: {error}");
                Outcome1::Failed { name, error }
            }
        };
        match format {
            Format::Human => {
                if let Outcome1::Classified { name, verdict, .. } = &result {
                    if n > 0 {
                        writeln!(out)?;
                    }
                    out.write_all(human::render(name, verdict, lexicon, &style, args.top).as_bytes())?;
                }
            }
            Format::Jsonl => {
                write_json(&mut out, &result, lexicon)?;
                writeln!(out)?;
            }
            Format::Csv => {
                let mut line = Vec::new();
                let (brief, error);
                let row = match &result {
                    Outcome1::Classified { name, verdict, .. } => {
                        brief = Brief::from_verdict(verdict, DEFAULT_TERMS);
                        Row { source: name, line: None, id: None, outcome: Ok(&brief) }
                    }
                    Outcome1::Failed { name, error: e } => {
                        error = record_error(e);
                        Row { source: name, line: None, id: None, outcome: Err(&error) }
                    }
                };
                Csv { lexicon }.row(&mut line, &row);
                out.write_all(&line)?;
            }
            Format::Json | Format::Html => kept.push(result),
        }
        out.flush()?;
    }
    match format {
        Format::Json => {
            if let [one] = &kept[..] {
                write_json(&mut out, one, lexicon)?;
            } else {
                out.write_all(b"[")?;
                for (i, r) in kept.iter().enumerate() {
                    out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
                    write_json(&mut out, r, lexicon)?;
                }
                out.write_all(b"\n]")?;
            }
            writeln!(out)?;
        }
        Format::Html => {
            let pages: Vec<_> = kept
                .iter()
                .filter_map(|r| match r {
                    Outcome1::Classified { name, text, verdict } => {
                        Some(jdclass::output::html::Page { source: name, text, verdict, check: None })
                    }
                    Outcome1::Failed { .. } => None,
                })
                .collect();
            out.write_all(jdclass::output::html::render(&pages, config.classifier.lexicon()).as_bytes())?;
        }
        _ => {}
    }
    out.flush()?;
    Ok(outcome)
}

fn write_json(out: &mut impl Write, r: &Outcome1, lexicon: &jdclass::lexicon::LexiconId) -> Result<()> {
    let stamp = LexiconStamp::from(lexicon);
    match r {
        Outcome1::Classified { name, verdict, .. } => {
            serde_json::to_writer(&mut *out, &Record { source: name, verdict, lexicon: stamp })?
        }
        Outcome1::Failed { name, error } => {
            serde_json::to_writer(&mut *out, &ErrorRecord { source: name, error: error.to_string(), lexicon: stamp })?
        }
    }
    Ok(())
}

/// The scan error an input error is, for the CSV columns shared with `scan`.
fn record_error(e: &InputError) -> RecordError {
    match e {
        InputError::Empty { .. } => RecordError::Empty,
        InputError::Binary { .. } => RecordError::Binary,
        InputError::TooLarge { size, max, .. } => RecordError::TooLarge { size: *size, max: *max },
        InputError::Io { source, .. } => RecordError::Unreadable(source.to_string()),
        InputError::Directory { .. } => RecordError::Unreadable(e.to_string()),
    }
}
