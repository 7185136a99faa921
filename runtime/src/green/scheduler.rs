//! The scheduler: a FIFO run queue of green threads on one OS thread, and
//! the driver (reactor and timers) it blocks in when none can run.
//!
//! The scheduler loop runs on the stack of the thread that called `run`.
//! It resumes the thread at the head of the queue by switching to its
//! stack; the thread runs until it yields, parks or finishes, each of which
//! is a switch back to the loop. Nothing preempts a thread: one that never
//! yields or blocks keeps the OS thread to itself.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::ptr::{self, NonNull};
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use super::handle::{GreenHandle, Packet};
use super::overflow;
use super::stack::Stack;
use super::switch::{self, StackPointer};
use super::thread::{GreenThread, ThreadRef, Woken};
use crate::driver::{Driver, Handle};

/// Threads resumed between two looks at the reactor, as in `block_on`.
const BATCH: usize = 61;

pub(crate) struct Scheduler {
    run_queue: RefCell<VecDeque<ThreadRef>>,
    woken: Arc<Woken>,
    /// The thread on the CPU; `None` while the loop itself runs.
    running: Cell<Option<ThreadRef>>,
    /// Where the loop is suspended while a thread runs.
    saved: Cell<StackPointer>,
    /// Threads spawned and not finished.
    live: Cell<usize>,
    default_stack_size: usize,
}

thread_local! {
    /// The scheduler of the `run` on this OS thread, if any.
    static CURRENT: Cell<*const Scheduler> = const { Cell::new(ptr::null()) };
}

/// Runs `f` with the current scheduler; `None` outside `run`.
pub(crate) fn with_current<R>(f: impl FnOnce(&Scheduler) -> R) -> Option<R> {
    let scheduler = CURRENT.try_with(Cell::get).unwrap_or(ptr::null());
    // SAFETY: CURRENT is non-null only between `Entered::new` and its drop,
    // both in `run`, whose frame owns the scheduler for that whole time.
    // Green threads, the only other code that runs meanwhile, run inside it.
    (!scheduler.is_null()).then(|| f(unsafe { &*scheduler }))
}

/// Makes a scheduler current on this OS thread until dropped.
pub(crate) struct Entered(());

impl Entered {
    pub(crate) fn new(scheduler: &Scheduler) -> Entered {
        CURRENT.set(scheduler);
        Entered(())
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        CURRENT.set(ptr::null());
    }
}

impl Scheduler {
    pub(crate) fn new(driver: Arc<Handle>, default_stack_size: usize) -> Scheduler {
        Scheduler {
            run_queue: RefCell::new(VecDeque::new()),
            woken: Arc::new(Woken::new(driver)),
            running: Cell::new(None),
            saved: Cell::new(StackPointer::unset()),
            live: Cell::new(0),
            default_stack_size,
        }
    }

    pub(crate) fn woken(&self) -> &Arc<Woken> {
        &self.woken
    }

    pub(crate) fn default_stack_size(&self) -> usize {
        self.default_stack_size
    }

    /// Starts `f` on a new stack of `stack_size` bytes: queued at the back
    /// of the run queue, it runs when the threads before it yield or block.
    pub(crate) fn spawn<T: 'static>(
        &self,
        stack_size: usize,
        f: impl FnOnce() -> T + 'static,
    ) -> io::Result<GreenHandle<T>> {
        let stack = Stack::new(stack_size)?;
        debug_assert!(stack.usable_size() >= switch::INITIAL_FRAME);
        let top = stack.top();
        let packet = Rc::new(Packet::new());
        let result = packet.clone();
        let body = Box::new(move || result.finish(panic::catch_unwind(AssertUnwindSafe(f))));
        let address = GreenThread::new(stack, body, self.woken.clone()).leak();
        // SAFETY: `top` is the 16-byte aligned top of the new stack, with a
        // page (more than INITIAL_FRAME bytes) below it; nothing uses it yet.
        let first = unsafe { switch::prepare(top, green_entry, address.0.as_ptr().cast()) };
        // SAFETY: leaked just above; freed only after it has run to the end.
        unsafe { address.get() }.saved.set(first);
        self.live.set(self.live.get() + 1);
        self.run_queue.borrow_mut().push_back(address);
        Ok(GreenHandle::new(packet))
    }

    /// Runs threads until every one has finished, blocking in the driver
    /// whenever none is runnable.
    pub(crate) fn run_until_all_finished(&self, driver: &mut Driver) {
        let mut since_driver = 0;
        while self.live.get() > 0 {
            self.woken.drain_into(&mut self.run_queue.borrow_mut());
            let mut ran = 0;
            while ran < BATCH {
                let Some(thread) = self.run_queue.borrow_mut().pop_front() else {
                    break;
                };
                self.resume(thread);
                ran += 1;
            }
            since_driver += ran;
            if self.live.get() == 0 {
                break;
            }
            if self.run_queue.borrow().is_empty() && self.woken.is_empty() {
                driver.park(None);
                since_driver = 0;
            } else if since_driver >= BATCH {
                // Threads that keep yielding must not starve sockets and timers.
                driver.poll_nonblocking();
                since_driver = 0;
            }
        }
    }

    /// Switches from the loop to `thread` until it yields, parks or ends.
    fn resume(&self, thread: ThreadRef) {
        // SAFETY: queued threads are alive: a thread is freed below, right
        // after its last switch, and a finished thread is never queued.
        let green = unsafe { thread.get() };
        self.running.set(Some(thread));
        let outer = overflow::enter(&green.stack);
        // SAFETY: `saved` is the loop's own slot; `green.saved` was stored
        // by the thread's last switch away (or by `prepare`), and its stack
        // is mapped until the thread is freed.
        unsafe { switch::switch(self.saved.as_ptr(), green.saved.get()) };
        overflow::leave(outer);
        self.running.set(None);
        if green.is_finished() {
            // SAFETY: the thread made its last switch: nothing runs on its
            // stack or refers to it any more (its waker only holds the
            // address, which DONE keeps from being queued). It was leaked
            // from a Box in `spawn`.
            drop(unsafe { Box::from_raw(thread.0.as_ptr()) });
            self.live.set(self.live.get() - 1);
        }
    }

    /// Switches from the running thread back to the loop. It takes the
    /// address, not a reference: after a thread's last switch the loop
    /// frees it, and no reference to it may be live then.
    fn suspend(&self, thread: ThreadRef) {
        // SAFETY: the running thread is alive while it runs.
        let slot = unsafe { thread.get() }.saved.as_ptr();
        // SAFETY: called on the running thread's own stack, so `slot` is the
        // place for this context; `self.saved` was stored by the loop when
        // it resumed this thread, and the loop's stack outlives it.
        unsafe { switch::switch(slot, self.saved.get()) };
    }

    fn running(&self, operation: &str) -> ThreadRef {
        self.running.get().unwrap_or_else(|| {
            panic!("green::{operation} called outside a green thread (from the scheduler itself)")
        })
    }

    /// Puts the running thread at the back of the run queue and runs the others.
    pub(crate) fn yield_now(&self) {
        let thread = self.running("yield_now");
        self.run_queue.borrow_mut().push_back(thread);
        self.suspend(thread);
    }

    /// Suspends the running thread until its waker is woken; returns at
    /// once if it was woken since it last parked.
    pub(crate) fn park(&self, operation: &str) {
        let thread = self.running(operation);
        // SAFETY: the running thread is alive while it runs.
        if unsafe { thread.get() }.prepare_park() {
            self.suspend(thread);
        }
    }

    /// The running thread's waker.
    pub(crate) fn waker(&self, operation: &str) -> &Waker {
        // SAFETY: the running thread is alive while it runs, and a waker is
        // only borrowed by the code running on it.
        &unsafe { self.running(operation).get() }.waker
    }

    /// Blocks the running thread until `poll` is ready. Each `Pending`
    /// parks it until the waker `poll` was given is woken (by the reactor,
    /// a timer or another thread), then `poll` runs again.
    pub(crate) fn wait<R>(
        &self,
        operation: &str,
        mut poll: impl FnMut(&mut Context<'_>) -> Poll<R>,
    ) -> R {
        let mut cx = Context::from_waker(self.waker(operation));
        loop {
            if let Poll::Ready(output) = poll(&mut cx) {
                return output;
            }
            self.park(operation);
        }
    }
}

/// The first Rust frame of every green thread, called by the trampoline
/// with the thread's own address.
extern "C" fn green_entry(thread: *mut u8) -> ! {
    let thread = ThreadRef(NonNull::new(thread.cast()).expect("spawn passes the thread"));
    // SAFETY: `spawn` passed the address of the thread, which stays alive
    // until `resume` sees it finished, after this function's last switch.
    let green = unsafe { thread.get() };
    if let Some(body) = green.body.take() {
        // It catches its own panics: nothing unwinds into the trampoline.
        body();
    }
    green.finish();
    with_current(|scheduler| scheduler.suspend(thread));
    // An `extern "C"` function aborts when it panics.
    unreachable!("a finished green thread was resumed");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::sync::atomic::Ordering::{Acquire, Release};
    use std::sync::mpsc;
    use std::time::Duration;

    /// A waker may be woken from any OS thread: the scheduler, blocked in
    /// the reactor with nothing else to wait for, must be interrupted.
    #[test]
    fn a_wake_from_another_os_thread_interrupts_the_reactor() {
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let polls = crate::green::run(|| {
                let ready = Arc::new(AtomicBool::new(false));
                let mut helper = None;
                let mut polls = 0;
                with_current(|scheduler| {
                    scheduler.wait("test", |cx| {
                        polls += 1;
                        if ready.load(Acquire) {
                            return Poll::Ready(());
                        }
                        if helper.is_none() {
                            let (ready, waker) = (ready.clone(), cx.waker().clone());
                            helper = Some(std::thread::spawn(move || {
                                std::thread::sleep(Duration::from_millis(20));
                                ready.store(true, Release);
                                waker.wake();
                            }));
                        }
                        Poll::Pending
                    })
                });
                helper.expect("spawned on the first poll").join().unwrap();
                polls
            });
            done.send(polls).unwrap();
        });
        let polls = finished
            .recv_timeout(Duration::from_secs(60))
            .expect("the wake-up from another thread never reached the scheduler");
        assert_eq!(polls, 2, "parked once, polled again once woken");
    }
}
