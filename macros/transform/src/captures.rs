//! How a closure or `async` block uses a local kept in a slot: it reaches
//! the slot through a pointer it captures, which is as `Send` as the
//! reference the closure would hold natively: `&T` (for reads) is `Send`
//! when `T: Sync`, `&mut T` (for writes) when `T: Send`.
//!
//! Which one a closure holds is rustc's choice, by the methods it calls on
//! the local. Here, a method is taken to read only if its name says so
//! (`len`, `get`, `iter`, `is_*`, ...); any other is taken to write, which
//! can only make the future `Send` where rustc's is not, never the reverse
//! (sound: the closure and the slot move between threads together).
//!
//! A closure that uses a slot local is made `move` (it captures the slot's
//! pointer): the slot locals it owns are taken out of their slots when it
//! is made, and the plain locals it borrowed natively are borrowed
//! explicitly ([`Borrow`]).

use crate::locals::{LocalId, Locals, UseId, UseKind};
use crate::storage::Storage;
use proc_macro2::{TokenStream, TokenTree};
use syn::Expr;
use syn::visit::Visit;

/// Does the closure (as written, with use markers) write `local`: borrow
/// it `&mut`, assign it or a part of it, or call a method on it that may?
pub fn writes(closure: &Expr, local: LocalId, locals: &Locals) -> bool {
    let mut scan = Scan {
        local,
        locals,
        writes: false,
    };
    scan.expr(closure, false);
    scan.writes
}

struct Scan<'a> {
    local: LocalId,
    locals: &'a Locals,
    writes: bool,
}

impl Scan<'_> {
    /// `mutable`: the expression is a place written through (`&mut e`, `e = ..`).
    fn expr(&mut self, expr: &Expr, mutable: bool) {
        match expr {
            Expr::Path(p) => {
                let named = p
                    .path
                    .get_ident()
                    .and_then(Locals::use_of)
                    .is_some_and(|u| self.locals.uses[u].local == self.local);
                // A `ref` binding is a shared reference: nothing writes through it.
                let local = &self.locals.locals[self.local];
                let shared_reference = local.by_ref && !local.mutable;
                self.writes |= named && mutable && !shared_reference;
            }
            Expr::Reference(r) => self.expr(&r.expr, r.mutability.is_some()),
            Expr::Assign(a) => {
                self.expr(&a.left, true);
                self.expr(&a.right, false);
            }
            Expr::Binary(b) if crate::operands::is_compound_assignment(&b.op) => {
                self.expr(&b.left, true);
                self.expr(&b.right, false);
            }
            Expr::MethodCall(m) => {
                self.expr(&m.receiver, !reads_receiver(&m.method.to_string()));
                m.args.iter().for_each(|a| self.expr(a, false));
            }
            Expr::Field(f) => self.expr(&f.base, mutable),
            Expr::Index(i) => {
                self.expr(&i.expr, mutable);
                self.expr(&i.index, false);
            }
            Expr::Paren(p) => self.expr(&p.expr, mutable),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.expr(&u.expr, mutable),
            other => {
                let mut children = Children::default();
                syn::visit::visit_expr(&mut children, other);
                for child in children.exprs {
                    self.expr(child, false);
                }
                for mac in children.macros {
                    self.mac(mac);
                }
            }
        }
    }

    /// A macro: `write!(x, ..)` writes `x`; so do its tokens, as below.
    fn mac(&mut self, mac: &syn::Macro) {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if let Some(writer) = crate::macros::writer_of(&name, &mac.tokens)
            && Locals::use_of(&writer).is_some_and(|u| self.locals.uses[u].local == self.local)
        {
            self.writes = true;
        }
        self.tokens(mac.tokens.clone());
    }

    /// A macro's tokens (`run!(*x.get_mut() += 1)`, `select! { v =
    /// x.next() => .. }`): a `mut` local written where it is `&mut x`, or
    /// the receiver of a method that is not taken to read.
    fn tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Ident(ident)
                    if Locals::use_of(ident)
                        .is_some_and(|u| self.locals.uses[u].local == self.local) =>
                {
                    let mut_borrowed = i >= 2
                        && matches!(&trees[i - 1], TokenTree::Ident(m) if m == "mut")
                        && matches!(&trees[i - 2], TokenTree::Punct(p) if p.as_char() == '&');
                    let written_by_method = crate::macros::method_called_on(&trees, i)
                        .is_some_and(|method| !reads_receiver(&method));
                    // (A local that is not `mut` is written through a `&mut`
                    // it holds, if at all: read here, as before.)
                    let mutable = self.locals.locals[self.local].mutable;
                    self.writes |= mutable && (mut_borrowed || written_by_method);
                }
                TokenTree::Group(group) => self.tokens(group.stream()),
                _ => {}
            }
        }
    }
}

/// The direct sub-expressions of an expression (and of its blocks'
/// statements), and the tokens of the macros among them.
#[derive(Default)]
struct Children<'a> {
    exprs: Vec<&'a Expr>,
    macros: Vec<&'a syn::Macro>,
}

impl<'a> Visit<'a> for Children<'a> {
    fn visit_expr(&mut self, e: &'a Expr) {
        match e {
            Expr::Macro(m) => self.macros.push(&m.mac),
            e => self.exprs.push(e),
        }
    }

    fn visit_macro(&mut self, m: &'a syn::Macro) {
        self.macros.push(m);
    }
}

/// Methods that, by their names, read their receiver through `&self`
/// (not `get_mut`, `as_mut_slice`).
pub fn reads_receiver(method: &str) -> bool {
    !method.split('_').any(|word| word == "mut") && reads_by_name(method)
}

fn reads_by_name(method: &str) -> bool {
    [
        "is_",
        "has_",
        "to_",
        "as_",
        "get",
        "iter",
        "len",
        "contains",
        "starts_with",
        "ends_with",
    ]
    .iter()
    .any(|prefix| method.starts_with(prefix))
        || matches!(
            method,
            "clone"
                | "count"
                | "cmp"
                | "partial_cmp"
                | "eq"
                | "ne"
                | "lt"
                | "le"
                | "gt"
                | "ge"
                | "capacity"
                | "keys"
                | "values"
                | "first"
                | "last"
                | "borrow"
                | "probe"
                | "fmt"
        )
}

/// How a closure made `move` captures a plain local it borrowed natively.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Borrow {
    /// `let x = &x;`, and `(*x)` inside.
    Shared,
    /// `let x = &mut x;`, and `(*x)` inside.
    Mut,
    /// `let x = &mut *x;` (a `&mut` the local holds, reborrowed), `x` inside.
    Reborrow,
}

/// The uses a closure (or `async` block) makes, as the resolver recorded
/// them.
struct ClosureUses<'a> {
    locals: &'a Locals,
    markers: Vec<UseId>,
    /// The last of them, in source order.
    last_inside: usize,
    /// Written `move`.
    is_move: bool,
}

impl<'a> ClosureUses<'a> {
    fn of(locals: &'a Locals, closure: &Expr) -> Self {
        let markers = crate::cfg::markers_in_expr(closure);
        let last_inside = markers
            .iter()
            .map(|&u| locals.uses[u].seq)
            .max()
            .unwrap_or(0);
        let is_move = match closure {
            Expr::Closure(c) => c.capture.is_some(),
            Expr::Async(a) => a.capture.is_some(),
            _ => false,
        };
        ClosureUses {
            locals,
            markers,
            last_inside,
            is_move,
        }
    }

    /// Does the closure move `local` whole (`drop(x)` inside)?
    fn moves_whole(&self, local: LocalId) -> bool {
        self.markers.iter().any(|&m| {
            let u = &self.locals.uses[m];
            u.local == local
                && u.path.is_empty()
                && matches!(u.kind, UseKind::Capture { by_value: true, .. })
        })
    }

    /// Is `local` used after the closure, by a use that `counts`?
    fn used_after(&self, local: LocalId, counts: impl Fn(&UseKind) -> bool) -> bool {
        self.locals.uses.iter().any(|later| {
            later.local == local && later.seq > self.last_inside && counts(&later.kind)
        })
    }
}

/// The slot locals a closure (or `async` block) owns from when it is
/// made: those a `move` one names whole, and those another one moves
/// (`drop(x)` inside). A field named alone, `x.f`, is captured on its
/// own and stays behind the slot's pointer. (A `Copy` local moved in a
/// non-`move` closure is borrowed by rustc's, which then forbids writing
/// it while the closure lives: a copy taken when it is made reads the same.)
pub(crate) fn moved_whole_into(locals: &Locals, storage: &Storage, closure: &Expr) -> Vec<LocalId> {
    let uses = ClosureUses::of(locals, closure);
    let mut moved = Vec::new();
    for &u in &uses.markers {
        let use_ = &locals.uses[u];
        // A non-`move` closure that names a local read again after it
        // (rustc accepted the program) borrows it: a `Copy` value is
        // captured by reference. (A `move` closure copies it: taking a
        // `Copy` value leaves it readable in its slot.)
        // And a local known to be `Copy` (its written type, a literal) is
        // always captured by reference by a non-`move` closure.
        let owned = uses.is_move
            || (uses.moves_whole(use_.local)
                && !locals.locals[use_.local].known_copy()
                && !uses.used_after(use_.local, |k| *k != UseKind::Assign));
        if owned
            && use_.path.is_empty()
            && storage.is_slot(use_.local)
            && !moved.contains(&use_.local)
        {
            moved.push(use_.local);
        }
    }
    moved
}

/// The plain locals a non-`move` closure borrows, if it is made `move`
/// (it uses a slot local): those it names and that are used after it,
/// or that it does not move, each with how it is borrowed.
pub(crate) fn borrowed_plain_locals(
    locals: &Locals,
    storage: &Storage,
    unslotted: &[LocalId],
    closure: &Expr,
) -> Vec<(LocalId, Borrow)> {
    let uses = ClosureUses::of(locals, closure);
    let slot_local = |u: UseId| {
        let local = locals.uses[u].local;
        storage.is_slot(local) && !unslotted.contains(&local)
    };
    if uses.is_move || !uses.markers.iter().any(|&u| slot_local(u)) {
        return Vec::new();
    }
    let mut borrowed: Vec<(LocalId, Borrow)> = Vec::new();
    for &u in &uses.markers {
        let local = locals.uses[u].local;
        if storage.is_slot(local) || borrowed.iter().any(|&(l, _)| l == local) {
            continue;
        }
        let used_after = uses.used_after(local, |_| true);
        if !used_after && uses.moves_whole(local) {
            continue;
        }
        let declared = &locals.locals[local];
        let how = if declared.by_ref && declared.mutable {
            // A `ref mut` binding holds a `&mut`: reborrowed (the closure may
            // write through it inside a macro's tokens, unseen).
            Borrow::Reborrow
        } else if !writes(closure, local, locals) || holds_no_mut_reference(declared) {
            // (A method taken to write may take `&self`: a local that is
            // not `mut` and whose written type is no `&mut` is not written.)
            Borrow::Shared
        } else if declared.mutable {
            Borrow::Mut
        } else if used_after {
            // Written but not `mut`: through the `&mut` it holds.
            Borrow::Reborrow
        } else {
            // Perhaps not written after all (a method taken to write
            // may take `&self`): moved in, as it is not used again.
            continue;
        };
        borrowed.push((local, how));
    }
    borrowed
}

/// Not `mut`, and its written type is no `&mut`: nothing writes through it.
fn holds_no_mut_reference(local: &crate::locals::Local) -> bool {
    !local.mutable
        && local
            .ty
            .as_ref()
            .is_some_and(|t| !matches!(t, syn::Type::Reference(r) if r.mutability.is_some()))
}

/// The fields (local and path) a `move` closure moves out of their locals:
/// every use of one of them inside it names the one captured value.
pub(crate) fn fields_taken_by(
    locals: &Locals,
    field_moves: &std::collections::BTreeSet<UseId>,
    closure: &Expr,
) -> Vec<(LocalId, Vec<String>)> {
    let uses = ClosureUses::of(locals, closure);
    if !uses.is_move {
        return Vec::new();
    }
    (uses.markers.iter().copied())
        .filter(|&u| {
            let use_ = &locals.uses[u];
            !use_.path.is_empty()
                && (matches!(
                    use_.kind,
                    UseKind::Capture { by_value: true, .. } | UseKind::MovePart
                ) || field_moves.contains(&u))
        })
        .map(|u| (locals.uses[u].local, locals.uses[u].path.clone()))
        .collect()
}

/// A closure, not `move`, that names locals only inside `move` closures
/// and `async move` blocks of its own (`|| async move { n + 1 }`): made
/// `move`, it captures what it captures now, from when it is made (a
/// `Copy` local it borrows cannot change while it lives).
pub(crate) fn only_moves_on(closure: &Expr) -> bool {
    struct Scan {
        /// The closure's own parameters.
        own: Vec<syn::Ident>,
        nested_move: usize,
        outside: bool,
        inside: bool,
    }
    impl<'e> Visit<'e> for Scan {
        fn visit_expr(&mut self, e: &'e Expr) {
            let is_move = match e {
                Expr::Closure(c) => c.capture.is_some(),
                Expr::Async(a) => a.capture.is_some(),
                _ => false,
            };
            // (Outside, any name may be a local it borrows, tracked or not.)
            if let Expr::Path(p) = e
                && let Some(ident) = p.path.get_ident()
                && (self.nested_move > 0 || !self.own.contains(ident))
                && (Locals::use_of(ident).is_some() || self.nested_move == 0)
            {
                self.mark();
            }
            self.nested_move += usize::from(is_move);
            syn::visit::visit_expr(self, e);
            self.nested_move -= usize::from(is_move);
        }
        fn visit_macro(&mut self, m: &'e syn::Macro) {
            let names_a_local =
                crate::macros::any_ident(&m.tokens, &|i| Locals::use_of(i).is_some());
            if names_a_local || self.nested_move == 0 {
                self.mark();
            }
        }
    }
    impl Scan {
        fn mark(&mut self) {
            if self.nested_move > 0 {
                self.inside = true;
            } else {
                self.outside = true;
            }
        }
    }
    let Expr::Closure(c) = closure else {
        return false;
    };
    if c.capture.is_some() {
        return false;
    }
    let own = (c.inputs.iter())
        .flat_map(crate::patterns::binding_idents)
        .map(|(ident, _)| ident)
        .collect();
    let mut scan = Scan {
        own,
        nested_move: 0,
        outside: false,
        inside: false,
    };
    scan.visit_expr(&c.body);
    scan.inside && !scan.outside
}
