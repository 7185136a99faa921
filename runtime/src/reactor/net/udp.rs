use std::io;
use std::net::{self, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::socket_source;
use crate::reactor::checks::SelectorId;
use crate::sys;

/// A non-blocking UDP socket.
///
/// Sends and receives return `WouldBlock` instead of waiting. Connected
/// (`connect`) or not, each datagram is received whole by one `recv*` call;
/// a buffer too small for it truncates it.
#[derive(Debug)]
pub struct UdpSocket {
    inner: net::UdpSocket,
    selector_id: SelectorId,
}

impl UdpSocket {
    /// A socket bound to `addr` (port 0: the system picks one).
    pub fn bind(addr: SocketAddr) -> io::Result<UdpSocket> {
        let socket = net::UdpSocket::bind(addr)?;
        socket.set_nonblocking(true)?;
        Ok(UdpSocket::from_std(socket))
    }

    /// Wraps a standard socket, which must already be non-blocking
    /// (`set_nonblocking(true)`), as in mio.
    pub fn from_std(socket: net::UdpSocket) -> UdpSocket {
        UdpSocket {
            inner: socket,
            selector_id: SelectorId::default(),
        }
    }

    /// The address the socket is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }

    /// The address given to [`connect`](UdpSocket::connect); `NotConnected` before.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.peer_addr()
    }

    /// Sends one datagram to `target`; returns the bytes sent.
    pub fn send_to(&self, buf: &[u8], target: SocketAddr) -> io::Result<usize> {
        self.inner.send_to(buf, target)
    }

    /// Receives one datagram (truncated to `buf`); returns its length and sender.
    pub fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.inner.recv_from(buf)
    }

    /// Receives without removing the datagram from the queue.
    pub fn peek_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.inner.peek_from(buf)
    }

    /// Sends to the connected peer.
    pub fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.inner.send(buf)
    }

    /// Receives from the connected peer.
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.recv(buf)
    }

    /// Receives from the connected peer without removing the datagram.
    pub fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.peek(buf)
    }

    /// Sets the default peer for `send`/`recv` and filters incoming datagrams to it.
    pub fn connect(&self, addr: SocketAddr) -> io::Result<()> {
        self.inner.connect(addr)
    }

    /// Allows sending to broadcast addresses (`SO_BROADCAST`).
    pub fn set_broadcast(&self, on: bool) -> io::Result<()> {
        self.inner.set_broadcast(on)
    }

    /// Whether `SO_BROADCAST` is set.
    pub fn broadcast(&self) -> io::Result<bool> {
        self.inner.broadcast()
    }

    /// Sets the IP time-to-live of outgoing datagrams (`IP_TTL`).
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.inner.set_ttl(ttl)
    }

    /// The IP time-to-live (`IP_TTL`).
    pub fn ttl(&self) -> io::Result<u32> {
        self.inner.ttl()
    }

    /// Whether IPv4 multicast datagrams sent here loop back to this host.
    pub fn set_multicast_loop_v4(&self, on: bool) -> io::Result<()> {
        self.inner.set_multicast_loop_v4(on)
    }

    /// Whether IPv4 multicast loops back (`IP_MULTICAST_LOOP`).
    pub fn multicast_loop_v4(&self) -> io::Result<bool> {
        self.inner.multicast_loop_v4()
    }

    /// Sets the time-to-live of IPv4 multicast datagrams (`IP_MULTICAST_TTL`).
    pub fn set_multicast_ttl_v4(&self, ttl: u32) -> io::Result<()> {
        self.inner.set_multicast_ttl_v4(ttl)
    }

    /// The time-to-live of IPv4 multicast datagrams.
    pub fn multicast_ttl_v4(&self) -> io::Result<u32> {
        self.inner.multicast_ttl_v4()
    }

    /// Whether IPv6 multicast datagrams sent here loop back to this host.
    pub fn set_multicast_loop_v6(&self, on: bool) -> io::Result<()> {
        self.inner.set_multicast_loop_v6(on)
    }

    /// Whether IPv6 multicast loops back (`IPV6_MULTICAST_LOOP`).
    pub fn multicast_loop_v6(&self) -> io::Result<bool> {
        self.inner.multicast_loop_v6()
    }

    /// Joins the IPv4 multicast group `multiaddr` on the interface with
    /// address `interface` (`0.0.0.0`: the system chooses).
    pub fn join_multicast_v4(&self, multiaddr: &Ipv4Addr, interface: &Ipv4Addr) -> io::Result<()> {
        self.inner.join_multicast_v4(multiaddr, interface)
    }

    /// Joins the IPv6 multicast group `multiaddr` on interface index
    /// `interface` (0: the system chooses).
    pub fn join_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> io::Result<()> {
        self.inner.join_multicast_v6(multiaddr, interface)
    }

    /// Leaves an IPv4 multicast group joined with `join_multicast_v4`.
    pub fn leave_multicast_v4(&self, multiaddr: &Ipv4Addr, interface: &Ipv4Addr) -> io::Result<()> {
        self.inner.leave_multicast_v4(multiaddr, interface)
    }

    /// Leaves an IPv6 multicast group joined with `join_multicast_v6`.
    pub fn leave_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> io::Result<()> {
        self.inner.leave_multicast_v6(multiaddr, interface)
    }

    /// Whether an IPv6 socket is restricted to IPv6 (`IPV6_V6ONLY`).
    pub fn only_v6(&self) -> io::Result<bool> {
        sys::socket::only_v6(&self.inner)
    }

    /// Reads and clears the socket's pending error (`SO_ERROR`), such as an
    /// ICMP "port unreachable" after a send.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }

    /// Runs an I/O operation of your own on the socket; on Unix it simply calls `f`.
    pub fn try_io<F, T>(&self, f: F) -> io::Result<T>
    where
        F: FnOnce() -> io::Result<T>,
    {
        f()
    }
}

socket_source!(UdpSocket, net::UdpSocket);
