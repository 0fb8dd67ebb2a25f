//! Reading the inputs of the lexicon tools: article files, directories of postings and
//! JSONL dumps of (labelled) postings. Files go through [`crate::input::read_posting`],
//! so the size cap and the invalid-UTF-8 handling are the classifier's own. One unreadable
//! file or malformed line becomes a [`Problem`] and the rest is read; only an input that
//! cannot be opened at all, or holds no document, is an error.

use super::ToolError;
use crate::input::{read_posting, DEFAULT_MAX_BYTES};
use std::fmt;
use std::path::{Path, PathBuf};

/// One document: an article or a posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Short name: the file name, or `file.jsonl:LINE` for a JSONL line.
    pub name: String,
    /// The text, not yet normalised.
    pub text: String,
    /// The label, when read from a labelled JSONL file.
    pub label: Option<String>,
}

/// An item of a batch that could not be used; the batch went on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `file` or `file:line`.
    pub place: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Documents read from one input, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// What was read, as given (for messages and reports).
    pub source: String,
    /// The documents, sorted by path within each directory.
    pub documents: Vec<Document>,
    /// Items skipped.
    pub problems: Vec<Problem>,
    /// Items read, with a note (invalid UTF-8 replaced, empty posting).
    pub warnings: Vec<Problem>,
}

/// Read files and directories (walked recursively in name order, hidden files skipped).
pub fn read_files(paths: &[PathBuf]) -> Result<Corpus, ToolError> {
    let mut corpus = Corpus {
        source: paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" "),
        ..Corpus::default()
    };
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| ToolError::Io { path: path.clone(), source })?;
        if !meta.is_dir() {
            read_one(path, &mut corpus);
            continue;
        }
        let walker = walkdir::WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.')));
        for item in walker {
            match item {
                Ok(e) if e.file_type().is_file() => read_one(e.path(), &mut corpus),
                Ok(_) => {}
                Err(err) => corpus.problems.push(Problem {
                    place: err.path().unwrap_or(path).display().to_string(),
                    message: format!("cannot read: {err}"),
                }),
            }
        }
    }
    if corpus.documents.is_empty() {
        return Err(ToolError::Empty {
            path: paths.first().cloned().unwrap_or_default(),
            message: "no readable document found".to_string(),
        });
    }
    Ok(corpus)
}

fn read_one(path: &Path, corpus: &mut Corpus) {
    let shown = path.display().to_string();
    match read_posting(&shown, DEFAULT_MAX_BYTES) {
        Ok(posting) => {
            for w in posting.warnings {
                corpus.warnings.push(Problem { place: shown.clone(), message: w });
            }
            let name = path.file_name().map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
            corpus.documents.push(Document { name, text: posting.text, label: None });
        }
        Err(err) => corpus.problems.push(Problem { place: shown, message: err.to_string() }),
    }
}

/// Read a JSONL file: one JSON object per line with the text in `text_field` and, when
/// `label_field` is given, a string label. Blank lines are skipped.
pub fn read_jsonl(path: &Path, text_field: &str, label_field: Option<&str>) -> Result<Corpus, ToolError> {
    let bytes = std::fs::read(path).map_err(|source| ToolError::Io { path: path.to_path_buf(), source })?;
    let shown = path.display().to_string();
    let file_name = path.file_name().map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    let mut corpus = Corpus { source: shown.clone(), ..Corpus::default() };
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let place = format!("{shown}:{}", i + 1);
        let line = String::from_utf8_lossy(raw);
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                corpus.problems.push(Problem { place, message: format!("not JSON: {e}") });
                continue;
            }
        };
        let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_string);
        let Some(text) = field(text_field) else {
            let message = format!("no string field \"{text_field}\" (set --text-field)");
            corpus.problems.push(Problem { place, message });
            continue;
        };
        let label = match label_field {
            Some(name) => match field(name) {
                Some(l) => Some(l),
                None => {
                    let message = format!("no string field \"{name}\" (set --label-field)");
                    corpus.problems.push(Problem { place, message });
                    continue;
                }
            },
            None => None,
        };
        corpus.documents.push(Document { name: format!("{file_name}:{}", i + 1), text, label });
    }
    if corpus.documents.is_empty() {
        return Err(ToolError::Empty {
            path: path.to_path_buf(),
            message: format!("no line with a string field \"{text_field}\""),
        });
    }
    Ok(corpus)
}

/// Whether a path names a JSONL file (by extension).
pub fn is_jsonl(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e == "ndjson")
}

/// Read a corpus of postings: a directory (or single file) of postings, or a JSONL file
/// with the text in `text_field`.
pub fn read_postings(path: &Path, text_field: &str) -> Result<Corpus, ToolError> {
    if is_jsonl(path) {
        read_jsonl(path, text_field, None)
    } else {
        read_files(&[path.to_path_buf()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_lines_that_cannot_be_used_are_problems_not_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.jsonl");
        let lines = [
            r#"{"text": "own the roadmap", "label": "pm"}"#,
            "",
            "not json",
            r#"{"body": "x", "label": "po"}"#,
            r#"{"text": "x"}"#,
            r#"{"text": "groom the backlog", "label": "po"}"#,
        ];
        std::fs::write(&path, lines.join("\n")).unwrap();
        let c = read_jsonl(&path, "text", Some("label")).unwrap();
        let names: Vec<_> = c.documents.iter().map(|d| (d.name.as_str(), d.label.as_deref())).collect();
        assert_eq!(names, [("p.jsonl:1", Some("pm")), ("p.jsonl:6", Some("po"))]);
        let places: Vec<_> = c.problems.iter().map(|p| p.place.rsplit(':').next().unwrap().to_string()).collect();
        assert_eq!(places, ["3", "4", "5"]);
        assert!(c.problems[1].message.contains("--text-field"), "{}", c.problems[1]);
        assert!(c.problems[2].message.contains("--label-field"), "{}", c.problems[2]);
    }

    #[test]
    fn directories_are_read_in_name_order_without_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [("b.txt", "B"), ("a.md", "A"), (".hidden", "H")] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/c.html"), "<p>C</p>").unwrap();
        let c = read_files(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<_> = c.documents.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["a.md", "b.txt", "c.html"]);
        assert!(read_files(&[dir.path().join("missing")]).is_err());
        let empty = tempfile::tempdir().unwrap();
        assert!(matches!(read_files(&[empty.path().to_path_buf()]), Err(ToolError::Empty { .. })));
    }
}
