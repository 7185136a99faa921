//! The sixteenth run's finds (seed 24001, 1,200 functions), each with
//! what it showed; now fixed.
#![allow(
    dead_code,
    irrefutable_let_patterns,
    unused_labels,
    unused_parens,
    non_shorthand_field_patterns,
    unused_imports,
    unused_variables,
    unused_mut,
    unused_assignments,
    unreachable_code,
    clippy::all
)]
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
