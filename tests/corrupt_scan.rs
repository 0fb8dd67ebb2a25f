//! A scan of 20,000 JSONL records, 5% of them damaged in 36 ways (the generator of
//! `scripts/corrupt_scan.sh`, which runs the same check on a million records and
//! measures peak memory): every record in gives one record out, in order, and each
//! kind of damage gives the error kind expected of it.

use serde_json::Value;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_jdclass");
const RECORDS: usize = 20_000;

#[test]
fn twenty_thousand_records_with_36_kinds_of_damage() {
    let dir = tempfile::tempdir().unwrap();
    let (input, expected) = (dir.path().join("in.jsonl"), dir.path().join("expected.json"));
    let generated = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/corrupt_jsonl.py"))
        .args([&RECORDS.to_string(), input.to_str().unwrap(), expected.to_str().unwrap(), "--max-bytes", "65536"])
        .output()
        .expect("python3 runs the generator");
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    let expected: Value = serde_json::from_slice(&std::fs::read(&expected).unwrap()).unwrap();
    assert!(expected["corruptions"].as_object().unwrap().len() >= 30, "{expected}");

    let out = Command::new(BIN)
        .args(["scan", input.to_str().unwrap(), "--max-bytes", "65536", "--summary", "json", "--threads", "2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let summary: Value = serde_json::from_str(stderr.lines().find(|l| l.starts_with('{')).unwrap()).unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let records: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), RECORDS, "records in = records out");
    assert_eq!(summary["records"], RECORDS);
    assert_eq!(summary["errors_by_kind"], expected["errors_by_kind"], "{stderr}");
    // In input order: the generator numbers its good records job-N on line N + 1.
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["line"], i + 1, "{r}");
    }
}
