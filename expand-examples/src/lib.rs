//! Examples of `#[explicit_async]`, their expansions, the `expand` viewer
//! and the delay-server demo.
//!
//! - [`examples`]: annotated `async fn`s, one idea per file, each with its
//!   expansion checked in beside it (`src/examples/*.expanded.rs`).
//! - [`sim`]: the simulated leaf futures they await, and a tiny executor.
//! - [`viewer`]: what `cargo run -p expand-examples --bin expand` prints:
//!   the expansion of a file's annotated fns, or their state graphs.
//! - [`snapshots`]: where the examples' checked-in expansions are, and
//!   what the checks on them share (the `expansions` test, the
//!   `expand-check` and `line-ratios` binaries).
//! - [`demo`] and [`http`]: the delay server and its concurrent clients,
//!   run by `cargo run --release -p expand-examples`.

pub mod demo;
pub mod examples;
pub mod http;
pub mod sim;
pub mod snapshots;
pub mod viewer;
