//! Non-blocking TCP and UDP sockets, as in `mio::net`.
//!
//! Every operation returns at once: `WouldBlock` means "not now, wait for
//! the next event". Register the socket with a
//! [`Registry`](super::Registry) to learn when to try again.

mod tcp_listener;
mod tcp_stream;
mod udp;

pub use tcp_listener::TcpListener;
pub use tcp_stream::TcpStream;
pub use udp::UdpSocket;

/// Implements `event::Source` and the descriptor conversions for a socket
/// type whose `inner` field is the matching `std::net` socket.
macro_rules! socket_source {
    ($socket:ty, $std:ty) => {
        impl $crate::reactor::event::Source for $socket {
            fn register(
                &mut self,
                registry: &$crate::reactor::Registry,
                token: $crate::reactor::Token,
                interests: $crate::reactor::Interest,
            ) -> std::io::Result<()> {
                use std::os::fd::AsRawFd;
                registry
                    .selector()
                    .register(self.inner.as_raw_fd(), token, interests)
            }

            fn reregister(
                &mut self,
                registry: &$crate::reactor::Registry,
                token: $crate::reactor::Token,
                interests: $crate::reactor::Interest,
            ) -> std::io::Result<()> {
                use std::os::fd::AsRawFd;
                registry
                    .selector()
                    .reregister(self.inner.as_raw_fd(), token, interests)
            }

            fn deregister(&mut self, registry: &$crate::reactor::Registry) -> std::io::Result<()> {
                use std::os::fd::AsRawFd;
                registry.selector().deregister(self.inner.as_raw_fd())
            }
        }

        impl std::os::fd::AsRawFd for $socket {
            fn as_raw_fd(&self) -> std::os::fd::RawFd {
                self.inner.as_raw_fd()
            }
        }

        impl std::os::fd::AsFd for $socket {
            fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
                self.inner.as_fd()
            }
        }

        /// Takes ownership of a socket descriptor, which must already be in
        /// non-blocking mode (as with `from_std`).
        impl std::os::fd::FromRawFd for $socket {
            unsafe fn from_raw_fd(fd: std::os::fd::RawFd) -> Self {
                // SAFETY: the caller promises `fd` is an open socket that it owns.
                Self::from_std(unsafe { <$std>::from_raw_fd(fd) })
            }
        }

        impl std::os::fd::IntoRawFd for $socket {
            fn into_raw_fd(self) -> std::os::fd::RawFd {
                self.inner.into_raw_fd()
            }
        }

        impl From<std::os::fd::OwnedFd> for $socket {
            fn from(fd: std::os::fd::OwnedFd) -> Self {
                Self::from_std(<$std>::from(fd))
            }
        }

        impl From<$socket> for std::os::fd::OwnedFd {
            fn from(socket: $socket) -> Self {
                socket.inner.into()
            }
        }
    };
}
use socket_source;
