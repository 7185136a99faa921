//! The task's state word: lifecycle bits and the reference count packed into
//! one `AtomicUsize`, changed only by the transitions below.
//!
//! Each transition returns a `#[must_use]` value naming what the caller must
//! do next (poll, schedule, deallocate, nothing), so an obligation cannot be
//! dropped by accident.

use std::fmt;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed};

/// The task is being polled (or cancelled) by exactly one thread.
const RUNNING: usize = 0b0000_0001;
/// The future has completed or been dropped; the output (if any) is stored.
const COMPLETE: usize = 0b0000_0010;
/// A wake-up is pending: one `Notified` reference sits in a run queue (or the
/// running thread will reschedule the task when it finishes this poll).
const NOTIFIED: usize = 0b0000_0100;
/// The task was aborted; whoever runs it next drops the future instead.
const CANCELLED: usize = 0b0000_1000;
/// A `JoinHandle` exists and will read the output.
const JOIN_INTEREST: usize = 0b0001_0000;
/// The join waker slot holds a waker and the runtime may read it; the
/// `JoinHandle` may write the slot only while this bit is clear.
const JOIN_WAKER: usize = 0b0010_0000;

const LIFECYCLE_MASK: usize = RUNNING | COMPLETE;
const FLAG_BITS: u32 = 6;
const REF_ONE: usize = 1 << FLAG_BITS;
const REF_COUNT_MASK: usize = !(REF_ONE - 1);

/// A new task: three references (the owned-task list, the first `Notified`
/// in a run queue, the `JoinHandle`), notified, with join interest.
const INITIAL_STATE: usize = (3 * REF_ONE) | JOIN_INTEREST | NOTIFIED;

pub(crate) struct State {
    word: AtomicUsize,
}

/// A copy of the state word at one moment.
#[must_use]
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Snapshot(usize);

#[must_use]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TransitionToRunning {
    /// The caller now owns the future: poll it.
    Success,
    /// The caller owns the future, but the task was aborted: drop it.
    Cancelled,
    /// Someone else runs it or it is complete; the caller's reference was
    /// released and others remain.
    Failed,
    /// As `Failed`, and that was the last reference: deallocate.
    Dealloc,
}

#[must_use]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TransitionToIdle {
    /// Parked until woken; the running reference was released.
    Ok,
    /// Woken while running: the running reference becomes a `Notified` the
    /// caller must schedule.
    OkNotified,
    /// Parked, and the running reference was the last: deallocate.
    OkDealloc,
    /// Aborted while running: the caller still owns the future and must drop it.
    Cancelled,
}

#[must_use]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TransitionToNotified {
    /// Nothing to do (already notified, running, or complete).
    DoNothing,
    /// The caller holds a `Notified` reference and must schedule it.
    Submit,
    /// The caller's reference was the last one: deallocate.
    Dealloc,
}

/// After releasing references.
#[must_use]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Released {
    /// Others remain.
    Alive,
    /// That was the last reference: deallocate.
    Dealloc,
}

#[must_use]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TransitionToCancelled {
    /// Already cancelled, complete, or running or queued (whoever polls it
    /// next sees CANCELLED): nothing to do.
    DoNothing,
    /// The task was idle: the caller holds a new `Notified` reference and
    /// must schedule it, so a worker drops the future.
    Submit,
}

#[must_use]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TransitionToShutdown {
    /// The task was idle: the caller owns the future and must drop it.
    Claimed,
    /// Running elsewhere (it will see CANCELLED) or already complete: the
    /// caller only releases its reference.
    NotClaimed,
}

#[must_use]
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TransitionToJoinHandleDrop {
    /// The task is complete and nobody else will drop its output.
    pub(crate) drop_output: bool,
    /// The `JoinHandle` has exclusive access to the join waker slot.
    pub(crate) drop_waker: bool,
}

impl State {
    pub(crate) fn new() -> State {
        State {
            word: AtomicUsize::new(INITIAL_STATE),
        }
    }

    pub(crate) fn load(&self) -> Snapshot {
        Snapshot(self.word.load(Acquire))
    }

    /// Applies `f` atomically; `f` returns the caller's action and the new
    /// word, or `None` to leave the word unchanged.
    fn fetch_update_action<T>(&self, mut f: impl FnMut(Snapshot) -> (T, Option<Snapshot>)) -> T {
        let mut current = self.load();
        loop {
            let (action, next) = f(current);
            let Some(next) = next else { return action };
            match self
                .word
                .compare_exchange(current.0, next.0, AcqRel, Acquire)
            {
                Ok(_) => return action,
                Err(actual) => current = Snapshot(actual),
            }
        }
    }

    /// Like `fetch_update_action` but `f` may refuse the change with `None`.
    fn fetch_update(
        &self,
        mut f: impl FnMut(Snapshot) -> Option<Snapshot>,
    ) -> Result<Snapshot, Snapshot> {
        let mut current = self.load();
        loop {
            let Some(next) = f(current) else {
                return Err(current);
            };
            match self
                .word
                .compare_exchange(current.0, next.0, AcqRel, Acquire)
            {
                Ok(_) => return Ok(next),
                Err(actual) => current = Snapshot(actual),
            }
        }
    }

    /// A scheduler popped a `Notified` and wants to poll the task.
    pub(crate) fn transition_to_running(&self) -> TransitionToRunning {
        self.fetch_update_action(|mut next| {
            assert!(next.is_notified(), "running a task that was not notified");
            if !next.is_idle() {
                // Another thread is polling it (it will see NOTIFIED and
                // reschedule) or it is complete: give back the reference.
                next.ref_dec();
                let action = if next.ref_count() == 0 {
                    TransitionToRunning::Dealloc
                } else {
                    TransitionToRunning::Failed
                };
                return (action, Some(next));
            }
            next.0 |= RUNNING;
            next.0 &= !NOTIFIED;
            let action = if next.is_cancelled() {
                TransitionToRunning::Cancelled
            } else {
                TransitionToRunning::Success
            };
            (action, Some(next))
        })
    }

    /// The future returned `Pending`.
    pub(crate) fn transition_to_idle(&self) -> TransitionToIdle {
        self.fetch_update_action(|mut next| {
            assert!(next.is_running(), "task idled while not running");
            if next.is_cancelled() {
                return (TransitionToIdle::Cancelled, None);
            }
            next.0 &= !RUNNING;
            if next.is_notified() {
                // The running reference is handed to the new `Notified`.
                return (TransitionToIdle::OkNotified, Some(next));
            }
            next.ref_dec();
            let action = if next.ref_count() == 0 {
                TransitionToIdle::OkDealloc
            } else {
                TransitionToIdle::Ok
            };
            (action, Some(next))
        })
    }

    /// The future finished (or was dropped): RUNNING becomes COMPLETE.
    /// Returns the word after the change.
    pub(crate) fn transition_to_complete(&self) -> Snapshot {
        let prev = Snapshot(self.word.fetch_xor(RUNNING | COMPLETE, AcqRel));
        assert!(prev.is_running(), "completing a task that is not running");
        assert!(!prev.is_complete(), "completing a task twice");
        Snapshot(prev.0 ^ (RUNNING | COMPLETE))
    }

    /// Releases `count` references after completion.
    pub(crate) fn transition_to_terminal(&self, count: usize) -> Released {
        let prev = Snapshot(self.word.fetch_sub(count * REF_ONE, AcqRel));
        assert!(prev.ref_count() >= count, "reference count underflow");
        Released::last_if(prev.ref_count() == count)
    }

    /// A waker consumed by `wake()`: its reference becomes the `Notified`
    /// when the task must be scheduled, and is released otherwise.
    pub(crate) fn transition_to_notified_by_val(&self) -> TransitionToNotified {
        self.fetch_update_action(|mut next| {
            let action;
            if next.is_running() {
                // The runner reschedules; it holds a reference, so ours is not the last.
                next.0 |= NOTIFIED;
                next.ref_dec();
                assert!(next.ref_count() > 0, "running task without a reference");
                action = TransitionToNotified::DoNothing;
            } else if next.is_complete() || next.is_notified() {
                next.ref_dec();
                action = if next.ref_count() == 0 {
                    TransitionToNotified::Dealloc
                } else {
                    TransitionToNotified::DoNothing
                };
            } else {
                next.0 |= NOTIFIED;
                action = TransitionToNotified::Submit;
            }
            (action, Some(next))
        })
    }

    /// `wake_by_ref()`: takes a new reference for the `Notified` when the
    /// task must be scheduled.
    pub(crate) fn transition_to_notified_by_ref(&self) -> TransitionToNotified {
        self.fetch_update_action(|mut next| {
            if next.is_complete() || next.is_notified() {
                (TransitionToNotified::DoNothing, None)
            } else if next.is_running() {
                next.0 |= NOTIFIED;
                (TransitionToNotified::DoNothing, Some(next))
            } else {
                next.0 |= NOTIFIED;
                next.ref_inc();
                (TransitionToNotified::Submit, Some(next))
            }
        })
    }

    /// `JoinHandle::abort()`: marks the task cancelled and, if it is idle,
    /// notifies it (with a new reference) so a worker drops the future.
    pub(crate) fn transition_to_notified_and_cancel(&self) -> TransitionToCancelled {
        self.fetch_update_action(|mut next| {
            if next.is_cancelled() || next.is_complete() {
                (TransitionToCancelled::DoNothing, None)
            } else if next.is_running() || next.is_notified() {
                // Whoever polls it next sees CANCELLED.
                next.0 |= CANCELLED | NOTIFIED;
                (TransitionToCancelled::DoNothing, Some(next))
            } else {
                next.0 |= CANCELLED | NOTIFIED;
                next.ref_inc();
                (TransitionToCancelled::Submit, Some(next))
            }
        })
    }

    /// The scheduler shuts down: marks the task cancelled and claims it if
    /// idle.
    pub(crate) fn transition_to_shutdown(&self) -> TransitionToShutdown {
        self.fetch_update_action(|mut next| {
            let transition = if next.is_idle() {
                next.0 |= RUNNING;
                TransitionToShutdown::Claimed
            } else {
                TransitionToShutdown::NotClaimed
            };
            next.0 |= CANCELLED;
            (transition, Some(next))
        })
    }

    /// The `JoinHandle` is dropped.
    pub(crate) fn transition_to_join_handle_dropped(&self) -> TransitionToJoinHandleDrop {
        self.fetch_update_action(|mut next| {
            assert!(next.is_join_interested(), "JoinHandle dropped twice");
            next.0 &= !JOIN_INTEREST;
            let mut transition = TransitionToJoinHandleDrop {
                drop_output: false,
                drop_waker: false,
            };
            if next.is_complete() {
                // The runtime saw our interest at completion and left the
                // output for us.
                transition.drop_output = true;
            } else {
                // Take the waker slot back so the runtime never reads it.
                next.0 &= !JOIN_WAKER;
            }
            transition.drop_waker = !next.is_join_waker_set();
            (transition, Some(next))
        })
    }

    /// The `JoinHandle` stored a waker: hand the slot to the runtime.
    /// Fails (returning the word) if the task completed meanwhile.
    pub(crate) fn set_join_waker(&self) -> Result<Snapshot, Snapshot> {
        self.fetch_update(|mut next| {
            assert!(
                next.is_join_interested(),
                "join waker set without join interest"
            );
            assert!(!next.is_join_waker_set(), "join waker set twice");
            if next.is_complete() {
                return None;
            }
            next.0 |= JOIN_WAKER;
            Some(next)
        })
    }

    /// The `JoinHandle` wants to replace its waker: take the slot back.
    /// Fails if the task completed meanwhile (then the runtime owns the slot
    /// until it clears the bit itself).
    pub(crate) fn unset_join_waker(&self) -> Result<Snapshot, Snapshot> {
        self.fetch_update(|mut next| {
            assert!(
                next.is_join_interested(),
                "join waker unset without join interest"
            );
            assert!(next.is_join_waker_set(), "join waker unset twice");
            if next.is_complete() {
                return None;
            }
            next.0 &= !JOIN_WAKER;
            Some(next)
        })
    }

    /// The runtime has woken the joiner after completion and gives the slot
    /// up; returns the new word (if join interest is gone, the runtime drops
    /// the waker).
    pub(crate) fn unset_waker_after_complete(&self) -> Snapshot {
        let prev = Snapshot(self.word.fetch_and(!JOIN_WAKER, AcqRel));
        assert!(
            prev.is_complete() && prev.is_join_waker_set(),
            "join waker released too early"
        );
        Snapshot(prev.0 & !JOIN_WAKER)
    }

    /// A new waker (or `Notified`) refers to the task.
    pub(crate) fn ref_inc(&self) {
        let prev = self.word.fetch_add(REF_ONE, Relaxed);
        // Like `Arc`: overflowing the count would free a live task.
        if prev > isize::MAX as usize {
            std::process::abort();
        }
    }

    /// Releases one reference.
    pub(crate) fn ref_dec(&self) -> Released {
        let prev = Snapshot(self.word.fetch_sub(REF_ONE, AcqRel));
        assert!(prev.ref_count() >= 1, "reference count underflow");
        Released::last_if(prev.ref_count() == 1)
    }
}

impl Released {
    fn last_if(last: bool) -> Released {
        if last {
            Released::Dealloc
        } else {
            Released::Alive
        }
    }
}

impl Snapshot {
    pub(crate) fn is_idle(self) -> bool {
        self.0 & LIFECYCLE_MASK == 0
    }
    pub(crate) fn is_running(self) -> bool {
        self.0 & RUNNING != 0
    }
    pub(crate) fn is_complete(self) -> bool {
        self.0 & COMPLETE != 0
    }
    pub(crate) fn is_notified(self) -> bool {
        self.0 & NOTIFIED != 0
    }
    pub(crate) fn is_cancelled(self) -> bool {
        self.0 & CANCELLED != 0
    }
    pub(crate) fn is_join_interested(self) -> bool {
        self.0 & JOIN_INTEREST != 0
    }
    pub(crate) fn is_join_waker_set(self) -> bool {
        self.0 & JOIN_WAKER != 0
    }
    pub(crate) fn ref_count(self) -> usize {
        (self.0 & REF_COUNT_MASK) >> FLAG_BITS
    }
    fn ref_inc(&mut self) {
        self.0 += REF_ONE;
    }
    fn ref_dec(&mut self) {
        assert!(self.ref_count() > 0, "reference count underflow");
        self.0 -= REF_ONE;
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("running", &self.is_running())
            .field("complete", &self.is_complete())
            .field("notified", &self.is_notified())
            .field("cancelled", &self.is_cancelled())
            .field("join_interest", &self.is_join_interested())
            .field("join_waker", &self.is_join_waker_set())
            .field("ref_count", &self.ref_count())
            .finish()
    }
}

#[cfg(test)]
mod tests;
