//! What the control-flow graph says about the locals and the code:
//!
//! - **init states** (forward): at each point, whether each local in scope
//!   surely holds a value, surely does not (moved, or never assigned), or
//!   may (a drop flag is needed);
//! - **liveness** (backward): whether a local is read after a point;
//! - **regions** (forward): each piece of code belongs to exactly one poll
//!   arm. Arms start at `Start`, after each await, and at **joins**: the end
//!   of an IR construct or the head of an IR loop that code from two arms
//!   reaches. A join is its own state, so that the code after it is written
//!   once.

use crate::cfg::{Cfg, CfgNode, Effect, Tag};
use crate::copies::{field_captures, proven_copies};
use crate::hints::Hints;
use crate::ir::{AwaitId, NodeId};
use crate::locals::{LocalId, Locals, UseId, UseKind, consumes_receiver};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init {
    Yes,
    No,
    Maybe,
}

impl Init {
    fn join(self, other: Init) -> Init {
        if self == other { self } else { Init::Maybe }
    }
}

/// Where an arm starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    Start,
    Resume(AwaitId),
    /// After an IR construct: its value and the locals in scope arrive here.
    After(NodeId),
    /// At the head of an IR loop.
    LoopHead(NodeId),
}

pub type RegionId = usize;

pub struct Flow {
    pub cfg: Cfg,
    /// Uses taken to move their local: receivers (see
    /// [`guess_consumed`](crate::receivers::guess_consumed))
    /// and calls of an `FnOnce`.
    pub consumed: BTreeSet<UseId>,
    pub regions: Vec<Entry>,
    /// The region each node's code belongs to (`None`: unreachable or the exit).
    pub region_of: Vec<Option<RegionId>>,
    /// The regions whose code reaches each node (several where regions
    /// meet and go on alone; none where no code reaches it).
    pub reached_by: Vec<BTreeSet<RegionId>>,
    pub init_in: Vec<BTreeMap<LocalId, Init>>,
    pub live_in: Vec<BTreeSet<LocalId>>,
    /// The uses after which their local is read again on some path (a
    /// method called there does not take it by value).
    pub read_again: BTreeSet<UseId>,
    /// Field reads (`x.f` by value) taken as copies, and receivers of
    /// methods taken by their name to consume them, taken as borrowed: see
    /// [`proven_copies`](crate::copies::proven_copies) and [`field_captures`](crate::copies::field_captures).
    pub copied_parts: BTreeSet<UseId>,
    /// `x.f` named by a `move` closure, `x` owning its value: the closure
    /// takes the field when it is made (a partial move of `x`).
    pub field_moves: BTreeSet<UseId>,
    /// Locals partially moved (a field moved out) at the entry of a node.
    pub partial_in: Vec<BTreeSet<LocalId>>,
    /// Whether the code of a node can run (not after a `return` or a loop
    /// that never ends).
    pub reachable: Vec<bool>,
}

#[derive(Clone, PartialEq, Eq, Default)]
struct State {
    init: BTreeMap<LocalId, Init>,
    partial: BTreeSet<LocalId>,
}

impl State {
    fn join(&mut self, other: &State) -> bool {
        let before = self.clone();
        for (l, i) in &other.init {
            self.init
                .entry(*l)
                .and_modify(|mine| *mine = mine.join(*i))
                .or_insert(*i);
        }
        self.partial.extend(other.partial.iter().copied());
        *self != before
    }
}

impl Flow {
    /// `order` places each region in the source: the arms are emitted in
    /// that order (each after an arm that writes its state, as type
    /// inference needs).
    pub fn analyze(
        cfg: Cfg,
        locals: &Locals,
        operand_uses: &[Vec<UseId>],
        hints: &Hints,
        order: impl Fn(Entry) -> usize,
    ) -> Flow {
        let n = cfg.succ.len();
        let preds = cfg.preds();
        let live_in = liveness(&cfg, &preds, locals);
        let read_again = reads_after(&cfg, locals, &live_in);
        let mut consumed =
            crate::receivers::guess_consumed(&cfg, locals, operand_uses, &live_in, &read_again);
        // Calling an `FnOnce` moves it.
        consumed.extend(locals.uses.iter().enumerate().filter_map(|(id, u)| {
            (u.kind == UseKind::Callee && hints.once.contains(&u.local)).then_some(id)
        }));
        // A oneshot sender's `send` takes it by value.
        consumed.extend(locals.uses.iter().enumerate().filter_map(|(id, u)| {
            matches!(&u.kind, UseKind::Receiver(m) if m == "send")
                .then_some(id)
                .filter(|_| hints.oneshot_senders.contains(&u.local))
        }));
        let copied_parts = proven_copies(locals, &cfg);
        let field_moves = field_captures(locals, hints, &copied_parts);

        // Init states, forward.
        let mut state_in: Vec<Option<State>> = vec![None; n];
        state_in[0] = Some(State::default());
        let mut work: Vec<CfgNode> = vec![0];
        while let Some(node) = work.pop() {
            let Some(mut state) = state_in[node].clone() else {
                continue;
            };
            for effect in &cfg.effects[node] {
                transfer(
                    &mut state,
                    effect,
                    locals,
                    &consumed,
                    &copied_parts,
                    &field_moves,
                );
            }
            for &next in &cfg.succ[node] {
                let changed = match &mut state_in[next] {
                    Some(existing) => existing.join(&state),
                    slot @ None => {
                        *slot = Some(state.clone());
                        true
                    }
                };
                if changed {
                    work.push(next);
                }
            }
        }

        let unseen = unseen_moves(&cfg, locals, &read_again, &consumed);
        let (regions, region_of, reached_by) = regions(&cfg, &preds, &unseen, order);
        let init_in = state_in
            .iter()
            .map(|s| s.as_ref().map(|s| s.init.clone()).unwrap_or_default())
            .collect();
        let partial_in = state_in
            .iter()
            .map(|s| s.as_ref().map(|s| s.partial.clone()).unwrap_or_default())
            .collect();
        let reachable = state_in.iter().map(Option::is_some).collect();
        Flow {
            cfg,
            consumed,
            copied_parts,
            field_moves,
            regions,
            region_of,
            reached_by,
            init_in,
            live_in,
            read_again,
            partial_in,
            reachable,
        }
    }

    /// Does `local` surely hold all of its value just after the effects of
    /// `node` (given a value on every path, no field of it moved out)?
    pub fn holds_all_after(&self, node: CfgNode, locals: &Locals, local: LocalId) -> bool {
        let after = self.walk(node, locals, |_, _, _| {});
        after.init.get(&local) == Some(&Init::Yes) && !after.partial.contains(&local)
    }

    /// What each local holds just before the `position`-th effect of `node`.
    pub fn init_before(
        &self,
        node: CfgNode,
        position: usize,
        locals: &Locals,
    ) -> BTreeMap<LocalId, Init> {
        let mut before = BTreeMap::new();
        self.walk_node(node, locals, |at, _, init| {
            if at == position {
                before = init.clone();
            }
        });
        before
    }

    /// Walks the effects of `node` in order, once: `visit` gets each one's
    /// position and what each local holds just before it.
    pub fn walk_node(
        &self,
        node: CfgNode,
        locals: &Locals,
        visit: impl FnMut(usize, &Effect, &BTreeMap<LocalId, Init>),
    ) {
        self.walk(node, locals, visit);
    }

    /// [`Self::walk_node`], returning the state after the node.
    fn walk(
        &self,
        node: CfgNode,
        locals: &Locals,
        mut visit: impl FnMut(usize, &Effect, &BTreeMap<LocalId, Init>),
    ) -> State {
        let mut state = State {
            init: self.init_in[node].clone(),
            partial: self.partial_in[node].clone(),
        };
        for (position, effect) in self.cfg.effects[node].iter().enumerate() {
            visit(position, effect, &state.init);
            transfer(
                &mut state,
                effect,
                locals,
                &self.consumed,
                &self.copied_parts,
                &self.field_moves,
            );
        }
        state
    }

    pub fn node_of(&self, tag: Tag) -> Option<CfgNode> {
        self.cfg.tagged(tag)
    }

    /// The CFG node where a region's code starts.
    pub fn entry_node(&self, entry: Entry) -> Option<CfgNode> {
        match entry {
            Entry::Start => Some(0),
            Entry::Resume(a) => self.node_of(Tag::Resume(a)),
            Entry::After(id) => self.node_of(Tag::End(id)),
            Entry::LoopHead(id) => self.node_of(Tag::LoopHead(id)),
        }
    }

    pub fn region_at(&self, entry: Entry) -> Option<RegionId> {
        self.regions.iter().position(|e| *e == entry)
    }

    /// Is this construct's end (or loop head) a join?
    pub fn is_join(&self, entry: Entry) -> bool {
        matches!(entry, Entry::After(_) | Entry::LoopHead(_)) && self.region_at(entry).is_some()
    }

    /// The locals a state written at `node` must hold: in scope, and either
    /// holding a value on some path or read later (a `Copy` value).
    pub fn stored_at(&self, node: CfgNode, locals: &Locals) -> Vec<LocalId> {
        // A local whose type drops nothing (`&str`, `usize`) is kept only
        // while it is used again; any other until its scope ends, where it drops.
        let mut stored: Vec<LocalId> = self.init_in[node]
            .iter()
            .filter(|(l, i)| {
                self.live_in[node].contains(l)
                    || (**i != Init::No && !locals.locals[**l].declared_to_drop_nothing())
            })
            .map(|(l, _)| *l)
            .collect();
        stored.sort_by_key(|&l| locals.locals[l].decl);
        stored
    }
}

fn transfer(
    state: &mut State,
    effect: &Effect,
    locals: &Locals,
    consumed: &BTreeSet<UseId>,
    copied_parts: &BTreeSet<UseId>,
    field_moves: &BTreeSet<UseId>,
) {
    match *effect {
        Effect::Declare { local, init } => {
            state
                .init
                .insert(local, if init { Init::Yes } else { Init::No });
            state.partial.remove(&local);
        }
        Effect::End(local) => {
            state.init.remove(&local);
            state.partial.remove(&local);
        }
        // The arm moves the whole scrutinee (whether other arms borrow it
        // or leave it).
        Effect::Taken(id) => {
            if let Some(init) = state.init.get_mut(&locals.uses[id].local) {
                *init = Init::No;
            }
        }
        Effect::Use(id) => use_effect(state, id, locals, consumed, copied_parts, field_moves),
    }
}

/// What a use does to its local: moves it (whole or in part), or gives it
/// a value.
fn use_effect(
    state: &mut State,
    id: UseId,
    locals: &Locals,
    consumed: &BTreeSet<UseId>,
    copied_parts: &BTreeSet<UseId>,
    field_moves: &BTreeSet<UseId>,
) {
    let u = &locals.uses[id];
    let Some(init) = state.init.get_mut(&u.local) else {
        return;
    };
    // Used by value, a `Copy` local is copied.
    if locals.locals[u.local].known_copy() && u.kind != UseKind::Assign {
        return;
    }
    if consumed.contains(&id) {
        *init = Init::No;
        return;
    }
    if field_moves.contains(&id) {
        state.partial.insert(u.local);
        return;
    }
    match &u.kind {
        UseKind::Capture { .. } if copied_parts.contains(&id) => {}
        // A non-`move` closure reading `x.f` by value copies that
        // field or moves it alone: `x` (or its rest) still drops
        // where its scope ends.
        UseKind::Capture {
            move_closure: false,
            ..
        } if !u.path.is_empty() => {}
        UseKind::Move | UseKind::Capture { by_value: true, .. } => *init = Init::No,
        UseKind::Receiver(m) if consumes_receiver(m) && !copied_parts.contains(&id) => {
            *init = Init::No
        }
        UseKind::Assign => {
            *init = Init::Yes;
            state.partial.remove(&u.local);
        }
        UseKind::MovePart if !copied_parts.contains(&id) => {
            state.partial.insert(u.local);
        }
        _ => {}
    }
}

/// Locals read after a point, backward.
fn liveness(cfg: &Cfg, preds: &[Vec<CfgNode>], locals: &Locals) -> Vec<BTreeSet<LocalId>> {
    let n = cfg.succ.len();
    let mut live_in: Vec<BTreeSet<LocalId>> = vec![BTreeSet::new(); n];
    let mut work: Vec<CfgNode> = (0..n).collect();
    while let Some(node) = work.pop() {
        let mut live = live_out(cfg, &live_in, node);
        for effect in cfg.effects[node].iter().rev() {
            step_back(&mut live, effect, locals);
        }
        if live != live_in[node] {
            live_in[node] = live;
            work.extend(preds[node].iter().copied());
        }
    }
    live_in
}

/// The uses after which their local is read again on some path.
fn reads_after(cfg: &Cfg, locals: &Locals, live_in: &[BTreeSet<LocalId>]) -> BTreeSet<UseId> {
    let mut read_again = BTreeSet::new();
    for (node, effects) in cfg.effects.iter().enumerate() {
        let mut live = live_out(cfg, live_in, node);
        for effect in effects.iter().rev() {
            if let Effect::Use(u) = effect
                && live.contains(&locals.uses[*u].local)
            {
                read_again.insert(*u);
            }
            step_back(&mut live, effect, locals);
        }
    }
    read_again
}

/// The locals read after `node`: those read on entry to a successor.
fn live_out(cfg: &Cfg, live_in: &[BTreeSet<LocalId>], node: CfgNode) -> BTreeSet<LocalId> {
    cfg.succ[node]
        .iter()
        .flat_map(|&s| live_in[s].iter().copied())
        .collect()
}

/// Moves `live` (the locals read after `effect`) to before `effect`.
fn step_back(live: &mut BTreeSet<LocalId>, effect: &Effect, locals: &Locals) {
    match effect {
        Effect::Use(u) => {
            let u = &locals.uses[*u];
            if u.kind == UseKind::Assign {
                live.remove(&u.local);
            } else {
                live.insert(u.local);
            }
        }
        Effect::Declare { local, .. } => {
            live.remove(local);
        }
        Effect::End(_) | Effect::Taken(_) => {}
    }
}

/// The regions: leaders are the start and each resumption; a tagged node
/// reached from two regions becomes a leader too (a join), one at a time
/// in source order, until none is left.
fn regions(
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
fn unseen_moves(
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
                    if matches!(use_.kind, UseKind::Receiver(_))
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
