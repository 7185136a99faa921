//! Green threads: stackful coroutines on one OS thread, sharing the
//! runtime's reactor and timers with the state machines.
//!
//! An `async fn` becomes a state machine: to wait, it *returns*
//! (`Poll::Pending`), keeping what it still needs in its enum. A green
//! thread waits the other way: it keeps its whole call stack, and the
//! scheduler *switches stacks* away from it. Code on a green thread looks
//! like ordinary blocking code (`stream.read(&mut buf)?`, no `.await`), and
//! any function can block, however deep in the call stack. This module is
//! the second half of that comparison, small enough to read in one sitting;
//! `may` and Go's runtime are built the same way.
//!
//! ```
//! use explicit_async_runtime::green;
//! use std::io::{Read, Write};
//!
//! let echoed = green::run(|| {
//!     let listener = green::net::TcpListener::bind("127.0.0.1:0").unwrap();
//!     let addr = listener.local_addr().unwrap();
//!     let server = green::spawn(move || {
//!         let (mut stream, _) = listener.accept().unwrap();
//!         let mut buf = [0u8; 5];
//!         stream.read_exact(&mut buf).unwrap();
//!         stream.write_all(&buf).unwrap();
//!     });
//!     let mut client = green::net::TcpStream::connect(addr).unwrap();
//!     client.write_all(b"hello").unwrap();
//!     let mut reply = String::new();
//!     client.read_to_string(&mut reply).unwrap();
//!     server.join().unwrap();
//!     reply
//! });
//! assert_eq!(echoed, "hello");
//! ```
//!
//! # The switch
//!
//! A suspended green thread is a stack pointer. `switch(save, resume)`
//! (`switch/x86_64.rs`, `switch/aarch64.rs`, a few lines of assembly each)
//! pushes the registers the calling convention makes a callee preserve
//! (x86_64: `rbx`, `rbp`, `r12`–`r15`, the SSE and x87 control words;
//! aarch64: `x19`–`x30`, `d8`–`d15`), stores the stack pointer in `*save`,
//! loads `resume` into the stack pointer, pops the registers saved there and
//! returns, into whichever context last called `switch` on that stack.
//! Every other register is one the compiler already assumes a call
//! clobbers, so nothing else needs saving. The scheduler loop has a saved
//! stack pointer too: a thread that yields switches to the loop, and the
//! loop switches to the next thread.
//!
//! # A stack at first entry
//!
//! Each thread gets its own `mmap`ed stack (64 KiB unless
//! [`Builder::stack_size`] says otherwise) with a `PROT_NONE` guard page
//! below it. Before the first switch to it, `switch::prepare` writes the
//! frame a `switch` would have left, so that switching to it "returns" into
//! a trampoline that calls the thread's entry function (x86_64 shown; the
//! entry and its argument ride in callee-saved registers):
//!
//! ```text
//! top      +----------------------+  16-byte aligned
//!          | 0, 0                 |  where rsp is when the trampoline starts
//!          | &trampoline          |  popped by switch's `ret`
//!          | rbp = 0, rbx = 0     |  a zero frame pointer ends backtraces
//!          | r12 = &green_entry   |  the trampoline does `mov rdi, r13; call r12`
//!          | r13 = thread address |
//!          | r14 = 0, r15 = 0     |
//! saved -> | MXCSR, x87 CW        |  copied from the spawning thread
//!          |   ... free stack ... |
//! low      +----------------------+
//!          | guard page           |  PROT_NONE
//!          +----------------------+
//! ```
//!
//! `green_entry` runs the closure (catching its panic for [`GreenHandle::join`]),
//! marks the thread finished and switches away for the last time; the
//! scheduler then unmaps the stack. Running past the end of the stack
//! faults in the guard page; a SIGSEGV handler on the alternate signal
//! stack recognises the address and aborts with a message saying so,
//! instead of letting the thread scribble over whatever lies below.
//! Under valgrind each stack is registered (`VALGRIND_STACK_REGISTER`,
//! issued as the client-request instruction sequence), so valgrind knows
//! the switches are stack switches.
//!
//! # A blocked read becomes a reactor registration
//!
//! [`net::TcpStream`] wraps a non-blocking socket registered with the same
//! driver the async [`crate::net`] sockets use (edge-triggered epoll,
//! readiness remembered per socket). `stream.read(buf)`:
//!
//! 1. asks the socket's registration whether it is readable; with no
//!    readiness recorded, the registration stores the green thread's
//!    `Waker` (the same `std::task::Waker` a future would pass) and the
//!    thread *parks*: it switches to the scheduler loop;
//! 2. the loop runs the other threads; when none is runnable it blocks in
//!    `epoll_wait`, with the next timer deadline as timeout;
//! 3. the reactor reports the socket readable; the driver records it and
//!    wakes the stored waker, which puts the thread back in the run queue;
//! 4. the loop switches to the thread, which returns from its park inside
//!    `read`, calls `read(2)` and returns the bytes, or, on `WouldBlock`
//!    (the readiness was stale), forgets the readiness and parks again.
//!
//! [`sleep`] is the same with a timer from the driver's timer queue instead
//! of a socket. The state machines' `net` and `time` do exactly this too,
//! except that where a green thread parks, a future returns `Pending`.
//!
//! # What to know before using it
//!
//! - All green threads of a [`run`] share its OS thread; nothing preempts
//!   them. A thread that computes for long without blocking or
//!   [`yield_now`] delays all others; a blocking system call (a `std::fs`
//!   read, `std::thread::sleep`, DNS resolution of a host name) blocks them
//!   all.
//! - Thread-locals are shared by every green thread of the OS thread.
//! - Linux on x86_64 and aarch64 only. aarch64 is checked from x86_64 by
//!   `runtime/tests/green_aarch64/run.sh`: compiled always, and run under
//!   qemu-user where it is installed.

mod handle;
pub mod net;
mod overflow;
mod scheduler;
mod stack;
mod switch;
mod thread;
mod valgrind;

pub use handle::GreenHandle;

use std::io;
use std::panic;
use std::pin::Pin;
use std::task::Waker;
use std::time::{Duration, Instant};

use crate::driver::{self, Driver};
use scheduler::{Entered, Scheduler, with_current};

/// The stack size of a green thread unless [`Builder::stack_size`] says
/// otherwise: small, since most threads wait in a few frames of I/O.
pub const DEFAULT_STACK_SIZE: usize = 64 * 1024;

/// The address space each stack reserves below its usable size, never
/// backed by memory: one guard page.
pub fn guard_size() -> usize {
    stack::page_size()
}

/// Runs `main` as a green thread on a scheduler on the calling OS thread,
/// until it and every green thread it spawned have finished; returns what
/// `main` returned.
///
/// Like [`std::thread::scope`], it does not return while a thread still
/// runs: make long-lived threads (an accept loop) end before `main` does.
///
/// # Panics
/// If `main` panics (after the other threads have finished), if called on
/// a green thread, or if the reactor or the first stack cannot be created.
pub fn run<T: 'static>(main: impl FnOnce() -> T + 'static) -> T {
    Builder::new().run(main)
}

/// Starts `f` on a new green thread of the current [`run`]. It runs when
/// the running thread yields or blocks (the run queue is first in, first
/// out).
///
/// # Panics
/// Outside [`run`], or if the stack cannot be mapped (use
/// [`Builder::spawn`] to get that as an error).
pub fn spawn<T: 'static>(f: impl FnOnce() -> T + 'static) -> GreenHandle<T> {
    Builder::new()
        .spawn(f)
        .unwrap_or_else(|error| panic!("green::spawn: {error}"))
}

/// Lets the other runnable green threads run, then continues.
///
/// # Panics
/// Outside a green thread.
pub fn yield_now() {
    with_current(Scheduler::yield_now).unwrap_or_else(|| outside("yield_now"))
}

/// Blocks the green thread for at least `duration`; the others run
/// meanwhile. The timer is the driver's, as for `time::sleep`.
///
/// # Panics
/// Outside a green thread.
pub fn sleep(duration: Duration) {
    sleep_until(Instant::now() + duration)
}

/// Blocks the green thread until `deadline`.
///
/// # Panics
/// Outside a green thread.
pub fn sleep_until(deadline: Instant) {
    let mut timer = crate::time::sleep_until(deadline);
    with_current(|scheduler| {
        scheduler.wait("sleep", |cx| {
            std::future::Future::poll(Pin::new(&mut timer), cx)
        })
    })
    .unwrap_or_else(|| outside("sleep"))
}

/// Blocks the green thread until its [`Thread::unpark`] is called; returns
/// at once if it was called since the last `park`. As with
/// `std::thread::park`, it may also return for no reason: wait in a loop
/// that checks the condition you are waiting for. The other green threads
/// run meanwhile.
///
/// # Panics
/// Outside a green thread.
pub fn park() {
    with_current(|scheduler| scheduler.park("park")).unwrap_or_else(|| outside("park"))
}

/// The running green thread, to [`unpark`](Thread::unpark) it later.
///
/// # Panics
/// Outside a green thread.
pub fn current() -> Thread {
    with_current(|scheduler| Thread {
        waker: scheduler.waker("current").clone(),
    })
    .unwrap_or_else(|| outside("current"))
}

/// A handle to wake a parked green thread, from any green thread or OS
/// thread: the building block of channels, barriers and the like.
#[derive(Clone, Debug)]
pub struct Thread {
    waker: Waker,
}

impl Thread {
    /// Makes the thread's current or next [`park`] return. Unparking a
    /// finished thread does nothing.
    pub fn unpark(&self) {
        self.waker.wake_by_ref();
    }
}

fn outside(operation: &str) -> ! {
    panic!("green::{operation} called outside green::run")
}

/// Green thread options: the stack size.
#[derive(Clone, Debug)]
pub struct Builder {
    stack_size: Option<usize>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// The defaults: [`DEFAULT_STACK_SIZE`], or the run's for a spawn.
    pub fn new() -> Builder {
        Builder { stack_size: None }
    }

    /// The usable stack of the thread, rounded up to whole pages. With
    /// [`run`](Builder::run) it is the size of `main` and the default for
    /// every thread spawned during the run; the default default is
    /// [`DEFAULT_STACK_SIZE`].
    pub fn stack_size(mut self, bytes: usize) -> Builder {
        self.stack_size = Some(bytes);
        self
    }

    /// As [`spawn`], with these options; a stack that
    /// cannot be mapped (out of memory, or an absurd size) is an error.
    ///
    /// # Panics
    /// Outside [`run`].
    pub fn spawn<T: 'static>(self, f: impl FnOnce() -> T + 'static) -> io::Result<GreenHandle<T>> {
        with_current(|scheduler| {
            let size = self.stack_size.unwrap_or(scheduler.default_stack_size());
            scheduler.spawn(size, f)
        })
        .unwrap_or_else(|| outside("spawn"))
    }

    /// As [`run`], with these options.
    pub fn run<T: 'static>(self, main: impl FnOnce() -> T + 'static) -> T {
        if with_current(|_| ()).is_some() {
            panic!("green::run called on a green thread: spawn a green thread instead");
        }
        overflow::install_handler();
        let _alt_stack = overflow::AltStack::ensure().unwrap_or_else(|error| {
            panic!("green::run: cannot set up the alternate signal stack: {error}")
        });
        let mut driver = Driver::new()
            .unwrap_or_else(|error| panic!("green::run: cannot create the reactor: {error}"));
        let _driver_entered = driver::enter(driver.handle().clone());
        let scheduler = Scheduler::new(
            driver.handle().clone(),
            self.stack_size.unwrap_or(DEFAULT_STACK_SIZE),
        );
        let entered = Entered::new(&scheduler);
        let main = scheduler
            .spawn(scheduler.default_stack_size(), main)
            .unwrap_or_else(|error| {
                panic!("green::run: cannot map the main thread's stack: {error}")
            });
        scheduler.run_until_all_finished(&mut driver);
        drop(entered);
        match main.join() {
            Ok(output) => output,
            Err(payload) => panic::resume_unwind(payload),
        }
    }
}
