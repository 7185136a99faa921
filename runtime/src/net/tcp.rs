use std::fmt;
use std::future::{Future, poll_fn};
use std::io::{self, Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use super::poll_evented::PollEvented;
use super::resolve;
use crate::driver::Waiter;
use crate::driver::io::Direction;
use crate::reactor::net as sys;
use crate::time::{Sleep, sleep_until};

/// How long `accept` waits before trying again after running out of file
/// descriptors (or kernel memory): the pending connection stays queued and
/// the listener stays readable, so retrying at once would spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(20);

/// A TCP socket accepting connections.
pub struct TcpListener {
    io: PollEvented<sys::TcpListener>,
    /// Set after a resource-exhaustion error: accepting waits until then.
    backoff_until: Mutex<Option<Instant>>,
    /// The back-off sleep of `poll_accept` callers (an `Accept` future has
    /// its own, so every waiting task is woken when the back-off ends).
    poll_backoff: Mutex<Option<Sleep>>,
}

impl TcpListener {
    /// Binds to `addr` (each resolved address in turn until one works) and
    /// listens.
    pub async fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<TcpListener> {
        let mut last_error = None;
        for addr in resolve(addr)? {
            match sys::TcpListener::bind(addr).and_then(TcpListener::from_reactor) {
                Ok(listener) => return Ok(listener),
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.expect("resolve returns at least one address"))
    }

    /// Wraps a listening standard socket (made non-blocking here).
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        TcpListener::from_reactor(sys::TcpListener::from_std(listener))
    }

    fn from_reactor(listener: sys::TcpListener) -> io::Result<TcpListener> {
        Ok(TcpListener {
            io: PollEvented::new(listener)?,
            backoff_until: Mutex::new(None),
            poll_backoff: Mutex::new(None),
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
        ready!(self.poll_backoff(cx, &mut lock(&self.poll_backoff)));
        let accepted = ready!(
            self.io
                .poll_io(cx, Direction::Read, |listener| listener.accept())
        );
        Poll::Ready(self.register_accepted(accepted))
    }

    /// Ready once no back-off is in force; `sleep` is the caller's timer.
    fn poll_backoff(&self, cx: &mut Context<'_>, sleep: &mut Option<Sleep>) -> Poll<()> {
        let Some(until) = *lock(&self.backoff_until) else {
            *sleep = None;
            return Poll::Ready(());
        };
        let sleep = sleep.get_or_insert_with(|| sleep_until(until));
        if sleep.deadline() != until {
            sleep.reset(until);
        }
        ready!(Pin::new(sleep).poll(cx));
        let mut backoff_until = lock(&self.backoff_until);
        if *backoff_until == Some(until) {
            *backoff_until = None;
        }
        Poll::Ready(())
    }

    fn register_accepted(
        &self,
        accepted: io::Result<(sys::TcpStream, SocketAddr)>,
    ) -> io::Result<(TcpStream, SocketAddr)> {
        let (stream, addr) = accepted.inspect_err(|error| {
            if is_resource_exhaustion(error) {
                *lock(&self.backoff_until) = Some(Instant::now() + ACCEPT_BACKOFF);
            }
        })?;
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

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Plain data, consistent even if a holder panicked.
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

fn is_resource_exhaustion(error: &io::Error) -> bool {
    matches!(
        error.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
    )
}

impl AsRawFd for TcpListener {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
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
        ready!(listener.poll_backoff(cx, backoff));
        let source = listener.io.source();
        let accepted = ready!(waiter.poll_io(cx, || source.accept()));
        Poll::Ready(listener.register_accepted(accepted))
    }
}

/// A TCP connection.
///
/// `read`, `write` and friends take `&mut self` like tokio's; to read and
/// write from two tasks at once, [`split`](TcpStream::split) it or
/// [`into_split`](TcpStream::into_split) it.
pub struct TcpStream {
    io: PollEvented<sys::TcpStream>,
}

impl TcpStream {
    /// Connects to `addr` (each resolved address in turn until one works).
    /// A refused or unreachable peer is an error.
    pub async fn connect<A: ToSocketAddrs>(addr: A) -> io::Result<TcpStream> {
        let mut last_error = None;
        for addr in resolve(addr)? {
            match TcpStream::connect_addr(addr).await {
                Ok(stream) => return Ok(stream),
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.expect("resolve returns at least one address"))
    }

    async fn connect_addr(addr: SocketAddr) -> io::Result<TcpStream> {
        let stream = TcpStream::from_reactor(sys::TcpStream::connect(addr)?)?;
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
        TcpStream::from_reactor(sys::TcpStream::from_std(stream))
    }

    fn from_reactor(stream: sys::TcpStream) -> io::Result<TcpStream> {
        Ok(TcpStream {
            io: PollEvented::new(stream)?,
        })
    }

    /// Reads into `buf`; `Ok(0)` means the peer closed its side (or `buf`
    /// is empty).
    pub fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> Read<'a> {
        Read { stream: self, buf }
    }

    /// Fills `buf` completely; `UnexpectedEof` if the peer closes first.
    pub fn read_exact<'a>(&'a mut self, buf: &'a mut [u8]) -> ReadExact<'a> {
        ReadExact {
            stream: self,
            buf,
            filled: 0,
        }
    }

    /// Reads until the peer closes, appending to `buf`; returns the count.
    pub fn read_to_end<'a>(&'a mut self, buf: &'a mut Vec<u8>) -> ReadToEnd<'a> {
        ReadToEnd {
            stream: self,
            buf,
            read: 0,
        }
    }

    /// Writes some of `buf`; returns how much.
    pub fn write<'a>(&'a mut self, buf: &'a [u8]) -> Write<'a> {
        Write { stream: self, buf }
    }

    /// Writes all of `buf`.
    pub fn write_all<'a>(&'a mut self, buf: &'a [u8]) -> WriteAll<'a> {
        WriteAll { stream: self, buf }
    }

    pub fn poll_read(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let len = buf.len();
        self.io
            .poll_transfer(cx, Direction::Read, len, |mut stream| stream.read(buf))
    }

    pub fn poll_write(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        self.io
            .poll_transfer(cx, Direction::Write, buf.len(), |mut stream| {
                stream.write(buf)
            })
    }

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

    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().peer_addr()
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.io.source().set_nodelay(nodelay)
    }

    pub fn nodelay(&self) -> io::Result<bool> {
        self.io.source().nodelay()
    }

    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.source().take_error()
    }

    /// Borrowed halves for reading and writing concurrently (for example
    /// in two branches of a join).
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        (ReadHalf { stream: self }, WriteHalf { stream: self })
    }

    /// Owned halves that can move to different tasks. Dropping both closes
    /// the connection.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        let stream = Arc::new(self);
        (
            OwnedReadHalf {
                stream: stream.clone(),
            },
            OwnedWriteHalf { stream },
        )
    }
}

impl AsRawFd for TcpStream {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
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

/// The read and write methods of the split halves, over a shared stream.
macro_rules! read_methods {
    () => {
        /// As [`TcpStream::read`].
        pub fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> Read<'a> {
            Read {
                stream: &self.stream,
                buf,
            }
        }
        /// As [`TcpStream::read_exact`].
        pub fn read_exact<'a>(&'a mut self, buf: &'a mut [u8]) -> ReadExact<'a> {
            ReadExact {
                stream: &self.stream,
                buf,
                filled: 0,
            }
        }
        /// As [`TcpStream::read_to_end`].
        pub fn read_to_end<'a>(&'a mut self, buf: &'a mut Vec<u8>) -> ReadToEnd<'a> {
            ReadToEnd {
                stream: &self.stream,
                buf,
                read: 0,
            }
        }
        pub fn poll_read(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
            self.stream.poll_read(cx, buf)
        }
        pub fn peer_addr(&self) -> io::Result<SocketAddr> {
            self.stream.peer_addr()
        }
    };
}

macro_rules! write_methods {
    () => {
        /// As [`TcpStream::write`].
        pub fn write<'a>(&'a mut self, buf: &'a [u8]) -> Write<'a> {
            Write {
                stream: &self.stream,
                buf,
            }
        }
        /// As [`TcpStream::write_all`].
        pub fn write_all<'a>(&'a mut self, buf: &'a [u8]) -> WriteAll<'a> {
            WriteAll {
                stream: &self.stream,
                buf,
            }
        }
        pub fn poll_write(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
            self.stream.poll_write(cx, buf)
        }
        /// Sends end-of-file to the peer.
        pub fn shutdown(&self) -> io::Result<()> {
            self.stream.shutdown(Shutdown::Write)
        }
    };
}

/// The reading half of [`TcpStream::split`].
#[derive(Debug)]
pub struct ReadHalf<'a> {
    stream: &'a TcpStream,
}

/// The writing half of [`TcpStream::split`].
#[derive(Debug)]
pub struct WriteHalf<'a> {
    stream: &'a TcpStream,
}

/// The reading half of [`TcpStream::into_split`].
#[derive(Debug)]
pub struct OwnedReadHalf {
    stream: Arc<TcpStream>,
}

/// The writing half of [`TcpStream::into_split`].
#[derive(Debug)]
pub struct OwnedWriteHalf {
    stream: Arc<TcpStream>,
}

impl ReadHalf<'_> {
    read_methods!();
}
impl OwnedReadHalf {
    read_methods!();
}
impl WriteHalf<'_> {
    write_methods!();
}
impl OwnedWriteHalf {
    write_methods!();
}

/// The future returned by `read`.
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct Read<'a> {
    stream: &'a TcpStream,
    buf: &'a mut [u8],
}

impl Future for Read<'_> {
    type Output = io::Result<usize>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        this.stream.poll_read(cx, this.buf)
    }
}

/// The future returned by `read_exact`.
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct ReadExact<'a> {
    stream: &'a TcpStream,
    buf: &'a mut [u8],
    filled: usize,
}

impl Future for ReadExact<'_> {
    type Output = io::Result<()>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        while this.filled < this.buf.len() {
            let n = ready!(this.stream.poll_read(cx, &mut this.buf[this.filled..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "peer closed before the buffer was filled",
                )));
            }
            this.filled += n;
        }
        Poll::Ready(Ok(()))
    }
}

/// The future returned by `read_to_end`.
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct ReadToEnd<'a> {
    stream: &'a TcpStream,
    buf: &'a mut Vec<u8>,
    read: usize,
}

/// Bytes read per system call by `read_to_end` at least.
const READ_TO_END_CHUNK: usize = 8 * 1024;

impl Future for ReadToEnd<'_> {
    type Output = io::Result<usize>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        loop {
            let start = this.buf.len();
            let chunk = READ_TO_END_CHUNK.max(this.buf.capacity() - start);
            this.buf.resize(start + chunk, 0);
            let polled = this.stream.poll_read(cx, &mut this.buf[start..]);
            let n = match &polled {
                Poll::Ready(Ok(n)) => *n,
                _ => 0,
            };
            this.buf.truncate(start + n);
            match polled {
                Poll::Ready(Ok(0)) => return Poll::Ready(Ok(this.read)),
                Poll::Ready(Ok(n)) => this.read += n,
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// The future returned by `write`.
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct Write<'a> {
    stream: &'a TcpStream,
    buf: &'a [u8],
}

impl Future for Write<'_> {
    type Output = io::Result<usize>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.stream.poll_write(cx, self.buf)
    }
}

/// The future returned by `write_all`.
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct WriteAll<'a> {
    stream: &'a TcpStream,
    buf: &'a [u8],
}

impl Future for WriteAll<'_> {
    type Output = io::Result<()>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        while !self.buf.is_empty() {
            let n = ready!(self.stream.poll_write(cx, self.buf))?;
            if n == 0 {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::WriteZero,
                    "the peer accepts no more data",
                )));
            }
            self.buf = &self.buf[n..];
        }
        Poll::Ready(Ok(()))
    }
}
