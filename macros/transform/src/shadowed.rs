//! Names the code binds without the transform tracking them: the bindings
//! of code that does not await (`{ let n = f(); .. }`, a closure's
//! parameters, a plain `match`'s arms). Such a binding can hide a tracked
//! local of the same name where the code jumps to another state
//! (`break` out of that block) and the state is written with the local's
//! name: the hidden local would be stored in its place.

use crate::ir::{Block, Node, Stmt};
use crate::locals::Locals;
use std::collections::BTreeSet;
use syn::visit::{self, Visit};

/// The names bound in the plain code of `body`.
pub fn plain_bindings(body: &Block) -> BTreeSet<String> {
    let mut names = Names::default();
    names.block(body);
    names.0
}

#[derive(Default)]
struct Names(BTreeSet<String>);

impl Names {
    fn block(&mut self, block: &Block) {
        for stmt in &block.stmts {
            match stmt {
                Stmt::Plain(s) => self.visit_stmt(s),
                Stmt::Let { pat, init, .. } => {
                    self.visit_pat(pat);
                    self.node(init);
                }
                Stmt::Expr { node, .. } => self.node(node),
            }
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Await(_) => {}
            Node::Plain(e) => self.visit_expr(e),
            Node::Block(b) | Node::Loop { body: b, .. } => self.block(b),
            Node::If {
                cond,
                then,
                otherwise,
                ..
            } => {
                self.visit_expr(cond);
                self.block(then);
                if let Some(otherwise) = otherwise {
                    self.node(otherwise);
                }
            }
            Node::Match {
                scrutinee, arms, ..
            } => {
                self.visit_expr(scrutinee);
                for arm in arms {
                    self.visit_pat(&arm.pat);
                    if let Some(guard) = &arm.guard {
                        self.visit_expr(guard);
                    }
                    self.node(&arm.body);
                }
            }
        }
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
