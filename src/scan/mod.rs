//! Classifying a corpus in one streaming pass: `jdclass scan`.
//!
//! A dump of job postings can be gigabytes of JSONL, a CSV export or a directory tree
//! of scraped pages. A scan reads it once, in input order, with memory bounded by a
//! few chunks however large the input is, and writes exactly one output line per
//! input record — a verdict, or an error record saying what was wrong — so a bad line
//! never stops the batch and counts in always equal counts out.
//!
//! The shape is the classic one (fd, ripgrep): a **reader thread** splits inputs into
//! records and sends them in bounded [`read::Chunk`]s over a bounded channel; the
//! calling thread cuts each chunk into pieces of a few hundred KB and hands each piece
//! to rayon's pool as one task (one [`Classifier`] shared by reference, one
//! [`Scratch`] per worker thread), which classifies and formats its records into
//! lines. Finished pieces come back with their sequence numbers and the calling
//! thread writes them in input order as soon as their turn comes, while the pool is
//! already on the next pieces: no barrier per chunk, and a bounded number of pieces
//! out at once keeps memory flat. Output order is the input order whatever the number
//! of threads.
//!
//! ```no_run
//! use jdclass::scan::{OutputFormat, Scan, ScanOptions};
//! use jdclass::Classifier;
//!
//! let classifier = Classifier::embedded();
//! let options = ScanOptions { output: OutputFormat::Jsonl, ..ScanOptions::default() };
//! let scan = Scan::new(&classifier, options);
//! let mut out = std::io::stdout().lock();
//! let summary = scan.run(&["postings.jsonl".to_string()], &mut out, &mut |_| {})?;
//! eprintln!("{} classified, {} errors", summary.classified, summary.errors);
//! # Ok::<(), jdclass::scan::ScanError>(())
//! ```

pub mod error;
pub mod format;
pub mod json;
pub mod read;
pub mod source;

pub use error::{Located, RecordError, ScanError};
pub use format::{Row, RowWriter};
pub use json::FieldNames;
pub use source::{total_size, FileId};

use crate::classify::{Classifier, Scratch};
use crate::output::Style;
use crate::score::Label;
use read::{Body, Chunk, Feed, Item};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// Chunks queued between the reader and the workers. With [`read::CHUNK_BYTES`] this
/// bounds the input held in memory to a few chunks, while letting the reader run
/// ahead far enough that the workers never wait on it.
pub const CHANNEL_CHUNKS: usize = 4;
/// Evidence terms kept per record by default.
pub const DEFAULT_TERMS: usize = 5;
/// Evidence terms shown per row of a table: what fits beside the numbers on one line.
const TABLE_TERMS: usize = 3;
/// After a posting this large, a worker's scratch buffers are dropped rather than
/// kept: one outlier must not pin its memory for the rest of the scan.
const SCRATCH_KEEP_BYTES: usize = 1024 * 1024;
/// How often a scan waiting on a quiet stream checks whether it was asked to stop.
const STOP_POLL: Duration = Duration::from_millis(100);
/// Errors quoted in the summary.
const FIRST_ERRORS: usize = 3;
/// A chunk is classified in pieces of at most this many input bytes (or
/// [`PIECE_RECORDS`] records), each one task on the pool: small enough that every
/// thread has work while a chunk is out, large enough that a task's overhead is noise.
const PIECE_BYTES: usize = 256 * 1024;
/// See [`PIECE_BYTES`].
const PIECE_RECORDS: usize = 256;
/// Pieces out on the pool per thread before the scan waits for one to finish: enough
/// that no thread idles while the scan writes or waits for the next chunk.
const IN_FLIGHT_PIECES_PER_THREAD: usize = 3;
/// The input bytes the pieces out on the pool may span, whatever the thread count:
/// full-sized pieces up to 16 threads (16 × 3 × 256 KB); with more threads the pieces
/// get smaller, so memory stays flat instead of growing by a megabyte per thread.
const IN_FLIGHT_BYTES: usize = 12 * 1024 * 1024;
/// Pieces never get smaller than this: a task's overhead must stay noise.
const MIN_PIECE_BYTES: usize = 16 * 1024;
/// How soon the scan looks at finished pieces while it waits for the next chunk.
const FINISHED_POLL: Duration = Duration::from_millis(2);

/// The piece size with `threads` threads (see [`IN_FLIGHT_BYTES`]).
fn piece_bytes(threads: usize) -> usize {
    (IN_FLIGHT_BYTES / (IN_FLIGHT_PIECES_PER_THREAD * threads.max(1))).clamp(MIN_PIECE_BYTES, PIECE_BYTES)
}

/// How an input is split into postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// One posting per file (plain text, markdown, HTML).
    Text,
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row (RFC 4180), or without one (`no_headers`).
    Csv,
    /// Tab-separated values: CSV with tabs.
    Tsv,
    /// Apache Parquet: one posting per row (a file on disk; not stdin).
    Parquet,
}

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// Aligned columns for a terminal.
    Table {
        /// Colour labels and errors.
        color: bool,
    },
}

/// What to read and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Read every input as this format instead of guessing from its name.
    pub input_format: Option<InputFormat>,
    /// Which fields hold the id, title and text (JSONL keys, CSV columns).
    pub fields: FieldNames,
    /// Largest record accepted, in bytes (a text file, a JSONL line, a CSV row).
    pub max_bytes: u64,
    /// Walk into hidden files and directories.
    pub hidden: bool,
    /// Follow symbolic links while walking directories (loops are reported).
    pub follow_links: bool,
    /// Files never read (the scan's own output).
    pub skip: Vec<FileId>,
    /// Output format.
    pub output: OutputFormat,
    /// Evidence terms kept per record.
    pub terms: usize,
    /// The CSV field separator (default: `,` for CSV, a tab for TSV).
    pub delimiter: Option<u8>,
    /// CSV/TSV input has no header row: the fields name columns by number (from 1).
    pub no_headers: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            input_format: None,
            fields: FieldNames::default(),
            max_bytes: crate::input::DEFAULT_MAX_BYTES,
            hidden: false,
            follow_links: false,
            skip: Vec::new(),
            output: OutputFormat::Jsonl,
            terms: DEFAULT_TERMS,
            delimiter: None,
            no_headers: false,
        }
    }
}

/// Where a scan stands, reported after each chunk is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Records written so far.
    pub records: u64,
    /// Of which errors.
    pub errors: u64,
    /// Input bytes consumed (decompressed).
    pub bytes: u64,
    /// Bytes read from files and stdin (compressed as stored): compare with
    /// [`total_size`] for a progress bar.
    pub raw_bytes: u64,
}

/// Records per label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LabelCounts {
    /// Product Manager.
    pub pm: u64,
    /// Product Owner.
    pub po: u64,
    /// Both.
    pub hybrid: u64,
    /// Another role.
    pub other: u64,
}

impl LabelCounts {
    fn add(&mut self, label: Label) {
        match label {
            Label::Pm => self.pm += 1,
            Label::Po => self.po += 1,
            Label::Hybrid => self.hybrid += 1,
            Label::Other => self.other += 1,
        }
    }

    fn merge(&mut self, o: &LabelCounts) {
        self.pm += o.pm;
        self.po += o.po;
        self.hybrid += o.hybrid;
        self.other += o.other;
    }
}

/// What a scan did: counts in = counts out (`records == classified + errors`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Output records written.
    pub records: u64,
    /// Records with a verdict.
    pub classified: u64,
    /// Error records.
    pub errors: u64,
    /// Verdicts per label.
    pub labels: LabelCounts,
    /// Error records per kind (see [`RecordError::kind`]); kinds seen only.
    pub errors_by_kind: BTreeMap<&'static str, u64>,
    /// Inputs (files, stdin) opened.
    pub inputs_read: u64,
    /// Inputs and directory entries that could not be opened or listed.
    pub inputs_failed: u64,
    /// Input bytes consumed (decompressed).
    pub bytes: u64,
    /// Wall-clock time.
    pub elapsed_seconds: f64,
    /// Records per second.
    pub postings_per_second: f64,
    /// Input megabytes (10⁶ bytes) per second.
    pub megabytes_per_second: f64,
    /// The scan stopped early because it was asked to (Ctrl-C).
    pub interrupted: bool,
    /// The first few errors, with where they are.
    pub first_errors: Vec<String>,
    /// The lexicon that produced the verdicts.
    pub lexicon: SummaryLexicon,
}

/// The lexicon named in a summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SummaryLexicon {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its content hash.
    pub hash: String,
}

/// Counts of one stretch of records, merged in input order.
#[derive(Debug, Default)]
struct Tally {
    records: u64,
    labels: LabelCounts,
    errors: [u64; RecordError::KINDS.len()],
    first_errors: Vec<Located>,
}

impl Tally {
    fn merge(&mut self, o: Tally) {
        self.records += o.records;
        self.labels.merge(&o.labels);
        for (a, b) in self.errors.iter_mut().zip(o.errors) {
            *a += b;
        }
        let room = FIRST_ERRORS.saturating_sub(self.first_errors.len());
        self.first_errors.extend(o.first_errors.into_iter().take(room));
    }
}

/// One part of a chunk's output, built by one worker.
#[derive(Default)]
struct Part {
    out: Vec<u8>,
    tally: Tally,
    /// Title + text of the current record.
    text: String,
}

/// The item ranges of `chunk` classified as one task each, about `piece_bytes` of
/// input each (see [`PIECE_BYTES`]).
fn pieces(chunk: &Chunk, piece_bytes: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, item) in chunk.items.iter().enumerate() {
        bytes += item.byte_len();
        if bytes >= piece_bytes || i + 1 - start >= PIECE_RECORDS {
            out.push(start..i + 1);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < chunk.items.len() || out.is_empty() {
        out.push(start..chunk.items.len());
    }
    out
}

/// Finished pieces waiting for their turn: output goes out in sequence order.
#[derive(Default)]
struct Reorder {
    /// The next sequence number to hand out, and the next one to write.
    next: u64,
    next_write: u64,
    waiting: BTreeMap<u64, Part>,
    /// Sequence number of a chunk's last piece → the chunk, whose figures go into the
    /// summary and whose buffers go back to the reader once that piece is written.
    chunks: BTreeMap<u64, Arc<Chunk>>,
}

impl Reorder {
    /// The next sequence number; `last_of` is the chunk when the piece is its last.
    fn next_seq(&mut self, last_of: Option<&Arc<Chunk>>) -> u64 {
        let seq = self.next;
        self.next += 1;
        if let Some(chunk) = last_of {
            self.chunks.insert(seq, chunk.clone());
        }
        seq
    }

    fn in_flight(&self) -> usize {
        (self.next - self.next_write) as usize
    }

    fn finished(&mut self, seq: u64, part: Part) {
        self.waiting.insert(seq, part);
    }

    /// Write every finished piece whose turn has come, updating the counts, calling
    /// `progress` after each whole chunk and sending the chunk's buffers to `spare`.
    fn write(
        &mut self,
        spare: &mpsc::Sender<Chunk>,
        out: &mut dyn Write,
        tally: &mut Tally,
        summary: &mut Summary,
        at: &mut Progress,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<(), ScanError> {
        let mut wrote = false;
        while let Some(part) = self.waiting.remove(&self.next_write) {
            out.write_all(&part.out).map_err(ScanError::Output)?;
            tally.merge(part.tally);
            wrote = true;
            if let Some(chunk) = self.chunks.remove(&self.next_write) {
                summary.inputs_read += chunk.sources_read;
                summary.inputs_failed += chunk.sources_failed;
                summary.bytes += chunk.bytes;
                *at = Progress {
                    records: tally.records,
                    errors: tally.errors.iter().sum(),
                    bytes: summary.bytes,
                    raw_bytes: chunk.raw_position,
                };
                progress(at);
                // Every piece of the chunk is written, and each worker let go of the
                // chunk before sending its piece, so this is the last hold on it. The
                // reader may be gone already: then the buffers are simply freed.
                if let Some(empty) = Arc::try_unwrap(chunk).ok().and_then(Chunk::recycle) {
                    let _ = spare.send(empty);
                }
            }
            self.next_write += 1;
        }
        if wrote {
            out.flush().map_err(ScanError::Output)?;
        }
        Ok(())
    }
}

/// A configured scan: a classifier, options and a stop flag.
pub struct Scan<'c> {
    classifier: &'c Classifier,
    options: ScanOptions,
    stop: Arc<AtomicBool>,
}

impl<'c> Scan<'c> {
    /// A scan with `classifier`.
    pub fn new(classifier: &'c Classifier, options: ScanOptions) -> Self {
        Scan { classifier, options, stop: Arc::new(AtomicBool::new(false)) }
    }

    /// Set this flag (from a Ctrl-C handler, say) to stop the scan once the chunk
    /// being classified is written: the output then ends on a whole line.
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        self.stop.clone()
    }

    /// The writer for the configured output format.
    fn writer(&self) -> Box<dyn RowWriter + '_> {
        let lexicon = &self.classifier.lexicon().id;
        match self.options.output {
            OutputFormat::Jsonl => Box::new(format::Jsonl { lexicon }),
            OutputFormat::Csv => Box::new(format::Csv { lexicon }),
            OutputFormat::Table { color } => {
                Box::new(format::Table { style: Style { color }, terms: TABLE_TERMS.min(self.options.terms) })
            }
        }
    }

    /// Scan `paths` (files, directories, `-` for stdin), writing one line per record
    /// to `out` and calling `progress` after each chunk. Fails only when the output
    /// cannot be written; every input problem becomes an error record.
    pub fn run(
        &self,
        paths: &[String],
        out: &mut dyn Write,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Summary, ScanError> {
        let (paths, options) = (paths.to_vec(), self.options.clone());
        self.run_reading(move |feed| read::read_all(&paths, &options, feed), out, progress)
    }

    /// Scan one stream (an HTTP request body, say) named `name`, read as `format`,
    /// exactly as `run` scans stdin: one line per record, in order, flushed per chunk.
    pub fn run_stream(
        &self,
        input: Box<dyn std::io::Read + Send>,
        name: &str,
        format: InputFormat,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Summary, ScanError> {
        let (name, options): (Arc<str>, _) = (name.into(), self.options.clone());
        let read = move |feed| read::read_stream(input, &name, format, &options, feed);
        self.run_reading(read, out, progress)
    }

    /// The scan loop, with `read` filling the channel on the reader thread.
    fn run_reading(
        &self,
        read: impl FnOnce(Feed) + Send + 'static,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Summary, ScanError> {
        let started = Instant::now();
        let writer = self.writer();
        let mut header = Vec::new();
        writer.header(&mut header);
        out.write_all(&header).and_then(|()| out.flush()).map_err(ScanError::Output)?;

        let (tx, rx) = mpsc::sync_channel::<Chunk>(CHANNEL_CHUNKS);
        // Unbounded, yet it never holds more than the chunks in flight at once.
        let (spare_tx, spare) = mpsc::channel::<Chunk>();
        let raw = Arc::new(AtomicU64::new(0));
        let reader = {
            let feed = Feed { tx, spare, stop: self.stop.clone(), raw: raw.clone() };
            std::thread::Builder::new()
                .name("jdclass-scan-reader".into())
                .spawn(move || read(feed))
                .map_err(ScanError::Thread)?
        };

        let scratches: Vec<Mutex<Scratch>> = (0..rayon::current_num_threads()).map(|_| Mutex::default()).collect();
        let mut tally = Tally::default();
        let mut summary = Summary::default();
        let mut at = Progress::default();
        let mut finished = false;
        // Pieces of chunks classified on the pool, put back in input order here by
        // sequence number: no barrier per chunk, so no core idles at a chunk's tail or
        // while the output is written.
        let (done_tx, done_rx) = mpsc::channel::<(u64, Part)>();
        let mut order = Reorder::default();
        let result = rayon::in_place_scope(|scope| -> Result<(), ScanError> {
            let threads = rayon::current_num_threads().max(1);
            let in_flight_limit = IN_FLIGHT_PIECES_PER_THREAD * threads;
            let piece_bytes = piece_bytes(threads);
            while !self.stop.load(Ordering::Relaxed) {
                // Write whatever is finished, and wait for pieces while too many are out.
                while let Ok((seq, part)) = done_rx.try_recv() {
                    order.finished(seq, part);
                }
                order.write(&spare_tx, out, &mut tally, &mut summary, &mut at, progress)?;
                if order.in_flight() >= in_flight_limit {
                    if let Ok((seq, part)) = done_rx.recv() {
                        order.finished(seq, part);
                    }
                    continue;
                }
                // While pieces are out, look back at them soon; a quiet stream with
                // nothing out only needs to notice the stop flag.
                let wait = if order.in_flight() > 0 { FINISHED_POLL } else { STOP_POLL };
                let mut chunk = match rx.recv_timeout(wait) {
                    Ok(chunk) => chunk,
                    Err(mpsc::RecvTimeoutError::Timeout) => continue,
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        finished = true;
                        break;
                    }
                };
                // Small chunks (a stream sent what it had before blocking) are merged
                // with whatever else is already waiting.
                while !chunk.is_full() {
                    match rx.try_recv() {
                        Ok(mut next) => {
                            chunk.absorb(&mut next);
                            if let Some(c) = next.recycle() {
                                let _ = spare_tx.send(c);
                            }
                        }
                        Err(_) => break,
                    }
                }
                let chunk = Arc::new(chunk);
                let pieces = pieces(&chunk, piece_bytes);
                let last = pieces.len().saturating_sub(1);
                for (i, range) in pieces.into_iter().enumerate() {
                    let seq = order.next_seq((i == last).then_some(&chunk));
                    let (chunk, done_tx, scratches, writer) = (chunk.clone(), done_tx.clone(), &scratches, &writer);
                    scope.spawn(move |_| {
                        let mut part = Part::default();
                        for item in &chunk.items[range] {
                            // Classification catches its own panics; this also covers
                            // reading the record and formatting its line, so a bug there
                            // costs one error record, never the piece (and never a scan
                            // waiting forever for it).
                            let (out_len, records) = (part.out.len(), part.tally.records);
                            let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                self.process(item, &chunk.data, scratches, &**writer, &mut part)
                            }));
                            if done.is_err() {
                                part.out.truncate(out_len);
                                part.tally.records = records;
                                self.internal_error(item, &**writer, &mut part);
                            }
                        }
                        // Let go of the chunk first: once its last piece is written,
                        // the scan holds the only reference and recycles it.
                        drop(chunk);
                        // The receiver only goes away when the scan failed to write.
                        let _ = done_tx.send((seq, part));
                    });
                }
            }
            // Stopped or the input ended: what is out is still written, whole.
            while order.in_flight() > 0 {
                match done_rx.recv() {
                    Ok((seq, part)) => order.finished(seq, part),
                    Err(_) => break,
                }
                order.write(&spare_tx, out, &mut tally, &mut summary, &mut at, progress)?;
            }
            Ok(())
        });
        result?;
        drop(rx);
        if finished {
            // The channel closed: the reader is done.
            reader.join().map_err(|_| ScanError::ReaderPanicked)?;
        } // else it may be blocked on stdin: leave it, it stops at its next send.

        let elapsed = started.elapsed().max(Duration::from_micros(1)).as_secs_f64();
        let lexicon = &self.classifier.lexicon().id;
        summary.records = tally.records;
        summary.errors = at.errors;
        summary.classified = tally.records - at.errors;
        summary.labels = tally.labels;
        summary.errors_by_kind =
            RecordError::KINDS.iter().zip(tally.errors).filter(|(_, n)| *n > 0).map(|(k, n)| (*k, n)).collect();
        summary.elapsed_seconds = elapsed;
        summary.postings_per_second = summary.records as f64 / elapsed;
        summary.megabytes_per_second = summary.bytes as f64 / 1e6 / elapsed;
        // Interrupted also when the stop came while the reader was blocked and its input
        // then ended (Ctrl-C also closes `cat | jdclass scan -`'s input): the reader drops
        // what it had, so the scan must not look like one that read nothing.
        summary.interrupted = !finished || self.stop.load(Ordering::Relaxed);
        summary.first_errors = tally.first_errors.iter().map(ToString::to_string).collect();
        summary.lexicon =
            SummaryLexicon { name: lexicon.name.clone(), version: lexicon.version.clone(), hash: lexicon.hash.clone() };
        Ok(summary)
    }

    /// Classify one record and append its line to `part`.
    fn process(&self, item: &Item, data: &[u8], scratches: &[Mutex<Scratch>], writer: &dyn RowWriter, part: &mut Part) {
        let mut id: Option<String> = None;
        let outcome = self.posting(item, data, &mut id, &mut part.text).and_then(|()| {
            let slot = rayon::current_thread_index().unwrap_or(0) % scratches.len().max(1);
            let mut scratch = match scratches.get(slot).map(Mutex::lock) {
                Some(Ok(guard)) => guard,
                Some(Err(poisoned)) => poisoned.into_inner(),
                None => return Err(RecordError::Internal),
            };
            let text = part.text.as_str();
            let verdict = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.classifier.classify_brief(text, &mut scratch, self.options.terms)
            }));
            if verdict.is_err() || text.len() > SCRATCH_KEEP_BYTES {
                *scratch = Scratch::new(); // drop a large (or broken) scratch's memory
            }
            verdict.map_err(|_| RecordError::Internal)
        });
        let row = Row { source: &item.source, line: item.line, id: id.as_deref(), outcome: outcome.as_ref() };
        writer.row(&mut part.out, &row);
        let tally = &mut part.tally;
        tally.records += 1;
        match &outcome {
            Ok(brief) => tally.labels.add(brief.label),
            Err(e) => {
                tally.errors[e.kind_index()] += 1;
                if tally.first_errors.len() < FIRST_ERRORS {
                    tally.first_errors.push(Located { source: item.source.clone(), line: item.line, error: e.clone() });
                }
            }
        }
        if part.text.capacity() > SCRATCH_KEEP_BYTES {
            part.text = String::new();
        }
    }

    /// The error record of an item whose processing panicked.
    fn internal_error(&self, item: &Item, writer: &dyn RowWriter, part: &mut Part) {
        let error = RecordError::Internal;
        let row = Row { source: &item.source, line: item.line, id: None, outcome: Err(&error) };
        writer.row(&mut part.out, &row);
        part.tally.records += 1;
        part.tally.errors[error.kind_index()] += 1;
    }

    /// Put the record's posting (title line, then text) into `text` and its id into `id`.
    fn posting(&self, item: &Item, data: &[u8], id: &mut Option<String>, text: &mut String) -> Result<(), RecordError> {
        text.clear();
        let get = |r: &std::ops::Range<usize>| data.get(r.clone()).unwrap_or_default();
        match &item.body {
            Body::Error(e) => Err(e.clone()),
            Body::Text(r) => {
                let bytes = get(r);
                // The same rule as `jdclass FILE` and `check` (see `input::no_text`).
                match crate::input::no_text(bytes) {
                    Some(crate::input::NoText::Binary) => return Err(RecordError::Binary),
                    Some(crate::input::NoText::Empty) => return Err(RecordError::Empty),
                    None => {}
                }
                text.push_str(utf8(bytes)?);
                nonempty(text)
            }
            Body::Row { id: id_span, title, text: body } => {
                *id = id_span.as_ref().map(|r| String::from_utf8_lossy(get(r)).into_owned()).filter(|s| !s.is_empty());
                let body = utf8(get(body))?;
                nonempty(body)?;
                let title = title.as_ref().map(|r| String::from_utf8_lossy(get(r)));
                compose(text, title.as_deref(), body);
                Ok(())
            }
            Body::Json(r) => {
                let line = utf8(get(r))?;
                let fields = json::extract(line, &self.options.fields)
                    .map_err(|e| RecordError::Json(json::describe_error(&e)))?;
                *id = fields.id.and_then(json::Value::into_id);
                let names = &self.options.fields;
                // A text field that is there but null is named as such, not as missing.
                let null = names.text.iter().zip(&fields.text).find(|(_, v)| matches!(v, Some(json::Value::Null)));
                let null = null.map(|(name, _)| name.clone());
                let found = names.text.iter().zip(fields.text).find_map(|(name, v)| match v {
                    None | Some(json::Value::Null) => None,
                    Some(v) => Some((name, v)),
                });
                let body = match found {
                    Some((_, json::Value::Str(s))) => s,
                    Some((name, other)) => {
                        return Err(RecordError::NotString { field: name.clone(), found: other.describe() })
                    }
                    None => {
                        return Err(match null {
                            Some(field) => RecordError::NotString { field, found: "null" },
                            None => RecordError::MissingField { wanted: names.text_wanted(), available: String::new() },
                        })
                    }
                };
                nonempty(&body)?;
                let title = match fields.title {
                    Some(json::Value::Str(t)) => Some(t),
                    None | Some(json::Value::Null) => None,
                    Some(other) => {
                        return Err(RecordError::NotString { field: names.title.clone(), found: other.describe() })
                    }
                };
                compose(text, title.as_deref(), &body);
                Ok(())
            }
        }
    }
}

fn nonempty(text: &str) -> Result<(), RecordError> {
    if text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').is_empty() {
        Err(RecordError::Empty)
    } else {
        Ok(())
    }
}

/// Classify one posting held in memory as a scan classifies a JSONL or CSV record (a
/// binding's batch, a server's request): the same refusals (empty text, over
/// `max_bytes`), the title as the first line, the lean [`Brief`](crate::classify::Brief),
/// and a panic caught as [`RecordError::Internal`]. `text` is reusable scratch.
pub fn classify_record<'c>(
    classifier: &'c Classifier,
    title: Option<&str>,
    body: &str,
    max_bytes: u64,
    terms: usize,
    scratch: &mut Scratch,
    text: &mut String,
) -> Result<crate::classify::Brief<'c>, RecordError> {
    let size = (body.len() + title.map_or(0, str::len)) as u64;
    if size > max_bytes {
        return Err(RecordError::TooLarge { size, max: max_bytes });
    }
    nonempty(body)?;
    compose(text, title, body);
    let brief =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| classifier.classify_brief(text, scratch, terms)));
    brief.map_err(|_| {
        *scratch = Scratch::new();
        RecordError::Internal
    })
}

/// The text the classifier reads: the title as its first line (where the classifier
/// looks for a title naming a role), then the body; the title is not repeated when
/// the body already opens with it.
pub fn compose(out: &mut String, title: Option<&str>, body: &str) {
    out.clear();
    if let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) {
        if !body.trim_start().starts_with(title) {
            if title.contains(['\n', '\r']) {
                // The title must stay one line.
                for (i, word) in title.split_whitespace().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(word);
                }
            } else {
                out.push_str(title);
            }
            out.push('\n');
        }
    }
    out.push_str(body);
}

/// `bytes` as UTF-8, or where the first invalid byte is.
fn utf8(bytes: &[u8]) -> Result<&str, RecordError> {
    std::str::from_utf8(bytes).map_err(|e| RecordError::InvalidUtf8 { offset: e.valid_up_to() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_shrink_past_sixteen_threads_so_memory_stays_flat() {
        for threads in [0, 1, 2, 8, 16] {
            assert_eq!(piece_bytes(threads), PIECE_BYTES, "{threads} threads");
        }
        assert_eq!(piece_bytes(64), PIECE_BYTES / 4);
        assert_eq!(piece_bytes(10_000), MIN_PIECE_BYTES);
        for threads in [16, 32, 64, 256] {
            let spanned = IN_FLIGHT_PIECES_PER_THREAD * threads * piece_bytes(threads);
            assert!(spanned <= IN_FLIGHT_BYTES, "{threads} threads span {spanned} bytes");
        }
    }
}
