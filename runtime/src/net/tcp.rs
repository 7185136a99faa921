use std::fmt;
use std::future::{Future, poll_fn, ready};
use std::io;
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::pin::Pin;
use std::task::{Context, Poll};

use super::accept::AcceptBackoff;
use super::each_addr;
use super::poll_evented::PollEvented;
use super::stream::{self, OwnedReadHalf, OwnedWriteHalf, ReadHalf, WriteHalf};
use crate::driver::Waiter;
use crate::driver::io::Direction;
use crate::reactor::net as reactor_net;
use crate::time::Sleep;

/// A TCP socket accepting connections.
///
/// ```
/// use explicit_async_runtime::block_on;
/// use explicit_async_runtime::net::{TcpListener, TcpStream};
///
/// block_on(async {
///     let listener = TcpListener::bind("127.0.0.1:0").await?;
///     let client = TcpStream::connect(listener.local_addr()?).await?;
///     let (_server, peer) = listener.accept().await?;
///     assert_eq!(peer, client.local_addr()?);
///     Ok::<(), std::io::Error>(())
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct TcpListener {
    io: PollEvented<reactor_net::TcpListener>,
    backoff: AcceptBackoff,
}

impl TcpListener {
    /// Binds to `addr` (each resolved address in turn until one works) and
    /// listens.
    pub async fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<TcpListener> {
        each_addr(addr, |addr| {
            ready(reactor_net::TcpListener::bind(addr).and_then(TcpListener::from_reactor))
        })
        .await
    }

    /// Wraps a listening standard socket (made non-blocking here).
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        TcpListener::from_reactor(reactor_net::TcpListener::from_std(listener))
    }

    fn from_reactor(listener: reactor_net::TcpListener) -> io::Result<TcpListener> {
        Ok(TcpListener {
            io: PollEvented::new(listener)?,
            backoff: AcceptBackoff::new(),
        })
    }

    /// Waits for a connection. Errors (including `EMFILE`) are returned;
    /// the listener keeps working, and after running out of descriptors
    /// the next `accept` first waits a little instead of spinning.
    ///
    /// Several tasks may wait in `accept` on one listener (shared in an
    /// `Arc`): each connection goes to one of them.
    pub fn accept(&self) -> Accept<'_> {
        Accept {
            listener: self,
            waiter: self.io.registration().waiter(Direction::Read),
            backoff: None,
        }
    }

    /// Accepts a connection if one is pending; else arranges for the task
    /// of `cx` to be woken when one arrives.
    ///
    /// As with tokio's `poll_accept`, only the task of the latest call is
    /// woken; for several waiting tasks use [`accept`](TcpListener::accept).
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<(TcpStream, SocketAddr)>> {
        std::task::ready!(self.backoff.poll_shared(cx));
        let accepted = std::task::ready!(
            self.io
                .poll_io(cx, Direction::Read, |listener| listener.accept())
        );
        Poll::Ready(self.register_accepted(accepted))
    }

    fn register_accepted(
        &self,
        accepted: io::Result<(reactor_net::TcpStream, SocketAddr)>,
    ) -> io::Result<(TcpStream, SocketAddr)> {
        let (stream, addr) = accepted.inspect_err(|error| self.backoff.note(error))?;
        self.io.new_like(stream).map(|io| (TcpStream { io }, addr))
    }

    /// The address the listener is bound to (with the port the system
    /// chose, after binding port 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// Reads and clears the socket's pending error (`SO_ERROR`).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.source().take_error()
    }
}

impl AsRawFd for TcpListener {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl AsFd for TcpListener {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener")
            .field("addr", &self.local_addr().ok())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}

/// The future returned by [`TcpListener::accept`].
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct Accept<'a> {
    listener: &'a TcpListener,
    waiter: Waiter<'a>,
    backoff: Option<Sleep>,
}

impl Future for Accept<'_> {
    type Output = io::Result<(TcpStream, SocketAddr)>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Accept {
            listener,
            waiter,
            backoff,
        } = &mut *self;
        std::task::ready!(listener.backoff.poll(cx, backoff));
        let source = listener.io.source();
        let accepted = std::task::ready!(waiter.poll_io(cx, || source.accept()));
        Poll::Ready(listener.register_accepted(accepted))
    }
}

/// A TCP connection.
///
/// `read`, `write` and friends take `&mut self` like tokio's; to read and
/// write from two tasks at once, [`split`](TcpStream::split) it or
/// [`into_split`](TcpStream::into_split) it.
pub struct TcpStream {
    io: PollEvented<reactor_net::TcpStream>,
}

impl TcpStream {
    /// Connects to `addr` (each resolved address in turn until one works).
    /// A refused or unreachable peer is an error.
    pub async fn connect<A: ToSocketAddrs>(addr: A) -> io::Result<TcpStream> {
        each_addr(addr, TcpStream::connect_addr).await
    }

    async fn connect_addr(addr: SocketAddr) -> io::Result<TcpStream> {
        let stream = TcpStream::from_reactor(reactor_net::TcpStream::connect(addr)?)?;
        // Connected (or failed) once writable; the outcome is in SO_ERROR.
        poll_fn(|cx| stream.io.registration().poll_ready(cx, Direction::Write)).await?;
        if let Some(error) = stream.io.source().take_error()? {
            return Err(error);
        }
        stream.io.source().peer_addr()?;
        Ok(stream)
    }

    /// Wraps a connected standard stream (made non-blocking here).
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        TcpStream::from_reactor(reactor_net::TcpStream::from_std(stream))
    }

    fn from_reactor(stream: reactor_net::TcpStream) -> io::Result<TcpStream> {
        Ok(TcpStream {
            io: PollEvented::new(stream)?,
        })
    }

    fn io(&self) -> &PollEvented<reactor_net::TcpStream> {
        &self.io
    }

    stream::read_methods!(reactor_net::TcpStream);
    stream::write_methods!(reactor_net::TcpStream);

    /// Waits until the stream is readable (data, end of file or an error).
    /// Several tasks may wait at once; all are woken.
    pub async fn readable(&self) -> io::Result<()> {
        let mut waiter = self.io.registration().waiter(Direction::Read);
        poll_fn(|cx| waiter.poll_ready(cx)).await.map(drop)
    }

    /// Waits until the stream is writable. Several tasks may wait at once;
    /// all are woken.
    pub async fn writable(&self) -> io::Result<()> {
        let mut waiter = self.io.registration().waiter(Direction::Write);
        poll_fn(|cx| waiter.poll_ready(cx)).await.map(drop)
    }

    /// Shuts down the read, write or both halves (`Shutdown::Write` sends
    /// end-of-file to the peer).
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.source().shutdown(how)
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().peer_addr()
    }

    /// This end's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// Sets `TCP_NODELAY`: send small writes at once instead of batching
    /// them (Nagle's algorithm).
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.io.source().set_nodelay(nodelay)
    }

    /// Whether `TCP_NODELAY` is set.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.io.source().nodelay()
    }

    /// Reads and clears the socket's pending error (`SO_ERROR`).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.source().take_error()
    }

    /// Borrowed halves for reading and writing concurrently (for example
    /// in two branches of a join).
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        stream::split(&self.io)
    }

    /// Owned halves that can move to different tasks. Dropping both closes
    /// the connection.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        stream::into_split(self.io)
    }
}

impl AsRawFd for TcpStream {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl AsFd for TcpStream {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream")
            .field("local", &self.local_addr().ok())
            .field("peer", &self.peer_addr().ok())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}
