//! Pieces of a posting as its reader sees them, for a verdict's evidence: phrases,
//! snippets and duty statements cut from the input, with whitespace runs made single
//! spaces and, in HTML, tags removed and entities decoded. Case, hyphens and quotes stay
//! as written.
//!
//! A full verdict cuts about a hundred of these per posting, so they are written straight
//! into their `String`: no vector of words, no second copy by `format!`.

/// The input `piece` as the reader sees it; `html` when it comes from an HTML posting.
pub fn as_written(piece: &str, html: bool) -> String {
    let mut out = String::with_capacity(piece.len());
    push_as_written(&mut out, piece, html);
    out
}

/// Append [`as_written`]`(piece, html)` to `out`.
pub fn push_as_written(out: &mut String, piece: &str, html: bool) {
    if html && piece.contains(['<', '&']) {
        out.push_str(&crate::normalize::readable_fragment(piece, true));
    } else {
        push_collapsed(out, piece);
    }
}

/// Append `s` to `out` with each run of whitespace made one space and none kept at
/// either end: what `s.split_whitespace().collect::<Vec<_>>().join(" ")` gives.
///
/// Reads bytes, decoding a character only at the lead bytes of the non-ASCII
/// whitespace characters (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
/// U+205F, U+3000), and copies each word as one slice.
pub fn push_collapsed(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    if is_collapsed(bytes) {
        out.push_str(s);
        return;
    }
    let mut word_start = None;
    let mut wrote = false;
    let mut i = 0;
    while i < bytes.len() {
        let space = whitespace_len(s, i);
        if space == 0 {
            word_start.get_or_insert(i);
            i += 1;
            continue;
        }
        if let Some(w) = word_start.take() {
            push_word(out, s.get(w..i).unwrap_or_default(), &mut wrote);
        }
        i += space;
    }
    if let Some(w) = word_start {
        push_word(out, s.get(w..).unwrap_or_default(), &mut wrote);
    }
}

/// Whether `bytes` are already collapsed, as most pieces are: single spaces between
/// words, none at either end, and no byte that is or may start another whitespace
/// character. Reads fixed blocks without stopping early, so the loop vectorises.
fn is_collapsed(bytes: &[u8]) -> bool {
    const BLOCK: usize = 32;
    // Tab to carriage return (9..=13), and the lead bytes 0xC2 and 0xE1..=0xE3.
    let suspect =
        |b: u8| u8::from(b.wrapping_sub(b'\t') < 5) | u8::from(b == 0xC2) | u8::from(b.wrapping_sub(0xE1) < 3);
    // A byte and the one after it: suspect, or two spaces.
    let bad = |x: u8, y: u8| suspect(x) | (u8::from(x == b' ') & u8::from(y == b' '));
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else { return true };
    if first == b' ' || last == b' ' || suspect(last) != 0 {
        return false;
    }
    // Each byte but the last, and the byte after it, in blocks of the same length.
    let (now_blocks, now_rest) = bytes[..bytes.len() - 1].as_chunks::<BLOCK>();
    let (next_blocks, next_rest) = bytes[1..].as_chunks::<BLOCK>();
    let mut any = 0u8;
    for (x, y) in now_blocks.iter().zip(next_blocks) {
        any |= x.iter().zip(y).fold(0, |acc, (&x, &y)| acc | bad(x, y));
    }
    any |= now_rest.iter().zip(next_rest).fold(0, |acc, (&x, &y)| acc | bad(x, y));
    any == 0
}

/// Append `word`, after a space unless it is the first.
fn push_word(out: &mut String, word: &str, wrote: &mut bool) {
    if *wrote {
        out.push(' ');
    }
    out.push_str(word);
    *wrote = true;
}

/// The byte length of the whitespace character at byte `i` of `s`, or 0 when the byte
/// there does not start one (a continuation byte never does: no whitespace character
/// has a continuation byte that is also a lead byte of one).
fn whitespace_len(s: &str, i: usize) -> usize {
    let b = s.as_bytes()[i];
    match b {
        // `char::is_whitespace` in ASCII: tab, line feed, vertical tab, form feed,
        // carriage return and space (`u8::is_ascii_whitespace` leaves out the vertical tab).
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => 1,
        // The lead bytes of every non-ASCII whitespace character.
        0xC2 | 0xE1 | 0xE2 | 0xE3 => match s.get(i..).and_then(|rest| rest.chars().next()) {
            Some(c) if c.is_whitespace() => c.len_utf8(),
            _ => 0,
        },
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn collapsed(s: &str) -> String {
        let mut out = String::new();
        push_collapsed(&mut out, s);
        out
    }

    /// Every whitespace character there is, ASCII or not.
    fn all_whitespace() -> Vec<char> {
        (0..=char::MAX as u32).filter_map(char::from_u32).filter(|c| c.is_whitespace()).collect()
    }

    #[test]
    fn the_lead_bytes_cover_every_whitespace_character() {
        for c in all_whitespace() {
            let mut buf = [0u8; 4];
            let s = c.encode_utf8(&mut buf);
            assert_eq!(whitespace_len(s, 0), c.len_utf8(), "{c:?}");
        }
    }

    #[test]
    fn collapses_as_split_whitespace_and_join_do() {
        for s in [
            "",
            " ",
            "a",
            "  own the   roadmap \n",
            "\u{0B}vertical\u{0B}tab\u{0C}",
            "no\u{a0}break\u{2003}em\u{3000}ideographic\u{85}next",
            "café  naïve — 北京\u{2028}line",
            "\u{1680}\u{205f}",
            "ends with é ",
        ] {
            assert_eq!(collapsed(s), reference(s), "{s:?}");
        }
    }

    /// Generated texts mixing words, every whitespace character and other non-ASCII
    /// characters sharing their lead bytes (U+00E9 é, U+2014 —, U+1681, U+3001 、).
    #[test]
    fn generated_texts_collapse_as_the_reference_does() {
        let spaces = all_whitespace();
        let others = ['é', '—', '\u{1681}', '、', 'x', 'Q', '-', '.'];
        let mut next = crate::test_rng::below(0x2545_f491_4f6c_dd1d);
        for round in 0..2000 {
            let len = next(24);
            let s: String = (0..len)
                .map(|_| if next(3) == 0 { spaces[next(spaces.len())] } else { others[next(others.len())] })
                .collect();
            assert_eq!(collapsed(&s), reference(&s), "round {round}: {s:?}");
        }
    }

    #[test]
    fn appends_after_what_is_there() {
        let mut out = String::from("…");
        push_collapsed(&mut out, "  a  b ");
        assert_eq!(out, "…a b");
    }

    #[test]
    fn html_pieces_lose_their_tags_and_entities() {
        assert_eq!(as_written("<b>Own</b> the&nbsp;roadmap", true), "Own the roadmap");
        assert_eq!(as_written("<b>Own</b>  the", false), "<b>Own</b> the");
    }
}
