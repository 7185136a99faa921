//! Timers: [`sleep`], [`sleep_until`], [`timeout`] and [`interval`], over a
//! per-runtime timer queue (a heap with O(1) cancellation, in the driver)
//! that the driver fires between reactor polls. Deadlines are
//! [`std::time::Instant`]s; the reactor rounds its timeout up to whole
//! milliseconds, so a timer never fires early.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

pub use std::time::{Duration, Instant};

use crate::driver::timers::TimerKey;
use crate::driver::{Handle, no_runtime};

/// Waits until `duration` has passed.
///
/// The timer is registered on the first poll and cancelled (in O(1)) when
/// the future is dropped.
///
/// # Panics
/// When polled outside a runtime (`block_on` or `Runtime`).
pub fn sleep(duration: Duration) -> Sleep {
    sleep_until(Instant::now() + duration)
}

/// Waits until `deadline`.
///
/// # Panics
/// As [`sleep`].
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        deadline,
        registered: None,
    }
}

/// The future returned by [`sleep`] and [`sleep_until`].
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    deadline: Instant,
    registered: Option<(Arc<Handle>, TimerKey)>,
}

impl Sleep {
    /// When the sleep ends.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// True once the deadline has passed.
    pub fn is_elapsed(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// Moves the deadline (the next poll registers it again).
    pub fn reset(&mut self, deadline: Instant) {
        self.unregister();
        self.deadline = deadline;
    }

    fn unregister(&mut self) {
        if let Some((handle, key)) = self.registered.take() {
            handle.timers().remove(key);
        }
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match &self.registered {
            Some((handle, key)) => {
                if handle.timers().poll(*key, cx.waker()) {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }
            None => {
                if Instant::now() >= self.deadline {
                    return Poll::Ready(());
                }
                let handle = Handle::current().unwrap_or_else(|| panic!("{}", no_runtime()));
                let (key, earliest) = handle.timers().insert(self.deadline, cx.waker().clone());
                if earliest {
                    // A thread blocked in the reactor computed its timeout
                    // from a later deadline.
                    handle.unpark();
                }
                self.registered = Some((handle, key));
                Poll::Pending
            }
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        self.unregister();
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .finish()
    }
}

/// Runs `future` for at most `duration`: `Err(Elapsed)` if it was not done
/// by then (it is dropped with the `Timeout`).
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    timeout_at(Instant::now() + duration, future)
}

/// As [`timeout`], with an absolute deadline.
pub fn timeout_at<F: Future>(deadline: Instant, future: F) -> Timeout<F> {
    Timeout {
        future,
        sleep: sleep_until(deadline),
    }
}

pin_project_lite::pin_project! {
    /// The future returned by [`timeout`].
    #[must_use = "futures do nothing unless awaited"]
    #[derive(Debug)]
    pub struct Timeout<F> {
        #[pin]
        future: F,
        sleep: Sleep,
    }
}

impl<F> Timeout<F> {
    /// The future being timed.
    pub fn get_ref(&self) -> &F {
        &self.future
    }

    /// The future being timed, without its deadline.
    pub fn into_inner(self) -> F {
        self.future
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(output) = this.future.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        ready!(Pin::new(this.sleep).poll(cx));
        Poll::Ready(Err(Elapsed(())))
    }
}

/// The error of a [`timeout`] whose deadline passed first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed(());

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl Error for Elapsed {}

impl From<Elapsed> for io::Error {
    fn from(elapsed: Elapsed) -> io::Error {
        io::Error::new(io::ErrorKind::TimedOut, elapsed)
    }
}

/// Ticks every `period`, the first tick at once.
///
/// Ticks that fall behind (the task was busy) fire back to back until the
/// schedule is caught up, so the count of ticks matches elapsed time.
///
/// # Panics
/// If `period` is zero.
pub fn interval(period: Duration) -> Interval {
    interval_at(Instant::now(), period)
}

/// As [`interval`], the first tick at `start`.
///
/// # Panics
/// If `period` is zero.
pub fn interval_at(start: Instant, period: Duration) -> Interval {
    assert!(!period.is_zero(), "`interval` needs a non-zero period");
    Interval {
        sleep: sleep_until(start),
        period,
    }
}

/// The stream of instants returned by [`interval`].
#[derive(Debug)]
pub struct Interval {
    sleep: Sleep,
    period: Duration,
}

impl Interval {
    /// Waits for the next tick; returns its scheduled instant.
    pub fn tick(&mut self) -> Tick<'_> {
        Tick { interval: self }
    }

    /// Polls for the next tick (for hand-written futures).
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<Instant> {
        ready!(Pin::new(&mut self.sleep).poll(cx));
        let scheduled = self.sleep.deadline();
        self.sleep.reset(scheduled + self.period);
        Poll::Ready(scheduled)
    }

    /// The time between two ticks.
    pub fn period(&self) -> Duration {
        self.period
    }
}

/// The future returned by [`Interval::tick`].
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct Tick<'a> {
    interval: &'a mut Interval,
}

impl Future for Tick<'_> {
    type Output = Instant;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Instant> {
        self.interval.poll_tick(cx)
    }
}
