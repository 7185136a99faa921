use std::fmt;
use std::future::poll_fn;
use std::io;
use std::net::Shutdown;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::os::unix::net::SocketAddr;
use std::path::Path;
use std::task::{Context, Poll, ready};

use super::accept::AcceptBackoff;
use super::poll_evented::PollEvented;
use super::stream::{self, OwnedReadHalf, OwnedWriteHalf, ReadHalf, WriteHalf};
use crate::driver::io::Direction;
use crate::reactor::net as reactor_net;

/// A Unix-domain socket accepting connections.
///
/// ```
/// use explicit_async_runtime::block_on;
/// use explicit_async_runtime::net::{UnixListener, UnixStream};
///
/// let dir = std::env::temp_dir().join(format!("net-unix-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("socket");
/// # let _ = std::fs::remove_file(&path);
/// block_on(async {
///     let listener = UnixListener::bind(&path)?;
///     let mut client = UnixStream::connect(&path).await?;
///     let (mut server, _peer) = listener.accept().await?;
///     client.write_all(b"hello").await?;
///     let mut received = [0; 5];
///     server.read_exact(&mut received).await?;
///     assert_eq!(&received, b"hello");
///     Ok::<(), std::io::Error>(())
/// })?;
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct UnixListener {
    io: PollEvented<reactor_net::UnixListener>,
    backoff: AcceptBackoff,
}

impl UnixListener {
    /// Binds to the socket file `path` (which must not exist yet) and
    /// listens. Call it inside a runtime.
    pub fn bind<P: AsRef<Path>>(path: P) -> io::Result<UnixListener> {
        UnixListener::from_reactor(reactor_net::UnixListener::bind(path)?)
    }

    /// Wraps a listening standard socket (made non-blocking here).
    pub fn from_std(listener: std::os::unix::net::UnixListener) -> io::Result<UnixListener> {
        listener.set_nonblocking(true)?;
        UnixListener::from_reactor(reactor_net::UnixListener::from_std(listener))
    }

    fn from_reactor(listener: reactor_net::UnixListener) -> io::Result<UnixListener> {
        Ok(UnixListener {
            io: PollEvented::new(listener)?,
            backoff: AcceptBackoff::new(),
        })
    }

    /// Waits for a connection, as [`TcpListener::accept`](super::TcpListener::accept):
    /// several tasks may wait at once, and after running out of descriptors
    /// the next accept waits a little instead of spinning.
    pub async fn accept(&self) -> io::Result<(UnixStream, SocketAddr)> {
        let mut waiter = self.io.registration().waiter(Direction::Read);
        let mut backoff = None;
        poll_fn(|cx| {
            ready!(self.backoff.poll(cx, &mut backoff));
            let source = self.io.source();
            let accepted = ready!(waiter.poll_io(cx, || source.accept()));
            Poll::Ready(self.register_accepted(accepted))
        })
        .await
    }

    /// Accepts a connection if one is pending; else arranges for the task
    /// of `cx` to be woken when one arrives (only the task of the latest
    /// call).
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<(UnixStream, SocketAddr)>> {
        ready!(self.backoff.poll_shared(cx));
        let accepted = ready!(
            self.io
                .poll_io(cx, Direction::Read, |listener| listener.accept())
        );
        Poll::Ready(self.register_accepted(accepted))
    }

    fn register_accepted(
        &self,
        accepted: io::Result<(reactor_net::UnixStream, SocketAddr)>,
    ) -> io::Result<(UnixStream, SocketAddr)> {
        let (stream, addr) = accepted.inspect_err(|error| self.backoff.note(error))?;
        self.io.new_like(stream).map(|io| (UnixStream { io }, addr))
    }

    /// The address the listener is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// Reads and clears the socket's pending error (`SO_ERROR`).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.source().take_error()
    }
}

impl AsRawFd for UnixListener {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl AsFd for UnixListener {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl fmt::Debug for UnixListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixListener")
            .field("addr", &self.local_addr().ok())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}

/// A Unix-domain stream connection, used as [`TcpStream`](super::TcpStream).
pub struct UnixStream {
    io: PollEvented<reactor_net::UnixStream>,
}

impl UnixStream {
    /// Connects to the socket file `path`. A listener whose backlog is full
    /// is an error (`WouldBlock`), as in tokio.
    pub async fn connect<P: AsRef<Path>>(path: P) -> io::Result<UnixStream> {
        let stream = UnixStream::from_reactor(reactor_net::UnixStream::connect(path)?)?;
        // Connected (or failed) once writable; the outcome is in SO_ERROR.
        poll_fn(|cx| stream.io.registration().poll_ready(cx, Direction::Write)).await?;
        if let Some(error) = stream.io.source().take_error()? {
            return Err(error);
        }
        Ok(stream)
    }

    /// Two connected, unnamed streams. Call it inside a runtime.
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        let (first, second) = reactor_net::UnixStream::pair()?;
        Ok((
            UnixStream::from_reactor(first)?,
            UnixStream::from_reactor(second)?,
        ))
    }

    /// Wraps a connected standard stream (made non-blocking here).
    pub fn from_std(stream: std::os::unix::net::UnixStream) -> io::Result<UnixStream> {
        stream.set_nonblocking(true)?;
        UnixStream::from_reactor(reactor_net::UnixStream::from_std(stream))
    }

    fn from_reactor(stream: reactor_net::UnixStream) -> io::Result<UnixStream> {
        Ok(UnixStream {
            io: PollEvented::new(stream)?,
        })
    }

    fn io(&self) -> &PollEvented<reactor_net::UnixStream> {
        &self.io
    }

    stream::read_methods!(reactor_net::UnixStream);
    stream::write_methods!(reactor_net::UnixStream);

    /// Waits until the stream is readable; several tasks may wait at once.
    pub async fn readable(&self) -> io::Result<()> {
        let mut waiter = self.io.registration().waiter(Direction::Read);
        poll_fn(|cx| waiter.poll_ready(cx)).await.map(drop)
    }

    /// Waits until the stream is writable; several tasks may wait at once.
    pub async fn writable(&self) -> io::Result<()> {
        let mut waiter = self.io.registration().waiter(Direction::Write);
        poll_fn(|cx| waiter.poll_ready(cx)).await.map(drop)
    }

    /// Shuts down the read, write or both halves.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.source().shutdown(how)
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().peer_addr()
    }

    /// This end's address (unnamed for a connecting stream).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// Reads and clears the socket's pending error (`SO_ERROR`).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.source().take_error()
    }

    /// Borrowed halves for reading and writing concurrently.
    pub fn split(
        &mut self,
    ) -> (
        ReadHalf<'_, reactor_net::UnixStream>,
        WriteHalf<'_, reactor_net::UnixStream>,
    ) {
        stream::split(&self.io)
    }

    /// Owned halves that can move to different tasks.
    pub fn into_split(
        self,
    ) -> (
        OwnedReadHalf<reactor_net::UnixStream>,
        OwnedWriteHalf<reactor_net::UnixStream>,
    ) {
        stream::into_split(self.io)
    }
}

impl AsRawFd for UnixStream {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl AsFd for UnixStream {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl fmt::Debug for UnixStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixStream")
            .field("local", &self.local_addr().ok())
            .field("peer", &self.peer_addr().ok())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}
