//! The checked-in expansions (`src/examples/NAME.expanded.rs`) are exactly
//! what the transform makes of `src/examples/NAME.rs` today.
//!
//! After a change to the transform, review the new output and bless it:
//! `BLESS=1 cargo test -p expand-examples --test expansions`.

use std::fs;
use std::path::{Path, PathBuf};

const BLESS_HINT: &str = "BLESS=1 cargo test -p expand-examples --test expansions";

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join("examples")
}

/// `(source, snapshot)` for every example file (every `.rs` but `mod.rs`
/// and the snapshots themselves).
fn examples() -> Vec<(PathBuf, PathBuf)> {
    let mut pairs: Vec<(PathBuf, PathBuf)> = fs::read_dir(examples_dir())
        .expect("src/examples is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| {
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or_default();
            name.ends_with(".rs") && !name.ends_with(".expanded.rs") && name != "mod.rs"
        })
        .map(|source| {
            let snapshot = source.with_extension("expanded.rs");
            (source, snapshot)
        })
        .collect();
    pairs.sort();
    pairs
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

/// A short line diff (longest common subsequence), enough to see what moved.
fn diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of old[i..] and new[j..].
    let mut lcs = vec![vec![0u32; new.len() + 1]; old.len() + 1];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out, mut shown) = (0, 0, String::new(), 0);
    const MAX_LINES: usize = 40;
    while (i < old.len() || j < new.len()) && shown < MAX_LINES {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            i += 1;
            j += 1;
        } else if i < old.len() && (j == new.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str(&format!("  -{:>4} | {}\n", i + 1, old[i]));
            i += 1;
            shown += 1;
        } else {
            out.push_str(&format!("  +{:>4} | {}\n", j + 1, new[j]));
            j += 1;
            shown += 1;
        }
    }
    if shown == MAX_LINES {
        out.push_str("  ... (more differences)\n");
    }
    out
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

#[test]
fn the_diff_points_at_the_changed_line() {
    let shown = diff("a\nb\nc\n", "a\nB\nc\n");
    assert_eq!(shown, "  -   2 | b\n  +   2 | B\n");
}
