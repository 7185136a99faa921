//! The fifteenth run's finds (seed 19001, 2,000 functions), each with
//! what it showed; now fixed.
use super::prelude::*;

// build-defect: E0596: an array hoisted before an await in its index is
// borrowed `&mut` (`&mut [..][i]`).
twin! {
    compare: ();
    pub async fn array_value_borrowed_mut_through_an_awaiting_index() -> i64 {
        let mut n9: i64 = 2;
        twice(&mut [mk("t25", 1).with(n9).consume(), -(n9 + 5)][ix(val("a26", 0, 1).await)])
    }
}

// build-defect: E0382: a place compared before an operand that moves its
// local inside a borrow (`&f(d4).await`) is copied when evaluated.
twin! {
    compare: (mk("rm", 1), mk("d4", 2));
    pub async fn place_compared_before_a_move_inside_a_borrowed_await(ref mut rm1: D, d4: D) -> i64 {
        if d4.n <= pair(&val("a5", 1, std::mem::replace(&mut *rm1, d4)).await, 0) {
            log_i(1);
        }
        rm1.n
    }
}

// build-defect: E0425: in a guard `if let A = a && let B = b`, `b` runs
// only if `A` matched: its temporaries are not named ahead of the guard.
twin! {
    compare: (mk("d6", 4), Some(3));
    pub async fn let_chain_guard_with_an_await_and_a_temporary(d6: D, a4: Option<i64>) -> i64 {
        let c8 = 7;
        match peek("peek14", &c8, 0).await {
            7 if let Ok(n17) = err(val("a16", 1, vec![4]).await.len() as i64) && let Some(n19) = (match add(0, d6.n) {
                2 if d6.n < c8 => a4,
                n18 => Some(4),
            }) => c8,
            n15 if true => n15,
            _ => 4,
        }
    }
}
