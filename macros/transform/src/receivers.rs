//! What an awaited method call does to its receiver, which the transform
//! cannot see: `x.m(..).await` either consumes `x` (moved into the future)
//! or borrows it (kept until its scope ends), by `m`'s signature. The guess
//! here decides only where a wrong guess is a compile error at `x`, never a
//! different run.

use crate::cfg::{Cfg, Tag};
use crate::locals::{LocalId, LocalKind, Locals, UseId, UseKind, consumes_receiver};
use std::collections::BTreeSet;

/// `x.m(..).await` where `x` is not read after the await: `m` either
/// consumes `x` (moved into the future) or borrows it (kept until its scope
/// ends), by its signature, which the transform cannot see. A last use can
/// move: unless the name says the method borrows (I/O, channels, locks,
/// services: `read*`, `recv`, `lock`, `run`, `publish`, ...), or `x` is a
/// handle that a method left in place before (see [`handles`]), a local of
/// the body (not an argument, which may be a reference, nor a `mut` one)
/// is taken as consumed, and so is an argument that is a future by value
/// (what is awaited on it is a combinator: `fut.or(other).await`). `x` may
/// also be the root of a chain (`x.m(..).n(..).await`), which `m` consumes
/// or borrows. A wrong guess is a compile error at `x`, never a different
/// run.
pub(crate) fn guess_consumed(
    cfg: &Cfg,
    locals: &Locals,
    operand_receivers: &[Vec<(UseId, String)>],
    live_in: &[BTreeSet<LocalId>],
    read_again: &BTreeSet<UseId>,
    futures: &BTreeSet<LocalId>,
) -> BTreeSet<UseId> {
    let handles = handles(locals, read_again);
    let mut consumed = BTreeSet::new();
    for (a, receivers) in operand_receivers.iter().enumerate() {
        let Some(resume) = cfg.tagged(Tag::Resume(a)) else {
            continue;
        };
        for (u, method) in receivers {
            let u = *u;
            let use_ = &locals.uses[u];
            // Called on directly, or the root of a chain awaited in the
            // `async` block that keeps its temporaries, which captures it
            // as the chain's first method takes it.
            if !matches!(
                use_.kind,
                UseKind::Receiver(_)
                    | UseKind::Capture {
                        by_value: false,
                        move_closure: false
                    }
            ) {
                continue;
            }
            if live_in[resume].contains(&use_.local)
                || borrows_receiver(method)
                || (handles.contains(&use_.local) && !consumes_receiver(method))
            {
                continue;
            }
            let local = &locals.locals[use_.local];
            // A `mut` local is declared to be written: its method more
            // likely takes `&mut self` (`let mut b = B {}; b.run_with(a).await`).
            // (A temporary the transform named is `mut` for any method.)
            let of_the_body = matches!(
                local.kind,
                LocalKind::Let | LocalKind::ArmBinding | LocalKind::Temporary
            );
            let written = local.mutable && local.kind != LocalKind::Temporary;
            if (of_the_body || futures.contains(&use_.local)) && !local.by_ref && !written {
                consumed.insert(u);
            }
        }
    }
    consumed
}

/// The locals some method call left in place (`x.m(..)` after which `x`
/// is read again, outside closures, which may run later): handles (a
/// client, a connection, a pool), whose methods borrow them, but for those
/// named to take them (`tx.commit()`).
fn handles(locals: &Locals, read_again: &BTreeSet<UseId>) -> BTreeSet<LocalId> {
    read_again
        .iter()
        .map(|&u| &locals.uses[u])
        .filter(|u| !u.in_closure && matches!(u.kind, UseKind::Receiver(_)))
        .map(|u| u.local)
        .collect()
}

/// Methods that by convention borrow their receiver for the future they
/// return (I/O, channels, locks, `run(&mut self)` loops, services, a
/// database client's statements and copies, and the setters and containers
/// of clients and stores), unless they say they
/// take it (`acquire_owned`). A verb qualified in front (`try_recv`,
/// `timeout_get`) is the verb.
fn borrows_receiver(method: &str) -> bool {
    [
        "read",
        "write",
        "recv",
        "send",
        "flush",
        "shutdown",
        "close",
        "lock",
        "next",
        "accept",
        "wait",
        "poll",
        "get",
        "peek",
        "as_",
        "iter",
        "fill",
        "run",
        "call",
        "publish",
        "ping",
        "query",
        "prepare",
        "copy",
        "execute",
        "handle",
        "process",
        "connect",
        "request",
        "fetch",
        "set",
        "put",
        "insert",
        "remove",
        "delete",
        "update",
        "push",
        "pop",
        "append",
        "store",
        "load",
        "save",
        "unsubscribe",
        "acquire",
        "reserve",
        "sleep",
        "tick",
        "ready",
        "sync",
    ]
    .iter()
    .any(|prefix| words(method).any(|word| word.starts_with(prefix)))
        && !method.ends_with("_owned")
}

/// `timeout_get`, then `get`: the name from each of its words on, so that a
/// qualified verb (`try_recv`, `timeout_get`) reads as the verb.
fn words(method: &str) -> impl Iterator<Item = &str> {
    std::iter::once(method).chain(method.match_indices('_').map(|(at, _)| &method[at + 1..]))
}
