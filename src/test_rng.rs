//! A small deterministic generator for the unit tests' generated inputs (xorshift64):
//! the same sequence on every run and platform, and no dependency for it.

/// A source of numbers below its argument, from the xorshift64 sequence that starts at
/// `seed` (which must not be zero).
pub(crate) fn below(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    }
}
