//! Async TCP, UDP and Unix-domain sockets, shaped like tokio's:
//! [`TcpListener`], [`TcpStream`], [`UdpSocket`], [`UnixListener`],
//! [`UnixStream`], [`UnixDatagram`].
//!
//! Each socket is a non-blocking [`reactor::net`](crate::reactor::net)
//! socket registered with the current runtime's driver; an operation tries
//! the system call and, on `WouldBlock`, waits for the next readiness edge.
//! Reads and writes wait (and are woken) separately, so one task can read
//! while another writes (see [`TcpStream::into_split`]); the futures of
//! `&self` methods (`accept`, `readable`, `recv_from`, ...) may wait in
//! many tasks at once, and all of them are woken. Errors are values:
//! a refused connection, a reset peer or `EMFILE` come back as `io::Error`.
//!
//! Sockets must be created inside a runtime (`block_on` or a `Runtime`);
//! elsewhere the constructors return an error.

mod accept;
mod poll_evented;
mod stream;
mod tcp;
mod udp;
mod unix;
mod unix_datagram;

pub use stream::{
    OwnedReadHalf, OwnedWriteHalf, Read, ReadExact, ReadHalf, ReadToEnd, Write, WriteAll, WriteHalf,
};
pub use tcp::{Accept, TcpListener, TcpStream};
pub use udp::{Recv, RecvFrom, Send, SendTo, UdpSocket};
pub use unix::{UnixListener, UnixStream};
pub use unix_datagram::UnixDatagram;

use std::future::Future;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};

/// Resolves `addr` (numeric addresses never block; host names use the
/// system resolver), then runs `attempt` on each address in turn until one
/// succeeds; if none does, the last one's error.
async fn each_addr<A, T, F, Fut>(addr: A, mut attempt: F) -> io::Result<T>
where
    A: ToSocketAddrs,
    F: FnMut(SocketAddr) -> Fut,
    Fut: Future<Output = io::Result<T>>,
{
    let mut last_error = None;
    for addr in addr.to_socket_addrs()? {
        match attempt(addr).await {
            Ok(done) => return Ok(done),
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "could not resolve to any address",
        )
    }))
}
