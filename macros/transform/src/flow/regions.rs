//! The regions of a function's code: where each arm starts (the body,
//! each await it resumes, a join where regions meet) and which code each
//! writes.

use super::{Entry, RegionId};
use crate::cfg::{Cfg, CfgNode, Effect, Tag};
use crate::locals::{LocalId, Locals, UseId, UseKind, consumes_receiver, returns_owned};
use std::collections::{BTreeMap, BTreeSet};

/// The regions: leaders are the start and each resumption; a tagged node
/// reached from two regions becomes a leader too (a join), one at a time
/// in source order, until none is left.
pub(super) fn regions(
    cfg: &Cfg,
    preds: &[Vec<CfgNode>],
    unseen: &[BTreeSet<LocalId>],
    order: impl Fn(Entry) -> usize,
) -> (Vec<Entry>, Vec<Option<RegionId>>, Vec<BTreeSet<RegionId>>) {
    let n = cfg.succ.len();
    let returns_alone = returning_alone(cfg, unseen);
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
            None => {
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
                return (
                    entries.into_iter().map(|(_, e)| e).collect(),
                    region_of,
                    reached_by,
                );
            }
        }
    }
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
