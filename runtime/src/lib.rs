//! The runtime of explicit-async: a reactor with mio's API over epoll
//! (Linux) and kqueue (BSD, macOS), executors, timers and async TCP, UDP
//! and Unix-domain sockets.
//!
//! Layers, bottom up (each uses only those above it here):
//! - `sys` (private): the system calls, epoll or kqueue, and socket calls
//!   std lacks in non-blocking form (`sys::socket`, `sys::unix_socket`).
//! - [`reactor`]: `Poll`, `Registry`, `Token`, `Interest`, `Events`, `Waker`
//!   and non-blocking sockets, named and behaving like mio 1.x.
//! - `driver` (private): the reactor plus the timer queue, turned by the
//!   executors; sockets and timers register with it.
//! - [`executor`]: `block_on`, `spawn_local` (single-threaded) and the
//!   work-stealing [`Runtime`] with `spawn`; one allocation per task.
//! - [`time`]: `sleep`, `sleep_until`, `timeout`, `interval`.
//! - [`net`]: async sockets shaped like tokio's: `TcpListener`,
//!   `TcpStream`, `UdpSocket`, `UnixListener`, `UnixStream`, `UnixDatagram`.
//! - [`green`] (Linux, x86_64 and aarch64): stackful green threads on the
//!   same driver, with blocking-looking TCP and `sleep`, for comparison.
//!
//! Three modules are named `net`, after what they stand in for:
//! [`reactor::net`] holds mio's non-blocking sockets (an operation that
//! would wait returns `WouldBlock`), [`net`] tokio's async ones built on
//! them (an operation that would wait returns `Pending`), and `green::net`
//! blocking-looking ones for green threads (an operation that would wait
//! switches to another green thread). Inside the crate the first is
//! imported as `reactor_net`.

#![warn(missing_docs)]

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
