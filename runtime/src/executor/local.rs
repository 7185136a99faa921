//! `block_on` and its single-threaded scheduler (`spawn_local`).
//!
//! The thread that calls `block_on` owns a driver and runs everything: the
//! main future, then a batch of spawned tasks, and when nothing is runnable
//! it blocks in the reactor with the next timer deadline as timeout (no
//! separate reactor thread: DESIGN §4.2). Wake-ups from this thread go
//! straight into its run queue; from other threads into a locked queue
//! followed by an `unpark` of the driver.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::{Acquire, Release, SeqCst};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use super::context::{self, Scheduler};
use super::task::{JoinHandle, Notified, OwnedTasks, Schedule, Task};
use crate::driver::{Driver, Handle};

/// Tasks polled between two looks at the main future and the reactor.
const BATCH: usize = 61;

/// The part other threads reach (through wakers): the remote queue.
pub(crate) struct LocalShared {
    owned: OwnedTasks<Arc<LocalShared>>,
    remote: Mutex<RemoteQueue>,
    /// Set with every remote push, so the owner can skip the lock.
    has_remote: AtomicBool,
    driver: Arc<Handle>,
}

struct RemoteQueue {
    tasks: VecDeque<Notified<Arc<LocalShared>>>,
    closed: bool,
}

/// The owner thread's part, reached through the thread-local context.
pub(crate) struct LocalCore {
    shared: Arc<LocalShared>,
    queue: RefCell<VecDeque<Notified<Arc<LocalShared>>>>,
}

impl Schedule for Arc<LocalShared> {
    fn schedule(&self, task: Notified<Self>) {
        let task = context::with_scheduler(|scheduler| match scheduler {
            Some(Scheduler::Local(core)) if Arc::ptr_eq(&core.shared, self) => {
                core.queue.borrow_mut().push_back(task);
                None
            }
            _ => Some(task),
        });
        if let Some(task) = task {
            self.schedule_remote(task);
        }
    }

    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.owned.remove(task)
    }
}

impl LocalShared {
    fn schedule_remote(&self, task: Notified<Arc<LocalShared>>) {
        let mut remote = self.remote();
        if remote.closed {
            // `block_on` returned; the task was cancelled then.
            drop(remote);
            drop(task);
            return;
        }
        remote.tasks.push_back(task);
        self.has_remote.store(true, Release);
        drop(remote);
        self.driver.unpark();
    }

    fn remote(&self) -> MutexGuard<'_, RemoteQueue> {
        self.remote
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

impl LocalCore {
    pub(crate) fn spawn<F>(self: &Rc<Self>, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let (join, notified) = self.shared.owned.bind(future, self.shared.clone());
        if let Some(notified) = notified {
            self.queue.borrow_mut().push_back(notified);
        }
        join
    }

    fn next_task(&self) -> Option<Notified<Arc<LocalShared>>> {
        if let Some(task) = self.queue.borrow_mut().pop_front() {
            return Some(task);
        }
        if self.shared.has_remote.load(Acquire) {
            let mut remote = self.shared.remote();
            self.shared.has_remote.store(false, SeqCst);
            let mut queue = self.queue.borrow_mut();
            queue.extend(remote.tasks.drain(..));
            return queue.pop_front();
        }
        None
    }

    fn has_work(&self) -> bool {
        !self.queue.borrow().is_empty() || self.shared.has_remote.load(Acquire)
    }

    /// Cancels every task (dropping their futures on this thread) and
    /// refuses further wake-ups.
    fn shutdown(&self) {
        self.shared.owned.close_and_shutdown_all();
        let remote: Vec<_> = {
            let mut remote = self.shared.remote();
            remote.closed = true;
            remote.tasks.drain(..).collect()
        };
        drop(remote);
        let local: Vec<_> = self.queue.borrow_mut().drain(..).collect();
        drop(local);
    }
}

/// Wakes the main future of `block_on`.
struct MainWaker {
    woken: AtomicBool,
    driver: Arc<Handle>,
}

impl Wake for MainWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        if !self.woken.swap(true, SeqCst) {
            self.driver.unpark();
        }
    }
}

thread_local! {
    /// The driver of the last `block_on` on this thread, reused so sockets
    /// and timers may outlive one `block_on` and be used in the next.
    static CACHED_DRIVER: Cell<Option<Driver>> = const { Cell::new(None) };
}

/// Runs `future` to completion on this thread and returns its output.
///
/// This thread also drives the reactor and the timers, and runs the tasks
/// started with [`spawn_local`] (or [`spawn`](super::spawn)) inside it;
/// when nothing is runnable it blocks in `epoll_wait` until an event, a
/// timer or a wake-up. Tasks still running when `future` completes are
/// cancelled (their futures dropped) before `block_on` returns.
///
/// # Panics
/// If the reactor cannot be created (for example no file descriptors
/// are left), or if `future` panics.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let driver = match CACHED_DRIVER.try_with(Cell::take).ok().flatten() {
        Some(driver) => driver,
        None => Driver::new()
            .unwrap_or_else(|error| panic!("explicit-async: cannot create the reactor: {error}")),
    };
    let mut run = BlockOn::new(driver);
    run.block_on(future)
}

struct BlockOn {
    driver: Option<Driver>,
    core: Rc<LocalCore>,
}

impl BlockOn {
    fn new(driver: Driver) -> BlockOn {
        let shared = Arc::new(LocalShared {
            owned: OwnedTasks::new(),
            remote: Mutex::new(RemoteQueue {
                tasks: VecDeque::new(),
                closed: false,
            }),
            has_remote: AtomicBool::new(false),
            driver: driver.handle().clone(),
        });
        let core = Rc::new(LocalCore {
            shared,
            queue: RefCell::new(VecDeque::new()),
        });
        BlockOn {
            driver: Some(driver),
            core,
        }
    }

    fn block_on<F: Future>(&mut self, future: F) -> F::Output {
        let driver = self.driver.as_mut().expect("driver present until drop");
        let handle = driver.handle().clone();
        let _context = context::enter(handle.clone(), Scheduler::Local(self.core.clone()));
        let main_waker = Arc::new(MainWaker {
            woken: AtomicBool::new(true),
            driver: handle,
        });
        let waker = Waker::from(main_waker.clone());
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(future);
        // Polls since the driver last ran: tasks that keep waking each
        // other (or a main future that keeps yielding) must not starve I/O
        // and timers.
        let mut since_driver = 0;
        loop {
            if main_waker.woken.swap(false, SeqCst) {
                if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                    return output;
                }
                since_driver += 1;
            }
            let mut ran = 0;
            while ran < BATCH {
                let Some(task) = self.core.next_task() else {
                    break;
                };
                task.run();
                ran += 1;
            }
            since_driver += ran;
            if main_waker.woken.load(SeqCst) || self.core.has_work() {
                if since_driver >= BATCH {
                    driver.poll_nonblocking();
                    since_driver = 0;
                }
            } else {
                driver.park(None);
                since_driver = 0;
            }
        }
    }
}

impl Drop for BlockOn {
    fn drop(&mut self) {
        let _context = self.driver.as_ref().map(|driver| {
            context::enter(driver.handle().clone(), Scheduler::Local(self.core.clone()))
        });
        self.core.shutdown();
        drop(_context);
        if let Some(driver) = self.driver.take() {
            // Keep the first driver; a nested `block_on` made its own.
            let _ = CACHED_DRIVER.try_with(|cached| {
                if let Some(existing) = cached.take() {
                    cached.set(Some(existing));
                } else {
                    cached.set(Some(driver));
                }
            });
        }
    }
}

/// Spawns a `!Send` future on the current `block_on` thread.
///
/// It runs interleaved with the main future whenever that is waiting, and
/// is cancelled if still running when `block_on` returns.
///
/// # Panics
/// Outside `block_on` (there is no thread to run the task).
pub fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    match context::scheduler() {
        Some(Scheduler::Local(core)) => core.spawn(future),
        _ => panic!(
            "`spawn_local` called outside `block_on`: only a `block_on` thread can run `!Send` tasks"
        ),
    }
}
