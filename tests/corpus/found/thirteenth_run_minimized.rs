//! The thirteenth run's finds (seed 17001, 2,000 functions) as the
//! fuzzer minimized them, each with what it showed; now fixed; and the
//! eleventh run's find of an `if let` guard's temporary.
use super::prelude::*;

// build-defect: E0282: type annotations needed
// Found as function 1645 of the run; minimized by explicit-async-fuzz.
// error[E0282]: type annotations needed
//   --> src/annotated.rs:36:14
//    |
// 36 |     let Some(n6) = Some(0) else {
//    |              ^^ cannot infer type
//
twin! {
    compare: ();
    pub async fn awaiting_assert_message_in_a_let_else_block() -> i64 {
        let Some(n6) = Some(0) else {
            assert!(false, "small: {}", val("a10", 0, 0).await);
            panic!("gave up at {}", 0);
        };
        0
    }
}

// build-defect: E0507: cannot move out of a raw pointer
// Found as function 537 of the run; minimized by explicit-async-fuzz.
// error[E0507]: cannot move out of a raw pointer
//   --> src/annotated.rs:43:1
//    |
// 43 | #[explicit_async::explicit_async] pub async fn consumed_in_a_loop_after_a_read_of_the_last_turn() -> Option<i64> {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ move occurs because value has type `prelude::D`, which does not implement the `Copy` trait
// ...
// 47 |         let mut arr22 = [(add(0, d5.n), mk("z", 0)).0, vec![None?, mk("t8", val("a7", 0, 0).await).with(d5.consume()).consume()][1],...
//    |                                                                                                            --------- value moved due to this method call
//    |
// note: `prelude::D::consume` takes ownership of the receiver `self`, which moves value
//   --> src/prelude.rs:72:20
//    |
// 72 |     pub fn consume(self) -> i64 {
//    |                    ^^^^
// note: if `prelude::D` implemented `Clone`, you could clone the value
//   --> src/prelude.rs:50:1
//    |
// 50 | pub struct D {
//    | ^^^^^^^^^^^^ consider implementing `Clone` for this type
//    |
//   ::: src/annotated.rs:43:1
//    |
// 43 | #[explicit_async::explicit_async] pub async fn consumed_in_a_loop_after_a_read_of_the_last_turn() -> Option<i64> {
//    | --------------------------------- you could clone this value
//    = note: this error originates in the macro `::core::matches` which comes from the expansion of the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: ();
    pub async fn consumed_in_a_loop_after_a_read_of_the_last_turn() -> Option<i64> {
        let mut c2: i64 = 0;
        'l1: while let Some(k3) = step(&mut c2, 2) {
            let d5 = mk("z", 0);
            let mut arr22 = [(add(0, d5.n), mk("z", 0)).0, vec![None?, mk("t8", val("a7", 0, 0).await).with(d5.consume()).consume()][1], 0];
        }
        None
    }
}

// build-defect: E0382: use of partially moved value
// Found as function 1810 of the run; minimized by explicit-async-fuzz.
// error[E0382]: use of partially moved value
//   --> src/annotated.rs:52:1
//    |
// 52 | #[explicit_async::explicit_async] pub async fn let_chain_binding_part_of_an_awaited_block_value(x3: impl AsyncFnOnce() -> i64) -> i64 {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ value used here after partial move
// 53 |     let _ = vec![if false && let (d15, 0..=1) = ({
//    |                                   --- value partially moved here
//    |
//    = note: partial move occurs because value has type `prelude::D`, which does not implement the `Copy` trait
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: borrow this binding in the pattern to avoid moving the value
//    |
// 53 |     let _ = vec![if false && let (ref d15, 0..=1) = ({
//    |                                   +++
//
twin! {
    compare: ({ let d = mk("acap1", 4); async move || { tick("aof2", 0).await; d.consume() } });
    pub async fn let_chain_binding_part_of_an_awaited_block_value(x3: impl AsyncFnOnce() -> i64) -> i64 {
        let _ = vec![if false && let (d15, 0..=1) = ({
            x3().await;
            (mk("z", 0), 0)
        }) {
            let mut c17: i64 = 0;
            'l16: loop {
                c17 += 1;
                if c17 > 3 {}
                let mut c18: i64 = 0;
                while (c18 < 3) && false {
                    c18 += 1;
                    let mut src20 = Src::new("src19");
                    let mut v21 = vec![0];
                    log_i(src20.read(&mut v21, 2).await);
                }
            }
            0
        } else {
            0
        }, 0];
        0
    }
}

// build-defect: E0382: use of partially moved value: `_`
// Found as function 1337 of the run; minimized by explicit-async-fuzz.
// error[E0382]: use of partially moved value: `pp23`
//   --> src/annotated.rs:80:13
//    |
// 80 |         let pp23 = {
//    |             ^^^^ value used here after partial move
// ...
// 90 |         val("a24", 0, pp23.a).await.n()
//    |                       ------ value partially moved here
//    |
//    = note: partial move occurs because `pp23.a` has type `prelude::D`, which does not implement the `Copy` trait
//
twin! {
    compare: ();
    pub async fn local_from_an_awaiting_loop_break_value_partly_moved() -> i64 {
        let z3;
        if (({
            let mut n7 = 0;
            let pp23 = {
                let mut c12: i64 = 0;
                loop {
                    c12 += 1;
                    if c12 > 1 {
                        break P { b: mk("d13", 0), a: mk("d14", 1), k: n7 };
                    }
                    let ds17: Vec<D> = val("a16", 0, Vec::new()).await;
                }
            };
            val("a24", 0, pp23.a).await.n()
        }) < 0) {} else {
            z3 = String::new();
        }
        0
    }
}

// build-defect: E0425: cannot find value `_` in this scope
// Found as function 1817 of the run; minimized by explicit-async-fuzz.
// error[E0425]: cannot find value `n6` in this scope
//    --> src/annotated.rs:103:24
//     |
// 103 |         if !(mk("t14", n6).consume() >= 0) {}
//     |                        ^^
//     |
// help: a local variable with a similar name exists
//     |
// 103 -         if !(mk("t14", n6).consume() >= 0) {}
// 103 +         if !(mk("t14", n7).consume() >= 0) {}
//     |
//
twin! {
    compare: ();
    pub async fn panic_ending_an_awaiting_let_else_block() -> Result<i64, String> {
        if let Some(n6) = None {
            let Ok(n7) = err(0) else {
                let t13 = (mk("z", 0), val("a12", 0, add(0, n6)).await);
                panic!("gave up at {}", 0);
            };
            if !(mk("t14", n6).consume() >= 0) {}
            Ok(0)
        } else {
            Ok(0)
        }
    }
}

// divergence: log: native mk, ours mk
// Found as function 1410 of the run; minimized by explicit-async-fuzz.
// after "drop inc5 at 2": native "mk d7", ours "mk z"
pub mod place_compared_before_an_await_that_borrows_it_mut {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn place_compared_before_an_await_that_borrows_it_mut(&mut self) -> D {
                    let z3;
                    if self.k == (vec![0, inc("inc5", &mut self.k, 0).await].len() as i64) {
                        z3 = mk("z", 0).consume();
                    } else {}
                    mk("d7", 2)
                }
            }
        };
    }

    pub mod native {
        use super::*;
        items!();
    }

    pub mod ours {
        use super::*;
        items!(#[explicit_async::explicit_async]);
    }

    pub fn check() {
        crate::common::compare(
            stringify!(place_compared_before_an_await_that_borrows_it_mut),
            || async move {
                let mut s = native::S::new("self", 1);
                s.place_compared_before_an_await_that_borrows_it_mut().await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.place_compared_before_an_await_that_borrows_it_mut().await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut s = native::S::new("self", 1);
                s.place_compared_before_an_await_that_borrows_it_mut().await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.place_compared_before_an_await_that_borrows_it_mut().await
            },
        )
    }

    case_test!();
}

// divergence: log: native consume, ours drop
// Found as function 681 of the run; minimized by explicit-async-fuzz.
// after "drop peek12 of 0": native "consume cap1", ours "drop z 0"
twin! {
    compare: ({ let d = mk("cap1", 5); move || d.consume() });
    pub async fn awaiting_if_let_guard_temporary_lives_to_the_end_of_its_arm(c2: impl FnOnce() -> i64) -> (D, i64) {
        match mk("z", 0) {
            D { n: n7, .. } if let Some(n14) = Some(peek("peek12", &mk("z", 0), 0).await) => {
                let Some(n15) = None.or(Some(c2())).or(None) else {
                    return (mk("z", 0), 0);
                };
            },
            D { n: n10, .. } => {},
        }
        (mk("z", 0), 0)
    }
}

// divergence: log: native drop, ours drop
// Found as function 1390 of the run; minimized by explicit-async-fuzz.
// after "drop a8": native "drop z 0", ours "drop d7 4"
twin! {
    compare: ();
    pub async fn if_let_guard_binding_drops_before_its_temporaries() -> i64 {
        let n10 = add(match 7 {
            7..=10 if let (d9, 0..=9) = (mk("z", 0), val("a8", 0, mk("d7", 4)).await.n()) => 0,
            n5 => 0,
        }, 0);
        0
    }
}

// divergence: log: native drop, ours mk
// Found as function 1790 of the run; minimized by explicit-async-fuzz.
// after "drop a20": native "drop z 0", ours "mk z"
twin! {
    compare: ();
    pub async fn scrutinee_of_a_match_in_a_scrutinee_ends_with_its_statement() -> (D, i64) {
        let mut n21: i64 = val("a20", 0, match match val("a4", 0, (mk("z", 0), 0)).await {
            (ref d5, 0..=8) => 0,
            (d8, n7) => 0,
        } {
            n19 => 0,
        }).await;
        (mk("z", 0), 0)
    }
}

// divergence: log: native ready, ours drop (the eleventh run, function 698)
// after "new a21": native "ready a21", ours "drop z 0"
twin! {
    compare: ();
    pub async fn if_let_guard_temporary_lives_across_its_arms_await() -> Result<i64, String> {
        let pp25 = P { a: mk("z", 0), b: match (0, 0) {
            (n11, n12) if let Ok(n19) = ok(p("z", 0).k) => val("a21", 0, mk("z", 0)).await,
            (n15, n16) => mk("z", 0),
        }, k: 0 };
        Ok(0)
    }
}

// build-defect: E0507 (the fourteenth run, function 433): a field moved in
// an assertion's message, which runs only if the assertion fails.
twin! {
    compare: (p("s", 1));
    pub async fn field_moved_in_an_assert_message_that_never_runs(mut s: P) -> i64 {
        assert!(s.k < 1000, "small: {}", pair(&({
            s.a
        }), 0));
        val("a20", 0, 0).await;
        s.k
    }
}
