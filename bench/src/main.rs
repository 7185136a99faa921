//! Side-by-side benchmark: explicit-async-runtime against tokio, in one
//! process, on the same generic futures, reported as time ratios
//! (ours / tokio: below 1 means ours is faster).
//!
//! Run with:
//!
//! ```text
//! cargo run --release --manifest-path bench/Cargo.toml
//! cargo run --release --manifest-path bench/Cargo.toml -- --workers 1,2,4,8,16
//! ```
//!
//! `--workers` lists the worker counts of the multi-thread runtimes (ours
//! and tokio's `multi_thread`, the same count for both), 2 by default; the
//! multi-thread comparison runs once per count. Other words keep only the
//! workloads whose label contains one of them (for example `ping timers`).
//!
//! Each workload runs on ours single-thread (`block_on` + `spawn_local`)
//! against tokio `current_thread`, and on ours multi-thread (`Runtime` +
//! `spawn`) against tokio `multi_thread`. After a few warm-up runs, the
//! runs of the compared executors alternate (so drift in machine load hits
//! all alike) and the median of each is reported. Everything is on
//! loopback; nothing here asserts an absolute time.

mod channel;
mod flavors;
mod workloads;

use std::process::ExitCode;
use std::time::Duration;

use flavors::{Flavor, OursMulti, OursSingle, TokioCurrent, TokioMulti};
use workloads::Workload;

const DEFAULT_WORKERS: &[usize] = &[2];
const WARM_UP_RUNS: usize = 2;

/// Measured runs per workload (odd, so the median is one run).
fn measured_runs(workload: Workload) -> usize {
    match workload {
        Workload::TcpEcho => 5,
        _ => 11,
    }
}

#[derive(Debug)]
struct Options {
    workers: Vec<usize>,
    filters: Vec<String>,
}

fn parse_options(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        workers: DEFAULT_WORKERS.to_vec(),
        filters: Vec::new(),
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let list = match arg.strip_prefix("--workers") {
            Some("") => args
                .next()
                .ok_or("`--workers` needs a list, for example `--workers 1,2,4`")?,
            Some(rest) if rest.starts_with('=') => rest[1..].to_owned(),
            Some(_) | None => {
                options.filters.push(arg);
                continue;
            }
        };
        options.workers = list
            .split(',')
            .map(|count| match count.trim().parse::<usize>() {
                Ok(count) if count > 0 => Ok(count),
                _ => Err(format!(
                    "`--workers {list}`: {count:?} is not a worker count (a whole number from 1)"
                )),
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_options(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("bench: {message}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", machine_info(&options.workers));
    let selected: Vec<Workload> = Workload::ALL
        .into_iter()
        .filter(|workload| {
            let label = workload.label();
            options.filters.is_empty()
                || options
                    .filters
                    .iter()
                    .any(|filter| label.contains(filter.as_str()))
        })
        .collect();

    println!("\nsingle thread");
    let tokio_current = TokioCurrent(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("start tokio current_thread"),
    );
    let single = compare(
        &selected,
        &OursSingle,
        &tokio_current,
        "ours-st",
        "tokio-ct",
    );
    drop(tokio_current);

    let mut multi = Vec::new();
    for &workers in &options.workers {
        println!("\nmulti thread, {workers} workers each");
        let ours = OursMulti(
            explicit_async_runtime::Builder::new()
                .worker_threads(workers)
                .build()
                .expect("start our multi-thread runtime"),
        );
        let tokio = TokioMulti(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(workers)
                .enable_all()
                .build()
                .expect("start tokio multi_thread"),
        );
        multi.push(compare(&selected, &ours, &tokio, "ours-mt", "tokio-mt"));
    }

    println!("\nratio ours / tokio by worker count (st: single thread)");
    print!("{:<40} {:>7}", "workload", "st");
    for workers in &options.workers {
        print!(" {:>7}", format!("mt {workers}"));
    }
    println!();
    for (row, workload) in selected.iter().enumerate() {
        print!("{:<40} {:>7.2}", workload.label(), single[row]);
        for ratios in &multi {
            print!(" {:>7.2}", ratios[row]);
        }
        println!();
    }
    println!("ratio = ours / tokio (median times); below 1.00 means ours is faster");
    ExitCode::SUCCESS
}

/// Runs each workload on both runtimes, alternating; prints the medians
/// and returns the ratios, in `workloads` order.
fn compare<A: Flavor, B: Flavor>(
    workloads: &[Workload],
    ours: &A,
    tokio: &B,
    ours_label: &str,
    tokio_label: &str,
) -> Vec<f64> {
    println!(
        "{:<40} {:>10} {:>10} {:>7}",
        "workload (median ms)", ours_label, tokio_label, "ratio"
    );
    let mut ratios = Vec::new();
    for &workload in workloads {
        for _ in 0..WARM_UP_RUNS {
            workload.run_once(ours);
            workload.run_once(tokio);
        }
        let runs = measured_runs(workload);
        let (mut ours_times, mut tokio_times) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            ours_times.push(workload.run_once(ours));
            tokio_times.push(workload.run_once(tokio));
        }
        let (ours_ms, tokio_ms) = (median_ms(ours_times), median_ms(tokio_times));
        let ratio = ours_ms / tokio_ms;
        println!(
            "{:<40} {:>10.2} {:>10.2} {:>7.2}",
            workload.label(),
            ours_ms,
            tokio_ms,
            ratio
        );
        ratios.push(ratio);
    }
    ratios
}

fn median_ms(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1e3
}

/// CPU count (what `nproc` prints) and, where Linux tells, the CPU model.
fn machine_info(workers: &[usize]) -> String {
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
        "machine: nproc {cpus}, {model}, {} {}; workers per multi-thread runtime: {workers:?}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        parse_options(args.iter().map(|arg| arg.to_string()))
    }

    #[test]
    fn worker_lists_and_filters() {
        let options = parse(&["--workers", "1,2,4,8,16", "ping"]).unwrap();
        assert_eq!(options.workers, [1, 2, 4, 8, 16]);
        assert_eq!(options.filters, ["ping"]);
        assert_eq!(parse(&["--workers=3"]).unwrap().workers, [3]);
        assert_eq!(parse(&[]).unwrap().workers, DEFAULT_WORKERS);
    }

    #[test]
    fn bad_worker_lists_are_errors() {
        assert!(parse(&["--workers"]).is_err());
        assert!(parse(&["--workers", "0"]).is_err());
        assert!(parse(&["--workers", "2,x"]).unwrap_err().contains("\"x\""));
    }
}
