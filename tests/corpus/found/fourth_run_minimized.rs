//! The fourth run's finds (seed 31, 2,000 functions) as the fuzzer minimized
//! them, each with the error or divergence it showed; now fixed.
use super::prelude::*;

// build-defect: E0596: cannot borrow value as mutable, as it is not declared as mutable
// Found as function 362 of the run; minimized by explicit-async-fuzz.
// error[E0596]: cannot borrow value as mutable, as it is not declared as mutable
//   --> src/annotated.rs:59:17
//    |
// 59 |       log_i(twice(&mut (match mk("m3", val("a2", 0, mk("z", 0)).await.n()) {
//    |  _________________^
// 60 | |         D { n: n5, .. } => 0,
// 61 | |     })));
//    | |______^ cannot borrow as mutable
//    |
// help: consider changing this to be mutable
//    |
// 58 | mut #[explicit_async::explicit_async] pub async fn mut_borrow_of_a_match_value() -> D {
//    | +++
//
twin! {
    compare: ();
    pub async fn mut_borrow_of_a_match_value() -> D {
        log_i(twice(&mut (match mk("m3", val("a2", 0, mk("z", 0)).await.n()) {
            D { n: n5, .. } => 0,
        })));
        mk("z", 0)
    }
}

// build-defect: E0382: borrow of moved value
// Found as function 75 of the run; minimized by explicit-async-fuzz.
// error[E0382]: borrow of moved value
//   --> src/annotated.rs:65:77
//    |
// 65 | #[explicit_async::explicit_async] pub async fn ref_mut_argument_moved_into_a_move_closure(ref mut rm3: D) -> i64 {
//    | ---------------------------------                                           ^^^ value borrowed here after move
//    | |
//    | move occurs because value has type `&mut prelude::D`, which does not implement the `Copy` trait
// 66 |     let t15: (D, i64) = (val("a9", 0, mk("z", 0)).await, later("later13", 0, move || {
//    |                                                                              ------- value moved into closure here
// 67 |         rm3.n -= 0;
//    |         ----- variable moved due to use in closure
//
twin! {
    compare: (mk("arg4", 3));
    pub async fn ref_mut_argument_moved_into_a_move_closure(ref mut rm3: D) -> i64 {
        let t15: (D, i64) = (val("a9", 0, mk("z", 0)).await, later("later13", 0, move || {
            rm3.n -= 0;
            0
        }).await);
        0
    }
}

// build-defect: E0382: use of moved value: `_`
// Found as function 1539 of the run; minimized by explicit-async-fuzz.
// error[E0382]: use of moved value: `d24`
//   --> src/annotated.rs:75:23
//    |
// 73 | #[explicit_async::explicit_async] pub async fn guard_binding_moved_inside_its_guard() -> Result<i64, String> {
//    | --------------------------------- inside of this loop
// 74 |     match (match 0 {
// 75 |         6..=9 if let (d24, 0..=4) = (match (0, 0) {
//    |                       ^^^
//    |                       |
//    |                       value used here after move
//    |                       move occurs because `d24` has type `prelude::D`, which does not implement the `Copy` trait
// ...
// 78 |         }) && let (d25, 0..=6) = (d24, 0) => 0,
//    |                                   --- value moved here
//    |
// note: if `prelude::D` implemented `Clone`, you could clone the value
//   --> src/prelude.rs:50:1
//    |
// 50 | pub struct D {
//    | ^^^^^^^^^^^^ consider implementing `Clone` for this type
//    |
//   ::: src/annotated.rs:78:35
//    |
// 78 |         }) && let (d25, 0..=6) = (d24, 0) => 0,
//    |                                   --- you could clone this value
//
twin! {
    compare: ();
    pub async fn guard_binding_moved_inside_its_guard() -> Result<i64, String> {
        match (match 0 {
            6..=9 if let (d24, 0..=4) = (match (0, 0) {
                (n15, n16) if val("a21", 0, false).await => (mk("z", 0), 0),
                (n17, n18) => (mk("z", 0), 0),
            }) && let (d25, 0..=6) = (d24, 0) => 0,
            n5 => 0,
        }, 0) {
            _ => {},
        }
        Ok(0)
    }
}

// build-defect: E0309: the parameter type `_` may not live long enough
// Found as function 419 of the run; minimized by explicit-async-fuzz.
// error[E0309]: the parameter type `impl Probe + Debug` may not live long enough
//   --> src/annotated.rs:87:1
//    |
// 87 | #[explicit_async::explicit_async] pub async fn method_borrowing_an_impl_trait_argument(&self, x7: impl Probe + Debug) -> String {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    | |
//    | the parameter type `impl Probe + Debug` must be valid for the lifetime `'life0` as defined here...
//    | ...so that the type `impl Probe + Debug` will meet its required lifetime bounds
//    |
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
// help: consider adding an explicit lifetime bound
//    |
// 87 | #[explicit_async::explicit_async] pub async fn method_borrowing_an_impl_trait_argument(&self, x7: impl Probe + Debug + 'life0) -> String {
//    |                                                                                                   ++++++++
//
pub mod method_borrowing_an_impl_trait_argument {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn method_borrowing_an_impl_trait_argument(&self, x7: impl Probe + Debug) -> String {
                    format!("{}:{}", peek("peek8", &x7, 0).await, 0)
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
            stringify!(method_borrowing_an_impl_trait_argument),
            || async move {
                let mut s = native::S::new("self", 1);
                s.method_borrowing_an_impl_trait_argument(vec![3, 4]).await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.method_borrowing_an_impl_trait_argument(vec![3, 4]).await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut s = native::S::new("self", 1);
                s.method_borrowing_an_impl_trait_argument(vec![3, 4]).await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.method_borrowing_an_impl_trait_argument(vec![3, 4]).await
            },
        )
    }

    case_test!();
}

// build-defect: E0425: cannot find value `_` in this scope
// Found as function 1835 of the run; minimized by explicit-async-fuzz.
// error[E0425]: cannot find value `c1` in this scope
//   --> src/annotated.rs:94:64
//    |
// 94 |     while (c1 < 2) && (matches!(mk("t4", P { b: mk("z", 0), k: c1, a: mk("z", 0) }.k).n(), 1..=3 | 7) || val("a5", 0, false).await) {
//    |                                                                ^^ not found in this scope
//    |
// help: an identifier with the same name is defined here, but is not accessible due to macro hygiene
//   --> src/annotated.rs:92:1
//    |
// 92 | #[explicit_async::explicit_async] pub async fn struct_field_init_in_matches_macro() -> bool {
//    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//    = note: this error originates in the attribute macro `explicit_async::explicit_async` (in Nightly builds, run with -Z macro-backtrace for more info)
//
twin! {
    compare: ();
    pub async fn struct_field_init_in_matches_macro() -> bool {
        let mut c1: i64 = 0;
        while (c1 < 2) && (matches!(mk("t4", P { b: mk("z", 0), k: c1, a: mk("z", 0) }.k).n(), 1..=3 | 7) || val("a5", 0, false).await) {
            c1 += 1;
            let v11: Vec<i64> = vec![add(0, c1), 0];
        }
        false
    }
}

// build-defect: E0716: temporary value dropped while borrowed
// Found as function 38 of the run; minimized by explicit-async-fuzz.
// error[E0716]: temporary value dropped while borrowed
//    --> src/annotated.rs:107:24
//     |
// 101 | #[explicit_async::explicit_async] pub async fn pin_let_inside_an_opened_assert() -> i64 {
//     | ---------------------------------
//     | |                               |
//     | |                               temporary value is freed at the end of this statement
//     | borrow later used here
// ...
// 107 |             let pf13 = pin!(val("f12", 0, 0));
//     |                        ^^^^^^^^^^^^^^^^^^^^^^ creates a temporary value which is freed while still in use
//     |
//     = note: consider using a `let` binding to create a longer lived value
//
twin! {
    compare_panic: ();
    pub async fn pin_let_inside_an_opened_assert() -> i64 {
        assert!(add({
            let mut c1: i64 = 0;
            loop {
                c1 += 1;
                if c1 > 1 {}
                let pf13 = pin!(val("f12", 0, 0));
                assert!(false, "small: {}", pair(&mk("z", 0), {
                    val("a17", 0, 0).await;
                    0
                }));
            }
        }, 0) > 0, "small: {}", 0);
        0
    }
}

// divergence: log: native drop, ours new
// Found as function 565 of the run; minimized by explicit-async-fuzz.
// after "mk z": native "drop z 0", ours "new peek3 of 3"
method_twin! {
    compare: |s| s.format_macro_temporaries_before_a_later_await(3);
    pub async fn format_macro_temporaries_before_a_later_await(self, n1: i64) -> i64 {
        log_i([format!("{}-{}", (mk("z", 0), 0).1, 0).len() as i64, peek("peek3", &n1, 0).await, 0][0usize]);
        0
    }
}
