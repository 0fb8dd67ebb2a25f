//! Classify any text: the full verdict's evidence points inside the input, the brief
//! agrees with the verdict, and the human and HTML renderings never panic.
#![no_main]
use jdclass::classify::{Brief, Scratch};
use jdclass::output::{html, human, Style};
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
    let text = String::from_utf8_lossy(data);
    let c = classifier();
    let mut scratch = Scratch::new();
    let v = c.classify_with(&text, &mut scratch);
    assert!((0.0..=1.0).contains(&v.confidence));
    for e in v.evidence.iter().chain(&v.discounted) {
        assert!(e.offset + e.len <= text.len(), "evidence {}+{} past {}", e.offset, e.len, text.len());
        assert!(text.is_char_boundary(e.offset) && text.is_char_boundary(e.offset + e.len));
        assert!(e.line >= 1 && e.column >= 1);
    }
    let brief = c.classify_brief(&text, &mut scratch, 5);
    let from = Brief::from_verdict(&v, 5);
    assert_eq!(brief.label, from.label);
    assert_eq!(brief.confidence, from.confidence);
    assert_eq!(brief.terms, from.terms);
    let lexicon = &c.lexicon().id;
    let rendered = human::render("fuzz", &v, lexicon, &Style { color: false }, 3);
    assert!(!rendered.contains('\x1b'), "a raw escape reached the human output");
    let page = html::Page { source: "fuzz", text: &text, verdict: &v, check: None };
    let _ = html::render(&[page], c.lexicon());
});
