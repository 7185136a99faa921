//! Executors: `block_on`, the single-threaded `spawn_local`, and the
//! work-stealing [`Runtime`], all over one task type (`task/`).

pub(crate) mod task;

pub use task::{Id, JoinError, JoinHandle};
