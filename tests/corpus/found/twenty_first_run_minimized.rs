//! The finds of seeds 115001 and after, minimized by the fuzzer.

use super::prelude::*;

// build defect (E0382, seeds 114001 to 116001, the largest class of the
// `crates` grammar): `g.disarm()` in a branch that does not await, while
// the other branch awaits. The code after the `if` was a join state that
// carried `g` to drop it at its scope's end: naming `g` after `disarm`
// took it (E0382). The transform cannot see whether `disarm` takes `self`.
// Where no await or loop comes before the function returns, each branch
// now goes on alone, and drops what is left of `g` as rustc does. (With an
// await before `g`'s scope ends, the join stays, and so does the error.)
// The other call takes the branch that awaits and borrows the guard: it
// is dropped at the end, after `late`.
twin! {
    compare: (true), (false);
    pub async fn receiver_consumed_in_a_branch_that_does_not_await(fast: bool) -> i64 {
        let g = guard("g", 7);
        let n = if fast {
            g.disarm()
        } else {
            log_i(peek("peek", &0, 1).await);
            g.level()
        };
        let late = mk("late", n);
        late.n + 1
    }
}

// A `match` whose arms move, borrow, or await then move the guard.
twin! {
    compare: (0), (1), (2);
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

// divergence (seed 116001): `h.sum()` is taken by its name to consume `h`
// (`Iterator::sum`), but `Lease::sum` borrows it. The output of the first
// await, which may borrow `h`, was moved out before the second, yet it
// kept `h` in its slot, so the arm took it out for the call alone and
// dropped the lease before `h2` was made. A local moved out holds nothing
// and borrows nothing: the arm now takes `h` out as a local of its own,
// which drops where rustc drops it, after `h2`.
twin! {
    compare: ();
    pub async fn borrowing_method_named_like_a_consuming_one_after_a_moved_output() -> i64 {
        let mut h = lease("h", p("p", 1));
        log_i(val("a", 1, h.b.bump()).await);
        log_i(peek("peek", &0, 1).await);
        log_i(h.sum());
        let h2 = lease("h2", p("p2", 2));
        h2.k
    }
}

// build defect (E0507, seed 116001): an await after a block that returns
// never runs, and rustc checks none of its borrows; its operand's borrow
// of `g` kept `g` in a slot, and `g.disarm()` before the `return` could
// not move out of it. An await that cannot run now pins nothing.
twin! {
    compare: ();
    #[allow(unreachable_code)]
    pub async fn unreachable_await_borrowing_a_local_moved_before_the_return() -> i64 {
        let g = guard("g", 3);
        {
            log_i(g.disarm());
            return 1;
        }
        log_i(peek("peek", &g.n, 0).await);
        0
    }
}

// build defect (E0282, seed 117001): where regions go on alone to return,
// each arm that reaches that code writes it; an arm that suspends before
// it also declared the deferred `z` it assigns, never gave it a value, and
// left its type to infer from nothing. The code several regions reach now
// counts as the code of those regions only.
twin! {
    compare: (false);
    pub async fn deferred_local_assigned_where_regions_go_on_alone(fast: bool) -> i64 {
        let z;
        log_i(val("first", 1, 1).await);
        let g = guard("g", 2);
        let n = if fast {
            g.disarm()
        } else {
            log_i(peek("peek", &0, 1).await);
            g.level()
        };
        if n > 1 {
            z = mk("z", n);
        } else {
            z = mk("z0", 0);
        }
        z.n
    }
}

// build defect (E0282, seed 117001): `panic!` with an awaited argument was
// taken to complete (opened, it is a call of the macro's marker). Where
// regions go on alone (the guard, a temporary of the scrutinee, may have
// been moved by `level`), the arm that resumes in a `let … else`'s `else`
// wrote the code after it, binding `d` from the `panic!` alone, of no type
// to infer. It now ends its branch, in the control flow and in the code.
twin! {
    compare: ();
    pub async fn let_else_giving_up_with_an_awaited_message_in_an_arm_that_goes_on_alone() -> i64 {
        let ds: Vec<D> = vec![mk("z", 0).with(match guard("t", 2).level() {
            7 | 9 if false => {
                let (d, 0..=9) = (mk("d", 0), 0) else {
                    panic!("gave up at {}", val("a", 0, 0).await);
                };
                d.n
            }
            _ => 0,
        })];
        ds[0].n
    }
}

// The same `panic!` taken: the guard drops while it unwinds, as in rustc.
twin! {
    compare_panic: (true);
    pub async fn panic_with_an_awaited_argument_ends_its_branch(fail: bool) -> i64 {
        let g = guard("g", 1);
        if fail {
            panic!("gave up at {}", val("a", 1, 2).await);
        }
        g.disarm()
    }
}

// divergence (seed 117001): `lk.sum()` is taken by its name to consume
// `lk`, unless `lk` is used again. `lk.k += 0` after it was not counted as
// a use (a write), so the lock was taken out of its slot for the call and
// unlocked there, and the write went to the slot it had left. A field
// written in place, or assigned after the whole was taken, proves that the
// method borrowed: rustc rejects both after a move.
twin! {
    compare: ();
    pub async fn field_written_after_a_method_named_like_a_consuming_one() -> i64 {
        let mut pp = p("pp", 1);
        let mut lk = lock("lk", &mut pp);
        log_i(peek("peek", &lk.k, 1).await);
        log_i(lk.sum());
        tick("tick", 1).await;
        lk.k += 2;
        0
    }
}

// build defect (E0308, seed 117001; the class of seed 106001): `break`
// out of a block that binds its own `n`, untracked (no await in it), wrote
// the next state with the argument `n` by its name: the block's `n` was
// stored in its place. A local whose name plain code binds is now named
// out of the user's reach in the arms.
twin! {
    compare: (6);
    pub async fn argument_hidden_by_a_let_in_a_block_a_break_leaves(mut n1: i64) -> D {
        let z2;
        {
            z2 = mk("z2", 0);
        }
        let arr = [0, {
            let mut c18: i64 = 0;
            loop {
                c18 += 1;
                if c18 > 3 {
                    break 4;
                }
                log_i({
                    let mut c19: i64 = 0;
                    loop {
                        c19 += 1;
                        if c19 > 2 {
                            break -c18;
                        }
                        let (n21, d22) = (run(|| async { 1 }).await, mk("d22", 0));
                        {
                            let n1 = val("f33", 0, 0);
                            if n21 > 1 {
                                break 0;
                            }
                        }
                    }
                });
            }
        }, n1];
        mk("z", arr[2] + z2.n)
    }
}

// divergence: `lk.sum()` is taken by its name to consume `lk`, and `lk`
// is not read again, but `r`, which borrows it, is: rustc accepted that,
// so `sum` borrowed `lk`. The call took the lock out of its slot and
// unlocked it there, and `r.k` read the slot it had left. A local that may
// point into the receiver, read after the call, now keeps it in place.
twin! {
    compare: ();
    pub async fn borrower_read_after_a_method_named_like_a_consuming_one() -> i64 {
        let mut pp = p("pp", 1);
        let lk = lock("lk", &mut pp);
        let r = &lk;
        log_i(peek("peek", &r.k, 1).await);
        log_i(lk.sum());
        log_i(r.k);
        0
    }
}

// build defect (E0507, seed 123001, on the first version of the check
// above): `n10`, a copy of `d3.n`, read after `d3.consume()`, was taken for
// a borrow of `d3` (a value made from a local may point where the local
// points), so `consume` was taken to borrow. Only a local given a
// reference to the receiver at its `let` now counts.
twin! {
    compare: (mk("d3", 2));
    pub async fn copy_of_a_field_read_after_a_consuming_call(d3: D) -> i64 {
        let (n10, d11) = (d3.n, mk("d9", peek("peek8", &d3, 1).await));
        add(d3.consume(), val("a13", 1, P { k: n10, b: mk("d12", n10), a: d11 }.k).await)
    }
}
