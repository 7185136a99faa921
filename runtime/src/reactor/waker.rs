use std::io;

use super::{Registry, Token};
use crate::sys;

/// Wakes a [`Poll`](super::Poll) from another thread.
///
/// Creating it registers it under `token`; [`wake`](Waker::wake) then makes
/// the poll return a readable event with that token (or the next poll, if
/// none is blocked right now). Wakes between two polls may be merged into one
/// event. Use one `Waker` per `Poll`, shared behind an `Arc`; dropping it
/// deregisters it.
#[derive(Debug)]
pub struct Waker {
    inner: sys::Waker,
}

impl Waker {
    pub fn new(registry: &Registry, token: Token) -> io::Result<Waker> {
        sys::Waker::new(registry.selector(), token).map(|inner| Waker { inner })
    }

    pub fn wake(&self) -> io::Result<()> {
        self.inner.wake()
    }
}
