//! Slots an arm hands back to plain locals between two awaits.
//!
//! A slot keeps a local in place while a future or another stored local may
//! borrow it. It is reached through a raw pointer, so a use that needs the
//! value itself fails to compile where the transform cannot tell that it
//! does: `guard.disarm()` with `disarm(self)` is E0507 "cannot move out of
//! a raw pointer". Syntax cannot tell `self` from `&self`.
//!
//! Between two awaits nothing needs the slot once nothing that may borrow
//! the local is in scope. An arm moves the value out of the slot into a
//! local of its own, declared before the locals it takes out of the state,
//! and from there rustc's own rules apply as written: a method takes it or
//! borrows it, a drop flag tracks a move on some paths, and whatever is left
//! drops where the function's locals drop (the slot is empty from then on,
//! so clearing it does nothing). Where the arm leaves for another state
//! that keeps the local, it puts the value back into its slot first; there
//! the local must surely hold its value, and neither the awaited future nor
//! a local the state keeps may borrow it (a borrow of the arm's local could
//! not be kept).
//!
//! Which slots: the user's locals of the function's outermost scope (a
//! temporary ends with its statement, not there) that hold all of their
//! value when the region starts (no field moved out), and that the region
//! uses, where they are not read again, in a way that may need the value
//! (a method call, a call, a field moved, a capture by value, a macro's
//! tokens). The ones released are the newest slots in scope, so that the
//! slots left in the frame, cleared after the arm's locals drop, are older
//! than every released one where the function returns, as rustc's drop
//! order has it.

use crate::cfg::{CfgNode, Effect, Tag};
use crate::flow::{Entry, Flow, Init, RegionId};
use crate::locals::{LocalId, Locals, UseId, UseKind};
use crate::storage::SlotReason;
use std::collections::{BTreeMap, BTreeSet};

/// What the machine keeps where a region's code leaves it.
pub struct Kept<'a> {
    /// The locals stored at each await's suspension.
    pub at_await: &'a [Vec<LocalId>],
    /// The locals stored at each join.
    pub at_join: &'a BTreeMap<RegionId, Vec<LocalId>>,
    /// The locals each await's future may borrow.
    pub pinned: &'a [Vec<LocalId>],
    /// What each local's value may point into.
    pub points_into: &'a BTreeMap<LocalId, Vec<LocalId>>,
    /// The locals each await's output is bound to.
    pub bound_to_outputs: &'a [Vec<LocalId>],
}

/// For each region, the slots its arm takes out into locals, oldest first.
pub fn released_slots(
    flow: &Flow,
    locals: &Locals,
    slots: &BTreeMap<LocalId, SlotReason>,
    kept: &Kept,
) -> BTreeMap<RegionId, Vec<LocalId>> {
    let leaders: BTreeSet<CfgNode> = flow
        .regions
        .iter()
        .filter_map(|&entry| flow.entry_node(entry))
        .collect();
    let mut released = BTreeMap::new();
    for (region, &entry) in flow.regions.iter().enumerate() {
        if entry == Entry::Start {
            continue;
        }
        let Some(start) = flow.entry_node(entry) else {
            continue;
        };
        let code = RegionCode::from(flow, start, &leaders);
        // The output of the await the region resumes from may borrow what
        // its future borrowed, and a local it is bound to keeps it (`let
        // guard = lock.read().await;`): made from the slot, it would point
        // into the slot the value left.
        let output_borrows = |x: LocalId| match entry {
            Entry::Resume(a) => kept.pinned[a].contains(&x) && !kept.bound_to_outputs[a].is_empty(),
            _ => false,
        };
        let releasable = |x: LocalId| {
            let local = &locals.locals[x];
            !output_borrows(x)
                && local.scope == 0
                && !local.internal
                && !local.by_ref
                && flow.init_in[start].get(&x) == Some(&Init::Yes)
                && !flow.partial_in[start].contains(&x)
                && !borrowed_in_scope(flow, locals, kept.points_into, start, x)
                && code.puts_back(flow, locals, kept, x)
        };
        // Left in its slot without harm: where the function returns it holds
        // no value (its scope ended, or it was never given one), or it drops
        // nothing. (The frame clears the slots after the arm's locals drop.)
        let harmless = |x: LocalId| {
            let local = &locals.locals[x];
            local.by_ref
                || local.declared_to_drop_nothing()
                || !code.holds_at_return(flow, locals, x)
        };
        // The slots of the region's code: in scope where it starts (the
        // candidates), or declared in it (never released).
        let mut present: Vec<LocalId> = slots
            .keys()
            .copied()
            .filter(|x| flow.init_in[start].contains_key(x) || code.declares(flow, *x))
            .collect();
        present.sort_by_key(|&x| std::cmp::Reverse(locals.locals[x].decl));
        // Newest first, up to the first slot that must stay and matters.
        let mut candidates = Vec::new();
        for x in present {
            if releasable(x) {
                candidates.push(x);
            } else if !harmless(x) {
                break;
            }
        }
        let Some(oldest_needed) = candidates
            .iter()
            .rposition(|&x| code.needs_the_value(flow, locals, x))
        else {
            continue;
        };
        let mut chosen: Vec<LocalId> = candidates[..=oldest_needed].to_vec();
        chosen.reverse();
        released.insert(region, chosen);
    }
    released
}

/// The code of one region: its nodes, and where it leaves for another
/// state (an await, or a jump to another region's start).
struct RegionCode {
    nodes: BTreeSet<CfgNode>,
    suspends: Vec<(usize, CfgNode)>,
    /// The last node of this region and the start of the one it jumps to.
    jumps: Vec<(CfgNode, CfgNode)>,
}

impl RegionCode {
    /// `leaders`: the node where each region starts.
    fn from(flow: &Flow, start: CfgNode, leaders: &BTreeSet<CfgNode>) -> RegionCode {
        let mut code = RegionCode {
            nodes: BTreeSet::from([start]),
            suspends: Vec::new(),
            jumps: Vec::new(),
        };
        let mut work = vec![start];
        while let Some(node) = work.pop() {
            if let Some(Tag::Suspend(a)) = flow.cfg.tags[node] {
                code.suspends.push((a, node));
                continue;
            }
            for &next in &flow.cfg.succ[node] {
                if leaders.contains(&next) {
                    code.jumps.push((node, next));
                } else if code.nodes.insert(next) {
                    work.push(next);
                }
            }
        }
        code
    }

    /// Can the arm put `x` back into its slot wherever it leaves for a
    /// state that keeps it: surely holding its value there, and borrowed
    /// neither by the future awaited nor by a local the state keeps?
    fn puts_back(&self, flow: &Flow, locals: &Locals, kept: &Kept, x: LocalId) -> bool {
        let unborrowed = |stored: &[LocalId]| {
            stored.iter().all(|&l| {
                l == x
                    || !kept
                        .points_into
                        .get(&l)
                        .is_some_and(|targets| targets.contains(&x))
            })
        };
        // Whether or not the state keeps `x`, the future and the kept
        // locals must not borrow the arm's local.
        let at_suspends = self.suspends.iter().all(|&(a, node)| {
            let stored = &kept.at_await[a];
            !kept.pinned[a].contains(&x)
                && unborrowed(stored)
                && (!stored.contains(&x)
                    || (flow.init_in[node].get(&x) == Some(&Init::Yes)
                        && flow.holds_all_after(node, locals, x)))
        });
        let at_jumps = self.jumps.iter().all(|&(from, to)| {
            let stored = flow.region_of[to]
                .and_then(|region| kept.at_join.get(&region))
                .map_or(&[][..], Vec::as_slice);
            unborrowed(stored) && (!stored.contains(&x) || flow.holds_all_after(from, locals, x))
        });
        at_suspends && at_jumps
    }

    fn uses<'a>(
        &'a self,
        flow: &'a Flow,
        locals: &'a Locals,
        x: LocalId,
    ) -> impl Iterator<Item = UseId> + 'a {
        self.nodes
            .iter()
            .flat_map(|&node| flow.cfg.effects[node].iter())
            .filter_map(|effect| match effect {
                Effect::Use(u) => Some(*u),
                _ => None,
            })
            .filter(move |&u| locals.uses[u].local == x)
    }

    fn declares(&self, flow: &Flow, x: LocalId) -> bool {
        self.nodes.iter().any(|&node| declares_in(flow, node, x))
    }

    /// May `x` hold a value where the code returns (where the locals of the
    /// function's outermost scope end)?
    fn holds_at_return(&self, flow: &Flow, locals: &Locals, x: LocalId) -> bool {
        self.nodes.iter().any(|&node| {
            let returns = flow.cfg.effects[node]
                .iter()
                .any(|effect| matches!(effect, Effect::End(l) if locals.locals[*l].scope == 0));
            returns
                && (flow.init_in[node]
                    .get(&x)
                    .is_some_and(|init| *init != Init::No)
                    || declares_in(flow, node, x))
        })
    }

    /// Does the code use `x`, where it is not read again, in a way that may
    /// need its value and not a place: a method that may take `self`, a call
    /// of it (an `FnOnce`), a field moved out, a capture by value, a macro's
    /// tokens (`pin!(x)`)?
    fn needs_the_value(&self, flow: &Flow, locals: &Locals, x: LocalId) -> bool {
        self.uses(flow, locals, x).any(|u| {
            !flow.read_again.contains(&u)
                && match &locals.uses[u].kind {
                    UseKind::Receiver(_)
                    | UseKind::Callee
                    | UseKind::Opaque
                    | UseKind::MaybeTaken => true,
                    UseKind::MovePart => !flow.copied_parts.contains(&u),
                    UseKind::Capture { by_value, .. } => *by_value,
                    _ => false,
                }
        })
    }
}

fn declares_in(flow: &Flow, node: CfgNode, x: LocalId) -> bool {
    flow.cfg.effects[node]
        .iter()
        .any(|effect| matches!(effect, Effect::Declare { local, .. } if *local == x))
}

/// Is a local that may point into `x` in scope where the region starts? It
/// would read the slot after the value left it (or drop while borrowing it).
/// A reference that is not read any more drops nothing and reads nothing;
/// nor does a local moved out on every path and not read again.
fn borrowed_in_scope(
    flow: &Flow,
    locals: &Locals,
    points_into: &BTreeMap<LocalId, Vec<LocalId>>,
    start: CfgNode,
    x: LocalId,
) -> bool {
    points_into.iter().any(|(&borrower, targets)| {
        let local = &locals.locals[borrower];
        let in_scope = flow.init_in[start].get(&borrower);
        let read_again = flow.live_in[start].contains(&borrower);
        // Moved out and not read again: it holds nothing, or (a reference
        // passed on, copied or reborrowed: `apply(inner)`) drops nothing.
        // Read again, it was not moved, whatever the flow took it for.
        let moved_out = in_scope == Some(&Init::No) && !read_again;
        borrower != x
            && targets.contains(&x)
            && in_scope.is_some()
            && !moved_out
            && !((local.by_ref || local.declared_to_drop_nothing()) && !read_again)
    })
}
