//! Control flow: `if`/`else` (with `if let` and let chains), `match` (with
//! guards and `if let` guards), blocks, and loops (`loop` with `break`
//! values, `while`, `while let`, `for`) with labels. Paths are generated
//! from the same starting state and joined where they meet: a local moved
//! on one path only is "maybe moved" afterwards.

use super::scope::{Borrow, BorrowKind, Local, Scope, State, Use};
use super::{Edition, Gen, LoopCtx};
use crate::ast::{Arm, Block, Cond, Expr, ExprKind, Pat, Stmt};
use crate::ty::Ty;

impl Gen {
    /// An `if`, `match`, block or `loop` producing `ty`.
    pub(super) fn control_value(&mut self, ty: &Ty) -> Option<Expr> {
        Some(match self.rng.below(7) {
            0..=2 => self.if_expr(ty),
            3 | 4 => self.match_expr(ty),
            5 => Expr::block(self.block_of(ty, false), None),
            _ => {
                // `{ let mut c = 0; loop { .. } }`: the counter is the block's own.
                let mark = self.scope.locals.len();
                let (stmts, looped) = self.loop_parts(ty, 0);
                self.scope.close(mark);
                let tail = Some(Box::new(looped));
                Expr::block(Block { stmts, tail }, None)
            }
        })
    }

    /// Continues from the paths that did not diverge, joined; when all
    /// diverged, the current path has diverged too.
    pub(super) fn merge(&mut self, ends: Vec<Option<Vec<Local>>>, start: Vec<Local>) {
        let live: Vec<Vec<Local>> = ends.into_iter().flatten().collect();
        let len = start.len();
        match live.split_first() {
            None => {
                self.scope.restore(start);
                self.diverged = true;
            }
            Some((first, rest)) => {
                let joined = rest
                    .iter()
                    .fold(first[..len].to_vec(), |acc, s| Scope::join(&acc, &s[..len]));
                self.scope.restore(joined);
                self.diverged = false;
            }
        }
    }

    fn path_end(&self) -> Option<Vec<Local>> {
        (!self.diverged).then(|| self.scope.snapshot())
    }

    pub(super) fn if_expr(&mut self, ty: &Ty) -> Expr {
        let start = self.scope.snapshot();
        let mark = start.len();
        let conds = self.conds(true);
        let after_conds = self.scope.snapshot();
        let then = self.block_of(ty, false);
        self.scope.close(mark);
        let then_end = self.path_end();
        self.scope.restore(after_conds);
        self.scope.close(mark);
        self.diverged = false;
        let els = if *ty != Ty::Unit || self.rng.chance(50) {
            Some(Box::new(if self.rng.chance(20) && self.fuel > 0 {
                self.if_expr(ty)
            } else {
                Expr::block(self.block_of(ty, false), None)
            }))
        } else {
            None
        };
        let else_end = self.path_end();
        let fallback = self.scope.snapshot();
        self.merge(vec![then_end, else_end], fallback);
        Expr::new(ExprKind::If(conds, then, els), Some(ty.clone()))
    }

    /// The conditions of an `if` (or guard): a boolean, an `if let`, or a
    /// let chain (edition 2024). Bindings are declared for what follows.
    pub(super) fn conds(&mut self, allow_let: bool) -> Vec<Cond> {
        let mut conds = vec![self.cond(allow_let)];
        if allow_let && self.edition == Edition::E2024 && self.rng.chance(20) {
            self.scope.partial_paths += 1;
            for _ in 0..self.rng.range(1, 2) {
                let next = self.cond(true);
                conds.push(next);
            }
            self.scope.partial_paths -= 1;
        }
        conds
    }

    fn cond(&mut self, allow_let: bool) -> Cond {
        if !allow_let || self.rng.chance(60) {
            return Cond::Bool(self.expr(&Ty::Bool));
        }
        match self.rng.below(4) {
            0 | 1 => {
                let scrutinee = self.expr(&Ty::OptI);
                let name = self.fresh("n");
                let mutable = self.rng.chance(20);
                self.scope.declare(&name, Ty::I64, mutable, State::Init);
                let bind = Pat::Bind {
                    by_ref: false,
                    mutable,
                    name,
                };
                Cond::Let(Pat::TupleStruct("Some".into(), vec![bind]), scrutinee)
            }
            2 => {
                let scrutinee = self.expr(&Ty::ResI);
                let name = self.fresh("n");
                self.scope.declare(&name, Ty::I64, false, State::Init);
                Cond::Let(
                    Pat::TupleStruct("Ok".into(), vec![Pat::bind(name)]),
                    scrutinee,
                )
            }
            _ => {
                let scrutinee = self.expr(&Ty::Pair);
                let name = self.fresh("d");
                self.scope.declare(&name, Ty::D, false, State::Init);
                let k = self.small();
                Cond::Let(
                    Pat::Tuple(vec![Pat::bind(name), Pat::Lit(format!("0..={k}"))]),
                    scrutinee,
                )
            }
        }
    }

    pub(super) fn match_expr(&mut self, ty: &Ty) -> Expr {
        let (scrutinee, kind) = self.scrutinee();
        // A guard may not mutate what the scrutinee names.
        let named: Vec<Borrow> = named_locals(&scrutinee)
            .iter()
            .filter_map(|name| self.scope.lookup(name))
            .map(|of| Borrow { of, kind: BorrowKind::Shared })
            .collect();
        let start = self.scope.snapshot();
        let mark = start.len();
        let mut arms = Vec::new();
        let mut ends = Vec::new();
        let count = self.rng.range(1, 3) as usize;
        let mut shapes: Vec<(Pat, Vec<(String, Ty)>, bool)> = (0..count)
            .map(|_| self.arm_pattern(kind))
            .collect();
        shapes.extend(self.final_arms(kind));
        for (pat, bindings, guarded) in shapes {
            self.scope.restore(start.clone());
            self.diverged = false;
            for (name, bty) in &bindings {
                self.scope.declare(name, bty.clone(), false, State::Init);
            }
            let mark_inflight = self.scope.inflight.len();
            self.scope.inflight.extend(named.iter().copied());
            let guard = if guarded { self.guard() } else { Vec::new() };
            self.scope.inflight.truncate(mark_inflight);
            let body = if *ty == Ty::Unit {
                Expr::block(self.block_of(ty, false), None)
            } else if self.rng.chance(25) {
                Expr::block(self.block_of(ty, false), None)
            } else {
                self.expr(ty)
            };
            self.scope.close(mark);
            ends.push(self.path_end());
            arms.push(Arm { pat, guard, body });
        }
        self.merge(ends, start);
        Expr::new(
            ExprKind::Match(Box::new(scrutinee), arms),
            Some(ty.clone()),
        )
    }

    /// A guard: a condition on the bindings (maybe awaiting), or an `if let`
    /// guard. A guard may not move anything; one that does is dropped.
    fn guard(&mut self) -> Vec<Cond> {
        let before = self.scope.snapshot();
        self.scope.partial_paths += 1;
        let conds = self.conds(true);
        self.scope.partial_paths -= 1;
        let moved = self
            .scope
            .locals
            .iter()
            .zip(&before)
            .any(|(now, was)| now.state != was.state || now.moved_fields != was.moved_fields);
        if moved || self.diverged {
            self.diverged = false;
            self.scope.restore(before);
            return vec![Cond::Bool(self.literal(&Ty::Bool))];
        }
        conds
    }

    /// The scrutinee of a `match` and the kind of patterns it takes.
    fn scrutinee(&mut self) -> (Expr, Scrutinee) {
        match self.rng.below(8) {
            0..=2 => (self.expr(&Ty::I64), Scrutinee::Int),
            3 => (self.expr(&Ty::OptI), Scrutinee::Opt),
            4 => (self.expr(&Ty::ResI), Scrutinee::Res),
            5 => {
                let items = self.operands(&[Ty::I64, Ty::I64]);
                (Expr::new(ExprKind::Tuple(items), None), Scrutinee::Two)
            }
            6 => (self.expr(&Ty::Pair), Scrutinee::Pair),
            _ => {
                let k = self.expr(&Ty::I64);
                let name = self.leaf("m");
                (
                    Expr::call("mk", vec![Expr::raw(name), k], Ty::D),
                    Scrutinee::D,
                )
            }
        }
    }

    /// A pattern that may not match, its bindings, and whether it gets a guard.
    fn arm_pattern(&mut self, kind: Scrutinee) -> (Pat, Vec<(String, Ty)>, bool) {
        let k = self.small();
        let guarded = self.rng.chance(40);
        match kind {
            Scrutinee::Int => match self.rng.below(4) {
                0 => (Pat::Lit(k.to_string()), vec![], guarded),
                1 => (
                    Pat::Or(vec![Pat::Lit(k.to_string()), Pat::Lit((k + 2).to_string())]),
                    vec![],
                    guarded,
                ),
                2 => (Pat::Lit(format!("{k}..={}", k + 3)), vec![], guarded),
                _ => {
                    let n = self.fresh("n");
                    (Pat::bind(n.clone()), vec![(n, Ty::I64)], true)
                }
            },
            Scrutinee::Opt => {
                if self.rng.chance(50) {
                    let lit = Pat::Lit(k.to_string());
                    (Pat::TupleStruct("Some".into(), vec![lit]), vec![], guarded)
                } else {
                    let n = self.fresh("n");
                    let bind = Pat::bind(n.clone());
                    (
                        Pat::TupleStruct("Some".into(), vec![bind]),
                        vec![(n, Ty::I64)],
                        true,
                    )
                }
            }
            Scrutinee::Res => {
                if self.rng.chance(50) {
                    let n = self.fresh("n");
                    let bind = Pat::bind(n.clone());
                    (
                        Pat::TupleStruct("Ok".into(), vec![bind]),
                        vec![(n, Ty::I64)],
                        true,
                    )
                } else {
                    let e = self.fresh("s");
                    let bind = Pat::bind(e.clone());
                    (
                        Pat::TupleStruct("Err".into(), vec![bind]),
                        vec![(e, Ty::Str)],
                        true,
                    )
                }
            }
            Scrutinee::Two => {
                let (a, b) = (self.fresh("n"), self.fresh("n"));
                if self.rng.chance(50) {
                    (
                        Pat::Tuple(vec![Pat::Lit(k.to_string()), Pat::Wild]),
                        vec![],
                        guarded,
                    )
                } else {
                    (
                        Pat::Tuple(vec![Pat::bind(a.clone()), Pat::bind(b.clone())]),
                        vec![(a, Ty::I64), (b, Ty::I64)],
                        true,
                    )
                }
            }
            Scrutinee::Pair => {
                let d = self.fresh("d");
                if self.rng.chance(50) {
                    let by_ref = Pat::Bind {
                        by_ref: true,
                        mutable: false,
                        name: d.clone(),
                    };
                    (
                        Pat::Tuple(vec![by_ref, Pat::Lit(format!("0..={k}"))]),
                        vec![(d, Ty::Ref(Box::new(Ty::D)))],
                        guarded,
                    )
                } else {
                    (
                        Pat::Tuple(vec![Pat::bind(d.clone()), Pat::Lit(k.to_string())]),
                        vec![(d, Ty::D)],
                        guarded,
                    )
                }
            }
            Scrutinee::D => {
                let n = self.fresh("n");
                if self.rng.chance(50) {
                    (
                        Pat::Struct("D".into(), vec![("n".into(), Pat::Lit(k.to_string()))], true),
                        vec![],
                        guarded,
                    )
                } else {
                    (
                        Pat::Struct("D".into(), vec![("n".into(), Pat::bind(n.clone()))], true),
                        vec![(n, Ty::I64)],
                        true,
                    )
                }
            }
        }
    }

    /// Arms that make the match exhaustive.
    fn final_arms(&mut self, kind: Scrutinee) -> Vec<(Pat, Vec<(String, Ty)>, bool)> {
        if self.rng.chance(30) {
            return vec![(Pat::Wild, vec![], false)];
        }
        let n = self.fresh("n");
        match kind {
            Scrutinee::Int => vec![(Pat::bind(n.clone()), vec![(n, Ty::I64)], false)],
            Scrutinee::Opt => vec![
                (Pat::TupleStruct("Some".into(), vec![Pat::bind(n.clone())]), vec![(n, Ty::I64)], false),
                (Pat::Lit("None".into()), vec![], false),
            ],
            Scrutinee::Res => {
                let e = self.fresh("s");
                vec![
                    (Pat::TupleStruct("Ok".into(), vec![Pat::bind(n.clone())]), vec![(n, Ty::I64)], false),
                    (Pat::TupleStruct("Err".into(), vec![Pat::bind(e.clone())]), vec![(e, Ty::Str)], false),
                ]
            }
            Scrutinee::Two => {
                let m = self.fresh("n");
                vec![(
                    Pat::Tuple(vec![Pat::bind(n.clone()), Pat::bind(m.clone())]),
                    vec![(n, Ty::I64), (m, Ty::I64)],
                    false,
                )]
            }
            Scrutinee::Pair => {
                let d = self.fresh("d");
                vec![(
                    Pat::Tuple(vec![Pat::bind(d.clone()), Pat::bind(n.clone())]),
                    vec![(d, Ty::D), (n, Ty::I64)],
                    false,
                )]
            }
            Scrutinee::D => vec![(
                Pat::Struct("D".into(), vec![("n".into(), Pat::bind(n.clone()))], true),
                vec![(n, Ty::I64)],
                false,
            )],
        }
    }

    fn label(&mut self) -> Option<String> {
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

    fn for_loop(&mut self, label: Option<String>) -> (Vec<Stmt>, Expr) {
        // The iterable is evaluated once, before the loop.
        let (pat, iter, bindings, borrow) = match self.rng.below(6) {
            0 => {
                let i = self.fresh("i");
                let hi = self.rng.range(1, 3);
                (Pat::bind(i.clone()), Expr::raw(format!("0..{hi}")), vec![(i, Ty::I64)], None)
            }
            1 => {
                let i = self.fresh("i");
                let e = self.expr(&Ty::I64);
                let hi = Expr::call("ix", vec![e], Ty::Usize);
                let range = Expr::new(ExprKind::Range(Box::new(Expr::raw("0")), Box::new(hi)), None);
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
                            Some(Borrow { of: place.root, kind: BorrowKind::Shared }),
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
                        Some(Borrow { of: place.root, kind: BorrowKind::Mut }),
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
        let looped = Expr::new(ExprKind::For(label, pat, Box::new(iter), body), Some(Ty::Unit));
        (Vec::new(), looped)
    }

    /// Generates a loop body: `head` declares the loop's bindings and
    /// returns its first statements; then a few statements. Returns the
    /// body and the locals' states at each `break` out of it.
    fn loop_body(
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
    fn break_to_innermost(&mut self) -> Block {
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

/// What a `match` scrutinee is, for its patterns.
#[derive(Debug, Clone, Copy)]
enum Scrutinee {
    Int,
    Opt,
    Res,
    /// `(i64, i64)`
    Two,
    /// `(D, i64)`
    Pair,
    /// A temporary `D`.
    D,
}

/// The names of locals an expression mentions (its atoms that are names).
fn named_locals(e: &Expr) -> Vec<String> {
    let mut names = Vec::new();
    crate::visit::walk_expr(e, &mut |e| {
        if let ExprKind::Atom(text) = &e.kind
            && text.starts_with(|c: char| c.is_ascii_lowercase())
            && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            names.push(text.clone());
        }
    });
    names
}
