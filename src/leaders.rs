//! Work done for a product leader: "Working alongside the Director of Product to drive
//! and deliver on the product strategy", "Support the head of product in defining the
//! roadmap". The rubric's PO turns *someone else's* vision or roadmap into work; when a
//! statement opens by putting the hire beside or under a product leader, the strategy
//! and roadmap it names are that leader's, and the hire works from them.
//!
//! The rule reads a statement's first words: an opening verb of support or partnership
//! ([`UNDER_VERBS`], [`BESIDE_VERBS`], optionally followed by "closely", "with", "to" or
//! "in"), then a determiner or two, then a leader ([`LEADERS`]). Peers do not count:
//! "work with engineering and design to define the roadmap" and "partner with
//! stakeholders" leave the roadmap the hire's.
//!
//! Supporting a leader ("support", "assist", "report to") gives the leader the strategy
//! outright. Working beside one ("partner with", "collaborate with") is shared work: the
//! hire who "collaborates with the director of product to draw up the roadmap" owns it too,
//! while one who works alongside them "to drive and deliver on the product strategy"
//! executes it, so there the strategy is the leader's only when a verb of execution
//! ("execute", "implement", "deliver on") stands before it.

use crate::tokens::starts_with_any;

/// Verbs that open a statement placing the hire under someone.
pub const UNDER_VERBS: &[&str] = &[
    "support",
    "supports",
    "supporting",
    "assist",
    "assists",
    "assisting",
    "help",
    "helps",
    "helping",
    "report",
    "reports",
    "reporting",
];

/// Verbs that open a statement placing the hire beside someone.
pub const BESIDE_VERBS: &[&str] =
    &["partner", "partners", "partnering", "work", "works", "working", "collaborate", "collaborates", "collaborating"];

/// The first four bytes of every verb above, as little-endian words: most statements'
/// first words are ruled out by one predictable comparison, not a string search.
const VERB_PREFIXES: [u32; 7] = [
    u32::from_le_bytes(*b"part"),
    u32::from_le_bytes(*b"supp"),
    u32::from_le_bytes(*b"assi"),
    u32::from_le_bytes(*b"help"),
    u32::from_le_bytes(*b"repo"),
    u32::from_le_bytes(*b"work"),
    u32::from_le_bytes(*b"coll"),
];

/// Whether a word starting at `bytes` may be one of the verbs: its first four bytes
/// are one of [`VERB_PREFIXES`] (a shorter word brings a non-word byte into its four).
pub fn may_be_verb(bytes: &[u8]) -> bool {
    starts_with_any(bytes, &VERB_PREFIXES)
}

/// Whether a statement whose words start at `starts` (byte offsets into `text`) may
/// open with a support verb: the cheap test every statement goes through before
/// [`serves_leader`] reads its words.
pub fn may_serve(text: &[u8], starts: impl Iterator<Item = usize>) -> bool {
    starts.take(VERB_REACH + 1).any(|s| may_be_verb(&text[s..]))
}

/// How a statement places the hire relative to a product leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// Supports or reports to the leader: the strategy is the leader's.
    Under,
    /// Works beside the leader: the strategy is shared unless the hire executes it.
    Beside,
}

/// Small words between the verb and the leader.
const LINKS: &[&str] = &["closely", "directly", "with", "to", "in", "alongside", "the", "our", "your", "a", "and"];

/// Who owns the strategy when the hire supports them: product and company leadership,
/// as word sequences. Peers (stakeholders, engineering, the business) are not here.
pub const LEADERS: &[&[&str]] = &[
    &["director", "of", "product"],
    &["director", "of", "product", "management"],
    &["head", "of", "product"],
    &["vp", "of", "product"],
    &["vp", "product"],
    &["vice", "president", "of", "product"],
    &["chief", "product", "officer"],
    &["cpo"],
    &["product", "director"],
    &["product", "lead"],
    &["product", "leadership"],
    &["senior", "leadership"],
    &["leadership"],
    &["executives"],
    &["executive", "team"],
];

/// How many words may open a statement before its support verb ("Ultimately,
/// partnering with…"; "You will work with…").
const VERB_REACH: usize = 3;
/// How many link words may stand between the verb and the leader.
const LINK_REACH: usize = 4;

/// Whether a statement whose words are `words` opens by supporting a product leader
/// or working beside one.
pub fn serves_leader<'a>(words: impl Iterator<Item = &'a str>) -> Option<Support> {
    // This runs for every statement: find the verb among the first words before
    // collecting any more of them, and rule most words out by their first byte.
    let mut words = words;
    let mut buf = [""; VERB_REACH + 1 + LINK_REACH + 4];
    let mut n = 0;
    let v = loop {
        let w = words.next()?;
        buf[n] = w;
        n += 1;
        if may_be_verb(w.as_bytes()) && (UNDER_VERBS.contains(&w) || BESIDE_VERBS.contains(&w)) {
            break n - 1;
        }
        if n > VERB_REACH {
            return None;
        }
    };
    for w in words.take(buf.len() - n) {
        buf[n] = w;
        n += 1;
    }
    let ws = &buf[..n];
    let mut i = v + 1;
    while i < ws.len() && i <= v + LINK_REACH && LINKS.contains(&ws[i]) {
        i += 1;
    }
    let how = if UNDER_VERBS.contains(&ws[v]) { Support::Under } else { Support::Beside };
    LEADERS.iter().any(|l| ws.get(i..i + l.len()) == Some(l)).then_some(how)
}

#[cfg(test)]
mod tests {
    use super::{serves_leader, Support};

    #[test]
    fn reads_who_the_hire_serves() {
        let (under, beside) = (Some(Support::Under), Some(Support::Beside));
        let cases: &[(&str, Option<Support>)] = &[
            ("working alongside the director of product to drive and deliver on the product strategy", beside),
            ("support the head of product in defining the roadmap", under),
            ("you will work closely with our vp of product to shape the vision", beside),
            ("assist product leadership with the quarterly roadmap", under),
            ("reporting to the cpo you will run discovery", under),
            ("work with engineering and design to define the roadmap", None),
            ("partner with stakeholders to set the product vision", None),
            ("define the roadmap with the director of product", None),
            ("own the product strategy", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(serves_leader(text.split(' ')), *want, "{text}");
        }
    }
}
