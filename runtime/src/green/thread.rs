//! One green thread: its stack, its saved stack pointer, what it runs, and
//! the waker that puts it back in the run queue.

use std::cell::Cell;
use std::ptr::NonNull;
use std::sync::atomic::AtomicU8;
use std::sync::atomic::Ordering::{AcqRel, Acquire, Release};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::task::{Wake, Waker};

use super::scheduler::with_current;
use super::stack::Stack;
use super::switch::StackPointer;
use crate::driver::Handle;

/// Running, or in the run queue.
const RUNNABLE: u8 = 0;
/// Suspended until its waker is woken.
const PARKED: u8 = 1;
/// Woken while runnable: its next park returns at once (a wake-up is
/// never lost, as with `std::thread::park`).
const NOTIFIED: u8 = 2;
/// Finished: its waker does nothing any more.
const DONE: u8 = 3;

pub(crate) struct GreenThread {
    /// Where `switch` saved its registers while it is not running.
    pub(super) saved: Cell<StackPointer>,
    pub(super) stack: Stack,
    /// What it runs, taken on first entry. It stores its own result (or
    /// panic) in the handle's packet.
    pub(super) body: Cell<Option<Box<dyn FnOnce()>>>,
    pub(super) wakeup: Arc<Wakeup>,
    /// `wakeup` as a `Waker`, made once.
    pub(super) waker: Waker,
}

/// The `Send + Sync` part of a green thread that wakers hold: its park
/// state and where to queue it.
pub(crate) struct Wakeup {
    /// Set once, when the thread moves to its final place (`leak`).
    thread: OnceLock<ThreadRef>,
    state: AtomicU8,
    woken: Arc<Woken>,
}

/// A green thread's address, sent between OS threads only inside `Woken`
/// and dereferenced only on the scheduler's thread.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct ThreadRef(pub(super) NonNull<GreenThread>);

// SAFETY: a `ThreadRef` is only an address while it travels (wakers on
// other OS threads copy it into `Woken`, nothing more); the one place that
// dereferences it is the scheduler, on its own thread, while the thread is
// alive (a DONE thread is never queued).
unsafe impl Send for ThreadRef {}
// SAFETY: as for `Send`: shared, it can only be copied.
unsafe impl Sync for ThreadRef {}

impl ThreadRef {
    /// # Safety
    /// The thread must not have been freed (`Scheduler::resume` frees it
    /// right after its last switch).
    pub(super) unsafe fn get<'a>(self) -> &'a GreenThread {
        // SAFETY: the address comes from `leak` and is still allocated (the
        // caller's promise); every field that changes is a `Cell` or atomic.
        unsafe { self.0.as_ref() }
    }
}

impl GreenThread {
    pub(super) fn new(stack: Stack, body: Box<dyn FnOnce()>, woken: Arc<Woken>) -> GreenThread {
        let wakeup = Arc::new(Wakeup {
            thread: OnceLock::new(),
            state: AtomicU8::new(RUNNABLE),
            woken,
        });
        GreenThread {
            saved: Cell::new(StackPointer::unset()),
            stack,
            body: Cell::new(Some(body)),
            waker: Waker::from(wakeup.clone()),
            wakeup,
        }
    }

    /// Moves the thread to the heap for good and returns its address; from
    /// here it owns itself, until the scheduler frees it once finished.
    pub(super) fn leak(self) -> ThreadRef {
        let address = ThreadRef(NonNull::from(Box::leak(Box::new(self))));
        // SAFETY: just leaked, so allocated; nothing else refers to it yet.
        let thread = unsafe { address.get() };
        // Its waker may queue it from now on (nobody can wake it yet).
        let _ = thread.wakeup.thread.set(address);
        address
    }

    /// Before suspending to wait: true if it should suspend now, false if
    /// a wake-up already arrived (consumed here). A wake-up from another OS
    /// thread between this and the switch queues it at once; the loop,
    /// which runs only after the switch, resumes it then.
    pub(super) fn prepare_park(&self) -> bool {
        match self
            .wakeup
            .state
            .compare_exchange(RUNNABLE, PARKED, AcqRel, Acquire)
        {
            Ok(_) => true,
            Err(_notified) => {
                self.wakeup.state.store(RUNNABLE, Release);
                false
            }
        }
    }

    pub(super) fn finish(&self) {
        self.wakeup.state.store(DONE, Release);
    }

    pub(super) fn is_finished(&self) -> bool {
        self.wakeup.state.load(Acquire) == DONE
    }
}

impl Wake for Wakeup {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let mut state = self.state.load(Acquire);
        loop {
            let next = match state {
                RUNNABLE => NOTIFIED,
                PARKED => RUNNABLE,
                _ => return,
            };
            match self
                .state
                .compare_exchange_weak(state, next, AcqRel, Acquire)
            {
                Ok(_) => break,
                Err(actual) => state = actual,
            }
        }
        if state == PARKED {
            let thread = *self.thread.get().expect("set before the thread first runs");
            self.woken.push(thread);
        }
    }
}

/// Threads woken through their wakers (by the driver, or by another green
/// thread finishing), waiting to join the run queue.
pub(crate) struct Woken {
    threads: Mutex<Vec<ThreadRef>>,
    driver: Arc<Handle>,
}

impl Woken {
    pub(super) fn new(driver: Arc<Handle>) -> Woken {
        Woken {
            threads: Mutex::new(Vec::new()),
            driver,
        }
    }

    fn push(self: &Arc<Self>, thread: ThreadRef) {
        self.lock().push(thread);
        let on_scheduler_thread =
            with_current(|scheduler| Arc::ptr_eq(scheduler.woken(), self)).unwrap_or(false);
        if !on_scheduler_thread {
            // The scheduler may be blocked in the reactor: interrupt it.
            self.driver.unpark();
        }
    }

    /// Moves every woken thread into `run_queue`.
    pub(super) fn drain_into(&self, run_queue: &mut std::collections::VecDeque<ThreadRef>) {
        run_queue.extend(self.lock().drain(..));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<ThreadRef>> {
        // Only pushes and drains run under the lock: never poisoned mid-update.
        self.threads
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}
