//! The delay-server demo behind `cargo run --release -p expand-examples`.
//!
//! A delay server answers `GET /{delay_ms}/{message}` with `message` after
//! `delay_ms`. N clients ask it for delays of up to `max` ms all at once.
//! Run one after the other, they would take the sum of the delays; run as
//! futures on one executor, they overlap and take about the longest delay:
//! the ratio wall time / longest delay printed at the end is close to 1.

pub mod args;
pub mod clients;
pub mod server;
pub mod trace;

use args::Config;
use clients::{checked_request, request_for, run_requests};
use server::DelayServer;
use std::fmt;
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// How many failed requests a summary lists.
const FAILURES_SHOWN: usize = 5;

/// The result of a demo run.
#[derive(Debug, Clone)]
pub struct Summary {
    pub server: SocketAddr,
    pub embedded_server: bool,
    /// `None`: single-threaded; `Some(k)`: `k` workers.
    pub threads: Option<usize>,
    pub requests: usize,
    pub successes: usize,
    /// The first few failures, as `request i: reason`.
    pub failures: Vec<String>,
    pub longest_delay: Duration,
    pub total_delay: Duration,
    pub wall: Duration,
    /// The first request's state transitions (`--trace`), formatted with a header.
    pub trace: Option<String>,
}

impl Summary {
    /// Wall time over the longest delay: near 1 when the requests overlap.
    pub fn overlap_ratio(&self) -> f64 {
        self.wall.as_secs_f64() / self.longest_delay.as_secs_f64()
    }

    /// Whether every request got its message back.
    pub fn all_succeeded(&self) -> bool {
        self.successes == self.requests
    }
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1e3)
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(trace) = &self.trace {
            write!(f, "{trace}")?;
        }
        let server = if self.embedded_server {
            "embedded"
        } else {
            "external"
        };
        let executor = match self.threads {
            None => "one thread (block_on + spawn_local)".to_owned(),
            Some(k) => format!(
                "work-stealing runtime, {k} worker{}",
                if k == 1 { "" } else { "s" }
            ),
        };
        writeln!(f, "delay server   {} ({server})", self.server)?;
        writeln!(f, "executor       {executor}")?;
        writeln!(f, "requests       {}", self.requests)?;
        writeln!(f, "successes      {}", self.successes)?;
        for failure in &self.failures {
            writeln!(f, "  failed: {failure}")?;
        }
        let unlisted = self.requests - self.successes - self.failures.len();
        if unlisted > 0 {
            writeln!(f, "  ... and {unlisted} more failures")?;
        }
        writeln!(f, "longest delay  {}", millis(self.longest_delay))?;
        writeln!(
            f,
            "sum of delays  {} (one request after the other)",
            millis(self.total_delay)
        )?;
        writeln!(f, "wall time      {}", millis(self.wall))?;
        write!(f, "wall/longest   {:.3}", self.overlap_ratio())
    }
}

/// Prints `done/total` on stderr while the requests run: rewritten in place
/// on a terminal, a line a second otherwise.
struct Progress {
    finished: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Progress {
    fn start(done: Arc<AtomicUsize>, total: usize) -> Progress {
        let finished = Arc::new(AtomicBool::new(false));
        let thread_finished = finished.clone();
        let terminal = std::io::stderr().is_terminal();
        let period = if terminal {
            Duration::from_millis(100)
        } else {
            Duration::from_secs(1)
        };
        let thread = thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                let mut last_print = Instant::now();
                while !thread_finished.load(Ordering::Acquire) {
                    thread::sleep(Duration::from_millis(20));
                    if last_print.elapsed() < period {
                        continue;
                    }
                    last_print = Instant::now();
                    let done = done.load(Ordering::Relaxed);
                    let mut stderr = std::io::stderr().lock();
                    if terminal {
                        let _ = write!(stderr, "\r{done}/{total} requests done");
                    } else {
                        let _ = writeln!(stderr, "{done}/{total} requests done");
                    }
                }
                if terminal {
                    let _ = write!(std::io::stderr(), "\r\x1b[K");
                }
            })
            .ok();
        Progress { finished, thread }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finished.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Checks that `server` answers like a delay server, so that a wrong
/// address gives one clear error instead of N failed requests.
fn preflight(server: SocketAddr) -> Result<(), String> {
    let probe = crate::http::DelayRequest {
        delay: Duration::from_millis(1),
        message: "ping".into(),
    };
    let outcome = explicit_async::runtime::block_on(checked_request(
        server,
        probe,
        Arc::new(AtomicUsize::new(0)),
    ));
    outcome.map_err(|reason| {
        format!("the delay server at {server} does not answer correctly: {reason}")
    })
}

/// Runs the demo: starts the embedded server unless `config.server` names
/// one, sends the requests, and sums up. `show_progress`: the progress line
/// on stderr. An `Err` is a message for the user (nothing could be measured).
pub fn run(config: &Config, show_progress: bool) -> Result<Summary, String> {
    trace::install_hook();
    let embedded = match config.server {
        Some(_) => None,
        None => Some(
            DelayServer::start(SocketAddr::from(([127, 0, 0, 1], 0)))
                .map_err(|error| format!("cannot start the delay server: {error}"))?,
        ),
    };
    let server = config
        .server
        .or(embedded.as_ref().map(DelayServer::addr))
        .expect("one of the two is set");
    preflight(server)?;

    let delays: Vec<Duration> = (0..config.requests)
        .map(|index| request_for(index, config.max_delay).delay)
        .collect();
    let done = Arc::new(AtomicUsize::new(0));
    let log = config.trace.then(|| Arc::new(Mutex::new(Vec::new())));
    let progress = show_progress.then(|| Progress::start(done.clone(), config.requests));
    let start = Instant::now();
    let outcomes = run_requests(server, config, &done, log.clone())
        .map_err(|error| format!("cannot start the runtime: {error}"))?;
    let wall = start.elapsed();
    drop(progress);
    drop(embedded);

    let failures: Vec<String> = outcomes
        .iter()
        .enumerate()
        .filter_map(|(index, outcome)| {
            outcome
                .as_ref()
                .err()
                .map(|reason| format!("request {index}: {reason}"))
        })
        .collect();
    let trace = log.map(|log| {
        let steps = log.lock().unwrap_or_else(PoisonError::into_inner);
        let header = format!("state transitions of request 0 (GET {}):\n", request_for(0, config.max_delay).path());
        if steps.is_empty() {
            header + "  (none reported: this build's #[explicit_async] does not implement `trace` yet)\n"
        } else {
            header + &trace::format_log(&steps, start)
        }
    });
    Ok(Summary {
        server,
        embedded_server: config.server.is_none(),
        threads: config.threads,
        requests: config.requests,
        successes: config.requests - failures.len(),
        failures: failures.into_iter().take(FAILURES_SHOWN).collect(),
        longest_delay: delays.iter().copied().max().unwrap_or_default(),
        total_delay: delays.iter().sum(),
        wall,
        trace,
    })
}
