//! The task's single allocation: a [`Header`] every handle can read without
//! knowing the future's type, then the [`Core`] with the scheduler handle and
//! the [`Stage`] (the future, then its output, in the same bytes).

use std::cell::UnsafeCell;
use std::future::Future;
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::{Context, Poll, Waker};

use super::raw::Vtable;
use super::state::State;
use super::{Id, JoinError};

/// Laid out first so a `NonNull<Header>` is also a pointer to the `Cell`.
#[repr(C)]
pub(super) struct Cell<F: Future, S> {
    pub(super) header: Header,
    pub(super) core: Core<F, S>,
}

pub(crate) struct Header {
    pub(super) state: State,
    pub(super) vtable: &'static Vtable,
    pub(super) id: Id,
    /// Links of the owned-task list; read and written only under that
    /// list's lock.
    pub(super) owned: UnsafeCell<Links>,
    /// The joiner's waker. The `JoinHandle` may write it only while
    /// `JOIN_WAKER` is clear and the task is not complete; the runtime reads
    /// it only while `JOIN_WAKER` is set (see `state.rs`).
    pub(super) join_waker: UnsafeCell<Option<Waker>>,
}

#[derive(Default)]
pub(super) struct Links {
    pub(super) prev: Option<NonNull<Header>>,
    pub(super) next: Option<NonNull<Header>>,
    pub(super) in_list: bool,
}

pub(super) struct Core<F: Future, S> {
    pub(super) scheduler: S,
    /// Accessed only by the thread that set RUNNING (or, after COMPLETE, by
    /// whoever the join protocol makes responsible for the output).
    pub(super) stage: UnsafeCell<Stage<F>>,
}

pub(super) enum Stage<F: Future> {
    Running(F),
    Finished(Result<F::Output, JoinError>),
    Consumed,
}

#[cfg(test)]
pub(super) static LIVE_CELLS: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

impl<F: Future, S> Cell<F, S> {
    pub(super) fn new(future: F, scheduler: S, id: Id, vtable: &'static Vtable) -> Box<Self> {
        #[cfg(test)]
        LIVE_CELLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::new(Cell {
            header: Header {
                state: State::new(),
                vtable,
                id,
                owned: UnsafeCell::new(Links::default()),
                join_waker: UnsafeCell::new(None),
            },
            core: Core {
                scheduler,
                stage: UnsafeCell::new(Stage::Running(future)),
            },
        })
    }
}

#[cfg(test)]
impl<F: Future, S> Drop for Cell<F, S> {
    fn drop(&mut self) {
        LIVE_CELLS.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl<F: Future, S> Core<F, S> {
    /// Polls the future.
    ///
    /// # Safety
    /// The caller has exclusive access to the stage (it set RUNNING).
    pub(super) unsafe fn poll(&self, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: exclusive access by the caller's contract.
        let stage = unsafe { &mut *self.stage.get() };
        let Stage::Running(future) = stage else {
            unreachable!("task polled after its future was dropped")
        };
        // SAFETY: the future lives inside the heap cell, which never moves,
        // and it is dropped in place (by `set_stage`) before the cell is freed.
        unsafe { Pin::new_unchecked(future) }.poll(cx)
    }

    /// Replaces the stage, dropping the future or output it held.
    ///
    /// # Safety
    /// The caller has exclusive access to the stage.
    pub(super) unsafe fn set_stage(&self, stage: Stage<F>) {
        // SAFETY: exclusive access by the caller's contract; assigning drops
        // the old value in place, as pinning requires.
        unsafe { *self.stage.get() = stage };
    }

    /// Takes the output out of a finished task.
    ///
    /// # Safety
    /// The caller has exclusive access to the stage (COMPLETE is set and the
    /// join protocol gave the output to it).
    pub(super) unsafe fn take_output(&self) -> Result<F::Output, JoinError> {
        // SAFETY: exclusive access by the caller's contract.
        match std::mem::replace(unsafe { &mut *self.stage.get() }, Stage::Consumed) {
            Stage::Finished(output) => output,
            _ => panic!("JoinHandle polled after it returned the output"),
        }
    }
}
