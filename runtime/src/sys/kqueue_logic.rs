//! The kqueue decisions that need no kernel, as plain functions: which
//! changes to submit for each registry operation, which receipts are errors,
//! and what a returned event means. `kqueue.rs` translates these to and from
//! `libc::kevent`; this file is compiled and unit-tested on every target,
//! including Linux where kqueue itself cannot run.

use std::io;

use crate::reactor::Interest;

/// The kqueue filters we use: one per direction for descriptors, and
/// `EVFILT_USER` for the waker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Filter {
    Read,
    Write,
    User,
}

/// What a change does to a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// `EV_ADD | EV_CLEAR | EV_RECEIPT`: add, or update, edge-triggered.
    Add,
    /// `EV_DELETE | EV_RECEIPT`.
    Delete,
    /// `EV_ADD | EV_RECEIPT` with `NOTE_TRIGGER`: fire a user event.
    Trigger,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) filter: Filter,
    pub(crate) action: Action,
}

/// At most two changes (one per filter), without allocating.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Changes {
    list: [Change; 2],
    len: usize,
}

impl Changes {
    fn new() -> Changes {
        let unused = Change {
            filter: Filter::User,
            action: Action::Delete,
        };
        Changes {
            list: [unused; 2],
            len: 0,
        }
    }

    fn push(&mut self, filter: Filter, action: Action) {
        self.list[self.len] = Change { filter, action };
        self.len += 1;
    }

    pub(crate) fn as_slice(&self) -> &[Change] {
        &self.list[..self.len]
    }
}

/// Registering adds a filter for each direction of interest.
pub(crate) fn register_changes(interests: Interest) -> Changes {
    let mut changes = Changes::new();
    if interests.is_writable() {
        changes.push(Filter::Write, Action::Add);
    }
    if interests.is_readable() {
        changes.push(Filter::Read, Action::Add);
    }
    changes
}

/// Reregistering adds the filters of interest (updating their token) and
/// deletes the others, which may never have been added: hence `ENOENT` is
/// ignored for it.
pub(crate) fn reregister_changes(interests: Interest) -> Changes {
    let action = |wanted: bool| if wanted { Action::Add } else { Action::Delete };
    let mut changes = Changes::new();
    changes.push(Filter::Write, action(interests.is_writable()));
    changes.push(Filter::Read, action(interests.is_readable()));
    changes
}

/// Deregistering deletes both filters; one of them may never have been added.
pub(crate) fn deregister_changes() -> Changes {
    let mut changes = Changes::new();
    changes.push(Filter::Write, Action::Delete);
    changes.push(Filter::Read, Action::Delete);
    changes
}

/// The waker's user event, added once.
pub(crate) fn waker_register_changes() -> Changes {
    let mut changes = Changes::new();
    changes.push(Filter::User, Action::Add);
    changes
}

/// Waking triggers the user event.
pub(crate) fn waker_wake_changes() -> Changes {
    let mut changes = Changes::new();
    changes.push(Filter::User, Action::Trigger);
    changes
}

/// Errors that do not make a registration fail. Older macOS versions report
/// `EPIPE` when registering a pipe whose other end is closed, though the
/// registration was made.
pub(crate) const REGISTER_IGNORED: &[i32] = &[libc::EPIPE];
/// Deleting a filter that was never added reports `ENOENT`.
pub(crate) const REREGISTER_IGNORED: &[i32] = &[libc::ENOENT];
pub(crate) const DEREGISTER_IGNORED: &[i32] = &[libc::ENOENT];
pub(crate) const WAKER_IGNORED: &[i32] = &[];

/// What `EV_RECEIPT` returns for one change: `EV_ERROR` is always set, and
/// `data` holds the errno, 0 for success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Receipt {
    pub(crate) error_flag: bool,
    pub(crate) data: i64,
}

/// The first receipt that reports a real error, as an `io::Error`.
pub(crate) fn check_receipts(
    receipts: impl IntoIterator<Item = Receipt>,
    ignored: &[i32],
) -> io::Result<()> {
    for receipt in receipts {
        let failed = receipt.error_flag && receipt.data != 0;
        if failed
            && !ignored
                .iter()
                .any(|&errno| i64::from(errno) == receipt.data)
        {
            let errno = i32::try_from(receipt.data).unwrap_or(libc::EINVAL);
            return Err(io::Error::from_raw_os_error(errno));
        }
    }
    Ok(())
}

/// The parts of a returned `kevent` that say what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Returned {
    /// `None` for filters we never register.
    pub(crate) filter: Option<Filter>,
    /// `EV_EOF`: this direction is closed.
    pub(crate) eof: bool,
    /// `EV_ERROR`.
    pub(crate) error: bool,
    /// With `EV_EOF`, a non-zero `fflags` is the socket's error.
    pub(crate) fflags: u32,
}

impl Returned {
    /// The waker's user event reads as readable, as with epoll's eventfd.
    pub(crate) fn is_readable(&self) -> bool {
        matches!(self.filter, Some(Filter::Read | Filter::User))
    }

    pub(crate) fn is_writable(&self) -> bool {
        self.filter == Some(Filter::Write)
    }

    pub(crate) fn is_error(&self) -> bool {
        self.error || (self.eof && self.fflags != 0)
    }

    pub(crate) fn is_read_closed(&self) -> bool {
        self.filter == Some(Filter::Read) && self.eof
    }

    pub(crate) fn is_write_closed(&self) -> bool {
        self.filter == Some(Filter::Write) && self.eof
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(filter: Filter, action: Action) -> Change {
        Change { filter, action }
    }

    #[test]
    fn register_adds_one_filter_per_direction() {
        assert_eq!(
            register_changes(Interest::READABLE).as_slice(),
            [change(Filter::Read, Action::Add)]
        );
        assert_eq!(
            register_changes(Interest::WRITABLE).as_slice(),
            [change(Filter::Write, Action::Add)]
        );
        assert_eq!(
            register_changes(Interest::READABLE | Interest::WRITABLE).as_slice(),
            [
                change(Filter::Write, Action::Add),
                change(Filter::Read, Action::Add)
            ]
        );
    }

    #[test]
    fn reregister_adds_wanted_and_deletes_unwanted_filters() {
        assert_eq!(
            reregister_changes(Interest::READABLE).as_slice(),
            [
                change(Filter::Write, Action::Delete),
                change(Filter::Read, Action::Add)
            ]
        );
        assert_eq!(
            reregister_changes(Interest::WRITABLE).as_slice(),
            [
                change(Filter::Write, Action::Add),
                change(Filter::Read, Action::Delete)
            ]
        );
        assert_eq!(
            reregister_changes(Interest::READABLE | Interest::WRITABLE).as_slice(),
            [
                change(Filter::Write, Action::Add),
                change(Filter::Read, Action::Add)
            ]
        );
    }

    #[test]
    fn deregister_deletes_both_filters() {
        assert_eq!(
            deregister_changes().as_slice(),
            [
                change(Filter::Write, Action::Delete),
                change(Filter::Read, Action::Delete)
            ]
        );
    }

    #[test]
    fn waker_adds_then_triggers_a_user_event() {
        assert_eq!(
            waker_register_changes().as_slice(),
            [change(Filter::User, Action::Add)]
        );
        assert_eq!(
            waker_wake_changes().as_slice(),
            [change(Filter::User, Action::Trigger)]
        );
    }

    fn receipt(data: i32) -> Receipt {
        Receipt {
            error_flag: true,
            data: i64::from(data),
        }
    }

    #[test]
    fn successful_receipts_pass() {
        assert!(check_receipts([receipt(0), receipt(0)], &[]).is_ok());
        assert!(check_receipts([], &[]).is_ok());
    }

    #[test]
    fn the_first_real_error_is_returned() {
        let result = check_receipts(
            [receipt(0), receipt(libc::EBADF), receipt(libc::EINVAL)],
            &[],
        );
        assert_eq!(result.unwrap_err().raw_os_error(), Some(libc::EBADF));
    }

    #[test]
    fn ignored_errors_are_skipped_per_operation() {
        let missing_filter = [receipt(0), receipt(libc::ENOENT)];
        assert!(check_receipts(missing_filter, REREGISTER_IGNORED).is_ok());
        assert!(check_receipts(missing_filter, DEREGISTER_IGNORED).is_ok());
        let error = check_receipts(missing_filter, REGISTER_IGNORED).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);

        let closed_pipe = [receipt(libc::EPIPE)];
        assert!(check_receipts(closed_pipe, REGISTER_IGNORED).is_ok());
        assert!(check_receipts(closed_pipe, REREGISTER_IGNORED).is_err());
        assert!(check_receipts([receipt(libc::ENOENT)], WAKER_IGNORED).is_err());
    }

    #[test]
    fn receipts_without_the_error_flag_are_not_errors() {
        // An interrupted kevent leaves the change list as it was: no EV_ERROR.
        let untouched = Receipt {
            error_flag: false,
            data: 0,
        };
        assert!(check_receipts([untouched], &[]).is_ok());
    }

    #[test]
    fn out_of_range_errno_is_still_an_error() {
        let result = check_receipts(
            [Receipt {
                error_flag: true,
                data: i64::MAX,
            }],
            &[],
        );
        assert_eq!(result.unwrap_err().raw_os_error(), Some(libc::EINVAL));
    }

    fn returned(filter: Filter, eof: bool, fflags: u32) -> Returned {
        Returned {
            filter: Some(filter),
            eof,
            error: false,
            fflags,
        }
    }

    #[test]
    fn returned_events_read_like_mio() {
        let readable = returned(Filter::Read, false, 0);
        assert!(readable.is_readable() && !readable.is_writable() && !readable.is_error());
        assert!(returned(Filter::User, false, 0).is_readable());

        let peer_closed = returned(Filter::Read, true, 0);
        assert!(peer_closed.is_read_closed() && !peer_closed.is_write_closed());
        assert!(!peer_closed.is_error());

        let reset = returned(Filter::Write, true, libc::ECONNRESET as u32);
        assert!(reset.is_write_closed() && reset.is_error() && !reset.is_read_closed());

        let failed = Returned {
            error: true,
            ..returned(Filter::Write, false, 0)
        };
        assert!(failed.is_error());

        let unknown = Returned {
            filter: None,
            ..readable
        };
        assert!(!unknown.is_readable() && !unknown.is_writable());
    }
}
