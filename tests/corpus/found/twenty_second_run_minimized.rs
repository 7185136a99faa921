//! The finds of seeds 134001 and after, minimized by the fuzzer (and by
//! hand, for the cases written from them).

use super::prelude::*;

// build defect (seed 134001: E0507 or E0382, by where `f` is kept; also
// async-lock's `OnceCell::initialize_or_wait`): `let f = slot.take().unwrap(); f()`,
// where `slot` is `Some` of an `FnOnce` (a closure calling one, or an
// argument bounded by `FnOnce`). Calling `f` consumes it, which the
// transform did not know: it kept `f` across the await that follows, to
// drop it at its scope's end. What a `Some(..)` holds is now followed to
// what `take().unwrap()` (or `unwrap()`, `expect(..)`) takes out of it.
twin! {
    compare: ({ let d = mk("cap1", 0); move || d.consume() });
    pub async fn fn_once_closure_taken_out_of_an_option(c2: impl FnOnce() -> i64) -> i64 {
        let mut slot24 = Some(move || add(c2(), 1));
        let f25 = slot24.take().unwrap();
        let g = guard("g", f25());
        tick("t", 1).await;
        g.level()
    }
}

// build defect (E0716, seed 137001): `inc("inc", &mut [4, 2, 7][ix(8)], 2).await`.
// A slice of a temporary array is named by its array; a constant one was
// left in place, as if promoted, but a mutable borrow is not promoted: it
// died with the statement that made the future.
twin! {
    compare: (1), (8);
    pub async fn element_of_a_constant_array_borrowed_mutably_by_an_awaited_operand(i: i64) -> i64 {
        let n = inc("inc", &mut [4, 2, 7][ix(i)], 2).await;
        n + inc("again", &mut [1i64, 2][..][1], 1).await
    }
}

// build defect (E0282, seeds 134001, 136001, 137001): a match whose
// `if let` guard awaits, in code each region writes itself (it returns
// with no await on the way). The guard's binding, carried to its arm in a
// local declared without a value, was read in the code of the region that
// starts the function, where nothing had given it a type. Regions that
// would read such a local before giving it a value now meet at a join.
twin! {
    compare: (2), (9);
    pub async fn guard_binding_read_where_regions_would_go_on_alone(k: i64) -> D {
        let n20 = match (P { b: mk("b", 0), k: mk("k", k).n(), a: mk("a", 0) }.k) {
            1..=4 if let (d15, 0..=2) = val("a14", 1, (mk("g", 1), 0)).await => d15.n,
            n12 => n12,
        };
        mk("z", n20)
    }
}
