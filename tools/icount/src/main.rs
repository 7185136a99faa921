//! `explicit-async-icount`: how many instructions a future made by
//! `#[explicit_async]` costs against rustc's own `async fn` for the same
//! body, counted by callgrind (so the figures do not move with the load of
//! the machine, as times do). See `USAGE` and tools/icount/README.md.

mod callgrind;
mod measure;
mod report;
mod workloads;

use measure::{Compiled, MAX_SPREAD, Target};
use report::{Figures, Row};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use workloads::{HARNESS, WORKLOADS};

const USAGE: &str = "\
usage: cargo run --release -p explicit-async-icount -- [options]

For each workload (the same body as rustc's async fn and under
#[explicit_async]), the instructions of one run (create the future, poll it
to completion with a no-op waker, drop it), counted by callgrind, and the
size of each future.

options:
  --reps N          runs per count (default 100); one run's figure is the
                    difference between 2N and N runs, divided by N
  --repetitions K   count everything K times (default 2) and fail if the
                    repetitions differ by more than 0.1%
  --save FILE       also write the figures to FILE
  --compare FILE    also print today's figures beside those saved in FILE
  --max-ratio X     fail if ours/rustc exceeds X on any workload
";

struct Options {
    reps: u64,
    repetitions: usize,
    save: Option<PathBuf>,
    compare: Option<PathBuf>,
    max_ratio: Option<f64>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("--child") => measure::child(&args[1..]),
        Some("--help" | "-h") => Ok(USAGE.to_owned()),
        _ => parse(&args).and_then(|options| run(&options)),
    };
    match result {
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

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        reps: 100,
        repetitions: 2,
        save: None,
        compare: None,
        max_ratio: None,
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |name: &str| {
            rest.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--reps" => options.reps = positive("--reps", &value("--reps")?)?,
            "--repetitions" => {
                options.repetitions = positive("--repetitions", &value("--repetitions")?)?;
            }
            "--save" => options.save = Some(value("--save")?.into()),
            "--compare" => options.compare = Some(value("--compare")?.into()),
            "--max-ratio" => {
                let text = value("--max-ratio")?;
                let ratio = text
                    .parse::<f64>()
                    .ok()
                    .filter(|ratio| *ratio > 0.0)
                    .ok_or_else(|| format!("--max-ratio `{text}` is not a positive number"))?;
                options.max_ratio = Some(ratio);
            }
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    Ok(options)
}

fn positive<T: std::str::FromStr + PartialOrd + Default>(
    name: &str,
    text: &str,
) -> Result<T, String> {
    text.parse::<T>()
        .ok()
        .filter(|n| *n > T::default())
        .ok_or_else(|| format!("{name} `{text}` is not a positive whole number"))
}

fn run(options: &Options) -> Result<String, String> {
    if cfg!(debug_assertions) {
        return Err("a debug build measures nothing useful: add --release".into());
    }
    // Read before measuring, so a wrong path fails at once.
    let before = match &options.compare {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--compare {}: {e}", path.display()))?;
            Some(report::load(&text).map_err(|e| format!("--compare {}: {e}", path.display()))?)
        }
        None => None,
    };
    let program = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let started = Instant::now();
    let count = |target, compiled| {
        measure::instructions(
            &program,
            target,
            compiled,
            options.reps,
            options.repetitions,
        )
    };
    // The harness is one program, whichever flavor is named.
    let harness = count(Target::Harness, Compiled::Rustc)?;
    let mut spread = harness.spread();
    let mut rows = Vec::new();
    for (index, workload) in WORKLOADS.iter().enumerate() {
        eprintln!("counting: {}", workload.name);
        let rustc = count(Target::Workload(index), Compiled::Rustc)?;
        let ours = count(Target::Workload(index), Compiled::Ours)?;
        if rustc.output != ours.output {
            return Err(format!(
                "{}: the outputs differ (rustc's {}, ours {}): the two compilations do not compute the same",
                workload.name,
                rustc.output.trim(),
                ours.output.trim()
            ));
        }
        spread = spread.max(rustc.spread()).max(ours.spread());
        rows.push(Row {
            workload: workload.name.to_owned(),
            instr_rustc: rustc.instructions(),
            instr_ours: ours.instructions(),
            size_rustc: (workload.native.size)(),
            size_ours: (workload.ours.size)(),
        });
    }
    let figures = Figures {
        build: format!(
            "{} profile, opt-level {}, {}",
            env!("ICOUNT_PROFILE"),
            env!("ICOUNT_OPT_LEVEL"),
            env!("ICOUNT_RUSTC")
        ),
        rows,
        harness: harness.instructions(),
    };
    let mut out = format!(
        "instructions per run (create, poll to completion with a no-op waker, drop), counted by callgrind\n\
         ({} runs minus {} runs, divided by {}); sizes in bytes; {}\n\n",
        2 * options.reps,
        options.reps,
        options.reps,
        figures.build
    );
    out.push_str(&report::table(&figures));
    out.push_str(&format!(
        "\nthe harness alone (a future ready at once, size {} B) costs {} instructions per run, included in every row\n",
        (HARNESS.size)(),
        figures.harness
    ));
    out.push_str(&if options.repetitions > 1 {
        format!(
            "{} repetitions: largest difference between them {:.3}% (limit {:.1}%)\n",
            options.repetitions,
            spread * 100.0,
            MAX_SPREAD * 100.0
        )
    } else {
        "1 repetition: determinism not checked (--repetitions 2 checks it)\n".to_owned()
    });
    out.push_str(&format!(
        "counted in {:.1} s\n",
        started.elapsed().as_secs_f64()
    ));
    if let Some(before) = &before {
        out.push('\n');
        out.push_str(&report::comparison(before, &figures));
    }
    if let Some(path) = &options.save {
        std::fs::write(path, report::save(&figures))
            .map_err(|e| format!("--save {}: {e}", path.display()))?;
        out.push_str(&format!("saved to {}\n", path.display()));
    }
    if let Some(limit) = options.max_ratio {
        let over: Vec<String> = figures
            .rows
            .iter()
            .filter(|row| row.ratio() > limit)
            .map(|row| format!("{} ({:.2})", row.workload, row.ratio()))
            .collect();
        if !over.is_empty() {
            print!("{out}");
            return Err(format!(
                "ours/rustc above {limit:.2} on: {}",
                over.join(", ")
            ));
        }
    }
    Ok(out)
}
