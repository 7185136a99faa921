//! The switch for aarch64, AAPCS64 (Linux; Apple's variant keeps the same
//! callee-saved set).
//!
//! The ABI rules it relies on (Procedure Call Standard for the Arm 64-bit
//! Architecture, §6.1.1 and §6.1.2):
//! - `x19`–`x28`, `x29` (frame pointer) and `sp` belong to the caller: a
//!   function must restore them before returning. `x0`–`x18` may be
//!   clobbered by a call.
//! - Of the vector registers only the low 64 bits of `v8`–`v15` (that is,
//!   `d8`–`d15`) are callee-saved.
//! - `x30` (the link register) holds the return address on entry; it is
//!   saved here because `switch` returns through it into the other context.
//! - The first two arguments arrive in `x0` and `x1`; `sp` is 16-byte
//!   aligned at every call boundary.
//! - The FPCR and FPSR are not saved (as in Boost.Context): a green thread
//!   that changes the rounding mode changes it for its whole OS thread.
//!
//! The frame `switch` leaves on a suspended stack, from its stack pointer up:
//!
//! ```text
//! sp + 0    d8,  d9
//! sp + 16   d10, d11
//! sp + 32   d12, d13
//! sp + 48   d14, d15
//! sp + 64   x19, x20
//! sp + 80   x21, x22
//! sp + 96   x23, x24
//! sp + 112  x25, x26
//! sp + 128  x27, x28
//! sp + 144  x29, x30 (return address: into the suspended `switch` call)
//! ```

use std::arch::naked_asm;

use super::{Entry, StackPointer};

/// The frame above (160 bytes, a multiple of 16).
pub(super) const INITIAL_FRAME: usize = 160;

#[unsafe(naked)]
pub(super) unsafe extern "C" fn switch(save: *mut StackPointer, resume: StackPointer) {
    naked_asm!(
        // Suspend: the callee-saved registers onto this stack...
        "sub sp, sp, #160",
        "stp d8, d9, [sp, #0]",
        "stp d10, d11, [sp, #16]",
        "stp d12, d13, [sp, #32]",
        "stp d14, d15, [sp, #48]",
        "stp x19, x20, [sp, #64]",
        "stp x21, x22, [sp, #80]",
        "stp x23, x24, [sp, #96]",
        "stp x25, x26, [sp, #112]",
        "stp x27, x28, [sp, #128]",
        "stp x29, x30, [sp, #144]",
        // ...and this stack's pointer into `*save` (x0).
        "mov x9, sp",
        "str x9, [x0]",
        // Resume: `resume` (x1) becomes the stack, and its frame is loaded.
        "mov sp, x1",
        "ldp d8, d9, [sp, #0]",
        "ldp d10, d11, [sp, #16]",
        "ldp d12, d13, [sp, #32]",
        "ldp d14, d15, [sp, #48]",
        "ldp x19, x20, [sp, #64]",
        "ldp x21, x22, [sp, #80]",
        "ldp x23, x24, [sp, #96]",
        "ldp x25, x26, [sp, #112]",
        "ldp x27, x28, [sp, #128]",
        "ldp x29, x30, [sp, #144]",
        "add sp, sp, #160",
        // Into the resumed context's `switch` call, or the trampoline.
        "ret",
    )
}

/// The first code a green thread runs, entered by `switch`'s `ret` with
/// `sp` at the 16-byte aligned stack top: calls `entry(arg)` (x19, x20).
#[unsafe(naked)]
unsafe extern "C" fn trampoline() -> ! {
    naked_asm!(
        "mov x0, x20",
        "blr x19",
        // `entry` never returns.
        "brk #0x1",
    )
}

pub(super) unsafe fn prepare(top: *mut u8, entry: Entry, arg: *mut u8) -> StackPointer {
    let frame = top.wrapping_sub(INITIAL_FRAME).cast::<u64>();
    let mut slots = [0u64; INITIAL_FRAME / 8];
    slots[8] = entry as usize as u64; // x19
    slots[9] = arg as u64; // x20
    slots[18] = 0; // x29: a zero frame pointer ends stack walks
    slots[19] = trampoline as *const () as u64; // x30: switch's `ret` lands here
    // SAFETY: the caller guarantees INITIAL_FRAME writable bytes below the
    // 16-byte aligned `top`.
    unsafe { frame.cast::<[u64; INITIAL_FRAME / 8]>().write(slots) };
    StackPointer(frame.cast())
}
