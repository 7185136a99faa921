//! The finds of tokio 1.54.1 (`tools/annotate -- crate tokio --features
//! full,test-util`), minimized by hand onto the fuzzer's prelude.

use super::prelude::*;

// divergence (a panic of the expansion's own, tokio's `Child::wait`: `let
// ret = child.await; if let Ok(exit) = ret { self.child = Done(exit); }
// ret`): the `if let` binds a `Copy` part of `ret` by value, which copies
// it; the flow took it for a move on that path only, kept `ret` in a slot
// with a drop flag, and the arm took the value out: the tail then found
// the slot empty ("a slot's value taken twice"). A scrutinee an arm may
// take, used again later, was copied (rustc accepted the later use).
twin! {
    compare: (7), (-1);
    pub async fn result_matched_for_a_copy_of_its_value_then_returned(k: i64) -> Result<i64, String> {
        let mut done = mk("done", 0);
        let ret = val("child", 2, if k > 0 { Ok(k) } else { Err(format!("e{k}")) }).await;
        if let Ok(exit) = ret {
            done = mk("exit", exit);
        }
        ret
    }
}

// The same, the scrutinee kept across an await after the `if let`.
twin! {
    compare: (7), (-1);
    pub async fn result_matched_for_a_copy_then_kept_across_an_await(k: i64) -> Result<i64, String> {
        let ret = val("child", 1, if k > 0 { Ok(k) } else { Err(format!("e{k}")) }).await;
        let mut seen = 0;
        if let Ok(exit) = ret {
            seen = exit;
        }
        tick("after", 1).await;
        ret.map(|n| n + seen)
    }
}

// The other side: an arm that takes a value with `Drop` moves it, and the
// other path drops it at its scope's end.
twin! {
    compare: (7), (-1);
    pub async fn option_taken_by_one_arm_dropped_at_scope_end_by_the_other(k: i64) -> i64 {
        let held = if k > 0 { Some(mk("held", k)) } else { None };
        tick("before", 1).await;
        let mut n = 0;
        if let Some(d) = held {
            n = val("taken", 1, d).await.n;
        }
        tick("after", 1).await;
        n
    }
}
