//! Criterion benchmarks of the core classifier over the same corpus the tests use:
//! building the lexicon, classifying one posting, and the whole corpus on one thread.
//! Throughput is reported in bytes, so criterion prints MB/s.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use jdclass::{Classifier, Lexicon, Scratch};

/// The corpus postings, in manifest order.
fn corpus() -> Vec<String> {
    let mut files: Vec<_> =
        std::fs::read_dir("corpus/postings").expect("run from the repo root").map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

fn build(c: &mut Criterion) {
    c.bench_function("lexicon/build (parse + automaton)", |b| {
        b.iter(|| Classifier::new(Lexicon::embedded()).unwrap());
    });
}

fn classify(c: &mut Criterion) {
    let classifier = Classifier::embedded();
    let postings = corpus();
    // A typical posting: the median by size.
    let mut by_size: Vec<&String> = postings.iter().collect();
    by_size.sort_by_key(|p| p.len());
    let one = by_size[by_size.len() / 2];

    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Bytes(one.len() as u64));
    let mut scratch = Scratch::new();
    g.bench_function("one posting (median size)", |b| {
        b.iter(|| classifier.classify_with(black_box(one), &mut scratch));
    });
    let total: usize = postings.iter().map(String::len).sum();
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function(format!("corpus, {} postings, 1 thread", postings.len()), |b| {
        b.iter(|| {
            for p in &postings {
                black_box(classifier.classify_with(p, &mut scratch));
            }
        });
    });
    g.finish();
}

criterion_group!(benches, build, classify);
criterion_main!(benches);
