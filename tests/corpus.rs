//! The hand-written corpus holds the classifier to its labels: overall accuracy of at
//! least 90%, and every hard case right. Each posting's expected label is in
//! corpus/manifest.csv.

use jdclass::{Classifier, Label, Scratch};
use std::path::Path;

/// Manifest tags that mark a hard case the classifier must get right every time.
const HARD_CASE_TAGS: &[&str] = &[
    "works-with-po",
    "roadmap-input",
    "negation",
    "body-role-name-mismatch",
    "title-mismatch",
    "boilerplate",
    "no-build-duties",
    "no-anchor",
    "profile-frame",
    "run-on-list",
    "ba-stories",
    "ownership-verbs",
    "programme-delivery",
    "risk-words",
    "third-party",
];
/// Minimum share of corpus postings classified as labelled.
const MIN_ACCURACY: f64 = 0.90;

struct Row {
    file: String,
    label: Label,
    title_role: String,
    title_mismatch: bool,
    tags: Vec<String>,
}

fn manifest() -> Vec<Row> {
    let mut rdr = csv::Reader::from_path("corpus/manifest.csv").expect("corpus/manifest.csv");
    rdr.records()
        .map(|r| {
            let r = r.expect("manifest row");
            Row {
                file: r[0].to_string(),
                label: Label::parse(&r[1]).unwrap_or_else(|| panic!("bad label {:?}", &r[1])),
                title_role: r[2].to_string(),
                title_mismatch: &r[3] == "true",
                tags: r[4].split(';').filter(|t| !t.is_empty()).map(String::from).collect(),
            }
        })
        .collect()
}

#[test]
fn manifest_matches_the_postings() {
    let rows = manifest();
    assert!(rows.len() >= 80, "the corpus needs at least 80 postings, has {}", rows.len());
    let mut files: Vec<String> = std::fs::read_dir("corpus/postings")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut listed: Vec<String> = rows.iter().map(|r| r.file.clone()).collect();
    listed.sort();
    assert_eq!(files, listed, "every posting is in the manifest and every manifest row has a posting");
    for r in &rows {
        assert_eq!(r.title_mismatch, r.title_role != r.label.as_str(), "{}: title_mismatch flag disagrees", r.file);
        let text = std::fs::read_to_string(Path::new("corpus/postings").join(&r.file)).unwrap();
        let words = text.split_whitespace().count();
        assert!((250..=1600).contains(&words), "{}: {words} words", r.file);
    }
    for label in Label::ALL {
        assert!(rows.iter().filter(|r| r.label == label).count() >= 12, "too few {label} postings");
    }
}

#[test]
fn corpus_accuracy_and_hard_cases() {
    let classifier = Classifier::embedded();
    let mut scratch = Scratch::new();
    let rows = manifest();
    let mut right = 0;
    let mut misses = Vec::new();
    let mut hard_misses = Vec::new();
    for r in &rows {
        let text = std::fs::read_to_string(Path::new("corpus/postings").join(&r.file)).unwrap();
        let v = classifier.classify_with(&text, &mut scratch);
        if v.label == r.label {
            right += 1;
            continue;
        }
        let line = format!("{}: expected {}, got {} ({})", r.file, r.label, v.label, v.reason);
        if r.tags.iter().any(|t| HARD_CASE_TAGS.contains(&t.as_str())) {
            hard_misses.push(line.clone());
        }
        misses.push(line);
    }
    let accuracy = right as f64 / rows.len() as f64;
    assert!(accuracy >= MIN_ACCURACY, "accuracy {accuracy:.3} < {MIN_ACCURACY}; misses:\n{}", misses.join("\n"));
    assert!(hard_misses.is_empty(), "hard cases misclassified:\n{}", hard_misses.join("\n"));
}

#[test]
fn titles_against_their_bodies_are_read_by_the_body() {
    let classifier = Classifier::embedded();
    let mismatched: Vec<Row> = manifest().into_iter().filter(|r| r.title_mismatch).collect();
    assert!(mismatched.len() >= 4, "the corpus marks at least four title/body mismatches");
    for r in mismatched {
        let text = std::fs::read_to_string(Path::new("corpus/postings").join(&r.file)).unwrap();
        let v = classifier.classify(&text);
        assert!(v.title.is_some(), "{}: the first line is read as a title", r.file);
        assert_eq!(v.label, r.label, "{}: the body decides, not the title ({})", r.file, v.reason);
    }
}
