//! `jdclass serve`: the classifier over HTTP, and a page recruiters use in a browser.
//!
//! One binary, offline: the page, its script and styles are compiled in, and the API
//! calls the same library functions as the CLI and writes the same records. The
//! server is axum on tokio; classification is CPU work, so it runs on the blocking
//! pool under a concurrency limit and a per-request time budget (see [`state`]),
//! never on the async threads.
//!
//! ```no_run
//! # async fn demo() -> Result<(), jdclass::serve::ServeError> {
//! use jdclass::serve::{Options, Server};
//! let server = Server::bind(Options::default(), jdclass::Classifier::embedded()).await?;
//! println!("open http://{}/", server.local_addr());
//! server.run(jdclass::serve::shutdown::signal()).await?;
//! # Ok(()) }
//! ```

pub mod api;
pub mod error;
pub mod page;
pub mod scan;
pub mod shutdown;
pub mod state;

use crate::classify::Classifier;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use error::ApiError;
pub use state::{AppState, Limits};

/// Default address: loopback only, so nothing is exposed unless asked.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
/// Default request body cap: the CLI's cap on one posting.
pub const DEFAULT_MAX_BODY: u64 = crate::input::DEFAULT_MAX_BYTES;
/// Default time budget of one request's classification work. A median posting takes
/// well under a millisecond and a 10 MiB one about a second, so 10 s is only reached
/// by input shapes that are pathologically slow.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// How much longer than the work budget a whole exchange (reading a slow client's
/// body, writing the answer) may take before the connection's request is dropped.
const EXCHANGE_FACTOR: u32 = 3;
/// Added to that, so a tiny work budget still leaves a client time to send its body.
const EXCHANGE_SLACK: Duration = Duration::from_secs(10);

/// Content-Security-Policy of every response: scripts and styles only from this
/// server's own files (no inline script), no plugins, no framing, no form posts away.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// How the server is started.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to listen (port 0: any free port).
    pub addr: SocketAddr,
    /// Bearer token the API requires, if any. Required for a non-loopback address.
    pub token: Option<String>,
    /// Request body cap in bytes.
    pub max_body: u64,
    /// Time budget of one request's classification work.
    pub timeout: Duration,
    /// Requests doing classification work at once; more get 503 + Retry-After.
    pub concurrency: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            addr: DEFAULT_ADDR.parse().expect("valid default address"),
            token: None,
            max_body: DEFAULT_MAX_BODY,
            timeout: DEFAULT_TIMEOUT,
            concurrency: default_concurrency(),
        }
    }
}

/// One request per core: classification is CPU-bound, so more at once only queues.
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A non-loopback address without a token.
    #[error(
        "{0} is reachable from other machines: set a token with --token or JDCLASS_TOKEN \
         (clients then send `Authorization: Bearer TOKEN`), or bind to 127.0.0.1"
    )]
    TokenRequired(SocketAddr),
    /// An unusable option value.
    #[error("{0}")]
    BadOption(String),
    /// Binding the address failed.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// A bound server, not yet accepting.
pub struct Server {
    listener: tokio::net::TcpListener,
    app: Router,
    addr: SocketAddr,
}

impl Server {
    /// Check `options` and bind the listener.
    pub async fn bind(options: Options, classifier: Classifier) -> Result<Server, ServeError> {
        if options.token.is_none() && !options.addr.ip().is_loopback() {
            return Err(ServeError::TokenRequired(options.addr));
        }
        if options.token.as_deref().is_some_and(|t| t.trim().is_empty() || t.chars().any(char::is_control)) {
            return Err(ServeError::BadOption("the token must be non-empty printable text".into()));
        }
        if options.concurrency == 0 {
            return Err(ServeError::BadOption("--concurrency must be at least 1".into()));
        }
        if options.timeout.is_zero() {
            return Err(ServeError::BadOption("--timeout must be longer than 0".into()));
        }
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .map_err(|source| ServeError::Bind { addr: options.addr, source })?;
        let addr = listener.local_addr()?;
        let app = router(AppState::new(Arc::new(classifier), &options));
        Ok(Server { listener, app, addr })
    }

    /// The address actually bound (the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serve until `shutdown` completes, then stop accepting and let the requests in
    /// flight finish.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), ServeError> {
        axum::serve(self.listener, self.app).with_graceful_shutdown(shutdown).await?;
        Ok(())
    }
}

/// Every route, with the layers that guard them.
pub fn router(state: AppState) -> Router {
    let max_body = usize::try_from(state.limits.max_body).unwrap_or(usize::MAX);
    let exchange = state.limits.timeout.saturating_mul(EXCHANGE_FACTOR).saturating_add(EXCHANGE_SLACK);
    let auth = axum::middleware::from_fn_with_state(state.clone(), state::require_token);
    let api = Router::new()
        .route("/v1/classify", post(api::classify))
        .route("/v1/check", post(api::check))
        .route("/v1/lexicon", get(api::lexicon))
        .route_layer(auth.clone());
    // The scan stream may outlast one request's budget: it is bounded by the body
    // cap, and ends with an error line when its own budget runs out (see `scan`).
    let scan = Router::new().route("/v1/scan", post(scan::scan)).route_layer(auth);
    let timed = Router::new()
        .route("/healthz", get(api::healthz))
        .route("/openapi.json", get(api::openapi))
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/app.css", get(page::styles))
        .merge(api)
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, exchange));
    timed
        .merge(scan)
        .fallback(not_found)
        .layer(RequestBodyLimitLayer::new(max_body))
        // Outside the body limit, so its plain-text 413 becomes a JSON error too.
        .layer(axum::middleware::map_response_with_state(state.clone(), error::json_errors))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

async fn not_found() -> Response {
    ApiError::NotFound.into_response()
}
