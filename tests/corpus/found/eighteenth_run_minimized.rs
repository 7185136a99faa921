//! The finds of the runs from seed 50001 on, each with what it showed; now
//! fixed.
use super::prelude::*;

// divergence (seed 50001): a block's value made from one of its own locals
// (`mk(..).with(probe(&d10))`) was taken to borrow it, so `d10` went into a
// slot and dropped after the block's extended temporary, not before.
twin! {
    compare: ();
    pub async fn block_value_made_from_its_own_local() -> i64 {
        let (n, _d) = (pair(&({
            let rm = &mut P { b: val("a1", 1, mk("d1", 2)).await, a: val("a2", 1, mk("d2", 1)).await, k: 2 };
            let d3 = mk("d3", 9).with(rm.k);
            mk("d4", 1).with(probe(&d3))
        }), 2), mk("d5", val("a3", 0, 1).await));
        n
    }
}

// The same rule does not lose a borrow that passes through a block's own
// reference: `v` still borrows `d`, which stays where it is across the await.
twin! {
    compare: ();
    pub async fn block_value_reborrowing_through_its_own_reference() -> i64 {
        let d = mk("d", 1);
        let v = {
            let r = &d;
            &*r
        };
        let k = val("a1", 1, 2).await;
        probe(v) + k
    }
}

// build defect (E0505, seed 50001): the end of a loop body that awaits was
// opened into the arm, so `pinned` (which borrows `self.d` and has a
// destructor) still lived when the next state took `self`.
method_twin! {
    compare: |s| s.local_borrowing_what_the_loop_head_keeps();
    pub async fn local_borrowing_what_the_loop_head_keeps(self) -> i64 {
        let mut c = 0;
        loop {
            c += 1;
            if c > 2 {
                break;
            }
            let n = val("a1", 1, 1).await;
            let pf = pin!(peek("peek1", &self.d, n as u32));
            log_i(c);
        }
        3
    }
}

// build defect (E0507, seed 51001, Rust 2021): an assertion's message calls
// an `FnOnce` argument kept in a slot (older than `d4`, borrowed across the
// await). The call takes it from the slot; the message runs only if the
// assertion fails, so otherwise it is kept, and drops where rustc drops it.
twin! {
    compare: ({ let d = mk("cap", 1); move || d.consume() }, mk("d4", 2));
    pub async fn fn_once_called_in_an_assertion_message(c2: impl FnOnce() -> i64, d4: D) -> i64 {
        assert!(d4.n > -1000, "small: {}", c2());
        pair(&d4, val("a1", 1, 0).await)
    }
}

// The same assertion failing: the message calls it.
twin! {
    compare_panic: ({ let d = mk("cap", 1); move || d.consume() }, mk("d4", 2));
    pub async fn fn_once_called_in_a_failing_assertion_message(c2: impl FnOnce() -> i64, d4: D) -> i64 {
        assert!(d4.n > 1000, "small: {}", c2());
        pair(&d4, val("a1", 1, 0).await)
    }
}

// divergence: `a3.consume()` in a message that does not run left `a3` taken
// for moved, so it dropped before the await, not at the function's end.
twin! {
    compare: (mk("a3", 1), mk("d4", 2));
    pub async fn consuming_method_in_an_assertion_message_before_an_await(a3: D, d4: D) -> i64 {
        assert!(d4.n > -1000, "small: {}", a3.consume());
        pair(&d4, val("a1", 1, 0).await)
    }
}

// build defect (E0505, seed 52001): `break value` out of a loop whose
// end is an arm of its own (another `break` awaits) wrote that arm's state,
// taking `self`, inside the loop, where `pinned` still borrowed `self.d`.
// The loop is left first, dropping its locals, and the state written after.
method_twin! {
    compare: |s| s.break_value_leaving_a_local_borrowing_self();
    pub async fn break_value_leaving_a_local_borrowing_self(self) -> i64 {
        let (n, d) = (0, {
            let mut c = 0;
            loop {
                c += 1;
                if c > 3 {
                    break val("a1", 1, val("a2", 3, mk("d1", c)).await).await;
                }
                let pf = pin!(peek("peek1", &self.d, 0));
                {
                    break mk("d2", 0);
                }
            }
        });
        n + d.n
    }
}

// build defect (E0382, seed 52001): a closure inside an awaited operand's
// block uses a slot argument, so it is made `move`; it moved the block's
// own `ref mut a` in, on every turn of the loop. Locals the transform does
// not track are captured by reference, as rustc's closure borrowed them.
twin! {
    compare: (|x: i64| x * 2 + 8);
    pub async fn closure_in_an_operand_block_borrowing_its_ref_mut_binding(value: impl Fn(i64) -> i64) -> i64 {
        let d = mk("d1", val("a1", 0, {
            let P { a: ref mut a, .. } = p("z", 0);
            let mut c = 0;
            while let Some(_) = step(&mut c, 2) {
                let _f = || value(a.n);
            }
            vec![0]
        }).await.len() as i64);
        d.consume()
    }
}

// The same, writing what it borrows: a `mut` local and a `ref mut` binding.
twin! {
    compare: (|x: i64| x * 2 + 8);
    pub async fn closure_in_an_operand_block_writing_its_locals(value: impl Fn(i64) -> i64) -> i64 {
        let n = val("a1", 1, {
            let mut n = 1;
            let d = mk("d1", 2);
            let mut c = || n += value(d.n);
            c();
            c();
            log_i(probe(&d));
            n
        }).await;
        n + val("a2", 1, {
            let P { a: ref mut a, .. } = p("z", 3);
            let mut c = || a.n = value(a.n);
            c();
            log_i(a.n);
            a.n
        }).await
    }
}

// The same with an arm's bindings.
twin! {
    compare: (|x: i64| x * 2 + 8);
    pub async fn closure_in_an_operand_arm_borrowing_its_bindings(value: impl Fn(i64) -> i64) -> i64 {
        val("a1", 1, match (mk("d1", 4), 2) {
            (d, k) => {
                let c = || value(d.n + k);
                c() + probe(&d)
            }
        }).await
    }
}

// build defect (E0507, seed 52001): an assertion's message that moves a
// slot local (`{ d5 }`, `d5` older than `rm8`, kept beside it). The message
// is resolved as the expressions it holds: the move is a maybe-move, taken
// from the slot where it runs.
twin! {
    compare_panic: ((mk("arg7", 5), 6), mk("arg9", 7));
    pub async fn local_moved_in_a_failing_assertion_message((d5, n6): (D, i64), ref mut rm8: D) -> Option<i64> {
        assert!(false, "small: {}", mk("t12", {
            let v11: Vec<i64> = vec![pair(&({
                d5
            }), 0), 0];
            0
        }).with(0).consume());
        val("a18", 0, 0).await;
        None
    }
}

// The same assertion holding: `d5` drops where rustc drops it.
twin! {
    compare: ((mk("arg7", 5), 6), mk("arg9", 7));
    pub async fn local_moved_in_an_assertion_message_that_holds((d5, n6): (D, i64), ref mut rm8: D) -> Option<i64> {
        assert!(n6 > 0, "small: {}", pair(&({ d5 }), 0));
        val("a18", 1, 0).await;
        Some(rm8.n)
    }
}

// build defect (E0716, seed 52001): `let p = pin!(f().await)` inside an
// assertion's message, opened because it awaits: the `let` was not seen
// as pinning (macros' arguments were not rewritten), and the value's
// extended temporary ended with the block the transform put around it.
twin! {
    compare_panic: ();
    pub async fn pinned_awaited_value_in_an_assertion_message() -> i64 {
        let d = mk("d1", {
            assert!(false, "small: {}", {
                let pf = pin!(val("f1", 0, peek("peek1", &mk("z", 0), 0).await));
                0
            });
            0
        });
        d.n
    }
}

// divergence (seed 52001): the temporaries of a later `let` in a guard's
// chain (`if let .. = a && let Ok(n) = f((g().await, mk()).0)`) live to
// the end of the arm, like the first's; they dropped with the guard.
twin! {
    compare: ();
    pub async fn let_chain_guard_temporary_lives_to_its_arms_end() -> Result<i64, String> {
        match (0, twice(&mut mk("t4", 5).n())) {
            (n8, n9) if let Some(n15) = None.or(Some(n9)) && let Ok(n28) = res_of((val("a16", 0, n15).await, mk("z", 0)).0) => res_of({
                let Ok(n35) = res_of(0) else {
                    let n37 = (0, mk("z", 0)).0;
                    return Ok(0);
                };
                0
            }),
            _ => Ok(0),
        }
    }
}
twin! {
    compare: (3);
    pub async fn let_chain_guard_with_a_condition_first(k: i64) -> i64 {
        match (k, mk("s", 1)) {
            (n, _) if n > 1 && let Some(m) = Some(pair(&mk("t1", n), 0)) && let Ok(q) = res_of((val("a1", 1, m).await, mk("t2", 0)).0) => {
                let d = mk("b", q);
                val("a2", 1, d.n).await
            }
            (n, _) if let Some(m) = Some((mk("t3", n), val("a3", 1, 2).await).1) && m > 100 => m,
            _ => 7,
        }
    }
}
twin! {
    compare: (0);
    pub async fn let_chain_guard_second_let_making_temporaries(k: i64) -> i64 {
        match (k, mk("s", 1)) {
            (n, _) if let Some(m) = Some((mk("t3", n), val("a3", 1, 2).await).1) && let Some(z) = (mk("t4", 1), None::<i64>).1 => m + z,
            (n, _) if n == 0 && let Some(m) = Some(pair(&mk("t1", n), 0)) => val("a2", 1, m).await,
            _ => 7,
        }
    }
}

// divergence (seed 53001, Rust 2021): an `FnOnce` called in a `match` arm
// inside `vec![..]`, in an awaited operand: the arm does not run, so `c3`
// is maybe moved, and drops at the end. The macro's arguments were read
// as straight-line code, the call as a move.
twin! {
    compare: ({ let d = mk("cap2", 2); move || d.consume() });
    pub async fn fn_once_called_in_a_macro_arguments_branch(c3: impl FnOnce() -> i64) -> Option<i64> {
        log_i((val("a9", 0, vec![match ok(3) {
            Ok(n6) if false => c3(),
            Ok(n7) => 0,
            Err(s8) => 0,
        }, 0]).await.len() as i64, mk("z", 0)).0);
        None
    }
}

// build defect (E0507; gap of the seventeenth runs): `panic!(.., a3.consume())`
// on one path, `a3` used after it on the other. Control does not go on
// after `panic!`, so the later use does not make the consuming call a copy.
twin! {
    compare: (mk("a3", 1), 3);
    pub async fn consumed_in_a_panic_then_used_on_the_other_path(a3: D, k: i64) -> i64 {
        let r = &mut mk("z", 0);
        val("a1", 1, 0).await;
        if k > 5 {
            panic!("{}", a3.consume());
        }
        r.n + a3.n
    }
}

// The same, the `panic!` taken.
twin! {
    compare_panic: (mk("a3", 1), 9);
    pub async fn consumed_in_a_panic_that_runs(a3: D, k: i64) -> i64 {
        let r = &mut mk("z", 0);
        val("a1", 1, 0).await;
        if k > 5 {
            panic!("{}", a3.consume());
        }
        r.n + a3.n
    }
}

// The same in a `match` arm's value.
twin! {
    compare: (mk("a3", 1), 3);
    pub async fn consumed_in_a_panicking_arm(a3: D, k: i64) -> i64 {
        let n = match k {
            0..=5 => 1,
            _ => panic!("{}", a3.consume()),
        };
        val("a1", 1, 0).await;
        a3.n + n
    }
}

/// Like `tokio::sync::oneshot`: `Sender::send` takes `self`.
pub mod oneshot {
    use super::*;

    pub struct Sender(pub D);
    pub struct Receiver(pub D);

    impl Sender {
        pub fn send(self, value: i64) -> Result<(), i64> {
            log_i(value);
            Ok(())
        }
    }

    pub fn channel() -> (Sender, Receiver) {
        (Sender(mk("tx", 1)), Receiver(mk("rx", 2)))
    }
}

// build defect (E0507, bb8's tests `test_acquire_release`, `test_guard`):
// a oneshot sender kept in a slot (older than `buf`, borrowed across the
// await) and sent on. `send` takes it by value: it is taken from the slot.
twin! {
    compare: ();
    pub async fn oneshot_sender_in_a_slot_sent_on() -> i64 {
        let (tx, _rx) = oneshot::channel();
        let buf = mk("buf", 3);
        let n = peek("peek1", &buf, 1).await;
        tx.send(n).unwrap();
        n
    }
}

// build defect (E0382, bb8's `test_get_timeout` and four more): a oneshot
// sender sent on between two awaits was stored again after the move.
twin! {
    compare: ();
    pub async fn oneshot_sender_sent_on_between_awaits() -> i64 {
        let (tx, _rx) = oneshot::channel();
        val("a1", 1, 0).await;
        tx.send(5).unwrap();
        val("a2", 1, 7).await
    }
}

// build defect (E0507 and E0716, async-io's `optimistic`): `let fut =
// pin!(fut)` on a plain name was left to rustc's macro, on a slot.
twin! {
    compare: (val("a1", 2, 5));
    pub async fn argument_pinned_by_name(fut: impl std::future::Future<Output = i64>) -> i64 {
        let fut = pin!(fut);
        fut.await
    }
}

// The same on a `let`.
twin! {
    compare: ();
    pub async fn local_pinned_by_name() -> i64 {
        let fut = val("a1", 2, mk("d1", 5));
        let fut = pin!(fut);
        fut.await.n
    }
}

// build defect (E0507, seed 54001): `d4.n >= pair(&d4.with(0), 0)` in an
// awaited operand. The temporary `d4.with(0)` is named before the operand,
// and `d4.n` was left to be read after it, from the moved `d4`: it is read
// first now, as rustc does.
twin! {
    compare: (mk("arg3", 4));
    pub async fn place_compared_before_a_consuming_call_in_an_operand(d4: D) -> bool {
        let n = peek("peek1", &d4, 0).await;
        val("a1", 0, d4.n >= pair(&d4.with(n), 0)).await
    }
}

// The same with a write (a wrong result before: the comparison read the
// doubled value).
twin! {
    compare: (mk("arg3", 4));
    pub async fn place_compared_before_a_write_in_an_operand(mut d4: D) -> bool {
        let _n = peek("peek1", &d4, 0).await;
        val("a1", 0, d4.n == twice(&mut d4.n) / 2 + pair(&mk("t1", 1), 0) * 0).await
    }
}

// divergence (seed 54001): a match in an awaited operand whose scrutinee
// is kept to the statement's end (in a slot): an arm binding it by value
// takes it and matches again, and the `if let` guard's binding `d2`,
// newer than the arm's `d1`, dropped after it, not before.
twin! {
    compare: ();
    pub async fn guard_binding_of_a_kept_scrutinee_drops_first() -> i64 {
        let x = val("a1", 0, match (mk("d1", 9), 9) {
            (d1, 9) if let (d2, 0..=9) = (mk("d2", 0), 0) => mk("d3", 0),
            _ => mk("d4", 0),
        }).await;
        x.n
    }
}

// The same with the guard's binding shadowing the arm's: the arm's code
// read the arm's `d` (a wrong result).
twin! {
    compare: ();
    pub async fn guard_binding_shadowing_an_arm_binding_of_a_kept_scrutinee() -> i64 {
        let x = val("a1", 0, match (mk("d1", 9), 9) {
            (d, 9) if let (d, 0..=9) = (mk("d2", 0), 0) => d.n,
            _ => 3,
        }).await;
        x
    }
}

// build defects (E0382 and E0507, seed 55001, Rust 2021): a `move` closure
// that moves out a captured argument is `FnOnce`, and calling it moves it.
// The argument's written type was lost where a pattern argument makes the
// arguments be bound again (`let d2 = arg0;`), and a consuming method
// (`value.consume()`) was not taken as moving its receiver.
twin! {
    compare: (mk("arg1", 6), mk("arg5", 1));
    pub async fn fn_once_closure_moving_a_pattern_argument_called_in_an_operand(d2: D, ref mut rm4: D) -> i64 {
        let c34 = move |k9: i64| {
            if let Some(mut n21) = Some({
                let d20 = d2;
                0
            }) {}
            0
        };
        let v55 = vec![{
            if let Ok(n40) = val("a39", 0, {
                let n38 = c34(0);
                ok(2)
            }).await {}
            0
        }, 0];
        0
    }
}
twin! {
    compare: (mk("arg2", 2));
    pub async fn fn_once_closure_consuming_a_captured_argument(value: D) -> i64 {
        let c18 = move || {
            twice(&mut value.consume())
        };
        let z19;
        z19 = (match mk("m31", inc("inc30", &mut (match c18() {
            n21 => 0,
        }), 0).await) {
            D { n: 2, .. } if let Some(n40) = val("a39", 0, Some(6).or(None)).await => mk("z", 0),
            D { n: n35, .. } => mk("z", 0),
        }).with(0);
        0
    }
}

// internal error (rustc's `async-with-closure.rs` check-pass test): an
// await after a `let` whose value never completes has no state: the
// control flow ends at `unimplemented!()` since `panic!` and its kin end it.
twin! {
    compare_panic: ();
    pub async fn await_after_a_let_of_unimplemented() -> i64 {
        let d = mk("d1", 1);
        let n: i64 = unimplemented!();
        val("a1", 1, n).await + d.n
    }
}

// build defect (E0597, rustc's `issue-64433.rs` check-pass test): at a
// local's last use, `b.something_with_a(a).await` was taken to consume `b`;
// a `mut` local's method is taken to borrow it.
method_twin! {
    compare: |s| s.mut_local_method_at_its_last_use_borrows();
    pub async fn mut_local_method_at_its_last_use_borrows(self) -> i64 {
        let mut other = S::new("other", 2);
        other.touch(self.k).await
    }
}

/// A type whose `build_*` method borrows it.
pub struct Label(pub D);

impl Label {
    pub fn build_label(&self) -> i64 {
        self.0.n
    }
}

// Review find: a rule that took every `build_*` method to consume its
// receiver (for bb8's `build_inner(self)`) dropped `b` at the call, before
// the await, where `build_label` borrows it: names cannot tell.
twin! {
    compare: (Label(mk("l1", 1)));
    pub async fn builder_named_method_borrowing_its_receiver(b: Label) -> i64 {
        let k = b.build_label();
        val("a1", 1, k).await
    }
}

// Review find: a whole local compared before an operand that writes a
// local of the same name (a closure's parameter) was moved out to be read
// first; only a field is read first now, and closures and blocks are not
// looked into (they may bind the name again).
twin! {
    compare: ();
    pub async fn place_compared_before_a_closure_shadowing_it() -> i64 {
        let d = mk("d1", 1);
        let b = val("a1", 1, d == mk("x", pair(&mk("t1", 0), (|mut d: i64| { d += 0; d })(1)))).await;
        let e = mk("e1", 1);
        b as i64 + d.n + e.n
    }
}
