//! The examples and their checked-in expansions, and what the checks on
//! them share: where they are, a line diff to show how two texts differ,
//! and the state enums an expansion declares.
//!
//! Used by `tests/expansions.rs` (the snapshots are current), the
//! `expand-check` binary (rustc's own expansion has the same state enums as
//! the snapshots) and the `line-ratios` binary (how much longer the
//! expansions are than their sources).

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One example: `src/examples/NAME.rs` and its expansion beside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Example {
    /// The file's stem, which is also the example's module name.
    pub name: String,
    pub source: PathBuf,
    /// `src/examples/NAME.expanded.rs`.
    pub snapshot: PathBuf,
}

/// `src/examples` of this crate.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join("examples")
}

/// Every example in `dir` (every `.rs` but `mod.rs` and the snapshots),
/// sorted by name. The snapshot need not exist.
pub fn examples_in(dir: &Path) -> io::Result<Vec<Example>> {
    let mut examples = Vec::new();
    for entry in fs::read_dir(dir)? {
        let source = entry?.path();
        let Some(file_name) = source.file_name().and_then(|name| name.to_str()) else {
            continue;
        };
        let Some(name) = file_name.strip_suffix(".rs") else {
            continue;
        };
        if name.ends_with(".expanded") || name == "mod" {
            continue;
        }
        examples.push(Example {
            name: name.to_owned(),
            snapshot: source.with_extension("expanded.rs"),
            source,
        });
    }
    examples.sort();
    Ok(examples)
}

/// A short line diff (longest common subsequence), enough to see what
/// moved: `-` lines are `expected`'s, `+` lines `actual`'s, each with its
/// line number.
pub fn line_diff(expected: &str, actual: &str) -> String {
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

/// The state enums declared anywhere in `tokens` (inside fn bodies,
/// methods and nested modules): the enums with a `Start` and a `Done`
/// variant, in the order they appear, each formatted by prettyplease (so two
/// enums that differ only in layout, or in `///` against `#[doc = ".."]`,
/// read the same).
///
/// The search is on tokens, not on a parsed file, because rustc's
/// `-Zunpretty=expanded` prints code that only rustc parses (the
/// `super let` of `pin!`); only the enums themselves must parse.
pub fn state_enums(tokens: TokenStream) -> Vec<StateEnum> {
    let mut found = Vec::new();
    find_state_enums(tokens, &mut found);
    found
}

/// One state enum: its name and its text, formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateEnum {
    pub name: String,
    pub text: String,
}

fn find_state_enums(tokens: TokenStream, found: &mut Vec<StateEnum>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(ident) if ident == "enum" => {
                if let Some(item) = enum_at(&tokens, index) {
                    let has = |name: &str| item.variants.iter().any(|v| v.ident == name);
                    if has("Start") && has("Done") {
                        found.push(StateEnum {
                            name: item.ident.to_string(),
                            text: prettyplease::unparse(&syn::File {
                                shebang: None,
                                attrs: Vec::new(),
                                items: vec![syn::Item::Enum(item)],
                            }),
                        });
                    }
                }
            }
            TokenTree::Group(group) => find_state_enums(group.stream(), found),
            _ => {}
        }
    }
}

/// The enum whose `enum` keyword is `tokens[keyword]`, with the attributes
/// written before it; `None` if those tokens are not an enum.
fn enum_at(tokens: &[TokenTree], keyword: usize) -> Option<syn::ItemEnum> {
    let mut start = keyword;
    while start >= 2
        && matches!(&tokens[start - 1], TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket)
        && matches!(&tokens[start - 2], TokenTree::Punct(p) if p.as_char() == '#')
    {
        start -= 2;
    }
    let body = keyword
        + tokens[keyword..]
            .iter()
            .position(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace))?;
    syn::parse2(tokens[start..=body].iter().cloned().collect()).ok()
}

/// The tokens inside `mod name { .. }` among `tokens` (not nested).
pub fn module(tokens: TokenStream, name: &str) -> Option<TokenStream> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    tokens.windows(3).find_map(|window| match window {
        [
            TokenTree::Ident(keyword),
            TokenTree::Ident(ident),
            TokenTree::Group(body),
        ] if keyword == "mod" && ident == name && body.delimiter() == Delimiter::Brace => {
            Some(body.stream())
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diff_points_at_the_changed_line() {
        let shown = line_diff("a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(shown, "  -   2 | b\n  +   2 | B\n");
    }

    #[test]
    fn state_enums_are_found_in_fn_bodies_and_methods_whatever_their_layout() {
        let sugared: TokenStream = "
            fn f() {
                /// Doc.
                enum F { Start, WaitingOnX { fut: u8 }, Done }
                enum NotAState { Start, Other }
            }
            impl S { fn g(&self) { let x = { super let y = 1; }; enum G<A> { Start { a: A }, Done } } }
        "
        .parse()
        .unwrap();
        let plain: TokenStream =
            "fn f() { #[doc = r\" Doc.\"] enum F { Start, WaitingOnX { fut: u8, }, Done, } }"
                .parse()
                .unwrap();
        let found = state_enums(sugared);
        let names: Vec<&str> = found.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["F", "G"]);
        assert!(found[0].text.contains("/// Doc."), "{}", found[0].text);
        assert_eq!(found[..1], state_enums(plain)[..]);
    }

    #[test]
    fn a_module_is_found_by_name_at_its_level_only() {
        let tokens: TokenStream = "mod a { mod b { enum E {} } } pub mod b { struct S; }"
            .parse()
            .unwrap();
        let b = module(tokens, "b").unwrap().to_string();
        assert_eq!(b, "struct S ;");
    }

    #[test]
    fn every_example_has_a_name_and_a_snapshot_path() {
        let examples = examples_in(&examples_dir()).unwrap();
        let textbook = examples.iter().find(|e| e.name == "textbook").unwrap();
        assert!(textbook.snapshot.ends_with("textbook.expanded.rs"));
        assert!(examples.iter().all(|e| e.name != "mod"));
    }
}
