//! One figure: the instructions of one run of one compilation of a
//! workload, counted by this program running itself under callgrind.
//!
//! The child (`--child TARGET FLAVOR REPS`) runs the workload `REPS` times
//! inside [`measured`], the only function callgrind counts. Counting `reps`
//! and `2 * reps` runs and dividing the difference by `reps` leaves one
//! run's instructions: what the first run alone pays (lazy symbol binding,
//! the allocator's first request) and the call of `measured` itself cancel
//! out. The harness's own share of a run (the loop, the call through a fn
//! pointer, the poll through `dyn Future`) is measured the same way on a
//! future that is ready at once, and printed beside the table.

use crate::callgrind;
use crate::workloads::{Flavor, HARNESS, WORKLOADS};
use std::hint::black_box;
use std::path::Path;

/// How callgrind names [`measured`] (demangled, hash dropped).
const MARKER: &str = "explicit_async_icount::measure::measured";

/// Runs a workload `reps` times; the only code callgrind counts.
#[inline(never)]
fn measured(run: fn(u64) -> u64, arg: u64, reps: u64) -> u64 {
    let mut sum = 0u64;
    for _ in 0..reps {
        sum = sum.wrapping_add(run(black_box(arg)));
    }
    sum
}

/// Which code a child runs: a workload (by index into [`WORKLOADS`]) or
/// the harness alone.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Target {
    Workload(usize),
    Harness,
}

/// Which compilation of a workload.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Compiled {
    Rustc,
    Ours,
}

impl Target {
    fn arg(self) -> String {
        match self {
            Target::Workload(index) => index.to_string(),
            Target::Harness => "harness".into(),
        }
    }

    fn parse(text: &str) -> Result<Target, String> {
        if text == "harness" {
            return Ok(Target::Harness);
        }
        match text.parse() {
            Ok(index) if index < WORKLOADS.len() => Ok(Target::Workload(index)),
            _ => Err(format!(
                "no workload `{text}` (0 to {}, or `harness`)",
                WORKLOADS.len() - 1
            )),
        }
    }

    fn flavor(self, compiled: Compiled) -> (Flavor, u64) {
        match self {
            Target::Harness => (HARNESS, 0),
            Target::Workload(index) => {
                let workload = &WORKLOADS[index];
                let flavor = match compiled {
                    Compiled::Rustc => workload.native,
                    Compiled::Ours => workload.ours,
                };
                (flavor, workload.arg)
            }
        }
    }
}

impl Compiled {
    fn arg(self) -> &'static str {
        match self {
            Compiled::Rustc => "rustc",
            Compiled::Ours => "ours",
        }
    }

    fn parse(text: &str) -> Result<Compiled, String> {
        match text {
            "rustc" => Ok(Compiled::Rustc),
            "ours" => Ok(Compiled::Ours),
            _ => Err(format!("`{text}` is neither `rustc` nor `ours`")),
        }
    }
}

/// The child's side: `TARGET FLAVOR REPS` runs and prints the sum of the
/// outputs (so the parent can check both compilations compute the same).
pub fn child(args: &[String]) -> Result<String, String> {
    let [target, compiled, reps] = args else {
        return Err("--child takes TARGET FLAVOR REPS".into());
    };
    let (flavor, arg) = Target::parse(target)?.flavor(Compiled::parse(compiled)?);
    let reps = reps
        .parse()
        .map_err(|_| format!("REPS `{reps}` is not a count"))?;
    Ok(format!("{}\n", measured(flavor.run, arg, reps)))
}

/// One run's instructions, as counted by each repetition.
pub struct PerRun {
    /// One figure per repetition; the same to within 0.1%, or
    /// [`instructions`] fails.
    pub repetitions: Vec<f64>,
    /// The sum of the outputs of `reps` runs, to compare across flavors.
    pub output: String,
}

impl PerRun {
    /// The figure reported: the smallest repetition.
    pub fn instructions(&self) -> f64 {
        self.repetitions
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
    }

    /// (largest - smallest) / smallest over the repetitions.
    pub fn spread(&self) -> f64 {
        let low = self.instructions();
        let high = self.repetitions.iter().copied().fold(0.0, f64::max);
        if low > 0.0 { (high - low) / low } else { 0.0 }
    }
}

/// Largest spread between repetitions accepted before the figures are
/// declared unusable.
pub const MAX_SPREAD: f64 = 0.001;

/// Counts one run of `target` compiled as `compiled`, `repetitions` times.
pub fn instructions(
    program: &Path,
    target: Target,
    compiled: Compiled,
    reps: u64,
    repetitions: usize,
) -> Result<PerRun, String> {
    let mut figures = Vec::with_capacity(repetitions);
    let mut output = String::new();
    for _ in 0..repetitions {
        let once = run_child(program, target, compiled, reps)?;
        let twice = run_child(program, target, compiled, 2 * reps)?;
        let Some(difference) = twice.instructions.checked_sub(once.instructions) else {
            return Err(format!(
                "{target:?}/{}: {} runs counted fewer instructions ({}) than {reps} ({})",
                compiled.arg(),
                2 * reps,
                twice.instructions,
                once.instructions
            ));
        };
        figures.push(difference as f64 / reps as f64);
        output = once.stdout;
    }
    let per_run = PerRun {
        repetitions: figures,
        output,
    };
    if per_run.spread() > MAX_SPREAD {
        return Err(format!(
            "{target:?}/{}: the counts differ by {:.3}% between repetitions ({:?}): \
             the measurement is not deterministic",
            compiled.arg(),
            per_run.spread() * 100.0,
            per_run.repetitions
        ));
    }
    Ok(per_run)
}

fn run_child(
    program: &Path,
    target: Target,
    compiled: Compiled,
    reps: u64,
) -> Result<callgrind::Counted, String> {
    let args = [
        "--child".to_owned(),
        target.arg(),
        compiled.arg().to_owned(),
        reps.to_string(),
    ];
    callgrind::count(program, &args, MARKER)
}
