//! What happens to a task: poll, complete, cancel, hand the output to the
//! joiner. Each step first asks the state word (`state.rs`) what it may do.

use std::any::Any;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::panic::{self, AssertUnwindSafe};
use std::ptr::NonNull;
use std::task::{Context, Poll, Waker};

use super::core::{Cell, Core, Header, Stage};
use super::raw::RawTask;
use super::state::{
    Released, Snapshot, State, TransitionToIdle, TransitionToRunning, TransitionToShutdown,
};
use super::waker::waker_ref;
use super::{JoinError, Notified, Schedule, Task};

pub(super) struct Harness<F: Future, S> {
    cell: NonNull<Cell<F, S>>,
}

/// What `poll` left the caller to do.
enum PollFuture {
    Done,
    Notified,
    Complete,
    Dealloc,
}

impl<F: Future, S: Schedule> Harness<F, S> {
    /// # Safety
    /// `ptr` points to a live `Cell<F, S>`.
    pub(super) unsafe fn from_raw(ptr: NonNull<Header>) -> Self {
        Harness { cell: ptr.cast() }
    }

    fn header(&self) -> &Header {
        // SAFETY: the cell is alive while the caller holds a reference.
        unsafe { &self.cell.as_ref().header }
    }

    fn core(&self) -> &Core<F, S> {
        // SAFETY: as in `header`.
        unsafe { &self.cell.as_ref().core }
    }

    fn state(&self) -> &State {
        &self.header().state
    }

    fn raw(&self) -> RawTask {
        // SAFETY: the cell is alive.
        unsafe { RawTask::from_raw(self.cell.cast()) }
    }

    /// Polls the future once, consuming the caller's `Notified` reference.
    pub(super) fn poll(self) {
        match self.poll_inner() {
            PollFuture::Done => {}
            PollFuture::Notified => self.schedule_notified(),
            PollFuture::Complete => self.complete(),
            PollFuture::Dealloc => self.dealloc(),
        }
    }

    fn poll_inner(&self) -> PollFuture {
        match self.state().transition_to_running() {
            TransitionToRunning::Success => {
                let waker = waker_ref(self.cell.cast());
                let mut cx = Context::from_waker(&waker);
                if self.poll_future(&mut cx).is_ready() {
                    return PollFuture::Complete;
                }
                match self.state().transition_to_idle() {
                    TransitionToIdle::Ok => PollFuture::Done,
                    TransitionToIdle::OkNotified => PollFuture::Notified,
                    TransitionToIdle::OkDealloc => PollFuture::Dealloc,
                    TransitionToIdle::Cancelled => {
                        self.cancel_future();
                        PollFuture::Complete
                    }
                }
            }
            TransitionToRunning::Cancelled => {
                self.cancel_future();
                PollFuture::Complete
            }
            TransitionToRunning::Failed => PollFuture::Done,
            TransitionToRunning::Dealloc => PollFuture::Dealloc,
        }
    }

    /// Polls with RUNNING held; on `Ready` (or a panic) stores the output.
    fn poll_future(&self, cx: &mut Context<'_>) -> Poll<()> {
        let core = self.core();
        // SAFETY: RUNNING gives this thread exclusive access to the stage.
        let polled = panic::catch_unwind(AssertUnwindSafe(|| unsafe { core.poll(cx) }));
        let output = match polled {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(output)) => Ok(output),
            Err(payload) => Err(JoinError::panic(self.header().id, payload)),
        };
        // Drop the future first; a panic in its destructor is swallowed like
        // tokio does, since the output already exists.
        // SAFETY: RUNNING is still held.
        let _ = panic::catch_unwind(AssertUnwindSafe(|| unsafe {
            core.set_stage(Stage::Consumed)
        }));
        // SAFETY: as above.
        unsafe { core.set_stage(Stage::Finished(output)) };
        Poll::Ready(())
    }

    /// Drops the future of a cancelled task and stores the `JoinError`.
    fn cancel_future(&self) {
        let core = self.core();
        // SAFETY: RUNNING is held by this thread.
        let dropped = panic::catch_unwind(AssertUnwindSafe(|| unsafe {
            core.set_stage(Stage::Consumed)
        }));
        let id = self.header().id;
        let error = match dropped {
            Ok(()) => JoinError::cancelled(id),
            Err(payload) => JoinError::panic(id, payload),
        };
        // SAFETY: as above.
        unsafe { core.set_stage(Stage::Finished(Err(error))) };
    }

    /// The output is stored: publish COMPLETE, wake the joiner, leave the
    /// owned list and release references.
    fn complete(self) {
        let snapshot = self.state().transition_to_complete();
        // A panic here (dropping an output nobody wants, or in a joiner's
        // waker) must not unwind through the scheduler.
        let _ = panic::catch_unwind(AssertUnwindSafe(|| self.notify_joiner(snapshot)));

        let task = ManuallyDrop::new(Task::<S>::from_raw(self.raw()));
        let released = self.core().scheduler.release(&task);
        let references = match released {
            Some(list_reference) => {
                // Counted in `references` instead of dropped one by one.
                std::mem::forget(list_reference);
                2
            }
            None => 1,
        };
        match self.state().transition_to_terminal(references) {
            Released::Dealloc => self.dealloc(),
            Released::Alive => {}
        }
    }

    fn notify_joiner(&self, snapshot: Snapshot) {
        if !snapshot.is_join_interested() {
            // SAFETY: COMPLETE without join interest: nobody else will
            // touch the output.
            unsafe { self.core().set_stage(Stage::Consumed) };
        } else if snapshot.is_join_waker_set() {
            // SAFETY: JOIN_WAKER is set, so the joiner does not write the slot.
            let waker = unsafe { &*self.header().join_waker.get() };
            if let Some(waker) = waker {
                waker.wake_by_ref();
            }
            if !self
                .state()
                .unset_waker_after_complete()
                .is_join_interested()
            {
                // SAFETY: the joiner left while we held the slot: it is ours.
                unsafe { *self.header().join_waker.get() = None };
            }
        }
    }

    /// Gives a `Notified` reference (already counted) to the scheduler.
    pub(super) fn schedule_notified(self) {
        let task = Notified(Task::from_raw(self.raw()));
        self.core().scheduler.schedule(task);
    }

    /// Cancels for a scheduler shutting down, consuming the list's reference.
    pub(super) fn shutdown(self) {
        match self.state().transition_to_shutdown() {
            TransitionToShutdown::Claimed => {
                self.cancel_future();
                self.complete();
            }
            // Running elsewhere (it will see CANCELLED) or already complete.
            TransitionToShutdown::NotClaimed => self.raw().drop_reference(),
        }
    }

    pub(super) fn dealloc(self) {
        // SAFETY: the reference count reached zero, and the cell was
        // allocated by `Box` in `RawTask::new`.
        drop(unsafe { Box::from_raw(self.cell.as_ptr()) });
    }

    /// # Safety
    /// `dst` is valid for writes.
    pub(super) unsafe fn try_read_output(
        self,
        dst: *mut Poll<Result<F::Output, JoinError>>,
        waker: &Waker,
    ) {
        if can_read_output(self.header(), waker) {
            // SAFETY: COMPLETE with join interest: the output belongs to the
            // joiner, who is calling us.
            let output = unsafe { self.core().take_output() };
            // SAFETY: valid for writes by the caller's contract.
            unsafe { *dst = Poll::Ready(output) };
        }
    }

    pub(super) fn drop_join_handle(self) {
        let transition = self.state().transition_to_join_handle_dropped();
        let dropped = panic::catch_unwind(AssertUnwindSafe(|| {
            if transition.drop_output {
                // SAFETY: the task is complete and its output is the joiner's.
                unsafe { self.core().set_stage(Stage::Consumed) };
            }
            if transition.drop_waker {
                // SAFETY: JOIN_WAKER is clear: the slot is the joiner's.
                unsafe { *self.header().join_waker.get() = None };
            }
        }));
        self.raw().drop_reference();
        if let Err(payload) = dropped {
            panic::resume_unwind(payload);
        }
    }
}

/// The joiner's side of the waker handshake: true if the output is ready,
/// else the waker is stored for the runtime to wake.
fn can_read_output(header: &Header, waker: &Waker) -> bool {
    let snapshot = header.state.load();
    if snapshot.is_complete() {
        return true;
    }
    let stored = if snapshot.is_join_waker_set() {
        // SAFETY: both sides only read the slot while JOIN_WAKER is set.
        let current = unsafe { &*header.join_waker.get() };
        if current.as_ref().is_some_and(|w| w.will_wake(waker)) {
            return false;
        }
        header
            .state
            .unset_join_waker()
            .and_then(|_| set_join_waker(header, waker))
    } else {
        set_join_waker(header, waker)
    };
    match stored {
        Ok(_) => false,
        Err(snapshot) => {
            assert!(snapshot.is_complete());
            true
        }
    }
}

fn set_join_waker(header: &Header, waker: &Waker) -> Result<Snapshot, Snapshot> {
    // SAFETY: JOIN_WAKER is clear and the task is not complete, so the slot
    // is the joiner's.
    unsafe { *header.join_waker.get() = Some(waker.clone()) };
    let result = header.state.set_join_waker();
    if result.is_err() {
        // SAFETY: the task completed before we handed the slot over; it is
        // still ours.
        unsafe { *header.join_waker.get() = None };
    }
    result
}

pub(super) fn panic_message(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&'static str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}
