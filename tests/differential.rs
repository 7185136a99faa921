//! Differential tests: each corpus function as rustc's `async fn` and as
//! `#[explicit_async] async fn`, compared by `common::compare` (output, poll
//! count, drop log when completed and when dropped after every k polls,
//! the panic after `Ready`). One `#[test]` per case:
//! `cargo test --test differential -- corpus::control_flow::let_else`.

mod common;

/// Makes each corpus case a test (see `corpus/mod.rs`).
macro_rules! case_test {
    () => {
        #[test]
        fn matches_rustc() {
            check();
        }
    };
}

mod corpus;

/// The issue asks for at least 40 functions; keep the corpus above that.
#[test]
fn corpus_is_large() {
    let mut names: Vec<_> = corpus::all().iter().map(|case| case.name).collect();
    assert!(names.len() >= 45, "only {} cases", names.len());
    names.sort_unstable();
    names.dedup();
    assert_eq!(
        names.len(),
        corpus::all().len(),
        "a case is listed twice in corpus::all()"
    );
}

/// The harness itself must notice each kind of difference.
mod harness_self_test {
    use crate::common::*;
    use std::future::{Future, ready};
    use std::pin::Pin;
    use std::task::{Context, Poll};

    async fn reference() -> u32 {
        let a = D("a");
        let b = D("b");
        tick("t", 1).await;
        log(format!("{} {}", a.0, b.0));
        1
    }

    async fn other_output() -> u32 {
        let a = D("a");
        let b = D("b");
        tick("t", 1).await;
        log(format!("{} {}", a.0, b.0));
        2
    }

    async fn more_polls() -> u32 {
        let a = D("a");
        let b = D("b");
        tick("t", 2).await;
        log(format!("{} {}", a.0, b.0));
        1
    }

    async fn other_drop_order_when_suspended() -> u32 {
        let b = D("b");
        let a = D("a");
        tick("t", 1).await;
        log(format!("{} {}", a.0, b.0));
        drop(b);
        drop(a);
        1
    }

    /// `reference()`, except that polling after `Ready` returns `Pending`.
    struct NoPanicAfterReady<F>(Option<Pin<Box<F>>>);

    impl<F: Future> Future for NoPanicAfterReady<F> {
        type Output = F::Output;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
            let Some(inner) = self.0.as_mut() else {
                return Poll::Pending;
            };
            let out = inner.as_mut().poll(cx);
            if out.is_ready() {
                self.0 = None;
            }
            out
        }
    }

    fn detects<A: Future<Output = u32>>(what: &str, ours: impl Fn() -> A) {
        let outcome = catch_quietly(|| compare(what, reference, ours));
        take_log();
        assert!(outcome.is_err(), "the harness missed: {what}");
    }

    #[test]
    fn harness_detects_differences() {
        compare("identical", reference, reference);
        detects("another output", other_output);
        detects("one more Pending", more_polls);
        detects(
            "another drop order while suspended",
            other_drop_order_when_suspended,
        );
        detects("no panic after Ready", || {
            NoPanicAfterReady(Some(Box::pin(reference())))
        });
        detects("ready at once", || ready(1));
    }
}
