//! Internet-socket system calls the standard library does not offer in
//! non-blocking form: creating a socket for `connect`, `connect` itself,
//! `listen` with mio's backlog, and `accept`. Everything else goes through
//! `std::net` on already non-blocking sockets.

use std::io;
use std::mem;
use std::net::{self, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use super::syscall;

/// A TCP socket for `addr`'s family, connecting to `addr` in the background:
/// `EINPROGRESS` is success, completion is signalled by writability.
pub(crate) fn connect(addr: SocketAddr) -> io::Result<net::TcpStream> {
    let socket = new_socket(family(&addr), libc::SOCK_STREAM)?;
    let (raw_addr, len) = RawSocketAddr::new(&addr);
    // SAFETY: `raw_addr` holds a valid address of `len` bytes and outlives the call.
    match syscall(unsafe { libc::connect(socket.as_raw_fd(), raw_addr.as_ptr(), len) }) {
        Err(error) if error.raw_os_error() != Some(libc::EINPROGRESS) => return Err(error),
        _ => {}
    }
    Ok(net::TcpStream::from(socket))
}

/// How many connections the kernel queues for `accept` (mio's value; std's
/// 128 overflows under a burst of connects, and the kernel then drops SYNs
/// that the clients retry only a second later).
const LISTEN_BACKLOG: libc::c_int = 1024;

/// A non-blocking, close-on-exec TCP socket bound to `addr` (with
/// `SO_REUSEADDR`, as std and mio set it) and listening.
pub(crate) fn listen(addr: SocketAddr) -> io::Result<net::TcpListener> {
    let socket = new_socket(family(&addr), libc::SOCK_STREAM)?;
    let enable: libc::c_int = 1;
    // SAFETY: `enable` is a live c_int and its exact size is passed.
    syscall(unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_REUSEADDR,
            (&raw const enable).cast(),
            mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    })?;
    let (raw_addr, len) = RawSocketAddr::new(&addr);
    // SAFETY: `raw_addr` holds a valid address of `len` bytes and outlives the call.
    syscall(unsafe { libc::bind(socket.as_raw_fd(), raw_addr.as_ptr(), len) })?;
    // SAFETY: listen takes no pointers.
    syscall(unsafe { libc::listen(socket.as_raw_fd(), LISTEN_BACKLOG) })?;
    Ok(net::TcpListener::from(socket))
}

/// Accepts one pending connection as a non-blocking, close-on-exec stream.
pub(crate) fn accept(listener: &net::TcpListener) -> io::Result<(net::TcpStream, SocketAddr)> {
    // SAFETY: sockaddr_storage is plain integers, for which all-zero is valid.
    let mut storage: libc::sockaddr_storage = unsafe { mem::zeroed() };
    let mut len = mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    let storage_ptr = (&raw mut storage).cast::<libc::sockaddr>();

    #[cfg(not(target_vendor = "apple"))]
    // SAFETY: `storage` is writable for `len` bytes and the kernel writes at
    // most that many, updating `len`; both outlive the call.
    let fd = syscall(unsafe {
        libc::accept4(
            listener.as_raw_fd(),
            storage_ptr,
            &mut len,
            libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
        )
    })?;
    #[cfg(target_vendor = "apple")]
    // SAFETY: as above; macOS has no accept4, the flags are set just below.
    let fd = syscall(unsafe { libc::accept(listener.as_raw_fd(), storage_ptr, &mut len) })?;

    // SAFETY: `fd` was just created by the kernel and nothing else owns it.
    let socket = unsafe { OwnedFd::from_raw_fd(fd) };
    #[cfg(target_vendor = "apple")]
    make_nonblocking_cloexec(&socket)?;
    let peer = socket_addr_from_raw(&storage, len)?;
    Ok((net::TcpStream::from(socket), peer))
}

/// Whether an IPv6 socket is restricted to IPv6 (`IPV6_V6ONLY`).
pub(crate) fn only_v6(socket: &impl AsRawFd) -> io::Result<bool> {
    let mut only_v6: libc::c_int = 0;
    let mut len = mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `only_v6` and `len` are valid for writes and outlive the call;
    // the kernel writes at most `len` bytes.
    syscall(unsafe {
        libc::getsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_IPV6,
            libc::IPV6_V6ONLY,
            (&raw mut only_v6).cast(),
            &mut len,
        )
    })?;
    Ok(only_v6 != 0)
}

fn family(addr: &SocketAddr) -> libc::c_int {
    match addr {
        SocketAddr::V4(_) => libc::AF_INET,
        SocketAddr::V6(_) => libc::AF_INET6,
    }
}

/// A new non-blocking, close-on-exec socket of `domain` and type `ty`.
pub(super) fn new_socket(domain: libc::c_int, ty: libc::c_int) -> io::Result<OwnedFd> {
    #[cfg(not(target_vendor = "apple"))]
    let ty = ty | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
    // SAFETY: socket takes no pointers; it returns a new descriptor or -1.
    let fd = syscall(unsafe { libc::socket(domain, ty, 0) })?;
    // SAFETY: `fd` was just created by the kernel and nothing else owns it.
    let socket = unsafe { OwnedFd::from_raw_fd(fd) };
    #[cfg(target_vendor = "apple")]
    make_nonblocking_cloexec(&socket)?;
    Ok(socket)
}

/// Where `SOCK_NONBLOCK`/`SOCK_CLOEXEC` do not exist: the same with `fcntl`,
/// and `SO_NOSIGPIPE` so a write to a closed peer is an error, not a signal.
#[cfg(target_vendor = "apple")]
fn make_nonblocking_cloexec(socket: &OwnedFd) -> io::Result<()> {
    let fd = socket.as_raw_fd();
    // SAFETY: fcntl with these commands takes and returns plain integers.
    syscall(unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) })?;
    // SAFETY: as above.
    let flags = syscall(unsafe { libc::fcntl(fd, libc::F_GETFL) })?;
    // SAFETY: as above.
    syscall(unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) })?;
    let on: libc::c_int = 1;
    // SAFETY: `on` is a c_int that outlives the call, and the length says so.
    syscall(unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_NOSIGPIPE,
            (&raw const on).cast(),
            mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    })?;
    Ok(())
}

/// A socket address in the C layout the kernel reads.
#[repr(C)]
union RawSocketAddr {
    v4: libc::sockaddr_in,
    v6: libc::sockaddr_in6,
}

impl RawSocketAddr {
    fn new(addr: &SocketAddr) -> (RawSocketAddr, libc::socklen_t) {
        match addr {
            SocketAddr::V4(addr) => {
                // SAFETY: sockaddr_in is plain integers; all-zero is valid and
                // is what the padding (`sin_zero`) must hold.
                let mut raw: libc::sockaddr_in = unsafe { mem::zeroed() };
                raw.sin_family = libc::AF_INET as libc::sa_family_t;
                raw.sin_port = addr.port().to_be();
                raw.sin_addr = libc::in_addr {
                    s_addr: u32::from_ne_bytes(addr.ip().octets()),
                };
                #[cfg(not(any(target_os = "linux", target_os = "android")))]
                {
                    raw.sin_len = mem::size_of::<libc::sockaddr_in>() as u8;
                }
                let len = mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
                (RawSocketAddr { v4: raw }, len)
            }
            SocketAddr::V6(addr) => {
                // SAFETY: sockaddr_in6 is plain integers; all-zero is valid.
                let mut raw: libc::sockaddr_in6 = unsafe { mem::zeroed() };
                raw.sin6_family = libc::AF_INET6 as libc::sa_family_t;
                raw.sin6_port = addr.port().to_be();
                raw.sin6_flowinfo = addr.flowinfo();
                raw.sin6_addr = libc::in6_addr {
                    s6_addr: addr.ip().octets(),
                };
                raw.sin6_scope_id = addr.scope_id();
                #[cfg(not(any(target_os = "linux", target_os = "android")))]
                {
                    raw.sin6_len = mem::size_of::<libc::sockaddr_in6>() as u8;
                }
                let len = mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t;
                (RawSocketAddr { v6: raw }, len)
            }
        }
    }

    fn as_ptr(&self) -> *const libc::sockaddr {
        (self as *const RawSocketAddr).cast()
    }
}

/// Reads back an address the kernel wrote (`len` bytes of `storage`).
fn socket_addr_from_raw(
    storage: &libc::sockaddr_storage,
    len: libc::socklen_t,
) -> io::Result<SocketAddr> {
    let len = len as usize;
    match libc::c_int::from(storage.ss_family) {
        libc::AF_INET if len >= mem::size_of::<libc::sockaddr_in>() => {
            // SAFETY: the family and length say the storage holds a
            // sockaddr_in, and sockaddr_storage is aligned for every address type.
            let raw =
                unsafe { &*(storage as *const libc::sockaddr_storage).cast::<libc::sockaddr_in>() };
            let ip = Ipv4Addr::from(raw.sin_addr.s_addr.to_ne_bytes());
            Ok(SocketAddrV4::new(ip, u16::from_be(raw.sin_port)).into())
        }
        libc::AF_INET6 if len >= mem::size_of::<libc::sockaddr_in6>() => {
            // SAFETY: as above, for sockaddr_in6.
            let raw = unsafe {
                &*(storage as *const libc::sockaddr_storage).cast::<libc::sockaddr_in6>()
            };
            let ip = Ipv6Addr::from(raw.sin6_addr.s6_addr);
            let port = u16::from_be(raw.sin6_port);
            Ok(SocketAddrV6::new(ip, port, raw.sin6_flowinfo, raw.sin6_scope_id).into())
        }
        family => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "the kernel returned a socket address of unexpected family {family} ({len} bytes)"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `addr` the way we hand it to the kernel, then reads it back the
    /// way we read what the kernel wrote.
    fn round_trip(addr: SocketAddr) -> io::Result<SocketAddr> {
        let (raw, len) = RawSocketAddr::new(&addr);
        // SAFETY: sockaddr_storage is plain integers; all-zero is valid.
        let mut storage: libc::sockaddr_storage = unsafe { mem::zeroed() };
        // SAFETY: `len` bytes of `raw` are initialised and sockaddr_storage is
        // larger than either address type; the two do not overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(
                raw.as_ptr().cast::<u8>(),
                (&raw mut storage).cast::<u8>(),
                len as usize,
            )
        };
        socket_addr_from_raw(&storage, len)
    }

    #[test]
    fn addresses_round_trip_through_the_c_layout() {
        let v4: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(round_trip(v4).unwrap(), v4);
        let v6 = SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::LOCALHOST, 443, 7, 3));
        assert_eq!(round_trip(v6).unwrap(), v6);
    }

    #[test]
    fn short_or_unknown_addresses_are_errors() {
        // SAFETY: sockaddr_storage is plain integers; all-zero is valid.
        let mut storage: libc::sockaddr_storage = unsafe { mem::zeroed() };
        storage.ss_family = libc::AF_INET as libc::sa_family_t;
        assert!(socket_addr_from_raw(&storage, 2).is_err());
        storage.ss_family = libc::AF_UNIX as libc::sa_family_t;
        let full = mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        assert!(socket_addr_from_raw(&storage, full).is_err());
    }
}
