//! Stack overflow on a green thread aborts with a message instead of
//! corrupting memory, and other faults keep their usual outcome. Each case
//! runs in a child process (this test binary again) whose death the parent
//! examines: the signal and what it printed.

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Output};

use explicit_async_runtime::green::{self, Builder};

const CHILD_ENV: &str = "EXPLICIT_ASYNC_GREEN_FAULT";

/// Runs `child_process` below in a child with `case` in its environment.
fn run_child(case: &str) -> Output {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, case)
        .output()
        .unwrap()
}

const OVERFLOW_MESSAGE: &str = "explicit-async: a green thread has overflowed its stack of";
const ABORT_MESSAGE: &str = "fatal runtime error: green thread stack overflow, aborting";

fn assert_green_overflow(case: &str, stack_size: usize) {
    let output = run_child(case);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.signal(),
        Some(libc::SIGABRT),
        "{case}: {:?}\n{stderr}",
        output.status
    );
    assert!(
        stderr.contains(&format!(
            "{OVERFLOW_MESSAGE} {stack_size} bytes (fault at 0x"
        )),
        "{case}: {stderr}"
    );
    assert!(stderr.contains(ABORT_MESSAGE), "{case}: {stderr}");
}

#[test]
fn deep_recursion_past_the_stack_aborts_with_a_message() {
    assert_green_overflow("deep", 64 * 1024);
}

#[test]
fn a_frame_larger_than_the_guard_page_still_hits_it() {
    assert_green_overflow("wide", 128 * 1024);
}

#[test]
fn other_segfaults_on_a_green_thread_stay_segfaults() {
    let output = run_child("protected");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.signal(), Some(libc::SIGSEGV), "{stderr}");
    assert!(!stderr.contains("overflowed"), "{stderr}");
}

#[test]
fn an_os_thread_overflow_is_still_reported_by_std() {
    let output = run_child("os-thread");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.signal(), Some(libc::SIGABRT), "{stderr}");
    assert!(stderr.contains("has overflowed its stack"), "{stderr}");
    assert!(!stderr.contains(OVERFLOW_MESSAGE), "{stderr}");
}

fn recurse(depth: u64) -> u64 {
    let frame = std::hint::black_box([depth; 32]);
    if frame[7] == u64::MAX {
        return 0;
    }
    1 + recurse(frame[5] + 1)
}

/// The faulting side of the tests above; does nothing unless started by them.
#[test]
fn child_process() {
    let Ok(case) = std::env::var(CHILD_ENV) else {
        return;
    };
    match case.as_str() {
        "deep" => {
            green::run(|| recurse(0));
        }
        "wide" => {
            green::run(|| {
                Builder::new()
                    .stack_size(128 * 1024)
                    .spawn(|| std::hint::black_box([7u8; 512 * 1024])[100])
                    .unwrap()
                    .join()
                    .unwrap()
            });
        }
        "protected" => {
            green::run(|| {
                // SAFETY: a fresh anonymous mapping with no access at all.
                let page = unsafe {
                    libc::mmap(
                        std::ptr::null_mut(),
                        4096,
                        libc::PROT_NONE,
                        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                        -1,
                        0,
                    )
                };
                assert_ne!(page, libc::MAP_FAILED);
                // SAFETY: the page is ours; the access faults on purpose.
                unsafe { page.cast::<u8>().write_volatile(1) };
            });
        }
        "os-thread" => {
            // The green handler is installed, then an OS thread overflows.
            green::run(|| ());
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(|| recurse(0))
                .unwrap()
                .join()
                .unwrap();
        }
        other => panic!("unknown case {other}"),
    };
    unreachable!("case {case} should have killed the process");
}
