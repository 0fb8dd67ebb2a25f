//! No input crashes the classifier: empty, whitespace, binary, invalid UTF-8, broken
//! HTML, pathological repetition and a 100 MB posting.

use jdclass::{Classifier, Label};

fn classifier() -> &'static Classifier {
    static C: std::sync::OnceLock<Classifier> = std::sync::OnceLock::new();
    C.get_or_init(Classifier::embedded)
}

#[test]
fn empty_and_blank_inputs_are_other_with_a_reason() {
    for text in ["", " ", "\n\n\t", "\u{feff}", "<p></p>", "&nbsp;"] {
        let v = classifier().classify(text);
        assert_eq!(v.label, Label::Other, "{text:?}");
        assert!(v.reason.contains("too little"), "{text:?}: {}", v.reason);
        assert!(v.evidence.is_empty());
    }
}

#[test]
fn binary_and_invalid_utf8_never_panic() {
    // A deterministic pseudo-random byte soup, decoded as a reader would.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let mut warnings = Vec::new();
    let text = jdclass::input::decode(bytes, &mut warnings);
    assert_eq!(warnings.len(), 1, "invalid UTF-8 is reported once");
    let v = classifier().classify(&text);
    assert!((-1.0..=1.0).contains(&v.scores.strategic) && (-1.0..=1.0).contains(&v.scores.roadmap));
    let mixed = [b"Own the product backlog \xff\xfe and write user stories \xc3".as_slice()].concat();
    let text = jdclass::input::decode(mixed, &mut Vec::new());
    let v = classifier().classify(&text);
    assert!(v.evidence.iter().any(|e| e.term.contains("backlog")), "text around bad bytes is still read");
}

#[test]
fn pathological_markup_never_panics() {
    let cases = [
        "<".repeat(10_000),
        "&".repeat(10_000),
        "&#".repeat(5_000),
        format!("<script>{}", "roadmap ".repeat(1000)),
        format!("<!--{}", "backlog ".repeat(1000)),
        "a".repeat(1_000_000),
        "-".repeat(100_000),
        "product owner's ".repeat(5_000),
        "not ".repeat(10_000) + "roadmap",
        "é\u{301}ß\u{fffd}\u{200b}".repeat(10_000),
    ];
    for text in &cases {
        let v = classifier().classify(text);
        assert!((0.0..=1.0).contains(&v.confidence));
    }
}

#[test]
fn a_100_mb_posting_is_classified_without_saturating() {
    let paragraph = "Own the product roadmap and vision. Write user stories and refine the backlog with developers. \
                     We offer dental and vision benefits and a great team.\n";
    let text = paragraph.repeat(100 * 1024 * 1024 / paragraph.len());
    assert!(text.len() >= 99 * 1024 * 1024);
    let v = classifier().classify(&text);
    // Repetition must not push either axis to its end, and evidence stays bounded per entry.
    assert!(v.scores.strategic.abs() < 0.9 && v.scores.roadmap.abs() < 0.9, "{:?}", v.scores);
    assert!(v.mass.pm < 100.0 && v.mass.po < 100.0, "{:?}", v.mass);
    // Every occurrence is scored, but the listing stays short.
    assert!(v.hits > 2_000_000, "all hits counted: {}", v.hits);
    let listed = v.evidence.len() + v.discounted.len();
    assert!(listed < 500, "evidence listing is capped per term: {listed}");
}
