//! Side-by-side benchmark: explicit-async-runtime against tokio, in one
//! process, on the same generic futures, reported as time ratios
//! (ours / tokio: below 1 means ours is faster).
//!
//! Run with:
//!
//! ```text
//! cargo run --release --manifest-path bench/Cargo.toml
//! ```
//!
//! Words after `--` keep only the workloads whose label contains one of
//! them (for example `-- ping timers`).
//!
//! Each workload runs on four executors: ours single-thread (`block_on` +
//! `spawn_local`), tokio `current_thread`, ours multi-thread (`Runtime`
//! with 2 workers + `spawn`) and tokio `multi_thread` with 2 workers. After
//! a few warm-up runs, the runs of the four alternate (so drift in machine
//! load hits all alike) and the median of each is reported. Everything is
//! on loopback; nothing here asserts an absolute time.

mod channel;
mod flavors;
mod workloads;

use std::time::Duration;

use flavors::{OursMulti, OursSingle, TokioCurrent, TokioMulti};
use workloads::Workload;

const WORKERS: usize = 2;
const WARM_UP_RUNS: usize = 2;

/// Measured runs per workload (odd, so the median is one run).
fn measured_runs(workload: Workload) -> usize {
    match workload {
        Workload::TcpEcho => 5,
        _ => 11,
    }
}

fn main() {
    println!("{}", machine_info());
    let ours_single = OursSingle;
    let ours_multi = OursMulti(
        explicit_async_runtime::Builder::new()
            .worker_threads(WORKERS)
            .build()
            .expect("start our multi-thread runtime"),
    );
    let tokio_current = TokioCurrent(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("start tokio current_thread"),
    );
    let tokio_multi = TokioMulti(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(WORKERS)
            .enable_all()
            .build()
            .expect("start tokio multi_thread"),
    );

    println!(
        "{:<40} {:>10} {:>10} {:>7}   {:>10} {:>10} {:>7}",
        "workload (median ms)", "ours-st", "tokio-ct", "ratio", "ours-mt", "tokio-mt", "ratio"
    );
    let filters: Vec<String> = std::env::args().skip(1).collect();
    let selected = Workload::ALL.into_iter().filter(|workload| {
        let label = workload.label();
        filters.is_empty() || filters.iter().any(|filter| label.contains(filter.as_str()))
    });
    for workload in selected {
        for _ in 0..WARM_UP_RUNS {
            workload.run_once(&ours_single);
            workload.run_once(&tokio_current);
            workload.run_once(&ours_multi);
            workload.run_once(&tokio_multi);
        }
        let runs = measured_runs(workload);
        let mut times: [Vec<Duration>; 4] = Default::default();
        for _ in 0..runs {
            times[0].push(workload.run_once(&ours_single));
            times[1].push(workload.run_once(&tokio_current));
            times[2].push(workload.run_once(&ours_multi));
            times[3].push(workload.run_once(&tokio_multi));
        }
        let [ours_st, tokio_ct, ours_mt, tokio_mt] = times.map(median_ms);
        println!(
            "{:<40} {:>10.2} {:>10.2} {:>7.2}   {:>10.2} {:>10.2} {:>7.2}",
            workload.label(),
            ours_st,
            tokio_ct,
            ours_st / tokio_ct,
            ours_mt,
            tokio_mt,
            ours_mt / tokio_mt
        );
    }
    println!("ratio = ours / tokio (median times); below 1.00 means ours is faster");
}

fn median_ms(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1e3
}

/// CPU count (what `nproc` prints) and, where Linux tells, the CPU model.
fn machine_info() -> String {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    format!(
        "machine: nproc {cpus}, {model}, {} {}; workers per multi-thread runtime: {WORKERS}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}
