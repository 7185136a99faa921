//! The finds of seeds 57001 to 66001 (58001, 61001 and 63001 in Rust
//! 2021, their cases here in both editions), minimized by the fuzzer.

use super::prelude::*;

// build defect (E0716, seed 57001): a block's value made from its own
// locals (`d16` from `rm14`, a borrow of the block's temporary) was taken
// to point into them, so `n17`, kept across the next await, made `rm14` a
// slot that outlived the temporary. A value that flows out of a block
// points into none of the block's locals.
twin! {
    compare: (p("arg3", 1));
    pub async fn block_value_made_from_a_borrow_of_its_own_temporary(P { a: d1, k: n2, .. }: P) -> D {
        let n17 = pair(&d1, ok(6).unwrap_or({
            peek("peek11", &n2, 0).await;
            let rm14 = &mut p("z", 0);
            let mut d16: D = std::mem::replace(&mut rm14.a, mk("z", 0));
            d16.n
        }));
        for x18 in [0, twice(&mut val("a19", 0, 0).await), 0] {}
        mk("z", 0)
    }
}

// divergence (seed 57001): `let (_, n) = match mk(x.await) { .. };` The
// part the pattern leaves is dropped at the end of the statement, before
// the scrutinee's temporary (made earlier); the match was given a local of
// its own, which dropped the temporary first.
twin! {
    compare: ();
    pub async fn unbound_part_of_a_match_value_dropped_before_its_scrutinee() -> i64 {
        let (_, n15) = match mk("m2", val("a1", 0, 0).await) {
            D { n: n6, .. } => (mk("z", 0), 0),
        };
        0
    }
}

// divergence (seed 57001): `if let (d, 0..=0) = t` takes `t` only when the
// pattern matches; it was taken to move `t` always, which dropped it
// before the await when the pattern failed. It is the `match` it means.
twin! {
    compare: (7);
    pub async fn if_let_that_fails_leaves_its_local_to_drop_at_scope_end(n3: i64) -> i64 {
        let t15 = (mk("z", 0), n3);
        if 0 != (val("a26", 0, if let (d24, 0..=0) = t15 {
            vec![0]
        } else {
            vec![0]
        }).await.len() as i64) {}
        0
    }
}

// The same with the pattern matching, and an `else if`.
twin! {
    compare: (0);
    pub async fn if_let_that_matches_takes_its_local(n3: i64) -> i64 {
        let t15 = (mk("z", 0), n3);
        let k = if let (d24, 1) = t15 {
            d24.n
        } else if n3 == 0 {
            2
        } else {
            3
        };
        val("a1", 1, k).await + t15.1
    }
}

// build defect (E0507, seed 58001): `matches!(self.k, ..)` was an opaque
// use of all of `self`, taken to prove the field `self.d` moved before it
// `Copy`; so `self`, partly moved, was kept in the state. `matches!` reads
// the place it matches, and a name in a macro's tokens proves nothing.
method_twin! {
    compare: |s| s.matches_reading_a_field_after_another_field_moved();
    pub async fn matches_reading_a_field_after_another_field_moved(self) -> Result<i64, String> {
        let Ok(n1) = ok(0) else {
            return res_of(match (P { b: self.d, a: mk("z", 0), k: 0 }.k) {
                8 if matches!(self.k, 1..=3 | 7) => {
                    let mut c6: i64 = 0;
                    while c6 < 2 {
                        c6 += 1;
                        log_i(inc("inc19", &mut 0, 0).await);
                    }
                    0
                },
                n5 => 0,
            });
        };
        Ok(0)
    }
}

// build defect (E0507, seed 58001): an `async move` block written so,
// using a slot argument, captured the `if let` binding `d13` by reference
// (as a closure the macro makes `move` must), and moved out of it.
twin! {
    compare: ((mk("arg3", 1), 2));
    pub async fn written_move_block_moves_an_untracked_binding((d1, n2): (D, i64)) {
        log_i([0; 3][ix(peek("peek7", &n2, 0).await)]);
        if (0 == (if let (d13, 0..=3) = (mk("z", 0), 0) {
            let fut37 = async move {
                {
                    if 0 != n2 {
                        let mut z22;
                        z22 = d13;
                    } else {
                        ()
                    }
                }
                0
            };
            0
        } else {
            0
        })) || false {} else {}
    }
}

// build defect (E0308, seed 57001): a `continue` to a loop that awaits,
// inside a block binding `fut2` (a bool) beside the argument `fut2` the
// loop keeps: the jump's state named the block's `fut2`. A jump that names
// a shadowed local leaves the code by a label and is written after it.
twin! {
    compare: (val("argfut1", 0, 8i64));
    pub async fn jump_out_of_a_block_shadowing_an_argument_the_loop_keeps(fut2: impl Future<Output = i64>) -> i64 {
        let Ok(n5) = ({
            let mut c7: i64 = 0;
            'l6: while let Some(k8) = step(&mut c7, 3) {
                let P { a: d12, .. } = p("p11", if val("a9", 0, false).await && let Some(n10) = None.or(Some(0)) {
                    let fut2 = false;
                    {
                        continue 'l6;
                    }
                    0
                } else {
                    0
                });
            }
            ok(4)
        }) else {
            return 0;
        };
        0
    }
}

// The same (E0308, seed 60001): a `break` in a `let … else` block that
// binds `fut6` beside the argument `fut6`.
twin! {
    compare: (mk("arg3", 5), val("argfut5", 1, 2i64));
    pub async fn break_in_a_let_else_shadowing_an_argument_the_loop_keeps(d4: D, fut6: impl Future<Output = i64>) -> i64 {
        let mut c7: i64 = 0;
        while c7 < 1 {
            c7 += 1;
            let Some(n14) = val("a16", 0, Some(5)).await else {
                let mut fut6 = mk("z", 0);
                break;
            };
        }
        d4.n
    }
}

// divergence (seed 60001): `None?` in an assertion's message, which runs
// only when the assertion fails: the message was evaluated before the
// check, as the format-like macros' arguments are; `d2`, moved there, was
// taken to be moved, and dropped before the await. Such an assertion is
// written as the `if` it stands for, as one with an await in its message.
twin! {
    compare: (mk("arg1", 5));
    pub async fn question_mark_in_an_assertion_message_that_is_not_evaluated(d2: D) -> Option<i64> {
        assert!(0 > (-1000), "small: {}", pair(&({
            d2
        }), None?));
        let mut m5 = vec![0];
        m5.push(add(0, val("a8", 0, mk("z", 0)).await.n()));
        None
    }
}

// divergence (seed 61001, Rust 2021; both editions): an assertion whose
// condition awaits was opened with its message evaluated first, so
// `self.finish()` there, which runs only if the assertion fails, moved
// `self` for good, dropped before the next await. Opened, an assertion
// with a message is the `if` it stands for.
method_twin! {
    compare: |s| s.consuming_method_in_the_message_of_an_awaiting_assertion();
    pub async fn consuming_method_in_the_message_of_an_awaiting_assertion(mut self) -> Option<i64> {
        assert!(mk("z", 0).with(val("a4", 0, vec![0]).await.len() as i64).consume() > 0, "small: {}", vec![self.finish(), 0].len() as i64);
        val("a9", 0, None).await
    }
}

// divergence, a wrong value (seed 62001): a non-`move` `async` block that
// writes `n14` (an `i64`) was given `n14` itself, taken from its slot,
// because no use of it comes after the block in the source; the loop's
// next turn reads it (`move || n14`) and saw 0, not 9. A local known to
// be `Copy` is always captured by reference by a non-`move` closure.
twin! {
    compare: ();
    pub async fn copy_local_written_by_an_async_block_read_on_the_next_turn() -> i64 {
        let mut n14: i64 = 0;
        let mut t27 = {
            let mut c15: i64 = 0;
            loop {
                c15 += 1;
                if c15 > 1 {
                    break (mk("d16", 4).with(c15), mk("t18", later("later17", 1, move || {
                        n14
                    }).await).n());
                }
                (async {
                    n14 = 9;
                    n14
                }).await;
            }
        };
        0
    }
}

// build defect (E0382, seed 63001, both editions): `v[ix(v[ix(x.await)])]`
// read the outer index's base `v` into a local before the await, as a
// place a later operand moves: the inner `v[..]` was taken to move `v`.
// An index's base is a place, read or borrowed, not moved.
twin! {
    compare: ();
    pub async fn index_base_indexed_again_in_its_awaiting_index() -> i64 {
        let v18 = vec![mk("d1", 0), mk("d2", 1)];
        v18[ix(v18[ix(val("a19", 0, 1).await)].n)].n
    }
}

// build defect (E0308, seed 66001): `matches!` opened into a `match` (its
// value calls a method) before `||`, in an arm whose body the machine
// writes where a statement starts: `match .. { .. } || b` parsed as a
// statement and a closure. The opened `match` is parenthesized.
twin! {
    compare: (3), (4);
    pub async fn opened_matches_before_an_or(n4: i64) -> bool {
        match mk("m7", 7) {
            D { n: 7, .. } => matches!(mk("t11", 8).consume(), 1..=3 | 7) || (n4 == 3),
            D { n: n10, .. } => val("a16", 1, n10 <= 9).await,
        }
    }
}

// build defect (E0499, seed 68001): a `continue` inside a `let else`'s
// `else`, in the value of a `return` after an await, stored the loop's
// locals (a `ref mut` argument among them) while a future that reborrows
// that argument, bound just before the jump, was still alive. A jump from
// inside the scope of a binding leaves that scope first, as rustc's does.
twin! {
    compare: (mk("arg", 1));
    pub async fn continue_after_a_binding_that_reborrows_a_stored_local(ref mut rm1: D) -> i64 {
        let mut c4: i64 = 0;
        'l3: loop {
            c4 += 1;
            if c4 > 1 {
                break 'l3 (if let (d16, 0..=4) = (mk("d15", 2), val("a15", 0, 5).await) {
                    return if true {
                        let Ok(n17) = ok(8) else {
                            let fut19 = inc("inc18", &mut *rm1, 0);
                            continue 'l3;
                        };
                        8
                    } else {
                        7
                    };
                } else {
                    3
                });
            }
        }
    }
}

// build defect (E0382, seed 69001): an arm matched in place on a kept
// scrutinee carries its `if let` guard's bindings into the arm; `d11` was
// moved by the chain's next `let` (`= (d11, 0)`), and carried all the same.
// A binding a later `let` of the chain moves is gone: it is not carried.
twin! {
    compare: ();
    pub async fn guard_binding_moved_by_the_next_let_of_its_chain() -> Option<i64> {
        let mut arr20: [i64; 3] = [val("a15", 0, match (mk("z", 0).n(), 0) {
            (n8, n9) if let (d11, 0..=0) = (mk("z", 0), 0) && let (d12, 0..=3) = (d11, 0) && false => mk("z", 0),
            _ => mk("z", 0),
        }).await.n(), 0, 0];
        None
    }
}

// divergence (seed 74001, both editions): `let PAT = { let d4 = ..; x.await }
// else { .. }`. The block's statements were flattened into the block that
// matches its value, so its local `d4` dropped after the value that failed
// to match; it drops at its block's end, before the value is matched.
twin! {
    compare: ();
    pub async fn let_else_on_a_block_with_a_local_and_an_awaiting_tail() -> i64 {
        let (d1, 0..=2) = ({
            let d4 = mk("z", 0);
            val("a8", 0, (mk("d7", 0), 6)).await
        }) else {
            return 0;
        };
        d1.n
    }
}

// build defect (E0382, seed 75001): a local made by a `match` whose guard
// awaits, a field of it moved into an awaited operand (`t15.0.with(0)`).
// The guard's desugaring writes the arm's value through a local of its own
// (`{ let value = ..; drop(temp); value }`), which hid that the value is
// owned, so the rest of `t15` was stored partly moved instead of in a slot
// that drops what is left.
twin! {
    compare: ();
    pub async fn part_of_a_value_made_by_a_match_with_an_awaiting_guard() -> Result<i64, String> {
        let t15 = match 0 {
            n5 if let Ok(n9) = res_of(val("a8", 0, mk("z", 0)).await.n()) => (mk("z", 0), 0),
            n6 => (mk("z", 0), 0),
        };
        err(peek("peek18", &t15.0.with(0), 0).await)
    }
}
