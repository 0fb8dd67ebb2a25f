//! `check` on any text and intended role: never panics, stays within its work budget,
//! and a reported flip is real (the edited posting reads as intended).
#![no_main]
use jdclass::check::{apply, check, MIN_TRIES, SEARCH_WORK_BYTES};
use jdclass::{Classifier, Label};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(Classifier::embedded)
}

// Build the classifier before fuzzing starts: its first build is slow under the
// sanitizer and must not count against the first input's timeout.
fuzz_target!(init: { classifier(); }, |data: &[u8]| {
    let Some((&role, rest)) = data.split_first() else { return };
    let intended = [Label::Pm, Label::Po, Label::Hybrid][role as usize % 3];
    let text = String::from_utf8_lossy(rest);
    let r = check(classifier(), &text, intended);
    assert!(r.tries <= (SEARCH_WORK_BYTES / text.len().max(1)).max(MIN_TRIES) + 1);
    if r.flips {
        assert_eq!(classifier().classify(&apply(&text, &r.changes)).label, intended);
    }
});
