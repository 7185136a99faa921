//! Non-blocking TCP, UDP and Unix-domain sockets, as in `mio::net`.
//!
//! Every operation returns at once: `WouldBlock` means "not now, wait for
//! the next event". Register the socket with a
//! [`Registry`](super::Registry) to learn when to try again.
//!
//! Each converts to and from its `std` counterpart (`from_std`, and
//! `From<TcpStream> for std::net::TcpStream` and so on) and to and from
//! raw and owned descriptors. In debug builds, registering one with a
//! second `Registry`, or reregistering or deregistering one that is not
//! registered, is an error, with mio's messages (see
//! [`Registry`](super::Registry)).

mod tcp_listener;
mod tcp_stream;
mod udp;
mod unix_datagram;
mod unix_listener;
mod unix_stream;

pub use tcp_listener::TcpListener;
pub use tcp_stream::TcpStream;
pub use udp::UdpSocket;
pub use unix_datagram::UnixDatagram;
pub use unix_listener::UnixListener;
pub use unix_stream::UnixStream;

/// Implements `event::Source` and the descriptor and `std` conversions for
/// a socket type whose `inner` field is the matching `std` socket and whose
/// `selector_id` field is a `reactor::checks::SelectorId`.
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
                self.selector_id.associate(registry.checks())?;
                registry
                    .selector()
                    .register(self.inner.as_raw_fd(), token, interests)
                    .inspect_err(|_| {
                        // Not registered after all.
                        let _ = self.selector_id.remove_association(registry.checks());
                    })
            }

            fn reregister(
                &mut self,
                registry: &$crate::reactor::Registry,
                token: $crate::reactor::Token,
                interests: $crate::reactor::Interest,
            ) -> std::io::Result<()> {
                use std::os::fd::AsRawFd;
                self.selector_id.check_association(registry.checks())?;
                registry
                    .selector()
                    .reregister(self.inner.as_raw_fd(), token, interests)
            }

            fn deregister(&mut self, registry: &$crate::reactor::Registry) -> std::io::Result<()> {
                use std::os::fd::AsRawFd;
                self.selector_id.remove_association(registry.checks())?;
                registry.selector().deregister(self.inner.as_raw_fd())
            }
        }

        impl From<$socket> for $std {
            /// The standard socket, still non-blocking (and, if it was
            /// registered, still in the epoll or kqueue set).
            fn from(socket: $socket) -> $std {
                socket.inner
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
