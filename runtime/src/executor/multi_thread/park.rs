//! Parking an idle worker without spinning: on the reactor if nobody else
//! is blocked in it (so I/O and timers are served), else on a condvar.

use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::{Condvar, Mutex, TryLockError};

use crate::driver::{Driver, Handle};

const EMPTY: usize = 0;
const PARKED_CONDVAR: usize = 1;
const PARKED_DRIVER: usize = 2;
const NOTIFIED: usize = 3;

pub(super) struct Parker {
    state: AtomicUsize,
    mutex: Mutex<()>,
    condvar: Condvar,
}

impl Parker {
    pub(super) fn new() -> Parker {
        Parker {
            state: AtomicUsize::new(EMPTY),
            mutex: Mutex::new(()),
            condvar: Condvar::new(),
        }
    }

    /// Blocks until `unpark` (returns at once if one came since the last
    /// park). A worker parked on the driver also returns after it
    /// delivered I/O or timer events.
    pub(super) fn park(&self, driver: &Mutex<Driver>) {
        if self
            .state
            .compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst)
            .is_ok()
        {
            return;
        }
        // A poisoned driver lock (a waker panicked while the driver ran
        // it) still guards a consistent driver: keep serving I/O.
        let driver = match driver.try_lock() {
            Ok(driver) => Some(driver),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        };
        if let Some(mut driver) = driver {
            if self
                .state
                .compare_exchange(EMPTY, PARKED_DRIVER, SeqCst, SeqCst)
                .is_err()
            {
                self.state.store(EMPTY, SeqCst);
                return;
            }
            driver.park(None);
            self.state.store(EMPTY, SeqCst);
            return;
        }
        let mut guard = self
            .mutex
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if self
            .state
            .compare_exchange(EMPTY, PARKED_CONDVAR, SeqCst, SeqCst)
            .is_err()
        {
            self.state.store(EMPTY, SeqCst);
            return;
        }
        loop {
            guard = self
                .condvar
                .wait(guard)
                .unwrap_or_else(|poison| poison.into_inner());
            if self
                .state
                .compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst)
                .is_ok()
            {
                return;
            }
        }
    }

    pub(super) fn unpark(&self, driver: &Handle) {
        match self.state.swap(NOTIFIED, SeqCst) {
            PARKED_CONDVAR => {
                // Taking the lock orders us after the parker's state check,
                // so the notification cannot fall between check and wait.
                drop(
                    self.mutex
                        .lock()
                        .unwrap_or_else(|poison| poison.into_inner()),
                );
                self.condvar.notify_one();
            }
            PARKED_DRIVER => driver.unpark(),
            _ => {}
        }
    }
}
