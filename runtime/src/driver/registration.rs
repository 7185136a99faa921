//! A socket's registration with a driver: its token, its readiness and
//! its waiters.

use std::io;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::io::{Direction, ReadyEvent, ScheduledIo};
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
    /// waiting again each time it reports `WouldBlock`.
    pub(crate) fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        mut operation: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        loop {
            let event = match self.poll_ready(cx, direction) {
                Poll::Ready(Ok(event)) => event,
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Pending => return Poll::Pending,
            };
            match operation() {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.clear_readiness(event)
                }
                result => return Poll::Ready(result),
            }
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        lock(&self.handle.io).remove(self.token);
    }
}
