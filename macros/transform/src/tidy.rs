//! Last touches on the poll closure's body, for the reader: blocks that
//! only nest (`{ { .. } }`, `else { { x } }`) are opened into their parent,
//! an awaited `?` reads `question!('ret, output)` (not the block that moves
//! `output` into a temporary first), and a `continue 'dispatch` that ends a
//! dispatch arm, where the loop goes on by itself, is left out.
//!
//! All keep the code's meaning: a block opened into its parent was the
//! parent's last statement (its locals still drop before the parent's, and
//! nothing runs in between); `question!` moves its operand, the temporary
//! or the variable it was moved from alike; and a dispatch arm that ends
//! falls through to the next turn of the loop.

use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Stmt};

/// Tidies the closure body; `dispatch` is the dispatch loop's label.
pub fn closure_body(block: &mut Block, dispatch: &syn::Lifetime) {
    Flatten.visit_block_mut(block);
    for stmt in &mut block.stmts {
        if let Stmt::Expr(Expr::Loop(l), _) = stmt
            && l.label
                .as_ref()
                .is_some_and(|label| label.name == *dispatch)
            && let Some(Stmt::Expr(Expr::Match(m), _)) = l.body.stmts.last_mut()
        {
            for arm in &mut m.arms {
                drop_final_continue(&mut arm.body, dispatch);
            }
        }
    }
}

/// Opens a block that is the last statement of a block into it.
struct Flatten;

impl VisitMut for Flatten {
    fn visit_block_mut(&mut self, block: &mut Block) {
        visit_mut::visit_block_mut(self, block);
        while let Some(last) = block.stmts.last() {
            let opened = match last {
                // `{ ..; { stmts } }`: the value is the inner block's.
                Stmt::Expr(Expr::Block(inner), None) if is_plain(inner) => {
                    inner.block.stmts.clone()
                }
                // `{ ..; { stmts; }; }`: only if the inner block has no value.
                Stmt::Expr(Expr::Block(inner), Some(_))
                    if is_plain(inner) && !has_value(&inner.block) =>
                {
                    inner.block.stmts.clone()
                }
                _ => break,
            };
            block.stmts.pop();
            block.stmts.extend(opened);
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        if let Some(question) = question_of_moved(expr) {
            *expr = question;
        }
    }

    // Closures and `async` blocks are the user's own code: left as written.
    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// `{ let t = v; __private::question!('ret, t) }`, `v` a variable: the
/// `question!` of `v` itself (a variable has no temporaries to keep).
fn question_of_moved(expr: &Expr) -> Option<Expr> {
    let Expr::Block(block) = expr else {
        return None;
    };
    let [Stmt::Local(local), Stmt::Expr(Expr::Macro(question), None)] = &block.block.stmts[..]
    else {
        return None;
    };
    let syn::Pat::Ident(temp) = &local.pat else {
        return None;
    };
    let moved = local.init.as_ref().filter(|init| init.diverge.is_none())?;
    let Expr::Path(variable) = &*moved.expr else {
        return None;
    };
    let is_question = question.mac.path.segments.last()?.ident == "question";
    let (label, operand) = question
        .mac
        .parse_body_with(|input: syn::parse::ParseStream<'_>| {
            let label: syn::Lifetime = input.parse()?;
            input.parse::<syn::Token![,]>()?;
            Ok((label, input.parse::<syn::Ident>()?))
        })
        .ok()?;
    let plain = is_plain(block)
        && local.attrs.is_empty()
        && temp.by_ref.is_none()
        && temp.mutability.is_none()
        && temp.subpat.is_none()
        && variable.path.get_ident().is_some();
    if !is_question || !plain || operand != temp.ident {
        return None;
    }
    let mut question = question.clone();
    question.mac.tokens = quote::quote!(#label, #variable);
    Some(Expr::Macro(question))
}

fn is_plain(block: &syn::ExprBlock) -> bool {
    block.attrs.is_empty() && block.label.is_none()
}

/// Does the block end in a value (a tail expression)?
fn has_value(block: &Block) -> bool {
    matches!(block.stmts.last(), Some(Stmt::Expr(_, None)))
}

/// Removes `continue 'dispatch;` where it is the last thing an arm does:
/// at the end of the arm's body, or of the branches of an `if`, `match`,
/// block or `unsafe` block that ends it.
fn drop_final_continue(expr: &mut Expr, dispatch: &syn::Lifetime) {
    match expr {
        Expr::Block(b) if b.label.is_none() => drop_in_block(&mut b.block, dispatch),
        Expr::Unsafe(u) => drop_in_block(&mut u.block, dispatch),
        Expr::If(i) => {
            drop_in_block(&mut i.then_branch, dispatch);
            if let Some((_, otherwise)) = &mut i.else_branch {
                drop_final_continue(otherwise, dispatch);
            }
        }
        Expr::Match(m) => {
            for arm in &mut m.arms {
                drop_final_continue(&mut arm.body, dispatch);
            }
        }
        _ => {}
    }
}

fn drop_in_block(block: &mut Block, dispatch: &syn::Lifetime) {
    match block.stmts.last_mut() {
        Some(Stmt::Expr(Expr::Continue(c), _))
            if c.label.as_ref().is_some_and(|label| label == dispatch) =>
        {
            block.stmts.pop();
        }
        Some(Stmt::Expr(
            e @ (Expr::If(_) | Expr::Match(_) | Expr::Block(_) | Expr::Unsafe(_)),
            _,
        )) => drop_final_continue(e, dispatch),
        _ => {}
    }
}
