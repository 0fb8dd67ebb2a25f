//! `jdclass scan` end to end: the real binary on inputs built in temporary
//! directories. Each test states the behaviour it pins down; failures print what the
//! binary wrote in full.

use jdclass::classify::{Brief, EVIDENCE_PER_TERM};
use jdclass::{Classifier, Scratch};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_jdclass");

const PM_TEXT: &str = "You will own the product vision and the product strategy, build the roadmap, run market \
research and competitive analysis, define pricing and go-to-market with sales and marketing, and track business \
outcomes and revenue.";
const PO_TEXT: &str = "You will own and prioritise the product backlog, write user stories with acceptance criteria, \
run sprint planning and backlog refinement with the development team, and accept completed stories in the sprint review.";

/// What one run of the binary did.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The output as JSON records, one per line.
    fn records(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}\n{self:#?}")))
            .collect()
    }

    /// The `--summary json` object printed on stderr.
    fn summary(&self) -> Value {
        let line = self.stderr.lines().find(|l| l.starts_with('{')).unwrap_or_else(|| panic!("no summary: {self:#?}"));
        serde_json::from_str(line).unwrap()
    }
}

/// Run `jdclass scan ARGS` in `dir`, feeding `stdin`.
fn scan(dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(BIN)
        .arg("scan")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn jsonl(records: &[Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

/// Field `key` of every record, as strings ("null" when absent).
fn column(records: &[Value], key: &str) -> Vec<String> {
    records
        .iter()
        .map(|r| r.get(key).map_or("null".into(), |v| v.as_str().map_or(v.to_string(), str::to_string)))
        .collect()
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/postings")
}

#[test]
fn directories_are_walked_in_name_order_and_hidden_entries_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("jobs");
    write(&d.join("b.md"), format!("Product Owner\n\n{PO_TEXT}"));
    write(&d.join("a.txt"), format!("Senior Product Manager\n\n{PM_TEXT}"));
    write(&d.join("c.html"), format!("<h1>Product Owner</h1><p>{PO_TEXT}</p>"));
    write(&d.join("sub/d.htm"), format!("<p>{PM_TEXT}</p>"));
    write(&d.join("sub/e.posting"), PO_TEXT);
    write(&d.join(".hidden.txt"), PM_TEXT);
    write(&d.join(".git/f.txt"), PM_TEXT);

    let run = scan(tmp.path(), &["jobs"], b"");
    assert_eq!(run.code, 0, "{run:#?}");
    let recs = run.records();
    let sources = column(&recs, "source");
    assert_eq!(sources, ["jobs/a.txt", "jobs/b.md", "jobs/c.html", "jobs/sub/d.htm", "jobs/sub/e.posting"], "{run:#?}");
    assert_eq!(column(&recs, "label"), ["pm", "po", "po", "pm", "po"], "{run:#?}");
    assert_eq!(column(&recs, "title_role"), ["pm", "po", "po", "null", "null"], "{run:#?}");
    assert!(recs.iter().all(|r| r["line"].is_null() && r["id"].is_null()), "{run:#?}");

    let run = scan(tmp.path(), &["jobs", "--hidden"], b"");
    let sources = column(&run.records(), "source");
    assert_eq!(sources.len(), 7, "{run:#?}");
    assert!(sources.contains(&"jobs/.git/f.txt".to_string()) && sources.contains(&"jobs/.hidden.txt".to_string()));
}

#[test]
fn scan_agrees_with_the_single_posting_classifier_on_the_corpus() {
    let run = scan(Path::new(env!("CARGO_MANIFEST_DIR")), &["corpus/postings", "--top", "3"], b"");
    assert_eq!(run.code, 0, "{run:#?}");
    let recs = run.records();
    let files: Vec<String> = recs.iter().map(|r| r["source"].as_str().unwrap().to_string()).collect();
    assert_eq!(files.len(), std::fs::read_dir(corpus_dir()).unwrap().count());
    let full = Command::new(BIN)
        .args(["--format", "jsonl"])
        .args(&files)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let verdicts: Vec<Value> =
        String::from_utf8(full.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(verdicts.len(), recs.len());
    for (r, v) in recs.iter().zip(&verdicts) {
        assert_eq!(r["label"], v["label"], "{}", r["source"]);
        assert_eq!(r["confidence"], v["confidence"], "{}", r["source"]);
        assert_eq!(r["scores"], v["scores"], "{}", r["source"]);
        assert_eq!(r["lexicon"]["hash"], v["lexicon"]["hash"]);
        let mut terms: Vec<&str> = Vec::new();
        for t in v["evidence"].as_array().unwrap().iter().map(|e| e["term"].as_str().unwrap()) {
            if terms.len() < 3 && !terms.contains(&t) {
                terms.push(t);
            }
        }
        assert_eq!(r["evidence"], serde_json::json!(terms), "{}", r["source"]);
    }
}

#[test]
fn the_lean_entry_point_matches_the_full_verdict() {
    let classifier = Classifier::embedded();
    let mut scratch = Scratch::new();
    let mut texts: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| String::from_utf8_lossy(&std::fs::read(e.unwrap().path()).unwrap()).into_owned())
        .collect();
    texts.extend(["", "Product Owner", "Senior Product Manager / Product Owner\nOwn the roadmap."].map(String::from));
    // More occurrences of one entry than a verdict lists, the strongest ones last.
    let repetitive = format!(
        "Product Owner\n\nAbout us\n{}\n\nWhat you'll do\nOwn the product backlog and the backlog, write user stories.\n",
        "Our teams keep a tidy backlog and love user stories. ".repeat(2 * EVIDENCE_PER_TERM as usize)
    );
    let verdict = classifier.classify_with(&repetitive, &mut scratch);
    let listed = verdict.evidence.iter().chain(&verdict.discounted).filter(|e| e.term == "backlog").count();
    assert_eq!(listed, EVIDENCE_PER_TERM as usize, "the case below must reach the listing cap");
    texts.push(repetitive);
    // A generated set: corpus paragraphs shuffled across postings, some run together
    // on one line, some wrapped in HTML, so the fast path meets layouts the corpus
    // does not have.
    let paragraphs: Vec<String> =
        texts.iter().flat_map(|t| t.split("\n\n").map(str::to_string).collect::<Vec<_>>()).collect();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for i in 0..300 {
        let n = 2 + next(8);
        let parts: Vec<&str> = (0..n).map(|_| paragraphs[next(paragraphs.len())].as_str()).collect();
        texts.push(match i % 3 {
            0 => parts.join("\n\n"),
            1 => parts.join(" ").replace('\n', " "),
            _ => parts.iter().map(|p| format!("<p>{p}</p>")).collect::<Vec<_>>().join("\n"),
        });
    }
    for text in &texts {
        let verdict = classifier.classify_with(text, &mut scratch);
        for n in [0, 1, 5, 50] {
            let lean = classifier.classify_brief(text, &mut scratch, n);
            assert_eq!(lean, Brief::from_verdict(&verdict, n), "top {n} of:\n{}", &text[..text.len().min(200)]);
        }
    }
}

#[test]
fn jsonl_fields_title_and_fallbacks() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = [
        serde_json::json!({"id": "a", "title": "Product Owner", "text": PO_TEXT}),
        serde_json::json!({"id": 7, "description": PM_TEXT, "extra": {"nested": [1, 2]}}),
        serde_json::json!({"title": "Senior Product Manager", "text": format!("Senior Product Manager\n\n{PM_TEXT}")}),
        serde_json::json!({"id": "d", "title": null, "text": null, "description": PO_TEXT}),
    ];
    write(&tmp.path().join("p.jsonl"), jsonl(&lines) + "\n  \n");
    let run = scan(tmp.path(), &["p.jsonl"], b"");
    let recs = run.records();
    assert_eq!(column(&recs, "id"), ["a", "7", "null", "d"], "{run:#?}");
    assert_eq!(column(&recs, "line"), ["1", "2", "3", "4"], "blank lines are not records: {run:#?}");
    assert_eq!(column(&recs, "label"), ["po", "pm", "pm", "po"], "{run:#?}");
    assert_eq!(
        column(&recs, "title_role"),
        ["po", "null", "pm", "null"],
        "the title field is the title line: {run:#?}"
    );

    // Other field names.
    let other = jsonl(&[serde_json::json!({"job_id": 1, "heading": "Product Owner", "body": PO_TEXT, "text": "x"})]);
    let run = scan(
        tmp.path(),
        &["-", "--id-field", "job_id", "--title-field", "heading", "--text-field", "body"],
        other.as_bytes(),
    );
    let rec = &run.records()[0];
    assert_eq!(
        (rec["id"].as_str(), rec["label"].as_str(), rec["title_role"].as_str()),
        (Some("1"), Some("po"), Some("po"))
    );
    // --text-field replaces the default list: no fallback to description.
    let run = scan(tmp.path(), &["-", "--text-field", "body"], jsonl(&lines[1..2]).as_bytes());
    assert_eq!(run.records()[0]["error_kind"], "missing-field", "{run:#?}");
}

#[test]
fn csv_with_quoted_line_ends_crlf_and_a_title_column() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = format!(
        "job_id,title,text,salary\r\n\
         1,Product Owner,\"{PO_TEXT},\r\nplus \"\"quoted\"\" words\r\nover lines\",100\r\n\
         \r\n\
         2,,\"{PM_TEXT}\",200\r\n\
         3,short row\r\n\
         4,\"Senior Product Manager, Growth\",{},300",
        PM_TEXT.replace(',', " ")
    );
    write(&tmp.path().join("jobs.csv"), &csv);
    let run = scan(tmp.path(), &["jobs.csv", "--id-field", "job_id"], b"");
    assert_eq!(run.code, 0, "{run:#?}");
    let recs = run.records();
    assert_eq!(column(&recs, "id"), ["1", "2", "null", "4"], "{run:#?}");
    assert_eq!(column(&recs, "line"), ["2", "6", "7", "8"], "each record names the line it starts on: {run:#?}");
    assert_eq!(column(&recs, "label"), ["po", "pm", "null", "pm"], "{run:#?}");
    assert_eq!(column(&recs, "title_role"), ["po", "null", "null", "pm"], "{run:#?}");
    assert_eq!(recs[2]["error_kind"], "missing-field");
    assert!(recs[2]["error"].as_str().unwrap().contains("columns: job_id, title, text, salary"), "{run:#?}");

    // A CSV without the text column: every row says so, none is lost.
    write(&tmp.path().join("nocol.csv"), "id,body\n1,x\n2,y\n");
    let run = scan(tmp.path(), &["nocol.csv"], b"");
    assert_eq!(column(&run.records(), "error_kind"), ["missing-field", "missing-field"], "{run:#?}");
}

#[test]
fn gzipped_jsonl_and_csv_read_like_plain_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = jsonl(&[
        serde_json::json!({"id": 1, "text": PM_TEXT}),
        serde_json::json!({"id": 2, "text": PO_TEXT}),
        serde_json::json!({"id": 3}),
    ]);
    let csv = format!("id,text\n1,\"{PM_TEXT}\"\n2,\"{PO_TEXT}\"\n");
    write(&tmp.path().join("a.jsonl"), &lines);
    write(&tmp.path().join("a.jsonl.gz"), gzip(lines.as_bytes()));
    write(&tmp.path().join("b.csv"), &csv);
    write(&tmp.path().join("b.csv.gz"), gzip(csv.as_bytes()));
    // Concatenated gzip members are one stream.
    let mut two = gzip(lines.as_bytes());
    two.extend(gzip(lines.as_bytes()));
    write(&tmp.path().join("c.ndjson.gz"), two);

    let strip = |run: &Run| -> Vec<Value> {
        run.records()
            .into_iter()
            .map(|mut r| {
                r.as_object_mut().unwrap().remove("source");
                r
            })
            .collect()
    };
    let plain = scan(tmp.path(), &["a.jsonl", "b.csv"], b"");
    let gz = scan(tmp.path(), &["a.jsonl.gz", "b.csv.gz"], b"");
    assert_eq!(plain.records().len(), 5, "{plain:#?}");
    assert_eq!(strip(&plain), strip(&gz), "{gz:#?}");
    assert_eq!(scan(tmp.path(), &["c.ndjson.gz"], b"").records().len(), 6);
    // Gzip on stdin is recognised by its magic bytes.
    let piped = scan(tmp.path(), &["-"], &gzip(lines.as_bytes()));
    assert_eq!(strip(&piped), strip(&plain)[..3], "{piped:#?}");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_not_followed_forever() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("d");
    write(&d.join("a.txt"), PM_TEXT);
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::os::unix::fs::symlink(&d, d.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(d.join("a.txt"), d.join("sub/link.txt")).unwrap();
    std::os::unix::fs::symlink(d.join("nowhere"), d.join("sub/dangling.txt")).unwrap();

    let started = Instant::now();
    let run = scan(tmp.path(), &["d"], b"");
    assert_eq!(column(&run.records(), "source"), ["d/a.txt"], "links are not followed by default: {run:#?}");

    let run = scan(tmp.path(), &["d", "--follow"], b"");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(run.code, 0, "{run:#?}");
    let recs = run.records();
    let errors: Vec<&str> = recs.iter().filter_map(|r| r["error"].as_str()).collect();
    assert_eq!(recs.len(), 4, "a.txt, the dangling link, link.txt and the loop: {run:#?}");
    assert!(errors.iter().any(|e| e.contains("loop")), "{run:#?}");
    assert_eq!(column(&recs, "label").iter().filter(|l| *l == "pm").count(), 2, "{run:#?}");
}

#[test]
fn stdin_defaults_to_jsonl_and_takes_any_format() {
    let tmp = tempfile::tempdir().unwrap();
    let run = scan(tmp.path(), &["-"], jsonl(&[serde_json::json!({"id": "s", "text": PO_TEXT})]).as_bytes());
    let recs = run.records();
    assert_eq!((recs.len(), recs[0]["source"].as_str(), recs[0]["line"].as_u64()), (1, Some("<stdin>"), Some(1)));

    let run = scan(tmp.path(), &["-", "--input-format", "text"], format!("Product Owner\n\n{PO_TEXT}").as_bytes());
    let recs = run.records();
    assert_eq!((recs.len(), recs[0]["label"].as_str(), recs[0]["title_role"].as_str()), (1, Some("po"), Some("po")));

    let run = scan(tmp.path(), &["-", "--input-format", "csv"], format!("text\n\"{PM_TEXT}\"\n").as_bytes());
    assert_eq!(column(&run.records(), "label"), ["pm"], "{run:#?}");

    // An empty stream (an empty Spark partition) is a successful empty scan.
    let run = scan(tmp.path(), &["-", "--summary", "json"], b"");
    assert_eq!((run.code, run.stdout.as_str(), run.summary()["records"].as_u64()), (0, "", Some(0)), "{run:#?}");
}

#[test]
fn every_bad_record_yields_exactly_one_error_line_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let good = |id: &str| format!("{}\n", serde_json::json!({"id": id, "text": PO_TEXT}));
    let mut data = Vec::new();
    data.extend(good("first").as_bytes()); // 1
    data.extend(b"{\"id\": \"j\", \"text\": \"unterminated\n"); // 2: bad JSON
    data.extend(b"{\"id\":\"m\",\"title\":\"Product Owner\"}\n"); // 3: no text
    data.extend(b"{\"id\":\"u\",\"text\":\"caf\xe9 backlog\"}\n"); // 4: invalid UTF-8
    data.extend(format!("{}\n", serde_json::json!({"id": "big", "text": "backlog ".repeat(400)})).as_bytes()); // 5
    data.extend(b"{\"id\":\"n\",\"text\":42}\n"); // 6: not a string
    data.extend(b"{\"id\":\"e\",\"text\":\"  \\n \"}\n"); // 7: empty
    data.extend(b"[1, 2]\n"); // 8: not an object
    data.extend(good("last").as_bytes()); // 9
    write(&tmp.path().join("bad.jsonl"), &data);
    write(&tmp.path().join("bin.txt"), b"PK\x03\x04\0\0binary");
    write(&tmp.path().join("latin1.txt"), b"Product Owner caf\xe9");
    write(&tmp.path().join("large.txt"), "backlog ".repeat(400));
    let args = ["bad.jsonl", "missing.txt", "bin.txt", "latin1.txt", "large.txt", "--max-bytes", "2000"];

    let run = scan(tmp.path(), &[&args[..], &["--summary", "json"]].concat(), b"");
    assert_eq!(run.code, 0, "{run:#?}");
    let recs = run.records();
    assert_eq!(recs.len(), 13, "9 lines + 4 files in, 13 records out: {run:#?}");
    let kinds: Vec<String> = recs.iter().map(|r| r["error_kind"].as_str().unwrap_or("ok").to_string()).collect();
    assert_eq!(
        kinds,
        [
            "ok",
            "json",
            "missing-field",
            "utf8",
            "too-large",
            "not-string",
            "empty",
            "json",
            "ok",
            "unreadable",
            "binary",
            "utf8",
            "too-large"
        ],
        "{run:#?}"
    );
    assert_eq!(column(&recs[..9], "line"), ["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    assert_eq!(column(&recs[..9], "id"), ["first", "null", "m", "null", "null", "n", "e", "null", "last"]);
    for r in recs.iter().filter(|r| r.get("error").is_some()) {
        assert!(!r["error"].as_str().unwrap().is_empty() && r["lexicon"]["hash"].is_string(), "{r}");
    }
    let s = run.summary();
    assert_eq!((s["records"].as_u64(), s["classified"].as_u64(), s["errors"].as_u64()), (Some(13), Some(2), Some(11)));
    assert_eq!(s["labels"]["po"], 2);
    assert_eq!(
        s["errors_by_kind"],
        serde_json::json!({"json": 2, "missing-field": 1, "utf8": 2, "too-large": 2, "not-string": 1, "empty": 1,
                           "unreadable": 1, "binary": 1})
    );
    assert_eq!((s["inputs_read"].as_u64(), s["inputs_failed"].as_u64()), (Some(4), Some(1)));
    assert!(s["lexicon"]["name"].is_string());

    let run = scan(tmp.path(), &[&args[..], &["--fail-on-error", "-q"]].concat(), b"");
    assert_eq!((run.code, run.records().len(), run.stderr.as_str()), (1, 13, ""), "{run:#?}");
}

#[test]
fn oversized_records_are_skipped_without_losing_the_next_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let big = "x".repeat(300_000); // spans several reads
    let csv = format!("id,text\n1,\"{big}\n{big}\"\n2,\"{PO_TEXT}\"\n3,\"{big}\"");
    let lines = format!("{{\"id\":1,\"text\":\"{big}\"}}\n{}{{\"id\":3,\"text\":\"{big}\"}}", good_line());
    write(&tmp.path().join("big.csv"), &csv);
    write(&tmp.path().join("big.jsonl"), &lines);
    let run = scan(tmp.path(), &["big.csv", "big.jsonl", "--max-bytes", "100000"], b"");
    let recs = run.records();
    assert_eq!(column(&recs, "error_kind"), ["too-large", "null", "too-large", "too-large", "null", "too-large"]);
    assert_eq!(column(&recs, "line"), ["2", "4", "5", "1", "2", "3"], "{run:#?}");
    assert_eq!(column(&recs, "id"), ["null", "2", "null", "null", "2", "null"], "{run:#?}");
    assert!(recs[0]["error"].as_str().unwrap().starts_with("600"), "the size is the row's: {}", recs[0]["error"]);
}

fn good_line() -> String {
    format!("{}\n", serde_json::json!({"id": 2, "text": PO_TEXT}))
}

/// 3000 postings of varied length, ids 0..3000.
fn many_records() -> String {
    let texts = [PM_TEXT, PO_TEXT, "Scrum master: facilitate ceremonies and remove impediments.", "", "{"];
    (0..3000)
        .map(|i| {
            let text = texts[i % texts.len()];
            match text {
                "{" => format!("{{\"id\":{i},\n"), // broken line
                _ => format!("{}\n", serde_json::json!({"id": i, "text": text.repeat(1 + i % 7)})),
            }
        })
        .collect()
}

#[test]
fn output_order_is_input_order_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("many.jsonl"), many_records());
    let runs: Vec<Run> =
        ["1", "2", "7"].iter().map(|t| scan(tmp.path(), &["many.jsonl", "--threads", t, "-q"], b"")).collect();
    let ids = column(&runs[0].records(), "line");
    assert_eq!(ids, (1..=3000).map(|i| i.to_string()).collect::<Vec<_>>(), "{:#?}", runs[0].stderr);
    for r in &runs[1..] {
        assert!(r.stdout == runs[0].stdout, "threads change the output:\n{}\nvs\n{}", r.stdout, runs[0].stdout);
    }
}

#[test]
fn a_dump_of_many_chunks_reads_the_same_from_a_path_and_a_pipe() {
    // Several chunks (2 MB each), so the reader fills buffers that earlier chunks gave
    // back, and a pipe from a fast writer, which fills chunks as a file does.
    let tmp = tempfile::tempdir().unwrap();
    let records = many_records();
    let copies = (7 * jdclass::scan::read::CHUNK_BYTES).div_ceil(records.len());
    let dump = records.repeat(copies);
    write(&tmp.path().join("dump.jsonl"), &dump);
    let by_path = scan(tmp.path(), &["dump.jsonl", "--threads", "3", "--summary", "json"], b"");
    let lines = by_path.stdout.lines().count();
    assert_eq!(lines, 3000 * copies, "one output line per record: {:#?}", by_path.stderr);
    let summary = by_path.summary();
    assert_eq!(summary["records"].as_u64(), Some(lines as u64));
    assert_eq!(summary["bytes"].as_u64(), Some(dump.len() as u64), "every byte counted once");
    for threads in ["1", "3"] {
        let piped = scan(tmp.path(), &["-", "--threads", threads, "--summary", "json"], dump.as_bytes());
        let same = piped.stdout.replace("\"source\":\"<stdin>\"", "\"source\":\"dump.jsonl\"");
        assert!(same == by_path.stdout, "{threads} threads: a pipe reads otherwise than the file");
        assert_eq!(piped.summary()["bytes"], summary["bytes"]);
    }
}

#[test]
fn csv_output_is_rfc4180_with_a_header_and_an_error_column() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("a, \"quoted\".txt"), PM_TEXT);
    write(&tmp.path().join("p.jsonl"), format!("{}{{\"id\":\"x\"}}\n", good_line()));
    let run = scan(tmp.path(), &["a, \"quoted\".txt", "p.jsonl", "--format", "csv"], b"");
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers, jdclass::scan::format::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "{run:#?}");
    let get = |row: &csv::StringRecord, col: &str| row[headers.iter().position(|h| h == col).unwrap()].to_string();
    assert_eq!(get(&rows[0], "source"), "a, \"quoted\".txt");
    assert_eq!((get(&rows[0], "label"), get(&rows[0], "error")), ("pm".into(), String::new()));
    assert!(get(&rows[0], "evidence").split(';').count() >= 2, "{:?}", rows[0]);
    assert_eq!(
        (get(&rows[1], "id"), get(&rows[1], "line"), get(&rows[1], "label")),
        ("2".into(), "1".into(), "po".into())
    );
    assert_eq!((get(&rows[2], "label"), get(&rows[2], "error").is_empty()), (String::new(), false));
    assert!(!get(&rows[2], "lexicon_hash").is_empty());
}

#[test]
fn table_output_has_a_header_and_one_line_per_record() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("p.jsonl"), format!("{}not json\n", good_line()));
    let run = scan(tmp.path(), &["p.jsonl", "--format", "table"], b"");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{run:#?}");
    assert!(lines[0].starts_with("POSTING") && lines[0].contains("LABEL") && lines[0].contains("EVIDENCE"));
    assert!(lines[1].starts_with("2 ") && lines[1].contains(" po "), "{}", lines[1]);
    assert!(lines[2].starts_with("p.jsonl:2") && lines[2].contains("error") && lines[2].contains("bad JSON"));
    assert!(!run.stdout.contains('\x1b'), "no colour off a terminal");
}

#[test]
fn exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("ok.txt"), PO_TEXT);
    std::fs::create_dir_all(tmp.path().join("empty/.hidden")).unwrap();
    write(&tmp.path().join("empty/.hidden/x.txt"), PO_TEXT);

    let run = scan(tmp.path(), &["nope.txt", "nope.jsonl"], b"");
    assert_eq!(run.code, 2, "nothing could be read: {run:#?}");
    assert_eq!(run.records().len(), 2, "the unreadable inputs are still reported: {run:#?}");
    assert!(run.stderr.contains("nothing could be read"), "{run:#?}");

    let run = scan(tmp.path(), &["empty"], b"");
    assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{run:#?}");
    assert!(run.stderr.contains("--hidden"), "{run:#?}");

    let run = scan(tmp.path(), &["ok.txt", "nope.txt"], b"");
    assert_eq!(run.code, 0, "{run:#?}");
    let run = scan(tmp.path(), &["ok.txt", "nope.txt", "--fail-on-error"], b"");
    assert_eq!(run.code, 1, "{run:#?}");
    let run = scan(tmp.path(), &["ok.txt", "--fail-on-error"], b"");
    assert_eq!(run.code, 0, "{run:#?}");

    let help = scan(tmp.path(), &["--help"], b"");
    assert!(help.stdout.contains("Exit codes") && help.stdout.contains("--fail-on-error"), "{help:#?}");
}

#[test]
fn the_output_file_is_not_read_back_when_inside_the_scanned_directory() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("d/a.txt"), PO_TEXT);
    for _ in 0..2 {
        let run = scan(tmp.path(), &["d", "-o", "d/out.jsonl", "-q"], b"");
        assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{run:#?}");
        let out = std::fs::read_to_string(tmp.path().join("d/out.jsonl")).unwrap();
        assert_eq!(out.lines().count(), 1, "{out}");
    }
}

/// A JSONL file large enough that the scan is still running when the test acts.
fn large_input(dir: &Path) -> PathBuf {
    let path = dir.join("large.jsonl");
    let line = good_line();
    write(&path, line.repeat(20_000));
    path
}

#[test]
fn a_closed_output_pipe_ends_the_scan_quietly_with_success() {
    let tmp = tempfile::tempdir().unwrap();
    let input = large_input(tmp.path());
    let mut child = Command::new(BIN)
        .args(["scan", "--threads", "2"])
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.starts_with("{\"id\":\"2\""), "{first}");
    drop(stdout); // like `| head -1`
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}\n{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("rror"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_streaming_scan_on_a_whole_line() {
    let mut child = Command::new(BIN)
        .args(["scan", "-", "--summary", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    // Each posting is answered while the stream stays open.
    for i in 0..2 {
        stdin.write_all(good_line().as_bytes()).unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        assert!(line.contains("\"label\":\"po\""), "record {i}: {line}");
    }
    let kill = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(rest.is_empty() || rest.ends_with('\n'), "a partial line was left: {rest:?}");
    let summary: Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert_eq!((summary["interrupted"].as_bool(), summary["records"].as_u64()), (Some(true), Some(2)), "{stderr}");
}
