//! What each local's value may point into: the locals a value borrows
//! (`&x`, a method's receiver, a closure's captures), the locals whose
//! values flow into it (a reference copied), and the locals an awaited
//! future may keep borrowed. Conservative: a call may return a borrow of
//! any argument, unless the type says it holds none.

use crate::cfg::{markers_in_expr, pattern_locals};
use crate::ir::{AwaitPoint, Block, Node, Stmt};
use crate::locals::{LocalId, LocalKind, Locals, UseKind, consumes_receiver, returns_owned};
use std::collections::{BTreeMap, BTreeSet};
use syn::Expr;

/// A type that cannot hold a borrow: the primitives, `String`, and the
/// standard containers, tuples and arrays of them.
pub(crate) fn holds_no_borrow(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Paren(p) => holds_no_borrow(&p.elem),
        syn::Type::Tuple(t) => t.elems.iter().all(holds_no_borrow),
        syn::Type::Array(a) => holds_no_borrow(&a.elem),
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return false;
            };
            let name = last.ident.to_string();
            match &last.arguments {
                syn::PathArguments::None => crate::locals::is_primitive(&name) || name == "String",
                syn::PathArguments::AngleBracketed(args) => {
                    matches!(
                        name.as_str(),
                        "Vec" | "Option" | "Box" | "Result" | "VecDeque"
                    ) && args
                        .args
                        .iter()
                        .all(|a| matches!(a, syn::GenericArgument::Type(t) if holds_no_borrow(t)))
                }
                syn::PathArguments::Parenthesized(_) => false,
            }
        }
        _ => false,
    }
}

/// The locals an await's future may keep a borrow of.
pub(crate) fn pinned_by_operand(
    operand: &Expr,
    locals: &Locals,
    consumed: &BTreeSet<usize>,
    lending: &BTreeSet<LocalId>,
) -> Vec<LocalId> {
    // The receiver of the awaited call itself (`cache.insert(k, v).await`):
    // what the call returns is the future, which a name that returns an
    // owned value in a synchronous API (`insert`, `len`) says nothing of.
    let awaited_receiver = match strip_parens(operand) {
        Expr::MethodCall(call) => match strip_parens(&call.receiver) {
            Expr::Path(p) => p.path.get_ident().and_then(Locals::use_of),
            _ => None,
        },
        _ => None,
    };
    markers_in_expr(operand)
        .into_iter()
        .filter(|&u| !consumed.contains(&u))
        .filter(|&id| {
            let u = &locals.uses[id];
            match &u.kind {
                UseKind::Borrow | UseKind::Opaque => true,
                UseKind::Callee => lending.contains(&u.local),
                UseKind::Capture { move_closure, .. } => !move_closure,
                UseKind::Receiver(m) => {
                    !consumes_receiver(m) && (!returns_owned(m) || awaited_receiver == Some(id))
                }
                _ => false,
            }
        })
        .map(|u| locals.uses[u].local)
        .collect()
}

fn strip_parens(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => strip_parens(&p.expr),
        other => other,
    }
}

/// The locals a value computed by `expr` may borrow.
fn borrowed_by(expr: &Expr, locals: &Locals) -> Vec<LocalId> {
    // `format!(..)` makes a `String`: it keeps no borrow of its arguments.
    if let Expr::Macro(m) = expr
        && m.mac.path.is_ident("format")
    {
        return Vec::new();
    }
    // `assert_ok!(x, "{}", y.n())`: the value comes from the first operand;
    // the message, if it runs, panics.
    if let Expr::Macro(m) = expr
        && crate::assertions::is_foreign_assertion(&crate::names::last_name(&m.mac.path))
        && let Some((first, _)) = crate::assertions::first_operand(&m.mac.tokens)
    {
        return borrowed_by(&first, locals);
    }
    markers_in_expr(expr)
        .into_iter()
        .filter(|&u| {
            let u = &locals.uses[u];
            if locals.locals[u.local].kind == LocalKind::Iterator {
                // `Iterator::next` cannot lend: what it yields never borrows the iterator.
                return false;
            }
            match &u.kind {
                UseKind::Borrow | UseKind::Opaque => true,
                UseKind::Capture { move_closure, .. } => !move_closure,
                UseKind::Receiver(m) => !consumes_receiver(m) && !returns_owned(m),
                _ => false,
            }
        })
        .map(|u| locals.uses[u].local)
        .collect()
}

/// The locals whose values may flow into the value of `expr` (a reference
/// copied from one of them points where it points).
pub(crate) fn flowed_from(expr: &Expr, locals: &Locals) -> Vec<LocalId> {
    markers_in_expr(expr)
        .into_iter()
        .filter(|&u| {
            matches!(
                locals.uses[u].kind,
                UseKind::Move
                    | UseKind::MovePart
                    | UseKind::Read
                    | UseKind::Receiver(_)
                    | UseKind::Capture { .. }
                    // A scrutinee an arm's binding may take: what it holds
                    // (`&maybe`, hoisted out of `if let Some(e) = &maybe`)
                    // flows into the binding.
                    | UseKind::MaybeTaken
            )
        })
        .map(|u| locals.uses[u].local)
        .collect()
}

/// Roots of the places a scrutinee names (what `ref` bindings point into).
fn scrutinee_roots(expr: &Expr, locals: &Locals) -> Vec<LocalId> {
    markers_in_expr(expr)
        .into_iter()
        .map(|u| locals.uses[u].local)
        .filter(|&l| locals.locals[l].kind != LocalKind::Iterator)
        .collect()
}

/// For each local, the locals its value may borrow (from every `let`,
/// binding and assignment that gives it a value).
pub(crate) fn borrows_of_locals(
    body: &Block,
    points: &[AwaitPoint],
    locals: &Locals,
) -> BTreeMap<LocalId, Vec<LocalId>> {
    let mut out: BTreeMap<LocalId, Vec<LocalId>> = BTreeMap::new();
    let mut add = |defined: &[LocalId], borrowed: Vec<LocalId>| {
        for &d in defined {
            out.entry(d).or_default().extend(borrowed.iter().copied());
        }
    };
    walk_block(body, points, locals, &mut add);
    // Assignments anywhere: `y = expr` makes y borrow what expr borrows.
    let mut assignments = Vec::new();
    collect_assignments_block(body, &mut assignments);
    for (target, value) in assignments {
        if let Some(y) = assigned_local(&target, locals) {
            add(&[y], borrowed_by(&value, locals));
        }
    }
    out
}

/// For each local, the locals whose values may flow into it.
pub(crate) fn flows_into_locals(
    body: &Block,
    points: &[AwaitPoint],
    locals: &Locals,
) -> BTreeMap<LocalId, Vec<LocalId>> {
    let mut out: BTreeMap<LocalId, Vec<LocalId>> = BTreeMap::new();
    let mut add = |defined: &[LocalId], from: Vec<LocalId>| {
        for &d in defined {
            out.entry(d).or_default().extend(from.iter().copied());
        }
    };
    walk_definitions(body, points, locals, &mut |defined, source| {
        let from = match source {
            Source::Expr(e) => flowed_from(e, locals),
            Source::Await(a) => flowed_from(&points[a].operand, locals),
        };
        add(defined, from);
    });
    let mut assignments = Vec::new();
    collect_assignments_block(body, &mut assignments);
    for (target, value) in assignments {
        if let Some(y) = assigned_local(&target, locals) {
            add(&[y], flowed_from(&value, locals));
        }
    }
    out
}

/// What each local's value may point into: what it borrows, and what the
/// values that flowed into it point into.
pub(crate) fn points_into(
    borrows: &BTreeMap<LocalId, Vec<LocalId>>,
    flows: &BTreeMap<LocalId, Vec<LocalId>>,
    locals: &Locals,
) -> BTreeMap<LocalId, Vec<LocalId>> {
    // A value that flows out of a block (`let n = { let r = &mut t; f(r) };`)
    // cannot point into the block's locals, dead at its `}`; a local that
    // is assigned may be written inside their scope, so it keeps them.
    let assigned: BTreeSet<LocalId> = locals
        .uses
        .iter()
        .filter(|u| u.kind == UseKind::Assign)
        .map(|u| u.local)
        .collect();
    let outlives = |y: LocalId, z: LocalId| {
        !assigned.contains(&y) && !locals.is_within(locals.locals[y].scope, locals.locals[z].scope)
    };
    let mut out = borrows.clone();
    loop {
        let mut changed = false;
        for (&y, sources) in flows {
            for &x in sources {
                if x == y {
                    continue;
                }
                let inherited: Vec<LocalId> = out.get(&x).cloned().unwrap_or_default();
                let entry = out.entry(y).or_default();
                for z in inherited {
                    if z != y && !entry.contains(&z) && !outlives(y, z) {
                        entry.push(z);
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            return out;
        }
    }
}

/// For each await, the locals its output is bound to (`let guard =
/// lock.read().await;`): they may borrow what its future borrowed.
pub(crate) fn bound_to_outputs(
    body: &Block,
    points: &[AwaitPoint],
    locals: &Locals,
) -> Vec<Vec<LocalId>> {
    let mut out = vec![Vec::new(); points.len()];
    walk_definitions(body, points, locals, &mut |defined, source| {
        if let Source::Await(a) = source {
            out[a].extend_from_slice(defined);
        }
    });
    out
}

/// Where a defined local's value comes from.
enum Source<'e> {
    Expr(&'e Expr),
    Await(usize),
}

/// Calls `f(defined, source)` for every `let`, arm binding and await output.
fn walk_definitions<'e>(
    block: &'e Block,
    points: &[AwaitPoint],
    locals: &Locals,
    f: &mut dyn FnMut(&[LocalId], Source<'e>),
) {
    fn node<'e>(
        n: &'e Node,
        points: &[AwaitPoint],
        locals: &Locals,
        defined: Option<&[LocalId]>,
        f: &mut dyn FnMut(&[LocalId], Source<'e>),
    ) {
        match n {
            Node::Await(a) => {
                if let Some(d) = defined {
                    f(d, Source::Await(*a));
                }
            }
            Node::Plain(e) => {
                if let Some(d) = defined {
                    f(d, Source::Expr(e));
                }
            }
            Node::Block(b) => {
                walk_definitions(b, points, locals, f);
                if let Some(d) = defined {
                    tail(b, points, locals, d, f);
                }
            }
            Node::If {
                then, otherwise, ..
            } => {
                walk_definitions(then, points, locals, f);
                if let Some(d) = defined {
                    tail(then, points, locals, d, f);
                }
                if let Some(o) = otherwise {
                    node(o, points, locals, defined, f);
                }
            }
            Node::Match {
                scrutinee, arms, ..
            } => {
                for arm in arms {
                    f(&pattern_locals(&arm.pat), Source::Expr(scrutinee));
                    node(&arm.body, points, locals, defined, f);
                }
            }
            Node::Loop { body, .. } => walk_definitions(body, points, locals, f),
        }
    }
    fn tail<'e>(
        b: &'e Block,
        points: &[AwaitPoint],
        locals: &Locals,
        defined: &[LocalId],
        f: &mut dyn FnMut(&[LocalId], Source<'e>),
    ) {
        match b.stmts.last() {
            Some(Stmt::Expr {
                node: n,
                semi: false,
            }) => node(n, points, locals, Some(defined), f),
            Some(Stmt::Plain(syn::Stmt::Expr(e, None))) => f(defined, Source::Expr(e)),
            _ => {}
        }
    }
    for stmt in &block.stmts {
        match stmt {
            Stmt::Plain(syn::Stmt::Local(local)) => {
                if let Some(init) = &local.init {
                    f(&pattern_locals(&local.pat), Source::Expr(&init.expr));
                }
            }
            Stmt::Plain(_) => {}
            Stmt::Let { pat, init, .. } => {
                let defined = pattern_locals(pat);
                node(init, points, locals, Some(&defined), f);
            }
            Stmt::Expr { node: n, .. } => node(n, points, locals, None, f),
        }
    }
}

fn walk_block(
    block: &Block,
    points: &[AwaitPoint],
    locals: &Locals,
    add: &mut dyn FnMut(&[LocalId], Vec<LocalId>),
) {
    for stmt in &block.stmts {
        match stmt {
            Stmt::Plain(syn::Stmt::Local(local)) => {
                let defined = pattern_locals(&local.pat);
                if let Some(init) = &local.init {
                    let mut borrowed = borrowed_by(&init.expr, locals);
                    if crate::patterns::has_ref_binding(&local.pat) {
                        borrowed.extend(scrutinee_roots(&init.expr, locals));
                    }
                    add(&defined, borrowed);
                }
            }
            Stmt::Plain(_) => {}
            Stmt::Let { pat, init, .. } => {
                let defined = pattern_locals(pat);
                let mut borrowed = borrowed_by_node(init, points, locals);
                if crate::patterns::has_ref_binding(pat) {
                    borrowed.extend(roots_of_node(init, points, locals));
                }
                add(&defined, borrowed);
                walk_node(init, points, locals, add);
            }
            Stmt::Expr { node, .. } => walk_node(node, points, locals, add),
        }
    }
}

fn walk_node(
    node: &Node,
    points: &[AwaitPoint],
    locals: &Locals,
    add: &mut dyn FnMut(&[LocalId], Vec<LocalId>),
) {
    match node {
        Node::Block(b) => walk_block(b, points, locals, add),
        Node::If {
            then, otherwise, ..
        } => {
            walk_block(then, points, locals, add);
            if let Some(o) = otherwise {
                walk_node(o, points, locals, add);
            }
        }
        Node::Match {
            scrutinee, arms, ..
        } => {
            for arm in arms {
                let defined = pattern_locals(&arm.pat);
                let mut borrowed = borrowed_by(scrutinee, locals);
                if crate::patterns::has_ref_binding(&arm.pat) {
                    borrowed.extend(scrutinee_roots(scrutinee, locals));
                }
                add(&defined, borrowed);
                walk_node(&arm.body, points, locals, add);
            }
        }
        Node::Loop { body, .. } => walk_block(body, points, locals, add),
        Node::Await(_) | Node::Plain(_) => {}
    }
}

/// What the value of a node may borrow: its tail values, or the awaited operand.
fn borrowed_by_node(node: &Node, points: &[AwaitPoint], locals: &Locals) -> Vec<LocalId> {
    match node {
        Node::Await(a) => borrowed_by(&points[*a].operand, locals),
        Node::Plain(e) => borrowed_by(e, locals),
        Node::Block(b) => {
            let tail = match b.stmts.last() {
                Some(Stmt::Expr { node, semi: false }) => borrowed_by_node(node, points, locals),
                Some(Stmt::Plain(syn::Stmt::Expr(e, None))) => borrowed_by(e, locals),
                _ => Vec::new(),
            };
            // The block's own locals die at its `}`: its value cannot
            // borrow them (`{ let d = ..; f(&d) }` made a value from `d`).
            tail.into_iter()
                .filter(|&l| !locals.is_within(locals.locals[l].scope, b.scope))
                .collect()
        }
        Node::If {
            then, otherwise, ..
        } => {
            let mut v = borrowed_by_node(&Node::Block(clone_shallow(then)), points, locals);
            if let Some(o) = otherwise {
                v.extend(borrowed_by_node(o, points, locals));
            }
            v
        }
        Node::Match { arms, .. } => arms
            .iter()
            .flat_map(|a| borrowed_by_node(&a.body, points, locals))
            .collect(),
        Node::Loop { .. } => Vec::new(),
    }
}

fn roots_of_node(node: &Node, points: &[AwaitPoint], locals: &Locals) -> Vec<LocalId> {
    match node {
        Node::Plain(e) => scrutinee_roots(e, locals),
        Node::Await(a) => scrutinee_roots(&points[*a].operand, locals),
        _ => Vec::new(),
    }
}

/// A block's last statement, for [`borrowed_by_node`] (which only reads it).
fn clone_shallow(block: &Block) -> Block {
    Block {
        id: block.id,
        label: None,
        is_unsafe: false,
        stmts: match block.stmts.last() {
            Some(Stmt::Plain(s)) => vec![Stmt::Plain(s.clone())],
            _ => Vec::new(),
        },
        scope: block.scope,
        brace: block.brace,
    }
}

fn assigned_local(target: &Expr, locals: &Locals) -> Option<LocalId> {
    match target {
        Expr::Path(p) => {
            let u = crate::locals::Locals::use_of(p.path.get_ident()?)?;
            (locals.uses[u].kind == UseKind::Assign).then_some(locals.uses[u].local)
        }
        _ => None,
    }
}

fn collect_assignments_block(block: &Block, out: &mut Vec<(Expr, Expr)>) {
    use syn::visit::Visit;
    struct Collect<'a>(&'a mut Vec<(Expr, Expr)>);
    impl<'v> Visit<'v> for Collect<'_> {
        fn visit_expr_assign(&mut self, a: &'v syn::ExprAssign) {
            self.0.push(((*a.left).clone(), (*a.right).clone()));
            syn::visit::visit_expr_assign(self, a);
        }
    }
    fn node(n: &Node, out: &mut Vec<(Expr, Expr)>) {
        match n {
            Node::Block(b) => collect_assignments_block(b, out),
            Node::If {
                cond,
                then,
                otherwise,
                ..
            } => {
                Collect(out).visit_expr(cond);
                collect_assignments_block(then, out);
                if let Some(o) = otherwise {
                    node(o, out);
                }
            }
            Node::Match {
                scrutinee, arms, ..
            } => {
                Collect(out).visit_expr(scrutinee);
                for a in arms {
                    node(&a.body, out);
                }
            }
            Node::Loop { body, .. } => collect_assignments_block(body, out),
            Node::Plain(e) => Collect(out).visit_expr(e),
            Node::Await(_) => {}
        }
    }
    for stmt in &block.stmts {
        match stmt {
            Stmt::Plain(s) => Collect(out).visit_stmt(s),
            Stmt::Let { init, .. } => node(init, out),
            Stmt::Expr { node: n, .. } => node(n, out),
        }
    }
}
