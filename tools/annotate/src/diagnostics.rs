//! Reading `cargo build --message-format=json` and telling which annotated
//! function each error belongs to.
//!
//! An error in code that `#[explicit_async]` generated carries spans of two
//! kinds: spans the macro copied from the user's tokens (in the user's file,
//! inside the function), and spans of the expansion itself, whose
//! `expansion.span` chain leads back to the attribute (again inside the
//! function, since the attribute sits on its first line). An error reported
//! at a caller (a future that is not `Send`, say) usually names the function
//! in a note whose span is inside it. So every span is tried, most telling
//! first: the primary spans and their expansion chains, then the other
//! spans, then those of the notes.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// One error or warning from rustc, reduced to what attribution and the
/// report need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// `"error"`, `"warning"`, ...
    pub level: String,
    /// `E0507`, a lint name, or empty.
    pub code: String,
    pub message: String,
    /// Every span, most telling first (see the module docs).
    pub spans: Vec<SpanAt>,
    /// rustc's own rendering, for `--verbose` output and the report file.
    pub rendered: String,
}

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanAt {
    pub file: PathBuf,
    pub line: usize,
    /// The part of the span's first line it covers (empty if rustc gave none).
    pub highlight: String,
    /// rustc's label on it (`value moved here`), or empty.
    pub label: String,
}

/// A function that may be blamed: where it is, as lines of a file relative
/// to the crate root.
#[derive(Debug, Clone, Copy)]
pub struct Region<'a> {
    pub file: &'a Path,
    pub first_line: usize,
    pub last_line: usize,
}

/// The compiler messages in cargo's JSON output (other lines are skipped).
pub fn parse_messages(json_lines: &str) -> Vec<Diagnostic> {
    json_lines
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|v| v["reason"] == "compiler-message")
        .filter_map(|v| from_json(&v["message"]))
        .collect()
}

/// Whether cargo reported the build as a success (its last message).
pub fn build_succeeded(json_lines: &str) -> bool {
    json_lines
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|v| v["reason"] == "build-finished")
        .any(|v| v["success"] == true)
}

/// One of rustc's JSON diagnostics (the `message` of a cargo message).
pub fn from_json(message: &Value) -> Option<Diagnostic> {
    let mut spans = Vec::new();
    collect_spans(message, &mut spans);
    for child in message["children"].as_array().into_iter().flatten() {
        collect_spans(child, &mut spans);
    }
    Some(Diagnostic {
        level: message["level"].as_str()?.to_string(),
        code: message["code"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        message: message["message"].as_str()?.to_string(),
        spans,
        rendered: message["rendered"].as_str().unwrap_or_default().to_string(),
    })
}

/// Primary spans with their expansion chains, then the others with theirs.
fn collect_spans(message: &Value, out: &mut Vec<SpanAt>) {
    let spans = message["spans"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let (primary, other): (Vec<&Value>, Vec<&Value>) =
        spans.iter().partition(|s| s["is_primary"] == true);
    for span in primary.into_iter().chain(other) {
        let mut at = Some(span);
        while let Some(span) = at {
            if let (Some(file), Some(line)) =
                (span["file_name"].as_str(), span["line_start"].as_u64())
            {
                out.push(SpanAt {
                    file: PathBuf::from(file),
                    line: line as usize,
                    highlight: highlight(&span["text"][0]),
                    label: span["label"].as_str().unwrap_or_default().to_string(),
                });
            }
            at = span
                .get("expansion")
                .map(|e| &e["span"])
                .filter(|s| s.is_object());
        }
    }
}

/// The highlighted part of one of rustc's `text` lines (columns count
/// characters, from 1).
fn highlight(text: &Value) -> String {
    let line = text["text"].as_str().unwrap_or_default();
    let column = |key: &str| {
        text[key]
            .as_u64()
            .map_or(0, |c| c.saturating_sub(1) as usize)
    };
    let (start, end) = (column("highlight_start"), column("highlight_end"));
    line.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect::<String>()
        .trim()
        .to_string()
}

/// The region `diagnostic` belongs to, with the span that placed it there:
/// the innermost region containing the first span that falls in any.
/// `root` is the directory rustc ran in, for absolute file names.
pub fn attribute<'d>(
    diagnostic: &'d Diagnostic,
    regions: &[Region<'_>],
    root: &Path,
) -> Option<(usize, &'d SpanAt)> {
    diagnostic.spans.iter().find_map(|span| {
        let file = span.file.strip_prefix(root).unwrap_or(&span.file);
        regions
            .iter()
            .enumerate()
            .filter(|(_, r)| r.file == file && (r.first_line..=r.last_line).contains(&span.line))
            .min_by_key(|(_, r)| r.last_line - r.first_line)
            .map(|(i, _)| (i, span))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo build --message-format=json` of a crate whose `src/lib.rs` is
    /// testdata/cmd_apply.rs, written for this test: `run` moves an
    /// argument by calling `apply(self)` after an await.
    const RECORDED: &str = include_str!("../testdata/cmd_apply_e0507.json");

    fn region(first_line: usize, last_line: usize) -> Region<'static> {
        Region {
            file: Path::new("src/lib.rs"),
            first_line,
            last_line,
        }
    }

    #[test]
    fn parses_the_recorded_error_with_its_labels() {
        let diags = parse_messages(RECORDED);
        let levels: Vec<&str> = diags.iter().map(|d| d.level.as_str()).collect();
        assert_eq!(levels, ["error", "failure-note"]);
        let error = &diags[0];
        assert_eq!(
            (error.level.as_str(), error.code.as_str()),
            ("error", "E0507")
        );
        assert_eq!(
            error.message,
            "cannot move out of `*cmd` which is behind a raw pointer"
        );
        // The primary span (the attribute, where the expansion put the move)
        // comes first, then the user's line that moves.
        assert_eq!(
            (error.spans[0].line, error.spans[0].highlight.as_str()),
            (19, "#[explicit_async]")
        );
        let moved = error.spans.iter().find(|s| s.line == 22).unwrap();
        assert_eq!(moved.highlight, "apply()");
        assert_eq!(moved.label, "`*cmd` moved due to this method call");
        assert!(!build_succeeded(RECORDED));
    }

    #[test]
    fn attributes_the_error_to_the_function_by_its_spans() {
        let error = &parse_messages(RECORDED)[0];
        let cmd_apply = region(5, 9);
        let fine = region(13, 17);
        let run = region(19, 23);
        let whole_file = region(1, 23);
        let root = Path::new("/nowhere");
        let (blamed, at) = attribute(error, &[cmd_apply, fine, whole_file, run], root).unwrap();
        assert_eq!(
            (blamed, at.line),
            (3, 19),
            "the innermost region holding the first span"
        );
        // A span in a note (apply's `self`, line 6) places it when nothing else does.
        let (blamed, at) = attribute(error, &[fine, cmd_apply], root).unwrap();
        assert_eq!((blamed, at.line), (1, 6));
        assert!(attribute(error, &[fine], root).is_none());
        let elsewhere = Region {
            file: Path::new("src/other.rs"),
            ..run
        };
        assert!(attribute(error, &[elsewhere], root).is_none());
    }

    #[test]
    fn absolute_file_names_are_taken_relative_to_the_root() {
        let mut error = parse_messages(RECORDED).remove(0);
        for span in &mut error.spans {
            span.file = Path::new("/crate").join(&span.file);
        }
        assert!(attribute(&error, &[region(19, 23)], Path::new("/crate")).is_some());
    }
}
