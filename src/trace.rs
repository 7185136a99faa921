//! Run-time tracing of state transitions, for `#[explicit_async(trace)]`.
//!
//! A traced function reports every transition of its state machine (from
//! `Start` to a `WaitingOnX` state, between waiting states, and to `Done`)
//! to one process-wide hook. The default hook prints a line to stderr:
//!
//! ```text
//! [explicit-async] example: Start -> WaitingOnFooTxt
//! ```
//!
//! Replace it with [`set_hook`] to collect transitions in a test, a log or a
//! visualiser.

use std::sync::RwLock;

/// One transition of a traced state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Transition {
    /// The `async fn`'s name as written (`example`).
    pub function: &'static str,
    /// The state it was in (`Start`, `WaitingOnFooTxt`, ...).
    pub from: &'static str,
    /// The state it moved to (`WaitingOnBarTxt`, `Done`, ...).
    pub to: &'static str,
}

/// Receives every transition of every traced function, on the thread that polls it.
pub type Hook = fn(&Transition);

static HOOK: RwLock<Hook> = RwLock::new(print_to_stderr);

/// Replaces the hook; returns the previous one (to restore it later).
pub fn set_hook(hook: Hook) -> Hook {
    let mut slot = HOOK
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    std::mem::replace(&mut *slot, hook)
}

/// The default hook: one line per transition on stderr.
pub fn print_to_stderr(transition: &Transition) {
    eprintln!(
        "[explicit-async] {}: {} -> {}",
        transition.function, transition.from, transition.to
    );
}

pub(crate) fn report(transition: &Transition) {
    let hook = *HOOK.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    hook(transition);
}
