//! Finding every `async fn` of a source file and inserting text in front of
//! the ones chosen, leaving every other byte as it was.
//!
//! The insertions go on the function's own first line, never on a line of
//! their own, so line numbers stay those of the original file: a compiler
//! diagnostic on the annotated file points at the same line of the original,
//! which is what [`crate::diagnostics`] attributes errors with.

use proc_macro2::LineColumn;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{
    Attribute, Block, ImplItemFn, ItemFn, ItemImpl, ItemMod, ItemTrait, Signature, TraitItemFn,
};

/// The attribute under measurement, as inserted (followed by one space).
pub const ATTRIBUTE: &str = "#[explicit_async::explicit_async]";

/// One `async fn` found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsyncFn {
    /// `name`, `Type::name` for a method, `Trait::name` in a trait.
    pub name: String,
    /// First line of the item, its attributes included (1-based).
    pub first_line: usize,
    /// Line of the closing brace of the body (or of the `;`).
    pub last_line: usize,
    /// Whether it has a body (a trait method's declaration has none).
    pub has_body: bool,
    /// Byte offset in the original text where the attribute goes.
    pub insert_at: usize,
}

/// Error from [`find_async_fns`]: the file is not Rust that `syn` parses.
#[derive(Debug)]
pub struct ParseError(pub String);

/// Every `async fn` in `source`, in source order: free functions, methods in
/// inherent and trait impls, trait methods, and functions nested in modules
/// or in other functions' bodies. Functions written inside macro calls are
/// invisible to a parser and are not found.
pub fn find_async_fns(source: &str) -> Result<Vec<AsyncFn>, ParseError> {
    // syn skips a byte order mark; the offsets computed below are in the text
    // it parsed, so they are shifted back over the mark.
    let (bom, text) = match source.strip_prefix('\u{feff}') {
        Some(rest) => ('\u{feff}'.len_utf8(), rest),
        None => (0, source),
    };
    let file = syn::parse_file(text).map_err(|e| {
        let at = e.span().start();
        ParseError(format!("line {}:{}: {e}", at.line, at.column + 1))
    })?;
    let mut finder = Finder {
        lines: LineIndex::new(text),
        scope: Vec::new(),
        found: Vec::new(),
    };
    finder.visit_file(&file);
    let mut found = finder.found;
    for f in &mut found {
        f.insert_at += bom;
    }
    found.sort_by_key(|f| f.insert_at);
    Ok(found)
}

/// `source` with `text` (and a space) inserted at each of `offsets`.
pub fn insert_at(source: &str, offsets: &[usize], text: &str) -> String {
    let mut sorted = offsets.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = String::with_capacity(source.len() + sorted.len() * (text.len() + 1));
    let mut copied = 0;
    for at in sorted {
        out.push_str(&source[copied..at]);
        out.push_str(text);
        out.push(' ');
        copied = at;
    }
    out.push_str(&source[copied..]);
    out
}

struct Finder {
    lines: LineIndex,
    /// Names of the enclosing impl/trait types, innermost last.
    scope: Vec<String>,
    found: Vec<AsyncFn>,
}

impl Finder {
    fn record(
        &mut self,
        attrs: &[Attribute],
        head: LineColumn,
        sig: &Signature,
        end: LineColumn,
        body: Option<&Block>,
    ) {
        if sig.asyncness.is_none() {
            return;
        }
        let first = attrs
            .iter()
            .map(|a| a.span().start())
            .chain([head])
            .min_by_key(|p| (p.line, p.column))
            .unwrap_or(head);
        // Above a runtime's entry-point attribute (`#[tokio::main]`,
        // `#[tokio::test]`), which turns the item into a plain fn that
        // `#[explicit_async]` could no longer see as async; elsewhere below
        // the other attributes, so that what they expand to is transformed.
        let at = attrs
            .iter()
            .find(|a| is_entry_point(a))
            .map_or(head, |a| a.span().start());
        let name = match self.scope.last() {
            Some(owner) => format!("{owner}::{}", sig.ident),
            None => sig.ident.to_string(),
        };
        self.found.push(AsyncFn {
            name,
            first_line: first.line,
            last_line: end.line,
            has_body: body.is_some(),
            insert_at: self.lines.offset(at),
        });
    }
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_item_fn(&mut self, f: &'ast ItemFn) {
        let head = first_token(&f.vis).unwrap_or_else(|| sig_start(&f.sig));
        self.record(
            &f.attrs,
            head,
            &f.sig,
            f.block.brace_token.span.close().end(),
            Some(&f.block),
        );
        // Functions nested in the body belong to no impl.
        let outer = std::mem::take(&mut self.scope);
        visit::visit_item_fn(self, f);
        self.scope = outer;
    }

    fn visit_impl_item_fn(&mut self, f: &'ast ImplItemFn) {
        let head = first_token(&f.vis)
            .or_else(|| f.defaultness.as_ref().map(|d| d.span.start()))
            .unwrap_or_else(|| sig_start(&f.sig));
        self.record(
            &f.attrs,
            head,
            &f.sig,
            f.block.brace_token.span.close().end(),
            Some(&f.block),
        );
        let outer = std::mem::take(&mut self.scope);
        visit::visit_impl_item_fn(self, f);
        self.scope = outer;
    }

    fn visit_trait_item_fn(&mut self, f: &'ast TraitItemFn) {
        let end = match (&f.default, &f.semi_token) {
            (Some(body), _) => body.brace_token.span.close().end(),
            (None, Some(semi)) => semi.span.end(),
            (None, None) => f.sig.span().end(),
        };
        self.record(&f.attrs, sig_start(&f.sig), &f.sig, end, f.default.as_ref());
        let outer = std::mem::take(&mut self.scope);
        visit::visit_trait_item_fn(self, f);
        self.scope = outer;
    }

    fn visit_item_impl(&mut self, i: &'ast ItemImpl) {
        self.scope.push(type_name(&i.self_ty));
        visit::visit_item_impl(self, i);
        self.scope.pop();
    }

    fn visit_item_trait(&mut self, t: &'ast ItemTrait) {
        self.scope.push(t.ident.to_string());
        visit::visit_item_trait(self, t);
        self.scope.pop();
    }

    fn visit_item_mod(&mut self, m: &'ast ItemMod) {
        let outer = std::mem::take(&mut self.scope);
        visit::visit_item_mod(self, m);
        self.scope = outer;
    }
}

/// `#[tokio::main]`, `#[tokio::test]`, `#[async_std::test(..)]` and the
/// like, and an alias of one (`#[maybe_tokio_test]`): as the attribute
/// itself reads them.
fn is_entry_point(attr: &Attribute) -> bool {
    explicit_async_transform::runner::runs_async_fn(attr)
}

/// The last path segment of an impl's self type (`Foo` for `Foo<'a, T>`).
fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map_or_else(|| "_".to_string(), |s| s.ident.to_string()),
        syn::Type::Reference(r) => type_name(&r.elem),
        other => other.to_token_stream().to_string(),
    }
}

fn first_token(tokens: &impl ToTokens) -> Option<LineColumn> {
    tokens
        .to_token_stream()
        .into_iter()
        .next()
        .map(|t| t.span().start())
}

fn sig_start(sig: &Signature) -> LineColumn {
    first_token(sig).unwrap_or_else(|| sig.fn_token.span.start())
}

/// Converts proc-macro2's (line, column in chars) to byte offsets.
struct LineIndex {
    text: String,
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            text: text.to_string(),
            starts,
        }
    }

    fn offset(&self, at: LineColumn) -> usize {
        let start = self.starts[at.line - 1];
        let line = &self.text[start..];
        start
            + line
                .char_indices()
                .nth(at.column)
                .map_or(line.len(), |(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"//! A sample: fns in impls, traits, modules and bodies; one non-ASCII line.
use std::future::Future;

/// Documented.
#[inline]
pub async fn top(x: u32) -> u32 { x }

fn sync_one() {}

struct Conn<'a>(&'a str);

impl<'a> Conn<'a> {
    pub(crate) async fn read_frame(&mut self) -> Option<u8> { let _é = "ü"; None }
    fn not_async(&self) {}
}

trait Apply {
    async fn declared(&self);
    async fn defaulted(&self) {}
}

mod inner {
    #[tokio::test]
    #[allow(unused)]
    async fn entry() {
        async fn nested() {}
        nested().await
    }
}

impl Apply for Conn<'_> { async fn declared(&self) {} }
"#;

    #[test]
    fn finds_every_async_fn_with_its_lines() {
        let found = find_async_fns(SAMPLE).unwrap();
        let summary: Vec<_> = found
            .iter()
            .map(|f| (f.name.as_str(), f.first_line, f.last_line, f.has_body))
            .collect();
        assert_eq!(
            summary,
            [
                ("top", 4, 6, true),
                ("Conn::read_frame", 13, 13, true),
                ("Apply::declared", 18, 18, false),
                ("Apply::defaulted", 19, 19, true),
                ("entry", 23, 28, true),
                ("nested", 26, 26, true),
                ("Conn::declared", 31, 31, true),
            ]
        );
    }

    #[test]
    fn inserts_after_attributes_but_above_entry_points_and_keeps_lines() {
        let found = find_async_fns(SAMPLE).unwrap();
        let offsets: Vec<_> = found
            .iter()
            .filter(|f| f.has_body)
            .map(|f| f.insert_at)
            .collect();
        let out = insert_at(SAMPLE, &offsets, ATTRIBUTE);
        assert_eq!(out.lines().count(), SAMPLE.lines().count());
        let lines: Vec<_> = out.lines().collect();
        assert_eq!(
            lines[5],
            "#[explicit_async::explicit_async] pub async fn top(x: u32) -> u32 { x }"
        );
        assert!(
            lines[12].starts_with(
                "    #[explicit_async::explicit_async] pub(crate) async fn read_frame"
            )
        );
        assert_eq!(lines[17], "    async fn declared(&self);");
        assert_eq!(
            lines[22],
            "    #[explicit_async::explicit_async] #[tokio::test]"
        );
        assert_eq!(lines[23], "    #[allow(unused)]");
        assert_eq!(
            lines[25],
            "        #[explicit_async::explicit_async] async fn nested() {}"
        );
        // Removing the insertions gives back the original, byte for byte.
        assert_eq!(
            out.replace("#[explicit_async::explicit_async] ", ""),
            SAMPLE
        );
    }

    #[test]
    fn offsets_account_for_multibyte_text_and_a_byte_order_mark() {
        let source = "\u{feff}const S: &str = \"żółw\"; async fn a() {}\n";
        let found = find_async_fns(source).unwrap();
        assert_eq!(&source[found[0].insert_at..], "async fn a() {}\n");
    }

    #[test]
    fn an_alias_of_an_entry_point_is_one_too() {
        let source = "#[maybe_tokio_test]\nasync fn a() {}\n#[my_attr]\nasync fn b() {}\n";
        let found = find_async_fns(source).unwrap();
        assert!(source[found[0].insert_at..].starts_with("#[maybe_tokio_test]"));
        assert!(source[found[1].insert_at..].starts_with("async fn b"));
    }

    #[test]
    fn unparsable_source_is_an_error_with_a_position() {
        let err = find_async_fns("fn a( {}").unwrap_err();
        assert!(err.0.starts_with("line 1:"), "{}", err.0);
    }
}
