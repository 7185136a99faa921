//! Every live task of a scheduler, in an intrusive list through the task
//! headers, so shutdown can cancel tasks nobody will wake again (a task
//! parked on a waker held by another parked task would otherwise leak).

use std::future::Future;
use std::ptr::NonNull;
use std::sync::Mutex;

use super::core::Header;
use super::raw::RawTask;
use super::{Id, JoinHandle, Notified, Schedule, Task};

pub(crate) struct OwnedTasks<S: 'static> {
    inner: Mutex<List>,
    _scheduler: std::marker::PhantomData<fn(S)>,
}

struct List {
    head: Option<NonNull<Header>>,
    len: usize,
    closed: bool,
}

// SAFETY: the raw pointers are only followed under the mutex, and each
// points to a task kept alive by the list's own reference.
unsafe impl Send for List {}

impl<S: Schedule> OwnedTasks<S> {
    pub(crate) fn new() -> Self {
        OwnedTasks {
            inner: Mutex::new(List {
                head: None,
                len: 0,
                closed: false,
            }),
            _scheduler: std::marker::PhantomData,
        }
    }

    /// Allocates a task for `future` and adds it to the list. Returns the
    /// handle and the first `Notified` to schedule, or `None` if the list is
    /// closed (the task is then already cancelled).
    pub(crate) fn bind<F>(
        &self,
        future: F,
        scheduler: S,
    ) -> (JoinHandle<F::Output>, Option<Notified<S>>)
    where
        F: Future + 'static,
    {
        let raw = RawTask::new(future, scheduler, Id::next());
        let task = Task::<S>::from_raw(raw);
        let notified = Notified(Task::from_raw(raw));
        let join = JoinHandle::new(raw);

        let mut list = self.lock();
        if list.closed {
            drop(list);
            drop(notified);
            task.shutdown();
            return (join, None);
        }
        // SAFETY: under the lock; the task is new, so in no list.
        unsafe { list.push_front(raw.header_ptr()) };
        std::mem::forget(task); // its reference now belongs to the list
        (join, Some(notified))
    }

    /// Removes a completing task; returns the list's reference, or `None`
    /// if shutdown already took it out.
    pub(crate) fn remove(&self, task: &Task<S>) -> Option<Task<S>> {
        let mut list = self.lock();
        let header = task.raw.header_ptr();
        // SAFETY: the links are only touched under this lock, and a task is
        // only ever in its own scheduler's list.
        if !unsafe { (*header.as_ref().owned.get()).in_list } {
            return None;
        }
        // SAFETY: it is in this list (checked above), under the lock.
        unsafe { list.unlink(header) };
        Some(Task::from_raw(task.raw))
    }

    /// Refuses new tasks and cancels every task still in the list (those
    /// running elsewhere are cancelled when they next yield).
    pub(crate) fn close_and_shutdown_all(&self) {
        self.lock().closed = true;
        loop {
            let next = {
                let mut list = self.lock();
                let Some(header) = list.head else { break };
                // SAFETY: the head is in this list; under the lock.
                unsafe { list.unlink(header) };
                // SAFETY: the header is alive (the list's reference moves to us).
                Task::<S>::from_raw(unsafe { RawTask::from_raw(header) })
            };
            next.shutdown();
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, List> {
        // The list stays consistent even if a panic poisoned the lock: no
        // user code runs while it is held.
        self.inner
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

impl List {
    /// # Safety
    /// Under the lock; `header` is live and in no list.
    unsafe fn push_front(&mut self, header: NonNull<Header>) {
        // SAFETY: by the caller's contract.
        unsafe {
            let links = &mut *header.as_ref().owned.get();
            links.prev = None;
            links.next = self.head;
            links.in_list = true;
            if let Some(old_head) = self.head {
                (*old_head.as_ref().owned.get()).prev = Some(header);
            }
        }
        self.head = Some(header);
        self.len += 1;
    }

    /// # Safety
    /// Under the lock; `header` is live and in this list.
    unsafe fn unlink(&mut self, header: NonNull<Header>) {
        // SAFETY: by the caller's contract; neighbours are in the list too.
        unsafe {
            let links = &mut *header.as_ref().owned.get();
            match links.prev {
                Some(prev) => (*prev.as_ref().owned.get()).next = links.next,
                None => self.head = links.next,
            }
            if let Some(next) = links.next {
                (*next.as_ref().owned.get()).prev = links.prev;
            }
            *links = Default::default();
        }
        self.len -= 1;
    }
}
