//! What TCP and Unix-domain streams share: the read and write futures and
//! the split halves, generic over the reactor socket underneath (`S`,
//! `reactor::net::TcpStream` unless named).

use std::fmt;
use std::future::Future;
use std::io::{self, Read as _, Write as _};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use super::poll_evented::PollEvented;
use crate::driver::io::Direction;
use crate::reactor::event::Source;
use crate::reactor::net as reactor_net;

impl<S: Source> PollEvented<S>
where
    for<'a> &'a S: io::Read + io::Write,
{
    /// Reads into `buf` once readable; `Ok(0)` at end of stream (or for an
    /// empty `buf`).
    pub(crate) fn poll_read(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let len = buf.len();
        self.poll_transfer(cx, Direction::Read, len, |mut stream| stream.read(buf))
    }

    /// Writes some of `buf` once writable.
    pub(crate) fn poll_write(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        self.poll_transfer(cx, Direction::Write, buf.len(), |mut stream| {
            stream.write(buf)
        })
    }
}

/// `read`, `read_exact`, `read_to_end` and `poll_read` for a type whose
/// `io()` is its stream's `PollEvented<$source>`.
macro_rules! read_methods {
    ($source:ty) => {
        /// Reads into `buf`; `Ok(0)` means the peer closed its side (or
        /// `buf` is empty).
        pub fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> $crate::net::Read<'a, $source> {
            $crate::net::Read::new(self.io(), buf)
        }

        /// Fills `buf` completely; `UnexpectedEof` if the peer closes first.
        pub fn read_exact<'a>(
            &'a mut self,
            buf: &'a mut [u8],
        ) -> $crate::net::ReadExact<'a, $source> {
            $crate::net::ReadExact::new(self.io(), buf)
        }

        /// Reads until the peer closes, appending to `buf`; returns the count.
        pub fn read_to_end<'a>(
            &'a mut self,
            buf: &'a mut Vec<u8>,
        ) -> $crate::net::ReadToEnd<'a, $source> {
            $crate::net::ReadToEnd::new(self.io(), buf)
        }

        /// Reads into `buf` if data (or end of stream) is there; else
        /// arranges for the task of `cx` to be woken when it is. Only the
        /// task of the latest call is woken, as with tokio's `poll_read`.
        pub fn poll_read(
            &self,
            cx: &mut std::task::Context<'_>,
            buf: &mut [u8],
        ) -> std::task::Poll<std::io::Result<usize>> {
            self.io().poll_read(cx, buf)
        }
    };
}

/// `write`, `write_all` and `poll_write`, as `read_methods!`.
macro_rules! write_methods {
    ($source:ty) => {
        /// Writes some of `buf`; returns how much.
        pub fn write<'a>(&'a mut self, buf: &'a [u8]) -> $crate::net::Write<'a, $source> {
            $crate::net::Write::new(self.io(), buf)
        }

        /// Writes all of `buf`.
        pub fn write_all<'a>(&'a mut self, buf: &'a [u8]) -> $crate::net::WriteAll<'a, $source> {
            $crate::net::WriteAll::new(self.io(), buf)
        }

        /// Writes some of `buf` if there is room; else arranges for the
        /// task of `cx` to be woken when there is. Only the task of the
        /// latest call is woken, as with tokio's `poll_write`.
        pub fn poll_write(
            &self,
            cx: &mut std::task::Context<'_>,
            buf: &[u8],
        ) -> std::task::Poll<std::io::Result<usize>> {
            self.io().poll_write(cx, buf)
        }
    };
}

pub(crate) use {read_methods, write_methods};

/// The reading half of a stream's `split` (borrowed).
pub struct ReadHalf<'a, S: Source = reactor_net::TcpStream> {
    io: &'a PollEvented<S>,
}

/// The writing half of a stream's `split` (borrowed).
pub struct WriteHalf<'a, S: Source = reactor_net::TcpStream> {
    io: &'a PollEvented<S>,
}

/// The reading half of a stream's `into_split` (owned; may move to
/// another task).
pub struct OwnedReadHalf<S: Source = reactor_net::TcpStream> {
    io: Arc<PollEvented<S>>,
}

/// The writing half of a stream's `into_split` (owned; may move to
/// another task). Dropping both halves closes the connection.
pub struct OwnedWriteHalf<S: Source = reactor_net::TcpStream> {
    io: Arc<PollEvented<S>>,
}

pub(crate) fn split<S: Source>(io: &PollEvented<S>) -> (ReadHalf<'_, S>, WriteHalf<'_, S>) {
    (ReadHalf { io }, WriteHalf { io })
}

pub(crate) fn into_split<S: Source>(io: PollEvented<S>) -> (OwnedReadHalf<S>, OwnedWriteHalf<S>) {
    let io = Arc::new(io);
    (OwnedReadHalf { io: io.clone() }, OwnedWriteHalf { io })
}

/// Per stream type: `read` and `write` methods for its halves, plus
/// `peer_addr` (returning `$addr`) and `shutdown` (of the write half).
macro_rules! half_methods {
    ($source:ty, $addr:ty) => {
        impl ReadHalf<'_, $source> {
            fn io(&self) -> &PollEvented<$source> {
                self.io
            }
            read_methods!($source);
            /// The address of the other end.
            pub fn peer_addr(&self) -> std::io::Result<$addr> {
                self.io.source().peer_addr()
            }
        }

        impl OwnedReadHalf<$source> {
            fn io(&self) -> &PollEvented<$source> {
                &self.io
            }
            read_methods!($source);
            /// The address of the other end.
            pub fn peer_addr(&self) -> std::io::Result<$addr> {
                self.io.source().peer_addr()
            }
        }

        impl WriteHalf<'_, $source> {
            fn io(&self) -> &PollEvented<$source> {
                self.io
            }
            write_methods!($source);
            /// Sends end-of-file to the peer.
            pub fn shutdown(&self) -> std::io::Result<()> {
                self.io.source().shutdown(std::net::Shutdown::Write)
            }
        }

        impl OwnedWriteHalf<$source> {
            fn io(&self) -> &PollEvented<$source> {
                &self.io
            }
            write_methods!($source);
            /// Sends end-of-file to the peer.
            pub fn shutdown(&self) -> std::io::Result<()> {
                self.io.source().shutdown(std::net::Shutdown::Write)
            }
        }
    };
}

half_methods!(reactor_net::TcpStream, std::net::SocketAddr);
half_methods!(reactor_net::UnixStream, std::os::unix::net::SocketAddr);

impl<S: Source + fmt::Debug> fmt::Debug for ReadHalf<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ReadHalf").field(self.io.source()).finish()
    }
}

impl<S: Source + fmt::Debug> fmt::Debug for WriteHalf<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WriteHalf").field(self.io.source()).finish()
    }
}

impl<S: Source + fmt::Debug> fmt::Debug for OwnedReadHalf<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OwnedReadHalf")
            .field(self.io.source())
            .finish()
    }
}

impl<S: Source + fmt::Debug> fmt::Debug for OwnedWriteHalf<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OwnedWriteHalf")
            .field(self.io.source())
            .finish()
    }
}

/// The future returned by `read`.
#[must_use = "futures do nothing unless awaited"]
pub struct Read<'a, S: Source = reactor_net::TcpStream> {
    io: &'a PollEvented<S>,
    buf: &'a mut [u8],
}

impl<'a, S: Source> Read<'a, S> {
    pub(crate) fn new(io: &'a PollEvented<S>, buf: &'a mut [u8]) -> Self {
        Read { io, buf }
    }
}

impl<S: Source> Future for Read<'_, S>
where
    for<'b> &'b S: io::Read + io::Write,
{
    type Output = io::Result<usize>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        this.io.poll_read(cx, this.buf)
    }
}

/// The future returned by `read_exact`.
#[must_use = "futures do nothing unless awaited"]
pub struct ReadExact<'a, S: Source = reactor_net::TcpStream> {
    io: &'a PollEvented<S>,
    buf: &'a mut [u8],
    filled: usize,
}

impl<'a, S: Source> ReadExact<'a, S> {
    pub(crate) fn new(io: &'a PollEvented<S>, buf: &'a mut [u8]) -> Self {
        ReadExact { io, buf, filled: 0 }
    }
}

impl<S: Source> Future for ReadExact<'_, S>
where
    for<'b> &'b S: io::Read + io::Write,
{
    type Output = io::Result<()>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        while this.filled < this.buf.len() {
            let n = ready!(this.io.poll_read(cx, &mut this.buf[this.filled..]))?;
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
pub struct ReadToEnd<'a, S: Source = reactor_net::TcpStream> {
    io: &'a PollEvented<S>,
    buf: &'a mut Vec<u8>,
    read: usize,
}

impl<'a, S: Source> ReadToEnd<'a, S> {
    pub(crate) fn new(io: &'a PollEvented<S>, buf: &'a mut Vec<u8>) -> Self {
        ReadToEnd { io, buf, read: 0 }
    }
}

/// Bytes read per system call by `read_to_end` at least.
const READ_TO_END_CHUNK: usize = 8 * 1024;

impl<S: Source> Future for ReadToEnd<'_, S>
where
    for<'b> &'b S: io::Read + io::Write,
{
    type Output = io::Result<usize>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        loop {
            let start = this.buf.len();
            let chunk = READ_TO_END_CHUNK.max(this.buf.capacity() - start);
            this.buf.resize(start + chunk, 0);
            let polled = this.io.poll_read(cx, &mut this.buf[start..]);
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
pub struct Write<'a, S: Source = reactor_net::TcpStream> {
    io: &'a PollEvented<S>,
    buf: &'a [u8],
}

impl<'a, S: Source> Write<'a, S> {
    pub(crate) fn new(io: &'a PollEvented<S>, buf: &'a [u8]) -> Self {
        Write { io, buf }
    }
}

impl<S: Source> Future for Write<'_, S>
where
    for<'b> &'b S: io::Read + io::Write,
{
    type Output = io::Result<usize>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.io.poll_write(cx, self.buf)
    }
}

/// The future returned by `write_all`.
#[must_use = "futures do nothing unless awaited"]
pub struct WriteAll<'a, S: Source = reactor_net::TcpStream> {
    io: &'a PollEvented<S>,
    buf: &'a [u8],
}

impl<'a, S: Source> WriteAll<'a, S> {
    pub(crate) fn new(io: &'a PollEvented<S>, buf: &'a [u8]) -> Self {
        WriteAll { io, buf }
    }
}

impl<S: Source> Future for WriteAll<'_, S>
where
    for<'b> &'b S: io::Read + io::Write,
{
    type Output = io::Result<()>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        while !self.buf.is_empty() {
            let n = ready!(self.io.poll_write(cx, self.buf))?;
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

/// `Debug` for the futures: the socket, not the buffer.
macro_rules! debug_socket {
    ($($future:ident),*) => {$(
        impl<S: Source + fmt::Debug> fmt::Debug for $future<'_, S> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($future))
                    .field("socket", self.io.source())
                    .finish_non_exhaustive()
            }
        }
    )*};
}

debug_socket!(Read, ReadExact, ReadToEnd, Write, WriteAll);
