//! A worker's run queue: a fixed ring of [`LOCAL_QUEUE_CAPACITY`] slots that
//! only its worker pushes to and pops from, while other workers steal half
//! of it, all without locks.
//!
//! `tail` is written only by the owner. `head` packs two positions: `real`,
//! where the owner pops, and `steal`, where the slots a stealer is copying
//! out begin (equal to `real` when no steal is in progress). A stealer
//! first claims a range by advancing `real`, copies it, then releases it by
//! moving `steal` up to `real`; the owner never reuses a slot before
//! `steal` has passed it. One steal runs at a time per queue.

use std::cell::UnsafeCell;
use std::mem::MaybeUninit;
use std::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};
use std::sync::atomic::{AtomicU32, AtomicU64};

use super::LOCAL_QUEUE_CAPACITY;

const MASK: u32 = LOCAL_QUEUE_CAPACITY as u32 - 1;
const _: () =
    assert!(LOCAL_QUEUE_CAPACITY.is_power_of_two() && LOCAL_QUEUE_CAPACITY <= u16::MAX as usize);

pub(super) struct RunQueue<T> {
    head: AtomicU64,
    tail: AtomicU32,
    slots: Box<[UnsafeCell<MaybeUninit<T>>]>,
}

// SAFETY: values move between threads through the queue (so `T: Send`);
// each slot is accessed by one thread at a time, as the protocol above
// guarantees: the owner writes slots in [tail, steal + capacity), readers
// take them out of [steal, tail) after claiming them through `head`.
unsafe impl<T: Send> Send for RunQueue<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for RunQueue<T> {}

fn pack(steal: u32, real: u32) -> u64 {
    (u64::from(steal) << 32) | u64::from(real)
}

fn unpack(head: u64) -> (u32, u32) {
    ((head >> 32) as u32, head as u32)
}

impl<T> RunQueue<T> {
    pub(super) fn new() -> RunQueue<T> {
        let slots = (0..LOCAL_QUEUE_CAPACITY)
            .map(|_| UnsafeCell::new(MaybeUninit::uninit()))
            .collect();
        RunQueue {
            head: AtomicU64::new(0),
            tail: AtomicU32::new(0),
            slots,
        }
    }

    /// Roughly how many tasks wait (exact for the owner).
    pub(super) fn len(&self) -> usize {
        let (_, real) = unpack(self.head.load(Acquire));
        self.tail.load(Acquire).wrapping_sub(real) as usize
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends `value`; when the ring is full, hands `value` and the older
    /// half of the ring to `overflow` instead. Returns the tasks queued here.
    ///
    /// # Safety
    /// Only the owner calls `push_back` and `pop` (one thread at a time).
    pub(super) unsafe fn push_back(&self, mut value: T, overflow: impl FnOnce(Vec<T>)) -> usize {
        let spilled = loop {
            let (steal, real) = unpack(self.head.load(Acquire));
            // Only the owner writes `tail`.
            let tail = self.tail.load(Relaxed);
            if tail.wrapping_sub(steal) < LOCAL_QUEUE_CAPACITY as u32 {
                // SAFETY: the slot is outside [steal, tail), so no reader
                // touches it, and only the owner writes.
                unsafe { (*self.slots[(tail & MASK) as usize].get()).write(value) };
                self.tail.store(tail.wrapping_add(1), Release);
                return tail.wrapping_add(1).wrapping_sub(real) as usize;
            }
            if steal != real {
                // A stealer is emptying part of the ring: it will have room
                // soon, but do not wait for it.
                break vec![value];
            }
            match self.take_half_for_overflow(real, tail, value) {
                Ok(spilled) => break spilled,
                Err(returned) => value = returned,
            }
        };
        overflow(spilled);
        self.len()
    }

    /// Claims the older half of a full ring for the injector (like a
    /// steal, so it races fairly with stealers).
    fn take_half_for_overflow(&self, real: u32, tail: u32, value: T) -> Result<Vec<T>, T> {
        let half = LOCAL_QUEUE_CAPACITY as u32 / 2;
        debug_assert_eq!(tail.wrapping_sub(real), LOCAL_QUEUE_CAPACITY as u32);
        let current = pack(real, real);
        let next = pack(real.wrapping_add(half), real.wrapping_add(half));
        if self
            .head
            .compare_exchange(current, next, Release, Relaxed)
            .is_err()
        {
            // A stealer or our own pop moved the head: try again.
            return Err(value);
        }
        let mut spilled = Vec::with_capacity(half as usize + 1);
        for i in 0..half {
            let slot = &self.slots[(real.wrapping_add(i) & MASK) as usize];
            // SAFETY: the CAS above made [real, real + half) ours; those
            // slots were written by earlier pushes.
            spilled.push(unsafe { (*slot.get()).assume_init_read() });
        }
        spilled.push(value);
        Ok(spilled)
    }

    /// Takes the oldest task.
    ///
    /// # Safety
    /// As [`push_back`](Self::push_back): only the owner.
    pub(super) unsafe fn pop(&self) -> Option<T> {
        let mut head = self.head.load(Acquire);
        let index = loop {
            let (steal, real) = unpack(head);
            if real == self.tail.load(Relaxed) {
                return None;
            }
            let next_real = real.wrapping_add(1);
            // Without a steal in progress both positions move together.
            let next = if steal == real {
                pack(next_real, next_real)
            } else {
                pack(steal, next_real)
            };
            match self.head.compare_exchange(head, next, AcqRel, Acquire) {
                Ok(_) => break real,
                Err(actual) => head = actual,
            }
        };
        // SAFETY: the CAS claimed slot `index`, which an earlier push wrote.
        Some(unsafe { (*self.slots[(index & MASK) as usize].get()).assume_init_read() })
    }

    /// Moves half of this queue's tasks into `dst` (the caller's own,
    /// empty queue) and returns one of them to run now.
    ///
    /// # Safety
    /// The caller owns `dst` (as in `push_back`), and `dst` is not `self`.
    pub(super) unsafe fn steal_into(&self, dst: &RunQueue<T>) -> Option<T> {
        let dst_tail = dst.tail.load(Relaxed);
        let (dst_steal, _) = unpack(dst.head.load(Acquire));
        if dst_tail.wrapping_sub(dst_steal) > LOCAL_QUEUE_CAPACITY as u32 / 2 {
            // No room for half a queue: the caller has work anyway.
            return None;
        }
        // SAFETY: forwarded caller contract.
        let count = unsafe { self.steal_into_inner(dst, dst_tail) };
        if count == 0 {
            return None;
        }
        let last = dst_tail.wrapping_add(count - 1);
        // SAFETY: `steal_into_inner` wrote [dst_tail, dst_tail + count),
        // not yet published through `dst.tail`, so the slot is ours.
        let value = unsafe { (*dst.slots[(last & MASK) as usize].get()).assume_init_read() };
        if count > 1 {
            dst.tail.store(last, Release);
        }
        Some(value)
    }

    /// # Safety
    /// As `steal_into`; `dst_tail` is `dst`'s current tail.
    unsafe fn steal_into_inner(&self, dst: &RunQueue<T>, dst_tail: u32) -> u32 {
        // Claim: advance `real` by half, keeping `steal` where it was.
        let mut current = self.head.load(Acquire);
        let (first, count) = loop {
            let (steal, real) = unpack(current);
            if steal != real {
                // Another stealer is at work here.
                return 0;
            }
            let available = self.tail.load(Acquire).wrapping_sub(real);
            let count = available - available / 2;
            if count == 0 {
                return 0;
            }
            let next = pack(steal, real.wrapping_add(count));
            match self.head.compare_exchange(current, next, AcqRel, Acquire) {
                Ok(_) => break (real, count),
                Err(actual) => current = actual,
            }
        };
        for i in 0..count {
            let from = &self.slots[(first.wrapping_add(i) & MASK) as usize];
            let to = &dst.slots[(dst_tail.wrapping_add(i) & MASK) as usize];
            // SAFETY: [first, first + count) was claimed above (the owner
            // will not reuse it before we release it); the `dst` slots are
            // past its tail and `dst` has room (checked by the caller), so
            // nobody else reads or writes them.
            unsafe { (*to.get()).write((*from.get()).assume_init_read()) };
        }
        // Release: `steal` catches up with `real` (which the owner may have
        // advanced meanwhile).
        let mut current = self.head.load(Acquire);
        loop {
            let (steal, real) = unpack(current);
            debug_assert_eq!(steal, first);
            match self
                .head
                .compare_exchange(current, pack(real, real), AcqRel, Acquire)
            {
                Ok(_) => return count,
                Err(actual) => current = actual,
            }
        }
    }
}

impl<T> Drop for RunQueue<T> {
    fn drop(&mut self) {
        // SAFETY: `&mut self`: no other thread can use the queue any more.
        while let Some(value) = unsafe { self.pop() } {
            drop(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
    use std::sync::{Arc, Mutex};

    #[test]
    fn fifo_for_the_owner() {
        let q = RunQueue::new();
        // SAFETY: this thread is the only user.
        unsafe {
            for i in 0..10 {
                assert_eq!(q.push_back(i, |_| panic!("no overflow")), i + 1);
            }
            for i in 0..10 {
                assert_eq!(q.pop(), Some(i));
            }
            assert_eq!(q.pop(), None);
        }
    }

    #[test]
    fn a_full_ring_spills_half_to_the_overflow() {
        let q = RunQueue::new();
        let mut spilled = Vec::new();
        // SAFETY: this thread is the only user.
        unsafe {
            for i in 0..=LOCAL_QUEUE_CAPACITY {
                q.push_back(i, |v| spilled.extend(v));
            }
            assert_eq!(spilled.len(), LOCAL_QUEUE_CAPACITY / 2 + 1);
            assert_eq!(spilled[0], 0);
            assert_eq!(*spilled.last().unwrap(), LOCAL_QUEUE_CAPACITY);
            assert_eq!(q.len(), LOCAL_QUEUE_CAPACITY / 2);
            assert_eq!(q.pop(), Some(LOCAL_QUEUE_CAPACITY / 2));
        }
    }

    #[test]
    fn steal_takes_half_and_returns_one() {
        let victim = RunQueue::new();
        let thief = RunQueue::new();
        // SAFETY: single-threaded here; each queue is used by its "owner" only.
        unsafe {
            for i in 0..10 {
                victim.push_back(i, |_| unreachable!());
            }
            assert_eq!(victim.steal_into(&thief), Some(4));
            assert_eq!(thief.len(), 4);
            assert_eq!(victim.len(), 5);
            assert_eq!(thief.pop(), Some(0));
            assert_eq!(victim.pop(), Some(5));
        }
    }

    #[test]
    fn dropping_the_queue_drops_its_values() {
        let count = Arc::new(());
        let q = RunQueue::new();
        for _ in 0..5 {
            // SAFETY: this thread is the only user.
            unsafe { q.push_back(count.clone(), |_| unreachable!()) };
        }
        drop(q);
        assert_eq!(Arc::strong_count(&count), 1);
    }

    /// The owner pushes and pops while two threads steal: every value comes
    /// out exactly once.
    #[test]
    fn concurrent_steals_lose_and_duplicate_nothing() {
        const N: usize = 200_000;
        let victim = Arc::new(RunQueue::new());
        let seen = Arc::new(Mutex::new(Vec::with_capacity(N)));
        let done = Arc::new(AtomicBool::new(false));
        let stolen = Arc::new(AtomicUsize::new(0));
        let thieves: Vec<_> = (0..2)
            .map(|_| {
                let (victim, seen, done, stolen) =
                    (victim.clone(), seen.clone(), done.clone(), stolen.clone());
                std::thread::spawn(move || {
                    let own = RunQueue::new();
                    let mut got = Vec::new();
                    while !done.load(SeqCst) {
                        // SAFETY: this thread owns `own`.
                        if let Some(v) = unsafe { victim.steal_into(&own) } {
                            got.push(v);
                            // SAFETY: as above.
                            while let Some(v) = unsafe { own.pop() } {
                                got.push(v);
                            }
                        }
                    }
                    stolen.fetch_add(got.len(), SeqCst);
                    seen.lock().unwrap().extend(got);
                })
            })
            .collect();
        let mut mine = Vec::new();
        let mut spilled = Vec::new();
        for i in 0..N {
            // SAFETY: this thread owns `victim`.
            unsafe { victim.push_back(i, |v| spilled.extend(v)) };
            if i % 3 == 0 {
                // SAFETY: as above.
                mine.extend(unsafe { victim.pop() });
            }
        }
        // SAFETY: as above.
        while let Some(v) = unsafe { victim.pop() } {
            mine.push(v);
        }
        done.store(true, SeqCst);
        for t in thieves {
            t.join().unwrap();
        }
        let mut all = seen.lock().unwrap().clone();
        all.extend(mine);
        all.extend(spilled);
        assert_eq!(all.len(), N, "values lost or duplicated");
        let unique: HashSet<_> = all.into_iter().collect();
        assert_eq!(unique.len(), N);
    }
}
