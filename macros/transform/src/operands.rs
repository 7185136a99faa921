//! The operands of an expression, in rustc's order of evaluation, each
//! with how the expression uses it (moved as a value, or used in place):
//! what [`hoist`](crate::hoist) evaluates first, and in which order.

use syn::Expr;
use syn::visit::Visit;

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

/// Does `expr` name `local` by value (a call argument, an element, an
/// operand), not through `&`, a method receiver or a field; or borrow a
/// place of it `&mut`, or assign one? (What a borrow of it across `expr`
/// would conflict with.)
pub(crate) fn moves_or_writes(expr: &Expr, local: &syn::Ident) -> bool {
    struct Find<'a> {
        local: &'a syn::Ident,
        found: bool,
    }
    impl<'v> Visit<'v> for Find<'_> {
        fn visit_expr(&mut self, e: &'v Expr) {
            match e {
                Expr::Path(p) => self.found |= p.path.is_ident(self.local),
                // `&x.f` borrows (`&mut` writes); `&f(x)` may move `x`.
                Expr::Reference(r) => match place_root(&r.expr) {
                    Some(root) => self.found |= r.mutability.is_some() && root == self.local,
                    None => self.visit_expr(&r.expr),
                },
                Expr::Assign(a) => {
                    self.found |= place_root(&a.left) == Some(self.local);
                    self.visit_expr(&a.right);
                }
                Expr::Binary(b) if crate::operands::is_compound_assignment(&b.op) => {
                    self.found |= place_root(&b.left) == Some(self.local);
                    self.visit_expr(&b.right);
                }
                Expr::Closure(_) | Expr::Async(_) => {}
                Expr::Field(f) => {
                    if !matches!(&*f.base, Expr::Path(_)) {
                        self.visit_expr(&f.base);
                    }
                }
                // `x[i]` reads or borrows the place `x` (its index may move).
                Expr::Index(i) => {
                    if place_root(&i.expr) != Some(self.local) {
                        self.visit_expr(&i.expr);
                    }
                    self.visit_expr(&i.index);
                }
                // `x.m()` borrows `x`, unless `m` is taken by its name
                // to consume it (as the flow analysis takes it).
                Expr::MethodCall(m) => {
                    match &*m.receiver {
                        Expr::Path(p) => {
                            self.found |= p.path.is_ident(self.local)
                                && crate::locals::consumes_receiver(&m.method.to_string());
                        }
                        receiver => self.visit_expr(receiver),
                    }
                    m.args.iter().for_each(|a| self.visit_expr(a));
                }
                // Calling a local (`c(2)`) borrows it, unless it is `FnOnce`;
                // then it could not have been used before either.
                Expr::Call(c) => {
                    if !matches!(&*c.func, Expr::Path(_)) {
                        self.visit_expr(&c.func);
                    }
                    c.args.iter().for_each(|a| self.visit_expr(a));
                }
                _ => syn::visit::visit_expr(self, e),
            }
        }
        // A `let` that shadows the local ends the search in its block.
        fn visit_block(&mut self, block: &'v syn::Block) {
            for stmt in &block.stmts {
                self.visit_stmt(stmt);
                if let syn::Stmt::Local(local) = stmt
                    && crate::patterns::binding_idents(&local.pat)
                        .iter()
                        .any(|(name, _)| name == self.local)
                {
                    return;
                }
            }
        }
    }
    let mut find = Find {
        local,
        found: false,
    };
    find.visit_expr(expr);
    find.found
}

/// The local a place expression is rooted at (`x` in `x.a[0]`).
pub(crate) fn place_root(expr: &Expr) -> Option<&syn::Ident> {
    match expr {
        Expr::Path(p) => p.path.get_ident(),
        Expr::Field(f) => place_root(&f.base),
        Expr::Index(i) => place_root(&i.expr),
        Expr::Paren(p) => place_root(&p.expr),
        _ => None,
    }
}

/// Does `expr` move or write the local `root` (`root.with(..)` of a
/// method named to consume its receiver, `&mut root.f`, `root = ..`,
/// `root.f += ..`)? Method calls of other names are not known to.
pub(crate) fn takes_or_writes(expr: &Expr, root: &syn::Ident) -> bool {
    struct Finds<'r> {
        root: &'r syn::Ident,
        found: bool,
    }
    impl<'a> syn::visit::Visit<'a> for Finds<'_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            let rooted = |place: &Expr| place_root(place) == Some(self.root);
            self.found |= match e {
                Expr::MethodCall(m) => {
                    rooted(&m.receiver) && crate::locals::consumes_receiver(&m.method.to_string())
                }
                Expr::Reference(r) => r.mutability.is_some() && rooted(&r.expr),
                Expr::Assign(a) => rooted(&a.left),
                Expr::Binary(b) => is_compound_assignment(&b.op) && rooted(&b.left),
                _ => false,
            };
            // (A closure or block may bind the name again: not looked into.)
            if !matches!(e, Expr::Closure(_) | Expr::Block(_) | Expr::Async(_)) {
                syn::visit::visit_expr(self, e);
            }
        }
        fn visit_item(&mut self, _: &'a syn::Item) {}
    }
    let mut finds = Finds { root, found: false };
    syn::visit::Visit::visit_expr(&mut finds, expr);
    finds.found
}

/// Does `expr` borrow one of `names` (`&a`, `&mut a.f`, `a.m(..)`)?
pub(crate) fn borrows_any(expr: &Expr, names: &[syn::Ident]) -> bool {
    struct Finds<'n> {
        names: &'n [syn::Ident],
        found: bool,
    }
    impl<'e> syn::visit::Visit<'e> for Finds<'_> {
        fn visit_expr(&mut self, e: &'e Expr) {
            let place = match e {
                Expr::Reference(r) => Some(&*r.expr),
                Expr::MethodCall(m) => Some(&*m.receiver),
                _ => None,
            };
            self.found |= place
                .and_then(crate::operands::place_root)
                .is_some_and(|root| self.names.contains(root));
            syn::visit::visit_expr(self, e);
        }
    }
    let mut finds = Finds {
        names,
        found: false,
    };
    syn::visit::Visit::visit_expr(&mut finds, expr);
    finds.found
}

/// Does evaluating `expr` borrow an array of borrows (`&[&oid, &"a",
/// &vec![1]]`)? Its elements are coerced to the type the borrow is
/// expected to have (`&[&dyn ToSql]`), which a local holding the array
/// would not know. (What it and its elements own drops unseen: see
/// [`borrows_what_drops_unseen`].)
pub(crate) fn borrows_an_array_of_borrows(expr: &Expr) -> bool {
    struct Find(bool);
    impl<'v> Visit<'v> for Find {
        fn visit_expr_reference(&mut self, r: &'v syn::ExprReference) {
            self.0 |= matches!(strip_parens(&r.expr), Expr::Array(a)
                if !a.elems.is_empty() && a.elems.iter().all(borrows_what_drops_unseen));
            syn::visit::visit_expr_reference(self, r);
        }
        // Their code runs later, with temporaries of its own.
        fn visit_expr_closure(&mut self, _: &'v syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'v syn::ExprAsync) {}
    }
    let mut find = Find(false);
    find.visit_expr(expr);
    find.0
}

/// `e` of `((e))`.
pub(crate) fn strip_parens(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => strip_parens(&p.expr),
        other => other,
    }
}

/// Does `expr` return, break, continue or `?` out of where it is written
/// (outside closures and `async` blocks, whose jumps are theirs)?
pub(crate) fn jumps(expr: &Expr) -> bool {
    Finds::new(is_jump).in_expr(expr)
}

/// Does the statement jump (see [`jumps`])?
pub(crate) fn stmt_jumps(stmt: &syn::Stmt) -> bool {
    Finds::new(is_jump).in_stmt(stmt)
}

fn is_jump(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Return(_) | Expr::Try(_) | Expr::Break(_) | Expr::Continue(_)
    )
}

/// Looks for an expression of a kind in code the function runs itself: not
/// in closures, `async` or `const` blocks, or nested items.
pub(crate) struct Finds {
    kind: fn(&Expr) -> bool,
    found: bool,
}

impl Finds {
    pub(crate) fn new(kind: fn(&Expr) -> bool) -> Self {
        Finds { kind, found: false }
    }

    pub(crate) fn in_expr(mut self, expr: &Expr) -> bool {
        self.visit_expr(expr);
        self.found
    }

    pub(crate) fn in_stmt(mut self, stmt: &syn::Stmt) -> bool {
        self.visit_stmt(stmt);
        self.found
    }

    pub(crate) fn in_block(mut self, block: &syn::Block) -> bool {
        self.visit_block(block);
        self.found
    }
}

impl<'a> Visit<'a> for Finds {
    fn visit_expr(&mut self, e: &'a Expr) {
        if (self.kind)(e) {
            self.found = true;
        }
        if !matches!(e, Expr::Closure(_) | Expr::Async(_) | Expr::Const(_)) {
            syn::visit::visit_expr(self, e);
        }
    }
    fn visit_item(&mut self, _: &'a syn::Item) {}
}

/// `&x.f` (a place), `&"a"` or `&None::<T>` (a constant), `&vec![..]` or
/// `&format!(..)` (a collection, dropped unseen but for its elements'),
/// `&&[1, 2][..]` (a borrow of one of these).
fn borrows_what_drops_unseen(element: &Expr) -> bool {
    let Expr::Reference(r) = element else {
        return false;
    };
    match strip_parens(&r.expr) {
        borrow @ Expr::Reference(_) => borrows_what_drops_unseen(borrow),
        Expr::Index(index) => is_constant(&index.expr) || place_root(&index.expr).is_some(),
        Expr::Path(p) => p.path.get_ident().is_none() || place_root(&r.expr).is_some(),
        Expr::Macro(m) => m.mac.path.is_ident("vec") || m.mac.path.is_ident("format"),
        other => place_root(other).is_some() || is_constant(other),
    }
}

/// A literal or a path that is not a local (a constant, a unit struct, a
/// function), or an array, tuple or shared borrow of them: evaluating it
/// early or late is the same.
pub(crate) fn is_constant(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(_) => true,
        Expr::Path(p) => {
            p.qself.is_some()
                || p.path.segments.len() > 1
                || p.path
                    .get_ident()
                    .is_some_and(crate::patterns::is_constant_like)
        }
        Expr::Paren(p) => is_constant(&p.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => is_constant(&u.expr),
        // Promoted to a constant where borrowed (`&["hi"]` is `'static`).
        Expr::Array(a) => a.elems.iter().all(is_constant),
        Expr::Tuple(t) => t.elems.iter().all(is_constant),
        Expr::Repeat(r) => is_constant(&r.expr) && is_constant(&r.len),
        Expr::Reference(r) => r.mutability.is_none() && is_constant(&r.expr),
        _ => false,
    }
}

/// Every operand `code` passes on by value as written: the arguments of a
/// call or a method, the receiver of a method named to take it
/// (`d.consume()`), the parts of a struct, tuple or array literal, a
/// `let`'s initializer. Nested closures are left out (theirs run later);
/// a closure given as `code` is read from its body.
pub(crate) fn for_each_passed_by_value(code: &Expr, visit: &mut dyn FnMut(&Expr)) {
    struct Passed<'f>(&'f mut dyn FnMut(&Expr));
    impl<'v> Visit<'v> for Passed<'_> {
        fn visit_local(&mut self, l: &'v syn::Local) {
            if let Some(init) = &l.init {
                (self.0)(&init.expr);
            }
            syn::visit::visit_local(self, l);
        }
        fn visit_expr_tuple(&mut self, t: &'v syn::ExprTuple) {
            t.elems.iter().for_each(|e| (self.0)(e));
            syn::visit::visit_expr_tuple(self, t);
        }
        fn visit_expr_array(&mut self, a: &'v syn::ExprArray) {
            a.elems.iter().for_each(|e| (self.0)(e));
            syn::visit::visit_expr_array(self, a);
        }
        fn visit_expr_call(&mut self, c: &'v syn::ExprCall) {
            c.args.iter().for_each(|e| (self.0)(e));
            syn::visit::visit_expr_call(self, c);
        }
        fn visit_expr_struct(&mut self, s: &'v syn::ExprStruct) {
            s.fields.iter().for_each(|f| (self.0)(&f.expr));
            syn::visit::visit_expr_struct(self, s);
        }
        fn visit_expr_method_call(&mut self, m: &'v syn::ExprMethodCall) {
            if crate::locals::consumes_receiver(&m.method.to_string()) {
                (self.0)(&m.receiver);
            }
            m.args.iter().for_each(|e| (self.0)(e));
            syn::visit::visit_expr_method_call(self, m);
        }
        fn visit_expr_closure(&mut self, _: &'v syn::ExprClosure) {}
    }
    let mut passed = Passed(visit);
    match code {
        Expr::Closure(c) => passed.visit_expr(&c.body),
        other => passed.visit_expr(other),
    }
}
