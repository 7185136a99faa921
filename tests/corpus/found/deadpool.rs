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

/// A guard's methods as deadpool names them (`UnreadyObject::ready(self)`,
/// `DropGuard::disarm(self)`): names the transform does not know, one
/// taking `self`, one `&self`.
pub trait Guard {
    fn ready_up(self) -> i64;
    fn look_at(&self) -> i64;
}

impl Guard for D {
    fn ready_up(self) -> i64 {
        log_i(self.n);
        self.n
    }

    fn look_at(&self) -> i64 {
        self.n + 10
    }
}

// build defect (E0507, `Pool::try_create`): a guard a future borrowed is
// consumed by a method at the end (`Ok(Some(unready_obj.ready()))`). After
// the last await nothing borrows it: the arm moves it out of its slot into
// a local, and the call takes it (or borrows it) as written. `a` (older, in
// its slot) drops after `c` (newer, a plain local).
twin! {
    compare: ();
    pub async fn guard_consumed_after_the_last_await() -> i64 {
        let a = mk("a", 0);
        let guard = mk("guard", 1);
        peek("p", &guard, 1).await;
        let c = mk("c", 2);
        guard.ready_up() + c.n + a.n
    }
}

// The same with a method that borrows: the local, moved out of its slot,
// still drops where rustc drops it (after `c`, before `a`).
twin! {
    compare: ();
    pub async fn guard_borrowed_after_the_last_await() -> i64 {
        let a = mk("a", 0);
        let guard = mk("guard", 1);
        peek("p", &guard, 1).await;
        let c = mk("c", 2);
        guard.look_at() + c.n + a.n
    }
}

// Consumed on one path only, and a `return` before it on another: the
// arm's local has a drop flag, as rustc's does.
twin! {
    compare: (true), (false);
    pub async fn guard_consumed_on_one_path(early: bool) -> i64 {
        let guard = mk("guard", 1);
        let newer = mk("newer", 2);
        peek("p", &guard, 1).await;
        if early {
            return newer.n;
        }
        let k = if newer.n > 1 { guard.ready_up() } else { 0 };
        k + newer.look_at()
    }
}

// A closure kept in a slot (older than a slot beside it at the await) and
// called at the end: it moves its capture out, so it is `FnOnce`, which the
// transform cannot see; called on the arm's local, it may be.
twin! {
    compare: ();
    pub async fn fn_once_closure_called_after_the_last_await() -> i64 {
        let f = {
            let d = mk("captured", 3);
            move || d.consume()
        };
        let b = mk("b", 1);
        peek("p", &b, 1).await;
        f() + b.n
    }
}

// A stored local that borrows the guard is in scope after the await (and
// is read there): the guard stays in its slot, and a borrowing method is
// called in place.
twin! {
    compare: ();
    pub async fn guard_still_borrowed_after_the_last_await() -> i64 {
        let guard = mk("guard", 1);
        let view = &guard;
        peek("p", view, 1).await;
        view.n + guard.look_at()
    }
}

// A panic after the guard left its slot: it drops while the panic unwinds,
// after `c` and before `a` (still in its slot), as rustc's locals do.
twin! {
    compare_panic: ();
    pub async fn released_guard_dropped_while_a_panic_unwinds() -> i64 {
        let a = mk("a", 0);
        let guard = mk("guard", 1);
        peek("p", &guard, 1).await;
        let c = mk("c", 2);
        if c.n > 1 {
            panic!("boom after the release");
        }
        guard.ready_up() + a.n
    }
}

// deadpool's `Pool::timeout_get`: a guard consumed after a loop that
// awaits. The region after the loop's await also goes back to the loop's
// head: there the arm puts the guard back into its slot.
twin! {
    compare: ();
    pub async fn guard_consumed_after_an_awaiting_loop() -> i64 {
        let guard = mk("guard", 1);
        peek("p", &guard, 1).await;
        let mut n = 0;
        let k = loop {
            n += val("v", 1, 1).await;
            if n > 2 {
                break n;
            }
        };
        guard.ready_up() + k
    }
}

// A release (seed 7 while it was written): an argument read by value on a
// path that returns from inside a statement whose await output (a
// temporary kept in a slot) drops first. A region that starts a slot
// releases nothing: the slot is cleared after the arm's locals.
twin! {
    compare: (mk("value", 3), true), (mk("value", 3), false);
    pub async fn return_inside_a_statement_with_a_kept_temporary(value: D, early: bool) -> bool {
        let n = [val("a9", 1, mk("d8", 9)).await.n(), {
            if early {
                return match (value.n, 8) {
                    (k, _) => k > 0,
                };
            }
            val("a15", 1, 3).await
        }][0];
        n > value.n
    }
}

// `Pool::timeout_get` whole: the loop's body awaits in both branches of an
// `if let`, so the code after them is a join; a local of the loop's body
// (moved on one path: a slot with a flag) ends before the function
// returns, and does not keep the guards in their slots.
twin! {
    compare: (true), (false);
    pub async fn guards_consumed_after_a_loop_that_joins(recycle: bool) -> i64 {
        let users_guard = mk("users_guard", 1);
        let permit = val("permit", 1, mk("permit", 2)).await;
        let mut tries = 0;
        let got = loop {
            tries += 1;
            let queued = if recycle { Some(mk("queued", tries)) } else { None };
            let got = if let Some(obj) = queued {
                val("recycle", 1, obj.n).await
            } else {
                val("create", 1, 10).await
            };
            if got > 1 {
                break got;
            }
        };
        users_guard.ready_up() + permit.ready_up() + got
    }
}

// deadpool's `try_recycle` (two of its hook tests failed annotated, on a
// transform that let it build): `inner`, a `&mut` into `unready_obj`, is
// passed by value (`apply(inner)`), reborrowed, not moved, and written
// after the await. The flow took it as moved out, so nothing seemed to
// borrow the slot after the await, and the arm took the value out of it:
// the writes went to the slot it had left. A borrower read again was not
// moved.
twin! {
    compare: (3);
    pub async fn reference_passed_on_to_an_awaited_call_then_written(k: i64) -> i64 {
        let mut d = mk("d", k);
        let n = &mut d.n;
        log_i(val("v", 1, twice(n)).await);
        *n += 10;
        d.consume()
    }
}
