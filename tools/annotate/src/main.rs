//! `explicit-async-annotate`: instruments that measure `#[explicit_async]`
//! on code nobody here wrote. See tools/annotate/README.md.
//!
//! - `crate NAME[@VERSION]`: annotate every `async fn` of a published crate;
//! - `rustc-ui`: rustc's own `tests/ui/async-await` pass tests, annotated;
//! - `compile-time`: build time of chains of awaiting functions.

mod diagnostics;
mod fetch;
mod krate;
mod locate;
mod process;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: explicit-async-annotate <command> [options]

commands:
  crate NAME[@VERSION] [--keep-failing] [--no-recheck] [--work DIR]
      Annotate every async fn with a body of a published crate (the newest
      version if none is given), un-annotate those that break the build,
      run the crate's tests, and report. Each function blamed is then built
      alone on top of the rest (--no-recheck skips this); --keep-failing
      leaves every function annotated (the failing build) when done.
      DIR (default target/annotate) holds the copies, a shared target
      directory and the reports.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(args: &[String]) -> Result<String, String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo
        .canonicalize()
        .map_err(|e| format!("{}: {e}", repo.display()))?;
    let default_work = repo.join("target/annotate");
    match args.first().map(String::as_str) {
        Some("crate") => {
            let mut spec = None;
            let mut keep_failing = false;
            let mut recheck = true;
            let mut work = default_work;
            let mut rest = args[1..].iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--keep-failing" => keep_failing = true,
                    "--no-recheck" => recheck = false,
                    "--work" => {
                        work = PathBuf::from(rest.next().ok_or("--work needs a directory")?)
                    }
                    flag if flag.starts_with('-') => {
                        return Err(format!("unknown option {flag}\n{USAGE}"));
                    }
                    name if spec.is_none() => spec = Some(fetch::CrateSpec::parse(name)?),
                    extra => return Err(format!("unexpected argument {extra}\n{USAGE}")),
                }
            }
            let spec = spec.ok_or(format!("crate needs a crate name\n{USAGE}"))?;
            let work = absolute(&work)?;
            krate::run(&krate::Options {
                spec,
                keep_failing,
                recheck,
                work,
                repo,
            })
        }
        Some("-h" | "--help" | "help") => Ok(USAGE.to_string()),
        Some(other) => Err(format!("unknown command {other}\n{USAGE}")),
        None => Err(USAGE.to_string()),
    }
}

fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    path.canonicalize()
        .map_err(|e| format!("{}: {e}", path.display()))
}
