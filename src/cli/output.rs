//! What every command that writes results shares: one format vocabulary, `-o/--output`
//! (with the format inferred from its extension), `-q/--quiet`, and byte sizes with
//! suffixes (`--max-bytes 10M`).
//!
//! The vocabulary: `human` (alias `table`) for reading, `json` for one JSON document,
//! `jsonl` for one JSON object per line, `csv`, `html`. Each command accepts only the
//! formats it can write.

use anyhow::{bail, Context, Result};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Readable text or aligned columns.
    Human,
    /// One JSON document.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// A self-contained HTML page.
    Html,
}

impl Format {
    const ALL: [Format; 5] = [Format::Human, Format::Json, Format::Jsonl, Format::Csv, Format::Html];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Html => "html",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Format::Human => "readable text (alias: table)",
            Format::Json => "one JSON document",
            Format::Jsonl => "one JSON object per line",
            Format::Csv => "CSV with a header row",
            Format::Html => "a self-contained HTML page",
        }
    }

    fn from_name(name: &str) -> Option<Format> {
        match name {
            "table" => Some(Format::Human),
            _ => Format::ALL.into_iter().find(|f| f.name() == name),
        }
    }

    /// The format a file name asks for, from its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let ext = name.rsplit_once('.')?.1;
        Some(match ext {
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::Jsonl,
            "csv" => Format::Csv,
            "html" | "htm" => Format::Html,
            "txt" | "text" => Format::Human,
            _ => return None,
        })
    }
}

/// A `--format` value parser offering only `allowed`.
pub fn format_parser(allowed: &'static [Format]) -> impl TypedValueParser<Value = Format> {
    let values = allowed.iter().map(|f| {
        let v = PossibleValue::new(f.name()).help(f.help());
        if *f == Format::Human {
            v.alias("table")
        } else {
            v
        }
    });
    PossibleValuesParser::new(values).map(|s| Format::from_name(&s).unwrap_or(Format::Human))
}

/// `-o/--output` and `-q/--quiet`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OutputOpts {
    /// Write the results to FILE instead of stdout; its extension (.json, .jsonl, .csv,
    /// .html, .txt) sets the format unless --format is given.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// No messages on stderr (progress, summaries, warnings); results and errors that
    /// stop the run are still written.
    #[arg(short, long)]
    pub quiet: bool,
}

impl OutputOpts {
    /// The format to write: `--format` when given, else `-o`'s extension, else `default`.
    /// An extension naming a format `command` cannot write is an error, not a surprise.
    pub fn format(&self, given: Option<Format>, allowed: &[Format], default: Format, command: &str) -> Result<Format> {
        if let Some(f) = given {
            return Ok(f);
        }
        let Some(path) = &self.output else { return Ok(default) };
        match Format::from_path(path) {
            Some(f) if allowed.contains(&f) => Ok(f),
            Some(f) => bail!(
                "{command} cannot write {} ({}); it writes {}: choose one with --format",
                f.name(),
                path.display(),
                allowed.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
            ),
            None => Ok(default),
        }
    }

    /// Where results go: the `-o` file (created or truncated) or stdout.
    pub fn open(&self) -> Result<BufWriter<Box<dyn Write>>> {
        Ok(BufWriter::new(match &self.output {
            Some(path) => {
                Box::new(std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?)
            }
            None => Box::new(std::io::stdout().lock()),
        }))
    }

    /// Whether results go to a terminal (for colour and default formats).
    pub fn to_terminal(&self) -> bool {
        use std::io::IsTerminal;
        self.output.is_none() && std::io::stdout().is_terminal()
    }
}

/// Parse `--max-bytes`: a size ([`parse_size`]); sizes above the longest posting one
/// verdict reads ([`jdclass::classify::MAX_POSTING_BYTES`], 1 GiB) mean that size, so a
/// longer posting is refused as too large instead of being cut.
pub fn parse_posting_size(s: &str) -> Result<u64, String> {
    Ok(parse_size(s)?.min(jdclass::classify::MAX_POSTING_BYTES as u64))
}

/// Parse a byte size: `1048576`, `512K`, `10M`, `2G`, `1.5M` (suffixes are powers of
/// 1024; `KB`, `KiB`, `k` and a trailing `B` are accepted too).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let unit = unit.trim().to_ascii_lowercase();
    let shift = match unit.trim_end_matches('b').trim_end_matches('i') {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        "p" => 50,
        "e" => 60,
        _ => return Err(format!("\"{s}\" is not a size: use a number of bytes with an optional K, M, G or T suffix")),
    };
    if number.is_empty() {
        return Err(format!("\"{s}\" is not a size: a number must come first (e.g. 10M)"));
    }
    let too_large = || format!("\"{s}\" is too large: sizes go up to {} bytes (16 EiB)", u64::MAX);
    let scale = 1u64 << shift;
    match number.split_once('.') {
        None => number.parse::<u64>().map_err(|_| too_large())?.checked_mul(scale).ok_or_else(too_large),
        Some(_) => {
            let x: f64 = number.parse().map_err(|_| format!("\"{s}\" is not a size"))?;
            let bytes = (x * scale as f64).round();
            if bytes >= u64::MAX as f64 {
                return Err(too_large());
            }
            Ok(bytes as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_suffixes() {
        for (s, want) in [
            ("1048576", 1 << 20),
            ("10M", 10 << 20),
            ("10MB", 10 << 20),
            ("10MiB", 10 << 20),
            ("512k", 512 << 10),
            ("1.5K", 1536),
            ("2G", 2 << 30),
            ("0", 0),
            (" 7 B", 7),
        ] {
            assert_eq!(parse_size(s), Ok(want), "{s}");
        }
        for bad in ["", "M", "ten", "10X", "1.2.3M"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        for huge in ["99999999999999999999", "16E", "20000000P", "1e30"] {
            let e = parse_size(huge).unwrap_err();
            assert!(e.contains("too large") || e.contains("not a size"), "{huge}: {e}");
        }
        assert!(parse_size("16E").unwrap_err().contains("too large"));
    }

    #[test]
    fn formats_from_extensions() {
        let f = |p: &str| Format::from_path(Path::new(p));
        assert_eq!(f("labels.csv"), Some(Format::Csv));
        assert_eq!(f("out.JSONL"), Some(Format::Jsonl));
        assert_eq!(f("out.ndjson"), Some(Format::Jsonl));
        assert_eq!(f("report.htm"), Some(Format::Html));
        assert_eq!(f("r.json"), Some(Format::Json));
        assert_eq!(f("noext"), None);
        let o = OutputOpts { output: Some("x.html".into()), quiet: false };
        assert!(o.format(None, &[Format::Jsonl, Format::Csv], Format::Jsonl, "scan").is_err());
        assert_eq!(o.format(Some(Format::Csv), &[Format::Csv], Format::Jsonl, "scan").unwrap(), Format::Csv);
    }
}
