//! Timers: ordering, cancellation at scale, timeout, interval.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use explicit_async_runtime::time::{interval, sleep, sleep_until, timeout};
use explicit_async_runtime::{block_on, spawn_local};

#[test]
fn sleep_waits_at_least_its_duration() {
    block_on(async {
        let start = Instant::now();
        sleep(Duration::from_millis(30)).await;
        assert!(start.elapsed() >= Duration::from_millis(30));
        sleep(Duration::ZERO).await;
        sleep_until(Instant::now() - Duration::from_secs(1)).await;
    });
}

#[test]
fn timers_fire_in_deadline_order() {
    let order = block_on(async {
        let log = Rc::new(RefCell::new(Vec::new()));
        let mut handles = Vec::new();
        for (id, ms) in [(0, 60), (1, 20), (2, 40), (3, 1), (4, 80)] {
            let log = log.clone();
            handles.push(spawn_local(async move {
                sleep(Duration::from_millis(ms)).await;
                log.borrow_mut().push(id);
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
        Rc::try_unwrap(log).unwrap().into_inner()
    });
    assert_eq!(order, [3, 1, 2, 0, 4]);
}

/// Polls a future once with the current task's context.
struct PollOnce<'a, F>(Pin<&'a mut F>);
impl<F: Future> Future for PollOnce<'_, F> {
    type Output = Poll<F::Output>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Poll::Ready(self.0.as_mut().poll(cx))
    }
}

#[test]
fn hundred_thousand_sleeps_cancelled() {
    block_on(async {
        let mut sleeps: Vec<_> = (0..100_000)
            .map(|i| Box::pin(sleep(Duration::from_secs(3600 + i))))
            .collect();
        for s in &mut sleeps {
            assert!(PollOnce(s.as_mut()).await.is_pending());
        }
        drop(sleeps);
        // Cancelled timers never fire, and a fresh short one still does.
        let start = Instant::now();
        sleep(Duration::from_millis(10)).await;
        assert!(start.elapsed() < Duration::from_secs(60));
    });
}

#[test]
fn many_concurrent_sleeps_all_complete() {
    block_on(async {
        let handles: Vec<_> = (0..10_000u64)
            .map(|i| spawn_local(async move { sleep(Duration::from_millis(i % 50)).await }))
            .collect();
        for h in handles {
            h.await.unwrap();
        }
    });
}

#[test]
fn timeout_elapses_and_completes() {
    block_on(async {
        let slow = timeout(Duration::from_millis(20), sleep(Duration::from_secs(3600))).await;
        let error = slow.unwrap_err();
        assert_eq!(error.to_string(), "deadline has elapsed");
        let fast = timeout(Duration::from_secs(3600), async { 5 }).await;
        assert_eq!(fast, Ok(5));
        let io: std::io::Error = error.into();
        assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);
    });
}

#[test]
fn interval_ticks_at_period_multiples() {
    block_on(async {
        let period = Duration::from_millis(10);
        let mut ticks = interval(period);
        let first = ticks.tick().await;
        let mut last = first;
        for n in 1..=5u32 {
            let t = ticks.tick().await;
            assert_eq!(t, first + period * n, "ticks are scheduled, not measured");
            assert!(Instant::now() >= t);
            last = t;
        }
        assert!(last > first);
    });
}

#[test]
#[should_panic(expected = "non-zero period")]
fn zero_interval_panics() {
    let _ = interval(Duration::ZERO);
}
