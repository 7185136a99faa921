//! A worker thread's loop: run local tasks, check the injector now and
//! then, steal when empty, park when there is nothing anywhere.

use std::sync::atomic::Ordering::{Relaxed, SeqCst};
use std::sync::{Arc, TryLockError};

use super::{INJECTOR_INTERVAL, Shared, WorkerRef};
use crate::executor::context::{self, Scheduler};
use crate::executor::task::Notified;

/// How many tasks in a row a worker takes from its LIFO slot.
const MAX_LIFO_STREAK: u32 = 3;

struct Worker {
    shared: Arc<Shared>,
    index: usize,
    searching: bool,
    tick: u32,
    /// Tasks run from the LIFO slot in a row (bounded, so that a pair of
    /// tasks waking each other cannot starve the queue).
    lifo_streak: u32,
    /// xorshift state for picking steal victims.
    rng: u32,
}

pub(super) fn run(shared: Arc<Shared>, index: usize) {
    let _context = context::enter(
        shared.driver_handle.clone(),
        Scheduler::MultiThread(WorkerRef {
            shared: shared.clone(),
            index: Some(index),
        }),
    );
    let mut worker = Worker {
        shared,
        index,
        searching: false,
        tick: 0,
        lifo_streak: 0,
        rng: (index as u32).wrapping_mul(0x9E37_79B9) | 1,
    };
    worker.run();
    // Tasks still queued here are cancelled by `Runtime::drop`, which owns them all.
}

impl Worker {
    fn run(&mut self) {
        while !self.shared.shutdown.load(SeqCst) {
            if let Some(task) = self.next_task().or_else(|| self.steal()) {
                if self.searching {
                    self.stop_searching();
                }
                let running = &self.shared.workers[self.index].running;
                running.store(task.addr(), Relaxed);
                task.run();
                running.store(0, Relaxed);
                self.tick = self.tick.wrapping_add(1);
                if self.tick.is_multiple_of(INJECTOR_INTERVAL) {
                    self.maintenance();
                }
                continue;
            }
            self.park();
        }
    }

    fn next_task(&mut self) -> Option<Notified<Arc<Shared>>> {
        if self.tick.is_multiple_of(INJECTOR_INTERVAL)
            && let Some(task) = self.shared.pop_injector()
        {
            return Some(task);
        }
        // SAFETY: this is worker `index`'s thread, the slot's only user.
        if let Some(task) = unsafe { self.shared.workers[self.index].lifo.replace(None) } {
            if self.lifo_streak < MAX_LIFO_STREAK {
                self.lifo_streak += 1;
                return Some(task);
            }
            // Run the queue first: the woken task goes to its back.
            // SAFETY: this thread owns its queue.
            unsafe {
                self.shared.workers[self.index]
                    .queue
                    .push_back(task, |spilled| {
                        self.shared.push_injector(spilled.into_iter())
                    })
            };
        }
        self.lifo_streak = 0;
        // SAFETY: this is worker `index`'s thread, the queue's owner.
        let local = unsafe { self.shared.workers[self.index].queue.pop() };
        local.or_else(|| self.take_injector_batch())
    }

    /// With an empty queue: takes this worker's share of the injector in
    /// one lock, runs the first and queues the rest.
    fn take_injector_batch(&mut self) -> Option<Notified<Arc<Shared>>> {
        let mut batch = self.shared.pop_injector_batch()?;
        let first = batch.next();
        let own = &self.shared.workers[self.index].queue;
        for task in batch {
            // SAFETY: this thread owns its queue; the batch is at most half
            // its capacity, so nothing spills back.
            unsafe {
                own.push_back(task, |spilled| {
                    self.shared.push_injector(spilled.into_iter())
                })
            };
        }
        first
    }

    /// Steals half of a random victim's queue, or takes from the injector.
    fn steal(&mut self) -> Option<Notified<Arc<Shared>>> {
        if !self.searching {
            if !self.shared.idle.try_start_searching() {
                return None;
            }
            self.searching = true;
        }
        let workers = self.shared.workers.len();
        let start = self.next_random() as usize % workers;
        for offset in 0..workers {
            let victim = (start + offset) % workers;
            if victim == self.index {
                continue;
            }
            let own = &self.shared.workers[self.index].queue;
            // SAFETY: this thread owns `own`, and `victim` is another queue.
            if let Some(task) = unsafe { self.shared.workers[victim].queue.steal_into(own) } {
                return Some(task);
            }
        }
        self.shared.pop_injector()
    }

    fn stop_searching(&mut self) {
        self.searching = false;
        if self.shared.idle.stop_searching() {
            // The last searcher found work: there may be more for others.
            self.shared.notify_parked();
        }
    }

    /// Every few tasks: serve I/O and timers if no other worker is doing so.
    fn maintenance(&mut self) {
        match self.shared.driver.try_lock() {
            Ok(mut driver) => driver.poll_nonblocking(),
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner().poll_nonblocking(),
            Err(TryLockError::WouldBlock) => {}
        }
    }

    fn park(&mut self) {
        let was_last_searcher = self.shared.idle.park(self.index, self.searching);
        self.searching = false;
        if was_last_searcher && self.shared.has_pending_work() {
            // Producers skipped waking anyone while we searched.
            self.searching = self.shared.idle.unpark(self.index);
            if !self.searching {
                self.searching = self.shared.idle.try_start_searching();
            }
            return;
        }
        if self.shared.shutdown.load(SeqCst) {
            return;
        }
        self.shared.workers[self.index]
            .parker
            .park(&self.shared.driver);
        self.searching = self.shared.idle.unpark(self.index);
    }

    fn next_random(&mut self) -> u32 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.rng = x;
        x
    }
}
