//! Closures handed on rather than called in place, as pools and retry
//! loops take them: closures returning `async` blocks passed to an awaited
//! helper (`run(|| async { .. }).await`, `run(move || async move { ..
//! }).await`) or kept and called later (`m().await`, `run(m).await`);
//! `FnOnce` values taken out of an `Option` (`slot.take().unwrap()`) and
//! called around an await; and a `Box<dyn FnOnce() -> i64>` called after one.

use super::Gen;
use super::scope::{Borrow, State, Use};
use crate::ast::{Expr, ExprKind, Pat, Stmt};
use crate::ty::{CallKind, Ty};

/// How a closure returning an `async` block is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MakerForm {
    /// `|| async { .. }`: both borrow; the closure must stay `Fn`, since a
    /// future borrowing what an `FnMut` closure captured cannot escape it.
    Borrowing,
    /// `|| async move { .. }`: the block moves what it uses, so the
    /// closure captures it by value (what is `Copy` it copies).
    BlockMoves,
    /// `move || async move { .. }`
    BothMove,
}

impl Gen {
    /// A closure returning an `async` block yielding `i64`, with the
    /// borrows it holds; `None` where it cannot be written (inside another
    /// closure or block, or a borrowing one whose body writes).
    fn maker(&mut self) -> Option<Expr> {
        self.maker_held().map(|(e, _)| e)
    }

    fn maker_held(&mut self) -> Option<(Expr, Vec<Borrow>)> {
        if !self.scope.frames.is_empty() {
            return None;
        }
        let form = *self.rng.pick(&[
            MakerForm::Borrowing,
            MakerForm::BlockMoves,
            MakerForm::BothMove,
        ]);
        let block_moves = form != MakerForm::Borrowing;
        let before = self.scope.snapshot();
        let (body, holds, kind) = self.in_frame(block_moves, true, |g| g.block_of(&Ty::I64, false));
        if form == MakerForm::Borrowing && kind != CallKind::Fn {
            self.scope.restore(before);
            return None;
        }
        let block = Expr::new(
            ExprKind::Async {
                is_move: block_moves,
                body,
            },
            None,
        );
        let closure = Expr::new(
            ExprKind::Closure {
                is_move: form == MakerForm::BothMove,
                params: Vec::new(),
                body: Box::new(block),
            },
            None,
        );
        Some((closure, holds))
    }

    /// `run(|| async { .. }).await`, or a kept one called: `m().await`,
    /// `run(m).await`.
    pub(super) fn run_closure(&mut self) -> Option<Expr> {
        if !self.can_await() {
            return None;
        }
        let kept = self.locals_usable(|t| *t == Ty::Maker, Use::Move);
        if !kept.is_empty() && self.rng.chance(60) {
            let id = *self.rng.pick(&kept);
            self.scope.use_local(id, Use::Move);
            let name = self.scope.locals[id].name.clone();
            let fut = if self.rng.chance(50) {
                Expr::call(name, vec![], Ty::Future(Box::new(Ty::I64)))
            } else {
                Expr::call("run", vec![Expr::raw(name)], Ty::Future(Box::new(Ty::I64)))
            };
            return Some(Expr::await_(fut, Ty::I64));
        }
        let closure = self.maker()?;
        let fut = Expr::call("run", vec![closure], Ty::Future(Box::new(Ty::I64)));
        Some(Expr::await_(fut, Ty::I64))
    }

    /// `let m = move || async move { .. };`, called after later awaits.
    fn let_maker(&mut self) -> Vec<Stmt> {
        let Some((closure, holds)) = self.maker_held() else {
            return vec![self.await_stmt()];
        };
        let name = self.fresh("mkr");
        let id = self.scope.declare(&name, Ty::Maker, false, State::Init);
        self.scope.locals[id].holds = holds;
        vec![Stmt::Let {
            pat: Pat::bind(name),
            ty: None,
            init: Some(closure),
            els: None,
        }]
    }

    /// A closure kept aside and called once: taken out of an `Option`
    /// (`let f = slot.take().unwrap(); f()`) or boxed as `Box<dyn FnOnce()
    /// -> i64>`, with an await before the take, between it and the call,
    /// or after both.
    pub(super) fn kept_callback(&mut self) -> Vec<Stmt> {
        if self.rng.chance(25) {
            return self.let_maker();
        }
        let Some((closure, closure_ty, holds)) = self.closure(false) else {
            return vec![self.await_stmt()];
        };
        let boxed = self.rng.chance(40);
        let mut stmts = Vec::new();
        let callee = if boxed {
            // A `'static` box unless the closure borrows locals.
            let ty = if holds.is_empty() {
                "Box<dyn FnOnce() -> i64>"
            } else {
                "Box<dyn FnOnce() -> i64 + '_>"
            };
            let name = self.fresh("bx");
            let id = self.scope.declare(
                &name,
                Ty::Closure(CallKind::FnOnce, false),
                false,
                State::Init,
            );
            self.scope.locals[id].holds = holds;
            stmts.push(Stmt::Let {
                pat: Pat::bind(name),
                ty: Some(ty.into()),
                init: Some(Expr::call(
                    "Box::new",
                    vec![closure],
                    Ty::Closure(CallKind::FnOnce, false),
                )),
                els: None,
            });
            id
        } else {
            let slot = self.fresh("slot");
            let slot_id = self.scope.declare(&slot, Ty::FnSlot, true, State::Init);
            self.scope.locals[slot_id].holds = holds.clone();
            stmts.push(Stmt::Let {
                pat: Pat::Bind {
                    by_ref: false,
                    mutable: true,
                    name: slot.clone(),
                },
                ty: None,
                init: Some(Expr::call("Some", vec![closure], Ty::FnSlot)),
                els: None,
            });
            if self.rng.chance(50) {
                stmts.push(self.await_stmt());
                if self.diverged {
                    return stmts;
                }
            }
            // Taken once: the tracker counts the take as a move of the
            // slot, so no loop turn or later path takes it again.
            if !self.scope.can(slot_id, Use::Move) {
                return stmts;
            }
            self.scope.use_local(slot_id, Use::Move);
            let taken = Expr::method(
                Expr::method(Expr::raw(slot), "take", vec![], Ty::FnSlot),
                "unwrap",
                vec![],
                Ty::Closure(CallKind::FnOnce, false),
            );
            // Called once; an `FnMut` one is still called through `&mut`.
            let mutable = closure_ty == Ty::Closure(CallKind::FnMut, false);
            let name = self.fresh("f");
            let id = self.scope.declare(
                &name,
                Ty::Closure(CallKind::FnOnce, false),
                mutable,
                State::Init,
            );
            self.scope.locals[id].holds = holds;
            stmts.push(Stmt::Let {
                pat: Pat::Bind {
                    by_ref: false,
                    mutable,
                    name,
                },
                ty: None,
                init: Some(taken),
                els: None,
            });
            id
        };
        let await_first = self.rng.chance(70);
        if await_first {
            stmts.push(self.await_stmt());
            if self.diverged {
                return stmts;
            }
        }
        // Sometimes left for a later production to call (or never called).
        if self.rng.chance(80) && self.scope.can(callee, Use::Move) {
            self.scope.use_local(callee, Use::Move);
            let name = self.scope.locals[callee].name.clone();
            let call = Expr::call(name, vec![], Ty::I64);
            stmts.push(Stmt::Expr(Expr::call("log_i", vec![call], Ty::Unit), true));
        }
        if !await_first && !self.diverged {
            stmts.push(self.await_stmt());
        }
        stmts
    }
}
