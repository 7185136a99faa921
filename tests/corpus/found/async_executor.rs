//! The finds of async-executor 1.14.1 (`tools/annotate -- crate
//! async-executor`), minimized by hand onto the fuzzer's prelude.

use super::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A combinator that takes the future it wraps, as `futures_lite`'s
/// `FutureExt::or`: it logs when the future it wraps is ready.
pub struct Logged<F> {
    inner: F,
    name: &'static str,
}

pub trait LogExt: Future + Sized {
    fn logged(self, name: &'static str) -> Logged<Self> {
        log(format!("new logged {name}"));
        Logged { inner: self, name }
    }
}

impl<F: Future> LogExt for F {}

impl<F: Future + Unpin> Future for Logged<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let output = std::task::ready!(Pin::new(&mut self.inner).poll(cx));
        log(format!("ready logged {}", self.name));
        Poll::Ready(output)
    }
}

impl<F> Drop for Logged<F> {
    fn drop(&mut self) {
        log(format!("drop logged {}", self.name));
    }
}

// build defect (E0507, `PriorityExecutor::run`): `t0.or(t1).or(t2).await`.
// A chain is awaited inside an `async` block that keeps its temporaries,
// where rustc decides how each method takes its receiver. That block
// captured `t0` by reference, as if `or` borrowed it, so `t0` went into a
// slot, and `or` could not move it out. The root of a chain not used after
// the await is now guessed consumed, like the receiver of one call.
twin! {
    compare: (2);
    pub async fn chain_of_combinators_on_a_local_future(n: i64) -> i64 {
        let first = guard("g", n).release(1);
        let late = mk("late", n);
        first.logged("a").logged("b").await + late.n
    }
}

// build defect (E0507, `State::run`): `future.or(run_forever).await`, where
// `future` is an argument typed `impl Future`. Arguments were never guessed
// consumed (one may be a reference); one that is a future by value is
// now: what is awaited on it is a combinator that takes it.
twin! {
    compare: (guard("arg", 4).release(2));
    pub async fn combinator_on_a_future_argument(fut: impl Future<Output = i64> + Unpin) -> i64 {
        let d = mk("d", 1);
        fut.logged("a").await + d.n
    }
}

// The same with a generic parameter bounded by `Future`.
twin! {
    compare: (guard("arg", 4).release(1));
    pub async fn combinator_on_a_generic_future_argument<F: Future<Output = i64> + Unpin>(fut: F) -> i64 {
        let d = mk("d", 1);
        let n = fut.logged("a").await;
        n + d.n
    }
}
