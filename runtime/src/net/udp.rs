use std::fmt;
use std::future::{Future, ready};
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::task::{Context, Poll};

use super::each_addr;
use super::poll_evented::PollEvented;
use crate::driver::Waiter;
use crate::driver::io::Direction;
use crate::reactor::net as reactor_net;

/// A UDP socket.
///
/// Methods take `&self`, so one task can receive while another sends
/// (share it in an `Arc`), and several tasks may wait in `recv_from` (or
/// any other operation) at once: each datagram goes to one of them.
pub struct UdpSocket {
    io: PollEvented<reactor_net::UdpSocket>,
}

impl UdpSocket {
    /// Binds to `addr` (each resolved address in turn until one works).
    pub async fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<UdpSocket> {
        each_addr(addr, |addr| {
            ready(reactor_net::UdpSocket::bind(addr).and_then(UdpSocket::from_reactor))
        })
        .await
    }

    /// Wraps a bound standard socket (made non-blocking here).
    pub fn from_std(socket: std::net::UdpSocket) -> io::Result<UdpSocket> {
        socket.set_nonblocking(true)?;
        UdpSocket::from_reactor(reactor_net::UdpSocket::from_std(socket))
    }

    fn from_reactor(socket: reactor_net::UdpSocket) -> io::Result<UdpSocket> {
        Ok(UdpSocket {
            io: PollEvented::new(socket)?,
        })
    }

    /// Sends one datagram to `target`; returns the bytes sent.
    pub fn send_to<'a>(&'a self, buf: &'a [u8], target: SocketAddr) -> SendTo<'a> {
        SendTo {
            socket: self,
            buf,
            target,
            waiter: self.io.registration().waiter(Direction::Write),
        }
    }

    /// Receives one datagram (truncated to `buf`); returns its length and sender.
    pub fn recv_from<'a>(&'a self, buf: &'a mut [u8]) -> RecvFrom<'a> {
        RecvFrom {
            socket: self,
            buf,
            waiter: self.io.registration().waiter(Direction::Read),
        }
    }

    /// Sets the default peer for `send` and `recv` (and filters received
    /// datagrams): the first of the addresses `addr` resolves to that
    /// works. Async, as tokio's, since resolving a host name may wait.
    pub async fn connect<A: ToSocketAddrs>(&self, addr: A) -> io::Result<()> {
        each_addr(addr, |addr| ready(self.io.source().connect(addr))).await
    }

    /// Sends one datagram to the connected peer.
    pub fn send<'a>(&'a self, buf: &'a [u8]) -> Send<'a> {
        Send {
            socket: self,
            buf,
            waiter: self.io.registration().waiter(Direction::Write),
        }
    }

    /// Receives one datagram from the connected peer.
    pub fn recv<'a>(&'a self, buf: &'a mut [u8]) -> Recv<'a> {
        Recv {
            socket: self,
            buf,
            waiter: self.io.registration().waiter(Direction::Read),
        }
    }

    /// Sends one datagram to `target` if the socket is writable; else
    /// arranges for the task of `cx` to be woken when it is. As tokio's,
    /// only the task of the latest call is woken; several tasks waiting at
    /// once should use [`send_to`](UdpSocket::send_to).
    pub fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        target: SocketAddr,
    ) -> Poll<io::Result<usize>> {
        self.io
            .poll_io(cx, Direction::Write, |socket| socket.send_to(buf, target))
    }

    /// Receives one datagram if one is queued; else arranges for the task
    /// of `cx` to be woken when one arrives. Only the task of the latest
    /// call is woken; several tasks waiting at once should use
    /// [`recv_from`](UdpSocket::recv_from).
    pub fn poll_recv_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<(usize, SocketAddr)>> {
        self.io
            .poll_io(cx, Direction::Read, |socket| socket.recv_from(buf))
    }

    /// The address the socket is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().local_addr()
    }

    /// The address given to [`connect`](UdpSocket::connect); `NotConnected` before.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.source().peer_addr()
    }

    /// Allows sending to broadcast addresses (`SO_BROADCAST`).
    pub fn set_broadcast(&self, on: bool) -> io::Result<()> {
        self.io.source().set_broadcast(on)
    }

    /// Reads and clears the socket's pending error (`SO_ERROR`), such as an
    /// ICMP "port unreachable" after a send.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.source().take_error()
    }
}

impl AsRawFd for UdpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.io.source().as_raw_fd()
    }
}

impl fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UdpSocket")
            .field("addr", &self.local_addr().ok())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}

/// The future returned by [`UdpSocket::send_to`].
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct SendTo<'a> {
    socket: &'a UdpSocket,
    buf: &'a [u8],
    target: SocketAddr,
    waiter: Waiter<'a>,
}

impl Future for SendTo<'_> {
    type Output = io::Result<usize>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let (socket, buf, target) = (this.socket.io.source(), this.buf, this.target);
        this.waiter.poll_io(cx, || socket.send_to(buf, target))
    }
}

/// The future returned by [`UdpSocket::recv_from`].
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct RecvFrom<'a> {
    socket: &'a UdpSocket,
    buf: &'a mut [u8],
    waiter: Waiter<'a>,
}

impl Future for RecvFrom<'_> {
    type Output = io::Result<(usize, SocketAddr)>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let RecvFrom {
            socket,
            buf,
            waiter,
        } = &mut *self;
        let socket = socket.io.source();
        waiter.poll_io(cx, || socket.recv_from(buf))
    }
}

/// The future returned by [`UdpSocket::send`].
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct Send<'a> {
    socket: &'a UdpSocket,
    buf: &'a [u8],
    waiter: Waiter<'a>,
}

impl Future for Send<'_> {
    type Output = io::Result<usize>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let (socket, buf) = (this.socket.io.source(), this.buf);
        this.waiter.poll_io(cx, || socket.send(buf))
    }
}

/// The future returned by [`UdpSocket::recv`].
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct Recv<'a> {
    socket: &'a UdpSocket,
    buf: &'a mut [u8],
    waiter: Waiter<'a>,
}

impl Future for Recv<'_> {
    type Output = io::Result<usize>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Recv {
            socket,
            buf,
            waiter,
        } = &mut *self;
        let socket = socket.io.source();
        waiter.poll_io(cx, || socket.recv(buf))
    }
}
