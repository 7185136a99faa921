//! The task machinery under a minimal scheduler, counting allocations and
//! drops so a leaked or doubly released reference fails a test.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use super::core::LIVE_CELLS;
use super::*;

/// `LIVE_CELLS` is process-wide: tests that count it run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

struct TestScheduler {
    queue: Mutex<VecDeque<Notified<Arc<TestScheduler>>>>,
    owned: OwnedTasks<Arc<TestScheduler>>,
}

impl Schedule for Arc<TestScheduler> {
    fn schedule(&self, task: Notified<Self>) {
        self.queue.lock().unwrap().push_back(task);
    }
    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.owned.remove(task)
    }
}

impl TestScheduler {
    fn new() -> Arc<TestScheduler> {
        Arc::new(TestScheduler {
            queue: Mutex::new(VecDeque::new()),
            owned: OwnedTasks::new(),
        })
    }
    fn spawn<F: Future + Send + 'static>(self: &Arc<Self>, f: F) -> JoinHandle<F::Output> {
        let (join, notified) = self.owned.bind(f, self.clone());
        if let Some(n) = notified {
            self.schedule(n);
        }
        join
    }
    /// Runs queued tasks until the queue is empty; returns how many polls.
    fn run(&self) -> usize {
        let mut polls = 0;
        loop {
            let next = self.queue.lock().unwrap().pop_front();
            let Some(task) = next else { return polls };
            task.run();
            polls += 1;
        }
    }
    fn shutdown(&self) {
        self.owned.close_and_shutdown_all();
        let drained: Vec<_> = self.queue.lock().unwrap().drain(..).collect();
        drop(drained);
    }
}

/// Counts drops of whatever holds it.
#[derive(Clone, Default)]
struct DropCount(Arc<AtomicUsize>);
impl DropCount {
    fn get(&self) -> usize {
        self.0.load(SeqCst)
    }
}
struct Tracked(DropCount);
impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.0.fetch_add(1, SeqCst);
    }
}

/// Whether the gate is open, and the waker of the task waiting on it.
type GateSlot = Arc<Mutex<(bool, Option<Waker>)>>;

/// Returns `Pending` until woken through the waker it hands out.
struct Gate {
    slot: GateSlot,
}
impl Future for Gate {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut slot = self.slot.lock().unwrap();
        if slot.0 {
            Poll::Ready(())
        } else {
            slot.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
fn gate() -> (Gate, GateSlot) {
    let slot = Arc::new(Mutex::new((false, None)));
    (Gate { slot: slot.clone() }, slot)
}
fn open(slot: &Mutex<(bool, Option<Waker>)>) {
    let waker = {
        let mut s = slot.lock().unwrap();
        s.0 = true;
        s.1.take()
    };
    if let Some(w) = waker {
        w.wake();
    }
}

fn poll_once<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
    Pin::new(f).poll(&mut Context::from_waker(Waker::noop()))
}

fn assert_no_live_tasks() {
    assert_eq!(LIVE_CELLS.load(SeqCst), 0, "a task allocation leaked");
}

#[test]
fn spawn_run_join_frees_the_task() {
    let _s = serial();
    let sched = TestScheduler::new();
    let output_drops = DropCount::default();
    let tracked = Tracked(output_drops.clone());
    let mut join = sched.spawn(async move { (7, tracked) });
    assert_eq!(sched.run(), 1);
    assert!(join.is_finished());
    let Poll::Ready(Ok((7, out))) = poll_once(&mut join) else {
        panic!("no output")
    };
    drop(out);
    drop(join);
    assert_eq!(output_drops.get(), 1);
    assert_eq!(sched.owned.len(), 0);
    assert_no_live_tasks();
}

#[test]
fn output_nobody_joins_is_dropped_once() {
    let _s = serial();
    let sched = TestScheduler::new();
    let drops = DropCount::default();
    let tracked = Tracked(drops.clone());
    drop(sched.spawn(async move { tracked }));
    sched.run();
    assert_eq!(drops.get(), 1);
    assert_no_live_tasks();

    // Join handle dropped after completion: it drops the output.
    let tracked = Tracked(drops.clone());
    let join = sched.spawn(async move { tracked });
    sched.run();
    assert_eq!(drops.get(), 1);
    drop(join);
    assert_eq!(drops.get(), 2);
    assert_no_live_tasks();
}

#[test]
fn wake_reschedules_once_and_join_waker_fires() {
    let _s = serial();
    let sched = TestScheduler::new();
    let (g, slot) = gate();
    let mut join = sched.spawn(g);
    assert_eq!(sched.run(), 1);
    let joiner_woken = Arc::new(AtomicUsize::new(0));
    let joiner = waker_counting(joiner_woken.clone());
    assert!(
        Pin::new(&mut join)
            .poll(&mut Context::from_waker(&joiner))
            .is_pending()
    );

    // Two wakes while notified: only one poll.
    let waker = slot.lock().unwrap().1.clone().unwrap();
    waker.wake_by_ref();
    waker.wake_by_ref();
    assert_eq!(sched.queue.lock().unwrap().len(), 1);
    open(&slot);
    assert_eq!(sched.run(), 1);
    assert_eq!(joiner_woken.load(SeqCst), 1);
    assert!(matches!(poll_once(&mut join), Poll::Ready(Ok(()))));
    // Waking after completion is harmless and releases the reference.
    waker.wake_by_ref();
    waker.wake();
    assert_eq!(sched.run(), 0);
    drop(join);
    assert_no_live_tasks();
}

#[test]
fn waker_clones_keep_the_task_alive_until_dropped() {
    let _s = serial();
    let sched = TestScheduler::new();
    let (g, slot) = gate();
    let join = sched.spawn(g);
    sched.run();
    let clones: Vec<Waker> = (0..10)
        .map(|_| slot.lock().unwrap().1.clone().unwrap())
        .collect();
    open(&slot);
    sched.run();
    drop(join);
    assert_eq!(LIVE_CELLS.load(SeqCst), 1, "wakers still hold the task");
    drop(clones);
    assert_no_live_tasks();
}

#[test]
fn wake_from_another_thread() {
    let _s = serial();
    let sched = TestScheduler::new();
    let (g, slot) = gate();
    let mut join = sched.spawn(g);
    sched.run();
    std::thread::spawn(move || open(&slot)).join().unwrap();
    assert_eq!(sched.run(), 1);
    assert!(matches!(poll_once(&mut join), Poll::Ready(Ok(()))));
    drop(join);
    assert_no_live_tasks();
}

#[test]
fn abort_idle_task_drops_future_and_reports_cancelled() {
    let _s = serial();
    let sched = TestScheduler::new();
    let drops = DropCount::default();
    let tracked = Tracked(drops.clone());
    let (g, _slot) = gate();
    let mut join = sched.spawn(async move {
        let _t = tracked;
        g.await;
    });
    sched.run();
    join.abort();
    join.abort();
    assert_eq!(sched.run(), 1);
    assert_eq!(drops.get(), 1);
    let Poll::Ready(Err(e)) = poll_once(&mut join) else {
        panic!("expected error")
    };
    assert!(e.is_cancelled() && !e.is_panic());
    drop(join);
    drop(_slot);
    assert_no_live_tasks();
}

#[test]
fn abort_before_first_poll() {
    let _s = serial();
    let sched = TestScheduler::new();
    let mut join = sched.spawn(async { 1 });
    join.abort();
    sched.run();
    assert!(matches!(poll_once(&mut join), Poll::Ready(Err(e)) if e.is_cancelled()));
    drop(join);
    assert_no_live_tasks();
}

#[test]
fn abort_after_completion_keeps_the_output() {
    let _s = serial();
    let sched = TestScheduler::new();
    let mut join = sched.spawn(async { 5 });
    sched.run();
    join.abort();
    assert_eq!(sched.run(), 0);
    assert!(matches!(poll_once(&mut join), Poll::Ready(Ok(5))));
    drop(join);
    assert_no_live_tasks();
}

#[test]
fn panic_is_caught_and_reported() {
    let _s = serial();
    let sched = TestScheduler::new();
    let mut join = sched.spawn(async { panic!("boom") });
    sched.run();
    let Poll::Ready(Err(e)) = poll_once(&mut join) else {
        panic!("expected error")
    };
    assert!(e.is_panic());
    assert!(e.to_string().contains("boom"), "{e}");
    assert_eq!(*e.into_panic().downcast::<&str>().unwrap(), "boom");
    drop(join);
    assert_no_live_tasks();
}

#[test]
fn shutdown_cancels_parked_tasks_even_in_a_waker_cycle() {
    let _s = serial();
    let sched = TestScheduler::new();
    let drops = DropCount::default();
    // Two tasks each holding the other's waker: only shutdown frees them.
    let (ga, slot_a) = gate();
    let (gb, slot_b) = gate();
    let (ta, tb) = (Tracked(drops.clone()), Tracked(drops.clone()));
    let ja = sched.spawn(async move {
        let _keep = (ta, slot_b);
        ga.await
    });
    let jb = sched.spawn(async move {
        let _keep = (tb, slot_a);
        gb.await
    });
    sched.run();
    let mut ja = ja;
    sched.shutdown();
    assert_eq!(drops.get(), 2);
    assert!(matches!(poll_once(&mut ja), Poll::Ready(Err(e)) if e.is_cancelled()));
    drop((ja, jb));
    assert_no_live_tasks();
    // A closed list cancels new tasks at once.
    let mut late = sched.spawn(async { 1 });
    assert!(matches!(poll_once(&mut late), Poll::Ready(Err(e)) if e.is_cancelled()));
    drop(late);
    assert_no_live_tasks();
}

#[test]
fn join_handle_replaces_its_waker() {
    let _s = serial();
    let sched = TestScheduler::new();
    let (g, slot) = gate();
    let mut join = sched.spawn(g);
    let first = Arc::new(AtomicUsize::new(0));
    let second = Arc::new(AtomicUsize::new(0));
    let w1 = waker_counting(first.clone());
    let w2 = waker_counting(second.clone());
    assert!(
        Pin::new(&mut join)
            .poll(&mut Context::from_waker(&w1))
            .is_pending()
    );
    assert!(
        Pin::new(&mut join)
            .poll(&mut Context::from_waker(&w2))
            .is_pending()
    );
    sched.run();
    open(&slot);
    sched.run();
    assert_eq!((first.load(SeqCst), second.load(SeqCst)), (0, 1));
    drop(join);
    drop((w1, w2));
    assert_no_live_tasks();
}

#[test]
fn self_wake_while_running_reschedules() {
    let _s = serial();
    let sched = TestScheduler::new();
    let mut polls = 0;
    let mut join = sched.spawn(std::future::poll_fn(move |cx| {
        polls += 1;
        if polls == 3 {
            return Poll::Ready(polls);
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }));
    assert_eq!(sched.run(), 3);
    assert!(matches!(poll_once(&mut join), Poll::Ready(Ok(3))));
    drop(join);
    assert_no_live_tasks();
}

fn waker_counting(count: Arc<AtomicUsize>) -> Waker {
    struct Counting(Arc<AtomicUsize>);
    impl std::task::Wake for Counting {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, SeqCst);
        }
    }
    Waker::from(Arc::new(Counting(count)))
}
