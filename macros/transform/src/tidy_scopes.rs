//! Two more of [`tidy`](crate::tidy)'s touches, on the scopes of an arm's
//! variables: a block whose end is followed only by the arm leaving
//! (`{ ..; } __private::set!(..); continue 'dispatch;`), or by a variable
//! as the value, is opened into its parent, and `let x = x;` right where `x` is bound is left out.

use crate::tidy::{has_value, is_plain, mentions};
use syn::{Block, Expr, Stmt};

/// `{ stmts; }` followed only by statements that leave (`set!`,
/// `continue`, `break` without a value) or by a variable as the parent's
/// value: opened into its parent. Its locals then drop as control leaves
/// the parent, after the state is written or the variable moved: nothing
/// in between runs code that could see them (the block binds no name those
/// statements use, and makes no local from one they move).
pub fn open_before_exit(block: &mut Block) {
    let Some(first_exit) = block
        .stmts
        .iter()
        .rposition(|stmt| !is_leaving(stmt))
        .map(|i| i + 1)
    else {
        return;
    };
    let i = first_exit - 1;
    // With a value, even one the `;` after it discards, the block could
    // not be opened: the value would drop before the block's locals.
    let Stmt::Expr(Expr::Block(inner), _) = &block.stmts[i] else {
        return;
    };
    let exits = &block.stmts[first_exit..];
    let has_value = has_value(&inner.block) && !inner.block.stmts.last().is_some_and(is_unit_if);
    if exits.is_empty() || !is_plain(inner) || has_value {
        return;
    }
    let moved = moved_by(exits);
    let binds_used_name = inner.block.stmts.iter().any(|stmt| match stmt {
        Stmt::Item(_) => true,
        Stmt::Local(local) => {
            names_in(&quote::ToTokens::to_token_stream(&local.pat))
                .iter()
                .any(|name| exits.iter().any(|exit| mentions(exit, name)))
                // A local made from a variable the exits move may borrow it
                // (`let pinned = peek(&this.d)`): it must drop before the move.
                || local.init.as_ref().is_some_and(|init| {
                    let made_from = names_in(&quote::ToTokens::to_token_stream(&init.expr));
                    made_from.iter().any(|name| moved.contains(name))
                })
        }
        Stmt::Macro(syn::StmtMacro { mac, .. })
        | Stmt::Expr(Expr::Macro(syn::ExprMacro { mac, .. }), _) => names_in(&mac.tokens)
            .iter()
            .any(|name| exits.iter().any(|exit| mentions(exit, name))),
        Stmt::Expr(..) => false,
    });
    if binds_used_name {
        return;
    }
    let opened = inner.block.stmts.clone();
    block.stmts.splice(i..=i, opened);
}

/// `if c { .. }` (no `else`: its value is `()`) whose condition keeps no
/// temporary to the end of the block (a `let` keeps its scrutinee's, so
/// that must be a variable): the same as a statement.
fn is_unit_if(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::If(i), None) = stmt else {
        return false;
    };
    let keeps_nothing = match &*i.cond {
        Expr::Let(l) => matches!(&*l.expr, Expr::Path(p) if p.path.get_ident().is_some()),
        cond => !has_let(cond),
    };
    i.else_branch.is_none() && i.attrs.is_empty() && keeps_nothing
}

/// Whether a condition has a `let` (a chain `a && let P = b`).
fn has_let(expr: &Expr) -> bool {
    match expr {
        Expr::Let(_) => true,
        Expr::Binary(b) => has_let(&b.left) || has_let(&b.right),
        Expr::Paren(p) => has_let(&p.expr),
        _ => false,
    }
}

/// A statement that only leaves the block: `__private::set!(..);`,
/// `continue 'label;`, `break 'label;`, or a variable as its value. (Not
/// the trace of a transition: it calls the user's hook, which may see what
/// is dropped.)
fn is_leaving(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Expr(Expr::Path(p), None) => {
            p.attrs.is_empty() && p.qself.is_none() && p.path.get_ident().is_some()
        }
        Stmt::Macro(m) => is_private(&m.mac, "set"),
        Stmt::Expr(Expr::Macro(m), Some(_)) => is_private(&m.mac, "set"),
        Stmt::Expr(Expr::Continue(_), _) => true,
        Stmt::Expr(Expr::Break(b), _) => b.expr.is_none(),
        _ => false,
    }
}

/// The variables the leaving statements move: the fields of the states
/// they write (`set!(state, S::LoopHead { c, this })`), and a variable
/// that is the value.
fn moved_by(exits: &[Stmt]) -> Vec<syn::Ident> {
    fn fields(tokens: proc_macro2::TokenStream, out: &mut Vec<syn::Ident>) {
        for tt in tokens {
            if let proc_macro2::TokenTree::Group(g) = tt {
                if g.delimiter() == proc_macro2::Delimiter::Brace {
                    out.extend(names_in(&g.stream()));
                } else {
                    fields(g.stream(), out);
                }
            }
        }
    }
    let mut moved = Vec::new();
    for exit in exits {
        match exit {
            Stmt::Expr(Expr::Path(p), None) => moved.extend(p.path.get_ident().cloned()),
            Stmt::Macro(syn::StmtMacro { mac, .. })
            | Stmt::Expr(Expr::Macro(syn::ExprMacro { mac, .. }), _) => {
                fields(mac.tokens.clone(), &mut moved);
            }
            _ => {}
        }
    }
    moved
}

/// `__private::name!(..)`, a macro of the machine's.
fn is_private(mac: &syn::Macro, name: &str) -> bool {
    crate::names::segment_names(&mac.path) == ["__private", name]
}

/// Every identifier in `tokens`: the names a pattern (or a macro) may bind.
fn names_in(tokens: &proc_macro2::TokenStream) -> Vec<syn::Ident> {
    tokens
        .clone()
        .into_iter()
        .flat_map(|tt| match tt {
            proc_macro2::TokenTree::Ident(i) => vec![i],
            proc_macro2::TokenTree::Group(g) => names_in(&g.stream()),
            _ => Vec::new(),
        })
        .collect()
}

/// `let x = x;` (or `let mut x = x;`) right after the statement that binds
/// `x` last (a `let`, or the `take!` of the arm's state): left out. The
/// variable is the same, declared at the same point, so it drops when it
/// did.
pub fn rebound_where_bound(block: &mut Block) {
    let mut i = 1;
    while i < block.stmts.len() {
        let rebound = rebinding(&block.stmts[i]);
        let merged = rebound.and_then(|(name, mutable)| {
            let mut previous = block.stmts[i - 1].clone();
            binds_last(&mut previous, &name, mutable).then_some(previous)
        });
        match merged {
            Some(previous) => {
                block.stmts[i - 1] = previous;
                block.stmts.remove(i);
            }
            None => i += 1,
        }
    }
}

/// `let [mut] x = x;`: `x`, and whether it is `mut`.
fn rebinding(stmt: &Stmt) -> Option<(syn::Ident, bool)> {
    let Stmt::Local(local) = stmt else {
        return None;
    };
    let syn::Pat::Ident(name) = &local.pat else {
        return None;
    };
    let init = local.init.as_ref().filter(|init| init.diverge.is_none())?;
    let same = matches!(&*init.expr, Expr::Path(p) if p.attrs.is_empty() && p.qself.is_none() && p.path.is_ident(&name.ident));
    let plain = local.attrs.is_empty()
        && name.attrs.is_empty()
        && name.by_ref.is_none()
        && name.subpat.is_none();
    (same && plain).then(|| (name.ident.clone(), name.mutability.is_some()))
}

/// Whether `stmt` binds `name` as the last name it binds (so the binding
/// drops where a rebinding right after it would), `mut` if `mutable` (a
/// `let` is made so).
fn binds_last(stmt: &mut Stmt, name: &syn::Ident, mutable: bool) -> bool {
    match stmt {
        Stmt::Local(local) if local.init.as_ref().is_some_and(|i| i.diverge.is_none()) => {
            let syn::Pat::Ident(bound) = &mut local.pat else {
                return false;
            };
            if bound.ident != *name || bound.by_ref.is_some() || bound.subpat.is_some() {
                return false;
            }
            if mutable {
                bound.mutability = Some(Default::default());
            }
            true
        }
        Stmt::Macro(m) if is_private(&m.mac, "take") => {
            take_binds_last(&m.mac.tokens, name, mutable)
        }
        _ => false,
    }
}

/// `state, M::V { a, mut b, .. }` (the tokens of a `take!`): whether `b`
/// (the last binding, by field shorthand) is `name`, `mut` if `mutable`.
fn take_binds_last(tokens: &proc_macro2::TokenStream, name: &syn::Ident, mutable: bool) -> bool {
    use proc_macro2::{Delimiter, TokenTree};
    let Some(TokenTree::Group(fields)) = tokens.clone().into_iter().last() else {
        return false;
    };
    if fields.delimiter() != Delimiter::Brace {
        return false;
    }
    let mut bindings: Vec<Vec<TokenTree>> = vec![Vec::new()];
    for tt in fields.stream() {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => bindings.push(Vec::new()),
            _ => bindings.last_mut().expect("one binding").push(tt),
        }
    }
    bindings.retain(|b| !b.is_empty());
    // `..`: the future of a waiting state, not a binding.
    if bindings.last().is_some_and(|b| {
        b.iter()
            .all(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '.'))
    }) {
        bindings.pop();
    }
    match bindings.last().map(Vec::as_slice) {
        Some([TokenTree::Ident(i)]) => i == name && !mutable,
        Some([TokenTree::Ident(m), TokenTree::Ident(i)]) => m == "mut" && i == name,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tidied(src: &str) -> String {
        let mut block: Block = syn::parse_str(src).unwrap();
        open_before_exit(&mut block);
        rebound_where_bound(&mut block);
        quote::ToTokens::to_token_stream(&block).to_string()
    }

    fn same(src: &str) {
        let block: Block = syn::parse_str(src).unwrap();
        assert_eq!(
            tidied(src),
            quote::ToTokens::to_token_stream(&block).to_string()
        );
    }

    #[test]
    fn a_block_before_the_state_is_written_is_opened() {
        let opened =
            tidied("{ { let c = o; t += c.len(); } __private::set!(s, M::H { t }); continue 'd; }");
        assert!(opened.starts_with("{ let c = o ;"), "{opened}");
        // Before a variable as the value, with an `if` as its last statement.
        let opened = tidied("{ { let n = f(); if let Some(p) = n { g(p); } } t }");
        assert!(opened.starts_with("{ let n = f () ;"), "{opened}");
    }

    #[test]
    fn a_block_is_kept_where_opening_it_would_move_a_drop() {
        // Its value drops after its locals.
        same("{ { let c = o; c.len() }; continue 'd; }");
        // A trace calls the user's hook; a user's `set!` may do anything.
        same("{ { let c = o; } trace(\"A\", \"B\"); continue 'd; }");
        same("{ { let c = o; } set!(s); continue 'd; }");
        // The scrutinee's temporaries of an `if let` end with the block.
        same("{ { let n = 1; if let Some(p) = f() { g(p); } } t }");
        // It binds a name the exit uses.
        same("{ { let t = 1; } __private::set!(s, M::H { t }); continue 'd; }");
    }

    #[test]
    fn a_rebinding_where_the_variable_is_bound_is_left_out() {
        let rebound =
            tidied("{ __private::take!(s, M::V { mut t, mut i, .. }); let mut i = i; f(i) }");
        assert!(!rebound.contains("let mut i = i"), "{rebound}");
        let rebound = tidied("{ let i = g(); let mut i = i; f(i) }");
        assert!(
            rebound.starts_with("{ let mut i = g () ; f (i) }"),
            "{rebound}"
        );
        // Not the last binding: left out, it would drop after `t`, not before.
        same("{ __private::take!(s, M::V { mut i, mut t, .. }); let mut i = i; f(i) }");
        // Bound without `mut`.
        same("{ __private::take!(s, M::V { t, i, .. }); let mut i = i; f(i) }");
    }
}
