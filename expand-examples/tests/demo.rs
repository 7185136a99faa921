//! The demo's path, in-process with a small N: every response is right and
//! the requests overlap (wall time below the sum of the delays). Then the
//! binary's answers to bad input: a message and a non-zero exit, no panic.

use expand_examples::demo::{self, args::Config};
use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

fn small(threads: Option<usize>) -> Config {
    Config {
        requests: 50,
        max_delay: Duration::from_millis(200),
        threads,
        ..Config::default()
    }
}

fn assert_overlapping_and_correct(config: &Config) {
    let summary =
        demo::run(config, false).unwrap_or_else(|message| panic!("demo failed: {message}"));
    assert_eq!(summary.requests, 50);
    assert!(summary.all_succeeded(), "{summary}");
    assert!(summary.wall >= summary.longest_delay, "{summary}");
    // Fifty requests of 1..=200 ms one after the other take seconds; overlapped,
    // about 200 ms. The bound leaves a loaded machine a factor of ten and more.
    assert!(summary.wall < summary.total_delay, "no overlap: {summary}");
}

#[test]
fn single_threaded_requests_overlap() {
    assert_overlapping_and_correct(&small(None));
}

#[test]
fn work_stealing_requests_overlap() {
    assert_overlapping_and_correct(&small(Some(2)));
}

#[test]
fn trace_reports_the_first_request() {
    let config = Config {
        requests: 3,
        trace: true,
        ..small(None)
    };
    let summary = demo::run(&config, false).unwrap();
    assert!(summary.all_succeeded(), "{summary}");
    let trace = summary.trace.expect("asked for");
    assert!(
        trace.starts_with("state transitions of request 0 (GET /1/hello-0):\n"),
        "{trace}"
    );
    assert!(
        trace.contains("http_get: Start -> WaitingOnConnect\n"),
        "{trace}"
    );
    assert!(trace.trim_end().ends_with("-> Done"), "{trace}");
}

#[test]
fn an_external_server_can_be_used() {
    let server = demo::server::DelayServer::start("127.0.0.1:0".parse().unwrap()).unwrap();
    let config = Config {
        requests: 5,
        server: Some(server.addr()),
        ..small(None)
    };
    let summary = demo::run(&config, false).unwrap();
    assert!(
        summary.all_succeeded() && !summary.embedded_server,
        "{summary}"
    );
}

/// Runs the demo binary; returns its exit code and stderr.
fn demo_bin(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_expand-examples"))
        .args(args)
        .output()
        .expect("the demo binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    (output.status.code().expect("exited, not killed"), stderr)
}

/// A loopback address nothing listens on (bound, then released).
fn free_address() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

#[test]
fn bad_flags_are_usage_errors() {
    for (args, message) in [
        (&["-n", "0"][..], "-n must be at least 1"),
        (&["--bogus"], "unknown option `--bogus`"),
        (&["--threads"], "--threads needs a value"),
        (&["--server", "not-an-address"], "--server needs an address"),
    ] {
        let (code, stderr) = demo_bin(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(
            stderr.contains("usage: expand-examples"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn an_unreachable_server_is_reported() {
    let address = free_address();
    let (code, stderr) = demo_bin(&["--server", &address]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the delay server at {address} does not answer correctly"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("refused"), "{stderr}");
}

#[test]
fn a_server_that_is_not_a_delay_server_is_reported() {
    // Reads each request whole (closing with unread input would reset the
    // connection), answers with something that is not HTTP, and closes.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for mut stream in listener.incoming().flatten() {
            let mut request = Vec::new();
            let mut buf = [0u8; 256];
            while !request.ends_with(b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(b"220 mail.example ESMTP ready\r\n\r\n");
        }
    });
    let (code, stderr) = demo_bin(&["--server", &address, "-n", "1"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("malformed HTTP response: bad status line"),
        "{stderr}"
    );
}

#[test]
fn a_port_in_use_is_reported() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let (code, stderr) = demo_bin(&["--serve", &address]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("cannot listen on {address}")),
        "{stderr}"
    );
    assert!(
        stderr.to_lowercase().contains("address already in use"),
        "{stderr}"
    );
}
