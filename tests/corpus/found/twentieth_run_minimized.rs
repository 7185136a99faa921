//! The finds of seeds 83001 and after (and the known classes of earlier
//! seeds fixed in the session after them), minimized by the fuzzer.

use super::prelude::*;

// build defect (E0382, seed 70001): `let P { a, .. } = p;` in a block
// inside an awaited operand moves the field `a` and leaves the rest of `p`
// in place. Only a statement of the body was written as field moves
// (`let a = p.a;`); in a nested block it was taken as a read, so the state
// stored the partly moved `p`.
twin! {
    compare: ();
    pub async fn partial_destructure_in_a_block_of_an_awaited_operand() -> i64 {
        let pp17: P = p("z", 0);
        let n = val("a24", 0, format!("{}:{}", {
            let P { a: d20, .. } = pp17;
            d20.n()
        }, 0)).await;
        pp17.k + n.len() as i64
    }
}

// The same inside a plain block statement and a closure (called after the
// last await), with the fields left in place read after the awaits.
twin! {
    compare: (p("arg", 3));
    pub async fn partial_destructures_in_a_block_and_a_closure_keep_the_rest(q: P) -> i64 {
        let pp: P = p("pp", 1);
        {
            let P { b: taken, k, .. } = pp;
            log_d(taken);
            log_i(k);
        }
        let f = move || {
            let P { a: first, .. } = q;
            first.consume()
        };
        let n = val("a", 1, 2).await;
        tick("t", 1).await;
        n + pp.a.n() + pp.k + f()
    }
}
