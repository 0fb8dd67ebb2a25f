//! The HTTP API in-process: any method, path, headers and body sent to the server's
//! router. Never a 5xx; every client error is the JSON error shape with a stable
//! `error.kind`; a body labelled JSON (or JSONL) parses as such, after undoing gzip.
//!
//! Input, written like a raw request so seeds are readable:
//! `[!]METHOD PATH\nName: value\n…\n\nBODY`. A leading `!` picks the router started
//! with a token (`fuzz-token`), so the bearer check sees arbitrary headers too.
#![no_main]
use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response, Uri};
use axum::Router;
use jdclass::serve::{router, AppState, Options};
use jdclass::Classifier;
use libfuzzer_sys::fuzz_target;
use std::io::Read;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tower::ServiceExt;

/// The token of the guarded router.
const TOKEN: &str = "fuzz-token";

struct Fixture {
    runtime: tokio::runtime::Runtime,
    open: Router,
    guarded: Router,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let classifier = Arc::new(Classifier::embedded());
        // Two slots: requests come one at a time, but a scan's worker may still be
        // returning its slot when the next request starts. The budget outlasts the
        // -timeout the README gives (60 s: under the sanitizer, `check`'s bounded edit
        // search on a large posting takes 20-35 s, about 1 s in a release build), so a
        // slow input is reported by libFuzzer, not answered with a 503.
        let options = Options { concurrency: 2, timeout: Duration::from_secs(120), ..Options::default() };
        let guarded_options = Options { token: Some(TOKEN.into()), ..options.clone() };
        Fixture {
            // Blocking-pool threads never retire: one that exits while an input runs
            // frees its thread-locals after LeakSanitizer has stopped scanning it, and
            // libFuzzer then reports them (seen once: 288 bytes of tokio and std
            // thread state) as a leak of the input.
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .thread_keep_alive(Duration::from_secs(365 * 24 * 3600))
                .build()
                .expect("a runtime"),
            open: router(AppState::new(classifier.clone(), &options)),
            guarded: router(AppState::new(classifier, &guarded_options)),
        }
    })
}

/// The request `data` describes, or None when it is not one hyper would hand over
/// (a method or URI that does not parse).
fn request(data: &[u8]) -> Option<(bool, Request<Body>)> {
    let (guarded, data) = match data.strip_prefix(b"!") {
        Some(rest) => (true, rest),
        None => (false, data),
    };
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&data[..i], &data[i + 2..]),
        None => (data, &[][..]),
    };
    let mut lines = head.split(|&b| b == b'\n');
    let first = lines.next()?;
    let space = first.iter().position(|&b| b == b' ')?;
    let method = Method::from_bytes(&first[..space]).ok()?;
    let uri = Uri::try_from(&first[space + 1..]).ok()?;
    let mut builder = Request::builder().method(method).uri(uri);
    for line in lines {
        let Some(colon) = line.iter().position(|&b| b == b':') else { continue };
        let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(&line[..colon]), HeaderValue::from_bytes(line[colon + 1..].trim_ascii()))
        else {
            continue;
        };
        // hyper frames the body itself: it never hands over a length that lies.
        if name != header::CONTENT_LENGTH && name != header::TRANSFER_ENCODING {
            builder = builder.header(name, value);
        }
    }
    if !body.is_empty() {
        builder = builder.header(header::CONTENT_LENGTH, body.len());
    }
    Some((guarded, builder.body(Body::from(body.to_vec())).ok()?))
}

fn header_str<'a>(response: &'a Response<Body>, name: header::HeaderName) -> &'a str {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

fuzz_target!(init: { fixture(); }, |data: &[u8]| {
    let Some((guarded, request)) = request(data) else { return };
    let f = fixture();
    let app = if guarded { f.guarded.clone() } else { f.open.clone() };
    let head = request.method() == Method::HEAD;
    let (status, content_type, body) = f.runtime.block_on(async move {
        let response = app.oneshot(request).await.expect("the router's error type is Infallible");
        let status = response.status();
        let content_type = header_str(&response, header::CONTENT_TYPE).to_ascii_lowercase();
        let gzip = header_str(&response, header::CONTENT_ENCODING) == "gzip";
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("the body streams whole");
        let body = if gzip && !bytes.is_empty() {
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut plain).expect("gzip decodes");
            plain
        } else {
            bytes.to_vec()
        };
        (status, content_type, body)
    });
    assert!(!status.is_server_error(), "{status}: {}", String::from_utf8_lossy(&body));
    if status.is_client_error() {
        assert!(content_type.starts_with("application/json"), "{status} as {content_type:?}");
    }
    if head {
        return; // no body to read
    }
    if content_type.starts_with("application/json") {
        let value: serde_json::Value = serde_json::from_slice(&body)
            .unwrap_or_else(|e| panic!("{status}: JSON that does not parse ({e}): {}", String::from_utf8_lossy(&body)));
        if status.is_client_error() {
            assert!(value["error"]["kind"].is_string(), "{status}: an error without a kind: {value}");
            assert!(value["error"]["message"].is_string(), "{status}: an error without a message: {value}");
        }
    } else if content_type.starts_with("application/x-ndjson") {
        for line in body.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            serde_json::from_slice::<serde_json::Value>(line)
                .unwrap_or_else(|e| panic!("a JSONL line that does not parse ({e}): {}", String::from_utf8_lossy(line)));
        }
    }
});
