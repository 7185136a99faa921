//! An arm matched in place on a scrutinee kept to the statement's end
//! (in a slot) that binds it by value takes the value and matches it again
//! (see [`crate::scrutinee::take_then`]); its `if let` guard's bindings are
//! carried across.

use super::Finalize;
use crate::locals::Locals;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;
use syn::Expr;
use syn::visit::Visit;

impl Finalize<'_, '_> {
    /// A guard's `let` bindings moved across the arm's match of its value:
    /// `let guard_0 = x;` before it, and `let x = guard_0;` in its arm (where
    /// the arm's bindings, which the guard's shadow, are bound again).
    pub(super) fn guard_bindings(&self, guard: Option<&Expr>) -> (TokenStream, TokenStream) {
        let (mut before, mut inside) = (TokenStream::new(), TokenStream::new());
        let Some(guard) = guard else {
            return (before, inside);
        };
        let mut count = 0;
        let operands = chain_operands(guard);
        for (at, operand) in operands.iter().enumerate() {
            let Expr::Let(l) = operand else { continue };
            // Moved by a later `let` of the chain (`let (d, 0) = (d, 0)`):
            // gone, nothing to carry (the arm cannot name it).
            let moved = moved_names(&operands[at + 1..]);
            crate::patterns::bind_idents(&mut (*l.pat).clone(), &mut |ident, mutable, _| {
                if moved.contains(&ident.to_string()) {
                    return;
                }
                // (A binding of code the transform does not track keeps its name.)
                let name = match Locals::binding_of(ident) {
                    Some(local) => self.lower.real_name(local, ident.span()),
                    None => ident.clone(),
                };
                let held = format_ident!("guard_{count}", span = Span::mixed_site());
                count += 1;
                let mutability = mutable.then(|| quote!(mut));
                before.extend(quote!(let #held = #name;));
                inside.extend(quote!(let #mutability #name = #held;));
            });
        }
        (before, inside)
    }
}

/// The operands of a `&&` chain, in order.
fn chain_operands(guard: &Expr) -> Vec<&Expr> {
    match guard {
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            let mut operands = chain_operands(&b.left);
            operands.extend(chain_operands(&b.right));
            operands
        }
        other => vec![other],
    }
}

/// The single names `operands` use by value whole: an element, an argument,
/// a `let`'s scrutinee (not borrowed, not a receiver, not a field's base,
/// not compared).
fn moved_names(operands: &[&Expr]) -> BTreeSet<String> {
    struct Moves(BTreeSet<String>);
    impl<'a> Visit<'a> for Moves {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Path(p) => {
                    if let Some(ident) = p.path.get_ident() {
                        self.0.insert(ident.to_string());
                    }
                }
                Expr::Reference(_) | Expr::Field(_) | Expr::Closure(_) | Expr::Async(_) => {}
                Expr::MethodCall(m) => {
                    for arg in &m.args {
                        self.visit_expr(arg);
                    }
                }
                Expr::Index(i) => self.visit_expr(&i.index),
                Expr::Binary(b) if is_comparison(&b.op) => {}
                _ => syn::visit::visit_expr(self, expr),
            }
        }
    }
    let mut moves = Moves(BTreeSet::new());
    for operand in operands {
        moves.visit_expr(operand);
    }
    moves.0
}

fn is_comparison(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(op, Eq(_) | Ne(_) | Lt(_) | Le(_) | Gt(_) | Ge(_))
}
