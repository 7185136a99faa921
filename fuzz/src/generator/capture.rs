//! Closures and `async` blocks: their bodies are generated in a frame of
//! their own, whose uses of outer locals become captures (by reference, or
//! by value for `move`). The value then holds the borrows of what it
//! captured by reference, and moved what it captured by value.

use super::Gen;
use super::scope::{Borrow, BorrowKind, Frame, LocalId, State, Use};
use crate::ast::{Expr, ExprKind};
use crate::ty::{CallKind, Ty};

impl Gen {
    /// Runs `body` in a new frame; afterwards the enclosing scope is as
    /// before, except what the frame captured: returns the borrows the new
    /// value holds, and whether a captured value is moved inside (`FnOnce`)
    /// or mutated (`FnMut`).
    pub(super) fn in_frame<T>(
        &mut self,
        is_move: bool,
        is_async: bool,
        body: impl FnOnce(&mut Gen) -> T,
    ) -> (T, Vec<Borrow>, CallKind) {
        let before = self.scope.snapshot();
        let diverged = self.diverged;
        self.scope.frames.push(Frame {
            is_move,
            is_async,
            first_local: self.scope.locals.len(),
            loop_base: self.scope.loop_depth,
            captures: Vec::new(),
        });
        let out = body(self);
        let frame = self.scope.frames.pop().expect("pushed above");
        self.scope.restore(before);
        self.diverged = diverged;
        let mut kind = CallKind::Fn;
        let mut holds: Vec<Borrow> = Vec::new();
        let mut seen: Vec<LocalId> = Vec::new();
        for &(id, u) in &frame.captures {
            let local = &self.scope.locals[id];
            let by_value = is_move && !local.ty.is_copy();
            match u {
                Use::Move if by_value || !local.ty.is_copy() => kind = CallKind::FnOnce,
                Use::Mutate | Use::Assign if kind == CallKind::Fn => kind = CallKind::FnMut,
                _ => {}
            }
            if seen.contains(&id) {
                if !is_move && matches!(u, Use::Mutate | Use::Assign) {
                    for b in holds.iter_mut().filter(|b| b.of == id) {
                        b.kind = BorrowKind::Mut;
                    }
                }
                continue;
            }
            seen.push(id);
            // A captured reference (or a moved value holding borrows) carries its borrows along.
            holds.extend(local.holds.iter().copied());
            if is_move {
                if !local.ty.is_copy() {
                    self.scope.locals[id].state = State::Moved;
                }
            } else {
                let kind = if matches!(u, Use::Mutate | Use::Assign) {
                    BorrowKind::Mut
                } else {
                    BorrowKind::Shared
                };
                holds.push(Borrow { of: id, kind });
            }
        }
        (out, holds, kind)
    }

    /// A closure returning `i64`: `|| ..`, `move || ..`, maybe taking `k: i64`.
    pub(super) fn closure(&mut self, may_take_arg: bool) -> Option<(Expr, Ty, Vec<Borrow>)> {
        if !self.scope.frames.is_empty() {
            return None;
        }
        let is_move = self.rng.chance(45);
        let takes_arg = may_take_arg && self.rng.chance(30);
        let ((params, body), holds, kind) = self.in_frame(is_move, false, |g| {
            let mut params = Vec::new();
            if takes_arg {
                let name = g.fresh("k");
                g.scope.declare(&name, Ty::I64, false, State::Init);
                params.push(format!("{name}: i64"));
            }
            let body = if g.rng.chance(35) {
                Expr::block(g.block_of(&Ty::I64, false), None)
            } else {
                g.expr(&Ty::I64)
            };
            (params, body)
        });
        let e = Expr::new(
            ExprKind::Closure {
                is_move,
                params,
                body: Box::new(body),
            },
            None,
        );
        Some((e, Ty::Closure(kind, takes_arg), holds))
    }

    /// `async { .. }` or `async move { .. }` yielding `out`, with what it borrows.
    pub(super) fn async_block(&mut self, out: &Ty) -> (Expr, Vec<Borrow>) {
        let is_move = self.rng.chance(40);
        let (body, holds, _) = self.in_frame(is_move, true, |g| g.block_of(out, false));
        let e = Expr::new(ExprKind::Async { is_move, body }, None);
        (e, holds)
    }

    /// Calls a closure local or parameter: `c()`, `c(x)`; an `FnOnce` is
    /// moved by the call, an `FnMut` borrowed mutably.
    pub(super) fn call_closure(&mut self) -> Option<Expr> {
        let usable: Vec<LocalId> = self
            .scope
            .of_type(|t| matches!(t, Ty::Closure(..)))
            .into_iter()
            .filter(|&i| {
                let Ty::Closure(kind, _) = self.scope.locals[i].ty else {
                    return false;
                };
                match kind {
                    CallKind::Fn => self.scope.can(i, Use::Read),
                    CallKind::FnMut => self.scope.can(i, Use::Mutate),
                    CallKind::FnOnce => self.scope.can(i, Use::Move),
                }
            })
            .collect();
        if usable.is_empty() {
            return None;
        }
        let id = *self.rng.pick(&usable);
        let Ty::Closure(kind, takes_arg) = self.scope.locals[id].ty else {
            unreachable!("filtered to closures")
        };
        let (u, borrow) = match kind {
            CallKind::Fn => (Use::Read, Some(BorrowKind::Shared)),
            CallKind::FnMut => (Use::Mutate, Some(BorrowKind::Mut)),
            CallKind::FnOnce => (Use::Move, None),
        };
        self.scope.use_local(id, u);
        let name = self.scope.locals[id].name.clone();
        let mut args = Vec::new();
        if takes_arg {
            if let Some(kind) = borrow {
                self.scope.inflight.push(Borrow { of: id, kind });
            }
            args.push(self.expr(&Ty::I64));
            if borrow.is_some() {
                self.scope.inflight.pop();
            }
        }
        Some(Expr::call(name, args, Ty::I64))
    }

    /// `later("l", n, <closure>).await`: a closure handed to an awaited call.
    pub(super) fn closure_into_await(&mut self) -> Option<Expr> {
        if !self.can_await() {
            return None;
        }
        let (closure, _, _) = self.closure(false)?;
        let call = Expr::call(
            "later",
            vec![
                Expr::raw(self.leaf("later")),
                Expr::raw(self.pendings()),
                closure,
            ],
            Ty::Future(Box::new(Ty::I64)),
        );
        Some(Expr::await_(call, Ty::I64))
    }
}
