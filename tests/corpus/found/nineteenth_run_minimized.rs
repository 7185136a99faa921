//! Seed 57001's finds (Rust 2024), minimized by the fuzzer.

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
