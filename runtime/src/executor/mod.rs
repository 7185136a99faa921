//! Executors: [`block_on`] with its single-threaded [`spawn_local`], and
//! the work-stealing [`Runtime`], all over one task type (`task/`: one
//! allocation per task, wakers over the task pointer).

mod context;
pub(crate) mod driver;
mod local;
mod multi_thread;
pub(crate) mod task;
mod yield_now;

pub use local::{block_on, spawn_local};
pub use multi_thread::{Builder, Runtime};
pub use task::{Id, JoinError, JoinHandle};
pub use yield_now::yield_now;

use std::future::Future;

pub(crate) use context::current_handle as context_handle;

/// Spawns a task on the current runtime: on a [`Runtime`]'s workers, or
/// inside [`block_on`] on its thread.
///
/// # Panics
/// Outside both (there is nothing to run the task).
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    match context::scheduler() {
        Some(context::Scheduler::Local(core)) => core.spawn(future),
        Some(context::Scheduler::MultiThread(worker)) => worker.shared.spawn(future),
        None => panic!(
            "`spawn` called outside a runtime: use it inside `block_on` or `Runtime::block_on`"
        ),
    }
}
