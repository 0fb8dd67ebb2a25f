//! What every request shares: the compiled classifier, the limits, the permits that
//! bound concurrent work, and the bearer token. CPU work goes through
//! [`AppState::run`]: off the async threads, under the concurrency limit and the
//! per-request time budget.

use super::error::ApiError;
use super::Options;
use crate::classify::Classifier;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The limits a request runs under.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Request body cap in bytes.
    pub max_body: u64,
    /// Time budget of one request's classification work.
    pub timeout: Duration,
    /// Requests doing work at once.
    pub concurrency: usize,
}

/// Shared by every request (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// The compiled lexicon.
    pub classifier: Arc<Classifier>,
    /// Body cap, time budget, concurrency.
    pub limits: Limits,
    permits: Arc<Semaphore>,
    token: Option<Arc<str>>,
}

impl AppState {
    /// State for a server started with `options`.
    pub fn new(classifier: Arc<Classifier>, options: &Options) -> AppState {
        AppState {
            classifier,
            limits: Limits { max_body: options.max_body, timeout: options.timeout, concurrency: options.concurrency },
            permits: Arc::new(Semaphore::new(options.concurrency)),
            token: options.token.as_deref().map(Arc::from),
        }
    }

    /// A work slot, or [`ApiError::Busy`] when all are taken. The slot is held until
    /// the work really ends, even past its budget: the limit counts busy cores, not
    /// requests still waited on.
    pub fn permit(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        self.permits.clone().try_acquire_owned().map_err(|_| ApiError::Busy)
    }

    /// Run `work` on the blocking pool within the time budget.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Classifier) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = self.permit()?;
        let classifier = self.classifier.clone();
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&classifier)))
        });
        match tokio::time::timeout(self.limits.timeout, task).await {
            Err(_) => Err(ApiError::Timeout { budget: self.limits.timeout }),
            Ok(Ok(Ok(value))) => Ok(value),
            Ok(Ok(Err(_))) | Ok(Err(_)) => Err(ApiError::Internal), // a panic: a bug
        }
    }

    /// Whether `Authorization` carries the token (always true when none is set).
    fn authorised(&self, header: Option<&str>) -> bool {
        let Some(token) = &self.token else { return true };
        let Some(given) = header.and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer "))) else {
            return false;
        };
        constant_time_eq(given.trim().as_bytes(), token.as_bytes())
    }
}

/// Compare without stopping at the first difference, so response time says nothing
/// about how much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Middleware of the `/v1` routes: 401 without the bearer token, when one is set.
pub async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let given = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if state.authorised(given) {
        next.run(request).await
    } else {
        axum::response::IntoResponse::into_response(ApiError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
