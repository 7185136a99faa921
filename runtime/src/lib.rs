//! The runtime of explicit-async: a reactor with mio's API over epoll
//! (Linux) and kqueue (BSD, macOS), executors, timers and async TCP/UDP.
//!
//! Layers, bottom up:
//! - [`reactor`]: `Poll`, `Registry`, `Token`, `Interest`, `Events`, `Waker`
//!   and non-blocking sockets, named and behaving like mio 1.x.
//! - `driver` (private): the reactor plus the timer queue, turned by the
//!   executors; sockets and timers register with it.
//! - [`executor`]: `block_on`, `spawn_local` (single-threaded) and the
//!   work-stealing [`Runtime`] with `spawn`; one allocation per task.
//! - [`time`]: `sleep`, `sleep_until`, `timeout`, `interval`.
//! - [`net`]: async `TcpListener`, `TcpStream`, `UdpSocket`.
//! - [`green`] (Linux, x86_64 and aarch64): stackful green threads on the
//!   same driver, with blocking-looking TCP and `sleep`, for comparison.

mod driver;
pub mod executor;
#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
pub mod green;
pub mod net;
pub mod reactor;
mod sys;
pub mod time;

pub use executor::{
    Builder, JoinError, JoinHandle, Runtime, block_on, spawn, spawn_local, yield_now,
};
