//! Which workers sleep and how many search for work, so a new task wakes
//! at most one sleeper, and only when no searcher will find it anyway.
//!
//! The protocol (tokio's, in our words): a woken worker is "searching"
//! until it finds work; the last searcher to stop wakes the next sleeper
//! if work remains; a worker going to sleep as the last searcher looks at
//! every queue once more, since producers skipped waking anyone while it
//! searched.

use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::{Mutex, MutexGuard};

pub(super) struct Idle {
    searching: AtomicUsize,
    sleeping: AtomicUsize,
    sleepers: Mutex<Vec<usize>>,
    workers: usize,
}

impl Idle {
    pub(super) fn new(workers: usize) -> Idle {
        Idle {
            searching: AtomicUsize::new(0),
            sleeping: AtomicUsize::new(0),
            sleepers: Mutex::new(Vec::with_capacity(workers)),
            workers,
        }
    }

    fn sleepers(&self) -> MutexGuard<'_, Vec<usize>> {
        self.sleepers
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// New work exists: picks a sleeper to wake (now counted as
    /// searching), unless a searcher will find the work or nobody sleeps.
    pub(super) fn worker_to_notify(&self) -> Option<usize> {
        if self.searching.load(SeqCst) != 0 || self.sleeping.load(SeqCst) == 0 {
            return None;
        }
        let mut sleepers = self.sleepers();
        if self.searching.load(SeqCst) != 0 {
            return None;
        }
        let worker = sleepers.pop()?;
        self.sleeping.fetch_sub(1, SeqCst);
        self.searching.fetch_add(1, SeqCst);
        Some(worker)
    }

    /// An awake worker starts stealing; false if half the workers already
    /// search (more would only contend).
    pub(super) fn try_start_searching(&self) -> bool {
        let searching = self.searching.load(SeqCst);
        if 2 * searching >= self.workers {
            return false;
        }
        self.searching.fetch_add(1, SeqCst);
        true
    }

    /// A searcher found work (or gave up); true if it was the last one.
    pub(super) fn stop_searching(&self) -> bool {
        self.searching.fetch_sub(1, SeqCst) == 1
    }

    /// The worker goes to sleep; true if it was the last searcher.
    pub(super) fn park(&self, worker: usize, searching: bool) -> bool {
        let mut sleepers = self.sleepers();
        sleepers.push(worker);
        self.sleeping.fetch_add(1, SeqCst);
        searching && self.stop_searching()
    }

    /// The worker woke: true if it was notified (and is now searching),
    /// false if it woke for another reason (it is then no longer a sleeper).
    pub(super) fn unpark(&self, worker: usize) -> bool {
        let mut sleepers = self.sleepers();
        match sleepers.iter().position(|&w| w == worker) {
            Some(position) => {
                sleepers.swap_remove(position);
                self.sleeping.fetch_sub(1, SeqCst);
                false
            }
            None => true,
        }
    }
}
