//! Loops: `loop` (with `break` values), `while`, `while let` and `for`,
//! each bounded by a counter or a finite iterator, with labels and
//! `break`/`continue` to any reachable loop. The body cannot move a local
//! declared outside the loop except right before leaving it; the states at
//! each `break` are joined with the state at the loop's normal exit.

use super::scope::{Borrow, BorrowKind, Local, State, Use};
use super::{Gen, LoopCtx};
use crate::ast::{Block, Cond, Expr, ExprKind, Pat, Stmt};
use crate::ty::Ty;

impl Gen {
    pub(super) fn label(&mut self) -> Option<String> {
        self.rng.chance(40).then(|| format!("'{}", self.fresh("l")))
    }

    /// A loop producing `ty` (only `loop` produces non-unit values), with
    /// the statements that must precede it (its counter). `kind` 0 picks
    /// at random among the loops that can produce `ty`.
    pub(super) fn loop_parts(&mut self, ty: &Ty, kind: usize) -> (Vec<Stmt>, Expr) {
        let kind = if *ty != Ty::Unit {
            1
        } else if kind == 0 {
            self.rng.range(1, 4) as usize
        } else {
            kind
        };
        let label = self.label();
        let limit = self.rng.range(1, 3);
        match kind {
            1 | 2 => {
                let counter = self.fresh("c");
                let id = self.scope.declare(&counter, Ty::I64, true, State::Init);
                let decl = Stmt::Let {
                    pat: Pat::Bind {
                        by_ref: false,
                        mutable: true,
                        name: counter.clone(),
                    },
                    ty: Some("i64".into()),
                    init: Some(Expr::atom("0", Ty::I64)),
                    els: None,
                };
                self.scope.locals[id].protected = true;
                let bump = Stmt::Fixed(Expr::raw(format!("{counter} += 1")), true);
                let looped = if kind == 1 {
                    let entry = self.scope.snapshot();
                    let value = (*ty != Ty::Unit).then(|| ty.clone());
                    let check = Expr::raw(format!("{counter} > {limit}"));
                    let (body, breaks) = self.loop_body(label.clone(), value, |g| {
                        let exit = g.break_to_innermost();
                        vec![
                            bump,
                            Stmt::Fixed(
                                Expr::new(ExprKind::If(vec![Cond::Bool(check)], exit, None), None),
                                false,
                            ),
                        ]
                    });
                    self.merge(breaks.into_iter().map(Some).collect(), entry);
                    Expr::new(ExprKind::Loop(label, body), Some(ty.clone()))
                } else {
                    let mut conds = vec![Cond::Bool(Expr::raw(format!("{counter} < {limit}")))];
                    if self.rng.chance(40) {
                        self.scope.loop_depth += 1;
                        self.scope.partial_paths += 1;
                        conds.push(Cond::Bool(self.expr(&Ty::Bool)));
                        self.scope.partial_paths -= 1;
                        self.scope.loop_depth -= 1;
                    }
                    let entry = self.scope.snapshot();
                    let (body, breaks) = self.loop_body(label.clone(), None, |_| vec![bump]);
                    let mut ends: Vec<Option<Vec<Local>>> = breaks.into_iter().map(Some).collect();
                    ends.push(Some(entry.clone()));
                    self.merge(ends, entry);
                    Expr::new(ExprKind::While(label, conds, body), Some(Ty::Unit))
                };
                self.scope.locals[id].protected = false;
                (vec![decl], looped)
            }
            3 => {
                let counter = self.fresh("c");
                let id = self.scope.declare(&counter, Ty::I64, true, State::Init);
                self.scope.locals[id].protected = true;
                let decl = Stmt::Let {
                    pat: Pat::Bind {
                        by_ref: false,
                        mutable: true,
                        name: counter.clone(),
                    },
                    ty: Some("i64".into()),
                    init: Some(Expr::atom("0", Ty::I64)),
                    els: None,
                };
                let entry = self.scope.snapshot();
                let k = self.fresh("k");
                let k_for_body = k.clone();
                let (body, breaks) = self.loop_body(label.clone(), None, |g| {
                    g.scope.declare(&k_for_body, Ty::I64, false, State::Init);
                    Vec::new()
                });
                let mut ends: Vec<Option<Vec<Local>>> = breaks.into_iter().map(Some).collect();
                ends.push(Some(entry.clone()));
                self.merge(ends, entry);
                self.scope.locals[id].protected = false;
                let scrutinee = Expr::raw(format!("step(&mut {counter}, {limit})"));
                let pat = Pat::TupleStruct("Some".into(), vec![Pat::bind(k)]);
                let looped = Expr::new(
                    ExprKind::While(label, vec![Cond::Let(pat, scrutinee)], body),
                    Some(Ty::Unit),
                );
                (vec![decl], looped)
            }
            _ => self.for_loop(label),
        }
    }

    pub(super) fn for_loop(&mut self, label: Option<String>) -> (Vec<Stmt>, Expr) {
        // The iterable is evaluated once, before the loop.
        let (pat, iter, bindings, borrow) = match self.rng.below(6) {
            0 => {
                let i = self.fresh("i");
                let hi = self.rng.range(1, 3);
                (
                    Pat::bind(i.clone()),
                    Expr::raw(format!("0..{hi}")),
                    vec![(i, Ty::I64)],
                    None,
                )
            }
            1 => {
                let i = self.fresh("i");
                let e = self.expr(&Ty::I64);
                let hi = Expr::call("ix", vec![e], Ty::Usize);
                let range = Expr::new(
                    ExprKind::Range(Box::new(Expr::raw("0")), Box::new(hi)),
                    None,
                );
                (Pat::bind(i.clone()), range, vec![(i, Ty::Usize)], None)
            }
            2 => {
                let d = self.fresh("d");
                let v = self.expr(&Ty::VecD);
                (Pat::bind(d.clone()), v, vec![(d, Ty::D)], None)
            }
            3 => {
                let x = self.fresh("x");
                let arr = self.expr(&Ty::Arr);
                (Pat::bind(x.clone()), arr, vec![(x, Ty::I64)], None)
            }
            4 => {
                let (x, i) = (self.fresh("x"), self.fresh("i"));
                match self.take_place(&|t| matches!(t, Ty::Arr | Ty::VecI), Use::Read) {
                    Some((place, e)) => {
                        let iter = Expr::method(
                            Expr::method(e, "iter", vec![], Ty::Unit),
                            "enumerate",
                            vec![],
                            Ty::Unit,
                        );
                        (
                            Pat::Tuple(vec![Pat::bind(i.clone()), Pat::bind(x.clone())]),
                            iter,
                            vec![(i, Ty::Usize), (x, Ty::Ref(Box::new(Ty::I64)))],
                            Some(Borrow {
                                of: place.root,
                                kind: BorrowKind::Shared,
                            }),
                        )
                    }
                    None => (Pat::Wild, Expr::raw("0..1"), vec![], None),
                }
            }
            _ => {
                let x = self.fresh("x");
                match self.take_place(&|t| matches!(t, Ty::Arr | Ty::VecI), Use::Mutate) {
                    Some((place, e)) => (
                        Pat::bind(x.clone()),
                        Expr::method(e, "iter_mut", vec![], Ty::Unit),
                        vec![(x, Ty::RefMut(Box::new(Ty::I64)))],
                        Some(Borrow {
                            of: place.root,
                            kind: BorrowKind::Mut,
                        }),
                    ),
                    None => (Pat::Wild, Expr::raw("0..1"), vec![], None),
                }
            }
        };
        let entry = self.scope.snapshot();
        self.scope.inflight.extend(borrow);
        let (body, breaks) = self.loop_body(label.clone(), None, |g| {
            for (name, ty) in &bindings {
                let mutable = *ty == Ty::D && g.rng.chance(20);
                g.scope.declare(name, ty.clone(), mutable, State::Init);
            }
            Vec::new()
        });
        if borrow.is_some() {
            self.scope.inflight.pop();
        }
        let mut ends: Vec<Option<Vec<Local>>> = breaks.into_iter().map(Some).collect();
        ends.push(Some(entry.clone()));
        self.merge(ends, entry);
        let looped = Expr::new(
            ExprKind::For(label, pat, Box::new(iter), body),
            Some(Ty::Unit),
        );
        (Vec::new(), looped)
    }

    /// Generates a loop body: `head` declares the loop's bindings and
    /// returns its first statements; then a few statements. Returns the
    /// body and the locals' states at each `break` out of it.
    pub(super) fn loop_body(
        &mut self,
        label: Option<String>,
        value: Option<Ty>,
        head: impl FnOnce(&mut Gen) -> Vec<Stmt>,
    ) -> (Block, Vec<Vec<Local>>) {
        self.loops.push(LoopCtx {
            label,
            value,
            breaks: Vec::new(),
            frame: self.scope.frames.len(),
        });
        self.scope.loop_depth += 1;
        let mark = self.scope.locals.len();
        let mut stmts = head(self);
        for _ in 0..self.rng.range(1, 3) {
            if self.diverged || self.fuel <= 0 {
                break;
            }
            stmts.extend(self.stmt());
        }
        self.scope.close(mark);
        self.scope.loop_depth -= 1;
        let ctx = self.loops.pop().expect("pushed above");
        self.diverged = false;
        (Block { stmts, tail: None }, ctx.breaks)
    }

    /// `break` (with the loop's value) out of the innermost loop, as a block.
    pub(super) fn break_to_innermost(&mut self) -> Block {
        let target = self.loops.len() - 1;
        let stmt = self.jump(target, true);
        self.diverged = false;
        Block {
            stmts: vec![stmt],
            tail: None,
        }
    }

    /// `break`/`continue` to loop `target`, recording the state for a break.
    pub(super) fn jump(&mut self, target: usize, is_break: bool) -> Stmt {
        let innermost = target + 1 == self.loops.len();
        let label = match &self.loops[target].label {
            Some(l) if !innermost || self.rng.chance(60) => Some(l.clone()),
            _ => None,
        };
        let e = if is_break {
            let value = self.loops[target]
                .value
                .clone()
                .map(|ty| Box::new(self.expr(&ty)));
            if !self.diverged {
                let state = self.scope.snapshot();
                self.loops[target].breaks.push(state);
            }
            Expr::new(ExprKind::Break(label, value), Some(Ty::Never))
        } else {
            Expr::new(ExprKind::Continue(label), Some(Ty::Never))
        };
        self.diverged = true;
        Stmt::Expr(e, true)
    }
}
