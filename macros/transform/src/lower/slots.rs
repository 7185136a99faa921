//! The frame's slots in an arm's code: the pointers the arm names, the
//! slots it releases into locals and puts back (see [`crate::release`]),
//! and the ends of their scopes.

use super::Lowerer;
use crate::flow::{Entry, RegionId};
use crate::ir::{NodeId, ScopeId};
use crate::locals::LocalId;
use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

impl Lowerer<'_> {
    /// The stored locals, and the slots in scope at `entry` that hold no
    /// value there but that the arm uses (a `let x;` assigned later): the
    /// arm names each by its pointer.
    pub(super) fn slots_in_scope(&self, entry: Entry, stored: &[LocalId]) -> Vec<LocalId> {
        let mut locals = stored.to_vec();
        if entry != Entry::Start
            && let Some(node) = self.flow.entry_node(entry)
        {
            let empty = self.flow.init_in[node].keys().filter(|l| {
                self.storage.is_slot(**l) && !stored.contains(l) && self.used_in_region(**l)
            });
            locals.extend(empty);
            locals.sort_by_key(|&l| self.locals.locals[l].decl);
        }
        locals
    }

    pub(crate) fn slot_pointers(&self, stored: &[LocalId], entry: Entry) -> TokenStream {
        let frame = self.frame_expr();
        let lets = stored
            .iter()
            .filter(|&&l| self.storage.is_slot(l))
            .map(|&l| {
                let field = self.field_name(l);
                if entry == Entry::Start {
                    // An argument kept in a slot: moved there from `Start`.
                    quote!(let #field = #frame.#field.init(#field);)
                } else {
                    quote!(let #field = #frame.#field.as_ptr();)
                }
            });
        quote!(#(#lets)*)
    }

    /// `let guard = frame.guard.take();` for each slot the region releases,
    /// oldest first: declared before the locals taken out of the state,
    /// which are newer, so they drop first.
    pub(super) fn released_slots(&self, region: RegionId) -> TokenStream {
        let frame = self.frame_expr();
        let Some(released) = self.frame_storage.released.get(&region) else {
            return TokenStream::new();
        };
        self.note_slot_use();
        let lets = released.iter().map(|&l| {
            let field = self.field_name(l);
            let var = self.real_name(l, self.locals.locals[l].name.span());
            let mutability = self.locals.locals[l].mutable.then(|| quote!(mut));
            quote!(let #mutability #var = #frame.#field.take();)
        });
        quote!(#(#lets)*)
    }

    /// Ends the scope of `slots`, newest first: `frame.buf.clear();`, or
    /// for more than one, `__private::clear!(frame, buf, data);`.
    pub(crate) fn clears(&self, mut slots: Vec<LocalId>) -> TokenStream {
        let frame = self.frame_expr();
        slots.sort_by_key(|&l| std::cmp::Reverse(self.locals.locals[l].decl));
        let fields: Vec<Ident> = slots.iter().map(|&l| self.field_name(l)).collect();
        match &fields[..] {
            [] => TokenStream::new(),
            [field] => quote!(#frame.#field.clear();),
            _ => quote!(__private::clear!(#frame, #(#fields),*);),
        }
    }

    /// Ends the slots declared inside a construct, newest first.
    pub fn clears_within(&self, node: NodeId) -> TokenStream {
        let Some(scopes) = self.inner_scopes.get(&node) else {
            return TokenStream::new();
        };
        self.clears(
            self.storage
                .slots
                .keys()
                .copied()
                .filter(|&l| scopes.contains(&self.locals.locals[l].scope))
                .collect(),
        )
    }

    pub(crate) fn scope_clears(&self, scope: ScopeId) -> TokenStream {
        self.clears(
            self.storage
                .slots
                .keys()
                .copied()
                .filter(|&l| self.locals.locals[l].scope == scope)
                .collect(),
        )
    }

    /// `frame.guard.init(guard);` for each slot this region released that
    /// the next state keeps: the value goes back home before the arm leaves.
    pub(super) fn put_back(&self, stored: &[LocalId]) -> TokenStream {
        let frame = self.frame_expr();
        let released = self.frame_storage.released.get(&self.region);
        let puts = released
            .into_iter()
            .flatten()
            .filter(|l| stored.contains(l))
            .map(|&l| {
                let field = self.field_name(l);
                let var = self.real_name(l, self.locals.locals[l].name.span());
                quote!(#frame.#field.init(#var);)
            });
        quote!(#(#puts)*)
    }
}
