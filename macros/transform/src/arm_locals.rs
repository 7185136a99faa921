//! The locals an arm binds from its state, and those it declares again
//! (in scope, holding no value): in drop order, the newest first.

use crate::flow::Entry;
use crate::ir::ScopeId;
use crate::locals::LocalId;
use crate::lower::Lowerer;
use proc_macro2::TokenStream;
use quote::quote;

impl Lowerer<'_> {
    /// Rebinds the variant locals of `scope` the arm took out of its state.
    pub(crate) fn restore_scope(&self, scope: ScopeId, entry: Entry) -> TokenStream {
        // The arm binds every variant local at its top; a local of an inner
        // scope is moved into that scope, so that it drops where its scope ends.
        if scope == 0 || entry == Entry::Start {
            return TokenStream::new();
        }
        let stored = self.stored_at_entry(entry);
        let bound: Vec<LocalId> = (self.storage.variant_locals(&stored).into_iter())
            .filter(|&l| self.locals.locals[l].scope == scope)
            .collect();
        let (older, rest) = self.declarations_around(scope, entry, &bound, true);
        quote!(#older #rest)
    }

    /// The locals of `scope` the arm declares again (see
    /// [`uninit_local`](Self::uninit_local)) in drop order among those it
    /// binds at its top, `bound`: those older than all of them come first
    /// (before the arm's `take!`); the others after, each bound local
    /// newer than one of them rebound in between (`let x = x;`: the
    /// locals of one pattern cannot be interleaved). `rebind_all`: every
    /// bound local is rebound (into an inner scope).
    pub(crate) fn declarations_around(
        &self,
        scope: ScopeId,
        entry: Entry,
        bound: &[LocalId],
        rebind_all: bool,
    ) -> (TokenStream, TokenStream) {
        let decl = |l: LocalId| self.locals.locals[l].decl;
        let mut bound: Vec<LocalId> = (bound.iter().copied())
            .filter(|&l| self.locals.locals[l].scope == scope && !self.storage.is_slot(l))
            .collect();
        bound.sort_by_key(|&l| decl(l));
        let oldest_bound = bound.first().map(|&l| decl(l));
        let (older, rest): (Vec<LocalId>, Vec<LocalId>) = (self.uninit_locals(scope, entry))
            .into_iter()
            .partition(|&l| !rebind_all && oldest_bound.is_some_and(|d| decl(l) < d));
        let first_rest = rest.iter().map(|&l| decl(l)).min();
        bound.retain(|&l| rebind_all || first_rest.is_some_and(|d| decl(l) > d));
        let declare = |l: LocalId| {
            let var = self.real_name(l, self.locals.locals[l].name.span());
            let ty = self.locals.locals[l].ty.as_ref().map(|t| quote!(: #t));
            (decl(l), quote!(let mut #var #ty;))
        };
        let rebind = |l: LocalId| {
            let var = self.real_name(l, self.locals.locals[l].name.span());
            let mutability = self.locals.locals[l].mutable.then(|| quote!(mut));
            (decl(l), quote!(let #mutability #var = #var;))
        };
        let mut merged: Vec<(usize, TokenStream)> = rest.into_iter().map(declare).collect();
        merged.extend(bound.into_iter().map(rebind));
        merged.sort_by_key(|(d, _)| *d);
        let older = older.into_iter().map(|l| declare(l).1);
        let merged = merged.into_iter().map(|(_, tokens)| tokens);
        (quote!(#(#older)*), quote!(#(#merged)*))
    }

    /// Locals of `scope` in scope at the entry that hold no value there (a
    /// `let x;`, or moved out) and that this arm assigns: declared again (one
    /// the arm does not use is left out: its type would have to be inferred).
    fn uninit_locals(&self, scope: ScopeId, entry: Entry) -> Vec<LocalId> {
        if entry == Entry::Start {
            return Vec::new();
        }
        let Some(node) = self.flow.entry_node(entry) else {
            return Vec::new();
        };
        let stored = self.stored_at_entry(entry);
        (self.flow.init_in[node].keys().copied())
            .filter(|l| {
                self.locals.locals[*l].scope == scope
                    && !stored.contains(l)
                    && !self.storage.is_slot(*l)
                    && self.used_in_region(*l)
            })
            .collect()
    }
}
