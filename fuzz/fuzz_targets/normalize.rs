//! The normaliser on any bytes: every output byte has an origin inside the input, on a
//! character boundary, and origins never go backwards; the display form (capitals kept)
//! maps to the same input.
#![no_main]
use jdclass::normalize::{display_into, normalize_into, Normalized};
use libfuzzer_sys::fuzz_target;

fn check(src: &str, n: &Normalized) {
    assert_eq!(n.text.len(), n.origin.len());
    let mut last = 0;
    for &o in &n.origin {
        let o = o as usize;
        assert!(o < src.len(), "origin {o} past the input ({})", src.len());
        assert!(src.is_char_boundary(o), "origin {o} inside a character");
        assert!(o >= last, "origins go backwards: {o} after {last}");
        last = o;
    }
}

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    let mut n = Normalized::new();
    normalize_into(&src, &mut n);
    check(&src, &n);
    let mut d = Normalized::new();
    display_into(&src, &mut d);
    check(&src, &d);
    assert_eq!(n.html, d.html);
});
