//! `JoinHandle` (awaits a task's output) and `JoinError` (why there is none).

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::io;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use super::Id;
use super::harness::panic_message;
use super::raw::RawTask;
use super::state::TransitionToCancelled;

/// An owned permission to await a spawned task's output.
///
/// Awaiting it gives `Ok(output)`, or a [`JoinError`] if the task panicked
/// or was aborted. Dropping it detaches the task, which keeps running.
pub struct JoinHandle<T> {
    raw: RawTask,
    _output: PhantomData<T>,
}

// SAFETY: the handle only moves the output `T` across threads (so `T: Send`)
// and otherwise touches the task through its atomic state word.
unsafe impl<T: Send> Send for JoinHandle<T> {}
// SAFETY: `&JoinHandle` only exposes `abort`, `is_finished` and `id`, which
// go through the atomic state word.
unsafe impl<T: Send> Sync for JoinHandle<T> {}

impl<T> Unpin for JoinHandle<T> {}

impl<T> JoinHandle<T> {
    /// Takes over the task's `JoinHandle` reference.
    pub(super) fn new(raw: RawTask) -> Self {
        JoinHandle {
            raw,
            _output: PhantomData,
        }
    }

    /// Cancels the task: its future is dropped the next time a worker would
    /// run it (at once if idle), and awaiting this handle gives a cancelled
    /// `JoinError`. Does nothing if the task already finished.
    pub fn abort(&self) {
        match self.raw.state().transition_to_notified_and_cancel() {
            TransitionToCancelled::Submit => self.raw.schedule(),
            TransitionToCancelled::DoNothing => {}
        }
    }

    /// True once the task has finished (completed, panicked or cancelled).
    pub fn is_finished(&self) -> bool {
        self.raw.state().load().is_complete()
    }

    /// The task's id, unique within the process.
    pub fn id(&self) -> Id {
        self.raw.header().id
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut output = Poll::Pending;
        // SAFETY: `output` has the type the task's vtable writes (`T` is the
        // task's output type, fixed when the handle was created).
        unsafe {
            self.raw
                .try_read_output((&mut output as *mut Poll<Self::Output>).cast(), cx.waker())
        };
        output
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        self.raw.drop_join_handle();
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("id", &self.id())
            .finish()
    }
}

/// A task failed to produce its output: it panicked or was cancelled.
pub struct JoinError {
    id: Id,
    repr: Repr,
}

enum Repr {
    Cancelled,
    /// A `Mutex` only to make `JoinError: Sync` around a `Send` payload.
    Panic(Mutex<Box<dyn Any + Send + 'static>>),
}

impl JoinError {
    pub(crate) fn cancelled(id: Id) -> JoinError {
        JoinError {
            id,
            repr: Repr::Cancelled,
        }
    }

    pub(crate) fn panic(id: Id, payload: Box<dyn Any + Send + 'static>) -> JoinError {
        JoinError {
            id,
            repr: Repr::Panic(Mutex::new(payload)),
        }
    }

    /// The task was aborted (or its runtime shut down) before finishing.
    pub fn is_cancelled(&self) -> bool {
        matches!(self.repr, Repr::Cancelled)
    }

    /// The task panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self.repr, Repr::Panic(_))
    }

    /// The panic payload, to re-raise with `std::panic::resume_unwind`.
    ///
    /// # Panics
    /// If the task was cancelled rather than panicking; see [`try_into_panic`](Self::try_into_panic).
    pub fn into_panic(self) -> Box<dyn Any + Send + 'static> {
        self.try_into_panic()
            .expect("`JoinError::into_panic` called on a cancelled task's error")
    }

    /// The panic payload, or the error back if the task was cancelled.
    pub fn try_into_panic(self) -> Result<Box<dyn Any + Send + 'static>, JoinError> {
        match self.repr {
            Repr::Panic(payload) => Ok(payload
                .into_inner()
                .unwrap_or_else(|poison| poison.into_inner())),
            Repr::Cancelled => Err(self),
        }
    }

    /// The id of the task that failed.
    pub fn id(&self) -> Id {
        self.id
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Cancelled => write!(f, "task {} was cancelled", self.id),
            Repr::Panic(payload) => {
                let payload = payload.lock().unwrap_or_else(|poison| poison.into_inner());
                match panic_message(&**payload) {
                    Some(message) => {
                        write!(f, "task {} panicked with message {message:?}", self.id)
                    }
                    None => write!(f, "task {} panicked", self.id),
                }
            }
        }
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Cancelled => write!(f, "JoinError::Cancelled({:?})", self.id),
            Repr::Panic(_) => write!(f, "JoinError::Panic({:?}, {self})", self.id),
        }
    }
}

impl std::error::Error for JoinError {}

impl From<JoinError> for io::Error {
    fn from(error: JoinError) -> io::Error {
        let kind = if error.is_cancelled() {
            io::ErrorKind::Interrupted
        } else {
            io::ErrorKind::Other
        };
        io::Error::new(kind, error.to_string())
    }
}
