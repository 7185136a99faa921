//! Readiness of registered sockets: one `ScheduledIo` per registration, a
//! slab mapping tokens to them, and a waker per direction.
//!
//! The reactor is edge-triggered, so readiness is remembered here until an
//! operation hits `WouldBlock`; a tick counter (bumped by every event) lets
//! `clear_readiness` skip clearing when an event arrived after the
//! operation looked.

use std::io;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::{AcqRel, Acquire};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use crate::reactor::Token;
use crate::reactor::event::Event;

const READABLE: usize = 1 << 0;
const WRITABLE: usize = 1 << 1;
const READ_CLOSED: usize = 1 << 2;
const WRITE_CLOSED: usize = 1 << 3;
const ERROR: usize = 1 << 4;
/// The driver is gone: every wait fails instead of hanging.
const SHUTDOWN: usize = 1 << 5;
const READY_MASK: usize = (1 << TICK_SHIFT) - 1;
const TICK_SHIFT: u32 = 8;

/// Which operations wait: reads and writes wait (and are woken) separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    Read,
    Write,
}

impl Direction {
    fn mask(self) -> usize {
        match self {
            Direction::Read => READABLE | READ_CLOSED | ERROR | SHUTDOWN,
            Direction::Write => WRITABLE | WRITE_CLOSED | ERROR | SHUTDOWN,
        }
    }
}

/// Readiness observed by one operation, to clear after `WouldBlock`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ReadyEvent {
    tick: usize,
    ready: usize,
}

pub(crate) struct ScheduledIo {
    /// Ready bits, and the event tick above `TICK_SHIFT`.
    readiness: AtomicUsize,
    waiters: Mutex<Waiters>,
}

#[derive(Default)]
struct Waiters {
    reader: Option<Waker>,
    writer: Option<Waker>,
}

impl ScheduledIo {
    fn new() -> ScheduledIo {
        ScheduledIo {
            readiness: AtomicUsize::new(0),
            waiters: Mutex::new(Waiters::default()),
        }
    }

    fn waiters(&self) -> MutexGuard<'_, Waiters> {
        self.waiters
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Ready if the direction is ready; else stores the waker.
    pub(crate) fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
    ) -> Poll<io::Result<ReadyEvent>> {
        if let Some(event) = self.ready_event(direction) {
            return Poll::Ready(event);
        }
        let mut waiters = self.waiters();
        let slot = match direction {
            Direction::Read => &mut waiters.reader,
            Direction::Write => &mut waiters.writer,
        };
        match slot {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => *slot = Some(cx.waker().clone()),
        }
        // An event may have landed between the first look and taking the
        // lock; `set_readiness` stores before it locks, so looking again
        // under the lock cannot miss it.
        match self.ready_event(direction) {
            Some(event) => Poll::Ready(event),
            None => Poll::Pending,
        }
    }

    fn ready_event(&self, direction: Direction) -> Option<io::Result<ReadyEvent>> {
        let current = self.readiness.load(Acquire);
        let ready = current & direction.mask();
        if ready & SHUTDOWN != 0 {
            return Some(Err(io::Error::other(
                "the explicit-async runtime that owned this socket has shut down",
            )));
        }
        (ready != 0).then_some(Ok(ReadyEvent {
            tick: current >> TICK_SHIFT,
            ready,
        }))
    }

    /// After `WouldBlock`: forget the readiness `event` reported, unless a
    /// newer event arrived since. Closed and error bits stay (the next
    /// operation returns end-of-file or the error instead of blocking).
    pub(crate) fn clear_readiness(&self, event: ReadyEvent) {
        let clear = event.ready & (READABLE | WRITABLE);
        let _ = self.readiness.fetch_update(AcqRel, Acquire, |current| {
            (current >> TICK_SHIFT == event.tick).then_some(current & !clear)
        });
    }

    /// Records an event's readiness and takes the wakers it satisfies.
    fn set_readiness(&self, ready: usize, wakers: &mut Vec<Waker>) {
        let _ = self.readiness.fetch_update(AcqRel, Acquire, |current| {
            let tick = (current >> TICK_SHIFT).wrapping_add(1) & (usize::MAX >> TICK_SHIFT);
            Some((tick << TICK_SHIFT) | (current & READY_MASK) | ready)
        });
        let mut waiters = self.waiters();
        if ready & Direction::Read.mask() != 0 {
            wakers.extend(waiters.reader.take());
        }
        if ready & Direction::Write.mask() != 0 {
            wakers.extend(waiters.writer.take());
        }
    }
}

fn ready_bits(event: &Event) -> usize {
    let mut ready = 0;
    if event.is_readable() {
        ready |= READABLE;
    }
    if event.is_writable() {
        ready |= WRITABLE;
    }
    if event.is_read_closed() {
        ready |= READ_CLOSED;
    }
    if event.is_write_closed() {
        ready |= WRITE_CLOSED;
    }
    if event.is_error() {
        ready |= ERROR;
    }
    ready
}

/// Tokens to `ScheduledIo`s. A token is the slot index in the low 32 bits
/// and the slot's generation above, so an event for a socket that was
/// deregistered (its slot reused) is recognised and dropped.
#[derive(Default)]
pub(crate) struct IoSlab {
    slots: Vec<IoSlot>,
    free: Vec<u32>,
}

struct IoSlot {
    generation: u32,
    io: Option<Arc<ScheduledIo>>,
}

impl IoSlab {
    pub(crate) fn insert(&mut self) -> (Token, Arc<ScheduledIo>) {
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                let index =
                    u32::try_from(self.slots.len()).expect("more than u32::MAX registrations");
                self.slots.push(IoSlot {
                    generation: 0,
                    io: None,
                });
                index
            }
        };
        let slot = &mut self.slots[index as usize];
        let io = Arc::new(ScheduledIo::new());
        slot.io = Some(io.clone());
        (token_of(index, slot.generation), io)
    }

    pub(crate) fn remove(&mut self, token: Token) {
        let (index, generation) = split_token(token);
        if let Some(slot) = self.slots.get_mut(index as usize)
            && slot.generation == generation
            && slot.io.take().is_some()
        {
            slot.generation = slot.generation.wrapping_add(1);
            self.free.push(index);
        }
    }

    /// Applies an event; the wakers to call (outside the lock) go to `wakers`.
    pub(crate) fn dispatch(&self, event: &Event, wakers: &mut Vec<Waker>) {
        let (index, generation) = split_token(event.token());
        if let Some(IoSlot {
            generation: current,
            io: Some(io),
        }) = self.slots.get(index as usize)
            && *current == generation
        {
            io.set_readiness(ready_bits(event), wakers);
        }
    }

    /// Fails every registration's waits: the driver is going away.
    pub(crate) fn shutdown(&self, wakers: &mut Vec<Waker>) {
        for io in self.slots.iter().filter_map(|slot| slot.io.as_ref()) {
            io.set_readiness(SHUTDOWN, wakers);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

fn token_of(index: u32, generation: u32) -> Token {
    Token(((generation as usize) << 32) | index as usize)
}

fn split_token(token: Token) -> (u32, u32) {
    (token.0 as u32, (token.0 >> 32) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readiness_is_kept_until_cleared_with_the_same_tick() {
        let io = ScheduledIo::new();
        let mut wakers = Vec::new();
        let mut cx = Context::from_waker(Waker::noop());
        assert!(io.poll_ready(&mut cx, Direction::Read).is_pending());
        io.set_readiness(READABLE, &mut wakers);
        assert_eq!(wakers.len(), 1, "the reader's waker is taken");
        let Poll::Ready(Ok(first)) = io.poll_ready(&mut cx, Direction::Read) else {
            panic!()
        };
        // A newer event arrives before the reader clears: the clear is skipped.
        io.set_readiness(READABLE, &mut wakers);
        io.clear_readiness(first);
        let Poll::Ready(Ok(second)) = io.poll_ready(&mut cx, Direction::Read) else {
            panic!()
        };
        io.clear_readiness(second);
        assert!(io.poll_ready(&mut cx, Direction::Read).is_pending());
        assert!(io.poll_ready(&mut cx, Direction::Write).is_pending());
    }

    #[test]
    fn directions_wake_separately_and_closed_is_sticky() {
        let io = ScheduledIo::new();
        let mut wakers = Vec::new();
        let mut cx = Context::from_waker(Waker::noop());
        assert!(io.poll_ready(&mut cx, Direction::Read).is_pending());
        assert!(io.poll_ready(&mut cx, Direction::Write).is_pending());
        io.set_readiness(WRITABLE, &mut wakers);
        assert_eq!(wakers.len(), 1);
        assert!(io.poll_ready(&mut cx, Direction::Read).is_pending());
        io.set_readiness(READ_CLOSED, &mut wakers);
        let Poll::Ready(Ok(event)) = io.poll_ready(&mut cx, Direction::Read) else {
            panic!()
        };
        io.clear_readiness(event);
        assert!(io.poll_ready(&mut cx, Direction::Read).is_ready());
    }

    #[test]
    fn stale_tokens_are_ignored() {
        let mut slab = IoSlab::default();
        let (old, _) = slab.insert();
        slab.remove(old);
        let (new, _) = slab.insert();
        assert_ne!(old, new);
        assert_eq!(split_token(old).0, split_token(new).0, "slot reused");
        slab.remove(old);
        assert_eq!(slab.len(), 1, "removing a stale token does nothing");
    }
}
