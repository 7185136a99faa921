//! Tasks: one heap allocation each (`core.rs`: header, then the future,
//! then its output in the same bytes), driven by an atomic state word
//! (`state.rs`) through a per-type vtable (`raw.rs`, `harness.rs`).
//!
//! References are counted in the state word. A new task has three: the
//! scheduler's owned-task list (`list.rs`, released when the task completes
//! or is shut down), the first `Notified` in a run queue, and the
//! `JoinHandle`. Each `Waker` clone and each further `Notified` holds one.

mod core;
mod harness;
mod join;
mod list;
mod raw;
mod state;
mod waker;

#[cfg(test)]
mod tests;

use std::fmt;
use std::marker::PhantomData;
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, Ordering};

pub use join::{JoinError, JoinHandle};
pub(crate) use list::OwnedTasks;
use raw::RawTask;

/// A scheduler as seen by its tasks.
pub(crate) trait Schedule: Send + Sync + Sized + 'static {
    /// Queues a notified task to be polled (from any thread).
    fn schedule(&self, task: Notified<Self>);
    /// Removes a completing task from the owned list, returning the list's
    /// reference (or `None` if shutdown took it already).
    fn release(&self, task: &Task<Self>) -> Option<Task<Self>>;
}

/// A task's unique id (within this process).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(NonZeroU64);

impl Id {
    fn next() -> Id {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        Id(NonZeroU64::new(id).expect("task id counter wrapped"))
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.0)
    }
}

/// One counted reference to a task (the owned list's).
pub(crate) struct Task<S: 'static> {
    raw: RawTask,
    _scheduler: PhantomData<S>,
}

/// A reference held by a run queue: the task is NOTIFIED and will be polled
/// when this is run.
pub(crate) struct Notified<S: 'static>(Task<S>);

// SAFETY: a task's future is polled and dropped only by its scheduler, on
// the threads that scheduler allows (a local scheduler only on its own
// thread); moving references between threads only touches the atomic state
// word. This is what lets a waker of a `!Send` task be woken from anywhere.
unsafe impl<S> Send for Task<S> {}
// SAFETY: as above.
unsafe impl<S> Sync for Task<S> {}
// SAFETY: as above.
unsafe impl<S> Send for Notified<S> {}
// SAFETY: as above.
unsafe impl<S> Sync for Notified<S> {}

impl<S: 'static> Task<S> {
    /// Takes over one reference the caller already counted.
    fn from_raw(raw: RawTask) -> Task<S> {
        Task {
            raw,
            _scheduler: PhantomData,
        }
    }

    /// Cancels the task for a shutting-down scheduler, consuming this reference.
    pub(crate) fn shutdown(self) {
        let raw = self.raw;
        std::mem::forget(self);
        raw.shutdown();
    }
}

impl<S: 'static> Notified<S> {
    /// The task's address: equal for every reference to the same task.
    pub(crate) fn addr(&self) -> usize {
        self.0.raw.header_ptr().as_ptr() as usize
    }

    /// Polls the task once, consuming this reference.
    pub(crate) fn run(self) {
        let raw = self.0.raw;
        std::mem::forget(self);
        raw.poll();
    }
}

impl<S: 'static> Drop for Task<S> {
    fn drop(&mut self) {
        self.raw.drop_reference();
    }
}
