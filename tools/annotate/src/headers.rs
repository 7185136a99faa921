//! rustc's ui-test headers (`//@ run-pass`, `//@ edition:2018`, ...), and
//! whether a test can be built here as a plain cargo crate.

/// How compiletest runs a test, for the modes this instrument measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    Run,
    Build,
    Check,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Run => "run-pass",
            Mode::Build => "build-pass",
            Mode::Check => "check-pass",
        }
    }
}

/// What the headers of one test ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// `None`: not a pass test (it expects errors, or fails at run time).
    pub mode: Option<Mode>,
    pub edition: String,
    /// `#![crate_type = "lib"]` or `--crate-type lib`: built as a library.
    pub library: bool,
    /// `aux-build` files (`arc_wake.rs`), looked for in `auxiliary/`.
    pub aux: Vec<String>,
    /// The revision measured when the test has several: the first one.
    pub revision: Option<String>,
    /// Why it cannot be built here, if it cannot: the first reason found.
    pub skip: Option<String>,
}

/// Headers that change nothing for a build that only compares the
/// annotated crate with the same crate unannotated.
const HARMLESS: &[&str] = &[
    "check-run-results",
    "no-prefer-dynamic",
    "dont-check-compiler-stderr",
    "dont-check-compiler-stdout",
    "dont-require-annotations",
    "normalize-stderr",
    "normalize-stdout",
    "normalize-stderr-test",
    "run-rustfix",
    "rustfix-only-machine-applicable",
    "ignore-pass",
    "stderr-per-bitwidth",
    "reference",
    "ignore-backends",
    "needs-unwind",
    "needs-threads",
    "needs-subprocess",
    "pretty-expanded",
];

/// Keys recognised in the old header syntax (`// run-pass`, without `@`),
/// which older versions of the tests use; other `//` comments are prose.
const LEGACY_KEYS: &[&str] = &[
    "run-pass",
    "build-pass",
    "check-pass",
    "edition",
    "compile-flags",
    "aux-build",
    "aux-crate",
    "revisions",
    "known-bug",
    "run-flags",
    "exec-env",
    "rustc-env",
];

/// One header line: its revision (`//@[rev]`), key and value.
fn header(line: &str) -> Option<(Option<&str>, &str, &str)> {
    let line = line.trim_start();
    let (modern, rest) = match line.strip_prefix("//@") {
        Some(rest) => (true, rest),
        None => (false, line.strip_prefix("//")?),
    };
    let (revision, rest) = match rest.trim_start().strip_prefix('[') {
        Some(tagged) => {
            let (revision, rest) = tagged.split_once(']')?;
            (Some(revision.trim()), rest)
        }
        None => (None, rest),
    };
    let rest = rest.trim();
    let (key, value) = match rest.find([':', ' ']) {
        Some(at) if rest[at..].starts_with(':') => (&rest[..at], rest[at + 1..].trim()),
        Some(at) => (&rest[..at], rest[at..].trim()),
        None => (rest, ""),
    };
    let legacy_ok = LEGACY_KEYS.contains(&key)
        || ["needs-", "ignore-", "only-"]
            .iter()
            .any(|p| key.starts_with(p));
    (modern || legacy_ok).then_some((revision, key, value))
}

/// Reads the headers of `source` (a test of `tests/ui`). Linux on x86_64
/// with unwinding panics is the target the `only-`/`ignore-`/`needs-`
/// conditions are weighed against.
pub fn plan(source: &str) -> Plan {
    let mut plan = Plan {
        mode: None,
        edition: "2015".to_string(),
        library: false,
        aux: Vec::new(),
        revision: None,
        skip: None,
    };
    let headers: Vec<_> = source.lines().filter_map(header).collect();
    plan.revision = headers
        .iter()
        .find(|(rev, key, _)| rev.is_none() && *key == "revisions")
        .and_then(|(_, _, value)| value.split([' ', ',']).find(|r| !r.is_empty()))
        .map(str::to_string);
    // Every reason found, in order; the first one is reported.
    let mut skips: Vec<String> = Vec::new();
    for (revision, key, value) in headers {
        if revision.is_some() && revision != plan.revision.as_deref() {
            continue;
        }
        match key {
            "run-pass" | "run" => plan.mode = Some(Mode::Run),
            "build-pass" => plan.mode = Some(Mode::Build),
            "check-pass" => plan.mode = Some(Mode::Check),
            "edition" => plan.edition = edition(value),
            "compile-flags" => match flags(value) {
                Ok((edition, library)) => {
                    plan.edition = edition.unwrap_or(plan.edition);
                    plan.library |= library;
                }
                Err(()) => skips.push(format!("compile-flags: {value}")),
            },
            "aux-build" => plan.aux.push(value.to_string()),
            "aux-crate" | "aux-bin" | "aux-codegen-backend" | "proc-macro" => {
                skips.push(format!("{key} (aux crate)"))
            }
            "known-bug" => skips.push("known-bug".to_string()),
            "exec-env" | "rustc-env" | "unset-rustc-env" | "run-flags" | "unset-exec-env" => {
                skips.push(format!("{key} (environment or flags)"))
            }
            _ if HARMLESS.contains(&key) => {}
            _ if key.starts_with("only-") && !target_matches(&key["only-".len()..]) => {
                skips.push(format!("{key} (not this target)"))
            }
            _ if key.starts_with("ignore-") && target_matches(&key["ignore-".len()..]) => {
                skips.push(format!("{key} (this target)"))
            }
            _ if key.starts_with("needs-") => skips.push(key.to_string()),
            _ => {}
        }
    }
    if source.contains("#![feature") {
        skips.push("unstable feature (#![feature])".to_string());
    }
    plan.skip = skips.into_iter().next();
    plan.library |= ["lib", "rlib"].iter().any(|kind| {
        source.contains(&format!("#![crate_type = \"{kind}\"]"))
            || source.contains(&format!("#![crate_type=\"{kind}\"]"))
    });
    plan
}

/// `2018`, or the lower end of a range (`2021..`, `2018..2024`).
fn edition(value: &str) -> String {
    value
        .split("..")
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The edition (`--edition X`, `--edition=X`) and whether the crate is a
/// library (`--crate-type lib`) the flags ask for; `Err` when they hold
/// anything else.
fn flags(flags: &str) -> Result<(Option<String>, bool), ()> {
    let mut words = flags.split_whitespace();
    let (mut edition, mut library) = (None, false);
    while let Some(word) = words.next() {
        // Lint levels (`-Aunused`, `-A unused`) only change warnings.
        if ["-A", "-W"]
            .iter()
            .any(|l| word.starts_with(l) && word.len() > 2)
        {
            continue;
        }
        let (flag, value) = match word.split_once('=') {
            Some((flag, value)) => (flag, Some(value)),
            None => (word, words.next()),
        };
        match (flag, value) {
            ("--edition", Some(e)) => edition = Some(e.to_string()),
            ("-A" | "-W", Some(_)) => {}
            // Cargo's debug profile already builds with full debug info.
            ("-Cdebuginfo", Some("2")) | ("-C", Some("debuginfo=2")) => {}
            ("--crate-type", Some("lib" | "rlib")) => library = true,
            _ => return Err(()),
        }
    }
    Ok((edition, library))
}

/// Whether a condition name (`linux`, `x86_64`, `windows`, `64bit`, ...)
/// holds for this machine.
fn target_matches(condition: &str) -> bool {
    matches!(
        condition,
        "linux"
            | "unix"
            | "x86_64"
            | "64bit"
            | "gnu"
            | "x86_64-unknown-linux-gnu"
            | "elf"
            | "little-endian"
    ) || condition.starts_with("linux")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_run_pass_test() {
        let plan = plan("//@ run-pass\n//@ edition:2018\n\nasync fn f() {}\nfn main() {}\n");
        assert_eq!(plan.mode, Some(Mode::Run));
        assert_eq!(plan.edition, "2018");
        assert_eq!(
            (plan.library, plan.skip, plan.revision),
            (false, None, None)
        );
    }

    #[test]
    fn editions_from_ranges_and_flags() {
        assert_eq!(
            plan("//@ check-pass\n//@ edition: 2021..\n").edition,
            "2021"
        );
        assert_eq!(
            plan("//@ build-pass\n//@ compile-flags: --edition 2024\n").edition,
            "2024"
        );
        assert_eq!(
            plan("//@ build-pass\n//@ compile-flags: --edition=2018\n").edition,
            "2018"
        );
        assert_eq!(plan("//@ build-pass\n").edition, "2015");
    }

    #[test]
    fn skips_say_why() {
        let skip = |s: &str| plan(s).skip;
        assert_eq!(
            skip("//@ run-pass\n//@ aux-crate:foo=foo.rs\n").as_deref(),
            Some("aux-crate (aux crate)")
        );
        assert_eq!(
            skip("//@ check-pass\n#![feature(async_drop)]\n").as_deref(),
            Some("unstable feature (#![feature])")
        );
        assert_eq!(
            skip("//@ check-pass\n//@ compile-flags: -Zverbose\n").as_deref(),
            Some("compile-flags: -Zverbose")
        );
        assert_eq!(
            skip("//@ run-pass\n//@ only-windows\n").as_deref(),
            Some("only-windows (not this target)")
        );
        assert_eq!(
            skip("//@ run-pass\n//@ ignore-linux\n").as_deref(),
            Some("ignore-linux (this target)")
        );
        assert_eq!(
            skip("//@ run-pass\n//@ needs-asm-support\n").as_deref(),
            Some("needs-asm-support")
        );
        assert_eq!(
            skip("//@ run-pass\n//@ ignore-wasm\n//@ needs-unwind\n//@ only-x86_64\n"),
            None
        );
    }

    #[test]
    fn the_first_revision_is_measured() {
        let plan = plan(
            "//@ run-pass\n//@ revisions: default nomiropt\n//@[nomiropt] compile-flags: -Z mir-opt-level=0\n",
        );
        assert_eq!(
            (plan.revision.as_deref(), plan.skip),
            (Some("default"), None)
        );
        let plan =
            super::plan("//@ revisions: a b\n//@[a] check-pass\n//@[b] compile-flags: -Zx\n");
        assert_eq!((plan.mode, plan.skip), (Some(Mode::Check), None));
        let plan =
            super::plan("//@ revisions: a b\n//@[a] compile-flags: -Zx\n//@[b] check-pass\n");
        assert_eq!(plan.skip.as_deref(), Some("compile-flags: -Zx"));
        let plan = super::plan("// build-pass\n// revisions: a b\n// [b] compile-flags: -Zx\n");
        assert_eq!((plan.mode, plan.skip), (Some(Mode::Build), None));
    }

    #[test]
    fn old_header_syntax_and_aux_crates() {
        let plan = plan(
            "// run-pass\n// needs-unwind Size of futures\n#![allow(unused)]\n// edition: 2018\n// aux-build:arc_wake.rs\n// a comment: not a header\n",
        );
        assert_eq!(plan.mode, Some(Mode::Run));
        assert_eq!(
            (plan.edition.as_str(), plan.aux.as_slice(), plan.skip),
            ("2018", &["arc_wake.rs".to_string()][..], None)
        );
        assert_eq!(super::plan("//@run\n").mode, Some(Mode::Run));
        assert!(super::plan("// build-pass\n//@compile-flags: --crate-type lib\n").library);
        let lints = super::plan("//@run\n//@compile-flags: --edition=2018 -Aunused -W x\n");
        assert_eq!((lints.edition.as_str(), lints.skip), ("2018", None));
        assert_eq!(
            super::plan("// build-pass\n// compile-flags: -Cdebuginfo=2\n").skip,
            None
        );
    }

    #[test]
    fn tests_that_expect_errors_have_no_mode() {
        assert_eq!(
            plan("//@ edition:2018\nfn main() { x } //~ ERROR cannot find\n").mode,
            None
        );
    }

    #[test]
    fn a_library_crate_type_is_noticed() {
        assert!(plan("//@ build-pass\n#![crate_type = \"lib\"]\n").library);
    }
}
