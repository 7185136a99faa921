//! Walks over the syntax tree: read-only for questions, mutable and
//! pre-order for the minimizer (which rewrites the n-th node it meets).

use crate::ast::{Block, Cond, Expr, ExprKind, Stmt};

/// A direct child of an expression or block.
enum Child<'a> {
    Expr(&'a Expr),
    Block(&'a Block),
}

enum ChildMut<'a> {
    Expr(&'a mut Expr),
    Block(&'a mut Block),
}

/// Generates the read-only and the mutable child lists from one description.
macro_rules! children_fns {
    ($expr_fn:ident, $block_fn:ident, $child:ident, $($m:tt)*) => {
        fn $expr_fn(expr: &$($m)* Expr) -> Vec<$child<'_>> {
            let mut out = Vec::new();
            match &$($m)* expr.kind {
                ExprKind::Atom(_) | ExprKind::Continue(_) => {}
                ExprKind::Call(_, args)
                | ExprKind::Tuple(args)
                | ExprKind::Array(args)
                | ExprKind::Macro(_, _, args) => out.extend(args.into_iter().map($child::Expr)),
                ExprKind::Method(recv, _, args) => {
                    out.push($child::Expr(&$($m)* **recv));
                    out.extend(args.into_iter().map($child::Expr));
                }
                ExprKind::Field(e, _)
                | ExprKind::Unary(_, e)
                | ExprKind::Cast(e, _)
                | ExprKind::Await(e)
                | ExprKind::Try(e)
                | ExprKind::Closure { body: e, .. } => out.push($child::Expr(&$($m)* **e)),
                ExprKind::Index(a, b)
                | ExprKind::Binary(a, _, b)
                | ExprKind::Assign(a, _, b)
                | ExprKind::Range(a, b) => {
                    out.push($child::Expr(&$($m)* **a));
                    out.push($child::Expr(&$($m)* **b));
                }
                ExprKind::Struct(_, fields) => {
                    out.extend(fields.into_iter().map(|(_, e)| $child::Expr(e)))
                }
                ExprKind::Block(b) | ExprKind::Loop(_, b) | ExprKind::Async { body: b, .. } => {
                    out.push($child::Block(b))
                }
                ExprKind::If(conds, then, els) => {
                    for cond in conds {
                        match cond {
                            Cond::Bool(e) | Cond::Let(_, e) => out.push($child::Expr(e)),
                        }
                    }
                    out.push($child::Block(then));
                    if let Some(e) = els {
                        out.push($child::Expr(&$($m)* **e));
                    }
                }
                ExprKind::Match(scrutinee, arms) => {
                    out.push($child::Expr(&$($m)* **scrutinee));
                    for arm in arms {
                        for cond in &$($m)* arm.guard {
                            match cond {
                                Cond::Bool(e) | Cond::Let(_, e) => out.push($child::Expr(e)),
                            }
                        }
                        out.push($child::Expr(&$($m)* arm.body));
                    }
                }
                ExprKind::While(_, conds, body) => {
                    for cond in conds {
                        match cond {
                            Cond::Bool(e) | Cond::Let(_, e) => out.push($child::Expr(e)),
                        }
                    }
                    out.push($child::Block(body));
                }
                ExprKind::For(_, _, iter, body) => {
                    out.push($child::Expr(&$($m)* **iter));
                    out.push($child::Block(body));
                }
                ExprKind::Break(_, value) | ExprKind::Return(value) => {
                    if let Some(v) = value {
                        out.push($child::Expr(&$($m)* **v));
                    }
                }
            }
            out
        }

        fn $block_fn(block: &$($m)* Block) -> Vec<$child<'_>> {
            let mut out = Vec::new();
            for stmt in &$($m)* block.stmts {
                match stmt {
                    Stmt::Let { init, els, .. } => {
                        if let Some(init) = init {
                            out.push($child::Expr(init));
                        }
                        if let Some(els) = els {
                            out.push($child::Block(els));
                        }
                    }
                    Stmt::Expr(e, _) | Stmt::Fixed(e, _) => out.push($child::Expr(e)),
                }
            }
            if let Some(tail) = &$($m)* block.tail {
                out.push($child::Expr(&$($m)* **tail));
            }
            out
        }
    };
}

children_fns!(expr_children, block_children, Child,);
children_fns!(expr_children_mut, block_children_mut, ChildMut, mut);

/// Calls `f` on `expr` and every expression below it, closures and `async`
/// blocks included.
pub fn walk_expr(expr: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(expr);
    walk_children(expr_children(expr), f);
}

fn walk_children(children: Vec<Child<'_>>, f: &mut dyn FnMut(&Expr)) {
    for child in children {
        match child {
            Child::Expr(e) => walk_expr(e, f),
            Child::Block(b) => walk_children(block_children(b), f),
        }
    }
}

/// Calls `f` on every expression of `block`, pre-order: `f` may rewrite a
/// node, and the walk continues into what it wrote. A loop's own control
/// ([`Stmt::Fixed`]) is left out: the minimizer must not touch it.
pub fn for_each_expr_mut(block: &mut Block, f: &mut dyn FnMut(&mut Expr)) {
    for stmt in &mut block.stmts {
        match stmt {
            Stmt::Fixed(..) => {}
            Stmt::Let { init, els, .. } => {
                if let Some(init) = init {
                    expr_mut(init, f);
                }
                if let Some(els) = els {
                    for_each_expr_mut(els, f);
                }
            }
            Stmt::Expr(e, _) => expr_mut(e, f),
        }
    }
    if let Some(tail) = &mut block.tail {
        expr_mut(tail, f);
    }
}

fn expr_mut(expr: &mut Expr, f: &mut dyn FnMut(&mut Expr)) {
    f(expr);
    for child in expr_children_mut(expr) {
        match child {
            ChildMut::Expr(e) => expr_mut(e, f),
            ChildMut::Block(b) => for_each_expr_mut(b, f),
        }
    }
}

/// Calls `f` on `block` and every block below it, pre-order.
pub fn for_each_block_mut(block: &mut Block, f: &mut dyn FnMut(&mut Block)) {
    f(block);
    for child in block_children_mut(block) {
        match child {
            ChildMut::Expr(e) => blocks_below(e, f),
            ChildMut::Block(b) => for_each_block_mut(b, f),
        }
    }
}

fn blocks_below(expr: &mut Expr, f: &mut dyn FnMut(&mut Block)) {
    for child in expr_children_mut(expr) {
        match child {
            ChildMut::Expr(e) => blocks_below(e, f),
            ChildMut::Block(b) => for_each_block_mut(b, f),
        }
    }
}
