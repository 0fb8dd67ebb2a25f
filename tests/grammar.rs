//! The command-line grammar as a new user meets it (issue 11): options before or after
//! the subcommand, stdin when piped, one format vocabulary with `-o`/`-q`, completions,
//! man page and version, size suffixes, the same answer for empty and binary input
//! everywhere, `check` wording, and `eval` on CSV and the corpus manifest. Every test
//! runs the real binary.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const PO_POSTING: &str = "corpus/postings/006-po-banking-mobile.txt";
const PM_POSTING: &str = "corpus/postings/007-pm-retail-pricing.txt";
const PO_TEXT: &str = "You will own and prioritise the product backlog, write user stories with acceptance criteria, \
run sprint planning and backlog refinement with the development team, and accept completed stories in the sprint review.";

fn jdclass() -> Command {
    let mut c = Command::cargo_bin("jdclass").unwrap();
    c.env_remove("NO_COLOR").env_remove("TERM");
    c
}

/// (exit code, stdout, stderr) of `jdclass ARGS` with `stdin`.
fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = jdclass().args(args).write_stdin(stdin).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

fn lines(s: &str) -> Vec<Value> {
    s.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

/// Run a shell command line under a pseudo-terminal (util-linux `script`), feeding it
/// `input`; `None` where `script` is missing.
fn in_terminal(command: &str, input: &str, env: &[(&str, &str)]) -> Option<String> {
    let script = ["/usr/bin/script", "/bin/script"].into_iter().find(|p| Path::new(p).exists())?;
    let mut c = std::process::Command::new(script);
    c.args(["-qec", command, "/dev/null"]).env_remove("NO_COLOR");
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn().ok()?;
    use std::io::Write;
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let out = child.wait_with_output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn bin() -> String {
    assert_cmd::cargo::cargo_bin("jdclass").display().to_string()
}

// 1. Options anywhere, only where they mean something, typos get a suggestion.
#[test]
fn global_options_work_before_or_after_the_subcommand() {
    for args in [
        &["--threads", "2", "scan", "corpus/postings", "--format", "jsonl"][..],
        &["scan", "corpus/postings", "--threads", "2", "--format", "jsonl"],
        &["--color", "never", "scan", "--format", "jsonl", "corpus/postings"],
        &["--format", "jsonl", "scan", "corpus/postings"],
    ] {
        let (code, out, err) = run(args, "");
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_eq!(lines(&out).len(), corpus_size(), "{args:?}");
    }
    let (code, out, _) = run(&["--color", "always", "check", "--as", "po", PO_POSTING], "");
    assert_eq!(code, 0);
    assert!(out.contains('\x1b'), "--color before check applies to check");
    let (code, out, err) = run(&["--lexicon", "lexicon/default.toml", "explain", "roadmap"], "");
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("roadmap"));
}

#[test]
fn options_are_offered_only_where_they_mean_something() {
    for args in [
        &["explain", "roadmap", "--threads", "2"][..],
        &["--color", "always", "explain", "roadmap"],
        &["eval", "corpus/manifest.csv", "--color", "always"],
        &["lexicon", "phrases", "--color", "never"],
    ] {
        let (code, _, err) = run(args, "");
        assert_eq!(code, 2, "{args:?} is refused");
        assert!(err.contains("unexpected argument"), "{args:?}: {err}");
    }
}

#[test]
fn a_misspelt_subcommand_gets_a_suggestion() {
    let (code, _, err) = run(&["scna", PO_POSTING], "");
    assert_eq!(code, 2);
    assert!(err.contains("scna") && err.contains("similar") && err.contains("scan"), "{err}");
    assert!(!err.contains("cannot read"), "{err}");
    // A real file with an odd name is still a posting.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("chek"), PO_TEXT).unwrap();
    jdclass().current_dir(dir.path()).arg("chek").assert().success();
    // `classify` is the default, and can be named.
    let (code, out, _) = run(&["classify", PO_POSTING, "--format", "json"], "");
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["label"], "po");
}

// 2. Stdin when piped.
#[test]
fn stdin_is_read_when_piped() {
    let (code, out, _) = run(&["--format", "json"], PO_TEXT);
    assert_eq!(code, 0);
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!((r["source"].as_str(), r["label"].as_str()), (Some("<stdin>"), Some("po")));

    let jsonl = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "a", "text": PO_TEXT}),
        serde_json::json!({"id": "b", "text": PO_TEXT})
    );
    let (code, out, _) = run(&["scan"], &jsonl);
    assert_eq!(code, 0);
    assert_eq!(lines(&out).iter().map(|r| r["id"].as_str().unwrap()).collect::<Vec<_>>(), ["a", "b"]);

    let (code, out, _) = run(&["check", "--as", "po", "--format", "json"], &format!("Product Owner\n\n{PO_TEXT}"));
    assert_eq!(code, 0, "{out}");
}

#[test]
fn plain_text_piped_to_scan_is_one_posting() {
    let text = format!("Product Owner, Payments\n\nAbout the role\n{PO_TEXT}\nWe offer a pension.\n");
    let (code, out, err) = run(&["scan", "-"], &text);
    assert_eq!(code, 0, "{err}");
    let recs = lines(&out);
    assert_eq!(recs.len(), 1, "one posting, not one bad-JSON record per line: {out}");
    assert_eq!((recs[0]["label"].as_str(), recs[0]["title_role"].as_str()), (Some("po"), Some("po")));
    // A CSV whose header names the text column is read as CSV.
    let (_, out, _) = run(&["scan"], &format!("id,text\n7,\"{PO_TEXT}\"\n"));
    assert_eq!(lines(&out)[0]["id"], "7");
}

#[test]
fn a_dash_on_a_terminal_says_it_is_waiting() {
    let Some(out) = in_terminal(&format!("{} - --format json", bin()), &format!("{PO_TEXT}\n\x04"), &[]) else {
        return eprintln!("note: no `script`; skipped");
    };
    assert!(out.contains("reading posting from stdin"), "{out}");
    assert!(out.contains("\"label\":\"po\""), "{out}");
    let out = in_terminal(&bin(), "", &[]).unwrap();
    assert!(out.contains("no posting given"), "{out}");
}

// 3. One format vocabulary, -o with the format from its extension, -q.
#[test]
fn json_is_one_document_and_jsonl_one_object_per_line() {
    let (_, one, _) = run(&["--format", "json", PO_POSTING], "");
    assert!(serde_json::from_str::<Value>(&one).unwrap().is_object(), "one posting: one object");
    let (_, two, _) = run(&["--format", "json", PO_POSTING, PM_POSTING], "");
    let doc: Value = serde_json::from_str(&two).unwrap();
    assert_eq!(doc.as_array().map(Vec::len), Some(2), "several postings: one array");
    let (_, two, _) = run(&["--format", "jsonl", PO_POSTING, PM_POSTING], "");
    assert_eq!(lines(&two).len(), 2);
    let (_, csv, _) = run(&["--format", "csv", PO_POSTING, PM_POSTING], "");
    assert!(csv.starts_with("id,source,line,label"), "{csv}");
    assert_eq!(csv.lines().count(), 3);
    let (code, out, _) = run(&["scan", "corpus/postings", "--format", "table"], "");
    assert_eq!(code, 0);
    assert!(out.starts_with("POSTING"), "table is human's alias");
}

#[test]
fn only_formats_a_command_can_write_are_accepted() {
    for args in [
        &["eval", "corpus/manifest.csv", "--format", "html"][..],
        &["scan", "corpus/postings", "--format", "html"],
        &["check", PO_POSTING, "--format", "csv"],
        &["--format", "xml", PO_POSTING],
    ] {
        let (code, _, err) = run(args, "");
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains("invalid value"), "{args:?}: {err}");
    }
}

#[test]
fn output_files_take_their_format_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).display().to_string();
    jdclass().args(["scan", "corpus/postings", "-q", "-o", &p("labels.csv")]).assert().success().stdout("");
    let csv = std::fs::read_to_string(p("labels.csv")).unwrap();
    assert!(csv.starts_with("id,source,line,label,"), "{}", &csv[..80]);
    assert_eq!(csv.lines().count(), corpus_size() + 1);
    jdclass().args(["--quiet", PO_POSTING, "-o", &p("v.json")]).assert().success().stdout("");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(p("v.json")).unwrap()).unwrap();
    assert_eq!(v["label"], "po");
    jdclass().args(["check", PO_POSTING, "--as", "po", "-o", &p("r.html")]).assert().success();
    assert!(std::fs::read_to_string(p("r.html")).unwrap().starts_with("<!doctype html>"));
    jdclass().args(["eval", "corpus/manifest.csv", "-q", "-o", &p("e.json")]).assert().success();
    let e: Value = serde_json::from_str(&std::fs::read_to_string(p("e.json")).unwrap()).unwrap();
    assert_eq!(e["report"]["scored"], corpus_size());
    let (code, _, err) = run(&["scan", "corpus/postings", "-o", &p("labels.html")], "");
    assert_eq!(code, 2);
    assert!(err.contains("cannot write html") && err.contains("--format"), "{err}");
    assert!(!Path::new(&p("labels.html")).exists(), "nothing written on a refused format");
}

// 4. Completions, man page, version, examples, size suffixes, TERM=dumb.
#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let (code, out, _) = run(&["completions", shell], "");
        assert_eq!(code, 0, "{shell}");
        assert!(out.contains("jdclass") && out.contains("scan") && out.contains("max-bytes"), "{shell}");
    }
    let (code, man, _) = run(&["man"], "");
    assert_eq!(code, 0);
    assert!(man.contains(".TH jdclass") && man.contains("scan"), "{}", &man[..200.min(man.len())]);
    let dir = tempfile::tempdir().unwrap();
    jdclass().args(["man", "--dir"]).arg(dir.path()).assert().success();
    assert!(dir.path().join("jdclass.1").is_file() && dir.path().join("jdclass-scan.1").is_file());
}

#[test]
fn version_names_the_lexicon() {
    let (code, out, _) = run(&["--version"], "");
    assert_eq!(code, 0);
    let hash = jdclass::Lexicon::embedded().id.hash;
    assert!(out.contains("jdclass-default") && out.contains(&hash), "{out}");
}

#[test]
fn every_subcommand_help_shows_examples() {
    for sub in [
        &["--help"][..],
        &["classify", "--help"],
        &["scan", "--help"],
        &["check", "--help"],
        &["eval", "--help"],
        &["explain", "--help"],
        &["completions", "--help"],
        &["man", "--help"],
        &["lexicon", "phrases", "--help"],
        &["lexicon", "mine", "--help"],
        &["lexicon", "check", "--help"],
        &["lexicon", "stats", "--help"],
        &["lexicon", "show", "--help"],
    ] {
        let (code, out, _) = run(sub, "");
        assert_eq!(code, 0, "{sub:?}");
        assert!(out.contains("Examples:"), "{sub:?}:\n{out}");
    }
}

#[test]
fn sizes_take_suffixes_and_overflow_is_refused() {
    let (code, _, err) = run(&["--max-bytes", "1K", PO_POSTING], "");
    assert_eq!(code, 2);
    assert!(err.contains("over the 1024-byte limit"), "{err}");
    jdclass().args(["--max-bytes", "10M", PO_POSTING]).assert().success();
    jdclass().args(["scan", "--max-bytes", "1.5M", "corpus/postings", "--format", "jsonl"]).assert().success();
    for huge in ["99999999999999999999", "20E", "99999999999G"] {
        let (code, _, err) = run(&["scan", "corpus/postings", "--max-bytes", huge], "");
        assert_eq!(code, 2, "{huge}");
        assert!(err.contains("too large"), "{huge}: {err}");
    }
    let (code, _, err) = run(&["--max-bytes", "ten", PO_POSTING], "");
    assert_eq!(code, 2);
    assert!(err.contains("not a size"), "{err}");
}

#[test]
fn a_dumb_terminal_gets_no_colour() {
    let cmd = format!("{} {PO_POSTING}", bin());
    let Some(colour) = in_terminal(&cmd, "", &[("TERM", "xterm")]) else {
        return eprintln!("note: no `script`; skipped");
    };
    assert!(colour.contains('\x1b'), "a real terminal gets colour");
    let dumb = in_terminal(&cmd, "", &[("TERM", "dumb")]).unwrap();
    assert!(!dumb.contains("\x1b["), "TERM=dumb: no colour");
    assert!(dumb.contains("Product Owner (po)"));
}

// 6. One behaviour for empty and binary input.
#[test]
fn empty_and_binary_input_get_no_verdict_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    let blank = dir.path().join("blank.md");
    let binary = dir.path().join("image.txt");
    std::fs::write(&empty, "").unwrap();
    std::fs::write(&blank, "\u{feff}  \n\t\n").unwrap();
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    for (file, what) in [(&empty, "empty"), (&blank, "empty"), (&binary, "binary")] {
        let f = file.to_str().unwrap();
        // jdclass FILE: an error record, exit 2 (like an unreadable file).
        let (code, out, err) = run(&["--format", "json", f], "");
        assert_eq!(code, 2, "{f}");
        let r: Value = serde_json::from_str(&out).unwrap();
        assert!(r["label"].is_null() && r["error"].as_str().unwrap().contains(what), "{r}");
        assert!(err.contains(what), "{err}");
        // check: no verdict, no "verified" fix, exit 2.
        let (code, out, err) = run(&["check", f, "--as", "po"], "");
        assert_eq!((code, out.as_str()), (2, ""), "{f}");
        assert!(err.contains(what), "{err}");
        // scan: an error record of that kind (error records never change scan's exit code).
        let (code, out, _) = run(&["scan", f, "--format", "jsonl"], "");
        let recs = lines(&out);
        assert_eq!((code, recs.len()), (0, 1));
        assert_eq!(recs[0]["error_kind"], what, "{}", recs[0]);
        // And from stdin, the same.
        let bytes = std::fs::read(file).unwrap();
        let out = jdclass().args(["--format", "json", "-"]).write_stdin(bytes).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
    }
}

// 8. HTML titles; a one-line posting opening with a role name.
#[test]
fn html_titles_come_from_title_or_h1() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("posting.html");
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width\">\n\
         <title>Product Owner - Payments | Acme Careers</title>\n<style>body {{ font: 14px sans-serif; }}</style>\n</head>\n\
         <body>\n<nav><a href=\"/\">Home</a> <a href=\"/jobs\">Jobs</a></nav>\n<h1>Product Owner - Payments</h1>\n<p>{PO_TEXT}</p>\n</body>\n</html>\n"
    );
    std::fs::write(&page, html).unwrap();
    let (code, out, err) = run(&["check", page.to_str().unwrap(), "--format", "json"], "");
    assert_eq!(code, 0, "the role comes from <title>/<h1>: {err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["intended"], "po");
    let (_, out, _) = run(&["--format", "json", page.to_str().unwrap()], "");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["title"].as_str().unwrap().to_lowercase().contains("product owner"), "{}", v["title"]);
}

#[test]
fn a_one_line_posting_opening_with_a_role_name_is_not_all_title() {
    let text = "Product manager owning the product roadmap, vision and pricing strategy";
    let line = serde_json::json!({"id": "one", "text": text}).to_string();
    let (_, out, _) = run(&["scan", "-", "--format", "jsonl"], &line);
    let r = &lines(&out)[0];
    assert!(r["evidence"].as_array().unwrap().len() >= 2, "the line is read as content: {r}");
    assert!(r["title_role"].is_null(), "{r}");
    let (_, out, _) = run(&["--format", "json", "-"], text);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["evidence"].as_array().unwrap().len() >= 2, "the line is read as content: {v}");
    assert!(v["title"].is_null(), "{v}");
    // With a line after it, the same words are a title.
    let (_, out, _) = run(&["--format", "json", "-"], &format!("Product Manager\n\n{text}"));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["title"], "product manager");
}

// 9. check wording.
#[test]
fn check_reads_well() {
    let (code, out, _) = run(&["check", PO_POSTING, "--as", "po"], "");
    assert_eq!(code, 0);
    let first = out.lines().next().unwrap();
    assert!(first.contains("CONSISTENT — the body reads as Product Owner"), "{first}");
    assert!(!first.contains("consistent:") && !first.contains("(("), "{first}");

    // A scrum-master posting checked as a PO posting: facilitation and velocity.
    let (code, out, _) = run(&["check", "corpus/postings/004-other-scrum-master-telecom.txt", "--as", "po"], "");
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("a other") && !out.contains("not a product role"), "{out}");
    assert!(out.contains("the body reads as a non-product role"), "{out}");
    for l in out.lines().filter(|l| l.contains("facilitated for the team")) {
        assert!(!l.contains("the PO joins"), "the reason agrees with the effect: {l}");
    }
    // Each place a removal names holds the phrase quoted for it.
    let text = std::fs::read_to_string("corpus/postings/004-other-scrum-master-telecom.txt").unwrap();
    let rows: Vec<&str> = text.lines().collect();
    for l in out.lines().filter(|l| l.contains(". remove or reword ")) {
        for part in l.split(", \"").map(|p| p.trim_start_matches(|c| c != '"').trim_start_matches('"')) {
            let Some((phrase, rest)) = part.split_once("\" at ") else { continue };
            for at in rest.split([',', ' ']).filter(|a| a.contains(':')) {
                let (line, col) = at.split_once(':').unwrap();
                let (line, col): (usize, usize) = (line.parse().unwrap(), col.parse().unwrap());
                let there: String = rows[line - 1].chars().skip(col - 1).take(phrase.chars().count()).collect();
                assert_eq!(there.to_lowercase(), phrase.to_lowercase(), "{l}");
            }
        }
    }
}

#[test]
fn because_names_the_other_role() {
    let text = "Product Owner\n\nYou will work with the product manager, who owns the roadmap and the pricing. \
                You own the backlog, a roadmap set by the leadership team, and user stories.";
    let (_, out, _) = run(&["--format", "json", "-"], text);
    let v: Value = serde_json::from_str(&out).unwrap();
    let because: Vec<&str> = v["discounted"].as_array().unwrap().iter().filter_map(|e| e["because"].as_str()).collect();
    assert!(because.contains(&"product manager"), "{because:?}");
    assert!(because.contains(&"leadership team"), "{because:?}");
    assert!(!because.iter().any(|b| b.contains("roadmap") || b.contains("pricing")), "not the phrase: {because:?}");
}

// 11. eval on CSV and the manifest; misses in JSON; n/a classes.
#[test]
fn eval_reads_the_manifest_and_csv() {
    let (code, out, err) = run(&["eval", "corpus/manifest.csv"], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("({} postings, 0 unusable lines)", corpus_size())) && out.contains("macro-F1 (4)"),
        "{out}"
    );

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("labelled.csv");
    let pm = "You will own the product vision and the product strategy, build the roadmap, run market research and \
              competitive analysis, define pricing and go-to-market.";
    std::fs::write(&csv, format!("\u{feff}job,body,gold\nj1,\"{PO_TEXT}\",po\nj2,\"{pm}\",pm\nj3,\"{pm}\",po\n"))
        .unwrap();
    let args = ["eval", csv.to_str().unwrap(), "--text-field", "body", "--label-field", "gold", "--id-field", "job"];
    let (code, out, err) = run(&args, "");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("hybrid") && out.contains("n/a"), "{out}");
    assert!(out.contains("macro-F1 (2)") && out.contains("left out of the average"), "{out}");

    let (_, out, _) = run(&[&args[..], &["--misses", "--format", "json"]].concat(), "");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let misses = doc["misses"].as_array().unwrap();
    assert_eq!(misses.len(), 1);
    assert_eq!(
        (misses[0]["id"].as_str(), misses[0]["gold"].as_str(), misses[0]["predicted"].as_str()),
        (Some("j3"), Some("po"), Some("pm"))
    );
    assert!(doc["report"]["classes"][2]["f1"].is_null(), "hybrid: n/a is null");
    assert_eq!(doc["report"]["not_applicable"], serde_json::json!(["hybrid", "other"]));
}

// 12. The release profile ships without debug info; a profiling profile keeps it.
#[test]
fn release_is_lean_and_profiling_keeps_symbols() {
    let toml: toml::Table = toml::from_str(&std::fs::read_to_string("Cargo.toml").unwrap()).unwrap();
    let profiles = &toml["profile"];
    let debug = profiles["release"].get("debug");
    assert!(debug.is_none_or(|d| d.as_integer() == Some(0) || d.as_bool() == Some(false)), "{debug:?}");
    assert_eq!(profiles["profiling"]["inherits"].as_str(), Some("release"));
    assert!(profiles["profiling"]["debug"].as_integer().is_some_and(|d| d >= 1));
}

/// Postings in the corpus: one per manifest row.
fn corpus_size() -> usize {
    std::fs::read_to_string("corpus/manifest.csv").unwrap().lines().skip(1).filter(|l| !l.is_empty()).count()
}
