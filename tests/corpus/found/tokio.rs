//! The finds of tokio 1.54.1 (`tools/annotate -- crate tokio --features
//! full,test-util`), minimized by hand onto the fuzzer's prelude.

use super::prelude::*;

// divergence (a panic of the expansion's own, tokio's `Child::wait`: `let
// ret = child.await; if let Ok(exit) = ret { self.child = Done(exit); }
// ret`): the `if let` binds a `Copy` part of `ret` by value, which copies
// it; the flow took it for a move on that path only, kept `ret` in a slot
// with a drop flag, and the arm took the value out: the tail then found
// the slot empty ("a slot's value taken twice"). A scrutinee an arm may
// take, used again later, was copied (rustc accepted the later use).
twin! {
    compare: (7), (-1);
    pub async fn result_matched_for_a_copy_of_its_value_then_returned(k: i64) -> Result<i64, String> {
        let mut done = mk("done", 0);
        let ret = val("child", 2, if k > 0 { Ok(k) } else { Err(format!("e{k}")) }).await;
        if let Ok(exit) = ret {
            done = mk("exit", exit);
        }
        ret
    }
}

// The same, the scrutinee kept across an await after the `if let`.
twin! {
    compare: (7), (-1);
    pub async fn result_matched_for_a_copy_then_kept_across_an_await(k: i64) -> Result<i64, String> {
        let ret = val("child", 1, if k > 0 { Ok(k) } else { Err(format!("e{k}")) }).await;
        let mut seen = 0;
        if let Ok(exit) = ret {
            seen = exit;
        }
        tick("after", 1).await;
        ret.map(|n| n + seen)
    }
}

// The other side: an arm that takes a value with `Drop` moves it, and the
// other path drops it at its scope's end.
twin! {
    compare: (7), (-1);
    pub async fn option_taken_by_one_arm_dropped_at_scope_end_by_the_other(k: i64) -> i64 {
        let held = if k > 0 { Some(mk("held", k)) } else { None };
        tick("before", 1).await;
        let mut n = 0;
        if let Some(d) = held {
            n = val("taken", 1, d).await.n;
        }
        tick("after", 1).await;
        n
    }
}

// build defect (E0425, tokio's `Mutex::lock`, `RwLock::{read, write}`,
// `Semaphore::acquire`, `Interval::tick`, `TcpSocket::connect`: `let
// acquire_fut = async { .. }; #[cfg(all(tokio_unstable, feature =
// "tracing"))] let acquire_fut = trace::async_op(move || acquire_fut, ..);
// acquire_fut.await`): the attribute cannot know which `cfg`'d statements
// the build keeps. It renamed the shadowing `let` (`acquire_fut_2`), which
// the build then removed. The function is now expanded once per
// combination of the options its body's `cfg`s name, each copy under an
// item-level `#[cfg(..)]` (`cfg_split.rs`). `debug_assertions` differs
// between CI's debug and release runs of this corpus: both copies run.
twin! {
    compare: (3), (-2);
    pub async fn future_shadowed_by_a_let_the_build_may_leave_out(k: i64) -> i64 {
        let fut = val("plain", 1, mk("made", k));
        #[cfg(any())]
        let fut = val("never", 1, mk("never", -1));
        #[cfg(debug_assertions)]
        let fut = val("debug", 1, fut.await.with(100));
        #[cfg(not(debug_assertions))]
        let fut = val("release", 2, fut.await.with(200));
        fut.await.n
    }
}

// The same options on a `match` arm and a struct literal's field, and a
// local declared under one and kept across an await.
twin! {
    compare: (1), (2);
    pub async fn match_arm_and_field_the_build_may_leave_out(k: i64) -> i64 {
        #[cfg(debug_assertions)]
        let held = mk("debug held", k);
        #[cfg(not(debug_assertions))]
        let held = mk("release held", k + 1);
        let n = match val("n", 1, k).await {
            #[cfg(debug_assertions)]
            1 => 10,
            #[cfg(not(debug_assertions))]
            1 => 20,
            other => other,
        };
        let p = P {
            a: mk("a", n),
            #[cfg(debug_assertions)]
            b: mk("b debug", held.n),
            #[cfg(not(debug_assertions))]
            b: mk("b release", held.n),
            k: n,
        };
        tick("after", 1).await;
        p.a.n + p.b.n + held.n
    }
}

/// A module whose name is also a local's (tokio's tests: `time`, and
/// `time::sleep(..)` inside `tokio::join!`).
pub mod time {
    pub fn double(n: i64) -> i64 {
        2 * n
    }
}

/// A macro the transform does not know: it sees its tokens only.
macro_rules! sum_of {
    ($($e:expr),*) => { 0 $(+ $e)* };
}

// build defect (a parse error, tokio's `paused_time_join_unix_datagram_and_sleep`:
// `let time = Instant::now(); tokio::join!(async { time::sleep(..).await }, ..)`):
// in a macro's tokens, `time` before `::` was taken for the local (a slot,
// `((*time))::sleep`). A name before `::` is a path's.
twin! {
    compare: (3);
    pub async fn local_named_like_a_module_a_macro_path_names(k: i64) -> i64 {
        let time = mk("time", k);
        let n = sum_of!(time::double(k), time.n);
        peek("peek", &time, 1).await + n
    }
}

// build defect (E0382, tokio's `lines_invalid_utf8_line_errors_once_and_advances`:
// `let inner = err.into_inner().unwrap(); let utf8 =
// inner.downcast::<FromUtf8Error>().unwrap();` before an await): `downcast`
// takes the box by value; taken to borrow it, `inner` was kept in the next
// state after the move. It now consumes by its name.
twin! {
    compare: (4);
    pub async fn boxed_value_downcast_between_awaits(k: i64) -> i64 {
        let inner: Box<dyn std::any::Any> = Box::new(mk("boxed", k));
        tick("before", 1).await;
        let d = inner.downcast::<D>().unwrap();
        tick("after", 1).await;
        d.n
    }
}

// internal error (a stack overflow of the macro, on tokio's sources): a
// `cfg` where the split does not resolve one (a closure's parameter) stayed
// in each copy, and each copy was split again. A copy is not split again;
// rustc resolves what is left.
twin! {
    compare: (3);
    pub async fn cfg_left_where_the_split_does_not_resolve_it(k: i64) -> i64 {
        #[cfg(debug_assertions)]
        let add = |#[cfg(all())] x: i64| x + 1;
        #[cfg(not(debug_assertions))]
        let add = |#[cfg(all())] x: i64| x + 1;
        val("v", 1, add(k)).await
    }
}

/// A lock whose read guard borrows it, as tokio's `RwLock::read`.
pub struct Lk {
    readers: std::cell::Cell<i64>,
}

/// What `Lk::read` gives: it holds the lock until dropped.
pub struct ReadGuard<'a>(&'a Lk);

impl Drop for ReadGuard<'_> {
    fn drop(&mut self) {
        log("unlock");
        self.0.readers.set(self.0.readers.get() - 1);
    }
}

impl Lk {
    pub async fn read(&self) -> ReadGuard<'_> {
        tick("read", 1).await;
        self.readers.set(self.readers.get() + 1);
        ReadGuard(self)
    }

    pub fn try_write(&self) -> bool {
        self.readers.get() == 0
    }
}

// divergence (tokio's test `try_write`: `let read_guard = lock.read().await;
// assert!(lock.try_write().is_err()); drop(read_guard);
// assert!(lock.try_write().is_ok());`): after the await, `lock` was moved
// out of its slot into a local of the arm while `read_guard`, the await's
// output, still pointed into the slot; the guard then released the lock
// the slot had held, and the local's copy stayed locked.
twin! {
    compare: ();
    pub async fn guard_an_await_returns_borrows_what_its_future_borrowed() -> (bool, bool) {
        let lock = Lk { readers: std::cell::Cell::new(0) };
        let read_guard = lock.read().await;
        let while_read = lock.try_write();
        drop(read_guard);
        (while_read, lock.try_write())
    }
}

// build defect (a clear rejection before: "`.await` inside `assert_ok!(..)`
// cannot be seen", 230 of tokio's tests write `assert_ok!(rx.recv().await)`):
// an assertion macro of tokio-test or claims evaluates its first operand
// first, once; it is matched outside the macro, and the macro gets the value
// (the prelude's copy of tokio-test's `assert_ok!`).
twin! {
    compare: (4), (5);
    pub async fn assert_ok_of_an_await(k: i64) -> i64 {
        let held = mk("held", k);
        let n = assert_ok!(val("r", 2, res_of(k)).await);
        n + held.n()
    }
}

// The failing side: the same panic, after the same drops.
twin! {
    compare_panic: (3);
    pub async fn assert_ok_of_an_await_that_fails(k: i64) -> i64 {
        let held = mk("held", k);
        assert_ok!(val("r", 1, res_of(k)).await) + held.n()
    }
}

// A message naming a local, read only when the assertion fails; the
// operand's temporary (`&mk("t", ..)`) lives to the end of the statement,
// past the assertion, as in the macro's own `match`.
twin! {
    compare: (4);
    pub async fn assert_ok_with_a_message_and_a_temporary(k: i64) -> i64 {
        let label = mk("label", k);
        assert_ok!(val("r", 1, res_of(pair(&mk("t", k), k))).await, "at {}", label.n());
        let m = assert_ok!(val("s", 2, res_of(k + 1)).await,).abs();
        tick("after", 1).await;
        m + label.n()
    }
}
twin! {
    compare_panic: (6);
    pub async fn assert_ok_with_a_message_that_fails(k: i64) -> i64 {
        let label = mk("label", k);
        tick("before", 1).await;
        assert_ok!(val("r", 1, res_of(k)).await, "at {}", label.n());
        label.n()
    }
}

// `?` in the operand leaves the function, not the macro.
twin! {
    compare: (4), (3);
    pub async fn assert_ok_of_a_question_mark(k: i64) -> Result<i64, String> {
        let n = assert_ok!(Ok::<i64, String>(val("r", 1, res_of(k)).await?));
        Ok(n * 2)
    }
}

// divergence (the fuzzer's `assert_ok!`, seed 7 of the crates grammar): the
// operand's temporaries (`P { .. }`, read for one field) live to the end of
// the statement, past `log_i`, as in a macro that writes a bare `match`.
twin! {
    compare: ();
    pub async fn assert_ok_operand_temporaries_live_to_the_end_of_the_statement() {
        log_i(assert_ok!(ok(P {
            a: mk("z", 0),
            b: if let Ok(n) = val("a6", 0, ok(1)).await { mk("y", n) } else { mk("x", 0) },
            k: 0,
        }
        .k)));
    }
}

// divergence (the same run): a `move` closure naming `d.n` in an assertion's
// operand captures that field (a copy), not `d`: `d` stays in the function
// and drops when it returns. The operand was opaque tokens, taken to name
// all of `d`.
twin! {
    compare: ();
    pub async fn move_closure_copies_a_field_an_assertion_names() -> i64 {
        let d = mk("z", 0);
        run(move || async move {
            assert_ok!(ok({
                log_i(d.n);
                0
            }))
        })
        .await
    }
}

// build defect (tokio's `Barrier::wait_internal`, `let _ = wait.changed().await;`
// in a crate that writes `#![deny(unused_must_use)]`): the output, dropped
// where the statement ends, was written `output;`, an unused `Result`; the
// machine's `allow(warnings)` does not reach a lint the crate denies.
twin! {
    compare: (2), (5);
    #[deny(unused_must_use)]
    pub async fn discarded_result_of_an_await_where_unused_must_use_is_denied(k: i64) -> i64 {
        let held = mk("held", k);
        loop {
            let _ = val("changed", 1, res_of(k)).await;
            tick("again", 1).await;
            if held.n() > 1 {
                break;
            }
        }
        held.n()
    }
}

// build defect (tokio's `mutex_debug`: E0425, `assert_eq!(format!("{m:?}"),
// ..)` with `m` kept in a slot): a format string's implicit capture inside
// an expression macro's arguments was left implicit, so it named a local the
// arm does not have.
twin! {
    compare: (3);
    pub async fn implicit_capture_in_a_format_inside_an_assertion(k: i64) -> i64 {
        let m = mk("m", k);
        assert_eq!(format!("{m:?}"), format!("{:?}", m));
        let seen = peek("lock", &m, 1).await;
        assert_eq!(format!("{m:?}-{seen}"), format!("{:?}-{}", m, k));
        m.n()
    }
}

// divergence (the fuzzer's `assert_ok!`, seed 7, Rust 2021): the temporary
// of an assertion's operand (`(mk(..), 0).1`, no await in the macro) lives to
// the end of the statement, past the await after it.
twin! {
    compare: ();
    pub async fn assertion_operand_temporary_lives_past_a_later_await() -> i64 {
        log_i(val("a25", 1, None.unwrap_or(assert_ok!(ok((mk("z", 0), 0).1), "not ok"))).await);
        let k = checked(
            [0, val("a1", 1, 2).await, 4][ix(assert_ok!(ok((mk("y", 0), 1).1), "not ok"))],
        );
        k.unwrap_or(-1)
    }
}

// An assertion's operand that is a place (`t.0`) is matched where it is, as
// the macro does: bound to a name of the transform's, it would be moved out
// of `t`, and the later `t.0.is_ok()` would be E0382.
twin! {
    compare: (4);
    pub async fn assertion_of_a_place_leaves_it_in_place(k: i64) -> i64 {
        let t = (ok(k), mk("t", k));
        tick("before", 1).await;
        let n = assert_ok!(t.0, "at {}", t.1.n());
        tick("after", 1).await;
        if t.0.is_ok() { n + t.1.n() } else { 0 }
    }
}

// build defect (tokio's `fs::read`, `fs::write`, `OpenOptions::open_inner`:
// E0432/E0433 on io-uring items): a `cfg` naming five options
// (`all(tokio_unstable, feature = "io-uring", feature = "rt", ..)`) was more
// than the split takes (16 copies), so the build kept what it removes. The
// copies are then made for the predicates, each taken whole.
twin! {
    compare: (3);
    pub async fn cfg_of_five_options_split_by_its_predicate(k: i64) -> i64 {
        let fut = val("plain", 1, k);
        #[cfg(all(unix, target_pointer_width = "64", not(windows), debug_assertions, not(miri)))]
        let fut = val("debug", 2, k + 1);
        let n = fut.await;
        #[cfg(all(unix, target_pointer_width = "64", not(windows), debug_assertions, not(miri)))]
        {
            tick("debug only", 1).await;
            log_i(n);
        }
        n
    }
}

// tokio-test's `assert_ready_eq!`, which expands to statements (`let val =
// ..; assert_eq!(val, ..)`), as `assert_ok_eq!`.
macro_rules! assert_ok_eq {
    ($e:expr, $expect:expr) => {
        let val = assert_ok!($e);
        assert_eq!(val, $expect)
    };
}

// build defect (tokio's `interval`, `multiple_sender`: "expected expression,
// found `let` statement"): an assertion written as a statement, opened,
// stays a statement inside the `match` (its expansion may be statements).
twin! {
    compare: (4);
    pub async fn assertion_that_expands_to_statements(k: i64) -> i64 {
        let held = mk("held", k);
        assert_ok_eq!(ok(held.n()), k);
        assert_ok_eq!(val("r", 1, ok(k)).await, k);
        held.n()
    }
}

// build defect (tokio's `fs_try_exists` test, E0599: `{ use
// std::os::unix::prelude::PermissionsExt; .. .await; perms.set_mode(..) }`):
// a `use` is visible in all of its block; the arm that resumes inside the
// block declares it again.
twin! {
    compare: (4), (-1);
    #[deny(unused)]
    pub async fn use_in_a_block_is_visible_after_its_await(k: i64) -> i64 {
        let n = val("v", 1, k).await;
        {
            use std::convert::identity as kept;
            tick("t", 1).await;
            log_i(kept(n));
            if n > 0 {
                use std::ops::Neg;
                tick("u", 1).await;
                return kept(n).neg();
            }
        }
        n
    }
}
