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
