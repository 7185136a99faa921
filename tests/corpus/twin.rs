//! `twin!`: one `async fn` written twice, as rustc's and under
//! `#[explicit_async]`, compared by `check()`. Shared by the corpus and by
//! the Rust 2021 crate (`tests/edition2021`).

/// Writes one `async fn` twice: `native` as written, `ours` under
/// `#[explicit_async]`, each in its own module so both keep the fn's name
/// (and the expansion's enum is named after it).
///
/// ```ignore
/// twin! {
///     compare: (1, 2), (3, 4);          // or `compare_panic:`; the calls to check
///     pub async fn add(a: u32, b: u32) -> u32 { a + val("b", 1, b).await }
/// }
/// ```
/// `sizes()` uses the first call. The fn must be visible to its case module
/// (`pub` or `pub(super)`): the expansion must keep the visibility.
macro_rules! twin {
    (
        $check:ident: ($($arg0:expr),* $(,)?) $(, ($($arg:expr),* $(,)?))* ;
        $(#[$attr:meta])*
        $vis:vis async fn $name:ident $($sig_and_body:tt)*
    ) => {
        pub mod $name {
            #[allow(unused_imports)]
            use super::*;

            pub mod native {
                #[allow(unused_imports)]
                use super::super::*;
                $(#[$attr])*
                $vis async fn $name $($sig_and_body)*
            }

            pub mod ours {
                #[allow(unused_imports)]
                use super::super::*;
                #[explicit_async::explicit_async]
                $(#[$attr])*
                $vis async fn $name $($sig_and_body)*
            }

            pub fn check() {
                $crate::common::$check(
                    concat!(stringify!($name), stringify!(($($arg0),*))),
                    || native::$name($($arg0),*),
                    || ours::$name($($arg0),*),
                );
                $(
                    $crate::common::$check(
                        concat!(stringify!($name), stringify!(($($arg),*))),
                        || native::$name($($arg),*),
                        || ours::$name($($arg),*),
                    );
                )*
            }

            pub fn sizes() -> $crate::common::Sizes {
                $crate::common::sizes(|| native::$name($($arg0),*), || ours::$name($($arg0),*))
            }

            case_test!();
        }
    };
    // `async unsafe fn`: the same, with the calls in `unsafe` blocks.
    (
        $check:ident: ($($arg0:expr),* $(,)?) $(, ($($arg:expr),* $(,)?))* ;
        $(#[$attr:meta])*
        $vis:vis async unsafe fn $name:ident $($sig_and_body:tt)*
    ) => {
        pub mod $name {
            #[allow(unused_imports)]
            use super::*;

            pub mod native {
                #[allow(unused_imports)]
                use super::super::*;
                $(#[$attr])*
                $vis async unsafe fn $name $($sig_and_body)*
            }

            pub mod ours {
                #[allow(unused_imports)]
                use super::super::*;
                #[explicit_async::explicit_async]
                $(#[$attr])*
                $vis async unsafe fn $name $($sig_and_body)*
            }

            // SAFETY (all calls below): the corpus passes only arguments the fn's contract allows.
            pub fn check() {
                $crate::common::$check(
                    concat!(stringify!($name), stringify!(($($arg0),*))),
                    || unsafe { native::$name($($arg0),*) },
                    || unsafe { ours::$name($($arg0),*) },
                );
                $(
                    $crate::common::$check(
                        concat!(stringify!($name), stringify!(($($arg),*))),
                        || unsafe { native::$name($($arg),*) },
                        || unsafe { ours::$name($($arg),*) },
                    );
                )*
            }

            pub fn sizes() -> $crate::common::Sizes {
                $crate::common::sizes(
                    || unsafe { native::$name($($arg0),*) },
                    || unsafe { ours::$name($($arg0),*) },
                )
            }

            case_test!();
        }
    };
}

/// `twin!` for a method of the fuzzer's receiver `S` (see `receiver!()`):
/// `S` and the method are written twice, `native` as written and `ours`
/// under `#[explicit_async]`. `$call` makes the future from `$receiver`, a
/// fresh `S::new("self", 1)` (an `async move` block for `&self` and `&mut
/// self`, which must own it).
///
/// ```ignore
/// method_twin! {
///     compare: |s| async move { s.get_k().await };
///     pub async fn get_k(&mut self) -> i64 { val("a", 1, self.k).await }
/// }
/// ```
#[allow(unused_macros)] // the Rust 2021 crate has no method case
macro_rules! method_twin {
    (
        $check:ident: |$receiver:ident| $call:expr;
        $(#[$attr:meta])*
        $vis:vis async fn $name:ident $($sig_and_body:tt)*
    ) => {
        pub mod $name {
            #[allow(unused_imports)]
            use super::*;

            pub mod native {
                #[allow(unused_imports)]
                use super::super::*;
                receiver!();
                impl S {
                    $(#[$attr])*
                    $vis async fn $name $($sig_and_body)*
                }
            }

            pub mod ours {
                #[allow(unused_imports)]
                use super::super::*;
                receiver!();
                impl S {
                    #[explicit_async::explicit_async]
                    $(#[$attr])*
                    $vis async fn $name $($sig_and_body)*
                }
            }

            #[allow(unused_mut)]
            pub fn check() {
                $crate::common::$check(
                    stringify!($name),
                    || {
                        let mut $receiver = native::S::new("self", 1);
                        $call
                    },
                    || {
                        let mut $receiver = ours::S::new("self", 1);
                        $call
                    },
                );
            }

            #[allow(unused_mut)]
            pub fn sizes() -> $crate::common::Sizes {
                $crate::common::sizes(
                    || {
                        let mut $receiver = native::S::new("self", 1);
                        $call
                    },
                    || {
                        let mut $receiver = ours::S::new("self", 1);
                        $call
                    },
                )
            }

            case_test!();
        }
    };
}
