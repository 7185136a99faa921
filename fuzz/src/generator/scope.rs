//! What the generator knows about the locals in scope: type, whether they
//! are initialized, moved (wholly, partly, or on some paths), borrowed by
//! other locals or by operands still being evaluated, and where they were
//! declared (loop depth, closure frame). Every production asks [`Scope::can`]
//! before it uses a local, so programs are accepted by rustc by construction.

use crate::ty::Ty;

pub type LocalId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Init,
    /// Declared with `let x;`, not yet assigned.
    Uninit,
    Moved,
    /// Initialized on some paths only (moved on others, or assigned on some):
    /// rustc keeps a drop flag; only a fresh assignment makes it usable.
    Maybe,
}

impl State {
    /// The state after two control-flow paths meet.
    pub fn join(self, other: State) -> State {
        if self == other { self } else { State::Maybe }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BorrowKind {
    Shared,
    Mut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Borrow {
    pub of: LocalId,
    pub kind: BorrowKind,
}

/// How a production means to use a local.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Copy it out, read a field, call a `&self` method, or take `&`.
    Read,
    /// Take `&mut`, call a `&mut self` method, or assign a field.
    Mutate,
    /// Move it (or a by-value method).
    Move,
    /// `x = ..`: a fresh value (also initializes a deferred `let x;`).
    Assign,
}

#[derive(Debug, Clone)]
pub struct Local {
    pub name: String,
    pub ty: Ty,
    pub mutable: bool,
    pub state: State,
    /// Fields moved out (`P`'s `a`/`b`, a pair's `0`, `S`'s `d`).
    pub moved_fields: Vec<&'static str>,
    /// Borrows this local keeps alive (references, closures, futures).
    pub holds: Vec<Borrow>,
    /// Enclosing loops at the declaration.
    pub loop_depth: usize,
    /// `false` once shadowed by a later `let` of the same name.
    pub visible: bool,
    /// The local this one shadows, visible again when this one goes.
    pub shadows: Option<LocalId>,
    /// A loop counter or `while let` source: not touched inside its loop.
    pub protected: bool,
}

/// A closure or `async` block being generated: its uses of outer locals
/// become its captures.
#[derive(Debug, Clone)]
pub struct Frame {
    pub is_move: bool,
    /// Closures cannot `.await`; `async` blocks can.
    pub is_async: bool,
    /// Locals with a smaller id are outside.
    pub first_local: LocalId,
    /// Loops outside the frame (not targets for `break`).
    pub loop_base: usize,
    pub captures: Vec<(LocalId, Use)>,
}

#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub locals: Vec<Local>,
    /// Borrows held by operands already evaluated in the expression being
    /// generated (`f(&x, <here>)`): they end when that expression does.
    pub inflight: Vec<Borrow>,
    pub frames: Vec<Frame>,
    /// Enclosing loops (absolute, across frames).
    pub loop_depth: usize,
    /// Inside code that runs on some paths only without a join afterwards
    /// (right operands of `&&`/`||`, later conditions of a let chain,
    /// guards): no deferred local may be initialized there.
    pub partial_paths: usize,
}

impl Scope {
    pub fn declare(&mut self, name: &str, ty: Ty, mutable: bool, state: State) -> LocalId {
        let shadows = self.lookup(name);
        if let Some(old) = shadows {
            self.locals[old].visible = false;
        }
        self.locals.push(Local {
            name: name.to_string(),
            ty,
            mutable,
            state,
            moved_fields: Vec::new(),
            holds: Vec::new(),
            loop_depth: self.loop_depth,
            visible: true,
            shadows,
            protected: false,
        });
        self.locals.len() - 1
    }

    pub fn lookup(&self, name: &str) -> Option<LocalId> {
        self.locals
            .iter()
            .rposition(|l| l.visible && l.name == name)
    }

    /// Ends the scope opened when `locals.len()` was `mark`.
    pub fn close(&mut self, mark: usize) {
        while self.locals.len() > mark {
            let local = self.locals.pop().expect("above the mark");
            if let Some(old) = local.shadows {
                self.locals[old].visible = true;
            }
        }
    }

    /// Whether a live local (not moved on every path) holds a borrow of `id`.
    fn borrowed_by_locals(&self, id: LocalId, kinds: &[BorrowKind]) -> bool {
        self.locals.iter().any(|l| {
            l.state != State::Moved
                && l.holds
                    .iter()
                    .any(|b| b.of == id && kinds.contains(&b.kind))
        })
    }

    fn inflight(&self, id: LocalId, kinds: &[BorrowKind]) -> bool {
        self.inflight
            .iter()
            .any(|b| b.of == id && kinds.contains(&b.kind))
    }

    /// Whether `id` is declared outside the innermost closure/`async` frame.
    pub fn is_outer(&self, id: LocalId) -> bool {
        self.frames.last().is_some_and(|f| id < f.first_local)
    }

    /// The capture rules: inside a closure or `async` block, an outer local
    /// is used by reference (or copied); in a `move` one, a non-`Copy` local
    /// is moved in by its first use and owned by the frame from then on.
    fn frame_allows(&self, id: LocalId, u: Use) -> bool {
        let Some(frame) = self.frames.last() else {
            return true;
        };
        if id >= frame.first_local {
            return true;
        }
        let l = &self.locals[id];
        if l.state == State::Uninit {
            return false;
        }
        if !frame.is_move || l.ty.is_copy() {
            return match u {
                Use::Move => l.ty.is_copy(),
                Use::Assign => l.state == State::Init,
                Use::Read | Use::Mutate => true,
            };
        }
        let captured = frame.captures.iter().any(|(c, _)| *c == id);
        if !(captured || self.movable_outside(id) && l.loop_depth == frame.loop_base) {
            return false;
        }
        match u {
            Use::Assign => false,
            Use::Move => self.loop_depth == frame.loop_base,
            Use::Read | Use::Mutate => true,
        }
    }

    fn movable_outside(&self, id: LocalId) -> bool {
        let l = &self.locals[id];
        l.state == State::Init
            && l.moved_fields.is_empty()
            && !l.protected
            && !self.borrowed_by_locals(id, &[BorrowKind::Shared, BorrowKind::Mut])
            && !self.inflight(id, &[BorrowKind::Shared, BorrowKind::Mut])
    }

    /// Movable ignoring loops: for a move right before a `break` or
    /// `return`, which leaves the loop.
    pub fn movable_anywhere(&self, id: LocalId) -> bool {
        !self.is_outer(id) && self.movable_outside(id)
    }

    /// Whether the local may be used this way here.
    pub fn can(&self, id: LocalId, u: Use) -> bool {
        let l = &self.locals[id];
        if !l.visible || !self.frame_allows(id, u) {
            return false;
        }
        let any = [BorrowKind::Shared, BorrowKind::Mut];
        match u {
            Use::Read => {
                l.state == State::Init
                    && l.moved_fields.is_empty()
                    && !self.borrowed_by_locals(id, &[BorrowKind::Mut])
                    && !self.inflight(id, &[BorrowKind::Mut])
            }
            Use::Mutate => {
                (l.mutable || matches!(l.ty, Ty::RefMut(_)))
                    && l.state == State::Init
                    && l.moved_fields.is_empty()
                    && !l.protected
                    && !self.borrowed_by_locals(id, &any)
                    && !self.inflight(id, &any)
            }
            Use::Move => {
                (l.ty.is_copy() && self.can(id, Use::Read))
                    || (self.movable_outside(id) && self.moves_allowed_at_depth(id))
            }
            Use::Assign => {
                let fresh = l.state == State::Uninit
                    && self.partial_paths == 0
                    && l.loop_depth == self.loop_depth
                    && !self.is_outer(id);
                let again =
                    l.mutable && (l.state == State::Init || l.loop_depth == self.loop_depth);
                (fresh || again)
                    && !l.protected
                    && !self.borrowed_by_locals(id, &any)
                    && !self.inflight(id, &any)
            }
        }
    }

    /// A move inside a loop of a local declared outside it would move it
    /// again on the next iteration.
    fn moves_allowed_at_depth(&self, id: LocalId) -> bool {
        let l = &self.locals[id];
        match self.frames.last() {
            Some(frame) if id < frame.first_local => self.loop_depth == frame.loop_base,
            _ => l.loop_depth == self.loop_depth,
        }
    }

    /// Whether one field may be read (or moved, for `Use::Move`) while others are moved.
    pub fn can_field(&self, id: LocalId, field: &'static str, u: Use) -> bool {
        let l = &self.locals[id];
        if l.moved_fields.contains(&field) || l.state != State::Init || !l.visible {
            return false;
        }
        if !self.frame_allows(id, if u == Use::Move { Use::Move } else { Use::Read }) {
            return false;
        }
        match u {
            Use::Read => {
                !self.borrowed_by_locals(id, &[BorrowKind::Mut])
                    && !self.inflight(id, &[BorrowKind::Mut])
            }
            Use::Mutate => {
                l.mutable
                    && !l.protected
                    && !self.borrowed_by_locals(id, &[BorrowKind::Shared, BorrowKind::Mut])
                    && !self.inflight(id, &[BorrowKind::Shared, BorrowKind::Mut])
            }
            Use::Move => {
                !l.protected
                    && !self.borrowed_by_locals(id, &[BorrowKind::Shared, BorrowKind::Mut])
                    && !self.inflight(id, &[BorrowKind::Shared, BorrowKind::Mut])
                    && self.moves_allowed_at_depth(id)
                    && !self.is_outer(id)
            }
            Use::Assign => false,
        }
    }

    /// Records a use that [`Scope::can`] allowed.
    pub fn use_local(&mut self, id: LocalId, u: Use) {
        if let Some(frame) = self.frames.last_mut()
            && id < frame.first_local
        {
            frame.captures.push((id, u));
        }
        let l = &mut self.locals[id];
        match u {
            Use::Move if !l.ty.is_copy() => l.state = State::Moved,
            Use::Assign => {
                l.state = State::Init;
                l.moved_fields.clear();
            }
            _ => {}
        }
    }

    pub fn move_field(&mut self, id: LocalId, field: &'static str) {
        if let Some(frame) = self.frames.last_mut()
            && id < frame.first_local
        {
            frame.captures.push((id, Use::Move));
        }
        self.locals[id].moved_fields.push(field);
    }

    /// Visible locals of a type, for productions that pick one.
    pub fn of_type(&self, pred: impl Fn(&Ty) -> bool) -> Vec<LocalId> {
        (0..self.locals.len())
            .filter(|&i| self.locals[i].visible && pred(&self.locals[i].ty))
            .collect()
    }

    /// The states of every local, to restore after a branch.
    pub fn snapshot(&self) -> Vec<Local> {
        self.locals.clone()
    }

    /// Meets two paths: each local's state joined, moved fields united.
    pub fn join(a: &[Local], b: &[Local]) -> Vec<Local> {
        a.iter()
            .zip(b)
            .map(|(x, y)| {
                let mut out = x.clone();
                out.state = x.state.join(y.state);
                for f in &y.moved_fields {
                    if !out.moved_fields.contains(f) {
                        out.moved_fields.push(f);
                    }
                }
                out
            })
            .collect()
    }

    /// Replaces the states of the locals that existed at `snapshot` time.
    pub fn restore(&mut self, snapshot: Vec<Local>) {
        let mark = snapshot.len();
        self.close(mark);
        for (slot, saved) in self.locals.iter_mut().zip(snapshot) {
            *slot = saved;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowed_local_cannot_move_until_the_borrower_goes() {
        let mut s = Scope::default();
        let x = s.declare("x", Ty::D, false, State::Init);
        let mark = s.locals.len();
        let r = s.declare("r", Ty::Ref(Box::new(Ty::D)), false, State::Init);
        s.locals[r].holds.push(Borrow {
            of: x,
            kind: BorrowKind::Shared,
        });
        assert!(s.can(x, Use::Read));
        assert!(!s.can(x, Use::Move));
        s.close(mark);
        assert!(s.can(x, Use::Move));
    }

    #[test]
    fn moves_on_one_path_leave_maybe() {
        let mut s = Scope::default();
        let x = s.declare("x", Ty::D, false, State::Init);
        let before = s.snapshot();
        s.use_local(x, Use::Move);
        let moved = s.snapshot();
        let joined = Scope::join(&before, &moved);
        s.restore(joined);
        assert_eq!(s.locals[x].state, State::Maybe);
        assert!(!s.can(x, Use::Read));
    }

    #[test]
    fn no_move_of_an_outer_local_inside_a_loop() {
        let mut s = Scope::default();
        let x = s.declare("x", Ty::D, true, State::Init);
        s.loop_depth += 1;
        assert!(!s.can(x, Use::Move));
        assert!(s.can(x, Use::Mutate));
        let y = s.declare("y", Ty::D, false, State::Init);
        assert!(s.can(y, Use::Move));
    }

    #[test]
    fn shadowed_local_is_hidden_then_visible_again() {
        let mut s = Scope::default();
        let a = s.declare("a", Ty::I64, false, State::Init);
        let mark = s.locals.len();
        let b = s.declare("a", Ty::D, false, State::Init);
        assert_eq!(s.lookup("a"), Some(b));
        assert!(!s.can(a, Use::Read));
        s.close(mark);
        assert_eq!(s.lookup("a"), Some(a));
    }
}
