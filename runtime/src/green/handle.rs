//! `GreenHandle`: waiting for a green thread and taking its result.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::thread;

use super::scheduler::with_current;

/// Where a thread leaves its result (or its panic) for its handle.
pub(crate) struct Packet<T> {
    result: RefCell<Option<thread::Result<T>>>,
    joiner: Cell<Option<Waker>>,
}

impl<T> Packet<T> {
    pub(crate) fn new() -> Packet<T> {
        Packet {
            result: RefCell::new(None),
            joiner: Cell::new(None),
        }
    }

    /// Stores the result and wakes the thread waiting in `join`, if any.
    pub(crate) fn finish(&self, result: thread::Result<T>) {
        *self.result.borrow_mut() = Some(result);
        if let Some(joiner) = self.joiner.take() {
            joiner.wake();
        }
    }

    fn is_finished(&self) -> bool {
        self.result.borrow().is_some()
    }
}

/// An owned permission to join a green thread: wait for it to finish and
/// take what it returned.
///
/// Dropping the handle detaches the thread: it keeps running, and `run`
/// still waits for it. A panic in a detached thread is printed by the
/// panic hook and otherwise ignored, as with `std::thread`.
pub struct GreenHandle<T> {
    packet: Rc<Packet<T>>,
}

impl<T> GreenHandle<T> {
    pub(crate) fn new(packet: Rc<Packet<T>>) -> GreenHandle<T> {
        GreenHandle { packet }
    }

    /// Waits for the thread to finish; `Err` carries the payload of its
    /// panic (as `std::thread::JoinHandle::join`), which
    /// `std::panic::resume_unwind` can re-raise.
    ///
    /// While it waits, the other green threads run.
    ///
    /// # Panics
    /// If the thread has not finished and `join` is not called from a green
    /// thread (there would be nothing to run it meanwhile). After `run`
    /// returns, every thread has finished, so `join` never waits there.
    pub fn join(self) -> thread::Result<T> {
        if let Some(result) = self.packet.result.borrow_mut().take() {
            return result;
        }
        with_current(|scheduler| {
            scheduler.wait("GreenHandle::join", |cx| {
                match self.packet.result.borrow_mut().take() {
                    Some(result) => Poll::Ready(result),
                    None => {
                        self.packet.joiner.set(Some(cx.waker().clone()));
                        Poll::Pending
                    }
                }
            })
        })
        .unwrap_or_else(|| {
            panic!("GreenHandle::join called outside green::run on a thread that has not finished")
        })
    }

    /// Whether the thread has finished (`join` would not wait).
    pub fn is_finished(&self) -> bool {
        self.packet.is_finished()
    }
}

impl<T> fmt::Debug for GreenHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GreenHandle")
            .field("finished", &self.is_finished())
            .finish()
    }
}
