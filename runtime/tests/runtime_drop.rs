//! Dropping the last `Arc<Runtime>` inside one of the runtime's own tasks:
//! the worker cannot join itself, so the shutdown finishes on another
//! thread, and nothing leaks (descriptors are counted; valgrind counts
//! memory).
//!
//! Its own test binary: it counts the process's open descriptors.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use explicit_async_runtime::net::TcpListener;
use explicit_async_runtime::{Runtime, yield_now};

/// Bounds the wait for the background shutdown (never reached when it
/// works; a leak fails the test instead of hanging it).
const LIMIT: Duration = Duration::from_secs(30);

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .count()
}

/// Polls until the open descriptors are back to `expected`, up to `LIMIT`.
fn wait_for_fds(expected: usize) -> usize {
    let step = Duration::from_millis(10);
    let mut waited = Duration::ZERO;
    loop {
        let open = open_fds();
        if open == expected || waited >= LIMIT {
            return open;
        }
        std::thread::sleep(step);
        waited += step;
    }
}

#[test]
fn dropping_the_last_runtime_handle_in_its_own_task_leaks_nothing() {
    let before = open_fds();
    let runtime = Arc::new(Runtime::with_workers(2).unwrap());
    let (listening, listening_rx) = mpsc::channel();
    // A task still waiting when the runtime goes: its socket must close.
    runtime.spawn(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listening.send(()).unwrap();
        let _never = listener.accept().await;
    });
    listening_rx.recv().unwrap();
    let (dropped, dropped_rx) = mpsc::channel();
    let last = runtime.clone();
    runtime.spawn(async move {
        // Wait until this task holds the only handle, then drop it here.
        while Arc::strong_count(&last) > 1 {
            yield_now().await;
        }
        drop(last);
        dropped.send(()).unwrap();
    });
    drop(runtime);
    dropped_rx
        .recv_timeout(LIMIT)
        .expect("the task that dropped the runtime went on to its end");
    let after = wait_for_fds(before);
    assert_eq!(
        after, before,
        "descriptors open before the runtime: {before}, after its shutdown: {after}"
    );
}
