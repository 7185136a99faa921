//! Readiness events and the [`Source`] trait for things that can be registered.

use std::{fmt, io};

pub use super::events::{Events, Iter};
use super::{Interest, Registry, Token};
use crate::sys;

/// One readiness event: which registration ([`token`](Event::token)) became
/// ready for what.
///
/// Readiness is a hint, not a promise: after a readable event the read may
/// still return `WouldBlock`. Keep doing I/O until it does; only then will a
/// new event be delivered (see [`Poll`](super::Poll) on edge triggering).
#[derive(Clone)]
#[repr(transparent)]
pub struct Event {
    inner: sys::Event,
}

impl Event {
    /// Views the selector's own event record as an `Event`.
    pub(crate) fn from_sys_event_ref(sys_event: &sys::Event) -> &Event {
        // SAFETY: `Event` is `repr(transparent)` over `sys::Event`, so both
        // have the same layout, and the returned borrow has the input's lifetime.
        unsafe { &*(sys_event as *const sys::Event).cast::<Event>() }
    }

    /// The token given when the source was registered.
    pub fn token(&self) -> Token {
        sys::event::token(&self.inner)
    }

    /// Data can be read (or a connection accepted), or the peer closed its
    /// side; read until `WouldBlock`.
    pub fn is_readable(&self) -> bool {
        sys::event::is_readable(&self.inner)
    }

    /// Data can be written (a connecting stream is connected, or failed:
    /// see `take_error`); write until `WouldBlock`.
    pub fn is_writable(&self) -> bool {
        sys::event::is_writable(&self.inner)
    }

    /// The source has an error pending (for a socket: read it with `take_error`).
    pub fn is_error(&self) -> bool {
        sys::event::is_error(&self.inner)
    }

    /// The reading half is closed: the peer shut down its writing half or
    /// the connection is gone. Reads will return 0 once buffered data is read.
    pub fn is_read_closed(&self) -> bool {
        sys::event::is_read_closed(&self.inner)
    }

    /// The writing half is closed: writes will fail.
    pub fn is_write_closed(&self) -> bool {
        sys::event::is_write_closed(&self.inner)
    }

    /// Out-of-band data is available (`EPOLLPRI`); always `false` on kqueue.
    pub fn is_priority(&self) -> bool {
        sys::event::is_priority(&self.inner)
    }

    /// An AIO operation completed; always `false` here (as mio on Linux).
    pub fn is_aio(&self) -> bool {
        sys::event::is_aio(&self.inner)
    }

    /// A LIO operation completed; always `false` here (as mio on Linux).
    pub fn is_lio(&self) -> bool {
        sys::event::is_lio(&self.inner)
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("token", &self.token())
            .field("readable", &self.is_readable())
            .field("writable", &self.is_writable())
            .field("error", &self.is_error())
            .field("read_closed", &self.is_read_closed())
            .field("write_closed", &self.is_write_closed())
            .field("priority", &self.is_priority())
            .field("aio", &self.is_aio())
            .field("lio", &self.is_lio())
            .finish()
    }
}

/// Something that can be registered with a [`Registry`]: sockets, the
/// [`SourceFd`](super::unix::SourceFd) adapter, or your own type wrapping one of those.
///
/// Do not call these methods yourself; call [`Registry::register`] and
/// friends, which call them. An implementation forwards to the source it
/// wraps, as the `net` types do.
pub trait Source {
    /// Starts delivering events for `interests`, named `token`.
    fn register(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()>;

    /// Replaces the token and interests of an existing registration.
    fn reregister(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()>;

    /// Stops delivering events.
    fn deregister(&mut self, registry: &Registry) -> io::Result<()>;
}

impl<T> Source for Box<T>
where
    T: Source + ?Sized,
{
    fn register(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        (**self).register(registry, token, interests)
    }

    fn reregister(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        (**self).reregister(registry, token, interests)
    }

    fn deregister(&mut self, registry: &Registry) -> io::Result<()> {
        (**self).deregister(registry)
    }
}
