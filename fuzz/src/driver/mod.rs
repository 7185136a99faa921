//! The driver: compiles a batch of generated functions both ways in one
//! crate, finds which functions rustc rejects (dropped: not accepted),
//! which the macro rejects clearly, which make the expansion fail to build
//! (defects), which gain lints, then runs the rest and classifies each.

mod batch_crate;
pub mod diag;
pub mod json;
mod process;

use crate::ast::Func;
use crate::generator::Edition;
use diag::{Diagnostic, Side};
use process::CaseEnd;
use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;
use std::time::Duration;

pub use batch_crate::{Lend, call};

/// What happened to one generated function.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// rustc rejects the function as written (the generator's miss).
    NotAccepted(String),
    /// Rejected by the macro with one of its own messages.
    Clear(String),
    /// The expansion does not build: the key is the error code and message.
    BuildDefect(String),
    Equal,
    /// Built, but behaved differently: every kind of difference found,
    /// the first one the cluster's key.
    Divergence(Vec<String>),
    /// Not compared (the native future did not terminate, or crashed).
    Skipped(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub outcome: Outcome,
    /// The error as rustc rendered it, or the divergence's detail.
    pub detail: String,
    /// Lints the expansion adds: (cluster key, rendered warning).
    pub lints: Vec<(String, String)>,
}

impl CaseResult {
    fn new(outcome: Outcome, detail: impl Into<String>) -> CaseResult {
        CaseResult {
            outcome,
            detail: detail.into(),
            lints: Vec::new(),
        }
    }
}

pub struct Settings {
    pub edition: Edition,
    /// The explicit-async workspace the batch depends on.
    pub repo: PathBuf,
    /// `target/fuzz-work`: the batch crate and its target directory.
    pub work: PathBuf,
    /// Copies each batch's final crate here (`--keep`).
    pub keep: Option<PathBuf>,
    pub build_limit: Duration,
    pub case_limit: Duration,
}

/// Wall time of each step of one batch.
#[derive(Debug, Clone, Default)]
pub struct Timing {
    pub native: Duration,
    pub annotated: Duration,
    pub run: Duration,
    pub builds: usize,
}

const NATIVE_ROUNDS: usize = 4;
const ANNOTATED_ROUNDS: usize = 8;

/// The case a diagnostic points at, on either module or in `main.rs`.
fn attribute(d: &Diagnostic, layout: &batch_crate::Layout) -> Option<(Side, usize)> {
    diag::attribute(d, &layout.ranges).or_else(|| {
        d.locations
            .iter()
            .filter(|loc| loc.file.ends_with("main.rs"))
            .find_map(|loc| layout.case_at_main_line(loc.line))
            .map(|case| (Side::Annotated, case))
    })
}

/// Builds an empty batch once, so the dependencies (the workspace's crates)
/// are compiled before the first timed batch build.
pub fn warm_up(settings: &Settings) -> io::Result<Duration> {
    let dir = settings.work.join("batch");
    batch_crate::write(&dir, &settings.repo, settings.edition, &[], true)?;
    let limit = Duration::from_secs(1800);
    let build = process::cargo(&dir, &settings.work.join("target"), "build", limit)?;
    if !build.success {
        let why = first_error(&build.diagnostics, build.timed_out);
        return Err(io::Error::other(format!(
            "the empty batch crate does not build: {why}"
        )));
    }
    Ok(build.elapsed)
}

/// The cluster key of a divergence: its first kind, refined by what the
/// first difference looks like, e.g. "log: native ready, ours drop" (ours
/// dropped something where rustc's future completed a leaf).
pub fn divergence_key(kinds: &[String], detail: &str) -> String {
    let kind = kinds.first().map_or("?", String::as_str);
    // The first word of each side's differing log line.
    let events = || {
        let native = detail
            .split("native \"")
            .nth(1)?
            .split_whitespace()
            .next()?;
        let ours = detail.split("ours \"").nth(1)?.split_whitespace().next()?;
        let word = |w: &str| {
            w.trim_end_matches([',', '"'])
                .replace("<end>", "end")
                .replace("--", "marker")
        };
        Some(format!("native {}, ours {}", word(native), word(ours)))
    };
    let refined = match kind {
        "log" | "drop-after-k" => events().or_else(|| {
            detail
                .contains("native")
                .then(|| "the futures ended differently".into())
        }),
        "panic" => {
            let (side, message) = if let Some(rest) = detail.strip_prefix("ours panicked ") {
                ("ours", rest)
            } else if let Some(rest) = detail.strip_prefix("native panicked ") {
                ("native", rest)
            } else {
                ("?", detail)
            };
            let message = message
                .split("\", ")
                .next()
                .unwrap_or(message)
                .trim_matches('"');
            let message: String = message
                .chars()
                .map(|c| if c.is_ascii_digit() { 'N' } else { c })
                .collect();
            Some(format!("{side} panicked: {message}"))
        }
        "polls" if detail.contains("still pending") => Some("ours never completes".into()),
        "polls" => {
            let numbers: Vec<u64> = detail
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect();
            match numbers.as_slice() {
                [native, ours] if ours > native => Some("ours polls more".into()),
                [native, ours] if ours < native => Some("ours polls less".into()),
                _ => None,
            }
        }
        _ => None,
    };
    match refined {
        Some(refined) => format!("{kind}: {refined}"),
        None => kind.to_string(),
    }
}

/// Compiles and runs `funcs` (one batch); one result per function.
pub fn run_batch(
    funcs: &[Func],
    settings: &Settings,
    label: &str,
) -> io::Result<(Vec<CaseResult>, Timing)> {
    let dir = settings.work.join("batch");
    let target = settings.work.join("target");
    let mut results: Vec<Option<CaseResult>> = vec![None; funcs.len()];
    let mut live: Vec<usize> = (0..funcs.len()).collect();
    let mut timing = Timing::default();

    // 1. What rustc rejects as written is dropped.
    for _ in 0..NATIVE_ROUNDS {
        let pairs: Vec<(usize, &Func)> = live.iter().map(|&i| (i, &funcs[i])).collect();
        let layout = batch_crate::write(&dir, &settings.repo, settings.edition, &pairs, false)?;
        let build = process::cargo(&dir, &target, "check", settings.build_limit)?;
        timing.native += build.elapsed;
        timing.builds += 1;
        if build.success {
            break;
        }
        let mut rejected: BTreeMap<usize, &Diagnostic> = BTreeMap::new();
        for d in build.diagnostics.iter().filter(|d| d.is_error) {
            if let Some((_, case)) = attribute(d, &layout) {
                rejected.entry(case).or_insert(d);
            }
        }
        if rejected.is_empty() {
            let why = first_error(&build.diagnostics, build.timed_out);
            for &case in &live {
                results[case] = Some(CaseResult::new(
                    Outcome::Skipped("native batch failed".into()),
                    why.clone(),
                ));
            }
            live.clear();
            break;
        }
        for (case, d) in rejected {
            results[case] = Some(CaseResult::new(
                Outcome::NotAccepted(diag::error_key(d)),
                d.rendered.clone(),
            ));
            live.retain(|&c| c != case);
        }
    }

    // 2. The annotated build: errors are clear rejections or defects.
    let mut built: Option<(batch_crate::Layout, Vec<Diagnostic>)> = None;
    for _ in 0..ANNOTATED_ROUNDS {
        if live.is_empty() {
            break;
        }
        let pairs: Vec<(usize, &Func)> = live.iter().map(|&i| (i, &funcs[i])).collect();
        let layout = batch_crate::write(&dir, &settings.repo, settings.edition, &pairs, true)?;
        let build = process::cargo(&dir, &target, "build", settings.build_limit)?;
        timing.annotated += build.elapsed;
        timing.builds += 1;
        if build.success {
            built = Some((layout, build.diagnostics));
            break;
        }
        let mut errors: BTreeMap<usize, Vec<&Diagnostic>> = BTreeMap::new();
        let mut native_errors: BTreeMap<usize, &Diagnostic> = BTreeMap::new();
        for d in build.diagnostics.iter().filter(|d| d.is_error) {
            match attribute(d, &layout) {
                Some((Side::Annotated, case)) => errors.entry(case).or_default().push(d),
                Some((Side::Native, case)) => {
                    native_errors.entry(case).or_insert(d);
                }
                None => {}
            }
        }
        if build.timed_out && live.len() > 1 {
            // One function may take the build past its limit (compile time
            // is a defect class of its own): halve the batch until it is alone.
            let halves: Vec<Vec<usize>> = live
                .chunks(live.len().div_ceil(2))
                .map(<[usize]>::to_vec)
                .collect();
            for half in halves {
                let funcs_of_half: Vec<Func> = half.iter().map(|&i| funcs[i].clone()).collect();
                let (half_results, half_timing) = run_batch(&funcs_of_half, settings, label)?;
                timing.native += half_timing.native;
                timing.annotated += half_timing.annotated;
                timing.run += half_timing.run;
                timing.builds += half_timing.builds;
                for (&case, result) in half.iter().zip(half_results) {
                    results[case] = Some(result);
                }
            }
            live.clear();
            break;
        }
        if errors.is_empty() && native_errors.is_empty() {
            let why = first_error(&build.diagnostics, build.timed_out);
            for &case in &live {
                let outcome = if build.timed_out {
                    let limit = settings.build_limit.as_secs();
                    Outcome::BuildDefect(format!("build takes over {limit} s"))
                } else {
                    Outcome::Skipped("annotated batch failed unattributed".into())
                };
                results[case] = Some(CaseResult::new(outcome, why.clone()));
            }
            live.clear();
            break;
        }
        for (case, d) in native_errors {
            results[case] = Some(CaseResult::new(
                Outcome::NotAccepted(diag::error_key(d)),
                d.rendered.clone(),
            ));
            live.retain(|&c| c != case);
        }
        for (case, ds) in errors {
            if results[case].is_some() {
                continue;
            }
            let rendered: Vec<&str> = ds.iter().map(|d| d.rendered.as_str()).collect();
            let outcome = match ds.iter().find(|d| !diag::is_clear_rejection(d)) {
                Some(defect) => Outcome::BuildDefect(diag::error_key(defect)),
                None => Outcome::Clear(diag::normalize(&ds[0].message)),
            };
            results[case] = Some(CaseResult::new(outcome, rendered.join("\n")));
            live.retain(|&c| c != case);
        }
    }
    if let (Some(keep), Some(_)) = (&settings.keep, &built) {
        copy_dir(&dir, &keep.join(label))?;
    }

    // 3. Lints the expansion adds, then 4. the run.
    if let Some((layout, diagnostics)) = built {
        let lints = added_lints(&diagnostics, &layout.ranges);
        let binary = target.join("debug/fuzz-batch");
        let start = std::time::Instant::now();
        let ends = process::run_cases(&binary, live.len(), settings.case_limit)?;
        timing.run = start.elapsed();
        for (position, end) in ends.into_iter().enumerate() {
            let case = live[position];
            let mut result = match end {
                CaseEnd::Verdict(line) => {
                    let (kind, detail) = line.split_once(' ').unwrap_or((line.as_str(), ""));
                    let outcome = match kind {
                        "equal" => Outcome::Equal,
                        "skip" => Outcome::Skipped(detail.to_string()),
                        kinds => Outcome::Divergence(kinds.split(',').map(String::from).collect()),
                    };
                    CaseResult::new(outcome, detail.replace("\\n", "\n"))
                }
                CaseEnd::Crash(true) => CaseResult::new(
                    Outcome::Divergence(vec!["crash".into()]),
                    "the annotated future crashed the process",
                ),
                CaseEnd::Hang(true) => CaseResult::new(
                    Outcome::Divergence(vec!["hang".into()]),
                    "the annotated future did not return from a poll",
                ),
                CaseEnd::Crash(false) => {
                    CaseResult::new(Outcome::Skipped("native crashed".into()), "")
                }
                CaseEnd::Hang(false) => CaseResult::new(Outcome::Skipped("native hung".into()), ""),
            };
            result.lints = lints.get(&case).cloned().unwrap_or_default();
            results[case] = Some(result);
        }
    }
    let results = results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                CaseResult::new(Outcome::Skipped("not built within the rounds".into()), "")
            })
        })
        .collect();
    Ok((results, timing))
}

fn first_error(diagnostics: &[Diagnostic], timed_out: bool) -> String {
    if timed_out {
        return "the build timed out".into();
    }
    diagnostics
        .iter()
        .find(|d| d.is_error)
        .map(|d| d.rendered.clone())
        .unwrap_or_else(|| "the build failed without a diagnostic".into())
}

/// Per case, the warnings on the annotated side that the native side does
/// not have at the same line of the function.
fn added_lints(
    diagnostics: &[Diagnostic],
    ranges: &[diag::Range],
) -> BTreeMap<usize, Vec<(String, String)>> {
    let mut native: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut annotated: BTreeMap<usize, Vec<(String, String)>> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| !d.is_error) {
        let Some((side, case)) = diag::attribute(d, ranges) else {
            continue;
        };
        let range = ranges
            .iter()
            .find(|r| r.case == case)
            .expect("attributed to a range");
        let line = diag::line_in_function(d, range).unwrap_or(0);
        let key = format!(
            "{} {}",
            d.code.as_deref().unwrap_or("-"),
            diag::normalize(&d.message)
        );
        let located = format!("{key} @{line}");
        match side {
            Side::Native => native.entry(case).or_default().push(located),
            Side::Annotated => annotated
                .entry(case)
                .or_default()
                .push((located, format!("{key}\n{}", d.rendered))),
        }
    }
    let mut added = BTreeMap::new();
    for (case, warnings) in annotated {
        let native_warnings = native.remove(&case).unwrap_or_default();
        let mut expected = native_warnings.clone();
        let mut extra = Vec::new();
        for (located, rendered) in warnings {
            match expected.iter().position(|e| *e == located) {
                Some(i) => {
                    expected.swap_remove(i);
                }
                None => {
                    // Reported again (the native side has it once) or new.
                    let again = native_warnings.contains(&located);
                    let key = located
                        .rsplit_once(" @")
                        .map_or(located.clone(), |(k, _)| k.to_string());
                    let key = if again {
                        format!("lint reported twice: {key}")
                    } else {
                        format!("lint {key}")
                    };
                    extra.push((key, rendered));
                }
            }
        }
        if !extra.is_empty() {
            added.insert(case, extra);
        }
    }
    added
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> io::Result<()> {
    std::fs::create_dir_all(to.join("src"))?;
    for name in [
        "Cargo.toml",
        "src/main.rs",
        "src/native.rs",
        "src/annotated.rs",
        "src/prelude.rs",
        "src/harness.rs",
    ] {
        if from.join(name).exists() {
            std::fs::copy(from.join(name), to.join(name))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::diag::tests::{RANGES, SAMPLE};
    use super::*;

    #[test]
    fn divergences_cluster_by_their_first_difference() {
        let kinds = |k: &str| k.split(',').map(String::from).collect::<Vec<_>>();
        assert_eq!(
            divergence_key(
                &kinds("log,after-completion"),
                r#"after "new a3": native "ready a3", ours "drop t1 4""#
            ),
            "log: native ready, ours drop"
        );
        assert_eq!(
            divergence_key(
                &kinds("drop-after-k"),
                r#"k=2: after "x": native "<end>", ours "drop d1 0""#
            ),
            "drop-after-k: native end, ours drop"
        );
        assert_eq!(
            divergence_key(
                &kinds("panic"),
                r#"ours panicked "slot 12 used", native Ready("3")"#
            ),
            "panic: ours panicked: slot NN used"
        );
        assert_eq!(
            divergence_key(&kinds("polls"), "native 3 polls, ours 5"),
            "polls: ours polls more"
        );
        assert_eq!(
            divergence_key(&kinds("after-completion"), "native [..], ours [..]"),
            "after-completion"
        );
    }

    fn sample() -> Vec<Diagnostic> {
        SAMPLE.lines().filter_map(diag::from_cargo_line).collect()
    }

    #[test]
    fn warnings_on_both_sides_are_not_added_lints() {
        assert!(added_lints(&sample(), &RANGES).is_empty());
    }

    #[test]
    fn a_warning_only_the_annotated_side_has_is_an_added_lint() {
        let mut diagnostics: Vec<Diagnostic> = sample()
            .into_iter()
            .filter(|d| {
                !(d.message.contains("unused3") && d.locations[0].file.ends_with("native.rs"))
            })
            .collect();
        let added = added_lints(&diagnostics, &RANGES);
        assert_eq!(added.len(), 1);
        assert_eq!(added[&0][0].0, "lint unused_variables unused variable: `_`");
        // Reported twice on the annotated side, once on the native side.
        let twice = diagnostics
            .iter()
            .find(|d| d.message.contains("n7") && d.locations[0].file.ends_with("annotated.rs"))
            .cloned()
            .unwrap();
        diagnostics.push(twice);
        let added = added_lints(&diagnostics, &RANGES);
        assert_eq!(
            added[&1][0].0,
            "lint reported twice: unused_variables unused variable: `_`"
        );
    }
}
