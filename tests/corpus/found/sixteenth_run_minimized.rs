//! The sixteenth to twentieth runs' finds (seeds 24001 to 30001), each with
//! what it showed; now fixed.
use super::prelude::*;

// divergence: a `move` closure names a field in an assertion's message
// (`move || assert!(.., "{}", d2.n)`): it captures that field, not `d2`,
// which still drops at the function's end.
twin! {
    compare: (mk("arg1", 0));
    pub async fn assertion_message_in_a_move_closure(d2: D) -> i64 {
        later("later12", 3, move || {
            assert!(d2.n > -1000, "small: {}", d2.n);
            4
        }).await
    }
}

// divergence: `let _ = match ..;` drops the match's value before its
// scrutinee's temporaries, also when an arm awaits.
twin! {
    compare: (1), (7);
    pub async fn discarded_match_value_before_scrutinee_temporaries(n4: i64) -> i64 {
        let _ = match (P { b: mk("d5", 0), a: mk("d6", 9), k: n4 }.k) {
            6..=9 => val("a19", 0, (mk("t33", 5), 5)).await,
            n9 => (mk("t36", 3), 3),
        };
        4
    }
}

// divergence: the same, the match through its `if let` guard's desugaring.
twin! {
    compare: (1), (7);
    pub async fn discarded_match_value_with_an_if_let_guard(n4: i64) -> i64 {
        let _ = match (P { b: mk("d5", 0), a: mk("d6", 9), k: n4 }.k) {
            6..=9 if let Some(n24) = val("a19", 0, Some(9)).await => (mk("t33", 5), 5),
            n8 if true => (mk("t34", 9), 9),
            n9 => (mk("t36", 3), 3),
        };
        4
    }
}

// build-defect: E0382: a place compared before an operand that consumes its
// local by a method (`d2.n == (if let .. { d2.consume() } ..)`) is copied
// when evaluated.
twin! {
    compare: (mk("arg", 1)), (mk("arg", 9));
    pub async fn place_compared_before_a_consuming_method(d2: D) {
        if d2.n == (if let (d7, 0..=7) = (mk("d6", 7), d2.n * 7) && (peek("peek8", &d7, 1).await > 0) {
            log_i(d2.consume());
            7
        } else {
            5
        }) {
            log_i(1);
        }
    }
}

// build-defect: E0425: a guard's `let` binding that is a slot in its arm
// (the arm awaits) is read in the guard's later conditions where the
// guard's pattern bound it.
twin! {
    compare: (0), (7);
    pub async fn guard_let_binding_kept_in_a_slot_read_by_the_guard(n1: i64) -> i64 {
        let x = match n1 {
            n4 if let Some(n6) = checked(1) && (0 <= n6 || false) && (ok(4).unwrap_or(n6) > n4) => {
                val("a8", 0, mk("z", n6)).await.n
            }
            n5 => n5,
        };
        x
    }
}

// build-defect: E0507: a loop counter bound to a literal is `Copy`: passed
// by value, it is not moved (so not a maybe-moved slot, nor is the
// `FnOnce` closure older than it, which is called on the way out).
twin! {
    compare: ();
    pub async fn fn_once_called_on_leaving_a_loop_with_a_literal_counter() -> i64 {
        let d4 = mk("z", 0);
        let c22 = move || {
            let d20 = d4;
            d20.n + 1
        };
        let mut c24 = 0;
        loop {
            c24 += 1;
            if c24 > 3 {
                return c22();
            }
            val("a25", 1, c24).await;
        }
    }
}

// build-defect: E0381: an `if let` guard's binding, carried to its arm
// (the guard makes a temporary, the arm awaits), holds a value only on the
// path that selected the arm: moved there, it is a slot (its flag says).
twin! {
    compare: ();
    pub async fn guard_binding_carried_to_an_arm_that_awaits() -> bool {
        match (mk("z", 0), 0) {
            (d7, 9) if let Some(n11) = Some(twice(&mut 0)) => val("a12", 0, false).await || false,
            (d9, n8) => false,
        }
    }
}

// build-defect: E0614: a local of a written type that is no `&mut` and not
// `mut`, read by a method in an `async` block, is borrowed shared (the
// method cannot write it), not reborrowed (seed 28001).
twin! {
    compare: (3, mk("arg6", 4));
    pub async fn non_mut_local_of_a_written_type_read_by_an_async_block(mut n1: i64, ref mut rm5: D) -> Result<i64, String> {
        let t9: (D, i64) = (val("a8", 0, mk("z", 0)).await, 0);
        let fut36 = async {
            (mk("z", 0), {
                let mut c16: i64 = 0;
                loop {
                    c16 += 1;
                    if c16 > 3 {}
                    {
                        let Some(n22) = Some(n1) else {
                            log_i(t9.0.n());
                            break;
                        };
                    }
                }
                0
            }).1
        };
        log_i(t9.1);
        Ok(0)
    }
}

// divergence: a match arm's body is a temporary scope of its own: an
// await's output it borrows (`val(..).await.n()`) drops where the arm ends,
// before the operands evaluated around the match (`d1.with(1)`), when the
// function is dropped at a later await in the arm (seed 30001).
twin! {
    compare: ((mk("arg1", 3), 9)), ((mk("arg1", 3), 0));
    pub async fn arm_body_temporaries_before_the_operands_around_the_match((d1, n2): (D, i64)) -> i64 {
        let t19: (D, i64) = (d1.with(1), match checked(n2 + 1) {
            Some(n5) if val("a7", 1, true).await => val("a9", 0, mk("d8", 9)).await.n() + later("later10", 2, || n5).await,
            _ => n2,
        });
        t19.1
    }
}
