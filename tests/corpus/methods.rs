//! Scope: methods (`self`, `&self`, `&mut self`, `mut self`), in inherent
//! impls with and without generics, and in an `impl Trait for T` whose
//! trait declares `async fn`. `twin!` cannot add the attribute to methods
//! inside an impl, so `counter_impls!` writes the type and its impls once
//! and is invoked twice: plainly and with `#[explicit_async]` on every method.

use crate::common::*;
use std::future::Future;
use std::pin::Pin;

/// A trait declaring `async fn`: each `Counter` implements it, `ours` with
/// the attribute on the method.
pub trait Fetch {
    #[allow(async_fn_in_trait)] // only used in this crate, no `Send` bound needed
    async fn fetch(&self, n: u32) -> u32;
}

macro_rules! counter_impls {
    ($(#[$attr:meta])?) => {
        #[derive(Debug, PartialEq)]
        pub struct Counter {
            pub name: &'static str,
            pub count: u32,
        }

        impl Drop for Counter {
            fn drop(&mut self) {
                log(format!("drop counter {}@{}", self.name, self.count));
            }
        }

        impl Counter {
            pub fn new(name: &'static str) -> Counter {
                Counter { name, count: 0 }
            }

            fn step(&self) -> u32 {
                self.count + 1
            }

            $(#[$attr])?
            pub async fn by_ref(&self, k: u32) -> u32 {
                let a = val("by_ref", 1, k).await;
                self.step() + a + val("again", 0, self.count).await
            }

            $(#[$attr])?
            pub async fn by_mut(&mut self, k: u32) -> u32 {
                self.count += val("by_mut", 1, k).await;
                tick("t", 3).await;
                self.count += Self::new("temp").step();
                self.count
            }

            $(#[$attr])?
            pub async fn by_value(self, k: u32) -> u32 {
                let d = D("local");
                tick("by_value", 1).await;
                log(d.0);
                self.count + k
            }

            $(#[$attr])?
            pub async fn by_mut_value(mut self, k: u32) -> Self {
                self.count += val("by_mut_value", 1, k).await;
                Self { name: "rebuilt", count: self.count + val("more", 1, 1).await }
            }

            /// What `#[tracing::instrument]` expands to: the body in an
            /// `async move` block (capturing `self` through a field) awaited
            /// in a span.
            $(#[$attr])?
            pub async fn instrumented(&mut self, k: u32) -> u32 {
                let span = D("span");
                in_span(async move { self.count += val("inner", 1, k).await; self.count }, span).await
            }

            /// bb8's `on_acquire_connection`: the customizer's future
            /// borrows from both arguments, for the shorter of their lifetimes.
            $(#[$attr])?
            pub async fn on_acquire(&self, count: &mut u32) -> u32 {
                match self.customizer() {
                    Some(customizer) => customizer.on_acquire(count).await,
                    None => 0,
                }
            }

            fn customizer(&self) -> Option<&dyn Customize> {
                (self.count < 100).then_some(&ADD_STEP)
            }

            $(#[$attr])?
            pub async fn returns_borrow(&self) -> &str {
                tick("borrow", 1).await;
                self.name
            }
        }

        impl Fetch for Counter {
            $(#[$attr])?
            async fn fetch(&self, n: u32) -> u32 {
                let fetched = val("fetch", 1, n).await;
                fetched + self.count
            }
        }

        pub struct Wrapper<T> {
            pub items: Vec<T>,
        }

        impl<T: Clone + std::fmt::Debug> Wrapper<T> {
            $(#[$attr])?
            pub async fn get_or<U>(&self, i: usize, default: U) -> Result<T, U>
            where
                U: Into<String> + std::fmt::Debug,
            {
                let i = val("index", 1, i).await;
                match self.items.get(i) {
                    Some(item) => Ok(val("item", 1, item.clone()).await),
                    None => Err(default),
                }
            }
        }
    };
}

/// A connection customizer as bb8 declares it: a boxed future that
/// borrows both arguments.
pub trait Customize {
    fn on_acquire<'a>(&'a self, count: &'a mut u32) -> Pin<Box<dyn Future<Output = u32> + 'a>>;
}

pub struct AddStep(u32);

static ADD_STEP: AddStep = AddStep(1);

impl Customize for AddStep {
    fn on_acquire<'a>(&'a self, count: &'a mut u32) -> Pin<Box<dyn Future<Output = u32> + 'a>> {
        Box::pin(async move {
            *count += val("customize", 1, self.0).await;
            *count
        })
    }
}

/// Awaits `f` inside `span` (as `tracing::Instrument::instrument` does).
pub async fn in_span<F: std::future::Future>(f: F, span: D) -> F::Output {
    log(format!("enter {}", span.0));
    let out = f.await;
    log(format!("exit {}", span.0));
    out
}

pub mod native {
    use super::*;
    counter_impls!();
}

pub mod ours {
    use super::*;
    counter_impls!(#[explicit_async::explicit_async]);
}

/// A case for one method: `check` and `sizes` get the receiver-making and
/// call expressions for each side. The by-reference methods borrow a
/// counter that outlives the futures; `&mut self` runs inside an identical
/// `async` wrapper on both sides, so the closure can own the counter.
macro_rules! method_case {
    ($case:ident, |$native:ident, $ours:ident| $setup:block, $native_call:expr, $ours_call:expr) => {
        pub mod $case {
            use super::*;

            pub fn check() {
                let ($native, $ours) = $setup;
                compare(stringify!($case), || $native_call, || $ours_call);
                drop(($native, $ours));
                take_log();
            }

            pub fn sizes() -> Sizes {
                let ($native, $ours) = $setup;
                let sizes = crate::common::sizes(|| $native_call, || $ours_call);
                drop(($native, $ours));
                take_log();
                sizes
            }

            case_test!();
        }
    };
    ($case:ident, $native_call:expr, $ours_call:expr) => {
        pub mod $case {
            use super::*;

            pub fn check() {
                compare(stringify!($case), || $native_call, || $ours_call);
            }

            pub fn sizes() -> Sizes {
                crate::common::sizes(|| $native_call, || $ours_call)
            }

            case_test!();
        }
    };
}

fn counters(name: &'static str) -> (native::Counter, ours::Counter) {
    (native::Counter::new(name), ours::Counter::new(name))
}

method_case!(
    by_ref,
    |n, o| { counters("shared") },
    n.by_ref(2),
    o.by_ref(2)
);
method_case!(
    returns_borrow,
    |n, o| { counters("shared") },
    n.returns_borrow(),
    o.returns_borrow()
);
method_case!(
    on_acquire,
    async {
        let (counter, mut count) = (native::Counter::new("pool"), 2);
        counter.on_acquire(&mut count).await + count
    },
    async {
        let (counter, mut count) = (ours::Counter::new("pool"), 2);
        counter.on_acquire(&mut count).await + count
    }
);
method_case!(
    by_mut,
    async {
        let mut c = native::Counter::new("owned");
        c.by_mut(3).await
    },
    async {
        let mut c = ours::Counter::new("owned");
        c.by_mut(3).await
    }
);
method_case!(
    instrumented,
    async {
        let mut c = native::Counter::new("instrumented");
        c.instrumented(3).await
    },
    async {
        let mut c = ours::Counter::new("instrumented");
        c.instrumented(3).await
    }
);
method_case!(
    by_value,
    native::Counter::new("v").by_value(1),
    ours::Counter::new("v").by_value(1)
);
method_case!(
    by_mut_value,
    async { native::Counter::new("mv").by_mut_value(2).await.count },
    async { ours::Counter::new("mv").by_mut_value(2).await.count }
);
method_case!(
    trait_impl,
    |n, o| { counters("trait") },
    n.fetch(5),
    o.fetch(5)
);
method_case!(
    generic_method,
    |n, o| {
        (
            native::Wrapper {
                items: vec!["w0", "w1"],
            },
            ours::Wrapper {
                items: vec!["w0", "w1"],
            },
        )
    },
    n.get_or(1, "none"),
    o.get_or(1, "none")
);
method_case!(
    generic_method_default,
    |n, o| {
        (
            native::Wrapper { items: vec![1u64] },
            ours::Wrapper { items: vec![1u64] },
        )
    },
    n.get_or(5, String::from("none")),
    o.get_or(5, String::from("none"))
);
