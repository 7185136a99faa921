//! `if let PAT = x { A } else { B }` where `PAT` takes all of the local `x`
//! by value, as the `match x { PAT => A, _ => B }` it means. Only the
//! taking branch moves `x`; a `match` gives each arm its own path, so a
//! local left in place when the pattern fails still drops where its scope
//! ends (rustc's drop flag), not before an await the `if let` precedes.
//! On a place, no temporary tells the two forms apart.

use crate::patterns::takes_whole_value;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, parse_quote};

pub struct IfLetOnPlace;

impl VisitMut for IfLetOnPlace {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let Expr::If(i) = expr else {
            return;
        };
        let Expr::Let(l) = &*i.cond else {
            return;
        };
        let Expr::Path(place) = &*l.expr else {
            return;
        };
        if place.qself.is_some() || place.path.get_ident().is_none() || !takes_whole_value(&l.pat) {
            return;
        }
        if let Ok(m) = as_match(i.clone()) {
            *expr = Expr::Match(m);
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// `if let P = e { a } else { b }` as `match e { P => a, _ => b }` (one
/// `let`, no chain); otherwise the `if`, back.
pub(crate) fn as_match(e: syn::ExprIf) -> Result<syn::ExprMatch, syn::ExprIf> {
    let Expr::Let(condition) = &*e.cond else {
        return Err(e);
    };
    let (pat, scrutinee, then) = (&condition.pat, &condition.expr, &e.then_branch);
    let otherwise: Expr = match &e.else_branch {
        Some((_, otherwise)) => (**otherwise).clone(),
        None => parse_quote!({}),
    };
    let attrs = &e.attrs;
    Ok(parse_quote!(#(#attrs)* match #scrutinee { #pat => #then, _ => #otherwise }))
}
