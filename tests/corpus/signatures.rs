//! Scope: free fns, generics with bounds and where clauses, lifetimes,
//! `impl Trait` arguments, pattern arguments, `unsafe async fn`,
//! visibility and attributes kept. (Methods are in `methods.rs`.)

use crate::common::*;
use std::fmt::{Debug, Display};
use std::future::Future;

twin! {
    compare: ();
    pub async fn no_args() -> u32 {
        val("a", 1, 7).await
    }
}

twin! {
    compare: ();
    pub(super) async fn unit_return() {
        tick("t1", 3).await;
        log("between");
        tick("t2", 0).await;
    }
}

twin! {
    compare: (D("p"), D("q"), 3), (D("p"), D("q"), 0);
    pub async fn args_by_value(p: D, q: D, n: u32) -> u32 {
        log(format!("start {} {}", p.0, q.0));
        let m = val("n", n, n).await;
        drop(p);
        tick("t", 1).await;
        m + q.0.len() as u32
    }
}

twin! {
    compare: (D("underscore"), D("unused"), 2);
    /// `_` and unused arguments live until the future completes or is dropped.
    pub async fn unused_args(_: D, _unused: D, n: u32) -> u32 {
        tick("t1", 1).await;
        let m = val("m", 3, n * 2).await;
        m + 1
    }
}

twin! {
    compare: (5u32, 2), (String::from("s"), 1);
    pub async fn generic_bounds<T: Clone + Debug + PartialEq + Unpin>(x: T, n: u32) -> (T, Vec<T>) {
        let first = val("first", n, x.clone()).await;
        let mut all = vec![first];
        for i in 0..n {
            all.push(val("more", i, x.clone()).await);
        }
        log(format!("{all:?}"));
        (x, all)
    }
}

twin! {
    compare: ("label", vec![1, 2, 3]), (7u8, vec![]);
    pub async fn where_clause<T, I>(label: T, items: I) -> String
    where
        T: Display,
        I: IntoIterator<Item = u32>,
        I::IntoIter: ExactSizeIterator,
    {
        let items = items.into_iter();
        let count = val("count", 1, items.len()).await;
        let sum: u32 = items.sum();
        format!("{label}: {count} items, sum {}", val("sum", 0, sum).await)
    }
}

twin! {
    compare: ("hello world", &[3, 1, 2]);
    pub async fn lifetimes<'a, 'b: 'a>(text: &'a str, numbers: &'b [u32]) -> (&'a str, &'b u32) {
        let word = text.split(' ').next().unwrap_or(text);
        tick("t", 1).await;
        let max = numbers.iter().max().unwrap_or(&0);
        let max = val("max", 3, max).await;
        (word, max)
    }
}

twin! {
    compare: ("abc");
    pub async fn elided_lifetime(text: &str) -> &str {
        val("t", 1, ()).await;
        &text[1..]
    }
}

twin! {
    compare: (vec![1, 2, 3], |x| x * 10), (None, |x| x + 1);
    pub async fn impl_trait_args(items: impl IntoIterator<Item = u32>, f: impl Fn(u32) -> u32) -> u32 {
        let mut sum = 0;
        for x in items {
            sum += val("item", x % 2, f(x)).await;
        }
        sum
    }
}

twin! {
    compare: (val("arg", 3, 4)), (std::future::ready(1));
    pub async fn impl_future_arg(fut: impl Future<Output = u32>) -> u32 {
        tick("before", 1).await;
        fut.await + 1
    }
}

pub struct Point {
    pub x: u32,
    pub y: u32,
}

twin! {
    compare: ((1, 2), D("ignored"), Point { x: 3, y: 4 }, [5, 6]);
    pub async fn pattern_args((a, b): (u32, u32), _: D, Point { x, y: why }: Point, [c, _]: [u8; 2]) -> u32 {
        let s = val("a", 1, a).await + b;
        s + x + why + u32::from(c) + val("c", 0, 1).await
    }
}

twin! {
    compare: (1, vec![1]);
    pub async fn mut_args(mut n: u32, mut v: Vec<u32>) -> (u32, Vec<u32>) {
        n += val("n", 1, 10).await;
        v.push(n);
        tick("t", 1).await;
        v.push(n * 2);
        (n, v)
    }
}

twin! {
    compare: (&42u32), (&7u32);
    /// # Safety
    /// `p` must point to a `u32` valid for the whole life of the future.
    pub async unsafe fn unsafe_fn(p: *const u32) -> u32 {
        tick("t", 1).await;
        // SAFETY: the caller guarantees `p` is valid.
        unsafe { *p + val("v", 1, 1).await }
    }
}

twin! {
    compare: (3);
    /// Attributes on the fn are kept: without this `allow`, the unused
    /// `spare` variable would fail `-D warnings`.
    #[allow(unused_variables)]
    #[inline]
    pub async fn attributes_kept(n: u32) -> u32 {
        let spare = val("spare", 1, n).await;
        n
    }
}

twin! {
    compare: (3), (0);
    /// Recursion through `Box::pin` (DESIGN §3.5): each twin calls itself.
    pub async fn recursion(n: u32) -> u32 {
        if n == 0 {
            val("base", 1, 0).await
        } else {
            let rest = Box::pin(recursion(n - 1)).await;
            n + rest
        }
    }
}

/// Awaiting a value that is `IntoFuture` but not a `Future`.
pub struct Later(pub u32);

impl std::future::IntoFuture for Later {
    type Output = u32;
    type IntoFuture = Leaf<u32>;
    fn into_future(self) -> Leaf<u32> {
        log(format!("into_future {}", self.0));
        val("later", 1, self.0)
    }
}

twin! {
    compare: (Later(5));
    pub async fn into_future_operands(arg: Later) -> u32 {
        let a = Later(noted_u32("operand", 1)).await;
        a + arg.await
    }
}

pub fn noted_u32(what: &'static str, value: u32) -> u32 {
    log(format!("eval {what}"));
    value
}

/// `-> impl Trait`: the two outputs are different opaque types, so the
/// check compares them through `Display`, in the same wrapper on both sides.
pub mod impl_trait_return {
    use super::*;

    pub mod native {
        use super::*;
        pub async fn impl_trait_return(n: u32) -> impl Display + Debug {
            let text = format!("{} items", val("n", 1, n).await);
            tick("t", 1).await;
            text
        }
    }

    pub mod ours {
        use super::*;
        #[explicit_async::explicit_async]
        pub async fn impl_trait_return(n: u32) -> impl Display + Debug {
            let text = format!("{} items", val("n", 1, n).await);
            tick("t", 1).await;
            text
        }
    }

    pub fn check() {
        compare(
            "impl_trait_return(2)",
            || async { native::impl_trait_return(2).await.to_string() },
            || async { ours::impl_trait_return(2).await.to_string() },
        );
    }

    pub fn sizes() -> Sizes {
        crate::common::sizes(
            || native::impl_trait_return(2),
            || ours::impl_trait_return(2),
        )
    }

    case_test!();
}

twin! {
    compare: (4);
    /// Items declared inside the body (a const, a fn, a struct, a `use`).
    pub async fn items_in_body(n: u32) -> u32 {
        use std::ops::Add;
        const OFFSET: u32 = 100;
        struct Scaled(u32);
        fn scale(x: u32) -> Scaled {
            Scaled(x * 3)
        }
        let s = scale(val("n", 1, n).await);
        tick("t", 1).await;
        s.0.add(OFFSET)
    }
}

/// `#[explicit_async(trace)]` reports transitions (to stderr by default,
/// captured by the test harness) and must not change behaviour.
pub mod traced {
    use super::*;

    macro_rules! traced_body {
        ($(#[$attr:meta])?) => {
            $(#[$attr])?
            pub async fn traced(n: u32) -> Result<u32, SmallError> {
                let d = D("local");
                let a = val("a", 1, n).await;
                if a == 0 {
                    return Err(SmallError(0));
                }
                tick("t", 3).await;
                log(d.0);
                Ok(a + 1)
            }
        };
    }

    #[derive(Debug, PartialEq)]
    pub struct SmallError(pub u32);

    pub mod native {
        use super::*;
        traced_body!();
    }

    pub mod ours {
        use super::*;
        traced_body!(#[explicit_async::explicit_async(trace)]);
    }

    pub fn check() {
        compare("traced(2)", || native::traced(2), || ours::traced(2));
        compare("traced(0)", || native::traced(0), || ours::traced(0));
    }

    pub fn sizes() -> Sizes {
        crate::common::sizes(|| native::traced(2), || ours::traced(2))
    }

    case_test!();
}

/// A type named like the function's state machine would be (`NamedLikeFn`).
#[derive(Debug, PartialEq)]
pub struct NamedLikeFn(pub u32);

twin! {
    compare: (2);
    pub async fn named_like_fn(n: u32) -> NamedLikeFn {
        NamedLikeFn(val("n", 1, n).await)
    }
}

twin! {
    compare: (D("arg"), 2);
    /// A `ref mut` argument pattern, borrowed again across an await.
    #[allow(clippy::toplevel_ref_arg)] // the form under test
    pub async fn ref_mut_argument(ref mut d: D, k: u32) -> u32 {
        tick("t", 1).await;
        d.0 = "renamed";
        let r = &mut *d;
        tick("t2", 1).await;
        r.0.len() as u32 + k
    }
}
