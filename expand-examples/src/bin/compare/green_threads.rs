//! The green-thread side: the same client written as blocking code, one
//! green thread per request, on the green scheduler.

use std::cell::Cell;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Instant;

use expand_examples::demo::clients::{GRACE, check_response};
use expand_examples::http::{self, DelayRequest, Response};
use explicit_async::runtime::green::net::TcpStream;
use explicit_async::runtime::green::{self, DEFAULT_STACK_SIZE, GreenHandle};

use crate::args::Config;
use crate::figures::Figures;
use crate::measure::{self, PeakRss, SAMPLE_PERIOD};

/// `http_get` of the state-machine side, line for line, without `.await`:
/// every call that waits parks the green thread instead.
fn http_get(server: SocketAddr, path: &str, limit: std::time::Duration) -> io::Result<Response> {
    let mut stream = TcpStream::connect_timeout(&server, limit)?;
    stream.set_read_timeout(Some(limit));
    stream.set_write_timeout(Some(limit));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {server}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        response.extend_from_slice(&buf[..n]);
    }
    http::parse_response(&response)
}

/// `checked_request` of the state-machine side.
fn checked_request(server: SocketAddr, request: &DelayRequest) -> Result<(), String> {
    let limit = request.delay + GRACE;
    let response = http_get(server, &request.path(), limit).map_err(|error| error.to_string())?;
    check_response(request, &response)
}

pub fn run(server: SocketAddr, config: &Config) -> Result<Figures, String> {
    let (rss_growth, memory_tasks) = memory_phase(server, config.requests)?;
    let requests = measure::timed_requests(config.requests, config.max_delay);
    let longest_delay = requests
        .iter()
        .map(|request| request.delay)
        .max()
        .unwrap_or_default();
    let start = Instant::now();
    let outcomes = green::run(move || join_all(spawn_all(server, requests, &Rc::default())));
    let wall = start.elapsed();
    let (successes, first_failure) = measure::tally(&outcomes);
    Ok(Figures {
        requests: config.requests,
        successes,
        first_failure,
        wall,
        longest_delay,
        task_bytes: DEFAULT_STACK_SIZE as u64,
        guard_bytes: green::guard_size() as u64,
        rss_growth,
        memory_tasks,
        yields: config.yields,
        yield_time: ping_pong(config.yields),
    })
}

fn spawn_all(
    server: SocketAddr,
    requests: Vec<DelayRequest>,
    done: &Rc<Cell<usize>>,
) -> Vec<GreenHandle<Result<(), String>>> {
    requests
        .into_iter()
        .map(|request| {
            let done = done.clone();
            green::spawn(move || {
                let outcome = checked_request(server, &request);
                done.set(done.get() + 1);
                outcome
            })
        })
        .collect()
}

fn join_all(handles: Vec<GreenHandle<Result<(), String>>>) -> Vec<Result<(), String>> {
    handles
        .into_iter()
        .map(|handle| {
            handle
                .join()
                .unwrap_or_else(|_| Err("the green thread panicked".into()))
        })
        .collect()
}

/// Every request alive at once: the RSS growth and the number of tasks.
fn memory_phase(server: SocketAddr, tasks: usize) -> Result<(u64, usize), String> {
    let requests: Vec<_> = (0..tasks).map(measure::memory_request).collect();
    green::run(move || {
        let done = Rc::new(Cell::new(0));
        let mut peak = PeakRss::start()?;
        let handles = spawn_all(server, requests, &done);
        loop {
            green::sleep(SAMPLE_PERIOD);
            if !peak.sample(|| done.get())? {
                break;
            }
        }
        if let (_, Some(failure)) = measure::tally(&join_all(handles)) {
            return Err(format!("memory phase: {failure}"));
        }
        Ok((peak.growth()?, tasks))
    })
}

/// Two green threads yielding to each other `yields` times in all: each
/// `yield_now` switches to the scheduler loop, which switches to the other.
fn ping_pong(yields: u64) -> std::time::Duration {
    green::run(move || {
        let start = Instant::now();
        let keep_yielding = |times: u64| {
            move || {
                for _ in 0..times {
                    green::yield_now();
                }
            }
        };
        let first = green::spawn(keep_yielding(yields / 2));
        let second = green::spawn(keep_yielding(yields - yields / 2));
        first.join().expect("a yielding thread cannot panic");
        second.join().expect("a yielding thread cannot panic");
        start.elapsed()
    })
}
