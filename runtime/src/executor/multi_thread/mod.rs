//! The multi-threaded, work-stealing [`Runtime`].
//!
//! Each worker thread has a bounded run queue ([`LOCAL_QUEUE_CAPACITY`]
//! tasks; half of it moves to the shared injector when full), and a LIFO
//! slot for the task the running task last woke, which it runs next (at
//! most three in a row), as tokio does. A worker runs its own tasks first, looks at the injector every
//! [`INJECTOR_INTERVAL`] tasks (so remote tasks are not starved), and when
//! out of work steals half the queue of a randomly chosen worker. Idle
//! workers park without spinning: one of them blocks in the reactor (and
//! so serves I/O and timers), the others on a condvar (`park.rs`); new work
//! wakes one sleeper at most (`idle.rs`).

mod idle;
mod park;
mod queue;
mod worker;

use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

use super::context::{self, Scheduler};
use super::task::{JoinHandle, Notified, OwnedTasks, Schedule, Task};
use crate::driver::{Driver, Handle};
use idle::Idle;
use park::Parker;
use queue::RunQueue;

/// Tasks a worker's own queue holds before half spill to the injector.
pub(crate) const LOCAL_QUEUE_CAPACITY: usize = 256;
/// A worker checks the injector first once per this many tasks.
pub(crate) const INJECTOR_INTERVAL: u32 = 61;

type Queue = VecDeque<Notified<Arc<Shared>>>;

/// What the runtime's threads (and its `block_on` callers) share.
pub(crate) struct Shared {
    driver: Mutex<Driver>,
    driver_handle: Arc<Handle>,
    injector: Mutex<Queue>,
    /// Length of `injector`, readable without its lock.
    injected: AtomicUsize,
    workers: Box<[WorkerShared]>,
    owned: OwnedTasks<Arc<Shared>>,
    idle: Idle,
    shutdown: AtomicBool,
}

struct WorkerShared {
    /// Pushed to and popped by its worker only; stolen from by the others.
    queue: RunQueue<Notified<Arc<Shared>>>,
    /// The task the running task last woke, run next (see `Schedule::schedule`).
    lifo: LifoSlot,
    /// The address of the task the worker is polling, 0 between tasks.
    running: AtomicUsize,
    parker: Parker,
}

/// A one-task slot that only its worker's thread touches (it is not
/// stealable), so it needs no synchronization.
struct LifoSlot(std::cell::UnsafeCell<Option<Notified<Arc<Shared>>>>);

// SAFETY: only worker `i`'s own thread reads or writes `workers[i].lifo`
// (the callers check that the calling thread is that worker, as for
// `push_local`), until `Runtime::drop` empties it after joining the workers;
// `Notified` is `Send`.
unsafe impl Sync for LifoSlot {}

impl LifoSlot {
    /// # Safety
    /// Only the slot's worker thread may call this.
    unsafe fn replace(&self, task: Option<Notified<Arc<Shared>>>) -> Option<Notified<Arc<Shared>>> {
        // SAFETY: the caller is the only thread that touches the slot, and
        // no reference into it outlives this call.
        unsafe { std::mem::replace(&mut *self.0.get(), task) }
    }
}

/// The scheduler of the thread that is running: a worker of a runtime
/// (`index: Some`) or a thread inside its `block_on` (`None`).
#[derive(Clone)]
pub(crate) struct WorkerRef {
    pub(crate) shared: Arc<Shared>,
    pub(crate) index: Option<usize>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Queues stay consistent across a panic: no user code runs under them.
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

impl Schedule for Arc<Shared> {
    fn schedule(&self, task: Notified<Self>) {
        let task = context::with_scheduler(|scheduler| match scheduler {
            Some(Scheduler::MultiThread(worker)) if Arc::ptr_eq(&worker.shared, self) => {
                match worker.index {
                    Some(index) => {
                        // A task woken (or spawned) by the running task runs
                        // next on this worker, as in tokio: a message and
                        // its reply stay on one core. A task waking itself
                        // (`yield_now`) goes to the back of the queue.
                        let running = self.workers[index].running.load(Relaxed);
                        let task = if running != 0 && running != task.addr() {
                            // SAFETY: this is worker `index`'s thread (its
                            // context says so), the slot's only user.
                            unsafe { self.workers[index].lifo.replace(Some(task)) }
                        } else {
                            Some(task)
                        };
                        // The worker runs its one queued task itself; wake a
                        // sleeper only when there is work to share.
                        if let Some(task) = task
                            && self.push_local(index, task) > 1
                        {
                            self.notify_parked();
                        }
                        None
                    }
                    None => Some(task),
                }
            }
            _ => Some(task),
        });
        if let Some(task) = task {
            self.push_injector(std::iter::once(task));
            self.notify_parked();
        }
    }

    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.owned.remove(task)
    }
}

impl Shared {
    pub(crate) fn spawn<F>(self: &Arc<Self>, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (join, notified) = self.owned.bind(future, self.clone());
        if let Some(notified) = notified {
            self.schedule(notified);
        }
        join
    }

    /// Queues on worker `index` (the calling thread); returns how many
    /// tasks wait there now.
    fn push_local(&self, index: usize, task: Notified<Arc<Shared>>) -> usize {
        // SAFETY: only worker `index`'s own thread has `index` in its
        // context, so this thread owns the queue.
        unsafe {
            self.workers[index]
                .queue
                .push_back(task, |spilled| self.push_injector(spilled.into_iter()))
        }
    }

    fn push_injector(&self, tasks: impl Iterator<Item = Notified<Arc<Shared>>>) {
        let mut injector = lock(&self.injector);
        injector.extend(tasks);
        self.injected.store(injector.len(), SeqCst);
    }

    fn pop_injector(&self) -> Option<Notified<Arc<Shared>>> {
        if self.injected.load(SeqCst) == 0 {
            return None;
        }
        let mut injector = lock(&self.injector);
        let task = injector.pop_front();
        self.injected.store(injector.len(), SeqCst);
        task
    }

    /// An even share of the injector for one worker (at most half a queue).
    fn pop_injector_batch(&self) -> Option<std::vec::IntoIter<Notified<Arc<Shared>>>> {
        let injected = self.injected.load(SeqCst);
        if injected == 0 {
            return None;
        }
        let mut injector = lock(&self.injector);
        let share = (injector.len() / self.workers.len()).clamp(1, LOCAL_QUEUE_CAPACITY / 2);
        let share = share.min(injector.len());
        if share == 0 {
            return None;
        }
        let batch: Vec<_> = injector.drain(..share).collect();
        self.injected.store(injector.len(), SeqCst);
        Some(batch.into_iter())
    }

    /// Wakes a sleeping worker if the new work would otherwise wait.
    fn notify_parked(&self) {
        if let Some(worker) = self.idle.worker_to_notify() {
            self.workers[worker].parker.unpark(&self.driver_handle);
        }
    }

    /// True if any queue holds a task (for the last searcher going to sleep).
    fn has_pending_work(&self) -> bool {
        self.injected.load(SeqCst) != 0
            || self.workers.iter().any(|worker| !worker.queue.is_empty())
    }
}

/// A multi-threaded runtime: worker threads that run [`spawn`](Runtime::spawn)ed
/// tasks, stealing work from each other, with one reactor and timer queue.
///
/// Dropping it stops the workers and cancels the tasks still running
/// (from inside one of its own tasks too: see [`Drop`](#impl-Drop-for-Runtime)).
pub struct Runtime {
    shared: Arc<Shared>,
    threads: Vec<thread::JoinHandle<()>>,
    thread_name: String,
}

/// Configures a [`Runtime`].
#[derive(Debug, Clone)]
pub struct Builder {
    workers: usize,
    thread_name: String,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// One worker per CPU, threads named `explicit-async-worker-N`.
    pub fn new() -> Builder {
        let workers = thread::available_parallelism().map_or(1, usize::from);
        Builder {
            workers,
            thread_name: "explicit-async-worker".to_owned(),
        }
    }

    /// Number of worker threads (at least 1).
    pub fn worker_threads(&mut self, workers: usize) -> &mut Builder {
        self.workers = workers.max(1);
        self
    }

    /// Prefix of the worker threads' names.
    pub fn thread_name(&mut self, name: impl Into<String>) -> &mut Builder {
        self.thread_name = name.into();
        self
    }

    /// Starts the workers.
    pub fn build(&self) -> io::Result<Runtime> {
        let driver = Driver::new()?;
        let driver_handle = driver.handle().clone();
        let shared = Arc::new(Shared {
            driver: Mutex::new(driver),
            driver_handle,
            injector: Mutex::new(VecDeque::new()),
            injected: AtomicUsize::new(0),
            workers: (0..self.workers)
                .map(|_| WorkerShared {
                    queue: RunQueue::new(),
                    lifo: LifoSlot(std::cell::UnsafeCell::new(None)),
                    running: AtomicUsize::new(0),
                    parker: Parker::new(),
                })
                .collect(),
            owned: OwnedTasks::new(),
            idle: Idle::new(self.workers),
            shutdown: AtomicBool::new(false),
        });
        let mut runtime = Runtime {
            shared: shared.clone(),
            threads: Vec::with_capacity(self.workers),
            thread_name: self.thread_name.clone(),
        };
        for index in 0..self.workers {
            let shared = shared.clone();
            let thread = thread::Builder::new()
                .name(format!("{}-{index}", self.thread_name))
                .spawn(move || worker::run(shared, index))?;
            runtime.threads.push(thread);
        }
        Ok(runtime)
    }
}

impl Runtime {
    /// A runtime with one worker per CPU.
    pub fn new() -> io::Result<Runtime> {
        Builder::new().build()
    }

    /// A runtime with `workers` worker threads (at least 1).
    pub fn with_workers(workers: usize) -> io::Result<Runtime> {
        Builder::new().worker_threads(workers).build()
    }

    /// Spawns a task onto the workers.
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.shared.spawn(future)
    }

    /// Runs `future` on the current thread until it completes, while the
    /// workers run spawned tasks; inside it, [`spawn`](crate::spawn) and
    /// sockets and timers use this runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let handle = self.shared.driver_handle.clone();
        let _context = context::enter(
            handle,
            Scheduler::MultiThread(WorkerRef {
                shared: self.shared.clone(),
                index: None,
            }),
        );
        let thread_waker = Arc::new(ThreadWaker {
            thread: thread::current(),
            woken: AtomicBool::new(true),
        });
        let waker = Waker::from(thread_waker.clone());
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(future);
        loop {
            if thread_waker.woken.swap(false, SeqCst) {
                if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                    return output;
                }
            } else {
                thread::park();
            }
        }
    }

    /// Number of worker threads.
    pub fn workers(&self) -> usize {
        self.shared.workers.len()
    }
}

impl Drop for Runtime {
    /// Stops the workers and cancels the tasks still running.
    ///
    /// Dropped inside one of its own tasks (the task held the last
    /// `Arc<Runtime>`), the worker running that task cannot join itself:
    /// the shutdown then finishes on a thread of its own, once the task
    /// has returned.
    fn drop(&mut self) {
        let threads = std::mem::take(&mut self.threads);
        let shared = self.shared.clone();
        let current = thread::current().id();
        if !threads.iter().any(|worker| worker.thread().id() == current) {
            shut_down(shared, threads);
            return;
        }
        if let Err(error) = thread::Builder::new()
            .name(format!("{}-shutdown", self.thread_name))
            .spawn(move || shut_down(shared, threads))
        {
            // Nothing is torn down yet: the workers keep running.
            panic!(
                "explicit-async: a `Runtime` dropped inside one of its own tasks shuts down on a new thread, which could not start: {error}"
            );
        }
    }
}

/// Stops the workers, waits for them, then cancels what is left.
fn shut_down(shared: Arc<Shared>, threads: Vec<thread::JoinHandle<()>>) {
    shared.shutdown.store(true, SeqCst);
    for worker in shared.workers.iter() {
        worker.parker.unpark(&shared.driver_handle);
    }
    for thread in threads {
        // A worker only panics on a runtime bug; shutting down anyway.
        let _ = thread.join();
    }
    // Cancel what is left, with this runtime as the current context so
    // dropped futures can still deregister sockets and timers.
    let _context = context::enter(
        shared.driver_handle.clone(),
        Scheduler::MultiThread(WorkerRef {
            shared: shared.clone(),
            index: None,
        }),
    );
    shared.owned.close_and_shutdown_all();
    let injected: Vec<_> = lock(&shared.injector).drain(..).collect();
    drop(injected);
    for worker in shared.workers.iter() {
        // SAFETY: the workers have exited, so this thread is the only
        // user of their queues.
        while let Some(task) = unsafe { worker.queue.pop() } {
            drop(task);
        }
        // SAFETY: as above, for the LIFO slot (a task left there would
        // keep `Shared` alive through its scheduler).
        drop(unsafe { worker.lifo.replace(None) });
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("workers", &self.workers())
            .finish()
    }
}

/// Wakes a thread blocked in `Runtime::block_on`.
struct ThreadWaker {
    thread: Thread,
    woken: AtomicBool,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        if !self.woken.swap(true, SeqCst) {
            self.thread.unpark();
        }
    }
}
