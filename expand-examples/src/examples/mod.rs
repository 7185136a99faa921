//! The annotated examples. Each file is small and commented, and its
//! expansion is checked in beside it as `NAME.expanded.rs` (regenerated and
//! compared by `tests/expansions.rs`).

pub mod early_return;
pub mod http_client;
pub mod loop_await;
pub mod method;
pub mod self_referential_read;
pub mod textbook;
