use std::io;
use std::os::unix::net::{self, SocketAddr};
use std::path::Path;

use super::{UnixStream, socket_source};
use crate::reactor::checks::SelectorId;

/// A non-blocking Unix-domain listening socket.
///
/// Register it for [`READABLE`](crate::reactor::Interest::READABLE); on each
/// event, call [`accept`](UnixListener::accept) until it returns
/// `WouldBlock`.
///
/// ```
/// use std::io::{Read, Write};
/// use std::time::Duration;
/// use explicit_async_runtime::reactor::net::{UnixListener, UnixStream};
/// use explicit_async_runtime::reactor::{Events, Interest, Poll, Token};
///
/// let dir = std::env::temp_dir().join(format!("reactor-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("socket");
/// # let _ = std::fs::remove_file(&path);
/// let mut listener = UnixListener::bind(&path)?;
/// let mut poll = Poll::new()?;
/// poll.registry().register(&mut listener, Token(0), Interest::READABLE)?;
/// let mut client = UnixStream::connect(&path)?;
/// let mut events = Events::with_capacity(4);
/// let (mut server, _peer) = loop {
///     match listener.accept() {
///         Ok(accepted) => break accepted,
///         Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
///             poll.poll(&mut events, Some(Duration::from_secs(10)))?;
///         }
///         Err(e) => return Err(e),
///     }
/// };
/// client.write_all(b"hi")?;
/// # let _ = (&mut server, std::fs::remove_dir_all(&dir));
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct UnixListener {
    inner: net::UnixListener,
    selector_id: SelectorId,
}

impl UnixListener {
    /// Binds to the socket file `path` (which must not exist yet) and
    /// listens.
    pub fn bind<P: AsRef<Path>>(path: P) -> io::Result<UnixListener> {
        UnixListener::nonblocking(net::UnixListener::bind(path)?)
    }

    /// Binds to `address` (a path, or on Linux an abstract name) and listens.
    pub fn bind_addr(address: &SocketAddr) -> io::Result<UnixListener> {
        UnixListener::nonblocking(net::UnixListener::bind_addr(address)?)
    }

    fn nonblocking(listener: net::UnixListener) -> io::Result<UnixListener> {
        listener.set_nonblocking(true)?;
        Ok(UnixListener::from_std(listener))
    }

    /// Wraps a standard listener, which must already be non-blocking
    /// (`set_nonblocking(true)`), as in mio.
    pub fn from_std(listener: net::UnixListener) -> UnixListener {
        UnixListener {
            inner: listener,
            selector_id: SelectorId::default(),
        }
    }

    /// Accepts one connection, already non-blocking and close-on-exec.
    /// `WouldBlock` means no connection is pending.
    pub fn accept(&self) -> io::Result<(UnixStream, SocketAddr)> {
        let (stream, peer) = self.inner.accept()?;
        stream.set_nonblocking(true)?;
        Ok((UnixStream::from_std(stream), peer))
    }

    /// The address the listener is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }

    /// Reads and clears the socket's pending error (`SO_ERROR`).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }
}

socket_source!(UnixListener, net::UnixListener);
