//! `explicit-async-annotate`: instruments that measure `#[explicit_async]`
//! on code nobody here wrote. See tools/annotate/README.md.
//!
//! - `crate NAME[@VERSION]`: annotate every `async fn` of a published crate;
//! - `rustc-ui`: rustc's own `tests/ui/async-await` pass tests, annotated;
//! - `compile-time`: build time of chains of awaiting functions.

mod compile_time;
mod diagnostics;
mod fetch;
mod headers;
mod krate;
mod locate;
mod process;
mod report;
mod rustc_ui;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: explicit-async-annotate <command> [options]

commands:
  crate NAME[@VERSION] [--keep-failing] [--no-recheck] [--update PKG]...
        [--features F,G] [--work DIR]
      Annotate every async fn with a body of a published crate (the newest
      version if none is given), un-annotate those that break the build,
      run the crate's tests, and report. Each function blamed is then built
      alone on top of the rest (--no-recheck skips this); --keep-failing
      leaves every function annotated (the failing build) when done;
      --update PKG runs `cargo update -p PKG` on the crate's lockfile first;
      --features builds and tests the crate with those features.
      DIR (default target/annotate) holds the copies, a shared target
      directory and the reports.

  rustc-ui [--cache DIR] [--work DIR]
      Build rustc's tests/ui/async-await run-pass, build-pass and check-pass
      tests (read from DIR, default target/annotate/rustc-ui/cache) as
      written and annotated, run the run-pass ones, and compare.

  compile-time [--depths 8,10,12,14,16,40] [--awaits twice|once|both]
               [--timeout SECONDS] [--work DIR]
      Time `cargo build` (debug) of a chain of async fns each awaiting the
      next (twice, once, or both variants; default both), native and
      annotated, each build stopped after SECONDS (default 300).
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
            let mut update = Vec::new();
            let mut features = Vec::new();
            let mut work = default_work;
            let mut rest = args[1..].iter();
            while let Some(arg) = rest.next() {
                match arg.as_str() {
                    "--keep-failing" => keep_failing = true,
                    "--no-recheck" => recheck = false,
                    "--update" => {
                        update.push(rest.next().ok_or("--update needs a package name")?.clone())
                    }
                    "--features" => features.extend(
                        rest.next()
                            .ok_or("--features needs a list of features")?
                            .split([',', ' '])
                            .filter(|f| !f.is_empty())
                            .map(str::to_string),
                    ),
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
                update,
                features,
                work,
                repo,
            })
        }
        Some("rustc-ui") => {
            let mut work = default_work;
            let mut cache = None;
            let mut rest = args[1..].iter();
            while let Some(arg) = rest.next() {
                let mut value = || {
                    rest.next()
                        .map(PathBuf::from)
                        .ok_or(format!("{arg} needs a directory"))
                };
                match arg.as_str() {
                    "--cache" => cache = Some(value()?),
                    "--work" => work = value()?,
                    other => return Err(format!("unknown option {other}\n{USAGE}")),
                }
            }
            let work = absolute(&work)?;
            let cache = cache.unwrap_or_else(|| work.join("rustc-ui/cache"));
            rustc_ui::run(&rustc_ui::Options { cache, work, repo })
        }
        Some("compile-time") => {
            let mut options = compile_time::Options {
                depths: vec![8, 10, 12, 14, 16, 40],
                awaits: compile_time::Awaits::parse("both")?,
                limit: std::time::Duration::from_secs(300),
                work: default_work,
                repo,
            };
            let mut rest = args[1..].iter();
            while let Some(arg) = rest.next() {
                let mut value = || rest.next().ok_or(format!("{arg} needs a value\n{USAGE}"));
                match arg.as_str() {
                    "--depths" => options.depths = parse_list(value()?)?,
                    "--awaits" => options.awaits = compile_time::Awaits::parse(value()?)?,
                    "--timeout" => {
                        options.limit =
                            std::time::Duration::from_secs(parse_number(value()?)? as u64)
                    }
                    "--work" => options.work = PathBuf::from(value()?),
                    other => return Err(format!("unknown option {other}\n{USAGE}")),
                }
            }
            options.work = absolute(&options.work)?;
            compile_time::run(&options)
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

fn parse_number(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{text}` is not a positive whole number")),
    }
}

/// `8,10,12` as numbers.
fn parse_list(text: &str) -> Result<Vec<usize>, String> {
    text.split(',').map(|n| parse_number(n.trim())).collect()
}
