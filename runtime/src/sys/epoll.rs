//! The Linux selector: epoll, edge-triggered, with an eventfd waker.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::ptr;
use std::time::Duration;

use super::syscall;
use crate::reactor::{Interest, Token};

/// One epoll instance. Cloning it (`try_clone`) duplicates the descriptor:
/// both refer to the same interest list in the kernel.
#[derive(Debug)]
pub(crate) struct Selector {
    ep: OwnedFd,
}

impl Selector {
    pub(crate) fn new() -> io::Result<Selector> {
        // SAFETY: epoll_create1 takes no pointers; it returns a new descriptor or -1.
        let ep = syscall(unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) })?;
        // SAFETY: `ep` was just created by the kernel and nothing else owns it.
        let ep = unsafe { OwnedFd::from_raw_fd(ep) };
        Ok(Selector { ep })
    }

    /// A second descriptor for the same epoll instance (`F_DUPFD_CLOEXEC`).
    pub(crate) fn try_clone(&self) -> io::Result<Selector> {
        Ok(Selector {
            ep: self.ep.try_clone()?,
        })
    }

    pub(crate) fn select(&self, events: &mut Events, timeout: Option<Duration>) -> io::Result<()> {
        let timeout = timeout.map_or(-1, timeout_millis);
        events.clear();
        let capacity = events.capacity().min(libc::c_int::MAX as usize) as libc::c_int;
        // SAFETY: the kernel writes at most `capacity` entries, all within the
        // vector's allocation; `events` is not otherwise touched meanwhile.
        let ready = syscall(unsafe {
            libc::epoll_wait(self.ep.as_raw_fd(), events.as_mut_ptr(), capacity, timeout)
        })?;
        // SAFETY: epoll_wait initialised the first `ready` (<= capacity) entries.
        unsafe { events.set_len(ready as usize) };
        Ok(())
    }

    pub(crate) fn register(&self, fd: RawFd, token: Token, interests: Interest) -> io::Result<()> {
        self.control(libc::EPOLL_CTL_ADD, fd, token, interests)
    }

    pub(crate) fn reregister(
        &self,
        fd: RawFd,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        self.control(libc::EPOLL_CTL_MOD, fd, token, interests)
    }

    pub(crate) fn deregister(&self, fd: RawFd) -> io::Result<()> {
        // SAFETY: EPOLL_CTL_DEL ignores the event pointer (null is allowed
        // since Linux 2.6.9); a bad `fd` is reported as EBADF, not misused.
        syscall(unsafe {
            libc::epoll_ctl(
                self.ep.as_raw_fd(),
                libc::EPOLL_CTL_DEL,
                fd,
                ptr::null_mut(),
            )
        })?;
        Ok(())
    }

    fn control(
        &self,
        op: libc::c_int,
        fd: RawFd,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        let mut event = libc::epoll_event {
            events: epoll_flags(interests),
            u64: usize::from(token) as u64,
        };
        // SAFETY: `event` is a valid epoll_event that outlives the call; the
        // kernel only reads it. A bad `fd` is reported as EBADF.
        syscall(unsafe { libc::epoll_ctl(self.ep.as_raw_fd(), op, fd, &mut event) })?;
        Ok(())
    }
}

impl AsRawFd for Selector {
    fn as_raw_fd(&self) -> RawFd {
        self.ep.as_raw_fd()
    }
}

impl AsFd for Selector {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.ep.as_fd()
    }
}

/// Edge-triggered always; readable includes `EPOLLRDHUP` so a peer's
/// shutdown shows up as an event.
fn epoll_flags(interests: Interest) -> u32 {
    let mut flags = libc::EPOLLET;
    if interests.is_readable() {
        flags |= libc::EPOLLIN | libc::EPOLLRDHUP;
    }
    if interests.is_writable() {
        flags |= libc::EPOLLOUT;
    }
    if interests.is_priority() {
        flags |= libc::EPOLLPRI;
    }
    flags as u32
}

/// epoll counts in whole milliseconds: round up, so that a short timeout
/// sleeps instead of returning at once and making its caller spin.
fn timeout_millis(timeout: Duration) -> libc::c_int {
    let rounded_up = timeout
        .checked_add(Duration::from_nanos(999_999))
        .unwrap_or(timeout);
    rounded_up.as_millis().min(libc::c_int::MAX as u128) as libc::c_int
}

pub(crate) type Event = libc::epoll_event;
pub(crate) type Events = Vec<Event>;

/// What an `epoll_event` means, in mio's terms.
pub(crate) mod event {
    use super::Event;
    use crate::reactor::Token;

    fn has(event: &Event, flag: libc::c_int) -> bool {
        event.events & flag as u32 != 0
    }

    pub(crate) fn token(event: &Event) -> Token {
        Token(event.u64 as usize)
    }

    pub(crate) fn is_readable(event: &Event) -> bool {
        has(event, libc::EPOLLIN) || has(event, libc::EPOLLPRI)
    }

    pub(crate) fn is_writable(event: &Event) -> bool {
        has(event, libc::EPOLLOUT)
    }

    pub(crate) fn is_error(event: &Event) -> bool {
        has(event, libc::EPOLLERR)
    }

    pub(crate) fn is_read_closed(event: &Event) -> bool {
        // Both directions closed, or the peer sent FIN (EPOLLRDHUP comes with EPOLLIN).
        has(event, libc::EPOLLHUP) || (has(event, libc::EPOLLIN) && has(event, libc::EPOLLRDHUP))
    }

    pub(crate) fn is_write_closed(event: &Event) -> bool {
        // Both directions closed, or writing fails (a pipe whose reader is
        // gone reports EPOLLERR alone, a socket EPOLLOUT | EPOLLERR).
        has(event, libc::EPOLLHUP)
            || (has(event, libc::EPOLLOUT) && has(event, libc::EPOLLERR))
            || event.events == libc::EPOLLERR as u32
    }

    pub(crate) fn is_priority(event: &Event) -> bool {
        has(event, libc::EPOLLPRI)
    }

    pub(crate) fn is_aio(_: &Event) -> bool {
        false
    }

    pub(crate) fn is_lio(_: &Event) -> bool {
        false
    }
}

/// Wakes a blocked `epoll_wait` by writing to an eventfd registered for
/// reading. Edge triggering reports every write as a new event, so the
/// counter is only drained when it would overflow.
#[derive(Debug)]
pub(crate) struct Waker {
    eventfd: File,
}

impl Waker {
    pub(crate) fn new(selector: &Selector, token: Token) -> io::Result<Waker> {
        // SAFETY: eventfd takes no pointers; it returns a new descriptor or -1.
        let fd = syscall(unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) })?;
        // SAFETY: `fd` was just created by the kernel and nothing else owns it.
        let eventfd = unsafe { File::from_raw_fd(fd) };
        selector.register(fd, token, Interest::READABLE)?;
        Ok(Waker { eventfd })
    }

    pub(crate) fn wake(&self) -> io::Result<()> {
        match (&self.eventfd).write(&1u64.to_ne_bytes()) {
            Ok(_) => Ok(()),
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                // The counter is at its maximum: drain it, then add again.
                self.reset()?;
                self.wake()
            }
            Err(error) => Err(error),
        }
    }

    fn reset(&self) -> io::Result<()> {
        let mut counter = [0; 8];
        match (&self.eventfd).read(&mut counter) {
            Err(error) if error.kind() != io::ErrorKind::WouldBlock => Err(error),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_round_up_to_whole_milliseconds() {
        assert_eq!(timeout_millis(Duration::ZERO), 0);
        assert_eq!(timeout_millis(Duration::from_nanos(1)), 1);
        assert_eq!(timeout_millis(Duration::from_micros(1)), 1);
        assert_eq!(timeout_millis(Duration::from_millis(1)), 1);
        assert_eq!(timeout_millis(Duration::from_nanos(1_000_001)), 2);
        assert_eq!(timeout_millis(Duration::from_secs(3)), 3000);
        assert_eq!(timeout_millis(Duration::MAX), libc::c_int::MAX);
    }

    #[test]
    fn interests_map_to_edge_triggered_flags() {
        let read = epoll_flags(Interest::READABLE);
        assert_eq!(
            read,
            (libc::EPOLLET | libc::EPOLLIN | libc::EPOLLRDHUP) as u32
        );
        let write = epoll_flags(Interest::WRITABLE);
        assert_eq!(write, (libc::EPOLLET | libc::EPOLLOUT) as u32);
        let priority = epoll_flags(Interest::PRIORITY);
        assert_eq!(priority, (libc::EPOLLET | libc::EPOLLPRI) as u32);
    }

    #[test]
    fn event_flags_read_like_mio() {
        let event = |flags: libc::c_int| Event {
            events: flags as u32,
            u64: 7,
        };
        assert_eq!(event::token(&event(0)), Token(7));
        assert!(event::is_read_closed(&event(
            libc::EPOLLIN | libc::EPOLLRDHUP
        )));
        assert!(!event::is_read_closed(&event(libc::EPOLLRDHUP)));
        assert!(event::is_read_closed(&event(libc::EPOLLHUP)));
        assert!(event::is_write_closed(&event(libc::EPOLLERR)));
        assert!(event::is_write_closed(&event(
            libc::EPOLLOUT | libc::EPOLLERR
        )));
        assert!(!event::is_write_closed(&event(
            libc::EPOLLIN | libc::EPOLLERR
        )));
        assert!(event::is_readable(&event(libc::EPOLLPRI)));
    }
}
