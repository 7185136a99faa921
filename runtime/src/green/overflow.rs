//! Stack overflow: a clear message and an abort, never silent corruption.
//!
//! A green thread that runs past the end of its stack touches the guard
//! page below it, and the CPU faults: SIGSEGV. The handler installed here
//! cannot run on the overflowed stack (it has no room left), so it runs on
//! the OS thread's alternate signal stack (`sigaltstack`; std gives one to
//! the main thread and to the threads it spawns, and `AltStack` adds one
//! where it is missing). It compares the faulting address with the guard
//! page of the green thread running on this OS thread (kept in a
//! thread-local by the scheduler): inside, it prints what happened and
//! aborts; anywhere else the fault is not ours, and it goes on to the
//! handler that was installed before (std's, which reports overflows of OS
//! thread stacks), or to the default action.
//!
//! A signal handler may only do async-signal-safe things: here, read a
//! thread-local `Cell` (const-initialised, no destructor: a plain load),
//! format into a buffer on its own stack, `write(2)`, `sigaction`, `abort`.

use std::cell::Cell;
use std::ffi::c_void;
use std::fmt::{self, Write as _};
use std::io;
use std::ops::Range;
use std::ptr;
use std::sync::{Once, OnceLock};

use super::stack::Stack;
use crate::sys::syscall;

/// The guard page and usable size of the stack a green thread is running
/// on; an empty range when none is.
#[derive(Clone, Copy)]
pub(crate) struct Guard {
    start: usize,
    end: usize,
    stack_size: usize,
}

const NO_GUARD: Guard = Guard {
    start: 0,
    end: 0,
    stack_size: 0,
};

thread_local! {
    static RUNNING: Cell<Guard> = const { Cell::new(NO_GUARD) };
}

/// Records that the green thread on `stack` is about to run; returns what
/// to restore with `leave`.
pub(crate) fn enter(stack: &Stack) -> Guard {
    let Range { start, end } = stack.guard();
    RUNNING.replace(Guard {
        start,
        end,
        stack_size: stack.usable_size(),
    })
}

pub(crate) fn leave(outer: Guard) {
    RUNNING.set(outer);
}

static PREVIOUS_ACTION: OnceLock<libc::sigaction> = OnceLock::new();

/// Installs the SIGSEGV handler (once per process), keeping the previous
/// action to hand other faults to.
pub(crate) fn install_handler() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // SAFETY: sigaction only reads `action` and writes `previous`, both
        // valid; the handler is an `extern "C"` fn with the SA_SIGINFO
        // signature.
        unsafe {
            let mut previous: libc::sigaction = std::mem::zeroed();
            syscall(libc::sigaction(libc::SIGSEGV, ptr::null(), &mut previous))
                .expect("reading the SIGSEGV action cannot fail");
            // Stored before the handler can run, so it always finds it.
            let _ = PREVIOUS_ACTION.set(previous);
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_segv as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            syscall(libc::sigaction(libc::SIGSEGV, &action, ptr::null_mut()))
                .expect("installing a SIGSEGV handler cannot fail");
        }
    });
}

extern "C" fn on_segv(signal: libc::c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
    // SAFETY: with SA_SIGINFO the kernel passes a valid `siginfo_t`.
    let address = unsafe { (*info).si_addr() } as usize;
    let guard = RUNNING.get();
    if (guard.start..guard.end).contains(&address) {
        report_overflow(guard, address);
        // SAFETY: abort is async-signal-safe.
        unsafe { libc::abort() };
    }
    forward(signal, info, context);
}

/// The fault is not a green stack overflow: let whoever handled SIGSEGV
/// before us handle it.
fn forward(signal: libc::c_int, info: *mut libc::siginfo_t, context: *mut c_void) {
    match PREVIOUS_ACTION.get() {
        Some(previous)
            if previous.sa_sigaction != libc::SIG_DFL && previous.sa_sigaction != libc::SIG_IGN =>
        {
            if previous.sa_flags & libc::SA_SIGINFO != 0 {
                // SAFETY: with SA_SIGINFO, `sa_sigaction` is a three-argument
                // handler; we pass on exactly what the kernel gave us.
                let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut c_void) =
                    unsafe { std::mem::transmute(previous.sa_sigaction) };
                handler(signal, info, context);
            } else {
                // SAFETY: without SA_SIGINFO it is a one-argument handler.
                let handler: extern "C" fn(libc::c_int) =
                    unsafe { std::mem::transmute(previous.sa_sigaction) };
                handler(signal);
            }
        }
        _ => {
            // Back to the default action; returning re-runs the faulting
            // instruction, which now gets it (a core dump, as without us).
            // SAFETY: a zeroed sigaction with SIG_DFL is a valid argument.
            unsafe {
                let mut default: libc::sigaction = std::mem::zeroed();
                default.sa_sigaction = libc::SIG_DFL;
                libc::sigaction(signal, &default, ptr::null_mut());
            }
        }
    }
}

fn report_overflow(guard: Guard, address: usize) {
    let mut message = FixedBuffer::new();
    let _ = write!(
        message,
        "\nexplicit-async: a green thread has overflowed its stack of {} bytes \
         (fault at {address:#x}, in the guard page below it)\n\
         fatal runtime error: green thread stack overflow, aborting \
         (give it a bigger stack with green::Builder::stack_size)\n",
        guard.stack_size
    );
    let bytes = message.as_bytes();
    // SAFETY: write(2) is async-signal-safe; `bytes` is valid for its length.
    unsafe { libc::write(libc::STDERR_FILENO, bytes.as_ptr().cast(), bytes.len()) };
}

/// Formats without allocating (the allocator's locks may be held by the
/// code the signal interrupted); text past the end is cut off.
struct FixedBuffer {
    bytes: [u8; 512],
    len: usize,
}

impl FixedBuffer {
    fn new() -> FixedBuffer {
        FixedBuffer {
            bytes: [0; 512],
            len: 0,
        }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl fmt::Write for FixedBuffer {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let room = self.bytes.len() - self.len;
        let taken = text.len().min(room);
        self.bytes[self.len..self.len + taken].copy_from_slice(&text.as_bytes()[..taken]);
        self.len += taken;
        Ok(())
    }
}

/// An alternate signal stack for this OS thread while green threads run on
/// it, if it had none; removed when dropped.
pub(crate) struct AltStack {
    installed: Option<Stack>,
}

/// Room for the handler (it formats into a 512-byte buffer) and for the
/// kernel's signal frame, which with AVX-512 state is several KiB.
const ALT_STACK_SIZE: usize = 64 * 1024;

impl AltStack {
    pub(crate) fn ensure() -> io::Result<AltStack> {
        // SAFETY: sigaltstack with a null new stack only reads the current one.
        let mut current: libc::stack_t = unsafe { std::mem::zeroed() };
        syscall(unsafe { libc::sigaltstack(ptr::null(), &mut current) })?;
        if current.ss_flags & libc::SS_DISABLE == 0 {
            return Ok(AltStack { installed: None });
        }
        let stack = Stack::new(ALT_STACK_SIZE)?;
        let usable = stack.usable();
        let new = libc::stack_t {
            ss_sp: usable.start.cast_mut().cast(),
            ss_flags: 0,
            ss_size: stack.usable_size(),
        };
        // SAFETY: `new` describes the usable part of a mapping that stays
        // alive until `drop` has disabled the alternate stack again.
        syscall(unsafe { libc::sigaltstack(&new, ptr::null_mut()) })?;
        Ok(AltStack {
            installed: Some(stack),
        })
    }
}

impl Drop for AltStack {
    fn drop(&mut self) {
        if self.installed.is_some() {
            let disable = libc::stack_t {
                ss_sp: ptr::null_mut(),
                ss_flags: libc::SS_DISABLE,
                ss_size: 0,
            };
            // SAFETY: disabling the alternate stack before its mapping is
            // dropped (a signal handler is not running: we are in `run`).
            unsafe { libc::sigaltstack(&disable, ptr::null_mut()) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_formatted_without_allocating_and_cut_to_fit() {
        let mut buffer = FixedBuffer::new();
        write!(buffer, "{:#x}", 0xdead_usize).unwrap();
        assert_eq!(buffer.as_bytes(), b"0xdead");
        for _ in 0..100 {
            write!(buffer, "0123456789").unwrap();
        }
        assert_eq!(buffer.as_bytes().len(), 512);
    }

    #[test]
    fn an_alternate_stack_is_added_only_where_missing() {
        let on_std_thread = AltStack::ensure().unwrap();
        assert!(
            on_std_thread.installed.is_none(),
            "std gives its threads one"
        );
        // SAFETY: disabling this thread's alternate stack (a test thread
        // that takes no signals meanwhile); std's mapping stays allocated.
        let mut std_stack: libc::stack_t = unsafe { std::mem::zeroed() };
        let disable = libc::stack_t {
            ss_sp: ptr::null_mut(),
            ss_flags: libc::SS_DISABLE,
            ss_size: 0,
        };
        syscall(unsafe { libc::sigaltstack(&disable, &mut std_stack) }).unwrap();
        let ours = AltStack::ensure().unwrap();
        assert!(ours.installed.is_some());
        drop(ours);
        let mut now: libc::stack_t = unsafe { std::mem::zeroed() };
        syscall(unsafe { libc::sigaltstack(ptr::null(), &mut now) }).unwrap();
        assert_ne!(now.ss_flags & libc::SS_DISABLE, 0, "removed again");
        // SAFETY: putting std's own alternate stack back.
        syscall(unsafe { libc::sigaltstack(&std_stack, ptr::null_mut()) }).unwrap();
    }
}
