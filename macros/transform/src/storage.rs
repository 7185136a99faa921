//! Where each local lives while the function is suspended.
//!
//! A local stored at a suspension or a join is either a **variant local**
//! (moved into the state's variant and back out, like any value) or a
//! **slot** (kept in a field of the frame that never moves). A local must
//! be a slot when:
//! - something kept across the await may point at it: the awaited future
//!   (its operand borrows it), or another stored local whose value borrows it;
//! - it may or may not hold a value there (moved on some paths only): the
//!   slot's flag is its drop flag;
//! - it is older than a slot it is stored beside at an await: the frame
//!   drops the state before the slots, so field order must be drop order.

use crate::cfg::{Effect, Tag, markers_in_expr, pattern_locals};
use crate::flow::{Entry, Flow, Init, RegionId};
use crate::hints::Hints;
use crate::ir::{AwaitPoint, Block, Node, Stmt};
use crate::locals::{LocalId, LocalKind, Locals, UseKind, consumes_receiver, returns_owned};
use std::collections::{BTreeMap, BTreeSet};
use syn::Expr;

/// Why a local is a slot (for its doc comment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotReason {
    /// The awaited future may borrow it.
    BorrowedByAwait(usize),
    /// A stored local may borrow it.
    BorrowedByLocal(LocalId),
    /// Moved on some paths only before a state that stores it.
    MaybeMoved,
    /// A field of it is moved out before a state that stores the rest.
    PartlyMoved,
    /// Older than a slot stored beside it (drop order).
    DropOrder(LocalId),
}

pub struct Storage {
    pub slots: BTreeMap<LocalId, SlotReason>,
    /// Stored at each await's suspension, in declaration order.
    pub at_await: Vec<Vec<LocalId>>,
    /// Stored at each join, in declaration order.
    pub at_join: BTreeMap<RegionId, Vec<LocalId>>,
    /// Locals a stored local partially moved out of (not supported), with where.
    pub partial: Vec<(LocalId, usize)>,
    /// For each local a field of which is moved out: the field paths, in
    /// the order of their bits (a slot of it is a `PartSlot`).
    pub part_moves: BTreeMap<LocalId, Vec<Vec<String>>>,
}

impl Storage {
    pub fn is_slot(&self, local: LocalId) -> bool {
        self.slots.contains_key(&local)
    }

    /// Is this local's slot a `PartSlot` (fields of it are moved out)?
    pub fn is_part_slot(&self, local: LocalId) -> bool {
        self.is_slot(local) && self.part_moves.contains_key(&local)
    }

    /// The bit of a moved field path in its local's `PartSlot`.
    pub fn part_bit(&self, local: LocalId, path: &[String]) -> Option<u32> {
        let index = self
            .part_moves
            .get(&local)?
            .iter()
            .position(|p| p == path)?;
        Some(1u32 << index)
    }

    /// The variant locals of a state (slots live in the frame).
    pub fn variant_locals(&self, stored: &[LocalId]) -> Vec<LocalId> {
        stored
            .iter()
            .copied()
            .filter(|l| !self.is_slot(*l))
            .collect()
    }
}

pub fn decide(
    flow: &Flow,
    locals: &Locals,
    body: &Block,
    points: &[AwaitPoint],
    hints: &Hints,
) -> Storage {
    let mut at_await = Vec::new();
    let mut partial = Vec::new();
    let mut maybe: BTreeSet<LocalId> = BTreeSet::new();
    let mut stored_points: Vec<(Option<usize>, Vec<LocalId>)> = Vec::new();
    for a in 0..points.len() {
        let Some(node) = flow.node_of(Tag::Suspend(a)) else {
            at_await.push(Vec::new());
            continue;
        };
        let stored = flow.stored_at(node, locals);
        collect_maybe(flow, node, &stored, &mut maybe);
        for &l in &stored {
            if flow.partial_in[node].contains(&l) {
                partial.push((l, a));
            }
        }
        stored_points.push((Some(a), stored.clone()));
        at_await.push(stored);
    }
    let mut at_join = BTreeMap::new();
    for (region, entry) in flow.regions.iter().enumerate() {
        if !matches!(entry, Entry::After(_) | Entry::LoopHead(_)) {
            continue;
        }
        let Some(node) = flow.entry_node(*entry) else {
            continue;
        };
        let stored = flow.stored_at(node, locals);
        collect_maybe(flow, node, &stored, &mut maybe);
        stored_points.push((None, stored.clone()));
        at_join.insert(region, stored);
    }

    let exits = scopes_with_exits(body);
    let mut borrows = points_into(
        &borrows_of_locals(body, points, locals),
        &flows_into_locals(body, points, locals),
    );
    // `let n: i64 = pair(&d, 0);` borrows nothing, whatever it was made from.
    borrows.retain(|&l, _| !locals.locals[l].ty.as_ref().is_some_and(holds_no_borrow));
    let mut slots: BTreeMap<LocalId, SlotReason> = BTreeMap::new();
    for (a, point) in points.iter().enumerate() {
        for l in pinned_by_operand(&point.operand, locals, &flow.consumed, &hints.lending) {
            slots.entry(l).or_insert(SlotReason::BorrowedByAwait(a));
        }
        // A reference moved into the future (`pin!(x)` awaited) keeps what
        // it borrows borrowed while the future lives.
        for from in flowed_from(&point.operand, locals) {
            for &x in borrows.get(&from).into_iter().flatten() {
                if x != from {
                    slots.entry(x).or_insert(SlotReason::BorrowedByAwait(a));
                }
            }
        }
    }
    for l in maybe {
        slots.entry(l).or_insert(SlotReason::MaybeMoved);
    }
    let owned: Vec<bool> = (0..locals.locals.len())
        .map(|l| !locals.locals[l].by_ref && hints.owned.contains(&l))
        .collect();
    for &(l, _) in &partial {
        if owned[l] {
            slots.entry(l).or_insert(SlotReason::PartlyMoved);
        }
    }
    let mut part_moves: BTreeMap<LocalId, Vec<Vec<String>>> = BTreeMap::new();
    for (id, u) in locals.uses.iter().enumerate() {
        // A field of a reference is copied, never moved: only locals that
        // own their value can be partly moved.
        if u.kind == UseKind::MovePart
            && !u.path.is_empty()
            && !u.in_closure
            && owned[u.local]
            && !flow.copied_parts.contains(&id)
        {
            let paths = part_moves.entry(u.local).or_default();
            if !paths.contains(&u.path) && paths.len() < 32 {
                paths.push(u.path.clone());
            }
        }
    }
    // Borrowed by a stored local; older than a slot beside it: to a fixed point.
    loop {
        let before = slots.len();
        for (await_index, stored) in &stored_points {
            for &y in stored {
                for &x in borrows.get(&y).into_iter().flatten() {
                    if x != y {
                        slots.entry(x).or_insert(SlotReason::BorrowedByLocal(y));
                    }
                }
            }
            if await_index.is_some() {
                // The frame's `Drop` drops a suspended state in order; on the
                // way out of a scope, the arm's locals drop at its `}` and its
                // slots after it: an older local beside a slot is a slot too
                // where both end together (one scope, or a jump out of both).
                let slots_here: Vec<LocalId> = stored
                    .iter()
                    .copied()
                    .filter(|l| slots.contains_key(l))
                    .collect();
                for s in slots_here {
                    let scope = locals.locals[s].scope;
                    for &l in stored {
                        let older = locals.locals[l].decl < locals.locals[s].decl;
                        let together = locals.locals[l].scope == scope || exits.contains(&scope);
                        if older && together {
                            slots.entry(l).or_insert(SlotReason::DropOrder(s));
                        }
                    }
                }
            }
        }
        // Where a scope ends, its slots are cleared after its `}` drops the
        // other locals: an older local that may hold a value there is a slot
        // too, so that the two drop newest first.
        for (node, effects) in flow.cfg.effects.iter().enumerate() {
            let ending: Vec<LocalId> = effects
                .iter()
                .filter_map(|e| match e {
                    Effect::End(l) => Some(*l),
                    _ => None,
                })
                .collect();
            let ending_slots: Vec<LocalId> = ending
                .iter()
                .copied()
                .filter(|l| slots.contains_key(l))
                .collect();
            for s in ending_slots {
                for &l in &ending {
                    let older = locals.locals[l].decl < locals.locals[s].decl;
                    let holds = flow.init_in[node].get(&l).is_some_and(|i| *i != Init::No);
                    if older && holds && !locals.locals[l].by_ref {
                        slots.entry(l).or_insert(SlotReason::DropOrder(s));
                    }
                }
            }
        }
        if slots.len() == before {
            break;
        }
    }
    Storage {
        slots,
        at_await,
        at_join,
        partial,
        part_moves,
    }
}

fn collect_maybe(flow: &Flow, node: usize, stored: &[LocalId], maybe: &mut BTreeSet<LocalId>) {
    for &l in stored {
        if flow.init_in[node].get(&l) == Some(&Init::Maybe) {
            maybe.insert(l);
        }
    }
}

/// A type that cannot hold a borrow: the primitives, `String`, and the
/// standard containers, tuples and arrays of them.
fn holds_no_borrow(ty: &syn::Type) -> bool {
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
                syn::PathArguments::None => matches!(
                    name.as_str(),
                    "i8" | "i16"
                        | "i32"
                        | "i64"
                        | "i128"
                        | "isize"
                        | "u8"
                        | "u16"
                        | "u32"
                        | "u64"
                        | "u128"
                        | "usize"
                        | "f32"
                        | "f64"
                        | "bool"
                        | "char"
                        | "String"
                ),
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
fn pinned_by_operand(
    operand: &Expr,
    locals: &Locals,
    consumed: &BTreeSet<usize>,
    lending: &BTreeSet<LocalId>,
) -> Vec<LocalId> {
    markers_in_expr(operand)
        .into_iter()
        .filter(|&u| !consumed.contains(&u))
        .filter(|&u| {
            let u = &locals.uses[u];
            match &u.kind {
                UseKind::Borrow | UseKind::Opaque => true,
                UseKind::Callee => lending.contains(&u.local),
                UseKind::Capture { move_closure, .. } => !move_closure,
                UseKind::Receiver(m) => !consumes_receiver(m) && !returns_owned(m),
                _ => false,
            }
        })
        .map(|u| locals.uses[u].local)
        .collect()
}

/// The locals a value computed by `expr` may borrow.
fn borrowed_by(expr: &Expr, locals: &Locals) -> Vec<LocalId> {
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
fn flowed_from(expr: &Expr, locals: &Locals) -> Vec<LocalId> {
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
fn borrows_of_locals(
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
fn flows_into_locals(
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
fn points_into(
    borrows: &BTreeMap<LocalId, Vec<LocalId>>,
    flows: &BTreeMap<LocalId, Vec<LocalId>>,
) -> BTreeMap<LocalId, Vec<LocalId>> {
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
                    if z != y && !entry.contains(&z) {
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
        Node::Block(b) => match b.stmts.last() {
            Some(Stmt::Expr { node, semi: false }) => borrowed_by_node(node, points, locals),
            Some(Stmt::Plain(syn::Stmt::Expr(e, None))) => borrowed_by(e, locals),
            _ => Vec::new(),
        },
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

/// The scopes a `return`, `?`, `break` or `continue` may leave from inside
/// (the scope it is written in, and every scope around it).
fn scopes_with_exits(body: &Block) -> BTreeSet<crate::ir::ScopeId> {
    use syn::visit::Visit;
    struct Jumps(bool);
    impl<'a> Visit<'a> for Jumps {
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::Return(_) | Expr::Try(_) | Expr::Break(_) | Expr::Continue(_) => {
                    self.0 = true
                }
                Expr::Closure(_) | Expr::Async(_) => return,
                _ => {}
            }
            syn::visit::visit_expr(self, e);
        }
        fn visit_item(&mut self, _: &'a syn::Item) {}
    }
    fn jumps_expr(e: &Expr) -> bool {
        let mut j = Jumps(false);
        j.visit_expr(e);
        j.0
    }
    fn block(
        b: &Block,
        stack: &mut Vec<crate::ir::ScopeId>,
        out: &mut BTreeSet<crate::ir::ScopeId>,
    ) {
        stack.push(b.scope);
        for s in &b.stmts {
            match s {
                Stmt::Plain(stmt) => {
                    let mut j = Jumps(false);
                    j.visit_stmt(stmt);
                    if j.0 {
                        out.extend(stack.iter().copied());
                    }
                }
                Stmt::Let { init, .. } => node(init, stack, out),
                Stmt::Expr { node: n, .. } => node(n, stack, out),
            }
        }
        stack.pop();
    }
    fn node(n: &Node, stack: &mut Vec<crate::ir::ScopeId>, out: &mut BTreeSet<crate::ir::ScopeId>) {
        match n {
            Node::Plain(e) => {
                if jumps_expr(e) {
                    out.extend(stack.iter().copied());
                }
            }
            Node::Block(b) => block(b, stack, out),
            Node::If {
                cond,
                then,
                otherwise,
                ..
            } => {
                if jumps_expr(cond) {
                    out.extend(stack.iter().copied());
                }
                block(then, stack, out);
                if let Some(o) = otherwise {
                    node(o, stack, out);
                }
            }
            Node::Match {
                scrutinee, arms, ..
            } => {
                if jumps_expr(scrutinee) {
                    out.extend(stack.iter().copied());
                }
                for a in arms {
                    stack.push(a.scope);
                    if a.guard.as_ref().is_some_and(jumps_expr) {
                        out.extend(stack.iter().copied());
                    }
                    node(&a.body, stack, out);
                    stack.pop();
                }
            }
            Node::Loop { body, .. } => block(body, stack, out),
            Node::Await(_) => {}
        }
    }
    let mut out = BTreeSet::new();
    block(body, &mut Vec::new(), &mut out);
    out
}
