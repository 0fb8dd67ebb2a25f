//! Small fixed sets of words ("the", "our", "engineers", "owns"…) that the reading
//! rules ask about for many words of every statement. `list.contains(&word)` compares
//! the word with each entry in turn, a `memcmp` call for every entry of the same
//! length; a [`WordSet`] answers with one hash of the word's first eight bytes and,
//! nearly always, one probe.

use crate::lexicon::load_le;

/// A slot no word occupies.
const EMPTY: u32 = u32::MAX;

/// A set of words, built once from a constant list (see the module docs).
#[derive(Debug, Clone)]
pub struct WordSet {
    /// Open addressing, linear probing: (first eight bytes, length, the word), with a
    /// power-of-two number of slots at least four times the words, so probes are short.
    slots: Vec<(u64, u32, &'static str)>,
    mask: usize,
}

/// The slot a word's probe starts at: its first eight bytes and length, mixed.
fn start(head: u64, len: usize, mask: usize) -> usize {
    ((head ^ (len as u64).rotate_right(8)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as usize & mask
}

impl WordSet {
    /// The set of `words` (duplicates are kept once).
    pub fn new(words: &[&'static str]) -> WordSet {
        let size = (words.len() * 4).next_power_of_two().max(8);
        let mut set = WordSet { slots: vec![(0, EMPTY, ""); size], mask: size - 1 };
        for &w in words {
            if set.contains(w) {
                continue;
            }
            let (head, len) = (load_le(w.as_bytes()), w.len());
            let mut i = start(head, len, set.mask);
            while set.slots[i].1 != EMPTY {
                i = (i + 1) & set.mask;
            }
            set.slots[i] = (head, len as u32, w);
        }
        set
    }

    /// Whether `word` is in the set.
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        let (head, len) = (load_le(word.as_bytes()), word.len());
        let mut i = start(head, len, self.mask);
        loop {
            let (h, l, w) = self.slots[i];
            if l == EMPTY {
                return false;
            }
            // Eight bytes and the length are the whole of a short word.
            if h == head && l as usize == len && (len <= 8 || w == word) {
                return true;
            }
            i = (i + 1) & self.mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::WordSet;

    #[test]
    fn holds_exactly_its_words() {
        let words = ["the", "a", "an", "product", "engineers", "engineering", "stakeholders", "x", "the"];
        let set = WordSet::new(&words);
        for w in words {
            assert!(set.contains(w), "{w}");
        }
        // Same first eight bytes, other lengths; prefixes; the empty word; NUL padding.
        for w in ["", "th", "thee", "engineer", "engineerx", "engineeringx", "stakeholder", "a\0", "product\0", "an "] {
            assert!(!set.contains(w), "{w:?}");
        }
    }
}
