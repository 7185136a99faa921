//! `line-ratios`: how much longer each example's checked-in expansion is
//! than its source, against the targets of issue 9.
//!
//! ```text
//! cargo run -q -p expand-examples --bin line-ratios                  # today's files
//! cargo run -q -p expand-examples --bin line-ratios -- --before main # and those of a commit
//! cargo run -q -p expand-examples --bin line-ratios -- --enforce     # fail unless every target is met
//! ```
//!
//! The measure is the issue's: the non-blank lines of the expansion that
//! are not comments (a line that starts with `//`, so doc comments and the
//! `@generated` header do not count) against the non-blank lines of the
//! source (its comments count: they are what the reader reads).

use expand_examples::snapshots::{self, Example};
use std::fs;
use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage: line-ratios [--before REV] [--enforce]

For each example in expand-examples/src/examples: the non-blank, non-comment
lines of NAME.expanded.rs against the non-blank lines of NAME.rs, and the
target of issue 9 (every example at most 4x, the textbook at most 2.5x).

options:
  --before REV   also the ratios of the files at git revision REV
  --enforce      exit with status 1 unless every example meets its target
  -h, --help     this text";

/// Every example's target, but those listed in [`TARGETS`].
const DEFAULT_TARGET: f64 = 4.0;
/// The examples with a target of their own.
const TARGETS: &[(&str, f64)] = &[("textbook", 2.5)];

fn target(example: &str) -> f64 {
    TARGETS
        .iter()
        .find(|(name, _)| *name == example)
        .map_or(DEFAULT_TARGET, |(_, target)| *target)
}

/// Non-blank lines that are not `//` comments.
fn code_lines(text: &str) -> usize {
    text.lines()
        .map(str::trim_start)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .count()
}

fn non_blank_lines(text: &str) -> usize {
    text.lines().filter(|line| !line.trim().is_empty()).count()
}

/// One example's figures.
struct Lines {
    source: usize,
    expansion: usize,
}

impl Lines {
    fn of(source: &str, expansion: &str) -> Lines {
        Lines {
            source: non_blank_lines(source),
            expansion: code_lines(expansion),
        }
    }

    fn ratio(&self) -> f64 {
        self.expansion as f64 / self.source.max(1) as f64
    }
}

struct Options {
    before: Option<String>,
    enforce: bool,
}

fn main() -> ExitCode {
    let mut options = Options {
        before: None,
        enforce: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--before" => match args.next() {
                Some(rev) => options.before = Some(rev),
                None => return usage_error("--before needs a git revision"),
            },
            "--enforce" => options.enforce = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage_error(&format!("unknown option `{other}`")),
        }
    }
    match report(&options) {
        Ok((table, missed)) => {
            print!("{table}");
            if options.enforce && !missed.is_empty() {
                eprintln!("line-ratios: over target: {}", missed.join(", "));
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("line-ratios: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("line-ratios: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// The table, and the examples over their targets.
fn report(options: &Options) -> Result<(String, Vec<String>), String> {
    let examples = snapshots::examples_in(&snapshots::examples_dir())
        .map_err(|e| format!("src/examples: {e}"))?;
    let width = examples
        .iter()
        .map(|example| example.name.len())
        .max()
        .unwrap_or(0)
        .max("example".len());
    let mut table = format!(
        "{:<width$}  {:>6}  {:>9}  {:>5}  {:>6}",
        "example", "source", "expansion", "ratio", "target"
    );
    if let Some(rev) = &options.before {
        table.push_str(&format!("  ratio at {rev}"));
    }
    table.push('\n');
    let mut missed = Vec::new();
    for example in &examples {
        let now = Lines::of(&read(&example.source)?, &read(&example.snapshot)?);
        let target = target(&example.name);
        let met = now.ratio() <= target;
        if !met {
            missed.push(format!(
                "{} ({:.2}x > {target}x)",
                example.name,
                now.ratio()
            ));
        }
        table.push_str(&format!(
            "{:<width$}  {:>6}  {:>9}  {:>5.2}  {:>6.2}{}",
            example.name,
            now.source,
            now.expansion,
            now.ratio(),
            target,
            if met { "  met " } else { "  over" }
        ));
        if let Some(rev) = &options.before {
            table.push_str(&match lines_at(rev, example)? {
                Some(then) => format!(
                    "  {:.2} ({} / {})",
                    then.ratio(),
                    then.expansion,
                    then.source
                ),
                None => "  (no such example)".to_owned(),
            });
        }
        table.push('\n');
    }
    table.push_str(&format!(
        "targets met: {} of {}\n",
        examples.len() - missed.len(),
        examples.len()
    ));
    Ok((table, missed))
}

fn read(path: &std::path::Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The example's figures at git revision `rev`; `None` if it had no such
/// example (or no snapshot of it).
fn lines_at(rev: &str, example: &Example) -> Result<Option<Lines>, String> {
    let (Some(source), Some(snapshot)) = (
        git_show(rev, &example.source)?,
        git_show(rev, &example.snapshot)?,
    ) else {
        return Ok(None);
    };
    Ok(Some(Lines::of(&source, &snapshot)))
}

/// The file at `path` as of `rev`; `None` if it did not exist then.
fn git_show(rev: &str, path: &std::path::Path) -> Result<Option<String>, String> {
    let dir = path.parent().ok_or("a file without a directory")?;
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or("a file name that is not UTF-8")?;
    // Checked first, so that a bad revision is an error, not "no such example".
    let verify = Command::new("git")
        .current_dir(dir)
        .args([
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !verify.status.success() {
        return Err(format!("`{rev}` is not a git revision"));
    }
    let output = Command::new("git")
        .current_dir(dir)
        .args(["show", &format!("{rev}:./{name}")])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    Ok(output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_blank_lines_are_not_code() {
        let expansion =
            "// @generated\n//! doc\n\nfn f() {\n    /// doc\n    let x = 1; // trailing\n}\n";
        assert_eq!(code_lines(expansion), 3);
        assert_eq!(non_blank_lines("// a comment\n\n  \nfn f() {}\n"), 2);
    }

    #[test]
    fn the_textbook_has_a_target_of_its_own() {
        assert_eq!(target("textbook"), 2.5);
        assert_eq!(target("http_client"), DEFAULT_TARGET);
        let lines = Lines::of("a\nb\n", "x\ny\nz\nw\nv\n");
        assert_eq!(lines.ratio(), 2.5);
    }
}
