//! Poll throughput of the expansion against rustc's own `async fn`, for the
//! same bodies, side by side in one run, as ratios (ours / rustc; below 1 is
//! faster). Run with `cargo bench --bench expansion`.
//!
//! Times on a shared machine move from run to run; instruction counts do
//! not. The figures to quote come from the instruction counter over the
//! same workloads: `cargo run --release -p explicit-async-icount`.

// The workloads the instruction counter measures, compiled here as well.
#[path = "../tools/icount/src/workloads.rs"]
#[allow(dead_code)]
mod workloads;

use std::hint::black_box;
use std::time::{Duration, Instant};
use workloads::{Flavor, WORKLOADS};

/// Runs per timing: enough for about a millisecond of the longest workload.
const ITERATIONS: u32 = 5_000;

/// One timing: `ITERATIONS` futures created, polled to completion and dropped.
fn time(flavor: Flavor, arg: u64) -> Duration {
    let start = Instant::now();
    for _ in 0..ITERATIONS {
        black_box((flavor.run)(black_box(arg)));
    }
    start.elapsed()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Runs of the two, alternating (so that drift in the machine's load hits both alike).
const RUNS: usize = 21;

fn main() {
    println!("poll to completion, per future (median of {RUNS} alternating runs)");
    let width = WORKLOADS.iter().map(|w| w.name.len()).max().unwrap_or(0);
    for workload in WORKLOADS {
        let (native, ours) = (workload.native, workload.ours);
        assert_eq!(
            (native.run)(workload.arg),
            (ours.run)(workload.arg),
            "{}: outputs differ",
            workload.name
        );
        let (mut native_runs, mut our_runs) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            native_runs.push(time(native, workload.arg));
            our_runs.push(time(ours, workload.arg));
        }
        let (n, o) = (median(native_runs), median(our_runs));
        println!(
            "{:<width$}  rustc {:>9.1} ns  ours {:>9.1} ns  ratio {:>5.2}   size rustc {:>4} B  ours {:>4} B",
            workload.name,
            n.as_nanos() as f64 / f64::from(ITERATIONS),
            o.as_nanos() as f64 / f64::from(ITERATIONS),
            o.as_secs_f64() / n.as_secs_f64(),
            (native.size)(),
            (ours.size)(),
        );
    }
}
