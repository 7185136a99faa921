//! The operands of an expression, in rustc's order of evaluation, each
//! with how the expression uses it (moved as a value, or used in place):
//! what [`hoist`](crate::hoist) evaluates first, and in which order.

use syn::Expr;

/// How an operand is used by the expression that contains it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    /// Moved or copied (arguments, fields, arithmetic operands).
    Value,
    /// Borrowed or read in place (comparison operands, receivers, bases).
    Place,
}

fn is_comparison(op: &syn::BinOp) -> bool {
    matches!(
        op,
        syn::BinOp::Eq(_)
            | syn::BinOp::Ne(_)
            | syn::BinOp::Lt(_)
            | syn::BinOp::Le(_)
            | syn::BinOp::Gt(_)
            | syn::BinOp::Ge(_)
    )
}

/// The operands of an expression, in evaluation order, with how each is used.
pub(crate) fn operands(expr: &mut Expr) -> Vec<(&mut Expr, Position)> {
    use Position::{Place, Value};
    match expr {
        Expr::Array(a) => a.elems.iter_mut().map(|e| (e, Value)).collect(),
        Expr::Tuple(t) => t.elems.iter_mut().map(|e| (e, Value)).collect(),
        Expr::Call(c) => {
            // The format-like macros opened into marker calls borrow their arguments.
            let args = match &*c.func {
                Expr::Path(_)
                    if crate::macros::marker_index(c).is_some()
                        && !crate::macros::takes_by_value(c) =>
                {
                    Place
                }
                _ => Value,
            };
            let mut v = vec![(&mut *c.func, Place)];
            v.extend(c.args.iter_mut().map(|e| (e, args)));
            v
        }
        Expr::MethodCall(m) => {
            // A receiver the method consumes (by its name) is moved when
            // evaluated, as a value operand; any other is borrowed in place.
            let receiver = if crate::locals::consumes_receiver(&m.method.to_string()) {
                Value
            } else {
                Place
            };
            let mut v = vec![(&mut *m.receiver, receiver)];
            v.extend(m.args.iter_mut().map(|e| (e, Value)));
            v
        }
        Expr::Binary(b) => {
            let position = if is_comparison(&b.op) { Place } else { Value };
            if is_compound_assignment(&b.op) {
                // Primitive compound assignments evaluate the right side first.
                vec![(&mut *b.right, Value), (&mut *b.left, Place)]
            } else {
                vec![(&mut *b.left, position), (&mut *b.right, position)]
            }
        }
        Expr::Assign(a) => vec![(&mut *a.right, Value), (&mut *a.left, Place)],
        Expr::Unary(u) => {
            let position = if matches!(u.op, syn::UnOp::Deref(_)) {
                Place
            } else {
                Value
            };
            vec![(&mut *u.expr, position)]
        }
        Expr::Cast(c) => vec![(&mut *c.expr, Value)],
        Expr::Field(f) => vec![(&mut *f.base, Place)],
        Expr::Index(i) => vec![(&mut *i.expr, Place), (&mut *i.index, Value)],
        Expr::Reference(r) => vec![(&mut *r.expr, Place)],
        Expr::RawAddr(r) => vec![(&mut *r.expr, Place)],
        Expr::Range(r) => {
            let mut v = Vec::new();
            if let Some(s) = r.start.as_deref_mut() {
                v.push((s, Value));
            }
            if let Some(e) = r.end.as_deref_mut() {
                v.push((e, Value));
            }
            v
        }
        Expr::Repeat(r) => vec![(&mut *r.expr, Value)],
        Expr::Return(r) => r
            .expr
            .as_deref_mut()
            .map(|e| (e, Value))
            .into_iter()
            .collect(),
        Expr::Break(b) => b
            .expr
            .as_deref_mut()
            .map(|e| (e, Value))
            .into_iter()
            .collect(),
        Expr::Try(t) => vec![(&mut *t.expr, Value)],
        Expr::Await(a) => vec![(&mut *a.base, Value)],
        Expr::Struct(s) => {
            let mut v: Vec<(&mut Expr, Position)> =
                s.fields.iter_mut().map(|f| (&mut f.expr, Value)).collect();
            if let Some(rest) = s.rest.as_deref_mut() {
                v.push((rest, Value));
            }
            v
        }
        Expr::Paren(p) => vec![(&mut *p.expr, Value)],
        Expr::Group(g) => vec![(&mut *g.expr, Value)],
        Expr::Let(l) => vec![(&mut *l.expr, Place)],
        _ => Vec::new(),
    }
}

pub(crate) fn is_compound_assignment(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}
