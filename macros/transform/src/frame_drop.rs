//! How the frame's slots end at the function's exits, and, only where the
//! frame's drop glue would not drop what a waiting state holds in rustc's
//! order, `drop_suspended` and the frame's `Drop`.
//!
//! Every exit ends the scope of every slot, newest first, written out
//! there: a return with `__private::clear!(frame, buf, data);`, a poll that
//! unwound in the poll closure's `__private::resume!(cx, state, Machine, frame, buf, data)`.

use crate::Prepared;
use crate::flow::Entry;
use crate::lower::{Lowerer, mixed};
use crate::storage::Storage;
use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

/// Whether the frame's own drop glue already drops what each waiting state
/// holds in rustc's order: its fields drop in order, the state first (the
/// awaited future, then the state's locals, newest first), then the slots,
/// newest first. It does unless a state holds a local older than a slot.
pub fn fields_drop_in_rustc_order(storage: &Storage) -> bool {
    storage.at_await.iter().all(|stored| {
        stored
            .iter()
            .skip_while(|&&l| storage.is_slot(l))
            .all(|&l| !storage.is_slot(l))
    })
}

/// The frame's `drop_suspended` and `Drop`, where its drop glue would not
/// drop what a waiting state holds in rustc's order; none otherwise.
pub fn frame_impls(
    p: &Prepared,
    lower: &Lowerer<'_>,
    frame_name: &Ident,
    generics: &[&Ident],
) -> TokenStream {
    if fields_drop_in_rustc_order(&p.storage) {
        return TokenStream::new();
    }
    let drop_suspended = drop_suspended(p, lower);
    quote! {
        impl<#(#generics),*> #frame_name<#(#generics),*> {
            #drop_suspended
        }
        impl<#(#generics),*> ::core::ops::Drop for #frame_name<#(#generics),*> {
            fn drop(&mut self) {
                self.drop_suspended();
            }
        }
    }
}

/// The poll closure's first line after `state`'s: `cx`, the context, or,
/// called without one (a poll unwound), the code that drops what the state
/// holds, then the slots, unless it is `Done` (then the slots are empty,
/// ended before it returned). `reparsed`: a `match` for a parser older than
/// `let … else`.
pub fn resume(p: &Prepared, lower: &Lowerer<'_>, machine: &Ident, reparsed: bool) -> TokenStream {
    let (frame, state, cx) = (mixed("frame"), mixed("state"), mixed("cx"));
    let mut slots: Vec<usize> = p.storage.slots.keys().copied().collect();
    if fields_drop_in_rustc_order(&p.storage) {
        if slots.is_empty() {
            return quote!(let #cx = __private::resume!(#cx, #state, #machine););
        }
        slots.sort_by_key(|&l| std::cmp::Reverse(p.locals.locals[l].decl));
        let slots = slots.iter().map(|&l| lower.field_name(l));
        return quote!(let #cx = __private::resume!(#cx, #state, #machine, #frame, #(#slots),*););
    }
    let clears = lower.clears(slots);
    let unwound = quote! {
        if !::core::matches!(#frame.#state, #machine::Done) {
            #frame.drop_suspended();
            #frame.#state = #machine::Running;
            #clears
        }
        return ::core::task::Poll::Pending;
    };
    if reparsed {
        quote!(let #cx = match #cx {
            ::core::option::Option::Some(#cx) => #cx,
            ::core::option::Option::None => { #unwound }
        };)
    } else {
        quote!(let ::core::option::Option::Some(#cx) = #cx else { #unwound };)
    }
}

/// `drop_suspended`, for a frame whose drop glue would drop a local of a
/// state before an older slot.
fn drop_suspended(p: &Prepared, lower: &Lowerer<'_>) -> TokenStream {
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
        /// first, whether in the state or in a slot. Leaves `Done`.
        fn drop_suspended(&mut self) {
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
