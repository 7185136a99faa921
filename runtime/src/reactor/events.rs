use std::fmt;

use super::event::Event;
use crate::sys;

/// The buffer [`Poll::poll`](super::Poll::poll) fills: at most
/// [`capacity`](Events::capacity) events per call. Reuse one across calls;
/// each poll clears it first.
pub struct Events {
    inner: sys::Events,
}

impl Events {
    /// A buffer for up to `capacity` events per poll.
    pub fn with_capacity(capacity: usize) -> Events {
        Events {
            inner: sys::Events::with_capacity(capacity),
        }
    }

    /// The most events one poll delivers.
    pub fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    /// True if the last poll delivered no event (it timed out).
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The events of the last poll.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            inner: self.inner.iter(),
        }
    }

    /// Forgets the events (polling does this itself).
    pub fn clear(&mut self) {
        self.inner.clear();
    }

    pub(crate) fn sys(&mut self) -> &mut sys::Events {
        &mut self.inner
    }
}

impl<'a> IntoIterator for &'a Events {
    type Item = &'a Event;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl fmt::Debug for Events {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self).finish()
    }
}

/// The events of one poll, in the order the kernel reported them.
#[derive(Clone)]
pub struct Iter<'a> {
    inner: std::slice::Iter<'a, sys::Event>,
}

/// The remaining events, as `Event`s (libc's records are `Debug` only
/// from libc 0.2.176 on, and say less).
impl fmt::Debug for Iter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Event;

    fn next(&mut self) -> Option<&'a Event> {
        self.inner.next().map(Event::from_sys_event_ref)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}
