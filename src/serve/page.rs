//! The page recruiters use: one HTML file, one script, one stylesheet, compiled into
//! the binary (no CDN, no network). The script is served as its own file so the
//! Content-Security-Policy can forbid inline script; it builds every element that
//! shows posting text with `textContent`, never by parsing markup.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// The page.
pub const INDEX_HTML: &str = include_str!("assets/index.html");
/// Its script.
pub const APP_JS: &str = include_str!("assets/app.js");
/// Its styles (screen, phone and print).
pub const APP_CSS: &str = include_str!("assets/app.css");

fn asset(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            // Assets change only with the binary: revalidate rather than cache blindly.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

/// `GET /`: the page.
pub async fn index() -> Response {
    asset(INDEX_HTML, "text/html; charset=utf-8")
}

/// `GET /app.js`.
pub async fn script() -> Response {
    asset(APP_JS, "text/javascript; charset=utf-8")
}

/// `GET /app.css`.
pub async fn styles() -> Response {
    asset(APP_CSS, "text/css; charset=utf-8")
}
