//! Unix-domain socket calls the standard library does not offer in
//! non-blocking form: `connect` (std's blocks while the listener's backlog
//! is full). Binding, accepting and socket pairs go through
//! `std::os::unix::net`, made non-blocking afterwards.

use std::ffi::OsStr;
use std::io;
use std::mem;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::{self, SocketAddr};
use std::path::Path;

use super::socket::new_socket;
use super::syscall;

/// A stream socket connecting to the socket at `path`, without waiting: a
/// full backlog is `WouldBlock` (as in mio), not a wait.
pub(crate) fn connect(path: &Path) -> io::Result<net::UnixStream> {
    connect_to(&RawUnixAddr::pathname(path.as_os_str())?)
}

/// As [`connect`], to an address (a path, or on Linux an abstract name).
pub(crate) fn connect_addr(addr: &SocketAddr) -> io::Result<net::UnixStream> {
    if let Some(path) = addr.as_pathname() {
        return connect(path);
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        #[cfg(target_os = "android")]
        use std::os::android::net::SocketAddrExt;
        #[cfg(target_os = "linux")]
        use std::os::linux::net::SocketAddrExt;
        if let Some(name) = addr.as_abstract_name() {
            return connect_to(&RawUnixAddr::abstract_name(name)?);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        "cannot connect to an unnamed Unix socket address",
    ))
}

fn connect_to(addr: &RawUnixAddr) -> io::Result<net::UnixStream> {
    let socket: OwnedFd = new_socket(libc::AF_UNIX, libc::SOCK_STREAM)?;
    // SAFETY: `addr.raw` is a valid sockaddr_un whose first `addr.len` bytes
    // are initialised; it outlives the call, which only reads it.
    match syscall(unsafe {
        libc::connect(socket.as_raw_fd(), (&raw const addr.raw).cast(), addr.len)
    }) {
        // Some BSDs report a connection still being set up.
        Err(error) if error.raw_os_error() != Some(libc::EINPROGRESS) => Err(error),
        _ => Ok(net::UnixStream::from(socket)),
    }
}

/// A `sockaddr_un` and the length the kernel should read of it.
struct RawUnixAddr {
    raw: libc::sockaddr_un,
    len: libc::socklen_t,
}

impl RawUnixAddr {
    /// A path name, NUL-terminated as the kernel expects.
    fn pathname(path: &OsStr) -> io::Result<RawUnixAddr> {
        let bytes = path.as_bytes();
        if bytes.contains(&0) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a Unix socket path must not contain NUL bytes",
            ));
        }
        let mut addr = RawUnixAddr::with_path_len(bytes.len() + 1)?;
        copy_into(&mut addr.raw.sun_path, bytes);
        Ok(addr)
    }

    /// A Linux abstract name: a leading NUL, then the name (no terminator).
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn abstract_name(name: &[u8]) -> io::Result<RawUnixAddr> {
        let mut addr = RawUnixAddr::with_path_len(1 + name.len())?;
        copy_into(&mut addr.raw.sun_path[1..], name);
        Ok(addr)
    }

    /// An all-zero address of the Unix family whose length covers
    /// `path_len` bytes of `sun_path`.
    fn with_path_len(path_len: usize) -> io::Result<RawUnixAddr> {
        // SAFETY: sockaddr_un is plain integers; all-zero is valid.
        let mut raw: libc::sockaddr_un = unsafe { mem::zeroed() };
        raw.sun_family = libc::AF_UNIX as libc::sa_family_t;
        if path_len > raw.sun_path.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "a Unix socket address holds at most {} bytes, this one needs {path_len}",
                    raw.sun_path.len()
                ),
            ));
        }
        let len = mem::offset_of!(libc::sockaddr_un, sun_path) + path_len;
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        {
            raw.sun_len = len as u8;
        }
        Ok(RawUnixAddr {
            raw,
            len: len as libc::socklen_t,
        })
    }
}

fn copy_into(path: &mut [libc::c_char], bytes: &[u8]) {
    for (slot, &byte) in path.iter_mut().zip(bytes) {
        *slot = byte as libc::c_char;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_names_are_nul_terminated_and_bounded() {
        let raw = RawUnixAddr::pathname(OsStr::new("/tmp/x")).unwrap();
        let offset = mem::offset_of!(libc::sockaddr_un, sun_path);
        assert_eq!(raw.len as usize, offset + 7);
        assert_eq!(raw.raw.sun_path[5], b'x' as libc::c_char);
        assert_eq!(raw.raw.sun_path[6], 0);
        let longest = "a".repeat(raw.raw.sun_path.len() - 1);
        assert!(RawUnixAddr::pathname(OsStr::new(&longest)).is_ok());
        let too_long = "a".repeat(raw.raw.sun_path.len());
        let error = RawUnixAddr::pathname(OsStr::new(&too_long)).err().unwrap();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        let error = RawUnixAddr::pathname(OsStr::new("a\0b")).err().unwrap();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn abstract_names_start_with_nul_and_have_no_terminator() {
        let raw = RawUnixAddr::abstract_name(b"name").unwrap();
        let offset = mem::offset_of!(libc::sockaddr_un, sun_path);
        assert_eq!(raw.len as usize, offset + 5);
        assert_eq!(raw.raw.sun_path[0], 0);
        assert_eq!(raw.raw.sun_path[1], b'n' as libc::c_char);
    }
}
