//! The places [`Finalize`] writes for locals kept in slots: an assignment
//! (`set`), a field moved out of a `PartSlot` (`take_field`), and the end
//! of a temporary the expansion carried (`clear`).

use super::Finalize;
use crate::locals::{Locals, UseKind};
use crate::lower::mixed;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Expr, Ident, parse_quote};

impl Finalize<'_, '_> {
    /// `::core::mem::drop(t)`, the expansion's own drop of a temporary it
    /// carried (an `if let` guard's, at its arm's end), when `t` is in a
    /// slot: `clear()`, which drops what the slot still holds. The code
    /// that used the temporary may have moved it out (`match t { (d, _) =>
    /// .. }`), which rustc allows of a temporary.
    pub(super) fn dropped_temporary(&mut self, expr: &Expr) -> Option<Expr> {
        let Expr::Call(call) = expr else { return None };
        let (Expr::Path(callee), Some(Expr::Path(arg)), 1) =
            (&*call.func, call.args.first(), call.args.len())
        else {
            return None;
        };
        let is_drop = callee.path.leading_colon.is_some()
            && crate::names::segment_names(&callee.path) == ["core", "mem", "drop"];
        if !is_drop || self.inner > 0 {
            return None;
        }
        let local = self.lower.locals.uses[Locals::use_of(arg.path.get_ident()?)?].local;
        let temporary = self.lower.locals.locals[local].internal
            && self.lower.storage.is_slot(local)
            && !self.unslotted.contains(&local);
        if !temporary {
            return None;
        }
        self.slot_uses += 1;
        self.lower.note_slot_use();
        self.frame_borrows += 1;
        let (frame, field) = (self.lower.frame_expr(), self.lower.field_name(local));
        Some(parse_quote!(#frame.#field.clear()))
    }

    /// `x = value` for a local kept in a slot: the slot may not hold a value
    /// yet (`let x;`), so it is written with `set` (dropping the old value
    /// first, if it holds one), not through the pointer.
    pub(super) fn slot_assignment(&mut self, expr: &mut Expr) -> Option<Expr> {
        let Expr::Assign(assign) = expr else {
            return None;
        };
        let Expr::Path(p) = &*assign.left else {
            return None;
        };
        let u = Locals::use_of(p.path.get_ident()?)?;
        let use_ = &self.lower.locals.uses[u];
        if use_.kind != UseKind::Assign || !self.lower.storage.is_slot(use_.local) {
            return None;
        }
        self.slot_uses += 1;
        self.lower.note_slot_use();
        let (frame, field) = (self.lower.frame_expr(), self.lower.field_name(use_.local));
        let frame_borrows = self.frame_borrows;
        self.visit_expr_mut(&mut assign.right);
        let value = &assign.right;
        // `x = x` takes the slot's value first: `set` borrows the frame too.
        if self.frame_borrows > frame_borrows {
            let name = mixed("value");
            return Some(parse_quote!({ let #name = #value; #frame.#field.set(#name) }));
        }
        Some(parse_quote!(#frame.#field.set(#value)))
    }

    /// `p.a.b` moved out of a local kept in a `PartSlot`: the field taken
    /// out, and the slot told how to drop the rest.
    pub(super) fn take_field(&mut self, expr: &Expr) -> Option<Expr> {
        let Expr::Field(_) = expr else { return None };
        let mut cur = expr;
        let mut depth = 0;
        while let Expr::Field(f) = cur {
            cur = &f.base;
            depth += 1;
        }
        let Expr::Path(root) = cur else { return None };
        let u = Locals::use_of(root.path.get_ident()?)?;
        let use_ = &self.lower.locals.uses[u];
        let moved_part = use_.kind == UseKind::MovePart
            || self.lower.flow.field_moves.contains(&u)
            || (self.inner > 0
                && (self.closure_taken_paths.iter())
                    .any(|(l, p)| *l == use_.local && *p == use_.path));
        if !moved_part || use_.path.len() != depth {
            return None;
        }
        let local = use_.local;
        // A closure that takes the whole local reads its field from there.
        if self.inner > 0 && self.closure_moves.contains(&local) {
            return None;
        }
        let bit = self.lower.storage.part_bit(local, &use_.path)?;
        if !self.lower.storage.is_part_slot(local) || self.unslotted.contains(&local) {
            return None;
        }
        self.lower.note_slot_use();
        let frame = self.lower.frame_expr();
        let field = self.lower.field_name(local);
        let members = path_tokens(&use_.path, expr.span());
        let forgets = self.lower.storage.part_moves[&local]
            .iter()
            .enumerate()
            .map(|(i, path)| {
                let members = path_tokens(path, Span::call_site());
                let bit = 1u32 << i;
                quote!(if moved & #bit != 0 { ::core::mem::forget(value #(. #members)*); })
            });
        // At the user's `x.f`: where it goes through a `Deref`, a lint that
        // `captured_fields` denies points there.
        let p = Ident::new("p", expr.span());
        let projection = quote_spanned!(expr.span()=> &raw mut (*#p) #(. #members)*);
        Some(parse_quote!(#frame.#field.take_field(
            #bit,
            |#p| #projection,
            |p, moved| {
                let value = p.read();
                #(#forgets)*
            },
        )))
    }
}

/// `a.0` → the members `a`, `0`, as tokens for `x.a.0`.
fn path_tokens(path: &[String], span: Span) -> Vec<TokenStream> {
    path.iter()
        .map(|m| match m.parse::<u32>() {
            Ok(i) => {
                let index = syn::Index { index: i, span };
                quote!(#index)
            }
            Err(_) => {
                let ident = Ident::new(m, span);
                quote!(#ident)
            }
        })
        .collect()
}
