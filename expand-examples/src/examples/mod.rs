//! The annotated examples. Each file is small and commented, and its
//! expansion is checked in beside it as `NAME.expanded.rs` (regenerated and
//! compared by `tests/expansions.rs`).
//!
//! `textbook.rs` is expanded by that test but not yet compiled here: it
//! names its states with `#[state(..)]`, which only the real transform
//! removes (the pass-through placeholder leaves it to rustc, which rejects it).

pub mod early_return;
pub mod loop_await;
pub mod method;
pub mod self_referential_read;
