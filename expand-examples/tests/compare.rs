//! `compare` end to end with a small N: both sides answer every request and
//! the table has every figure; one side alone prints its figures; bad input
//! is a message and exit status 2.

use std::process::{Command, Output};

fn compare(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_compare"))
        .args(args)
        .output()
        .expect("the compare binary runs")
}

#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
#[test]
fn both_sides_side_by_side() {
    let output = compare(&["-n", "20", "--max-delay-ms", "20", "--yields", "1000"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    for row in [
        "state machines",
        "green threads",
        "requests answered",
        "wall time",
        "wall/longest",
        "reserved per task",
        "RSS growth per task",
        "tasks in 1 GiB (RSS)",
        "one yield, task to task",
    ] {
        assert!(stdout.contains(row), "no `{row}`:\n{stdout}");
    }
    let answered = stdout
        .lines()
        .find(|line| line.starts_with("requests answered"))
        .unwrap();
    assert_eq!(answered.matches("20/20").count(), 2, "{answered}");
    assert!(
        stdout.contains("stack + 4,096 B guard") || stdout.contains("KiB guard"),
        "{stdout}"
    );
}

#[test]
fn one_side_prints_key_value_lines() {
    let output = compare(&[
        "--side",
        "state-machines",
        "-n",
        "5",
        "--max-delay-ms",
        "5",
        "--yields",
        "10",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.lines().any(|line| line == "successes 5"), "{stdout}");
    assert!(stdout.lines().any(|line| line == "yields 10"), "{stdout}");
}

#[test]
fn bad_input_is_a_message_and_status_2() {
    for (args, message) in [
        (&["-n", "0"][..], "compare: -n must be at least 1"),
        (
            &["--side", "fibers"],
            "compare: --side is `state-machines` or `green`, not `fibers`",
        ),
        (
            &["--server", "127.0.0.1:1"],
            "compare: --server goes with --side",
        ),
    ] {
        let output = compare(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with(message), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn an_unreachable_server_is_a_message() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = format!("127.0.0.1:{port}");
    let output = compare(&["--side", "state-machines", "--server", &server, "-n", "2"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("refused"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
