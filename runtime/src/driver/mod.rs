//! The driver: the reactor plus the timer queue, turned by whichever thread
//! runs out of tasks. It blocks in `Poll::poll` with the next timer deadline
//! as timeout, dispatches I/O events to socket wakers and fires due timers.
//!
//! It sits between the reactor and everything that waits: the executors
//! turn it, `net` registers sockets with it (`registration.rs`), `time`
//! sets timers on it (`timers.rs`). It imports none of them.
//!
//! [`Handle`] is the shared side: registering sockets and timers from any
//! thread, and `unpark` to interrupt a blocked `poll` (through the
//! reactor's `Waker`, written only when someone is actually blocked).
//! [`enter`] makes a handle the current thread's, which is where
//! [`Registration::new`] and the timers find it.

mod current;
pub(crate) mod io;
mod registration;
pub(crate) mod timers;

pub(crate) use current::{EnterGuard, enter};
pub(crate) use registration::{Registration, Waiter};

use std::io as std_io;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;
use std::time::{Duration, Instant};

use self::io::IoSlab;
use self::timers::TimerQueue;
use crate::reactor::{Events, Poll, Registry, Token};

/// The reactor `Waker`'s token; never produced by `IoSlab` (its indexes are
/// below `u32::MAX`).
const WAKE_TOKEN: Token = Token(usize::MAX);
const EVENTS_CAPACITY: usize = 1024;

/// Park states of the driver thread.
const EMPTY: usize = 0;
const PARKED: usize = 1;
const NOTIFIED: usize = 2;

pub(crate) struct Handle {
    registry: Registry,
    io: Mutex<IoSlab>,
    timers: Mutex<TimerQueue>,
    park_state: AtomicUsize,
    waker: crate::reactor::Waker,
}

pub(crate) struct Driver {
    poll: Poll,
    events: Events,
    handle: Arc<Handle>,
    /// Wakers collected under the locks, called after releasing them.
    wakers: Vec<Waker>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // No user code runs under these locks, so a poisoned one is consistent.
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

impl Driver {
    pub(crate) fn new() -> std_io::Result<Driver> {
        let poll = Poll::new()?;
        let registry = poll.registry().try_clone()?;
        let waker = crate::reactor::Waker::new(poll.registry(), WAKE_TOKEN)?;
        let handle = Arc::new(Handle {
            registry,
            io: Mutex::new(IoSlab::default()),
            timers: Mutex::new(TimerQueue::new()),
            park_state: AtomicUsize::new(EMPTY),
            waker,
        });
        Ok(Driver {
            poll,
            events: Events::with_capacity(EVENTS_CAPACITY),
            handle,
            wakers: Vec::new(),
        })
    }

    pub(crate) fn handle(&self) -> &Arc<Handle> {
        &self.handle
    }

    /// Blocks until an I/O event, a due timer or an `unpark` (at most
    /// `limit`), then wakes whatever became ready.
    pub(crate) fn park(&mut self, limit: Option<Duration>) {
        let timeout = if self
            .handle
            .park_state
            .compare_exchange(EMPTY, PARKED, SeqCst, SeqCst)
            .is_ok()
        {
            self.timeout(limit)
        } else {
            // Unparked before we got here: just collect what is ready.
            Some(Duration::ZERO)
        };
        self.turn(timeout);
        self.handle.park_state.store(EMPTY, SeqCst);
    }

    /// Collects ready I/O and due timers without blocking (so a busy
    /// scheduler still serves sockets and timers).
    pub(crate) fn poll_nonblocking(&mut self) {
        self.turn(Some(Duration::ZERO));
    }

    fn timeout(&self, limit: Option<Duration>) -> Option<Duration> {
        let until_timer = lock(&self.handle.timers)
            .next_deadline()
            .map(|deadline| deadline.saturating_duration_since(Instant::now()));
        match (until_timer, limit) {
            (Some(timer), Some(limit)) => Some(timer.min(limit)),
            (timer, None) => timer,
            (None, limit) => limit,
        }
    }

    fn turn(&mut self, timeout: Option<Duration>) {
        match self.poll.poll(&mut self.events, timeout) {
            Ok(()) => {}
            Err(error) if error.kind() == std_io::ErrorKind::Interrupted => self.events.clear(),
            // Only a broken epoll descriptor gets here: nothing can run.
            Err(error) => panic!("explicit-async: polling the reactor failed: {error}"),
        }
        if !self.events.is_empty() {
            let io = lock(&self.handle.io);
            for event in self
                .events
                .iter()
                .filter(|event| event.token() != WAKE_TOKEN)
            {
                io.dispatch(event, &mut self.wakers);
            }
        }
        {
            let mut timers = lock(&self.handle.timers);
            if timers.len() > 0 {
                timers.fire_expired(Instant::now(), &mut self.wakers);
            }
        }
        for waker in self.wakers.drain(..) {
            waker.wake();
        }
    }
}

impl Drop for Driver {
    /// Sockets still registered fail their waits from now on.
    fn drop(&mut self) {
        lock(&self.handle.io).shutdown(&mut self.wakers);
        for waker in self.wakers.drain(..) {
            waker.wake();
        }
    }
}

impl Handle {
    /// Interrupts the driver's `poll` if a thread is blocked in it; else
    /// makes its next park return at once.
    pub(crate) fn unpark(&self) {
        if self.park_state.swap(NOTIFIED, SeqCst) == PARKED {
            // A failed write (the eventfd counter saturated) still leaves it readable.
            let _ = self.waker.wake();
        }
    }

    pub(crate) fn timers(&self) -> MutexGuard<'_, TimerQueue> {
        lock(&self.timers)
    }

    /// The handle [`enter`]ed on this thread, if any.
    pub(crate) fn current() -> Option<Arc<Handle>> {
        current::handle()
    }
}

pub(crate) fn no_runtime() -> std_io::Error {
    std_io::Error::other(
        "no explicit-async runtime on this thread: use sockets and timers inside `block_on` or `Runtime::block_on`",
    )
}
