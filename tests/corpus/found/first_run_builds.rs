//! The first run's build defects (seed 7, 400 functions): each as the fuzzer
//! minimized it, with rustc's error or the divergence it showed, now fixed.
use super::prelude::*;

// build-defect: E0507: cannot move out of a raw pointer
// Found as function 0 of the run; minimized by explicit-async-fuzz.
// error[E0507]: cannot move out of a raw pointer
//   --> src/annotated.rs:35:1
//    |
// 35 | #[explicit_async::explicit_async] pub async fn temporaries_of_nested_scrutinees(fut4: impl Future<Output = i64>) -> Option<i64> {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ move occurs because value has type `prelude::D`, which does not implement the `Copy` trait
// 36 |     match (0, mk("t24", match (0, mk("z", 0).with(0).n()) {
//    |                                              ------- value moved due to this method call
//    |
// note: `prelude::D::with` takes ownership of the receiver `self`, which moves value
//   --> src/prelude.rs:83:21
//    |
// 83 |     pub fn with(mut self, k: i64) -> D {
//    |                     ^^^^
// note: if `prelude::D` implemented `Clone`, you could clone the value
//   --> src/prelude.rs:50:1
//    |
// 50 | pub struct D {
//    | ^^^^^^^^^^^^ consider implementing `Clone` for this type
//    |
//   ::: src/annotated.rs:35:1
//    |
// 35 | #[explicit_async::explicit_async] pub async fn temporaries_of_nested_scrutinees(fut4: impl Future<Output = i64>) -> Option<i64> {
//    | --------------------------------- you could clone this value
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: (val("argfut3", 3, 3i64));
    pub async fn temporaries_of_nested_scrutinees(fut4: impl Future<Output = i64>) -> Option<i64> {
        match (0, mk("t24", match (0, mk("z", 0).with(0).n()) {
            (5, _) => fut4.await,
            (n20, n21) => 0,
        }).with(0).consume()) {
            (n29, n30) => {},
        }
        None
    }
}

// build-defect: E0596: cannot borrow value as mutable, as it is not declared as mutable
// Found as function 54 of the run; minimized by explicit-async-fuzz.
// (The minimized function no longer shows the failure alone: see the original in clusters/.)
// -
twin! {
    compare: (mk("arg2", 7));
    pub async fn ref_mut_argument_borrowed(ref mut rm1: D) -> D {
        inc("inc28", &mut rm1.n, 1).await;
        mk("d29", 0)
    }
}

// build-defect: E0382: use of partially moved value
// Found as function 24 of the run; minimized by explicit-async-fuzz.
// error[E0382]: use of partially moved value
//   --> src/annotated.rs:51:1
//    |
// 51 | #[explicit_async::explicit_async] pub async fn partial_destructuring_argument(&mut self, P { a: d2, k: n3, .. }: P) -> Option<i64> {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ value used here after partial move                  -- value partially moved here
//    |
//    = note: partial move occurs because value has type `prelude::D`, which does not implement the `Copy` trait
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: borrow this binding in the pattern to avoid moving the value
//    |
// 51 | #[explicit_async::explicit_async] pub async fn partial_destructuring_argument(&mut self, P { a: ref d2, k: n3, .. }: P) -> Option<i64> {
//    |                                                                                       +++
//
pub mod partial_destructuring_argument {
    use super::*;

    macro_rules! impls {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn partial_destructuring_argument(&mut self, P { a: d2, k: n3, .. }: P) -> Option<i64> {
                    let pp13: P = P { b: mk("z", 0), a: mk("z", 0).with(mk("t12", val("a11", 0, 0).await).consume()), k: 0 };
                    None
                }
            }
        };
    }

    pub mod native {
        use super::*;
        impls!();
    }

    pub mod ours {
        use super::*;
        impls!(#[explicit_async::explicit_async]);
    }

    pub fn check() {
        crate::common::compare(
            stringify!(partial_destructuring_argument),
            || async move {
                let mut s = native::S::new("self", 1);
                s.partial_destructuring_argument(p("arg4", 1)).await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.partial_destructuring_argument(p("arg4", 1)).await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut s = native::S::new("self", 1);
                s.partial_destructuring_argument(p("arg4", 1)).await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.partial_destructuring_argument(p("arg4", 1)).await
            },
        )
    }

    case_test!();
}

// build-defect: E0425: cannot find value `_` in this scope
// Found as function 10 of the run; minimized by explicit-async-fuzz.
// (The minimized function no longer shows the failure alone: see the original in clusters/.)
// error[E0507]: cannot move out of a raw pointer
//   --> src/annotated.rs:58:1
//    |
// 58 | #[explicit_async::explicit_async] pub async fn deferred_local_in_a_method_with_pattern_arguments(self, d2: D, a4: D, ref mut rm5: D, (d7, n8): (D, i64)) -> (D, i...
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ move occurs because value has type `prelude::D`, which does not implement the `Copy` trait
// ...
// 86 |     let n40 = mk("t28", add(self.k, ok(7).unwrap_or(9)) + (d2.with(9), (mk("d27", 0), self.k).1).1).with(val("a39", 0, val("a38", 0,...
//    |                                                               ------- value moved due to this method call
//    |
// note: `prelude::D::with` takes ownership of the receiver `self`, which moves value
//   --> src/prelude.rs:83:21
//    |
// 83 |     pub fn with(mut self, k: i64) -> D {
//    |                     ^^^^
// note: if `prelude::D` implemented `Clone`, you could clone the value
//   --> src/prelude.rs:50:1
//    |
// 50 | pub struct D {
//    | ^^^^^^^^^^^^ consider implementing `Clone` for this type
//    |
//   ::: src/annotated.rs:58:1
//    |
// 58 | #[explicit_async::explicit_async] pub async fn deferred_local_in_a_method_with_pattern_arguments(self, d2: D, a4: D, ref mut rm5: D, (d7, n8): (D, i64)) -> (D, i...
//    | --------------------------------- you could clone this value
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
pub mod deferred_local_in_a_method_with_pattern_arguments {
    use super::*;

    macro_rules! impls {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn deferred_local_in_a_method_with_pattern_arguments(self, d2: D, a4: D, ref mut rm5: D, (d7, n8): (D, i64)) -> (D, i64) {
                    let z10;
                    if ((match twice(&mut rm5.n) {
                        4 | 6 => 5,
                        n11 => if let Ok(n13) = val("a12", 1, ok(4)).await {
                            if Some(6).is_some() && (d2.n != 6) {
                                drop(d7)
                            }
                            let mut s14 = String::from("s2");
                            write!(s14, "{}", rm5.n).unwrap();
                            write!(s14, "{}", d2.n - 0).unwrap();
                            6 * 4
                        } else {
                            let fut16 = peek("peek15", &self.k, 0);
                            let P { a: ref mut d17, .. } = P { b: d7, k: 2, a: a4 };
                            if d17.n <= d17.n {
                                drop(d2);
                                return (mk("d20", 4), self.k);
                            }
                            9 + self.k
                        },
                    }) < pair(&val("a21", 2, self.d).await, vec![later("later24", 3, move || {
                        let n22 = rm5.n;
                        let mut n23 = 5;
                        rm5.n
                    }).await, val("a25", 1, 5).await].len() as i64)) {
                        z10 = add(d2.n, pair(&d2, mk("t26", n8).n()) * 4);
                    }
                    let n40 = mk("t28", add(self.k, ok(7).unwrap_or(9)) + (d2.with(9), (mk("d27", 0), self.k).1).1).with(val("a39", 0, val("a38", 0, if true {
                        let fut33 = async {
                            let r29: Result<i64, String> = ok(1);
                            let mut n30 = n8;
                            let d32 = mk("d31", 7);
                            d32.n
                        };
                        peek("peek34", &self.k, 0).await;
                        mk("d35", 0)
                    } else {
                        let n36: i64 = 1;
                        mk("d37", 8)
                    }).await).await.n()).consume();
                    let mut n40 = mk("d41", 4);
                    let mut n42 = n40.n;
                    let d44: D = mk("d43", 7);
                    (mk("t45", 2), 2)
                }
            }
        };
    }

    pub mod native {
        use super::*;
        impls!();
    }

    pub mod ours {
        use super::*;
        impls!(#[explicit_async::explicit_async]);
    }

    pub fn check() {
        crate::common::compare(
            stringify!(deferred_local_in_a_method_with_pattern_arguments),
            || {
                native::S::new("self", 1).deferred_local_in_a_method_with_pattern_arguments(
                    mk("arg1", 3),
                    mk("arg3", 8),
                    mk("arg6", 3),
                    (mk("arg9", 7), 8),
                )
            },
            || {
                ours::S::new("self", 1).deferred_local_in_a_method_with_pattern_arguments(
                    mk("arg1", 3),
                    mk("arg3", 8),
                    mk("arg6", 3),
                    (mk("arg9", 7), 8),
                )
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || {
                native::S::new("self", 1).deferred_local_in_a_method_with_pattern_arguments(
                    mk("arg1", 3),
                    mk("arg3", 8),
                    mk("arg6", 3),
                    (mk("arg9", 7), 8),
                )
            },
            || {
                ours::S::new("self", 1).deferred_local_in_a_method_with_pattern_arguments(
                    mk("arg1", 3),
                    mk("arg3", 8),
                    mk("arg6", 3),
                    (mk("arg9", 7), 8),
                )
            },
        )
    }

    case_test!();
}

// build-defect: E0282: type annotations needed
// Found as function 148 of the run; minimized by explicit-async-fuzz.
// error[E0282]: type annotations needed
//    --> src/annotated.rs:111:17
//     |
// 111 |             let z11;
//     |                 ^^^
//     |
// help: consider giving `z11` an explicit type
//     |
// 111 |             let z11: /* Type */;
//     |                    ++++++++++++
//
twin! {
    compare: ();
    pub async fn deferred_local_first_given_a_value_after_an_await() -> bool {
        let z4;
        z4 = 0;
        let (n21, d22) = (mk("t19", {
            if let Some(mut n10) = None {
                let z11;
                if add_refs(&n10, &0) == (val("a12", 0, vec![0]).await.len() as i64) {
                    z11 = mk("z", 0);
                }
            } else {}
            0
        }).consume(), mk("z", 0));
        false
    }
}

// build-defect: no code: #[explicit_async] failed on this function (an internal error); please report it with the function
// Found as function 15 of the run; minimized by explicit-async-fuzz.
// error: #[explicit_async] failed on this function (an internal error); please report it with the function
//    --> src/annotated.rs:122:1
//     |
// 122 | #[explicit_async::explicit_async] pub async fn let_chain_inside_vec_macro<T0: Probe + Debug>(mut self, x2: T0, a5: impl AsyncFnOnce() -> ...
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
pub mod let_chain_inside_vec_macro {
    use super::*;

    macro_rules! impls {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn let_chain_inside_vec_macro<T0: Probe + Debug>(mut self, x2: T0, a5: impl AsyncFnOnce() -> i64) -> i64 {
                    {
                        let mut v20: Vec<i64> = vec![0, add(if false && let (d12, 0..=4) = (mk("z", 0), 0) {
                            0
                        } else {
                            a5().await;
                            0
                        }, 0)];
                    }
                    0
                }
            }
        };
    }

    pub mod native {
        use super::*;
        impls!();
    }

    pub mod ours {
        use super::*;
        impls!(#[explicit_async::explicit_async]);
    }

    pub fn check() {
        crate::common::compare(
            stringify!(let_chain_inside_vec_macro),
            || {
                native::S::new("self", 1).let_chain_inside_vec_macro(4i64, {
                    let d = mk("acap3", 5);
                    async move || {
                        tick("aof4", 0).await;
                        d.consume()
                    }
                })
            },
            || {
                ours::S::new("self", 1).let_chain_inside_vec_macro(4i64, {
                    let d = mk("acap3", 5);
                    async move || {
                        tick("aof4", 0).await;
                        d.consume()
                    }
                })
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || {
                native::S::new("self", 1).let_chain_inside_vec_macro(4i64, {
                    let d = mk("acap3", 5);
                    async move || {
                        tick("aof4", 0).await;
                        d.consume()
                    }
                })
            },
            || {
                ours::S::new("self", 1).let_chain_inside_vec_macro(4i64, {
                    let d = mk("acap3", 5);
                    async move || {
                        tick("aof4", 0).await;
                        d.consume()
                    }
                })
            },
        )
    }

    case_test!();
}

// build-defect: E0382: use of moved value: `_`
// Found as function 96 of the run; minimized by explicit-async-fuzz.
// error[E0382]: use of moved value: `d3`
//    --> src/annotated.rs:136:80
//     |
// 136 | #[explicit_async::explicit_async] pub async fn consuming_receiver_inside_vec_macro(&mut self, d3: D) -> Option<i64> {
//     | ---------------------------------                                              ^^
//     | |                                                                              |
//     | |                                                                              value used here after move
//     | inside of this loop                                                            move occurs because `d3` has type `prelude::D`, which does not implement the `Copy` trait
// 137 |     let fut6 = val("f5", 0, vec![0, d3.consume()].len() as i64);
//     |                                        --------- `d3` moved due to this method call
//     |
// note: `prelude::D::consume` takes ownership of the receiver `self`, which moves `d3`
//    --> src/prelude.rs:72:20
//     |
//  72 |     pub fn consume(self) -> i64 {
//     |                    ^^^^
//
pub mod consuming_receiver_inside_vec_macro {
    use super::*;

    macro_rules! impls {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn consuming_receiver_inside_vec_macro(&mut self, d3: D) -> Option<i64> {
                    let fut6 = val("f5", 0, vec![0, d3.consume()].len() as i64);
                    Some(vec![fut6.await, 0][1])
                }
            }
        };
    }

    pub mod native {
        use super::*;
        impls!();
    }

    pub mod ours {
        use super::*;
        impls!(#[explicit_async::explicit_async]);
    }

    pub fn check() {
        crate::common::compare(
            stringify!(consuming_receiver_inside_vec_macro),
            || async move {
                let mut s = native::S::new("self", 1);
                s.consuming_receiver_inside_vec_macro(mk("arg2", 5)).await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.consuming_receiver_inside_vec_macro(mk("arg2", 5)).await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut s = native::S::new("self", 1);
                s.consuming_receiver_inside_vec_macro(mk("arg2", 5)).await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.consuming_receiver_inside_vec_macro(mk("arg2", 5)).await
            },
        )
    }

    case_test!();
}

// build-defect: E0308: mismatched types
// Found as function 62 of the run; minimized by explicit-async-fuzz.
// error[E0308]: mismatched types
//    --> src/annotated.rs:142:1
//     |
// 142 | #[explicit_async::explicit_async] pub async fn closure_in_awaiting_guard() -> i64 {
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ expected `i64`, found `&i64`
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: consider using clone here
//     |
// 142 | #[explicit_async::explicit_async].clone() pub async fn closure_in_awaiting_guard() -> i64 {
//     |                                  ++++++++
//
twin! {
    compare: ();
    pub async fn closure_in_awaiting_guard() -> i64 {
        let mut z1: i64;
        {
            z1 = match ok(0) {
                Ok(n20) if false || (later("later23", 0, || {
                    n20
                }).await >= 0) => 0,
                _ => 0,
            };
        }
        0
    }
}

// build-defect: E0310: the parameter type `_` may not live long enough
// Found as function 269 of the run; minimized by explicit-async-fuzz.
// error[E0310]: the parameter type `impl AsyncFn(i64) -> i64` may not live long enough
//    --> src/annotated.rs:155:1
//     |
// 155 | #[explicit_async::explicit_async] pub async fn async_fn_argument_borrowed_by_await(x2: impl AsyncFn(i64) -> i64) {
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//     | |
//     | the parameter type `impl AsyncFn(i64) -> i64` must be valid for the static lifetime...
//     | ...so that the type `impl AsyncFn(i64) -> i64` will meet its required lifetime bounds
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: consider adding an explicit lifetime bound
//     |
// 155 | #[explicit_async::explicit_async] pub async fn async_fn_argument_borrowed_by_await(x2: impl AsyncFn(i64) -> i64 + 'static) {
//     |                                                                                                  +++++++++
//
twin! {
    compare: (async |x: i64| { tick("af1", 1).await; x + 6 });
    pub async fn async_fn_argument_borrowed_by_await(x2: impl AsyncFn(i64) -> i64) {
        let mut c3: i64 = 0;
        let x2 = p("p14", val("a13", 0, vec![x2(0).await, match 0 {
            3 if false && false => c3,
            n12 => 0,
        }]).await.len() as i64);
    }
}

// build-defect: E0716: temporary value dropped while borrowed
// Found as function 140 of the run; minimized by explicit-async-fuzz.
// error[E0716]: temporary value dropped while borrowed
//    --> src/annotated.rs:164:30
//     |
// 163 | #[explicit_async::explicit_async] pub async fn mut_reference_to_literal() -> i64 {
//     | ---------------------------------
//     | |                               |
//     | |                               temporary value is freed at the end of this statement
//     | borrow later used here
// 164 |     let rm2: &mut i64 = &mut 0;
//     |                              ^ creates a temporary value which is freed while still in use
//     |
//     = note: consider using a `let` binding to create a longer lived value
//
twin! {
    compare_panic: ();
    pub async fn mut_reference_to_literal() -> i64 {
        let rm2: &mut i64 = &mut 0;
        assert!(val("a3", 0, 0).await > 0, "small: {}", 0);
        0
    }
}

// build-defect: E0277: the `?` operator can only be used in a closure that returns `_` or `_` (or another type that implements `_`)
// Found as function 1 of the run; minimized by explicit-async-fuzz.
// error[E0277]: the `?` operator can only be used in a closure that returns `Result` or `Option` (or another type that implements `FromResidual`)
//    --> src/annotated.rs:173:28
//     |
// 169 | #[explicit_async::explicit_async] pub async fn question_mark_inside_vec_macro() -> Option<i64> {
//     | --------------------------------- this function should return `Result` or `Option` to accept `?`
// ...
// 173 |             z42 = vec![None?, 0].len() as i64;
//     |                            ^ cannot use the `?` operator in a closure that returns `std::task::Poll<Option<i64>>`
//     |
// help: the following other types implement trait `FromResidual<R>`
//    --> /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/task/poll.rs:254:0
//     |
//     = note: `std::task::Poll<Result<T, F>>`
//    ::: /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/task/poll.rs:286:34
//     |
//     = note: `std::task::Poll<Option<Result<T, F>>>`
//
twin! {
    compare: ();
    pub async fn question_mark_inside_vec_macro() -> Option<i64> {
        {
            let z42;
            {
                z42 = vec![None?, 0].len() as i64;
            }
            None
        }
    }
}

// build-defect: E0596: cannot borrow value as mutable, as `_` is not declared as mutable
// Found as function 12 of the run; minimized by explicit-async-fuzz.
// error[E0596]: cannot borrow value as mutable, as `temporary` is not declared as mutable
//    --> src/annotated.rs:180:16
//     |
// 180 |     let P { a: ref mut d7, .. } = p("z", 0);
//     |                ^^^^^^^^^^ cannot borrow as mutable
//     |
// help: consider changing this to be mutable
//     |
// 179 | mut #[explicit_async::explicit_async] pub async fn ref_mut_binding_of_temporary<T0: Probe + Debug>(x1: T0) -> Result<i64, String> {
//     | +++
//
twin! {
    compare: (6i64);
    pub async fn ref_mut_binding_of_temporary<T0: Probe + Debug>(x1: T0) -> Result<i64, String> {
        let P { a: ref mut d7, .. } = p("z", 0);
        Ok(0)
    }
}

// build-defect: E0505: cannot move out of `_` because it is borrowed
// Found as function 70 of the run; minimized by explicit-async-fuzz.
// (The minimized function no longer shows the failure alone: see the original in clusters/.)
// after "new a16": native "ready a16", ours "drop t14 0"
twin! {
    compare: (vec![8, 9], async |x: i64| { tick("af1", 3).await; x + 0 }, vec![2, 3]);
    pub async fn reborrow_awaited_inside_block_operand(value: impl Probe + Debug, x2: impl AsyncFn(i64) -> i64, x3: impl Probe + Debug) -> Option<i64> {
        let fut27 = val("f26", 3, {
            let value: &P = &p("z", 0);
            let rm17 = &mut val("a16", 2, mk("d15", mk("t14", 0).n())).await;
            let n22 = {
                let mut c18: i64 = 0;
                loop {
                    c18 += 1;
                    if c18 > 3 {
                        break res_of(rm17.n).unwrap_or(inc("inc19", &mut *rm17, 1).await);
                    }
                    let pp21 = p("p20", rm17.n);
                }
            };
            val("a24", 1, peek("peek23", &value.k, 3).await).await * 4
        });
        let d29 = mk("d28", 9);
        Some(6)
    }
}

// build-defect: E0505: cannot move out of value because it is borrowed
// Found as function 42 of the run; minimized by explicit-async-fuzz.
// error[E0505]: cannot move out of value because it is borrowed
//    --> src/annotated.rs:204:1
//     |
// 204 | #[explicit_async::explicit_async] pub async fn std_pin_awaited() -> i64 {
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//     | |
//     | move out of value occurs here
//     | borrow of value occurs here
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: ();
    pub async fn std_pin_awaited() -> i64 {
        let pf6 = pin!(val("f5", 0, 0));
        let n7 = pf6.await;
        0
    }
}

// build-defect: E0614: type `i64` cannot be dereferenced
// Found as function 103 of the run; minimized by explicit-async-fuzz.
// (The minimized function no longer shows the failure alone: see the original in clusters/.)
// error[E0507]: cannot move out of a raw pointer
//    --> src/annotated.rs:210:1
//     |
// 210 | #[explicit_async::explicit_async] pub async fn fn_once_called_on_one_branch<T0: Probe + Debug>(mut n1: i64, a3: T0, c5: impl FnOnce() -> i6...
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ move occurs because value has type `prelude::D`, which does not implement the `Copy` trait
//     |
// note: if `prelude::D` implemented `Clone`, you could clone the value
//    --> src/prelude.rs:50:1
//     |
//  50 | pub struct D {
//     | ^^^^^^^^^^^^ consider implementing `Clone` for this type
//     |
//    ::: src/annotated.rs:210:1
//     |
// 210 | #[explicit_async::explicit_async] pub async fn fn_once_called_on_one_branch<T0: Probe + Debug>(mut n1: i64, a3: T0, c5: impl FnOnce() -> i6...
//     | --------------------------------- you could clone this value
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
//
// error[E0382]: use of moved value: `c5`
//    --> src/annotated.rs:210:109
//     |
// 210 | #[explicit_async::explicit_async] pub async fn fn_once_called_on_one_branch<T0: Probe + Debug>(mut n1: i64, a3: T0, c5: impl FnOnce() -> i6...
//     | ---------------------------------                                                                           ^^
//     | |                                                                                                           |
//     | |                                                                                                           value used here after move
//     | inside of this loop                                                                                         move occurs because `c5` has type `impl FnOnce() -> i64`, which does not implement the `Copy` trait
// ...
// 225 |         let pp19 = P { a: val("a17", 1, mk("d16", 5)).await, b: mk("d18", 9).with(c5()), k: 4 };
//     |                                                                                   ---- `c5` moved due to this call
//     |
// note: `FnOnce` closures can only be called once
//    --> src/annotated.rs:210:118
//     |
// 210 | ...obe + Debug>(mut n1: i64, a3: T0, c5: impl FnOnce() -> i64, x6: impl Probe + Debug) -> i64 {
//     |                                               ^^^^^^^^^^^^^^^ `impl FnOnce() -> i64` is made to be an `FnOnce` closure here
// ...
// 225 | ...9).with(c5()), k: 4 };
//     |            ---- this value implements `FnOnce`, which causes it to be moved when called
//
twin! {
    compare: (0, mk("gen2", 3), { let d = mk("cap4", 0); move || d.consume() }, vec![5, 6]);
    pub async fn fn_once_called_on_one_branch<T0: Probe + Debug>(mut n1: i64, a3: T0, c5: impl FnOnce() -> i64, x6: impl Probe + Debug) -> i64 {
        {
            tick("tick7", 2).await
        }
        match (P { k: (mk("d8", n1), match n1 {
            n9 if false => 0,
            7..=10 => n1,
            n10 => 5,
        }).1, b: mk("d11", add_refs(&n1, &({
            n1
        }))), a: mk("d12", n1).with(9 + 8) }.k - (if (5, mk("d13", 3)).0 >= n1 {
            n1 = vec![(async {
                let a3 = (mk("t14", 1), 1);
                a3.1
            }).await, val("a15", 0, n1).await][1];
            let pp19 = P { a: val("a17", 1, mk("d16", 5)).await, b: mk("d18", 9).with(c5()), k: 4 };
            n1
        } else {
            n1
        })) {
            8 => {},
            n20 => {},
        }
        let d22 = mk("d21", 6);
        let mut d24: D = mk("d23", 5);
        8
    }
}
