//! `POST /v1/scan`: JSONL (or CSV) in, one record per line out, streamed both ways.
//!
//! The request body is fed to the library's scan ([`crate::scan::Scan::run_stream`])
//! as it arrives, and each chunk of output lines is sent as soon as the scan flushes
//! it, so an applicant-tracking system can pipe a large batch through without either
//! side holding it whole. Order is kept and every input record yields exactly one
//! output line: a record, or an error record saying what was wrong with that line.

use super::api::{body_error, media_type};
use super::error::{ApiError, ErrorBody};
use super::AppState;
use crate::scan::{FieldNames, InputFormat, OutputFormat, Scan, ScanOptions};
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Deserialize;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;
use utoipa::IntoParams;

/// A scan may work this many times the per-request budget: it is a batch, bounded by
/// the body cap, and ends with a `timeout` error line when the budget runs out.
pub const SCAN_BUDGET_FACTOR: u32 = 6;
/// Output is sent in pieces of about this size (and at every chunk the scan flushes).
const SEND_BYTES: usize = 64 * 1024;
/// Body pieces queued between the connection and the scan's reader thread.
const INPUT_QUEUE: usize = 8;
/// Output pieces queued between the scan and the connection.
const OUTPUT_QUEUE: usize = 8;

/// Options of a scan request, in the query string.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScanQuery {
    /// Output format: `jsonl` (default) or `csv` (with a header row).
    pub output: Option<String>,
    /// Field (JSONL key or CSV column) holding the id (default `id`).
    pub id_field: Option<String>,
    /// Field holding the title (default `title`).
    pub title_field: Option<String>,
    /// Field holding the text (default `text`, falling back to `description`).
    pub text_field: Option<String>,
    /// Evidence terms kept per record (default 5).
    pub terms: Option<usize>,
}

/// Classify a batch: JSONL or CSV in, JSONL or CSV out, streamed, order kept.
///
/// Send `Content-Type: application/x-ndjson` (or `application/jsonl`,
/// `application/json`) with one posting object per line, or `text/csv` with a header
/// row. Each input record yields exactly one output line, in input order: the same
/// line `jdclass scan --format jsonl|csv` writes, or an error record (bad JSON, missing
/// text field, invalid UTF-8, empty) with its line number. A stream that runs past its
/// budget ends with one `{"error": {"kind": "timeout", …}}` line.
#[utoipa::path(
    post,
    path = "/v1/scan",
    params(ScanQuery),
    request_body(
        description = "JSONL (one posting object per line) or CSV with a header row",
        content((String = "application/x-ndjson"), (String = "text/csv"))
    ),
    responses(
        (status = 200, description = "One record per input record, in order (application/x-ndjson or text/csv)", body = String),
        (status = 400, description = "Bad query string", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 413, description = "Body over the cap", body = ErrorBody),
        (status = 415, description = "Unsupported Content-Type", body = ErrorBody),
        (status = 503, description = "Busy; see Retry-After", body = ErrorBody),
    )
)]
pub async fn scan(
    State(state): State<AppState>,
    query: Result<Query<ScanQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::BadRequest(format!("bad query string: {}", e.body_text())))?;
    let input = match media_type(&headers).as_deref() {
        Some("application/x-ndjson" | "application/jsonl" | "application/x-jsonlines" | "application/json") => {
            InputFormat::Jsonl
        }
        Some("text/csv") => InputFormat::Csv,
        other => {
            return Err(ApiError::UnsupportedMediaType {
                got: other.unwrap_or("(none)").to_string(),
                expected: "application/x-ndjson (one JSON object per line) or text/csv",
            })
        }
    };
    let (output, content_type, filename) = match query.output.as_deref() {
        None | Some("jsonl" | "json") => (OutputFormat::Jsonl, "application/x-ndjson", "labelled.jsonl"),
        Some("csv") => (OutputFormat::Csv, "text/csv; charset=utf-8", "labelled.csv"),
        Some(other) => return Err(ApiError::BadRequest(format!("output={other:?}: use jsonl or csv"))),
    };
    let mut fields = FieldNames::default();
    if let Some(f) = query.id_field {
        fields.id = f;
    }
    if let Some(f) = query.title_field {
        fields.title = f;
    }
    if let Some(f) = query.text_field {
        fields.text = vec![f];
    }
    let max = state.limits.max_body;
    let options = ScanOptions {
        input_format: Some(input),
        fields,
        max_bytes: max,
        output,
        terms: query.terms.unwrap_or(crate::scan::DEFAULT_TERMS),
        ..ScanOptions::default()
    };
    let permit = state.permit()?;

    // Connection → scan: the body, piece by piece.
    let (in_tx, in_rx) = mpsc::channel::<io::Result<Bytes>>(INPUT_QUEUE);
    let forward = tokio::spawn(async move {
        let mut stream = body.into_data_stream();
        let mut total = 0u64;
        while let Some(piece) = stream.next().await {
            let piece = piece.map_err(|e| io::Error::other(body_error(&e, max).message()));
            let piece = piece.and_then(|b| {
                total += b.len() as u64;
                if total > max {
                    Err(io::Error::other(ApiError::TooLarge { max }.message()))
                } else {
                    Ok(b)
                }
            });
            let failed = piece.is_err();
            if in_tx.send(piece).await.is_err() || failed {
                break;
            }
        }
    });

    // Scan → connection: output lines as the scan flushes them.
    let (out_tx, mut out_rx) = mpsc::channel::<io::Result<Bytes>>(OUTPUT_QUEUE);
    let classifier = state.classifier.clone();
    let budget = state.limits.timeout.saturating_mul(SCAN_BUDGET_FACTOR);
    let timed_out = Arc::new(AtomicBool::new(false));
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<Arc<AtomicBool>>();
    let watchdog = {
        let timed_out = timed_out.clone();
        tokio::spawn(async move {
            let Ok(stop) = stop_rx.await else { return };
            tokio::time::sleep(budget).await;
            timed_out.store(true, Ordering::Relaxed);
            stop.store(true, Ordering::Relaxed);
        })
    };
    tokio::task::spawn_blocking(move || {
        let scan = Scan::new(&classifier, options);
        let _ = stop_tx.send(scan.stop_flag());
        let mut out = ChannelWriter { buf: Vec::with_capacity(SEND_BYTES), tx: out_tx };
        let reader = ChannelReader { rx: in_rx, piece: Bytes::new() };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            scan.run_stream(Box::new(reader), "<request>", input, &mut out, &mut |_| {})
        }));
        let ended = match result {
            Ok(Ok(_)) if timed_out.load(Ordering::Relaxed) => Some(ApiError::Timeout { budget }),
            Ok(Ok(_)) | Ok(Err(_)) => None, // an output error: the client is gone
            Err(_) => Some(ApiError::Internal),
        };
        if let Some(error) = ended {
            // The stream is already under way: the error is its last line.
            if let Ok(line) = serde_json::to_vec(&error.body()) {
                let _ = out.write_all(&line).and_then(|()| out.write_all(b"\n"));
            }
        }
        let _ = out.flush();
        watchdog.abort();
        forward.abort();
        // The slot goes back before `out` is dropped, which ends the stream: a client
        // that sends its next request once this answer is complete finds it free.
        drop(permit);
        drop(out);
    });

    // poll_recv keeps answering None once the channel is done; the gzip layer polls the
    // body again after its end, which a `stream::unfold` answers with a panic.
    let stream = futures_util::stream::poll_fn(move |cx| out_rx.poll_recv(cx));
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("inline; filename=\"{filename}\""))
            .unwrap_or(HeaderValue::from_static("inline")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The scan's output, sent to the connection in pieces.
struct ChannelWriter {
    buf: Vec<u8>,
    tx: mpsc::Sender<io::Result<Bytes>>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= SEND_BYTES {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let piece = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(SEND_BYTES)));
        self.tx
            .blocking_send(Ok(piece))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client closed the connection"))
    }
}

/// The request body as a blocking reader, for the scan's reader thread.
struct ChannelReader {
    rx: mpsc::Receiver<io::Result<Bytes>>,
    piece: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.piece.is_empty() {
            match self.rx.blocking_recv() {
                None => return Ok(0),
                Some(piece) => self.piece = piece?,
            }
        }
        let n = buf.len().min(self.piece.len());
        buf[..n].copy_from_slice(&self.piece[..n]);
        self.piece = self.piece.slice(n..);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::Options;

    /// Scans in a row: the race this guards against lasted microseconds, so it takes
    /// many rounds to show.
    const ROUNDS: usize = 200;

    /// Found by the `serve` fuzz target: the output stream ended a moment before the
    /// scan gave its work slot back, so a client's next request could be refused as busy.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_finished_scan_has_given_its_slot_back() {
        let options = Options { concurrency: 1, ..Options::default() };
        let state = AppState::new(Arc::new(crate::Classifier::embedded()), &options);
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
        for round in 0..ROUNDS {
            let body = Body::from("{\"text\": \"Own the product backlog.\"}\n");
            let response = scan(State(state.clone()), Ok(Query(ScanQuery::default())), headers.clone(), body)
                .await
                .expect("a scan");
            let out = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1);
            assert!(state.permit().is_ok(), "round {round}: the slot is still taken after the stream ended");
        }
    }
}
