//! Finds of the fuzzer's run of seed 147001 (`--grammar crates`), minimized
//! by hand, and the cases that pin the fix's other side.
use super::prelude::*;

// divergence (seed 147001, function 301): `x8.sum()` on a `P`, whose `sum`
// borrows it, was taken by its name to consume `x8`: it dropped at the
// next await, not at the end of its scope. `sum` and `product` now consume
// only a local known to be an iterator (`Local::known_iterator`).
twin! {
    compare: (1), (2);
    pub async fn sum_borrowing_a_local_that_is_no_iterator(k: i64) -> i64 {
        let x8 = p("p10", val("a9", 1, k).await * 5);
        let d13 = mk("d11", x8.sum()).with(-val("a12", 0, k).await);
        d13.n
    }
}

// divergence (seed 147001, function 957): the same on a lock kept in a
// slot: the call took it out and unlocked it there.
twin! {
    compare: ();
    pub async fn sum_borrowing_a_lock_kept_in_a_slot() -> i64 {
        let mut pp18 = p("p17", 2);
        let lk20 = lock("l19", &mut pp18);
        tick("tick21", 3).await;
        log_i(lk20.k);
        tick("tick22", 3).await;
        log_i(lk20.sum());
        val("a24", 2, 8).await
    }
}

// The other side: an iterator (made by `map`) kept across an await and
// summed before the next one is moved by `sum`, not kept to its scope's end.
twin! {
    compare: (1), (4);
    pub async fn iterator_summed_between_awaits(k: i64) -> i64 {
        let v = vec![mk("a", 1), mk("b", k)];
        let it = v.iter().map(|d| d.n);
        tick("t", 1).await;
        let total: i64 = it.sum();
        val("after", 1, total).await
    }
}

// And an argument whose type says it is an iterator.
twin! {
    compare: (vec![1, 2].into_iter()), (std::iter::once(7));
    pub async fn iterator_argument_summed_between_awaits(items: impl Iterator<Item = i64>) -> i64 {
        tick("t", 1).await;
        let total: i64 = items.product();
        val("after", 1, total).await
    }
}
