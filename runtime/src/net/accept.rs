//! Accepting connections, shared by the TCP and Unix-domain listeners:
//! after running out of descriptors (or kernel memory) the pending
//! connection stays queued and the listener stays readable, so retrying at
//! once would spin; accepting waits `ACCEPT_BACKOFF` first instead.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use crate::time::{Sleep, sleep_until};

/// How long accepting waits after a resource-exhaustion error.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(20);

/// A listener's back-off: until when accepting waits, set by an error.
pub(crate) struct AcceptBackoff {
    until: Mutex<Option<Instant>>,
    /// The timer of `poll_accept` callers (each accept future has its own,
    /// so every waiting task is woken when the back-off ends).
    poll_sleep: Mutex<Option<Sleep>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Plain data, consistent even if a holder panicked.
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

impl AcceptBackoff {
    pub(crate) fn new() -> AcceptBackoff {
        AcceptBackoff {
            until: Mutex::new(None),
            poll_sleep: Mutex::new(None),
        }
    }

    /// Ready once no back-off is in force; `sleep` is the caller's timer.
    pub(crate) fn poll(&self, cx: &mut Context<'_>, sleep: &mut Option<Sleep>) -> Poll<()> {
        let Some(until) = *lock(&self.until) else {
            *sleep = None;
            return Poll::Ready(());
        };
        let sleep = sleep.get_or_insert_with(|| sleep_until(until));
        if sleep.deadline() != until {
            sleep.reset(until);
        }
        ready!(Pin::new(sleep).poll(cx));
        let mut current = lock(&self.until);
        if *current == Some(until) {
            *current = None;
        }
        Poll::Ready(())
    }

    /// As `poll`, on the timer shared by `poll_accept` callers.
    pub(crate) fn poll_shared(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.poll(cx, &mut lock(&self.poll_sleep))
    }

    /// Starts a back-off if `error` means the system ran out of resources.
    pub(crate) fn note(&self, error: &io::Error) {
        if matches!(
            error.raw_os_error(),
            Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
        ) {
            *lock(&self.until) = Some(Instant::now() + ACCEPT_BACKOFF);
        }
    }
}
