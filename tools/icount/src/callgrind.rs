//! Counting the instructions one function executes, with callgrind.
//!
//! Callgrind starts with collection off (`--collect-atstart=no`) and turns
//! it on and off on entry to and exit from the marker function
//! (`--toggle-collect`), so the process's start-up, the argument parsing and
//! the printing are not counted. What the marker runs for the first time
//! (a lazily bound symbol, the allocator's first request) still is: the
//! caller removes it by counting `reps` and `2 * reps` runs and taking the
//! difference.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What one process under callgrind reported.
pub struct Counted {
    /// Instructions executed inside the marker function (and what it called).
    pub instructions: u64,
    /// The program's standard output.
    pub stdout: String,
}

/// Runs `program args` under callgrind and returns the instructions
/// executed inside `marker` (a function name as valgrind prints it, `*`
/// and `?` allowed).
pub fn count(program: &Path, args: &[String], marker: &str) -> Result<Counted, String> {
    let out_file = out_file_path();
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--collect-atstart=no")
        .arg(format!("--toggle-collect={marker}"))
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(program)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run valgrind (is it installed?): {e}"))?;
    let profile = fs::read_to_string(&out_file);
    // The file is ours alone (named after this process); a failed removal
    // leaves a few kilobytes in the temporary directory, nothing worse.
    let _ = fs::remove_file(&out_file);
    if !output.status.success() {
        return Err(format!(
            "`valgrind --tool=callgrind {} {}` failed ({}):\n{}",
            program.display(),
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let profile =
        profile.map_err(|e| format!("callgrind wrote no profile {}: {e}", out_file.display()))?;
    let instructions = totals(&profile).ok_or_else(|| {
        format!(
            "no `totals:` line in callgrind's profile of `{} {}`",
            program.display(),
            args.join(" ")
        )
    })?;
    if instructions == 0 {
        return Err(format!(
            "callgrind counted nothing inside `{marker}`: was it inlined or renamed?"
        ));
    }
    Ok(Counted {
        instructions,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
    })
}

/// A profile path no other run (of this or another process) uses.
fn out_file_path() -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "explicit-async-icount.{}.{n}.callgrind",
        std::process::id()
    ))
}

/// The event total of a callgrind profile: its `totals:` line (or, in older
/// formats, `summary:`), whose first number is `Ir` when only instructions
/// are collected.
fn totals(profile: &str) -> Option<u64> {
    profile.lines().find_map(|line| {
        let rest = line
            .strip_prefix("totals:")
            .or_else(|| line.strip_prefix("summary:"))?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::totals;

    #[test]
    fn totals_reads_the_first_event() {
        let profile = "version: 1\nevents: Ir\nfn=(1) main\n0 5\ntotals: 12345\n";
        assert_eq!(totals(profile), Some(12345));
        assert_eq!(totals("summary: 7 3\n"), Some(7));
        assert_eq!(totals("events: Ir\n"), None);
    }
}
