//! The role a hire may grow into: "After the programme you can grow into a product
//! manager role in which you set the vision and own the roadmap". What follows such a cue in its sentence describes a future role, not
//! the duties this posting hires for, so it is not evidence (an associate's or
//! intern's posting otherwise reads as the senior role it leads to).
//!
//! A cue is a verb of career movement ([`MOVES`]) followed within [`ROLE_REACH`] words
//! by a word naming a role ([`ROLE_WORDS`]): "grow into the role", "transition into a
//! [role] role", "be promoted to product manager". "Manage the transition to the new
//! platform" names no role and is no cue.

use crate::tokens::{class_mask, starts_with_any, Tokens, BLOCK};

/// Verbs of career movement, as word sequences.
pub const MOVES: &[&[&str]] = &[
    &["grow", "into"],
    &["grows", "into"],
    &["growing", "into"],
    &["grow", "to", "become"],
    &["progress", "into"],
    &["progress", "to"],
    &["progression", "to"],
    &["promoted", "to"],
    &["promotion", "to"],
    &["transition", "into"],
    &["transition", "to"],
    &["path", "to", "becoming"],
    &["path", "to", "become"],
    &["step", "up", "to"],
];

/// Words that name a role after a move.
pub const ROLE_WORDS: &[&str] = &["role", "[role]", "position", "manager", "owner", "lead", "director", "pm", "po"];

/// How many words after a move may pass before the role word ("grow into a senior
/// product manager").
pub const ROLE_REACH: usize = 4;

/// The first four bytes of every move's first word ("grow", "progress", "promoted",
/// "transition", "path", "step"), as little-endian words: the test every word of a
/// posting goes through.
const MOVE_PREFIXES: [u32; 6] = [
    u32::from_le_bytes(*b"grow"),
    u32::from_le_bytes(*b"prog"),
    u32::from_le_bytes(*b"prom"),
    u32::from_le_bytes(*b"tran"),
    u32::from_le_bytes(*b"path"),
    u32::from_le_bytes(*b"step"),
];

/// Every career cue in `text`, whose words are `words` (as [`Tokens::split`] found
/// them in `text`), as byte ranges from the move's first word to the role word's end, in
/// text order.
///
/// Only the words that open with the first letter of a move prefix are looked at: per
/// 64-byte block, the mask of word starts (kept by the split) and a mask of those
/// letters, both from vector compares, leave a few bits to visit. Each is one four-byte
/// comparison with [`MOVE_PREFIXES`], a test that is almost never true. (Walking every
/// word with that comparison, or an Aho-Corasick search of the text, each cost several
/// percent of a posting's time.)
pub fn find_all(text: &str, words: &Tokens, out: &mut Vec<(u32, u32)>) {
    out.clear();
    let bytes = text.as_bytes();
    let tokens = words.context();
    let word = |k: usize| &text[tokens[k].0 as usize..tokens[k].1 as usize];
    let mut pad = [0u8; BLOCK];
    for (k, starts) in words.context_starts().enumerate() {
        if starts == 0 {
            continue;
        }
        let block: &[u8; BLOCK] = match bytes.get(k * BLOCK..(k + 1) * BLOCK).and_then(|b| b.try_into().ok()) {
            Some(b) => b,
            None => {
                let rest = bytes.get(k * BLOCK..).unwrap_or_default();
                pad.fill(0);
                pad[..rest.len()].copy_from_slice(rest);
                &pad
            }
        };
        let mut candidates =
            starts & class_mask(block, |b| MOVE_PREFIXES.iter().fold(false, |any, &p| any | (p as u8 == b)));
        while candidates != 0 {
            let p = k * BLOCK + candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            if !starts_with_any(&bytes[p..], &MOVE_PREFIXES) {
                continue;
            }
            let i = words.starting_before(p);
            for m in MOVES {
                let after = i + m.len();
                if after > tokens.len() || !(0..m.len()).all(|j| word(i + j) == m[j]) {
                    continue;
                }
                if let Some(r) = (after..tokens.len().min(after + ROLE_REACH)).find(|&k| ROLE_WORDS.contains(&word(k)))
                {
                    out.push((tokens[i].0, tokens[r].1));
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::find_all;

    /// Where the first cue ends, in a text of single-space-separated words.
    fn end(text: &str) -> Option<usize> {
        let mut tokens = crate::tokens::Tokens::new();
        tokens.split(text);
        let mut out = Vec::new();
        find_all(text, &tokens, &mut out);
        out.first().map(|&(_, e)| e as usize)
    }

    #[test]
    fn every_move_opens_with_a_listed_prefix() {
        for m in super::MOVES {
            let four = u32::from_le_bytes(m[0].as_bytes()[..4].try_into().unwrap());
            assert!(super::MOVE_PREFIXES.contains(&four), "{m:?}");
        }
    }

    #[test]
    fn finds_cues_across_block_edges() {
        // A cue whose words straddle the 64-byte blocks, after padding of every length.
        for pad in 0..130 {
            let text = format!("{} you can grow into the role", "x ".repeat(pad / 2) + &"y".repeat(pad % 2));
            assert_eq!(end(&text), Some(text.len()), "pad {pad}");
        }
    }

    #[test]
    fn finds_a_move_to_a_role_only() {
        assert_eq!(end("you will grow into a [role] role where you lead"), Some(27));
        assert_eq!(end("with a willingness to grow into the role"), Some(40));
        assert_eq!(end("be promoted to senior product manager within a year"), Some(37));
        assert_eq!(end("manage the transition to the new platform"), None);
        assert_eq!(end("grow into new markets with the roadmap"), None);
        assert_eq!(end(""), None);
    }
}
