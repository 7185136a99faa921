//! The eighth run's finds (seed 8001, 2,000 functions) as the fuzzer
//! minimized them, each with the error or divergence it showed; now fixed.
//! Not here yet: one divergence of that run (the temporaries of an
//! `if let` guard's scrutinee live to the end of its arm).
use super::prelude::*;

// build-defect: E0507: cannot move out of a raw pointer
// Found as function 207 of the run; minimized by explicit-async-fuzz.
// error[E0507]: cannot move out of a raw pointer
//   --> src/annotated.rs:35:1
//    |
// 35 | #[explicit_async::explicit_async] pub async fn move_closure_taking_a_local_and_reading_its_field<T0: Probe + Debug>(x1: T0, d8: D) -> Result<i64, String> {
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
// 35 | #[explicit_async::explicit_async] pub async fn move_closure_taking_a_local_and_reading_its_field<T0: Probe + Debug>(x1: T0, d8: D) -> Result<i64, String> {
//    | --------------------------------- you could clone this value
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: consider borrowing here
//    |
// 35 | &#[explicit_async::explicit_async] pub async fn move_closure_taking_a_local_and_reading_its_field<T0: Probe + Debug>(x1: T0, d8: D) -> Result<i64, String> {
//    | +
//
twin! {
    compare: (1i64, mk("arg7", 8));
    pub async fn move_closure_taking_a_local_and_reading_its_field<T0: Probe + Debug>(x1: T0, d8: D) -> Result<i64, String> {
        let mut s19 = format!("{}:{}", pair(&d8, 0), later("later18", 0, move || {
            let mut arr13: [i64; 3] = [0, match 0 {
                3 | 5 => {
                    let d10 = d8;
                    0
                },
                n9 => d8.n,
            }, 0];
            0
        }).await);
        Ok(0)
    }
}

// build-defect: E0382: use of partially moved value
// Found as function 199 of the run; minimized by explicit-async-fuzz.
// error[E0382]: use of partially moved value
//   --> src/annotated.rs:50:1
//    |
// 50 | #[explicit_async::explicit_async] pub async fn block_tail_moving_a_field_of_self_then_an_async_block_reading_another(self) -> i64 {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ value used here after partial move
//    |
//    = note: partial move occurs because value has type `prelude::D`, which does not implement the `Copy` trait
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: borrow this binding in the pattern to avoid moving the value
//    |
// 50 | ref #[explicit_async::explicit_async] pub async fn block_tail_moving_a_field_of_self_then_an_async_block_reading_another(self) -> i64 {
//    | +++
//
pub mod block_tail_moving_a_field_of_self_then_an_async_block_reading_another {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn block_tail_moving_a_field_of_self_then_an_async_block_reading_another(self) -> i64 {
                    {
                        let pf7 = pin!(val("f6", 0, peek("peek5", &({
                            self.d
                        }), 0).await));
                        let x2 = async {
                            let mut pp34 = {
                                let mut b25 = matches!(self.k, 1..=3 | 7);
                                p("z", 0)
                            };
                            0
                        };
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
            stringify!(block_tail_moving_a_field_of_self_then_an_async_block_reading_another),
            || {
                native::S::new("self", 1)
                    .block_tail_moving_a_field_of_self_then_an_async_block_reading_another()
            },
            || {
                ours::S::new("self", 1)
                    .block_tail_moving_a_field_of_self_then_an_async_block_reading_another()
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || {
                native::S::new("self", 1)
                    .block_tail_moving_a_field_of_self_then_an_async_block_reading_another()
            },
            || {
                ours::S::new("self", 1)
                    .block_tail_moving_a_field_of_self_then_an_async_block_reading_another()
            },
        )
    }

    case_test!();
}

// build-defect: E0382: use of moved value: `_`
// Found as function 959 of the run; minimized by explicit-async-fuzz.
// error[E0382]: use of moved value: `rm1`
//   --> src/annotated.rs:67:77
//    |
// 67 | #[explicit_async::explicit_async] pub async fn ref_mut_binding_moved_into_an_async_move_block_in_one_arm(ref mut rm1: D) -> Result<i64, String> {
//    | ---------------------------------                                   --------^^^
//    | |                                                                   |       |
//    | |                                                                   |       value used here after move
//    | inside of this loop                                                 move occurs because `rm1` has type `&mut prelude::D`, which does not implement the `Copy` trait
// ...
// 70 |             let pf6 = pin!(async move {
//    |                            ---------- value moved here
// 71 |                 add_refs(&0, &rm1.n)
//    |                               ----- variable moved due to use in coroutine
//
twin! {
    compare: (mk("arg2", 1));
    pub async fn ref_mut_binding_moved_into_an_async_move_block_in_one_arm(ref mut rm1: D) -> Result<i64, String> {
        let _ = match 0 {
            7..=10 => {
                let pf6 = pin!(async move {
                    add_refs(&0, &rm1.n)
                });
                format!("{}:{}", 0, val("a9", 0, 0).await)
            },
            4 => {
                let fut10 = async {
                    rm1.n
                };
                String::new()
            },
            n4 => String::new(),
        };
        Ok(0)
    }
}

// divergence: log: native drop, ours drop
// Found as function 30 of the run; minimized by explicit-async-fuzz.
// after "drop a9": native "drop z 0", ours "drop t8 8"
twin! {
    compare: (8);
    pub async fn let_else_value_drops_before_its_temporaries(value: i64) -> Option<i64> {
        let (d5, 0..=4) = (mk("z", 0), val("a9", 0, mk("t8", value).n()).await) else {
            return None;
        };
        None
    }
}

// divergence: drop-after-k: native drop, ours drop
// Found as function 60 of the run; minimized by explicit-async-fuzz.
// k=1: after "drop later7": native "drop arg1 3", ours "drop argfut5"
twin! {
    compare: (mk("arg1", 3), val("argfut5", 1, 0i64));
    pub async fn consumed_receiver_moved_before_the_await_in_its_argument(d2: D, fut6: impl Future<Output = i64>) -> (D, i64) {
        let n10 = d2.with(later("later7", 2, || {
            0
        }).await).n();
        (mk("z", 0), 0)
    }
}

// divergence: log: native ready, ours drop
// Found as function 86 of the run; minimized by explicit-async-fuzz.
// after "new a10": native "ready a10", ours "drop z 0"
twin! {
    compare: ();
    pub async fn scrutinee_temporary_kept_by_a_guarded_by_value_arm() {
        if (val("a10", 0, is_even(P { b: match (mk("z", 0), 0) {
            (d3, 6) if false => mk("z", 0),
            _ => mk("z", 0),
        }, a: mk("z", 0), k: 0 }.k)).await) {}
    }
}

// clear-rejection: "cannot move `D` out of a `match` scrutinee it keeps
// across an `.await`": the arms that bind by value take the whole
// scrutinee (matched in place first, by reference for the guard).
twin! {
    compare: ();
    pub async fn arms_taking_a_scrutinee_kept_by_an_awaiting_guard() -> String {
        let s13: String = format!("{}:{}", 0, match (mk("z", 0), 0) {
            (d4, 6) if let Some(n9) = val("a8", 0, Some(0)).await => 0,
            (ref d5, 0..=7) => 0,
            (d7, n6) => 0,
        });
        String::new()
    }
}
