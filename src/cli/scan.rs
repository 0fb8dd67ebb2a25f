//! `jdclass scan PATH...`: classify a corpus in parallel, streaming, one output line
//! per input record. The flags become [`ScanOptions`]; the work is done by
//! [`jdclass::scan::Scan`]; this module adds what only a command line has: the
//! output file, the progress bar, Ctrl-C, the summary and the exit code.

use super::output::{format_parser, parse_posting_size, Format, OutputOpts};
use super::{ColorOpt, Config, LexiconOpt, Outcome, ThreadsOpt};
use anyhow::{bail, Result};
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jdclass::input::DEFAULT_MAX_BYTES;
use jdclass::scan::{
    total_size, FieldNames, FileId, InputFormat, OutputFormat, Progress, Scan, ScanOptions, Summary, DEFAULT_TERMS,
};
use std::fmt::Write as _;
use std::io::{BufWriter, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Output buffer: a chunk's lines usually fit, so each chunk is one or two writes.
const OUTPUT_BUFFER: usize = 256 * 1024;
/// How often the progress bar redraws on its own (spinner, elapsed time).
const PROGRESS_TICK: Duration = Duration::from_millis(200);

/// Formats `jdclass scan` writes: line by line, as it streams.
const FORMATS: &[Format] = &[Format::Human, Format::Jsonl, Format::Csv];

const EXIT_CODES: &str = "\
Input: files, directories (walked recursively), or `-` for stdin, which is also read when
no PATH is given and stdin is not a terminal. The format comes from each file's extension:
.jsonl/.ndjson, .csv, .tsv, .parquet, anything else is one posting; gzip is detected.
Stdin is sniffed: JSON Lines when it starts with `{`, CSV/TSV when its first line names
the text column, one posting otherwise (--input-format overrides).

Output: one line per input record, in input order whatever --threads is.
  jsonl  id, source, line, label, confidence, scores {strategic, roadmap},
         evidence [entry ids, strongest first], title_role, lexicon {name, version, hash};
         a record that cannot be classified (bad JSON, no text, empty or binary, invalid
         UTF-8, over --max-bytes, unreadable file...) has error and error_kind instead
  csv    the same fields as columns, evidence joined with ';', and an error column
  human  aligned columns (alias: table); the default on a terminal, jsonl otherwise
  A summary (counts per label and per error kind, MB/s) goes to stderr.

Exit codes:
  0    the scan ran (error records, if any, are in the output); a closed output pipe
  1    --fail-on-error was given and some records were errors
  2    nothing could be read (no input found or every input unreadable), bad flags, or
       the output could not be written
  130  interrupted with Ctrl-C, SIGTERM or SIGHUP: the output ends after the last whole
       chunk (a second signal stops at once, cutting an output file to its last record)

Examples:
  jdclass scan postings/                        # a directory of .txt/.md/.html files
  jdclass scan dump.jsonl.gz -o labels.csv      # the output format from the extension
  cat dump.jsonl | jdclass scan > labels.jsonl  # stdin when piped
  jdclass scan export.csv --text-field body --id-field job_id --summary json
  jdclass scan excel.tsv --no-headers --text-field 3 --id-field 1
  jdclass scan train.parquet --text-field description --threads 2";

/// Flags of `jdclass scan`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
pub struct ScanArgs {
    /// Files, directories (walked recursively), or `-` for stdin (the default when stdin
    /// is piped). Formats come from the extension: .jsonl/.ndjson (one posting per line),
    /// .csv/.tsv (a header row), .parquet (one posting per row), anything else is one
    /// posting per file; gzipped input (e.g. dump.jsonl.gz) is detected.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,

    /// Output format [default: from -o's extension; human on a terminal, jsonl otherwise].
    #[arg(long, value_name = "FORMAT", value_parser = format_parser(FORMATS))]
    format: Option<Format>,

    #[command(flatten)]
    out: OutputOpts,

    /// Read every input as this format instead of guessing from its name or content.
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormatArg>,

    /// JSONL key or CSV/Parquet column holding each posting's id (a number from 1 with
    /// --no-headers).
    #[arg(long, default_value = "id", value_name = "NAME")]
    id_field: String,

    /// JSONL key or CSV/Parquet column holding the job title, given to the classifier as
    /// the posting's first line.
    #[arg(long, default_value = "title", value_name = "NAME")]
    title_field: String,

    /// JSONL key or CSV/Parquet column holding the posting's text [default: text, falling
    /// back to description].
    #[arg(long, value_name = "NAME")]
    text_field: Option<String>,

    /// CSV field separator, one character (default: `,`; a tab for .tsv). `\t` is a tab.
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    delimiter: Option<u8>,

    /// CSV/TSV input has no header row: name columns by number, counting from 1
    /// (--text-field 3 --id-field 1).
    #[arg(long)]
    no_headers: bool,

    /// Largest record accepted (a file, a JSONL line, a CSV row; bytes, with K, M, G
    /// suffixes); larger ones become error records without being read into memory.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES, value_name = "SIZE", value_parser = parse_posting_size)]
    max_bytes: u64,

    /// Also read hidden files and directories (names starting with a dot).
    #[arg(long)]
    hidden: bool,

    /// Follow symbolic links inside directories (loops are reported, not followed).
    #[arg(short = 'L', long)]
    follow: bool,

    /// Evidence terms per record, strongest first.
    #[arg(long, default_value_t = DEFAULT_TERMS, value_name = "N")]
    top: usize,

    /// How to print the end-of-run summary on stderr (json is printed even with -q).
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text, value_name = "FORMAT")]
    summary: SummaryFormat,

    /// Exit with 1 when any record was an error.
    #[arg(long)]
    fail_on_error: bool,

    #[command(flatten)]
    pub lexicon: LexiconOpt,

    #[command(flatten)]
    pub color: ColorOpt,

    #[command(flatten)]
    pub threads: ThreadsOpt,
}

/// `--delimiter`: one ASCII character, or `\t` / `tab` for a tab.
fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => Ok(s.as_bytes()[0]),
        _ => Err(format!("\"{s}\" is not a delimiter: give one ASCII character (or \\t for a tab)")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputFormatArg {
    /// One posting per input.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// CSV (a header row unless --no-headers).
    Csv,
    /// Tab-separated values.
    Tsv,
    /// Apache Parquet, one posting per row.
    Parquet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SummaryFormat {
    /// Readable lines.
    Text,
    /// One JSON object.
    Json,
}

/// Scan the inputs.
pub fn run(config: &Config, args: &ScanArgs) -> Result<Outcome> {
    let to_stdout = args.out.output.is_none();
    let default = if args.out.to_terminal() { Format::Human } else { Format::Jsonl };
    let output = match args.out.format(args.format, FORMATS, default, "jdclass scan")? {
        Format::Csv => OutputFormat::Csv,
        Format::Human => OutputFormat::Table { color: to_stdout && config.style.color },
        _ => OutputFormat::Jsonl,
    };
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        if std::io::stdin().is_terminal() {
            bail!("no input given: try `jdclass scan postings/`, `jdclass scan dump.jsonl`, or pipe postings in (`… | jdclass scan`)");
        }
        paths.push("-".into());
    } else if paths.iter().any(|p| p == "-") && std::io::stdin().is_terminal() && !args.out.quiet {
        eprintln!("jdclass: reading postings from stdin… (end with Ctrl-D)");
    }
    if args.no_headers {
        let numbered = |f: &str| f.parse::<usize>().is_ok_and(|n| n >= 1);
        if !args.text_field.as_deref().is_some_and(numbered) {
            bail!("--no-headers names columns by number: give --text-field N (and --id-field N, --title-field N), counting from 1");
        }
    }
    let mut fields = FieldNames { id: args.id_field.clone(), title: args.title_field.clone(), ..FieldNames::default() };
    if let Some(text) = &args.text_field {
        fields.text = vec![text.clone()];
    }
    let mut options = ScanOptions {
        input_format: args.input_format.map(|f| match f {
            InputFormatArg::Text => InputFormat::Text,
            InputFormatArg::Jsonl => InputFormat::Jsonl,
            InputFormatArg::Csv => InputFormat::Csv,
            InputFormatArg::Tsv => InputFormat::Tsv,
            InputFormatArg::Parquet => InputFormat::Parquet,
        }),
        fields,
        max_bytes: args.max_bytes,
        hidden: args.hidden,
        follow_links: args.follow,
        skip: Vec::new(),
        output,
        terms: args.top,
        delimiter: args.delimiter,
        no_headers: args.no_headers,
    };
    let paths = &paths;

    let (inner, file): (Box<dyn Write>, Option<std::fs::File>) = match &args.out.output {
        Some(path) => {
            let file =
                std::fs::File::create(path).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
            options.skip.extend(FileId::of_path(path));
            let handle = file.try_clone().ok();
            (Box::new(file), handle)
        }
        None => {
            options.skip.extend(FileId::of_stdout());
            (Box::new(std::io::stdout().lock()), stdout_file())
        }
    };
    let whole = WholeRecords::new(inner, file);
    let guard = whole.guard();
    let mut out = BufWriter::with_capacity(OUTPUT_BUFFER, whole);

    let scan = Scan::new(&config.classifier, options.clone());
    install_ctrlc(scan.stop_flag(), guard);
    let bar = (!args.out.quiet && std::io::stderr().is_terminal()).then(|| progress_bar(paths, &options));
    let started = Instant::now();
    let mut on_progress = |p: &Progress| {
        if let Some(bar) = &bar {
            bar.set_position(p.raw_bytes);
            let rate = p.records as f64 / started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{} postings, {}/s, {} errors",
                thousands(p.records),
                thousands(rate as u64),
                p.errors
            ));
        }
    };
    let result = scan.run(paths, &mut out, &mut on_progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = result?;
    drop(out);

    // stderr may be a closed pipe too: a summary that cannot be printed is not a failure.
    let mut stderr = std::io::stderr().lock();
    match args.summary {
        SummaryFormat::Json => {
            let _ = writeln!(stderr, "{}", serde_json::to_string(&summary)?);
        }
        SummaryFormat::Text if !args.out.quiet => {
            let _ = stderr.write_all(render_summary(&summary).as_bytes());
        }
        SummaryFormat::Text => {}
    }
    Ok(if summary.interrupted {
        Outcome::Interrupted
    } else if summary.inputs_read == 0 {
        let hint = if summary.inputs_failed == 0 && !args.hidden {
            " (hidden files are skipped; --hidden reads them)"
        } else {
            ""
        };
        let _ = writeln!(stderr, "jdclass: nothing could be read from {}{hint}", paths.join(" "));
        Outcome::Error
    } else if args.fail_on_error && summary.errors > 0 {
        Outcome::Mismatch
    } else {
        Outcome::Success
    })
}

/// First Ctrl-C: finish the chunk in hand and stop on a whole line. Second: stop now.
/// Ctrl-C, SIGTERM and SIGHUP ask the scan to stop after the chunk in hand; a second
/// signal ends the process at once, first cutting a regular output file back to its
/// last whole record.
///
/// On unix the action runs inside the signal handler, so the stop flag is set before
/// the interrupted read returns: a Ctrl-C that also closes the input (as it does for a
/// pipe) is still reported as an interruption, not as the end of the input.
#[cfg(unix)]
fn install_ctrlc(stop: Arc<AtomicBool>, guard: OutputGuard) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        let (stop, guard) = (stop.clone(), guard.clone());
        // SAFETY: the action is async-signal-safe: it touches atomics, truncates a file
        // (one ftruncate call, no allocation) and ends the process with _exit.
        let _ = unsafe {
            signal_hook::low_level::register(signal, move || {
                if stop.swap(true, Ordering::SeqCst) {
                    guard.cut_to_whole_records();
                    signal_hook::low_level::exit(130);
                }
            })
        };
    }
}

#[cfg(not(unix))]
fn install_ctrlc(stop: Arc<AtomicBool>, guard: OutputGuard) {
    // Fails only if a handler is already installed, which never happens before this.
    let _ = ctrlc::set_handler(move || {
        if stop.swap(true, Ordering::SeqCst) {
            guard.cut_to_whole_records();
            std::process::exit(130);
        }
    });
}

/// Stdout as a file, when it is a regular file (`jdclass scan … > out.jsonl`).
fn stdout_file() -> Option<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
        let file = std::fs::File::from(fd);
        file.metadata().ok()?.is_file().then_some(file)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// What it takes to cut a regular output file back to its last whole record: the file,
/// where our output began in it, and how many bytes of whole records were flushed.
#[derive(Clone)]
struct OutputGuard {
    file: Option<Arc<std::fs::File>>,
    base: u64,
    committed: Arc<std::sync::atomic::AtomicU64>,
    /// Set once the output is being cut: no further write may land after the cut.
    closed: Arc<AtomicBool>,
}

impl OutputGuard {
    /// Truncate a regular output file to the last flush (the scan flushes after whole
    /// chunks of lines only). Pipes and terminals cannot be unwritten; nothing to do.
    fn cut_to_whole_records(&self) {
        self.closed.store(true, Ordering::SeqCst);
        if let Some(file) = &self.file {
            let _ = file.set_len(self.base + self.committed.load(Ordering::SeqCst));
        }
    }
}

/// The scan's output: counts the bytes written and, at each flush (the scan flushes
/// after each chunk of whole lines), records them as committed. A failed write (disk
/// full) cuts a regular file back to the committed length before reporting the error,
/// so the output never ends in half a record.
struct WholeRecords {
    inner: Box<dyn Write>,
    written: u64,
    guard: OutputGuard,
}

impl WholeRecords {
    fn new(inner: Box<dyn Write>, file: Option<std::fs::File>) -> Self {
        use std::io::Seek;
        let mut file = file;
        let base = file.as_mut().and_then(|f| f.stream_position().ok()).unwrap_or(0);
        let guard = OutputGuard { file: file.map(Arc::new), base, committed: Arc::default(), closed: Arc::default() };
        WholeRecords { inner, written: 0, guard }
    }

    fn guard(&self) -> OutputGuard {
        self.guard.clone()
    }

    fn failed(&self, e: std::io::Error) -> std::io::Error {
        self.guard.cut_to_whole_records();
        e
    }
}

impl Write for WholeRecords {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.guard.closed.load(Ordering::SeqCst) {
            return Err(std::io::Error::other("the output was closed after an interruption"));
        }
        match self.inner.write(buf) {
            Ok(n) => {
                self.written += n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => Err(e),
            Err(e) => Err(self.failed(e)),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.inner.flush() {
            Ok(()) => {
                self.guard.committed.store(self.written, Ordering::SeqCst);
                Ok(())
            }
            Err(e) => Err(self.failed(e)),
        }
    }
}

/// A bar on stderr; it learns the total size (for an ETA) from a walk on the side,
/// so the scan starts at once however large the tree is.
fn progress_bar(paths: &[String], options: &ScanOptions) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let template = "{spinner} {elapsed:>4} {decimal_bytes:>10} read {decimal_bytes_per_sec:>11} {wide_msg}";
    bar.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner()));
    bar.enable_steady_tick(PROGRESS_TICK);
    let (sizing, paths, options) = (bar.clone(), paths.to_vec(), options.clone());
    let _ = std::thread::Builder::new().name("jdclass-scan-size".into()).spawn(move || {
        if let Some(total) = total_size(&paths, &options) {
            let template =
                "{spinner} {elapsed:>4} [{bar:20}] {percent:>3}% {decimal_bytes_per_sec:>11} ETA {eta:>3} {wide_msg}";
            sizing.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()));
            sizing.set_length(total);
        }
    });
    bar
}

#[cfg(test)]
mod whole_records_tests {
    use super::*;

    /// Writes to a file until `room` bytes are used, then fails like a full disk,
    /// after writing part of the buffer it was given.
    struct FullDisk {
        file: std::fs::File,
        room: usize,
    }

    impl Write for FullDisk {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.room == 0 {
                return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            self.file.write_all(&buf[..n])?;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.file.flush()
        }
    }

    #[test]
    fn a_full_disk_leaves_only_whole_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let file = std::fs::File::create(&path).unwrap();
        let disk = FullDisk { file: file.try_clone().unwrap(), room: 100 };
        let mut out = BufWriter::with_capacity(16, WholeRecords::new(Box::new(disk), Some(file)));
        // Two whole chunks of lines, each flushed, then one that does not fit.
        out.write_all(b"{\"record\":1}\n").unwrap();
        out.flush().unwrap();
        out.write_all(b"{\"record\":2}\n").unwrap();
        out.flush().unwrap();
        let third = format!("{{\"record\":\"{}\"}}\n", "x".repeat(200));
        let failed = out.write_all(third.as_bytes()).and_then(|()| out.flush());
        assert!(failed.is_err());
        drop(out);
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written, "{\"record\":1}\n{\"record\":2}\n", "a partial record was left");
    }

    #[test]
    fn a_cut_output_takes_no_more_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let file = std::fs::File::create(&path).unwrap();
        let mut whole = WholeRecords::new(Box::new(file.try_clone().unwrap()), Some(file));
        whole.write_all(b"one\n").unwrap();
        whole.flush().unwrap();
        whole.write_all(b"tw").unwrap(); // half a record when the second Ctrl-C comes
        whole.guard().cut_to_whole_records();
        assert!(whole.write_all(b"o\n").is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\n");
    }
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 record`, `2,000 records`.
fn count(n: u64, noun: &str) -> String {
    format!("{} {noun}{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// The end-of-run summary for people.
fn render_summary(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "jdclass scan: {} ({} classified, {}) from {}{}",
        count(s.records, "record"),
        thousands(s.classified),
        count(s.errors, "error"),
        count(s.inputs_read, "input"),
        if s.inputs_failed > 0 { format!(" ({} unreadable)", thousands(s.inputs_failed)) } else { String::new() }
    );
    let l = &s.labels;
    let _ = writeln!(
        out,
        "  labels: pm {} · po {} · hybrid {} · other {}",
        thousands(l.pm),
        thousands(l.po),
        thousands(l.hybrid),
        thousands(l.other)
    );
    if !s.errors_by_kind.is_empty() {
        let kinds: Vec<String> = s.errors_by_kind.iter().map(|(k, n)| format!("{k} {}", thousands(*n))).collect();
        let _ = writeln!(out, "  errors: {}", kinds.join(" · "));
        for e in &s.first_errors {
            let _ = writeln!(out, "    {e}");
        }
    }
    let _ = writeln!(
        out,
        "  {:.1} MB in {:.2} s: {} postings/s, {:.1} MB/s · lexicon {} {} ({})",
        s.bytes as f64 / 1e6,
        s.elapsed_seconds,
        thousands(s.postings_per_second as u64),
        s.megabytes_per_second,
        s.lexicon.name,
        s.lexicon.version,
        s.lexicon.hash
    );
    if s.interrupted {
        let _ = writeln!(out, "  interrupted: the output ends after the last whole chunk");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{count, thousands};

    #[test]
    fn thousands_separators_and_plurals() {
        for (n, want) in [(0, "0"), (999, "999"), (1000, "1,000"), (1234567, "1,234,567")] {
            assert_eq!(thousands(n), want);
        }
        assert_eq!(
            (count(1, "error"), count(0, "error"), count(2000, "input")),
            ("1 error".into(), "0 errors".into(), "2,000 inputs".into())
        );
    }
}
