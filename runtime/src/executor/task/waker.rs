//! `Waker`s over the task pointer: one static vtable for every task; clone
//! takes a reference, drop releases it, wake notifies through the state word.

use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::ptr::NonNull;
use std::task::{RawWaker, RawWakerVTable, Waker};

use super::core::Header;
use super::raw::RawTask;
use super::state::TransitionToNotified;

static WAKER_VTABLE: RawWakerVTable =
    RawWakerVTable::new(clone_waker, wake_by_val, wake_by_ref, drop_waker);

/// A waker borrowing the running task's reference (no count change) for
/// the duration of one poll.
pub(super) struct WakerRef {
    waker: ManuallyDrop<Waker>,
}

impl Deref for WakerRef {
    type Target = Waker;
    fn deref(&self) -> &Waker {
        &self.waker
    }
}

pub(super) fn waker_ref(header: NonNull<Header>) -> WakerRef {
    let raw = RawWaker::new(header.as_ptr() as *const (), &WAKER_VTABLE);
    // SAFETY: the vtable functions below treat the data pointer as a task
    // header, which it is; `ManuallyDrop` keeps this borrowed waker from
    // releasing a reference it never took (clones do take one).
    WakerRef {
        waker: ManuallyDrop::new(unsafe { Waker::from_raw(raw) }),
    }
}

/// # Safety (all four)
/// `ptr` is a task header pointer from `waker_ref` or `clone_waker`, and the
/// waker owns one reference (except the borrowed `WakerRef`, which is never
/// woken by value or dropped).
unsafe fn raw_task(ptr: *const ()) -> RawTask {
    // SAFETY: see above; a waker's pointer is never null.
    unsafe { RawTask::from_raw(NonNull::new_unchecked(ptr as *mut Header)) }
}

unsafe fn clone_waker(ptr: *const ()) -> RawWaker {
    // SAFETY: see `raw_task`.
    unsafe { raw_task(ptr) }.ref_inc();
    RawWaker::new(ptr, &WAKER_VTABLE)
}

unsafe fn wake_by_val(ptr: *const ()) {
    // SAFETY: see `raw_task`.
    let task = unsafe { raw_task(ptr) };
    match task.state().transition_to_notified_by_val() {
        TransitionToNotified::Submit => task.schedule(),
        TransitionToNotified::Dealloc => task.dealloc(),
        TransitionToNotified::DoNothing => {}
    }
}

unsafe fn wake_by_ref(ptr: *const ()) {
    // SAFETY: see `raw_task`.
    let task = unsafe { raw_task(ptr) };
    match task.state().transition_to_notified_by_ref() {
        TransitionToNotified::Submit => task.schedule(),
        TransitionToNotified::Dealloc => unreachable!("wake_by_ref never releases a reference"),
        TransitionToNotified::DoNothing => {}
    }
}

unsafe fn drop_waker(ptr: *const ()) {
    // SAFETY: see `raw_task`.
    unsafe { raw_task(ptr) }.drop_reference();
}
