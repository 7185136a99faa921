//! The six workloads of issue 9 and one of the slots an arm releases, each
//! body written once and compiled twice:
//! as rustc's `async fn` (`NAME::native`) and under `#[explicit_async]`
//! (`NAME::ours`). Shared by the instruction counter (`tools/icount`) and the
//! time-based bench (`benches/expansion.rs`, which includes this file), so
//! both measure the same code.
//!
//! A run is what an executor does with a task: create the future, poll it
//! to completion, drop it. The polls go through `Pin<&mut dyn Future>`, as
//! an executor's do, so each future's `poll` is compiled on its own and not
//! folded into the loop that drives it. Every leaf is `Pending` once (waking
//! a no-op waker) before it is `Ready`, so each await suspends once.

use explicit_async::explicit_async;
use std::future::Future;
use std::hint::black_box;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

/// Pending `pendings` times (waking its waker), then `Ready(value)`.
pub struct Leaf {
    pendings: u32,
    value: u64,
}

impl Future for Leaf {
    type Output = u64;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u64> {
        if self.pendings == 0 {
            return Poll::Ready(self.value);
        }
        self.pendings -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A leaf that suspends once, then yields `value`.
pub fn leaf(value: u64) -> Leaf {
    Leaf { pendings: 1, value }
}

/// A counter read through a caller's buffer, like `stream.read(&mut buf)`:
/// the read future borrows both until it completes.
pub struct Source(u64);

impl Source {
    async fn read(&mut self, buf: &mut [u64; 8]) -> usize {
        leaf(0).await;
        self.0 += 1;
        buf[0] = self.0;
        buf.len()
    }
}

/// A guard that futures borrow and a method consumes at the end, as
/// deadpool's `UnreadyObject` (its names are not ones the transform knows).
pub struct Guard(String);

impl Guard {
    async fn checked(&self, value: u64) -> u64 {
        leaf(value).await + self.0.len() as u64
    }

    fn settle(self) -> u64 {
        self.0.len() as u64
    }
}

/// Polls a future to completion with a no-op waker, through `dyn Future`.
#[inline(never)]
fn poll_to_completion(mut fut: Pin<&mut dyn Future<Output = u64>>) -> u64 {
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = fut.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// One run: `fut` (just created by the caller) polled to completion, then
/// dropped.
#[inline(always)]
fn complete(fut: impl Future<Output = u64>) -> u64 {
    let fut = pin!(fut);
    poll_to_completion(fut)
}

/// One of the two compilations of a workload.
#[derive(Clone, Copy)]
pub struct Flavor {
    /// Creates the future with the given argument, polls it to completion
    /// and drops it; returns its output.
    pub run: fn(u64) -> u64,
    /// `size_of_val` of the future, created and never polled.
    pub size: fn() -> usize,
}

/// A body, its argument, and its two compilations.
#[derive(Clone, Copy)]
pub struct Workload {
    /// As printed in the tables.
    pub name: &'static str,
    pub arg: u64,
    pub native: Flavor,
    pub ours: Flavor,
}

/// Writes each workload's fns twice, `native` as written and `ours` under
/// `#[explicit_async]`, in modules of their own (so each keeps its name, and
/// calls between them stay within one compilation), and lists them in
/// [`WORKLOADS`]. The first fn of a workload is the one measured.
macro_rules! workloads {
    ($(
        $(#[doc = $doc:literal])*
        $module:ident($label:literal, $arg:literal) {
            $(async fn $fn:ident($($param:ident: $ty:ty),*) -> $ret:ty $body:block)+
        }
    )*) => {
        $(
            $(#[doc = $doc])*
            pub mod $module {
                pub mod native {
                    #[allow(unused_imports)]
                    use super::super::*;
                    $(pub async fn $fn($($param: $ty),*) -> $ret $body)+
                }
                pub mod ours {
                    #[allow(unused_imports)]
                    use super::super::*;
                    $(#[explicit_async] pub async fn $fn($($param: $ty),*) -> $ret $body)+
                }
            }
        )*

        /// Every workload, in the order.
        pub const WORKLOADS: &[Workload] = &[$(
            workloads!(@entry $module, $label, $arg, $($fn)+)
        ),*];
    };
    (@entry $module:ident, $label:literal, $arg:literal, $entry:ident $($rest:ident)*) => {
        Workload {
            name: $label,
            arg: $arg,
            native: Flavor {
                run: |arg| complete($module::native::$entry(black_box(arg))),
                size: || size_of_val(&$module::native::$entry($arg)),
            },
            ours: Flavor {
                run: |arg| complete($module::ours::$entry(black_box(arg))),
                size: || size_of_val(&$module::ours::$entry($arg)),
            },
        }
    };
}

workloads! {
    /// The post's `example(min_len)`, with a number for a file.
    textbook("textbook", 5) {
        async fn textbook(min_len: u64) -> u64 {
            let content = leaf(3).await;
            if content < min_len { content + leaf(4).await } else { content }
        }
    }

    /// One await in a loop, resumed 100 times.
    loop_sum("loop of 100 awaits", 100) {
        async fn loop_sum(n: u64) -> u64 {
            let mut total = 0;
            for i in 0..n {
                total += leaf(i).await;
            }
            total
        }
    }

    /// A sub-future that borrows two locals (the source and the buffer)
    /// while it is awaited.
    borrowed_buffer("borrowed-buffer read loop", 50) {
        async fn borrowed_buffer(rounds: u64) -> u64 {
            let mut source = Source(0);
            let mut buf = [0u64; 8];
            let mut sum = 0;
            for _ in 0..rounds {
                let n = source.read(&mut buf).await;
                sum += buf[0] + n as u64;
            }
            sum
        }
    }

    /// Four awaits, one per arm, each arm taken twice; the `u64` locals
    /// live across every await.
    match_arms("4 awaits across match arms", 8) {
        async fn match_arms(rounds: u64) -> u64 {
            let mut acc = 0;
            let mut phase = 0;
            for x in 0..rounds {
                phase = match phase {
                    0 => {
                        acc ^= leaf(x).await;
                        1
                    }
                    1 => {
                        acc += leaf(x).await;
                        2
                    }
                    2 => {
                        acc = acc.wrapping_mul(leaf(x | 1).await);
                        3
                    }
                    _ => {
                        acc -= acc.min(leaf(x).await);
                        0
                    }
                };
            }
            acc
        }
    }

    /// A `String`, a `Vec` and a `Box` created before ten awaits and used
    /// after them: each state holds the three.
    non_copy_locals("3 non-Copy locals across 10 awaits", 7) {
        async fn non_copy_locals(seed: u64) -> u64 {
            let name = String::from("explicit");
            let values = vec![seed, seed + 1];
            let boxed = Box::new(seed);
            let mut total = 0;
            total += leaf(1).await;
            total += leaf(2).await;
            total += leaf(3).await;
            total += leaf(4).await;
            total += leaf(5).await;
            total += leaf(6).await;
            total += leaf(7).await;
            total += leaf(8).await;
            total += leaf(9).await;
            total += leaf(10).await;
            total + name.len() as u64 + values.iter().sum::<u64>() + *boxed
        }
    }

    /// A guard a future borrows, then a loop of awaits, then a method that
    /// consumes the guard: the arm after the loop's await moves it out of
    /// its slot, and puts it back on the way round
    /// (`macros/transform/src/release.rs`).
    released_guard("guard consumed after a loop of 10 awaits", 10) {
        async fn released_guard(rounds: u64) -> u64 {
            let guard = Guard(String::from("guard"));
            let mut total = 0;
            guard.checked(0).await;
            let mut i = 0;
            loop {
                total += leaf(i).await;
                i += 1;
                if i >= rounds {
                    break;
                }
            }
            total + guard.settle()
        }
    }

    /// Eight async fns, each awaiting the next; the innermost awaits a leaf.
    chain("8-deep chain of async fns", 1) {
        async fn chain8(x: u64) -> u64 { chain7(x).await + 1 }
        async fn chain7(x: u64) -> u64 { chain6(x).await + 1 }
        async fn chain6(x: u64) -> u64 { chain5(x).await + 1 }
        async fn chain5(x: u64) -> u64 { chain4(x).await + 1 }
        async fn chain4(x: u64) -> u64 { chain3(x).await + 1 }
        async fn chain3(x: u64) -> u64 { chain2(x).await + 1 }
        async fn chain2(x: u64) -> u64 { chain1(x).await + 1 }
        async fn chain1(x: u64) -> u64 { leaf(x).await + 1 }
    }
}

/// What the harness alone costs per run: a future that is ready at once,
/// created, polled and dropped the same way as the workloads'.
pub const HARNESS: Flavor = Flavor {
    run: |arg| complete(std::future::ready(black_box(arg))),
    size: || size_of_val(&std::future::ready(0u64)),
};
