//! `jdclass check FILE --as ROLE`: does a posting read as the role it is meant to hire?
//! Exit 0 when consistent, 1 on a mismatch, 2 on error, so an applicant-tracking
//! pipeline or CI can gate on it.

use super::{Config, Format, Outcome};
use anyhow::{anyhow, Result};
use jdclass::check::{check_verdict, Change, CheckReport};
use jdclass::input::{read_posting, DEFAULT_MAX_BYTES};
use jdclass::output::{html, CheckRecord, Style};
use jdclass::{Label, Scratch};
use std::io::{BufWriter, Write};

/// Flags of `jdclass check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The posting (plain text, markdown or HTML); `-` reads stdin.
    file: String,

    /// The role the posting is meant to hire for. Without it, the role is read from
    /// --title, or else from the posting's first line.
    #[arg(long = "as", value_name = "ROLE", value_parser = ["pm", "po", "hybrid"])]
    as_role: Option<String>,

    /// The title the posting will be published under, when it is not the first line.
    #[arg(long, value_name = "TITLE")]
    title: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Largest posting accepted, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES, value_name = "BYTES")]
    max_bytes: u64,
}

/// Check one posting and print the report.
pub fn run(config: &Config, args: &CheckArgs) -> Result<Outcome> {
    let name = if args.file == "-" { "<stdin>" } else { args.file.as_str() };
    let posting = read_posting(&args.file, args.max_bytes)?;
    let classifier = &config.classifier;
    let mut scratch = Scratch::new();
    let mut verdict = classifier.classify_with(&posting.text, &mut scratch);
    verdict.warnings = posting.warnings;
    let intended = intended_role(config, args, &verdict)?;
    let report = check_verdict(classifier, &posting.text, &verdict, intended, &mut scratch);

    let mut out = BufWriter::new(std::io::stdout().lock());
    let lexicon = classifier.lexicon();
    match args.format {
        Format::Json => {
            let rec = CheckRecord {
                source: name,
                report: &report,
                confidence: verdict.confidence,
                lexicon: (&lexicon.id).into(),
            };
            serde_json::to_writer(&mut out, &rec)?;
            writeln!(out)?;
        }
        Format::Html => {
            let page = html::Page { source: name, text: &posting.text, verdict: &verdict, check: Some(&report) };
            out.write_all(html::render(&[page], lexicon).as_bytes())?;
        }
        Format::Human => out.write_all(render(name, &report, verdict.confidence, &config.style).as_bytes())?,
    }
    out.flush()?;
    Ok(if report.consistent { Outcome::Success } else { Outcome::Mismatch })
}

/// The role to check against: --as, else the roles named in --title, else the title line.
fn intended_role(config: &Config, args: &CheckArgs, verdict: &jdclass::Verdict) -> Result<Label> {
    if let Some(r) = &args.as_role {
        return Label::parse(r).ok_or_else(|| anyhow!("--as takes pm, po or hybrid"));
    }
    jdclass::check::intended_role(&config.classifier, verdict, args.title.as_deref())
        .map_err(|e| anyhow!("{e} (--as pm|po|hybrid)"))
}

/// The report as lint-style text: `FILE:LINE:COL: message`, most influential first.
fn render(name: &str, r: &CheckReport, confidence: f64, style: &Style) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let verdict = if r.consistent { style.paint("1;32", "CONSISTENT") } else { style.paint("1;31", "MISMATCH") };
    let _ = writeln!(s, "{name}: {verdict} — {} (confidence {confidence:.2})", r.summary);
    if !r.findings.is_empty() {
        let _ = writeln!(s, "\nPhrases pulling away from {} (most influential first)", r.intended.long_name());
        for f in &r.findings {
            let _ = writeln!(
                s,
                "{name}:{}:{}: \"{}\" pulls toward {} ({}, influence {:.2}) — {}",
                f.line,
                f.column,
                f.phrase,
                f.toward.long_name(),
                f.axis,
                f.influence,
                f.why
            );
        }
    }
    if !r.missing.is_empty() {
        let _ = writeln!(s, "\nExpected of a {} posting but missing", r.intended.long_name());
        for m in &r.missing {
            let _ = writeln!(s, "  - {}", m.signal);
        }
    }
    if !r.consistent {
        let outcome = match r.after {
            Some(l) if r.flips => format!("verified: the edited posting reads as {l}"),
            Some(l) => format!("not enough: after these edits it still reads as {l}"),
            None => String::new(),
        };
        let _ = writeln!(s, "\nSmallest change found to read as {} ({outcome})", r.intended.long_name());
        for (i, c) in r.changes.iter().enumerate() {
            match c {
                Change::Remove { phrase, occurrences, toward, .. } => {
                    let at: Vec<String> = occurrences.iter().map(|&(_, _, l, c)| format!("{l}:{c}")).collect();
                    let _ = writeln!(
                        s,
                        "  {}. remove or reword \"{phrase}\" at {} (pulls toward {})",
                        i + 1,
                        at.join(", "),
                        toward.long_name()
                    );
                }
                Change::Add { signal, sentence } => {
                    let _ = writeln!(s, "  {}. add a responsibility ({signal}): \"{sentence}\"", i + 1);
                }
            }
        }
    }
    s
}
