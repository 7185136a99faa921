use std::io;
use std::net::Shutdown;
use std::os::unix::net::{self, SocketAddr};
use std::path::Path;

use super::socket_source;
use crate::reactor::checks::SelectorId;

/// A non-blocking Unix-domain datagram socket.
///
/// Sends and receives return `WouldBlock` instead of waiting; each datagram
/// is received whole by one `recv*` call.
#[derive(Debug)]
pub struct UnixDatagram {
    inner: net::UnixDatagram,
    selector_id: SelectorId,
}

impl UnixDatagram {
    /// A socket bound to the socket file `path` (which must not exist yet).
    pub fn bind<P: AsRef<Path>>(path: P) -> io::Result<UnixDatagram> {
        UnixDatagram::nonblocking(net::UnixDatagram::bind(path)?)
    }

    /// A socket bound to `address` (a path, or on Linux an abstract name).
    pub fn bind_addr(address: &SocketAddr) -> io::Result<UnixDatagram> {
        UnixDatagram::nonblocking(net::UnixDatagram::bind_addr(address)?)
    }

    /// A socket bound to no address (it can send, and receive replies once
    /// connected).
    pub fn unbound() -> io::Result<UnixDatagram> {
        UnixDatagram::nonblocking(net::UnixDatagram::unbound()?)
    }

    /// Two connected, unnamed, non-blocking sockets.
    pub fn pair() -> io::Result<(UnixDatagram, UnixDatagram)> {
        let (first, second) = net::UnixDatagram::pair()?;
        first.set_nonblocking(true)?;
        second.set_nonblocking(true)?;
        Ok((
            UnixDatagram::from_std(first),
            UnixDatagram::from_std(second),
        ))
    }

    fn nonblocking(socket: net::UnixDatagram) -> io::Result<UnixDatagram> {
        socket.set_nonblocking(true)?;
        Ok(UnixDatagram::from_std(socket))
    }

    /// Wraps a standard socket, which must already be non-blocking
    /// (`set_nonblocking(true)`), as in mio.
    pub fn from_std(socket: net::UnixDatagram) -> UnixDatagram {
        UnixDatagram {
            inner: socket,
            selector_id: SelectorId::default(),
        }
    }

    /// Sets the default peer for `send` and `recv` (and receives only from it).
    pub fn connect<P: AsRef<Path>>(&self, path: P) -> io::Result<()> {
        self.inner.connect(path)
    }

    /// This socket's address (unnamed if unbound).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }

    /// The connected peer's address; an error before `connect`.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.peer_addr()
    }

    /// Receives one datagram (truncated to `buf`); returns its length and sender.
    pub fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.inner.recv_from(buf)
    }

    /// Receives one datagram from the connected peer.
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.recv(buf)
    }

    /// Sends one datagram to the socket at `path`.
    pub fn send_to<P: AsRef<Path>>(&self, buf: &[u8], path: P) -> io::Result<usize> {
        self.inner.send_to(buf, path)
    }

    /// Sends one datagram to the connected peer.
    pub fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.inner.send(buf)
    }

    /// Reads and clears the socket's pending error (`SO_ERROR`).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }

    /// Shuts down reading, writing or both.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.inner.shutdown(how)
    }

    /// Runs an I/O operation of your own on the socket; on Unix it simply
    /// calls `f`.
    pub fn try_io<F, T>(&self, f: F) -> io::Result<T>
    where
        F: FnOnce() -> io::Result<T>,
    {
        f()
    }
}

socket_source!(UnixDatagram, net::UnixDatagram);
