//! The switch for x86_64, System V ABI (Linux, the BSDs, macOS).
//!
//! The ABI rules it relies on (System V AMD64 psABI, §3.2.1 and §3.2.2):
//! - `rbx`, `rbp`, `r12`–`r15` and `rsp` belong to the caller: a function
//!   must restore them before returning. Every other general-purpose
//!   register, and all of `xmm0`–`xmm15`, may be clobbered by a call.
//! - The control bits of `MXCSR` (SSE rounding mode, exception masks) and
//!   the x87 control word are also callee-saved; their status bits are not.
//! - The first two integer arguments arrive in `rdi` and `rsi`.
//! - `rsp` is 16-byte aligned at each `call`, so a function starts with
//!   `rsp + 8` aligned (the return address was pushed).
//! - The direction flag is clear on entry and exit; no code here sets it.
//!
//! The frame `switch` leaves on a suspended stack, from its stack pointer up:
//!
//! ```text
//! sp + 0   MXCSR (4 bytes), x87 control word (2 bytes), 2 zero bytes
//! sp + 8   r15
//! sp + 16  r14
//! sp + 24  r13
//! sp + 32  r12
//! sp + 40  rbx
//! sp + 48  rbp
//! sp + 56  return address (into the suspended `switch` call)
//! ```

use std::arch::{asm, naked_asm};

use super::{Entry, StackPointer};

/// The frame above plus 16 bytes: the trampoline's own "caller" slots.
pub(super) const INITIAL_FRAME: usize = 80;

#[unsafe(naked)]
pub(super) unsafe extern "C" fn switch(save: *mut StackPointer, resume: StackPointer) {
    naked_asm!(
        // Suspend: the callee-saved registers onto this stack...
        "push rbp",
        "push rbx",
        "push r12",
        "push r13",
        "push r14",
        "push r15",
        "push 0",
        "stmxcsr [rsp]",
        "fnstcw [rsp + 4]",
        // (rax is caller-saved: free to hold this side's control words.)
        "mov rax, [rsp]",
        // ...and this stack's pointer into `*save` (rdi).
        "mov [rdi], rsp",
        // Resume: `resume` (rsi) becomes the stack, and its frame is popped.
        "mov rsp, rsi",
        // Loading the control words is slow (fldcw, ldmxcsr), and they
        // almost never differ between two green threads: load only if so.
        "cmp rax, [rsp]",
        "jne 3f",
        "2:",
        "add rsp, 8",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        // Into the resumed context's `switch` call, or the trampoline.
        "ret",
        "3:",
        "ldmxcsr [rsp]",
        "fldcw [rsp + 4]",
        "jmp 2b",
    )
}

/// The first code a green thread runs, entered by `switch`'s `ret` with
/// `rsp` 16-byte aligned: calls `entry(arg)` (r12, r13) as a normal call.
#[unsafe(naked)]
unsafe extern "C" fn trampoline() -> ! {
    naked_asm!(
        "mov rdi, r13",
        "call r12",
        // `entry` never returns.
        "ud2",
    )
}

pub(super) unsafe fn prepare(top: *mut u8, entry: Entry, arg: *mut u8) -> StackPointer {
    let frame = top.wrapping_sub(INITIAL_FRAME).cast::<u64>();
    let slots: [u64; INITIAL_FRAME / 8] = [
        0,                              // MXCSR, x87 control word (below), zero padding
        0,                              // r15
        0,                              // r14
        arg as u64,                     // r13
        entry as usize as u64,          // r12
        0,                              // rbx
        0,                              // rbp: a zero frame pointer ends stack walks
        trampoline as *const () as u64, // switch's `ret` lands here
        0,                              // after the `ret`, rsp points here: top - 16
        0,
    ];
    // SAFETY: the caller guarantees INITIAL_FRAME writable bytes below the
    // 16-byte aligned `top`.
    unsafe { frame.cast::<[u64; INITIAL_FRAME / 8]>().write(slots) };
    // The new thread starts with this thread's rounding modes and exception
    // masks, as a new OS thread inherits its creator's.
    // SAFETY: both stores write inside the first slot, which is writable.
    unsafe {
        asm!(
            "stmxcsr [{slot}]",
            "fnstcw [{slot} + 4]",
            slot = in(reg) frame,
            options(nostack, preserves_flags),
        )
    };
    StackPointer(frame.cast())
}
