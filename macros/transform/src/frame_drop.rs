//! How the frame's slots end at the function's exits, and, only where the
//! frame's drop glue would not drop what a waiting state holds in rustc's
//! order, `drop_suspended` and the frame's `Drop`.
//!
//! Every exit (a return, and a poll that unwound) ends the scope of every
//! slot, newest first: written out there (`frame.buf.clear();`) for a frame
//! of a few slots, or as one call of the frame's `clear_slots` method.

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

/// The most slots an exit ends one by one, written out. With more, the
/// exits call the frame's `clear_slots` method, which lists them once.
const INLINE_CLEARS: usize = 3;

/// Whether the exits end the slots one by one (`frame.buf.clear();`), not
/// with a call of `clear_slots`: for a frame of a few slots, where the list
/// is as short as the method would be. Ended one field at a time, the slots
/// also leave the `state` borrowed from the frame usable after them.
pub fn clears_slots_inline(storage: &Storage) -> bool {
    storage.slots.len() <= INLINE_CLEARS && fields_drop_in_rustc_order(storage)
}

/// The frame's inherent methods (and its `Drop`, where it needs one);
/// `slots` are its slot locals, newest first (the fields' order). None if
/// its exits end the slots one by one and its drop glue is in order.
pub fn frame_impls(
    p: &Prepared,
    lower: &Lowerer<'_>,
    frame_name: &Ident,
    generics: &[&Ident],
    slots: &[usize],
) -> TokenStream {
    if clears_slots_inline(&p.storage) {
        return TokenStream::new();
    }
    let clears = slots.iter().map(|&l| {
        let field = lower.field_name(l);
        quote!(self.#field.clear();)
    });
    let in_order = fields_drop_in_rustc_order(&p.storage);
    let drop_suspended = (!in_order).then(|| drop_suspended(p, lower));
    let drop_impl = (!in_order).then(|| {
        quote! {
            impl<#(#generics),*> ::core::ops::Drop for #frame_name<#(#generics),*> {
                fn drop(&mut self) {
                    self.drop_suspended();
                }
            }
        }
    });
    quote! {
        impl<#(#generics),*> #frame_name<#(#generics),*> {
            /// Ends the scope of every slot that holds a value, newest first.
            fn clear_slots(&mut self) {
                #(#clears)*
            }
            #drop_suspended
        }
        #drop_impl
    }
}

/// The code of the poll closure called without a context (a poll unwound):
/// what the state holds dropped, then the slots, unless it is `Done`.
pub fn unwound(p: &Prepared, lower: &Lowerer<'_>, machine: &Ident) -> TokenStream {
    let (frame, state) = (mixed("frame"), mixed("state"));
    let drop_suspended =
        (!fields_drop_in_rustc_order(&p.storage)).then(|| quote!(#frame.drop_suspended();));
    let clear_slots = if clears_slots_inline(&p.storage) {
        lower.clears(p.storage.slots.keys().copied().collect())
    } else {
        quote!(#frame.clear_slots();)
    };
    quote! {
        if !::core::matches!(#frame.#state, #machine::Done) {
            #drop_suspended
            #frame.#state = #machine::Running;
            #clear_slots
        }
        return ::core::task::Poll::Pending;
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
