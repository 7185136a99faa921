//! Scope: drop order on completion and when dropped suspended at any await
//! (DESIGN §3.6), and the panics after `Ready` and after a panicking poll.

use crate::common::*;

twin! {
    compare: (D("p"), D("q"));
    /// DESIGN's q6.
    pub async fn arguments_and_locals(p: D, q: D) {
        let a = D("a");
        tick("fut1", 1).await;
        let b = D("b");
        tick("fut2", 1).await;
        let c = D("c");
        log(format!("body end {} {} {} {} {}", p.0, q.0, a.0, b.0, c.0));
    }
}

twin! {
    compare: ();
    /// DESIGN's q9: a slot (`v`, borrowed by `r`) between two plain locals.
    pub async fn slots_interleaved() {
        let a = D("a");
        let v = [D("v0"), D("v1")];
        let r = &v[0];
        tick("fut1", 1).await;
        let b = D("b");
        tick("fut2", 1).await;
        log(format!("use {} {} {}", a.0, r.0, b.0));
    }
}

twin! {
    compare: ();
    /// Several slots (a read buffer, a borrowed vector) and plain locals,
    /// declared alternately.
    pub async fn slots_and_locals_alternating() -> usize {
        let first = D("first");
        let mut source = Source::new("src", b"0123456789");
        let second = D("second");
        let mut buf = [0u8; 3];
        let n = source.read(&mut buf, 1).await;
        let third = D("third");
        let names = [D("n0")];
        let r = &names[0];
        tick("t", 1).await;
        let fourth = D("fourth");
        let m = source.read(&mut buf, 0).await;
        log(format!("{} {} {} {} {}", first.0, second.0, third.0, r.0, fourth.0));
        n + m
    }
}

twin! {
    compare: (0), (1), (2);
    /// Moved locals are gone before the await; the rest drop at scope end.
    /// (Moved on some paths only, it lives in a slot whose flag is its drop flag: `moved_on_some_paths`.)
    pub async fn moved_before_await(which: u32) -> u32 {
        let a = D("a");
        let b = D("b");
        drop(a);
        if which == 1 {
            drop(b);
            tick("in branch", 1).await;
            return 1;
        }
        tick("t", 1).await;
        let c = D("c");
        std::mem::forget(c);
        2
    }
}

twin! {
    compare: ();
    /// Locals declared in loop bodies drop at the end of every iteration.
    pub async fn loop_scopes() {
        let outside = D("outside");
        for i in 0..2 {
            let per_iteration = D("per iteration");
            tick("t", i).await;
            let after = D("after await");
            tick("u", 1).await;
            log(format!("{} {}", per_iteration.0, after.0));
        }
        log(outside.0);
    }
}

twin! {
    compare_panic: (1), (0);
    /// A leaf panics: the live locals drop while unwinding, the next poll panics.
    pub async fn panic_in_leaf(pendings: u32) -> u32 {
        let before = D("before");
        tick("t", 1).await;
        let during = D("during");
        let n = boom("boom", pendings).await;
        log(format!("{} {}", before.0, during.0));
        n
    }
}

twin! {
    compare_panic: (2);
    /// The body itself panics between awaits.
    pub async fn panic_in_body(n: u32) -> u32 {
        let local = D("local");
        let x = val("x", 1, n).await;
        let mut source = Source::new("src", b"ab");
        let mut buf = [0u8; 1];
        source.read(&mut buf, 1).await;
        if x == 2 {
            panic!("body panics with {}", local.0);
        }
        x
    }
}

/// Borrows a local and reads it when dropped: dropped after what it
/// borrows, it reads freed memory (valgrind) or logs out of order.
pub struct Borrowing<'a>(pub &'a D, pub &'static str);

impl Drop for Borrowing<'_> {
    fn drop(&mut self) {
        log(format!("drop {} (borrows {})", self.1, self.0.0));
    }
}

twin! {
    compare: (0), (1), (2);
    /// Locals that live in slots, in scopes left by `break` and `continue`.
    pub async fn slots_left_by_break_and_continue(stop: u32) -> u32 {
        let mut total = 0;
        let mut n = 0;
        {
            let owner = D("owner");
            while n < 3 {
                n += 1;
                let guard = Borrowing(&owner, "loop guard");
                total += val("look", 1, n).await;
                if n == 1 {
                    continue;
                }
                if n == stop {
                    break;
                }
                log(guard.1);
            }
            'block: {
                let inner = Borrowing(&owner, "block guard");
                tick("in block", 1).await;
                if stop == 0 {
                    break 'block;
                }
                log(inner.1);
            }
            log("end of the owner's block");
        }
        tick("after", 1).await;
        total
    }
}

twin! {
    compare: (true), (false);
    /// Moved before an await on one path only: a drop flag (once rejected).
    pub async fn moved_on_some_paths(which: bool) -> u32 {
        let a = D("a");
        let b = D("b");
        if which {
            drop(a);
        }
        tick("t", 1).await;
        log(b.0);
        1
    }
}
