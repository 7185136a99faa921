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

use crate::borrows::{
    borrows_of_locals, flowed_from, flows_into_locals, holds_no_borrow, pinned_by_operand,
    points_into,
};
use crate::cfg::{Effect, Tag};
use crate::flow::{Entry, Flow, Init, RegionId};
use crate::hints::Hints;
use crate::ir::{AwaitPoint, Block, Node, Stmt};
use crate::locals::{LocalId, Locals, UseKind};
use std::collections::{BTreeMap, BTreeSet};

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

#[derive(Clone)]
pub struct Storage {
    pub slots: BTreeMap<LocalId, SlotReason>,
    /// Stored at each await's suspension, in declaration order.
    pub at_await: Vec<Vec<LocalId>>,
    /// Stored at each join, in declaration order.
    pub at_join: BTreeMap<RegionId, Vec<LocalId>>,
    /// Stored locals partly moved out of where they are stored (at an await or a join).
    pub partial: BTreeSet<LocalId>,
    /// For each local a field of which is moved out: the field paths, in
    /// the order of their bits (a slot of it is a `PartSlot`).
    pub part_moves: BTreeMap<LocalId, Vec<Vec<String>>>,
    /// For each region that returns without suspending: the slots its arm
    /// moves out into locals of its own (see [`crate::release`]).
    pub released: BTreeMap<RegionId, Vec<LocalId>>,
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

    /// Where each local lives in the code of `region`: as here, but the
    /// slots the region releases are plain locals of its arm.
    pub fn in_region(&self, region: RegionId) -> Option<Storage> {
        let released = self.released.get(&region)?;
        let mut view = self.clone();
        view.slots.retain(|l, _| !released.contains(l));
        Some(view)
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
    let mut partial = BTreeSet::new();
    let mut maybe: BTreeSet<LocalId> = BTreeSet::new();
    let mut stored_points: Vec<(Option<usize>, Vec<LocalId>)> = Vec::new();
    for a in 0..points.len() {
        let Some(node) = flow.node_of(Tag::Suspend(a)) else {
            at_await.push(Vec::new());
            continue;
        };
        let stored = flow.stored_at(node, locals);
        collect_maybe(flow, node, &stored, &mut maybe);
        partial.extend(stored.iter().filter(|l| flow.partial_in[node].contains(l)));
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
        partial.extend(stored.iter().filter(|l| flow.partial_in[node].contains(l)));
        stored_points.push((None, stored.clone()));
        at_join.insert(region, stored);
    }

    let exits = scopes_with_exits(body);
    let mut borrows = points_into(
        &borrows_of_locals(body, points, locals),
        &flows_into_locals(body, points, locals),
        locals,
    );
    // `let n: i64 = pair(&d, 0);` borrows nothing, whatever it was made from.
    borrows.retain(|&l, _| !locals.locals[l].ty.as_ref().is_some_and(holds_no_borrow));
    let mut slots: BTreeMap<LocalId, SlotReason> = BTreeMap::new();
    let pinned: Vec<Vec<LocalId>> = points
        .iter()
        .enumerate()
        .map(|(a, point)| {
            // An await that never runs (after a `return`) pins nothing:
            // rustc does not check its borrows either.
            if !flow
                .node_of(Tag::Suspend(a))
                .is_some_and(|node| flow.reachable[node])
            {
                return Vec::new();
            }
            let mut pinned =
                pinned_by_operand(&point.operand, locals, &flow.consumed, &hints.lending);
            // A reference moved into the future (`pin!(x)` awaited) keeps
            // what it borrows borrowed while the future lives.
            for from in flowed_from(&point.operand, locals) {
                for &x in borrows.get(&from).into_iter().flatten() {
                    if x != from && !pinned.contains(&x) {
                        pinned.push(x);
                    }
                }
            }
            pinned
        })
        .collect();
    for (a, pinned) in pinned.iter().enumerate() {
        for &l in pinned {
            slots.entry(l).or_insert(SlotReason::BorrowedByAwait(a));
        }
    }
    // Moved where it may hold no value (a guard's binding carried to its
    // arm, given a value only on the path that selected the arm): rustc
    // would reject the move; the slot's flag holds the value.
    for node in 0..flow.cfg.effects.len() {
        flow.walk_node(node, locals, |_, effect, init| {
            if let Effect::Use(u) = effect
                && locals.uses[*u].kind == UseKind::Move
                && !locals.locals[locals.uses[*u].local].known_copy()
                && init.get(&locals.uses[*u].local) == Some(&Init::Maybe)
            {
                maybe.insert(locals.uses[*u].local);
            }
        });
    }
    for l in maybe {
        slots.entry(l).or_insert(SlotReason::MaybeMoved);
    }
    let owned: Vec<bool> = (0..locals.locals.len())
        .map(|l| !locals.locals[l].by_ref && hints.owned.contains(&l))
        .collect();
    for &l in &partial {
        if owned[l] {
            slots.entry(l).or_insert(SlotReason::PartlyMoved);
        }
    }
    let mut part_moves: BTreeMap<LocalId, Vec<Vec<String>>> = BTreeMap::new();
    for (id, u) in locals.uses.iter().enumerate() {
        // A field of a reference is copied, never moved: only locals that
        // own their value can be partly moved.
        let moved_part =
            (u.kind == UseKind::MovePart && !u.in_closure) || flow.field_moves.contains(&id);
        if moved_part && !u.path.is_empty() && owned[u.local] && !flow.copied_parts.contains(&id) {
            let paths = part_moves.entry(u.local).or_default();
            if !paths.contains(&u.path) && paths.len() < 32 {
                paths.push(u.path.clone());
            }
        }
    }
    // Where a local that drops nothing drops does not matter.
    let drops_nothing =
        |l: LocalId| locals.locals[l].by_ref || locals.locals[l].declared_to_drop_nothing();
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
                        if older && together && !drops_nothing(l) {
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
            let Some(first_end) = effects.iter().position(|e| matches!(e, Effect::End(_))) else {
                continue;
            };
            // Holding a value before this node, or declared before it and
            // assigned in it (a tail's deferred temporary). (One declared in
            // it is left alone: it may borrow the arm's locals.)
            let init = flow.init_before(node, first_end, locals);
            let holds_at_end = |l: LocalId| match flow.init_in[node].get(&l) {
                Some(Init::No) => init.get(&l).is_some_and(|i| *i != Init::No),
                Some(_) => true,
                None => false,
            };
            let ending_slots: Vec<LocalId> = ending
                .iter()
                .copied()
                .filter(|l| slots.contains_key(l))
                .collect();
            for s in ending_slots {
                for &l in &ending {
                    let older = locals.locals[l].decl < locals.locals[s].decl;
                    if older && holds_at_end(l) && !drops_nothing(l) {
                        slots.entry(l).or_insert(SlotReason::DropOrder(s));
                    }
                }
            }
        }
        if slots.len() == before {
            break;
        }
    }
    let released = crate::release::released_slots(
        flow,
        locals,
        &slots,
        &crate::release::Kept {
            at_await: &at_await,
            at_join: &at_join,
            pinned: &pinned,
            points_into: &borrows,
            bound_to_outputs: &crate::borrows::bound_to_outputs(body, points, locals),
        },
    );
    Storage {
        slots,
        at_await,
        at_join,
        partial,
        part_moves,
        released,
    }
}

fn collect_maybe(flow: &Flow, node: usize, stored: &[LocalId], maybe: &mut BTreeSet<LocalId>) {
    for &l in stored {
        if flow.init_in[node].get(&l) == Some(&Init::Maybe) {
            maybe.insert(l);
        }
    }
}

/// The scopes a `return`, `?`, `break` or `continue` may leave from inside
/// (the scope it is written in, and every scope around it).
fn scopes_with_exits(body: &Block) -> BTreeSet<crate::ir::ScopeId> {
    fn block(
        b: &Block,
        stack: &mut Vec<crate::ir::ScopeId>,
        out: &mut BTreeSet<crate::ir::ScopeId>,
    ) {
        stack.push(b.scope);
        for s in &b.stmts {
            match s {
                Stmt::Plain(stmt) => {
                    if crate::operands::stmt_jumps(stmt) {
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
                if crate::operands::jumps(e) {
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
                if crate::operands::jumps(cond) {
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
                if crate::operands::jumps(scrutinee) {
                    out.extend(stack.iter().copied());
                }
                for a in arms {
                    stack.push(a.scope);
                    if a.guard.as_ref().is_some_and(crate::operands::jumps) {
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
