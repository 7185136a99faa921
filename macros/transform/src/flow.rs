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
//!   once. (Where a join would carry a local a method call may have moved,
//!   and the code after it only returns, each arm writes that code instead:
//!   see `flow/regions.rs`.)

use crate::cfg::{Cfg, CfgNode, Effect, Tag};
use crate::copies::{field_captures, proven_copies};
use crate::hints::Hints;
use crate::ir::{AwaitId, NodeId};
use crate::locals::{LocalId, Locals, UseId, UseKind, consumes_receiver};
use std::collections::{BTreeMap, BTreeSet};

mod regions;

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
        operand_receivers: &[Vec<(UseId, String)>],
        hints: &Hints,
        order: impl Fn(Entry) -> usize,
    ) -> Flow {
        let n = cfg.succ.len();
        let preds = cfg.preds();
        let live_in = liveness(&cfg, &preds, locals);
        let read_again = reads_after(&cfg, locals, &live_in);
        let mut consumed = crate::receivers::guess_consumed(
            &cfg,
            locals,
            operand_receivers,
            &live_in,
            &read_again,
            &hints.futures,
        );
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
        let copied_parts = proven_copies(locals, &cfg, &hints.points_to);
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

        let unseen = regions::unseen_moves(&cfg, locals, &read_again, &consumed);
        let (regions, region_of, reached_by) =
            regions::regions(&cfg, &preds, locals, &unseen, order);
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
        // or leave it), unless what it binds was copied (it is used again).
        Effect::Taken(id) => {
            if !copied_parts.contains(&id)
                && let Some(init) = state.init.get_mut(&locals.uses[id].local)
            {
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
