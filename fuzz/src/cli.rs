//! Command-line options.

use crate::generator::{Edition, Grammar};
use std::path::PathBuf;

pub const USAGE: &str = "\
usage: explicit-async-fuzz --seed S --count N [--batch 200] [--edition 2024|2021] [--grammar crates|core]
                           [--minimize] [--report DIR] [--fail-on-defect | --max-defects N]
                           [--keep] [--print]

Generates N random `async fn`s from seed S, compiles them in batches both as
written and under #[explicit_async], and compares them (see fuzz/README.md).
  --seed S           first seed (function i is generated from (S, i))
  --count N          how many functions to generate
  --batch B          functions per compiled batch (default 200)
  --edition E        edition of the generated crate (default 2024)
  --grammar G        core (issues 3 and 10's constructs: CI's gate) or crates
                     (and the shapes of pools and locks; the default)
  --minimize         shrink one example per defect cluster
  --report DIR       write the summary, examples and minimized cases to DIR
  --fail-on-defect   exit with status 1 on any build defect, lint defect or divergence
  --max-defects N    exit with status 1 on more than N of them (a regression gate)
  --keep             keep each batch's crate under target/fuzz-work/kept/
  --print            print the generated functions (as written) and stop";

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub seed: u64,
    pub count: usize,
    pub batch: usize,
    pub edition: Edition,
    pub grammar: Grammar,
    pub minimize: bool,
    pub report: Option<PathBuf>,
    /// Exit with status 1 on more defects than this (`--fail-on-defect`: 0).
    pub max_defects: Option<usize>,
    pub keep: bool,
    pub print: bool,
}

pub fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        seed: 0,
        count: 0,
        batch: 200,
        edition: Edition::E2024,
        grammar: Grammar::Crates,
        minimize: false,
        report: None,
        max_defects: None,
        keep: false,
        print: false,
    };
    let (mut seed, mut count) = (None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--seed" => seed = Some(number(&value("--seed")?, "--seed")?),
            "--count" => count = Some(number(&value("--count")?, "--count")? as usize),
            "--batch" => options.batch = number(&value("--batch")?, "--batch")?.max(1) as usize,
            "--edition" => {
                options.edition = match value("--edition")?.as_str() {
                    "2024" => Edition::E2024,
                    "2021" => Edition::E2021,
                    other => {
                        return Err(format!("--edition: expected 2021 or 2024, got `{other}`"));
                    }
                }
            }
            "--grammar" => {
                options.grammar = match value("--grammar")?.as_str() {
                    "core" => Grammar::Core,
                    "crates" => Grammar::Crates,
                    other => {
                        return Err(format!("--grammar: expected core or crates, got `{other}`"));
                    }
                }
            }
            "--minimize" => options.minimize = true,
            "--report" => options.report = Some(PathBuf::from(value("--report")?)),
            "--fail-on-defect" => options.max_defects = Some(0),
            "--max-defects" => {
                options.max_defects =
                    Some(number(&value("--max-defects")?, "--max-defects")? as usize)
            }
            "--keep" => options.keep = true,
            "--print" => options.print = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    options.seed = seed.ok_or("--seed is required")?;
    options.count = count.ok_or("--count is required")?;
    Ok(options)
}

fn number(text: &str, name: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("{name}: expected a number, got `{text}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_every_option() {
        let o = parse(&args("--seed 7 --count 30 --batch 10 --edition 2021 --minimize --report r --fail-on-defect --keep")).unwrap();
        assert_eq!((o.seed, o.count, o.batch), (7, 30, 10));
        assert_eq!(o.edition, Edition::E2021);
        assert!(o.minimize && o.max_defects == Some(0) && o.keep);
        assert_eq!(o.report, Some(PathBuf::from("r")));
        let o = parse(&args("--seed 7 --count 30 --max-defects 12")).unwrap();
        assert_eq!(o.max_defects, Some(12));
        assert_eq!(o.grammar, Grammar::Crates);
        let o = parse(&args("--seed 7 --count 30 --grammar core")).unwrap();
        assert_eq!(o.grammar, Grammar::Core);
    }

    #[test]
    fn reports_bad_input() {
        assert!(parse(&args("--count 3")).unwrap_err().contains("--seed"));
        assert!(
            parse(&args("--seed x --count 3"))
                .unwrap_err()
                .contains("expected a number")
        );
        assert!(
            parse(&args("--seed 1 --count 3 --edition 2018"))
                .unwrap_err()
                .contains("2021 or 2024")
        );
        assert!(
            parse(&args("--seed 1 --count 3 --frobnicate"))
                .unwrap_err()
                .contains("unknown")
        );
    }
}
