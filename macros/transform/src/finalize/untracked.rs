//! Locals the transform does not track (bound inside code it leaves as
//! written, such as an awaited operand's block) that a non-`move` closure
//! names. When [`Finalize`] makes such a closure `move` to capture slot
//! pointers, it would move them in (or copy them, so that a write inside
//! is lost): it captures a reference to each instead, as rustc's closure
//! borrowed them.

use super::Finalize;
use crate::captures::Borrow;
use crate::locals::Locals;
use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
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

impl Finalize<'_, '_> {
    /// The untracked locals in scope that `closure` names, each with how
    /// it captures them once it is `move`.
    pub(super) fn untracked_captures(&self, closure: &Expr) -> Vec<(Ident, Borrow)> {
        let tokens = closure_body(closure).to_token_stream();
        let params = closure_params(closure);
        let mut captures: Vec<(Ident, Borrow)> = Vec::new();
        // The newest binding of a name is the one in scope.
        for binding in self.untracked.iter().rev() {
            let name = &binding.name;
            if captures.iter().any(|(n, _)| n == name)
                || params.iter().any(|p| p == name)
                || !names(&tokens, name)
            {
                continue;
            }
            let written = binding.mutable && writes(&tokens, name);
            let how = match (binding.by_ref, written) {
                // A `ref mut` binding written through: its `&mut` reborrowed.
                (true, true) => Borrow::Reborrow,
                // A `ref` binding: its `&T` copied in, as rustc's closure would.
                (true, false) if !binding.mutable => continue,
                (false, true) => Borrow::Mut,
                _ => Borrow::Shared,
            };
            captures.push((name.clone(), how));
        }
        captures
    }
}

/// `let x = &x;` (or `&mut x`, `&mut *x`) for each capture, and inside the
/// closure `x` → `(*x)` where it is now a reference to the local.
pub(super) fn capture_by_reference(
    closure: &mut Expr,
    captures: &[(Ident, Borrow)],
) -> Vec<TokenStream> {
    let dereferenced: Vec<Ident> = captures
        .iter()
        .filter(|(_, how)| *how != Borrow::Reborrow)
        .map(|(name, _)| name.clone())
        .collect();
    Deref(&dereferenced).visit_expr_mut(closure);
    captures
        .iter()
        .map(|(name, how)| match how {
            Borrow::Shared => quote!(let #name = &#name;),
            Borrow::Mut => quote!(let #name = &mut #name;),
            Borrow::Reborrow => quote!(let #name = &mut *#name;),
        })
        .collect()
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

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

fn closure_body(closure: &Expr) -> TokenStream {
    match closure {
        Expr::Closure(c) => c.body.to_token_stream(),
        other => other.to_token_stream(),
    }
}

fn closure_params(closure: &Expr) -> Vec<Ident> {
    match closure {
        Expr::Closure(c) => c.inputs.iter().flat_map(bound_by).map(|b| b.name).collect(),
        _ => Vec::new(),
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

/// Is `name` written: assigned (`x = `, `x += `, `x.f = `), borrowed
/// `&mut x`, or the receiver of a method (which may take `&mut self`)?
fn writes(tokens: &TokenStream, name: &Ident) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(i, tt)| match tt {
        TokenTree::Ident(ident) if ident == name && !after_dot_or_path(&trees, i) => {
            let punct = |at: usize| match trees.get(at) {
                Some(TokenTree::Punct(p)) => Some(p.as_char()),
                _ => None,
            };
            let borrowed_mut = i >= 2
                && punct(i - 2) == Some('&')
                && matches!(&trees[i - 1], TokenTree::Ident(m) if m == "mut");
            // The operator after the place `x` or `x.f.g`.
            let mut j = i + 1;
            while punct(j) == Some('.')
                && matches!(
                    trees.get(j + 1),
                    Some(TokenTree::Ident(_) | TokenTree::Literal(_))
                )
            {
                if matches!(trees.get(j + 2), Some(TokenTree::Group(_))) {
                    return true;
                }
                j += 2;
            }
            let assigned = match (punct(j), punct(j + 1)) {
                (Some('='), Some('=' | '>')) => false,
                (Some('='), _) => true,
                (Some('+' | '-' | '*' | '/' | '%' | '^' | '&' | '|'), Some('=')) => true,
                _ => false,
            };
            borrowed_mut || assigned
        }
        TokenTree::Group(g) => writes(&g.stream(), name),
        _ => false,
    })
}

fn after_dot_or_path(trees: &[TokenTree], i: usize) -> bool {
    i > 0
        && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '.' || p.as_char() == ':')
}
