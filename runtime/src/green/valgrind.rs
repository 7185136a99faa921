//! Telling valgrind about green stacks (`VALGRIND_STACK_REGISTER`).
//!
//! valgrind tracks the stack pointer to know which memory is stack. When it
//! jumps into a region valgrind has not been told about, valgrind guesses
//! ("client switching stacks?") and may report reads of the new stack as
//! uninitialised. A registered stack is switched to without guessing.
//!
//! The registration is a *client request*: a sequence of instructions that
//! does nothing on a real CPU (four rotations of one register that add up
//! to a full turn, then a no-op exchange) but that valgrind's translator
//! recognises. The request's arguments are in memory, their address in one
//! register; valgrind writes the answer into another, which holds a default
//! (returned when not running under valgrind) before. The sequences are
//! those of valgrind.h 3.x, for the two architectures the green threads run on.

use std::arch::asm;

const STACK_REGISTER: usize = 0x1501;
const STACK_DEREGISTER: usize = 0x1502;

/// Tells valgrind that `low..high` is a stack; returns its id (0 when not
/// running under valgrind).
pub(crate) fn register_stack(low: *const u8, high: *const u8) -> usize {
    // valgrind wants the highest addressable byte, not one past it.
    client_request(
        0,
        [STACK_REGISTER, low as usize, high as usize - 1, 0, 0, 0],
    )
}

/// Forgets a stack registered with `register_stack`.
pub(crate) fn deregister_stack(id: usize) {
    client_request(0, [STACK_DEREGISTER, id, 0, 0, 0, 0]);
}

/// Sends `request` (the code, then five arguments) to valgrind; returns its
/// answer, or `default` on a real CPU.
#[cfg(target_arch = "x86_64")]
fn client_request(default: usize, request: [usize; 6]) -> usize {
    let result;
    // SAFETY: natively the sequence rotates rdi by 3 + 13 + 61 + 51 = 128
    // bits (two full turns: rdi is unchanged) and exchanges rbx with itself;
    // flags are clobbered (not declared preserved). Under valgrind it reads
    // the six words at rax (`request`, alive for the duration) and writes
    // the answer into rdx.
    unsafe {
        asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            in("rax") request.as_ptr(),
            inout("rdx") default => result,
            options(nostack),
        );
    }
    result
}

#[cfg(target_arch = "aarch64")]
fn client_request(default: usize, request: [usize; 6]) -> usize {
    let result;
    // SAFETY: natively the sequence rotates x12 by 3 + 13 + 51 + 61 = 128
    // bits (x12 is unchanged) and ORs x10 with itself (a no-op). Under
    // valgrind it reads the six words at x4 (`request`, alive for the
    // duration) and writes the answer into x3.
    unsafe {
        asm!(
            "ror x12, x12, #3",
            "ror x12, x12, #13",
            "ror x12, x12, #51",
            "ror x12, x12, #61",
            "orr x10, x10, x10",
            in("x4") request.as_ptr(),
            inout("x3") default => result,
            options(nostack),
        );
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUNNING_ON_VALGRIND: usize = 0x1001;

    /// The request sequence works both ways: natively it returns the
    /// default and leaves every register as it was; under valgrind (whose
    /// preloaded libraries are in `LD_PRELOAD`) it is answered.
    #[test]
    fn requests_are_answered_only_under_valgrind() {
        let under_valgrind =
            std::env::var("LD_PRELOAD").is_ok_and(|preload| preload.contains("vgpreload"));
        let layers = client_request(7, [RUNNING_ON_VALGRIND, 0, 0, 0, 0, 0]);
        if under_valgrind {
            assert!(
                layers > 0 && layers != 7,
                "valgrind answers with its nesting depth"
            );
        } else {
            assert_eq!(layers, 7, "a real CPU leaves the default");
        }
        let buffer = [0u8; 64];
        let range = buffer.as_ptr_range();
        let id = register_stack(range.start, range.end);
        deregister_stack(id);
    }
}
