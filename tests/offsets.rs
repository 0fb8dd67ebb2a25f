//! Evidence offsets map exactly back to the input, for every kind of input: a property
//! test over seeded random postings (plain text, markdown, HTML with inline tags and
//! entities; capitals, hyphens, curly quotes, odd whitespace) checks that for every
//! phrase reported, `input[offset..offset + len]` folds to the phrase, the phrase is the
//! text as written (not lowercased), and line and column point at it. The HTML report
//! highlights exactly those characters.

use jdclass::normalize::{looks_like_html, normalize_fragment, normalize_phrase};
use jdclass::{Classifier, Lexicon};

/// Random postings generated per run; each is classified and every phrase checked.
const CASES: usize = 300;

/// xorshift64*: a small deterministic generator, so a failure is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FILLER: &[&str] = &[
    "the",
    "team",
    "and",
    "we",
    "you",
    "will",
    "with",
    "our",
    "customers",
    "every",
    "week",
    "not",
    "but",
    "own",
    "by",
    "leadership",
    "product",
    "manager's",
    "who",
    "E-commerce",
    "platform",
    "café",
    "naïve",
    "Zürich",
    "—",
    "…",
];

/// Write `phrase` the way people and scrapers do.
fn disguise(rng: &mut Rng, phrase: &str, html: bool) -> String {
    let words: Vec<String> = phrase
        .split(' ')
        .map(|w| match rng.below(6) {
            0 => w.to_uppercase(),
            1 => {
                let mut c = w.chars();
                c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
            }
            _ => w.to_string(),
        })
        .collect();
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push_str(match rng.below(8) {
                0 => "-",
                1 if html => "&nbsp;",
                2 => "  ",
                3 if html => "\n",
                4 if html => " <b></b>",
                _ => " ",
            });
        }
        if html && w.len() > 3 && rng.chance(10) {
            // An inline tag inside a word: "<b>prod</b>uct".
            let cut = w.char_indices().nth(2).map_or(w.len(), |(i, _)| i);
            out.push_str(&format!("<b>{}</b>{}", &w[..cut], &w[cut..]));
        } else {
            out.push_str(w);
        }
    }
    if rng.chance(10) {
        out = format!("\u{201c}{out}\u{201d}");
    }
    out
}

fn posting(rng: &mut Rng, phrases: &[String]) -> String {
    let html = rng.chance(40);
    let mut out = String::new();
    if html {
        out.push_str(if rng.chance(50) {
            "<!DOCTYPE html>\n<html><head><title>Product Owner</title></head><body>\n<h1>Product Owner</h1>\n"
        } else {
            "<p>"
        });
    } else if rng.chance(50) {
        out.push_str("Product Owner, Payments\n\n");
    }
    for _ in 0..(5 + rng.below(40)) {
        match rng.below(10) {
            0..=3 => {
                let phrase = rng_phrase(rng, phrases);
                out.push_str(&disguise(rng, phrase, html))
            }
            4 => out.push_str(if html { "</p>\n<p>" } else { "\n\n" }),
            5 if html => out.push_str(if rng.chance(50) { "<li>" } else { " &amp; " }),
            5 => out.push_str(if rng.chance(50) { "\n- " } else { "\r\n* " }),
            6 => out.push_str(". "),
            _ => out.push_str(rng.pick::<&str>(FILLER)),
        }
        out.push(' ');
    }
    out
}

fn rng_phrase<'a>(rng: &mut Rng, phrases: &'a [String]) -> &'a str {
    &phrases[rng.below(phrases.len())]
}

#[test]
fn every_offset_maps_back_to_its_phrase() {
    let lexicon = Lexicon::embedded();
    let phrases: Vec<String> = lexicon.entries.iter().flat_map(|e| e.phrases.iter().cloned()).collect();
    let classifier = Classifier::new(lexicon).unwrap();
    let mut rng = Rng(0x5eed_0f0f_f5e7_5eed);
    let mut checked = 0;
    for case in 0..CASES {
        let input = posting(&mut rng, &phrases);
        let html = looks_like_html(&input);
        let v = classifier.classify(&input);
        for e in v.evidence.iter().chain(&v.discounted) {
            let at = format!("case {case}, {} at {}..+{} in {input:?}", e.term, e.offset, e.len);
            let slice = input.get(e.offset..e.offset + e.len).unwrap_or_else(|| panic!("not a char range: {at}"));
            assert_eq!(normalize_fragment(slice, html), normalize_phrase(&e.phrase), "{at}");
            assert!(!e.phrase.is_empty() && !e.phrase.starts_with(' ') && !e.phrase.ends_with(' '), "{at}");
            if !html {
                let written: Vec<&str> = slice.split_whitespace().collect();
                assert_eq!(e.phrase, written.join(" "), "the phrase as written: {at}");
            }
            let line_start: usize = input.split('\n').take(e.line - 1).map(|l| l.len() + 1).sum();
            let line = input.split('\n').nth(e.line - 1).unwrap();
            let column: usize = line.chars().take(e.column - 1).map(char::len_utf8).sum();
            assert_eq!(line_start + column, e.offset, "line:column point at the offset: {at}");
            let snippet = e.snippet.trim_start_matches('…').trim_end_matches('…');
            assert!(snippet.contains(&e.phrase), "the snippet shows the phrase as written: {at}: {snippet:?}");
            checked += 1;
        }
    }
    assert!(checked > CASES * 3, "the generator produces evidence ({checked} phrases)");
}

#[test]
fn html_phrases_keep_the_writers_case_and_the_report_highlights_them_exactly() {
    let path = "corpus/postings/002-po-insurance-claims.html";
    let input = std::fs::read_to_string(path).unwrap();
    let classifier = Classifier::embedded();
    let v = classifier.classify(&input);
    assert!(v.evidence.iter().any(|e| e.phrase.chars().any(char::is_uppercase)), "phrases are not lowercased");
    let page = jdclass::output::html::Page { source: path, text: &input, verdict: &v, check: None };
    let html = jdclass::output::html::render(&[page], classifier.lexicon());
    let marks: Vec<&str> =
        html.split("<mark ").skip(1).map(|m| &m[m.find('>').unwrap() + 1..m.find("</mark>").unwrap()]).collect();
    assert!(marks.len() > 10);
    for m in &marks {
        assert!(!m.starts_with(char::is_whitespace) && !m.ends_with(char::is_whitespace), "highlight {m:?}");
    }
    assert!(
        html.contains("Lead backlog refinement") || html.contains("trade-offs"),
        "the report shows the text as written"
    );
}
