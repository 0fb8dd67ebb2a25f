//! The `jdclass._jdclass` extension module: Python types in, the library's own records
//! out. Nothing here classifies, scores or formats: every record is one of the serde
//! types the CLI writes (`jdclass::output::{Record, ErrorRecord, CheckRecord}`),
//! serialised to JSON by serde_json and read back with Python's `json.loads`, so a
//! record is exactly the CLI's (lists stay lists, `null` is `None`) and a field added
//! to the library's output appears here without a change. Batch work — classifying
//! and serialising — runs on rayon with the GIL released.

use jdclass::check::{check_verdict, intended_role};
use jdclass::input::{posting_from_bytes, Posting, DEFAULT_MAX_BYTES};
use jdclass::output::{CheckRecord, ErrorRecord, LexiconStamp, Record};
use jdclass::scan::format::Jsonl;
use jdclass::scan::{classify_record, compose, RecordError, Row, RowWriter, DEFAULT_TERMS};
use jdclass::{Label, Lexicon, Scratch, Verdict};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyString};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::{Arc, Mutex};

create_exception!(jdclass, JdclassError, PyException, "Base class of every error jdclass raises.");
create_exception!(jdclass, LexiconError, JdclassError, "A lexicon file that cannot be read or used.");
create_exception!(jdclass, InputError, JdclassError, "A posting that cannot be classified (over the size cap).");
create_exception!(jdclass, CheckError, JdclassError, "A check whose intended role cannot be told.");

/// The name a posting goes by in its record when the caller gives none.
const DEFAULT_SOURCE: &str = "<text>";

/// A posting as Python handed it over, copied out so the GIL can be released.
enum Input {
    /// Text (or bytes, which the library decodes and warns about when not UTF-8).
    Bytes(Vec<u8>),
    /// Not a posting at all: the error record's message.
    Invalid(String),
}

/// Copy a Python object into an [`Input`]: `str` or `bytes`, anything else is invalid.
/// A `str` holding lone surrogates (not encodable as UTF-8) is encoded with
/// `surrogatepass`, so the library sees invalid UTF-8 and warns as it does for a file.
fn to_input(obj: &Bound<'_, PyAny>) -> PyResult<Input> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(match s.to_cow() {
            Ok(text) => Input::Bytes(text.into_owned().into_bytes()),
            Err(_) => {
                let raw = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
                Input::Bytes(raw.cast::<PyBytes>()?.as_bytes().to_vec())
            }
        });
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Input::Bytes(b.as_bytes().to_vec()));
    }
    Ok(Input::Invalid(format!("a posting is a str or bytes, not {}", type_name(obj))))
}

/// The Python type name of `obj`, for messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "an unknown type".into())
}

/// Whether `obj` is a missing value as dataframes write it: `None`, a float NaN, or
/// pandas' `NA`/`NaT`.
fn is_missing(obj: &Bound<'_, PyAny>) -> bool {
    if obj.is_none() {
        return true;
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return f.value().is_nan();
    }
    matches!(obj.get_type().name().map(|n| n.to_string()).as_deref(), Ok("NAType" | "NaTType"))
}

/// A title: `Some` text, `None` (no title), or why the argument is not one.
type Title = Result<Option<String>, String>;

/// What `__reduce__` returns: the function that rebuilds a classifier, and its arguments.
type Reduced<'py> = (Bound<'py, PyAny>, (Option<String>, u64));

/// A title argument: a `str`, or a missing value (no title).
fn to_title(obj: Option<&Bound<'_, PyAny>>) -> Title {
    match obj {
        None => Ok(None),
        Some(o) if is_missing(o) => Ok(None),
        Some(o) => match o.cast::<PyString>() {
            Ok(s) => Ok(Some(s.to_string_lossy().into_owned())),
            Err(_) => Err(format!("a title is a str or None, not {}", type_name(o))),
        },
    }
}

/// A text field for `scan_many`, as a scan reads a JSONL field: a `str`, or the error
/// record's reason (missing, not a string, not UTF-8).
fn to_field(obj: &Bound<'_, PyAny>, field: &str) -> Result<Option<String>, RecordError> {
    if is_missing(obj) {
        return Ok(None);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Some(s.to_string_lossy().into_owned()));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return match std::str::from_utf8(b.as_bytes()) {
            Ok(s) => Ok(Some(s.to_string())),
            Err(e) => Err(RecordError::InvalidUtf8 { offset: e.valid_up_to() }),
        };
    }
    let found = if obj.cast::<PyFloat>().is_ok() || obj.cast::<pyo3::types::PyInt>().is_ok() {
        "a number"
    } else {
        "another type"
    };
    Err(RecordError::NotString { field: field.to_string(), found })
}

/// Collect an optional per-item argument, checking it is as long as `texts`.
fn per_item<'py, T>(
    arg: Option<&Bound<'py, PyAny>>,
    what: &str,
    len: usize,
    convert: impl Fn(&Bound<'py, PyAny>) -> PyResult<T>,
) -> PyResult<Vec<T>> {
    let Some(arg) = arg.filter(|a| !a.is_none()) else { return Ok(Vec::new()) };
    let mut out = Vec::with_capacity(len);
    for item in arg.try_iter()? {
        out.push(convert(&item?)?);
    }
    if out.len() != len {
        return Err(PyValueError::new_err(format!(
            "{} {what} for {len} texts: give one (or None) per text",
            out.len()
        )));
    }
    Ok(out)
}

/// Join JSON records into one JSON array.
fn json_array(records: &[String]) -> String {
    let mut array = String::with_capacity(records.iter().map(|r| r.len() + 1).sum::<usize>() + 2);
    array.push('[');
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            array.push(',');
        }
        array.push_str(r.trim_end());
    }
    array.push(']');
    array
}

/// One posting's outcome, built without the GIL.
enum Outcome {
    /// The verdict, with the input's warnings in it.
    Verdict(Box<Verdict>),
    /// Why there is none.
    Error(String),
    /// The library panicked on this posting (a jdclass bug).
    Internal,
}

/// A compiled lexicon, ready to classify postings.
///
/// `Classifier()` uses the lexicon built into jdclass; `Classifier(path)` loads a
/// lexicon file (raises `LexiconError` with the file, line and entry at fault).
/// `max_bytes` caps one posting, as the CLI's `--max-bytes` does. A classifier is
/// immutable and safe to share between threads.
#[pyclass(frozen, module = "jdclass", name = "Classifier")]
struct PyClassifier {
    inner: Arc<jdclass::Classifier>,
    lexicon_path: Option<String>,
    max_bytes: u64,
    /// The last pool built for an explicit `threads=`, reused while `threads` stays.
    pool: Mutex<Option<(usize, Arc<rayon::ThreadPool>)>>,
}

/// Load a lexicon: the embedded one, or a file.
fn load_lexicon(path: Option<&str>) -> PyResult<Lexicon> {
    match path {
        None => Ok(Lexicon::embedded()),
        Some(p) => Lexicon::from_path(std::path::Path::new(p)).map_err(|e| LexiconError::new_err(e.to_string())),
    }
}

/// Any serde record as JSON text.
fn to_json<T: Serialize>(value: &T) -> String {
    // The records are plain structs of strings and numbers: serialising cannot fail.
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
}

/// JSON text as Python objects, by the standard library's parser.
fn from_json<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.getattr("loads")?.call1((json,))
}

impl PyClassifier {
    /// Classify one input: the library's posting checks, the title line, the verdict.
    /// A panic in the library becomes an error record, never a crash.
    fn outcome(&self, input: Input, title: Option<&str>, scratch: &mut Scratch) -> Outcome {
        let bytes = match input {
            Input::Bytes(b) => b,
            Input::Invalid(msg) => return Outcome::Error(msg),
        };
        let Posting { text, warnings } = match posting_from_bytes(DEFAULT_SOURCE, bytes, self.max_bytes) {
            Ok(p) => p,
            Err(e) => return Outcome::Error(e.to_string()),
        };
        let text = match title {
            Some(t) => {
                let mut composed = String::with_capacity(t.len() + text.len() + 1);
                compose(&mut composed, Some(t), &text);
                composed
            }
            None => text,
        };
        let verdict =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.inner.classify_with(&text, scratch)));
        match verdict {
            Ok(mut v) => {
                v.warnings = warnings;
                Outcome::Verdict(Box::new(v))
            }
            Err(_) => {
                *scratch = Scratch::new();
                Outcome::Internal
            }
        }
    }

    /// The record of an outcome as JSON, as the CLI's `--format json` writes it.
    fn record(&self, source: &str, outcome: &Outcome) -> String {
        let lexicon = LexiconStamp::from(&self.inner.lexicon().id);
        match outcome {
            Outcome::Verdict(v) => to_json(&Record { source, verdict: v, lexicon }),
            Outcome::Error(error) => to_json(&ErrorRecord { source, error: error.clone(), lexicon }),
            Outcome::Internal => to_json(&ErrorRecord { source, error: RecordError::Internal.to_string(), lexicon }),
        }
    }

    /// The pool for `threads` workers: rayon's global pool when `None`.
    fn pool(&self, threads: Option<usize>) -> PyResult<Option<Arc<rayon::ThreadPool>>> {
        let Some(n) = threads else { return Ok(None) };
        if n == 0 {
            return Err(PyValueError::new_err("threads must be at least 1 (or None for one per core)"));
        }
        let mut cached = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((k, pool)) = cached.as_ref() {
            if *k == n {
                return Ok(Some(pool.clone()));
            }
        }
        let pool = Arc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| JdclassError::new_err(format!("cannot start {n} threads: {e}")))?,
        );
        *cached = Some((n, pool.clone()));
        Ok(Some(pool))
    }
}

#[pymethods]
impl PyClassifier {
    #[new]
    #[pyo3(signature = (lexicon_path=None, *, max_bytes=DEFAULT_MAX_BYTES))]
    fn new(py: Python<'_>, lexicon_path: Option<std::path::PathBuf>, max_bytes: u64) -> PyResult<Self> {
        let path = lexicon_path.map(|p| p.to_string_lossy().into_owned());
        let inner = py.detach(|| -> PyResult<jdclass::Classifier> {
            let lexicon = load_lexicon(path.as_deref())?;
            jdclass::Classifier::new(lexicon).map_err(|e| LexiconError::new_err(e.to_string()))
        })?;
        Ok(PyClassifier { inner: Arc::new(inner), lexicon_path: path, max_bytes, pool: Mutex::new(None) })
    }

    /// Classify one posting (plain text, markdown or HTML; `str` or `bytes`).
    ///
    /// Returns the record `jdclass FILE --format json` writes: `label`, `confidence`,
    /// `scores`, `evidence`... `title`, when given, is read as the posting's first
    /// line. Raises `TypeError` for anything but `str`/`bytes`, `InputError` for a
    /// posting over `max_bytes`.
    #[pyo3(signature = (text, title=None, *, source=None))]
    fn classify<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        title: Option<&Bound<'py, PyAny>>,
        source: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let input = match to_input(text)? {
            Input::Invalid(msg) => return Err(PyTypeError::new_err(msg)),
            input => input,
        };
        let title = to_title(title).map_err(PyTypeError::new_err)?;
        let outcome = py.detach(|| self.outcome(input, title.as_deref(), &mut Scratch::new()));
        match &outcome {
            Outcome::Error(msg) => Err(InputError::new_err(msg.clone())),
            Outcome::Internal => Err(JdclassError::new_err(RecordError::Internal.to_string())),
            Outcome::Verdict(_) => {
                let json = self.record(source.as_deref().unwrap_or(DEFAULT_SOURCE), &outcome);
                from_json(py, &json)
            }
        }
    }

    /// Classify many postings in parallel, with the GIL released; order is kept.
    ///
    /// `texts` is any iterable (list, pandas Series, generator...). Each item yields
    /// exactly one record: the verdict `classify` would give, or an error record
    /// (`source`, `error`, `lexicon`) for an item that is not a str/bytes (None, NaN)
    /// or is over `max_bytes`. `titles`, when given, is as long as `texts` (a missing
    /// title, None or NaN, is no title). A
    /// record's `source` is the item's position. `threads=None` uses every core.
    #[pyo3(signature = (texts, titles=None, *, threads=None))]
    fn classify_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        titles: Option<&Bound<'py, PyAny>>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if texts.is_instance_of::<PyString>() || texts.is_instance_of::<PyBytes>() {
            return Err(PyTypeError::new_err("classify_many takes an iterable of postings; use classify for one"));
        }
        let mut inputs = Vec::new();
        for item in texts.try_iter()? {
            inputs.push(to_input(&item?)?);
        }
        let titles: Vec<Title> = per_item(titles, "titles", inputs.len(), |t| Ok(to_title(Some(t))))?;
        let pool = self.pool(threads)?;
        // Classify and serialise in parallel, then parse one JSON array with the GIL.
        let work = || -> String {
            let jobs: Vec<(usize, Input, Option<&Title>)> =
                inputs.into_iter().enumerate().map(|(i, input)| (i, input, titles.get(i))).collect();
            let records: Vec<String> = jobs
                .into_par_iter()
                .map_init(Scratch::new, |scratch, (i, input, title)| {
                    let outcome = match title {
                        Some(Err(msg)) => Outcome::Error(msg.clone()),
                        Some(Ok(t)) => self.outcome(input, t.as_deref(), scratch),
                        None => self.outcome(input, None, scratch),
                    };
                    self.record(&i.to_string(), &outcome)
                })
                .collect();
            json_array(&records)
        };
        let array = py.detach(|| match &pool {
            Some(pool) => pool.install(work),
            None => work(),
        });
        from_json(py, &array)
    }

    /// Classify many postings as `jdclass scan` does: the lean record of its JSONL
    /// output (`id`, `source`, `line`, `label`, `confidence`, `scores`, the strongest
    /// `evidence` terms, `title_role`, `lexicon`), or its error record (`error`,
    /// `error_kind`) for an empty, missing or non-string text. Several times faster
    /// than `classify_many`, which builds every piece of evidence. `line` is the
    /// item's position from 1; `ids` and `titles`, when given, have one value (or a
    /// missing one) per text. The GIL is released; order is kept.
    #[pyo3(signature = (texts, titles=None, *, ids=None, threads=None))]
    fn scan_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        titles: Option<&Bound<'py, PyAny>>,
        ids: Option<&Bound<'py, PyAny>>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if texts.is_instance_of::<PyString>() || texts.is_instance_of::<PyBytes>() {
            return Err(PyTypeError::new_err("scan_many takes an iterable of postings"));
        }
        let mut bodies = Vec::new();
        for item in texts.try_iter()? {
            bodies.push(to_field(&item?, "text"));
        }
        let n = bodies.len();
        let titles = per_item(titles, "titles", n, |t| Ok(to_field(t, "title")))?;
        let ids = per_item(ids, "ids", n, |i| {
            Ok(if is_missing(i) { None } else { Some(i.str()?.to_string_lossy().into_owned()) })
        })?;
        let pool = self.pool(threads)?;
        let classifier = &*self.inner;
        let max_bytes = self.max_bytes;
        let work = || -> String {
            let writer = Jsonl { lexicon: &classifier.lexicon().id };
            let records: Vec<String> = (0..n)
                .into_par_iter()
                .map_init(
                    || (Scratch::new(), String::new()),
                    |(scratch, text), i| {
                        let title = match titles.get(i) {
                            Some(Err(e)) => Err(e.clone()),
                            Some(Ok(t)) => Ok(t.as_deref()),
                            None => Ok(None),
                        };
                        let outcome = match (&bodies[i], title) {
                            (Err(e), _) => Err(e.clone()),
                            (Ok(_), Err(e)) => Err(e),
                            (Ok(None), Ok(_)) => {
                                Err(RecordError::MissingField { wanted: "\"text\"".into(), available: String::new() })
                            }
                            (Ok(Some(body)), Ok(title)) => {
                                classify_record(classifier, title, body, max_bytes, DEFAULT_TERMS, scratch, text)
                            }
                        };
                        let id = ids.get(i).and_then(Option::as_deref);
                        let row =
                            Row { source: DEFAULT_SOURCE, line: Some(i as u64 + 1), id, outcome: outcome.as_ref() };
                        let mut out = Vec::new();
                        writer.row(&mut out, &row);
                        String::from_utf8(out).unwrap_or_default()
                    },
                )
                .collect();
            json_array(&records)
        };
        let array = py.detach(|| match &pool {
            Some(pool) => pool.install(work),
            None => work(),
        });
        from_json(py, &array)
    }

    /// Check a posting against the role it is meant to hire for (`jdclass check`).
    ///
    /// `as_` is `"pm"`, `"po"` or `"hybrid"`; when `None`, the role is read from
    /// `title`, or else from the posting's first line (`CheckError` when it names
    /// none). Returns the report `jdclass check --format json` writes: `consistent`,
    /// `findings`, `missing`, the `changes` that make it read as intended...
    #[pyo3(signature = (text, as_=None, title=None, *, source=None))]
    fn check<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        as_: Option<&str>,
        title: Option<&Bound<'py, PyAny>>,
        source: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let bytes = match to_input(text)? {
            Input::Invalid(msg) => return Err(PyTypeError::new_err(msg)),
            Input::Bytes(b) => b,
        };
        let as_role = match as_ {
            None => None,
            Some(r) => Some(match Label::parse(r) {
                Some(l @ (Label::Pm | Label::Po | Label::Hybrid)) => l,
                _ => return Err(PyValueError::new_err(format!("as_ takes \"pm\", \"po\" or \"hybrid\", not {r:?}"))),
            }),
        };
        let title = to_title(title).map_err(PyTypeError::new_err)?;
        let classifier = &*self.inner;
        let max_bytes = self.max_bytes;
        let (posting, verdict, report) = py.detach(|| -> PyResult<_> {
            let posting =
                posting_from_bytes(DEFAULT_SOURCE, bytes, max_bytes).map_err(|e| InputError::new_err(e.to_string()))?;
            let mut scratch = Scratch::new();
            let mut verdict = classifier.classify_with(&posting.text, &mut scratch);
            verdict.warnings = posting.warnings.clone();
            let intended = match as_role {
                Some(l) => l,
                None => intended_role(classifier, &verdict, title.as_deref())
                    .map_err(|e| CheckError::new_err(format!("{e} (as_=\"pm\", \"po\" or \"hybrid\")")))?,
            };
            let report = check_verdict(classifier, &posting.text, &verdict, intended, &mut scratch);
            Ok((posting, verdict, report))
        })?;
        drop(posting);
        let record = CheckRecord {
            source: source.as_deref().unwrap_or(DEFAULT_SOURCE),
            report: &report,
            confidence: verdict.confidence,
            lexicon: LexiconStamp::from(&classifier.lexicon().id),
        };
        from_json(py, &to_json(&record))
    }

    /// The lexicon in use: name, version, hash, source, description, entries.
    #[getter]
    fn lexicon<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        lexicon_dict(py, self.inner.lexicon())
    }

    /// The largest posting accepted, in bytes.
    #[getter]
    fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Pickle as the arguments that rebuild it (the lexicon file must exist where it
    /// is unpickled, e.g. on a Spark executor).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduced<'py>> {
        let this = slf.get();
        let rebuild = slf.py().import("jdclass")?.getattr("_rebuild")?;
        Ok((rebuild, (this.lexicon_path.clone(), this.max_bytes)))
    }

    fn __repr__(&self) -> String {
        let id = &self.inner.lexicon().id;
        format!("Classifier(lexicon='{} {} ({})')", id.name, id.version, id.hash)
    }
}

/// A lexicon's identity and size as a dict.
fn lexicon_dict<'py>(py: Python<'py>, lexicon: &Lexicon) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("name", &lexicon.id.name)?;
    d.set_item("version", &lexicon.id.version)?;
    d.set_item("hash", &lexicon.id.hash)?;
    d.set_item("source", &lexicon.id.source)?;
    d.set_item("description", &lexicon.description)?;
    d.set_item("entries", lexicon.entries.len())?;
    Ok(d)
}

/// The lexicon built into jdclass, or the file at `path`: name, version, hash,
/// source, description and number of entries.
#[pyfunction]
#[pyo3(signature = (path=None))]
fn lexicon_info(py: Python<'_>, path: Option<std::path::PathBuf>) -> PyResult<Bound<'_, PyDict>> {
    let path = path.map(|p| p.to_string_lossy().into_owned());
    let lexicon = py.detach(|| load_lexicon(path.as_deref()))?;
    lexicon_dict(py, &lexicon)
}

#[pymodule]
fn _jdclass(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyClassifier>()?;
    m.add_function(wrap_pyfunction!(lexicon_info, m)?)?;
    m.add("JdclassError", py.get_type::<JdclassError>())?;
    m.add("LexiconError", py.get_type::<LexiconError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("CheckError", py.get_type::<CheckError>())?;
    m.add("DEFAULT_MAX_BYTES", DEFAULT_MAX_BYTES)?;
    Ok(())
}
