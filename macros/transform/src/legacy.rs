//! Before Rust 2024 (the crate's edition, see [`crate::edition`]): a block
//! tail's temporaries drop after the block's locals, with the statement
//! around the block (a plain block in an operand passes its tail's
//! temporaries on to that statement), and an `if let` is the `match` it
//! was, its scrutinee's temporaries the statement's. Where the machine
//! drops a block's locals itself, a tail's temporaries are named and
//! declared at the block's start ("deferred"), so that they drop after
//! them.

use crate::ir::{Block, Node, Stmt};
use crate::normalize::Normalizer;
use std::collections::BTreeSet;
use syn::{Expr, Ident, Pat, parse_quote};

impl Normalizer {
    /// The tail's own temporaries among `stmts[first..]` (those ranked at
    /// its start, `tail_start`: a statement before it that made one starts
    /// earlier), declared where the block starts (after the arguments'
    /// statements in the body).
    pub(super) fn defer_tail_temporaries(
        &mut self,
        stmts: &mut Vec<Stmt>,
        first: usize,
        tail_start: usize,
        after_arguments: usize,
    ) {
        let named: BTreeSet<String> = (self.statement_temps.iter())
            .filter(|(_, start)| **start == tail_start)
            .map(|(name, _)| name.clone())
            .collect();
        let mut deferred = Vec::new();
        let mut tail_stmts = stmts.split_off(first);
        self.deferred_tail_temporaries(&mut tail_stmts, &named, &mut deferred);
        stmts.append(&mut tail_stmts);
        // Ranked where they are declared, not with a statement (nor among a
        // later statement's temporaries).
        let declarations = deferred.into_iter().map(|(name, mutability)| {
            self.statement_temps.remove(&name.to_string());
            let number = self.temp_numbers.remove(&name.to_string());
            self.deferred.insert(name.to_string(), number);
            Stmt::Plain(parse_quote!(let #mutability #name;))
        });
        let at = after_arguments.min(first);
        stmts.splice(at..at, declarations.collect::<Vec<_>>());
    }

    /// Before Rust 2024, a block tail's temporaries drop after the block's
    /// locals: each one `named` among the tail's statements (at any depth of
    /// the blocks that hoisting made) becomes a deferred local, declared where
    /// the block starts, so that it drops after them: `deferred` gets each one,
    /// with its `mut`.
    pub(super) fn deferred_tail_temporaries(
        &mut self,
        stmts: &mut Vec<Stmt>,
        named: &BTreeSet<String>,
        deferred: &mut Vec<(Ident, Option<syn::token::Mut>)>,
    ) {
        let mut index = 0;
        while index < stmts.len() {
            match &mut stmts[index] {
                // Declared already (a temporary of a plain block's tail): moved.
                Stmt::Plain(syn::Stmt::Local(syn::Local {
                    pat: Pat::Ident(p),
                    init: None,
                    ..
                })) if named.contains(&p.ident.to_string()) => {
                    deferred.push((p.ident.clone(), p.mutability));
                    stmts.remove(index);
                    continue;
                }
                Stmt::Plain(syn::Stmt::Local(local)) => {
                    if let (Pat::Ident(p), Some(init)) = (&local.pat, &local.init)
                        && named.contains(&p.ident.to_string())
                        && init.diverge.is_none()
                    {
                        let (name, mutability, value) =
                            (p.ident.clone(), p.mutability, init.expr.clone());
                        stmts[index] = Stmt::Plain(parse_quote!(#name = #value;));
                        deferred.push((name, mutability));
                    }
                }
                // An await's output or a construct's value kept to the
                // statement's end: bound, then moved into the deferred local.
                Stmt::Let {
                    pat: Pat::Ident(p), ..
                } if named.contains(&p.ident.to_string()) => {
                    let name = p.ident.clone();
                    let output = self.temp("output", name.span());
                    deferred.push((name.clone(), p.mutability));
                    p.ident = output.clone();
                    p.mutability = None;
                    stmts.insert(index + 1, Stmt::Plain(parse_quote!(#name = #output;)));
                    index += 1;
                }
                // A block hoisting made (one of the user's has statements
                // of its own).
                Stmt::Let {
                    init: Node::Block(b),
                    ..
                }
                | Stmt::Expr {
                    node: Node::Block(b),
                    ..
                } if b.label.is_none() && b.brace.is_none() => {
                    self.deferred_tail_temporaries(&mut b.stmts, named, deferred)
                }
                _ => {}
            }
            index += 1;
        }
    }

    /// A tail that is a block of its own (`{ f().await; mk().n() }`): its
    /// deferred tail temporaries (declared at its start) are this block's
    /// tail's, so they are declared at this block's start, to drop after
    /// this block's locals too.
    pub(super) fn defer_inner_tail_temporaries(
        &mut self,
        stmts: &mut Vec<Stmt>,
        first: usize,
        after_arguments: usize,
    ) {
        let Some(Stmt::Expr {
            node: Node::Block(inner),
            semi: false,
        }) = stmts.last_mut()
        else {
            return;
        };
        if inner.label.is_some() {
            return;
        }
        let count = (inner.stmts.iter())
            .take_while(|stmt| self.is_deferred_declaration(stmt))
            .count();
        let declarations: Vec<Stmt> = inner.stmts.drain(..count).collect();
        let at = after_arguments.min(first);
        stmts.splice(at..at, declarations);
    }

    /// `let name;` of a tail temporary deferred to its block's start.
    pub(super) fn is_deferred_declaration(&self, stmt: &Stmt) -> bool {
        matches!(stmt, Stmt::Plain(syn::Stmt::Local(syn::Local { pat: Pat::Ident(p), init: None, .. }))
            if self.deferred.contains_key(&p.ident.to_string()))
    }

    /// The temporaries of what is left of an awaiting tail once its awaits
    /// are lifted out (`mk(output).n()`, or the scrutinee of a `match` or
    /// `if let`), named to be deferred with the others (before Rust 2024,
    /// they drop after the block's locals).
    pub(super) fn name_residual_temporaries(&mut self, stmts: &mut [Stmt], tail_start: usize) {
        let Some(Stmt::Expr {
            node: Node::Block(lifted),
            semi: false,
        }) = stmts.last_mut()
        else {
            return;
        };
        if lifted.brace.is_some() {
            return;
        }
        let Some(last) = lifted.stmts.last_mut() else {
            return;
        };
        let residual = match last {
            Stmt::Expr {
                node: Node::Plain(residual),
                semi: false,
            } => residual,
            Stmt::Expr {
                node: Node::Match { scrutinee, .. },
                semi: false,
            } => scrutinee,
            _ => return,
        };
        let mut named = Vec::new();
        let outer = std::mem::replace(&mut self.statement_start, tail_start);
        self.name_temporaries(residual, &mut named);
        self.statement_start = outer;
        let last = lifted.stmts.len() - 1;
        lifted.stmts.splice(last..last, named);
    }

    /// A plain block in an operand: its deferred tail temporaries live to
    /// the end of the statement around it, as that statement's.
    pub(super) fn tail_temporaries_to_the_statement(
        &mut self,
        block: &mut Block,
        out: &mut Vec<Stmt>,
    ) {
        let deferred = (block.stmts.iter())
            .take_while(|stmt| self.is_deferred_declaration(stmt))
            .count();
        for stmt in block.stmts.drain(..deferred) {
            if let Stmt::Plain(syn::Stmt::Local(syn::Local {
                pat: Pat::Ident(p), ..
            })) = &stmt
            {
                let name = p.ident.to_string();
                if let Some(Some(number)) = self.deferred.get(&name) {
                    self.temp_numbers.insert(name.clone(), *number);
                }
                self.statement_temps.insert(name, self.statement_start);
            }
            out.push(stmt);
        }
    }

    /// Before Rust 2024, a plain block's tail temporaries are those of the
    /// statement around it: each is declared in `out`, and given its value
    /// inside the block, before the tail.
    pub(super) fn name_block_tail_temporaries(
        &mut self,
        block: &mut syn::Block,
        out: &mut Vec<Stmt>,
    ) {
        let Some(syn::Stmt::Expr(tail, None)) = block.stmts.last_mut() else {
            return;
        };
        let mut named = Vec::new();
        self.name_temporaries(tail, &mut named);
        let tail = block.stmts.pop().expect("matched above");
        for stmt in named {
            match &stmt {
                Stmt::Plain(syn::Stmt::Local(syn::Local {
                    pat: Pat::Ident(p),
                    init: Some(init),
                    ..
                })) => {
                    let (name, mutability, value) = (&p.ident, p.mutability, &init.expr);
                    out.push(Stmt::Plain(parse_quote!(let #mutability #name;)));
                    block.stmts.push(parse_quote!(#name = #value;));
                }
                // A nested block's (`{ ..; ({ ..; f(&t()) }) }`), declared
                // without a value, given it inside that block: the
                // statement's temporary too.
                _ => out.push(stmt),
            }
        }
        block.stmts.push(tail);
    }
}

/// Before Rust 2024, a plain block in an operand, whose tail's temporaries
/// live to the end of the statement (a construct's blocks end them).
pub(crate) fn legacy_operand_block(expr: &Expr) -> Option<&syn::Block> {
    match expr {
        Expr::Block(b) if b.label.is_none() && crate::edition::before_2024() => Some(&b.block),
        Expr::Unsafe(u) if crate::edition::before_2024() => Some(&u.block),
        _ => None,
    }
}

/// [`legacy_operand_block`], to rewrite.
pub(crate) fn legacy_operand_block_mut(expr: &mut Expr) -> Option<&mut syn::Block> {
    match expr {
        Expr::Block(b) if b.label.is_none() && crate::edition::before_2024() => Some(&mut b.block),
        Expr::Unsafe(u) if crate::edition::before_2024() => Some(&mut u.block),
        _ => None,
    }
}

/// Before Rust 2024, an `if let` as the `match` it is (its scrutinee's
/// temporaries are the statement's).
pub(crate) fn legacy_if_let(expr: &Expr) -> Option<syn::ExprMatch> {
    match expr {
        Expr::If(i) => if_let_as_match(i.clone()).ok(),
        _ => None,
    }
}

/// Before Rust 2024, `if let P = e { a } else { b }` is `match e { P => a,
/// _ => b }`: the temporaries of `e` live to the end of the statement,
/// through `b`. (Chains of `let`s came with 2024.) Otherwise the `if`, back.
pub(crate) fn if_let_as_match(e: syn::ExprIf) -> Result<syn::ExprMatch, syn::ExprIf> {
    if !crate::edition::before_2024() {
        return Err(e);
    }
    crate::if_let_place::as_match(e)
}
