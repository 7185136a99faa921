//! Seeds 58001 and 61001's Rust 2021 finds, minimized by the fuzzer.

use super::*;

// divergence (seed 58001): before Rust 2024 a match's scrutinee
// temporaries, `(value, 6)` here, drop after the block's locals when the
// match is a block's tail; the transform's own block around a match whose
// scrutinee awaits (the `if let`, with the lifted inner `match` before it)
// dropped the lifted values first. The scrutinee is named after them.
twin! {
    compare: (mk("arg1", 1));
    pub async fn if_let_scrutinee_tuple_around_an_awaiting_match(d2: D) -> i64 {
        {
            let d8 = d2;
            if let (d17, 0..=3) = (match (mk("z", 0), 0) {
                (d10, 6) => {
                    {
                        return val("a13", 0, 0).await;
                    }
                    mk("z", 0)
                },
                _ => d8,
            }, 6) {}
        }
        0
    }
}

// divergence (seed 61001): the await's output in a `return` inside an
// operand block, used as a place (`.n()`), lives to the end of the
// `return` statement; it was ranked with the block's tail temporary
// (`&mut 0`, deferred to the statement around the block, made after it),
// so it dropped after the block's slot locals instead of before them.
twin! {
    compare: (mk("gen7", 6));
    pub async fn return_in_an_operand_block_beside_a_deferred_tail_temporary<T0: Probe + Debug>(x8: T0) -> i64 {
        if is_even({
            let mut src13 = Src::new("src12");
            let mut m14 = vec![0];
            log_i(src13.read(&mut m14, 1).await);
            if 0 >= 0 {
                return val("a16", 0, mk("z", 0)).await.n();
            }
            twice(&mut 0)
        }) {}
        0
    }
}

// divergence (seed 70001): a `for` loop that is a block's tail, its head
// awaiting. rustc matches on the head in a `let` of its own (`let result =
// match into_iter(head) { .. }; result`), so before Rust 2024 too the
// head's temporaries drop when the loop ends, before the block's locals;
// they were deferred like a tail's, after them.
twin! {
    compare: ();
    pub async fn for_loop_tail_with_an_awaiting_head() -> Option<i64> {
        let _ = loop {
            let fut16 = peek("peek15", &0, 0);
            for x18 in [val("a20", 0, mk("z", 0)).await.n(), 0] {
                let d = mk("body", x18);
            }
            break 3;
        };
        {
            let fut16 = peek("peek16", &0, 0);
            for x18 in [val("a21", 0, mk("z2", 0)).await.n(), 0] {
                let d = mk("body2", x18);
            }
        }
        None
    }
}

// The same with a plain head, after an await in the block.
twin! {
    compare: ();
    pub async fn plain_for_loop_tail_after_an_await() -> i64 {
        let n = {
            let fut16 = peek("peek16", &0, 0);
            tick("t", 1).await;
            for x18 in [mk("z2", 0).n(), 0] {
                let d = mk("body2", x18);
            }
        };
        7
    }
}

// divergence (seed 78001: "slot initialised twice", a debug assertion of
// the machine's own): before Rust 2024 an `if let`'s scrutinee temporary
// lives through `else`, so it is kept in a slot; a `continue` out of the
// `else` of a loop the arm runs in place left the slot full, and the next
// round wrote it again (in a release build: its value never dropped). A
// `break` or `continue` out of such a loop's body ends the body's slots
// after the body's `}`, as its end does.
twin! {
    compare: ();
    pub async fn continue_past_a_kept_if_let_scrutinee() -> i64 {
        let mut c7: i64 = 0;
        let n = loop {
            c7 += 1;
            if c7 > 1 {
                break (if let Ok(n8) = res_of(pair(&mk("s", c7), 0) * 3) {
                    val("a", 1, n8).await
                } else if c7 < 4 {
                    continue;
                } else {
                    c7
                });
            }
        };
        n
    }
}
