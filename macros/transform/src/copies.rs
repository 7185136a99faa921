//! Which uses by value of a part of a local copy it rather than move it:
//! what rustc accepted tells (a part used again later was `Copy`).

use crate::cfg::{Cfg, CfgNode, Effect};
use crate::hints::Hints;
use crate::locals::{LocalId, Locals, UseId, UseKind, consumes_receiver};
use std::collections::{BTreeMap, BTreeSet};

/// `x.f` by value moves the field, or copies it if it is `Copy`. When `x`
/// (or that field) is used again later, rustc accepted the program, so it
/// was a copy. Otherwise it is taken as a move (a slot then drops the
/// rest), which is right either way. A later use on another path makes the
/// guess "copy" for a move: storing `x` whole is then a compile error.
/// The same holds for `x.m()` where `m` is taken by its name to consume `x`,
/// for a scrutinee an arm may take (`if let Ok(n) = x`: `n` was a copy),
/// and for a reference to `x` (`let r = &x;`, `points_to`) read after it.
pub(crate) fn proven_copies(
    locals: &Locals,
    cfg: &Cfg,
    points_to: &BTreeMap<LocalId, LocalId>,
) -> BTreeSet<UseId> {
    // Where each use is evaluated, and in which order there.
    let mut at: Vec<Option<(CfgNode, usize)>> = vec![None; locals.uses.len()];
    for (node, effects) in cfg.effects.iter().enumerate() {
        for (position, effect) in effects.iter().enumerate() {
            if let Effect::Use(u) = effect {
                at[*u].get_or_insert((node, position));
            }
        }
    }
    // Where each local is assigned whole or declared again (a loop's next
    // turn): a path through one of those no longer reads the value first held.
    let mut kills: BTreeMap<LocalId, Vec<(CfgNode, usize)>> = BTreeMap::new();
    for (k, u) in locals.uses.iter().enumerate() {
        if u.kind == UseKind::Assign
            && u.path.is_empty()
            && let Some(place) = at[k]
        {
            kills.entry(u.local).or_default().push(place);
        }
    }
    for (node, effects) in cfg.effects.iter().enumerate() {
        for (position, effect) in effects.iter().enumerate() {
            if let Effect::Declare { local, .. } = effect {
                kills.entry(*local).or_default().push((node, position));
            }
        }
    }
    // Is `later` evaluated after `first` on some path that does not assign
    // the local whole, or declare it again, in between?
    let after = |first: UseId, later: UseId| {
        let kills = kills
            .get(&locals.uses[first].local)
            .map_or(&[][..], Vec::as_slice);
        match (at[first], at[later]) {
            (Some(from), Some(to)) => reaches_unkilled(cfg, from, to, kills),
            _ => locals.uses[later].seq > locals.uses[first].seq,
        }
    };
    let mut copies = BTreeSet::new();
    for (id, u) in locals.uses.iter().enumerate() {
        let field_capture = matches!(
            u.kind,
            UseKind::Capture {
                move_closure: true,
                ..
            }
        ) && !u.path.is_empty();
        // `x.sum()` consumes `x` if `sum` takes `self`: not if `x` is used again.
        let consuming_receiver = matches!(&u.kind, UseKind::Receiver(m) if consumes_receiver(m));
        // `if let Ok(n) = x {}` takes `x` unless every part it binds is
        // `Copy`: not if `x` is used again.
        let maybe_taken = u.kind == UseKind::MaybeTaken;
        if u.kind != UseKind::MovePart && !field_capture && !consuming_receiver && !maybe_taken {
            continue;
        }
        // A `move` closure naming `r.f` of a `ref mut r` takes the `&mut`.
        let local = &locals.locals[u.local];
        if field_capture && local.by_ref && local.mutable {
            continue;
        }
        // (A closure naming the whole local, as one naming it inside a
        // macro's tokens is taken to, captures only the fields it uses.)
        let used_again = locals.uses.iter().enumerate().any(|(later_id, later)| {
            later.local == u.local
                && later_id != id
                && after(id, later_id)
                // Given a new value (`x = ..`, or `x.f = ..` after moving
                // `x.f`) it may have been moved before; written in place
                // (`x.f += 1`, `x.k = ..` after `x.sum()`), it was not.
                && (later.kind != UseKind::Assign || (consuming_receiver && !later.path.is_empty()))
                && !(matches!(later.kind, UseKind::Capture { .. }) && later.path.is_empty())
                // A name in a macro's tokens (`m!(x.k)`) may use one field.
                && later.kind != UseKind::Opaque
                && (later.path.starts_with(&u.path) || u.path.starts_with(&later.path))
                // A field read after a pattern's by-value bindings may be
                // one they did not take (`if let (d, 1) = t {} t.1`).
                && (!maybe_taken || later.path.is_empty())
        });
        // `x.sum()` and then `r.k` with `r = &x`: rustc accepted it, so
        // `sum` borrowed `x`.
        let reference_read_again = consuming_receiver
            && locals.uses.iter().enumerate().any(|(later_id, later)| {
                points_to.get(&later.local) == Some(&u.local)
                    && later.kind != UseKind::Assign
                    && after(id, later_id)
            });
        if used_again || reference_read_again {
            copies.insert(id);
        }
    }
    copies
}

/// Is the effect at `to` (node, position) evaluated after the one at
/// `from` on some path that passes no effect in `kills`?
fn reaches_unkilled(
    cfg: &Cfg,
    from: (CfgNode, usize),
    to: (CfgNode, usize),
    kills: &[(CfgNode, usize)],
) -> bool {
    let killed_between = |node: CfgNode, after: Option<usize>, before: Option<usize>| {
        kills
            .iter()
            .any(|&(n, p)| n == node && after.is_none_or(|a| p > a) && before.is_none_or(|b| p < b))
    };
    if from.0 == to.0 && to.1 > from.1 && !killed_between(from.0, Some(from.1), Some(to.1)) {
        return true;
    }
    if killed_between(from.0, Some(from.1), None) {
        return false;
    }
    let mut seen = vec![false; cfg.succ.len()];
    let mut work: Vec<CfgNode> = cfg.succ[from.0].clone();
    while let Some(node) = work.pop() {
        if std::mem::replace(&mut seen[node], true) {
            continue;
        }
        if node == to.0 && !killed_between(node, None, Some(to.1)) {
            return true;
        }
        if !killed_between(node, None, None) {
            work.extend(cfg.succ[node].iter().copied());
        }
    }
    false
}

/// A `move` closure (or `async move` block) naming only `x.f` captures
/// that field by value (edition 2021): a copy (when `x.f` is used again
/// later, see [`proven_copies`]), or a partial move of `x`; through a
/// reference it captures the reference (a move of `x` whole).
pub(crate) fn field_captures(
    locals: &Locals,
    hints: &Hints,
    copied_parts: &BTreeSet<UseId>,
) -> BTreeSet<UseId> {
    locals
        .uses
        .iter()
        .enumerate()
        .filter(|(id, u)| {
            matches!(
                u.kind,
                UseKind::Capture {
                    move_closure: true,
                    ..
                }
            ) && !u.path.is_empty()
                && !copied_parts.contains(id)
                && !hints.references.contains(&u.local)
                && !locals.locals[u.local].by_ref
        })
        .map(|(id, _)| id)
        .collect()
}
