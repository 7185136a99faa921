//! What the current thread is running inside: the scheduler `spawn` and
//! `spawn_local` hand tasks to, and (entered together with it, through
//! `driver::enter`) the driver that sockets and timers register with.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::local::LocalCore;
use super::multi_thread::WorkerRef;
use crate::driver::{self, Handle};

#[derive(Clone)]
pub(crate) enum Scheduler {
    /// Inside `block_on`: its thread runs the tasks.
    Local(Rc<LocalCore>),
    /// On a worker of a `Runtime`, or inside its `block_on`.
    MultiThread(WorkerRef),
}

#[derive(Default)]
struct Current {
    scheduler: Option<Scheduler>,
}

thread_local! {
    static CURRENT: RefCell<Current> = RefCell::new(Current::default());
}

/// Restores the previous context when dropped (contexts nest).
pub(crate) struct EnterGuard {
    previous: Option<Current>,
    _driver: driver::EnterGuard,
}

pub(crate) fn enter(handle: Arc<Handle>, scheduler: Scheduler) -> EnterGuard {
    let next = Current {
        scheduler: Some(scheduler),
    };
    let previous = CURRENT.with(|current| std::mem::replace(&mut *current.borrow_mut(), next));
    EnterGuard {
        previous: Some(previous),
        _driver: driver::enter(handle),
    }
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            // Dropped during thread exit, the slot may be gone already.
            let _ = CURRENT.try_with(|current| *current.borrow_mut() = previous);
        }
    }
}

pub(crate) fn scheduler() -> Option<Scheduler> {
    CURRENT
        .try_with(|current| current.borrow().scheduler.clone())
        .ok()
        .flatten()
}

/// Runs `f` on the current scheduler without cloning it.
pub(crate) fn with_scheduler<R>(f: impl FnOnce(Option<&Scheduler>) -> R) -> R {
    let mut f = Some(f);
    let result = CURRENT.try_with(|current| {
        let f = f.take().expect("called once");
        f(current.borrow().scheduler.as_ref())
    });
    match result {
        Ok(result) => result,
        Err(_) => (f.take().expect("not called when the slot is gone"))(None),
    }
}
