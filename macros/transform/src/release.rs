//! Slots that the last stretch of the function hands back as plain locals.
//!
//! A slot keeps a local in place while a future or another stored local may
//! borrow it. It is reached through a raw pointer, so a use that needs the
//! value itself fails to compile where the transform cannot tell that it
//! does: `guard.disarm()` with `disarm(self)` is E0507 "cannot move out of
//! a raw pointer". Syntax cannot tell `self` from `&self`.
//!
//! A region that runs to the function's return without suspending again
//! needs no slot once nothing that may borrow the local is in scope. Its arm
//! moves the value out of the slot into a local of its own, declared before
//! the locals it takes out of the state, and from there rustc's own rules
//! apply as written: a method takes it or borrows it, a drop flag tracks a
//! move on some paths, and whatever is left drops where the function's
//! locals drop. The slot is empty from then on, so clearing it does nothing.
//!
//! Which slots: those of the function's outermost scope that hold all of
//! their value when the region starts (no field moved out), and that the region uses in a way that may need
//! the value (a method call, a call, a field moved, a capture by value, a
//! macro's tokens). The ones released are the newest slots in scope, so that
//! the slots left in the frame, cleared after the arm's locals drop, are
//! older than every released one, as rustc's drop order has it.

use crate::cfg::{CfgNode, Effect, Tag};
use crate::flow::{Entry, Flow, Init, RegionId};
use crate::locals::{LocalId, Locals, UseId, UseKind};
use crate::storage::SlotReason;
use std::collections::{BTreeMap, BTreeSet};

/// For each region that returns without suspending, the slots its arm takes
/// out into locals, oldest first.
pub fn released_slots(
    flow: &Flow,
    locals: &Locals,
    slots: &BTreeMap<LocalId, SlotReason>,
    points_into: &BTreeMap<LocalId, Vec<LocalId>>,
) -> BTreeMap<RegionId, Vec<LocalId>> {
    let mut released = BTreeMap::new();
    for (region, &entry) in flow.regions.iter().enumerate() {
        if entry == Entry::Start {
            continue;
        }
        let Some(start) = flow.entry_node(entry) else {
            continue;
        };
        let Some(code) = final_code(flow, start) else {
            continue;
        };
        let releasable = |x: LocalId| {
            let local = &locals.locals[x];
            local.scope == 0
                && !local.by_ref
                && flow.init_in[start].get(&x) == Some(&Init::Yes)
                && !flow.partial_in[start].contains(&x)
                && !borrowed_in_scope(flow, locals, points_into, start, x)
        };
        // Left in its slot without harm: holds no value through the region,
        // or drops nothing (where it is cleared does not matter).
        let harmless = |x: LocalId| {
            let local = &locals.locals[x];
            local.by_ref
                || local.declared_to_drop_nothing()
                || (flow.init_in[start].get(&x) == Some(&Init::No)
                    && !assigned_in(flow, locals, &code, x))
        };
        let mut in_scope: Vec<LocalId> = slots
            .keys()
            .copied()
            .filter(|x| flow.init_in[start].contains_key(x))
            .collect();
        in_scope.sort_by_key(|&x| std::cmp::Reverse(locals.locals[x].decl));
        // Newest first, up to the first slot that must stay and matters.
        let mut candidates = Vec::new();
        for x in in_scope {
            if releasable(x) {
                candidates.push(x);
            } else if !harmless(x) {
                break;
            }
        }
        let Some(oldest_needed) = candidates
            .iter()
            .rposition(|&x| needs_the_value(flow, locals, &code, x))
        else {
            continue;
        };
        let mut chosen: Vec<LocalId> = candidates[..=oldest_needed].to_vec();
        chosen.reverse();
        released.insert(region, chosen);
    }
    released
}

/// The nodes of the code from `start` to the function's return, if it
/// neither suspends nor reaches another region's start (a join, a loop's
/// head, itself again).
fn final_code(flow: &Flow, start: CfgNode) -> Option<BTreeSet<CfgNode>> {
    let leaders: BTreeSet<CfgNode> = flow
        .regions
        .iter()
        .filter_map(|&entry| flow.entry_node(entry))
        .collect();
    let mut seen = BTreeSet::from([start]);
    let mut work = vec![start];
    while let Some(node) = work.pop() {
        if matches!(
            flow.cfg.tags[node],
            Some(Tag::Suspend(_) | Tag::LoopHead(_))
        ) {
            return None;
        }
        for &next in &flow.cfg.succ[node] {
            if leaders.contains(&next) {
                return None;
            }
            if seen.insert(next) {
                work.push(next);
            }
        }
    }
    Some(seen)
}

/// Is a local that may point into `x` in scope where the region starts? It
/// would read the slot after the value left it (or drop while borrowing it).
/// A reference that is not read any more drops nothing and reads nothing.
fn borrowed_in_scope(
    flow: &Flow,
    locals: &Locals,
    points_into: &BTreeMap<LocalId, Vec<LocalId>>,
    start: CfgNode,
    x: LocalId,
) -> bool {
    points_into.iter().any(|(&borrower, targets)| {
        let local = &locals.locals[borrower];
        borrower != x
            && targets.contains(&x)
            && flow.init_in[start].contains_key(&borrower)
            && !((local.by_ref || local.declared_to_drop_nothing())
                && !flow.live_in[start].contains(&borrower))
    })
}

fn uses_in<'a>(
    flow: &'a Flow,
    locals: &'a Locals,
    code: &'a BTreeSet<CfgNode>,
    x: LocalId,
) -> impl Iterator<Item = UseId> + 'a {
    code.iter()
        .flat_map(|&node| flow.cfg.effects[node].iter())
        .filter_map(|effect| match effect {
            Effect::Use(u) => Some(*u),
            _ => None,
        })
        .filter(move |&u| locals.uses[u].local == x)
}

fn assigned_in(flow: &Flow, locals: &Locals, code: &BTreeSet<CfgNode>, x: LocalId) -> bool {
    uses_in(flow, locals, code, x).any(|u| locals.uses[u].kind == UseKind::Assign)
}

/// Does the code use `x` in a way that may need its value, not a place: a
/// method that may take `self`, a call of it (an `FnOnce`), a field moved
/// out, a capture by value, a macro's tokens (`pin!(x)`)?
fn needs_the_value(flow: &Flow, locals: &Locals, code: &BTreeSet<CfgNode>, x: LocalId) -> bool {
    uses_in(flow, locals, code, x).any(|u| match &locals.uses[u].kind {
        UseKind::Receiver(_) | UseKind::Callee | UseKind::Opaque | UseKind::MaybeTaken => true,
        UseKind::MovePart => !flow.copied_parts.contains(&u),
        UseKind::Capture { by_value, .. } => *by_value,
        _ => false,
    })
}
