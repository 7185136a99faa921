//! The frame's `Drop`, emitted only where the frame's drop glue would not
//! drop what a waiting state holds in rustc's order.

use crate::Prepared;
use crate::flow::Entry;
use crate::lower::{Lowerer, mixed};
use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

/// Whether the frame's own drop glue already drops what each waiting state
/// holds in rustc's order: its fields drop in order, the state first (the
/// awaited future, then the state's locals, newest first), then the slots,
/// newest first. It does unless a state holds a local older than a slot.
pub fn fields_drop_in_rustc_order(p: &Prepared) -> bool {
    p.storage.at_await.iter().all(|stored| {
        stored
            .iter()
            .skip_while(|&&l| p.storage.is_slot(l))
            .all(|&l| !p.storage.is_slot(l))
    })
}

/// The frame's `Drop`, for a frame whose drop glue would drop a local of a
/// state before an older slot.
pub fn frame_drop_impl(
    p: &Prepared,
    lower: &Lowerer<'_>,
    frame_name: &Ident,
    generics: &[&Ident],
) -> TokenStream {
    let machine = &lower.machine;
    let state = mixed("state");
    let drop_arms = cancellation_drops(p, lower, machine);
    let clear_futures = p
        .flow
        .regions
        .iter()
        .zip(&p.states)
        .filter(|(entry, _)| matches!(entry, Entry::Resume(_)))
        .map(|(_, name)| quote!(#machine::#name { fut, .. } => fut.clear(),));
    quote! {
        /// Dropped while suspended, the function drops what it holds in
        /// rustc's order: the awaited future, then the locals, newest
        /// first, whether in the state or in a slot.
        impl<#(#generics),*> ::core::ops::Drop for #frame_name<#(#generics),*> {
            fn drop(&mut self) {
                // The awaited future first, in place (it may be pinned).
                match &mut self.#state {
                    #(#clear_futures)*
                    _ => {}
                }
                match ::core::mem::replace(&mut self.#state, #machine::Done) {
                    #(#drop_arms)*
                    _ => {}
                }
            }
        }
    }
}

/// For each waiting state: its locals dropped newest first, from the state
/// (taken out, its future already dropped in place) or from their slots.
fn cancellation_drops(p: &Prepared, lower: &Lowerer<'_>, machine: &Ident) -> Vec<TokenStream> {
    p.flow
        .regions
        .iter()
        .enumerate()
        .filter_map(|(region, entry)| {
            let Entry::Resume(a) = entry else { return None };
            let name = &p.states[region];
            let stored = &p.storage.at_await[*a];
            let variant = p.storage.variant_locals(stored);
            let binds = variant.iter().map(|&l| lower.field_name(l));
            let drops = stored.iter().rev().map(|&l| {
                let field = lower.field_name(l);
                if p.storage.is_slot(l) {
                    quote!(self.#field.clear();)
                } else {
                    quote!(::core::mem::drop(#field);)
                }
            });
            Some(quote!(#machine::#name { #(#binds,)* .. } => { #(#drops)* }))
        })
        .collect()
}
