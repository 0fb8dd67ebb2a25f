//! The reader thread: it opens each input in turn, splits it into records (a text
//! file, a JSONL line, a CSV row) and hands them to the workers in [`Chunk`]s through
//! a bounded channel, so memory holds a few chunks whatever the input's size; written
//! chunks come back on a second channel to be filled again. It never parses JSON or
//! classifies (the workers do), so one thread keeps up with many.
//!
//! A record over the size cap is skipped as it streams past, without being held in
//! memory. When a stream (stdin, a FIFO) stalls, the records already read are sent
//! first, so `tail -f postings.jsonl | jdclass scan -` answers each posting as it
//! arrives.

use super::error::RecordError;
use super::source::{decompress, for_each_source, format_of, Counting, Source, STDIN_NAME};
use super::{InputFormat, ScanOptions};
use std::cell::RefCell;
use std::io::{self, Read};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::Arc;

/// A chunk is sent once its records hold this many bytes: large enough that the
/// per-chunk costs (channel, parallel split, flush) vanish, small enough that output
/// flows every few tens of milliseconds and memory stays flat.
pub const CHUNK_BYTES: usize = 2 * 1024 * 1024;
/// … or this many records (short records: keep each chunk's output bounded too).
pub const CHUNK_RECORDS: usize = 4096;
/// Bytes asked of the operating system per read.
const READ_BUF: usize = 256 * 1024;
/// A written chunk's buffers are filled again only up to this size; a buffer a huge
/// record grew past it is freed, so one outlier cannot pin its memory for the scan.
const RECYCLE_MAX_BYTES: usize = 2 * (CHUNK_BYTES + READ_BUF);
/// … and its record list only up to this many records.
const RECYCLE_MAX_RECORDS: usize = 2 * CHUNK_RECORDS;
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

impl Item {
    /// Bytes of the chunk's buffer this record takes (0 for an error record).
    pub fn byte_len(&self) -> usize {
        match &self.body {
            Body::Text(r) | Body::Json(r) => r.len(),
            Body::Row { id, title, text } => {
                text.len() + id.as_ref().map_or(0, |r| r.len()) + title.as_ref().map_or(0, |r| r.len())
            }
            Body::Error(_) => 0,
        }
    }
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

    /// Append `other` (the chunk that followed this one), leaving it empty.
    pub fn absorb(&mut self, other: &mut Chunk) {
        let by = self.data.len();
        self.data.extend_from_slice(&other.data);
        other.data.clear();
        self.items.extend(other.items.drain(..).map(|mut item| {
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

    /// This chunk's buffers, emptied, to fill as a new chunk: `None` when a huge record
    /// grew them past what a chunk needs. Reusing them keeps the allocator out of the
    /// reader's loop: with glibc, a fresh 2 MB buffer per chunk fragmented the heap so
    /// that a 2 GB scan at 16 threads peaked at 91 MB against 40 MB with reuse.
    pub fn recycle(mut self) -> Option<Chunk> {
        if self.data.capacity() > RECYCLE_MAX_BYTES || self.items.capacity() > RECYCLE_MAX_RECORDS {
            return None;
        }
        self.data.clear();
        self.items.clear();
        Some(Chunk { data: self.data, items: self.items, ..Chunk::default() })
    }

    /// Whether the chunk is big enough to send.
    pub fn is_full(&self) -> bool {
        self.data.len() >= CHUNK_BYTES || self.items.len() >= CHUNK_RECORDS
    }
}

/// The receiving side hung up or the user asked to stop: reading ends.
#[derive(Debug)]
pub struct Stopped;

/// The reader thread's ends of a scan's channels.
pub struct Feed {
    /// Where full chunks go.
    pub tx: SyncSender<Chunk>,
    /// Written chunks come back here, emptied ([`Chunk::recycle`]), to be filled again.
    pub spare: Receiver<Chunk>,
    /// Set when the scan should stop reading.
    pub stop: Arc<AtomicBool>,
    /// Bytes read from the inputs so far (compressed), for progress.
    pub raw: Arc<AtomicU64>,
}

/// Fills chunks and sends them.
struct Batcher {
    chunk: Chunk,
    tx: SyncSender<Chunk>,
    spare: Receiver<Chunk>,
    stop: Arc<AtomicBool>,
    raw: Arc<AtomicU64>,
    closed: bool,
}

impl Batcher {
    fn new(feed: Feed) -> Batcher {
        let Feed { tx, spare, stop, raw } = feed;
        Batcher { chunk: Chunk::default(), tx, spare, stop, raw, closed: false }
    }

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
        // The next chunk is a written one's buffers when one has come back; else its
        // buffer is reserved whole, so it fills without reallocating.
        let next = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Chunk { data: Vec::with_capacity(CHUNK_BYTES + READ_BUF), ..Chunk::default() });
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

/// Read every input under `paths`, sending chunks to `feed` until done, stopped or
/// hung up. Runs on its own thread.
pub fn read_all(paths: &[String], options: &ScanOptions, feed: Feed) {
    let raw = feed.raw.clone();
    let batcher = RefCell::new(Batcher::new(feed));
    for_each_source(paths, options, |source| {
        let result = match source {
            Source::Stdin => {
                let name: Arc<str> = STDIN_NAME.into();
                let format = format_of(&name, options.input_format, true);
                if format == InputFormat::Parquet {
                    let mut b = batcher.borrow_mut();
                    b.chunk.sources_failed += 1;
                    let why =
                        "Parquet cannot be read from stdin (its index is at the end of the file): give the file's path";
                    b.error(&name, None, RecordError::Unreadable(why.into()))
                } else {
                    let sniff = options.input_format.is_none();
                    let fd = descriptor(&io::stdin());
                    read_source(io::stdin().lock(), &name, format, None, fd, sniff, options, &batcher, &raw)
                }
            }
            Source::File { path, name, size } => match std::fs::File::open(&path) {
                Ok(file) if format_of(&name, options.input_format, false) == InputFormat::Parquet => {
                    read_parquet(file, &name, options, &batcher, &raw)
                }
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
                        let fd = descriptor(&file);
                        read_source(file, &name, format, size, fd, false, options, &batcher, &raw)
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

/// Read one stream named `name` as `format`, sending chunks like [`read_all`]
/// does for stdin. Runs on its own thread.
pub fn read_stream(
    input: Box<dyn Read + Send>,
    name: &Arc<str>,
    format: InputFormat,
    options: &ScanOptions,
    feed: Feed,
) {
    let raw = feed.raw.clone();
    let batcher = RefCell::new(Batcher::new(feed));
    let _ = read_source(input, name, format, None, None, false, options, &batcher, &raw);
    let mut b = batcher.into_inner();
    let c = &b.chunk;
    if !c.items.is_empty() || c.bytes > 0 || c.sources_read > 0 || c.sources_failed > 0 {
        let _ = b.send();
    }
}

/// An input's descriptor, to ask whether a read would block (unix only).
#[cfg(unix)]
type Fd = std::os::fd::RawFd;
/// An input's descriptor, to ask whether a read would block (unix only).
#[cfg(not(unix))]
type Fd = std::convert::Infallible;

/// Whether a read from `fd` returns within [`STALL_MS`]: data is waiting or comes
/// soon, or the input ended or failed (which the read then reports). Without a
/// descriptor to ask, it may block.
fn read_is_ready(fd: Option<Fd>) -> bool {
    #[cfg(unix)]
    if let Some(fd) = fd {
        let mut p = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
        // SAFETY: `p` is one valid pollfd for the duration of the call.
        return unsafe { libc::poll(&mut p, 1, STALL_MS) } == 1;
    }
    let _ = fd;
    false
}

/// A stream that has sent nothing for this long has stalled (`tail -f` waiting for
/// the next posting): the records read so far are sent rather than held. A pipe from
/// a fast writer (`zcat dump.gz | jdclass scan -`) refills well within it, so its
/// chunks fill to full size, not one small chunk per 64 KB pipe read.
#[cfg(unix)]
const STALL_MS: libc::c_int = 10;

/// `input`'s descriptor, where the platform has one to ask.
#[cfg(unix)]
fn descriptor(input: &impl std::os::fd::AsRawFd) -> Option<Fd> {
    Some(input.as_raw_fd())
}

/// `input`'s descriptor, where the platform has one to ask.
#[cfg(not(unix))]
fn descriptor<T>(_: &T) -> Option<Fd> {
    None
}

/// Sends the records already read before a stream read that may block. A read that
/// cannot block for long (a file redirected to stdin, a pipe whose writer is ahead)
/// sends nothing early: the chunk fills to its full size, as a file's does.
struct FlushBeforeRead<'b, R> {
    inner: R,
    batcher: &'b RefCell<Batcher>,
    fd: Option<Fd>,
}

impl<R: Read> Read for FlushBeforeRead<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if read_is_ready(self.fd) {
            return self.inner.read(buf);
        }
        if let Ok(mut b) = self.batcher.try_borrow_mut() {
            let sent = if b.has_pending() { b.send() } else { b.check() };
            if sent.is_err() {
                return Err(io::Error::other("scan stopped"));
            }
        }
        self.inner.read(buf)
    }
}

#[allow(clippy::too_many_arguments)] // one call site per kind of source
fn read_source(
    raw: impl Read,
    name: &Arc<str>,
    format: InputFormat,
    size: Option<u64>,
    fd: Option<Fd>,
    sniff: bool,
    options: &ScanOptions,
    batcher: &RefCell<Batcher>,
    count: &Arc<AtomicU64>,
) -> Result<(), Stopped> {
    let counted = Counting::new(raw, count.clone());
    // Not a regular file (stdin, a pipe): reads may block.
    let opened =
        if size.is_none() { decompress(FlushBeforeRead { inner: counted, batcher, fd }) } else { decompress(counted) };
    let mut reader = match opened {
        Ok(r) => r,
        Err(e) => {
            let mut b = batcher.borrow_mut();
            b.chunk.sources_failed += 1;
            return b.error(name, None, RecordError::Unreadable(e.to_string()));
        }
    };
    batcher.borrow_mut().chunk.sources_read += 1;
    let format = if sniff {
        let (format, whole) = sniff_format(reader, options);
        reader = whole;
        format
    } else {
        format
    };
    match format {
        InputFormat::Text => read_text(&mut reader, name, batcher, options.max_bytes, size),
        InputFormat::Jsonl => read_jsonl(&mut reader, name, batcher, options.max_bytes),
        InputFormat::Csv | InputFormat::Tsv => {
            let delimiter = options.delimiter.unwrap_or(if format == InputFormat::Tsv { b'\t' } else { b',' });
            read_csv(&mut skip_bom(reader), name, batcher, options, delimiter)
        }
        InputFormat::Parquet => unreachable_parquet(name, batcher),
    }
}

/// Parquet is read from a file (see [`read_parquet`]); a stream never gets here.
fn unreachable_parquet(name: &Arc<str>, batcher: &RefCell<Batcher>) -> Result<(), Stopped> {
    let why = "Parquet can only be read from a file, not a stream";
    batcher.borrow_mut().error(name, None, RecordError::Unreadable(why.into()))
}

/// Bytes of a stream looked at to tell what it holds.
const SNIFF_BYTES: usize = 64 * 1024;

/// What a stream of unknown format (stdin) holds, from its first line: JSON Lines when
/// it starts with `{`; CSV or TSV when its first line is a header naming the text
/// column; otherwise one plain-text (or HTML, or markdown) posting. Returns the format
/// and the whole stream, the bytes looked at included.
fn sniff_format<'a>(mut r: Box<dyn Read + 'a>, options: &ScanOptions) -> (InputFormat, Box<dyn Read + 'a>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 8192];
    let first_line_done = |head: &[u8]| {
        let start = head.strip_prefix(UTF8_BOM).unwrap_or(head);
        let content = start.iter().position(|b| !b.is_ascii_whitespace());
        content.is_some_and(|c| start[c] == b'{' || memchr::memchr(b'\n', &start[c..]).is_some())
    };
    while head.len() < SNIFF_BYTES && !first_line_done(&head) {
        match read_retry(&mut r, &mut buf) {
            Ok(0) | Err(_) => break, // an error shows again when the stream is read
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let body = head.strip_prefix(UTF8_BOM).unwrap_or(&head);
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(body.len());
    let line = &body[start..];
    let line = &line[..memchr::memchr(b'\n', line).unwrap_or(line.len())];
    let line = String::from_utf8_lossy(line);
    let names_text = |sep: char| {
        let cells: Vec<&str> = line.trim_end().split(sep).map(|c| c.trim().trim_matches('"')).collect();
        cells.len() > 1 && options.fields.text.iter().any(|t| cells.contains(&t.as_str()))
    };
    let format = if line.is_empty() || line.starts_with('{') {
        // Nothing at all is an empty JSON Lines stream (an empty Spark partition): no records.
        InputFormat::Jsonl
    } else if names_text('\t') {
        InputFormat::Tsv
    } else if names_text(options.delimiter.map_or(',', char::from)) {
        InputFormat::Csv
    } else {
        InputFormat::Text
    };
    (format, Box::new(io::Cursor::new(head).chain(r)))
}

/// The stream without a leading UTF-8 byte-order mark (Excel's "CSV UTF-8" starts
/// with one; left in, it would become part of the first column's name).
fn skip_bom<'a>(mut r: Box<dyn Read + 'a>) -> Box<dyn Read + 'a> {
    let mut head = [0u8; 3];
    let n = super::source::read_exact_or_eof(&mut r, &mut head).unwrap_or(0);
    let skip = if n == 3 && head == UTF8_BOM { 3 } else { 0 };
    Box::new(io::Cursor::new(head[skip..n].to_vec()).chain(r))
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
        // Stop at the cap: the rest is not read (a device like /dev/zero never ends).
        // A regular file's size is known from its metadata.
        let error = match size {
            Some(size) if size > max => RecordError::TooLarge { size, max },
            _ => RecordError::OverLimit { max },
        };
        return b.error(name, None, error);
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
        // Each name is cut short: a file without a header row makes its first data row
        // the header, and every error record repeats this list.
        let mut listed: Vec<String> = header
            .iter()
            .take(MAX_LISTED_COLUMNS)
            .map(|h| match h.char_indices().nth(MAX_COLUMN_NAME_CHARS) {
                Some((at, _)) => format!("{}…", &h[..at]),
                None => h.clone(),
            })
            .collect();
        if header.len() > MAX_LISTED_COLUMNS {
            listed.push("…".to_string());
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

    /// Columns named by number (from 1), for a file without a header row.
    fn by_index(options: &ScanOptions) -> Columns {
        let index = |name: &str| name.parse::<usize>().ok().filter(|&n| n >= 1).map(|n| n - 1);
        let names = &options.fields;
        Columns {
            at: [index(&names.id), index(&names.title), names.text.iter().find_map(|t| index(t))],
            missing: RecordError::MissingField {
                wanted: names.text_wanted(),
                available: " (without a header row, columns are named by number: --text-field 3)".into(),
            },
        }
    }

    fn slot(&self, field: usize) -> Option<usize> {
        self.at.iter().position(|c| *c == Some(field))
    }
}

/// Columns named in a "no text column" message.
const MAX_LISTED_COLUMNS: usize = 12;
/// Characters of each column name in that message.
const MAX_COLUMN_NAME_CHARS: usize = 40;

/// Line ends in `bytes`: `\n`, `\r\n` and a lone `\r` (old Mac files) each count once.
/// `prev_cr` carries whether the byte before `bytes` was a `\r`.
fn count_line_ends(bytes: &[u8], prev_cr: &mut bool) -> u64 {
    let mut n = 0;
    for i in memchr::memchr2_iter(b'\r', b'\n', bytes) {
        let after_cr = if i == 0 { *prev_cr } else { bytes[i - 1] == b'\r' };
        if bytes[i] == b'\r' || !after_cr {
            n += 1;
        }
    }
    if let Some(&last) = bytes.last() {
        *prev_cr = last == b'\r';
    }
    n
}

/// RFC 4180 CSV (or TSV: any one-byte `delimiter`) with a header row, or without one
/// when `options.no_headers`; quoted fields may hold separators, quotes and line
/// ends. Only the id, title and text columns are kept; a row over the cap is parsed
/// through without being kept.
fn read_csv(
    r: &mut dyn Read,
    name: &Arc<str>,
    batcher: &RefCell<Batcher>,
    options: &ScanOptions,
    delimiter: u8,
) -> Result<(), Stopped> {
    use csv_core::ReadFieldResult;
    let max = options.max_bytes;
    let mut parser = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut input = vec![0u8; READ_BUF];
    let (mut pos, mut end, mut eof) = (0usize, 0usize, false);
    let mut discard = vec![0u8; DISCARD_BUF];
    // Kept bytes of the current row: `kept[..klen]`; the current field from `fstart`.
    let mut kept: Vec<u8> = Vec::new();
    let (mut klen, mut fstart) = (0usize, 0usize);
    let mut spans: [Option<Range<usize>>; 3] = [None, None, None];
    let mut header: Vec<String> = Vec::new();
    let mut columns: Option<Columns> = options.no_headers.then(|| Columns::by_index(options));
    let mut field = 0usize;
    let mut row_bytes = 0u64;
    let mut too_large = false;
    let mut newlines = 0u64;
    let mut prev_cr = false;
    let mut quotes = 0u64;
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
            let from = pos;
            while pos < end && matches!(input[pos], b'\r' | b'\n') {
                pos += 1;
            }
            newlines += count_line_ends(&input[from..pos], &mut prev_cr);
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
        newlines += count_line_ends(&inp[..nin], &mut prev_cr);
        quotes += memchr::memchr_iter(b'"', &inp[..nin]).count() as u64;
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
        let unbalanced = quotes % 2 == 1;
        (field, klen, fstart, row_bytes, too_large, quotes) = (0, 0, 0, 0, false, 0);
        // The row's last line: the parser stops after the line end that ends it.
        let spans_lines = (newlines + 1).saturating_sub(line.unwrap_or(newlines + 1)).max(1);
        let error = match &columns {
            Some(_) if over => Some(RecordError::TooLarge { size: bytes, max }),
            Some(_) if unbalanced => Some(RecordError::UnbalancedQuotes { lines: spans_lines }),
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

/// Apache Parquet, one posting per row, through the crate's record API: only the id,
/// title and text columns are decoded, one row group at a time, so memory holds a
/// row group's columns of interest, not the file. A row's `line` is its number (from
/// 1). A file without the text column is one error record.
fn read_parquet(
    file: std::fs::File,
    name: &Arc<str>,
    options: &ScanOptions,
    batcher: &RefCell<Batcher>,
    raw: &Arc<AtomicU64>,
) -> Result<(), Stopped> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::schema::types::Type;
    let reader = match SerializedFileReader::new(file) {
        Ok(r) => r,
        Err(e) => {
            let mut b = batcher.borrow_mut();
            b.chunk.sources_failed += 1;
            return b.error(name, None, RecordError::Unreadable(format!("not a readable Parquet file: {e}")));
        }
    };
    batcher.borrow_mut().chunk.sources_read += 1;
    let names = &options.fields;
    let root = reader.metadata().file_metadata().schema();
    let columns: Vec<&str> = root.get_fields().iter().map(|f| f.name()).collect();
    let Some(text) = names.text.iter().find(|t| columns.contains(&t.as_str())) else {
        let mut listed: Vec<&str> = columns.iter().copied().take(MAX_LISTED_COLUMNS).collect();
        if columns.len() > MAX_LISTED_COLUMNS {
            listed.push("…");
        }
        let available = format!(" (columns: {})", listed.join(", "));
        return batcher.borrow_mut().error(
            name,
            None,
            RecordError::MissingField { wanted: names.text_wanted(), available },
        );
    };
    let wanted = [names.id.as_str(), names.title.as_str(), text.as_str()];
    let fields = root.get_fields().iter().filter(|f| wanted.contains(&f.name())).cloned().collect();
    let projection = match Type::group_type_builder(root.name()).with_fields(fields).build() {
        Ok(p) => p,
        Err(e) => return batcher.borrow_mut().error(name, None, RecordError::Unreadable(e.to_string())),
    };
    let mut row_number = 0u64;
    for group in 0..reader.num_row_groups() {
        let compressed = reader.metadata().row_group(group).compressed_size();
        let group_reader = match reader.get_row_group(group) {
            Ok(g) => g,
            Err(e) => {
                let error = RecordError::ReadFailed(format!("row group {group}: {e}"));
                return batcher.borrow_mut().error(name, Some(row_number + 1), error);
            }
        };
        let rows = match group_reader.get_row_iter(Some(projection.clone())) {
            Ok(rows) => rows,
            Err(e) => {
                let error = RecordError::ReadFailed(format!("row group {group}: {e}"));
                return batcher.borrow_mut().error(name, Some(row_number + 1), error);
            }
        };
        for row in rows {
            row_number += 1;
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    let error = RecordError::ReadFailed(format!("row group {group}: {e}"));
                    return batcher.borrow_mut().error(name, Some(row_number), error);
                }
            };
            let (mut id, mut title, mut body) = (None, None, None);
            for (column, field) in row.get_column_iter() {
                let value = parquet_text(field);
                if column == &names.id {
                    id = value.clone().ok().flatten();
                }
                if column == &names.title {
                    title = Some(value.clone());
                }
                if column == text {
                    body = Some(value);
                }
            }
            let mut b = batcher.borrow_mut();
            let text_value = match body {
                Some(Ok(Some(t))) => t,
                Some(Ok(None)) | None => {
                    let error = RecordError::MissingField {
                        wanted: names.text_wanted(),
                        available: " (null in this row)".into(),
                    };
                    b.error(name, Some(row_number), error)?;
                    continue;
                }
                Some(Err(found)) => {
                    b.error(name, Some(row_number), RecordError::NotString { field: text.clone(), found })?;
                    continue;
                }
            };
            b.chunk.bytes += text_value.len() as u64;
            if text_value.len() as u64 > options.max_bytes {
                let error = RecordError::TooLarge { size: text_value.len() as u64, max: options.max_bytes };
                b.error(name, Some(row_number), error)?;
                continue;
            }
            let title = match title {
                Some(Err(found)) => {
                    b.error(name, Some(row_number), RecordError::NotString { field: names.title.clone(), found })?;
                    continue;
                }
                Some(Ok(t)) => t,
                None => None,
            };
            let data = &mut b.chunk.data;
            let mut put = |s: &str| {
                let start = data.len();
                data.extend_from_slice(s.as_bytes());
                start..data.len()
            };
            let body = Body::Row {
                id: id.as_deref().map(&mut put),
                title: title.as_deref().map(&mut put),
                text: put(&text_value),
            };
            b.push(name, Some(row_number), body)?;
        }
        raw.fetch_add(u64::try_from(compressed).unwrap_or(0), Ordering::Relaxed);
    }
    Ok(())
}

/// A Parquet value as text: strings (and UTF-8 bytes) as they are, numbers and other
/// scalars written out, null as `None`; a nested value is `Err(what it is)`.
fn parquet_text(field: &parquet::record::Field) -> Result<Option<String>, &'static str> {
    use parquet::record::Field;
    Ok(Some(match field {
        Field::Null => return Ok(None),
        Field::Str(s) => s.clone(),
        Field::Bytes(b) => match std::str::from_utf8(b.data()) {
            Ok(s) => s.to_string(),
            Err(_) => return Err("binary"),
        },
        Field::Group(_) => return Err("a struct"),
        Field::ListInternal(_) => return Err("a list"),
        Field::MapInternal(_) => return Err("a map"),
        other => other.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_chunk_is_filled_again_unless_a_huge_record_grew_it() {
        let mut chunk = Chunk { data: Vec::with_capacity(CHUNK_BYTES + READ_BUF), ..Chunk::default() };
        chunk.data.extend_from_slice(b"{\"text\":\"x\"}");
        chunk.items.push(Item { source: "a.jsonl".into(), line: Some(1), body: Body::Json(0..12) });
        (chunk.bytes, chunk.raw_position, chunk.sources_read, chunk.sources_failed) = (13, 13, 1, 1);
        let capacity = chunk.data.capacity();
        let again = chunk.recycle().expect("a chunk-sized buffer is filled again");
        assert!(again.data.is_empty() && again.items.is_empty());
        assert_eq!(again.data.capacity(), capacity, "the buffer itself is kept");
        assert_eq!((again.bytes, again.raw_position, again.sources_read, again.sources_failed), (0, 0, 0, 0));

        let huge = Chunk { data: Vec::with_capacity(RECYCLE_MAX_BYTES + 1), ..Chunk::default() };
        assert!(huge.recycle().is_none(), "an outlier's buffer is freed");
        let many = Chunk { items: Vec::with_capacity(RECYCLE_MAX_RECORDS + 1), ..Chunk::default() };
        assert!(many.recycle().is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_ready_when_it_holds_data_or_has_ended() {
        use std::io::Write;
        use std::os::fd::AsRawFd;
        let (mut reader, mut writer) = io::pipe().unwrap();
        let fd = Some(reader.as_raw_fd());
        assert!(!read_is_ready(fd), "an empty pipe whose writer is open would block");
        writer.write_all(b"{}\n").unwrap();
        assert!(read_is_ready(fd), "data is waiting");
        let mut buf = [0u8; 8];
        assert_eq!(reader.read(&mut buf).unwrap(), 3);
        assert!(!read_is_ready(fd), "drained again");
        drop(writer);
        assert!(read_is_ready(fd), "a closed pipe reads its end at once");
        assert!(!read_is_ready(None), "without a descriptor, a read may block");
    }
}
