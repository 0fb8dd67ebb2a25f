//! `jdclass check` on the corpus: every posting whose title is marked against its body
//! is reported as a mismatch, and its suggested changes, applied to the text, flip the
//! verdict to the titled role. Exit codes gate pipelines: 0 consistent, 1 mismatch, 2 error.

use assert_cmd::Command;
use jdclass::check::{apply, Change};
use jdclass::{Classifier, Label};

fn jdclass() -> Command {
    Command::cargo_bin("jdclass").unwrap()
}

/// (file, titled role, body label) of every marked title/body mismatch.
fn mismatches() -> Vec<(String, String, String)> {
    let mut rdr = csv::Reader::from_path("corpus/manifest.csv").unwrap();
    rdr.records()
        .map(|r| r.unwrap())
        .filter(|r| &r[3] == "true")
        .map(|r| (r[0].to_string(), r[2].to_string(), r[1].to_string()))
        .collect()
}

#[test]
fn every_marked_mismatch_is_reported_and_its_fix_flips_the_verdict() {
    let classifier = Classifier::embedded();
    let cases = mismatches();
    assert!(cases.len() >= 4);
    for (file, titled, body) in cases {
        let path = format!("corpus/postings/{file}");
        // The intended role comes from the posting's own title line.
        let out = jdclass().args(["check", &path, "--format", "json"]).assert().code(1).get_output().stdout.clone();
        let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(report["intended"], titled.as_str(), "{file}");
        assert_eq!(report["label"], body.as_str(), "{file}");
        assert_eq!(report["consistent"], false);
        assert!(report["summary"].as_str().unwrap().contains("the body reads as"), "{file}");
        assert!(report["lexicon"]["hash"].is_string());
        assert_eq!(report["flips"], true, "{file}: {}", report["changes"]);
        let changes: Vec<Change> = serde_json::from_value(report["changes"].clone()).unwrap();
        assert!(!changes.is_empty());
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = apply(&text, &changes);
        let after = classifier.classify(&edited).label;
        assert_eq!(after, Label::parse(&titled).unwrap(), "{file}: applying the changes gives {after}");
        // Findings point at phrases pulling away, most influential first.
        let findings = report["findings"].as_array().unwrap();
        let influence: Vec<f64> = findings.iter().map(|f| f["influence"].as_f64().unwrap()).collect();
        assert!(influence.windows(2).all(|w| w[0] >= w[1]), "{file}: {influence:?}");
    }
}

#[test]
fn a_consistent_posting_exits_zero() {
    let out = jdclass()
        .args(["check", "corpus/postings/006-po-banking-mobile.txt", "--as", "po"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("CONSISTENT"));
}

#[test]
fn human_output_is_lint_style_with_file_line_col() {
    let path = "corpus/postings/070-pm-payments-strategy.txt";
    let out = jdclass().args(["check", path]).assert().code(1).get_output().stdout.clone();
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("MISMATCH"), "{text}");
    let prefix = format!("{path}:");
    let lint = text
        .lines()
        .find(|l| l.strip_prefix(&prefix).is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit())))
        .expect("a FILE:LINE:COL finding");
    let rest: Vec<&str> = lint[path.len() + 1..].splitn(3, ':').collect();
    assert!(rest[0].parse::<usize>().is_ok() && rest[1].parse::<usize>().is_ok(), "{lint}");
    assert!(text.contains("Expected of a Product Owner posting but missing"), "{text}");
    assert!(text.contains("verified: the edited posting reads as po"), "{text}");
}

#[test]
fn the_role_can_come_from_as_or_title_and_errors_exit_two() {
    let pm = "corpus/postings/007-pm-retail-pricing.txt";
    jdclass().args(["check", pm, "--as", "po"]).assert().code(1);
    jdclass().args(["check", pm, "--title", "Senior Product Manager"]).assert().code(0);
    jdclass().args(["check", pm, "--title", "Head of Things"]).assert().code(2);
    jdclass().args(["check", pm, "--title", "Scrum Master"]).assert().code(2);
    jdclass().args(["check", "no/such/file.txt", "--as", "pm"]).assert().code(2);
    let out = jdclass()
        .args(["check", "-"])
        .write_stdin("Own the backlog and write user stories.\n")
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("--as pm|po|hybrid"));
}
