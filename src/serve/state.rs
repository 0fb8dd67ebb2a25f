//! What every request shares: the compiled classifier, the limits, the permits that
//! bound concurrent work, and the bearer token. CPU work goes through
//! [`AppState::run`]: off the async threads, under the concurrency limit and the
//! per-request time budget.
//!
//! A thread on the blocking pool cannot be killed, so a request past its budget is
//! answered at once while its work runs on. Two things keep that work in check: its
//! slot stays taken until it returns (a flood of timed-out requests meets 503 `busy`,
//! not a pile of CPU work), and it is told to stop, which the part of the work that
//! can run long (the check's edit search) obeys between tries. One classification
//! pass is not interruptible; the body cap bounds it (about a second for 10 MiB).

use super::error::ApiError;
use super::Options;
use crate::classify::Classifier;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::atomic::{AtomicBool, Ordering};
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

    /// Run `work` on the blocking pool within the time budget. `work` gets a flag that
    /// is set once nobody waits for its result any more (budget spent, request dropped);
    /// work that can end early should check it.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Classifier, &AtomicBool) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = self.permit()?;
        let classifier = self.classifier.clone();
        let stop = StopOnDrop(Arc::new(AtomicBool::new(false)));
        let flag = stop.0.clone();
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&classifier, &flag)))
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

/// Sets the work's stop flag when [`AppState::run`] stops waiting: it returns, times
/// out, or is dropped with the handler (the client went away, the exchange timed out).
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
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
    use super::*;
    use std::sync::mpsc;
    use std::time::Instant;

    /// Long enough for any wait below on a loaded machine; a test only waits this long
    /// when it fails.
    const PATIENCE: Duration = Duration::from_secs(20);

    fn state(timeout: Duration, concurrency: usize) -> AppState {
        let options = Options { timeout, concurrency, ..Options::default() };
        AppState::new(Arc::new(Classifier::embedded()), &options)
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"x"));
    }

    #[tokio::test]
    async fn work_past_its_budget_keeps_its_slot_and_is_told_to_stop() {
        let budget = Duration::from_millis(50);
        let state = state(budget, 1);
        let (release, released) = mpsc::channel::<()>();
        let (saw, seen) = mpsc::channel::<bool>();
        // Work that ignores the budget until the test lets it go, as one long
        // classification pass does.
        let answer = state
            .run(move |_, stop| {
                let _ = released.recv_timeout(PATIENCE);
                let _ = saw.send(stop.load(Ordering::Relaxed));
            })
            .await;
        assert_eq!(answer, Err(ApiError::Timeout { budget }));
        assert_eq!(state.permit().err(), Some(ApiError::Busy), "the abandoned work still holds the only slot");
        assert_eq!(state.run(|_, _| ()).await, Err(ApiError::Busy), "so new work is refused, not piled up");
        release.send(()).unwrap();
        assert!(seen.recv_timeout(PATIENCE).unwrap(), "the work was told to stop");
        let start = Instant::now();
        while state.permit().is_err() {
            assert!(start.elapsed() < PATIENCE, "the slot never came back");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(state.run(|_, _| 7).await, Ok(7));
    }

    #[tokio::test]
    async fn work_is_told_to_stop_when_its_request_is_dropped() {
        let state = state(Duration::from_secs(600), 1);
        let (saw, seen) = mpsc::channel::<bool>();
        let work = state.run(move |_, stop| {
            let start = Instant::now();
            while !stop.load(Ordering::Relaxed) && start.elapsed() < PATIENCE {
                std::thread::sleep(Duration::from_millis(1));
            }
            let _ = saw.send(stop.load(Ordering::Relaxed));
        });
        // Dropped unfinished, as hyper drops a handler whose client went away.
        assert!(tokio::time::timeout(Duration::from_millis(50), work).await.is_err());
        assert!(seen.recv_timeout(PATIENCE).unwrap(), "the work was told to stop");
    }
}
