//! Running cargo and built programs with a time limit, and the few cargo
//! chores every instrument shares.

use std::io;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// What a finished (or stopped) command left.
#[derive(Debug)]
pub struct Finished {
    /// The exit code; `None` when it was stopped at the time limit or by a signal.
    pub code: Option<i32>,
    pub timed_out: bool,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Finished {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

/// Exit status `timeout(1)` reports when it stopped the command.
const TIMED_OUT: i32 = 124;

/// Runs `program args` in `dir`, stopping it and every process it started
/// after `limit`. `timeout(1)` does the stopping: it puts the command in a
/// process group of its own and signals the whole group, so a cargo build
/// takes its rustc processes and a test run its test binaries with it.
pub fn run(
    dir: &Path,
    program: &str,
    args: &[&str],
    env: &[(&str, &str)],
    limit: Duration,
) -> io::Result<Finished> {
    let started = Instant::now();
    let output = Command::new("timeout")
        .arg("--kill-after=10")
        .arg(format!("{}", limit.as_secs().max(1)))
        .arg(program)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .output()
        .map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot run `timeout {program}` (coreutils): {e}"),
            )
        })?;
    let elapsed = started.elapsed();
    let code = output.status.code();
    // After `--kill-after`, timeout(1) exits as its command did: killed.
    let timed_out = code == Some(TIMED_OUT) || (code == Some(128 + 9) && elapsed >= limit);
    Ok(Finished {
        code: code.filter(|_| !timed_out),
        timed_out,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed,
    })
}

/// The last `lines` lines of `text`, for error messages.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Copies the directory tree `from` to `to` (which must not exist).
pub fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Totals of libtest's `test result:` lines, and the tests it named as failed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TestTotals {
    pub passed: u32,
    pub failed: u32,
    pub ignored: u32,
    pub failed_names: Vec<String>,
}

/// Sums every `test result: ... N passed; M failed; K ignored` in `output`.
pub fn test_totals(output: &str) -> TestTotals {
    let mut totals = TestTotals::default();
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(kind), Some(count)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(count) = count.parse::<u32>() else {
                    continue;
                };
                match kind {
                    "passed" => totals.passed += count,
                    "failed" => totals.failed += count,
                    "ignored" => totals.ignored += count,
                    _ => {}
                }
            }
        } else if let Some(name) = line
            .strip_prefix("test ")
            .and_then(|l| l.strip_suffix(" ... FAILED"))
        {
            totals.failed_names.push(name.to_string());
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_test_results_over_binaries() {
        let output = "running 2 tests\ntest a ... ok\ntest b::c ... FAILED\n\
            test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
            test result: ok. 5 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 1.00s\n";
        assert_eq!(
            test_totals(output),
            TestTotals {
                passed: 6,
                failed: 1,
                ignored: 2,
                failed_names: vec!["b::c".to_string()],
            }
        );
    }

    #[test]
    fn a_command_over_its_limit_is_stopped_and_says_so() {
        let done = run(Path::new("."), "sleep", &["5"], &[], Duration::from_secs(1)).unwrap();
        assert!(done.timed_out);
        assert!(!done.success());
        let done = run(
            Path::new("."),
            "sh",
            &["-c", "echo hi; exit 3"],
            &[],
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(
            (done.code, done.timed_out, done.stdout.as_str()),
            (Some(3), false, "hi\n")
        );
    }
}
