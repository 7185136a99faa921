//! The finds of seeds 134001 and after, minimized by the fuzzer.

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
