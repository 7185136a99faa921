//! explicit-async-fuzz: the generated-program differential fuzzer for
//! `#[explicit_async]` (fuzz/README.md). It generates random `async fn`s
//! that rustc accepts, compiles each batch as written and annotated in one
//! crate, compares the two at run time, clusters what differs and, on
//! request, shrinks one example per cluster into a corpus case.

mod ast;
mod cli;
mod corpus;
mod driver;
mod emit;
mod generator;
mod minimize;
mod report;
mod rng;
mod ty;
mod visit;

use report::{Category, Stats};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match cli::parse(&args) {
        Ok(o) => o,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("explicit-async-fuzz: {message}");
            }
            eprintln!("{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(defects) if options.max_defects.is_some_and(|max| defects > max) => {
            eprintln!(
                "explicit-async-fuzz: {defects} defects, more than the {} allowed",
                options.max_defects.unwrap_or(0)
            );
            ExitCode::from(1)
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("explicit-async-fuzz: {e}");
            ExitCode::from(2)
        }
    }
}

/// The whole run; returns the number of defects found.
fn run(options: &cli::Options) -> std::io::Result<usize> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let repo = repo.canonicalize().unwrap_or(repo);
    let work = repo.join("target/fuzz-work");
    let settings = driver::Settings {
        edition: options.edition,
        repo,
        work: work.clone(),
        keep: options.keep.then(|| work.join("kept")),
        // A batch of 200 builds in seconds; one that takes minutes is halved
        // until the function at fault is alone.
        build_limit: Duration::from_secs(180),
        case_limit: Duration::from_secs(10),
    };
    let header = format!(
        "explicit-async-fuzz --seed {} --count {} --batch {} --edition {} --grammar {}",
        options.seed,
        options.count,
        options.batch,
        options.edition.as_str(),
        options.grammar.as_str()
    );
    if options.print {
        for i in 0..options.count {
            let func =
                generator::generate(options.seed, i as u64, options.edition, options.grammar);
            println!("{}", report::function_source(&func));
        }
        return Ok(0);
    }
    let warm = driver::warm_up(&settings)?;
    eprintln!("dependencies built in {:.1} s", warm.as_secs_f64());
    let mut stats = Stats::default();
    let mut index = 0;
    while index < options.count {
        let n = options.batch.min(options.count - index);
        let funcs: Vec<_> = (index..index + n)
            .map(|i| generator::generate(options.seed, i as u64, options.edition, options.grammar))
            .collect();
        let start = Instant::now();
        let (results, timing) = driver::run_batch(&funcs, &settings, &format!("batch-{index}"))?;
        for (i, (func, result)) in funcs.iter().zip(&results).enumerate() {
            stats.add((index + i) as u64, func, result);
        }
        let total = start.elapsed();
        eprintln!(
            "functions {index}..{}: {:.1} s (native check {:.1} s, annotated build {:.1} s in {} builds, run {:.1} s); \
             so far accepted {}, equal {}, clear {}, build defects {}, lint defects {}, divergences {}",
            index + n,
            total.as_secs_f64(),
            timing.native.as_secs_f64(),
            timing.annotated.as_secs_f64(),
            timing.builds,
            timing.run.as_secs_f64(),
            stats.accepted(),
            stats.equal,
            stats.count(Category::Clear),
            stats.count(Category::BuildDefect),
            stats.count(Category::LintDefect),
            stats.count(Category::Divergence),
        );
        stats.batches.push(report::BatchTime { total, timing });
        index += n;
    }
    let summary = stats.summary(&header);
    print!("{summary}");
    let report_dir = options.report.clone();
    if let Some(dir) = &report_dir {
        stats.write_report(dir, &header)?;
    }
    if options.minimize {
        let dir = report_dir.unwrap_or_else(|| work.join("report"));
        minimize_clusters(&stats, &settings, &dir)?;
    }
    Ok(stats.defects())
}

/// Shrinks one example per cluster and writes each as a corpus case.
fn minimize_clusters(
    stats: &Stats,
    settings: &driver::Settings,
    dir: &Path,
) -> std::io::Result<()> {
    let clusters = stats.ordered_clusters();
    let targets: Vec<minimize::Target> = clusters
        .iter()
        .map(|c| minimize::Target {
            category: c.category,
            key: c.key.clone(),
            func: c.example.func.clone(),
        })
        .collect();
    if targets.is_empty() {
        return Ok(());
    }
    eprintln!("minimizing {} clusters", targets.len());
    let mut round = 0;
    let mut run = |funcs: &[ast::Func]| {
        round += 1;
        let start = Instant::now();
        let (results, _) = driver::run_batch(funcs, settings, "minimize")?;
        eprintln!(
            "  round {round}: {} candidates in {:.1} s",
            funcs.len(),
            start.elapsed().as_secs_f64()
        );
        Ok(results)
    };
    // About 300 candidates a round, whatever the number of clusters.
    let per_target = (300 / targets.len()).clamp(6, 40);
    let shrunk = minimize::minimize(&targets, &mut run, 40, per_target)?;
    // One last batch of the results, for their messages (and to confirm them).
    let mut finals: Vec<ast::Func> = Vec::new();
    for (n, (func, cluster)) in shrunk.iter().zip(&clusters).enumerate() {
        let mut f = func.clone();
        f.name = format!("fuzz_{}_{n:02}", cluster.category.slug().replace('-', "_"));
        finals.push(f);
    }
    let (results, _) = driver::run_batch(&finals, settings, "minimized")?;
    let out = dir.join("minimized");
    fs::create_dir_all(&out)?;
    fs::write(out.join("fuzz_prelude.rs"), corpus::prelude())?;
    let mut index = String::from(
        "# Minimized cases\n\n| # | kind | key | still fails | bytes (from) |\n|---|---|---|---|---|\n",
    );
    for (n, ((func, cluster), result)) in finals.iter().zip(&clusters).zip(&results).enumerate() {
        let target = &targets[n];
        let still = minimize::same_failure(target, result);
        let mut comment = format!(
            "{}: {}\nFound as function {} of the run; minimized by explicit-async-fuzz.\n",
            cluster.category.slug(),
            cluster.key,
            cluster.example.index
        );
        if !still {
            comment.push_str("(The minimized function no longer shows the failure alone: see the original in clusters/.)\n");
        }
        let detail = if cluster.category == Category::LintDefect {
            result
                .lints
                .iter()
                .map(|(_, r)| r.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            result.detail.clone()
        };
        for line in detail.lines().take(40) {
            comment.push_str(line);
            comment.push('\n');
        }
        let native_panics = result.detail.contains("native panicked");
        let text = corpus::case(func, &comment, native_panics);
        let file = report::cluster_file_name(n, cluster);
        fs::write(out.join(&file), &text)?;
        let _ = std::fmt::Write::write_fmt(
            &mut index,
            format_args!(
                "| {n} | {} | {} | {} | {} ({}) |\n",
                cluster.category.slug(),
                cluster.key.replace('|', "\\|"),
                if still { "yes" } else { "no" },
                emit::function(func, false).len(),
                emit::function(&cluster.example.func, false).len()
            ),
        );
    }
    fs::write(out.join("README.md"), index)?;
    eprintln!("minimized cases written to {}", out.display());
    Ok(())
}
