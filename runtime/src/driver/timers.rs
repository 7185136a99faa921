//! The timer queue: a binary heap of deadlines over a slab of entries.
//!
//! Inserting is O(log n); cancelling frees the slab entry in O(1) and leaves
//! its heap item behind, recognised as stale by a generation counter and
//! skipped when it reaches the top. When stale items outnumber live ones the
//! heap is rebuilt, so memory stays proportional to live timers.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::task::Waker;
use std::time::Instant;

/// Names one registered timer; stale once the timer fires and is removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TimerKey {
    index: u32,
    generation: u32,
}

#[derive(Default)]
pub(crate) struct TimerQueue {
    entries: Vec<Entry>,
    free: Vec<u32>,
    /// Ordered by deadline, then by insertion (`sequence`) so timers with
    /// equal deadlines fire in the order they were set.
    heap: BinaryHeap<Reverse<HeapItem>>,
    sequence: u64,
    live: usize,
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct HeapItem {
    deadline: Instant,
    sequence: u64,
    index: u32,
    generation: u32,
}

struct Entry {
    generation: u32,
    slot: Slot,
}

enum Slot {
    Free,
    Pending { waker: Option<Waker> },
    Fired,
}

/// Below this many heap items, stale ones are never worth a rebuild.
const MIN_COMPACT_LEN: usize = 1024;

impl TimerQueue {
    pub(crate) fn new() -> TimerQueue {
        TimerQueue::default()
    }

    /// Registers a timer; `waker` is woken once `deadline` passes. Also
    /// says whether it is now the earliest deadline.
    pub(crate) fn insert(&mut self, deadline: Instant, waker: Waker) -> (TimerKey, bool) {
        let earliest = self.next_deadline().is_none_or(|next| deadline < next);
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                let index = u32::try_from(self.entries.len()).expect("more than u32::MAX timers");
                self.entries.push(Entry {
                    generation: 0,
                    slot: Slot::Free,
                });
                index
            }
        };
        let entry = &mut self.entries[index as usize];
        entry.slot = Slot::Pending { waker: Some(waker) };
        let key = TimerKey {
            index,
            generation: entry.generation,
        };
        self.sequence += 1;
        self.heap.push(Reverse(HeapItem {
            deadline,
            sequence: self.sequence,
            index,
            generation: key.generation,
        }));
        self.live += 1;
        self.compact_if_mostly_stale();
        (key, earliest)
    }

    /// True if the timer has fired; otherwise makes `waker` the one to wake.
    pub(crate) fn poll(&mut self, key: TimerKey, waker: &Waker) -> bool {
        match self.entry_mut(key).map(|entry| &mut entry.slot) {
            Some(Slot::Pending { waker: stored }) => {
                match stored {
                    Some(stored) if stored.will_wake(waker) => {}
                    _ => *stored = Some(waker.clone()),
                }
                false
            }
            Some(Slot::Fired) => true,
            Some(Slot::Free) | None => unreachable!("polled a removed timer"),
        }
    }

    /// Cancels (or forgets a fired) timer. O(1).
    pub(crate) fn remove(&mut self, key: TimerKey) {
        let Some(entry) = self.entry_mut(key) else {
            return;
        };
        entry.slot = Slot::Free;
        entry.generation = entry.generation.wrapping_add(1);
        self.free.push(key.index);
        self.live -= 1;
        // Keeps the heap at most twice the live timers: otherwise the next
        // deadline lookup after many cancellations pops stale entries one by one.
        self.compact_if_mostly_stale();
    }

    /// Marks every timer due at `now` as fired and collects its waker.
    pub(crate) fn fire_expired(&mut self, now: Instant, wakers: &mut Vec<Waker>) {
        while let Some(Reverse(top)) = self.heap.peek() {
            if top.deadline > now {
                break;
            }
            let Some(Reverse(item)) = self.heap.pop() else {
                break;
            };
            let key = TimerKey {
                index: item.index,
                generation: item.generation,
            };
            if let Some(entry) = self.entry_mut(key)
                && let Slot::Pending { waker } = std::mem::replace(&mut entry.slot, Slot::Fired)
            {
                wakers.extend(waker);
            }
        }
    }

    /// The earliest deadline of a live, unfired timer.
    pub(crate) fn next_deadline(&mut self) -> Option<Instant> {
        while let Some(Reverse(top)) = self.heap.peek() {
            let (key, deadline) = (
                TimerKey {
                    index: top.index,
                    generation: top.generation,
                },
                top.deadline,
            );
            if matches!(
                self.entry_mut(key),
                Some(Entry {
                    slot: Slot::Pending { .. },
                    ..
                })
            ) {
                return Some(deadline);
            }
            self.heap.pop();
        }
        None
    }

    /// Number of registered timers (pending or fired, not yet removed).
    pub(crate) fn len(&self) -> usize {
        self.live
    }

    fn entry_mut(&mut self, key: TimerKey) -> Option<&mut Entry> {
        self.entries
            .get_mut(key.index as usize)
            .filter(|entry| entry.generation == key.generation && !matches!(entry.slot, Slot::Free))
    }

    fn compact_if_mostly_stale(&mut self) {
        if self.heap.len() < MIN_COMPACT_LEN || self.heap.len() < 2 * self.live {
            return;
        }
        let entries = &self.entries;
        self.heap.retain(|Reverse(item)| {
            entries.get(item.index as usize).is_some_and(|e| {
                e.generation == item.generation && matches!(e.slot, Slot::Pending { .. })
            })
        });
    }

    #[cfg(test)]
    fn heap_len(&self) -> usize {
        self.heap.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn counting_waker(count: &Arc<AtomicUsize>) -> Waker {
        struct W(Arc<AtomicUsize>);
        impl std::task::Wake for W {
            fn wake(self: Arc<Self>) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        Waker::from(Arc::new(W(count.clone())))
    }

    #[test]
    fn fires_in_deadline_order_then_insertion_order() {
        let mut q = TimerQueue::new();
        let t0 = Instant::now();
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut keys = Vec::new();
        for (n, ms) in [(0, 30), (1, 10), (2, 20), (3, 10)] {
            struct W(usize, Arc<std::sync::Mutex<Vec<usize>>>);
            impl std::task::Wake for W {
                fn wake(self: Arc<Self>) {
                    self.1.lock().unwrap().push(self.0);
                }
            }
            let waker = Waker::from(Arc::new(W(n, order.clone())));
            keys.push(q.insert(t0 + Duration::from_millis(ms), waker).0);
        }
        assert_eq!(q.next_deadline(), Some(t0 + Duration::from_millis(10)));
        let mut wakers = Vec::new();
        q.fire_expired(t0 + Duration::from_millis(20), &mut wakers);
        wakers.into_iter().for_each(Waker::wake);
        assert_eq!(*order.lock().unwrap(), [1, 3, 2]);
        assert!(q.poll(keys[1], Waker::noop()));
        assert!(!q.poll(keys[0], Waker::noop()));
        assert_eq!(q.next_deadline(), Some(t0 + Duration::from_millis(30)));
    }

    #[test]
    fn removed_timers_never_fire_and_keys_go_stale() {
        let mut q = TimerQueue::new();
        let count = Arc::new(AtomicUsize::new(0));
        let now = Instant::now();
        let (key, earliest) = q.insert(now, counting_waker(&count));
        assert!(earliest);
        q.remove(key);
        q.remove(key); // a second remove of a stale key is harmless
        let (reused, _) = q.insert(now + Duration::from_secs(60), counting_waker(&count));
        assert_eq!(reused.index, key.index);
        assert_ne!(reused, key);
        let mut wakers = Vec::new();
        q.fire_expired(now, &mut wakers);
        assert!(wakers.is_empty());
        assert_eq!(q.next_deadline(), Some(now + Duration::from_secs(60)));
        assert_eq!(q.len(), 1);
    }

    #[test]
    fn cancelling_many_keeps_the_heap_bounded() {
        let mut q = TimerQueue::new();
        let far = Instant::now() + Duration::from_secs(3600);
        for _ in 0..100_000 {
            let (key, _) = q.insert(far, Waker::noop().clone());
            q.remove(key);
        }
        assert_eq!(q.len(), 0);
        assert!(
            q.heap_len() <= 2 * MIN_COMPACT_LEN,
            "heap kept {} stale items",
            q.heap_len()
        );
        assert_eq!(q.next_deadline(), None);
    }
}
