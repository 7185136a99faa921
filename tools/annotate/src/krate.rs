//! `crate`: annotate every `async fn` of a published crate, keep the ones
//! that build, and run the crate's tests.
//!
//! Steps, all in a scratch copy under the work directory:
//! 1. a probe build finds which functions are compiled at all (those behind
//!    a false `#[cfg]` are not): each gets `#[allow(explicit_async_probe_N)]`,
//!    and rustc's "unknown lint" warning for `N` says it was seen;
//! 2. the unannotated crate is built and tested, the baseline;
//! 3. every compiled function with a body is annotated; while the build
//!    fails, the functions its errors belong to are un-annotated, with their
//!    errors recorded;
//! 4. the tests are run on what builds.

use crate::diagnostics::{self, Diagnostic, Region, SpanAt};
use crate::fetch::{self, CrateSpec};
use crate::locate::{self, AsyncFn};
use crate::process::{self, TestTotals, tail};
use crate::report::{self, Failure};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Options {
    pub spec: CrateSpec,
    pub keep_failing: bool,
    /// Rebuild each failing function alone on top of the building set.
    pub recheck: bool,
    /// Packages to `cargo update` in the crate's lockfile first.
    pub update: Vec<String>,
    /// Features of the crate to build and test with (`--features`), for a
    /// crate whose async code is behind one (redis's `tokio-comp`).
    pub features: Vec<String>,
    pub work: PathBuf,
    pub repo: PathBuf,
}

/// A limit no build or test run of these crates comes near (dependencies
/// included); it only stops a hang.
const LIMIT: Duration = Duration::from_secs(1800);

/// The directories whose `.rs` files are searched; `src/` is the crate,
/// the others its own tests, examples and benchmarks.
const SOURCE_DIRS: [&str; 4] = ["src", "tests", "examples", "benches"];

struct SourceFile {
    /// Relative to the crate root, as rustc's spans name it.
    path: PathBuf,
    original: String,
    fns: Vec<AsyncFn>,
}

/// A function with a body: (file index, index in that file's `fns`).
type FnId = (usize, usize);

struct Crate {
    root: PathBuf,
    files: Vec<SourceFile>,
    target_dir: String,
    /// `--features a,b` for every build and test run, or nothing.
    features: Vec<String>,
}

pub fn run(options: &Options) -> Result<String, String> {
    let (source, version) = fetch::fetch(&options.spec, &options.work)?;
    let name = format!("{}-{version}", options.spec.name);
    let root = options.work.join("crates").join(&name);
    fetch::scratch_copy(&options.spec.name, &source, &root, &options.repo)?;
    eprintln!("[annotate] {name}: copied to {}", root.display());
    let target_dir = options.work.join("target").to_string_lossy().into_owned();
    // The packaged lockfile pins the registry's copy of the crate for its
    // dev-dependencies' sake: unlocked, the patch to the copy applies. Where
    // cargo calls that a cycle (async-std's dev-dependency `surf` depends
    // on async-std), the copy goes without the patch.
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    let own = registry_entries(&lock, &options.spec.name);
    if let Err(error) = update_lock(&root, &own, &target_dir) {
        eprintln!("[annotate] without the self-patch: {}", tail(&error, 3));
        fetch::remove_self_patch(&root, &options.spec.name)?;
    }
    let lock_changes = update_lock(&root, &options.update, &target_dir)?;
    let (files, unparsed) = read_sources(&root)?;
    let krate = Crate {
        root,
        files,
        target_dir,
        features: match options.features.is_empty() {
            true => Vec::new(),
            false => vec!["--features".to_string(), options.features.join(",")],
        },
    };
    let with_body: Vec<FnId> = krate
        .all_fns()
        .filter(|&id| krate.func(id).has_body)
        .collect();

    eprintln!(
        "[annotate] probe build: which of {} functions are compiled",
        with_body.len()
    );
    let compiled = krate.probe(&with_body)?;
    eprintln!("[annotate] native build and tests");
    krate.write(&BTreeSet::new(), locate::ATTRIBUTE)?;
    let native_build = krate.build()?;
    if !diagnostics::build_succeeded(&native_build) {
        return Err(format!(
            "{name} does not build unannotated; nothing to measure"
        ));
    }
    let native_tests = krate.test()?;

    let mut annotated: BTreeSet<FnId> = compiled.iter().copied().collect();
    let mut failures: Vec<(FnId, Failure)> = Vec::new();
    let mut round = 0;
    loop {
        round += 1;
        eprintln!(
            "[annotate] round {round}: {} functions annotated",
            annotated.len()
        );
        krate.write(&annotated, locate::ATTRIBUTE)?;
        let output = krate.build()?;
        if diagnostics::build_succeeded(&output) {
            break;
        }
        let errors: Vec<Diagnostic> = diagnostics::parse_messages(&output)
            .into_iter()
            .filter(|d| d.level == "error" && !d.message.starts_with("aborting due to"))
            .collect();
        let blamed = krate.blame(&errors, &annotated);
        if blamed.is_empty() {
            return Err(format!(
                "the build fails with nothing left to blame ({} functions annotated):\n{}",
                annotated.len(),
                errors
                    .iter()
                    .map(|e| e.rendered.as_str())
                    .collect::<String>()
            ));
        }
        for failure in blamed {
            annotated.remove(&failure.id);
            failures.push((failure.id, failure.into_report(&krate, round)));
        }
    }
    let recovered = if options.recheck {
        krate.recheck(&mut annotated, &mut failures)?
    } else {
        0
    };
    let failures: Vec<Failure> = failures.into_iter().map(|(_, f)| f).collect();
    let annotated_tests = krate.test()?;
    let where_left = if options.keep_failing {
        krate.write(&compiled.iter().copied().collect(), locate::ATTRIBUTE)?;
        format!(
            "every compiled function annotated (the failing build), in {}",
            krate.root.display()
        )
    } else {
        format!("the building set annotated, in {}", krate.root.display())
    };
    let rendered = report::render_crate(&report::CrateReport {
        name: &name,
        unparsed: &unparsed,
        counts: krate.counts(&with_body, &compiled, &annotated),
        failures: &failures,
        rounds: round,
        recovered,
        native_tests: &native_tests,
        annotated_tests: &annotated_tests,
        where_left: &where_left,
        lock_changes: &lock_changes,
        features: &options.features,
    });
    let saved = options.work.join(format!("{name}-report.md"));
    let errors = options.work.join(format!("{name}-errors.txt"));
    std::fs::write(&saved, &rendered).map_err(|e| format!("{}: {e}", saved.display()))?;
    std::fs::write(&errors, report::rendered_errors(&failures))
        .map_err(|e| format!("{}: {e}", errors.display()))?;
    eprintln!(
        "[annotate] report in {}, rustc's full errors in {}",
        saved.display(),
        errors.display()
    );
    Ok(rendered)
}

/// Runs `cargo update -p P` for each of `packages` and returns what cargo
/// said it changed. For a lockfile whose versions are too old for
/// explicit-async's own dependencies (see the README).
fn update_lock(root: &Path, packages: &[String], target_dir: &str) -> Result<Vec<String>, String> {
    let mut changes = Vec::new();
    for package in packages {
        let env = [
            ("CARGO_TARGET_DIR", target_dir),
            ("CARGO_TERM_COLOR", "never"),
        ];
        let done = process::run(root, "cargo", &["update", "-p", package], &env, LIMIT)
            .map_err(|e| e.to_string())?;
        if !done.success() {
            return Err(format!(
                "cargo update -p {package} failed:\n{}",
                tail(&done.stderr, 10)
            ));
        }
        changes.extend(
            done.stderr
                .lines()
                .map(str::trim)
                .filter(|l| l.starts_with("Updating ") && !l.contains("index"))
                .map(str::to_string),
        );
    }
    Ok(changes)
}

/// `NAME@VERSION` of each entry of `lock` for the crate `name` from a
/// registry (not the copy itself, which has no `source`).
fn registry_entries(lock: &str, name: &str) -> Vec<String> {
    lock.split("[[package]]")
        .filter_map(|entry| {
            let field = |key: &str| {
                entry.lines().find_map(|l| {
                    l.strip_prefix(key)
                        .and_then(|v| v.trim().strip_prefix('='))
                        .map(|v| v.trim().trim_matches('"').to_string())
                })
            };
            let registry = field("source").is_some_and(|s| s.starts_with("registry+"));
            if field("name")? != name || !registry {
                return None;
            }
            Some(format!("{name}@{}", field("version")?))
        })
        .collect()
}

/// Parses every `.rs` file under the source directories; files syn cannot
/// parse are listed and left alone.
fn read_sources(root: &Path) -> Result<(Vec<SourceFile>, Vec<String>), String> {
    let mut paths = Vec::new();
    for dir in SOURCE_DIRS {
        collect_rs(root, Path::new(dir), &mut paths);
    }
    paths.sort();
    let mut files = Vec::new();
    let mut unparsed = Vec::new();
    for path in paths {
        let full = root.join(&path);
        let original =
            std::fs::read_to_string(&full).map_err(|e| format!("{}: {e}", full.display()))?;
        match locate::find_async_fns(&original) {
            Ok(fns) if fns.is_empty() => {}
            Ok(fns) => files.push(SourceFile {
                path,
                original,
                fns,
            }),
            Err(e) => unparsed.push(format!("{}: {}", path.display(), e.0)),
        }
    }
    Ok((files, unparsed))
}

fn collect_rs(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return;
    };
    for entry in entries.flatten() {
        let rel = dir.join(entry.file_name());
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            collect_rs(root, &rel, out);
        } else if rel.extension().is_some_and(|e| e == "rs") {
            out.push(rel);
        }
    }
}

/// Counts for the report, split into the crate's own code and its tests/examples.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub found: [usize; 2],
    pub with_body: [usize; 2],
    pub compiled: [usize; 2],
    pub building: [usize; 2],
}

/// Records `error` against `id`, once.
fn add(
    blamed: &mut BTreeMap<FnId, Blamed>,
    id: FnId,
    error: &Diagnostic,
    at: Option<&SpanAt>,
    how: &'static str,
) {
    let entry = blamed.entry(id).or_insert_with(|| Blamed {
        id,
        errors: Vec::new(),
        how,
    });
    if !entry.errors.iter().any(|(seen, _)| seen == error) {
        entry.errors.push((error.clone(), at.cloned()));
    }
}

/// One function whose annotation broke the build, with the errors blamed on it.
struct Blamed {
    id: FnId,
    errors: Vec<(Diagnostic, Option<SpanAt>)>,
    how: &'static str,
}

impl Blamed {
    fn into_report(self, krate: &Crate, round: usize) -> Failure {
        let func = krate.func(self.id);
        Failure {
            function: func.name.clone(),
            location: format!(
                "{}:{}",
                krate.files[self.id.0].path.display(),
                func.first_line
            ),
            round,
            how: self.how,
            errors: self
                .errors
                .into_iter()
                .map(|(d, at)| report::ErrorSeen::new(&d, at.as_ref()))
                .collect(),
            builds_alone: None,
        }
    }
}

impl Crate {
    fn all_fns(&self) -> impl Iterator<Item = FnId> + '_ {
        self.files
            .iter()
            .enumerate()
            .flat_map(|(f, file)| (0..file.fns.len()).map(move |i| (f, i)))
    }

    fn func(&self, (file, index): FnId) -> &AsyncFn {
        &self.files[file].fns[index]
    }

    fn is_src(&self, (file, _): FnId) -> bool {
        self.files[file].path.starts_with("src")
    }

    /// Writes every file with `text` inserted before the functions in `chosen`.
    fn write(&self, chosen: &BTreeSet<FnId>, text: &str) -> Result<(), String> {
        self.write_with(chosen, |_| text.to_string())
    }

    fn write_with(
        &self,
        chosen: &BTreeSet<FnId>,
        text: impl Fn(FnId) -> String,
    ) -> Result<(), String> {
        for (f, file) in self.files.iter().enumerate() {
            let mut out = file.original.clone();
            // From the end, so earlier offsets stay valid.
            for i in (0..file.fns.len())
                .rev()
                .filter(|&i| chosen.contains(&(f, i)))
            {
                out = locate::insert_at(&out, &[file.fns[i].insert_at], &text((f, i)));
            }
            let path = self.root.join(&file.path);
            std::fs::write(&path, out)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(())
    }

    /// Runs `cargo` with `args` and the crate's `--features`.
    fn cargo(&self, args: &[&str]) -> Result<process::Finished, String> {
        let args: Vec<&str> = args
            .iter()
            .copied()
            .chain(self.features.iter().map(String::as_str))
            .collect();
        let env = [
            ("CARGO_TARGET_DIR", self.target_dir.as_str()),
            ("CARGO_TERM_COLOR", "never"),
        ];
        process::run(&self.root, "cargo", &args, &env, LIMIT).map_err(|e| e.to_string())
    }

    /// Builds everything `cargo test` builds (the library is built as the
    /// others' dependency); returns cargo's JSON lines. `--keep-going`: every
    /// target whose dependencies build reports its errors in the same round.
    fn build(&self) -> Result<String, String> {
        let args = [
            "build",
            "--bins",
            "--tests",
            "--examples",
            "--keep-going",
            "--message-format=json",
        ];
        let done = self.cargo(&args)?;
        if done.timed_out {
            return Err(format!("the build took over {} s", LIMIT.as_secs()));
        }
        if done.stdout.trim().is_empty() {
            return Err(format!(
                "cargo printed no JSON:\n{}",
                tail(&done.stderr, 20)
            ));
        }
        Ok(done.stdout)
    }

    fn test(&self) -> Result<TestTotals, String> {
        let done = self.cargo(&["test", "--no-fail-fast"])?;
        if done.timed_out {
            return Err(format!("the tests took over {} s", LIMIT.as_secs()));
        }
        let totals = process::test_totals(&format!("{}\n{}", done.stdout, done.stderr));
        if !done.success() && totals.passed + totals.failed == 0 {
            return Err(format!(
                "`cargo test` ran no test:\n{}",
                tail(&done.stderr, 20)
            ));
        }
        Ok(totals)
    }

    /// The functions of `candidates` that rustc compiles in some target.
    fn probe(&self, candidates: &[FnId]) -> Result<Vec<FnId>, String> {
        let index: BTreeMap<String, FnId> = candidates
            .iter()
            .enumerate()
            .map(|(n, &id)| (format!("explicit_async_probe_{n}"), id))
            .collect();
        let by_id: BTreeMap<FnId, &String> = index.iter().map(|(name, &id)| (id, name)).collect();
        let chosen = candidates.iter().copied().collect();
        self.write_with(&chosen, |id| format!("#[allow({})]", by_id[&id]))?;
        let output = self.build()?;
        let seen: BTreeSet<FnId> = diagnostics::parse_messages(&output)
            .iter()
            .filter(|d| d.code == "unknown_lints")
            .filter_map(|d| index.get(d.message.rsplit('`').nth(1)?).copied())
            .collect();
        if seen.is_empty() && !candidates.is_empty() {
            let errors: String = diagnostics::parse_messages(&output)
                .iter()
                .filter(|d| d.level == "error")
                .take(3)
                .map(|d| d.rendered.as_str())
                .collect();
            return Err(format!(
                "the probe build saw none of the functions; rustc said:\n{errors}"
            ));
        }
        Ok(seen.into_iter().collect())
    }

    /// Errors of one function can surface in another (a type error in a
    /// caller, say), so a function blamed once may be innocent. Each failing
    /// function is built alone on top of the building set: one that fails
    /// alone keeps its errors; those that build alone are tried all together
    /// and, if that builds, join the building set. Returns how many joined.
    fn recheck(
        &self,
        annotated: &mut BTreeSet<FnId>,
        failures: &mut Vec<(FnId, Failure)>,
    ) -> Result<usize, String> {
        let mut alone = Vec::new();
        let total = failures.len();
        for (n, (id, failure)) in failures.iter_mut().enumerate() {
            eprintln!("[annotate] recheck {}/{total}: {}", n + 1, failure.function);
            let mut set = annotated.clone();
            set.insert(*id);
            self.write(&set, locate::ATTRIBUTE)?;
            let builds = diagnostics::build_succeeded(&self.build()?);
            failure.builds_alone = Some(builds);
            if builds {
                alone.push(*id);
            }
        }
        let mut set = annotated.clone();
        set.extend(alone.iter().copied());
        self.write(&set, locate::ATTRIBUTE)?;
        if alone.is_empty() || !diagnostics::build_succeeded(&self.build()?) {
            self.write(annotated, locate::ATTRIBUTE)?;
            return Ok(0);
        }
        *annotated = set;
        failures.retain(|(id, _)| !alone.contains(id));
        Ok(alone.len())
    }

    /// The functions the errors belong to. Errors placed by their spans come
    /// first; when a build has none of those, the functions named in the
    /// errors, and failing that every annotated function in the files the
    /// errors point at.
    fn blame(&self, errors: &[Diagnostic], annotated: &BTreeSet<FnId>) -> Vec<Blamed> {
        let ids: Vec<FnId> = annotated.iter().copied().collect();
        let regions: Vec<Region> = ids
            .iter()
            .map(|&id| Region {
                file: &self.files[id.0].path,
                first_line: self.func(id).first_line,
                last_line: self.func(id).last_line,
            })
            .collect();
        let mut blamed: BTreeMap<FnId, Blamed> = BTreeMap::new();
        let mut unplaced = Vec::new();
        for error in errors {
            match diagnostics::attribute(error, &regions, &self.root) {
                Some((region, at)) => add(&mut blamed, ids[region], error, Some(at), "span"),
                None => unplaced.push(error),
            }
        }
        if blamed.is_empty() {
            for error in &unplaced {
                let text = format!("{}\n{}", error.message, error.rendered);
                for &id in &ids {
                    let short = self.func(id).name.rsplit("::").next().unwrap_or_default();
                    if text.contains(&format!("`{short}`")) {
                        add(&mut blamed, id, error, None, "named in the error");
                    }
                }
            }
        }
        if blamed.is_empty() {
            for error in &unplaced {
                for span in &error.spans {
                    let file = span.file.strip_prefix(&self.root).unwrap_or(&span.file);
                    for &id in ids.iter().filter(|id| self.files[id.0].path == file) {
                        add(
                            &mut blamed,
                            id,
                            error,
                            None,
                            "in the file of an unplaced error",
                        );
                    }
                }
            }
        }
        blamed.into_values().collect()
    }

    fn counts(&self, with_body: &[FnId], compiled: &[FnId], building: &BTreeSet<FnId>) -> Counts {
        let mut counts = Counts::default();
        let side = |id: FnId| usize::from(!self.is_src(id));
        for id in self.all_fns() {
            counts.found[side(id)] += 1;
        }
        for &id in with_body {
            counts.with_body[side(id)] += 1;
        }
        for &id in compiled {
            counts.compiled[side(id)] += 1;
        }
        for &id in building {
            counts.building[side(id)] += 1;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_crates_own_registry_entries_are_found_in_its_lockfile() {
        let lock = "version = 4\n\n[[package]]\nname = \"tokio\"\nversion = \"1.54.0\"\n\
                    source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n\
                    [[package]]\nname = \"tokio\"\nversion = \"1.54.1\"\ndependencies = []\n\n\
                    [[package]]\nname = \"tokio-stream\"\nversion = \"0.1.19\"\n\
                    source = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
        assert_eq!(super::registry_entries(lock, "tokio"), ["tokio@1.54.0"]);
        assert!(super::registry_entries(lock, "bb8").is_empty());
    }
}
