//! Proper names: a lexicon word that begins a capitalised name ("Launch Orchard is a
//! media company… the team at Launch Orchard…", "Vision Express") names a
//! company, product or team, not a duty of the hire.
//!
//! A reader knows a name by its capitals inside ordinary prose and by seeing it again.
//! The rule, on the source text's case (the normalised text is lowercase):
//! - a one-word hit written capitalised (`Launch`, not `LAUNCH` or `launch`) is followed,
//!   across one space, by another capitalised word that starts no hit (`Orchard`);
//! - the pair occurs at least [`MIN_NAME_OCCURRENCES`] times in the posting, and at least
//!   once inside a sentence after a lowercase word ("at Launch Orchard"), so a
//!   Title-Case heading or bullet ("Launch Salesforce Features") is never read as a name.
//!
//! Every occurrence of such a pair, sentence starts included, is then part of a name.
//! Both conditions are cheap and conservative: a capitalised tool mentioned once
//! ("using Jira Software") stays evidence.

use crate::context::{Effect, Reading};
use crate::lexicon::{Kind, Lexicon};
use crate::matcher::Hit;
use crate::normalize::Normalized;

/// How often a capitalised pair must occur before it is read as a name: a company or
/// product name recurs through a posting; a capitalised phrase seen once may be a
/// heading or emphasis.
pub const MIN_NAME_OCCURRENCES: usize = 2;

/// One capitalised pair that starts with a one-word hit.
struct Pair {
    /// The hit's index.
    hit: usize,
    /// The pair's normalised text (both words and the space), as a byte range.
    key: (u32, u32),
    /// Whether it stands inside a sentence, after a lowercase word.
    in_prose: bool,
}

/// Mark the hits that begin a proper name as [`Effect::Name`]. `words` are the match
/// words of `norm.text` ([`crate::tokens::Tokens::words`]); `source` is the text that
/// was normalised. Linear in words and hits, plus a sort of the candidate pairs.
pub fn mark(
    norm: &Normalized,
    source: &str,
    words: &[(u32, u32)],
    lexicon: &Lexicon,
    hits: &[Hit],
    readings: &mut [Reading],
) {
    let text = norm.text.as_bytes();
    let src = source.as_bytes();
    // Written "Launch": a capital, then a lowercase letter, in the source.
    let capitalised = |(a, b): (u32, u32)| {
        if b - a < 2 {
            return false;
        }
        let first = norm.origin_of(a as usize);
        let second = norm.origin_of(a as usize + 1);
        src.get(first).is_some_and(u8::is_ascii_uppercase) && src.get(second).is_some_and(u8::is_ascii_lowercase)
    };
    let lowercase = |(a, _): (u32, u32)| src.get(norm.origin_of(a as usize)).is_some_and(u8::is_ascii_lowercase);
    let spaces_only = |a: u32, b: u32| a < b && text[a as usize..b as usize].iter().all(|&c| c == b' ');
    let mut pairs: Vec<Pair> = Vec::new();
    let mut w = 0;
    let mut next_hit = 0;
    for (k, h) in hits.iter().enumerate() {
        if lexicon.entries[h.entry as usize].kind == Kind::Role || readings[k].effect == Effect::Title {
            continue;
        }
        while w < words.len() && words[w].0 < h.start {
            w += 1;
        }
        // A one-word hit, capitalised, followed by a capitalised word across one space.
        if words.get(w) != Some(&(h.start, h.end)) || !capitalised(words[w]) {
            continue;
        }
        let Some(&next) = words.get(w + 1) else { continue };
        if !spaces_only(h.end, next.0) || !capitalised(next) {
            continue;
        }
        // The next word starts no hit: "Roadmap Strategy" is two phrases, not a name.
        while next_hit < hits.len() && hits[next_hit].start < next.0 {
            next_hit += 1;
        }
        if hits.get(next_hit).is_some_and(|n| n.start == next.0) {
            continue;
        }
        let in_prose = w > 0 && spaces_only(words[w - 1].1, h.start) && lowercase(words[w - 1]);
        pairs.push(Pair { hit: k, key: (h.start, next.1), in_prose });
    }
    if pairs.len() < MIN_NAME_OCCURRENCES {
        return;
    }
    let key = |p: &Pair| &text[p.key.0 as usize..p.key.1 as usize];
    pairs.sort_by(|x, y| key(x).cmp(key(y)));
    for group in pairs.chunk_by(|x, y| key(x) == key(y)) {
        if group.len() >= MIN_NAME_OCCURRENCES && group.iter().any(|p| p.in_prose) {
            for p in group {
                readings[p.hit].effect = Effect::Name;
            }
        }
    }
}

/// The end of the name that a hit ending at `end` begins: the end of the next word
/// (the pair [`mark`] found).
pub fn name_end(text: &str, end: usize) -> usize {
    let b = text.as_bytes();
    let start = end + b[end..].iter().take_while(|&&c| c == b' ').count();
    start + b[start..].iter().take_while(|&&c| crate::normalize::is_word_byte(c)).count()
}
