//! Turning the paths a user gives into the inputs a scan reads, in a stable order:
//! files as they are, directories walked recursively (sorted by name, hidden entries
//! skipped unless asked, symbolic links followed only when asked, with loops
//! reported rather than followed forever), `-` for stdin. The input format comes from
//! the file name unless overridden; gzip is recognised by its magic bytes.

use super::error::RecordError;
use super::{InputFormat, ScanOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

/// The path that names stdin.
pub const STDIN_PATH: &str = "-";
/// The name stdin is given in outputs.
pub const STDIN_NAME: &str = "<stdin>";
/// The first two bytes of every gzip member (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Identity of a file on disk, to keep a scan from reading its own output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    /// The identity of the file at `path`, if it exists (always `None` off Unix).
    pub fn of_path(path: &Path) -> Option<FileId> {
        std::fs::metadata(path).ok().and_then(|m| Self::of_metadata(&m))
    }

    /// The identity of the file stdout writes to, when it is a regular file (as with
    /// `jdclass scan dir > dir/out.jsonl`).
    pub fn of_stdout() -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let fd = io::stdout().as_fd().try_clone_to_owned().ok()?;
            let meta = std::fs::File::from(fd).metadata().ok()?;
            if meta.is_file() {
                return Self::of_metadata(&meta);
            }
        }
        None
    }

    fn of_metadata(meta: &std::fs::Metadata) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId { dev: meta.dev(), ino: meta.ino() })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

/// One input found from the paths given.
#[derive(Debug)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file to read.
    File {
        /// Where it is.
        path: PathBuf,
        /// Its name in outputs.
        name: Arc<str>,
        /// Its size on disk, when known.
        size: Option<u64>,
    },
    /// A path or directory entry that cannot be read.
    Error {
        /// Its name in outputs.
        name: Arc<str>,
        /// Why.
        error: RecordError,
    },
}

/// The format an input is read as: `--input-format` when given, else from the file
/// name (`.jsonl`/`.ndjson`, `.csv`, `.tsv`/`.tab`, `.parquet`/`.pq`, anything else is
/// text; a `.gz` suffix is looked through), and JSONL for stdin (which the reader
/// sniffs: see `read`).
pub fn format_of(name: &str, forced: Option<InputFormat>, is_stdin: bool) -> InputFormat {
    if let Some(f) = forced {
        return f;
    }
    if is_stdin {
        return InputFormat::Jsonl;
    }
    let lower = name.to_ascii_lowercase();
    let base = lower.strip_suffix(".gz").unwrap_or(&lower);
    if base.ends_with(".jsonl") || base.ends_with(".ndjson") {
        InputFormat::Jsonl
    } else if base.ends_with(".csv") {
        InputFormat::Csv
    } else if base.ends_with(".tsv") || base.ends_with(".tab") {
        InputFormat::Tsv
    } else if base.ends_with(".parquet") || base.ends_with(".pq") {
        InputFormat::Parquet
    } else {
        InputFormat::Text
    }
}

/// Call `visit` with every input under `paths`, in order, until it returns `false`.
pub fn for_each_source(paths: &[String], options: &ScanOptions, mut visit: impl FnMut(Source) -> bool) {
    for path in paths {
        if path == STDIN_PATH {
            if !visit(Source::Stdin) {
                return;
            }
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                if !visit(Source::Error { name: path.as_str().into(), error: RecordError::Unreadable(e.to_string()) }) {
                    return;
                }
                continue;
            }
        };
        if !meta.is_dir() {
            // A path named explicitly is read whatever its name or kind (even a FIFO).
            let size = meta.is_file().then_some(meta.len());
            if !visit(Source::File { path: PathBuf::from(path), name: path.as_str().into(), size }) {
                return;
            }
            continue;
        }
        let walker = WalkDir::new(path)
            .follow_links(options.follow_links)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || options.hidden || !is_hidden(e.file_name()));
        for entry in walker {
            let source = match entry {
                Ok(e) if e.file_type().is_file() => {
                    let meta = e.metadata().ok();
                    if meta.as_ref().and_then(FileId::of_metadata).is_some_and(|id| options.skip.contains(&id)) {
                        continue; // our own output
                    }
                    let name: Arc<str> = e.path().to_string_lossy().into();
                    Source::File { path: e.into_path(), name, size: meta.map(|m| m.len()) }
                }
                Ok(_) => continue, // a directory, or a link not followed
                Err(e) => {
                    let name: Arc<str> = match e.path() {
                        Some(p) => p.to_string_lossy().into(),
                        None => path.as_str().into(),
                    };
                    let message = walk_message(&e);
                    Source::Error { name, error: RecordError::Unreadable(message) }
                }
            };
            if !visit(source) {
                return;
            }
        }
    }
}

/// The total size of every file under `paths`, or `None` when one is stdin or of
/// unknown size (for a progress bar's ETA).
pub fn total_size(paths: &[String], options: &ScanOptions) -> Option<u64> {
    let mut total = Some(0u64);
    for_each_source(paths, options, |s| {
        total = match s {
            Source::Stdin | Source::File { size: None, .. } => None,
            Source::File { size: Some(n), .. } => total.map(|t| t + n),
            Source::Error { .. } => total,
        };
        total.is_some()
    });
    total
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn walk_message(e: &walkdir::Error) -> String {
    if let Some(ancestor) = e.loop_ancestor() {
        return format!("symbolic link loop back to {}", ancestor.display());
    }
    match e.io_error() {
        Some(io) => io.to_string(),
        None => e.to_string(),
    }
}

/// A reader that counts the bytes it passes on (compressed bytes, for progress).
pub struct Counting<R> {
    inner: R,
    count: Arc<std::sync::atomic::AtomicU64>,
}

impl<R> Counting<R> {
    /// Count the bytes read from `inner` into `count`.
    pub fn new(inner: R, count: Arc<std::sync::atomic::AtomicU64>) -> Self {
        Counting { inner, count }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// Wrap `raw` in a gzip decoder when it starts with the gzip magic bytes (so
/// `dump.jsonl.gz` and `zcat`-less pipes both work); concatenated members are read
/// as one stream.
pub fn decompress<'a, R: Read + 'a>(mut raw: R) -> io::Result<Box<dyn Read + 'a>> {
    let mut head = [0u8; 2];
    let n = read_exact_or_eof(&mut raw, &mut head)?;
    let joined = io::Cursor::new(head).take(n as u64).chain(raw);
    Ok(if n == 2 && head == GZIP_MAGIC {
        Box::new(flate2::read::MultiGzDecoder::new(joined))
    } else {
        Box::new(joined)
    })
}

pub(crate) fn read_exact_or_eof(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
