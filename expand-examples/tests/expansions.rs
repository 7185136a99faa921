//! The checked-in expansions (`src/examples/NAME.expanded.rs`) are exactly
//! what the transform makes of `src/examples/NAME.rs` today, and the
//! README's excerpt of the textbook expansion is copied from its file.
//!
//! After a change to the transform, review the new output and bless it:
//! `BLESS=1 cargo test -p expand-examples --test expansions`.

use expand_examples::snapshots::{self, examples_dir, line_diff as diff};
use std::fs;
use std::path::{Path, PathBuf};

const BLESS_HINT: &str = "BLESS=1 cargo test -p expand-examples --test expansions";

/// `(source, snapshot)` for every example.
fn examples() -> Vec<(PathBuf, PathBuf)> {
    snapshots::examples_in(&examples_dir())
        .expect("src/examples is readable")
        .into_iter()
        .map(|example| (example.source, example.snapshot))
        .collect()
}

fn snapshot_text(source_path: &Path) -> String {
    let name = source_path
        .file_name()
        .and_then(|name| name.to_str())
        .expect("UTF-8 file name");
    let source = fs::read_to_string(source_path).expect("example is readable");
    let expansion = expand_examples::viewer::expand_source(&source)
        .unwrap_or_else(|error| panic!("{name}:{error}"));
    format!(
        "// @generated from {name} by explicit_async_transform::expand, formatted with prettyplease.\n\
         // Do not edit; to update: {BLESS_HINT}\n\
         {expansion}"
    )
}

#[test]
fn checked_in_expansions_are_current() {
    let bless = std::env::var_os("BLESS").is_some();
    let pairs = examples();
    assert!(
        !pairs.is_empty(),
        "no examples found in {}",
        examples_dir().display()
    );
    let mut failures = Vec::new();
    for (source, snapshot) in &pairs {
        let actual = snapshot_text(source);
        let expected = fs::read_to_string(snapshot).ok();
        if expected.as_deref() == Some(actual.as_str()) {
            continue;
        }
        if bless {
            fs::write(snapshot, &actual).expect("snapshot is writable");
            eprintln!("blessed {}", snapshot.display());
            continue;
        }
        let name = snapshot
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default()
            .to_owned();
        failures.push(match expected {
            None => format!("{name} is missing"),
            Some(expected) => format!(
                "{name} differs (- checked in, + now):\n{}",
                diff(&expected, &actual)
            ),
        });
    }
    assert!(
        failures.is_empty(),
        "{}\nIf the new output is right: {BLESS_HINT}",
        failures.join("\n")
    );
}

const EXCERPT_START: &str = "<!-- textbook-excerpt:start -->\n";
const EXCERPT_END: &str = "<!-- textbook-excerpt:end -->";

/// The README's excerpt of the textbook expansion: the machine's block,
/// with the state enum, up to the second waiting state's arm.
fn textbook_excerpt(expansion: &str) -> String {
    let lines: Vec<&str> = expansion.lines().collect();
    let signature = lines
        .iter()
        .position(|line| line.starts_with("pub fn example("))
        .expect("fn example");
    let machine = lines
        .iter()
        .skip(signature)
        .position(|line| *line == "    {")
        .map(|offset| signature + offset)
        .expect("the machine's block");
    let second_arm = lines
        .iter()
        .position(|line| {
            line.trim_start().starts_with("Example::WaitingOnBarTxt {") && line.ends_with("=> {")
        })
        .expect("the WaitingOnBarTxt arm");
    let indent = " ".repeat(lines[second_arm].len() - lines[second_arm].trim_start().len());
    let mut excerpt = String::from("```rust\n");
    excerpt.push_str(lines[signature]);
    excerpt.push_str(
        "\n    // ... the body as a never-run `async` block, for the borrow checker (see the file)\n",
    );
    for line in &lines[machine..second_arm] {
        excerpt.push_str(line);
        excerpt.push('\n');
    }
    excerpt.push_str(&format!(
        "{indent}// ... the arms of WaitingOnBarTxt, Done and Running (see the file)\n"
    ));
    for closing in [
        "                }",
        "            }",
        "        })",
        "    }",
        "}",
    ] {
        excerpt.push_str(closing);
        excerpt.push('\n');
    }
    excerpt.push_str("```\n");
    excerpt
}

#[test]
fn readme_excerpt_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    let readme_path = root.join("README.md");
    let readme = fs::read_to_string(&readme_path).expect("README.md is readable");
    let snapshot = snapshot_text(&examples_dir().join("textbook.rs"));
    let excerpt = textbook_excerpt(&snapshot);
    let start = readme
        .find(EXCERPT_START)
        .expect("README.md has the excerpt's start marker")
        + EXCERPT_START.len();
    let end = readme
        .find(EXCERPT_END)
        .expect("README.md has the excerpt's end marker");
    if readme[start..end] == excerpt {
        return;
    }
    if std::env::var_os("BLESS").is_some() {
        fs::write(
            &readme_path,
            format!("{}{excerpt}{}", &readme[..start], &readme[end..]),
        )
        .expect("README.md is writable");
        return;
    }
    panic!(
        "the README's textbook excerpt is out of date (- README, + now):\n{}\nTo update it: {BLESS_HINT}",
        diff(&readme[start..end], &excerpt)
    );
}

#[test]
fn every_snapshot_has_its_example() {
    let sources: Vec<PathBuf> = examples()
        .into_iter()
        .map(|(_, snapshot)| snapshot)
        .collect();
    for entry in fs::read_dir(examples_dir()).expect("src/examples is readable") {
        let path = entry.expect("directory entry").path();
        if path
            .to_str()
            .is_some_and(|name| name.ends_with(".expanded.rs"))
        {
            assert!(
                sources.contains(&path),
                "{} has no example beside it: delete it",
                path.display()
            );
        }
    }
}
