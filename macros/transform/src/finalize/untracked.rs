//! Locals the transform does not track (bound inside code it leaves as
//! written, such as an awaited operand's block) that a non-`move` closure
//! names. When [`Finalize`] makes such a closure `move` to capture slot
//! pointers, it would move them in (or copy them, so that a write inside
//! is lost): it captures a reference to each instead, as rustc's closure
//! borrowed them.

use super::Finalize;
use crate::captures::Borrow;
use crate::locals::Locals;
use crate::macros::after_dot_or_path;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};
use syn::visit::Visit;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Pat, parse_quote};

/// A name a pattern of untracked code binds.
#[derive(Clone)]
pub(super) struct Untracked {
    name: Ident,
    by_ref: bool,
    mutable: bool,
}

/// The untracked names `pat` binds (a tracked binding is a marker).
pub(super) fn bound_by(pat: &Pat) -> Vec<Untracked> {
    struct Bindings(Vec<Untracked>);
    impl<'p> Visit<'p> for Bindings {
        fn visit_pat_ident(&mut self, p: &'p syn::PatIdent) {
            if Locals::binding_of(&p.ident).is_none() && Locals::use_of(&p.ident).is_none() {
                self.0.push(Untracked {
                    name: p.ident.clone(),
                    by_ref: p.by_ref.is_some(),
                    mutable: p.mutability.is_some(),
                });
            }
            syn::visit::visit_pat_ident(self, p);
        }
        // `Some(x)` or `S { .. }`: a path is no binding.
        fn visit_path(&mut self, _: &'p syn::Path) {}
    }
    let mut bindings = Bindings(Vec::new());
    bindings.visit_pat(pat);
    bindings.0
}

/// The untracked names the `let`s of a condition bind (`if let P = e`,
/// `while let P = e && let Q = f`), in scope in its block (and, taken
/// loosely, in an `else`).
pub(super) fn bound_by_condition(cond: &Expr) -> Vec<Untracked> {
    match cond {
        Expr::Let(l) => bound_by(&l.pat),
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            let mut bound = bound_by_condition(&b.left);
            bound.extend(bound_by_condition(&b.right));
            bound
        }
        Expr::Paren(p) => bound_by_condition(&p.expr),
        _ => Vec::new(),
    }
}

impl Finalize<'_, '_> {
    /// Adds names bound by untracked code (outside closures, whose own
    /// bindings are theirs); returns the length to truncate back to.
    pub(super) fn bind_untracked(&mut self, bound: Vec<Untracked>) -> usize {
        let outer = self.untracked.len();
        if self.inner == 0 {
            self.untracked.extend(bound);
        }
        outer
    }

    /// The untracked locals in scope that `closure` names, each with how
    /// it captures them once it is `move`.
    pub(super) fn untracked_captures(&self, closure: &Expr) -> Vec<Capture> {
        let tokens = closure_body(closure).to_token_stream();
        // Names the closure binds itself (its parameters, its `let`s, a
        // nested closure's parameters) are left as they are: a use of one
        // may not be the local's.
        let bound_inside = bound_within(closure);
        let mut captures: Vec<Capture> = Vec::new();
        let mut seen: Vec<&Ident> = Vec::new();
        // The newest binding of a name is the one in scope.
        for binding in self.untracked.iter().rev() {
            let name = &binding.name;
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            if bound_inside.contains(name) || !names(&tokens, name) || consumes(&tokens, name) {
                continue;
            }
            let written = writes(&tokens, name, binding.mutable);
            // Passed whole and never written (a write would be lost on a copy).
            if !written && moved_whole(closure, name) {
                continue;
            }
            let how = match (binding.by_ref, binding.mutable, written) {
                // A `&T` (a `ref` binding) is copied in, as rustc's closure would.
                (true, false, _) => continue,
                // Written, not `mut`: through the `&mut` it holds, reborrowed.
                (_, false, true) | (true, true, true) => Borrow::Reborrow,
                (false, true, true) => Borrow::Mut,
                _ => Borrow::Shared,
            };
            captures.push(Capture {
                name: name.clone(),
                how,
                fields: fields_named(&tokens, name).unwrap_or_default(),
            });
        }
        captures
    }
}

/// An untracked local a closure made `move` borrows.
pub(super) struct Capture {
    name: Ident,
    how: Borrow,
    /// The fields it names, if it names nothing else (`x.a`, `x.b.c`):
    /// rustc's closure borrows only those (precise capture), so another
    /// field may have been moved out, or be borrowed apart.
    fields: Vec<TokenTree>,
}

/// `let x = &x;` (or `&mut x`, `&mut *x`) for each capture, and inside the
/// closure `x` → `(*x)` where it is now a reference to the local; for a
/// capture of fields, `let x_a = &x.a;` and `x.a` → `(*x_a)`.
pub(super) fn capture_by_reference(closure: &mut Expr, captures: &[Capture]) -> Vec<TokenStream> {
    let mut lets = Vec::new();
    let mut whole = Vec::new();
    for capture in captures {
        let Capture { name, how, fields } = capture;
        if !fields.is_empty()
            && let Some(field_lets) =
                borrow_each_field(closure, quote!(#closure), name, *how, fields)
        {
            lets.extend(field_lets);
            continue;
        }
        if *how != Borrow::Reborrow {
            whole.push(name.clone());
        }
        lets.push(match how {
            Borrow::Shared => quote!(let #name = &#name;),
            Borrow::Mut => quote!(let #name = &mut #name;),
            Borrow::Reborrow => quote!(let #name = &mut *#name;),
        });
    }
    Deref(&whole).visit_expr_mut(closure);
    lets
}

/// A plain local the closure named as `(*x)` (it borrows it): if it names
/// only fields of it (`(*x).a`), it borrows those instead, as rustc's
/// closure does. The `let`s, with the closure rewritten; `None` if it
/// names the local otherwise.
pub(super) fn borrow_fields(
    closure: &mut Expr,
    name: &Ident,
    how: Borrow,
) -> Option<Vec<TokenStream>> {
    let fields = fields_named(&undereference(closure_body(closure), name), name)?;
    let tokens = undereference(quote!(#closure), name);
    borrow_each_field(closure, tokens, name, how, &fields)
}

/// `let x_a = &x.a;` for each field, and the closure (as `tokens`) with
/// `x.a` → `(*x_a)`; `None`, and the closure unchanged, if that does not
/// parse.
fn borrow_each_field(
    closure: &mut Expr,
    tokens: TokenStream,
    name: &Ident,
    how: Borrow,
    fields: &[TokenTree],
) -> Option<Vec<TokenStream>> {
    let mut lets = Vec::new();
    let mut rewritten = tokens;
    for field in fields {
        let field_name = format_ident!("{}_{}", name, field.to_string(), span = Span::mixed_site());
        lets.push(match how {
            Borrow::Shared => quote!(let #field_name = &#name.#field;),
            Borrow::Mut | Borrow::Reborrow => quote!(let #field_name = &mut #name.#field;),
        });
        rewritten = deref_field_tokens(rewritten, name, field, &field_name);
    }
    *closure = syn::parse2(rewritten).ok()?;
    Some(lets)
}

/// `(*x)` → `x` in the tokens (undoing [`Deref`] for `x`).
fn undereference(tokens: TokenStream, name: &Ident) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(g) => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                match inner.as_slice() {
                    [TokenTree::Punct(star), TokenTree::Ident(ident)]
                        if g.delimiter() == proc_macro2::Delimiter::Parenthesis
                            && star.as_char() == '*'
                            && ident == name =>
                    {
                        TokenTree::Ident(ident.clone())
                    }
                    _ => {
                        let mut group =
                            proc_macro2::Group::new(g.delimiter(), undereference(g.stream(), name));
                        group.set_span(g.span());
                        TokenTree::Group(group)
                    }
                }
            }
            other => other,
        })
        .collect()
}

/// The fields `name` is followed by wherever the tokens name it (`x.a`,
/// `x.0`, not a method `x.m()`), once each; `None` if it is named otherwise.
fn fields_named(tokens: &TokenStream, name: &Ident) -> Option<Vec<TokenTree>> {
    fn scan(tokens: &TokenStream, name: &Ident, fields: &mut Vec<TokenTree>) -> bool {
        let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
        trees.iter().enumerate().all(|(i, tt)| match tt {
            TokenTree::Ident(ident) if ident == name && !after_dot_or_path(&trees, i) => {
                match field_after(&trees, i) {
                    Some(field) => {
                        if !fields.iter().any(|f| f.to_string() == field.to_string()) {
                            fields.push(field.clone());
                        }
                        true
                    }
                    None => false,
                }
            }
            TokenTree::Group(g) => scan(&g.stream(), name, fields),
            _ => true,
        })
    }
    let mut fields = Vec::new();
    (scan(tokens, name, &mut fields) && !fields.is_empty()).then_some(fields)
}

/// The field after the name at `at` (`.a` not followed by `(`).
fn field_after(trees: &[TokenTree], at: usize) -> Option<&TokenTree> {
    let dot = matches!(trees.get(at + 1), Some(TokenTree::Punct(p)) if p.as_char() == '.');
    // (`x.0.1` is `x`, `.`, `0.1`: a float literal, not taken.)
    let field = trees.get(at + 2).filter(|t| match t {
        TokenTree::Ident(_) => true,
        TokenTree::Literal(l) => l.to_string().bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    })?;
    let call = matches!(trees.get(at + 3), Some(TokenTree::Group(g))
        if g.delimiter() == proc_macro2::Delimiter::Parenthesis);
    (dot && !call).then_some(field)
}

/// `name.field` → `(*field_name)` in the tokens (the closure's expressions
/// and its macros' arguments alike).
fn deref_field_tokens(
    tokens: TokenStream,
    name: &Ident,
    field: &TokenTree,
    field_name: &Ident,
) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Ident(ident)
                if ident == name
                    && !after_dot_or_path(&trees, i)
                    && field_after(&trees, i)
                        .is_some_and(|f| f.to_string() == field.to_string()) =>
            {
                let group = proc_macro2::Group::new(
                    proc_macro2::Delimiter::Parenthesis,
                    quote!(*#field_name),
                );
                out.push(TokenTree::Group(group));
                i += 3;
                continue;
            }
            TokenTree::Group(g) => {
                let stream = deref_field_tokens(g.stream(), name, field, field_name);
                let mut group = proc_macro2::Group::new(g.delimiter(), stream);
                group.set_span(g.span());
                out.push(TokenTree::Group(group));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// Rewrites the paths `x` naming one of the locals to `(*x)`.
struct Deref<'n>(&'n [Ident]);

impl VisitMut for Deref<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Path(p) = expr
            && p.qself.is_none()
            && let Some(name) = p.path.get_ident()
            && self.0.contains(name)
        {
            *expr = parse_quote!((*#name));
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    /// `S { x }` → `S { x: (*x) }`.
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        if field.colon_token.is_none()
            && let syn::Member::Named(member) = &field.member
            && self.0.contains(member)
        {
            field.colon_token = Some(Default::default());
        }
        visit_mut::visit_field_value_mut(self, field);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = deref_tokens(std::mem::take(&mut mac.tokens), self.0);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// In a macro's tokens, `x` (a name, not a field, a path's segment, a
/// macro or a named format argument) → `(*x)`.
fn deref_tokens(tokens: TokenStream, names: &[Ident]) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    for (i, tt) in trees.iter().enumerate() {
        match tt {
            TokenTree::Ident(ident)
                if names.contains(ident)
                    && !after_dot_or_path(&trees, i)
                    && !matches!(trees.get(i + 1), Some(TokenTree::Punct(p))
                        if p.as_char() == '!'
                            || (p.as_char() == '=' && p.spacing() == proc_macro2::Spacing::Alone)) =>
            {
                let group =
                    proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, quote!(*#ident));
                out.push(TokenTree::Group(group));
            }
            TokenTree::Group(g) => {
                let mut group =
                    proc_macro2::Group::new(g.delimiter(), deref_tokens(g.stream(), names));
                group.set_span(g.span());
                out.push(TokenTree::Group(group));
            }
            other => out.push(other.clone()),
        }
    }
    out.into_iter().collect()
}

/// The names bound anywhere inside the closure: its parameters, and the
/// patterns of its `let`s, arms, loops and nested closures.
fn bound_within(closure: &Expr) -> Vec<Ident> {
    struct Bound(Vec<Ident>);
    impl<'e> Visit<'e> for Bound {
        fn visit_pat(&mut self, pat: &'e Pat) {
            self.0.extend(bound_by(pat).into_iter().map(|b| b.name));
        }
        fn visit_item(&mut self, _: &'e syn::Item) {}
    }
    let mut bound = Bound(Vec::new());
    bound.visit_expr(closure);
    bound.0
}

fn closure_body(closure: &Expr) -> TokenStream {
    match closure {
        Expr::Closure(c) => c.body.to_token_stream(),
        other => other.to_token_stream(),
    }
}

/// Does `name` appear in the tokens as a name (not after `.` or `::`)?
fn names(tokens: &TokenStream, name: &Ident) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, tt)| match tt {
        TokenTree::Ident(ident) => ident == name && !after_dot_or_path(&trees, i),
        TokenTree::Group(g) => names(&g.stream(), name),
        _ => false,
    })
}

/// Is `name` written: assigned (`x = `, `x += `, `x.f = `, `x[i] = `,
/// `*x = `, not a macro's `, x = v` argument), borrowed `&mut x`, or, for a `mut` local, the receiver of a
/// method (which may take `&mut self`)?
fn writes(tokens: &TokenStream, name: &Ident, mutable: bool) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let punct = |at: usize| match trees.get(at) {
        Some(TokenTree::Punct(p)) => Some(p.as_char()),
        _ => None,
    };
    trees.iter().enumerate().any(|(i, tt)| match tt {
        TokenTree::Ident(ident) if ident == name && !after_dot_or_path(&trees, i) => {
            let borrowed_mut = i >= 2
                && punct(i - 2) == Some('&')
                && matches!(&trees[i - 1], TokenTree::Ident(m) if m == "mut");
            // The operator after the place `x`, `x.f.g` or `x[i]`.
            let mut j = i + 1;
            loop {
                if punct(j) == Some('.')
                    && matches!(trees.get(j + 1), Some(TokenTree::Ident(_) | TokenTree::Literal(_)))
                {
                    if matches!(trees.get(j + 2), Some(TokenTree::Group(_))) {
                        return mutable;
                    }
                    j += 2;
                } else if matches!(trees.get(j), Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Bracket) {
                    j += 1;
                } else {
                    break;
                }
            }
            // `, k = v` in a macro's arguments names a format argument.
            let named_argument = j == i + 1 && i > 0 && punct(i - 1) == Some(',');
            let assigned = match (punct(j), punct(j + 1)) {
                (Some('='), Some('=' | '>')) => false,
                (Some('='), _) => !named_argument,
                (Some('+' | '-' | '*' | '/' | '%' | '^' | '&' | '|'), Some('=')) => true,
                _ => false,
            };
            borrowed_mut || assigned
        }
        TokenTree::Group(g) => {
            let macro_name = match (trees.get(i.wrapping_sub(2)), punct(i.wrapping_sub(1))) {
                (Some(TokenTree::Ident(m)), Some('!')) if i >= 2 => m.to_string(),
                _ => String::new(),
            };
            let written = crate::macros::writer_of(&macro_name, &g.stream())
                .is_some_and(|writer| writer == *name);
            written || writes(&g.stream(), name, mutable)
        }
        _ => false,
    })
}

/// Is `name` the receiver of a method named to take it by value
/// (`x.consume()`)? The closure moves it in then.
fn consumes(tokens: &TokenStream, name: &Ident) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, tt)| match tt {
        TokenTree::Ident(ident) if ident == name && !after_dot_or_path(&trees, i) => {
            crate::macros::method_called_on(&trees, i)
                .is_some_and(|m| crate::locals::consumes_receiver(&m))
        }
        TokenTree::Group(g) => consumes(&g.stream(), name),
        _ => false,
    })
}

/// Is `name` used whole as a value in the closure (`f(x)`, `S { f: x }`,
/// `(x, 1)`, `let y = x;`)? Then the closure takes it, as rustc's moves it
/// in (or copies it, which reads the same). (Macro arguments, `format!("{x}")`,
/// are borrowed: not seen here.)
fn moved_whole(closure: &Expr, name: &Ident) -> bool {
    let mut found = false;
    crate::operands::for_each_passed_by_value(closure, &mut |e| {
        found |= matches!(e, Expr::Path(p) if p.path.is_ident(name));
    });
    found
}
