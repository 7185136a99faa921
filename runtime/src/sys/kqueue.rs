//! The FreeBSD/macOS selector: kqueue, edge-triggered (`EV_CLEAR`), each
//! change submitted with `EV_RECEIPT` so that its own error is checked, and an
//! `EVFILT_USER` event as the waker.
//!
//! The decisions (which changes, which errors count, what an event means) are
//! in `kqueue_logic.rs`; this file only translates them to `libc::kevent`.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::time::Duration;
use std::{io, mem, ptr};

use super::kqueue_logic::{self as logic, Action, Change, Filter, Receipt, Returned};
use super::syscall;
use crate::reactor::{Interest, Token};

/// One kqueue instance. `try_clone` duplicates the descriptor: both refer
/// to the same kernel queue.
#[derive(Debug)]
pub(crate) struct Selector {
    kq: OwnedFd,
}

impl Selector {
    pub(crate) fn new() -> io::Result<Selector> {
        // SAFETY: kqueue takes no arguments; it returns a new descriptor or -1.
        let kq = syscall(unsafe { libc::kqueue() })?;
        // SAFETY: `kq` was just created by the kernel and nothing else owns it.
        let kq = unsafe { OwnedFd::from_raw_fd(kq) };
        // SAFETY: fcntl with F_SETFD takes and returns plain integers.
        syscall(unsafe { libc::fcntl(kq.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) })?;
        Ok(Selector { kq })
    }

    pub(crate) fn try_clone(&self) -> io::Result<Selector> {
        Ok(Selector {
            kq: self.kq.try_clone()?,
        })
    }

    pub(crate) fn select(&self, events: &mut Events, timeout: Option<Duration>) -> io::Result<()> {
        // kqueue takes nanoseconds: no rounding needed.
        let timeout = timeout.map(|timeout| libc::timespec {
            tv_sec: libc::time_t::try_from(timeout.as_secs()).unwrap_or(libc::time_t::MAX),
            tv_nsec: timeout.subsec_nanos() as _,
        });
        let timeout_ptr = timeout
            .as_ref()
            .map_or(ptr::null(), |timeout| timeout as *const libc::timespec);
        events.clear();
        let capacity = events.capacity().min(libc::c_int::MAX as usize) as libc::c_int;
        // SAFETY: no changes are submitted; the kernel writes at most
        // `capacity` events into the vector's allocation (`Event` is a
        // transparent `kevent`); `timeout` outlives the call.
        let ready = syscall(unsafe {
            libc::kevent(
                self.kq.as_raw_fd(),
                ptr::null(),
                0,
                events.as_mut_ptr().cast::<libc::kevent>(),
                capacity,
                timeout_ptr,
            )
        })?;
        // SAFETY: kevent initialised the first `ready` (<= capacity) entries.
        unsafe { events.set_len(ready as usize) };
        Ok(())
    }

    pub(crate) fn register(&self, fd: RawFd, token: Token, interests: Interest) -> io::Result<()> {
        let changes = logic::register_changes(interests);
        self.submit(
            fd as libc::uintptr_t,
            token,
            changes.as_slice(),
            logic::REGISTER_IGNORED,
        )
    }

    pub(crate) fn reregister(
        &self,
        fd: RawFd,
        token: Token,
        interests: Interest,
    ) -> io::Result<()> {
        let changes = logic::reregister_changes(interests);
        self.submit(
            fd as libc::uintptr_t,
            token,
            changes.as_slice(),
            logic::REREGISTER_IGNORED,
        )
    }

    pub(crate) fn deregister(&self, fd: RawFd) -> io::Result<()> {
        let changes = logic::deregister_changes();
        self.submit(
            fd as libc::uintptr_t,
            Token(0),
            changes.as_slice(),
            logic::DEREGISTER_IGNORED,
        )
    }

    /// Submits up to two changes and checks each one's receipt.
    fn submit(
        &self,
        ident: libc::uintptr_t,
        token: Token,
        changes: &[Change],
        ignored: &[i32],
    ) -> io::Result<()> {
        let mut kevents = [empty_kevent(); 2];
        let kevents = &mut kevents[..changes.len()];
        for (kevent, change) in kevents.iter_mut().zip(changes) {
            *kevent = to_kevent(ident, token, *change);
        }
        let count = kevents.len() as libc::c_int;
        // One pointer for both lists: a second reborrow of `kevents` would
        // invalidate the first under Stacked Borrows.
        let list = kevents.as_mut_ptr();
        // SAFETY: `list` points to `count` valid changes with room for as
        // many results; with EV_RECEIPT the kernel writes exactly one receipt
        // per change back into it, and a null timeout cannot block then.
        let submitted = syscall(unsafe {
            libc::kevent(self.kq.as_raw_fd(), list, count, list, count, ptr::null())
        });
        match submitted {
            // FreeBSD documents that when kevent fails with EINTR, all
            // changes have been applied; the receipts then carry no errors.
            Err(error) if error.raw_os_error() != Some(libc::EINTR) => Err(error),
            _ => logic::check_receipts(kevents.iter().map(receipt), ignored),
        }
    }
}

impl AsRawFd for Selector {
    fn as_raw_fd(&self) -> RawFd {
        self.kq.as_raw_fd()
    }
}

impl AsFd for Selector {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.kq.as_fd()
    }
}

fn empty_kevent() -> libc::kevent {
    // SAFETY: kevent is integers and one raw pointer (never dereferenced);
    // all-zero is valid and also clears platform-specific fields (`ext`).
    unsafe { mem::zeroed() }
}

fn to_kevent(ident: libc::uintptr_t, token: Token, change: Change) -> libc::kevent {
    let mut kevent = empty_kevent();
    kevent.ident = ident;
    kevent.filter = match change.filter {
        Filter::Read => libc::EVFILT_READ,
        Filter::Write => libc::EVFILT_WRITE,
        Filter::User => libc::EVFILT_USER,
    };
    kevent.flags = match change.action {
        Action::Add => libc::EV_ADD | libc::EV_CLEAR | libc::EV_RECEIPT,
        Action::Delete => libc::EV_DELETE | libc::EV_RECEIPT,
        Action::Trigger => libc::EV_ADD | libc::EV_RECEIPT,
    };
    if change.action == Action::Trigger {
        kevent.fflags = libc::NOTE_TRIGGER;
    }
    // The token travels in `udata` as a plain number; nobody dereferences it.
    kevent.udata = ptr::without_provenance_mut(usize::from(token));
    kevent
}

fn receipt(kevent: &libc::kevent) -> Receipt {
    Receipt {
        error_flag: kevent.flags & libc::EV_ERROR != 0,
        data: kevent.data as i64,
    }
}

/// A returned `kevent`. The wrapper exists to be `Send` and `Sync`: its only
/// pointer, `udata`, holds a token number and is never dereferenced.
#[repr(transparent)]
#[derive(Clone, Copy)]
pub(crate) struct Event(libc::kevent);

// SAFETY: see `Event`: the raw pointer is an integer in disguise.
unsafe impl Send for Event {}
// SAFETY: as above; `Event` has no interior mutability.
unsafe impl Sync for Event {}

pub(crate) type Events = Vec<Event>;

/// What a returned `kevent` means, in mio's terms.
pub(crate) mod event {
    use super::{Event, Filter, Returned};
    use crate::reactor::Token;

    fn returned(event: &Event) -> Returned {
        let kevent = &event.0;
        Returned {
            filter: match kevent.filter {
                libc::EVFILT_READ => Some(Filter::Read),
                libc::EVFILT_WRITE => Some(Filter::Write),
                libc::EVFILT_USER => Some(Filter::User),
                _ => None,
            },
            eof: kevent.flags & libc::EV_EOF != 0,
            error: kevent.flags & libc::EV_ERROR != 0,
            fflags: kevent.fflags,
        }
    }

    pub(crate) fn token(event: &Event) -> Token {
        Token(event.0.udata.addr())
    }

    pub(crate) fn is_readable(event: &Event) -> bool {
        returned(event).is_readable()
    }

    pub(crate) fn is_writable(event: &Event) -> bool {
        returned(event).is_writable()
    }

    pub(crate) fn is_error(event: &Event) -> bool {
        returned(event).is_error()
    }

    pub(crate) fn is_read_closed(event: &Event) -> bool {
        returned(event).is_read_closed()
    }

    pub(crate) fn is_write_closed(event: &Event) -> bool {
        returned(event).is_write_closed()
    }

    pub(crate) fn is_priority(_: &Event) -> bool {
        false
    }

    pub(crate) fn is_aio(_: &Event) -> bool {
        false
    }

    pub(crate) fn is_lio(_: &Event) -> bool {
        false
    }
}

/// Wakes a blocked `kevent` by triggering a user event on its own handle
/// to the queue.
#[derive(Debug)]
pub(crate) struct Waker {
    selector: Selector,
    token: Token,
}

impl Waker {
    pub(crate) fn new(selector: &Selector, token: Token) -> io::Result<Waker> {
        let selector = selector.try_clone()?;
        let changes = logic::waker_register_changes();
        selector.submit(0, token, changes.as_slice(), logic::WAKER_IGNORED)?;
        Ok(Waker { selector, token })
    }

    pub(crate) fn wake(&self) -> io::Result<()> {
        let changes = logic::waker_wake_changes();
        self.selector
            .submit(0, self.token, changes.as_slice(), logic::WAKER_IGNORED)
    }
}
