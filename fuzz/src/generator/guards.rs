//! Guards, as pools and locks hand them out (deadpool, async-lock, bb8):
//! `Guard`, whose methods take `self`, `&self` or `&mut self` under names
//! that do not tell which (`g.disarm()` and `g.level()` look alike, and the
//! transform cannot see the signature), used after an await, consumed
//! before one on some paths only, and inside loops that await; and values
//! behind a `Deref` guard (`Lease<P>` owned, `Lock<'_, P>` borrowing a
//! local), whose fields and methods are reached through it across awaits.

use super::Gen;
use super::LoopCtx;
use super::scope::{Borrow, BorrowKind, LocalId, State, Use};
use crate::ast::{Block, Cond, Expr, ExprKind, Pat, Stmt};
use crate::ty::Ty;

/// Which receiver a guard method takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Takes {
    Value,
    Ref,
    RefMut,
}

impl Gen {
    /// `guard("g", k)`.
    pub(super) fn guard_value(&mut self) -> Expr {
        let k = self.expr(&Ty::I64);
        Expr::call("guard", vec![Expr::raw(self.leaf("g")), k], Ty::Guard)
    }

    /// An `i64` from a method of a guard place: by value (`disarm`,
    /// `settle`), by reference (`level`, `scaled`) or by `&mut` (`tune`).
    pub(super) fn guard_method(&mut self) -> Option<Expr> {
        let takes = *self.rng.pick(&[
            Takes::Value,
            Takes::Value,
            Takes::Ref,
            Takes::Ref,
            Takes::RefMut,
        ]);
        let u = match takes {
            Takes::Value => Use::Move,
            Takes::Ref => Use::Read,
            Takes::RefMut => Use::Mutate,
        };
        let (place, g) = self.take_place(&|t| *t == Ty::Guard, u)?;
        Some(self.guard_call(place.root, g, takes))
    }

    /// The call itself, on a receiver already committed with its use.
    fn guard_call(&mut self, root: LocalId, g: Expr, takes: Takes) -> Expr {
        let with_arg = self.rng.chance(40);
        match (takes, with_arg) {
            (Takes::Value, false) => Expr::method(g, "disarm", vec![], Ty::I64),
            (Takes::Value, true) => {
                // The receiver moved first: the argument cannot use it.
                let k = self.expr(&Ty::I64);
                Expr::method(g, "settle", vec![k], Ty::I64)
            }
            (Takes::Ref, false) => Expr::method(g, "level", vec![], Ty::I64),
            (Takes::Ref, true) => {
                self.scope.inflight.push(Borrow {
                    of: root,
                    kind: BorrowKind::Shared,
                });
                let k = self.expr(&Ty::I64);
                self.scope.inflight.pop();
                Expr::method(g, "scaled", vec![k], Ty::I64)
            }
            (Takes::RefMut, _) => Expr::method(g, "tune", vec![], Ty::I64),
        }
    }

    /// `g.ready()`: a `D` out of a guard taken by value.
    pub(super) fn guard_ready(&mut self) -> Option<Expr> {
        let (_, g) = self.take_place(&|t| *t == Ty::Guard, Use::Move)?;
        Some(Expr::method(g, "ready", vec![], Ty::D))
    }

    /// A future of a guard method, to await: `g.check(n)` borrows the
    /// guard, `g.release(n)` owns it (the awaited receiver's two kinds).
    pub(super) fn guard_future(&mut self) -> Option<Expr> {
        let by_value = self.rng.chance(50);
        let u = if by_value { Use::Move } else { Use::Read };
        let (_, g) = self.take_place(&|t| *t == Ty::Guard, u)?;
        let name = if by_value { "release" } else { "check" };
        Some(Expr::method(
            g,
            name,
            vec![Expr::raw(self.pendings())],
            Ty::Future(Box::new(Ty::I64)),
        ))
    }

    /// `Lease::into_inner(h)`: the `P` back out of an owned guard.
    pub(super) fn lease_into_inner(&mut self) -> Option<Expr> {
        let h = self.move_out(&Ty::Lease)?;
        Some(Expr::call("Lease::into_inner", vec![h], Ty::P))
    }

    /// `log_i(<awaited i64>);`, or `tick(..).await;` when nothing else
    /// awaits here; inside a closure (no await), `log_i(<i64>);`.
    pub(super) fn await_stmt(&mut self) -> Stmt {
        if !self.can_await() {
            let e = self.expr(&Ty::I64);
            return Stmt::Expr(Expr::call("log_i", vec![e], Ty::Unit), true);
        }
        match self.await_int() {
            Some(e) => Stmt::Expr(Expr::call("log_i", vec![e], Ty::Unit), true),
            None => {
                let tick = Expr::call(
                    "tick",
                    vec![Expr::raw(self.leaf("tick")), Expr::raw(self.pendings())],
                    Ty::Future(Box::new(Ty::Unit)),
                );
                Stmt::Expr(Expr::await_(tick, Ty::Unit), true)
            }
        }
    }

    /// `let [mut] g = guard(..);`, declared in the current scope.
    fn let_guard(&mut self, mutable: bool) -> (Stmt, LocalId) {
        let init = self.guard_value();
        let name = self.local_name(&Ty::Guard);
        let id = self.scope.declare(&name, Ty::Guard, mutable, State::Init);
        let stmt = Stmt::Let {
            pat: Pat::Bind {
                by_ref: false,
                mutable,
                name,
            },
            ty: None,
            init: Some(init),
            els: None,
        };
        (stmt, id)
    }

    /// `log_i(g.<method>())` on this guard local, if it may be used so.
    fn use_guard(&mut self, id: LocalId, takes: Takes) -> Option<Stmt> {
        let u = match takes {
            Takes::Value => Use::Move,
            Takes::Ref => Use::Read,
            Takes::RefMut => Use::Mutate,
        };
        if !self.scope.can(id, u) {
            return None;
        }
        self.scope.use_local(id, u);
        let g = Expr::raw(self.scope.locals[id].name.clone());
        let call = self.guard_call(id, g, takes);
        Some(Stmt::Expr(Expr::call("log_i", vec![call], Ty::Unit), true))
    }

    fn any_takes(&mut self) -> Takes {
        *self
            .rng
            .pick(&[Takes::Value, Takes::Value, Takes::Ref, Takes::RefMut])
    }

    /// One of the three shapes guards take around awaits.
    pub(super) fn guard_shape(&mut self) -> Vec<Stmt> {
        match self.rng.below(4) {
            0 => self.guard_after_await(),
            1 => self.guard_consumed_before_exit(),
            2 => self.guard_consumed_in_one_branch(),
            _ => self.guard_in_loop(),
        }
    }

    /// (a) `let g = guard(..); <await>; g.disarm()` (or a `&self` method).
    fn guard_after_await(&mut self) -> Vec<Stmt> {
        let takes = self.any_takes();
        let (decl, id) = self.let_guard(takes == Takes::RefMut);
        let mut stmts = vec![decl, self.await_stmt()];
        if !self.diverged {
            stmts.extend(self.use_guard(id, takes));
        }
        stmts
    }

    /// (b) `if c { log_i(g.disarm()); return .. }` before an await; after
    /// it, the guard is used only on the path that did not consume it.
    fn guard_consumed_before_exit(&mut self) -> Vec<Stmt> {
        let (decl, id) = self.let_guard(false);
        let mut stmts = vec![decl];
        let cond = self.expr(&Ty::Bool);
        if self.diverged {
            return stmts;
        }
        let start = self.scope.snapshot();
        let mut inner: Vec<Stmt> = self.use_guard(id, Takes::Value).into_iter().collect();
        inner.push(self.exit());
        self.scope.restore(start);
        self.diverged = false;
        stmts.push(Stmt::Expr(
            Expr::new(
                ExprKind::If(
                    vec![Cond::Bool(cond)],
                    Block {
                        stmts: inner,
                        tail: None,
                    },
                    None,
                ),
                None,
            ),
            false,
        ));
        stmts.push(self.await_stmt());
        if !self.diverged {
            let takes = if self.rng.chance(50) {
                Takes::Ref
            } else {
                Takes::Value
            };
            stmts.extend(self.use_guard(id, takes));
        }
        stmts
    }

    /// (b) `let n = if c { g.disarm() } else { <await>; g.level() };`: the
    /// guard consumed on one path, awaited across and used on the other.
    fn guard_consumed_in_one_branch(&mut self) -> Vec<Stmt> {
        let (decl, id) = self.let_guard(false);
        let mut stmts = vec![decl];
        let cond = self.expr(&Ty::Bool);
        if self.diverged {
            return stmts;
        }
        let start = self.scope.snapshot();
        let then_tail = self.guard_tail(id, Takes::Value);
        let then_end = (!self.diverged).then(|| self.scope.snapshot());
        self.scope.restore(start.clone());
        self.diverged = false;
        let wait = self.await_stmt();
        let takes = if self.rng.chance(50) {
            Takes::Ref
        } else {
            Takes::Value
        };
        let else_tail = if self.diverged {
            None
        } else {
            Some(Box::new(self.guard_tail(id, takes)))
        };
        let else_end = (!self.diverged).then(|| self.scope.snapshot());
        self.merge(vec![then_end, else_end], start);
        let branch = Expr::new(
            ExprKind::If(
                vec![Cond::Bool(cond)],
                Block::of_tail(then_tail),
                Some(Box::new(Expr::block(
                    Block {
                        stmts: vec![wait],
                        tail: else_tail,
                    },
                    None,
                ))),
            ),
            Some(Ty::I64),
        );
        let name = self.local_name(&Ty::I64);
        self.scope.declare(&name, Ty::I64, false, State::Init);
        stmts.push(Stmt::Let {
            pat: Pat::bind(name),
            ty: None,
            init: Some(branch),
            els: None,
        });
        stmts
    }

    /// A guard method as an `i64` value, or another `i64` when the guard
    /// cannot be used so here.
    fn guard_tail(&mut self, id: LocalId, takes: Takes) -> Expr {
        let u = if takes == Takes::Value {
            Use::Move
        } else {
            Use::Read
        };
        if !self.scope.can(id, u) {
            return self.expr(&Ty::I64);
        }
        self.scope.use_local(id, u);
        let g = Expr::raw(self.scope.locals[id].name.clone());
        self.guard_call(id, g, takes)
    }

    /// (c) A loop that awaits: a guard made each turn and consumed after
    /// the await, or one from before the loop used by reference each turn
    /// and by value right before the `break`.
    fn guard_in_loop(&mut self) -> Vec<Stmt> {
        let outer = self.rng.chance(50);
        let mut stmts = Vec::new();
        let counter = self.fresh("c");
        let counter_id = self.scope.declare(&counter, Ty::I64, true, State::Init);
        self.scope.locals[counter_id].protected = true;
        stmts.push(Stmt::Let {
            pat: Pat::Bind {
                by_ref: false,
                mutable: true,
                name: counter.clone(),
            },
            ty: Some("i64".into()),
            init: Some(Expr::atom("0", Ty::I64)),
            els: None,
        });
        let outer_guard = if outer {
            let (decl, id) = self.let_guard(true);
            stmts.push(decl);
            if self.diverged {
                self.scope.locals[counter_id].protected = false;
                return stmts;
            }
            Some(id)
        } else {
            None
        };
        let limit = self.rng.range(1, 3);
        let label = self.label();
        let entry = self.scope.snapshot();
        self.loops.push(LoopCtx {
            label: label.clone(),
            value: None,
            breaks: Vec::new(),
            frame: self.scope.frames.len(),
        });
        self.scope.loop_depth += 1;
        let mark = self.scope.locals.len();
        let mut body = vec![Stmt::Fixed(Expr::raw(format!("{counter} += 1")), true)];
        // The exit first, as the other loops have it: a `continue` further
        // down never skips it.
        let check = Expr::raw(format!("{counter} > {limit}"));
        let before_exit = self.scope.snapshot();
        let mut exit: Vec<Stmt> = Vec::new();
        if let Some(id) = outer_guard
            && self.scope.movable_anywhere(id)
        {
            self.scope.use_local(id, Use::Move);
            let g = Expr::raw(self.scope.locals[id].name.clone());
            let call = self.guard_call(id, g, Takes::Value);
            exit.push(Stmt::Expr(Expr::call("log_i", vec![call], Ty::Unit), true));
        }
        let at_break = self.scope.snapshot();
        self.loops
            .last_mut()
            .expect("pushed above")
            .breaks
            .push(at_break);
        exit.push(Stmt::Expr(
            Expr::new(ExprKind::Break(None, None), Some(Ty::Never)),
            true,
        ));
        self.scope.restore(before_exit);
        body.push(Stmt::Fixed(
            Expr::new(
                ExprKind::If(
                    vec![Cond::Bool(check)],
                    Block {
                        stmts: exit,
                        tail: None,
                    },
                    None,
                ),
                None,
            ),
            false,
        ));
        let (id, last) = match outer_guard {
            Some(id) => {
                let takes = if self.rng.chance(50) {
                    Takes::Ref
                } else {
                    Takes::RefMut
                };
                body.extend(self.use_guard(id, takes));
                (id, Takes::Ref)
            }
            None => {
                let takes = self.any_takes();
                let (decl, id) = self.let_guard(takes == Takes::RefMut);
                body.push(decl);
                (id, takes)
            }
        };
        if !self.diverged {
            body.push(self.await_stmt());
        }
        if !self.diverged {
            body.extend(self.use_guard(id, last));
        }
        self.scope.close(mark);
        self.scope.loop_depth -= 1;
        let ctx = self.loops.pop().expect("pushed above");
        self.diverged = false;
        self.merge(ctx.breaks.into_iter().map(Some).collect(), entry);
        self.scope.locals[counter_id].protected = false;
        stmts.push(Stmt::Expr(
            Expr::new(
                ExprKind::Loop(
                    label,
                    Block {
                        stmts: body,
                        tail: None,
                    },
                ),
                None,
            ),
            false,
        ));
        stmts
    }

    /// A value behind a `Deref` guard, read across an await: `let mut h =
    /// lease("h", p(..));` or `let mut l = lock("l", &mut pp);`, then an
    /// await, then a field, a method or a write through it.
    pub(super) fn deref_guard(&mut self) -> Vec<Stmt> {
        let mut stmts = Vec::new();
        let mutable = self.rng.chance(70);
        // Locks borrow a `P` of the function's own frame (declared first
        // when there is none); leases own theirs.
        let (init, ty, holds) = if self.scope.frames.is_empty() && self.rng.chance(50) {
            let target = self.mutable_local(&Ty::P, &mut stmts);
            self.scope.use_local(target, Use::Mutate);
            let name = Expr::raw(self.scope.locals[target].name.clone());
            let init = Expr::call(
                "lock",
                vec![Expr::raw(self.leaf("l")), Expr::unary("&mut ", name, None)],
                Ty::Lock,
            );
            let holds = vec![Borrow {
                of: target,
                kind: BorrowKind::Mut,
            }];
            (init, Ty::Lock, holds)
        } else {
            let inner = self.expr(&Ty::P);
            let init = Expr::call("lease", vec![Expr::raw(self.leaf("h")), inner], Ty::Lease);
            (init, Ty::Lease, Vec::new())
        };
        let name = self.local_name(&ty);
        let owned = ty == Ty::Lease;
        let id = self.scope.declare(&name, ty, mutable, State::Init);
        self.scope.locals[id].holds = holds;
        stmts.push(Stmt::Let {
            pat: Pat::Bind {
                by_ref: false,
                mutable,
                name: name.clone(),
            },
            ty: None,
            init: Some(init),
            els: None,
        });
        for _ in 0..self.rng.range(1, 3) {
            if self.diverged {
                break;
            }
            stmts.push(self.await_stmt());
            if !self.diverged {
                stmts.extend(self.through_guard(id));
            }
        }
        // The value back out of an owned guard, by an associated function.
        if owned && !self.diverged && self.rng.chance(30) && self.scope.can(id, Use::Move) {
            self.scope.use_local(id, Use::Move);
            let inner = Expr::call("Lease::into_inner", vec![Expr::raw(name)], Ty::P);
            let total = Expr::method(inner, "total", vec![], Ty::I64);
            stmts.push(Stmt::Expr(Expr::call("log_i", vec![total], Ty::Unit), true));
        }
        stmts
    }

    /// `log_i(h.k)`, `log_i(h.a.n())`, `log_i(h.sum())`, `h.b.bump();`,
    /// `h.k += ..;`: a use of the guarded `P` through the guard.
    fn through_guard(&mut self, id: LocalId) -> Option<Stmt> {
        let name = self.scope.locals[id].name.clone();
        let writes = self.rng.chance(35) && self.scope.can(id, Use::Mutate);
        if !writes && !self.scope.can(id, Use::Read) {
            return None;
        }
        self.scope
            .use_local(id, if writes { Use::Mutate } else { Use::Read });
        let field = |f: &str| {
            Expr::new(
                ExprKind::Field(Box::new(Expr::raw(name.clone())), f.into()),
                None,
            )
        };
        let e = if writes {
            if self.rng.chance(50) {
                let d = field(if self.rng.chance(50) { "a" } else { "b" });
                Expr::method(d, "bump", vec![], Ty::I64)
            } else {
                self.scope.inflight.push(Borrow {
                    of: id,
                    kind: BorrowKind::Mut,
                });
                let value = self.expr(&Ty::I64);
                self.scope.inflight.pop();
                let op = *self.rng.pick(&["+=", "="]);
                let assign = ExprKind::Assign(Box::new(field("k")), op, Box::new(value));
                return Some(Stmt::Expr(Expr::new(assign, Some(Ty::Unit)), true));
            }
        } else {
            match self.rng.below(3) {
                0 => field("k"),
                1 => Expr::method(field("a"), "n", vec![], Ty::I64),
                _ => Expr::method(Expr::raw(name.clone()), "sum", vec![], Ty::I64),
            }
        };
        Some(Stmt::Expr(Expr::call("log_i", vec![e], Ty::Unit), true))
    }
}
