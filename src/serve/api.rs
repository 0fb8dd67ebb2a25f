//! The JSON endpoints: request types, handlers and the OpenAPI document generated
//! from them. Handlers only convert: they read the request, call the library on the
//! blocking pool ([`AppState::run`]) and write the library's own records, whose
//! schemas the document references (tests/serve_api.rs checks real answers against it).

use super::error::{ApiError, ErrorBody};
use super::AppState;
use crate::check::{check_verdict_until, intended_from_role};
use crate::output::{CheckRecord, LexiconStamp, Record};
use crate::score::Label;
use crate::Scratch;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

/// The `source` of records made from a request body.
pub const REQUEST_SOURCE: &str = "<request>";

/// A posting sent as JSON to `/v1/classify`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyRequest {
    /// The posting: plain text, markdown or HTML.
    pub text: String,
    /// The title it is published under; read as the posting's first line.
    #[serde(default)]
    pub title: Option<String>,
    /// A name for the record's `source` field (default `<request>`).
    #[serde(default)]
    pub source: Option<String>,
}

/// A posting to check against the role it hires for (`/v1/check`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The posting: plain text, markdown or HTML.
    pub text: String,
    /// The title it is published under; read as the posting's first line.
    #[serde(default)]
    pub title: Option<String>,
    /// The intended role: `pm`, `po` or `hybrid`. Without it, the role named by
    /// `title`, or else by the posting's first line.
    #[serde(default, rename = "as")]
    pub as_role: Option<String>,
    /// A name for the report's `source` field (default `<request>`).
    #[serde(default)]
    pub source: Option<String>,
}

/// The lexicon the server classifies with.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LexiconInfo {
    /// Lexicon name.
    pub name: String,
    /// Declared version.
    pub version: String,
    /// First 12 hex digits of the SHA-256 of the lexicon file.
    pub hash: String,
    /// Number of entries.
    pub entries: usize,
    /// Phrases and variants the matcher searches for.
    pub phrases: usize,
}

/// Liveness.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// Always `ok` while the server answers.
    pub status: String,
    /// jdclass version.
    pub version: String,
}

/// The OpenAPI document, generated from the handlers and types of this module.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "jdclass",
        description = "Classify job postings as Product Manager, Product Owner, hybrid or other, with evidence; \
                       check a posting against the role it hires for. Errors are JSON \
                       `{\"error\": {\"kind\", \"message\"}}` with a stable kind. When the server was started \
                       with a token, /v1 endpoints need `Authorization: Bearer TOKEN`."
    ),
    paths(classify, check, super::scan::scan, lexicon, healthz),
    components(schemas(ClassifyRequest, CheckRequest, LexiconInfo, Health, ErrorBody, Record, CheckResponse))
)]
pub struct ApiDoc;

/// The media type of a request, lowercased, without parameters.
pub fn media_type(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

/// Read a whole body, refusing one over the cap with 413.
pub async fn read_body(body: Body, max: u64) -> Result<Bytes, ApiError> {
    let mut stream = body.into_data_stream();
    let mut buf = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| body_error(&e, max))?;
        if (buf.len() + chunk.len()) as u64 > max {
            return Err(ApiError::TooLarge { max });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(buf))
}

/// A body read failure: the body limit's error is a 413, anything else a 400.
pub fn body_error(e: &(dyn std::error::Error + 'static), max: u64) -> ApiError {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if c.to_string().contains("length limit exceeded") {
            return ApiError::TooLarge { max };
        }
        cause = c.source();
    }
    ApiError::BadRequest(format!("could not read the request body: {e}"))
}

/// Parse a JSON body: syntax errors are 400, a wrong shape 422.
fn parse_json<T: for<'de> Deserialize<'de>>(headers: &HeaderMap, bytes: &[u8]) -> Result<T, ApiError> {
    match media_type(headers).as_deref() {
        Some("application/json") => {}
        other => {
            return Err(ApiError::UnsupportedMediaType {
                got: other.unwrap_or("(none)").to_string(),
                expected: "application/json",
            })
        }
    }
    serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ApiError::InvalidRequest(e.to_string()),
        _ => ApiError::InvalidJson(e.to_string()),
    })
}

/// The text the classifier reads: the title as the first line, then the body (as
/// `jdclass scan` composes title and text fields).
fn compose(title: Option<&str>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    crate::scan::compose(&mut out, title, body);
    out
}

fn nonempty(text: &str) -> Result<(), ApiError> {
    if text.trim().is_empty() {
        Err(ApiError::Empty)
    } else {
        Ok(())
    }
}

fn json_response(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], bytes).into_response()
}

/// Classify one posting.
///
/// The body is the posting itself (`text/plain`, `text/markdown` or `text/html`; invalid
/// UTF-8 is replaced and reported in `warnings`, as the CLI does) or JSON `{"text",
/// "title"?, "source"?}`. The answer is the record `jdclass FILE --format json` writes:
/// label, confidence, axis scores, pulls, every piece of evidence with line, column and
/// byte offset, the lexicon stamp (and `duties` when the library reads them).
#[utoipa::path(
    post,
    path = "/v1/classify",
    request_body(
        description = "The posting as text, or JSON {text, title?, source?}",
        content(
            (String = "text/plain"),
            (String = "text/html"),
            (String = "text/markdown"),
            (ClassifyRequest = "application/json"),
        )
    ),
    responses(
        (status = 200, description = "The classification record (as `jdclass --format json`)", body = Record),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 413, description = "Body over the cap", body = ErrorBody),
        (status = 415, description = "Unsupported Content-Type", body = ErrorBody),
        (status = 422, description = "Empty posting or JSON of the wrong shape", body = ErrorBody),
        (status = 503, description = "Busy or over the time budget; see Retry-After", body = ErrorBody),
    )
)]
pub async fn classify(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let bytes = read_body(body, state.limits.max_body).await?;
    let mut warnings = Vec::new();
    let (source, text) = match media_type(&headers).as_deref() {
        None | Some("text/plain" | "text/markdown" | "text/html" | "application/octet-stream") => {
            if bytes.iter().take(8192).any(|&b| b == 0) {
                warnings.push("the input contains NUL bytes: it may be a binary file, not a posting".to_string());
            }
            (REQUEST_SOURCE.to_string(), crate::input::decode(bytes.to_vec(), &mut warnings))
        }
        Some("application/json") => {
            let req: ClassifyRequest = parse_json(&headers, &bytes)?;
            let source = req.source.unwrap_or_else(|| REQUEST_SOURCE.to_string());
            (source, compose(req.title.as_deref(), &req.text))
        }
        Some(other) => {
            return Err(ApiError::UnsupportedMediaType {
                got: other.to_string(),
                expected: "text/plain, text/markdown, text/html or application/json",
            })
        }
    };
    nonempty(&text)?;
    let json = state
        .run(move |classifier, _stop| {
            // One classification pass: bounded by the body cap, not interruptible.
            let mut verdict = classifier.classify(&text);
            verdict.warnings.extend(warnings);
            let lexicon = LexiconStamp::from(&classifier.lexicon().id);
            serde_json::to_vec(&Record { source: &source, verdict: &verdict, lexicon })
        })
        .await?
        .map_err(|_| ApiError::Internal)?;
    Ok(json_response(json))
}

/// The check report `jdclass check --format json` writes, plus the classification
/// record of the text checked, so a page can show the evidence in place.
#[derive(Serialize, ToSchema)]
pub struct CheckResponse<'a> {
    /// The report as the CLI writes it, flattened into the answer.
    #[serde(flatten)]
    pub check: CheckRecord<'a>,
    /// The classification record of the text checked (title as its first line, then
    /// the body): the offsets in `changes` refer to it.
    pub record: Record<'a>,
}

/// Check a posting against the role it is meant to hire for.
///
/// JSON `{"text", "title"?, "as"?, "source"?}`. The answer is the report of `jdclass
/// check --format json` (intended role, label, consistent, summary, findings, missing,
/// the smallest verified set of `changes` with byte offsets, `after`, `flips`,
/// confidence, lexicon) plus `record`: the classification record of the text checked
/// (the title as its first line, then the body), whose offsets the changes refer to.
#[utoipa::path(
    post,
    path = "/v1/check",
    request_body(content = CheckRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The check report (as `jdclass check --format json`) with `record`", body = CheckResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
        (status = 413, description = "Body over the cap", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 422, description = "Empty posting, wrong shape, or no intended role to check against", body = ErrorBody),
        (status = 503, description = "Busy or over the time budget; see Retry-After", body = ErrorBody),
    )
)]
pub async fn check(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let bytes = read_body(body, state.limits.max_body).await?;
    let req: CheckRequest = parse_json(&headers, &bytes)?;
    let as_role = match req.as_role.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(r) => match Label::parse(r) {
            Some(l @ (Label::Pm | Label::Po | Label::Hybrid)) => Some(l),
            _ => return Err(ApiError::UnknownRole(format!("\"as\" takes pm, po or hybrid, not {r:?}"))),
        },
    };
    let text = compose(req.title.as_deref(), &req.text);
    nonempty(&req.text)?;
    let title = req.title.clone();
    let source = req.source.unwrap_or_else(|| REQUEST_SOURCE.to_string());
    let json = state
        .run(move |classifier, stop| {
            let mut scratch = Scratch::new();
            let verdict = classifier.classify_with(&text, &mut scratch);
            let intended = match as_role {
                Some(l) => l,
                None => intended_role(classifier, title.as_deref(), &verdict)?,
            };
            // The edit search re-classifies the text many times (16 MiB of work, at least
            // 16 tries): it ends early once the request stops waiting (budget spent, client
            // gone).
            let report = check_verdict_until(classifier, &text, &verdict, intended, &mut scratch, stop);
            let lexicon = LexiconStamp::from(&classifier.lexicon().id);
            let record = Record { source: &source, verdict: &verdict, lexicon: lexicon.clone() };
            let check = CheckRecord { source: &source, report: &report, confidence: verdict.confidence, lexicon };
            let response = CheckResponse { check, record };
            serde_json::to_vec(&response).map_err(|_| ApiError::Internal)
        })
        .await??;
    Ok(json_response(json))
}

/// The role to check against when `as` is not given: the role the title names, else
/// the posting's first line (as `jdclass check` does).
fn intended_role(
    classifier: &crate::Classifier,
    title: Option<&str>,
    verdict: &crate::Verdict,
) -> Result<Label, ApiError> {
    let (role, from) = match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => (crate::check::role_of_title(classifier, t), "the title"),
        None => (verdict.title_role(), "the posting's first line"),
    };
    let Some(role) = role else {
        return Err(ApiError::UnknownRole(format!(
            "cannot tell which role {from} names; say it with \"as\": \"pm\", \"po\" or \"hybrid\""
        )));
    };
    intended_from_role(role).ok_or_else(|| {
        ApiError::UnknownRole(format!(
            "{from} names a {} role; the check compares against pm, po or hybrid (set \"as\")",
            role.as_str()
        ))
    })
}

/// The lexicon in use: name, version, hash, entry and phrase counts.
#[utoipa::path(
    get,
    path = "/v1/lexicon",
    responses(
        (status = 200, description = "The lexicon in use", body = LexiconInfo),
        (status = 401, description = "Missing or wrong bearer token", body = ErrorBody),
    )
)]
pub async fn lexicon(State(state): State<AppState>) -> Json<LexiconInfo> {
    let lexicon = state.classifier.lexicon();
    Json(LexiconInfo {
        name: lexicon.id.name.clone(),
        version: lexicon.id.version.clone(),
        hash: lexicon.id.hash.clone(),
        entries: lexicon.entries.len(),
        phrases: state.classifier.matcher().patterns().len(),
    })
}

/// Liveness: answers while the server runs (no token needed).
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "Alive", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() })
}

/// The OpenAPI 3.1 document of this API.
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
