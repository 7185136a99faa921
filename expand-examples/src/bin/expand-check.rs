//! `expand-check`: the state enums in rustc's own expansion of the examples
//! (what `cargo expand` shows) are those of the checked-in snapshots.
//!
//! The snapshots are made by the viewer, which runs the transform as a
//! library; this checks that the attribute, run by rustc, declares the same
//! state enums. `.ci/expand-check` makes rustc's expansion and runs this:
//!
//! ```text
//! RUSTC_BOOTSTRAP=1 cargo rustc -p expand-examples --lib --profile=check -- -Zunpretty=expanded > expanded.rs
//! cargo run -p expand-examples --bin expand-check -- expanded.rs
//! ```
//!
//! On both sides each state enum is parsed and formatted by prettyplease,
//! so layout and `///` against `#[doc = ".."]` do not count; anything else
//! (a variant, a field, a type, a doc comment's text) does.

use expand_examples::snapshots::{self, Example, StateEnum, line_diff};
use proc_macro2::TokenStream;
use std::fs;
use std::process::ExitCode;

const USAGE: &str = "\
usage: expand-check EXPANDED.rs

EXPANDED.rs: rustc's expansion of the expand-examples library, made by
  RUSTC_BOOTSTRAP=1 cargo rustc -p expand-examples --lib --profile=check -- -Zunpretty=expanded
(or run .ci/expand-check, which does both steps). Fails, with a diff, when
the state enums of an example differ from those of its checked-in
src/examples/NAME.expanded.rs.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = match args.as_slice() {
        [flag] if flag == "-h" || flag == "--help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        [path] => path,
        _ => {
            eprintln!("expand-check: expected one file\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match check(path) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(report) => {
            eprint!("{report}");
            ExitCode::FAILURE
        }
    }
}

/// `Ok(report)` when every example's state enums agree, `Err(report)` (with
/// the diffs) when one does not or something cannot be read.
fn check(path: &str) -> Result<String, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("expand-check: {path}: {e}\n"))?;
    let expanded = lex(&text).map_err(|e| format!("expand-check: {path}: {e}\n"))?;
    let examples_mod = snapshots::module(expanded, "examples").ok_or_else(|| {
        format!("expand-check: {path} has no `mod examples`: is it the expansion of expand-examples' library?\n")
    })?;
    let examples = snapshots::examples_in(&snapshots::examples_dir())
        .map_err(|e| format!("expand-check: src/examples: {e}\n"))?;
    let (mut report, mut failed) = (String::new(), false);
    for example in &examples {
        match compare(example, &examples_mod) {
            Ok(line) => report.push_str(&line),
            Err(line) => {
                report.push_str(&line);
                failed = true;
            }
        }
    }
    if failed {
        report.push_str(
            "expand-check: rustc's expansion and the snapshots differ. If the transform changed, \
             re-bless the snapshots (BLESS=1 cargo test -p expand-examples --test expansions); \
             otherwise the attribute and the viewer disagree.\n",
        );
        return Err(report);
    }
    report.push_str(&format!(
        "expand-check: the state enums of all {} examples are those of their snapshots\n",
        examples.len()
    ));
    Ok(report)
}

/// One example's line of the report, `Err` when it fails.
fn compare(example: &Example, examples_mod: &TokenStream) -> Result<String, String> {
    let name = &example.name;
    let snapshot_text = fs::read_to_string(&example.snapshot)
        .map_err(|e| format!("{name}: {}: {e}\n", example.snapshot.display()))?;
    let snapshot = lex(&snapshot_text)
        .map_err(|e| format!("{name}: {}: {e}\n", example.snapshot.display()))?;
    let expected = snapshots::state_enums(snapshot);
    if expected.is_empty() {
        return Err(format!(
            "{name}: the snapshot declares no state enum (an enum with `Start` and `Done`)\n"
        ));
    }
    let Some(module) = snapshots::module(examples_mod.clone(), name) else {
        return Err(format!(
            "{name}: rustc's expansion has no `mod examples::{name}` (is it in src/examples/mod.rs?)\n"
        ));
    };
    let actual = snapshots::state_enums(module);
    if actual == expected {
        return Ok(format!("{name}: {} same\n", names(&expected)));
    }
    Err(format!(
        "{name}: the state enums differ (- snapshot {}, + rustc {}; lines of the enums as prettyplease formats them):\n{}",
        names(&expected),
        names(&actual),
        line_diff(&joined(&expected), &joined(&actual))
    ))
}

/// The tokens of a file (which need not parse as Rust beyond that).
fn lex(text: &str) -> Result<TokenStream, String> {
    text.parse().map_err(|e: proc_macro2::LexError| {
        let start = e.span().start();
        format!("{}:{}: not Rust tokens: {e}", start.line, start.column + 1)
    })
}

fn names(enums: &[StateEnum]) -> String {
    let names: Vec<&str> = enums.iter().map(|e| e.name.as_str()).collect();
    format!("[{}]", names.join(", "))
}

fn joined(enums: &[StateEnum]) -> String {
    enums.iter().map(|e| e.text.as_str()).collect()
}
