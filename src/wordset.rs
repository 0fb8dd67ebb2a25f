//! Small fixed sets of words ("the", "our", "engineers", "owns"…) that the reading
//! rules ask about for many words of every statement. `list.contains(&word)` compares
//! the word with each entry in turn, a `memcmp` call for every entry of the same
//! length; a [`WordSet`] answers with one hash of the word's first eight bytes and,
//! nearly always, one probe.

use crate::lexicon::load_le;

/// A slot no word occupies.
const EMPTY: u32 = u32::MAX;

/// Words mapped to `u32` values, built once (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct WordIndex {
    /// Open addressing, linear probing: (first eight bytes, length, value), with a
    /// power-of-two number of slots at least four times the words, so probes are short.
    slots: Vec<(u64, u32, u32)>,
    /// The words, by slot (only read for words longer than eight bytes).
    words: Vec<Box<str>>,
    mask: usize,
}

/// The slot a word's probe starts at: its first eight bytes and length, mixed.
fn start(head: u64, len: usize, mask: usize) -> usize {
    ((head ^ (len as u64).rotate_right(8)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as usize & mask
}

impl WordIndex {
    /// The index of `pairs` (a word given twice keeps its first value).
    pub fn new<'w>(pairs: impl IntoIterator<Item = (&'w str, u32)> + Clone) -> WordIndex {
        let size = (pairs.clone().into_iter().count() * 4).next_power_of_two().max(8);
        let mut index =
            WordIndex { slots: vec![(0, EMPTY, 0); size], words: vec![Box::from(""); size], mask: size - 1 };
        for (w, value) in pairs {
            if index.get(w).is_some() {
                continue;
            }
            let (head, len) = (load_le(w.as_bytes()), w.len());
            let mut i = start(head, len, index.mask);
            while index.slots[i].1 != EMPTY {
                i = (i + 1) & index.mask;
            }
            index.slots[i] = (head, len as u32, value);
            index.words[i] = w.into();
        }
        index
    }

    /// The value of `word`, if it is in the index.
    #[inline]
    pub fn get(&self, word: &str) -> Option<u32> {
        self.get_bytes(word.as_bytes(), load_le(word.as_bytes()))
    }

    /// The value of the word `word`, whose first eight bytes (zero-padded, as
    /// [`load_le`] reads them) the caller already has as `head`.
    #[inline]
    pub fn get_bytes(&self, word: &[u8], head: u64) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let len = word.len();
        let mut i = start(head, len, self.mask);
        loop {
            let (h, l, value) = self.slots[i];
            if l == EMPTY {
                return None;
            }
            // Eight bytes and the length are the whole of a short word.
            if h == head && l as usize == len && (len <= 8 || self.words[i].as_bytes() == word) {
                return Some(value);
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// A set of words, built once from a constant list (see the module docs).
#[derive(Debug, Clone)]
pub struct WordSet(WordIndex);

impl WordSet {
    /// The set of `words`.
    pub fn new(words: &[&str]) -> WordSet {
        WordSet(WordIndex::new(words.iter().map(|&w| (w, 0))))
    }

    /// Whether `word` is in the set.
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        self.0.get(word).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::{WordIndex, WordSet};

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

    #[test]
    fn an_index_gives_each_word_its_first_value() {
        let index = WordIndex::new([("own", 1), ("the", 2), ("stakeholders", 3), ("own", 4)]);
        assert_eq!(index.get("own"), Some(1));
        assert_eq!(index.get("stakeholders"), Some(3));
        assert_eq!(index.get("stakeholder"), None);
        assert_eq!(WordIndex::default().get("own"), None);
    }
}
