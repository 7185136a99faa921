//! A socket's registration with a driver: its token, its readiness and
//! its waiters.

use std::io;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::io::{Direction, ReadyEvent, ScheduledIo, WaiterKey};
use super::{Handle, lock, no_runtime};
use crate::reactor::event::Source;
use crate::reactor::{Interest, Token};

/// A socket's registration with the driver: deregistered (its token
/// retired) when dropped.
pub(crate) struct Registration {
    handle: Arc<Handle>,
    io: Arc<ScheduledIo>,
    token: Token,
}

impl Registration {
    /// Registers `source` with the current runtime's driver.
    pub(crate) fn new<S: Source + ?Sized>(
        source: &mut S,
        interest: Interest,
    ) -> io::Result<Registration> {
        let handle = Handle::current().ok_or_else(no_runtime)?;
        Registration::with_handle(handle, source, interest)
    }

    /// Registers `source` with the same driver as `self` (accepted
    /// connections join their listener's runtime).
    pub(crate) fn new_like<S: Source + ?Sized>(
        &self,
        source: &mut S,
        interest: Interest,
    ) -> io::Result<Registration> {
        Registration::with_handle(self.handle.clone(), source, interest)
    }

    fn with_handle<S: Source + ?Sized>(
        handle: Arc<Handle>,
        source: &mut S,
        interest: Interest,
    ) -> io::Result<Registration> {
        let (token, io) = lock(&handle.io).insert();
        if let Err(error) = handle.registry.register(source, token, interest) {
            lock(&handle.io).remove(token);
            return Err(error);
        }
        Ok(Registration { handle, io, token })
    }

    /// Removes `source` from the reactor (before it is closed).
    pub(crate) fn deregister<S: Source + ?Sized>(&self, source: &mut S) -> io::Result<()> {
        self.handle.registry.deregister(source)
    }

    pub(crate) fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
    ) -> Poll<io::Result<ReadyEvent>> {
        self.io.poll_ready(cx, direction)
    }

    pub(crate) fn clear_readiness(&self, event: ReadyEvent) {
        self.io.clear_readiness(event);
    }

    /// Runs the non-blocking `operation` when the direction is ready,
    /// waiting again each time it reports `WouldBlock`. A waiting caller
    /// takes the direction's single slot, as `poll_ready`.
    pub(crate) fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        operation: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        retry_on_would_block(&self.io, || self.poll_ready(cx, direction), operation)
    }

    /// A place among the waiters of `direction`, for a future that may
    /// wait there alongside others (all of them are woken by an event).
    pub(crate) fn waiter(&self, direction: Direction) -> Waiter<'_> {
        Waiter {
            io: &self.io,
            direction,
            key: None,
        }
    }
}

/// One future's place in the waiter list of a socket direction: unlike the
/// single slot of `poll_ready`, a second waiter does not replace the first.
/// It takes a slot on its first wait and leaves the list when dropped.
pub(crate) struct Waiter<'a> {
    io: &'a ScheduledIo,
    direction: Direction,
    key: Option<WaiterKey>,
}

impl Waiter<'_> {
    /// As [`Registration::poll_ready`], in this waiter's own slot.
    pub(crate) fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<ReadyEvent>> {
        self.io.poll_ready_waiter(cx, self.direction, &mut self.key)
    }

    /// As [`Registration::poll_io`], in this waiter's own slot.
    pub(crate) fn poll_io<R>(
        &mut self,
        cx: &mut Context<'_>,
        operation: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        let Waiter {
            io, direction, key, ..
        } = self;
        retry_on_would_block(io, || io.poll_ready_waiter(cx, *direction, key), operation)
    }
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.io.remove_waiter(self.direction, key);
        }
    }
}

impl std::fmt::Debug for Waiter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiter")
            .field("direction", &self.direction)
            .field("key", &self.key)
            .finish()
    }
}

/// Runs `operation` whenever `poll_ready` reports readiness, forgetting
/// that readiness each time the operation hits `WouldBlock`.
fn retry_on_would_block<R>(
    io: &ScheduledIo,
    mut poll_ready: impl FnMut() -> Poll<io::Result<ReadyEvent>>,
    mut operation: impl FnMut() -> io::Result<R>,
) -> Poll<io::Result<R>> {
    loop {
        let event = match poll_ready() {
            Poll::Ready(Ok(event)) => event,
            Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
            Poll::Pending => return Poll::Pending,
        };
        match operation() {
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => io.clear_readiness(event),
            result => return Poll::Ready(result),
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        lock(&self.handle.io).remove(self.token);
    }
}
