//! Running out of file descriptors: `accept` and `connect` return `EMFILE`
//! as errors, an accept loop that keeps retrying does not spin, other tasks
//! keep running, and the server recovers once descriptors are available.
//!
//! Its own test binary, because it lowers the process's descriptor limit.
//! Skipped under valgrind, which keeps a descriptor limit of its own.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use explicit_async_runtime::net::{TcpListener, TcpStream};
use explicit_async_runtime::time::{sleep, timeout};
use explicit_async_runtime::{block_on, spawn_local};

/// The tests here change the process's descriptor limit: one at a time.
static LIMIT_CHANGES: Mutex<()> = Mutex::new(());

/// Runs `test` alone, on a thread of its own that has exited (closing the
/// driver `block_on` caches per thread) before the next test starts: a
/// descriptor closed in the middle of another test would make room where
/// that test counts on there being none.
fn one_at_a_time(test: impl FnOnce() + Send + 'static) {
    let _alone: MutexGuard<'static, ()> = LIMIT_CHANGES.lock().unwrap_or_else(|p| p.into_inner());
    if let Err(panic) = std::thread::spawn(test).join() {
        std::panic::resume_unwind(panic);
    }
}

fn get_limit() -> libc::rlimit {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid out-pointer.
    assert_eq!(
        unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) },
        0
    );
    limit
}

fn set_limit(limit: libc::rlimit) {
    // SAFETY: a valid `rlimit`; the soft limit never exceeds the hard one here.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) }, 0);
}

/// Lowers the soft limit to the lowest free descriptor number, so every
/// new descriptor fails with `EMFILE`.
fn exhaust_descriptors() {
    // SAFETY: duplicating stdin's descriptor number, then closing the copy.
    let lowest_free = unsafe { libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 0) };
    assert!(lowest_free >= 0);
    // SAFETY: we own the descriptor just made.
    unsafe { libc::close(lowest_free) };
    set_limit(libc::rlimit {
        rlim_cur: lowest_free as libc::rlim_t,
        ..get_limit()
    });
}

/// Valgrind keeps its own copy of the descriptor limit (it never lowers
/// the kernel's, and checks only some calls against its copy), so these
/// tests, which are about the kernel's `EMFILE`, cannot run under it.
fn skipped_under_valgrind() -> bool {
    let preload = std::env::var("LD_PRELOAD").unwrap_or_default();
    let skipped = preload.contains("vgpreload");
    if skipped {
        eprintln!("skipped: valgrind virtualises the descriptor limit");
    }
    skipped
}

fn is_emfile(error: &std::io::Error) -> bool {
    error.raw_os_error() == Some(libc::EMFILE)
}

#[test]
fn out_of_descriptors_is_an_error_and_the_server_recovers() {
    if skipped_under_valgrind() {
        return;
    }
    one_at_a_time(out_of_descriptors);
}

fn out_of_descriptors() {
    let saved = get_limit();
    block_on(async {
        timeout(Duration::from_secs(60), async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            // Connected by the kernel, waiting in the listen backlog.
            let clients: Vec<_> = (0..3)
                .map(|_| std::net::TcpStream::connect(addr).unwrap())
                .collect();

            exhaust_descriptors();
            let error = listener.accept().await.unwrap_err();
            assert!(is_emfile(&error), "accept: {error}");
            let error = TcpStream::connect(addr).await.unwrap_err();
            assert!(is_emfile(&error), "connect: {error}");

            // A server that retries after every error, next to another task.
            let failed_accepts = Rc::new(Cell::new(0u32));
            let ticks = Rc::new(Cell::new(0u32));
            let ticker = {
                let ticks = ticks.clone();
                spawn_local(async move {
                    loop {
                        sleep(Duration::from_millis(5)).await;
                        ticks.set(ticks.get() + 1);
                    }
                })
            };
            let server = {
                let failed_accepts = failed_accepts.clone();
                spawn_local(async move {
                    let mut served = 0;
                    while served < 3 {
                        match listener.accept().await {
                            Ok((mut stream, _)) => {
                                let mut buf = [0u8; 5];
                                stream.read_exact(&mut buf).await.unwrap();
                                stream.write_all(&buf).await.unwrap();
                                served += 1;
                            }
                            Err(error) => {
                                assert!(is_emfile(&error), "{error}");
                                failed_accepts.set(failed_accepts.get() + 1);
                            }
                        }
                    }
                })
            };
            sleep(Duration::from_millis(200)).await;
            let retries = failed_accepts.get();
            assert!(retries >= 1, "the server kept trying");
            // Spinning would retry hundreds of thousands of times in 200 ms;
            // the listener backs off between attempts instead.
            assert!(retries < 1000, "accept loop spun: {retries} retries");
            assert!(ticks.get() >= 1, "other tasks kept running");

            set_limit(saved);
            for client in clients {
                client.set_nonblocking(true).unwrap();
                let mut client = TcpStream::from_std(client).unwrap();
                client.write_all(b"hello").await.unwrap();
                let mut echoed = [0u8; 5];
                client.read_exact(&mut echoed).await.unwrap();
                assert_eq!(&echoed, b"hello");
            }
            server.await.unwrap();
            ticker.abort();
        })
        .await
        .expect("timed out");
    });
    set_limit(saved);
}

/// After `EMFILE`, every task waiting in `accept` waits out the back-off
/// and is then woken (each `Accept` has its own timer; a shared one would
/// wake only the task that polled it last).
#[test]
fn every_acceptor_in_back_off_is_woken() {
    if skipped_under_valgrind() {
        return;
    }
    one_at_a_time(acceptors_in_back_off);
}

fn acceptors_in_back_off() {
    const WAIT: Duration = Duration::from_secs(20);
    let saved = get_limit();
    block_on(async {
        let listener = Rc::new(TcpListener::bind("127.0.0.1:0").await.unwrap());
        let addr = listener.local_addr().unwrap();
        let clients: Vec<_> = (0..2)
            .map(|_| std::net::TcpStream::connect(addr).unwrap())
            .collect();
        exhaust_descriptors();
        let error = listener.accept().await.unwrap_err();
        assert!(is_emfile(&error), "accept: {error}");
        let started = Instant::now();
        let acceptors: Vec<_> = (0..2)
            .map(|_| {
                let listener = listener.clone();
                spawn_local(async move { timeout(WAIT, listener.accept()).await })
            })
            .collect();
        // Both are parked on the back-off timer when descriptors return.
        sleep(Duration::from_millis(1)).await;
        set_limit(saved);
        for acceptor in acceptors {
            let accepted = acceptor
                .await
                .unwrap()
                .expect("an acceptor was never woken");
            accepted.unwrap();
        }
        let elapsed = started.elapsed();
        assert!(
            elapsed < WAIT / 4,
            "acceptors served in {elapsed:?}, not within 1/4 of their {WAIT:?} timeout"
        );
        drop(clients);
    });
    set_limit(saved);
}
