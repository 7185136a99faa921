//! Branches: `if`/`else` (with `if let` and let chains) and `match` (with
//! guards and `if let` guards), as values or statements. Paths are
//! generated from the same starting state and joined where they meet: a
//! local moved on one path only is "maybe moved" afterwards.

use super::patterns::ArmShape;
use super::scope::{Borrow, BorrowKind, Local, Scope, State};
use super::{Edition, Gen};
use crate::ast::{Arm, Block, Cond, Expr, ExprKind, Pat};
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
            .map(|of| Borrow {
                of,
                kind: BorrowKind::Shared,
            })
            .collect();
        let start = self.scope.snapshot();
        let mark = start.len();
        let mut arms = Vec::new();
        let mut ends = Vec::new();
        let count = self.rng.range(1, 3) as usize;
        let mut shapes: Vec<ArmShape> = (0..count).map(|_| self.arm_pattern(kind)).collect();
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
            let body = if *ty == Ty::Unit || self.rng.chance(25) {
                Expr::block(self.block_of(ty, false), None)
            } else {
                self.expr(ty)
            };
            self.scope.close(mark);
            ends.push(self.path_end());
            arms.push(Arm { pat, guard, body });
        }
        self.merge(ends, start);
        Expr::new(ExprKind::Match(Box::new(scrutinee), arms), Some(ty.clone()))
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
