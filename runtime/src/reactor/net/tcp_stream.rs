use std::io::{self, IoSlice, IoSliceMut, Read, Write};
use std::net::{self, Shutdown, SocketAddr};

use super::socket_source;
use crate::reactor::checks::SelectorId;
use crate::sys;

/// A non-blocking TCP connection.
///
/// Reads and writes return `WouldBlock` instead of waiting; `Read` and
/// `Write` are also implemented for `&TcpStream`, so one task can read while
/// another writes.
#[derive(Debug)]
pub struct TcpStream {
    inner: net::TcpStream,
    selector_id: SelectorId,
}

impl TcpStream {
    /// Starts connecting to `addr` and returns at once.
    ///
    /// The connection is not established yet: register the stream for
    /// [`WRITABLE`](crate::reactor::Interest::WRITABLE), and on the event check
    /// [`take_error`](TcpStream::take_error) (a refused connection shows up
    /// there) and [`peer_addr`](TcpStream::peer_addr) (`NotConnected` means
    /// wait for the next event).
    pub fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
        sys::socket::connect(addr).map(TcpStream::from_std)
    }

    /// Wraps a standard stream, which must already be non-blocking
    /// (`set_nonblocking(true)`), as in mio.
    pub fn from_std(stream: net::TcpStream) -> TcpStream {
        TcpStream {
            inner: stream,
            selector_id: SelectorId::default(),
        }
    }

    /// The address of the other end; `NotConnected` while connecting.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.peer_addr()
    }

    /// This end's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }

    /// Shuts down the read half, the write half (the peer reads end of
    /// stream) or both.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.inner.shutdown(how)
    }

    /// Sets `TCP_NODELAY`: send small writes at once instead of batching
    /// them (Nagle's algorithm).
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.inner.set_nodelay(nodelay)
    }

    /// Whether `TCP_NODELAY` is set.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.inner.nodelay()
    }

    /// Sets the IP time-to-live of outgoing packets (`IP_TTL`).
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.inner.set_ttl(ttl)
    }

    /// The IP time-to-live (`IP_TTL`).
    pub fn ttl(&self) -> io::Result<u32> {
        self.inner.ttl()
    }

    /// Reads and clears the socket's pending error (`SO_ERROR`).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }

    /// Reads without removing the data from the receive queue.
    pub fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.peek(buf)
    }

    /// Runs an I/O operation of your own on the socket (for example a
    /// `libc::recvmsg` on its raw fd). mio needs this hook for Windows; on
    /// Unix it simply calls `f`.
    pub fn try_io<F, T>(&self, f: F) -> io::Result<T>
    where
        F: FnOnce() -> io::Result<T>,
    {
        f()
    }
}

impl Read for TcpStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&self.inner).read(buf)
    }

    fn read_vectored(&mut self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        (&self.inner).read_vectored(bufs)
    }
}

impl Read for &TcpStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&self.inner).read(buf)
    }

    fn read_vectored(&mut self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        (&self.inner).read_vectored(bufs)
    }
}

impl Write for TcpStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&self.inner).write(buf)
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        (&self.inner).write_vectored(bufs)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&self.inner).flush()
    }
}

impl Write for &TcpStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&self.inner).write(buf)
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        (&self.inner).write_vectored(bufs)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&self.inner).flush()
    }
}

socket_source!(TcpStream, net::TcpStream);
