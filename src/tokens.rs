//! The words of a normalised posting, found once per posting and shared by the phrase
//! matcher and the context rules.
//!
//! Two word lists come out of one pass, because the two readers cut words slightly
//! differently:
//! - **match words** ([`crate::normalize::is_word_byte`]): letters, digits and non-ASCII
//!   bytes, the units lexicon phrases are made of;
//! - **context words** ([`crate::context::is_word_char`]): the same plus `'`, `[`, `]`
//!   and `&`, so "pm's", "[role]" and "p&l" stay one word for the cue lists.
//!
//! The pass classifies 64 bytes at a time into two bit masks (one bit per byte) and
//! then visits only the bits where a mask changes: the classification is per byte but
//! vectorised (plain comparisons over a fixed-size block, which the compiler turns into
//! vector compares), and the branching work follows the number of words. A
//! byte-at-a-time walk with a table lookup branched at every word boundary, and those
//! mispredicted branches were a large share of reading a posting's layout.

/// Bytes classified per block: one bit each in a `u64` mask.
pub(crate) const BLOCK: usize = 64;

/// A posting's words as byte ranges `(start, end)` of its normalised text, ascending.
#[derive(Debug, Default, Clone)]
pub struct Tokens {
    context: Vec<(u32, u32)>,
    words: Vec<(u32, u32)>,
    /// Per 64-byte block of the text: how many context words start before it, and a
    /// mask of the bytes in it where one starts. The context rules ask for the words of
    /// a window around each hit several times per hit; this answers each ask with a
    /// lookup and a popcount instead of two binary searches, for 16 bytes per block.
    starts: Vec<(u32, u64)>,
}

impl Tokens {
    /// Empty lists.
    pub fn new() -> Self {
        Self::default()
    }

    /// Find the words of `text`, replacing what the lists held.
    pub fn split(&mut self, text: &str) {
        self.context.clear();
        self.words.clear();
        let bytes = text.as_bytes();
        self.starts.clear();
        let mut ctx = Edges::default();
        let mut word = Edges::default();
        let (blocks, rest) = bytes.as_chunks::<BLOCK>();
        let mut base = 0;
        for block in blocks {
            let (w, c) = masks(block);
            word.visit(w, base, &mut self.words);
            self.starts.push((self.context.len() as u32 + ctx.open(), c & !((c << 1) | ctx.carry)));
            ctx.visit(c, base, &mut self.context);
            base += BLOCK;
        }
        // The tail, padded with zero bytes (no word byte), which also closes a word
        // running to the end of the text (the whole block, when the text ends on a
        // block's edge).
        let mut last = [0u8; BLOCK];
        last[..rest.len()].copy_from_slice(rest);
        let (w, c) = masks(&last);
        word.visit(w, base, &mut self.words);
        self.starts.push((self.context.len() as u32 + ctx.open(), c & !((c << 1) | ctx.carry)));
        ctx.visit(c, base, &mut self.context);
    }

    /// The context words that overlap `lo..hi` (byte offsets into the text): the index
    /// range into [`Tokens::context`]. A word cut by `lo` or `hi` is in it; an empty or
    /// inverted window gives an empty range.
    #[inline]
    pub fn context_in(&self, lo: usize, hi: usize) -> std::ops::Range<usize> {
        // The words starting before `lo`, less the one `lo` falls inside, if any.
        let c = self.starting_before(lo);
        let first = if c > 0 && self.context[c - 1].1 as usize > lo { c - 1 } else { c };
        let end = if lo < hi { self.starting_before(hi) } else { first };
        first..end
    }

    /// The 64-byte blocks of the text, each as a mask of the bytes in it where a context
    /// word starts (bit `i` of the `k`-th mask: byte `64 k + i`).
    pub fn context_starts(&self) -> impl Iterator<Item = u64> + '_ {
        self.starts.iter().map(|&(_, mask)| mask)
    }

    /// How many context words start before byte `b` (all of them past the text's end).
    #[inline]
    pub fn starting_before(&self, b: usize) -> usize {
        self.starts.get(b / BLOCK).map_or(self.context.len(), |&(before, starts)| {
            before as usize + (starts & ((1u64 << (b % BLOCK)) - 1)).count_ones() as usize
        })
    }

    /// Words as the context rules read them (see the module docs), ascending.
    pub fn context(&self) -> &[(u32, u32)] {
        &self.context
    }

    /// Words as lexicon phrases are made of them (see the module docs), ascending.
    pub fn words(&self) -> &[(u32, u32)] {
        &self.words
    }
}

/// Whether the word starting at `bytes` begins with one of `prefixes`: four bytes each,
/// as little-endian `u32`s (`u32::from_le_bytes(*b"grow")`). One load and a few
/// comparisons folded into one branch that is almost never taken, so a pass over every
/// word of a posting stays predictable; a word shorter than four bytes brings a
/// non-word byte into its four and never matches.
pub(crate) fn starts_with_any(bytes: &[u8], prefixes: &[u32]) -> bool {
    let Some(four) = bytes.get(..4).and_then(|s| <[u8; 4]>::try_from(s).ok()) else { return false };
    let four = u32::from_le_bytes(four);
    prefixes.iter().fold(false, |any, &p| any | (p == four))
}

/// The state of one word list across blocks: whether the last byte of the previous
/// block was a word byte, and where the word it belongs to started.
#[derive(Default)]
struct Edges {
    carry: u64,
    start: usize,
}

impl Edges {
    /// Push every word that ends in the block whose word-byte mask is `m` and that starts
    /// at text offset `base`; remember a word still open at the block's end.
    #[inline]
    fn visit(&mut self, m: u64, base: usize, out: &mut Vec<(u32, u32)>) {
        // A set bit in `edges` is a byte whose class differs from the byte before it:
        // a word starts there (its bit in `m` is set) or ends there (it is not).
        let mut edges = m ^ ((m << 1) | self.carry);
        while edges != 0 {
            let i = edges.trailing_zeros() as usize;
            if m >> i & 1 == 1 {
                self.start = base + i;
            } else {
                out.push((self.start as u32, (base + i) as u32));
            }
            edges &= edges - 1;
        }
        self.carry = m >> (BLOCK - 1);
    }

    /// 1 while a word runs on from the previous block (it started there but is not
    /// listed until it ends), else 0.
    fn open(&self) -> u32 {
        self.carry as u32
    }
}

/// Offsets of the bytes of `text` for which `class` holds, ascending: found 64 bytes at
/// a time by [`class_mask`], so a pass looking for a few kinds of byte (statement ends)
/// costs little per byte and branches only where one is found.
pub(crate) fn positions<'a>(
    text: &'a [u8],
    class: impl Fn(u8) -> bool + Copy + 'a,
) -> impl Iterator<Item = usize> + 'a {
    let (blocks, rest) = text.as_chunks::<BLOCK>();
    let mut last = [0u8; BLOCK];
    last[..rest.len()].copy_from_slice(rest);
    // The zero padding of the last block is cut off by its length.
    let tail_mask = if rest.is_empty() { 0 } else { class_mask(&last, class) & (u64::MAX >> (BLOCK - rest.len())) };
    blocks.iter().map(move |b| class_mask(b, class)).chain(std::iter::once(tail_mask)).enumerate().flat_map(
        |(k, mut m)| {
            std::iter::from_fn(move || {
                let i = (m != 0).then(|| m.trailing_zeros() as usize)?;
                m &= m - 1;
                Some(k * BLOCK + i)
            })
        },
    )
}

/// The match-word and context-word masks of one block: bit `i` is set when byte `i` is
/// such a word byte. The same classes as [`crate::normalize::WORD_BYTES`] (a test holds
/// them to it), written as comparisons so that they vectorise.
#[inline]
fn masks(block: &[u8; BLOCK]) -> (u64, u64) {
    let word = class_mask(block, |b| {
        b.wrapping_sub(b'a') < 26 || b.wrapping_sub(b'0') < 10 || b.wrapping_sub(b'A') < 26 || b >= 0x80
    });
    let extra = class_mask(block, |b| b == b'\'' || b == b'[' || b == b']' || b == b'&');
    (word, word | extra)
}

/// Bit `i` set when `class(block[i])`. The flags loop is plain comparisons, which the
/// compiler turns into vector compares; the flags are then gathered into the mask 16 at
/// a time by SSE2's `pmovmskb` (part of every x86-64 CPU), or elsewhere eight at a time
/// by one multiplication (see [`gather_flags`]).
#[inline]
pub(crate) fn class_mask(block: &[u8; BLOCK], class: impl Fn(u8) -> bool) -> u64 {
    let mut flags = [0u8; BLOCK];
    for (f, &b) in flags.iter_mut().zip(block.iter()) {
        // 0x80 or 0: the top bit is what `pmovmskb` gathers.
        *f = u8::from(class(b)) << 7;
    }
    gather_flags(&flags)
}

/// The top bit of each of the 64 flag bytes, as one mask (byte `i` → bit `i`).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn gather_flags(flags: &[u8; BLOCK]) -> u64 {
    use std::arch::x86_64::{_mm_movemask_epi8, _mm_set_epi64x};
    let (sixteens, _) = flags.as_chunks::<16>();
    let mut m = 0u64;
    for (k, s) in sixteens.iter().enumerate() {
        let lo = i64::from_le_bytes(s[..8].try_into().unwrap_or_default());
        let hi = i64::from_le_bytes(s[8..].try_into().unwrap_or_default());
        // SAFETY: both intrinsics need only SSE2, which the cfg on this function
        // guarantees (it is part of every x86-64 target's baseline).
        let bits = unsafe { _mm_movemask_epi8(_mm_set_epi64x(hi, lo)) } as u32 as u64;
        m |= bits << (16 * k);
    }
    m
}

/// The top bit of each of the 64 flag bytes, eight at a time by one multiplication,
/// which puts byte `j`'s bit at bit `j` of the product's top byte (no two partial
/// products meet there, so nothing carries).
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn gather_flags(flags: &[u8; BLOCK]) -> u64 {
    gather_flags_by_multiply(flags)
}

/// [`gather_flags`] without SIMD: the fallback elsewhere, and a check on x86-64.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
#[inline]
fn gather_flags_by_multiply(flags: &[u8; BLOCK]) -> u64 {
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let (eights, _) = flags.as_chunks::<8>();
    let mut m = 0u64;
    for (k, e) in eights.iter().enumerate() {
        m |= ((u64::from_le_bytes(*e) >> 7).wrapping_mul(GATHER) >> 56) << (8 * k);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::Tokens;
    use crate::context::{is_word_char, word_ranges};
    use crate::normalize::is_word_byte;

    #[test]
    fn word_windows_by_block_index_match_a_search() {
        // Words of every length across block edges, including words that span one.
        let mut text = String::new();
        for n in 1..90 {
            text.push_str(&"w".repeat(n % 70 + 1));
            text.push_str(if n % 3 == 0 { " - " } else { " " });
        }
        let mut tokens = Tokens::new();
        tokens.split(&text);
        let ctx = tokens.context();
        for lo in 0..=text.len() + 2 {
            for hi in [lo, lo + 1, lo + 7, lo + 64, lo + 200, text.len() + 5] {
                let first = ctx.partition_point(|&(_, e)| (e as usize) <= lo);
                let end = if lo < hi { ctx.partition_point(|&(s, _)| (s as usize) < hi) } else { first };
                assert_eq!(tokens.context_in(lo, hi), first..end, "{lo}..{hi}");
            }
        }
    }

    #[test]
    fn both_flag_gatherers_agree() {
        let mut next = crate::test_rng::below(0x2545_f491_4f6c_dd1d);
        for _ in 0..1000 {
            let mut flags = [0u8; super::BLOCK];
            for f in &mut flags {
                *f = if next(4) == 0 { 0x80 } else { 0 };
            }
            let want = flags.iter().enumerate().fold(0u64, |m, (i, &f)| m | (u64::from(f >> 7) << i));
            assert_eq!(super::gather_flags(&flags), want);
            assert_eq!(super::gather_flags_by_multiply(&flags), want);
        }
    }

    /// Runs of bytes that satisfy `class`, by a plain walk.
    fn runs(text: &[u8], class: fn(u8) -> bool) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < text.len() {
            if !class(text[i]) {
                i += 1;
                continue;
            }
            let s = i;
            while i < text.len() && class(text[i]) {
                i += 1;
            }
            out.push((s as u32, i as u32));
        }
        out
    }

    fn check(text: &str) {
        let mut t = Tokens::new();
        t.split(text);
        assert_eq!(t.words(), runs(text.as_bytes(), is_word_byte), "match words of {text:?}");
        assert_eq!(t.context(), runs(text.as_bytes(), is_word_char), "context words of {text:?}");
        let walked: Vec<(u32, u32)> =
            word_ranges(text.as_bytes(), 0, text.len()).map(|(s, e)| (s as u32, e as u32)).collect();
        assert_eq!(t.context(), walked, "context words of {text:?} as the context rules walk them");
    }

    #[test]
    fn block_masks_classify_every_byte_value_like_the_table() {
        // All 256 byte values in four blocks (including the non-ASCII bytes, which no
        // `&str` can hold on their own).
        for block in 0..4u8 {
            let bytes: [u8; super::BLOCK] = std::array::from_fn(|i| block * 64 + i as u8);
            let (word, context) = super::masks(&bytes);
            for (i, &b) in bytes.iter().enumerate() {
                assert_eq!(word >> i & 1 == 1, is_word_byte(b), "match-word class of byte {b}");
                assert_eq!(context >> i & 1 == 1, is_word_char(b), "context-word class of byte {b}");
            }
        }
    }

    #[test]
    fn every_byte_class_and_block_edge_splits_like_a_byte_walk() {
        // Each ASCII byte value between words (the masks test covers every value).
        for b in 0..=255u8 {
            let mut v = b"ab ".to_vec();
            v.push(b);
            v.extend_from_slice(b"cd");
            v.push(b);
            if let Ok(s) = std::str::from_utf8(&v) {
                check(s);
            }
        }
        // Words and separators across block edges: lengths around 64 and 128, a word
        // ending exactly at a block's end and at the text's end.
        for n in [0, 1, 62, 63, 64, 65, 127, 128, 129, 200] {
            check(&"x".repeat(n));
            check(&format!("{} y", "x".repeat(n)));
            check(&format!("{}z", " ".repeat(n)));
            check(&format!("{} ", "x".repeat(n)));
        }
        check("the pm's [role] owns p&l, roadmap—and the backlog; you'll café-work… ok");
    }

    #[test]
    fn positions_find_every_byte_of_a_class() {
        let class = |b: u8| b == b'.' || b == b'\n';
        for n in [0, 1, 5, 63, 64, 65, 128, 130] {
            // A class byte at every third offset, and the zero padding never counted
            // (zero is in no class here, but a class that held it must not see padding).
            let text: Vec<u8> = (0..n).map(|i| if i % 3 == 0 { b'.' } else { b'a' }).collect();
            let want: Vec<usize> = (0..n).filter(|&i| class(text[i])).collect();
            assert_eq!(super::positions(&text, class).collect::<Vec<_>>(), want, "{n} bytes");
            let zeros = vec![0u8; n];
            assert_eq!(super::positions(&zeros, |b| b == 0).count(), n, "{n} zero bytes");
        }
    }

    #[test]
    fn reusing_the_lists_forgets_the_last_text() {
        let mut t = Tokens::new();
        t.split("one two three");
        t.split("four");
        assert_eq!(t.words(), &[(0, 4)]);
        assert_eq!(t.context(), &[(0, 4)]);
        t.split("");
        assert!(t.words().is_empty() && t.context().is_empty());
    }
}
