//! A non-blocking reactor socket together with its driver registration.

use std::io;
use std::task::{Context, Poll};

use crate::driver::Registration;
use crate::driver::io::Direction;
use crate::reactor::Interest;
use crate::reactor::event::Source;

/// Deregisters the socket, then closes it, when dropped (also when dropped
/// in the middle of an operation).
pub(crate) struct PollEvented<S: Source> {
    source: Option<S>,
    registration: Registration,
}

impl<S: Source> PollEvented<S> {
    /// Registers with the current runtime's driver, for both directions.
    pub(crate) fn new(mut source: S) -> io::Result<PollEvented<S>> {
        let registration = Registration::new(&mut source, Interest::READABLE | Interest::WRITABLE)?;
        Ok(PollEvented {
            source: Some(source),
            registration,
        })
    }

    /// Registers another socket with the same driver as this one.
    pub(crate) fn new_like<T: Source>(&self, mut source: T) -> io::Result<PollEvented<T>> {
        let registration = self
            .registration
            .new_like(&mut source, Interest::READABLE | Interest::WRITABLE)?;
        Ok(PollEvented {
            source: Some(source),
            registration,
        })
    }

    pub(crate) fn source(&self) -> &S {
        self.source.as_ref().expect("source present until drop")
    }

    pub(crate) fn registration(&self) -> &Registration {
        &self.registration
    }

    /// Runs `operation` when `direction` is ready, waiting again on
    /// `WouldBlock`.
    pub(crate) fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        mut operation: impl FnMut(&S) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        let source = self.source();
        self.registration
            .poll_io(cx, direction, || operation(source))
    }

    /// As `poll_io` for reads and writes of `len` bytes: a short transfer
    /// means the socket buffer was drained (or filled), so readiness is
    /// cleared at once and the next call waits instead of failing with
    /// `WouldBlock` first.
    pub(crate) fn poll_transfer(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        len: usize,
        mut operation: impl FnMut(&S) -> io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        let source = self.source();
        loop {
            let event = match self.registration.poll_ready(cx, direction) {
                Poll::Ready(Ok(event)) => event,
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Pending => return Poll::Pending,
            };
            match operation(source) {
                Ok(n) if n > 0 && n < len => {
                    self.registration.clear_readiness(event);
                    return Poll::Ready(Ok(n));
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.registration.clear_readiness(event)
                }
                result => return Poll::Ready(result),
            }
        }
    }
}

impl<S: Source> Drop for PollEvented<S> {
    fn drop(&mut self) {
        if let Some(mut source) = self.source.take() {
            // The descriptor is closed right after; a failure here only
            // means it was never (or no longer) in the epoll set.
            let _ = self.registration.deregister(&mut source);
        }
    }
}
