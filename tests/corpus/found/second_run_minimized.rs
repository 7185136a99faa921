//! The second run's finds (seed 11, 1,000 functions) as the fuzzer minimized
//! them, each with the error or divergence it showed; now fixed.
use super::prelude::*;

// build-defect: E0507: cannot move out of a raw pointer
// Found as function 1 of the run; minimized by explicit-async-fuzz.
// error[E0507]: cannot move out of a raw pointer
//   --> src/annotated.rs:35:1
//    |
// 35 | #[explicit_async::explicit_async] pub async fn moved_by_a_block_tail_under_a_borrow(value: D) -> String {
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
// 35 | #[explicit_async::explicit_async] pub async fn moved_by_a_block_tail_under_a_borrow(value: D) -> String {
//    | --------------------------------- you could clone this value
//    = note: this error originates in the macro `::core::matches` which comes from the expansion of the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: (mk("arg1", 8));
    pub async fn moved_by_a_block_tail_under_a_borrow(value: D) -> String {
        format!("{}:{}", add(0, {
            let mut c2: i64 = 0;
            loop {
                c2 += 1;
                if c2 > 2 {
                    break value.n;
                }
                val("a3", 0, c2).await;
            }
        }), add({
            let mut s8 = String::new();
            write!(s8, "{}", pair(&({
                value
            }), 0)).unwrap();
            0
        }, 0))
    }
}

// build-defect: E0425: cannot find value `_` in this scope
// Found as function 23 of the run; minimized by explicit-async-fuzz.
// error[E0425]: cannot find value `z1` in this scope
//   --> src/annotated.rs:54:1
//    |
// 54 | #[explicit_async::explicit_async] pub async fn deferred_local_read_in_let_else_after_await() -> String {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ not found in this scope
//    |
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: ();
    pub async fn deferred_local_read_in_let_else_after_await() -> String {
        let z1;
        z1 = later("later3", 0, move || {
            0
        }).await;
        let Some(n4) = checked(0) else {
            return match {
                for x6 in {
                    let rf10 = &z1;
                    val("a12", 0, [0; 3]).await
                } {}
                Some(7)
            } {
                Some(n23) => String::new(),
                None => String::new(),
            };
        };
        String::new()
    }
}

// build-defect: E0716: temporary value dropped while borrowed
// Found as function 49 of the run; minimized by explicit-async-fuzz.
// error[E0716]: temporary value dropped while borrowed
//   --> src/annotated.rs:75:51
//    |
// 74 | #[explicit_async::explicit_async] pub async fn mut_borrow_of_a_literal_in_an_awaited_operand() {
//    | ---------------------------------
//    | |                               |
//    | |                               temporary value is freed at the end of this statement
//    | borrow later used here
// 75 |     let t12 = (mk("d4", mk("t2", inc("inc1", &mut 0, 0).await).with(0).consume()), 0);
//    |                                                   ^ creates a temporary value which is freed while still in use
//    |
//    = note: consider using a `let` binding to create a longer lived value
//
twin! {
    compare: ();
    pub async fn mut_borrow_of_a_literal_in_an_awaited_operand() {
        let t12 = (mk("d4", mk("t2", inc("inc1", &mut 0, 0).await).with(0).consume()), 0);
    }
}

// build-defect: E0382: use of moved value: `_`
// Found as function 34 of the run; minimized by explicit-async-fuzz.
// error[E0382]: use of moved value: `a8`
//   --> src/annotated.rs:78:89
//    |
// 78 | #[explicit_async::explicit_async] pub async fn fn_once_called_in_a_borrowed_temporary((d1, n2): (D, i64), a8: impl FnOnce() -> i64) -> Result<i64, Str...
//    | ---------------------------------                                                       ^^
//    | |                                                                                       |
//    | |                                                                                       value used here after move
//    | inside of this loop                                                                     move occurs because `a8` has type `impl FnOnce() -> i64 + 'machine`, which does not implement the `Copy` trait
// 79 |     inc("inc9", &mut res_of(a8()).unwrap_or(0), 0).await;
//    |                             ---- `a8` moved due to this call
//    |
// note: `FnOnce` closures can only be called once
//   --> src/annotated.rs:78:98
//    |
// 78 | ...async::explicit_async] pub async fn fn_once_called_in_a_borrowed_temporary((d1, n2): (D, i64), a8: impl FnOnce() -> i64) -> Result<i64, String> {
//    |                                                                                          ^^^^^^^^^^^^^^^ `impl FnOnce() -> i64 + 'machine` is made to be an `FnOnce` closure here
// 79 | ...c9", &mut res_of(a8()).unwrap_or(0), 0).await;
//    |                     ---- this value implements `FnOnce`, which causes it to be moved when called
//
twin! {
    compare: ((mk("arg3", 7), 8), { let d = mk("cap7", 5); move || d.consume() });
    pub async fn fn_once_called_in_a_borrowed_temporary((d1, n2): (D, i64), a8: impl FnOnce() -> i64) -> Result<i64, String> {
        inc("inc9", &mut res_of(a8()).unwrap_or(0), 0).await;
        Ok(0)
    }
}

// build-defect: E0596: cannot borrow value as mutable, as it is not declared as mutable
// Found as function 210 of the run; minimized by explicit-async-fuzz.
// error[E0596]: cannot borrow value as mutable, as it is not declared as mutable
//   --> src/annotated.rs:83:1
//    |
// 83 | #[explicit_async::explicit_async] pub async fn await_output_borrowed_mutably_in_assignment<T0: Probe + Debug>(x4: T0) -> bool {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ cannot borrow as mutable
//    |
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: consider changing this to be mutable
//    |
// 83 | mut #[explicit_async::explicit_async] pub async fn await_output_borrowed_mutably_in_assignment<T0: Probe + Debug>(x4: T0) -> bool {
//    | +++
//
twin! {
    compare: (mk("gen3", 7));
    pub async fn await_output_borrowed_mutably_in_assignment<T0: Probe + Debug>(x4: T0) -> bool {
        let mut z6: i64;
        {
            z6 = twice(&mut val("a8", 0, 0).await);
        }
        false
    }
}

// build-defect: E0282: type annotations needed
// Found as function 233 of the run; minimized by explicit-async-fuzz.
// error[E0282]: type annotations needed
//    --> src/annotated.rs:102:1
//     |
// 102 | #[explicit_async::explicit_async] pub async fn deferred_local_assigned_only_in_a_later_arm() -> i64 {
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ cannot infer type
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: ();
    pub async fn deferred_local_assigned_only_in_a_later_arm() -> i64 {
        let z4;
        if later("later5", 0, || {
            0
        }).await >= later("later7", 0, || {
            0
        }).await {} else {
            z4 = 0;
        }
        0
    }
}

// build-defect: E0308: mismatched types
// Found as function 353 of the run; minimized by explicit-async-fuzz.
// error[E0308]: mismatched types
//    --> src/annotated.rs:117:49
//     |
// 117 |             n13 if 0 > (val("a16", 0, vec![n13, 0]).await.len() as i64) => String::new(),
//     |                                                 ^ expected `&{integer}`, found integer
//     |
// help: replace the comma with a semicolon to create a vector
//     |
// 117 -             n13 if 0 > (val("a16", 0, vec![n13, 0]).await.len() as i64) => String::new(),
// 117 +             n13 if 0 > (val("a16", 0, vec![n13; 0]).await.len() as i64) => String::new(),
//     |
//
twin! {
    compare: ();
    pub async fn guard_binding_inside_vec_macro() -> String {
        {
            return match 0 {
                n13 if 0 > (val("a16", 0, vec![n13, 0]).await.len() as i64) => String::new(),
                n14 => String::new(),
            };
        }
        String::new()
    }
}

// build-defect: E0310: the parameter type `_` may not live long enough
// Found as function 14 of the run; minimized by explicit-async-fuzz.
// error[E0310]: the parameter type `impl AsyncFn(i64) -> i64 + 'machine` may not live long enough
//    --> src/annotated.rs:124:1
//     |
// 124 | #[explicit_async::explicit_async] pub async fn async_fn_argument_beside_a_reference_argument(rm1: &mut i64, x3: impl AsyncFn(i64) -> i64) -> i64 {
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//     | |
//     | the parameter type `impl AsyncFn(i64) -> i64 + 'machine` must be valid for the static lifetime...
//     | ...so that the type `impl AsyncFn(i64) -> i64 + 'machine` will meet its required lifetime bounds
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: consider adding an explicit lifetime bound
//     |
// 124 | #[explicit_async::explicit_async] pub async fn async_fn_argument_beside_a_reference_argument(rm1: &mut i64, x3: impl AsyncFn(i64) -> i64 + 'static) -> i64 {
//     |                                                                                                                 +++++++++
//
pub mod async_fn_argument_beside_a_reference_argument {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {
            $(#[$attr])?
            pub async fn async_fn_argument_beside_a_reference_argument(rm1: &mut i64, x3: impl AsyncFn(i64) -> i64) -> i64 {
                checked(x3(0).await).or(None).unwrap_or(0)
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
            stringify!(async_fn_argument_beside_a_reference_argument),
            || async move {
                let mut a0 = 0;
                native::async_fn_argument_beside_a_reference_argument(&mut a0, async |x: i64| {
                    tick("af2", 1).await;
                    x + 0
                })
                .await
            },
            || async move {
                let mut a0 = 0;
                ours::async_fn_argument_beside_a_reference_argument(&mut a0, async |x: i64| {
                    tick("af2", 1).await;
                    x + 0
                })
                .await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut a0 = 0;
                native::async_fn_argument_beside_a_reference_argument(&mut a0, async |x: i64| {
                    tick("af2", 1).await;
                    x + 0
                })
                .await
            },
            || async move {
                let mut a0 = 0;
                ours::async_fn_argument_beside_a_reference_argument(&mut a0, async |x: i64| {
                    tick("af2", 1).await;
                    x + 0
                })
                .await
            },
        )
    }

    case_test!();
}

// build-defect: E0499: cannot borrow value as mutable more than once at a time
// Found as function 558 of the run; minimized by explicit-async-fuzz.
// error[E0499]: cannot borrow value as mutable more than once at a time
//    --> src/annotated.rs:128:1
//     |
// 128 | #[explicit_async::explicit_async] pub async fn slot_local_assigned_to_itself() -> Option<i64> {
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//     | |
//     | value was mutably borrowed here in the previous iteration of the loop
//     | first borrow later used by call
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: ();
    pub async fn slot_local_assigned_to_itself() -> Option<i64> {
        let mut d17 = ({
            {
                let mut src13 = Src::new("src12");
                let mut m14 = [0; 3];
                log_i(src13.read(&mut m14, 2).await);
                m14 = m14;
            }
            mk("z", 0)
        }).with(0).with(0);
        None
    }
}

// build-defect: E0277: cannot subtract `!` from `i64`
// Found as function 456 of the run; minimized by explicit-async-fuzz.
// error[E0277]: cannot subtract `!` from `i64`
//    --> src/annotated.rs:143:51
//     |
// 143 |     let n19: i64 = mk("t17", pair(&mk("z", 0), 0) - ({
//     |                                                   ^ no implementation for `i64 - !`
//     |
//     = help: the trait `Sub<!>` is not implemented for `i64`
// help: the following other types implement trait `Sub<Rhs>`
//    --> /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/internal_macros.rs:22:8
//     |
//     = note: `&i64` implements `Sub<i64>`
//    ::: /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/internal_macros.rs:33:8
//     |
//     = note: `i64` implements `Sub<&i64>`
//    ::: /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/internal_macros.rs:44:8
//     |
//     = note: `&i64` implements `Sub`
//    --> /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/ops/arith.rs:212:8
//     |
//     = note: `i64` implements `Sub`
//    ::: /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/ops/arith.rs:227:0
//     |
//     = note: in this macro invocation
//     = note: this error originates in the macro `forward_ref_binop` which comes from the expansion of the macro `sub_impl` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: ();
    pub async fn loop_value_typed_never_in_a_subtraction() -> Option<i64> {
        let P { b: ref b, k, .. } = p("z", 0);
        let n19: i64 = mk("t17", pair(&mk("z", 0), 0) - ({
            let mut c10: i64 = 0;
            loop {
                c10 += 1;
                if c10 > 1 {
                    break peek("peek11", &*b, 2).await;
                }
            }
        })).with(0).consume();
        None
    }
}

// build-defect: E0277: cannot subtract-assign `i32` from `!`
// Found as function 420 of the run; minimized by explicit-async-fuzz.
// error[E0277]: cannot subtract-assign `i32` from `!`
//    --> src/annotated.rs:165:8
//     |
// 165 |     n5 -= 0;
//     |        ^^ no implementation for `! -= i32`
//     |
//     = help: the trait `SubAssign<i32>` is not implemented for `!`
//
twin! {
    compare: ();
    pub async fn loop_value_typed_never_in_compound_assignment() -> i64 {
        let mut n5 = {
            let mut c2: i64 = 0;
            'l1: loop {
                c2 += 1;
                if c2 > 3 {
                    break (add(inc("inc3", &mut 2, 1).await, twice(&mut 7)) * 7);
                }
            }
        };
        n5 -= 0;
        0
    }
}

// build-defect: E0382: borrow of moved value: `_`
// Found as function 360 of the run; minimized by explicit-async-fuzz.
// error[E0382]: borrow of moved value: `rm8`
//    --> src/annotated.rs:180:13
//     |
// 178 | #[explicit_async::explicit_async] pub async fn reference_local_moved_into_a_move_closure<T0: Probe + Debug>(x3: T0) {
//     | --------------------------------- inside of this loop
// 179 |     let mut d2: D = {
// 180 |         let rm8 = &mut mk("z", 0);
//     |             ^^^
//     |             |
//     |             value borrowed here after move
//     |             move occurs because `rm8` has type `&mut prelude::D`, which does not implement the `Copy` trait
// 181 |         if (0 < (val("a10", 0, vec![0]).await.len() as i64)) && (later("later11", 0, move || {
//     |                                                                                      ------- value moved into closure here
// 182 |             rm8.n
//     |             ----- variable moved due to use in closure
//
twin! {
    compare: (2i64);
    pub async fn reference_local_moved_into_a_move_closure<T0: Probe + Debug>(x3: T0) {
        let mut d2: D = {
            let rm8 = &mut mk("z", 0);
            if (0 < (val("a10", 0, vec![0]).await.len() as i64)) && (later("later11", 0, move || {
                rm8.n
            }).await >= 0) {}
            mk("z", 0)
        };
    }
}

// build-defect: E0597: `_` does not live long enough
// Found as function 234 of the run; minimized by explicit-async-fuzz.
// error[E0597]: `n7` does not live long enough
//    --> src/annotated.rs:190:96
//     |
// 188 | #[explicit_async::explicit_async] pub async fn if_let_guard_binding_borrowed_across_await() -> i64 {
//     | ---------------------------------
//     | |                               |
//     | |                               `n7` dropped here while still borrowed
//     | borrow later used here
// 189 |     let pf20 = pin!(val("f19", 0, None.unwrap_or(mk("z", 0).with(match 0 {
// 190 |         4..=7 if false && let Some(n7) = Some(0) && let Some(n8) = checked(0) => peek("peek9", &n7, 0).await,
//     |                                    -- binding `n7` declared here                               ^^^ borrowed value does not live long enough
//
twin! {
    compare: ();
    pub async fn if_let_guard_binding_borrowed_across_await() -> i64 {
        let pf20 = pin!(val("f19", 0, None.unwrap_or(mk("z", 0).with(match 0 {
            4..=7 if false && let Some(n7) = Some(0) && let Some(n8) = checked(0) => peek("peek9", &n7, 0).await,
            n6 => 0,
        }).consume())));
        0
    }
}

// build-defect: E0614: type `_` cannot be dereferenced
// Found as function 458 of the run; minimized by explicit-async-fuzz.
// error[E0614]: type `prelude::P` cannot be dereferenced
//    --> src/annotated.rs:196:1
//     |
// 196 | #[explicit_async::explicit_async] pub async fn guard_block_shadowing_an_arm_binding() -> (D, i64) {
//     | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ can't be dereferenced
//     |
//     = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: ();
    pub async fn guard_block_shadowing_an_arm_binding() -> (D, i64) {
        if (0 >= (match err(0) {
            Err(s9) if let Ok(n16) = err({
                let s9: P = p("z", 0);
                s9.k
            }) => 0,
            Err(s10) if val("a17", 0, false).await => 0,
            Ok(n11) => 0,
            Err(s12) => 0,
        })) {}
        (mk("z", 0), 0)
    }
}

// build-defect: E0713: borrow may still be in use when destructor runs
// Found as function 568 of the run; minimized by explicit-async-fuzz.
// error[E0713]: borrow may still be in use when destructor runs
//    --> src/annotated.rs:211:74
//     |
// 209 | #[explicit_async::explicit_async] pub async fn if_let_guard_binding_moved_from_a_temporary() -> Result<i64, String> {
//     | ---------------------------------
//     | |                               |
//     | |                               here, drop of `d20` needs exclusive access to `d20.n`, because the type `prelude::D` implements the `Drop` trait
//     | borrow later used here
// 210 |     let mut n36 = mk("t35", match (0, 0) {
// 211 |         (n8, n9) if let (d20, 0..=0) = (mk("z", 0), 0) => peek("peek21", &d20.n, 0).await,
//     |                                                                          ^^^^^^
//     |
//     = note: consider using a `let` binding to create a longer lived value
//
twin! {
    compare: ();
    pub async fn if_let_guard_binding_moved_from_a_temporary() -> Result<i64, String> {
        let mut n36 = mk("t35", match (0, 0) {
            (n8, n9) if let (d20, 0..=0) = (mk("z", 0), 0) => peek("peek21", &d20.n, 0).await,
            (n12, n13) => 0,
        }).consume();
        Ok(0)
    }
}

// lint-defect: lint unused_assignments value captured by `_` is never read
// Found as function 514 of the run; minimized by explicit-async-fuzz.
// unused_assignments value captured by `_` is never read
// warning: value captured by `self.k` is never read
//   --> src/annotated.rs:37:5
//    |
// 37 |     self.k = 0;
//    |     ^^^^^^
//    |
//    = help: did you mean to capture by reference instead?
//
//
// unused_assignments value assigned to `_` is never read
// warning: value assigned to `self.k` is never read
//   --> src/annotated.rs:37:5
//    |
// 37 |     self.k = 0;
//    |     ^^^^^^^^^^
//    |
//    = help: maybe it is overwritten before being read?
//
method_twin! {
    compare: |s| s.method_assigning_a_field_of_mut_self();
    pub async fn method_assigning_a_field_of_mut_self(mut self) -> i64 {
        self.k = 0;
        0
    }
}

// divergence: drop-after-k: native drop, ours drop
// Found as function 42 of the run; minimized by explicit-async-fuzz.
// k=1: after "drop peek10 of 0": native "drop z 0", ours "drop d9 0"
twin! {
    compare: ();
    pub async fn operand_drops_before_statement_temporaries() {
        let mut t11 = (mk("z", 0), pair(&mk("z", 0), peek("peek10", &mk("d9", 0), 2).await));
    }
}

// divergence: log: native drop, ours drop
// Found as function 70 of the run; minimized by explicit-async-fuzz.
// after "mk z": native "drop z 0", ours "drop m18 0"
twin! {
    compare: ();
    pub async fn slot_and_older_local_end_together() -> bool {
        let [n30, n31, n32] = [0, 0, vec![pair(&(match mk("m18", 0) {
            D { n: n20, .. } if let Some(n24) = Some(0) => {
                val("a25", 0, 0).await;
                mk("z", 0)
            },
            D { n: n21, .. } => mk("z", 0),
        }), 0), 0].len() as i64];
        {
            return val("a38", 0, false).await;
        }
        false
    }
}

// divergence: log: native drop, ours new
// Found as function 12 of the run; minimized by explicit-async-fuzz.
// after "drop a11": native "drop z 0", ours "new a14"
pub mod lazy_and_condition_temporaries_in_panic_message {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn lazy_and_condition_temporaries_in_panic_message(&self) -> Option<i64> {
                    {
                        panic!("gave up at {}", {
                            if (val("a11", 0, mk("z", 0)).await.n() >= 0) && (val("a14", 0, 0).await == 0) {}
                            0
                        });
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
        crate::common::compare_panic(
            stringify!(lazy_and_condition_temporaries_in_panic_message),
            || async move {
                let mut s = native::S::new("self", 1);
                s.lazy_and_condition_temporaries_in_panic_message().await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.lazy_and_condition_temporaries_in_panic_message().await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut s = native::S::new("self", 1);
                s.lazy_and_condition_temporaries_in_panic_message().await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.lazy_and_condition_temporaries_in_panic_message().await
            },
        )
    }

    case_test!();
}

// divergence: log: native ready, ours drop
// Found as function 164 of the run; minimized by explicit-async-fuzz.
// after "new a2": native "ready a2", ours "drop z 0"
twin! {
    compare: ();
    pub async fn temporary_in_vec_macro_outlives_await() -> Result<i64, String> {
        let n3: i64 = val("a2", 0, vec![0, pair(&mk("z", 0), 0)]).await.len() as i64;
        Ok(0)
    }
}

// divergence: log: native drop, ours mk
// Found as function 80 of the run; minimized by explicit-async-fuzz.
// after "drop t15 0": native "drop z 0", ours "mk z"
twin! {
    compare: ();
    pub async fn lazy_and_left_temporaries_drop_before_right() -> i64 {
        if (P { a: mk("z", 0), b: mk("z", 0), k: pair(&mk("z", 0), pair(&mk("z", 0), 7)) }.k > mk("t15", val("a14", 0, 0).await).with(0).consume()) && (false || (({
            let mut d19: D = mk("z", 0);
            0
        }) > 0)) {} else {}
        0
    }
}

// divergence: log: native mk, ours drop
// Found as function 643 of the run; minimized by explicit-async-fuzz.
// after "mk z": native "mk z", ours "drop z 0"
twin! {
    compare: ();
    pub async fn receiver_temporary_in_vec_macro_of_for_head() -> i64 {
        for x4 in [0, vec![mk("z", 0).n(), 0][1], (async move {
            let mut n12 = pair(&mk("z", 0), 0);
            0
        }).await] {}
        0
    }
}

// divergence: log: native new, ours drop
// Found as function 460 of the run; minimized by explicit-async-fuzz.
// after "mk z": native "new a10", ours "drop z 0"
twin! {
    compare: ();
    pub async fn temporary_in_vec_macro_of_let_else_scrutinee() -> i64 {
        let Some(n7) = val("a10", 0, checked(vec![0, pair(&mk("z", 0), 0)][1])).await else {
            return 0;
        };
        let z14;
        {
            z14 = 0;
        }
        0
    }
}
