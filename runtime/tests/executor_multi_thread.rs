//! The work-stealing `Runtime`: spawning, stealing, parking without
//! spinning, panics, abort, shutdown, and I/O and timers on workers.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use explicit_async_runtime::net::{TcpListener, TcpStream};
use explicit_async_runtime::time::{sleep, timeout};
use explicit_async_runtime::{Builder, Runtime, spawn, yield_now};

const LIMIT: Duration = Duration::from_secs(60);

#[test]
fn spawn_and_join_many_tasks() {
    let rt = Runtime::with_workers(2).unwrap();
    assert_eq!(rt.workers(), 2);
    let handles: Vec<_> = (0..10_000u64)
        .map(|i| rt.spawn(async move { i * 2 }))
        .collect();
    let sum = rt.block_on(async {
        let mut sum = 0;
        for h in handles {
            sum += h.await.unwrap();
        }
        sum
    });
    assert_eq!(sum, 2 * (0..10_000u64).sum::<u64>());
}

#[test]
fn tasks_spawn_tasks_and_yield() {
    let rt = Builder::new()
        .worker_threads(2)
        .thread_name("yield-test")
        .build()
        .unwrap();
    let total = rt.block_on(async {
        let handles: Vec<_> = (0..200)
            .map(|_| {
                spawn(async {
                    for _ in 0..1000 {
                        yield_now().await;
                    }
                    spawn(async { 1usize }).await.unwrap()
                })
            })
            .collect();
        let mut total = 0;
        for h in handles {
            total += h.await.unwrap();
        }
        total
    });
    assert_eq!(total, 200);
}

#[test]
fn work_runs_on_several_workers_at_once() {
    let rt = Runtime::with_workers(2).unwrap();
    let arrived = Arc::new(AtomicUsize::new(0));
    let threads = Arc::new(Mutex::new(Vec::<ThreadId>::new()));
    // Each task blocks its worker until the other has arrived: this only
    // finishes if the two run in parallel (the second one stolen or
    // picked up by the other worker).
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (arrived, threads) = (arrived.clone(), threads.clone());
            rt.spawn(async move {
                threads.lock().unwrap().push(std::thread::current().id());
                arrived.fetch_add(1, SeqCst);
                let start = Instant::now();
                while arrived.load(SeqCst) < 2 && start.elapsed() < LIMIT {
                    std::thread::yield_now();
                }
                arrived.load(SeqCst)
            })
        })
        .collect();
    rt.block_on(async {
        for h in handles {
            assert_eq!(
                h.await.unwrap(),
                2,
                "the two tasks never ran at the same time"
            );
        }
    });
    let threads = threads.lock().unwrap();
    assert_ne!(threads[0], threads[1]);
}

#[test]
fn panicking_task_is_reported_and_workers_survive() {
    let rt = Runtime::with_workers(2).unwrap();
    rt.block_on(async {
        for _ in 0..10 {
            let error = spawn(async { panic!("worker task panic") })
                .await
                .unwrap_err();
            assert!(error.is_panic());
        }
        assert_eq!(spawn(async { 3 }).await.unwrap(), 3);
    });
}

#[test]
fn abort_and_shutdown_drop_futures() {
    struct CountDrop(Arc<AtomicUsize>);
    impl Drop for CountDrop {
        fn drop(&mut self) {
            self.0.fetch_add(1, SeqCst);
        }
    }
    let dropped = Arc::new(AtomicUsize::new(0));
    let rt = Runtime::with_workers(2).unwrap();
    let guard = CountDrop(dropped.clone());
    let aborted = rt.spawn(async move {
        let _guard = guard;
        sleep(Duration::from_secs(3600)).await;
    });
    for _ in 0..10 {
        let guard = CountDrop(dropped.clone());
        drop(rt.spawn(async move {
            let _guard = guard;
            std::future::pending::<()>().await;
        }));
    }
    rt.block_on(async {
        sleep(Duration::from_millis(10)).await;
        aborted.abort();
        assert!(aborted.await.unwrap_err().is_cancelled());
    });
    assert_eq!(dropped.load(SeqCst), 1);
    drop(rt);
    assert_eq!(
        dropped.load(SeqCst),
        11,
        "shutdown dropped every parked task"
    );
}

#[test]
fn timers_and_tcp_on_workers() {
    let rt = Runtime::with_workers(2).unwrap();
    rt.block_on(async {
        timeout(LIMIT, async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let server = spawn(async move {
                for _ in 0..20 {
                    let (mut stream, _) = listener.accept().await.unwrap();
                    spawn(async move {
                        let mut buf = [0u8; 1024];
                        loop {
                            let n = stream.read(&mut buf).await.unwrap();
                            if n == 0 {
                                break;
                            }
                            stream.write_all(&buf[..n]).await.unwrap();
                        }
                    });
                }
            });
            let clients: Vec<_> = (0..20u8)
                .map(|c| {
                    spawn(async move {
                        sleep(Duration::from_millis(u64::from(c))).await;
                        let mut stream = TcpStream::connect(addr).await.unwrap();
                        for round in 0..50u8 {
                            let message = [c, round, 7, 7];
                            stream.write_all(&message).await.unwrap();
                            let mut back = [0u8; 4];
                            stream.read_exact(&mut back).await.unwrap();
                            assert_eq!(back, message);
                        }
                    })
                })
                .collect();
            for c in clients {
                c.await.unwrap();
            }
            server.await.unwrap();
        })
        .await
        .expect("timed out");
    });
}

/// Timers set from workers and from `block_on` all fire, none early. (Order
/// is checked single-threaded in `time.rs`: here two timers due in the same
/// driver turn may run on different workers in either order.)
#[test]
fn timers_fire_on_workers_never_early() {
    let rt = Runtime::with_workers(2).unwrap();
    rt.block_on(async {
        let handles: Vec<_> = (0..200u64)
            .map(|i| {
                spawn(async move {
                    let deadline = Instant::now() + Duration::from_millis(i % 40);
                    explicit_async_runtime::time::sleep_until(deadline).await;
                    assert!(Instant::now() >= deadline, "timer fired early");
                })
            })
            .collect();
        for h in handles {
            h.await.unwrap();
        }
        let start = Instant::now();
        sleep(Duration::from_millis(15)).await;
        assert!(start.elapsed() >= Duration::from_millis(15));
    });
}

#[test]
fn cross_thread_wake_into_runtime_block_on() {
    let rt = Runtime::with_workers(1).unwrap();
    let value = rt.block_on(async {
        let (tx, rx) = std::sync::mpsc::channel();
        let handle = spawn(async move {
            sleep(Duration::from_millis(5)).await;
            tx.send(9).unwrap();
            9
        });
        let out = timeout(LIMIT, handle).await.unwrap().unwrap();
        assert_eq!(rx.recv().unwrap(), out);
        out
    });
    assert_eq!(value, 9);
}

/// CPU time (user + system, in clock ticks) of this process's threads
/// whose name starts with `prefix`.
fn cpu_ticks_of_threads(prefix: &str) -> u64 {
    let mut ticks = 0;
    for task in std::fs::read_dir("/proc/self/task").unwrap() {
        let path = task.unwrap().path();
        let Ok(name) = std::fs::read_to_string(path.join("comm")) else {
            continue;
        };
        if !name.starts_with(prefix) {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(path.join("stat")) else {
            continue;
        };
        // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
        let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
        ticks += fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    }
    ticks
}

#[test]
fn idle_workers_do_not_spin() {
    let rt = Builder::new()
        .worker_threads(2)
        .thread_name("idle-check")
        .build()
        .unwrap();
    rt.block_on(async {
        // Let the workers settle into their parked state.
        sleep(Duration::from_millis(20)).await;
    });
    // SAFETY: `sysconf` has no preconditions.
    let ticks_per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as u64;
    let (before, wall_before) = (cpu_ticks_of_threads("idle-check"), Instant::now());
    rt.block_on(sleep(Duration::from_millis(500)));
    let ticks = cpu_ticks_of_threads("idle-check") - before;
    let wall_ticks = wall_before.elapsed().as_millis() as u64 * ticks_per_second / 1000;
    // Two spinning workers would use about twice the wall time.
    assert!(
        ticks * 4 < wall_ticks,
        "idle workers used {ticks} CPU ticks in {wall_ticks} ticks of wall time"
    );
}

/// Two tasks that wake each other forever run next to each other (a woken
/// task goes to the worker's LIFO slot); a task queued behind them on the
/// same worker must still run.
#[test]
fn tasks_waking_each_other_do_not_starve_the_queue() {
    use std::future::{Future, poll_fn};
    use std::sync::atomic::AtomicBool;
    use std::task::{Context, Poll, Waker};

    type Wakers = Arc<Mutex<[Option<Waker>; 2]>>;

    /// One of the pair: wakes the other at every poll; the first, on its
    /// third round, spawns `stopper` just before that wake, so the stopper
    /// lands in the queue behind the pair.
    fn player(
        me: usize,
        stop: Arc<AtomicBool>,
        wakers: Wakers,
        mut stopper: Option<impl Future<Output = ()> + Send + 'static>,
    ) -> impl FnMut(&mut Context<'_>) -> Poll<()> {
        let mut rounds = 0;
        move |cx| {
            if stop.load(SeqCst) {
                return Poll::Ready(());
            }
            rounds += 1;
            if rounds == 3
                && let Some(stopper) = stopper.take()
            {
                spawn(stopper);
            }
            let mut wakers = wakers.lock().unwrap();
            wakers[me] = Some(cx.waker().clone());
            if let Some(other) = wakers[1 - me].take() {
                other.wake();
            }
            Poll::Pending
        }
    }

    let rt = Runtime::with_workers(1).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let wakers: Wakers = Arc::new(Mutex::new([None, None]));
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let stopper = {
        let (stop, wakers) = (stop.clone(), wakers.clone());
        async move {
            stop.store(true, SeqCst);
            for waker in wakers.lock().unwrap().iter_mut().filter_map(Option::take) {
                waker.wake();
            }
            done_tx.send(()).unwrap();
        }
    };
    let first = player(0, stop.clone(), wakers.clone(), Some(stopper));
    let second = player(
        1,
        stop.clone(),
        wakers.clone(),
        None::<std::future::Ready<()>>,
    );
    rt.block_on(async move {
        spawn(async move {
            spawn(poll_fn(second));
            poll_fn(first).await;
        });
    });
    done_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the queued task never ran while the pair kept waking each other");
}

/// A message and its reply between many pairs: every wake-up arrives.
#[test]
fn ping_pong_pairs_complete() {
    use std::future::poll_fn;
    use std::task::{Poll, Waker};

    struct Mailbox {
        value: Option<u32>,
        waiter: Option<Waker>,
    }

    fn recv(mailbox: Arc<Mutex<Mailbox>>) -> impl std::future::Future<Output = u32> {
        poll_fn(move |cx| {
            let mut mailbox = mailbox.lock().unwrap();
            match mailbox.value.take() {
                Some(value) => Poll::Ready(value),
                None => {
                    mailbox.waiter = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
    }

    fn send(mailbox: &Mutex<Mailbox>, value: u32) {
        let mut mailbox = mailbox.lock().unwrap();
        mailbox.value = Some(value);
        if let Some(waiter) = mailbox.waiter.take() {
            waiter.wake();
        }
    }

    let rt = Runtime::with_workers(2).unwrap();
    let total = rt.block_on(async {
        let mut handles = Vec::new();
        for _ in 0..100 {
            let new = || {
                Arc::new(Mutex::new(Mailbox {
                    value: None,
                    waiter: None,
                }))
            };
            let (to_pong, to_ping) = (new(), new());
            let (a, b) = (to_pong.clone(), to_ping.clone());
            handles.push(spawn(async move {
                let mut last = 0;
                for _ in 0..100 {
                    last = recv(a.clone()).await;
                    send(&b, last + 1);
                }
                last
            }));
            handles.push(spawn(async move {
                let mut n = 0;
                for _ in 0..100 {
                    send(&to_pong, n);
                    n = recv(to_ping.clone()).await;
                }
                n
            }));
        }
        let mut total = 0;
        for handle in handles {
            let _ = timeout(Duration::from_secs(20), handle)
                .await
                .expect("no lost wake-up");
            total += 1;
        }
        total
    });
    assert_eq!(total, 200);
}

/// Nothing in the scheduler assumes two workers: at 1, 3, 8 and 16
/// workers, tasks that spawn, yield, sleep and block all finish, and with
/// several workers the blocked ones are stolen from by others.
#[test]
fn any_worker_count_runs_everything() {
    for workers in [1, 3, 8, 16] {
        let rt = Runtime::with_workers(workers).unwrap();
        assert_eq!(rt.workers(), workers);
        let threads = Arc::new(Mutex::new(std::collections::HashSet::<ThreadId>::new()));
        let total = rt.block_on(async {
            let handles: Vec<_> = (0..64)
                .map(|i| {
                    let threads = threads.clone();
                    spawn(async move {
                        for _ in 0..10 {
                            yield_now().await;
                        }
                        sleep(Duration::from_millis(i % 3)).await;
                        // Blocks its worker a moment, so others must steal.
                        std::thread::sleep(Duration::from_millis(1));
                        threads.lock().unwrap().insert(std::thread::current().id());
                        spawn(async move { i }).await.unwrap()
                    })
                })
                .collect();
            let mut total = 0;
            for handle in handles {
                total += timeout(LIMIT, handle).await.expect("timed out").unwrap();
            }
            total
        });
        assert_eq!(total, (0..64).sum::<u64>(), "{workers} workers");
        let used = threads.lock().unwrap().len();
        assert!(
            used >= workers.min(2),
            "{workers} workers, tasks ran on {used} thread(s)"
        );
    }
}
