//! Text normalisation: scraped postings arrive as HTML, markdown or plain text with
//! curly quotes, odd dashes and hard-wrapped lines. Matching works on one folded form:
//! lowercase, tags and entities gone, hyphens and slashes between words turned into
//! spaces ("go-to-market" = "go to market", "PM/PO" = "pm po"), whitespace collapsed,
//! and a `\n` wherever a new line of meaning starts (paragraph, bullet, heading, block
//! tag). Every output byte remembers the input byte it came from, so evidence can be
//! reported at the line and column the user wrote it.

/// A tag longer than this is not a tag but a stray `<` in the text.
const MAX_TAG_LEN: usize = 1024;
/// An HTML comment longer than this is treated as text (unterminated `<!--`).
const MAX_COMMENT_LEN: usize = 64 * 1024;
/// A single newline is a soft wrap (a space) only after a line at least this long
/// that ends without punctuation and before a line that starts in lowercase.
const SOFT_WRAP_MIN_LINE: usize = 40;
/// Only the first bytes are sniffed to decide whether input is HTML.
const HTML_SNIFF_BYTES: usize = 64 * 1024;

/// Tags after which a new line of meaning starts.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "body",
    "html",
    "head",
];
/// Longer than every name in [`BLOCK_TAGS`], [`INLINE_TAGS`], "script" and "style".
const MAX_KNOWN_TAG_LEN: usize = 16;

/// Tags that only format a run of text and so join words without a space.
const INLINE_TAGS: &[&str] =
    &["a", "abbr", "b", "code", "em", "font", "i", "mark", "s", "small", "span", "strong", "sub", "sup", "u"];

/// The folded text and, for each of its bytes, the offset of the input byte it
/// came from. Reused across postings to avoid reallocating.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    /// Lowercase folded text; `\n` separates lines of meaning.
    pub text: String,
    /// `origin[i]` is the input byte offset that produced `text.as_bytes()[i]`.
    pub origin: Vec<u32>,
    /// Whether the input was read as HTML.
    pub html: bool,
}

impl Normalized {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    fn clear(&mut self) {
        self.text.clear();
        self.origin.clear();
        self.html = false;
    }

    /// The input byte offset of output byte `i` (the input's end for `i == len`).
    pub fn origin_of(&self, i: usize) -> usize {
        self.origin
            .get(i)
            .map(|&o| o as usize)
            .unwrap_or_else(|| self.origin.last().map(|&o| o as usize + 1).unwrap_or(0))
    }
}

/// Whether the text looks like scraped HTML rather than prose that mentions `<`.
pub fn looks_like_html(src: &str) -> bool {
    let head = &src.as_bytes()[..src.len().min(HTML_SNIFF_BYTES)];
    let lower = |i: usize| head.get(i).map(|b| b.to_ascii_lowercase());
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &head[i..]) {
        let at = i + p;
        let starts = |s: &[u8]| s.iter().enumerate().all(|(k, &c)| lower(at + 1 + k) == Some(c));
        if starts(b"/")
            || starts(b"br")
            || starts(b"p>")
            || starts(b"p ")
            || starts(b"div")
            || starts(b"li>")
            || starts(b"ul>")
            || starts(b"!doctype")
            || starts(b"html")
            || starts(b"h1")
            || starts(b"h2")
            || starts(b"h3")
            || starts(b"strong")
            || starts(b"span")
            || starts(b"table")
        {
            return true;
        }
        i = at + 1;
    }
    false
}

/// Fold `src` into `out` (cleared first). Never fails: any input yields some text.
pub fn normalize_into(src: &str, out: &mut Normalized) {
    fold_into(src, out, false);
}

/// Like [`normalize_into`] but keeping the writer's capitals: the readable text of an
/// HTML posting, for reports. Offsets map back to the input the same way.
pub fn display_into(src: &str, out: &mut Normalized) {
    fold_into(src, out, true);
}

fn fold_into(src: &str, out: &mut Normalized, keep_case: bool) {
    fold_as(src, out, keep_case, looks_like_html(src));
}

/// Fold `src`, read as HTML when `html` (a piece of an HTML posting need not look like
/// HTML on its own).
fn fold_as(src: &str, out: &mut Normalized, keep_case: bool, html: bool) {
    fold_with(src, out, keep_case, html, true);
}

/// [`fold_as`], with `fast` false reading every byte on the slow path (the fast path's
/// reference in tests).
fn fold_with(src: &str, out: &mut Normalized, keep_case: bool, html: bool, fast: bool) {
    out.clear();
    out.html = html;
    let mut f = Folder {
        out,
        keep_case,
        pending_space: false,
        pending_break: false,
        at_line_start: true,
        line_len: 0,
        comment_ends: None,
        next_gt: None,
    };
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'<' && f.out.html {
            if let Some(next) = f.skip_tag(src, i) {
                i = next;
                continue;
            }
        }
        if b == b'\n' {
            i = f.newline(src, i);
            continue;
        }
        // Fast path: most text is runs of words and common punctuation that fold to
        // themselves (lowercased), copied in bulk; `plain_run_end` says which bytes the
        // slow path below would also just copy. A run may open with a capital only
        // where the slow path could not read it as glued to the word before. It may open
        // a line too: `emit` writes the pending break before the first byte, as it does
        // on the slow path (a digit there may be a numbered bullet, and is read below).
        let opens_run = b.is_ascii_lowercase()
            || b.is_ascii_digit() && !f.at_line_start
            || b.is_ascii_uppercase() && (f.pending_space || !f.last().is_some_and(|l| l.is_ascii_lowercase()));
        if fast && opens_run {
            // The run goes on over single spaces between words: the slow path would
            // hold the space as pending and write it at the next letter's offset, so
            // that is the origin the space gets here too.
            let (end, spaces) = plain_run_end(bytes, i + 1);
            let first = if f.keep_case { b } else { b.to_ascii_lowercase() };
            f.emit(first as char, i); // flushes a pending space and clears the line-start state
            let from = f.out.text.len();
            f.out.text.push_str(&src[i + 1..end]);
            if !f.keep_case {
                f.out.text[from..].make_ascii_lowercase();
            }
            // Extended from an iterator of known length: written once, with no zero fill
            // first, and the loop vectorises.
            let base = i as u32 + 1;
            let run = &bytes[i + 1..end];
            f.out.origin.extend(run.iter().enumerate().map(|(k, &x)| base + k as u32 + u32::from(x == b' ')));
            f.line_len += end - i - 1 - spaces;
            i = end;
            continue;
        }
        let (c, len) = if b == b'&' {
            decode_entity(&bytes[i..]).unwrap_or(('&', 1))
        } else if b < 0x80 {
            (b as char, 1)
        } else {
            let c = src[i..].chars().next().unwrap_or('\u{fffd}');
            (c, c.len_utf8())
        };
        if f.at_line_start && c.is_ascii_digit() {
            if let Some(skip) = numbered_bullet(&bytes[i..]) {
                f.pending_break = true;
                i += skip;
                continue;
            }
        }
        f.fold(c, i, src, i + len);
        i += len;
    }
}

/// The end of the run that continues at `from` and that the slow path of [`fold_as`]
/// would copy byte for byte (lowercased): lowercase letters and digits; single spaces
/// before a letter or digit; a capital after such a space or after another capital
/// (where it cannot be glued to the word before); and punctuation the slow path emits
/// as itself (`RUN_PUNCTUATION`) before a space or a lowercase letter (so no glued
/// heading or sentence end, which the slow path splits). Also the number of those spaces.
///
/// Read 64 bytes at a time as bit masks ([`crate::tokens::class_mask`]). A byte at a
/// window's edge cannot see its neighbour in the next window, nor the space before it
/// in the previous one, so a space or punctuation on the last byte or a capital after a
/// space on the first ends the run early; the caller then reads that byte on its slow
/// path, which gives the same output.
fn plain_run_end(bytes: &[u8], from: usize) -> (usize, usize) {
    const W: usize = crate::tokens::BLOCK;
    let mut at = from;
    let mut spaces = 0;
    let mut pad = [0u8; W];
    loop {
        let window: &[u8; W] = match bytes.get(at..at + W).and_then(|w| w.try_into().ok()) {
            Some(w) => w,
            None => {
                let rest = &bytes[at.min(bytes.len())..];
                pad.fill(0);
                pad[..rest.len()].copy_from_slice(rest);
                &pad
            }
        };
        let plain = crate::tokens::class_mask(window, |x| x.wrapping_sub(b'a') < 26 || x.wrapping_sub(b'0') < 10);
        let upper = crate::tokens::class_mask(window, |x| x.wrapping_sub(b'A') < 26);
        let space = crate::tokens::class_mask(window, |x| x == b' ');
        let joins = space & ((plain | upper) >> 1);
        // A capital after a joining space, or after another capital ("API", "SaaS"):
        // the slow path reads a capital as glued only after a lowercase letter. Bit 0's
        // neighbour is the byte before the window, the run's last byte.
        let upper_before = (upper << 1) | u64::from(at > 0 && bytes[at - 1].is_ascii_uppercase());
        let capitals = upper & ((joins << 1) | upper_before);
        let mut copied = plain | joins | capitals;
        // Punctuation is rare, so it is read where the run stops rather than by a mask
        // of its own for every window.
        let run = loop {
            let run = copied.trailing_ones() as usize;
            let (Some(&x), Some(&next)) = (window.get(run), window.get(run + 1)) else { break run };
            if !(is_run_punctuation(x) && (next == b' ' || next.is_ascii_lowercase())) {
                break run;
            }
            copied |= 1 << run;
        };
        spaces += (joins & low_bits(run)).count_ones() as usize;
        at += run;
        if run < W || at >= bytes.len() {
            return (at.min(bytes.len()), spaces);
        }
    }
}

/// Punctuation that [`Folder::fold`] emits as itself, unless glued to a capital or a
/// digit after it, which [`plain_run_end`] never lets into a run.
#[cfg(test)]
const RUN_PUNCTUATION: &[u8] = b",.;:!?()'\"%";

/// Whether `x` is in `RUN_PUNCTUATION`.
#[inline]
fn is_run_punctuation(x: u8) -> bool {
    (x == b',')
        | (x == b'.')
        | (x == b';')
        | (x == b':')
        | (x == b'!')
        | (x == b'?')
        | (x == b'(')
        | (x == b')')
        | (x == b'\'')
        | (x == b'"')
        | (x == b'%')
}

/// A mask of the lowest `n` bits (`n` ≤ 64).
fn low_bits(n: usize) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

/// Byte length of a "12. " / "3) " list marker at `s`, if there is one.
fn numbered_bullet(s: &[u8]) -> Option<usize> {
    let digits = s.iter().take(3).take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    match (s.get(digits), s.get(digits + 1)) {
        (Some(b'.' | b')'), Some(b' ' | b'\t')) => Some(digits + 2),
        _ => None,
    }
}

/// A lowercase word glued to a capitalised one ("projectsExperience") is two list items
/// whose break was lost when it is at least this long; shorter prefixes are names
/// ("eBay", "iPhone").
const GLUED_MIN_WORD: usize = 3;
/// How far back a glued word is read: a longer run of lowercase letters is no word.
const GLUED_RUN_LOOKBACK: usize = 40;

struct Folder<'a> {
    out: &'a mut Normalized,
    /// Keep capitals (display text) instead of lowercasing (matching text).
    keep_case: bool,
    pending_space: bool,
    pending_break: bool,
    at_line_start: bool,
    /// Bytes emitted since the last hard break.
    line_len: usize,
    /// Offsets of every `-->` in the input, listed at the first `<!--`.
    comment_ends: Option<Vec<u32>>,
    /// The first `>` at or after an offset (None: there is none), from the last search.
    next_gt: Option<(usize, Option<usize>)>,
}

impl Folder<'_> {
    fn last(&self) -> Option<u8> {
        self.out.text.as_bytes().last().copied()
    }

    fn push_byte(&mut self, b: u8, origin: usize) {
        // Only ASCII goes through here, so the String stays valid UTF-8.
        debug_assert!(b.is_ascii());
        self.out.text.push(b as char);
        self.out.origin.push(origin as u32);
    }

    /// Emit one visible char, first flushing a pending break or space.
    fn emit(&mut self, c: char, origin: usize) {
        if self.pending_break && !self.out.text.is_empty() && self.last() != Some(b'\n') {
            if self.last() == Some(b' ') {
                self.out.text.pop();
                self.out.origin.pop();
            }
            self.push_byte(b'\n', origin);
            self.line_len = 0;
        } else if self.pending_space && !matches!(self.last(), None | Some(b' ' | b'\n')) {
            self.push_byte(b' ', origin);
        }
        self.pending_break = false;
        self.pending_space = false;
        self.at_line_start = false;
        if c.is_ascii() {
            self.push_byte(c as u8, origin);
            self.line_len += 1;
        } else if self.keep_case {
            let before = self.out.text.len();
            self.out.text.push(c);
            let n = self.out.text.len() - before;
            self.out.origin.extend(std::iter::repeat_n(origin as u32, n));
            self.line_len += n;
        } else {
            for l in c.to_lowercase() {
                let before = self.out.text.len();
                self.out.text.push(l);
                let n = self.out.text.len() - before;
                self.out.origin.extend(std::iter::repeat_n(origin as u32, n));
                self.line_len += n;
            }
        }
    }

    fn hard_break(&mut self) {
        self.pending_break = true;
        self.at_line_start = true;
    }

    /// Fold one decoded char found at input offset `at`; `next` is the offset after it.
    fn fold(&mut self, c: char, at: usize, src: &str, next: usize) {
        match c {
            'A'..='Z' => {
                // Scraped text often loses the break between list items or sentences:
                // "platformDefine new products". A capital between lowercase letters
                // starts a new word there.
                let glued = self.last().is_some_and(|b| b.is_ascii_lowercase())
                    && !self.pending_space
                    && src[next..].starts_with(|n: char| n.is_ascii_lowercase())
                    && src[..at].ends_with(|p: char| p.is_ascii_lowercase());
                if glued {
                    // When the word before is a plain lowercase word ("projectsExperience",
                    // not "PowerPoint" or "iPhone"), the lost break was between two list
                    // items or sentences: keep them apart as statements too.
                    let before = &src.as_bytes()[..at];
                    let run =
                        before.iter().rev().take(GLUED_RUN_LOOKBACK).take_while(|b| b.is_ascii_lowercase()).count();
                    let word_start = before.len() - run;
                    let plain_word = (GLUED_MIN_WORD..GLUED_RUN_LOOKBACK).contains(&run)
                        && (word_start == 0 || !before[word_start - 1].is_ascii_alphanumeric());
                    if plain_word {
                        self.hard_break();
                    } else {
                        self.pending_space = true;
                    }
                }
                self.emit(if self.keep_case { c } else { c.to_ascii_lowercase() }, at)
            }
            '.' | '!' | '?' | ';' => {
                // "…banking.Upgrade has been named…", "(… and so on).Nice to have": a sentence
                // end glued to the next sentence still ends the sentence. A capital
                // after a word or a closing bracket, not after an initial ("U.S.").
                self.emit(c, at);
                let glued = src[..at].ends_with(|p: char| p.is_ascii_lowercase() || p == ')')
                    && src[next..].starts_with(|n: char| n.is_ascii_uppercase());
                if glued {
                    self.pending_space = true;
                }
            }
            ':' => {
                // "Responsibilities:Own the roadmap…", "requirements:5+ years": a
                // heading glued to its first item is still a heading. Not "10:30" or
                // "https://".
                self.emit(c, at);
                let glued = src[..at].ends_with(|p: char| p.is_ascii_lowercase())
                    && src[next..].starts_with(|n: char| n.is_ascii_uppercase() || n.is_ascii_digit());
                if glued {
                    self.pending_space = true;
                }
            }
            'a'..='z' | '0'..='9' => self.emit(c, at),
            ' ' | '\t' | '\r' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
                self.pending_space = true
            }
            '\n' | '\u{2028}' | '\u{2029}' => self.hard_break(),
            '\u{200b}'..='\u{200d}' | '\u{feff}' | '\u{ad}' | '\u{2060}' => {}
            // Display text keeps the writer's quotes, dashes and ellipses as written.
            '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{2032}' | '\u{02bc}' | '`' | '\u{b4}' | '\u{201c}'
            | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}' | '\u{bb}' | '\u{2026}'
                if self.keep_case =>
            {
                self.emit(c, at)
            }
            '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{2032}' | '\u{02bc}' | '`' | '\u{b4}' => self.emit('\'', at),
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}' | '\u{bb}' => self.emit('"', at),
            '-' | '/' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => {
                let between_words = self.last().is_some_and(is_word_byte)
                    && !self.pending_space
                    && src[next..].chars().next().is_some_and(|n| n.is_alphanumeric());
                if between_words && self.keep_case {
                    self.emit(c, at); // "E-commerce" is shown as written
                } else if between_words {
                    // "go-to-market", "PM/PO", "long–term": one phrase, words apart.
                    self.pending_space = true;
                } else if self.at_line_start && c != '/' {
                    self.hard_break(); // a "- " bullet
                } else {
                    self.emit(if c == '/' { '/' } else { '-' }, at);
                }
            }
            '\u{2022}' | '\u{25e6}' | '\u{25aa}' | '\u{25cf}' | '\u{b7}' | '\u{2023}' | '\u{2043}' | '\u{25a0}'
            | '\u{2219}' | '\u{27a2}' | '\u{2713}' | '\u{2714}' => self.hard_break(),
            '*' | '#' | '_' | '|' => {
                if self.at_line_start {
                    self.hard_break(); // markdown bullet or heading marker
                } else {
                    self.pending_space = true; // **bold**, table cell, snake_case
                }
            }
            '\u{2026}' => self.emit('.', at),
            c if c.is_control() => self.pending_space = true,
            c => self.emit(c, at),
        }
    }

    /// Handle a `\n` at `at`; return the offset to continue from.
    fn newline(&mut self, src: &str, at: usize) -> usize {
        let bytes = src.as_bytes();
        let mut j = at;
        let mut newlines = 0;
        while j < bytes.len() && matches!(bytes[j], b'\n' | b'\r' | b' ' | b'\t') {
            newlines += usize::from(bytes[j] == b'\n');
            j += 1;
        }
        if self.out.html {
            self.pending_space = true;
            return j;
        }
        let next_lower = bytes.get(j).is_some_and(|b| b.is_ascii_lowercase());
        let ends_sentence = matches!(self.last(), Some(b'.' | b':' | b';' | b'!' | b'?'));
        let soft = newlines == 1 && self.line_len >= SOFT_WRAP_MIN_LINE && !ends_sentence && next_lower;
        if soft {
            self.pending_space = true;
        } else {
            self.hard_break();
        }
        j
    }

    /// Skip the tag starting at `at` (a `<`); `None` if it is not a tag.
    fn skip_tag(&mut self, src: &str, at: usize) -> Option<usize> {
        let rest = &src.as_bytes()[at..];
        let second = *rest.get(1)?;
        if !(second.is_ascii_alphabetic() || matches!(second, b'/' | b'!' | b'?')) {
            return None;
        }
        if rest.starts_with(b"<!--") {
            // The first "-->" at or after the opening, if it ends within MAX_COMMENT_LEN:
            // from one list of every "-->" made on the first comment, so a run of
            // unterminated openings costs a binary search each, not a window scan each.
            let ends = self
                .comment_ends
                .get_or_insert_with(|| memchr::memmem::find_iter(src.as_bytes(), b"-->").map(|p| p as u32).collect());
            let i = ends.partition_point(|&p| (p as usize) < at);
            let end = *ends.get(i)? as usize;
            if end + 3 > at + rest.len().min(MAX_COMMENT_LEN) {
                return None;
            }
            self.pending_space = true;
            return Some(end + 3);
        }
        // The next '>' is remembered: a run of '<' without one ("<a<a<a…") would otherwise
        // scan MAX_TAG_LEN bytes per '<'.
        let next_gt = match self.next_gt {
            Some((from, found)) if from <= at && found.is_none_or(|p| p >= at) => found,
            _ => {
                let found = memchr::memchr(b'>', rest).map(|p| at + p);
                self.next_gt = Some((at, found));
                found
            }
        };
        let close = next_gt? - at;
        if close >= MAX_TAG_LEN {
            return None;
        }
        let name_start = if second == b'/' { 2 } else { 1 };
        let name_len = rest[name_start..close].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        // Lowercased on the stack: this runs for every tag of an HTML posting. A name
        // longer than any tag we know is read as an unknown tag (empty here).
        let mut buf = [0u8; MAX_KNOWN_TAG_LEN];
        let name = match buf.get_mut(..name_len) {
            Some(lower) => {
                lower.copy_from_slice(&rest[name_start..name_start + name_len]);
                lower.make_ascii_lowercase();
                std::str::from_utf8(lower).unwrap_or_default() // ASCII alphanumerics
            }
            None => "",
        };
        let after = at + close + 1;
        if second != b'/' && (name == "script" || name == "style") {
            // Skip the element's body: code and CSS are not posting text. Like any other
            // tag it still parts the words on either side ("own<script>…</script>the").
            self.pending_space = true;
            let closing = format!("</{name}");
            let body = &src.as_bytes()[after..];
            return Some(match find_ci(body, closing.as_bytes()) {
                Some(p) => after + p + memchr::memchr(b'>', &body[p..]).map_or(body.len() - p, |q| q + 1),
                None => src.len(),
            });
        }
        if BLOCK_TAGS.contains(&name) {
            self.hard_break();
        } else if !INLINE_TAGS.contains(&name) {
            self.pending_space = true;
        }
        Some(after)
    }
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether `b` can be part of a word: ASCII letters and digits, and any byte of a
/// non-ASCII character (accented letters).
pub fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[b as usize] & WORD_BYTE != 0
}

/// [`WORD_BYTES`] flag: the byte can be part of a word ([`is_word_byte`]).
pub(crate) const WORD_BYTE: u8 = 1;
/// [`WORD_BYTES`] flag: a lowercase ASCII letter or a digit, which the normaliser copies
/// as it is.
const PLAIN_BYTE: u8 = 4;
/// [`WORD_BYTES`] flag: the byte is part of a word as the context rules read words
/// (`context::is_word_char`): word bytes plus `'`, `[`, `]` and `&`.
pub(crate) const CONTEXT_WORD_BYTE: u8 = 2;

/// Byte classes by table lookup: the word walks test every byte of a posting, and one
/// load beats a chain of range comparisons there.
pub(crate) static WORD_BYTES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_lowercase() || b.is_ascii_digit() {
            t[i] = WORD_BYTE | CONTEXT_WORD_BYTE | PLAIN_BYTE;
        } else if b.is_ascii_alphanumeric() || b >= 0x80 {
            t[i] = WORD_BYTE | CONTEXT_WORD_BYTE;
        } else if b == b'\'' || b == b'[' || b == b']' || b == b'&' {
            t[i] = CONTEXT_WORD_BYTE;
        }
        i += 1;
    }
    t
};

/// Decode an HTML entity at the start of `s` (which begins with `&`).
fn decode_entity(s: &[u8]) -> Option<(char, usize)> {
    let end = s.iter().take(12).position(|&b| b == b';')?;
    let body = std::str::from_utf8(&s[1..end]).ok()?;
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code).unwrap_or('\u{fffd}')
    } else {
        named_entity(body)?
    };
    Some((c, end + 1))
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" | "rsquo" | "lsquo" | "prime" => '\'',
        "ldquo" | "rdquo" | "bdquo" | "laquo" | "raquo" => '"',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "ndash" | "mdash" | "minus" | "hyphen" => '\u{2013}',
        "hellip" => '\u{2026}',
        "bull" | "middot" => '\u{2022}',
        "copy" => '\u{a9}',
        "reg" => '\u{ae}',
        "trade" => '\u{2122}',
        "shy" | "zwj" | "zwnj" => '\u{ad}',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "agrave" => 'à',
        "uuml" => 'ü',
        "ouml" => 'ö',
        "auml" => 'ä',
        "ccedil" => 'ç',
        "euro" => '€',
        "pound" => '£',
        _ => return None,
    })
}

/// A piece of a posting as its reader sees it: for HTML (`html`), tags removed (a block
/// tag is a space) and entities decoded; whitespace collapsed to single spaces; letters,
/// hyphens and quotes as written. Evidence phrases and snippets are cut from the input
/// with this.
pub fn readable_fragment(src: &str, html: bool) -> String {
    let mut out = Normalized::new();
    fold_as(src, &mut out, true, html);
    out.text.replace('\n', " ").trim().to_string()
}

/// Fold a piece of a posting (read as HTML when `html`) as the matcher sees it.
pub fn normalize_fragment(src: &str, html: bool) -> String {
    let mut out = Normalized::new();
    fold_as(src, &mut out, false, html);
    out.text.replace('\n', " ").trim().to_string()
}

/// Normalise a lexicon phrase exactly as posting text is normalised, so both sides
/// of a match agree on hyphens, quotes and case.
pub fn normalize_phrase(phrase: &str) -> String {
    let mut out = Normalized::new();
    normalize_into(phrase, &mut out);
    out.text.replace('\n', " ").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The run as a byte walk reads it (see [`plain_run_end`]), the byte before `from`
    /// included in the run.
    fn walked_run(bytes: &[u8], from: usize) -> (usize, usize) {
        let plain = |x: u8| WORD_BYTES[x as usize] & PLAIN_BYTE != 0;
        let (mut end, mut spaces) = (from, 0);
        while end < bytes.len() {
            let next = bytes.get(end + 1).copied().unwrap_or(0);
            let x = bytes[end];
            let continues = plain(x)
                || x == b' ' && (plain(next) || next.is_ascii_uppercase())
                || x.is_ascii_uppercase() && end > from && bytes[end - 1] == b' '
                || x.is_ascii_uppercase() && end > 0 && bytes[end - 1].is_ascii_uppercase()
                || RUN_PUNCTUATION.contains(&x) && (next == b' ' || next.is_ascii_lowercase());
            if !continues {
                break;
            }
            spaces += usize::from(x == b' ');
            end += 1;
        }
        (end, spaces)
    }

    #[test]
    fn plain_runs_read_by_block_match_the_byte_walk() {
        // Every run length around the 64-byte window, ended by each kind of byte, and a
        // space, a capital or punctuation on each side of a window's edge (where the
        // block read stops early).
        for n in 0..140 {
            for body in ["ab cd", "ab Cd", "ab, cd", "a. Bc d", "API SaaS aB"] {
                for tail in ["", ".", " ", " x", "  x", "X", "-x", "é", ",", ", x", ":5", ".X"] {
                    let text = format!("{}{tail}", body.repeat(n).chars().take(n).collect::<String>());
                    let b = text.as_bytes();
                    for from in [0, 1, 63, 64, 65].into_iter().filter(|&f| f <= b.len()) {
                        let (want_end, want_spaces) = walked_run(b, from);
                        // Block reads from where the last one stopped: each early stop is
                        // at a window's edge, and the slow path reads that one byte.
                        let (mut at, mut spaces) = (from, 0);
                        loop {
                            let (end, sp) = plain_run_end(b, at);
                            spaces += sp;
                            if end >= want_end {
                                assert_eq!((end, spaces), (want_end, want_spaces), "{text:?} from {from}");
                                break;
                            }
                            let edge = (end - at) % 64;
                            assert!(
                                edge == 63 && (b[end] == b' ' || RUN_PUNCTUATION.contains(&b[end]))
                                    || edge == 0 && b[end].is_ascii_uppercase(),
                                "{text:?} from {from}: stopped at {end} inside a window"
                            );
                            spaces += usize::from(b[end] == b' ');
                            at = end + 1;
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn run_punctuation_is_one_set() {
        for x in 0..=255u8 {
            assert_eq!(is_run_punctuation(x), RUN_PUNCTUATION.contains(&x), "byte {x}");
        }
    }

    /// The fast path copies exactly what the byte-by-byte slow path writes: the same
    /// text, origins and HTML flag, in both cases, on texts mixing every kind of byte
    /// the fast path treats specially.
    #[test]
    fn fast_path_folds_as_the_slow_path() {
        const PIECES: &[&str] = &[
            "own",
            "the",
            "Roadmap",
            "PM",
            "iPhone",
            "McKinsey",
            " ",
            "  ",
            ", ",
            ".",
            ". ",
            ":",
            ": ",
            ":5",
            "10:30",
            ";",
            "!",
            "?",
            "(",
            ")",
            "'s",
            "\"",
            "%",
            "-",
            "/",
            "\n",
            "\n\n",
            "\t",
            "*",
            "1. ",
            "é",
            "É",
            "&amp;",
            "<b>",
            "<p>",
            "X",
            "x",
            "4",
            "https://x.io",
            "U.S.",
            "(e.g. ",
            "projectsExperience",
            "Responsibilities:Own",
            "API",
            "SaaS",
            "B2B",
            "- ",
            "\n- ",
            "\u{2022} ",
            "A",
        ];
        let mut next = crate::test_rng::below(0x9e37_79b9_7f4a_7c15);
        for round in 0..3000 {
            let len = 1 + next(60);
            let text: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            for (keep_case, html) in [(false, false), (true, false), (false, true), (true, true)] {
                let (mut fast, mut slow) = (Normalized::new(), Normalized::new());
                fold_with(&text, &mut fast, keep_case, html, true);
                fold_with(&text, &mut slow, keep_case, html, false);
                assert_eq!(fast.text, slow.text, "round {round}: {text:?} keep_case {keep_case} html {html}");
                assert_eq!(fast.origin, slow.origin, "round {round}: {text:?} keep_case {keep_case} html {html}");
            }
        }
    }

    #[test]
    fn plain_words_normalise_to_themselves_across_window_edges() {
        // Lowercase words and single spaces come out as they went in, whichever path
        // reads them: a space on a 64-byte window's last byte goes to the slow path.
        // Each byte's origin is its own offset, a space's the next letter's.
        for word_len in 1..9 {
            for n in [60, 63, 64, 65, 127, 128, 130, 200] {
                let word = "abcdefgh"[..word_len].to_string();
                let mut text = String::new();
                while text.len() < n {
                    text.push_str(&word);
                    text.push(' ');
                }
                let text = text.trim_end().to_string();
                let mut norm = Normalized::new();
                normalize_into(&text, &mut norm);
                assert_eq!(norm.text, text, "{word_len}-letter words, {n} bytes");
                let want: Vec<u32> =
                    text.bytes().enumerate().map(|(i, b)| if b == b' ' { i as u32 + 1 } else { i as u32 }).collect();
                assert_eq!(norm.origin, want, "origins of {word_len}-letter words, {n} bytes");
            }
        }
    }

    #[test]
    fn byte_table_matches_the_word_rules() {
        for b in 0..=255u8 {
            assert_eq!(is_word_byte(b), b.is_ascii_alphanumeric() || b >= 0x80, "byte {b}");
            let plain = b.is_ascii_lowercase() || b.is_ascii_digit();
            assert_eq!(WORD_BYTES[b as usize] & PLAIN_BYTE != 0, plain, "byte {b}");
            let context = is_word_byte(b) || matches!(b, b'\'' | b'[' | b']' | b'&');
            assert_eq!(crate::context::is_word_char(b), context, "byte {b}");
        }
    }

    fn norm(s: &str) -> String {
        let mut n = Normalized::new();
        normalize_into(s, &mut n);
        assert_eq!(n.text.len(), n.origin.len());
        n.text
    }

    #[test]
    fn folding_table() {
        let cases = [
            ("Go-To-Market strategy", "go to market strategy"),
            ("PM/PO hybrid", "pm po hybrid"),
            ("long\u{2013}term", "long term"),
            ("the team\u{2019}s   backlog", "the team's backlog"),
            ("\u{201c}Roadmap\u{201d}", "\"roadmap\""),
            ("a \u{2014} b", "a - b"),
            ("zero\u{200b}width", "zerowidth"),
            ("&amp; &nbsp;x&rsquo;s &#39;y&#x27;", "& x's 'y'"),
            ("R&D", "r&d"),
            ("platformDefine new products", "platform\ndefine new products"),
            ("banking.Upgrade is", "banking. upgrade is"),
            ("iOS, PMs, SAFe, GitHub", "ios, pms, safe, git hub"),
            ("3.5 and e.g. this", "3.5 and e.g. this"),
        ];
        for (input, want) in cases {
            assert_eq!(norm(input), want, "{input:?}");
        }
    }

    #[test]
    fn html_tags_and_scripts_are_removed() {
        let html = "<div><h2>About the role</h2><p>Own the <b>prod</b>uct roadmap &amp; vision.</p><script>var x = '<p>backlog</p>';</script><ul><li>Pricing</li><li>Go&#8209;to&#8209;market</li></ul><!-- backlog --></div>";
        assert_eq!(norm(html), "about the role\nown the product roadmap & vision.\npricing\ngo to market");
    }

    #[test]
    fn tag_names_are_read_in_any_case_and_length() {
        // Upper case names are the same tags; a name longer than any known tag is an
        // unknown tag (a space), not a block or an inline one.
        assert_eq!(norm("<DIV>Own the <B>prod</B>uct<BR>roadmap</DIV>"), "own the product\nroadmap");
        assert_eq!(norm("<p>own<Blockquote>the backlog</p>"), "own\nthe backlog");
        assert_eq!(norm("<p>own<averyveryverylongname>the</averyveryverylongname>backlog</p>"), "own the backlog");
        assert_eq!(norm("<p>own</p><SCRIPT>var backlog;</SCRIPT><p>the roadmap</p>"), "own\nthe roadmap");
        assert_eq!(norm("own<script>var backlog;</script>the <STYLE>p{}</Style>roadmap"), "own the roadmap");
        assert!(BLOCK_TAGS.iter().chain(INLINE_TAGS).chain(&["script", "style"]).all(|t| t.len() <= MAX_KNOWN_TAG_LEN));
    }

    #[test]
    fn lines_bullets_and_wrapping() {
        let text = "Responsibilities:\n- Own the backlog\n* Write user stories\n• Run sprint planning\n1. Review work\n\nThis long sentence is hard wrapped by an editor and\ncontinues on the next line.";
        assert_eq!(
            norm(text),
            "responsibilities:\nown the backlog\nwrite user stories\nrun sprint planning\nreview work\nthis long sentence is hard wrapped by an editor and continues on the next line."
        );
    }

    #[test]
    fn glued_list_items_come_apart() {
        // A scraped list lost its breaks: a plain word glued to a capitalised one is two
        // items; a capital inside a name only separates words.
        assert_eq!(norm("manage projectsExperience with Jira"), "manage projects\nexperience with jira");
        assert_eq!(norm("use PowerPoint and eBay"), "use power point and e bay");
        // After a capitalised word ("Aaaaa") the next capital only separates words.
        assert_eq!(norm("aaaaAaaaaAaa"), "aaaa\naaaaa aaa");
        // A run too long to be a word is not read as one.
        let long = format!("{}Abc", "x".repeat(GLUED_RUN_LOOKBACK));
        assert!(!norm(&long).contains('\n'));
    }

    #[test]
    fn glued_headings_and_sentence_ends_come_apart() {
        // A heading glued to its first item, and a sentence end after a bracket.
        assert_eq!(norm("Responsibilities:Own the roadmap"), "responsibilities: own the roadmap");
        assert_eq!(norm("requirements:5+ years"), "requirements: 5+ years");
        assert_eq!(norm("(apps, and so on).Nice to have"), "(apps, and so on). nice to have");
        // Times, addresses and initials stay as written.
        assert_eq!(norm("at 10:30 see https://x.io"), "at 10:30 see https://x.io");
        assert_eq!(norm("the U.S.A. team"), "the u.s.a. team");
    }

    #[test]
    fn stray_angle_brackets_are_text() {
        assert_eq!(norm("<p>teams < 10 people</p>"), "teams < 10 people");
        assert_eq!(norm("x < y and 3 > 2"), "x < y and 3 > 2");
    }

    #[test]
    fn origins_point_at_the_source() {
        let src = "<p>Own the <b>Roadmap</b></p>";
        let mut n = Normalized::new();
        normalize_into(src, &mut n);
        let at = n.text.find("roadmap").unwrap();
        assert_eq!(&src[n.origin_of(at)..n.origin_of(at) + 7], "Roadmap");
    }

    #[test]
    fn display_text_keeps_capitals_and_the_same_shape() {
        let src = "<p>Own the <b>Product</b> Roadmap &amp; É-vision</p>";
        let (mut a, mut b) = (Normalized::new(), Normalized::new());
        normalize_into(src, &mut a);
        display_into(src, &mut b);
        assert_eq!(b.text, "Own the Product Roadmap & É-vision");
        assert_eq!(a.text, "own the product roadmap & é vision");
        assert_eq!(b.origin.len(), b.text.len());
        let src = "<p>E-commerce \u{201c}roadmap\u{201d}</p>";
        display_into(src, &mut b);
        assert_eq!(b.text, "E-commerce \u{201c}roadmap\u{201d}");
    }

    #[test]
    fn non_ascii_and_garbage_never_panic() {
        for s in [
            "\u{fffd}\u{fffd}<",
            "&#xFFFFFFFF;",
            "&#99999999999;",
            "<",
            "<!--",
            "<script>",
            "ÉQUIPE Produit",
            "\0\u{1}\u{7f}",
            "&",
        ] {
            let _ = norm(s);
        }
        assert_eq!(norm("ÉQUIPE"), "équipe");
    }
}
