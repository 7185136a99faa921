//! The fields of slot locals a closure captures by value: each is taken
//! out of its slot when the closure is made, into a local the closure
//! names instead (`captured_0`).
//!
//! rustc orders a closure's captures by their root variable, then by
//! place: all of `self.k` and `self.d` before `d6` when `self` is named
//! first, whatever the order of the places in the body. It drops them in
//! that order with the closure (or an `async` block not run to its end).
//! Two fields of one local therefore become one tuple, whose fields the
//! closure captures together, in the same place of the order.

use crate::locals::{LocalId, Locals};
use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{format_ident, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, parse_quote};

/// A field a `move` closure takes out of a `PartSlot` when it is made.
pub(super) struct TakenField {
    pub(super) taken: Expr,
    /// What the closure names it by.
    pub(super) name: Ident,
    /// The local it is a field of, and the field's path in it.
    pub(super) local: Option<LocalId>,
    pub(super) path: Option<Vec<String>>,
}

/// The `let`s that take the fields out before the closure, which names
/// them in `closure` (rewritten where fields are grouped); `written` is
/// the closure as the user wrote it, to see which fields it writes.
pub(super) fn take_fields(
    fields: Vec<TakenField>,
    closure: &mut Expr,
    written: &Expr,
    locals: &Locals,
) -> Vec<TokenStream> {
    let writes =
        |local: Option<LocalId>| local.is_some_and(|l| crate::captures::writes(written, l, locals));
    let mut groups: Vec<(Option<LocalId>, Vec<TakenField>)> = Vec::new();
    for field in fields {
        match groups
            .iter_mut()
            .find(|(l, _)| l.is_some() && *l == field.local)
        {
            Some((_, group)) => group.push(field),
            None => groups.push((field.local, vec![field])),
        }
    }
    let mut renamed: Vec<(Ident, Expr)> = Vec::new();
    let through_deref = written_move(written).then(|| quote!(#[deny(dangerous_implicit_autorefs)]));
    let lets = groups
        .into_iter()
        .map(|(local, group)| {
            let mutability = writes(local).then(|| quote!(mut));
            if let [field] = group.as_slice() {
                let (name, taken) = (&field.name, &field.taken);
                return quote!(#through_deref let #mutability #name = #taken;);
            }
            let name = format_ident!("{}_fields", group[0].name, span = Span::mixed_site());
            for (index, field) in group.iter().enumerate() {
                let index = syn::Index::from(index);
                renamed.push((field.name.clone(), parse_quote!(#name.#index)));
            }
            let taken = group.iter().map(|f| &f.taken);
            quote!(#through_deref let #mutability #name = (#(#taken,)*);)
        })
        .collect();
    if !renamed.is_empty() {
        Rename(&renamed).visit_expr_mut(closure);
    }
    lets
}

/// Written `move`, a closure or block takes `x` whole where `x.f` is
/// reached through a `Deref` (rustc truncates a `move` capture at a deref),
/// which the transform cannot see: it takes `f` alone. The lint makes that
/// case a compile error at `x.f`, never a different drop order. A field of
/// the local itself is reached without an autoref and does not trip it.
fn written_move(written: &Expr) -> bool {
    match written {
        Expr::Closure(c) => c.capture.is_some(),
        Expr::Async(a) => a.capture.is_some(),
        _ => false,
    }
}

/// Rewrites the names of grouped fields to the tuple's fields.
struct Rename<'r>(&'r [(Ident, Expr)]);

impl VisitMut for Rename<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Path(p) = expr
            && let Some(ident) = p.path.get_ident()
            && let Some((_, field)) = self.0.iter().find(|(name, _)| name == ident)
        {
            *expr = field.clone();
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    /// `vec![captured_0]`: in a macro's tokens too.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = self.tokens(std::mem::take(&mut mac.tokens));
    }
}

impl Rename<'_> {
    fn tokens(&self, tokens: TokenStream) -> TokenStream {
        tokens
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Ident(ident) => match self.0.iter().find(|(name, _)| *name == ident) {
                    Some((_, field)) => quote!(#field),
                    None => quote!(#ident),
                },
                TokenTree::Group(group) => {
                    let mut renamed = Group::new(group.delimiter(), self.tokens(group.stream()));
                    renamed.set_span(group.span());
                    quote!(#renamed)
                }
                other => quote!(#other),
            })
            .collect()
    }
}
