//! The `crate` report: counts, test results, and the failing functions
//! grouped by the pattern of their first error.

use crate::diagnostics::{Diagnostic, SpanAt};
use crate::krate::Counts;
use crate::process::TestTotals;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One error as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorSeen {
    pub code: String,
    /// The first line of rustc's message.
    pub message: String,
    /// `file:line: highlighted text — label` of the few spans that say the
    /// most (see [`excerpt`]).
    pub excerpt: Vec<String>,
    /// rustc's full text of the error.
    pub rendered: String,
}

impl ErrorSeen {
    pub fn new(diagnostic: &Diagnostic, placed_by: Option<&SpanAt>) -> Self {
        ErrorSeen {
            code: diagnostic.code.clone(),
            message: diagnostic
                .message
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
            excerpt: excerpt(diagnostic, placed_by),
            rendered: diagnostic.rendered.clone(),
        }
    }

    /// `E0507 cannot move out of ...`: the code and the message.
    pub fn headline(&self) -> String {
        match self.code.as_str() {
            "" => self.message.clone(),
            code => format!("{code} {}", self.message),
        }
    }

    /// The message with the names in backticks and the numbers blanked, so
    /// that errors of one kind group together.
    pub fn pattern(&self) -> String {
        let mut out = String::new();
        for (i, part) in self.message.split('`').enumerate() {
            if i > 0 {
                out.push('`');
            }
            // Names and types are blanked; `;` or `.` stay, they are the message.
            if i % 2 == 1 && part.chars().any(|c| c.is_alphanumeric() || c == '_') {
                out.push('_');
            } else if i % 2 == 1 {
                out.push_str(part);
            } else {
                out.extend(
                    part.chars()
                        .map(|c| if c.is_ascii_digit() { 'N' } else { c }),
                );
            }
        }
        match self.code.as_str() {
            "" => out,
            code => format!("{code} {out}"),
        }
    }
}

/// A function un-annotated because the build failed with it.
#[derive(Debug, Clone)]
pub struct Failure {
    pub function: String,
    /// `file:line` of its first line.
    pub location: String,
    /// The build round that blamed it.
    pub round: usize,
    /// How the errors were placed in it (`span`, or a fallback).
    pub how: &'static str,
    pub errors: Vec<ErrorSeen>,
    /// Whether it builds annotated on top of the building set (`--recheck`).
    pub builds_alone: Option<bool>,
}

pub struct CrateReport<'a> {
    pub name: &'a str,
    pub unparsed: &'a [String],
    pub counts: Counts,
    pub failures: &'a [Failure],
    pub rounds: usize,
    /// Functions blamed in a round that build after all (recheck).
    pub recovered: usize,
    pub native_tests: &'a TestTotals,
    pub annotated_tests: &'a TestTotals,
    pub where_left: &'a str,
    /// `cargo update` changes to the crate's lockfile (`--update`).
    pub lock_changes: &'a [String],
    /// The crate's features built and tested with (`--features`).
    pub features: &'a [String],
}

pub fn render_crate(r: &CrateReport) -> String {
    let c = &r.counts;
    let mut out = String::new();
    let _ = writeln!(out, "# `#[explicit_async]` on {}\n", r.name);
    let _ = writeln!(out, "| async fns | src/ | tests/, examples/, benches/ |");
    let _ = writeln!(out, "| --- | ---: | ---: |");
    for (label, pair) in [
        ("found", c.found),
        ("with a body", c.with_body),
        ("compiled (probe)", c.compiled),
        ("build annotated", c.building),
    ] {
        let _ = writeln!(out, "| {label} | {} | {} |", pair[0], pair[1]);
    }
    let total = |p: [usize; 2]| p[0] + p[1];
    let _ = writeln!(
        out,
        "\n**{} of {} compiled functions build annotated** (src/: {} of {}; tests and examples: {} of {}), \
         after {} build rounds{}.\n",
        total(c.building),
        total(c.compiled),
        c.building[0],
        c.compiled[0],
        c.building[1],
        c.compiled[1],
        r.rounds,
        match r.recovered {
            0 => String::new(),
            n => format!(
                " ({n} functions blamed in a round built after all when rechecked, and are counted as building)"
            ),
        }
    );
    let tests = |t: &TestTotals| {
        format!(
            "{} passed, {} failed, {} ignored",
            t.passed, t.failed, t.ignored
        )
    };
    let _ = writeln!(
        out,
        "Tests: unannotated {}; annotated {}.",
        tests(r.native_tests),
        tests(r.annotated_tests)
    );
    let newly: Vec<&String> = r
        .annotated_tests
        .failed_names
        .iter()
        .filter(|n| !r.native_tests.failed_names.contains(n))
        .collect();
    if !newly.is_empty() {
        let _ = writeln!(out, "Failing only annotated: {newly:?}.");
    }
    if !r.lock_changes.is_empty() {
        let _ = writeln!(
            out,
            "Lockfile changed first (--update): {}.",
            r.lock_changes.join("; ")
        );
    }
    if !r.features.is_empty() {
        let _ = writeln!(
            out,
            "Built and tested with `--features {}`.",
            r.features.join(",")
        );
    }
    let _ = writeln!(out, "Left in place: {}.\n", r.where_left);
    let _ = writeln!(
        out,
        "## Functions that do not build annotated, by their first error\n"
    );
    let mut groups: BTreeMap<String, Vec<&Failure>> = BTreeMap::new();
    for failure in r.failures {
        let key = failure
            .errors
            .first()
            .map_or_else(|| "(no error text)".to_string(), ErrorSeen::pattern);
        groups.entry(key).or_default().push(failure);
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by_key(|(_, members)| std::cmp::Reverse(members.len()));
    for (pattern, members) in groups {
        let _ = writeln!(out, "### {pattern} ({})\n", members.len());
        for f in members {
            let first = &f.errors[0];
            let more = match &f.errors[1..] {
                [] => String::new(),
                rest => {
                    let codes: Vec<&str> = rest
                        .iter()
                        .map(|e| if e.code.is_empty() { "-" } else { &e.code })
                        .collect();
                    format!("; {} more: {}", rest.len(), codes.join(", "))
                }
            };
            let how = if f.how == "span" {
                String::new()
            } else {
                format!(", placed {}", f.how)
            };
            let how = match f.builds_alone {
                Some(true) => format!("{how}, builds alone but not with the others"),
                _ => how,
            };
            let _ = writeln!(
                out,
                "- `{}` ({}, round {}{how}{more})",
                f.function, f.location, f.round
            );
            let _ = writeln!(out, "  - {}", first.message);
            for line in &first.excerpt {
                let _ = writeln!(out, "  - `{line}`");
            }
        }
        out.push('\n');
    }
    if !r.unparsed.is_empty() {
        let _ = writeln!(out, "## Files syn could not parse (left alone)\n");
        for u in r.unparsed {
            let _ = writeln!(out, "- {u}");
        }
    }
    out
}

/// The spans of the error's own message that carry a label, in the order
/// rustc gave them, at most three, and the one that placed the error if it is
/// not among them. The macro's expansion spans all point at the attribute;
/// the labels say what happened there and on the user's lines.
fn excerpt(diagnostic: &Diagnostic, placed_by: Option<&SpanAt>) -> Vec<String> {
    let show = |s: &SpanAt| {
        let mut line = format!(
            "{}:{}: {}",
            s.file.display(),
            s.line,
            shorten(&s.highlight, 60)
        );
        if !s.label.is_empty() {
            let _ = write!(line, " — {}", shorten(&s.label, 100));
        }
        line
    };
    let mut chosen: Vec<&SpanAt> = Vec::new();
    for span in diagnostic.spans.iter().filter(|s| !s.label.is_empty()) {
        let same = |c: &&SpanAt| c.line == span.line && c.label == span.label;
        if chosen.len() < 3 && !chosen.iter().any(same) {
            chosen.push(span);
        }
    }
    if chosen.is_empty() {
        chosen.extend(diagnostic.spans.first());
    }
    if let Some(placed) =
        placed_by.filter(|p| !chosen.iter().any(|c| c.file == p.file && c.line == p.line))
    {
        chosen.push(placed);
    }
    chosen.into_iter().map(show).collect()
}

/// rustc's own text of every error blamed on each failing function.
pub fn rendered_errors(failures: &[Failure]) -> String {
    let mut out = String::new();
    for f in failures {
        let _ = writeln!(
            out,
            "==== {} ({}, round {})\n",
            f.function, f.location, f.round
        );
        for e in &f.errors {
            let _ = writeln!(out, "{}", e.rendered);
        }
    }
    out
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_blank_names_and_numbers() {
        let seen = ErrorSeen {
            code: "E0507".to_string(),
            message: "cannot move out of `*cmd` which is behind a raw pointer".to_string(),
            excerpt: Vec::new(),
            rendered: String::new(),
        };
        assert_eq!(
            seen.pattern(),
            "E0507 cannot move out of `_` which is behind a raw pointer"
        );
        let seen = ErrorSeen {
            code: String::new(),
            message: "expected one of 3 tokens, found `5`, not `;`".to_string(),
            excerpt: Vec::new(),
            rendered: String::new(),
        };
        assert_eq!(
            seen.pattern(),
            "expected one of N tokens, found `_`, not `;`"
        );
    }

    #[test]
    fn shortens_on_character_boundaries() {
        assert_eq!(shorten("żółw", 2), "żó…");
        assert_eq!(shorten("ab", 2), "ab");
    }
}
