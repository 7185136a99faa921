//! Child processes with time limits: cargo builds (their JSON diagnostics
//! collected) and the batch binary (its protocol lines, restarted past a
//! case that crashes or hangs).

use super::diag::{self, Diagnostic};
use super::json;
use std::io::{self, BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// Kills the child and everything it started (it leads its own process group).
fn kill_group(child: &mut Child) {
    let _ = Command::new("kill")
        .arg("-KILL")
        .arg("--")
        .arg(format!("-{}", child.id()))
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// Starts `command` in its own process group with stdout as lines on a channel.
fn spawn_lines(command: &mut Command) -> io::Result<(Child, Receiver<String>)> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Ok((child, rx))
}

#[derive(Debug, Default)]
pub struct Build {
    pub success: bool,
    pub timed_out: bool,
    pub diagnostics: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// `cargo <subcommand> --message-format=json` in `dir`, killed after `limit`.
pub fn cargo(dir: &Path, target: &Path, subcommand: &str, limit: Duration) -> io::Result<Build> {
    let start = Instant::now();
    let (mut child, lines) = spawn_lines(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .arg(subcommand)
            .arg("--message-format=json")
            .arg("--offline")
            .arg("--quiet")
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTFLAGS"),
    )?;
    let mut build = Build::default();
    loop {
        let left = limit.saturating_sub(start.elapsed());
        match lines.recv_timeout(left) {
            Ok(line) => {
                if let Some(d) = diag::from_cargo_line(&line) {
                    build.diagnostics.push(d);
                } else if line.contains("\"reason\":\"build-finished\"") {
                    build.success = json::parse(&line)
                        .and_then(|v| v.get("success").and_then(|s| s.as_bool()))
                        .unwrap_or(false);
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {
                kill_group(&mut child);
                build.timed_out = true;
                build.success = false;
                break;
            }
        }
    }
    let status = child.wait()?;
    build.success &= status.success();
    build.elapsed = start.elapsed();
    Ok(build)
}

/// How one case of the batch binary ended.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseEnd {
    /// The harness's verdict line: `equal -`, `log <detail>`, ...
    Verdict(String),
    /// The process died in this case; `true` if the native side had finished.
    Crash(bool),
    /// No progress within the limit; `true` if the native side had finished.
    Hang(bool),
}

/// Runs the batch binary over `count` cases, restarting after a crash or
/// hang, each case limited to `limit`.
pub fn run_cases(binary: &Path, count: usize, limit: Duration) -> io::Result<Vec<CaseEnd>> {
    let mut ends: Vec<Option<CaseEnd>> = vec![None; count];
    let mut first = 0;
    while first < count {
        // A case that allocates without end must not take the machine with it.
        let (mut child, lines) = spawn_lines(
            Command::new("sh")
                .arg("-c")
                .arg("ulimit -v 4000000; exec \"$0\" \"$@\"")
                .arg(binary)
                .arg(first.to_string()),
        )?;
        let mut current: Option<usize> = None;
        let mut native_done = false;
        let mut hung = false;
        let mut started = false;
        loop {
            match lines.recv_timeout(limit) {
                Ok(line) => {
                    let mut parts = line.splitn(3, ' ');
                    let (tag, case) = (
                        parts.next(),
                        parts.next().and_then(|c| c.parse::<usize>().ok()),
                    );
                    match (tag, case) {
                        (Some("S"), Some(case)) => {
                            started = true;
                            current = Some(case);
                            native_done = false;
                        }
                        (Some("N"), Some(_)) => native_done = true,
                        (Some("V"), Some(case)) if case < count => {
                            ends[case] =
                                Some(CaseEnd::Verdict(parts.next().unwrap_or("").to_string()));
                            current = None;
                        }
                        _ => {}
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {
                    kill_group(&mut child);
                    hung = true;
                    break;
                }
            }
        }
        let _ = child.wait();
        match current {
            Some(case) => {
                ends[case] = Some(if hung {
                    CaseEnd::Hang(native_done)
                } else {
                    CaseEnd::Crash(native_done)
                });
                first = case + 1;
            }
            // Ended between cases: go on after the last verdict.
            None if started => first = ends.iter().position(Option::is_none).unwrap_or(count),
            // Not even one case started: the binary does not run.
            None => {
                for end in &mut ends[first..] {
                    *end = Some(CaseEnd::Crash(false));
                }
                break;
            }
        }
    }
    Ok(ends
        .into_iter()
        .map(|e| e.unwrap_or(CaseEnd::Crash(false)))
        .collect())
}
