//! Green threads: scheduling order, join, panics, stacks, timers, misuse.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::time::{Duration, Instant};

use explicit_async_runtime::green::{self, Builder, DEFAULT_STACK_SIZE};

type Log = Rc<RefCell<Vec<&'static str>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn record(log: &Log, event: &'static str) {
    log.borrow_mut().push(event);
}

fn take(log: Log) -> Vec<&'static str> {
    Rc::try_unwrap(log).unwrap().into_inner()
}

#[test]
fn spawned_threads_wait_for_the_spawner_to_yield_then_run_in_order() {
    let events = green::run(|| {
        let events = log();
        let mut handles = Vec::new();
        for name in ["a", "b", "c"] {
            let events = events.clone();
            handles.push(green::spawn(move || record(&events, name)));
        }
        record(&events, "main before yield");
        green::yield_now();
        record(&events, "main after yield");
        for handle in handles {
            handle.join().unwrap();
        }
        events
    });
    assert_eq!(
        take(events),
        ["main before yield", "a", "b", "c", "main after yield"]
    );
}

#[test]
fn yields_interleave_threads_round_robin() {
    let events = green::run(|| {
        let events = log();
        let a = {
            let events = events.clone();
            green::spawn(move || {
                for step in ["a1", "a2", "a3"] {
                    record(&events, step);
                    green::yield_now();
                }
            })
        };
        let b = {
            let events = events.clone();
            green::spawn(move || {
                for step in ["b1", "b2"] {
                    record(&events, step);
                    green::yield_now();
                }
            })
        };
        a.join().unwrap();
        b.join().unwrap();
        events
    });
    assert_eq!(take(events), ["a1", "b1", "a2", "b2", "a3"]);
}

#[test]
fn join_waits_for_the_thread_and_returns_its_output() {
    let (outputs, events) = green::run(|| {
        let events = log();
        let slow = {
            let events = events.clone();
            green::spawn(move || {
                for _ in 0..10 {
                    green::yield_now();
                }
                record(&events, "slow done");
                String::from("slow")
            })
        };
        let quick = green::spawn(|| 42);
        // `slow` is joined first: `quick` finishes meanwhile.
        let slow_output = slow.join().unwrap();
        record(&events, "joined slow");
        assert!(quick.is_finished());
        ((slow_output, quick.join().unwrap()), events)
    });
    assert_eq!(outputs, (String::from("slow"), 42));
    assert_eq!(take(events), ["slow done", "joined slow"]);
}

#[test]
fn a_panic_is_carried_through_join() {
    let (payload, survivor) = green::run(|| {
        let doomed = green::spawn(|| -> u32 {
            green::yield_now();
            panic!("green boom {}", std::hint::black_box(7));
        });
        let survivor = green::spawn(|| {
            green::yield_now();
            green::yield_now();
            "still running"
        });
        let payload = doomed.join().expect_err("the thread panicked");
        (payload, survivor.join().unwrap())
    });
    assert_eq!(payload.downcast_ref::<String>().unwrap(), "green boom 7");
    assert_eq!(survivor, "still running");
}

#[test]
fn a_panic_in_main_leaves_run_after_the_other_threads_finish() {
    let finished = Rc::new(Cell::new(false));
    let flag = finished.clone();
    let outcome = panic::catch_unwind(AssertUnwindSafe(move || {
        green::run(move || {
            // Detached: the handle is dropped at once.
            green::spawn(move || {
                green::sleep(Duration::from_millis(5));
                flag.set(true);
            });
            panic::panic_any(17u8);
        })
    }));
    assert_eq!(*outcome.unwrap_err().downcast_ref::<u8>().unwrap(), 17);
    assert!(finished.get(), "run waited for the detached thread");
}

#[test]
fn run_waits_for_detached_threads() {
    let count = Rc::new(Cell::new(0));
    let seen = count.clone();
    green::run(move || {
        for _ in 0..100 {
            let count = seen.clone();
            drop(green::spawn(move || {
                green::yield_now();
                count.set(count.get() + 1);
            }));
        }
    });
    assert_eq!(count.get(), 100);
}

fn depth(n: u64) -> u64 {
    // A frame with a buffer the optimiser cannot remove.
    let frame = std::hint::black_box([n; 16]);
    if n == 0 { 0 } else { 1 + depth(frame[3] - 1) }
}

#[test]
fn deep_recursion_fits_in_a_stack_sized_for_it() {
    let reached = green::run(|| {
        Builder::new()
            .stack_size(8 * 1024 * 1024)
            .spawn(|| depth(20_000))
            .unwrap()
            .join()
            .unwrap()
    });
    assert_eq!(reached, 20_000);
}

#[test]
fn the_run_stack_size_is_the_default_for_its_threads() {
    // A quarter of a megabyte on the stack overflows 64 KiB but not 1 MiB.
    let sum = Builder::new().stack_size(1024 * 1024).run(|| {
        green::spawn(|| {
            std::hint::black_box([1u8; 256 * 1024])
                .iter()
                .map(|&b| b as u32)
                .sum::<u32>()
        })
        .join()
        .unwrap()
    });
    assert_eq!(sum, 256 * 1024);
    assert_eq!(DEFAULT_STACK_SIZE, 64 * 1024);
}

#[test]
fn an_unmappable_stack_is_an_error_from_builder_spawn() {
    let error = green::run(|| {
        Builder::new()
            .stack_size(usize::MAX / 2)
            .spawn(|| ())
            .expect_err("no room for such a stack")
    });
    // ENOMEM natively; valgrind's own mmap says EINVAL.
    assert!(
        matches!(error.raw_os_error(), Some(libc::ENOMEM | libc::EINVAL)),
        "{error}"
    );
}

#[test]
fn sleeping_threads_wake_in_deadline_order_and_never_early() {
    let order = green::run(|| {
        // Deadlines far enough ahead that every thread is asleep before the
        // first one is due, even under valgrind.
        let base = Instant::now() + Duration::from_millis(100);
        let order = Rc::new(RefCell::new(Vec::new()));
        let handles: Vec<_> = [(0, 40), (1, 10), (2, 30), (3, 0), (4, 20)]
            .into_iter()
            .map(|(id, ms)| {
                let order = order.clone();
                green::spawn(move || {
                    let deadline = base + Duration::from_millis(ms);
                    green::sleep_until(deadline);
                    assert!(Instant::now() >= deadline);
                    order.borrow_mut().push(id);
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let start = Instant::now();
        green::sleep(Duration::from_millis(5));
        assert!(start.elapsed() >= Duration::from_millis(5));
        green::sleep(Duration::ZERO);
        green::sleep_until(Instant::now() - Duration::from_secs(1));
        Rc::try_unwrap(order).unwrap().into_inner()
    });
    assert_eq!(order, [3, 1, 4, 2, 0]);
}

#[test]
fn a_sleeping_thread_lets_the_others_run() {
    let yields = green::run(|| {
        let done = Rc::new(Cell::new(false));
        let sleeper = {
            let done = done.clone();
            green::spawn(move || {
                green::sleep(Duration::from_millis(20));
                done.set(true);
            })
        };
        let mut yields = 0u64;
        while !done.get() {
            green::yield_now();
            yields += 1;
        }
        sleeper.join().unwrap();
        yields
    });
    assert!(yields > 0, "main kept running while the other slept");
}

fn panic_message(outcome: std::thread::Result<()>) -> String {
    let payload = outcome.expect_err("should panic");
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload.downcast_ref::<&str>().unwrap().to_string(),
    }
}

#[test]
fn misuse_is_a_clear_panic() {
    let message = panic_message(panic::catch_unwind(|| drop(green::spawn(|| ()))));
    assert_eq!(message, "green::spawn called outside green::run");
    let message = panic_message(panic::catch_unwind(green::yield_now));
    assert_eq!(message, "green::yield_now called outside green::run");
    let message = panic_message(panic::catch_unwind(|| green::sleep(Duration::ZERO)));
    assert_eq!(message, "green::sleep called outside green::run");
    let nested = green::run(|| panic::catch_unwind(|| green::run(|| ())).map(drop));
    assert_eq!(
        panic_message(nested),
        "green::run called on a green thread: spawn a green thread instead"
    );
}

#[test]
fn thousands_of_threads_come_and_go() {
    let total = green::run(|| {
        let mut total = 0u64;
        for round in 0..5u64 {
            let handles: Vec<_> = (0..2_000u64)
                .map(|i| {
                    green::spawn(move || {
                        green::yield_now();
                        round * i
                    })
                })
                .collect();
            total += handles.into_iter().map(|h| h.join().unwrap()).sum::<u64>();
        }
        total
    });
    assert_eq!(total, (0..5u64).sum::<u64>() * (0..2_000u64).sum::<u64>());
}

/// The SSE rounding mode is callee-saved state: each green thread keeps
/// its own across switches, and a change in one is not seen by another.
#[cfg(target_arch = "x86_64")]
#[test]
fn each_thread_keeps_its_own_sse_rounding_mode() {
    fn mxcsr() -> u32 {
        let mut value = 0u32;
        // SAFETY: stores the 4-byte MXCSR into `value`.
        unsafe { std::arch::asm!("stmxcsr [{}]", in(reg) &mut value, options(nostack)) };
        value
    }
    fn set_mxcsr(value: u32) {
        // SAFETY: loads a valid MXCSR (only rounding-control bits changed).
        unsafe { std::arch::asm!("ldmxcsr [{}]", in(reg) &value, options(nostack)) };
    }
    const ROUND_TOWARD_ZERO: u32 = 0b11 << 13;
    let seen = green::run(|| {
        let default = mxcsr();
        let changer = green::spawn(move || {
            set_mxcsr(default | ROUND_TOWARD_ZERO);
            green::yield_now();
            let kept = mxcsr();
            set_mxcsr(default);
            kept
        });
        let observer = green::spawn(mxcsr);
        let changed = changer.join().unwrap();
        (default, changed, observer.join().unwrap(), mxcsr())
    });
    let (default, changed, observed, main_after) = seen;
    assert_eq!(changed, default | ROUND_TOWARD_ZERO, "kept across a yield");
    assert_eq!(observed, default, "not seen by the other thread");
    assert_eq!(main_after, default);
}
