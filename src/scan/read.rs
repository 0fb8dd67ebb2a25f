//! The reader thread: it opens each input in turn, splits it into records (a text
//! file, a JSONL line, a CSV row) and hands them to the workers in [`Chunk`]s through
//! a bounded channel, so memory holds a few chunks whatever the input's size. It never
//! parses JSON or classifies (the workers do), so one thread keeps up with many.
//!
//! A record over the size cap is skipped as it streams past, without being held in
//! memory. When a stream (stdin, a FIFO) is about to block, the records already read
//! are sent first, so `tail -f postings.jsonl | jdclass scan -` answers each posting
//! as it arrives.

use super::error::RecordError;
use super::source::{decompress, for_each_source, format_of, Counting, Source, STDIN_NAME};
use super::{InputFormat, ScanOptions};
use std::cell::RefCell;
use std::io::{self, Read};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::Arc;

/// A chunk is sent once its records hold this many bytes: large enough that the
/// per-chunk costs (channel, parallel split, flush) vanish, small enough that output
/// flows every few tens of milliseconds and memory stays flat.
pub const CHUNK_BYTES: usize = 2 * 1024 * 1024;
/// … or this many records (short records: keep each chunk's output bounded too).
pub const CHUNK_RECORDS: usize = 4096;
/// Bytes asked of the operating system per read.
const READ_BUF: usize = 256 * 1024;
/// Scratch space for CSV fields that are parsed but not kept.
const DISCARD_BUF: usize = 16 * 1024;
/// Room a kept CSV field's buffer must have before each parser call.
const MIN_SPARE: usize = 4 * 1024;
/// The byte-order mark some tools put at the start of UTF-8 files.
const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// What a record holds, as spans of its chunk's `data`.
#[derive(Debug)]
pub enum Body {
    /// A whole text posting.
    Text(Range<usize>),
    /// One JSONL line (without its line end).
    Json(Range<usize>),
    /// One CSV row's fields of interest.
    Row {
        /// The id column.
        id: Option<Range<usize>>,
        /// The title column.
        title: Option<Range<usize>>,
        /// The text column.
        text: Range<usize>,
    },
    /// A record that could not be read.
    Error(RecordError),
}

/// One input record.
#[derive(Debug)]
pub struct Item {
    /// The input's name.
    pub source: Arc<str>,
    /// 1-based line where the record starts (JSONL, CSV).
    pub line: Option<u64>,
    /// Its content.
    pub body: Body,
}

/// Records in input order, their bytes in one buffer.
#[derive(Debug, Default)]
pub struct Chunk {
    /// The records' bytes.
    pub data: Vec<u8>,
    /// The records.
    pub items: Vec<Item>,
    /// Input bytes (decompressed) consumed since the previous chunk.
    pub bytes: u64,
    /// Bytes read from disk or stdin (compressed) so far, when the chunk was sent.
    pub raw_position: u64,
    /// Inputs opened since the previous chunk.
    pub sources_read: u64,
    /// Inputs that could not be opened or listed since the previous chunk.
    pub sources_failed: u64,
}

impl Chunk {
    fn shift(r: &Range<usize>, by: usize) -> Range<usize> {
        r.start + by..r.end + by
    }

    /// Append `other` (the chunk that followed this one).
    pub fn absorb(&mut self, other: Chunk) {
        let by = self.data.len();
        self.data.extend_from_slice(&other.data);
        self.items.extend(other.items.into_iter().map(|mut item| {
            item.body = match item.body {
                Body::Text(r) => Body::Text(Self::shift(&r, by)),
                Body::Json(r) => Body::Json(Self::shift(&r, by)),
                Body::Row { id, title, text } => Body::Row {
                    id: id.map(|r| Self::shift(&r, by)),
                    title: title.map(|r| Self::shift(&r, by)),
                    text: Self::shift(&text, by),
                },
                e @ Body::Error(_) => e,
            };
            item
        }));
        self.bytes += other.bytes;
        self.raw_position = self.raw_position.max(other.raw_position);
        self.sources_read += other.sources_read;
        self.sources_failed += other.sources_failed;
    }

    /// Whether the chunk is big enough to send.
    pub fn is_full(&self) -> bool {
        self.data.len() >= CHUNK_BYTES || self.items.len() >= CHUNK_RECORDS
    }
}

/// The receiving side hung up or the user asked to stop: reading ends.
#[derive(Debug)]
pub struct Stopped;

/// Fills chunks and sends them.
struct Batcher {
    chunk: Chunk,
    tx: SyncSender<Chunk>,
    stop: Arc<AtomicBool>,
    raw: Arc<AtomicU64>,
    closed: bool,
}

impl Batcher {
    fn check(&self) -> Result<(), Stopped> {
        if self.closed || self.stop.load(Ordering::Relaxed) {
            Err(Stopped)
        } else {
            Ok(())
        }
    }

    fn push(&mut self, source: &Arc<str>, line: Option<u64>, body: Body) -> Result<(), Stopped> {
        self.check()?;
        self.chunk.items.push(Item { source: source.clone(), line, body });
        if self.chunk.is_full() {
            self.send()?;
        }
        Ok(())
    }

    fn push_bytes(
        &mut self,
        source: &Arc<str>,
        line: Option<u64>,
        bytes: &[u8],
        body: fn(Range<usize>) -> Body,
    ) -> Result<(), Stopped> {
        let start = self.chunk.data.len();
        self.chunk.data.extend_from_slice(bytes);
        self.push(source, line, body(start..self.chunk.data.len()))
    }

    fn error(&mut self, source: &Arc<str>, line: Option<u64>, error: RecordError) -> Result<(), Stopped> {
        self.push(source, line, Body::Error(error))
    }

    fn send(&mut self) -> Result<(), Stopped> {
        self.check()?;
        // The next chunk's buffer is reserved whole: it fills without reallocating.
        let next = Chunk { data: Vec::with_capacity(CHUNK_BYTES + READ_BUF), ..Chunk::default() };
        let mut chunk = std::mem::replace(&mut self.chunk, next);
        chunk.raw_position = self.raw.load(Ordering::Relaxed);
        if self.tx.send(chunk).is_err() {
            self.closed = true;
            return Err(Stopped);
        }
        Ok(())
    }

    fn has_pending(&self) -> bool {
        !self.chunk.items.is_empty()
    }
}

/// Read every input under `paths`, sending chunks to `tx` until done, stopped or
/// hung up. Runs on its own thread.
pub fn read_all(
    paths: &[String],
    options: &ScanOptions,
    tx: SyncSender<Chunk>,
    stop: Arc<AtomicBool>,
    raw: Arc<AtomicU64>,
) {
    let batcher = RefCell::new(Batcher { chunk: Chunk::default(), tx, stop, raw: raw.clone(), closed: false });
    for_each_source(paths, options, |source| {
        let result = match source {
            Source::Stdin => {
                let name: Arc<str> = STDIN_NAME.into();
                let format = format_of(&name, options.input_format, true);
                read_source(io::stdin().lock(), &name, format, None, options, &batcher, &raw)
            }
            Source::File { path, name, size } => match std::fs::File::open(&path) {
                Ok(file) => {
                    let format = format_of(&name, options.input_format, false);
                    let too_large = format == InputFormat::Text && size.is_some_and(|s| s > options.max_bytes);
                    if too_large {
                        // Refused from its size alone: never read.
                        let size = size.unwrap_or(0);
                        raw.fetch_add(size, Ordering::Relaxed); // skipped counts as read for progress
                        let mut b = batcher.borrow_mut();
                        b.chunk.sources_read += 1;
                        let error = RecordError::TooLarge { size, max: options.max_bytes };
                        b.error(&name, None, error)
                    } else {
                        read_source(file, &name, format, size, options, &batcher, &raw)
                    }
                }
                Err(e) => {
                    let mut b = batcher.borrow_mut();
                    b.chunk.sources_failed += 1;
                    b.error(&name, None, RecordError::Unreadable(e.to_string()))
                }
            },
            Source::Error { name, error } => {
                let mut b = batcher.borrow_mut();
                b.chunk.sources_failed += 1;
                b.error(&name, None, error)
            }
        };
        result.is_ok()
    });
    let mut b = batcher.into_inner();
    let c = &b.chunk;
    if !c.items.is_empty() || c.bytes > 0 || c.sources_read > 0 || c.sources_failed > 0 {
        let _ = b.send();
    }
}

/// Read one stream named `name` as `format`, sending chunks to `tx` like [`read_all`]
/// does for stdin. Runs on its own thread.
pub fn read_stream(
    input: Box<dyn Read + Send>,
    name: &Arc<str>,
    format: InputFormat,
    options: &ScanOptions,
    tx: SyncSender<Chunk>,
    stop: Arc<AtomicBool>,
    raw: Arc<AtomicU64>,
) {
    let batcher = RefCell::new(Batcher { chunk: Chunk::default(), tx, stop, raw: raw.clone(), closed: false });
    let _ = read_source(input, name, format, None, options, &batcher, &raw);
    let mut b = batcher.into_inner();
    let c = &b.chunk;
    if !c.items.is_empty() || c.bytes > 0 || c.sources_read > 0 || c.sources_failed > 0 {
        let _ = b.send();
    }
}

/// Sends the records already read before a stream read that may block.
struct FlushBeforeRead<'b, R> {
    inner: R,
    batcher: &'b RefCell<Batcher>,
}

impl<R: Read> Read for FlushBeforeRead<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Ok(mut b) = self.batcher.try_borrow_mut() {
            let sent = if b.has_pending() { b.send() } else { b.check() };
            if sent.is_err() {
                return Err(io::Error::other("scan stopped"));
            }
        }
        self.inner.read(buf)
    }
}

fn read_source(
    raw: impl Read,
    name: &Arc<str>,
    format: InputFormat,
    size: Option<u64>,
    options: &ScanOptions,
    batcher: &RefCell<Batcher>,
    count: &Arc<AtomicU64>,
) -> Result<(), Stopped> {
    let counted = Counting::new(raw, count.clone());
    // Not a regular file (stdin, a pipe): reads may block.
    let opened =
        if size.is_none() { decompress(FlushBeforeRead { inner: counted, batcher }) } else { decompress(counted) };
    let mut reader = match opened {
        Ok(r) => r,
        Err(e) => {
            let mut b = batcher.borrow_mut();
            b.chunk.sources_failed += 1;
            return b.error(name, None, RecordError::Unreadable(e.to_string()));
        }
    };
    batcher.borrow_mut().chunk.sources_read += 1;
    match format {
        InputFormat::Text => read_text(&mut reader, name, batcher, options.max_bytes, size),
        InputFormat::Jsonl => read_jsonl(&mut reader, name, batcher, options.max_bytes),
        InputFormat::Csv => read_csv(&mut reader, name, batcher, options),
    }
}

fn read_retry(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

fn cap(max: u64) -> usize {
    usize::try_from(max).unwrap_or(usize::MAX)
}

/// One posting per input.
fn read_text(
    r: &mut dyn Read,
    name: &Arc<str>,
    batcher: &RefCell<Batcher>,
    max: u64,
    size: Option<u64>,
) -> Result<(), Stopped> {
    // Sized from the file when known (one read instead of a growing buffer's many).
    let mut buf = Vec::with_capacity(size.map_or(0, |s| cap(s.min(max)).saturating_add(1)));
    let read = r.take(max.saturating_add(1)).read_to_end(&mut buf);
    let mut b = batcher.borrow_mut();
    b.chunk.bytes += buf.len() as u64;
    if let Err(e) = read {
        return b.error(name, None, RecordError::ReadFailed(e.to_string()));
    }
    if buf.len() as u64 > max {
        drop(b);
        // Learn the full size without holding it.
        let rest = io::copy(r, &mut io::sink()).unwrap_or(0);
        let mut b = batcher.borrow_mut();
        b.chunk.bytes += rest;
        return b.error(name, None, RecordError::TooLarge { size: buf.len() as u64 + rest, max });
    }
    b.push_bytes(name, None, &buf, Body::Text)
}

/// One posting per line; blank lines are not records.
fn read_jsonl(r: &mut dyn Read, name: &Arc<str>, batcher: &RefCell<Batcher>, max: u64) -> Result<(), Stopped> {
    let max = cap(max);
    let mut buf = vec![0u8; READ_BUF];
    let mut carry: Vec<u8> = Vec::new();
    let mut oversize: Option<usize> = None;
    let mut line: u64 = 0;
    let emit = |line: u64, bytes: &[u8]| -> Result<(), Stopped> {
        let mut bytes = if line == 1 { bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes) } else { bytes };
        if let Some(b) = bytes.strip_suffix(b"\r") {
            bytes = b;
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return batcher.borrow_mut().check();
        }
        batcher.borrow_mut().push_bytes(name, Some(line), bytes, Body::Json)
    };
    let too_large = |line: u64, size: usize| {
        batcher.borrow_mut().error(name, Some(line), RecordError::TooLarge { size: size as u64, max: max as u64 })
    };
    loop {
        let n = match read_retry(r, &mut buf) {
            Ok(n) => n,
            Err(e) => {
                batcher.borrow_mut().check()?;
                return batcher.borrow_mut().error(name, Some(line + 1), RecordError::ReadFailed(e.to_string()));
            }
        };
        if n == 0 {
            break;
        }
        batcher.borrow_mut().chunk.bytes += n as u64;
        let mut rest = &buf[..n];
        while let Some(p) = memchr::memchr(b'\n', rest) {
            let seg = &rest[..p];
            rest = &rest[p + 1..];
            line += 1;
            if let Some(size) = oversize.take() {
                too_large(line, size + seg.len())?;
            } else if carry.len() + seg.len() > max {
                too_large(line, carry.len() + seg.len())?;
                carry.clear();
            } else if carry.is_empty() {
                emit(line, seg)?;
            } else {
                carry.extend_from_slice(seg);
                emit(line, &carry)?;
                carry.clear();
            }
        }
        match &mut oversize {
            Some(size) => *size += rest.len(),
            None if carry.len() + rest.len() > max => {
                oversize = Some(carry.len() + rest.len());
                carry = Vec::new(); // give the memory back
            }
            None => carry.extend_from_slice(rest),
        }
    }
    if let Some(size) = oversize {
        too_large(line + 1, size)?;
    } else if !carry.is_empty() {
        emit(line + 1, &carry)?;
    }
    Ok(())
}

/// Column positions of the fields of interest, from a CSV header.
struct Columns {
    /// Positions of the id, title and text columns.
    at: [Option<usize>; 3],
    /// What to say when the text column is missing.
    missing: RecordError,
}

impl Columns {
    /// Slots: 0 id, 1 title, 2 text.
    const TEXT: usize = 2;

    fn new(header: &[String], options: &ScanOptions) -> Columns {
        let find = |name: &str| header.iter().position(|h| h == name);
        let names = &options.fields;
        let text = names.text.iter().find_map(|t| find(t));
        let mut listed: Vec<&str> = header.iter().map(String::as_str).take(MAX_LISTED_COLUMNS).collect();
        if header.len() > MAX_LISTED_COLUMNS {
            listed.push("…");
        }
        let available = if header.is_empty() {
            " (the file has no header row)".to_string()
        } else {
            format!(" (columns: {})", listed.join(", "))
        };
        Columns {
            at: [find(&names.id), find(&names.title), text],
            missing: RecordError::MissingField { wanted: names.text_wanted(), available },
        }
    }

    fn slot(&self, field: usize) -> Option<usize> {
        self.at.iter().position(|c| *c == Some(field))
    }
}

/// Columns named in a "no text column" message.
const MAX_LISTED_COLUMNS: usize = 12;

/// RFC 4180 CSV with a header row; quoted fields may hold separators, quotes and line
/// ends. Only the id, title and text columns are kept; a row over the cap is parsed
/// through without being kept.
fn read_csv(
    r: &mut dyn Read,
    name: &Arc<str>,
    batcher: &RefCell<Batcher>,
    options: &ScanOptions,
) -> Result<(), Stopped> {
    use csv_core::ReadFieldResult;
    let max = options.max_bytes;
    let mut parser = csv_core::Reader::new();
    let mut input = vec![0u8; READ_BUF];
    let (mut pos, mut end, mut eof) = (0usize, 0usize, false);
    let mut discard = vec![0u8; DISCARD_BUF];
    // Kept bytes of the current row: `kept[..klen]`; the current field from `fstart`.
    let mut kept: Vec<u8> = Vec::new();
    let (mut klen, mut fstart) = (0usize, 0usize);
    let mut spans: [Option<Range<usize>>; 3] = [None, None, None];
    let mut header: Vec<String> = Vec::new();
    let mut columns: Option<Columns> = None;
    let mut field = 0usize;
    let mut row_bytes = 0u64;
    let mut too_large = false;
    let mut newlines = 0u64;
    let mut row_line: Option<u64> = None;
    loop {
        if pos == end && !eof {
            match read_retry(r, &mut input) {
                Ok(0) => eof = true,
                Ok(n) => {
                    (pos, end) = (0, n);
                    batcher.borrow_mut().chunk.bytes += n as u64;
                }
                Err(e) => {
                    batcher.borrow_mut().check()?;
                    let line = row_line.unwrap_or(newlines + 1);
                    return batcher.borrow_mut().error(name, Some(line), RecordError::ReadFailed(e.to_string()));
                }
            }
            continue;
        }
        if row_line.is_none() {
            // Line ends before a row are skipped (the parser would skip them too), so
            // the row's line is known before its first byte is parsed.
            while pos < end && matches!(input[pos], b'\r' | b'\n') {
                newlines += u64::from(input[pos] == b'\n');
                pos += 1;
            }
            if pos == end && !eof {
                continue;
            }
            if pos == end && eof {
                break; // nothing but line ends left
            }
            row_line = Some(newlines + 1);
        }
        let keep = !too_large && columns.as_ref().is_none_or(|c| c.slot(field).is_some());
        let inp = &input[pos..end];
        let (res, nin, nout) = if keep {
            if kept.len() - klen < MIN_SPARE {
                kept.resize((kept.len() * 2).max(MIN_SPARE * 4), 0);
            }
            parser.read_field(inp, &mut kept[klen..])
        } else {
            parser.read_field(inp, &mut discard)
        };
        newlines += memchr::memchr_iter(b'\n', &inp[..nin]).count() as u64;
        pos += nin;
        row_bytes += nin as u64;
        if keep {
            klen += nout;
        }
        if row_bytes > max && !too_large {
            too_large = true;
            kept = Vec::new(); // give the memory back
            (klen, fstart) = (0, 0);
            spans = [None, None, None];
        }
        let record_end = match res {
            ReadFieldResult::InputEmpty if eof && inp.is_empty() => break, // never spin
            ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => continue,
            ReadFieldResult::End => break,
            ReadFieldResult::Field { record_end } => record_end,
        };
        if keep {
            match &columns {
                None => header.push(String::from_utf8_lossy(&kept[fstart..klen]).trim().to_string()),
                Some(c) => {
                    if let Some(slot) = c.slot(field) {
                        spans[slot] = Some(fstart..klen);
                    }
                }
            }
        }
        fstart = klen;
        field += 1;
        if !record_end {
            continue;
        }
        let line = row_line.take();
        let (bytes, over, used, row) = (row_bytes, too_large, klen, std::mem::take(&mut spans));
        (field, klen, fstart, row_bytes, too_large) = (0, 0, 0, 0, false);
        let error = match &columns {
            Some(_) if over => Some(RecordError::TooLarge { size: bytes, max }),
            Some(c) if row[Columns::TEXT].is_none() => Some(c.missing.clone()),
            Some(_) => None,
            None => {
                // The header row: not a record unless it is unusable.
                if over {
                    header.clear();
                }
                columns = Some(Columns::new(&header, options));
                if !over {
                    continue;
                }
                Some(RecordError::TooLarge { size: bytes, max })
            }
        };
        let mut b = batcher.borrow_mut();
        match (error, row) {
            (Some(error), _) => b.error(name, line, error)?,
            (None, [id, title, text]) => {
                let start = b.chunk.data.len();
                b.chunk.data.extend_from_slice(&kept[..used]);
                let at = |r: Range<usize>| r.start + start..r.end + start;
                let body = Body::Row { id: id.map(at), title: title.map(at), text: text.map(at).unwrap_or_default() };
                b.push(name, line, body)?;
            }
        }
    }
    Ok(())
}
