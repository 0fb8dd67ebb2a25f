//! The `jdclass` binary as users run it: verdicts, JSON fields, exit codes, errors
//! that name the input, colour rules, stdin and a closed pipe.

use assert_cmd::Command;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

const PO_POSTING: &str = "corpus/postings/006-po-banking-mobile.txt";
const PM_POSTING: &str = "corpus/postings/007-pm-retail-pricing.txt";

fn jdclass() -> Command {
    let mut c = Command::cargo_bin("jdclass").unwrap();
    c.env_remove("NO_COLOR");
    c
}

fn json_lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect()
}

#[test]
fn human_verdict_names_label_evidence_and_lexicon() {
    let out = jdclass().arg(PO_POSTING).assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Product Owner (po)"), "{text}");
    assert!(text.contains("PO evidence (tactical / backlog)"), "{text}");
    assert!(text.contains("├") && text.contains("●"), "axis bars are drawn: {text}");
    assert!(text.contains("lexicon jdclass-default"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when stdout is not a terminal");
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let out = jdclass().args(["--color", "always", PM_POSTING]).assert().success().get_output().stdout.clone();
    assert!(out.contains(&0x1b), "--color always colours");
    let out = jdclass().args([PM_POSTING]).env("NO_COLOR", "1").assert().success().get_output().stdout.clone();
    assert!(!out.contains(&0x1b));
}

#[test]
fn json_has_the_documented_fields() {
    let out =
        jdclass().args(["--format", "jsonl", PM_POSTING, PO_POSTING]).assert().success().get_output().stdout.clone();
    let recs = json_lines(&out);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["label"], "pm");
    assert_eq!(recs[1]["label"], "po");
    for r in &recs {
        for axis in ["strategic", "roadmap"] {
            let x = r["scores"][axis].as_f64().unwrap();
            assert!((-1.0..=1.0).contains(&x), "{axis} = {x}");
        }
        let c = r["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
        let ev = r["evidence"].as_array().unwrap();
        assert!(!ev.is_empty());
        for field in ["term", "phrase", "strategic", "roadmap", "line", "column", "effect", "section", "snippet"] {
            assert!(!ev[0][field].is_null(), "evidence field {field}");
        }
        assert!(r["title_evidence"].as_array().is_some_and(|t| !t.is_empty()));
        assert_eq!(r["lexicon"]["name"], "jdclass-default");
        assert_eq!(r["lexicon"]["hash"].as_str().unwrap().len(), 12);
        assert!(r["lexicon"]["version"].is_string());
    }
    // The evidence position points at the phrase in the file.
    let text = std::fs::read_to_string(PM_POSTING).unwrap();
    let e = &recs[0]["evidence"][0];
    let line = text.lines().nth(e["line"].as_u64().unwrap() as usize - 1).unwrap();
    let col = e["column"].as_u64().unwrap() as usize - 1;
    let at: String = line.chars().skip(col).take(e["phrase"].as_str().unwrap().chars().count()).collect();
    assert_eq!(at.to_lowercase(), e["phrase"].as_str().unwrap().to_lowercase());
}

#[test]
fn stdin_is_read_with_a_dash() {
    let out = jdclass()
        .args(["--format", "json", "-"])
        .write_stdin("Own the product backlog, write user stories and acceptance criteria, run sprint planning.")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let recs = json_lines(&out);
    assert_eq!(recs[0]["source"], "<stdin>");
    assert_eq!(recs[0]["label"], "po");
}

#[test]
fn a_missing_file_is_an_error_record_and_the_rest_still_run() {
    let assert = jdclass().args(["--format", "jsonl", "no/such/posting.txt", PO_POSTING]).assert().code(2);
    let out = assert.get_output();
    let recs = json_lines(&out.stdout);
    assert_eq!(recs.len(), 2, "one record per input");
    assert!(recs[0]["error"].as_str().unwrap().contains("no/such/posting.txt"));
    assert_eq!(recs[1]["label"], "po");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/posting.txt: cannot read"));
}

#[test]
fn a_directory_points_to_scan() {
    let out = jdclass().arg("corpus").assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&out).contains("jdclass scan"), "{}", String::from_utf8_lossy(&out));
}

#[test]
fn oversized_input_is_refused_with_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    std::fs::write(&big, "roadmap ".repeat(2_000)).unwrap();
    let out = jdclass().args(["--max-bytes", "1000"]).arg(&big).assert().code(2).get_output().stderr.clone();
    let msg = String::from_utf8_lossy(&out);
    assert!(msg.contains("over the 1000-byte limit") && msg.contains("--max-bytes"), "{msg}");
}

#[test]
fn invalid_utf8_warns_but_classifies_and_empty_files_get_no_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("latin1.txt");
    std::fs::write(&bad, b"Own the product backlog and write user stories \xe9\xe8 with acceptance criteria.").unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let out = jdclass().args(["--format", "jsonl"]).arg(&bad).arg(&empty).assert().code(2).get_output().stdout.clone();
    let recs = json_lines(&out);
    assert!(recs[0]["warnings"][0].as_str().unwrap().contains("not valid UTF-8"));
    assert!(recs[0]["evidence"].as_array().unwrap().iter().any(|e| e["term"] == "acceptance-criteria"));
    assert!(recs[1]["label"].is_null(), "no verdict for no text: {}", recs[1]);
    assert!(recs[1]["error"].as_str().unwrap().contains("empty"));
}

#[test]
fn a_broken_lexicon_names_file_line_and_entry() {
    let dir = tempfile::tempdir().unwrap();
    let lex = dir.path().join("mine.toml");
    std::fs::write(
        &lex,
        "[lexicon]\nname = \"mine\"\nversion = \"0\"\n\n[[entry]]\nid = \"ok\"\nphrases = [\"x\"]\nroadmap = 1\n\n\
         [[entry]]\nid = \"bad\"\nphrases = [\"y\"]\nstrategic = 3\n",
    )
    .unwrap();
    let out = jdclass().arg("--lexicon").arg(&lex).arg(PO_POSTING).assert().code(2).get_output().stderr.clone();
    let msg = String::from_utf8_lossy(&out);
    assert!(msg.contains("mine.toml:10: entry 'bad': strategic = 3 is out of range"), "{msg}");
}

#[test]
fn a_custom_lexicon_replaces_the_builtin_one() {
    let dir = tempfile::tempdir().unwrap();
    let lex = dir.path().join("tiny.toml");
    std::fs::write(
        &lex,
        "[lexicon]\nname = \"tiny\"\nversion = \"7\"\n\n[[entry]]\nid = \"widgets\"\nphrases = [\"widget\", \"widgets\"]\n\
         roadmap = 1\nstrategic = 1\nanchor = true\n",
    )
    .unwrap();
    let out = jdclass()
        .arg("--lexicon")
        .arg(&lex)
        .args(["--format", "jsonl", "-"])
        .write_stdin("Widgets, widgets and more widgets.")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let r = &json_lines(&out)[0];
    assert_eq!(r["lexicon"]["name"], "tiny");
    assert_eq!(r["lexicon"]["version"], "7");
    assert!(r["evidence"].as_array().unwrap().iter().all(|e| e["term"] == "widgets"));
}

#[test]
fn no_arguments_reads_stdin_when_it_is_not_a_terminal() {
    let out = jdclass().write_stdin("").assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&out).contains("<stdin>: the posting is empty"));
}

#[test]
fn explain_describes_an_entry() {
    let out = jdclass().args(["explain", "roadmaps"]).assert().success().get_output().stdout.clone();
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("roadmap "), "{text}");
    assert!(text.contains("provenance:") && text.contains("sources:") && text.contains("defined at:"), "{text}");
    jdclass().args(["explain", "no-such-thing-at-all"]).assert().code(2);
}

#[test]
fn lexicon_phrases_lists_every_pattern_once() {
    let out = jdclass().args(["lexicon", "phrases"]).assert().success().get_output().stdout.clone();
    let text = String::from_utf8_lossy(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 1000, "{}", lines.len());
    assert!(lines.contains(&"go to market") && lines.contains(&"prioritise the backlog"));
    let unique: std::collections::HashSet<&&str> = lines.iter().collect();
    assert_eq!(unique.len(), lines.len(), "no duplicate patterns");
}

#[test]
fn a_closed_pipe_exits_quietly() {
    let files: Vec<String> =
        std::fs::read_dir("corpus/postings").unwrap().map(|e| e.unwrap().path().display().to_string()).collect();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("jdclass"))
        .args(&files)
        .args(&files)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    // The reader is dropped here: the pipe closes while jdclass is still writing.
    let out = child.wait_with_output().unwrap();
    assert!(!first.is_empty());
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "no message on a closed pipe: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn help_documents_exit_codes() {
    let out = jdclass().arg("--help").assert().success().get_output().stdout.clone();
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("Exit codes"), "{text}");
}
