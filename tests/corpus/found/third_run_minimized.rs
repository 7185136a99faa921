//! The third run's finds (seed 21, 2,000 functions) as the fuzzer minimized
//! them, each with the error or divergence it showed; now fixed.
use super::prelude::*;

// build-defect: E0425: cannot find value `_` in this scope
// Found as function 10 of the run; minimized by explicit-async-fuzz.
// error[E0425]: cannot find value `d14` in this scope
//   --> src/annotated.rs:39:17
//    |
// 39 |                 d14.n
//    |                 ^^^ not found in this scope
//
twin! {
    compare: ();
    pub async fn guard_let_binding_used_in_its_arm() -> i64 {
        match err(0) {
            Ok(n4) if let (d14, 0..=1) = (val("a11", 0, mk("z", 0)).await, 0) => {
                let b24 = (add(0, later("later16", 0, move || {
                    d14.n
                }).await), mk("z", 0)).0 != 0;
            },
            Ok(n6) => {},
            Err(s7) => {},
        }
        0
    }
}

// build-defect: E0507: cannot move out of a raw pointer
// Found as function 43 of the run; minimized by explicit-async-fuzz.
// error[E0507]: cannot move out of a raw pointer
//   --> src/annotated.rs:48:1
//    |
// 48 | #[explicit_async::explicit_async] pub async fn argument_moved_into_a_pinned_async_block(d2: D) -> Result<i64, String> {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ move occurs because value has type `prelude::D`, which does not implement the `Copy` trait
//    |
// note: if `prelude::D` implemented `Clone`, you could clone the value
//   --> src/prelude.rs:50:1
//    |
// 50 | pub struct D {
//    | ^^^^^^^^^^^^ consider implementing `Clone` for this type
//    |
//   ::: src/annotated.rs:48:1
//    |
// 48 | #[explicit_async::explicit_async] pub async fn argument_moved_into_a_pinned_async_block(d2: D) -> Result<i64, String> {
//    | --------------------------------- you could clone this value
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: (mk("arg1", 7));
    pub async fn argument_moved_into_a_pinned_async_block(d2: D) -> Result<i64, String> {
        let n4: i64 = pair(&d2, 0);
        let pf6 = pin!(async move {
            peek("peek5", &({
                d2
            }), 0).await
        });
        let Ok(n7) = ok(({
            pf6.await;
            None
        }).unwrap_or(0)) else {
            return Ok(0);
        };
        Ok(0)
    }
}

// build-defect: E0596: cannot borrow value as mutable, as it is not declared as mutable
// Found as function 13 of the run; minimized by explicit-async-fuzz.
// error[E0596]: cannot borrow value as mutable, as it is not declared as mutable
//   --> src/annotated.rs:80:68
//    |
// 80 |       format!("{}:{}", match val("a11", 0, None).await.or(Some(twice(&mut ({
//    |  ____________________________________________________________________^
// 81 | |         0
// 82 | |     })))) {
//    | |______^ cannot borrow as mutable
//    |
// help: consider changing this to be mutable
//    |
// 79 | mut #[explicit_async::explicit_async] pub async fn mut_borrow_of_a_block_value_in_a_method(self) -> String {
//    | +++
//
method_twin! {
    compare: |s| s.mut_borrow_of_a_block_value_in_a_method();
    pub async fn mut_borrow_of_a_block_value_in_a_method(self) -> String {
        format!("{}:{}", match val("a11", 0, None).await.or(Some(twice(&mut ({
            0
        })))) {
            Some(n14) => 0,
            None => 0,
        }, 0)
    }
}

// build-defect: E0309: the parameter type `_` may not live long enough
// Found as function 237 of the run; minimized by explicit-async-fuzz.
// error[E0309]: the parameter type `impl AsyncFn(i64) -> i64` may not live long enough
//    --> src/annotated.rs:100:1
//     |
// 100 | #[explicit_async::explicit_async] pub async fn method_awaiting_an_async_fn_argument(&mut self, x2: impl AsyncFn(i64) -> i64) -> i64 {
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//     | |
//     | the parameter type `impl AsyncFn(i64) -> i64` must be valid for the lifetime `'life0` as defined here...
//     | ...so that the type `impl AsyncFn(i64) -> i64` will meet its required lifetime bounds
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: consider adding an explicit lifetime bound
//     |
// 100 | #[explicit_async::explicit_async] pub async fn method_awaiting_an_async_fn_argument(&mut self, x2: impl AsyncFn(i64) -> i64 + 'life0) -> i64 {
//     |                                                                                                             ++++++++
//
pub mod method_awaiting_an_async_fn_argument {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn method_awaiting_an_async_fn_argument(&mut self, x2: impl AsyncFn(i64) -> i64) -> i64 {
                    match (mk("z", 0), if x2(0).await != 0 {
                        0
                    } else {
                        0
                    }) {
                        _ => {},
                    }
                    0
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
            stringify!(method_awaiting_an_async_fn_argument),
            || async move {
                let mut s = native::S::new("self", 1);
                s.method_awaiting_an_async_fn_argument(async |x: i64| {
                    tick("af1", 0).await;
                    x + 9
                })
                .await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.method_awaiting_an_async_fn_argument(async |x: i64| {
                    tick("af1", 0).await;
                    x + 9
                })
                .await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut s = native::S::new("self", 1);
                s.method_awaiting_an_async_fn_argument(async |x: i64| {
                    tick("af1", 0).await;
                    x + 9
                })
                .await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.method_awaiting_an_async_fn_argument(async |x: i64| {
                    tick("af1", 0).await;
                    x + 9
                })
                .await
            },
        )
    }

    case_test!();
}

// build-defect: E0382: use of moved value: `_`
// Found as function 219 of the run; minimized by explicit-async-fuzz.
// error[E0382]: use of moved value: `self.k`
//    --> src/annotated.rs:113:1
//     |
// 113 | #[explicit_async::explicit_async] pub async fn field_of_self_ignored_in_a_guard(self) -> Option<i64> {
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^                                   ---- move occurs because `self` has type `annotated::S`, which does not implement the `Copy` trait
//     | |
//     | use occurs due to use in closure
//     | value used here after move
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: borrow this binding in the pattern to avoid moving the value
//     |
// 113 | ref #[explicit_async::explicit_async] pub async fn field_of_self_ignored_in_a_guard(self) -> Option<i64> {
//     | +++
//
method_twin! {
    compare: |s| s.field_of_self_ignored_in_a_guard();
    pub async fn field_of_self_ignored_in_a_guard(self) -> Option<i64> {
        if let Ok(n32) = err(match (mk("z", 0), 0) {
            (ref d9, 0..=2) if let Ok(n19) = ok({
                let _ = self.k;
                0
            }) => 0,
            (d12, n11) => 0,
        }) {} else {}
        None
    }
}

// build-defect: E0382: use of partially moved value: `_`
// Found as function 167 of the run; minimized by explicit-async-fuzz.
// error[E0382]: use of partially moved value: `t11`
//    --> src/annotated.rs:126:9
//     |
// 126 |     let t11 = (val("a6", 0, mk("z", 0)).await, 0);
//     |         ^^^ value used here after partial move
// ...
// 129 |             t11.0
//     |             ----- value partially moved here
//     |
//     = note: partial move occurs because `t11.0` has type `prelude::D`, which does not implement the `Copy` trait
//
twin! {
    compare: ();
    pub async fn field_moved_by_a_block_tail_before_an_await() -> String {
        let t11 = (val("a6", 0, mk("z", 0)).await, 0);
        let _ = P { b: mk("z", 0), a: mk("d19", {
            let mut n15: i64 = pair(&({
                t11.0
            }), 0);
            val("a18", 0, 0).await
        }), k: 0 };
        String::new()
    }
}

// build-defect: no code: #[explicit_async] failed on this function (an internal error); please report it with the function
// Found as function 195 of the run; minimized by explicit-async-fuzz.
// error: #[explicit_async] failed on this function (an internal error); please report it with the function
//    --> src/annotated.rs:136:1
//     |
// 136 | #[explicit_async::explicit_async] pub async fn matches_macro_on_a_struct_literal(n3: i64) {
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: (8);
    pub async fn matches_macro_on_a_struct_literal(n3: i64) {
        if let Some(mut n7) = None {
            if (matches!(P { a: mk("z", 0), b: std::mem::replace(&mut mk("z", 0), mk("d10", n7)), k: peek("peek11", &n3, 0).await }.k, 1..=3 | 7)) {}
        } else {
            ()
        }
    }
}

// build-defect: E0282: type annotations needed
// Found as function 329 of the run; minimized by explicit-async-fuzz.
// error[E0282]: type annotations needed
//    --> src/annotated.rs:144:1
//     |
// 144 | #[explicit_async::explicit_async] pub async fn guard_reads_a_field_of_a_slot_binding() -> Result<i64, String> {
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ cannot infer type
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: ();
    pub async fn guard_reads_a_field_of_a_slot_binding() -> Result<i64, String> {
        let d25 = match (mk("z", 0), 0) {
            (d3, 5) if let Ok(n12) = res_of(d3.n) => val("a20", 0, mk("z", 0)).await,
            _ => mk("z", 0),
        };
        Ok(0)
    }
}

// build-defect: E0310: the parameter type `_` may not live long enough
// Found as function 269 of the run; minimized by explicit-async-fuzz.
// error[E0310]: the parameter type `impl AsyncFn(i64) -> i64` may not live long enough
//    --> src/annotated.rs:153:1
//     |
// 153 | #[explicit_async::explicit_async] pub async fn by_value_method_awaiting_an_async_fn_argument(self, a6: impl AsyncFn(i64) -> i64) -> Option<i64> {
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//     | |
//     | the parameter type `impl AsyncFn(i64) -> i64` must be valid for the static lifetime...
//     | ...so that the type `impl AsyncFn(i64) -> i64` will meet its required lifetime bounds
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: consider adding an explicit lifetime bound
//     |
// 153 | #[explicit_async::explicit_async] pub async fn by_value_method_awaiting_an_async_fn_argument(self, a6: impl AsyncFn(i64) -> i64 + 'static) -> Option<i64> {
//     |                                                                                                        +++++++++
//
pub mod by_value_method_awaiting_an_async_fn_argument {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn by_value_method_awaiting_an_async_fn_argument(self, a6: impl AsyncFn(i64) -> i64) -> Option<i64> {
                    {
                        {
                            a6(0).await;
                        }
                    }
                    None
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
            stringify!(by_value_method_awaiting_an_async_fn_argument),
            || {
                native::S::new("self", 1).by_value_method_awaiting_an_async_fn_argument(
                    async |x: i64| {
                        tick("af5", 0).await;
                        x + 5
                    },
                )
            },
            || {
                ours::S::new("self", 1).by_value_method_awaiting_an_async_fn_argument(
                    async |x: i64| {
                        tick("af5", 0).await;
                        x + 5
                    },
                )
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || {
                native::S::new("self", 1).by_value_method_awaiting_an_async_fn_argument(
                    async |x: i64| {
                        tick("af5", 0).await;
                        x + 5
                    },
                )
            },
            || {
                ours::S::new("self", 1).by_value_method_awaiting_an_async_fn_argument(
                    async |x: i64| {
                        tick("af5", 0).await;
                        x + 5
                    },
                )
            },
        )
    }

    case_test!();
}

// build-defect: E0382: borrow of moved value: `_`
// Found as function 714 of the run; minimized by explicit-async-fuzz.
// error[E0382]: borrow of moved value: `rm2`
//    --> src/annotated.rs:163:69
//     |
// 163 | #[explicit_async::explicit_async] pub async fn reference_argument_moved_into_an_async_block_macro(rm2: &mut D) -> Result<i64, String> {
//     | ---------------------------------                                   ^^^
//     | |                                                                   |
//     | |                                                                   value borrowed here after move
//     | inside of this loop                                                 move occurs because `rm2` has type `&mut prelude::D`, which does not implement the `Copy` trait
// 164 |     let n24 = (async move {
//     |                ---------- value moved here
// 165 |         assert!(rm2.n > 0, "small: {}", 0);
//     |                 ----- variable moved due to use in coroutine
//
pub mod reference_argument_moved_into_an_async_block_macro {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {
            $(#[$attr])?
            pub async fn reference_argument_moved_into_an_async_block_macro(rm2: &mut D) -> Result<i64, String> {
                let n24 = (async move {
                    assert!(rm2.n > 0, "small: {}", 0);
                    0
                }).await;
                Ok(0)
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
            stringify!(reference_argument_moved_into_an_async_block_macro),
            || async move {
                let mut a0 = mk("arg1", 4);
                native::reference_argument_moved_into_an_async_block_macro(&mut a0).await
            },
            || async move {
                let mut a0 = mk("arg1", 4);
                ours::reference_argument_moved_into_an_async_block_macro(&mut a0).await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut a0 = mk("arg1", 4);
                native::reference_argument_moved_into_an_async_block_macro(&mut a0).await
            },
            || async move {
                let mut a0 = mk("arg1", 4);
                ours::reference_argument_moved_into_an_async_block_macro(&mut a0).await
            },
        )
    }

    case_test!();
}

// lint-defect: lint unused_assignments value assigned to `_` is never read
// Found as function 740 of the run; minimized by explicit-async-fuzz.
// unused_assignments value captured by `_` is never read
// warning: value captured by `self.k` is never read
//   --> src/annotated.rs:37:5
//    |
// 37 |     self.k += 0;
//    |     ^^^^^^
//    |
//    = help: did you mean to capture by reference instead?
//
//
// unused_assignments value assigned to `_` is never read
// warning: value assigned to `self.k` is never read
//   --> src/annotated.rs:37:5
//    |
// 37 |     self.k += 0;
//    |     ^^^^^^^^^^^
//    |
//    = help: maybe it is overwritten before being read?
//
method_twin! {
    compare: |s| s.mut_self_field_assigned_and_not_read();
    pub async fn mut_self_field_assigned_and_not_read(mut self) -> Option<i64> {
        self.k += 0;
        let z7;
        z7 = 0;
        None
    }
}

// lint-defect: lint unused_assignments value captured by `_` is never read
// Found as function 740 of the run; minimized by explicit-async-fuzz.
// unused_assignments value captured by `_` is never read
// warning: value captured by `self.k` is never read
//   --> src/annotated.rs:46:5
//    |
// 46 |     self.k += 0;
//    |     ^^^^^^
//    |
//    = help: did you mean to capture by reference instead?
//
//
// unused_assignments value assigned to `_` is never read
// warning: value assigned to `self.k` is never read
//   --> src/annotated.rs:46:5
//    |
// 46 |     self.k += 0;
//    |     ^^^^^^^^^^^
//    |
//    = help: maybe it is overwritten before being read?
//
method_twin! {
    compare: |s| s.mut_self_field_assigned_beside_a_deferred_local();
    pub async fn mut_self_field_assigned_beside_a_deferred_local(mut self) -> Option<i64> {
        self.k += 0;
        let z7;
        z7 = 0;
        None
    }
}

// divergence: log: native drop, ours drop
// Found as function 38 of the run; minimized by explicit-async-fuzz.
// after "drop a13": native "drop t9 0", ours "drop z 0"
twin! {
    compare: ();
    pub async fn receiver_temporaries_in_vec_macro_drop_in_order() -> i64 {
        val("a13", 0, vec![mk("t9", val("a8", 0, mk("z", 0)).await.n()).n(), 0]).await.len() as i64
    }
}

// divergence: drop-after-k: native drop, ours drop
// Found as function 0 of the run; minimized by explicit-async-fuzz.
// k=1: after "drop a5": native "drop z 0", ours "drop arg2 3"
pub mod method_with_ref_mut_pattern_argument_drop_order {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn method_with_ref_mut_pattern_argument_drop_order(self, ref mut rm1: D) -> D {
                    let b7 = match val("a5", 1, mk("t4", p("z", 0).k).with(0).consume()).await {
                        n6 => false,
                    };
                    mk("z", 0)
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
            stringify!(method_with_ref_mut_pattern_argument_drop_order),
            || {
                native::S::new("self", 1)
                    .method_with_ref_mut_pattern_argument_drop_order(mk("arg2", 3))
            },
            || {
                ours::S::new("self", 1)
                    .method_with_ref_mut_pattern_argument_drop_order(mk("arg2", 3))
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || {
                native::S::new("self", 1)
                    .method_with_ref_mut_pattern_argument_drop_order(mk("arg2", 3))
            },
            || {
                ours::S::new("self", 1)
                    .method_with_ref_mut_pattern_argument_drop_order(mk("arg2", 3))
            },
        )
    }

    case_test!();
}

// divergence: log: native drop, ours new
// Found as function 53 of the run; minimized by explicit-async-fuzz.
// after "drop a7": native "drop z 0", ours "new a10"
twin! {
    compare: ();
    pub async fn format_macro_temporaries_end_with_it<'a>() -> Result<i64, String> {
        val("a10", 0, format!("{}-{}", twice(&mut pair(&val("a7", 0, mk("z", 0)).await, 0)), 0).len() as i64).await;
        Ok(0)
    }
}

// divergence: log: native drop, ours mk
// Found as function 1353 of the run; minimized by explicit-async-fuzz.
// after "mk gen2": native "drop gen2 7", ours "mk z"
twin! {
    compare: (mk("gen2", 7));
    pub async fn nested_if_conditions_with_a_move_block<T0: Probe + Debug>(x3: T0) -> i64 {
        if if if let Ok(n6) = ok(0) {
            let fut19 = async move {
                probe(&x3)
            };
            false
        } else {
            false
        } {
            false
        } else {
            false
        } {}
        let (d50, 0..=0) = (mk("z", 0), 0) else {
            return 0;
        };
        (async {
            0
        }).await;
        0
    }
}

// divergence: log: native ready, ours drop
// Found as function 944 of the run; minimized by explicit-async-fuzz.
// after "new a36": native "ready a36", ours "drop cap4 4"
pub mod fn_once_called_inside_format_macro {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn fn_once_called_inside_format_macro<T0: Probe + Debug, T1: Probe + Debug>(mut self, rf2: &T0, x3: T1, c5: impl FnOnce() -> i64) -> Result<i64, String> {
                    let P { b: ref d29, k: n30, .. } = P { a: mk("d22", format!("{}-{}", match (mk("z", 0), 0) {
                        (ref d8, 0..=4) => 0,
                        (ref d9, 0..=7) => c5(),
                        (d12, n11) => 0,
                    }, 0).len() as i64), b: mk("z", 0), k: 0 };
                    if val("a36", 0, false).await {} else {}
                    Ok(0)
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
            stringify!(fn_once_called_inside_format_macro),
            || async move {
                let mut a0 = mk("gen1", 9);
                native::S::new("self", 1)
                    .fn_once_called_inside_format_macro(&a0, 6i64, {
                        let d = mk("cap4", 4);
                        move || d.consume()
                    })
                    .await
            },
            || async move {
                let mut a0 = mk("gen1", 9);
                ours::S::new("self", 1)
                    .fn_once_called_inside_format_macro(&a0, 6i64, {
                        let d = mk("cap4", 4);
                        move || d.consume()
                    })
                    .await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut a0 = mk("gen1", 9);
                native::S::new("self", 1)
                    .fn_once_called_inside_format_macro(&a0, 6i64, {
                        let d = mk("cap4", 4);
                        move || d.consume()
                    })
                    .await
            },
            || async move {
                let mut a0 = mk("gen1", 9);
                ours::S::new("self", 1)
                    .fn_once_called_inside_format_macro(&a0, 6i64, {
                        let d = mk("cap4", 4);
                        move || d.consume()
                    })
                    .await
            },
        )
    }

    case_test!();
}

// divergence: log: native drop, ours value
// Found as function 1781 of the run; minimized by explicit-async-fuzz.
// after "drop peek3 of 0": native "drop z 0", ours "value 3"
twin! {
    compare: ();
    pub async fn awaited_borrow_inside_format_macro() -> D {
        log_i(format!("{}-{}", peek("peek3", &mk("z", 0), 0).await, 0).len() as i64);
        let z25;
        {
            z25 = mk("z", 0);
        }
        mk("z", 0)
    }
}

// divergence: log: native mk, ours drop
// Found as function 348 of the run; minimized by explicit-async-fuzz.
// after "drop z 0": native "mk z", ours "drop z 1"
twin! {
    compare: ();
    pub async fn field_consumed_by_a_method_rest_kept() -> i64 {
        let pp10 = p("z", 0);
        let mut d16 = mk("z", 0).with(None.unwrap_or(pp10.a.consume()));
        let mut v17 = vec![0];
        v17.push(pair(&d16, val("a19", 0, mk("z", 0)).await.n()));
        res_of(0).unwrap_or(pp10.k)
    }
}

// divergence: output
// Found as function 625 of the run; minimized by explicit-async-fuzz.
// native 0, ours 6
twin! {
    compare: (9, 7);
    pub async fn move_closure_mutating_a_mut_argument(mut n5: i64, n6: i64) -> i64 {
        let s16 = format!("{}:{}", add_refs(&0, &later("later13", 0, move || {
            n5 -= add_refs(&n6, &n6);
            0
        }).await), 0);
        if is_even(({
            let Ok(n18) = res_of(n5) else {
                return 0;
            };
            None
        }).unwrap_or(0)) {
            let rf22 = &std::mem::replace(&mut n5, add_refs(&val("a21", 0, 0).await, &n6));
        }
        6
    }
}

// clear-rejection: `.await` inside `pin!(..)` cannot be seen by #[explicit_async]: a macro's arguments are only tokens; compute the value before the macro and pass it: `let value = ..; pin!(.. value ..)`
// Found as function 1245 of the run; minimized by explicit-async-fuzz.
// error: `.await` inside `pin!(..)` cannot be seen by #[explicit_async]: a macro's arguments are only tokens; compute the value before the macro and pass it: `let value = ..; pin!(.. value ..)`
//    --> src/annotated.rs:288:28
//     |
// 288 |                 let pf36 = pin!(val("f35", 0, val("a34", 0, 0).await));
//     |                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//
twin! {
    compare: ();
    pub async fn pin_macro_with_an_await_inside() -> D {
        let mut s45 = format!("{}:{}", {
            {
                let (n43, d44) = (0, {
                    let pf36 = pin!(val("f35", 0, val("a34", 0, 0).await));
                    mk("z", 0)
                });
            }
            0
        }, 0);
        mk("z", 0)
    }
}
