//! Uses of locals: places (a local, a field of one, or what a reference
//! local points to), references to them, and the futures that borrow them
//! (`peek(&x)`, `inc(&mut x)`, `src.read(&mut buf)`, stored futures).

use super::Gen;
use super::scope::{Borrow, BorrowKind, LocalId, Use};
use crate::ast::{Expr, ExprKind};
use crate::ty::Ty;

/// A place rooted in a local: the local itself, one of its fields, or the
/// target of a reference local (or a field of that target).
#[derive(Debug, Clone)]
pub(super) struct Place {
    pub root: LocalId,
    /// The field, for a field of the local (or of its target).
    pub field: Option<&'static str>,
    /// Reached through a reference local (`*r`, `r.k`).
    pub through: Option<BorrowKind>,
    pub ty: Ty,
}

/// The fields of a type that hold values a production can use.
fn fields(ty: &Ty) -> &'static [(&'static str, Ty)] {
    match ty {
        Ty::P => &[("a", Ty::D), ("b", Ty::D), ("k", Ty::I64)],
        Ty::Pair => &[("0", Ty::D), ("1", Ty::I64)],
        Ty::S => &[("d", Ty::D), ("k", Ty::I64)],
        Ty::D | Ty::Guard => &[("n", Ty::I64)],
        _ => &[],
    }
}

impl Gen {
    /// Every place of a type accepted by `want` that may be used as `u`.
    pub(super) fn places(&self, want: &dyn Fn(&Ty) -> bool, u: Use) -> Vec<Place> {
        let mut out = Vec::new();
        for id in 0..self.scope.locals.len() {
            let local = &self.scope.locals[id];
            if !local.visible {
                continue;
            }
            // A guard with `Deref`/`DerefMut` reaches its `P` like a
            // reference does, but writes need the guard itself `mut`.
            let through_guard = matches!(local.ty, Ty::Lease | Ty::Lock);
            let guarded = Ty::Ref(Box::new(Ty::P));
            let ty = if through_guard { &guarded } else { &local.ty };
            match ty {
                Ty::Ref(target) | Ty::RefMut(target) => {
                    let kind = if matches!(ty, Ty::Ref(_)) && !through_guard {
                        BorrowKind::Shared
                    } else {
                        BorrowKind::Mut
                    };
                    let allowed = match u {
                        Use::Read => self.scope.can(id, Use::Read),
                        Use::Mutate => kind == BorrowKind::Mut && self.scope.can(id, Use::Mutate),
                        // Moving out of a reference is never allowed; copying is a read.
                        Use::Move => target.is_copy() && self.scope.can(id, Use::Read),
                        Use::Assign => false,
                    };
                    if !allowed {
                        continue;
                    }
                    if want(target) {
                        out.push(Place {
                            root: id,
                            field: None,
                            through: Some(kind),
                            ty: (**target).clone(),
                        });
                    }
                    for (field, ty) in fields(target) {
                        let movable = ty.is_copy() || u != Use::Move;
                        if want(ty) && movable {
                            out.push(Place {
                                root: id,
                                field: Some(field),
                                through: Some(kind),
                                ty: ty.clone(),
                            });
                        }
                    }
                }
                ty => {
                    if want(ty) && self.scope.can(id, u) {
                        out.push(Place {
                            root: id,
                            field: None,
                            through: None,
                            ty: ty.clone(),
                        });
                    }
                    for (field, fty) in fields(ty) {
                        // A `Copy` field is copied out, never moved.
                        let field_use = if fty.is_copy() && u == Use::Move {
                            Use::Read
                        } else {
                            u
                        };
                        if want(fty) && self.scope.can_field(id, field, field_use) {
                            out.push(Place {
                                root: id,
                                field: Some(field),
                                through: None,
                                ty: fty.clone(),
                            });
                        }
                    }
                }
            }
        }
        out
    }

    /// Picks a place and records the use; `None` when there is none.
    pub(super) fn take_place(
        &mut self,
        want: &dyn Fn(&Ty) -> bool,
        u: Use,
    ) -> Option<(Place, Expr)> {
        let candidates = self.places(want, u);
        if candidates.is_empty() {
            return None;
        }
        let place = self.rng.pick(&candidates).clone();
        let expr = self.commit(&place, u);
        Some((place, expr))
    }

    /// Records the use of a place and returns its expression.
    pub(super) fn commit(&mut self, place: &Place, u: Use) -> Expr {
        let name = self.scope.locals[place.root].name.clone();
        let copy = place.ty.is_copy();
        match (place.through, place.field) {
            (Some(_), None) => {
                let root_use = if u == Use::Mutate {
                    Use::Mutate
                } else {
                    Use::Read
                };
                self.scope.use_local(place.root, root_use);
                Expr::unary("*", Expr::raw(name), Some(place.ty.clone()))
            }
            (Some(_), Some(field)) => {
                let root_use = if u == Use::Mutate {
                    Use::Mutate
                } else {
                    Use::Read
                };
                self.scope.use_local(place.root, root_use);
                Expr::new(
                    ExprKind::Field(Box::new(Expr::raw(name)), field.into()),
                    Some(place.ty.clone()),
                )
            }
            (None, None) => {
                let local_use = if copy && u == Use::Move { Use::Read } else { u };
                self.scope.use_local(place.root, local_use);
                Expr::new(ExprKind::Atom(name), None)
            }
            (None, Some(field)) => {
                if u == Use::Move && !copy {
                    self.scope.move_field(place.root, field);
                } else {
                    let root_use = if u == Use::Mutate {
                        Use::Mutate
                    } else {
                        Use::Read
                    };
                    self.scope.use_local(place.root, root_use);
                }
                Expr::new(
                    ExprKind::Field(Box::new(Expr::raw(name)), field.into()),
                    Some(place.ty.clone()),
                )
            }
        }
    }

    /// The borrow a reference to this place holds.
    pub(super) fn borrow_of(place: &Place, kind: BorrowKind) -> Borrow {
        Borrow {
            of: place.root,
            kind,
        }
    }

    /// `i64` read from a place (a local, a field, through a reference, or a
    /// `usize` loop index cast).
    pub(super) fn read_int(&mut self) -> Option<Expr> {
        if self.rng.chance(15) {
            let indices = self.scope.of_type(|t| *t == Ty::Usize);
            let usable: Vec<LocalId> = indices
                .into_iter()
                .filter(|&i| self.scope.can(i, Use::Read))
                .collect();
            if !usable.is_empty() {
                let id = *self.rng.pick(&usable);
                self.scope.use_local(id, Use::Read);
                let name = self.scope.locals[id].name.clone();
                return Some(Expr::new(
                    ExprKind::Cast(Box::new(Expr::raw(name)), "i64"),
                    Some(Ty::I64),
                ));
            }
        }
        self.take_place(&|t| *t == Ty::I64, Use::Read)
            .map(|(_, e)| e)
    }

    /// Moves a whole value of exactly `ty` out of a place (a local or a field).
    pub(super) fn move_out(&mut self, ty: &Ty) -> Option<Expr> {
        let want = ty.clone();
        self.take_place(&move |t| *t == want, Use::Move)
            .map(|(_, e)| e)
    }

    /// `&place` / `&mut place` / `&temporary`, with the borrow it holds.
    pub(super) fn reference(&mut self, target: &Ty, unique: bool) -> (Expr, Vec<Borrow>) {
        let ref_ty = if unique {
            Ty::RefMut(Box::new(target.clone()))
        } else {
            Ty::Ref(Box::new(target.clone()))
        };
        let op = if unique { "&mut " } else { "&" };
        // Copy an existing reference local (shared references only).
        if !unique && self.rng.chance(20) {
            let want = ref_ty.clone();
            let refs: Vec<LocalId> = self
                .scope
                .of_type(|t| *t == want)
                .into_iter()
                .filter(|&i| self.scope.can(i, Use::Read))
                .collect();
            if !refs.is_empty() {
                let id = *self.rng.pick(&refs);
                self.scope.use_local(id, Use::Read);
                let holds = self.scope.locals[id].holds.clone();
                let name = self.scope.locals[id].name.clone();
                return (Expr::raw(name), holds);
            }
        }
        if self.rng.chance(70) {
            let u = if unique { Use::Mutate } else { Use::Read };
            let want = target.clone();
            if let Some((place, e)) = self.take_place(&move |t| *t == want, u) {
                let kind = if unique {
                    BorrowKind::Mut
                } else {
                    BorrowKind::Shared
                };
                let borrow = Gen::borrow_of(&place, kind);
                return (Expr::unary(op, e, None), vec![borrow]);
            }
        }
        // A reference to a temporary: it lives to the end of the statement
        // (or of the block, when a `let` binds it).
        let value = temporary(self.expr(target));
        (Expr::unary(op, value, None), Vec::new())
    }

    /// A future yielding `i64` that is not awaited yet, with what it borrows.
    pub(super) fn future(&mut self, out: &Ty) -> (Expr, Vec<Borrow>) {
        if *out != Ty::I64 {
            let value = self.expr(out);
            let e = Expr::call(
                "val",
                vec![Expr::raw(self.leaf("f")), Expr::raw(self.pendings()), value],
                Ty::Future(Box::new(out.clone())),
            );
            return (e, Vec::new());
        }
        match self.rng.below(6) {
            0 => {
                if let Some(found) = self.peek_future(true) {
                    return found;
                }
            }
            1 => {
                if let Some(found) = self.inc_future(true) {
                    return found;
                }
            }
            2 if self.scope.frames.is_empty() => return self.async_block(&Ty::I64),
            _ => {}
        }
        let value = self.expr(&Ty::I64);
        let e = Expr::call(
            "val",
            vec![Expr::raw(self.leaf("f")), Expr::raw(self.pendings()), value],
            Ty::Future(Box::new(Ty::I64)),
        );
        (e, Vec::new())
    }

    /// `peek("p", &x, n)`: a future that borrows `x` until it is dropped.
    /// A future to be `stored` in a local may not borrow a temporary.
    pub(super) fn peek_future(&mut self, stored: bool) -> Option<(Expr, Vec<Borrow>)> {
        let (arg, held) = match self.rng.below(6) {
            0 if !stored => {
                // A borrowed temporary, across the await.
                let d = temporary(self.expr(&Ty::D));
                (Expr::unary("&", d, None), Vec::new())
            }
            1 => {
                let vecs: Vec<LocalId> = self
                    .scope
                    .of_type(|t| *t == Ty::VecI)
                    .into_iter()
                    .filter(|&i| self.scope.can(i, Use::Read))
                    .collect();
                if vecs.is_empty() {
                    return None;
                }
                let id = *self.rng.pick(&vecs);
                self.scope.use_local(id, Use::Read);
                let name = Expr::raw(self.scope.locals[id].name.clone());
                // `&v[..]`, or a slice of a temporary: `&v.clone()[..]`.
                let base = if stored || self.rng.chance(50) {
                    name
                } else {
                    Expr::method(name, "clone", vec![], Ty::VecI)
                };
                let slice = Expr::new(
                    ExprKind::Index(Box::new(base), Box::new(Expr::raw(".."))),
                    None,
                );
                let held = vec![Borrow {
                    of: id,
                    kind: BorrowKind::Shared,
                }];
                (Expr::unary("&", slice, None), held)
            }
            _ => {
                let (place, e) = self.take_place(&|t| t.is_probe(), Use::Read)?;
                let borrow = Gen::borrow_of(&place, BorrowKind::Shared);
                (Expr::unary("&", e, None), vec![borrow])
            }
        };
        let call = Expr::call(
            "peek",
            vec![
                Expr::raw(self.leaf("peek")),
                arg,
                Expr::raw(self.pendings()),
            ],
            Ty::Future(Box::new(Ty::I64)),
        );
        Some((call, held))
    }

    /// `inc("i", &mut x, n)`: a future holding `&mut x`.
    pub(super) fn inc_future(&mut self, stored: bool) -> Option<(Expr, Vec<Borrow>)> {
        let (arg, held) = match self.rng.below(4) {
            0 | 3 => {
                // `&mut arr[ix(..)]` or `&mut v.as_mut_slice()[0]`: a place behind an index.
                let ids: Vec<LocalId> = self
                    .scope
                    .of_type(|t| matches!(t, Ty::Arr | Ty::VecI))
                    .into_iter()
                    .filter(|&i| self.scope.can(i, Use::Mutate))
                    .collect();
                if ids.is_empty() {
                    return None;
                }
                let id = *self.rng.pick(&ids);
                self.scope.use_local(id, Use::Mutate);
                let name = Expr::raw(self.scope.locals[id].name.clone());
                let held = Borrow {
                    of: id,
                    kind: BorrowKind::Mut,
                };
                let place = if self.scope.locals[id].ty == Ty::Arr {
                    self.scope.inflight.push(held);
                    let index = self.expr(&Ty::I64);
                    self.scope.inflight.pop();
                    Expr::new(
                        ExprKind::Index(
                            Box::new(name),
                            Box::new(Expr::call("ix", vec![index], Ty::Usize)),
                        ),
                        Some(Ty::I64),
                    )
                } else {
                    let slice = Expr::method(name, "as_mut_slice", vec![], Ty::VecI);
                    Expr::new(
                        ExprKind::Index(Box::new(slice), Box::new(Expr::raw("0"))),
                        Some(Ty::I64),
                    )
                };
                (Expr::unary("&mut ", place, None), vec![held])
            }
            1 if !stored => {
                // `&mut` of a temporary.
                let value = temporary(self.expr(&Ty::I64));
                (Expr::unary("&mut ", value, None), Vec::new())
            }
            _ => {
                let (place, e) = self.take_place(&|t| matches!(t, Ty::I64 | Ty::D), Use::Mutate)?;
                let borrow = Gen::borrow_of(&place, BorrowKind::Mut);
                (Expr::unary("&mut ", e, None), vec![borrow])
            }
        };
        let call = Expr::call(
            "inc",
            vec![Expr::raw(self.leaf("inc")), arg, Expr::raw(self.pendings())],
            Ty::Future(Box::new(Ty::I64)),
        );
        Some((call, held))
    }

    /// `src.read(&mut buf, n)`: a future borrowing two locals mutably.
    pub(super) fn read_future(&mut self) -> Option<Expr> {
        let sources: Vec<LocalId> = self
            .scope
            .of_type(|t| *t == Ty::Src)
            .into_iter()
            .filter(|&i| self.scope.can(i, Use::Mutate))
            .collect();
        let buffers: Vec<LocalId> = self
            .scope
            .of_type(|t| matches!(t, Ty::Arr | Ty::VecI))
            .into_iter()
            .filter(|&i| self.scope.can(i, Use::Mutate))
            .collect();
        if sources.is_empty() || buffers.is_empty() {
            return None;
        }
        let (src, buf) = (*self.rng.pick(&sources), *self.rng.pick(&buffers));
        self.scope.use_local(src, Use::Mutate);
        self.scope.use_local(buf, Use::Mutate);
        let src_name = Expr::raw(self.scope.locals[src].name.clone());
        let buf_name = Expr::raw(self.scope.locals[buf].name.clone());
        Some(Expr::method(
            src_name,
            "read",
            vec![
                Expr::unary("&mut ", buf_name, None),
                Expr::raw(self.pendings()),
            ],
            Ty::Future(Box::new(Ty::I64)),
        ))
    }

    /// An awaited `i64`: leaves, borrowing futures, stored futures, async
    /// closures, inline `async` blocks and (rarely) a panicking leaf.
    pub(super) fn await_int(&mut self) -> Option<Expr> {
        if !self.can_await() {
            return None;
        }
        let weights = [
            7,
            3,
            3,
            4,
            4,
            2,
            1,
            1,
            self.crates_weight(3),
            u32::from(self.boom_allowed),
        ];
        let future = match self.rng.weighted(&weights)? {
            0 => {
                let value = self.expr(&Ty::I64);
                Expr::call(
                    "val",
                    vec![Expr::raw(self.leaf("a")), Expr::raw(self.pendings()), value],
                    Ty::Future(Box::new(Ty::I64)),
                )
            }
            1 => self.peek_future(false)?.0,
            2 => self.inc_future(false)?.0,
            3 => self.read_future()?,
            4 => {
                let fut = self.take_place(
                    &|t| matches!(t, Ty::Future(o) | Ty::PinFut(o) if **o == Ty::I64),
                    Use::Move,
                )?;
                fut.1
            }
            5 => self.async_closure_call()?,
            6 => {
                if self.scope.frames.is_empty() {
                    self.async_block(&Ty::I64).0
                } else {
                    return None;
                }
            }
            7 => {
                let (place, e) = self.take_place(&|t| *t == Ty::S, Use::Read)?;
                let _ = place;
                Expr::method(
                    e,
                    "get",
                    vec![Expr::raw(self.pendings())],
                    Ty::Future(Box::new(Ty::I64)),
                )
            }
            8 => self.guard_future()?,
            _ => {
                self.boom_allowed = false;
                Expr::call(
                    "boom",
                    vec![Expr::raw(self.leaf("boom")), Expr::raw(self.pendings())],
                    Ty::Future(Box::new(Ty::I64)),
                )
            }
        };
        Some(Expr::await_(future, Ty::I64))
    }

    /// `af(x).await` with `af: impl AsyncFn(i64) -> i64`, or `aof().await`
    /// (`AsyncFnOnce`, moved by the call).
    fn async_closure_call(&mut self) -> Option<Expr> {
        let once: Vec<LocalId> = self
            .scope
            .of_type(|t| *t == Ty::AsyncFn(true))
            .into_iter()
            .filter(|&i| self.scope.can(i, Use::Move))
            .collect();
        let many: Vec<LocalId> = self
            .scope
            .of_type(|t| *t == Ty::AsyncFn(false))
            .into_iter()
            .filter(|&i| self.scope.can(i, Use::Read))
            .collect();
        if !once.is_empty() && (many.is_empty() || self.rng.chance(40)) {
            let id = *self.rng.pick(&once);
            self.scope.use_local(id, Use::Move);
            let name = self.scope.locals[id].name.clone();
            return Some(Expr::call(name, vec![], Ty::Future(Box::new(Ty::I64))));
        }
        if many.is_empty() {
            return None;
        }
        let id = *self.rng.pick(&many);
        self.scope.use_local(id, Use::Read);
        let name = self.scope.locals[id].name.clone();
        let held = Borrow {
            of: id,
            kind: BorrowKind::Shared,
        };
        self.scope.inflight.push(held);
        let arg = self.expr(&Ty::I64);
        self.scope.inflight.pop();
        Some(Expr::call(name, vec![arg], Ty::Future(Box::new(Ty::I64))))
    }
}

/// Whether the expression names a place (borrowing it borrows a local)
/// rather than a value.
fn is_place(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Atom(text) => {
            text.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !matches!(text.as_str(), "true" | "false")
        }
        ExprKind::Field(base, _) | ExprKind::Index(base, _) => {
            is_place(base) || matches!(base.kind, ExprKind::Unary("*", _))
        }
        ExprKind::Unary("*", _) => true,
        _ => false,
    }
}

/// The value of `e` as a temporary: a place is wrapped in a block (`{ x }`),
/// so `&` of it borrows a copy, not the local.
pub(super) fn temporary(e: Expr) -> Expr {
    if is_place(&e) {
        let ty = e.ty.clone();
        Expr::block(crate::ast::Block::of_tail(e), ty)
    } else {
        e
    }
}
