//! TCP for green threads: blocking-looking calls over non-blocking sockets.
//!
//! [`TcpStream`] implements `std::io::Read` and `Write`, so `read_exact`,
//! `read_to_end`, `write_all`, `BufReader` and `std::io::copy` work on it
//! unchanged: a green thread needs no async versions of anything. Each
//! call that would block parks the green thread until the reactor reports
//! the socket ready (see the [module documentation](super) for the steps).
//!
//! Sockets register with the driver of the current [`run`](super::run):
//! create them on a green thread. Host names are resolved with the system
//! resolver, which blocks the whole OS thread; numeric addresses never do.

use std::cell::Cell;
use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use super::scheduler::with_current;
use crate::driver::Registration;
use crate::driver::io::{Direction, ReadyEvent};
use crate::reactor::Interest;
use crate::reactor::event::Source;
use crate::reactor::net as sys;

/// A non-blocking socket registered with the current run's driver;
/// deregistered, then closed, when dropped.
struct Registered<S: Source> {
    source: S,
    registration: Registration,
}

impl<S: Source> Registered<S> {
    fn new(mut source: S) -> io::Result<Registered<S>> {
        let registration = Registration::new(&mut source, Interest::READABLE | Interest::WRITABLE)
            .map_err(|_| outside_run())?;
        Ok(Registered {
            source,
            registration,
        })
    }

    /// Parks the green thread until the reactor has reported `direction`
    /// ready (at once if it already has), or until `timeout` has passed.
    fn wait_ready(
        &self,
        direction: Direction,
        timeout: Option<Duration>,
    ) -> io::Result<ReadyEvent> {
        // A timer on the driver's queue, registered only if we do park.
        let mut deadline = timeout.map(crate::time::sleep);
        with_current(|scheduler| {
            scheduler.wait("net", |cx| {
                if let Poll::Ready(ready) = self.registration.poll_ready(cx, direction) {
                    return Poll::Ready(ready);
                }
                match &mut deadline {
                    Some(timer) => std::future::Future::poll(Pin::new(timer), cx)
                        .map(|()| Err(timed_out(direction))),
                    None => Poll::Pending,
                }
            })
        })
        .ok_or_else(outside_run)?
    }

    /// Runs the non-blocking `operation` (one system call) until it does
    /// not report `WouldBlock`, parking in between. A transfer shorter than
    /// `len` drained (or filled) the socket buffer, so its readiness is
    /// forgotten at once and the next call parks instead of trying first,
    /// as the async sockets do.
    fn transfer(
        &self,
        direction: Direction,
        timeout: Option<Duration>,
        len: usize,
        mut operation: impl FnMut(&S) -> io::Result<usize>,
    ) -> io::Result<usize> {
        loop {
            let event = self.wait_ready(direction, timeout)?;
            match operation(&self.source) {
                Ok(n) if n > 0 && n < len => {
                    self.registration.clear_readiness(event);
                    return Ok(n);
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.registration.clear_readiness(event);
                }
                result => return result,
            }
        }
    }
}

impl<S: Source> Drop for Registered<S> {
    fn drop(&mut self) {
        // A failure only means the socket was never (or no longer) in the
        // epoll set; it is closed right after either way.
        let _ = self.registration.deregister(&mut self.source);
    }
}

fn outside_run() -> io::Error {
    io::Error::other(
        "green sockets work on green threads only: create and use them inside green::run",
    )
}

fn timed_out(direction: Direction) -> io::Error {
    let what = match direction {
        Direction::Read => "reading",
        Direction::Write => "writing",
    };
    io::Error::new(io::ErrorKind::TimedOut, format!("timed out {what}"))
}

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

/// Tries each address in turn; the last error if none works.
fn each_addr<T>(
    addr: impl ToSocketAddrs,
    mut attempt: impl FnMut(SocketAddr) -> io::Result<T>,
) -> io::Result<T> {
    let mut last_error = None;
    for addr in resolve(addr)? {
        match attempt(addr) {
            Ok(done) => return Ok(done),
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error.expect("resolve returns at least one address"))
}

/// A TCP socket accepting connections, for green threads.
pub struct TcpListener {
    socket: Registered<sys::TcpListener>,
}

impl TcpListener {
    /// Binds to `addr` (each resolved address in turn until one works) and
    /// listens, with a backlog of 1024.
    pub fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<TcpListener> {
        each_addr(addr, |addr| {
            Ok(TcpListener {
                socket: Registered::new(sys::TcpListener::bind(addr)?)?,
            })
        })
    }

    /// Waits for a connection (the green thread parks; others run).
    ///
    /// One green thread at a time should wait in `accept` on a listener: a
    /// second one would take the first one's place as the socket's reader.
    /// Errors such as running out of file descriptors are returned; the
    /// listener keeps working.
    pub fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        loop {
            let event = self.socket.wait_ready(Direction::Read, None)?;
            match self.socket.source.accept() {
                Ok((stream, peer)) => return Ok((TcpStream::new(Registered::new(stream)?), peer)),
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.socket.registration.clear_readiness(event);
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// The address it listens on (with the port the system chose for 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.source.local_addr()
    }
}

impl AsRawFd for TcpListener {
    fn as_raw_fd(&self) -> RawFd {
        self.socket.source.as_raw_fd()
    }
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener")
            .field("addr", &self.local_addr().ok())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}

/// A TCP connection for green threads, with `std::io::Read` and `Write`.
///
/// Like `std::net::TcpStream`, it waits without limit unless given a
/// timeout ([`set_read_timeout`](TcpStream::set_read_timeout),
/// [`set_write_timeout`](TcpStream::set_write_timeout)); an expired wait is
/// an error of kind `TimedOut`.
///
/// As with `std::net::TcpStream`, `Read` and `Write` are also implemented
/// for `&TcpStream`: one green thread can read while another writes (share
/// it in an `Rc`). One reader and one writer at a time: a second reader
/// would take the first one's place as the socket's waiting reader.
pub struct TcpStream {
    socket: Registered<sys::TcpStream>,
    read_timeout: Cell<Option<Duration>>,
    write_timeout: Cell<Option<Duration>>,
}

impl TcpStream {
    fn new(socket: Registered<sys::TcpStream>) -> TcpStream {
        TcpStream {
            socket,
            read_timeout: Cell::new(None),
            write_timeout: Cell::new(None),
        }
    }

    /// Connects to `addr` (each resolved address in turn until one works);
    /// the green thread parks until the connection is established or
    /// refused.
    pub fn connect<A: ToSocketAddrs>(addr: A) -> io::Result<TcpStream> {
        each_addr(addr, |addr| TcpStream::connect_addr(addr, None))
    }

    /// As [`connect`](TcpStream::connect) to one address, giving up after
    /// `timeout`.
    pub fn connect_timeout(addr: &SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
        TcpStream::connect_addr(*addr, Some(timeout))
    }

    fn connect_addr(addr: SocketAddr, timeout: Option<Duration>) -> io::Result<TcpStream> {
        let socket = Registered::new(sys::TcpStream::connect(addr)?)?;
        // Connected (or failed) once writable; the outcome is in SO_ERROR.
        socket.wait_ready(Direction::Write, timeout)?;
        if let Some(error) = socket.source.take_error()? {
            return Err(error);
        }
        socket.source.peer_addr()?;
        Ok(TcpStream::new(socket))
    }

    /// How long a read may wait; `None` (the default): forever.
    pub fn set_read_timeout(&self, timeout: Option<Duration>) {
        self.read_timeout.set(timeout);
    }

    /// How long a write may wait; `None` (the default): forever.
    pub fn set_write_timeout(&self, timeout: Option<Duration>) {
        self.write_timeout.set(timeout);
    }

    /// Shuts down the read, write or both halves (`Shutdown::Write` sends
    /// end-of-file to the peer).
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.socket.source.shutdown(how)
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.socket.source.peer_addr()
    }

    /// The address of this end.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.source.local_addr()
    }

    /// Sets `TCP_NODELAY`: small writes are sent at once instead of being
    /// coalesced (Nagle's algorithm).
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.socket.source.set_nodelay(nodelay)
    }

    /// Reads and clears the socket's pending error (`SO_ERROR`).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.socket.source.take_error()
    }
}

impl Read for &TcpStream {
    /// Reads what has arrived, parking until something has; `Ok(0)` is the
    /// end of the stream (or an empty `buf`).
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let len = buf.len();
        self.socket.transfer(
            Direction::Read,
            self.read_timeout.get(),
            len,
            |mut socket| socket.read(buf),
        )
    }
}

impl Write for &TcpStream {
    /// Writes what fits in the socket buffer, parking until something does.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.socket.transfer(
            Direction::Write,
            self.write_timeout.get(),
            buf.len(),
            |mut socket| socket.write(buf),
        )
    }

    /// Nothing is buffered here.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Read for TcpStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self).read(buf)
    }
}

impl Write for TcpStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl AsRawFd for TcpStream {
    fn as_raw_fd(&self) -> RawFd {
        self.socket.source.as_raw_fd()
    }
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream")
            .field("local", &self.local_addr().ok())
            .field("peer", &self.peer_addr().ok())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}
