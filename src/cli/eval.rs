//! `jdclass eval FILE`: measure the classifier against labelled postings, read from
//! JSONL, CSV/TSV, or a manifest (a CSV whose rows name posting files, like
//! `corpus/manifest.csv`).

use super::output::{format_parser, Format, OutputOpts};
use super::{Config, LexiconOpt, Outcome, ThreadsOpt};
use anyhow::{bail, Context, Result};
use jdclass::eval::{Confusion, Report};
use jdclass::output::LexiconStamp;
use jdclass::{Label, Scratch};
use rayon::prelude::*;
use serde::Serialize;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// Formats `jdclass eval` writes.
const FORMATS: &[Format] = &[Format::Human, Format::Json];
/// Evidence terms shown per miss.
const MISS_TERMS: usize = 10;
/// Discounted phrases shown per miss.
const MISS_DISCOUNTED: usize = 6;

const EXAMPLES: &str = "\
Input: JSONL (one labelled posting per line), CSV or TSV with a header row (columns named
by --text-field, --label-field, --id-field), or a manifest: a CSV with a `file` column
(--file-field) naming posting files, found next to the manifest or in its postings/
folder, as in corpus/manifest.csv. A class with no gold postings has no recall or F1
(n/a) and is left out of the macro average; the output says so.

Examples:
  jdclass eval corpus/manifest.csv                           # the bundled corpus
  jdclass eval dev.jsonl --label-field content_label --misses
  jdclass eval labels.csv --text-field body --format json | jq .report.macro_f1";

/// Flags of `jdclass eval`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct EvalArgs {
    /// Labelled postings: JSONL, CSV/TSV, or a manifest CSV naming posting files.
    file: PathBuf,
    /// Field (JSONL key or CSV column) holding the posting text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    text_field: String,
    /// Field holding the gold label (pm, po, hybrid, other).
    #[arg(long, default_value = "label", value_name = "NAME")]
    label_field: String,
    /// Field holding the id shown for misses.
    #[arg(long, default_value = "id", value_name = "NAME")]
    id_field: String,
    /// Manifest column naming each posting's file (used when there is no text column).
    #[arg(long, default_value = "file", value_name = "NAME")]
    file_field: String,
    /// List each misclassified posting with its top evidence (human and json).
    #[arg(long)]
    misses: bool,
    /// Output format [default: human, or from -o's extension].
    #[arg(long, value_name = "FORMAT", value_parser = format_parser(FORMATS))]
    format: Option<Format>,

    #[command(flatten)]
    out: OutputOpts,

    #[command(flatten)]
    pub lexicon: LexiconOpt,

    #[command(flatten)]
    pub threads: ThreadsOpt,
}

/// One labelled posting, read.
struct Labelled {
    /// Where it is: `file:line`.
    at: String,
    id: String,
    gold: Label,
    text: String,
}

/// One labelled posting, classified.
struct Scored {
    id: String,
    gold: Label,
    verdict: jdclass::Verdict,
}

/// A misclassified posting, as `--misses` lists it.
#[derive(Serialize)]
struct Miss<'a> {
    id: &'a str,
    gold: Label,
    predicted: Label,
    confidence: f64,
    reason: &'a str,
    mass: &'a jdclass::verdict::Mass,
    evidence: Vec<String>,
    discounted: Vec<String>,
}

/// Classify every labelled posting and print the report.
pub fn run(config: &Config, args: &EvalArgs) -> Result<Outcome> {
    let format = args.out.format(args.format, FORMATS, Format::Human, "jdclass eval")?;
    let name = args.file.display().to_string();
    let rows = read(args)?;
    let results: Vec<Result<Scored, String>> = rows
        .into_par_iter()
        .map_init(Scratch::new, |scratch, row| {
            let row = row?;
            if let Some(why) = jdclass::input::no_text(row.text.as_bytes()) {
                let why = if why == jdclass::input::NoText::Empty { "empty" } else { "binary" };
                return Err(format!("{}: the posting is {why}: no verdict", row.at));
            }
            let verdict = config.classifier.classify_with(&row.text, scratch);
            Ok(Scored { id: row.id, gold: row.gold, verdict })
        })
        .collect();
    let mut confusion = Confusion::default();
    let mut errors = 0;
    for r in &results {
        match r {
            Ok(s) => confusion.add(s.gold, s.verdict.label),
            Err(e) => {
                errors += 1;
                if !args.out.quiet {
                    eprintln!("jdclass: {e}");
                }
            }
        }
    }
    if confusion.total() == 0 {
        bail!("{name}: no usable labelled posting (check --text-field and --label-field)");
    }
    let report = Report::new(confusion, errors);
    let misses: Vec<Miss> = results
        .iter()
        .flatten()
        .filter(|s| args.misses && s.gold != s.verdict.label)
        .map(|s| {
            let v = &s.verdict;
            let effect = |e: &jdclass::verdict::Evidence| {
                if e.effect == jdclass::context::Effect::Counted {
                    e.term.clone()
                } else {
                    format!("{}({})", e.term, e.effect.describe())
                }
            };
            Miss {
                id: &s.id,
                gold: s.gold,
                predicted: v.label,
                confidence: v.confidence,
                reason: &v.reason,
                mass: &v.mass,
                evidence: v.evidence.iter().take(MISS_TERMS).map(effect).collect(),
                discounted: v.discounted.iter().take(MISS_DISCOUNTED).map(effect).collect(),
            }
        })
        .collect();
    let mut out = args.out.open()?;
    let id = &config.classifier.lexicon().id;
    match format {
        Format::Json => {
            let mut doc = serde_json::json!({ "report": report, "lexicon": LexiconStamp::from(id) });
            if args.misses {
                doc["misses"] = serde_json::to_value(&misses)?;
            }
            serde_json::to_writer(&mut out, &doc)?;
            writeln!(out)?;
        }
        _ => {
            out.write_all(report.render().as_bytes())?;
            writeln!(out, "lexicon         {} {} ({})", id.name, id.version, id.hash)?;
            if args.misses {
                writeln!(out, "\nmisses ({})", misses.len())?;
                for m in &misses {
                    let p = m.mass;
                    writeln!(
                        out,
                        "{}: gold {} predicted {} (conf {:.2}; pm {:.1} po {:.1} other {:.1}) — {}",
                        m.id, m.gold, m.predicted, m.confidence, p.pm, p.po, p.other, m.reason
                    )?;
                    writeln!(out, "    evidence: {}", m.evidence.join(", "))?;
                    if !m.discounted.is_empty() {
                        writeln!(out, "    not counted: {}", m.discounted.join(", "))?;
                    }
                }
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// Read the labelled postings; a record that cannot be used is an `Err` naming its
/// place, so it is counted and reported without stopping the run.
fn read(args: &EvalArgs) -> Result<Vec<Result<Labelled, String>>> {
    let lower = args.file.to_string_lossy().to_ascii_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".tsv") {
        read_csv(args, if lower.ends_with(".tsv") { b'\t' } else { b',' })
    } else {
        read_jsonl(args)
    }
}

fn label_of(raw: &str, at: &str) -> Result<Label, String> {
    Label::parse(raw).ok_or_else(|| format!("{at}: label \"{raw}\" is not pm, po, hybrid or other"))
}

fn read_jsonl(args: &EvalArgs) -> Result<Vec<Result<Labelled, String>>> {
    let name = args.file.display().to_string();
    let file = std::fs::File::open(&args.file).with_context(|| format!("cannot open {name}"))?;
    let mut rows = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let n = i + 1;
        let line = line.with_context(|| format!("{name}:{n}: cannot read"))?;
        if line.trim().is_empty() {
            continue; // blank lines are not records
        }
        let at = format!("{name}:{n}");
        rows.push((|| -> Result<Labelled, String> {
            let v: serde_json::Value = serde_json::from_str(&line).map_err(|e| format!("{at}: not JSON: {e}"))?;
            let field = |f: &str, flag: &str| {
                v.get(f).and_then(|t| t.as_str()).ok_or_else(|| format!("{at}: no string field \"{f}\" (set {flag})"))
            };
            let text = field(&args.text_field, "--text-field")?.to_string();
            let gold = label_of(field(&args.label_field, "--label-field")?, &at)?;
            let id = v
                .get(&args.id_field)
                .map(|x| x.as_str().map(String::from).unwrap_or_else(|| x.to_string()))
                .unwrap_or_else(|| format!("line {n}"));
            Ok(Labelled { at: at.clone(), id, gold, text })
        })());
    }
    Ok(rows)
}

fn read_csv(args: &EvalArgs, delimiter: u8) -> Result<Vec<Result<Labelled, String>>> {
    let name = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot open {name}"))?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes); // Excel's "CSV UTF-8"
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .with_context(|| format!("{name}: no header row"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let col = |f: &str| header.iter().position(|h| h == f);
    let columns = header.join(", ");
    let (text, file, label, id) =
        (col(&args.text_field), col(&args.file_field), col(&args.label_field), col(&args.id_field));
    let Some(label) = label else {
        bail!("{name}: no \"{}\" column for the gold label (set --label-field; columns: {columns})", args.label_field);
    };
    if text.is_none() && file.is_none() {
        bail!(
            "{name}: no \"{}\" column with the text, nor a \"{}\" column naming posting files (set --text-field or --file-field; columns: {columns})",
            args.text_field,
            args.file_field
        );
    }
    let base = args.file.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let at =
            format!("{name}:{}", record.as_ref().ok().and_then(|r| r.position()).map_or(i as u64 + 2, |p| p.line()));
        rows.push((|| -> Result<Labelled, String> {
            let record = record.map_err(|e| format!("{at}: bad CSV row: {e}"))?;
            let get = |c: usize| record.get(c).unwrap_or("");
            let gold = label_of(get(label).trim(), &at)?;
            let (text, default_id) = match (text, file) {
                (Some(t), _) => (get(t).to_string(), format!("row {}", i + 1)),
                (None, Some(f)) => {
                    let file = get(f).trim();
                    let path = [base.join(file), base.join("postings").join(file)]
                        .into_iter()
                        .find(|p| p.is_file())
                        .ok_or_else(|| format!("{at}: posting file \"{file}\" not found next to the manifest or in its postings/ folder"))?;
                    let bytes = std::fs::read(&path).map_err(|e| format!("{at}: cannot read {}: {e}", path.display()))?;
                    (String::from_utf8_lossy(&bytes).into_owned(), file.to_string())
                }
                (None, None) => return Err(format!("{at}: no text column")), // refused above
            };
            let id = id.map(|c| get(c).to_string()).filter(|s| !s.is_empty()).unwrap_or(default_id);
            Ok(Labelled { at: at.clone(), id, gold, text })
        })());
    }
    Ok(rows)
}
