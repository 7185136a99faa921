//! The driver of the current thread: set by the executors while they run
//! (contexts nest), read by sockets and timers when they register.

use std::cell::RefCell;
use std::sync::Arc;

use super::Handle;

thread_local! {
    static CURRENT: RefCell<Option<Arc<Handle>>> = const { RefCell::new(None) };
}

/// Restores the previous current driver when dropped.
pub(crate) struct EnterGuard {
    previous: Option<Option<Arc<Handle>>>,
}

/// Makes `handle` the current thread's driver until the guard is dropped.
pub(crate) fn enter(handle: Arc<Handle>) -> EnterGuard {
    let previous = CURRENT.with(|current| current.replace(Some(handle)));
    EnterGuard {
        previous: Some(previous),
    }
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            // Dropped during thread exit, the slot may be gone already.
            let _ = CURRENT.try_with(|current| current.replace(previous));
        }
    }
}

pub(super) fn handle() -> Option<Arc<Handle>> {
    CURRENT
        .try_with(|current| current.borrow().clone())
        .ok()
        .flatten()
}
