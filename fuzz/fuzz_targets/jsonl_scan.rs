//! `scan` over a JSONL file of any bytes: every non-blank line yields exactly one output
//! record (a verdict or an error), in order.
#![no_main]
use jdclass::scan::{InputFormat, OutputFormat, Scan, ScanOptions};
use jdclass::Classifier;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(Classifier::embedded)
}

/// Records the reader makes of `data`: its lines that are not blank (a BOM on the
/// first line and a CR before the line end are not content).
fn expected(data: &[u8]) -> usize {
    let mut n = 0;
    let mut lines = data.split(|&b| b == b'\n').peekable();
    let mut first = true;
    while let Some(line) = lines.next() {
        let line = if first { line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line) } else { line };
        first = false;
        if lines.peek().is_none() && line.is_empty() {
            break;
        }
        if !line.iter().all(u8::is_ascii_whitespace) {
            n += 1;
        }
    }
    n
}

// Build the classifier before fuzzing starts: its first build is slow under the
// sanitizer and must not count against the first input's timeout.
fuzz_target!(init: { classifier(); }, |data: &[u8]| {
    let path = std::env::temp_dir().join(format!("jdclass-fuzz-{}.jsonl", std::process::id()));
    std::fs::write(&path, data).unwrap();
    let options = ScanOptions {
        input_format: Some(InputFormat::Jsonl),
        output: OutputFormat::Jsonl,
        max_bytes: 4096,
        ..ScanOptions::default()
    };
    let scan = Scan::new(classifier(), options);
    let mut out = Vec::new();
    let summary = scan.run(&[path.to_string_lossy().into_owned()], &mut out, &mut |_| {}).unwrap();
    let lines: Vec<&[u8]> = out.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), expected(data), "records in != records out");
    assert_eq!(summary.records as usize, lines.len());
    for l in lines {
        let v: serde_json::Value = serde_json::from_slice(l).expect("each output line is JSON");
        assert!(v.get("label").is_some() != v.get("error").is_some(), "{v}");
    }
});
