//! The ninth run's finds (seed 9001, 3,000 functions) as the fuzzer
//! minimized them, each with the error or divergence it showed; now fixed.
//! Not here yet: two divergences of that run (the temporaries of an
//! `if let` guard's scrutinee live to the end of its arm).
use super::prelude::*;

// build-defect: E0507: cannot move out of a raw pointer
// Found as function 221 of the run; minimized by explicit-async-fuzz.
// error[E0507]: cannot move out of a raw pointer
//   --> src/annotated.rs:35:1
//    |
// 35 | #[explicit_async::explicit_async] pub async fn field_of_a_borrowed_slot_local_moved_into_an_awaited_call() {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ move occurs because value has type `prelude::D`, which does not implement the `Copy` trait
//    |
// note: if `prelude::D` implemented `Clone`, you could clone the value
//   --> src/prelude.rs:50:1
//    |
// 50 | pub struct D {
//    | ^^^^^^^^^^^^ consider implementing `Clone` for this type
//    |
//   ::: src/annotated.rs:35:1
//    |
// 35 | #[explicit_async::explicit_async] pub async fn field_of_a_borrowed_slot_local_moved_into_an_awaited_call() {
//    | --------------------------------- you could clone this value
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: ();
    pub async fn field_of_a_borrowed_slot_local_moved_into_an_awaited_call() {
        let t7 = val("a6", 0, (mk("z", 0), [0; 3][0usize])).await;
        let mut b18 = pair(&t7.0, 0) <= val("a17", 0, t7.0).await.n();
    }
}

// build-defect: E0382: use of moved value
// Found as function 547 of the run; minimized by explicit-async-fuzz.
// error[E0382]: use of moved value
//   --> src/annotated.rs:40:1
//    |
// 40 | #[explicit_async::explicit_async] pub async fn closure_calling_an_fn_once_argument_called_in_an_awaited_operand<'a>(c4: impl FnOnce() -> i64, rf8: &'a D) -> i64 {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    | |
//    | value moved due to this call
//    | value used here after move
//    |
// note: closure cannot be moved more than once as it is not `Copy` due to moving the variable `c4` out of its environment
//   --> src/annotated.rs:42:9
//    |
// 42 |         c4()
//    |         ^^
// note: this value implements `FnOnce`, which causes it to be moved when called
//   --> src/annotated.rs:40:1
//    |
// 40 | #[explicit_async::explicit_async] pub async fn closure_calling_an_fn_once_argument_called_in_an_awaited_operand<'a>(c4: impl FnOnce() -> i64, rf8: &'a D) -> i64 {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: borrow this binding in the pattern to avoid moving the value
//    |
// 40 | ref #[explicit_async::explicit_async] pub async fn closure_calling_an_fn_once_argument_called_in_an_awaited_operand<'a>(c4: impl FnOnce() -> i64, rf8: &'a D) -> i64 {
//    | +++
// help: consider restricting opaque type `impl FnOnce() -> i64 + 'machine` with trait `Copy`
//    |
// 40 | #[explicit_async::explicit_async] pub async fn closure_calling_an_fn_once_argument_called_in_an_awaited_operand<'a>(c4: impl FnOnce() -> i64 + Copy, rf8: &'a D) -> i64 {
//    |                                                                                                  ++++++
//
pub mod closure_calling_an_fn_once_argument_called_in_an_awaited_operand {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {
            $(#[$attr])?
            pub async fn closure_calling_an_fn_once_argument_called_in_an_awaited_operand<'a>(c4: impl FnOnce() -> i64, rf8: &'a D) -> i64 {
                let rf8 = move || {
                    c4()
                };
                log_i(val("a16", 0, [0, {
                    let mut c4 = rf8();
                    0
                }, 0][0usize]).await);
                0
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
            stringify!(closure_calling_an_fn_once_argument_called_in_an_awaited_operand),
            || async move {
                let mut a1 = mk("arg7", 6);
                native::closure_calling_an_fn_once_argument_called_in_an_awaited_operand(
                    {
                        let d = mk("cap3", 6);
                        move || d.consume()
                    },
                    &a1,
                )
                .await
            },
            || async move {
                let mut a1 = mk("arg7", 6);
                ours::closure_calling_an_fn_once_argument_called_in_an_awaited_operand(
                    {
                        let d = mk("cap3", 6);
                        move || d.consume()
                    },
                    &a1,
                )
                .await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut a1 = mk("arg7", 6);
                native::closure_calling_an_fn_once_argument_called_in_an_awaited_operand(
                    {
                        let d = mk("cap3", 6);
                        move || d.consume()
                    },
                    &a1,
                )
                .await
            },
            || async move {
                let mut a1 = mk("arg7", 6);
                ours::closure_calling_an_fn_once_argument_called_in_an_awaited_operand(
                    {
                        let d = mk("cap3", 6);
                        move || d.consume()
                    },
                    &a1,
                )
                .await
            },
        )
    }

    case_test!();
}

// build-defect: E0382: use of partially moved value: `_`
// Found as function 2171 of the run; minimized by explicit-async-fuzz.
// error[E0382]: use of partially moved value: `t8`
//   --> src/annotated.rs:52:13
//    |
// 52 |     let mut t8 = val("a7", 0, (val("a3", 0, mk("z", 0)).await, 0)).await;
//    |             ^^ value used here after partial move
// 53 |     t8 = (val("a9", 0, t8.0).await.with(0).with(0), 0);
//    |                        ---- value partially moved here
//    |
//    = note: partial move occurs because `t8.0` has type `prelude::D`, which does not implement the `Copy` trait
//
twin! {
    compare: ();
    pub async fn field_moved_into_an_await_then_the_local_assigned() -> i64 {
        let mut t8 = val("a7", 0, (val("a3", 0, mk("z", 0)).await, 0)).await;
        t8 = (val("a9", 0, t8.0).await.with(0).with(0), 0);
        0
    }
}

// build-defect: E0596: cannot borrow value as mutable, as it is not declared as mutable
// Found as function 2765 of the run; minimized by explicit-async-fuzz.
// error[E0596]: cannot borrow value as mutable, as it is not declared as mutable
//   --> src/annotated.rs:58:1
//    |
// 58 | #[explicit_async::explicit_async] pub async fn move_closure_mutating_a_field_of_mut_self_it_takes(mut self) -> i64 {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ cannot borrow as mutable
//    |
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: consider changing this to be mutable
//    |
// 58 | mut #[explicit_async::explicit_async] pub async fn move_closure_mutating_a_field_of_mut_self_it_takes(mut self) -> i64 {
//    | +++
//
method_twin! {
    compare: |s| s.move_closure_mutating_a_field_of_mut_self_it_takes();
    pub async fn move_closure_mutating_a_field_of_mut_self_it_takes(mut self) -> i64 {
        let (d24, n25) = if let Some(n7) = None.or(Some(self.k + val("a6", 0, 0).await)) {
            let mut c21 = move |k8: i64| {
                pair(&std::mem::replace(&mut self.d, mk("z", 0)), 0)
            };
            (mk("z", 0), 0)
        } else {
            (mk("z", 0), 0)
        };
        0
    }
}

// divergence: log: native ready, ours drop
// Found as function 53 of the run; minimized by explicit-async-fuzz.
// after "new a17": native "ready a17", ours "drop z 0"
twin! {
    compare: ();
    pub async fn guarded_arm_taking_a_scrutinee_temporary_of_a_condition() -> Result<i64, String> {
        if val("a17", 0, (mk("z", 0), match (mk("z", 0), 0) {
            (d9, 5) if let Some(mut n10) = Some(5) => 0,
            _ => 0,
        }).1 != 0).await {} else {}
        Ok(0)
    }
}

// divergence: drop-after-k: native drop, ours drop
// Found as function 2497 of the run; minimized by explicit-async-fuzz.
// k=1: after "drop z 0": native "drop z 1", ours "drop z 0"
twin! {
    compare: ();
    pub async fn block_tail_temporaries_drop_before_its_evaluated_operands() -> i64 {
        let (d30, n31) = {
            (mk("z", 0), val("a20", 2, p("z", 0).k).await)
        };
        let z32;
        {
            z32 = mk("z", 0);
        }
        0
    }
}

// clear-rejection: #[explicit_async] cannot move `_` out of a `match` scrutinee it keeps across an `.await`: bind it by reference (`ref name`)
// Found as function 90 of the run; minimized by explicit-async-fuzz.
// error[E0277]: #[explicit_async] cannot move `prelude::D` out of a `match` scrutinee it keeps across an `.await`: bind it by reference (`ref name`)
//    --> src/annotated.rs:133:10
//     |
// 133 |         (d11, 7) if false && false => 0,
//     |          ^^^ the trait `explicit_async::__private::CopiedOutOfKeptScrutinee` is not implemented for `prelude::D`
//     |
//     = note: the trait bound `prelude::D: explicit_async::__private::CopiedOutOfKeptScrutinee` is not satisfied
//     = note: required for `prelude::D` to implement `explicit_async::__private::CopiedOutOfKeptScrutinee`
// note: required by a bound in `explicit_async::__private::copied_out_of_kept_scrutinee`
//    --> /work/snap9/src/private.rs:428:40
//     |
// 428 | pub fn copied_out_of_kept_scrutinee<T: CopiedOutOfKeptScrutinee>(_binding: &T) {}
//     |                                        ^^^^^^^^^^^^^^^^^^^^^^^^ required by this bound in `copied_out_of_kept_scrutinee`
// help: consider borrowing here
//     |
// 133 |         (&d11, 7) if false && false => 0,
//     |          +
//
twin! {
    compare: ();
    pub async fn arms_taking_a_scrutinee_kept_by_a_ref_arm_and_left_by_a_wildcard() -> (D, i64) {
        let (d17, n18) = (mk("d16", format!("{}-{}", match (mk("z", 0), 0) {
            (ref d10, 0..=3) if false => {
                val("a13", 0, 0).await;
                0
            },
            (d11, 7) if false && false => 0,
            _ => 0,
        }, 0).len() as i64), 0);
        (mk("z", 0), 0)
    }
}
