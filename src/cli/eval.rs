//! `jdclass eval FILE.jsonl`: measure the classifier against labelled postings.

use super::{Config, Format, Outcome};
use anyhow::{bail, Context, Result};
use jdclass::eval::{Confusion, Report};
use jdclass::output::LexiconStamp;
use jdclass::{Label, Scratch};
use rayon::prelude::*;
use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;

/// Flags of `jdclass eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
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
    /// Output format (human or json).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// One line of an eval file, classified.
struct Scored {
    id: String,
    gold: Label,
    verdict: jdclass::Verdict,
}

/// Classify every labelled line and print the report.
pub fn run(config: &Config, args: &EvalArgs) -> Result<Outcome> {
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
        Format::Json | Format::Html => {
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
