//! An arm matched in place on a scrutinee kept to the statement's end
//! (in a slot) that binds it by value takes the value and matches it again
//! (see [`crate::scrutinee::take_then`]); its `if let` guard's bindings are
//! carried across.

use super::Finalize;
use crate::locals::Locals;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::Expr;

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
        for pat in crate::patterns::guard_patterns(guard) {
            crate::patterns::bind_idents(&mut pat.clone(), &mut |ident, mutable, _| {
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
