//! Which values a local owns (rather than borrows): a local that owns its
//! value can be partly moved, and a slot then drops what is left of it. A
//! syntax-level guess: a call may return a reference, and a field of one
//! is then copied; taking it as owned is a compile error, never a
//! different run.

use crate::cfg_expr::diverges;
use crate::ir::{self, Node};
use crate::locals::{LocalId, Locals};
use std::collections::BTreeSet;
use syn::Expr;
use syn::visit::Visit;

/// A value, not a reference: a call (or its `?`), a literal of a struct,
/// tuple or array, a macro, an await's output, or an owned local; or a
/// block, `if`, `match` or `loop` every value of which is.
pub fn owned_value(expr: &Expr, locals: &Locals, owned: &BTreeSet<LocalId>) -> bool {
    let owned_or_diverges = |e: &Expr| diverges(e) || owned_value(e, locals, owned);
    match expr {
        Expr::Call(_)
        | Expr::Struct(_)
        | Expr::Tuple(_)
        | Expr::Array(_)
        | Expr::Macro(_)
        | Expr::Await(_) => true,
        Expr::Try(t) => owned_value(&t.expr, locals, owned),
        Expr::Paren(p) => owned_value(&p.expr, locals, owned),
        Expr::Block(b) => owned_tail(&b.block, locals, owned),
        Expr::If(i) => {
            owned_tail(&i.then_branch, locals, owned)
                && i.else_branch
                    .as_ref()
                    .is_some_and(|(_, e)| owned_or_diverges(e))
        }
        Expr::Match(m) => !m.arms.is_empty() && m.arms.iter().all(|a| owned_or_diverges(&a.body)),
        Expr::Loop(l) => {
            let mut breaks = Breaks::new(l.label.as_ref());
            breaks.visit_block(&l.body);
            breaks.all_owned(locals, owned)
        }
        Expr::Path(p) => p
            .path
            .get_ident()
            .and_then(Locals::use_of)
            .is_some_and(|u| owned.contains(&locals.uses[u].local)),
        _ => false,
    }
}

/// [`owned_value`] for an initializer that awaits, as the transform has
/// split it.
pub fn owned_node(node: &Node, locals: &Locals, owned: &BTreeSet<LocalId>) -> bool {
    match node {
        Node::Await(_) => true,
        Node::Plain(e) => owned_value(e, locals, owned),
        Node::Block(b) => owned_ir_tail(b, locals, owned),
        Node::If {
            then, otherwise, ..
        } => {
            owned_ir_tail(then, locals, owned)
                && otherwise
                    .as_deref()
                    .is_some_and(|o| owned_node(o, locals, owned))
        }
        Node::Match { arms, .. } => {
            !arms.is_empty()
                && arms.iter().all(|a| {
                    matches!(&a.body, Node::Plain(e) if diverges(e))
                        || owned_node(&a.body, locals, owned)
                })
        }
        Node::Loop { label, body, .. } => {
            let mut breaks = Breaks::new(label.as_ref());
            ir::Walk::walk_block(&mut breaks, body);
            breaks.all_owned(locals, owned)
        }
    }
}

fn owned_tail(block: &syn::Block, locals: &Locals, owned: &BTreeSet<LocalId>) -> bool {
    match block.stmts.last() {
        Some(syn::Stmt::Expr(tail, None)) => {
            diverges(tail)
                || owned_value(tail, locals, owned)
                || bound_in_block(block, tail).is_some_and(|init| owned_value(init, locals, owned))
        }
        _ => false,
    }
}

/// `{ let value = INIT; ..; value }` (a name the block's own code binds,
/// which the transform does not track, as the guard's desugaring writes it):
/// the `INIT` the tail names.
fn bound_in_block<'b>(block: &'b syn::Block, tail: &Expr) -> Option<&'b Expr> {
    let Expr::Path(p) = tail else { return None };
    let name = p.path.get_ident()?;
    block.stmts.iter().rev().find_map(|stmt| match stmt {
        syn::Stmt::Local(syn::Local {
            pat: syn::Pat::Ident(bound),
            init: Some(init),
            ..
        }) if bound.ident == *name && bound.subpat.is_none() && init.diverge.is_none() => {
            Some(&*init.expr)
        }
        _ => None,
    })
}

fn owned_ir_tail(block: &ir::Block, locals: &Locals, owned: &BTreeSet<LocalId>) -> bool {
    match block.stmts.last() {
        Some(ir::Stmt::Expr { node, semi: false }) => {
            matches!(node, Node::Plain(e) if diverges(e)) || owned_node(node, locals, owned)
        }
        Some(ir::Stmt::Plain(syn::Stmt::Expr(tail, None))) => {
            diverges(tail) || owned_value(tail, locals, owned)
        }
        _ => false,
    }
}

/// The values of the `break`s that leave one `loop`.
struct Breaks<'b> {
    label: Option<String>,
    /// Inside a loop nested in the one whose breaks are collected.
    nested: usize,
    values: Vec<&'b Expr>,
}

impl<'b> Breaks<'b> {
    fn new(label: Option<&syn::Label>) -> Self {
        Breaks {
            label: label.map(|l| l.name.ident.to_string()),
            nested: 0,
            values: Vec::new(),
        }
    }

    fn all_owned(&self, locals: &Locals, owned: &BTreeSet<LocalId>) -> bool {
        !self.values.is_empty() && self.values.iter().all(|v| owned_value(v, locals, owned))
    }
}

impl<'b> ir::Walk<'b> for Breaks<'b> {
    fn plain_expr(&mut self, expr: &'b Expr) {
        self.visit_expr(expr);
    }
    fn plain_stmt(&mut self, stmt: &'b syn::Stmt) {
        self.visit_stmt(stmt);
    }
    fn enter_loop(&mut self) {
        self.nested += 1;
    }
    fn leave_loop(&mut self) {
        self.nested -= 1;
    }
}

impl<'b> Visit<'b> for Breaks<'b> {
    fn visit_expr(&mut self, e: &'b Expr) {
        match e {
            Expr::Closure(_) | Expr::Async(_) => {}
            Expr::Loop(_) | Expr::While(_) | Expr::ForLoop(_) => {
                self.nested += 1;
                syn::visit::visit_expr(self, e);
                self.nested -= 1;
            }
            Expr::Break(b) => {
                let ours = match &b.label {
                    Some(l) => self.label.as_deref() == Some(&*l.ident.to_string()),
                    None => self.nested == 0,
                };
                if ours && let Some(value) = &b.expr {
                    self.values.push(value);
                }
                syn::visit::visit_expr(self, e);
            }
            _ => syn::visit::visit_expr(self, e),
        }
    }

    fn visit_item(&mut self, _: &'b syn::Item) {}
}
