//! Statements: `let` (plain, destructuring with `ref`/`ref mut`/`_`,
//! `let .. else`, deferred `let x;`), expression statements, assignments,
//! moves (also on some paths only, before a `break` or `return`), loops,
//! and the locals that borrow other locals or hold futures and closures.

use super::Gen;
use super::scope::{Borrow, BorrowKind, LocalId, State, Use};
use crate::ast::{Block, Cond, Expr, ExprKind, Pat, Stmt};
use crate::ty::{CallKind, Ty};

impl Gen {
    pub(super) fn stmt(&mut self) -> Vec<Stmt> {
        let in_loop = !self.reachable_loops().is_empty();
        let fn_frame = u32::from(self.in_fn_frame());
        let weights = [
            12,
            3,
            2,
            2,
            3,
            4,
            3,
            3,
            2,
            3,
            1,
            1,
            2,
            4,
            2,
            fn_frame,
            2 * fn_frame,
            3 * u32::from(in_loop),
            1,
            2,
            // Shapes from pools and locks (`guards`, `callbacks`, `patterns`).
            self.crates_weight(2),
            self.crates_weight(1),
            self.crates_weight(2),
            self.crates_weight(1),
        ];
        let choice = self.rng.weighted(&weights).expect("weights are positive");
        let spent = self.spend();
        if !spent && choice > 6 {
            return vec![self.plain_let()];
        }
        match choice {
            0 => vec![self.plain_let()],
            1 => vec![self.destructuring_let()],
            2 => vec![self.let_else()],
            3 => self.deferred_let(),
            4 => {
                let e = self.expr(&Ty::I64);
                vec![Stmt::Expr(Expr::call("log_i", vec![e], Ty::Unit), true)]
            }
            5 => match self.await_int() {
                Some(e) => vec![Stmt::Expr(e, true)],
                None => vec![self.plain_let()],
            },
            6 => self.assignment(),
            7 => vec![Stmt::Expr(self.if_expr(&Ty::Unit), false)],
            8 => vec![Stmt::Expr(self.match_expr(&Ty::Unit), false)],
            9 => {
                let (mut stmts, looped) = self.loop_parts(&Ty::Unit, 0);
                stmts.push(Stmt::Expr(looped, false));
                stmts
            }
            10 => vec![Stmt::Expr(
                Expr::block(self.block_of(&Ty::Unit, false), None),
                false,
            )],
            11 => {
                let ty = self.let_type();
                let e = self.expr(&ty);
                vec![Stmt::Let {
                    pat: Pat::Wild,
                    ty: None,
                    init: Some(e),
                    els: None,
                }]
            }
            12 => self.drop_stmt(),
            13 => self.let_deferred_work(),
            14 => {
                let target = self.rng.pick(&[Ty::I64, Ty::D, Ty::I64, Ty::P]).clone();
                let ty = if self.rng.chance(30) {
                    Ty::RefMut(Box::new(target))
                } else {
                    Ty::Ref(Box::new(target))
                };
                vec![self.let_of(ty)]
            }
            15 => vec![self.guarded_exit(false)],
            16 => vec![self.guarded_exit(true)],
            17 => vec![self.guarded_jump()],
            18 => vec![self.assertion()],
            19 => self.write_to_buffer(),
            20 => self.guard_shape(),
            21 => self.deref_guard(),
            22 => self.kept_callback(),
            _ => self.partial_destructure(),
        }
    }

    fn let_type(&mut self) -> Ty {
        let choices = [
            (Ty::I64, 14),
            (Ty::D, 7),
            (Ty::P, 2),
            (Ty::Pair, 2),
            (Ty::Arr, 2),
            (Ty::VecI, 2),
            (Ty::VecD, 1),
            (Ty::OptI, 2),
            (Ty::ResI, 2),
            (Ty::Str, 2),
            (Ty::Bool, 2),
            (Ty::Src, 2),
            (Ty::Guard, self.crates_weight(2)),
            (Ty::Lease, self.crates_weight(1)),
            (Ty::Future(Box::new(Ty::I64)), 3),
        ];
        let weights: Vec<u32> = choices.iter().map(|c| c.1).collect();
        let i = self.rng.weighted(&weights).expect("weights are positive");
        choices[i].0.clone()
    }

    fn plain_let(&mut self) -> Stmt {
        let ty = self.let_type();
        self.let_of(ty)
    }

    /// `let [mut] x[: T] = <value>;` holding what the value borrows.
    pub(super) fn let_of(&mut self, ty: Ty) -> Stmt {
        let (init, held) = self.expr_held(&ty);
        let name = self.local_name(&ty);
        // Buffers and strings are often written to (`read`, `push`, `write!`).
        let mutable = match ty {
            Ty::Src => true,
            Ty::Ref(_) | Ty::RefMut(_) | Ty::Future(_) => false,
            Ty::Arr | Ty::VecI | Ty::Str => self.rng.chance(60),
            _ => self.rng.chance(35),
        };
        let annotate = ty
            .name()
            .filter(|_| matches!(ty, Ty::OptI | Ty::ResI | Ty::VecD) || self.rng.chance(25));
        let id = self.scope.declare(&name, ty, mutable, State::Init);
        self.scope.locals[id].holds = held;
        Stmt::Let {
            pat: Pat::Bind {
                by_ref: false,
                mutable,
                name,
            },
            ty: annotate,
            init: Some(init),
            els: None,
        }
    }

    /// `let x;` then its initialization: at once, in both branches of an
    /// `if`, or in one branch only (initialized on some paths: a drop flag).
    fn deferred_let(&mut self) -> Vec<Stmt> {
        let ty = self
            .rng
            .pick(&[Ty::I64, Ty::I64, Ty::D, Ty::Str, Ty::OptI])
            .clone();
        let name = self.fresh("z");
        let annotate = (ty == Ty::OptI || self.rng.chance(50))
            .then(|| ty.name())
            .flatten();
        let type_name = ty.name();
        let mutable = self.rng.chance(20);
        let id = self.scope.declare(&name, ty, mutable, State::Uninit);
        let mut stmts = vec![Stmt::Let {
            pat: Pat::Bind {
                by_ref: false,
                mutable,
                name,
            },
            ty: annotate,
            init: None,
            els: None,
        }];
        match self.rng.below(3) {
            0 => stmts.extend(self.assign_to(id)),
            _ => {
                let both = self.rng.chance(70);
                let cond = self.expr(&Ty::Bool);
                let start = self.scope.snapshot();
                let then = Block {
                    stmts: self.assign_to(id).into_iter().collect(),
                    tail: None,
                };
                let then_end = (!self.diverged).then(|| self.scope.snapshot());
                self.scope.restore(start.clone());
                self.diverged = false;
                let els = both.then(|| {
                    let block = Block {
                        stmts: self.assign_to(id).into_iter().collect(),
                        tail: None,
                    };
                    Box::new(Expr::block(block, None))
                });
                let else_end = (!self.diverged).then(|| self.scope.snapshot());
                self.merge(vec![then_end, else_end], start);
                stmts.push(Stmt::Expr(
                    Expr::new(ExprKind::If(vec![Cond::Bool(cond)], then, els), None),
                    false,
                ));
            }
        }
        // Never assigned (the assignment could not be generated here): rustc
        // cannot infer the type.
        if self.scope.locals[id].state == State::Uninit
            && let Some(Stmt::Let { ty, .. }) = stmts.first_mut()
        {
            *ty = type_name;
        }
        stmts
    }

    /// `x = <value>;` when `x` may be assigned once the value is computed.
    fn assign_to(&mut self, id: LocalId) -> Option<Stmt> {
        let ty = self.scope.locals[id].ty.clone();
        let value = self.expr(&ty);
        if self.diverged || !self.scope.can(id, Use::Assign) {
            return Some(Stmt::Let {
                pat: Pat::Wild,
                ty: None,
                init: Some(value),
                els: None,
            });
        }
        self.scope.use_local(id, Use::Assign);
        let name = self.scope.locals[id].name.clone();
        Some(Stmt::Expr(
            Expr::new(
                ExprKind::Assign(Box::new(Expr::raw(name)), "=", Box::new(value)),
                Some(Ty::Unit),
            ),
            true,
        ))
    }

    /// `x = ..`, `place += ..`, `d.bump();`
    fn assignment(&mut self) -> Vec<Stmt> {
        match self.rng.below(3) {
            0 => {
                let assignable: Vec<LocalId> = self
                    .locals_usable(|t| t.simplest().is_some() && *t != Ty::Usize, Use::Assign)
                    .into_iter()
                    .filter(|&i| self.scope.locals[i].name != "self")
                    .collect();
                if assignable.is_empty() {
                    return vec![self.plain_let()];
                }
                let id = *self.rng.pick(&assignable);
                self.assign_to(id).into_iter().collect()
            }
            1 => {
                let Some((place, target)) = self.take_place(&|t| *t == Ty::I64, Use::Mutate) else {
                    return vec![self.plain_let()];
                };
                self.scope.inflight.push(Borrow {
                    of: place.root,
                    kind: BorrowKind::Mut,
                });
                let value = self.expr(&Ty::I64);
                self.scope.inflight.pop();
                let op = *self.rng.pick(&["+=", "-=", "="]);
                vec![Stmt::Expr(
                    Expr::new(
                        ExprKind::Assign(Box::new(target), op, Box::new(value)),
                        Some(Ty::Unit),
                    ),
                    true,
                )]
            }
            _ => match self.take_place(&|t| *t == Ty::D, Use::Mutate) {
                Some((_, d)) => vec![Stmt::Expr(Expr::method(d, "bump", vec![], Ty::I64), true)],
                None => vec![self.plain_let()],
            },
        }
    }

    /// `drop(x);` or `log_d(d);`: a move as a statement.
    fn drop_stmt(&mut self) -> Vec<Stmt> {
        let ty = self
            .rng
            .pick(&[Ty::D, Ty::D, Ty::P, Ty::VecD, Ty::Str, Ty::Pair])
            .clone();
        match self.move_out(&ty) {
            Some(value) => {
                let f = if ty == Ty::D && self.rng.chance(50) {
                    "log_d"
                } else {
                    "drop"
                };
                vec![Stmt::Expr(Expr::call(f, vec![value], Ty::Unit), true)]
            }
            None => vec![self.plain_let()],
        }
    }

    /// A local whose use comes later, across awaits: a closure, an `async`
    /// block, a future not yet awaited, or a pinned one.
    fn let_deferred_work(&mut self) -> Vec<Stmt> {
        match self.rng.below(4) {
            0 => {
                let Some((closure, ty, holds)) = self.closure(true) else {
                    return vec![self.plain_let()];
                };
                let mutable = matches!(ty, Ty::Closure(CallKind::FnMut, _));
                let name = self.local_name(&ty);
                let id = self.scope.declare(&name, ty, mutable, State::Init);
                self.scope.locals[id].holds = holds;
                vec![Stmt::Let {
                    pat: Pat::Bind {
                        by_ref: false,
                        mutable,
                        name,
                    },
                    ty: None,
                    init: Some(closure),
                    els: None,
                }]
            }
            1 if self.scope.frames.is_empty() => {
                let (block, holds) = self.async_block(&Ty::I64);
                let ty = Ty::Future(Box::new(Ty::I64));
                let name = self.local_name(&ty);
                let id = self.scope.declare(&name, ty, false, State::Init);
                self.scope.locals[id].holds = holds;
                vec![Stmt::Let {
                    pat: Pat::bind(name),
                    ty: None,
                    init: Some(block),
                    els: None,
                }]
            }
            2 => {
                let (fut, holds) = self.future(&Ty::I64);
                let pinned = Expr::new(ExprKind::Macro("pin".into(), None, vec![fut]), None);
                let ty = Ty::PinFut(Box::new(Ty::I64));
                let name = self.local_name(&ty);
                let id = self.scope.declare(&name, ty, false, State::Init);
                self.scope.locals[id].holds = holds;
                vec![Stmt::Let {
                    pat: Pat::bind(name),
                    ty: None,
                    init: Some(pinned),
                    els: None,
                }]
            }
            _ => vec![self.let_of(Ty::Future(Box::new(Ty::I64)))],
        }
    }

    /// `if c { [move x;] return v / break }`: leaves on some paths, and
    /// with `moves`, moves a local first (a drop flag after the `if`).
    fn guarded_exit(&mut self, moves: bool) -> Stmt {
        let cond = self.expr(&Ty::Bool);
        let start = self.scope.snapshot();
        let mut stmts = Vec::new();
        if moves && self.scope.frames.is_empty() {
            let candidates: Vec<LocalId> = (0..self.scope.locals.len())
                .filter(|&i| {
                    let l = &self.scope.locals[i];
                    l.visible
                        && matches!(l.ty, Ty::D | Ty::P | Ty::VecD | Ty::Str)
                        && self.scope.movable_anywhere(i)
                })
                .collect();
            if !candidates.is_empty() {
                let id = *self.rng.pick(&candidates);
                self.scope.use_local(id, Use::Move);
                let name = self.scope.locals[id].name.clone();
                stmts.push(Stmt::Expr(
                    Expr::call("drop", vec![Expr::raw(name)], Ty::Unit),
                    true,
                ));
            }
        }
        stmts.push(self.exit());
        self.scope.restore(start);
        self.diverged = false;
        Stmt::Expr(
            Expr::new(
                ExprKind::If(vec![Cond::Bool(cond)], Block { stmts, tail: None }, None),
                None,
            ),
            false,
        )
    }

    /// `if c { break; }` / `if c { continue 'l; }`.
    fn guarded_jump(&mut self) -> Stmt {
        let loops = self.reachable_loops();
        let cond = self.expr(&Ty::Bool);
        let start = self.scope.snapshot();
        let target = *self.rng.pick(&loops);
        let is_break = self.rng.chance(60);
        let jump = self.jump(target, is_break);
        self.scope.restore(start);
        self.diverged = false;
        Stmt::Expr(
            Expr::new(
                ExprKind::If(
                    vec![Cond::Bool(cond)],
                    Block {
                        stmts: vec![jump],
                        tail: None,
                    },
                    None,
                ),
                None,
            ),
            false,
        )
    }

    /// `assert!(x > -1000, "..", y)`: a macro whose arguments may await.
    fn assertion(&mut self) -> Stmt {
        let args = self.operands(&[Ty::I64, Ty::I64]);
        let mut args = args.into_iter();
        let (x, y) = (args.next().expect("two"), args.next().expect("two"));
        let cond = Expr::binary(x, ">", Expr::atom("-1000", Ty::I64), Ty::Bool);
        Stmt::Expr(
            Expr::new(
                ExprKind::Macro(
                    "assert".into(),
                    None,
                    vec![cond, Expr::raw("\"small: {}\""), y],
                ),
                Some(Ty::Unit),
            ),
            true,
        )
    }

    /// A mutable local of `ty` usable here, declared first (as `let mut x =
    /// <fresh value>;`) when there is none.
    pub(super) fn mutable_local(&mut self, ty: &Ty, stmts: &mut Vec<Stmt>) -> LocalId {
        let usable = self.locals_usable(|t| t == ty, Use::Mutate);
        if let Some(&id) = usable.last() {
            return id;
        }
        let init = self.literal(ty);
        let name = self.local_name(ty);
        let name = if self.scope.lookup(&name).is_some() {
            self.fresh("m")
        } else {
            name
        };
        stmts.push(Stmt::Let {
            pat: Pat::Bind {
                by_ref: false,
                mutable: true,
                name: name.clone(),
            },
            ty: None,
            init: Some(init),
            els: None,
        });
        self.scope.declare(&name, ty.clone(), true, State::Init)
    }

    /// Writes into a buffer: `v.push(x);`, `write!(s, "{}", x).unwrap();`,
    /// or `log_i(src.read(&mut buf, n).await);` (two locals borrowed by one
    /// sub-future), declaring what is missing first.
    fn write_to_buffer(&mut self) -> Vec<Stmt> {
        let mut stmts = Vec::new();
        let kind = if self.can_await() {
            self.rng.below(3)
        } else {
            self.rng.below(2)
        };
        let e = match kind {
            0 | 1 => {
                let ty = if kind == 0 { Ty::VecI } else { Ty::Str };
                let id = self.mutable_local(&ty, &mut stmts);
                self.scope.use_local(id, Use::Mutate);
                let target = Expr::raw(self.scope.locals[id].name.clone());
                self.scope.inflight.push(Borrow {
                    of: id,
                    kind: BorrowKind::Mut,
                });
                let value = self.expr(&Ty::I64);
                self.scope.inflight.pop();
                if kind == 0 {
                    Expr::method(target, "push", vec![value], Ty::Unit)
                } else {
                    let format = Expr::raw("\"{}\"");
                    let write = Expr::new(
                        ExprKind::Macro("write".into(), None, vec![target, format, value]),
                        None,
                    );
                    Expr::method(write, "unwrap", vec![], Ty::Unit)
                }
            }
            _ => {
                let src = self.mutable_local(&Ty::Src, &mut stmts);
                let buffer = if self.rng.chance(50) {
                    Ty::Arr
                } else {
                    Ty::VecI
                };
                let buf = self.mutable_local(&buffer, &mut stmts);
                self.scope.use_local(src, Use::Mutate);
                self.scope.use_local(buf, Use::Mutate);
                let src = Expr::raw(self.scope.locals[src].name.clone());
                let buf = Expr::raw(self.scope.locals[buf].name.clone());
                let read = Expr::method(
                    src,
                    "read",
                    vec![Expr::unary("&mut ", buf, None), Expr::raw(self.pendings())],
                    Ty::Future(Box::new(Ty::I64)),
                );
                Expr::call("log_i", vec![Expr::await_(read, Ty::I64)], Ty::Unit)
            }
        };
        stmts.push(Stmt::Expr(e, true));
        stmts
    }

    /// The tail of a unit block: usually none.
    pub(super) fn unit_tail(&mut self) -> Option<Box<Expr>> {
        if self.rng.chance(70) || self.fuel <= 0 {
            return None;
        }
        Some(Box::new(self.expr(&Ty::Unit)))
    }
}
