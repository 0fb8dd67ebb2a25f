//! The role a hire may grow into: "After the programme you can grow into a product
//! manager role in which you set the vision and own the roadmap". What follows such a cue in its sentence describes a future role, not
//! the duties this posting hires for, so it is not evidence (an associate's or
//! intern's posting otherwise reads as the senior role it leads to).
//!
//! A cue is a verb of career movement ([`MOVES`]) followed within [`ROLE_REACH`] words
//! by a word naming a role ([`ROLE_WORDS`]): "grow into the role", "transition into a
//! [role] role", "be promoted to product manager". "Manage the transition to the new
//! platform" names no role and is no cue.

use crate::tokens::starts_with_any;

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

/// Every career cue in `text`, whose words are `tokens` (byte ranges, in order), as
/// byte ranges from the move's first word to the role word's end, in text order.
///
/// One pass over the words, measured on the scan path: each word's first four bytes
/// are compared with [`MOVE_PREFIXES`] at once, a test that is almost never true, so
/// its branch is predicted; a `match` on the first byte, or an Aho-Corasick search of
/// the text, each cost several percent of a posting's time.
pub fn find_all(text: &str, tokens: &[(u32, u32)], out: &mut Vec<(u32, u32)>) {
    out.clear();
    let bytes = text.as_bytes();
    let word = |k: usize| &text[tokens[k].0 as usize..tokens[k].1 as usize];
    for i in 0..tokens.len() {
        if !starts_with_any(&bytes[tokens[i].0 as usize..], &MOVE_PREFIXES) {
            continue;
        }
        for m in MOVES {
            let after = i + m.len();
            if after > tokens.len() || !(0..m.len()).all(|j| word(i + j) == m[j]) {
                continue;
            }
            if let Some(r) = (after..tokens.len().min(after + ROLE_REACH)).find(|&k| ROLE_WORDS.contains(&word(k))) {
                out.push((tokens[i].0, tokens[r].1));
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::find_all;

    /// Where the first cue ends, in a text of single-space-separated words.
    fn end(text: &str) -> Option<usize> {
        let mut tokens = Vec::new();
        let mut pos = 0;
        for w in text.split(' ').filter(|w| !w.is_empty()) {
            tokens.push((pos as u32, (pos + w.len()) as u32));
            pos += w.len() + 1;
        }
        let mut out = Vec::new();
        find_all(text, &tokens, &mut out);
        out.first().map(|&(_, e)| e as usize)
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
