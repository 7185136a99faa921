//! Names the code binds without the transform tracking them: the bindings
//! of code that does not await (`{ let n = f(); .. }`, a closure's
//! parameters, a plain `match`'s arms). Such a binding can hide a tracked
//! local of the same name where the code jumps to another state
//! (`break` out of that block) and the state is written with the local's
//! name: the hidden local would be stored in its place.

use crate::ir::{Block, Walk};
use crate::locals::Locals;
use std::collections::BTreeSet;
use syn::visit::{self, Visit};

/// The names bound in the plain code of `body`.
pub fn plain_bindings(body: &Block) -> BTreeSet<String> {
    let mut names = Names::default();
    names.walk_block(body);
    names.0
}

#[derive(Default)]
struct Names(BTreeSet<String>);

impl<'b> Walk<'b> for Names {
    fn plain_expr(&mut self, expr: &'b syn::Expr) {
        self.visit_expr(expr);
    }
    fn plain_stmt(&mut self, stmt: &'b syn::Stmt) {
        self.visit_stmt(stmt);
    }
    fn pattern(&mut self, pat: &'b syn::Pat) {
        self.visit_pat(pat);
    }
}

impl Visit<'_> for Names {
    fn visit_pat_ident(&mut self, p: &syn::PatIdent) {
        // A tracked local's binding is a marker by now.
        if Locals::binding_of(&p.ident).is_none() {
            self.0.insert(p.ident.to_string());
        }
        visit::visit_pat_ident(self, p);
    }

    fn visit_item(&mut self, _: &syn::Item) {}
}
