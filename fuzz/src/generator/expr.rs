//! `i64` expressions, where most awaits nest: operators, calls (with
//! temporaries that log their drop in operand position), methods (by
//! reference and by value), indexing, aggregate literals, macros, `?`,
//! `&`/`&mut` of places and of calls, and awaited values as receivers.

use super::Gen;
use super::scope::{Borrow, BorrowKind, LocalId, Use};
use crate::ast::{Expr, ExprKind};
use crate::ty::Ty;

impl Gen {
    pub(super) fn expr(&mut self, ty: &Ty) -> Expr {
        self.expr_held(ty).0
    }

    /// An expression of `ty` and the borrows of locals its value holds
    /// (only references and futures hold any).
    pub(super) fn expr_held(&mut self, ty: &Ty) -> (Expr, Vec<Borrow>) {
        match ty {
            Ty::Ref(target) => self.reference(target, false),
            Ty::RefMut(target) => self.reference(target, true),
            Ty::Future(out) => self.future(out),
            _ => (self.value(ty), Vec::new()),
        }
    }

    /// Operands evaluated left to right: what an earlier one borrows stays
    /// borrowed while the later ones are generated.
    pub(super) fn operands(&mut self, tys: &[Ty]) -> Vec<Expr> {
        let mark = self.scope.inflight.len();
        let mut out = Vec::new();
        for ty in tys {
            let (e, held) = self.expr_held(ty);
            self.scope.inflight.extend(held);
            out.push(e);
        }
        self.scope.inflight.truncate(mark);
        out
    }

    fn value(&mut self, ty: &Ty) -> Expr {
        let grow = self.spend();
        self.depth += 1;
        let mut found = None;
        for _ in 0..8 {
            found = match ty {
                Ty::I64 => self.int(grow),
                Ty::Bool => self.boolean(grow),
                Ty::Unit => self.unit(grow),
                other => self.other_value(other, grow),
            };
            if found.is_some() {
                break;
            }
        }
        self.depth -= 1;
        let mut e = found.unwrap_or_else(|| self.literal(ty));
        if e.ty.is_none() {
            e.ty = Some(ty.clone());
        }
        e
    }

    pub(super) fn leaf_call(&mut self, prefix: &str, value: Expr, out: &Ty) -> Expr {
        let name = self.leaf(prefix);
        let pendings = self.pendings();
        Expr::call(
            "val",
            vec![Expr::raw(name), Expr::raw(pendings), value],
            Ty::Future(Box::new(out.clone())),
        )
    }

    /// `val("a", n, <value>).await`
    pub(super) fn awaited(&mut self, value_ty: &Ty) -> Option<Expr> {
        if !self.can_await() {
            return None;
        }
        let value = self.expr(value_ty);
        let fut = self.leaf_call("a", value, value_ty);
        Some(Expr::await_(fut, value_ty.clone()))
    }

    fn int(&mut self, grow: bool) -> Option<Expr> {
        if !grow {
            return match self.rng.below(6) {
                0 | 1 => Some(self.literal(&Ty::I64)),
                2 => self.call_closure(),
                _ => self.read_int(),
            };
        }
        let weights = [
            2,
            5,
            2,
            4,
            1,
            2,
            3,
            3,
            4,
            10,
            4,
            2,
            2,
            2,
            1,
            2,
            1,
            2,
            2,
            1,
            self.crates_weight(2),
            self.crates_weight(2),
            self.crates_weight(1),
        ];
        match self.rng.weighted(&weights)? {
            0 => Some(self.literal(&Ty::I64)),
            1 => self.read_int(),
            2 => self.call_closure(),
            3 => {
                let op = *self.rng.pick(&["+", "-", "*"]);
                let left = self.expr(&Ty::I64);
                let right = if op == "*" {
                    self.literal(&Ty::I64)
                } else {
                    self.expr(&Ty::I64)
                };
                Some(Expr::binary(left, op, right, Ty::I64))
            }
            4 => Some(Expr::unary("-", self.expr(&Ty::I64), Some(Ty::I64))),
            5 => {
                let args = self.operands(&[Ty::I64, Ty::I64]);
                Some(Expr::call("add", args, Ty::I64))
            }
            6 => {
                // An earlier operand borrowing a temporary (or a local) across a later await.
                let args = self.operands(&[Ty::Ref(Box::new(Ty::D)), Ty::I64]);
                Some(Expr::call("pair", args, Ty::I64))
            }
            7 => self.temporary_method(),
            8 => self.local_method(),
            9 => self.await_int(),
            10 => self.control_value(&Ty::I64),
            11 => self.try_int(),
            12 => self.index_int(),
            13 => self.projection(),
            14 => self.macro_int(),
            15 => self.unwrap_or(),
            16 => self.replace_int(),
            17 => self.by_reference_call(),
            18 => self.awaited_receiver(),
            19 => self.closure_into_await(),
            20 => self.guard_method(),
            21 => self.run_closure(),
            _ => Some(self.asserted_int()),
        }
    }

    /// `mk("t", x).n()`, `mk("t", x).with(y).consume()`: temporaries with a `Drop`.
    fn temporary_method(&mut self) -> Option<Expr> {
        let k = self.expr(&Ty::I64);
        let name = self.leaf("t");
        let temp = Expr::call("mk", vec![Expr::raw(name), k], Ty::D);
        Some(match self.rng.below(3) {
            0 => Expr::method(temp, "n", vec![], Ty::I64),
            1 => {
                let by = self.expr(&Ty::I64);
                let chained = Expr::method(temp, "with", vec![by], Ty::D);
                Expr::method(chained, "consume", vec![], Ty::I64)
            }
            _ => Expr::method(temp, "consume", vec![], Ty::I64),
        })
    }

    /// Methods on locals: `d.n()`, `d.bump()`, `d.consume()` (by value),
    /// `pp.sum()`, `pp.total()`, `s.finish()`, `probe(&x)`, lengths.
    fn local_method(&mut self) -> Option<Expr> {
        match self.rng.below(7) {
            0 => {
                let (_, d) = self.take_place(&|t| *t == Ty::D, Use::Read)?;
                Some(Expr::method(d, "n", vec![], Ty::I64))
            }
            1 => {
                let (_, d) = self.take_place(&|t| *t == Ty::D, Use::Mutate)?;
                Some(Expr::method(d, "bump", vec![], Ty::I64))
            }
            2 => {
                let (_, d) = self.take_place(&|t| *t == Ty::D, Use::Move)?;
                Some(Expr::method(d, "consume", vec![], Ty::I64))
            }
            3 => {
                if self.rng.chance(50) {
                    let (_, p) = self.take_place(&|t| *t == Ty::P, Use::Read)?;
                    Some(Expr::method(p, "sum", vec![], Ty::I64))
                } else {
                    let (_, p) = self.take_place(&|t| *t == Ty::P, Use::Move)?;
                    Some(Expr::method(p, "total", vec![], Ty::I64))
                }
            }
            4 => {
                let (_, s) = self.take_place(&|t| *t == Ty::S, Use::Move)?;
                Some(Expr::method(s, "finish", vec![], Ty::I64))
            }
            5 => {
                let (_, x) = self.take_place(&|t| t.is_probe(), Use::Read)?;
                Some(Expr::call(
                    "probe",
                    vec![Expr::unary("&", x, None)],
                    Ty::I64,
                ))
            }
            _ => {
                let (_, x) =
                    self.take_place(&|t| matches!(t, Ty::VecI | Ty::VecD | Ty::Str), Use::Read)?;
                let len = Expr::method(x, "len", vec![], Ty::Usize);
                Some(Expr::new(
                    ExprKind::Cast(Box::new(len), "i64"),
                    Some(Ty::I64),
                ))
            }
        }
    }

    /// `x?` on an `Option` or `Result`, when the function returns one.
    fn try_int(&mut self) -> Option<Expr> {
        if !self.in_fn_frame() || !matches!(self.ret, Ty::OptI | Ty::ResI) {
            return None;
        }
        let ret = self.ret.clone();
        let inner = self.expr(&ret);
        Some(Expr::new(ExprKind::Try(Box::new(inner)), Some(Ty::I64)))
    }

    /// `arr[ix(..)]`, `v[ix(..) % v.len()]`, `[a, b, c][ix(..)]`, `vec![..][0]`.
    fn index_int(&mut self) -> Option<Expr> {
        let index_of = |g: &mut Gen| {
            let i = g.expr(&Ty::I64);
            Expr::call("ix", vec![i], Ty::Usize)
        };
        match self.rng.below(4) {
            0 => {
                let (place, arr) = self.take_place(&|t| *t == Ty::Arr, Use::Read)?;
                self.scope.inflight.push(Borrow {
                    of: place.root,
                    kind: BorrowKind::Shared,
                });
                let index = index_of(self);
                self.scope.inflight.pop();
                Some(Expr::new(
                    ExprKind::Index(Box::new(arr), Box::new(index)),
                    Some(Ty::I64),
                ))
            }
            1 => {
                let (place, v) = self.take_place(&|t| *t == Ty::VecI, Use::Read)?;
                let borrow = Borrow {
                    of: place.root,
                    kind: BorrowKind::Shared,
                };
                self.scope.inflight.push(borrow);
                let index = index_of(self);
                self.scope.inflight.pop();
                let len = Expr::method(v.clone(), "len", vec![], Ty::Usize);
                let index = Expr::binary(index, "%", len, Ty::Usize);
                Some(Expr::new(
                    ExprKind::Index(Box::new(v), Box::new(index)),
                    Some(Ty::I64),
                ))
            }
            2 => {
                let items = self.operands(&[Ty::I64, Ty::I64, Ty::I64]);
                let arr = Expr::new(ExprKind::Array(items), Some(Ty::Arr));
                let index = index_of(self);
                Some(Expr::new(
                    ExprKind::Index(Box::new(arr), Box::new(index)),
                    Some(Ty::I64),
                ))
            }
            _ => {
                let items = self.operands(&[Ty::I64, Ty::I64]);
                let v = Expr::new(ExprKind::Macro("vec".into(), None, items), Some(Ty::VecI));
                Some(Expr::new(
                    ExprKind::Index(Box::new(v), Box::new(Expr::raw("1"))),
                    Some(Ty::I64),
                ))
            }
        }
    }

    /// A field of an aggregate literal holding temporaries: `(x, mk(..)).0`,
    /// `P { a: .., b: .., k: x }.k`.
    fn projection(&mut self) -> Option<Expr> {
        if self.rng.chance(50) {
            let first_int = self.rng.chance(50);
            let tys = if first_int {
                [Ty::I64, Ty::D]
            } else {
                [Ty::D, Ty::I64]
            };
            let items = self.operands(&tys);
            let tuple = Expr::new(ExprKind::Tuple(items), None);
            let field = if first_int { "0" } else { "1" };
            Some(Expr::new(
                ExprKind::Field(Box::new(tuple), field.into()),
                Some(Ty::I64),
            ))
        } else {
            let literal = self.struct_p();
            Some(Expr::new(
                ExprKind::Field(Box::new(literal), "k".into()),
                Some(Ty::I64),
            ))
        }
    }

    /// `format!(..).len() as i64`, `vec![..].len() as i64`.
    fn macro_int(&mut self) -> Option<Expr> {
        let m = if self.rng.chance(50) {
            let args = self.operands(&[Ty::I64, Ty::I64]);
            Expr::new(
                ExprKind::Macro("format".into(), Some("\"{}-{}\"".into()), args),
                Some(Ty::Str),
            )
        } else {
            let args = self.operands(&[Ty::I64, Ty::I64]);
            Expr::new(ExprKind::Macro("vec".into(), None, args), Some(Ty::VecI))
        };
        let len = Expr::method(m, "len", vec![], Ty::Usize);
        Some(Expr::new(
            ExprKind::Cast(Box::new(len), "i64"),
            Some(Ty::I64),
        ))
    }

    /// `assert_ok!(ok(x))`, `assert_ok!(ok(x), "..")`: tokio-test's
    /// assertion (the prelude's copy), whose first operand, which may await,
    /// is evaluated first and once, and its message only when it fails.
    fn asserted_int(&mut self) -> Expr {
        let value = self.expr(&Ty::I64);
        let mut args = vec![Expr::call("ok", vec![value], Ty::ResI)];
        if self.rng.chance(50) {
            args.push(Expr::raw("\"not ok\""));
        }
        Expr::new(
            ExprKind::Macro("assert_ok".into(), None, args),
            Some(Ty::I64),
        )
    }

    /// `o.unwrap_or(x)` on an `Option` or a `Result`.
    fn unwrap_or(&mut self) -> Option<Expr> {
        let ty = if self.rng.chance(50) {
            Ty::OptI
        } else {
            Ty::ResI
        };
        let receiver = self.expr(&ty);
        let default = self.expr(&Ty::I64);
        Some(Expr::method(receiver, "unwrap_or", vec![default], Ty::I64))
    }

    /// `std::mem::replace(&mut x, ..)`: `x` stays borrowed while the value is computed.
    fn replace_int(&mut self) -> Option<Expr> {
        let (place, x) = self.take_place(&|t| *t == Ty::I64, Use::Mutate)?;
        self.scope.inflight.push(Borrow {
            of: place.root,
            kind: BorrowKind::Mut,
        });
        let value = self.expr(&Ty::I64);
        self.scope.inflight.pop();
        Some(Expr::call(
            "std::mem::replace",
            vec![Expr::unary("&mut ", x, None), value],
            Ty::I64,
        ))
    }

    /// `&` and `&mut` of places and of calls: `add_refs(&a, &f().await)`,
    /// `twice(&mut x)`, `twice(&mut val(..).await)`.
    fn by_reference_call(&mut self) -> Option<Expr> {
        if self.rng.chance(50) {
            let args = self.operands(&[Ty::Ref(Box::new(Ty::I64)), Ty::Ref(Box::new(Ty::I64))]);
            Some(Expr::call("add_refs", args, Ty::I64))
        } else {
            let (arg, _) = self.reference(&Ty::I64, true);
            Some(Expr::call("twice", vec![arg], Ty::I64))
        }
    }

    /// An awaited value used as a receiver: `val(.., mk(..)).await.n()`.
    fn awaited_receiver(&mut self) -> Option<Expr> {
        if self.rng.chance(60) {
            let d = self.awaited(&Ty::D)?;
            Some(Expr::method(d, "n", vec![], Ty::I64))
        } else {
            let v = self.awaited(&Ty::VecI)?;
            let len = Expr::method(v, "len", vec![], Ty::Usize);
            Some(Expr::new(
                ExprKind::Cast(Box::new(len), "i64"),
                Some(Ty::I64),
            ))
        }
    }

    /// Generates something that runs on some paths only (the right operand
    /// of `&&`/`||`): afterwards, what it moved or initialized counts as
    /// "maybe", and a divergence inside does not end the path.
    pub(super) fn maybe_runs(&mut self, body: impl FnOnce(&mut Gen) -> Expr) -> Expr {
        let before = self.scope.snapshot();
        self.scope.partial_paths += 1;
        let e = body(self);
        self.scope.partial_paths -= 1;
        if self.diverged {
            self.diverged = false;
            self.scope.restore(before);
        } else {
            let after = self.scope.snapshot();
            let joined = super::scope::Scope::join(&before, &after[..before.len()]);
            self.scope.restore(joined);
        }
        e
    }

    /// Ids of visible locals of a type usable as `u` (for productions that
    /// need the local rather than a place).
    pub(super) fn locals_usable(&self, want: impl Fn(&Ty) -> bool, u: Use) -> Vec<LocalId> {
        self.scope
            .of_type(want)
            .into_iter()
            .filter(|&i| self.scope.can(i, u))
            .collect()
    }
}
