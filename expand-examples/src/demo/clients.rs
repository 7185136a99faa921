//! The client side of the demo: N requests at once, on one thread or on
//! the work-stealing runtime, each an `#[explicit_async]` state machine.

use super::args::Config;
use super::trace::{Log, Traced};
use crate::examples::http_client::http_get;
use crate::http::{DelayRequest, Response};
use explicit_async::explicit_async;
use explicit_async::runtime::time::timeout;
use explicit_async::runtime::{JoinHandle, Runtime, block_on, spawn, spawn_local};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How long a request may take beyond its delay before it counts as failed.
pub const GRACE: Duration = Duration::from_secs(10);

/// The delay request `index` asks for: spread over `1..=max` ms by a
/// multiplier prime to any delay, so the schedule is fixed and the longest
/// delay known (every value occurs once `n >= max`).
pub fn delay_for(index: usize, max_delay: Duration) -> Duration {
    let max_ms = max_delay.as_millis().max(1);
    let ms = (index as u128 * 7919) % max_ms + 1;
    Duration::from_millis(ms as u64)
}

/// What request `index` asks for.
pub fn request_for(index: usize, max_delay: Duration) -> DelayRequest {
    DelayRequest {
        delay: delay_for(index, max_delay),
        message: format!("hello-{index}"),
    }
}

/// One request, checked: `Err` says what was wrong with it.
#[explicit_async]
pub async fn checked_request(
    server: SocketAddr,
    request: DelayRequest,
    done: Arc<AtomicUsize>,
) -> Result<(), String> {
    let limit = request.delay + GRACE;
    let path = request.path();
    let outcome = timeout(limit, http_get(server, &path)).await;
    done.fetch_add(1, Ordering::Relaxed);
    match outcome {
        Ok(Ok(response)) => check_response(&request, &response),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err(format!(
            "no complete answer within {} ms",
            limit.as_millis()
        )),
    }
}

/// Whether `response` is the delay server's right answer to `request`.
pub fn check_response(request: &DelayRequest, response: &Response) -> Result<(), String> {
    if response.status != 200 {
        return Err(format!(
            "status {}: {}",
            response.status,
            response.body.trim_end()
        ));
    }
    if response.body != request.message {
        return Err(format!(
            "expected `{}`, got `{}`",
            request.message, response.body
        ));
    }
    Ok(())
}

/// The outcome of every request, in order.
pub type Outcomes = Vec<Result<(), String>>;

async fn join_all(handles: Vec<JoinHandle<Result<(), String>>>) -> Outcomes {
    let mut outcomes = Vec::with_capacity(handles.len());
    for handle in handles {
        outcomes.push(match handle.await {
            Ok(outcome) => outcome,
            Err(error) => Err(format!("the request's task failed: {error}")),
        });
    }
    outcomes
}

/// Runs every request of `config` against `server` concurrently; `done`
/// counts the finished ones (for the progress line), `trace_log` receives
/// the first request's transitions.
pub fn run_requests(
    server: SocketAddr,
    config: &Config,
    done: &Arc<AtomicUsize>,
    trace_log: Option<Log>,
) -> std::io::Result<Outcomes> {
    let first_traced = trace_log.map(|log| {
        Traced::new(
            checked_request(server, request_for(0, config.max_delay), done.clone()),
            log,
        )
    });
    let rest = move |done: &Arc<AtomicUsize>, start: usize| {
        (start..config.requests)
            .map(|index| {
                checked_request(server, request_for(index, config.max_delay), done.clone())
            })
            .collect::<Vec<_>>()
    };
    let start = usize::from(first_traced.is_some());
    match config.threads {
        None => Ok(block_on(async {
            let mut handles = Vec::with_capacity(config.requests);
            if let Some(first) = first_traced {
                handles.push(spawn_local(first));
            }
            handles.extend(rest(done, start).into_iter().map(spawn_local));
            join_all(handles).await
        })),
        Some(workers) => {
            // The clients are spawned from `block_on` on this thread; the
            // workers run them, stealing from each other.
            let runtime = Runtime::with_workers(workers)?;
            Ok(runtime.block_on(async {
                let mut handles = Vec::with_capacity(config.requests);
                if let Some(first) = first_traced {
                    handles.push(spawn(first));
                }
                handles.extend(rest(done, start).into_iter().map(spawn));
                join_all(handles).await
            }))
        }
    }
}
