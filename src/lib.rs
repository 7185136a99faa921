//! # explicit-async
//!
//! `#[explicit_async]` rewrites an `async fn` into the state machine the
//! compiler would have built for it, written out as ordinary Rust you can
//! read with `cargo expand`: a named enum with a `Start` state, one
//! `WaitingOnX` state per `.await` holding exactly the locals still needed
//! and the sub-future being awaited, and a `Done` state, driven by a
//! `loop { match .. }`.
//!
//! ```
//! use explicit_async::explicit_async;
//!
//! #[explicit_async]
//! async fn add_later(a: u32, b: u32) -> u32 {
//!     let a = std::future::ready(a).await;
//!     a + b
//! }
//!
//! assert_eq!(explicit_async::runtime::block_on(add_later(1, 2)), 3);
//! ```
//!
//! The generated futures implement [`core::future::Future`] and run on any
//! executor; [`runtime`] is the project's own (an epoll/kqueue reactor with
//! mio's API, executors, timers and TCP/UDP).

pub use explicit_async_macros::explicit_async;
pub use explicit_async_runtime as runtime;

pub mod trace;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
