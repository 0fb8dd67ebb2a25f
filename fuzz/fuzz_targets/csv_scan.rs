//! The CSV reader through `scan` on any bytes: never panics, every output line is one
//! JSON record (a verdict or an error), and the summary counts them all.
#![no_main]
use jdclass::scan::{InputFormat, OutputFormat, Scan, ScanOptions};
use jdclass::Classifier;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(Classifier::embedded)
}

// Build the classifier before fuzzing starts: its first build is slow under the
// sanitizer and must not count against the first input's timeout.
fuzz_target!(init: { classifier(); }, |data: &[u8]| {
    let path = std::env::temp_dir().join(format!("jdclass-fuzz-{}.csv", std::process::id()));
    std::fs::write(&path, data).unwrap();
    let options = ScanOptions {
        input_format: Some(InputFormat::Csv),
        output: OutputFormat::Jsonl,
        max_bytes: 4096,
        ..ScanOptions::default()
    };
    let scan = Scan::new(classifier(), options);
    let mut out = Vec::new();
    let summary = scan.run(&[path.to_string_lossy().into_owned()], &mut out, &mut |_| {}).unwrap();
    let lines: Vec<&[u8]> = out.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(summary.records as usize, lines.len());
    for l in lines {
        let v: serde_json::Value = serde_json::from_slice(l).expect("each output line is JSON");
        assert!(v.get("label").is_some() != v.get("error").is_some(), "{v}");
        assert!(l.len() < 64 * 1024, "an output record of {} bytes", l.len());
    }
});
