//! `rustc-ui`: rustc's own `tests/ui/async-await` pass tests, each built
//! twice as a cargo crate, as written and with every `async fn` annotated.
//!
//! The test files are not fetched here: a copy of them is read from a cache
//! directory (see the README for how it is filled). Each test whose headers
//! this harness can honour becomes two packages of one scratch workspace,
//! `tN-native` and `tN-annotated`, built together with `--keep-going`. A
//! build-pass or check-pass test passes when its annotated package builds;
//! a run-pass test when, in addition, both programs exit alike and print
//! the same output. Tests whose unannotated package does not build (or run
//! successfully) here are counted apart: they measure the harness, not the
//! attribute.

use crate::diagnostics::{self, Diagnostic};
use crate::headers::{self, Mode};
use crate::locate;
use crate::process::{self, tail};
use crate::report::{ErrorSeen, shorten};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Options {
    /// Holds `tests/ui/async-await/**.rs` and `not-pass.txt`.
    pub cache: PathBuf,
    pub work: PathBuf,
    pub repo: PathBuf,
}

/// Files read from rustc's tree but not cached: they expect errors.
const NOT_PASS_LIST: &str = "not-pass.txt";
/// How long one test program may run.
const RUN_LIMIT: Duration = Duration::from_secs(30);

/// What happened to one pass test.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Skipped(String),
    NoAsyncFn,
    NativeFails(String),
    Pass,
    Fail(String),
}

struct Test {
    /// As in rustc's tree: `tests/ui/async-await/...`.
    path: String,
    mode: Mode,
    outcome: Outcome,
}

pub fn run(options: &Options) -> Result<String, String> {
    let mut files = Vec::new();
    collect(&options.cache, &options.cache, &mut files)?;
    if files.is_empty() {
        return Err(format!(
            "no test files in {}: fill the cache first (tools/annotate/README.md)",
            options.cache.display()
        ));
    }
    let not_pass = std::fs::read_to_string(options.cache.join(NOT_PASS_LIST))
        .map(|t| t.lines().filter(|l| !l.trim().is_empty()).count())
        .unwrap_or(0);
    let root = options.work.join("rustc-ui");
    let ws = root.join("ws");
    if ws.exists() {
        std::fs::remove_dir_all(&ws).map_err(|e| format!("cannot clear {}: {e}", ws.display()))?;
    }
    let mut tests = Vec::new();
    let mut expects_errors = 0;
    let mut members = Vec::new();
    // aux file path -> (its crate name, its package name)
    let mut auxes: BTreeMap<PathBuf, (String, String)> = BTreeMap::new();
    for (path, source) in files {
        let plan = headers::plan(&source);
        let Some(mode) = plan.mode else {
            expects_errors += 1;
            continue;
        };
        let aux = match aux_packages(&options.cache, &path, &plan, &ws, &options.repo, &mut auxes) {
            Ok(aux) => aux,
            Err(missing) => {
                tests.push(Test {
                    path,
                    mode,
                    outcome: Outcome::Skipped(missing),
                });
                continue;
            }
        };
        let outcome = match (&plan.skip, locate::find_async_fns(&source)) {
            (Some(reason), _) => Outcome::Skipped(reason.clone()),
            (None, Err(e)) => Outcome::Skipped(format!("syn cannot parse it ({})", e.0)),
            (None, Ok(fns)) if !fns.iter().any(|f| f.has_body) => Outcome::NoAsyncFn,
            (None, Ok(fns)) => {
                let offsets: Vec<usize> = fns
                    .iter()
                    .filter(|f| f.has_body)
                    .map(|f| f.insert_at)
                    .collect();
                let annotated = locate::insert_at(&source, &offsets, locate::ATTRIBUTE);
                let n = tests.len();
                for (side, text) in [("native", &source), ("annotated", &annotated)] {
                    let name = format!("t{n}-{side}");
                    write_package(&ws.join(&name), &name, &plan, text, &options.repo, &aux)?;
                    members.push(name);
                }
                Outcome::Pass
            }
        };
        tests.push(Test {
            path,
            mode,
            outcome,
        });
    }
    members.extend(auxes.into_values().map(|(_, package)| package));
    if !members.is_empty() {
        let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = {members:?}\n");
        std::fs::write(ws.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        measure(&ws, &root.join("target"), &mut tests)?;
    }
    Ok(render(&tests, expects_errors, not_pass))
}

/// Every `.rs` file under `dir` except aux crates, with its path as in
/// rustc's tree.
fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "auxiliary") {
                collect(base, &path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let rel = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            out.push((rel, text));
        }
    }
    Ok(())
}

/// The `aux-build` crates of a test as (crate name, package name), each
/// written once as a package of the workspace; `Err` names one that is not
/// in the cache.
fn aux_packages(
    cache: &Path,
    test: &str,
    plan: &headers::Plan,
    ws: &Path,
    repo: &Path,
    auxes: &mut BTreeMap<PathBuf, (String, String)>,
) -> Result<Vec<(String, String)>, String> {
    let dir = Path::new(test).parent().unwrap_or(Path::new(""));
    let mut found = Vec::new();
    for file in &plan.aux {
        let path =
            find_aux(cache, dir, file).ok_or_else(|| format!("aux file not cached ({file})"))?;
        if let Some(known) = auxes.get(&path) {
            found.push(known.clone());
            continue;
        }
        let source =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let crate_name = file.trim_end_matches(".rs").replace('-', "_");
        let package = format!("aux{}", auxes.len());
        let mut aux_plan = headers::plan(&source);
        // Its flags are not honoured (aux code is not measured); a feature gate
        // would stop the build on stable, so the test cannot be built.
        if source.contains("#![feature") {
            return Err(format!("aux crate needs an unstable feature ({file})"));
        }
        aux_plan.library = true;
        write_package(&ws.join(&package), &package, &aux_plan, &source, repo, &[])?;
        auxes.insert(path, (crate_name.clone(), package.clone()));
        found.push((crate_name, package));
    }
    Ok(found)
}

/// `auxiliary/FILE` beside the test, or else in the nearest directory above
/// it that has one: a test moved within rustc's tree keeps naming the aux
/// file it had, which the cache may hold at its new place only.
fn find_aux(cache: &Path, dir: &Path, file: &str) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| cache.join(d).join("auxiliary").join(file))
        .chain(sibling_auxes(cache, dir, file))
        .find(|p| p.is_file())
}

/// `auxiliary/FILE` in the subdirectories of the test's own directory.
fn sibling_auxes(cache: &Path, dir: &Path, file: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(cache.join(dir)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path().join("auxiliary").join(file))
        .collect();
    found.sort();
    found
}

/// A package of the scratch workspace; `aux` are (crate name, package name)
/// of the aux crates it depends on.
fn write_package(
    dir: &Path,
    name: &str,
    plan: &headers::Plan,
    source: &str,
    repo: &Path,
    aux: &[(String, String)],
) -> Result<(), String> {
    std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"{}\"\npublish = false\n\n\
         [dependencies]\nexplicit-async = {{ path = {:?} }}\n",
        plan.edition,
        repo.to_string_lossy()
    );
    for (crate_name, package) in aux {
        let _ = writeln!(
            manifest,
            "{crate_name} = {{ path = \"../{package}\", package = \"{package}\" }}"
        );
    }
    let file = if plan.library {
        "src/lib.rs"
    } else {
        "src/main.rs"
    };
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write(dir.join("Cargo.toml"), &manifest)?;
    write(dir.join(file), source)
}

/// Builds the workspace, runs the run-pass programs, and settles the outcome
/// of every test that was built.
fn measure(ws: &Path, target: &Path, tests: &mut [Test]) -> Result<(), String> {
    let target = target.to_string_lossy().into_owned();
    let env = [
        ("CARGO_TARGET_DIR", target.as_str()),
        ("CARGO_TERM_COLOR", "never"),
    ];
    eprintln!(
        "[rustc-ui] building {} tests, each twice",
        tests.iter().filter(|t| t.outcome == Outcome::Pass).count()
    );
    let args = [
        "build",
        "--workspace",
        "--keep-going",
        "--message-format=json",
    ];
    let done = process::run(ws, "cargo", &args, &env, Duration::from_secs(3600))
        .map_err(|e| e.to_string())?;
    if done.timed_out || done.stdout.trim().is_empty() {
        return Err(format!(
            "the workspace build did not finish:\n{}",
            tail(&done.stderr, 20)
        ));
    }
    let built = Built::parse(&done.stdout);
    for (n, test) in tests.iter_mut().enumerate() {
        if test.outcome != Outcome::Pass {
            continue;
        }
        let [native, annotated] = [format!("t{n}-native"), format!("t{n}-annotated")];
        test.outcome = if let Some(error) = built.first_error(&native) {
            Outcome::NativeFails(error)
        } else if let Some(error) = built.first_error(&annotated) {
            Outcome::Fail(error)
        } else if test.mode == Mode::Run {
            compare_runs(&built, &native, &annotated)?
        } else {
            Outcome::Pass
        };
        // Spans name the scratch package's file; the reader wants the test's.
        if let Outcome::Fail(why) | Outcome::NativeFails(why) = &mut test.outcome {
            let name = Path::new(&test.path)
                .file_name()
                .unwrap_or_default()
                .to_string_lossy();
            for package in [&native, &annotated] {
                for file in ["src/main.rs", "src/lib.rs"] {
                    *why = why.replace(&format!("{package}/{file}"), &name);
                }
            }
        }
    }
    Ok(())
}

/// Runs both programs of a run-pass test and compares what they did.
fn compare_runs(built: &Built, native: &str, annotated: &str) -> Result<Outcome, String> {
    let (Some(native_exe), Some(annotated_exe)) = (
        built.executables.get(native),
        built.executables.get(annotated),
    ) else {
        return Ok(Outcome::NativeFails(
            "no executable (not a bin crate?)".to_string(),
        ));
    };
    let run = |exe: &String| {
        process::run(
            Path::new("."),
            exe,
            &[],
            &[("RUST_BACKTRACE", "0")],
            RUN_LIMIT,
        )
        .map_err(|e| format!("cannot run {exe}: {e}"))
    };
    let (native_run, annotated_run) = (run(native_exe)?, run(annotated_exe)?);
    if !native_run.success() {
        return Ok(Outcome::NativeFails(format!(
            "exits with {:?}",
            native_run.code
        )));
    }
    let differs = |what: &str, a: &str, b: &str| {
        format!(
            "{what} differs: native {:?}, annotated {:?}",
            shorten(a, 80),
            shorten(b, 80)
        )
    };
    Ok(if annotated_run.code != native_run.code {
        Outcome::Fail(format!(
            "exit status differs: native {:?}, annotated {:?}{}; stderr: {}",
            native_run.code,
            annotated_run.code,
            if annotated_run.timed_out {
                " (stopped after 30 s)"
            } else {
                ""
            },
            shorten(
                &annotated_run
                    .stderr
                    .trim()
                    .lines()
                    .collect::<Vec<_>>()
                    .join(" / "),
                240
            )
        ))
    } else if annotated_run.stdout != native_run.stdout {
        Outcome::Fail(differs("stdout", &native_run.stdout, &annotated_run.stdout))
    } else if annotated_run.stderr != native_run.stderr {
        Outcome::Fail(differs("stderr", &native_run.stderr, &annotated_run.stderr))
    } else {
        Outcome::Pass
    })
}

/// What one workspace build produced, by package name.
#[derive(Default)]
struct Built {
    errors: BTreeMap<String, Vec<Diagnostic>>,
    executables: BTreeMap<String, String>,
    /// Packages whose crate was compiled (an artifact was reported).
    compiled: BTreeSet<String>,
}

impl Built {
    fn parse(json_lines: &str) -> Built {
        let mut built = Built::default();
        for line in json_lines.lines() {
            let Ok(message) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let Some(package) = package_name(message["package_id"].as_str().unwrap_or_default())
            else {
                continue;
            };
            if message["reason"] == "compiler-artifact" {
                built.compiled.insert(package.clone());
            }
            if let Some(exe) = message["executable"].as_str() {
                built.executables.insert(package.clone(), exe.to_string());
            }
            if message["reason"] == "compiler-message" {
                let error =
                    diagnostics::from_json(&message["message"]).filter(|d| d.level == "error");
                built.errors.entry(package).or_default().extend(error);
            }
        }
        built
    }

    /// `E0507 message — file:line: excerpt` of the package's first error,
    /// or why it was not compiled; `None` if it was.
    fn first_error(&self, package: &str) -> Option<String> {
        let errors = self
            .errors
            .get(package)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let Some(error) = errors
            .iter()
            .find(|d| !d.message.starts_with("aborting due to"))
        else {
            return (!self.compiled.contains(package))
                .then(|| "not compiled (a dependency failed?)".to_string());
        };
        let seen = ErrorSeen::new(error, None);
        Some(format!(
            "{} — {}",
            seen.headline(),
            seen.excerpt.first().cloned().unwrap_or_default()
        ))
    }
}

/// `t3-native` from `path+file:///…/ws/t3-native#0.0.0` or `…#t3-native@0.0.0`.
fn package_name(package_id: &str) -> Option<String> {
    let (path, fragment) = package_id.split_once('#')?;
    let name = match fragment.split_once('@') {
        Some((name, _)) => name,
        None => path.rsplit('/').next()?,
    };
    name.starts_with('t').then(|| name.to_string())
}

fn render(tests: &[Test], expects_errors: usize, not_pass: usize) -> String {
    let mut out =
        String::from("# rustc's tests/ui/async-await pass tests with #[explicit_async]\n\n");
    let _ = writeln!(
        out,
        "Files read: {} pass tests, {} tests expecting errors (cached) and {not_pass} more listed in {NOT_PASS_LIST}.\n",
        tests.len(),
        expects_errors
    );
    let _ = writeln!(
        out,
        "| mode | tests | skipped | no async fn with a body | unannotated fails here | measured | **pass** | fail |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for mode in [Mode::Run, Mode::Build, Mode::Check] {
        let of_mode: Vec<&Test> = tests.iter().filter(|t| t.mode == mode).collect();
        let count = |f: fn(&Outcome) -> bool| of_mode.iter().filter(|t| f(&t.outcome)).count();
        let pass = count(|o| *o == Outcome::Pass);
        let fail = count(|o| matches!(o, Outcome::Fail(_)));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | **{pass}** | {fail} |",
            mode.name(),
            of_mode.len(),
            count(|o| matches!(o, Outcome::Skipped(_))),
            count(|o| *o == Outcome::NoAsyncFn),
            count(|o| matches!(o, Outcome::NativeFails(_))),
            pass + fail,
        );
    }
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for test in tests {
        if let Outcome::Skipped(reason) = &test.outcome {
            let key = reason
                .split(':')
                .next()
                .unwrap_or(reason)
                .split(" (")
                .next()
                .unwrap_or(reason);
            *reasons.entry(key).or_default() += 1;
        }
    }
    let _ = writeln!(out, "\nSkipped, by reason: {}.\n", join_counts(&reasons));
    for (title, pick) in [
        (
            "Failing with the attribute",
            (|o: &Outcome| matches!(o, Outcome::Fail(_))) as fn(&Outcome) -> bool,
        ),
        (
            "Not measured: the unannotated test fails in this harness",
            |o| matches!(o, Outcome::NativeFails(_)),
        ),
    ] {
        let _ = writeln!(out, "## {title}\n");
        for test in tests.iter().filter(|t| pick(&t.outcome)) {
            if let Outcome::Fail(why) | Outcome::NativeFails(why) = &test.outcome {
                let _ = writeln!(out, "- `{}` ({}): {why}", test.path, test.mode.name());
            }
        }
        out.push('\n');
    }
    out
}

fn join_counts(counts: &BTreeMap<&str, usize>) -> String {
    let mut sorted: Vec<_> = counts.iter().collect();
    sorted.sort_by_key(|(_, n)| std::cmp::Reverse(**n));
    let parts: Vec<String> = sorted.iter().map(|(k, n)| format!("{k} {n}")).collect();
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_from_both_id_formats() {
        assert_eq!(
            package_name("path+file:///w/ws/t3-native#0.0.0").as_deref(),
            Some("t3-native")
        );
        assert_eq!(
            package_name("path+file:///w/ws/t12-annotated#t12-annotated@0.0.0").as_deref(),
            Some("t12-annotated")
        );
        assert_eq!(package_name("registry+https://x#libc@0.2.1"), None);
    }

    #[test]
    fn the_table_counts_outcomes_per_mode() {
        let test = |mode, outcome| Test {
            path: "tests/ui/async-await/x.rs".to_string(),
            mode,
            outcome,
        };
        let tests = [
            test(Mode::Run, Outcome::Pass),
            test(Mode::Run, Outcome::Fail("E0507 …".to_string())),
            test(Mode::Run, Outcome::Skipped("aux crate".to_string())),
            test(Mode::Build, Outcome::NoAsyncFn),
            test(Mode::Check, Outcome::NativeFails("E0601".to_string())),
        ];
        let table = render(&tests, 7, 3);
        assert!(
            table.contains("| run-pass | 3 | 1 | 0 | 0 | 2 | **1** | 1 |"),
            "{table}"
        );
        assert!(
            table.contains("| build-pass | 1 | 0 | 1 | 0 | 0 | **0** | 0 |"),
            "{table}"
        );
        assert!(
            table.contains("| check-pass | 1 | 0 | 0 | 1 | 0 | **0** | 0 |"),
            "{table}"
        );
        assert!(
            table.contains("Skipped, by reason: aux crate 1."),
            "{table}"
        );
        assert!(
            table.contains("- `tests/ui/async-await/x.rs` (run-pass): E0507 …"),
            "{table}"
        );
    }
}
