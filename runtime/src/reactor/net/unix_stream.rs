use std::io::{self, IoSlice, IoSliceMut, Read, Write};
use std::net::Shutdown;
use std::os::unix::net::{self, SocketAddr};
use std::path::Path;

use super::socket_source;
use crate::reactor::checks::SelectorId;
use crate::sys;

/// A non-blocking Unix-domain stream socket.
///
/// Reads and writes return `WouldBlock` instead of waiting; `Read` and
/// `Write` are also implemented for `&UnixStream`.
#[derive(Debug)]
pub struct UnixStream {
    inner: net::UnixStream,
    selector_id: SelectorId,
}

impl UnixStream {
    /// Connects to the socket file `path` without waiting. A listener whose
    /// backlog is full gives `WouldBlock`, as in mio; retry later.
    pub fn connect<P: AsRef<Path>>(path: P) -> io::Result<UnixStream> {
        sys::unix_socket::connect(path.as_ref()).map(UnixStream::from_std)
    }

    /// As [`connect`](UnixStream::connect), to an address (a path, or on
    /// Linux an abstract name); an unnamed address is an error.
    pub fn connect_addr(address: &SocketAddr) -> io::Result<UnixStream> {
        sys::unix_socket::connect_addr(address).map(UnixStream::from_std)
    }

    /// Wraps a standard stream, which must already be non-blocking
    /// (`set_nonblocking(true)`), as in mio.
    pub fn from_std(stream: net::UnixStream) -> UnixStream {
        UnixStream {
            inner: stream,
            selector_id: SelectorId::default(),
        }
    }

    /// Two connected, unnamed, non-blocking streams.
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        let (first, second) = net::UnixStream::pair()?;
        first.set_nonblocking(true)?;
        second.set_nonblocking(true)?;
        Ok((UnixStream::from_std(first), UnixStream::from_std(second)))
    }

    /// This end's address (unnamed for a connecting stream).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }

    /// The other end's address.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.peer_addr()
    }

    /// Reads and clears the socket's pending error (`SO_ERROR`).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }

    /// Shuts down the read half, the write half (the peer reads end of
    /// stream) or both.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.inner.shutdown(how)
    }

    /// Runs an I/O operation of your own on the socket; on Unix it simply
    /// calls `f` (mio needs the hook elsewhere).
    pub fn try_io<F, T>(&self, f: F) -> io::Result<T>
    where
        F: FnOnce() -> io::Result<T>,
    {
        f()
    }
}

impl Read for UnixStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&self.inner).read(buf)
    }

    fn read_vectored(&mut self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        (&self.inner).read_vectored(bufs)
    }
}

impl Read for &UnixStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&self.inner).read(buf)
    }

    fn read_vectored(&mut self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        (&self.inner).read_vectored(bufs)
    }
}

impl Write for UnixStream {
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

impl Write for &UnixStream {
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

socket_source!(UnixStream, net::UnixStream);
