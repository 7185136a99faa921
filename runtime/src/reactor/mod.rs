//! A readiness reactor with the names, signatures and semantics of mio 1.x:
//! code written for mio compiles against this module by changing
//! `use mio::…` to `use explicit_async_runtime::reactor::…`.
//!
//! Start with [`Poll`], whose documentation explains the model. The
//! operating system sits behind one seam (`sys`): epoll on Linux, kqueue on
//! FreeBSD and macOS.

mod checks;
pub mod event;
mod events;
mod interest;
pub mod net;
mod poll;
mod token;
pub mod unix;
mod waker;

pub use events::Events;
pub use interest::Interest;
pub use poll::{Poll, Registry};
pub use token::Token;
pub use waker::Waker;
