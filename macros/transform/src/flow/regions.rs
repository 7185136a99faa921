//! The regions of a function's code: where each arm starts (the body,
//! each await it resumes, a join where regions meet) and which code each
//! writes.

use super::{Entry, RegionId};
use crate::cfg::{Cfg, CfgNode, Effect, Tag};
use crate::locals::{LocalId, Locals, UseId, UseKind, consumes_receiver, returns_owned};
use std::collections::{BTreeMap, BTreeSet};

/// The regions (see [`leaders`]), where code that returns with no await on
/// the way is written by each region that reaches it (see
/// [`returning_alone`]), unless one of them would read there a local it
/// never gave a value.
pub(super) fn regions(
    cfg: &Cfg,
    preds: &[Vec<CfgNode>],
    locals: &Locals,
    unseen: &[BTreeSet<LocalId>],
    order: impl Fn(Entry) -> usize,
) -> (Vec<Entry>, Vec<Option<RegionId>>, Vec<BTreeSet<RegionId>>) {
    let mut returns_alone = returning_alone(cfg, unseen);
    loop {
        let (leaders, reach) = leaders(cfg, preds, &returns_alone);
        let untyped = reads_unassigned_by_a_region(cfg, locals, &reach, &returns_alone);
        if untyped.is_empty() {
            return sorted_regions(cfg, leaders, &reach, order);
        }
        // Those regions do not go on alone: a join state carries the local
        // from the region that gives it its value.
        returns_alone = (returns_alone.iter().copied())
            .filter(|&node| !reaches_within(cfg, node, &untyped, &returns_alone))
            .collect();
    }
}

/// Leaders: the start and each resumption; a tagged node reached from two
/// regions becomes a leader too (a join), one at a time in source order,
/// until none is left. With, for each node, the leaders that reach it.
fn leaders(
    cfg: &Cfg,
    preds: &[Vec<CfgNode>],
    returns_alone: &BTreeSet<CfgNode>,
) -> (BTreeMap<CfgNode, Entry>, Vec<BTreeSet<CfgNode>>) {
    let n = cfg.succ.len();
    let mut leaders: BTreeMap<CfgNode, Entry> = BTreeMap::new();
    leaders.insert(0, Entry::Start);
    for (node, tag) in cfg.tags.iter().enumerate() {
        if let Some(Tag::Resume(a)) = tag {
            leaders.insert(node, Entry::Resume(*a));
        }
    }
    loop {
        let reach = reaching(cfg, &leaders);
        let merges = |node: CfgNode| {
            !leaders.contains_key(&node)
                && reach[node].len() >= 2
                && matches!(cfg.tags[node], Some(Tag::End(_) | Tag::LoopHead(_)))
                && !only_returns(cfg, node)
                && !returns_alone.contains(&node)
        };
        // Where regions first meet: a merge none of whose predecessors is
        // already merged (a node downstream of a merge is reached by both
        // only through it). In a cycle with no such node, a loop's head.
        let originates = |node: CfgNode| {
            preds[node]
                .iter()
                .all(|&p| leaders.contains_key(&p) || reach[p].len() < 2)
        };
        let join = (0..n)
            .find(|&node| merges(node) && originates(node))
            .or_else(|| {
                (0..n)
                    .find(|&node| merges(node) && matches!(cfg.tags[node], Some(Tag::LoopHead(_))))
            })
            .or_else(|| (0..n).find(|&node| merges(node)));
        match join {
            Some(node) => {
                let entry = match cfg.tags[node] {
                    Some(Tag::End(id)) => Entry::After(id),
                    Some(Tag::LoopHead(id)) => Entry::LoopHead(id),
                    _ => unreachable!("filtered above"),
                };
                leaders.insert(node, entry);
            }
            None => return (leaders, reach),
        }
    }
}

/// The regions in source order, the one each node's code belongs to, and
/// those that reach each node.
fn sorted_regions(
    cfg: &Cfg,
    leaders: BTreeMap<CfgNode, Entry>,
    reach: &[BTreeSet<CfgNode>],
    order: impl Fn(Entry) -> usize,
) -> (Vec<Entry>, Vec<Option<RegionId>>, Vec<BTreeSet<RegionId>>) {
    let mut entries: Vec<(CfgNode, Entry)> = leaders.into_iter().collect();
    entries.sort_by_key(|(node, entry)| (order(*entry), *node));
    let index_of = |leader: CfgNode| entries.iter().position(|(n, _)| *n == leader);
    let region_of = reach
        .iter()
        .enumerate()
        .map(|(node, r)| {
            if cfg.tags[node] == Some(Tag::Exit) || r.len() != 1 {
                None
            } else {
                r.iter().next().and_then(|&leader| index_of(leader))
            }
        })
        .collect();
    let reached_by = reach
        .iter()
        .map(|r| r.iter().filter_map(|&leader| index_of(leader)).collect())
        .collect();
    (
        entries.into_iter().map(|(_, e)| e).collect(),
        region_of,
        reached_by,
    )
}

/// The nodes, in code regions share (going on alone), that read a local
/// declared without a value (`let x;`, a guard's binding carried to its
/// arm) that one of those regions never assigns: there it would be read
/// before any code gives it a type (E0282).
fn reads_unassigned_by_a_region(
    cfg: &Cfg,
    locals: &Locals,
    reach: &[BTreeSet<CfgNode>],
    returns_alone: &BTreeSet<CfgNode>,
) -> BTreeSet<CfgNode> {
    let uses_at = |node: CfgNode| {
        cfg.effects[node].iter().filter_map(|e| match e {
            Effect::Use(u) => Some(&locals.uses[*u]),
            _ => None,
        })
    };
    let mut assigned_by: BTreeMap<LocalId, BTreeSet<CfgNode>> = BTreeMap::new();
    for (node, reached) in reach.iter().enumerate() {
        for u in uses_at(node).filter(|u| u.kind == UseKind::Assign) {
            assigned_by
                .entry(u.local)
                .or_default()
                .extend(reached.iter().copied());
        }
    }
    returns_alone
        .iter()
        .copied()
        .filter(|&node| reach[node].len() >= 2)
        .filter(|&node| {
            uses_at(node).any(|u| {
                locals.locals[u.local].deferred
                    && u.kind != UseKind::Assign
                    && !reach[node]
                        .is_subset(&assigned_by.get(&u.local).cloned().unwrap_or_default())
            })
        })
        .collect()
}

/// Does code from `node`, staying in `within`, reach one of `targets`?
fn reaches_within(
    cfg: &Cfg,
    node: CfgNode,
    targets: &BTreeSet<CfgNode>,
    within: &BTreeSet<CfgNode>,
) -> bool {
    let mut seen = BTreeSet::new();
    let mut work = vec![node];
    while let Some(cur) = work.pop() {
        if targets.contains(&cur) {
            return true;
        }
        if seen.insert(cur) {
            work.extend(cfg.succ[cur].iter().filter(|next| within.contains(next)));
        }
    }
    false
}

/// At `node`, the locals in scope that a method call on some path may have
/// moved: `x.m()` where `x` is not read again, and `m`'s receiver (`self`
/// or `&self`) cannot be seen. A join would carry `x` to drop it at its
/// scope's end, which names it: E0382 where `m` took it.
pub(super) fn unseen_moves(
    cfg: &Cfg,
    locals: &Locals,
    read_again: &BTreeSet<UseId>,
    consumed: &BTreeSet<UseId>,
) -> Vec<BTreeSet<LocalId>> {
    let n = cfg.succ.len();
    let mut unseen_in: Vec<BTreeSet<LocalId>> = vec![BTreeSet::new(); n];
    let mut work: Vec<CfgNode> = (0..n).collect();
    while let Some(node) = work.pop() {
        let mut unseen = unseen_in[node].clone();
        for effect in &cfg.effects[node] {
            match effect {
                Effect::Use(u) => {
                    let use_ = &locals.uses[*u];
                    // (A method named to take its receiver is a move the
                    // flow tracks; one named to borrow it returns a copy.)
                    if matches!(&use_.kind, UseKind::Receiver(m) if !consumes_receiver(m) && !returns_owned(m))
                        && !read_again.contains(u)
                        && !consumed.contains(u)
                        && !use_.in_closure
                        && !locals.locals[use_.local].by_ref
                    {
                        unseen.insert(use_.local);
                    }
                }
                Effect::Declare { local, .. } | Effect::End(local) => {
                    unseen.remove(local);
                }
                Effect::Taken(_) => {}
            }
        }
        for &next in &cfg.succ[node] {
            let before = unseen_in[next].len();
            unseen_in[next].extend(unseen.iter().copied());
            if unseen_in[next].len() != before {
                work.push(next);
            }
        }
    }
    unseen_in
}

/// The nodes where regions that meet each go on alone and return: where
/// a local that a method call may have moved is still in scope (a join
/// would name it to carry it), and every path from there returns with no
/// await or loop on the way. Each region writes that code once, and drops
/// what is left of the local as rustc does, moved or not. So do the nodes
/// after them.
fn returning_alone(cfg: &Cfg, unseen: &[BTreeSet<LocalId>]) -> BTreeSet<CfgNode> {
    let mut alone = BTreeSet::new();
    let mut work: Vec<CfgNode> = (0..cfg.succ.len())
        .filter(|&node| {
            matches!(cfg.tags[node], Some(Tag::End(_)))
                && !unseen[node].is_empty()
                && only_returns_after(cfg, node)
        })
        .collect();
    while let Some(node) = work.pop() {
        if alone.insert(node) {
            work.extend(cfg.succ[node].iter().copied());
        }
    }
    alone
}

/// Does every path from `node` return, with no await or loop on the way
/// (and within a few dozen nodes: the code each region then writes)?
fn only_returns_after(cfg: &Cfg, node: CfgNode) -> bool {
    const LIMIT: usize = 64;
    let mut seen = BTreeSet::new();
    let mut work = vec![node];
    while let Some(cur) = work.pop() {
        if !seen.insert(cur) {
            continue;
        }
        if seen.len() > LIMIT
            || matches!(
                cfg.tags[cur],
                Some(Tag::Suspend(_) | Tag::Resume(_) | Tag::LoopHead(_))
            )
        {
            return false;
        }
        if cfg.tags[cur] != Some(Tag::Exit) {
            work.extend(cfg.succ[cur].iter().copied());
        }
    }
    true
}

/// Does the code from `node` on only hand its value back to the caller (the
/// end of constructs in tail position, locals going out of scope)? Then
/// each arm that gets there can return itself: no join, no code repeated.
fn only_returns(cfg: &Cfg, node: CfgNode) -> bool {
    let mut cur = node;
    for _ in 0..cfg.succ.len() {
        if cfg.tags[cur] == Some(Tag::Exit) {
            return true;
        }
        let plain = cfg.effects[cur].iter().all(|e| matches!(e, Effect::End(_)));
        // An await on the way is code worth writing once: what it awaits
        // (an `async` block) has one type only where it is written once.
        let waits = matches!(cfg.tags[cur], Some(Tag::LoopHead(_) | Tag::Suspend(_)));
        if !plain || cfg.succ[cur].len() != 1 || waits {
            return false;
        }
        cur = cfg.succ[cur][0];
    }
    false
}

/// For each node, the leaders whose code reaches it without passing another leader.
fn reaching(cfg: &Cfg, leaders: &BTreeMap<CfgNode, Entry>) -> Vec<BTreeSet<CfgNode>> {
    let n = cfg.succ.len();
    let mut reach: Vec<BTreeSet<CfgNode>> = vec![BTreeSet::new(); n];
    let mut work: Vec<CfgNode> = Vec::new();
    for &leader in leaders.keys() {
        reach[leader].insert(leader);
        work.push(leader);
    }
    while let Some(node) = work.pop() {
        for &next in &cfg.succ[node] {
            if leaders.contains_key(&next) {
                continue;
            }
            let before = reach[next].len();
            let from: Vec<CfgNode> = reach[node].iter().copied().collect();
            reach[next].extend(from);
            if reach[next].len() != before {
                work.push(next);
            }
        }
    }
    reach
}
