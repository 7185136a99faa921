//! A `match` scrutinee the state machine keeps across an await, when its
//! arms bind it both by reference and by value, or some take it and others
//! leave it: which arms take it from its slot, how such an arm is matched
//! in place first, and the checks that a part copied out is `Copy`.

use crate::ir::{Arm, Node};
use crate::locals::{Locals, UseKind};
use crate::lower::Lowerer;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Expr, Pat};

impl<'a> Lowerer<'a> {
    /// Does the state machine keep this `match`'s scrutinee across an await
    /// while its arms (of the IR or plain) bind both by reference and by
    /// value? A part bound by value must then be `Copy` (checked, with a
    /// message that says so).
    pub(crate) fn keeps_mixed_scrutinee<'p>(
        &self,
        scrutinee: &Expr,
        pats: impl Iterator<Item = &'p Pat> + Clone,
    ) -> bool {
        let Some(use_) = self.kept_scrutinee_use(scrutinee) else {
            return false;
        };
        let local = use_.local;
        let by_ref = pats.clone().any(crate::patterns::has_ref_binding);
        let by_value = pats.into_iter().any(crate::patterns::binds_by_value);
        // Taken by some arms, left by others (a slot with a drop flag).
        let maybe_taken = use_.kind == UseKind::MaybeTaken && self.storage.is_slot(local);
        by_value && (by_ref || maybe_taken)
    }

    /// Does an arm that awaits take part of a scrutinee the state machine
    /// keeps (`P { a, .. }`), the rest left in it? The kept rest cannot be
    /// moved into the next state: the parts must be `Copy`, as
    /// [`keeps_mixed_scrutinee`](Self::keeps_mixed_scrutinee) checks.
    pub(crate) fn partly_takes_kept_scrutinee(&self, scrutinee: &Expr, arms: &[Arm]) -> bool {
        self.kept_scrutinee_use(scrutinee).is_some()
            && arms.iter().any(|arm| {
                !matches!(arm.body, Node::Plain(_))
                    && crate::patterns::binds_by_value(&arm.pat)
                    && !crate::patterns::takes_whole_value(&arm.pat)
            })
    }

    /// The use of the local a scrutinee names (`x`, `(x)`), if the state
    /// machine keeps that local: in a slot, or in a state (at an await or
    /// a join).
    fn kept_scrutinee_use(&self, scrutinee: &Expr) -> Option<&crate::locals::Use> {
        let use_ = &self.locals.uses[path_local(scrutinee)?];
        let local = use_.local;
        let kept = self.storage.is_slot(local)
            || self.storage.at_await.iter().any(|s| s.contains(&local))
            || self.storage.at_join.values().any(|s| s.contains(&local));
        kept.then_some(use_)
    }

    /// In a `match` that keeps its scrutinee while other arms borrow it or
    /// leave it, an arm that takes every part of a slot local by value
    /// (`(d, n)`, `Some(x)`) is matched in place (see [`in_place_pattern`])
    /// and then takes the value out of the slot (`frame.x.take()`,
    /// returned): rustc leaves nothing in the place to drop later. `None`
    /// for any other arm (its bindings must be `Copy`: see
    /// [`copied_out_checks`]).
    pub(crate) fn taken_scrutinee(&self, scrutinee: &Expr, pat: &Pat) -> Option<TokenStream> {
        let use_ = path_local(scrutinee)?;
        let local = self.locals.uses[use_].local;
        // (Used again later: the parts it binds were copied, nothing taken.)
        if !self.storage.is_slot(local)
            || !crate::patterns::takes_whole_value(pat)
            || self.flow.copied_parts.contains(&use_)
        {
            return None;
        }
        self.note_slot_use();
        let (frame, field) = (self.frame_expr(), self.field_name(local));
        Some(quote!(#frame.#field.take()))
    }
}

/// The pattern an arm that takes its scrutinee is matched with in place:
/// its bindings by reference if a guard reads them, else none.
pub(crate) fn in_place_pattern(pat: &Pat, guarded: bool) -> Pat {
    if guarded {
        crate::desugar::ref_pattern(pat)
    } else {
        crate::patterns::matched_in_place(pat)
    }
}

/// `match TAKE { PAT => BODY, _ => unreachable!() }`: an arm matched in
/// place takes the value out of its slot and binds it as written.
pub(crate) fn take_then(take: &TokenStream, pat: &Pat, body: TokenStream) -> TokenStream {
    quote!(match #take { #pat => #body, _ => ::core::unreachable!() })
}

/// The use a path expression stands for (`x`, `(x)`), if it is a local's.
fn path_local(expr: &Expr) -> Option<crate::locals::UseId> {
    match expr {
        Expr::Paren(p) => path_local(&p.expr),
        Expr::Path(p) => p.path.get_ident().and_then(Locals::use_of),
        _ => None,
    }
}

/// `copied_out_of_kept_scrutinee(&x);` for each binding the pattern makes
/// by value, at its span: a compile error there unless it is `Copy`.
pub(crate) fn copied_out_checks(pat: &Pat) -> TokenStream {
    crate::patterns::by_value_bindings(pat)
        .into_iter()
        .map(|(ident, _)| {
            quote::quote_spanned!(ident.span()=>
                __private::copied_out_of_kept_scrutinee(&#ident);
            )
        })
        .collect()
}
