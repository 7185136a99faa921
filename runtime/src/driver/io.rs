//! Readiness of registered sockets: one `ScheduledIo` per registration, a
//! slab mapping tokens to them, and per direction the tasks that wait.
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

/// Who waits, per direction: the task of the latest `poll_*` call (one
/// slot, as tokio's `poll_read_ready`), and a list of waiting futures (all
/// of them are woken, as tokio's `ScheduledIo` does).
#[derive(Default)]
struct Waiters {
    reader: Option<Waker>,
    writer: Option<Waker>,
    readers: WaiterList,
    writers: WaiterList,
}

impl Waiters {
    fn slot(&mut self, direction: Direction) -> &mut Option<Waker> {
        match direction {
            Direction::Read => &mut self.reader,
            Direction::Write => &mut self.writer,
        }
    }

    fn list(&mut self, direction: Direction) -> &mut WaiterList {
        match direction {
            Direction::Read => &mut self.readers,
            Direction::Write => &mut self.writers,
        }
    }

    fn take_wakers(&mut self, direction: Direction, wakers: &mut Vec<Waker>) {
        wakers.extend(self.slot(direction).take());
        self.list(direction).take_wakers(wakers);
    }
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

    /// Ready if the direction is ready; else stores the waker in the
    /// direction's single slot, replacing the previous caller's.
    pub(crate) fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
    ) -> Poll<io::Result<ReadyEvent>> {
        self.poll_ready_with(direction, |waiters| {
            store_waker(waiters.slot(direction), cx.waker());
        })
    }

    /// As `poll_ready`, but the waker goes to the slot `key` names in the
    /// direction's waiter list (taking a slot on the first wait), so other
    /// waiters keep theirs. The owner of `key` must `remove_waiter` it.
    pub(crate) fn poll_ready_waiter(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        key: &mut Option<WaiterKey>,
    ) -> Poll<io::Result<ReadyEvent>> {
        self.poll_ready_with(direction, |waiters| {
            waiters.list(direction).store(key, cx.waker());
        })
    }

    /// Frees a slot of `poll_ready_waiter`.
    pub(crate) fn remove_waiter(&self, direction: Direction, key: WaiterKey) {
        self.waiters().list(direction).remove(key);
    }

    fn poll_ready_with(
        &self,
        direction: Direction,
        store: impl FnOnce(&mut Waiters),
    ) -> Poll<io::Result<ReadyEvent>> {
        if let Some(event) = self.ready_event(direction) {
            return Poll::Ready(event);
        }
        store(&mut self.waiters());
        // An event may have landed between the first look and taking the
        // lock; `set_readiness` stores before it locks, so looking again
        // after storing the waker cannot miss it.
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
        for direction in [Direction::Read, Direction::Write] {
            if ready & direction.mask() != 0 {
                waiters.take_wakers(direction, wakers);
            }
        }
    }
}

fn store_waker(slot: &mut Option<Waker>, waker: &Waker) {
    match slot {
        Some(stored) if stored.will_wake(waker) => {}
        _ => *slot = Some(waker.clone()),
    }
}

/// Names a future's slot in a [`WaiterList`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WaiterKey(u32);

/// The futures waiting in one direction, one slot each: waking takes every
/// stored waker (the slots stay theirs until removed, so a woken future
/// that must wait again reuses its slot). The first slot is inline, so one
/// waiting future at a time, the common case, allocates nothing.
#[derive(Default)]
struct WaiterList {
    /// Key 0.
    first: WaiterSlot,
    /// Key `i + 1`, grown when several futures wait at once.
    more: Vec<WaiterSlot>,
    /// Indexes of the vacant slots in `more`.
    vacant: Vec<u32>,
}

#[derive(Default)]
enum WaiterSlot {
    #[default]
    Vacant,
    /// Held by a future; `None` once woken, until it waits again.
    Held(Option<Waker>),
}

impl WaiterList {
    fn store(&mut self, key: &mut Option<WaiterKey>, waker: &Waker) {
        let slot = match *key {
            Some(held) => self.slot(held),
            None => {
                let new = self.take_vacant();
                *key = Some(new);
                self.slot(new)
            }
        };
        match slot {
            WaiterSlot::Held(stored) => store_waker(stored, waker),
            WaiterSlot::Vacant => unreachable!("a waiter's key names its held slot"),
        }
    }

    fn take_vacant(&mut self) -> WaiterKey {
        let key = if matches!(self.first, WaiterSlot::Vacant) {
            WaiterKey(0)
        } else if let Some(index) = self.vacant.pop() {
            WaiterKey(index + 1)
        } else {
            let index = u32::try_from(self.more.len()).expect("fewer than u32::MAX waiters");
            self.more.push(WaiterSlot::Vacant);
            WaiterKey(index + 1)
        };
        *self.slot(key) = WaiterSlot::Held(None);
        key
    }

    fn slot(&mut self, key: WaiterKey) -> &mut WaiterSlot {
        match key.0 {
            0 => &mut self.first,
            n => &mut self.more[n as usize - 1],
        }
    }

    fn remove(&mut self, key: WaiterKey) {
        *self.slot(key) = WaiterSlot::Vacant;
        if key.0 > 0 {
            self.vacant.push(key.0 - 1);
            if self.vacant.len() == self.more.len() {
                // Nobody waits in `more`: forget the slots (keeping the
                // memory), so waking does not walk them.
                self.more.clear();
                self.vacant.clear();
            }
        }
    }

    fn take_wakers(&mut self, wakers: &mut Vec<Waker>) {
        if let WaiterSlot::Held(waker) = &mut self.first {
            wakers.extend(waker.take());
        }
        for slot in &mut self.more {
            if let WaiterSlot::Held(waker) = slot {
                wakers.extend(waker.take());
            }
        }
    }

    #[cfg(test)]
    fn held(&self) -> usize {
        std::iter::once(&self.first)
            .chain(&self.more)
            .filter(|slot| matches!(slot, WaiterSlot::Held(_)))
            .count()
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

    /// A waker that counts its wake-ups.
    struct Counter(std::sync::atomic::AtomicUsize);

    impl std::task::Wake for Counter {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, AcqRel);
        }
    }

    fn counter() -> (Arc<Counter>, Waker) {
        let counter = Arc::new(Counter(AtomicUsize::new(0)));
        (counter.clone(), Waker::from(counter))
    }

    #[test]
    fn every_waiting_future_is_woken() {
        let io = ScheduledIo::new();
        let counters: Vec<_> = (0..5).map(|_| counter()).collect();
        let mut keys = vec![None; counters.len()];
        for ((_, waker), key) in counters.iter().zip(&mut keys) {
            let mut cx = Context::from_waker(waker);
            assert!(
                io.poll_ready_waiter(&mut cx, Direction::Read, key)
                    .is_pending()
            );
        }
        let (single, single_waker) = counter();
        assert!(
            io.poll_ready(&mut Context::from_waker(&single_waker), Direction::Read)
                .is_pending()
        );
        let mut wakers = Vec::new();
        io.set_readiness(READABLE, &mut wakers);
        wakers.drain(..).for_each(Waker::wake);
        for (counter, _) in &counters {
            assert_eq!(counter.0.load(Acquire), 1);
        }
        assert_eq!(single.0.load(Acquire), 1, "the poll slot is woken too");
        // Woken futures keep their slots until they remove them.
        assert_eq!(io.waiters().readers.held(), counters.len());
        for key in keys {
            io.remove_waiter(Direction::Read, key.unwrap());
        }
        let waiters = io.waiters();
        assert_eq!(waiters.readers.held(), 0);
        assert!(waiters.readers.more.is_empty(), "all vacant: forgotten");
    }

    #[test]
    fn a_removed_waiter_leaves_the_others_waiting() {
        let io = ScheduledIo::new();
        let (first, first_waker) = counter();
        let (second, second_waker) = counter();
        let (mut first_key, mut second_key) = (None, None);
        let mut cx = Context::from_waker(&first_waker);
        assert!(
            io.poll_ready_waiter(&mut cx, Direction::Write, &mut first_key)
                .is_pending()
        );
        let mut cx = Context::from_waker(&second_waker);
        assert!(
            io.poll_ready_waiter(&mut cx, Direction::Write, &mut second_key)
                .is_pending()
        );
        assert_ne!(first_key, second_key);
        io.remove_waiter(Direction::Write, first_key.unwrap());
        // A third waiter reuses the vacant slot without disturbing the second.
        let (third, third_waker) = counter();
        let mut third_key = None;
        let mut cx = Context::from_waker(&third_waker);
        assert!(
            io.poll_ready_waiter(&mut cx, Direction::Write, &mut third_key)
                .is_pending()
        );
        assert_eq!(third_key, first_key);
        let mut wakers = Vec::new();
        io.set_readiness(READABLE, &mut wakers);
        assert!(wakers.is_empty(), "readers only: writers keep waiting");
        io.set_readiness(WRITABLE, &mut wakers);
        wakers.drain(..).for_each(Waker::wake);
        assert_eq!(first.0.load(Acquire), 0);
        assert_eq!(second.0.load(Acquire), 1);
        assert_eq!(third.0.load(Acquire), 1);
    }

    #[test]
    fn one_waiter_at_a_time_allocates_no_list() {
        let io = ScheduledIo::new();
        let (_, waker) = counter();
        let mut cx = Context::from_waker(&waker);
        for _ in 0..3 {
            let mut key = None;
            assert!(
                io.poll_ready_waiter(&mut cx, Direction::Read, &mut key)
                    .is_pending()
            );
            assert_eq!(key, Some(WaiterKey(0)), "the inline slot");
            io.remove_waiter(Direction::Read, key.unwrap());
        }
        assert_eq!(io.waiters().readers.more.capacity(), 0);
        assert_eq!(io.waiters().readers.vacant.capacity(), 0);
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
