//! Values other than `i64`: literals (every type's fallback), booleans
//! (comparisons, short-circuits, `matches!`), unit, and the aggregate and
//! owned types (`D`, `P`, pairs, arrays, vectors, `Option`, `Result`,
//! `String`), each from a constructor, a moved local, an await or a branch.

use super::scope::{Borrow, BorrowKind, Use};
use super::{Gen, Grammar};
use crate::ast::{Expr, ExprKind};
use crate::ty::Ty;

impl Gen {
    /// The fallback of every value type: a literal or constructor.
    pub(super) fn literal(&mut self, ty: &Ty) -> Expr {
        let k = self.small();
        let text = match ty {
            Ty::I64 => k.to_string(),
            Ty::Usize => format!("{k}usize"),
            Ty::Bool => (k % 2 == 0).to_string(),
            Ty::Unit => "()".into(),
            Ty::D => format!("mk({}, {k})", self.leaf("d")),
            Ty::P => format!("p({}, {k})", self.leaf("p")),
            Ty::Pair => format!("(mk({}, {k}), {k})", self.leaf("t")),
            Ty::Arr => format!("[{k}, {}, {}]", k + 1, k + 2),
            Ty::VecI => format!("vec![{k}]"),
            Ty::VecD => format!("vec![mk({}, {k})]", self.leaf("v")),
            Ty::OptI => format!("Some({k})"),
            Ty::ResI => format!("ok({k})"),
            Ty::Str => format!("String::from(\"s{k}\")"),
            Ty::Src => format!("Src::new({})", self.leaf("src")),
            Ty::S => format!("S::new({}, {k})", self.leaf("s")),
            Ty::Guard => format!("guard({}, {k})", self.leaf("g")),
            Ty::Lease => format!("lease({}, p({}, {k}))", self.leaf("h"), self.leaf("p")),
            other => panic!("no literal of {other:?}"),
        };
        Expr::atom(text, ty.clone())
    }

    pub(super) fn boolean(&mut self, grow: bool) -> Option<Expr> {
        if !grow {
            return if self.rng.chance(50) {
                Some(self.literal(&Ty::Bool))
            } else {
                self.take_place(&|t| *t == Ty::Bool, Use::Read).map(|p| p.1)
            };
        }
        let weights = [1, 2, 8, 1, 3, 1, 2, 1, 2, 1];
        match self.rng.weighted(&weights)? {
            0 => Some(self.literal(&Ty::Bool)),
            1 => self.take_place(&|t| *t == Ty::Bool, Use::Read).map(|p| p.1),
            2 => {
                let op = *self.rng.pick(&["<", "<=", "==", "!=", ">", ">="]);
                let args = self.operands(&[Ty::I64, Ty::I64]);
                let mut args = args.into_iter();
                let (l, r) = (args.next()?, args.next()?);
                Some(Expr::binary(l, op, r, Ty::Bool))
            }
            3 => Some(Expr::unary("!", self.expr(&Ty::Bool), Some(Ty::Bool))),
            4 => {
                // The right operand runs on some paths only.
                let op = *self.rng.pick(&["&&", "||"]);
                let left = self.expr(&Ty::Bool);
                let right = self.maybe_runs(|g| g.expr(&Ty::Bool));
                Some(Expr::binary(left, op, right, Ty::Bool))
            }
            5 => {
                let e = self.expr(&Ty::I64);
                let pattern = Expr::raw("1..=3 | 7");
                Some(Expr::new(
                    ExprKind::Macro("matches".into(), None, vec![e, pattern]),
                    Some(Ty::Bool),
                ))
            }
            6 => {
                let e = self.expr(&Ty::I64);
                Some(Expr::call("is_even", vec![e], Ty::Bool))
            }
            7 => {
                let o = self.expr(&Ty::OptI);
                Some(Expr::method(o, "is_some", vec![], Ty::Bool))
            }
            8 => self.awaited(&Ty::Bool),
            _ => self.control_value(&Ty::Bool),
        }
    }

    pub(super) fn unit(&mut self, grow: bool) -> Option<Expr> {
        if !grow {
            return Some(Expr::atom("()", Ty::Unit));
        }
        match self.rng.below(5) {
            0 => Some(Expr::atom("()", Ty::Unit)),
            1 => {
                let e = self.expr(&Ty::I64);
                Some(Expr::call("log_i", vec![e], Ty::Unit))
            }
            2 => {
                if !self.can_await() {
                    return None;
                }
                let tick = Expr::call(
                    "tick",
                    vec![Expr::raw(self.leaf("tick")), Expr::raw(self.pendings())],
                    Ty::Future(Box::new(Ty::Unit)),
                );
                Some(Expr::await_(tick, Ty::Unit))
            }
            3 => {
                let d = self.move_out(&Ty::D)?;
                Some(Expr::call("drop", vec![d], Ty::Unit))
            }
            _ => self.control_value(&Ty::Unit),
        }
    }

    pub(super) fn other_value(&mut self, ty: &Ty, grow: bool) -> Option<Expr> {
        if !grow {
            return if self.rng.chance(50) && !matches!(ty, Ty::Src | Ty::S) {
                self.move_out(ty)
            } else {
                Some(self.literal(ty))
            };
        }
        // Common to every type: move a local, await one, or branch.
        match self.rng.below(10) {
            0 | 1 => return self.move_out(ty),
            2 if !matches!(ty, Ty::Src | Ty::S) => return self.awaited(ty),
            3 if !matches!(ty, Ty::Src | Ty::S) => return self.control_value(ty),
            _ => {}
        }
        // Operands are generated in the order they are evaluated.
        Some(match ty {
            Ty::D => match self.rng.below(4 + self.crates_weight(1) as usize) {
                4 => self.guard_ready()?,
                0 => {
                    let inner = self.expr(&Ty::D);
                    let k = self.expr(&Ty::I64);
                    Expr::method(inner, "with", vec![k], Ty::D)
                }
                1 => {
                    let (place, d) = self.take_place(&|t| *t == Ty::D, Use::Mutate)?;
                    self.scope.inflight.push(Borrow {
                        of: place.root,
                        kind: BorrowKind::Mut,
                    });
                    let value = self.expr(&Ty::D);
                    self.scope.inflight.pop();
                    Expr::call(
                        "std::mem::replace",
                        vec![Expr::unary("&mut ", d, None), value],
                        Ty::D,
                    )
                }
                _ => {
                    let k = self.expr(&Ty::I64);
                    Expr::call("mk", vec![Expr::raw(self.leaf("d")), k], Ty::D)
                }
            },
            Ty::P => {
                if self.grammar == Grammar::Crates && self.rng.chance(15) {
                    self.lease_into_inner()?
                } else if self.rng.chance(50) {
                    self.struct_p()
                } else {
                    let k = self.expr(&Ty::I64);
                    Expr::call("p", vec![Expr::raw(self.leaf("p")), k], Ty::P)
                }
            }
            Ty::Pair => {
                let items = self.operands(&[Ty::D, Ty::I64]);
                Expr::new(ExprKind::Tuple(items), Some(Ty::Pair))
            }
            Ty::Arr => {
                let items = self.operands(&[Ty::I64, Ty::I64, Ty::I64]);
                Expr::new(ExprKind::Array(items), Some(Ty::Arr))
            }
            Ty::VecI => match self.rng.below(3) {
                0 => {
                    let v = self.take_place(&|t| *t == Ty::VecI, Use::Read)?.1;
                    Expr::method(v, "clone", vec![], Ty::VecI)
                }
                _ => {
                    let items = self.operands(&[Ty::I64, Ty::I64]);
                    Expr::new(ExprKind::Macro("vec".into(), None, items), Some(Ty::VecI))
                }
            },
            Ty::VecD => {
                let a = self.expr(&Ty::D);
                Expr::new(ExprKind::Macro("vec".into(), None, vec![a]), Some(Ty::VecD))
            }
            Ty::OptI => match self.rng.below(3) {
                0 => Expr::call("Some", vec![self.expr(&Ty::I64)], Ty::OptI),
                1 => Expr::call("checked", vec![self.expr(&Ty::I64)], Ty::OptI),
                _ => {
                    let o = self.expr(&Ty::OptI);
                    let alt = Expr::call("Some", vec![self.expr(&Ty::I64)], Ty::OptI);
                    Expr::method(o, "or", vec![alt], Ty::OptI)
                }
            },
            Ty::ResI => {
                let f = *self.rng.pick(&["ok", "err", "res_of", "res_of"]);
                Expr::call(f, vec![self.expr(&Ty::I64)], Ty::ResI)
            }
            Ty::Str => {
                if self.rng.chance(30) {
                    let s = self.take_place(&|t| *t == Ty::Str, Use::Read)?.1;
                    Expr::method(s, "clone", vec![], Ty::Str)
                } else {
                    let args = self.operands(&[Ty::I64, Ty::I64]);
                    Expr::new(
                        ExprKind::Macro("format".into(), Some("\"{}:{}\"".into()), args),
                        Some(Ty::Str),
                    )
                }
            }
            Ty::Guard => self.guard_value(),
            Ty::Lease => {
                let inner = self.expr(&Ty::P);
                Expr::call("lease", vec![Expr::raw(self.leaf("h")), inner], Ty::Lease)
            }
            _ => self.literal(ty),
        })
    }

    /// `P { .. }` with its fields in a random order (evaluation order is
    /// the written order; drop order the declared one).
    pub(super) fn struct_p(&mut self) -> Expr {
        let mut names = ["a", "b", "k"];
        if self.rng.chance(50) {
            names.swap(0, 2);
        }
        if self.rng.chance(50) {
            names.swap(0, 1);
        }
        let tys: Vec<Ty> = names
            .iter()
            .map(|n| if *n == "k" { Ty::I64 } else { Ty::D })
            .collect();
        let values = self.operands(&tys);
        let fields = names.iter().map(|n| n.to_string()).zip(values).collect();
        Expr::new(ExprKind::Struct("P".into(), fields), Some(Ty::P))
    }
}
