//! Async TCP and UDP, shaped like tokio's: [`TcpListener`], [`TcpStream`],
//! [`UdpSocket`].
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

mod poll_evented;
mod tcp;
mod udp;

pub use tcp::{
    Accept, OwnedReadHalf, OwnedWriteHalf, Read, ReadExact, ReadHalf, ReadToEnd, TcpListener,
    TcpStream, Write, WriteAll, WriteHalf,
};
pub use udp::{Recv, RecvFrom, Send, SendTo, UdpSocket};

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};

/// Resolves `addr` (numeric addresses never block; host names use the
/// system resolver).
fn resolve<A: ToSocketAddrs>(addr: A) -> io::Result<Vec<SocketAddr>> {
    let addrs: Vec<SocketAddr> = addr.to_socket_addrs()?.collect();
    if addrs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "could not resolve to any address",
        ));
    }
    Ok(addrs)
}
