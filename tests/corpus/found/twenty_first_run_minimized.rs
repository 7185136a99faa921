//! The finds of seeds 115001 and after, minimized by the fuzzer.

use super::prelude::*;

// build defect (E0382, seeds 114001 to 116001, the largest class of the
// `crates` grammar): `g.disarm()` in a branch that does not await, while
// the other branch awaits. The code after the `if` was a join state that
// carried `g` to drop it at its block's end: naming `g` after `disarm`
// took it (E0382). The transform cannot see whether `disarm` takes `self`.
// Each branch now goes on alone to the end of `g`'s block (no await comes
// before it), and drops what is left of `g` there, as rustc does.
twin! {
    compare: (true);
    pub async fn receiver_consumed_in_a_branch_that_does_not_await(fast: bool) -> i64 {
        let n = {
            let g = guard("g", 7);
            let n = if fast {
                g.disarm()
            } else {
                log_i(peek("peek", &0, 1).await);
                g.level()
            };
            let late = mk("late", n);
            late.n + 1
        };
        tick("after", 1).await;
        n
    }
}

// The other branch, which awaits and borrows the guard: it is dropped at
// its block's end, after `late`.
twin! {
    compare: (false);
    pub async fn receiver_borrowed_in_the_branch_that_awaits(fast: bool) -> i64 {
        let n = {
            let g = guard("g", 7);
            let n = if fast {
                g.disarm()
            } else {
                log_i(peek("peek", &0, 1).await);
                g.level()
            };
            let late = mk("late", n);
            late.n + 1
        };
        tick("after", 1).await;
        n
    }
}

// A `match` whose arms move, borrow, or await then move the guard.
twin! {
    compare: (2);
    pub async fn receiver_moved_or_borrowed_by_the_arms_of_a_match(k: i64) -> i64 {
        let lk = guard("lk", k);
        let n = match k {
            0 => lk.settle(3),
            1 => lk.level(),
            _ => {
                tick("arm", 2).await;
                lk.disarm()
            }
        };
        let after = mk("after", n);
        after.n
    }
}
