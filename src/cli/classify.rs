//! `jdclass FILE...`: classify postings one by one and print a verdict for each.

use super::{Config, Format, Outcome};
use anyhow::{bail, Result};
use jdclass::input::{read_posting, DEFAULT_MAX_BYTES};
use jdclass::output::{human, ErrorRecord, LexiconStamp, Record};
use jdclass::Scratch;
use std::io::{BufWriter, Write};

/// Flags of the default command.
#[derive(Debug, clap::Args)]
pub struct ClassifyArgs {
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
}

/// Classify each file in turn; an unreadable file is reported and the rest go on.
pub fn run(config: &Config, args: &ClassifyArgs) -> Result<Outcome> {
    if args.files.is_empty() {
        bail!("no posting given: try `jdclass posting.txt`, `jdclass - < posting.txt`, or `jdclass --help`");
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let lexicon = &config.classifier.lexicon().id;
    let mut scratch = Scratch::new();
    let mut outcome = Outcome::Success;
    let mut html_pages = Vec::new();
    for (n, file) in args.files.iter().enumerate() {
        let name = if file == "-" { "<stdin>" } else { file.as_str() };
        let posting = match read_posting(file, args.max_bytes) {
            Ok(p) => p,
            Err(err) => {
                outcome = Outcome::Error;
                if args.format == Format::Json {
                    let rec =
                        ErrorRecord { source: name, error: err.to_string(), lexicon: LexiconStamp::from(lexicon) };
                    serde_json::to_writer(&mut out, &rec)?;
                    writeln!(out)?;
                }
                out.flush()?;
                eprintln!("jdclass: {err}");
                continue;
            }
        };
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
            Format::Html => html_pages.push((name.to_string(), posting.text, verdict)),
        }
    }
    if args.format == Format::Html {
        let pages: Vec<_> = html_pages
            .iter()
            .map(|(n, t, v)| jdclass::output::html::Page { source: n, text: t, verdict: v, check: None })
            .collect();
        out.write_all(jdclass::output::html::render(&pages, config.classifier.lexicon()).as_bytes())?;
    }
    out.flush()?;
    Ok(outcome)
}
