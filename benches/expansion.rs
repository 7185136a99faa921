//! Poll throughput of the expansion against rustc's own `async fn`, for the
//! same bodies, side by side in one run, as ratios (ours / rustc; below 1 is
//! faster). Run with `cargo bench --bench expansion`.

use explicit_async::explicit_async;
use std::future::Future;
use std::hint::black_box;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// Pending `pendings` times, then `Ready(value)`.
struct Leaf {
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

fn leaf(value: u64) -> Leaf {
    Leaf { pendings: 1, value }
}

struct Source(u64);

impl Source {
    async fn read(&mut self, buf: &mut [u64; 8]) -> usize {
        leaf(0).await;
        self.0 += 1;
        buf[0] = self.0;
        buf.len()
    }
}

macro_rules! both {
    ($(async fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block)*) => {
        $(
            mod $name {
                use super::*;
                pub async fn native($($arg: $ty),*) -> $ret $body
                #[explicit_async]
                pub async fn ours($($arg: $ty),*) -> $ret $body
            }
        )*
    };
}

both! {
    async fn textbook(min_len: u64) -> u64 {
        let content = leaf(3).await;
        if content < min_len { content + leaf(4).await } else { content }
    }
    async fn loop_sum(n: u64) -> u64 {
        let mut total = 0;
        for i in 0..n {
            total += leaf(i).await;
        }
        total
    }
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

/// Polls a future to completion with a no-op waker; returns its output.
fn run<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// One run: `iterations` futures made by `make`, each polled to completion.
fn time<F: Future<Output = u64>>(make: impl Fn() -> F, iterations: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(run(black_box(make())));
    }
    start.elapsed()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Runs of the two, alternating (so that drift in the machine's load hits both alike).
const RUNS: usize = 21;

fn compare<A, B>(name: &str, native: impl Fn() -> A, ours: impl Fn() -> B, iterations: u32)
where
    A: Future<Output = u64>,
    B: Future<Output = u64>,
{
    assert_eq!(run(native()), run(ours()), "{name}: outputs differ");
    let (mut native_runs, mut our_runs) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        native_runs.push(time(&native, iterations));
        our_runs.push(time(&ours, iterations));
    }
    let (n, o) = (median(native_runs), median(our_runs));
    let (size_n, size_o) = (size_of_val(&native()), size_of_val(&ours()));
    println!(
        "{name:<18} rustc {:>9.1} ns  ours {:>9.1} ns  ratio {:>5.2}   size rustc {size_n:>4} B  ours {size_o:>4} B",
        n.as_nanos() as f64 / f64::from(iterations),
        o.as_nanos() as f64 / f64::from(iterations),
        o.as_secs_f64() / n.as_secs_f64(),
    );
}

fn main() {
    println!("poll to completion, per future (median of {RUNS} alternating runs)");
    compare(
        "textbook",
        || textbook::native(5),
        || textbook::ours(5),
        200_000,
    );
    compare(
        "loop_sum(100)",
        || loop_sum::native(100),
        || loop_sum::ours(100),
        5_000,
    );
    compare(
        "borrowed_buffer(50)",
        || borrowed_buffer::native(50),
        || borrowed_buffer::ours(50),
        5_000,
    );
}
