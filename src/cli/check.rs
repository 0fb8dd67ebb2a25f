//! `jdclass check FILE --as ROLE`: does a posting read as the role it is meant to hire?
//! Exit 0 when consistent, 1 on a mismatch, 2 on error, so an applicant-tracking
//! pipeline or CI can gate on it.

use super::output::{format_parser, parse_posting_size, Format, OutputOpts};
use super::{ColorOpt, Config, LexiconOpt, Outcome};
use anyhow::{anyhow, bail, Result};
use jdclass::check::{check_verdict, describe_places, intended_from_role, toward_words, Change, CheckReport};
use jdclass::input::{read_posting, DEFAULT_MAX_BYTES};
use jdclass::output::{html, CheckRecord, Style};
use jdclass::{Label, Scratch};
use std::io::{IsTerminal, Write};

/// Formats `jdclass check` writes.
const FORMATS: &[Format] = &[Format::Human, Format::Json, Format::Html];

const EXAMPLES: &str = "\
Exit codes: 0 the body reads as the intended role; 1 it reads as another (a mismatch);
2 the posting cannot be read, is empty or binary, or the role cannot be told.

Examples:
  jdclass check posting.txt                    # the role from the title line
  jdclass check posting.txt --as po            # or say it
  jdclass check draft.md --title \"Product Owner, Payments\" -o report.html
  jdclass check posting.html --format json | jq .changes
  cat draft.txt | jdclass check --as pm        # stdin when piped";

/// Flags of `jdclass check`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct CheckArgs {
    /// The posting (plain text, markdown or HTML); `-` reads stdin, which is also read
    /// when FILE is left out and stdin is not a terminal.
    file: Option<String>,

    /// The role the posting is meant to hire for. Without it, the role is read from
    /// --title, or else from the posting's title (its first line; in HTML, its <title>
    /// or <h1>).
    #[arg(long = "as", value_name = "ROLE", value_parser = ["pm", "po", "hybrid"])]
    as_role: Option<String>,

    /// The title the posting will be published under, when it is not the first line.
    #[arg(long, value_name = "TITLE")]
    title: Option<String>,

    /// Output format [default: human, or from -o's extension].
    #[arg(long, value_name = "FORMAT", value_parser = format_parser(FORMATS))]
    format: Option<Format>,

    #[command(flatten)]
    out: OutputOpts,

    /// Largest posting accepted (bytes; K, M, G suffixes).
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES, value_name = "SIZE", value_parser = parse_posting_size)]
    max_bytes: u64,

    #[command(flatten)]
    pub lexicon: LexiconOpt,

    #[command(flatten)]
    pub color: ColorOpt,
}

/// Check one posting and print the report.
pub fn run(config: &Config, args: &CheckArgs) -> Result<Outcome> {
    let format = args.out.format(args.format, FORMATS, Format::Human, "jdclass check")?;
    let file = match &args.file {
        Some(f) => f.as_str(),
        None if std::io::stdin().is_terminal() => {
            bail!("no posting given: try `jdclass check posting.txt --as po` or `jdclass check --help`")
        }
        None => "-",
    };
    if file == "-" && std::io::stdin().is_terminal() && !args.out.quiet {
        eprintln!("jdclass: reading posting from stdin… (end with Ctrl-D)");
    }
    let name = if file == "-" { "<stdin>" } else { file };
    let posting = read_posting(file, args.max_bytes)?;
    let classifier = &config.classifier;
    let mut scratch = Scratch::new();
    let mut verdict = classifier.classify_with(&posting.text, &mut scratch);
    verdict.warnings = posting.warnings;
    let intended = intended_role(config, args, &verdict)?;
    let report = check_verdict(classifier, &posting.text, &verdict, intended, &mut scratch);

    let mut out = args.out.open()?;
    let style = if args.out.output.is_some() { Style { color: false } } else { config.style };
    let lexicon = classifier.lexicon();
    match format {
        Format::Json | Format::Jsonl => {
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
        Format::Human | Format::Csv => {
            out.write_all(render(name, &posting.text, &report, verdict.confidence, &style).as_bytes())?
        }
    }
    out.flush()?;
    Ok(if report.consistent { Outcome::Success } else { Outcome::Mismatch })
}

/// The role to check against: --as, else the roles named in --title, else the title line.
fn intended_role(config: &Config, args: &CheckArgs, verdict: &jdclass::Verdict) -> Result<Label> {
    if let Some(r) = &args.as_role {
        return Label::parse(r).ok_or_else(|| anyhow!("--as takes pm, po or hybrid"));
    }
    let (role, from) = match &args.title {
        Some(t) => (jdclass::check::role_of_title(&config.classifier, t), format!("--title \"{t}\"")),
        None => (verdict.title_role(), "the posting's first line".to_string()),
    };
    let Some(role) = role else {
        bail!("cannot tell which role {from} names; say it with --as pm|po|hybrid");
    };
    intended_from_role(role).ok_or_else(|| {
        let named = match role {
            jdclass::lexicon::Role::Other => "a non-product role (not pm, po or hybrid)",
            _ => "no role jdclass can check (it is masked)",
        };
        anyhow!("{from} names {named}; check compares against pm, po or hybrid: say which with --as")
    })
}

/// The report as lint-style text: `FILE:LINE:COL: message`, most influential first.
fn render(name: &str, text: &str, r: &CheckReport, confidence: f64, style: &Style) -> String {
    use jdclass::output::printable;
    use std::fmt::Write as _;
    let name = &*printable(name);
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
                printable(&f.phrase),
                toward_words(f.toward),
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
        if r.search_cut_short {
            let _ = writeln!(
                s,
                "  (the search stopped after {} tries: the posting is too long for a full search)",
                r.tries
            );
        }
        for (i, c) in r.changes.iter().enumerate() {
            match c {
                Change::Remove { phrase, occurrences, toward: side, .. } => {
                    let places = printable(&describe_places(text, occurrences, phrase)).into_owned();
                    let _ =
                        writeln!(s, "  {}. remove or reword {places} (pulls toward {})", i + 1, toward_words(*side));
                }
                Change::Add { signal, sentence } => {
                    let _ = writeln!(s, "  {}. add a responsibility ({signal}): \"{sentence}\"", i + 1);
                }
            }
        }
    }
    s
}
