//! The second run's finds (seed 11, 1,000 functions), now fixed: each
//! reduced from the fuzzer's cluster example (by hand or by its minimizer),
//! with the error or divergence it showed.
use super::prelude::*;

// build-defect: E0282: type annotations needed. The `else` of a `let … else`
// resumed after an await declared the deferred `z1` again, though nothing
// there assigns it.
twin! {
    compare: ();
    pub async fn deferred_local_not_assigned_after_resume() -> String {
        let z1;
        z1 = val("later3", 1, 4i64).await;
        let Some(n4) = checked(z1) else {
            return match val("a5", 2, false).await {
                true => String::from("s9"),
                false => String::from("s4"),
            };
        };
        String::from("s8")
    }
}

// build-defect: E0425: cannot find value `z1` in this scope. A deferred
// local in a slot, read in an arm resumed before it was assigned there: the
// arm had no pointer to the slot.
twin! {
    compare: ();
    pub async fn deferred_slot_read_in_a_later_arm() -> i64 {
        let z1;
        z1 = val("later3", 1, 4i64).await;
        let Some(n4) = checked(z1) else {
            let x = if false {
                let rf10 = &z1;
                val("a12", 1, 3).await + *rf10
            } else {
                z1
            };
            return x;
        };
        n4
    }
}

// build-defect: E0382: use of moved value. `&({ value })` moves `value` (a
// block makes a value of its tail); the join after the `if` stored it as if
// it were only borrowed.
twin! {
    compare: (mk("value", 4));
    pub async fn block_tail_under_a_borrow_moves(value: D) -> i64 {
        let x = if 4 != value.n {
            val("a6", 1, value.n).await
        } else {
            pair(&({ value }), 9)
        };
        x
    }
}

// build-defect: E0596: cannot borrow as mutable. rustc's temporary for
// `f().await` is a mutable place: `&mut f().await` and `f().await.push(..)`.
twin! {
    compare: ();
    pub async fn await_output_borrowed_mutably() -> i64 {
        let mut v = val("a", 0, vec![1]).await;
        val("b", 1, vec![2]).await.push(3);
        twice(&mut val("a7", 2, 5).await) + v.len() as i64
    }
}

// build-defect: E0277: cannot subtract `!` from `i64`. A loop left only
// through an await's arm: the code after it in the first arm is dead, and
// was written anyway with the loop's value typed `!`.
twin! {
    compare: ();
    pub async fn loop_left_only_after_an_await() -> i64 {
        let k = 4;
        let n19: i64 = k - ({
            let mut c10: i64 = 0;
            loop {
                c10 += 1;
                if c10 > 1 {
                    break val("peek11", 2, 4).await;
                }
            }
        });
        n19
    }
}
