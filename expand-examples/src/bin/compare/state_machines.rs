//! The state-machine side: `#[explicit_async]` clients as tasks of the
//! single-threaded executor (`block_on` + `spawn_local`).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use expand_examples::demo::clients::checked_request;
use expand_examples::http::DelayRequest;
use explicit_async::explicit_async;
use explicit_async::runtime::time::sleep;
use explicit_async::runtime::{JoinHandle, block_on, spawn_local, yield_now};

use crate::args::Config;
use crate::figures::Figures;
use crate::measure::{self, PeakRss, SAMPLE_PERIOD};

pub fn run(server: SocketAddr, config: &Config) -> Result<Figures, String> {
    // `http_get` is `#[explicit_async(trace)]`: the default hook would print
    // every transition. This one does nothing (each transition still costs
    // the hook's lookup, an uncontended read lock, about five per request).
    explicit_async::trace::set_hook(|_| {});
    let done = Arc::new(AtomicUsize::new(0));
    let task_bytes = size_of_val(&checked_request(server, measure::memory_request(0), done)) as u64;
    let (rss_growth, memory_tasks) = memory_phase(server, config.requests)?;
    let requests = measure::timed_requests(config.requests, config.max_delay);
    let longest_delay = requests
        .iter()
        .map(|request| request.delay)
        .max()
        .unwrap_or_default();
    let start = Instant::now();
    let outcomes = block_on(run_all(server, requests, Arc::new(AtomicUsize::new(0))));
    let wall = start.elapsed();
    let (successes, first_failure) = measure::tally(&outcomes);
    Ok(Figures {
        requests: config.requests,
        successes,
        first_failure,
        wall,
        longest_delay,
        task_bytes,
        guard_bytes: 0,
        rss_growth,
        memory_tasks,
        yields: config.yields,
        yield_time: ping_pong(config.yields),
    })
}

fn spawn_all(
    server: SocketAddr,
    requests: Vec<DelayRequest>,
    done: &Arc<AtomicUsize>,
) -> Vec<JoinHandle<Result<(), String>>> {
    requests
        .into_iter()
        .map(|request| spawn_local(checked_request(server, request, done.clone())))
        .collect()
}

async fn join_all(handles: Vec<JoinHandle<Result<(), String>>>) -> Vec<Result<(), String>> {
    let mut outcomes = Vec::with_capacity(handles.len());
    for handle in handles {
        outcomes.push(
            handle
                .await
                .unwrap_or_else(|error| Err(format!("task failed: {error}"))),
        );
    }
    outcomes
}

async fn run_all(
    server: SocketAddr,
    requests: Vec<DelayRequest>,
    done: Arc<AtomicUsize>,
) -> Vec<Result<(), String>> {
    join_all(spawn_all(server, requests, &done)).await
}

/// Every request alive at once: the RSS growth and the number of tasks.
fn memory_phase(server: SocketAddr, tasks: usize) -> Result<(u64, usize), String> {
    let requests: Vec<_> = (0..tasks).map(measure::memory_request).collect();
    block_on(async move {
        let done = Arc::new(AtomicUsize::new(0));
        let mut peak = PeakRss::start()?;
        let handles = spawn_all(server, requests, &done);
        loop {
            sleep(SAMPLE_PERIOD).await;
            if !peak.sample(|| done.load(Ordering::Relaxed))? {
                break;
            }
        }
        let outcomes = join_all(handles).await;
        if let (_, Some(failure)) = measure::tally(&outcomes) {
            return Err(format!("memory phase: {failure}"));
        }
        Ok((peak.growth()?, tasks))
    })
}

/// One of the two ping-pong tasks: each `yield_now().await` returns
/// `Pending` to the executor, which polls the other task, then this one.
#[explicit_async]
async fn keep_yielding(times: u64) {
    for _ in 0..times {
        yield_now().await;
    }
}

/// Two tasks yielding to each other `yields` times in all.
fn ping_pong(yields: u64) -> std::time::Duration {
    block_on(async move {
        let start = Instant::now();
        let first = spawn_local(keep_yielding(yields / 2));
        let second = spawn_local(keep_yielding(yields - yields / 2));
        first.await.expect("a yielding task cannot fail");
        second.await.expect("a yielding task cannot fail");
        start.elapsed()
    })
}
