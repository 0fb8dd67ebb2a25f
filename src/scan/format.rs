//! Output formats of `jdclass scan`, behind one small trait: each writes one record
//! as one complete line into a buffer, so a chunk's output can be built in parallel
//! and written (or cut short) only at line boundaries.
//!
//! - **jsonl**: one object per line with stable keys, for pipelines (`jq`, Spark);
//! - **csv**: RFC 4180 with a header row, for spreadsheets and `xsv`;
//! - **table**: aligned columns for reading on a terminal.

use super::error::RecordError;
use crate::classify::Brief;
use crate::lexicon::{LexiconId, Role};
use crate::output::{LexiconStamp, Style};
use crate::score::Label;
use crate::verdict::Scores;
use serde::Serialize;

/// One output record: a verdict or an error, with where its input came from.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The input's name.
    pub source: &'a str,
    /// 1-based line where the record starts, for line-based inputs.
    pub line: Option<u64>,
    /// The record's id, when it has one.
    pub id: Option<&'a str>,
    /// The verdict, or why there is none.
    pub outcome: Result<&'a Brief<'a>, &'a RecordError>,
}

/// Writes records in one output format.
pub trait RowWriter: Sync {
    /// Bytes written once before any record (a header row).
    fn header(&self, _out: &mut Vec<u8>) {}
    /// Append `row` to `out` as one complete line.
    fn row(&self, out: &mut Vec<u8>, row: &Row<'_>);
}

/// One JSON object per line.
#[derive(Debug)]
pub struct Jsonl<'a> {
    /// The lexicon every record names.
    pub lexicon: &'a LexiconId,
}

#[derive(Serialize)]
struct JsonVerdict<'a> {
    id: Option<&'a str>,
    source: &'a str,
    line: Option<u64>,
    label: Label,
    confidence: f64,
    scores: Scores,
    evidence: &'a [&'a str],
    title_role: Option<Role>,
    lexicon: LexiconStamp<'a>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    id: Option<&'a str>,
    source: &'a str,
    line: Option<u64>,
    error: String,
    error_kind: &'static str,
    lexicon: LexiconStamp<'a>,
}

impl RowWriter for Jsonl<'_> {
    fn row(&self, out: &mut Vec<u8>, row: &Row<'_>) {
        let lexicon = LexiconStamp::from(self.lexicon);
        let (source, line, id) = (row.source, row.line, row.id);
        // Serialising plain structs into a Vec cannot fail.
        let _ = match row.outcome {
            Ok(b) => serde_json::to_writer(
                &mut *out,
                &JsonVerdict {
                    id,
                    source,
                    line,
                    label: b.label,
                    confidence: b.confidence,
                    scores: b.scores,
                    evidence: &b.terms,
                    title_role: b.title_role,
                    lexicon,
                },
            ),
            Err(e) => serde_json::to_writer(
                &mut *out,
                &JsonError { id, source, line, error: e.to_string(), error_kind: e.kind(), lexicon },
            ),
        };
        out.push(b'\n');
    }
}

/// RFC 4180 CSV with a header row; evidence terms joined with `;`.
#[derive(Debug)]
pub struct Csv<'a> {
    /// The lexicon every record names.
    pub lexicon: &'a LexiconId,
}

/// The CSV header, in column order.
pub const CSV_COLUMNS: [&str; 13] = [
    "id",
    "source",
    "line",
    "label",
    "confidence",
    "strategic",
    "roadmap",
    "evidence",
    "title_role",
    "lexicon_name",
    "lexicon_version",
    "lexicon_hash",
    "error",
];

/// Append `field` to `out`, quoted when it holds a separator, quote or line end.
pub fn csv_field(out: &mut Vec<u8>, field: &str) {
    if field.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for part in field.split('"').enumerate() {
            if part.0 > 0 {
                out.extend_from_slice(b"\"\"");
            }
            out.extend_from_slice(part.1.as_bytes());
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

/// A cell that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`,
/// or a leading tab or carriage return) gets a leading `'`, which shows it as text:
/// ids and file names come from the input and must not run when the CSV is opened.
pub fn defuse_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

impl RowWriter for Csv<'_> {
    fn header(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(CSV_COLUMNS.join(",").as_bytes());
        out.push(b'\n');
    }

    fn row(&self, out: &mut Vec<u8>, row: &Row<'_>) {
        let line = row.line.map(|l| l.to_string()).unwrap_or_default();
        let lex = self.lexicon;
        let (id, source) = (defuse_formula(row.id.unwrap_or("")), defuse_formula(row.source));
        let fields: [&str; 13];
        let (conf, strat, road, evidence);
        let error;
        match row.outcome {
            Ok(b) => {
                (conf, strat, road) =
                    (b.confidence.to_string(), b.scores.strategic.to_string(), b.scores.roadmap.to_string());
                evidence = b.terms.join(";");
                fields = [
                    &id,
                    &source,
                    &line,
                    b.label.as_str(),
                    &conf,
                    &strat,
                    &road,
                    &evidence,
                    b.title_role.map_or("", Role::as_str),
                    &lex.name,
                    &lex.version,
                    &lex.hash,
                    "",
                ];
            }
            Err(e) => {
                error = e.to_string();
                fields = [&id, &source, &line, "", "", "", "", "", "", &lex.name, &lex.version, &lex.hash, &error];
            }
        }
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            csv_field(out, f);
        }
        out.push(b'\n');
    }
}

/// Aligned columns for a terminal.
#[derive(Debug)]
pub struct Table {
    /// Colour labels and errors.
    pub style: Style,
    /// Evidence terms shown per row.
    pub terms: usize,
}

/// Width of the posting column (id, or source:line).
const TABLE_KEY_WIDTH: usize = 34;

impl Table {
    fn key(row: &Row<'_>) -> String {
        let key = match (row.id, row.line) {
            (Some(id), _) => id.to_string(),
            (None, Some(line)) => format!("{}:{line}", row.source),
            (None, None) => row.source.to_string(),
        };
        let key: String = key.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let n = key.chars().count();
        if n <= TABLE_KEY_WIDTH {
            format!("{key:<TABLE_KEY_WIDTH$}")
        } else {
            // Keep the end: file names and line numbers tell postings apart.
            let tail: String = key.chars().skip(n - (TABLE_KEY_WIDTH - 1)).collect();
            format!("…{tail}")
        }
    }

    fn label_color(label: Label) -> &'static str {
        match label {
            Label::Pm => "1;34",
            Label::Po => "1;32",
            Label::Hybrid => "1;35",
            Label::Other => "2",
        }
    }
}

impl RowWriter for Table {
    fn header(&self, out: &mut Vec<u8>) {
        let line = format!(
            "{:<TABLE_KEY_WIDTH$} {:<6} {:>6} {:>6} {:>5} {:<6} {}\n",
            "POSTING", "LABEL", "STRAT", "ROAD", "CONF", "TITLE", "EVIDENCE"
        );
        out.extend_from_slice(self.style.paint("1", line.trim_end()).as_bytes());
        out.push(b'\n');
    }

    fn row(&self, out: &mut Vec<u8>, row: &Row<'_>) {
        let key = Self::key(row);
        let line = match row.outcome {
            Ok(b) => {
                let label = self.style.paint(Self::label_color(b.label), &format!("{:<6}", b.label.as_str()));
                let terms: Vec<&str> = b.terms.iter().take(self.terms).copied().collect();
                format!(
                    "{key} {label} {:>6.2} {:>6.2} {:>5.2} {:<6} {}",
                    b.scores.strategic,
                    b.scores.roadmap,
                    b.confidence,
                    b.title_role.map_or("-", Role::as_str),
                    terms.join(", ")
                )
            }
            Err(e) => {
                let message: String = e.to_string().chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                format!("{key} {} {message}", self.style.paint("1;31", "error "))
            }
        };
        out.extend_from_slice(line.trim_end().as_bytes());
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let cases = [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("l1\nl2", "\"l1\nl2\""),
            ("", ""),
        ];
        for (input, want) in cases {
            let mut out = Vec::new();
            csv_field(&mut out, input);
            assert_eq!(String::from_utf8(out).unwrap(), want, "{input:?}");
        }
    }

    #[test]
    fn table_keys_keep_their_end_and_align() {
        let row = |id, source, line| Row { source, line, id, outcome: Err(&RecordError::Empty) };
        assert_eq!(Table::key(&row(Some("42"), "x", Some(3))).trim_end(), "42");
        assert_eq!(Table::key(&row(None, "a.jsonl", Some(3))).trim_end(), "a.jsonl:3");
        let long = "/very/long/directory/name/that/goes/on/postings/017-pm.txt";
        let key = Table::key(&row(None, long, None));
        assert_eq!(key.chars().count(), TABLE_KEY_WIDTH);
        assert!(key.starts_with('…') && key.ends_with("017-pm.txt"), "{key}");
    }
}
