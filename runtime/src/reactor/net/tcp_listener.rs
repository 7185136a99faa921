use std::io;
use std::net::{self, SocketAddr};

use super::{TcpStream, socket_source};
use crate::reactor::checks::SelectorId;
use crate::sys;

/// A non-blocking TCP listening socket.
///
/// Register it for [`READABLE`](crate::reactor::Interest::READABLE); on each
/// event, call [`accept`](TcpListener::accept) until it returns `WouldBlock`.
#[derive(Debug)]
pub struct TcpListener {
    inner: net::TcpListener,
    selector_id: SelectorId,
}

impl TcpListener {
    /// Binds to `addr` (with `SO_REUSEADDR`) and starts listening, with a
    /// backlog of 1024 pending connections, as mio does.
    pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
        sys::socket::listen(addr).map(TcpListener::from_std)
    }

    /// Wraps a standard listener, which must already be non-blocking
    /// (`set_nonblocking(true)`), as in mio.
    pub fn from_std(listener: net::TcpListener) -> TcpListener {
        TcpListener {
            inner: listener,
            selector_id: SelectorId::default(),
        }
    }

    /// Accepts one connection, already non-blocking and close-on-exec.
    /// `WouldBlock` means no connection is pending.
    pub fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        sys::socket::accept(&self.inner).map(|(stream, peer)| (TcpStream::from_std(stream), peer))
    }

    /// The address the listener is bound to (with the port the system chose,
    /// after binding port 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }

    /// Sets the IP time-to-live of the accepted connections' packets (`IP_TTL`).
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
}

socket_source!(TcpListener, net::TcpListener);
