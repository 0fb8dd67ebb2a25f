//! Batch throughput over the corpus the tests use, in MB/s: `jdclass scan` on one
//! thread against all threads, on the posting files themselves and on the same
//! postings as one JSONL dump; the reader alone (records read and batched, nothing
//! classified) on that dump plain and gzipped, which says how many workers one reader
//! keeps fed; and the lean per-posting entry point the scan uses against the full
//! verdict.
//!
//! `cargo bench --bench scan`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use jdclass::scan::read::Feed;
use jdclass::scan::{Scan, ScanOptions};
use jdclass::{Classifier, Scratch};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{mpsc, Arc};

/// Copies of the corpus in the JSONL dump: enough records (900) that every thread
/// gets many chunks' worth of work.
const JSONL_COPIES: usize = 10;

fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/postings");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("corpus/postings").map(|e| e.expect("corpus entry").path()).collect();
    files.sort();
    files
}

fn scan_group(c: &mut Criterion) {
    let classifier = Classifier::embedded();
    let files = corpus_files();
    let texts: Vec<String> =
        files.iter().map(|f| String::from_utf8_lossy(&std::fs::read(f).expect("read posting")).into_owned()).collect();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dump = tmp.path().join("corpus.jsonl");
    let mut lines = String::new();
    for copy in 0..JSONL_COPIES {
        for (i, text) in texts.iter().enumerate() {
            lines.push_str(&serde_json::json!({"id": format!("{copy}-{i}"), "text": text}).to_string());
            lines.push('\n');
        }
    }
    std::fs::write(&dump, &lines).expect("write dump");

    let inputs = [
        ("files", vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/postings").display().to_string()]),
        ("jsonl", vec![dump.display().to_string()]),
    ];
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group("scan");
    group.sample_size(10);
    for (name, paths) in &inputs {
        let bytes = match *name {
            "files" => texts.iter().map(String::len).sum::<usize>(),
            _ => lines.len(),
        };
        group.throughput(Throughput::Bytes(bytes as u64));
        for threads in [1, all] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool");
            let scan = Scan::new(&classifier, ScanOptions::default());
            group.bench_with_input(BenchmarkId::new(*name, format!("{threads} threads")), paths, |b, paths| {
                b.iter(|| pool.install(|| scan.run(paths, &mut std::io::sink(), &mut |_| {}).expect("scan").records))
            });
        }
    }
    group.finish();

    // The reader alone, drained by this thread: its MB/s over one worker's MB/s
    // (scan/jsonl/1 thread above) is how many workers it can keep busy.
    let gz = tmp.path().join("corpus.jsonl.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(lines.as_bytes()).expect("gzip");
    std::fs::write(&gz, encoder.finish().expect("gzip")).expect("write gzipped dump");
    let mut group = c.benchmark_group("reader");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(lines.len() as u64));
    for (name, path) in [("jsonl", &dump), ("jsonl.gz", &gz)] {
        let paths = [path.display().to_string()];
        group.bench_function(name, |b| {
            b.iter(|| {
                let (tx, rx) = mpsc::sync_channel(4);
                // Chunks go back to the reader to be filled again, as in a scan.
                let (give_back, spare) = mpsc::channel();
                let (stop, raw) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)));
                let feed = Feed { tx, spare, stop, raw };
                let (paths, options) = (&paths, &ScanOptions::default());
                std::thread::scope(|s| {
                    s.spawn(move || jdclass::scan::read::read_all(paths, options, feed));
                    rx.iter()
                        .map(|chunk| {
                            let records = chunk.items.len();
                            if let Some(empty) = chunk.recycle() {
                                let _ = give_back.send(empty);
                            }
                            records
                        })
                        .sum::<usize>()
                })
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("classify-corpus");
    group.throughput(Throughput::Bytes(texts.iter().map(String::len).sum::<usize>() as u64));
    group.sample_size(10);
    let mut scratch = Scratch::new();
    group.bench_function("full verdict (classify_with)", |b| {
        b.iter(|| texts.iter().map(|t| classifier.classify_with(t, &mut scratch).evidence.len()).sum::<usize>())
    });
    group.bench_function("lean (classify_brief)", |b| {
        b.iter(|| texts.iter().map(|t| classifier.classify_brief(t, &mut scratch, 5).terms.len()).sum::<usize>())
    });
    group.finish();
}

criterion_group!(benches, scan_group);
criterion_main!(benches);
