//! `compare`: the delay-server workload as `#[explicit_async]` state
//! machines and as green threads, side by side.
//!
//! ```text
//! cargo run --release -p expand-examples --bin compare [-- -n N --max-delay-ms MS]
//! ```
//!
//! Both sides run the same HTTP client (`http_get` of the demo, and the
//! same function written as blocking code for the green threads) over the
//! same reactor, timers and sockets; only the coroutine model differs.
//! Each side runs in a child process (this program with `--side`), in
//! three phases:
//! 1. memory: N requests that all wait `MEMORY_PHASE_DELAY`, with the RSS
//!    sampled while every one of them is alive;
//! 2. time: the demo's N requests (delays spread over 1..=MS ms), wall time
//!    against the longest delay;
//! 3. switch: two tasks yielding to each other `--yields` times.

mod args;
mod figures;
#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
mod green_threads;
mod measure;
mod state_machines;

use std::net::SocketAddr;
use std::process::{Command, ExitCode, Stdio};

use args::{Config, Side};
use expand_examples::demo::server::DelayServer;
use figures::Figures;

fn main() -> ExitCode {
    let config = match args::parse(std::env::args().skip(1)) {
        Ok(args::Command::Help) => {
            println!("{}", args::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(args::Command::Run(config)) => config,
        Err(message) => {
            eprintln!("compare: {message}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    let outcome = match config.side {
        Some(side) => one_side(side, &config).map(|figures| {
            print!("{}", figures.to_lines());
            vec![figures]
        }),
        None => both_sides(&config),
    };
    match outcome {
        Ok(all) => {
            let failed: Vec<_> = all
                .iter()
                .filter_map(|figures| figures.first_failure.as_ref())
                .collect();
            if failed.is_empty() {
                return ExitCode::SUCCESS;
            }
            for failure in &failed {
                eprintln!("compare: failed: {failure}");
            }
            if failed.iter().any(|failure| failure.contains("os error 24")) {
                eprintln!(
                    "compare: out of file descriptors: raise the limit (ulimit -n) or lower -n"
                );
            }
            ExitCode::FAILURE
        }
        Err(message) => {
            eprintln!("compare: {message}");
            ExitCode::FAILURE
        }
    }
}

fn embedded_server() -> Result<DelayServer, String> {
    DelayServer::start(SocketAddr::from(([127, 0, 0, 1], 0)))
        .map_err(|error| format!("cannot start the delay server: {error}"))
}

/// One side, in this process.
fn one_side(side: Side, config: &Config) -> Result<Figures, String> {
    let embedded = match config.server {
        Some(_) => None,
        None => Some(embedded_server()?),
    };
    let server = config
        .server
        .or(embedded.as_ref().map(DelayServer::addr))
        .expect("one of the two is set");
    match side {
        Side::StateMachines => state_machines::run(server, config),
        Side::Green => green_side(server, config),
    }
}

#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
fn green_side(server: SocketAddr, config: &Config) -> Result<Figures, String> {
    green_threads::run(server, config)
}

#[cfg(not(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
)))]
fn green_side(_: SocketAddr, _: &Config) -> Result<Figures, String> {
    Err("green threads run on Linux (x86_64 and aarch64) only".into())
}

/// Both sides, each in a fresh child process, against one embedded server.
fn both_sides(config: &Config) -> Result<Vec<Figures>, String> {
    let server = embedded_server()?;
    let program = std::env::current_exe()
        .map_err(|error| format!("cannot find this program to run its sides: {error}"))?;
    let mut all = Vec::new();
    for side in Side::BOTH {
        eprintln!("compare: running the {} side...", side.flag());
        let output = Command::new(&program)
            .args([
                "--side",
                side.flag(),
                "--server",
                &server.addr().to_string(),
            ])
            .args(["-n", &config.requests.to_string()])
            .args(["--max-delay-ms", &config.max_delay.as_millis().to_string()])
            .args(["--yields", &config.yields.to_string()])
            .stderr(Stdio::inherit())
            .output()
            .map_err(|error| format!("cannot start the {} side: {error}", side.flag()))?;
        // A side whose requests failed still reports its figures.
        let figures =
            Figures::from_lines(&String::from_utf8_lossy(&output.stdout)).map_err(|error| {
                format!(
                    "the {} side failed ({}): {error}",
                    side.flag(),
                    output.status
                )
            })?;
        all.push(figures);
    }
    let (state_machines, green) = (&all[0], &all[1]);
    println!(
        "delay server   {} (embedded); each side in its own process, one OS thread",
        server.addr()
    );
    println!(
        "requests       {} concurrent per side, delays 1..={} ms (memory phase: all {} ms)",
        config.requests,
        config.max_delay.as_millis(),
        measure::MEMORY_PHASE_DELAY.as_millis()
    );
    println!(
        "yields         {} hand-offs between two tasks\n",
        config.yields
    );
    print!("{}", figures::table(state_machines, green));
    Ok(all)
}
