//! Green thread stacks: one `mmap` each, with a guard page below.
//!
//! ```text
//! high addresses   +------------------+ <- top (16-byte aligned): the first frame goes here
//!                  |  usable stack    |    grows down; pages are backed by memory only
//!                  |  (`size` bytes)  |    once touched, so RSS counts what is used
//!                  +------------------+ <- low
//!                  |  guard page      |    PROT_NONE: the first access past the end of
//! low addresses    +------------------+    the stack faults here (see `overflow.rs`)
//! ```
//!
//! Rust's stack probes touch every page of a frame larger than a page in
//! order, top down, so even a frame bigger than the guard faults in the
//! guard first instead of jumping over it into another mapping.

use std::io;
use std::ops::Range;
use std::ptr::NonNull;
use std::sync::OnceLock;

use super::valgrind;
use crate::sys::syscall;

pub(crate) struct Stack {
    /// The start of the mapping: the guard page.
    base: NonNull<u8>,
    /// The whole mapping, guard included.
    len: usize,
    guard_len: usize,
    valgrind_id: usize,
}

pub(crate) fn page_size() -> usize {
    static PAGE_SIZE: OnceLock<usize> = OnceLock::new();
    // SAFETY: sysconf has no preconditions.
    *PAGE_SIZE.get_or_init(|| match unsafe { libc::sysconf(libc::_SC_PAGESIZE) } {
        size if size > 0 => size as usize,
        _ => 4096,
    })
}

impl Stack {
    /// Maps a stack of at least `size` usable bytes (rounded up to whole
    /// pages, at least one) above one guard page.
    pub(crate) fn new(size: usize) -> io::Result<Stack> {
        let page = page_size();
        let too_big = || io::Error::new(io::ErrorKind::InvalidInput, "stack size too large");
        let usable = size
            .max(1)
            .checked_next_multiple_of(page)
            .ok_or_else(too_big)?;
        let len = usable.checked_add(page).ok_or_else(too_big)?;
        // SAFETY: a fresh anonymous private mapping: no file, no address hint.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_STACK,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let base = NonNull::new(base.cast::<u8>()).expect("mmap never maps address 0");
        let mut stack = Stack {
            base,
            len,
            guard_len: page,
            valgrind_id: 0,
        };
        // SAFETY: the first page of the mapping just made (dropping `stack`
        // on error unmaps it).
        syscall(unsafe { libc::mprotect(base.as_ptr().cast(), page, libc::PROT_NONE) })?;
        let usable = stack.usable();
        stack.valgrind_id = valgrind::register_stack(usable.start, usable.end);
        Ok(stack)
    }

    /// The bytes a green thread may use, from its lowest address to the top.
    pub(crate) fn usable(&self) -> Range<*const u8> {
        let base = self.base.as_ptr().cast_const();
        base.wrapping_add(self.guard_len)..base.wrapping_add(self.len)
    }

    pub(crate) fn top(&self) -> *mut u8 {
        self.usable().end.cast_mut()
    }

    /// The guard page's addresses: a fault in here is a stack overflow.
    pub(crate) fn guard(&self) -> Range<usize> {
        let base = self.base.as_ptr() as usize;
        base..base + self.guard_len
    }

    pub(crate) fn usable_size(&self) -> usize {
        self.len - self.guard_len
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        valgrind::deregister_stack(self.valgrind_id);
        // SAFETY: the mapping made in `new`, unmapped once; the scheduler
        // drops a stack only after its thread finished (nothing points
        // into it any more).
        let unmapped = unsafe { libc::munmap(self.base.as_ptr().cast(), self.len) };
        debug_assert_eq!(unmapped, 0, "munmap of a stack we mapped");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_up_to_pages_and_the_guard_sits_below() {
        let page = page_size();
        let stack = Stack::new(page + 1).unwrap();
        assert_eq!(stack.usable_size(), 2 * page);
        let usable = stack.usable();
        assert_eq!(stack.guard().end, usable.start as usize);
        assert_eq!(stack.guard().len(), page);
        assert_eq!(stack.top() as usize % 16, 0);
        // The whole usable range is writable.
        // SAFETY: both bytes lie inside the usable range of a live stack.
        unsafe {
            usable.start.cast_mut().write(1);
            stack.top().sub(1).write(2);
        }
        assert_eq!(Stack::new(0).unwrap().usable_size(), page);
    }

    #[test]
    fn absurd_sizes_are_errors() {
        let error = Stack::new(usize::MAX).err().expect("cannot be mapped");
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        let error = Stack::new(usize::MAX / 2).err().expect("cannot be mapped");
        // ENOMEM natively; valgrind's own mmap says EINVAL.
        assert!(
            matches!(error.raw_os_error(), Some(libc::ENOMEM | libc::EINVAL)),
            "{error}"
        );
    }
}
