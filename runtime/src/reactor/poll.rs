use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use super::checks::RegistryChecks;
use super::event::Source;
use super::{Events, Interest, Token};
use crate::sys;

/// Waits for readiness events on registered sources: the heart of the reactor.
///
/// # The model
///
/// 1. **Register** each non-blocking source (a socket, a [`Waker`], a raw fd
///    via [`SourceFd`]) with the [`Registry`], saying which readiness you care
///    about ([`Interest`]) and a [`Token`] of your choosing to recognise it by.
/// 2. **Poll**: [`Poll::poll`] blocks until at least one registered source is
///    ready, the timeout expires, or a [`Waker`] is woken, and fills
///    [`Events`] with what happened.
/// 3. **Act**: for each event, look up your state by its token and do the
///    non-blocking I/O the event allows.
///
/// ```
/// use std::io::{self, Read, Write};
/// use std::os::fd::AsRawFd;
/// use std::os::unix::net::UnixStream;
/// use std::time::Duration;
/// use explicit_async_runtime::reactor::unix::SourceFd;
/// use explicit_async_runtime::reactor::{Events, Interest, Poll, Token};
///
/// const RECEIVER: Token = Token(0);
///
/// let mut poll = Poll::new()?;
/// let mut events = Events::with_capacity(16);
/// let (mut receiver, mut sender) = UnixStream::pair()?;
/// receiver.set_nonblocking(true)?;
/// let fd = receiver.as_raw_fd();
/// poll.registry().register(&mut SourceFd(&fd), RECEIVER, Interest::READABLE)?;
///
/// sender.write_all(b"hello")?;
/// let mut received = Vec::new();
/// while received.len() < 5 {
///     poll.poll(&mut events, Some(Duration::from_secs(10)))?;
///     for event in &events {
///         if event.token() == RECEIVER && event.is_readable() {
///             // Edge-triggered: read until WouldBlock, or no new event comes.
///             let mut buf = [0; 64];
///             loop {
///                 match receiver.read(&mut buf) {
///                     Ok(0) => break,
///                     Ok(n) => received.extend_from_slice(&buf[..n]),
///                     Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
///                     Err(e) => return Err(e),
///                 }
///             }
///         }
///     }
/// }
/// assert_eq!(received, b"hello");
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Edge triggering
///
/// Events are edge-triggered: a source produces an event when its readiness
/// *changes* (new data arrives, buffer space frees up, the peer closes), not
/// for as long as it stays ready. So after a readable event you must read
/// until the read returns [`io::ErrorKind::WouldBlock`] (likewise for writes);
/// if you stop early, no new event will come for the data still waiting and
/// the connection stalls. Readiness is also only a hint: an operation after
/// an event may still return `WouldBlock`, and then you simply wait for the
/// next event.
///
/// # Tokens
///
/// The token is an opaque `usize` returned verbatim in every event of that
/// registration (on Linux it lives in `epoll_event.u64`). Use an index into a
/// slab or vector of connections. Several sources may share a token, but then
/// you cannot tell them apart.
///
/// # Threads
///
/// `poll` takes `&mut self`, so one thread polls. The [`Registry`] is `Sync`,
/// and [`Registry::try_clone`] gives an owned handle to the same kernel object,
/// so other threads can register, reregister and deregister sources while
/// `poll` is blocked; the blocked call sees the change at once. To interrupt a
/// blocked `poll` from another thread, use a [`Waker`].
///
/// # Timeouts and signals
///
/// `None` waits indefinitely; `Some(Duration::ZERO)` only collects what is
/// already ready. epoll counts whole milliseconds, so other timeouts are
/// rounded *up* (a 1 µs timeout waits 1 ms rather than returning at once,
/// which would make a timer loop spin). If a signal handler runs while
/// waiting, `poll` returns an error of kind [`io::ErrorKind::Interrupted`],
/// as mio does: just poll again.
///
/// # Closing and portability
///
/// Deregister a source before dropping it. On Linux, closing a descriptor
/// removes its registration only once every duplicate of it is closed. On
/// kqueue (FreeBSD, macOS) reading and writing are separate filters, so one
/// source may produce two events with the same token in one poll, and there
/// is no [`Interest::PRIORITY`].
///
/// [`Waker`]: super::Waker
/// [`SourceFd`]: super::unix::SourceFd
#[derive(Debug)]
pub struct Poll {
    registry: Registry,
}

impl Poll {
    /// A new, empty selector (an epoll or kqueue instance, close-on-exec).
    pub fn new() -> io::Result<Poll> {
        sys::Selector::new().map(|selector| Poll {
            registry: Registry {
                selector,
                checks: RegistryChecks::new(),
            },
        })
    }

    /// Where sources are registered.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Waits for events, as described on [`Poll`]: clears `events`, then
    /// fills it with at most `events.capacity()` events.
    pub fn poll(&mut self, events: &mut Events, timeout: Option<Duration>) -> io::Result<()> {
        self.registry.selector.select(events.sys(), timeout)
    }
}

impl AsRawFd for Poll {
    fn as_raw_fd(&self) -> RawFd {
        self.registry.as_raw_fd()
    }
}

impl AsFd for Poll {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.registry.as_fd()
    }
}

/// Registers sources with a [`Poll`]; usable from any thread.
///
/// In debug builds it also checks, as mio does, that a `net` socket is
/// registered with one `Registry` at a time (registering it twice fails
/// with "I/O source already registered with a `Registry`", reregistering
/// or deregistering it unregistered with "I/O source not registered with
/// `Registry`") and that one [`Waker`](super::Waker) is created per `Poll`.
#[derive(Debug)]
pub struct Registry {
    selector: sys::Selector,
    checks: RegistryChecks,
}

impl Registry {
    /// Starts delivering events for `source` under `token`.
    ///
    /// Registering a source that is already registered, or a closed
    /// descriptor, is an error (`EEXIST`, `EBADF` on Linux; for a `net`
    /// socket in a debug build, mio's "already registered" error first).
    pub fn register<S>(&self, source: &mut S, token: Token, interests: Interest) -> io::Result<()>
    where
        S: Source + ?Sized,
    {
        source.register(self, token, interests)
    }

    /// Replaces the token and interests of a registered source. An event
    /// for readiness that already holds is delivered again, so this is also
    /// how to ask for a fresh event.
    pub fn reregister<S>(&self, source: &mut S, token: Token, interests: Interest) -> io::Result<()>
    where
        S: Source + ?Sized,
    {
        source.reregister(self, token, interests)
    }

    /// Stops delivering events for `source`; events already collected by a
    /// poll stay in its [`Events`].
    pub fn deregister<S>(&self, source: &mut S) -> io::Result<()>
    where
        S: Source + ?Sized,
    {
        source.deregister(self)
    }

    /// A second handle to the same selector, for another thread.
    pub fn try_clone(&self) -> io::Result<Registry> {
        self.selector.try_clone().map(|selector| Registry {
            selector,
            checks: self.checks.clone(),
        })
    }

    pub(crate) fn selector(&self) -> &sys::Selector {
        &self.selector
    }

    pub(crate) fn checks(&self) -> &RegistryChecks {
        &self.checks
    }
}

impl AsRawFd for Registry {
    fn as_raw_fd(&self) -> RawFd {
        self.selector.as_raw_fd()
    }
}

impl AsFd for Registry {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.selector.as_fd()
    }
}
