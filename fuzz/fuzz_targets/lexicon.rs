//! The lexicon loader and `lexicon check` on any text: a clear error or a lexicon that
//! compiles and classifies; never a panic.
#![no_main]
use jdclass::lexicon::Lexicon;
use jdclass::Classifier;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(lexicon) = Lexicon::parse(text, "fuzz.toml") {
        if let Ok(c) = Classifier::new(lexicon) {
            let _ = c.classify("Own the product roadmap and the backlog; write user stories.");
        }
    }
    if let Ok(report) = jdclass::lexicon_tools::check::check(text, "fuzz.toml", None, None) {
        let lines = text.lines().count().max(1);
        for d in &report.diagnostics {
            assert!(d.line >= 1 && d.line <= lines + 1, "line {} of {lines}", d.line);
        }
    }
});
