use std::fmt;
use std::io;
use std::net::Shutdown;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::os::unix::net::SocketAddr;
use std::path::Path;
use std::task::{Context, Poll};

use super::poll_evented::PollEvented;
use crate::driver::io::Direction;
use crate::reactor::net as reactor_net;

/// A Unix-domain datagram socket. As [`UdpSocket`](super::UdpSocket),
/// methods take `&self` and several tasks may wait in one operation at
/// once; each datagram goes to one of them.
pub struct UnixDatagram {
    io: PollEvented<reactor_net::UnixDatagram>,
}

impl UnixDatagram {
    /// A socket bound to the socket file `path` (which must not exist yet).
    /// Call it inside a runtime.
    pub fn bind<P: AsRef<Path>>(path: P) -> io::Result<UnixDatagram> {
        UnixDatagram::from_reactor(reactor_net::UnixDatagram::bind(path)?)
    }

    /// A socket bound to no address.
    pub fn unbound() -> io::Result<UnixDatagram> {
        UnixDatagram::from_reactor(reactor_net::UnixDatagram::unbound()?)
    }

    /// Two connected, unnamed sockets.
    pub fn pair() -> io::Result<(UnixDatagram, UnixDatagram)> {
        let (first, second) = reactor_net::UnixDatagram::pair()?;
        Ok((
            UnixDatagram::from_reactor(first)?,
            UnixDatagram::from_reactor(second)?,
        ))
    }

    /// Wraps a standard socket (made non-blocking here).
    pub fn from_std(socket: std::os::unix::net::UnixDatagram) -> io::Result<UnixDatagram> {
        socket.set_nonblocking(true)?;
        UnixDatagram::from_reactor(reactor_net::UnixDatagram::from_std(socket))
    }

    fn from_reactor(socket: reactor_net::UnixDatagram) -> io::Result<UnixDatagram> {
        Ok(UnixDatagram {
            io: PollEvented::new(socket)?,
        })
    }

    /// Sets the default peer for `send` and `recv` (and receives only from it).
    pub fn connect<P: AsRef<Path>>(&self, path: P) -> io::Result<()> {
        self.io.source().connect(path)
    }

    /// Sends one datagram to the socket at `path`; returns the bytes sent.
    pub async fn send_to<P: AsRef<Path>>(&self, buf: &[u8], path: P) -> io::Result<usize> {
        let path = path.as_ref();
        let mut waiter = self.io.registration().waiter(Direction::Write);
        std::future::poll_fn(|cx| waiter.poll_io(cx, || self.io.source().send_to(buf, path))).await
    }

    /// Receives one datagram (truncated to `buf`); returns its length and sender.
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        let mut waiter = self.io.registration().waiter(Direction::Read);
        std::future::poll_fn(|cx| waiter.poll_io(cx, || self.io.source().recv_from(buf))).await
    }

    /// Sends one datagram to the connected peer.
    pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
        let mut waiter = self.io.registration().waiter(Direction::Write);
        std::future::poll_fn(|cx| waiter.poll_io(cx, || self.io.source().send(buf))).await
    }

    /// Receives one datagram from the connected peer.
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        let mut waiter = self.io.registration().waiter(Direction::Read);
        std::future::poll_fn(|cx| waiter.poll_io(cx, || self.io.source().recv(buf))).await
    }

    /// Receives one datagram if one is queued; else arranges for the task
    /// of `cx` to be woken when one arrives (only the task of the latest
    /// call; several waiting tasks should use [`recv_from`](UnixDatagram::recv_from)).
    pub fn poll_recv_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<(usize, SocketAddr)>> {
        self.io
            .poll_io(cx, Direction::Read, |socket| socket.recv_from(buf))
    }

    /// Sends one datagram to `path` if there is room; else arranges for
    /// the task of `cx` to be woken when there is (only the latest call's).
    pub fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        path: &Path,
    ) -> Poll<io::Result<usize>> {
        self.io
            .poll_io(cx, Direction::Write, |socket| socket.send_to(buf, path))
    }

    /// This socket's address (unnamed if unbound).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// The connected peer's address; an error before `connect`.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().peer_addr()
    }

    /// Shuts down reading, writing or both.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.source().shutdown(how)
    }

    /// Reads and clears the socket's pending error (`SO_ERROR`).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.source().take_error()
    }
}

impl AsRawFd for UnixDatagram {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl AsFd for UnixDatagram {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.source().as_fd()
    }
}

impl fmt::Debug for UnixDatagram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixDatagram")
            .field("addr", &self.local_addr().ok())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}
