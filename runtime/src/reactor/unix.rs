//! Unix-only parts: registering any file descriptor.

use std::io;
use std::os::fd::RawFd;

use super::event::Source;
use super::{Interest, Registry, Token};

/// Registers a raw file descriptor you own and keep open, such as a pipe, a
/// terminal or a socket made elsewhere.
///
/// It borrows the descriptor and owns nothing: close the descriptor only
/// after deregistering it (the kernel drops a closed descriptor's registration
/// only when no duplicate of it remains open).
///
/// ```
/// use std::os::fd::AsRawFd;
/// use std::os::unix::net::UnixStream;
/// use explicit_async_runtime::reactor::unix::SourceFd;
/// use explicit_async_runtime::reactor::{Interest, Poll, Token};
///
/// let poll = Poll::new()?;
/// let (ours, _theirs) = UnixStream::pair()?;
/// ours.set_nonblocking(true)?;
/// let fd = ours.as_raw_fd();
/// poll.registry().register(&mut SourceFd(&fd), Token(0), Interest::READABLE)?;
/// poll.registry().deregister(&mut SourceFd(&fd))?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct SourceFd<'a>(pub &'a RawFd);

impl Source for SourceFd<'_> {
    fn register(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        registry.selector().register(*self.0, token, interests)
    }

    fn reregister(
        &mut self,
        registry: &Registry,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        registry.selector().reregister(*self.0, token, interests)
    }

    fn deregister(&mut self, registry: &Registry) -> io::Result<()> {
        registry.selector().deregister(*self.0)
    }
}
