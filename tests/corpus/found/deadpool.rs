//! The finds of deadpool 0.13.1 (`tools/annotate -- crate deadpool`), its
//! test functions minimized by hand onto the fuzzer's prelude.

use super::prelude::*;

/// A pool's getters as deadpool names them: each returns a future that
/// borrows the pool (`&self`).
pub trait Pooled {
    fn timeout_get(&self, pendings: u32) -> Peek<'_, D>;
    fn status_later(&self) -> Peek<'_, D>;
}

impl Pooled for D {
    fn timeout_get(&self, pendings: u32) -> Peek<'_, D> {
        peek("timeout_get", self, pendings)
    }

    fn status_later(&self) -> Peek<'_, D> {
        peek("status_later", self, 1)
    }
}

// build defect (E0597, `tests/unmanaged_timeout.rs` `_test_get`): the last
// use of a local is `pool.timeout_get(..).await`, a name the transform did
// not know, so it took the call to consume `pool` and its future outlived
// it. A verb qualified in front (`timeout_get`, `try_recv`) is the verb.
twin! {
    compare: ();
    pub async fn qualified_getter_borrows_its_receiver() -> bool {
        let pool = mk("pool", 1);
        matches!(pool.timeout_get(1).await, 1..=3,)
    }
}

// build defect (E0716, `no_runtime`): two `assert!(matches!(pool.m(..).await,
// ..))`. `pool` is read after the first call, so `m` borrows it; the second
// call, its last use, was taken to consume it out of its slot. One local,
// one method: if a call of it leaves the local to be used again, no call of
// it consumes the local.
twin! {
    compare: ();
    pub async fn method_seen_to_borrow_earlier_borrows_at_the_last_use() -> i64 {
        let pool = mk("pool", 1);
        assert!(matches!(pool.status_later().await, 1..=3));
        let other = mk("other", 2);
        assert!(matches!(pool.status_later().await, 1..=3));
        other.n
    }
}
