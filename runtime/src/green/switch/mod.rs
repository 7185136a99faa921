//! The context switch: the only place where one green thread's stack is
//! left and another's entered.
//!
//! A suspended context is nothing but a stack pointer. `switch(save, resume)`
//! is an ordinary-looking function call that pushes the registers the
//! calling convention says a callee must preserve, stores the stack pointer
//! in `*save`, loads `resume` as the new stack pointer, pops the registers
//! that were pushed there when *that* context called `switch`, and returns,
//! into the other context's call of `switch`. To the compiler on each side
//! it is a call to an `extern "C"` function that clobbered exactly the
//! caller-saved registers, which the compiler already assumes of any call.
//!
//! A new stack has never called `switch`, so [`prepare`] writes by hand the
//! frame a `switch` would have left on it: callee-saved registers whose
//! values carry the entry function and its argument, and, as the return
//! address, a trampoline that calls `entry(arg)`. The first `switch` to the
//! new stack "returns" into the trampoline.
//!
//! Both architectures are written as naked functions (`#[unsafe(naked)]`,
//! `naked_asm!`): the compiler adds no prologue, so the assembly alone
//! decides what is on the stack.

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(target_arch = "x86_64")]
mod x86_64;

#[cfg(target_arch = "aarch64")]
use aarch64 as arch;
#[cfg(target_arch = "x86_64")]
use x86_64 as arch;

/// Where a suspended context's saved registers are: its stack pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(transparent)]
pub(crate) struct StackPointer(*mut u8);

impl StackPointer {
    /// A slot to be filled by the first `switch` away from a context.
    pub(crate) const fn unset() -> StackPointer {
        StackPointer(std::ptr::null_mut())
    }
}

/// What a green thread runs first; it must never return (its stack has no
/// caller to return to), so it ends by switching away for good.
pub(crate) type Entry = extern "C" fn(arg: *mut u8) -> !;

/// Suspends the calling context (its stack pointer goes to `*save`) and
/// resumes the one suspended at `resume`. Returns when some context
/// switches back to `*save`.
///
/// # Safety
/// `save` must be valid for a write; `resume` must come from a `switch`
/// away from a context that has not been resumed since, or from
/// [`prepare`], and its stack must still be mapped.
#[inline(always)]
pub(crate) unsafe fn switch(save: *mut StackPointer, resume: StackPointer) {
    // SAFETY: forwarded from the caller.
    unsafe { arch::switch(save, resume) }
}

/// Writes the initial frame at the top of a fresh stack so that the first
/// `switch` to the returned pointer calls `entry(arg)` on that stack.
///
/// # Safety
/// `top` must be the 16-byte aligned end of a writable region of at least
/// [`INITIAL_FRAME`] bytes below it, not in use by anything else.
pub(crate) unsafe fn prepare(top: *mut u8, entry: Entry, arg: *mut u8) -> StackPointer {
    debug_assert_eq!(top as usize % 16, 0, "stack tops are 16-byte aligned");
    // SAFETY: forwarded from the caller.
    unsafe { arch::prepare(top, entry, arg) }
}

/// Bytes `prepare` writes below the stack top.
pub(crate) const INITIAL_FRAME: usize = arch::INITIAL_FRAME;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::green::stack::Stack;
    use std::cell::Cell;

    thread_local! {
        static MAIN: Cell<StackPointer> = const { Cell::new(StackPointer::unset()) };
        static OTHER: Cell<StackPointer> = const { Cell::new(StackPointer::unset()) };
        static TRACE: Cell<u64> = const { Cell::new(0) };
    }

    /// Appends a digit to the trace, so the test sees the order of events.
    fn trace(digit: u64) {
        TRACE.set(TRACE.get() * 10 + digit);
    }

    extern "C" fn ping_pong(arg: *mut u8) -> ! {
        trace(arg.addr() as u64);
        // Callee-saved registers in use across the switch must survive it.
        let kept = std::hint::black_box(0.5f64) * 3.0;
        // SAFETY: MAIN was saved by the test's switch to this stack.
        unsafe { switch(OTHER.with(Cell::as_ptr), MAIN.get()) };
        trace(3);
        assert_eq!(std::hint::black_box(kept), 1.5);
        // SAFETY: as above; the test never resumes this context again.
        unsafe { switch(OTHER.with(Cell::as_ptr), MAIN.get()) };
        unreachable!("never resumed a third time");
    }

    /// The switch on its own, without a scheduler: enter a fresh stack,
    /// come back, enter again where it stopped, come back.
    #[test]
    fn switches_into_a_fresh_stack_and_back_twice() {
        let stack = Stack::new(16 * 1024).unwrap();
        TRACE.set(0);
        // SAFETY: the top of a fresh, unused stack.
        let fresh = unsafe { prepare(stack.top(), ping_pong, std::ptr::without_provenance_mut(1)) };
        let kept = std::hint::black_box(2.0f64);
        // SAFETY: `fresh` comes from `prepare` over the live buffer.
        unsafe { switch(MAIN.with(Cell::as_ptr), fresh) };
        trace(2);
        // SAFETY: OTHER was saved by `ping_pong`'s switch; the stack lives.
        unsafe { switch(MAIN.with(Cell::as_ptr), OTHER.get()) };
        trace(4);
        assert_eq!(TRACE.get(), 1234);
        assert_eq!(std::hint::black_box(kept), 2.0);
        // `ping_pong` never finishes: its frame holds nothing to drop.
        drop(stack);
    }
}
