//! The type-erased task pointer and its vtable: one static table per
//! future/scheduler pair, so handles that do not know the future's type can
//! still poll, schedule, read and free it.

use std::future::Future;
use std::ptr::NonNull;
use std::task::Waker;

use super::core::{Cell, Header};
use super::harness::Harness;
use super::state::{Released, State};
use super::{Id, Schedule};

pub(crate) struct Vtable {
    /// Polls the task (consumes a `Notified` reference).
    pub(super) poll: unsafe fn(NonNull<Header>),
    /// Hands a `Notified` reference to the task's scheduler.
    pub(super) schedule: unsafe fn(NonNull<Header>),
    /// Frees the allocation.
    pub(super) dealloc: unsafe fn(NonNull<Header>),
    /// Moves the output into `*mut Poll<Result<T, JoinError>>` if complete,
    /// else registers the waker.
    pub(super) try_read_output: unsafe fn(NonNull<Header>, *mut (), &Waker),
    /// Releases the `JoinHandle` (its reference and, maybe, the output).
    pub(super) drop_join_handle: unsafe fn(NonNull<Header>),
    /// Cancels the task for a scheduler shutting down (consumes a reference).
    pub(super) shutdown: unsafe fn(NonNull<Header>),
}

fn vtable<F: Future, S: Schedule>() -> &'static Vtable {
    &Vtable {
        poll: poll::<F, S>,
        schedule: schedule::<F, S>,
        dealloc: dealloc::<F, S>,
        try_read_output: try_read_output::<F, S>,
        drop_join_handle: drop_join_handle::<F, S>,
        shutdown: shutdown::<F, S>,
    }
}

/// A pointer to a live task. Copying it does not take a reference: the
/// owning wrappers (`Task`, `Notified`, `JoinHandle`, wakers) count them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawTask {
    ptr: NonNull<Header>,
}

impl RawTask {
    pub(super) fn new<F: Future, S: Schedule>(future: F, scheduler: S, id: Id) -> RawTask {
        let cell = Cell::new(future, scheduler, id, vtable::<F, S>());
        // `Cell` is `repr(C)` with the header first.
        let ptr = NonNull::from(Box::leak(cell)).cast::<Header>();
        RawTask { ptr }
    }

    /// # Safety
    /// `ptr` points to a live task header.
    pub(super) unsafe fn from_raw(ptr: NonNull<Header>) -> RawTask {
        RawTask { ptr }
    }

    pub(super) fn header_ptr(self) -> NonNull<Header> {
        self.ptr
    }

    pub(super) fn header(&self) -> &Header {
        // SAFETY: a `RawTask` is only held alongside a reference count, so
        // the header is alive.
        unsafe { self.ptr.as_ref() }
    }

    pub(super) fn state(&self) -> &State {
        &self.header().state
    }

    pub(super) fn poll(self) {
        // SAFETY: the vtable was built for this cell's types; the caller
        // passes a `Notified` reference, which `poll` consumes.
        unsafe { (self.header().vtable.poll)(self.ptr) }
    }

    pub(super) fn schedule(self) {
        // SAFETY: as in `poll`; the caller passes a `Notified` reference.
        unsafe { (self.header().vtable.schedule)(self.ptr) }
    }

    pub(super) fn dealloc(self) {
        // SAFETY: the caller observed the reference count reach zero.
        unsafe { (self.header().vtable.dealloc)(self.ptr) }
    }

    /// # Safety
    /// `dst` points to a `Poll<Result<T, JoinError>>` with the task's output type `T`.
    pub(super) unsafe fn try_read_output(self, dst: *mut (), waker: &Waker) {
        // SAFETY: the output type matches by the caller's contract.
        unsafe { (self.header().vtable.try_read_output)(self.ptr, dst, waker) }
    }

    pub(super) fn drop_join_handle(self) {
        // SAFETY: called once, by the `JoinHandle`'s `Drop`.
        unsafe { (self.header().vtable.drop_join_handle)(self.ptr) }
    }

    pub(super) fn shutdown(self) {
        // SAFETY: the caller passes the owned-list reference, which `shutdown` consumes.
        unsafe { (self.header().vtable.shutdown)(self.ptr) }
    }

    pub(super) fn ref_inc(self) {
        self.state().ref_inc();
    }

    pub(super) fn drop_reference(self) {
        match self.state().ref_dec() {
            Released::Dealloc => self.dealloc(),
            Released::Alive => {}
        }
    }
}

// Each function below is monomorphised for one cell type and reached only
// through that cell's vtable, so `Harness::from_raw` sees the right types.

unsafe fn poll<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: `ptr` is a live `Cell<F, S>` (see above).
    unsafe { Harness::<F, S>::from_raw(ptr) }.poll();
}

unsafe fn schedule<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: as in `poll`.
    unsafe { Harness::<F, S>::from_raw(ptr) }.schedule_notified();
}

unsafe fn dealloc<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: as in `poll`; the reference count is zero, so nothing else
    // can reach the cell.
    unsafe { Harness::<F, S>::from_raw(ptr) }.dealloc();
}

unsafe fn try_read_output<F: Future, S: Schedule>(
    ptr: NonNull<Header>,
    dst: *mut (),
    waker: &Waker,
) {
    // SAFETY: as in `poll`; `dst` has type `*mut Poll<Result<F::Output, JoinError>>`
    // because the `JoinHandle<T>` was created for this `F` with `T = F::Output`.
    unsafe { Harness::<F, S>::from_raw(ptr).try_read_output(dst.cast(), waker) };
}

unsafe fn drop_join_handle<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: as in `poll`.
    unsafe { Harness::<F, S>::from_raw(ptr) }.drop_join_handle();
}

unsafe fn shutdown<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: as in `poll`.
    unsafe { Harness::<F, S>::from_raw(ptr) }.shutdown();
}
