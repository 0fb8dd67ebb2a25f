//! Criterion benchmarks of the core classifier over the same corpus the tests use:
//! building the lexicon, each stage of reading one median posting (normalise, match,
//! context rules, duty statements), the whole verdict, the scan's brief verdict and the
//! standing `check` searches with, `check` itself, and the whole corpus on one thread.
//! Throughput is reported in bytes, so criterion prints MB/s; the per-iteration time of
//! "one posting" is the per-posting latency.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use jdclass::context::{Layout, Reading};
use jdclass::matcher::Hit;
use jdclass::normalize::{normalize_into, Normalized};
use jdclass::{duties, Classifier, Label, Lexicon, Scratch};

/// The corpus postings, in manifest order.
fn corpus() -> Vec<String> {
    let mut files: Vec<_> =
        std::fs::read_dir("corpus/postings").expect("run from the repo root").map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

/// A typical posting: the median by size.
fn median(postings: &[String]) -> &str {
    let mut by_size: Vec<&String> = postings.iter().collect();
    by_size.sort_by_key(|p| p.len());
    by_size[by_size.len() / 2]
}

fn build(c: &mut Criterion) {
    c.bench_function("lexicon/build (parse + automaton)", |b| {
        b.iter(|| Classifier::new(Lexicon::embedded()).unwrap());
    });
}

fn classify(c: &mut Criterion) {
    let classifier = Classifier::embedded();
    let postings = corpus();
    let one = median(&postings);

    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Bytes(one.len() as u64));
    let mut scratch = Scratch::new();
    g.bench_function("one posting (median size)", |b| {
        b.iter(|| classifier.classify_with(black_box(one), &mut scratch));
    });
    g.bench_function("one posting, brief (what scan computes)", |b| {
        b.iter(|| classifier.classify_brief(black_box(one), &mut scratch, 5).label);
    });
    g.bench_function("one posting, standing (what check's edit search reads)", |b| {
        b.iter(|| classifier.standing(black_box(one), &mut scratch).label);
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

/// The stages of reading the median posting, each on the previous stage's output.
fn stages(c: &mut Criterion) {
    let classifier = Classifier::embedded();
    let lexicon = classifier.lexicon();
    let postings = corpus();
    let one = median(&postings);

    let mut g = c.benchmark_group("stages (median posting)");
    g.throughput(Throughput::Bytes(one.len() as u64));
    let mut norm = Normalized::default();
    g.bench_function("normalise", |b| b.iter(|| normalize_into(black_box(one), &mut norm)));
    let mut layout = Layout::default();
    g.bench_function("split words", |b| b.iter(|| layout.split(black_box(&norm.text))));
    let mut hits: Vec<Hit> = Vec::new();
    g.bench_function("match", |b| {
        b.iter(|| classifier.matcher().find_with(black_box(&norm), one, layout.words(), &mut hits));
    });
    let mut readings: Vec<Reading> = Vec::new();
    g.bench_function("context (layout and every hit read)", |b| {
        b.iter(|| {
            layout.build_split(&norm.text, lexicon, &hits);
            readings.clear();
            for k in 0..hits.len() {
                let r = layout.read(&norm.text, lexicon, &hits, k, &readings);
                readings.push(r);
            }
        })
    });
    let (mut ranges, mut statements) = (Vec::new(), Vec::new());
    g.bench_function("duties (statements and their kinds)", |b| {
        b.iter(|| {
            let mut r = readings.clone();
            duties::read(&norm.text, lexicon, &hits, &layout, &mut r, &mut ranges, &mut statements);
            duties::tally(lexicon, &hits, &r, &mut statements)
        })
    });
    g.finish();
}

/// `check` of the median posting against a role it does not read as: the edit search
/// reads the edited draft once per candidate edit it weighs.
fn check(c: &mut Criterion) {
    let classifier = Classifier::embedded();
    let postings = corpus();
    let one = median(&postings);
    let intended = if classifier.classify(one).label == Label::Pm { Label::Po } else { Label::Pm };
    c.bench_function("check/median posting, the other role (edit search)", |b| {
        b.iter(|| jdclass::check::check(&classifier, black_box(one), intended).tries);
    });
}

criterion_group!(benches, build, classify, stages, check);
criterion_main!(benches);
