//! The finds of tokio-util 0.7.20 (`tools/annotate -- crate tokio-util
//! --features full`), minimized by hand onto the fuzzer's prelude.

use super::prelude::*;

/// A queue generic over what it holds, as tokio-util's `JoinQueue<T>`:
/// written once plainly and once under `#[explicit_async]`.
macro_rules! queue_impls {
    ($($attr:tt)*) => {
        pub struct Queue<T>(pub Vec<T>, pub D);

        impl<T> Queue<T> {
            pub async fn join_next(&mut self) -> Option<T> {
                val("next", 1, ()).await;
                self.0.pop()
            }

            $($attr)*
            pub async fn join_all(mut self) -> Vec<T> {
                let mut output = Vec::with_capacity(self.0.len());
                while let Some(t) = self.join_next().await {
                    output.push(t);
                }
                output
            }
        }
    };
}

// build defect (E0310, `JoinQueue::join_all(mut self)` in `impl<T>
// JoinQueue<T>`): the future of `self.join_next().await` borrows `self`,
// its type `JoinNext<'_, T>`. The method has no generics of its own, so it
// had no `'machine`: the state's lifetime was `'static`, and so `T:
// 'static`. `self` by value awaited now gives the method a `'machine`,
// bounded by `Self: 'machine`.
pub mod method_taking_self_of_a_generic_impl_awaits_a_borrow_of_it {
    use super::*;

    mod native {
        use super::*;
        queue_impls!();
    }

    mod ours {
        use super::*;
        queue_impls!(#[explicit_async::explicit_async]);
    }

    pub fn check() {
        let item = mk("borrowed", 5);
        crate::common::compare(
            "join_all",
            || native::Queue(vec![&item, &item], mk("queue", 1)).join_all(),
            || ours::Queue(vec![&item, &item], mk("queue", 1)).join_all(),
        );
        drop(item);
        take_log();
    }

    pub fn sizes() -> crate::common::Sizes {
        let item = mk("borrowed", 5);
        let sizes = crate::common::sizes(
            || native::Queue(vec![&item], mk("queue", 1)).join_all(),
            || ours::Queue(vec![&item], mk("queue", 1)).join_all(),
        );
        drop(item);
        take_log();
        sizes
    }

    case_test!();
}

/// A trait whose method takes `self` by value, implemented for a type
/// whose method's future borrows it: written once plainly and once under
/// `#[explicit_async]`.
macro_rules! consume_impls {
    ($($attr:tt)*) => {
        pub trait Consume {
            async fn consume_all(self) -> i64;
        }

        pub struct Holder(pub D);

        impl Holder {
            pub async fn peek_own(&self) -> i64 {
                val("own", 1, self.0.n).await
            }
        }

        impl Consume for Holder {
            $($attr)*
            async fn consume_all(self) -> i64 {
                self.peek_own().await + 1
            }
        }
    };
}

// The guard of the fix above: a method of a trait's `impl` (no visibility)
// keeps the trait's signature, with no `'machine` (E0195 otherwise); its
// `Self` is the impl's type, `'static` here.
pub mod method_of_a_trait_impl_taking_self_awaits_a_borrow_of_it {
    use super::*;

    mod native {
        use super::*;
        consume_impls!();
    }

    mod ours {
        use super::*;
        consume_impls!(#[explicit_async::explicit_async]);
    }

    pub fn check() {
        use native::Consume as _;
        use ours::Consume as _;
        crate::common::compare(
            "consume_all",
            || native::Holder(mk("held", 4)).consume_all(),
            || ours::Holder(mk("held", 4)).consume_all(),
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        use native::Consume as _;
        use ours::Consume as _;
        crate::common::sizes(
            || native::Holder(mk("held", 4)).consume_all(),
            || ours::Holder(mk("held", 4)).consume_all(),
        )
    }

    case_test!();
}

/// futures' `FutureExt::now_or_never`: polls once, with a waker that does nothing.
pub trait NowOrNever: Future + Sized {
    fn now_or_never(self) -> Option<Self::Output> {
        let waker = std::task::Waker::noop();
        match pin!(self).poll(&mut std::task::Context::from_waker(waker)) {
            std::task::Poll::Ready(value) => Some(value),
            std::task::Poll::Pending => None,
        }
    }
}

impl<F: Future> NowOrNever for F {}

// build defect (E0382, tokio-util's test `join_map_coop`: `match
// map.join_next().now_or_never() { .. None => { yield_now().await; continue
// } .. }`): the scrutinee's receiver, a future, was kept to the end of the
// `match` (across the arm's await) as if `now_or_never` borrowed it, which
// moves it. futures' combinators that take a future by value under names
// nothing else uses (`now_or_never`, `shared`, ...) now consume it.
twin! {
    compare: (1), (2);
    pub async fn future_polled_once_by_value_in_a_scrutinee_whose_arm_awaits(k: i64) -> i64 {
        let mut map = vec![mk("a", 1), mk("b", 2), mk("c", k)];
        let mut count = 0;
        loop {
            match val("next", (map.len() % 2) as u32, map.pop()).now_or_never() {
                Some(Some(d)) => count += d.n,
                None => {
                    tick("yield", 1).await;
                    continue;
                }
                Some(None) => break,
            }
        }
        count
    }
}
