//! `--trace`: the state transitions of one request, among a thousand.
//!
//! `http_get` is annotated `#[explicit_async(trace)]`, so every call reports
//! every transition to the process-wide hook of `explicit_async::trace`.
//! To keep only the first request's, that request's future is wrapped in
//! [`Traced`], which points a thread-local at its log while it is polled:
//! the hook runs inside that poll, on the same thread, and writes there.
//! Every other request finds no log and is not recorded.

use explicit_async::trace::{self, Transition};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Instant;

/// A transition and when it happened.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub at: Instant,
    pub transition: Transition,
}

/// The steps recorded by one [`Traced`] future.
pub type Log = Arc<Mutex<Vec<Step>>>;

thread_local! {
    static CURRENT_LOG: RefCell<Option<Log>> = const { RefCell::new(None) };
}

fn record_if_traced(transition: &Transition) {
    let at = Instant::now();
    CURRENT_LOG.with_borrow(|log| {
        if let Some(log) = log {
            log.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Step {
                    at,
                    transition: *transition,
                });
        }
    });
}

/// Routes the transitions of traced functions to the [`Traced`] future
/// being polled, and drops all others (instead of printing them to stderr).
pub fn install_hook() {
    trace::set_hook(record_if_traced);
}

/// Wraps a future so that the transitions reported while it is polled go to `log`.
pub struct Traced<F> {
    inner: Pin<Box<F>>,
    log: Log,
}

impl<F: Future> Traced<F> {
    pub fn new(inner: F, log: Log) -> Self {
        Traced {
            inner: Box::pin(inner),
            log,
        }
    }
}

/// Clears the thread-local when the poll ends, even by a panic.
struct ResetOnDrop;

impl Drop for ResetOnDrop {
    fn drop(&mut self) {
        CURRENT_LOG.with_borrow_mut(|log| *log = None);
    }
}

impl<F: Future> Future for Traced<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        CURRENT_LOG.with_borrow_mut(|log| *log = Some(self.log.clone()));
        let _reset = ResetOnDrop;
        self.inner.as_mut().poll(cx)
    }
}

/// The log as lines: `+12.345 ms  http_get: Start -> WaitingOnConnect`.
pub fn format_log(steps: &[Step], start: Instant) -> String {
    steps
        .iter()
        .map(|step| {
            let offset = step.at.saturating_duration_since(start).as_secs_f64() * 1e3;
            let Transition { function, from, to } = step.transition;
            format!("  +{offset:>9.3} ms  {function}: {from} -> {to}\n")
        })
        .collect()
}
