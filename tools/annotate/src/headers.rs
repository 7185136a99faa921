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
    /// `#![crate_type = "lib"]`: built as a library.
    pub library: bool,
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

/// Reads the headers of `source` (a test of `tests/ui`). Linux on x86_64
/// with unwinding panics is the target the `only-`/`ignore-`/`needs-`
/// conditions are weighed against.
pub fn plan(source: &str) -> Plan {
    let mut plan = Plan {
        mode: None,
        edition: "2015".to_string(),
        library: false,
        skip: None,
    };
    // Every reason found, in order; the first one is reported.
    let mut skips: Vec<String> = Vec::new();
    let mut skip = |reason: String| skips.push(reason);
    for line in source.lines() {
        let Some(header) = line.trim_start().strip_prefix("//@") else {
            continue;
        };
        let header = header.trim();
        if header.starts_with('[') {
            skip("revisions".to_string());
            continue;
        }
        let (key, value) = match header.split_once(':') {
            Some((key, value)) => (key.trim(), value.trim()),
            None => (header, ""),
        };
        match key {
            "run-pass" => plan.mode = Some(Mode::Run),
            "build-pass" => plan.mode = Some(Mode::Build),
            "check-pass" => plan.mode = Some(Mode::Check),
            "edition" => plan.edition = edition(value),
            "compile-flags" => match edition_flag(value) {
                Some(Ok(e)) => plan.edition = e,
                Some(Err(())) | None => skip(format!("compile-flags: {value}")),
            },
            "revisions" => skip("revisions".to_string()),
            "aux-build" | "aux-crate" | "aux-bin" | "aux-codegen-backend" | "proc-macro" => {
                skip("aux crate".to_string())
            }
            "known-bug" => skip("known-bug".to_string()),
            "exec-env" | "rustc-env" | "unset-rustc-env" | "run-flags" | "unset-exec-env" => {
                skip(format!("{key} (environment or flags)"))
            }
            _ if HARMLESS.contains(&key) => {}
            _ if key.starts_with("only-") && !target_matches(&key["only-".len()..]) => {
                skip(format!("{key} (not this target)"))
            }
            _ if key.starts_with("ignore-") && target_matches(&key["ignore-".len()..]) => {
                skip(format!("{key} (this target)"))
            }
            _ if key.starts_with("needs-") => skip(key.to_string()),
            _ => {}
        }
    }
    if source.contains("#![feature") {
        skip("unstable feature (#![feature])".to_string());
    }
    plan.skip = skips.into_iter().next();
    plan.library =
        source.contains("#![crate_type = \"lib\"]") || source.contains("#![crate_type=\"lib\"]");
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

/// The edition set by `--edition X` or `--edition=X`, `Err` when the flags
/// hold anything else, `None` when they are empty.
fn edition_flag(flags: &str) -> Option<Result<String, ()>> {
    let words: Vec<&str> = flags.split_whitespace().collect();
    match words.as_slice() {
        [] => None,
        ["--edition", e] => Some(Ok(e.to_string())),
        [one] => Some(one.strip_prefix("--edition=").map(str::to_string).ok_or(())),
        _ => Some(Err(())),
    }
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
        assert_eq!((plan.library, plan.skip), (false, None));
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
            skip("//@ run-pass\n//@ aux-build:block-on.rs\n").as_deref(),
            Some("aux crate")
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
            skip("//@ revisions: a b\n//@[a] check-pass\n").as_deref(),
            Some("revisions")
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
