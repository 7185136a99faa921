use std::io;

use super::{Registry, Token};
use crate::sys;

/// Wakes a [`Poll`](super::Poll) from another thread.
///
/// Creating it registers it under `token`; [`wake`](Waker::wake) then makes
/// the poll return a readable event with that token (or the next poll, if
/// none is blocked right now). Wakes between two polls may be merged into one
/// event. Use one `Waker` per `Poll`, shared behind an `Arc`; dropping it
/// deregisters it.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use explicit_async_runtime::reactor::{Events, Poll, Token, Waker};
///
/// const WAKE: Token = Token(7);
/// let mut poll = Poll::new()?;
/// let waker = Arc::new(Waker::new(poll.registry(), WAKE)?);
/// let remote = waker.clone();
/// std::thread::spawn(move || remote.wake().expect("wake"));
/// let mut events = Events::with_capacity(4);
/// loop {
///     poll.poll(&mut events, Some(Duration::from_secs(10)))?;
///     if events.iter().any(|event| event.token() == WAKE) {
///         break;
///     }
/// }
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct Waker {
    inner: sys::Waker,
}

impl Waker {
    /// Registers a new waker with `registry`'s `Poll`, under `token`.
    ///
    /// # Panics
    /// In debug builds, when this `Poll` already had a `Waker` (as mio:
    /// "Only a single `Waker` can be active per `Poll` instance").
    pub fn new(registry: &Registry, token: Token) -> io::Result<Waker> {
        registry.checks().register_waker();
        sys::Waker::new(registry.selector(), token).map(|inner| Waker { inner })
    }

    /// Makes the `Poll` return (now if it is blocked, else from its next
    /// call) with a readable event for this waker's token.
    pub fn wake(&self) -> io::Result<()> {
        self.inner.wake()
    }
}
