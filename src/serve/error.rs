//! API errors: one enum, one JSON shape, stable kinds.
//!
//! Every failure answers `{"error": {"kind": "...", "message": "..."}}`: `kind` is a
//! stable machine-readable word (clients branch on it), `message` says in words what
//! was wrong and what to do. Bad input is never a 500.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// Seconds a client is told to wait after a 503.
pub const RETRY_AFTER_SECS: u64 = 1;

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 400 `invalid_json`: the body is not well-formed JSON.
    InvalidJson(String),
    /// 400 `bad_request`: a malformed request (bad query string, say).
    BadRequest(String),
    /// 401 `unauthorized`: the bearer token is missing or wrong.
    Unauthorized,
    /// 404 `not_found`.
    NotFound,
    /// 405 `method_not_allowed`.
    MethodNotAllowed,
    /// 408 `request_timeout`: the client took too long to send the request.
    RequestTimeout,
    /// 413 `too_large`: the body is over the cap.
    TooLarge {
        /// The cap in bytes.
        max: u64,
    },
    /// 415 `unsupported_media_type`: a Content-Type this endpoint does not read.
    UnsupportedMediaType {
        /// What was sent.
        got: String,
        /// What the endpoint reads.
        expected: &'static str,
    },
    /// 422 `invalid_request`: well-formed JSON of the wrong shape (missing `text`…).
    InvalidRequest(String),
    /// 422 `empty`: the posting has no text.
    Empty,
    /// 422 `unknown_role`: no intended role could be told for a check.
    UnknownRole(String),
    /// 503 `busy`: every work slot is taken; retry after `Retry-After` seconds.
    Busy,
    /// 503 `timeout`: the work ran past the request's time budget.
    Timeout {
        /// The budget.
        budget: Duration,
    },
    /// 500 `internal`: a bug, never bad input.
    Internal,
}

/// The JSON body of every error.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable kind: `invalid_json`, `bad_request`, `unauthorized`,
    /// `not_found`, `method_not_allowed`, `request_timeout`, `too_large`,
    /// `unsupported_media_type`, `invalid_request`, `empty`, `unknown_role`, `busy`,
    /// `timeout`, `internal`.
    pub kind: String,
    /// What was wrong and what to do, in words.
    pub message: String,
}

impl ApiError {
    /// The stable kind.
    pub fn kind(&self) -> &'static str {
        match self {
            ApiError::InvalidJson(_) => "invalid_json",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized => "unauthorized",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::RequestTimeout => "request_timeout",
            ApiError::TooLarge { .. } => "too_large",
            ApiError::UnsupportedMediaType { .. } => "unsupported_media_type",
            ApiError::InvalidRequest(_) => "invalid_request",
            ApiError::Empty => "empty",
            ApiError::UnknownRole(_) => "unknown_role",
            ApiError::Busy => "busy",
            ApiError::Timeout { .. } => "timeout",
            ApiError::Internal => "internal",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::InvalidJson(_) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::InvalidRequest(_) | ApiError::Empty | ApiError::UnknownRole(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Busy | ApiError::Timeout { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message, in words.
    pub fn message(&self) -> String {
        match self {
            ApiError::InvalidJson(e) => format!("the body is not valid JSON: {e}"),
            ApiError::BadRequest(e) => e.clone(),
            ApiError::Unauthorized => {
                "this server requires a token: send `Authorization: Bearer TOKEN` (the token the server \
                 was started with)"
                    .into()
            }
            ApiError::NotFound => "no such endpoint; GET /openapi.json lists them".into(),
            ApiError::MethodNotAllowed => "this endpoint does not take that method; see /openapi.json".into(),
            ApiError::RequestTimeout => "the request took too long to arrive".into(),
            ApiError::TooLarge { max } => {
                format!("the body is over the {max}-byte limit; split the batch, or start the server with a larger --max-body")
            }
            ApiError::UnsupportedMediaType { got, expected } => {
                format!("Content-Type {got:?} is not read here; send {expected}")
            }
            ApiError::InvalidRequest(e) => format!("the request is not of the expected shape: {e}"),
            ApiError::Empty => "the posting is empty: send its text".into(),
            ApiError::UnknownRole(e) => e.clone(),
            ApiError::Busy => format!("the server is busy; retry in {RETRY_AFTER_SECS} s"),
            ApiError::Timeout { budget } => format!(
                "classifying this input took longer than the {:.1} s budget; send a shorter posting or retry later",
                budget.as_secs_f64()
            ),
            ApiError::Internal => "internal error (a bug: please report it with the input)".into(),
        }
    }

    /// The error for a status some layer answered with (body limit, timeout, routing).
    pub fn from_status(status: StatusCode, max_body: u64) -> ApiError {
        match status {
            StatusCode::BAD_REQUEST => ApiError::BadRequest("malformed request".into()),
            StatusCode::UNAUTHORIZED => ApiError::Unauthorized,
            StatusCode::NOT_FOUND => ApiError::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
            StatusCode::REQUEST_TIMEOUT => ApiError::RequestTimeout,
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge { max: max_body },
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ApiError::UnsupportedMediaType { got: "that".into(), expected: "a type listed in /openapi.json" }
            }
            StatusCode::SERVICE_UNAVAILABLE => ApiError::Busy,
            s if s.is_client_error() => ApiError::BadRequest(format!("request refused ({s})")),
            _ => ApiError::Internal,
        }
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody { error: ErrorDetail { kind: self.kind().into(), message: self.message() } }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind(), self.message())
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        let headers = response.headers_mut();
        match self {
            ApiError::Busy | ApiError::Timeout { .. } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
            }
            ApiError::Unauthorized => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

/// Response middleware: an error some layer answered in plain text (the body limit,
/// the timeout, the router's 405) becomes the same JSON error as the handlers'.
pub async fn json_errors(
    axum::extract::State(state): axum::extract::State<super::AppState>,
    response: Response,
) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        ApiError::from_status(status, state.limits.max_body).into_response()
    } else {
        response
    }
}
