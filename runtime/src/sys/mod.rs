//! The one seam between the reactor and the operating system.
//!
//! Everything above this module is portable; everything OS-specific lives in
//! exactly one selector file, chosen by `cfg`:
//! - `epoll.rs` on Linux and Android,
//! - `kqueue.rs` on FreeBSD, DragonFly, macOS and iOS (those with
//!   `EVFILT_USER`, which the waker needs).
//!
//! Each selector exports the same names: `Selector`, `Event`, `Events`,
//! `event::{token, is_readable, ..}` and `Waker`. The kqueue decisions that
//! do not need a kernel (which changes to submit, which receipts are errors,
//! what a returned event means) live in `kqueue_logic.rs`, compiled and
//! unit-tested on every target.

use std::io;

#[cfg(any(target_os = "linux", target_os = "android"))]
mod epoll;
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) use epoll::{Event, Events, Selector, Waker, event};

#[cfg(any(
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "macos",
    target_os = "ios"
))]
mod kqueue;
#[cfg(any(
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "macos",
    target_os = "ios"
))]
pub(crate) use kqueue::{Event, Events, Selector, Waker, event};

// Used by `kqueue.rs`, and unit-tested on every target.
#[cfg(any(
    test,
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "macos",
    target_os = "ios"
))]
mod kqueue_logic;

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "macos",
    target_os = "ios"
)))]
compile_error!(
    "the reactor supports Linux and Android (epoll), FreeBSD, DragonFly, macOS and iOS (kqueue)"
);

pub(crate) mod socket;
pub(crate) mod unix_socket;

/// Turns the C convention "`-1` means failure, the reason is in `errno`" into
/// an `io::Result`, in this one place.
///
/// Call it directly around the `unsafe` libc call, so nothing can touch
/// `errno` in between:
/// `syscall(unsafe { libc::close(fd) })`.
pub(crate) fn syscall<T: MinusOne>(result: T) -> io::Result<T> {
    if result.is_minus_one() {
        Err(io::Error::last_os_error())
    } else {
        Ok(result)
    }
}

/// Integer return types of system calls that signal failure with `-1`.
pub(crate) trait MinusOne: Copy {
    fn is_minus_one(self) -> bool;
}

impl MinusOne for i32 {
    fn is_minus_one(self) -> bool {
        self == -1
    }
}

impl MinusOne for isize {
    fn is_minus_one(self) -> bool {
        self == -1
    }
}
