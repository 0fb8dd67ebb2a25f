//! Every verdict pinned: speed work must not change what the classifier says. For each
//! corpus posting and for a generated set (corpus paragraphs recombined, flattened onto
//! one line, wrapped in HTML, shouted in capitals), `tests/golden/verdicts.tsv` holds
//! the label, confidence, scores and pulls, and a fingerprint of the whole verdict
//! (every piece of evidence with its effect, section, offsets and snippet; the duties;
//! the warnings). A change of lexicon or reading rules changes them on purpose:
//! regenerate with `JDCLASS_BLESS=1 cargo test --test verdicts` and review the diff.

use jdclass::{Classifier, Scratch};
use std::path::Path;

const GOLDEN: &str = "tests/golden/verdicts.tsv";
/// Postings generated from the corpus.
const GENERATED: usize = 240;

/// FNV-1a: a stable 64-bit fingerprint (std's hashers may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The corpus postings by file name, in name order.
fn corpus() -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir("corpus/postings").unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(p).unwrap()))
        .collect()
}

/// Postings made from the corpus's paragraphs by a fixed pseudo-random sequence, in the
/// shapes scraped postings arrive in.
fn generated(corpus: &[(String, String)]) -> Vec<(String, String)> {
    let paragraphs: Vec<&str> =
        corpus.iter().flat_map(|(_, t)| t.split("\n\n")).map(str::trim).filter(|p| !p.is_empty()).collect();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    (0..GENERATED)
        .map(|i| {
            let parts: Vec<&str> = (0..3 + next(5)).map(|_| paragraphs[next(paragraphs.len())]).collect();
            let text = match i % 4 {
                0 => parts.join("\n\n"),
                // A scraper that lost every line break.
                1 => parts.join(" ").replace('\n', " "),
                2 => parts.iter().map(|p| format!("<p>{}</p>", p.replace('\n', "<br>"))).collect::<Vec<_>>().join("\n"),
                _ => format!("{}\n\n{}", parts[0].to_uppercase(), parts[1..].join("\n\n")),
            };
            (format!("generated-{i:03}"), text)
        })
        .collect()
}

fn golden() -> String {
    let classifier = Classifier::embedded();
    let mut scratch = Scratch::new();
    let corpus = corpus();
    let mut out =
        String::from("posting\tlabel\tconfidence\tstrategic\troadmap\tpm\tpo\tother\tevidence\tfingerprint\n");
    for (name, text) in corpus.iter().chain(generated(&corpus).iter()) {
        let v = classifier.classify_with(text, &mut scratch);
        let whole = serde_json::to_string(&v).unwrap();
        out.push_str(&format!(
            "{name}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:016x}\n",
            v.label.as_str(),
            v.confidence,
            v.scores.strategic,
            v.scores.roadmap,
            v.mass.pm,
            v.mass.po,
            v.mass.other,
            v.evidence.len(),
            fnv1a(whole.as_bytes())
        ));
    }
    out
}

#[test]
fn verdicts_are_unchanged() {
    let want = golden();
    if std::env::var_os("JDCLASS_BLESS").is_some() {
        std::fs::create_dir_all(Path::new(GOLDEN).parent().unwrap()).unwrap();
        std::fs::write(GOLDEN, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(GOLDEN).unwrap();
    let changed: Vec<String> = have
        .lines()
        .zip(want.lines())
        .filter(|(h, w)| h != w)
        .take(10)
        .map(|(h, w)| format!("  pinned: {h}\n  now:    {w}"))
        .collect();
    assert!(
        changed.is_empty() && have.lines().count() == want.lines().count(),
        "verdicts changed ({} lines pinned, {} now); the first differences:\n{}\n\
         A speed change must not do this. If the lexicon or the reading rules changed on \
         purpose, regenerate {GOLDEN} with `JDCLASS_BLESS=1 cargo test --test verdicts` and \
         review the diff.",
        have.lines().count(),
        want.lines().count(),
        changed.join("\n")
    );
}

/// `standing`, which the edit search of `check` reads hundreds of times per posting,
/// decides exactly what the full verdict decides: label, masses and duty tally. The
/// two share one scratch in alternation, as the search and the report do.
#[test]
fn standing_is_the_verdicts_decision() {
    let classifier = Classifier::embedded();
    let mut scratch = Scratch::new();
    let corpus = corpus();
    let mut labels = std::collections::HashSet::new();
    for (name, text) in corpus.iter().chain(generated(&corpus).iter()) {
        let s = classifier.standing(text, &mut scratch);
        let v = classifier.classify_with(text, &mut scratch);
        assert_eq!(s.label, v.label, "{name}");
        assert_eq!(s.mass, v.mass, "{name}");
        assert_eq!(s.duty_summary, v.duty_summary, "{name}");
        labels.insert(v.label);
    }
    // Every label occurs, so the comparison covered each branch of the label rule.
    assert_eq!(labels.len(), 4, "{labels:?}");
}
