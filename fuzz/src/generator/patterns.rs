//! Patterns: destructuring `let`s (tuples, `P { .. }` with `ref`, `ref
//! mut`, renaming and `..`, arrays, `_`), `let .. else` with its diverging
//! block, and `match` scrutinees with their arms (literals, ranges,
//! or-patterns, bindings with guards, and arms that make it exhaustive).

use super::Gen;
use super::scope::{State, Use};
use crate::ast::{Block, Expr, ExprKind, Pat, Stmt};
use crate::ty::Ty;

impl Gen {
    /// The scrutinee of a `match` and the kind of patterns it takes.
    pub(super) fn scrutinee(&mut self) -> (Expr, Scrutinee) {
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
    pub(super) fn arm_pattern(&mut self, kind: Scrutinee) -> ArmShape {
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
                        Pat::Struct(
                            "D".into(),
                            vec![("n".into(), Pat::Lit(k.to_string()))],
                            true,
                        ),
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
    pub(super) fn final_arms(&mut self, kind: Scrutinee) -> Vec<ArmShape> {
        if self.rng.chance(30) {
            return vec![(Pat::Wild, vec![], false)];
        }
        let n = self.fresh("n");
        match kind {
            Scrutinee::Int => vec![(Pat::bind(n.clone()), vec![(n, Ty::I64)], false)],
            Scrutinee::Opt => vec![
                (
                    Pat::TupleStruct("Some".into(), vec![Pat::bind(n.clone())]),
                    vec![(n, Ty::I64)],
                    false,
                ),
                (Pat::Lit("None".into()), vec![], false),
            ],
            Scrutinee::Res => {
                let e = self.fresh("s");
                vec![
                    (
                        Pat::TupleStruct("Ok".into(), vec![Pat::bind(n.clone())]),
                        vec![(n, Ty::I64)],
                        false,
                    ),
                    (
                        Pat::TupleStruct("Err".into(), vec![Pat::bind(e.clone())]),
                        vec![(e, Ty::Str)],
                        false,
                    ),
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

    /// Patterns: tuples, `P { .. }` (with `ref`, renaming, `..`), arrays, `_`.
    pub(super) fn destructuring_let(&mut self) -> Stmt {
        let (init, pat, bindings) = match self.rng.below(4) {
            0 => {
                let init = self.expr(&Ty::Pair);
                let (d, n) = (self.fresh("d"), self.fresh("n"));
                match self.rng.below(4) {
                    0 => (
                        init,
                        Pat::Tuple(vec![Pat::bind(d.clone()), Pat::bind(n.clone())]),
                        vec![(d, Ty::D, false), (n, Ty::I64, false)],
                    ),
                    1 => (
                        init,
                        Pat::Tuple(vec![
                            Pat::Bind {
                                by_ref: true,
                                mutable: false,
                                name: d.clone(),
                            },
                            Pat::bind(n.clone()),
                        ]),
                        vec![(d, Ty::Ref(Box::new(Ty::D)), false), (n, Ty::I64, false)],
                    ),
                    2 => (
                        init,
                        Pat::Tuple(vec![Pat::Wild, Pat::bind(n.clone())]),
                        vec![(n, Ty::I64, false)],
                    ),
                    _ => (
                        init,
                        Pat::Tuple(vec![
                            Pat::Bind {
                                by_ref: false,
                                mutable: true,
                                name: d.clone(),
                            },
                            Pat::Wild,
                        ]),
                        vec![(d, Ty::D, true)],
                    ),
                }
            }
            1 => {
                let init = self.expr(&Ty::P);
                // Field names as bindings print as shorthand (`P { a, b, .. }`),
                // shadowing any earlier `a`.
                let (a, b, k) = if self.rng.chance(30) {
                    ("a".to_string(), "b".to_string(), "k".to_string())
                } else {
                    (self.fresh("d"), self.fresh("d"), self.fresh("n"))
                };
                match self.rng.below(4) {
                    0 => (
                        init,
                        Pat::Struct(
                            "P".into(),
                            vec![
                                ("a".into(), Pat::bind(a.clone())),
                                ("b".into(), Pat::bind(b.clone())),
                                ("k".into(), Pat::bind(k.clone())),
                            ],
                            false,
                        ),
                        vec![(a, Ty::D, false), (b, Ty::D, false), (k, Ty::I64, false)],
                    ),
                    1 => (
                        init,
                        Pat::Struct("P".into(), vec![("a".into(), Pat::bind(a.clone()))], true),
                        vec![(a, Ty::D, false)],
                    ),
                    2 => (
                        init,
                        Pat::Struct(
                            "P".into(),
                            vec![
                                (
                                    "b".into(),
                                    Pat::Bind {
                                        by_ref: true,
                                        mutable: false,
                                        name: b.clone(),
                                    },
                                ),
                                ("k".into(), Pat::bind(k.clone())),
                            ],
                            true,
                        ),
                        vec![(b, Ty::Ref(Box::new(Ty::D)), false), (k, Ty::I64, false)],
                    ),
                    _ => (
                        init,
                        Pat::Struct(
                            "P".into(),
                            vec![(
                                "a".into(),
                                Pat::Bind {
                                    by_ref: true,
                                    mutable: true,
                                    name: a.clone(),
                                },
                            )],
                            true,
                        ),
                        vec![(a, Ty::RefMut(Box::new(Ty::D)), false)],
                    ),
                }
            }
            2 => {
                let init = self.expr(&Ty::Arr);
                let (x, y, z) = (self.fresh("n"), self.fresh("n"), self.fresh("n"));
                match self.rng.below(3) {
                    0 => (
                        init,
                        Pat::Slice(vec![
                            Pat::bind(x.clone()),
                            Pat::bind(y.clone()),
                            Pat::bind(z.clone()),
                        ]),
                        vec![
                            (x, Ty::I64, false),
                            (y, Ty::I64, false),
                            (z, Ty::I64, false),
                        ],
                    ),
                    1 => (
                        init,
                        Pat::Slice(vec![Pat::bind(x.clone()), Pat::Rest]),
                        vec![(x, Ty::I64, false)],
                    ),
                    _ => (
                        init,
                        Pat::Slice(vec![
                            Pat::Wild,
                            Pat::Bind {
                                by_ref: false,
                                mutable: true,
                                name: y.clone(),
                            },
                            Pat::Wild,
                        ]),
                        vec![(y, Ty::I64, true)],
                    ),
                }
            }
            _ => {
                let items = self.operands(&[Ty::I64, Ty::D]);
                let init = Expr::new(ExprKind::Tuple(items), Some(Ty::Pair));
                let (n, d) = (self.fresh("n"), self.fresh("d"));
                (
                    init,
                    Pat::Tuple(vec![Pat::bind(n.clone()), Pat::bind(d.clone())]),
                    vec![(n, Ty::I64, false), (d, Ty::D, false)],
                )
            }
        };
        // A `ref mut` binding needs a mutable place; the initializer is a value here.
        for (name, ty, mutable) in bindings {
            self.scope.declare(&name, ty, mutable, State::Init);
        }
        Stmt::Let {
            pat,
            ty: None,
            init: Some(init),
            els: None,
        }
    }

    /// `let P { a, .. } = pp;`, `let (d, _) = t;`, `let S { d, .. } = self;`:
    /// a pattern that moves one field out of a local and leaves the others,
    /// one of which is used after a later await.
    pub(super) fn partial_destructure(&mut self) -> Vec<Stmt> {
        if !self.scope.frames.is_empty() {
            return vec![self.destructuring_let()];
        }
        let mut stmts = Vec::new();
        let mut candidates = self.partly_movable();
        if candidates.is_empty() || self.rng.chance(30) {
            // A local of its own to take apart.
            let ty = if self.rng.chance(70) { Ty::P } else { Ty::Pair };
            stmts.push(self.let_of(ty));
            let id = self.scope.locals.len() - 1;
            let field = if self.scope.locals[id].ty == Ty::Pair {
                "0"
            } else {
                "a"
            };
            if self.diverged || !self.scope.can_field(id, field, Use::Move) {
                return stmts;
            }
            candidates = vec![(id, field)];
        }
        let (id, field) = *self.rng.pick(&candidates);
        self.partial_destructure_of(id, field, stmts)
    }

    /// The fields of locals that a pattern may move out here.
    fn partly_movable(&self) -> Vec<(usize, &'static str)> {
        let mut candidates = Vec::new();
        for id in 0..self.scope.locals.len() {
            let fields: &[&'static str] = match self.scope.locals[id].ty {
                Ty::P => &["a", "b"],
                Ty::Pair => &["0"],
                Ty::S => &["d"],
                _ => &[],
            };
            for &f in fields {
                if self.scope.can_field(id, f, Use::Move) {
                    candidates.push((id, f));
                }
            }
        }
        candidates
    }

    fn partial_destructure_of(
        &mut self,
        id: usize,
        field: &'static str,
        mut stmts: Vec<Stmt>,
    ) -> Vec<Stmt> {
        let local = self.scope.locals[id].name.clone();
        let bind = if field != "0" && self.rng.chance(30) {
            field.to_string()
        } else {
            self.fresh("d")
        };
        let (pat, rest) = match self.scope.locals[id].ty {
            Ty::Pair => (Pat::Tuple(vec![Pat::bind(bind.clone()), Pat::Wild]), "1"),
            Ty::S => (
                Pat::Struct(
                    "S".into(),
                    vec![("d".into(), Pat::bind(bind.clone()))],
                    true,
                ),
                "k",
            ),
            _ => {
                let mut fields = vec![(field.to_string(), Pat::bind(bind.clone()))];
                let other = if field == "a" { "b" } else { "a" };
                let copies_k = self.rng.chance(30) && self.scope.can_field(id, "k", Use::Read);
                let k = self.fresh("n");
                if copies_k {
                    fields.push(("k".into(), Pat::bind(k.clone())));
                }
                let rest = if self.rng.chance(50) && self.scope.can_field(id, other, Use::Read) {
                    other
                } else {
                    "k"
                };
                self.scope.move_field(id, field);
                if copies_k {
                    self.scope.declare(&k, Ty::I64, false, State::Init);
                }
                (Pat::Struct("P".into(), fields, true), rest)
            }
        };
        if !self.scope.locals[id].moved_fields.contains(&field) {
            self.scope.move_field(id, field);
        }
        self.scope.declare(&bind, Ty::D, false, State::Init);
        stmts.push(Stmt::Let {
            pat,
            ty: None,
            init: Some(Expr::raw(local.clone())),
            els: None,
        });
        stmts.push(self.await_stmt());
        if self.diverged || !self.scope.can_field(id, rest, Use::Read) {
            return stmts;
        }
        let read = Expr::new(
            ExprKind::Field(Box::new(Expr::raw(local)), rest.into()),
            Some(if rest == "b" { Ty::D } else { Ty::I64 }),
        );
        let e = if rest == "b" {
            if self.scope.can_field(id, "b", Use::Move) && self.rng.chance(40) {
                self.scope.move_field(id, "b");
                Expr::method(read, "consume", vec![], Ty::I64)
            } else {
                Expr::method(read, "n", vec![], Ty::I64)
            }
        } else {
            read
        };
        stmts.push(Stmt::Expr(Expr::call("log_i", vec![e], Ty::Unit), true));
        stmts
    }

    /// `let Some(n) = .. else { ..; return/break/continue/panic };`
    pub(super) fn let_else(&mut self) -> Stmt {
        let (init, pat, binding) = match self.rng.below(3) {
            0 => {
                let n = self.fresh("n");
                (
                    self.expr(&Ty::OptI),
                    Pat::TupleStruct("Some".into(), vec![Pat::bind(n.clone())]),
                    (n, Ty::I64),
                )
            }
            1 => {
                let n = self.fresh("n");
                (
                    self.expr(&Ty::ResI),
                    Pat::TupleStruct("Ok".into(), vec![Pat::bind(n.clone())]),
                    (n, Ty::I64),
                )
            }
            _ => {
                let d = self.fresh("d");
                let k = self.small();
                (
                    self.expr(&Ty::Pair),
                    Pat::Tuple(vec![Pat::bind(d.clone()), Pat::Lit(format!("0..={k}"))]),
                    (d, Ty::D),
                )
            }
        };
        let els = self.diverging_block();
        self.scope
            .declare(&binding.0, binding.1, false, State::Init);
        Stmt::Let {
            pat,
            ty: None,
            init: Some(init),
            els: Some(els),
        }
    }

    /// A block that never ends normally (a `let .. else` block).
    pub(super) fn diverging_block(&mut self) -> Block {
        let start = self.scope.snapshot();
        let mut stmts = Vec::new();
        if self.rng.chance(40) {
            stmts.extend(self.stmt());
        }
        if !self.diverged {
            stmts.push(self.exit());
        }
        self.scope.restore(start);
        self.diverged = false;
        Block { stmts, tail: None }
    }

    /// `return v`, `break`/`continue` to a reachable loop, or (rarely) `panic!`.
    pub(super) fn exit(&mut self) -> Stmt {
        let loops = self.reachable_loops();
        let choice = if !loops.is_empty() && (self.rng.chance(50) || !self.in_fn_frame()) {
            0
        } else if self.in_fn_frame() && !self.rng.chance(5) {
            1
        } else {
            2
        };
        match choice {
            0 => {
                let target = *self.rng.pick(&loops);
                let is_break = self.rng.chance(60);
                self.jump(target, is_break)
            }
            1 => {
                let value = (self.ret != Ty::Unit).then(|| {
                    let ret = self.ret.clone();
                    Box::new(self.expr(&ret))
                });
                self.diverged = true;
                Stmt::Expr(Expr::new(ExprKind::Return(value), Some(Ty::Never)), true)
            }
            _ => {
                let e = self.expr(&Ty::I64);
                self.diverged = true;
                Stmt::Expr(
                    Expr::new(
                        ExprKind::Macro("panic".into(), Some("\"gave up at {}\"".into()), vec![e]),
                        Some(Ty::Never),
                    ),
                    true,
                )
            }
        }
    }
}

/// An arm's pattern, the bindings it declares, and whether it gets a guard.
pub(super) type ArmShape = (Pat, Vec<(String, Ty)>, bool);

/// What a `match` scrutinee is, for its patterns.
#[derive(Debug, Clone, Copy)]
pub(super) enum Scrutinee {
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
