//! rustc's diagnostics (from cargo's JSON messages), attributed to the
//! generated function whose lines they point at, and clustered by a
//! normalized message.

use super::json::{self, Json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    Native,
    Annotated,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub is_error: bool,
    /// The error code (`E0382`) or lint name (`unused_variables`).
    pub code: Option<String>,
    pub message: String,
    pub rendered: String,
    /// Where it points, most telling first: primary spans (then the macro
    /// call sites they were expanded from), other spans, then children's.
    pub locations: Vec<Location>,
}

/// One function's lines in a module file (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub case: usize,
    pub first: usize,
    pub last: usize,
}

/// The diagnostic in one line of cargo's JSON output, if it carries one.
pub fn from_cargo_line(line: &str) -> Option<Diagnostic> {
    let value = json::parse(line)?;
    if value.get("reason")?.as_str()? != "compiler-message" {
        return None;
    }
    let message = value.get("message")?;
    let level = message.get("level")?.as_str()?;
    let is_error = level.starts_with("error");
    if !is_error && level != "warning" {
        return None;
    }
    let mut locations = Vec::new();
    let spans = message.get("spans").map(Json::as_array).unwrap_or(&[]);
    for primary in [true, false] {
        for span in spans {
            if span.get("is_primary").and_then(Json::as_bool) == Some(primary) {
                push_span(span, &mut locations);
            }
        }
    }
    for child in message.get("children").map(Json::as_array).unwrap_or(&[]) {
        for span in child.get("spans").map(Json::as_array).unwrap_or(&[]) {
            push_span(span, &mut locations);
        }
    }
    Some(Diagnostic {
        is_error,
        code: message
            .get("code")
            .and_then(|c| c.get("code"))
            .and_then(Json::as_str)
            .map(str::to_string),
        message: message.get("message")?.as_str()?.to_string(),
        rendered: message
            .get("rendered")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string(),
        locations,
    })
}

/// The span, then the call sites of the macros it was expanded from.
fn push_span(span: &Json, out: &mut Vec<Location>) {
    let mut current = Some(span);
    while let Some(span) = current {
        if let (Some(file), Some(line)) = (
            span.get("file_name").and_then(Json::as_str),
            span.get("line_start").and_then(Json::as_u64),
        ) {
            out.push(Location {
                file: file.to_string(),
                line: line as usize,
            });
        }
        current = span.get("expansion").and_then(|e| e.get("span"));
    }
}

/// The side of a module file, from its path.
pub fn side_of(file: &str) -> Option<Side> {
    if file.ends_with("native.rs") {
        Some(Side::Native)
    } else if file.ends_with("annotated.rs") {
        Some(Side::Annotated)
    } else {
        None
    }
}

/// The function a diagnostic belongs to: the first of its locations that
/// falls in a function's lines. Both module files share one layout.
pub fn attribute(diagnostic: &Diagnostic, ranges: &[Range]) -> Option<(Side, usize)> {
    diagnostic.locations.iter().find_map(|loc| {
        let side = side_of(&loc.file)?;
        ranges
            .iter()
            .find(|r| r.first <= loc.line && loc.line <= r.last)
            .map(|r| (side, r.case))
    })
}

/// A line offset inside the function, for comparing the two sides' lints.
pub fn line_in_function(diagnostic: &Diagnostic, range: &Range) -> Option<usize> {
    diagnostic
        .locations
        .iter()
        .find(|loc| {
            side_of(&loc.file).is_some() && range.first <= loc.line && loc.line <= range.last
        })
        .map(|loc| loc.line - range.first)
}

/// The macro's own clear rejection: it names the attribute, and is not its
/// "internal error".
pub fn is_clear_rejection(diagnostic: &Diagnostic) -> bool {
    diagnostic.message.contains("#[explicit_async]")
        && !diagnostic.message.contains("internal error")
}

/// The message with the program's names and numbers blanked, so that one
/// defect gives one cluster: "cannot move out of `*d3` which is behind a
/// raw pointer" becomes "cannot move out of `_` which is behind a raw
/// pointer". Quoted types (`Vec<D>`, `impl Trait`) and the token a parse
/// error found are blanked too; other quoted text (`if let`,
/// `twice!(..)`, `i64`, `else`) is kept: it names the construct.
pub fn normalize(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or("");
    let mut out = String::new();
    let mut quoted: Option<String> = None;
    let mut last_digit = false;
    for c in first_line.chars() {
        if c == '`' {
            match quoted.take() {
                Some(text) => {
                    // The token a parse error found (`mk`, `{`), not a keyword.
                    let found_token = out.ends_with("found ") && !is_keyword(&text);
                    out.push('`');
                    let type_name = text.starts_with(|c: char| c.is_ascii_uppercase())
                        || text.starts_with("impl ")
                        || text.contains("::")
                        || text.contains('@');
                    if program_specific(&text) || type_name || found_token {
                        out.push('_');
                    } else {
                        out.push_str(&text);
                    }
                    out.push('`');
                }
                None => quoted = Some(String::new()),
            }
            last_digit = false;
        } else if let Some(text) = &mut quoted {
            text.push(c);
        } else if c.is_ascii_digit() {
            if !last_digit {
                out.push('N');
            }
            last_digit = true;
        } else {
            out.push(c);
            last_digit = false;
        }
    }
    out
}

/// Whether quoted text names something of one program rather than a
/// construct: a place or path (`d4`, `*value`, `self.k`), not a keyword,
/// a primitive type or punctuation (`if let`, `i64`, `.await`, `;`).
const KEEP: &[&str] = &[
    "let", "if", "else", "match", "loop", "while", "for", "break", "continue", "return", "async",
    "await", "move", "fn", "mut", "ref", "in", "true", "false", "self", "i8", "i16", "i32", "i64",
    "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", "f32", "f64", "bool", "str",
];

fn program_specific(text: &str) -> bool {
    let path = text.trim_start_matches(['*', '&']);
    !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && path.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && !is_keyword(path)
}

fn is_keyword(text: &str) -> bool {
    KEEP.contains(&text)
}

/// The cluster key of an error: its code and normalized message.
pub fn error_key(diagnostic: &Diagnostic) -> String {
    let code = diagnostic.code.as_deref().unwrap_or("no code");
    if diagnostic.message.contains("panicked") && diagnostic.code.is_none() {
        return format!("macro panic: {}", normalize(&diagnostic.message));
    }
    format!("{code}: {}", normalize(&diagnostic.message))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// cargo 1.95's JSON for a batch of two functions (lines 35-40 and
    /// 41-49 of both module files): E0507 from the expansion of the second
    /// annotated one, and `unused_variables` on both sides.
    pub const SAMPLE: &str = include_str!("../../tests/data/diagnostics.jsonl");
    pub const RANGES: [Range; 2] = [
        Range {
            case: 0,
            first: 35,
            last: 40,
        },
        Range {
            case: 1,
            first: 41,
            last: 49,
        },
    ];

    #[test]
    fn attributes_recorded_diagnostics_to_functions() {
        let diags: Vec<Diagnostic> = SAMPLE.lines().filter_map(from_cargo_line).collect();
        assert!(diags.len() >= 2, "sample has {} diagnostics", diags.len());
        let ranges = RANGES;
        let error = diags
            .iter()
            .find(|d| d.is_error)
            .expect("an error in the sample");
        assert_eq!(attribute(error, &ranges), Some((Side::Annotated, 1)));
        let warning = diags
            .iter()
            .find(|d| !d.is_error)
            .expect("a warning in the sample");
        assert_eq!(attribute(warning, &ranges), Some((Side::Native, 0)));
        assert_eq!(line_in_function(warning, &ranges[0]), Some(2));
    }

    #[test]
    fn normalizes_names_and_numbers() {
        assert_eq!(
            normalize("cannot move out of `*x_3` which is behind a raw pointer for `i64`"),
            "cannot move out of `_` which is behind a raw pointer for `i64`"
        );
        assert_eq!(
            normalize("expected 12 arguments\nmore"),
            "expected N arguments"
        );
    }

    #[test]
    fn clear_rejections_name_the_attribute() {
        let d = |message: &str| Diagnostic {
            is_error: true,
            code: None,
            message: message.into(),
            rendered: String::new(),
            locations: Vec::new(),
        };
        assert!(is_clear_rejection(&d(
            "`.await` inside `twice!(..)` cannot be seen by #[explicit_async]"
        )));
        assert!(!is_clear_rejection(&d(
            "#[explicit_async] failed on this function (an internal error)"
        )));
        assert!(!is_clear_rejection(&d("mismatched types")));
    }
}
