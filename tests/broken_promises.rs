//! The broken promises an attack found (issue 9, items 7–14), each pinned down on the
//! real binary: bounded error records, caps that stop reading, signals, closed pipes,
//! overflowing flags, terminal escapes, and the small CSV/JSONL messages.

use serde_json::Value;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_jdclass");

const PO_TEXT: &str = "You will own and prioritise the product backlog, write user stories with acceptance criteria, \
run sprint planning and backlog refinement with the development team.";

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: &[u8]) -> Out {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn records(out: &Out) -> Vec<Value> {
    out.stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

fn wait_for(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn item7_a_csv_without_header_yields_bounded_error_records() {
    // No header row: the first posting becomes the header; each later row is an error
    // that must not repeat the whole first row.
    let long = "roadmap backlog ".repeat(2_000); // 32 KB cell
    let mut csv = String::new();
    for i in 0..50 {
        csv.push_str(&format!("{i},\"{long}\"\n"));
    }
    let out = run(&["scan", "-", "--input-format", "csv"], csv.as_bytes());
    let recs = records(&out);
    assert_eq!(recs.len(), 49, "{}", out.stderr);
    for r in &recs {
        let e = r["error"].as_str().unwrap();
        assert!(e.len() < 1_000, "an error record of {} bytes", e.len());
        assert!(e.contains("roadmap backlog roadmap") && e.contains('…'), "{e}");
    }
    assert!(out.stdout.len() < 100 * 1024, "{} bytes of output", out.stdout.len());
}

#[cfg(unix)]
#[test]
fn item8_a_device_that_never_ends_stops_at_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("zero.txt");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    for path in ["/dev/zero", link.to_str().unwrap()] {
        let mut child = Command::new(BIN)
            .args(["scan", path, "--max-bytes", "100000"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let status = wait_for(&mut child, Duration::from_secs(30));
        let mut stdout = String::new();
        child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
        assert_eq!(status.code(), Some(0), "{path}: {stdout}");
        let rec: Value = serde_json::from_str(stdout.trim()).unwrap();
        assert_eq!(rec["error_kind"], "too-large", "{rec}");
        assert!(rec["error"].as_str().unwrap().contains("reading stopped there"), "{rec}");
    }
}

#[cfg(unix)]
fn signal(child: &std::process::Child, sig: &str) {
    let ok = Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap();
    assert!(ok.success());
}

#[cfg(unix)]
#[test]
fn item9_ctrl_c_while_blocked_on_an_empty_stream_exits_130() {
    let mut child = Command::new(BIN)
        .args(["scan", "-", "--summary", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    std::thread::sleep(Duration::from_millis(300)); // the reader is now blocked on stdin
    signal(&child, "-INT");
    drop(stdin); // Ctrl-C also ends the writer of a pipe: the input closes at once
    let status = wait_for(&mut child, Duration::from_secs(20));
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(!stderr.contains("nothing could be read"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn item11_sigterm_stops_like_ctrl_c_on_a_whole_line() {
    let mut child = Command::new(BIN)
        .args(["scan", "-", "--summary", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let line = format!("{{\"id\":\"1\",\"text\":\"{PO_TEXT}\"}}\n");
    stdin.write_all(line.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
    assert!(first.contains("\"label\":\"po\""), "{first}");
    signal(&child, "-TERM");
    let status = wait_for(&mut child, Duration::from_secs(20));
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(status.code(), Some(130), "SIGTERM is handled like Ctrl-C");
    assert!(rest.is_empty() || rest.ends_with('\n'), "{rest:?}");
    drop(stdin);
}

#[cfg(unix)]
#[test]
fn item10_a_closed_pipe_after_json_output_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for i in 0..200 {
        let p = dir.path().join(format!("{i:03}.txt"));
        std::fs::write(&p, format!("Product Owner\n{}\n", PO_TEXT.repeat(20))).unwrap();
        files.push(p.to_string_lossy().into_owned());
    }
    let mut child = Command::new(BIN)
        .args(files.iter().map(String::as_str))
        .args(["--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
    drop(stdout); // like `| head -1`
    let status = wait_for(&mut child, Duration::from_secs(60));
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

#[test]
fn item12_the_largest_max_bytes_does_not_wrap() {
    let out = run(&["-", "--max-bytes", "18446744073709551615", "--format", "json"], PO_TEXT.as_bytes());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let rec: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(rec["label"], "po", "{rec}");
    let line = format!("{{\"text\":\"{PO_TEXT}\"}}\n");
    let out = run(&["scan", "-", "--max-bytes", "18446744073709551615"], line.as_bytes());
    assert_eq!(records(&out)[0]["label"], "po", "{}", out.stdout);
}

#[test]
fn item13_terminal_escapes_never_reach_the_terminal() {
    let hostile = format!(
        "Product Owner \x1b]0;pwned\x07\n\x1b[2J{PO_TEXT} own the \x1b[31mbacklog\x1b[0m\u{202e} and the roadmap\r\n"
    );
    let out = run(&["-", "--color", "never"], hostile.as_bytes());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(!out.stdout.contains('\x1b') && !out.stdout.contains('\x07'), "{:?}", out.stdout);
    assert!(!out.stdout.contains('\u{202e}') && !out.stdout.contains('\r'), "{:?}", out.stdout);
    assert!(out.stdout.contains("\\u{1b}"), "escapes are shown, not dropped: {}", out.stdout);
    let out = run(&["check", "-", "--as", "pm", "--color", "never"], hostile.as_bytes());
    assert!(!out.stdout.contains('\x1b'), "{:?}", out.stdout);
    let out = run(&["scan", "-", "--input-format", "text", "--format", "table"], hostile.as_bytes());
    assert!(!out.stdout.contains('\x1b'), "{:?}", out.stdout);
}

#[test]
fn item14_csv_an_unclosed_quote_is_an_error_not_a_silent_merge() {
    let csv = format!("id,text\n1,\"{PO_TEXT}\n2,\"{PO_TEXT}\"\n3,\"{PO_TEXT}\"\n");
    let out = run(&["scan", "-", "--input-format", "csv"], csv.as_bytes());
    let recs = records(&out);
    let first = &recs[0];
    assert_eq!(first["error_kind"], "csv", "{first}");
    assert!(first["error"].as_str().unwrap().contains("unbalanced quotes"), "{first}");
    assert_eq!(recs.last().unwrap()["label"], "po");
}

#[test]
fn item14_csv_with_cr_line_ends_reports_real_lines() {
    let csv = format!("id,text\r1,\"{PO_TEXT}\"\r2,\"{PO_TEXT}\"\r3,\r");
    let out = run(&["scan", "-", "--input-format", "csv"], csv.as_bytes());
    let lines: Vec<u64> = records(&out).iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 3, 4], "{}", out.stdout);
}

#[test]
fn item14_csv_formula_ids_are_defused() {
    let line = format!(
        "{{\"id\":\"=HYPERLINK(\\\"http://x\\\")\",\"text\":\"{PO_TEXT}\"}}\n{{\"id\":\"@SUM(A1)\",\"text\":\"\"}}\n"
    );
    let out = run(&["scan", "-", "--format", "csv"], line.as_bytes());
    let rows: Vec<&str> = out.stdout.lines().skip(1).collect();
    assert!(rows[0].starts_with("\"'=HYPERLINK("), "{}", rows[0]);
    assert!(rows[1].starts_with("'@SUM(A1)"), "{}", rows[1]);
}

#[test]
fn item14_jsonl_messages_say_what_is_wrong() {
    let big_id = "9".repeat(5_001);
    let input = format!(
        "{{\"id\":1,\"text\":null}}\n\
         {{\"id\":2,\"text\":\"a \\ud800 b\"}}\n\
         {{\"id\":{big_id},\"text\":\"{PO_TEXT}\"}}\n\
         \n\
         {{\"id\":4,\"text\":\"x\",}}\n"
    );
    let out = run(&["scan", "-"], input.as_bytes());
    let recs = records(&out);
    // The blank line is no record (documented): four records for four postings.
    assert_eq!(recs.len(), 4, "{}", out.stdout);
    let err = |i: usize| recs[i]["error"].as_str().unwrap_or_default().to_string();
    assert_eq!(err(0), "field \"text\" is null, not a string");
    assert!(err(1).contains("lone UTF-16 surrogate"), "{}", err(1));
    assert_eq!(recs[2]["label"], "po", "a 5,001-digit id is valid JSON: {}", recs[2]);
    assert_eq!(recs[2]["id"].as_str().map(str::len), Some(5_001));
    assert!(err(3).contains("at byte") && !err(3).contains("line 1"), "{}", err(3));
}

#[test]
fn item14_tiny_weights_are_not_called_zero() {
    let dir = tempfile::tempdir().unwrap();
    let lex = dir.path().join("tiny.toml");
    std::fs::write(
        &lex,
        "[lexicon]\nname = \"t\"\nversion = \"1\"\n[[entry]]\nid = \"a\"\nphrases = [\"x\"]\nroadmap = 1e-50\n",
    )
    .unwrap();
    let out = run(&["--lexicon", lex.to_str().unwrap(), "-"], b"x");
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("too small to have an effect") && !out.stderr.contains("non-zero"), "{}", out.stderr);
}

#[cfg(unix)]
#[test]
fn item6_a_lexicon_that_never_ends_is_refused_at_once() {
    let mut child = Command::new(BIN)
        .args(["--lexicon", "/dev/zero", "-"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_for(&mut child, Duration::from_secs(30));
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("/dev/zero: the file is over 8 MiB"), "{stderr}");
    let out = run(&["lexicon", "check", "/dev/zero"], b"");
    assert_eq!(out.code, Some(2), "{}", out.stderr);
}
