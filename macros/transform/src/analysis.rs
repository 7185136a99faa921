//! Which locals each waiting state holds, and which locals must never move.
//!
//! One walk over the normalized body, in evaluation order, resolves every
//! use of a local of the function to that local (respecting shadowing) and
//! replaces it by a marker the emitter later turns into the local's unique
//! name (or `(*name)` for a local that lives in a slot). On the way it
//! records, with a sequence number, where each local is declared, used by
//! value or by reference, and where each await is. From that:
//! - **stored**: a local in scope at an await is stored in that await's
//!   state unless it was used by value on every path before the await and
//!   is not used after it (it was moved, or it is `Copy` and has no drop
//!   glue, so dropping it early is not observable);
//! - **slot**: a stored local whose address matters (DESIGN.md §3.2): it is
//!   borrowed by an await's operand, or by the initializer, scrutinee or
//!   assignment that defines another stored local; and every stored local
//!   older than a slot it is stored beside (so that field order is drop order).

use crate::ir::{Arm, AwaitPoint, Block, Node, Stmt};
use crate::normalize::{HELD_PREFIX, ITER_PREFIX, TEMP_PREFIX};
use proc_macro2::{Span, TokenStream, TokenTree};
use std::collections::HashSet;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Pat};

/// Prefix of the markers that stand for resolved locals.
pub const LOCAL_MARKER: &str = "__explicit_async_local_";
/// Prefix of the internal names of pattern arguments (`(a, b): (u32, u32)`, `_`).
pub const ARG_PREFIX: &str = "__explicit_async_arg_";

pub type LocalId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalKind {
    Argument,
    /// `self`, stored as `this`.
    SelfArg,
    Let,
    /// A temporary introduced by hoisting an await out of an expression.
    Temporary,
    /// The iterator of a desugared `for`: `Iterator::next` cannot lend, so
    /// it is never address-sensitive (reference/src/q7.rs).
    Iterator,
}

#[derive(Debug, Clone)]
pub struct Local {
    /// The name the code uses: unique in the function (`x`, `x_2` for a shadowing `x`).
    pub name: Ident,
    /// The name as written (`x`), for docs.
    pub written: String,
    pub mutable: bool,
    pub kind: LocalKind,
    /// The scope that declares it: 0 for the arguments and the body's top level.
    pub scope: usize,
    /// Sequence number of its declaration.
    pub decl: usize,
    pub line: usize,
    pub slot: bool,
    /// Introduced by the macro (a temporary, an iterator, `this`): its name is hygienic.
    pub internal: bool,
    /// Moved before an await on some paths only, and not stored there: it
    /// must be `Copy` (checked by the expansion where it is declared).
    pub must_be_copy: bool,
}

struct Use {
    local: LocalId,
    seq: usize,
    by_value: bool,
    /// An assignment that (re)initializes the local.
    reinit: bool,
    /// Not a use in the code: a declaration without a value, or an assignment.
    event: bool,
    /// How many statements deep it is: a use inside a statement of a block
    /// initializer (`let y = { f(&x); 1 };`) does not make the defined local borrow it.
    depth: usize,
    /// The conditional regions (branches, arms, loop bodies, closures) it sits in.
    regions: Vec<usize>,
}

pub struct AwaitInfo {
    seq: usize,
    regions: Vec<usize>,
    /// Sequence ranges of the loops (of the body) that enclose it.
    loops: Vec<(usize, usize)>,
    /// The locals in scope at the await, in declaration order.
    pub in_scope: Vec<LocalId>,
    operand_borrows: Vec<LocalId>,
    /// The locals stored in its state, in declaration order.
    pub stored: Vec<LocalId>,
}

/// A definition of locals from an expression (a `let` initializer, a
/// `match` scrutinee, an assignment): if a defined local is stored, what the
/// expression borrows must not move.
struct Definition {
    defined: Vec<LocalId>,
    borrowed: Vec<LocalId>,
}

pub struct Analysis {
    pub locals: Vec<Local>,
    pub awaits: Vec<AwaitInfo>,
    uses: Vec<Use>,
    definitions: Vec<Definition>,
    dead_regions: HashSet<usize>,
    scope_parents: std::collections::HashMap<usize, usize>,
    /// For each closure or async block without `move`: the locals it uses.
    closure_captures: Vec<Vec<LocalId>>,
}

impl Analysis {
    /// Is `scope` the scope `outer`, or nested in it?
    pub fn is_within(&self, scope: usize, outer: usize) -> bool {
        let mut scope = scope;
        loop {
            if scope == outer {
                return true;
            }
            match self.scope_parents.get(&scope) {
                Some(&parent) => scope = parent,
                None => return false,
            }
        }
    }

    /// Slots declared in `scope` or in a scope nested in it, newest first.
    pub fn slots_within(&self, scope: usize) -> Vec<LocalId> {
        self.slots_newest_first()
            .into_iter()
            .filter(|&l| self.is_within(self.locals[l].scope, scope))
            .collect()
    }

    /// Does control reach the await from this use (it is not in a branch
    /// that always leaves, unless the await is in that branch too)?
    fn reaches(&self, u: &Use, at: &AwaitInfo) -> bool {
        !u.regions
            .iter()
            .any(|r| self.dead_regions.contains(r) && !at.regions.contains(r))
    }

    /// Slots, newest first (the frame's field order).
    pub fn slots_newest_first(&self) -> Vec<LocalId> {
        let mut slots: Vec<LocalId> = (0..self.locals.len())
            .filter(|&l| self.locals[l].slot)
            .collect();
        slots.sort_by_key(|&l| std::cmp::Reverse(self.locals[l].decl));
        slots
    }

    /// The locals stored in the variant of `await_id` (not in slots), in declaration order.
    pub fn variant_locals(&self, await_id: usize) -> Vec<LocalId> {
        self.awaits[await_id]
            .stored
            .iter()
            .copied()
            .filter(|&l| !self.locals[l].slot)
            .collect()
    }

    /// The field that holds the awaited future: `fut`, unless a local has that name.
    pub fn future_field(&self) -> Ident {
        let taken = self.locals.iter().any(|l| l.name == "fut");
        Ident::new(
            if taken { "awaited_future" } else { "fut" },
            Span::call_site(),
        )
    }

    pub fn marker_local(ident: &Ident) -> Option<LocalId> {
        Self::marker_use(ident).map(|(local, _)| local)
    }

    /// The local a marker stands for, and the use it records (none for a binding).
    pub fn marker_use(ident: &Ident) -> Option<(LocalId, Option<usize>)> {
        let s = ident.to_string();
        let rest = s.strip_prefix(LOCAL_MARKER)?;
        match rest.split_once('_') {
            Some((local, use_index)) => Some((local.parse().ok()?, use_index.parse().ok())),
            None => Some((rest.parse().ok()?, None)),
        }
    }

    /// Is this use the local's last, and by value? Then a slot local is
    /// moved out of its slot (a non-`Copy` local can only be used so once).
    pub fn is_final_move(&self, use_index: usize) -> bool {
        let u = &self.uses[use_index];
        u.by_value
            && !self
                .uses
                .iter()
                .any(|other| other.local == u.local && other.seq > u.seq)
    }
}

/// Walks the body; `args` are the argument patterns, already in the
/// body's first statements for pattern arguments.
pub fn analyze(
    args: &mut [(Ident, bool, LocalKind)],
    body: &mut Block,
    points: &mut [AwaitPoint],
) -> Analysis {
    let await_count = points.len();
    let mut walker = Walker {
        operands: points
            .iter_mut()
            .map(|p| Some(std::mem::replace(&mut p.operand, syn::parse_quote!(()))))
            .collect(),
        locals: Vec::new(),
        uses: Vec::new(),
        definitions: Vec::new(),
        awaits: (0..await_count)
            .map(|_| AwaitInfo {
                seq: 0,
                regions: Vec::new(),
                loops: Vec::new(),
                in_scope: Vec::new(),
                operand_borrows: Vec::new(),
                stored: Vec::new(),
            })
            .collect(),
        scopes: vec![Scope {
            id: 0,
            names: Vec::new(),
        }],
        next_scope: 1,
        seq: 0,
        regions: Vec::new(),
        next_region: 0,
        loops: Vec::new(),
        depth: 0,
        borrowing_closures: 0,
        dead_regions: HashSet::new(),
        scope_parents: std::collections::HashMap::new(),
        closure_captures: Vec::new(),
        by_value: true,
        consuming_receiver: false,
    };
    for (ident, mutable, kind) in args.iter_mut() {
        let id = walker.declare(ident, *mutable, *kind);
        *ident = marker(id, ident.span());
    }
    walker.block_contents(body);
    for (point, operand) in points.iter_mut().zip(std::mem::take(&mut walker.operands)) {
        point.operand = operand.expect("every await visited once");
    }
    let mut analysis = Analysis {
        locals: walker.locals,
        awaits: walker.awaits,
        uses: walker.uses,
        definitions: walker.definitions,
        dead_regions: walker.dead_regions,
        scope_parents: walker.scope_parents,
        closure_captures: walker.closure_captures,
    };
    analysis.decide_stored();
    analysis.decide_slots();
    analysis.name_locals();
    analysis
}

impl Analysis {
    fn decide_stored(&mut self) {
        for a in 0..self.awaits.len() {
            let info = &self.awaits[a];
            let mut stored = Vec::new();
            let mut checked = Vec::new();
            for &local in &info.in_scope {
                if self.used_after(local, info) {
                    stored.push(local);
                } else if self.moved_before(local, info) {
                    // Gone: moved, or `Copy` (no drop glue to run later).
                } else if self.moved_on_some_paths(local, info) {
                    // rustc would keep a drop flag; that is only unobservable
                    // for a `Copy` local, which the expansion asserts.
                    checked.push(local);
                } else {
                    stored.push(local);
                }
            }
            for local in checked {
                self.locals[local].must_be_copy = true;
            }
            self.awaits[a].stored = stored;
        }
    }

    /// Used by value before the await on some paths (in a branch) only.
    fn moved_on_some_paths(&self, local: LocalId, at: &AwaitInfo) -> bool {
        self.uses.iter().any(|u| {
            u.local == local
                && u.by_value
                && !u.event
                && u.seq > self.locals[local].decl
                && u.seq < at.seq
                && !at.regions.starts_with(&u.regions)
                && self.reaches(u, at)
        })
    }

    /// Moved (used by value, or declared without a value) on every path to
    /// the await, and not assigned again since.
    fn moved_before(&self, local: LocalId, at: &AwaitInfo) -> bool {
        self.uses
            .iter()
            .filter(|u| {
                u.local == local
                    && (u.by_value || u.reinit)
                    && u.seq > self.locals[local].decl
                    && u.seq < at.seq
                    && at.regions.starts_with(&u.regions)
            })
            .max_by_key(|u| u.seq)
            .is_some_and(|u| !u.reinit)
    }

    /// Used after the await, or anywhere in a loop around the await that the local outlives.
    fn used_after(&self, local: LocalId, at: &AwaitInfo) -> bool {
        let decl = self.locals[local].decl;
        // An assignment on every path after the await ends the value's life.
        let killed = self
            .uses
            .iter()
            .filter(|u| {
                u.local == local && u.reinit && u.seq > at.seq && at.regions.starts_with(&u.regions)
            })
            .map(|u| u.seq)
            .min();
        self.uses.iter().any(|u| {
            u.local == local
                && !u.event
                && ((u.seq > at.seq && killed.is_none_or(|k| u.seq < k))
                    || at
                        .loops
                        .iter()
                        .any(|&(start, end)| start > decl && u.seq >= start && u.seq <= end))
        })
    }

    fn decide_slots(&mut self) {
        let stored: HashSet<LocalId> = self
            .awaits
            .iter()
            .flat_map(|a| a.stored.iter().copied())
            .collect();
        let mut sensitive: HashSet<LocalId> = self
            .awaits
            .iter()
            .flat_map(|a| a.operand_borrows.iter().copied())
            .collect();
        for d in &self.definitions {
            if d.defined.iter().any(|l| stored.contains(l)) {
                sensitive.extend(d.borrowed.iter().copied());
            }
        }
        for &l in &sensitive {
            if stored.contains(&l) && self.locals[l].kind != LocalKind::Iterator {
                self.locals[l].slot = true;
            }
        }
        // A closure or async block that uses a slot captures the slots'
        // pointers by value (`move`): every stored local it uses must then be
        // a slot too, or `move` would copy it instead of borrowing it.
        loop {
            let mut changed = false;
            for captured in &self.closure_captures {
                if captured.iter().any(|&l| self.locals[l].slot) {
                    for &l in captured {
                        if stored.contains(&l) && !self.locals[l].slot {
                            self.locals[l].slot = true;
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        // A stored local older than a slot stored beside it becomes a slot
        // too, so that the frame's field order is rustc's drop order (q9).
        for a in &self.awaits {
            let newest_slot = a
                .stored
                .iter()
                .filter(|&&l| self.locals[l].slot)
                .map(|&l| self.locals[l].decl)
                .max();
            if let Some(newest_slot) = newest_slot {
                let older: Vec<LocalId> = a
                    .stored
                    .iter()
                    .copied()
                    .filter(|&l| self.locals[l].decl < newest_slot)
                    .collect();
                for l in older {
                    self.locals[l].slot = true;
                }
            }
        }
    }

    /// Unique names: the first `x` keeps its name, a shadowing one becomes `x_2`.
    fn name_locals(&mut self) {
        let mut taken: HashSet<String> = self.locals.iter().map(|l| l.written.clone()).collect();
        let mut seen: HashSet<String> = HashSet::new();
        for local in &mut self.locals {
            let base = local.written.clone();
            let name = if seen.insert(base.clone()) {
                base
            } else {
                let mut n = 2;
                while taken.contains(&format!("{base}_{n}")) {
                    n += 1;
                }
                format!("{base}_{n}")
            };
            taken.insert(name.clone());
            let span = local.name.span();
            local.name = Ident::new(&name, span);
        }
    }
}

pub fn marker(id: LocalId, span: Span) -> Ident {
    Ident::new(&format!("{LOCAL_MARKER}{id}"), span)
}

/// The name a local is written with in the expansion: its own, or a
/// readable one for what the macro introduced.
fn written_name(ident: &Ident) -> (String, LocalKind) {
    let s = ident.to_string();
    if let Some(n) = s.strip_prefix(TEMP_PREFIX) {
        (format!("tmp{n}"), LocalKind::Temporary)
    } else if let Some(n) = s.strip_prefix(HELD_PREFIX) {
        (format!("tmp{n}"), LocalKind::Let)
    } else if s.starts_with(ITER_PREFIX) {
        ("iter".to_string(), LocalKind::Iterator)
    } else if let Some(n) = s.strip_prefix(ARG_PREFIX) {
        (format!("arg{n}"), LocalKind::Argument)
    } else if s == "self" {
        ("this".to_string(), LocalKind::SelfArg)
    } else {
        (
            s.strip_prefix("r#").unwrap_or(&s).to_string(),
            LocalKind::Let,
        )
    }
}

struct Scope {
    id: usize,
    /// Names declared so far; `None` shadows without being a local of the
    /// function (a closure parameter, a binding in code with no await).
    names: Vec<(String, Option<LocalId>)>,
}

struct Walker {
    /// The await operands, visited where each await is evaluated.
    operands: Vec<Option<Expr>>,
    locals: Vec<Local>,
    uses: Vec<Use>,
    definitions: Vec<Definition>,
    awaits: Vec<AwaitInfo>,
    scopes: Vec<Scope>,
    next_scope: usize,
    seq: usize,
    regions: Vec<usize>,
    next_region: usize,
    loops: Vec<(usize, usize)>,
    /// Statement depth (see [`Use::depth`]).
    depth: usize,
    /// Closures and async blocks without `move` around the code being walked.
    borrowing_closures: usize,
    /// Regions that always leave (see `mark_dead_if`).
    dead_regions: HashSet<usize>,
    /// The scope each scope of the body is nested in.
    scope_parents: std::collections::HashMap<usize, usize>,
    /// See [`Analysis::closure_captures`].
    closure_captures: Vec<Vec<LocalId>>,
    /// Context of the expression about to be visited.
    by_value: bool,
    consuming_receiver: bool,
}

impl Walker {
    fn tick(&mut self) -> usize {
        self.seq += 1;
        self.seq
    }

    fn declare(&mut self, ident: &Ident, mutable: bool, kind: LocalKind) -> LocalId {
        let (written, detected) = written_name(ident);
        // What the name says (`self`, a temporary) wins over how it was declared.
        let kind = if kind == LocalKind::Let || detected == LocalKind::SelfArg {
            detected
        } else {
            kind
        };
        let decl = self.tick();
        let scope = self.scopes.last().map_or(0, |s| s.id);
        let line = ident.span().start().line;
        let hygienic = ident.to_string().starts_with("__explicit_async");
        let name_span = if hygienic {
            Span::mixed_site()
        } else if kind == LocalKind::SelfArg {
            Span::call_site()
        } else {
            ident.span()
        };
        self.locals.push(Local {
            name: Ident::new("placeholder", name_span),
            written,
            mutable,
            kind,
            scope,
            decl,
            line,
            slot: false,
            internal: hygienic || kind == LocalKind::SelfArg,
            must_be_copy: false,
        });
        let id = self.locals.len() - 1;
        self.scopes
            .last_mut()
            .expect("a scope")
            .names
            .push((ident.to_string(), Some(id)));
        id
    }

    fn shadow(&mut self, name: String) {
        self.scopes
            .last_mut()
            .expect("a scope")
            .names
            .push((name, None));
    }

    fn resolve(&self, name: &str) -> Option<LocalId> {
        for scope in self.scopes.iter().rev() {
            if let Some((_, id)) = scope.names.iter().rev().find(|(n, _)| n == name) {
                return *id;
            }
        }
        None
    }

    fn push_scope(&mut self, id: Option<usize>) {
        if let (Some(id), Some(parent)) = (id, self.scopes.last()) {
            self.scope_parents.insert(id, parent.id);
        }
        let id = id.unwrap_or_else(|| {
            self.next_scope += 1;
            self.next_scope + 1_000_000
        });
        self.scopes.push(Scope {
            id,
            names: Vec::new(),
        });
    }

    fn new_ir_scope(&mut self) -> usize {
        self.next_scope += 1;
        self.next_scope
    }

    /// The region just entered always leaves (`return`, `break`,
    /// `continue`): what it moves does not reach code after it.
    fn mark_dead_if(&mut self, leaves: bool) {
        if leaves {
            self.dead_regions.insert(self.next_region);
        }
    }

    fn enter_region(&mut self) {
        self.next_region += 1;
        self.regions.push(self.next_region);
    }

    /// Records a use; returns the marker that replaces it in the code.
    fn record(&mut self, local: LocalId, by_value: bool, span: Span) -> Ident {
        // A temporary of the hoisting is used once, and is done with after
        // it; a use inside a closure without `move` is a borrow.
        let by_value = (by_value && self.borrowing_closures == 0)
            || self.locals[local].kind == LocalKind::Temporary;
        let seq = self.tick();
        self.uses.push(Use {
            local,
            seq,
            by_value,
            reinit: false,
            event: false,
            depth: self.depth,
            regions: self.regions.clone(),
        });
        Ident::new(
            &format!("{LOCAL_MARKER}{local}_{}", self.uses.len() - 1),
            span,
        )
    }

    /// Walks a closure or an async block (`walk`). One without `move`
    /// borrows what it uses, and its captures are recorded; one with `move`
    /// takes what it uses (a copy, for a `Copy` local).
    fn capturing(&mut self, borrows: bool, walk: impl FnOnce(&mut Self)) {
        self.enter_region();
        self.push_scope(None);
        let start = self.uses.len();
        self.borrowing_closures += usize::from(borrows);
        self.by_value = !borrows;
        walk(self);
        self.borrowing_closures -= usize::from(borrows);
        if borrows {
            let captured = self.uses[start..].iter().map(|u| u.local).collect();
            self.closure_captures.push(captured);
        }
        self.scopes.pop();
        self.regions.pop();
    }

    /// Records an event that is not a use in the code: the local is
    /// declared without a value (`let x;`), or assigned.
    fn record_event(&mut self, local: LocalId, reinit: bool) {
        let seq = self.tick();
        self.uses.push(Use {
            local,
            seq,
            by_value: !reinit,
            reinit,
            event: true,
            depth: self.depth,
            regions: self.regions.clone(),
        });
    }

    /// Declares the bindings of a pattern of the body (replacing them by markers).
    fn declare_pattern(&mut self, pat: &mut Pat) -> Vec<LocalId> {
        let mut bindings = Vec::new();
        collect_bindings(pat, &mut |ident: &mut Ident, mutable: bool| {
            bindings.push((ident.clone(), mutable));
            ident.clone()
        });
        let ids: Vec<LocalId> = bindings
            .iter()
            .map(|(ident, mutable)| self.declare(ident, *mutable, LocalKind::Let))
            .collect();
        let mut next = ids.iter();
        collect_bindings(pat, &mut |ident: &mut Ident, _| {
            let id = *next.next().expect("same bindings");
            *ident = marker(id, ident.span());
            ident.clone()
        });
        ids
    }

    /// Shadows the bindings of a pattern in code with no await.
    fn shadow_pattern(&mut self, pat: &mut Pat) {
        let mut names = Vec::new();
        collect_bindings(pat, &mut |ident: &mut Ident, _| {
            names.push(ident.to_string());
            ident.clone()
        });
        for name in names {
            self.shadow(name);
        }
        // Types and constants in the pattern may name locals (rarely); visit its expressions.
        self.visit_pat_mut(pat);
    }

    /// The locals borrowed (not moved) at this statement depth since `start`.
    fn uses_since(&self, start: usize) -> Vec<LocalId> {
        self.uses[start..]
            .iter()
            .filter(|u| !u.by_value && u.depth == self.depth)
            .map(|u| u.local)
            .collect()
    }

    fn block_contents(&mut self, block: &mut Block) {
        let count = block.stmts.len();
        for (index, stmt) in block.stmts.iter_mut().enumerate() {
            let is_tail = index + 1 == count
                && matches!(
                    stmt,
                    Stmt::Expr { semi: false, .. } | Stmt::Plain(syn::Stmt::Expr(_, None))
                );
            self.depth += usize::from(!is_tail);
            self.stmt(stmt);
            self.depth -= usize::from(!is_tail);
        }
    }

    fn block(&mut self, block: &mut Block) {
        let scope = self.new_ir_scope();
        block.scope = scope;
        self.push_scope(Some(scope));
        self.block_contents(block);
        self.scopes.pop();
    }

    fn stmt(&mut self, stmt: &mut Stmt) {
        match stmt {
            Stmt::Plain(syn::Stmt::Local(local)) => {
                let start = self.uses.len();
                let binds_by_ref = crate::normalize::has_ref_binding(&local.pat);
                if let Some(init) = &mut local.init {
                    // `let (ref a, b) = x;` borrows `x`.
                    self.by_value = !binds_by_ref;
                    self.visit_expr_mut(&mut init.expr);
                    if let Some((_, diverge)) = &mut init.diverge {
                        self.enter_region();
                        self.value(diverge);
                        self.regions.pop();
                    }
                }
                let borrowed = self.uses_since(start);
                let defined = self.declare_pattern(&mut local.pat);
                if local.init.is_none() {
                    for &l in &defined {
                        self.record_event(l, false);
                    }
                }
                self.definitions.push(Definition { defined, borrowed });
            }
            Stmt::Plain(syn::Stmt::Expr(expr, _)) => self.value(expr),
            Stmt::Plain(syn::Stmt::Macro(mac)) => self.macro_call(&mut mac.mac),
            Stmt::Plain(syn::Stmt::Item(_)) => {}
            Stmt::Let {
                pat, init, diverge, ..
            } => {
                let start = self.uses.len();
                self.node(init);
                if let Some(diverge) = diverge {
                    self.enter_region();
                    self.visit_block_mut(diverge);
                    self.regions.pop();
                }
                let borrowed = self.uses_since(start);
                let defined = self.declare_pattern(pat);
                self.definitions.push(Definition { defined, borrowed });
            }
            Stmt::Expr { node, .. } => self.node(node),
        }
    }

    fn value(&mut self, expr: &mut Expr) {
        self.by_value = true;
        self.visit_expr_mut(expr);
    }

    fn node(&mut self, node: &mut Node) {
        match node {
            Node::Await { id, post } => {
                let id = *id;
                let mut operand = self.operands[id].take().expect("every await visited once");
                self.operand(id, &mut operand);
                self.operands[id] = Some(operand);
                self.awaits[id].seq = self.tick();
                self.awaits[id].regions = self.regions.clone();
                self.awaits[id].loops = self.loops.clone();
                self.awaits[id].in_scope = self.visible_locals();
                self.value(post);
            }
            Node::Block(b) => self.block(b),
            Node::If {
                cond,
                then,
                otherwise,
            } => {
                self.value(cond);
                self.enter_region();
                self.mark_dead_if(ir_block_leaves(then));
                self.block(then);
                self.regions.pop();
                if let Some(otherwise) = otherwise {
                    self.enter_region();
                    self.mark_dead_if(matches!(&**otherwise, Node::Block(b) if ir_block_leaves(b)));
                    self.node(otherwise);
                    self.regions.pop();
                }
            }
            Node::Match { scrutinee, arms } => {
                let start = self.uses.len();
                self.scrutinee(scrutinee);
                let borrowed = self.uses_since(start);
                for arm in arms {
                    self.arm(arm, &borrowed);
                }
            }
            Node::Loop { body, .. } => {
                let start = self.seq + 1;
                self.loops.push((start, usize::MAX));
                self.enter_region();
                self.block(body);
                self.regions.pop();
                let end = self.seq;
                self.loops.pop();
                self.fix_loop_end(start, end);
            }
            Node::Plain(expr) => self.value(expr),
        }
    }

    /// Awaits inside a loop were recorded with an open end; close it.
    fn fix_loop_end(&mut self, start: usize, end: usize) {
        for a in &mut self.awaits {
            for range in &mut a.loops {
                if range.0 == start && range.1 == usize::MAX {
                    range.1 = end;
                }
            }
        }
    }

    fn scrutinee(&mut self, expr: &mut Expr) {
        // A place scrutinee (`match opt { Some(v) => .. }`) is taken as a
        // move: its arms usually bind by value.
        self.value(expr);
    }

    fn arm(&mut self, arm: &mut Arm, borrowed: &[LocalId]) {
        let scope = self.new_ir_scope();
        arm.scope = scope;
        self.push_scope(Some(scope));
        self.enter_region();
        self.mark_dead_if(matches!(&arm.body, Node::Block(b) if ir_block_leaves(b)));
        let defined = self.declare_pattern(&mut arm.pat);
        self.definitions.push(Definition {
            defined,
            borrowed: borrowed.to_vec(),
        });
        if let Some(guard) = &mut arm.guard {
            self.value(guard);
        }
        self.node(&mut arm.body);
        self.regions.pop();
        self.scopes.pop();
    }

    fn visible_locals(&self) -> Vec<LocalId> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for scope in self.scopes.iter().rev() {
            for (_, id) in scope.names.iter().rev() {
                if let Some(id) = id
                    && seen.insert(*id)
                {
                    out.push(*id);
                }
            }
        }
        out.sort_by_key(|&id| self.locals[id].decl);
        out
    }

    /// Uses of locals in a macro's raw tokens: by reference, replaced by markers.
    /// Uses in a macro call: `vec!` moves its arguments; any other macro is
    /// taken to borrow them (as the format-like macros do).
    fn macro_call(&mut self, mac: &mut syn::Macro) {
        let by_value = mac.path.is_ident("vec");
        self.macro_tokens(&mut mac.tokens, by_value);
    }

    fn macro_tokens(&mut self, tokens: &mut TokenStream, by_value: bool) {
        let mut out = Vec::new();
        for tt in tokens.clone() {
            out.push(match tt {
                TokenTree::Ident(ident) => match self.resolve(&ident.to_string()) {
                    Some(id) => TokenTree::Ident(self.record(id, by_value, ident.span())),
                    None => TokenTree::Ident(ident),
                },
                TokenTree::Group(g) => {
                    let mut inner = g.stream();
                    self.macro_tokens(&mut inner, by_value);
                    let mut group = proc_macro2::Group::new(g.delimiter(), inner);
                    group.set_span(g.span());
                    TokenTree::Group(group)
                }
                other => other,
            });
        }
        *tokens = out.into_iter().collect();
    }
}

/// Calls `f` on every binding of a pattern (not on paths like `None`).
fn collect_bindings(pat: &mut Pat, f: &mut dyn FnMut(&mut Ident, bool) -> Ident) {
    match pat {
        Pat::Ident(p) => {
            let name = p.ident.to_string();
            let is_binding = p.subpat.is_some()
                || p.by_ref.is_some()
                || p.mutability.is_some()
                || !name.chars().next().is_some_and(|c| c.is_uppercase());
            if is_binding {
                f(&mut p.ident, p.mutability.is_some());
            }
            if let Some((_, sub)) = &mut p.subpat {
                collect_bindings(sub, f);
            }
        }
        Pat::Struct(s) => {
            for field in &mut s.fields {
                collect_bindings(&mut field.pat, f);
            }
        }
        Pat::TupleStruct(t) => t.elems.iter_mut().for_each(|p| collect_bindings(p, f)),
        Pat::Tuple(t) => t.elems.iter_mut().for_each(|p| collect_bindings(p, f)),
        Pat::Slice(s) => s.elems.iter_mut().for_each(|p| collect_bindings(p, f)),
        Pat::Or(o) => {
            // Every alternative binds the same names: declare the first, mark all.
            let mut first = true;
            for case in &mut o.cases {
                if first {
                    collect_bindings(case, f);
                    first = false;
                }
            }
        }
        Pat::Reference(r) => collect_bindings(&mut r.pat, f),
        Pat::Type(t) => collect_bindings(&mut t.pat, f),
        Pat::Paren(p) => collect_bindings(&mut p.pat, f),
        _ => {}
    }
}

/// Method names that take `self` by value on the standard types most often
/// used this way; any other receiver is taken as borrowed.
const CONSUMING_METHODS: &[&str] = &[
    "into_iter",
    "unwrap",
    "expect",
    "unwrap_or",
    "unwrap_or_default",
    "unwrap_or_else",
    "ok",
    "err",
    "map",
    "map_err",
    "and_then",
    "or_else",
    "ok_or",
    "ok_or_else",
    "into",
    "into_inner",
    "into_bytes",
    "into_boxed_slice",
    "into_string",
    "into_vec",
    "join",
    "collect",
    "sum",
    "count",
    "fold",
];

impl VisitMut for Walker {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        let by_value = std::mem::replace(&mut self.by_value, true);
        let consuming = std::mem::replace(&mut self.consuming_receiver, false);
        match expr {
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                let ident = &p.path.segments[0].ident;
                if let Some(id) = self.resolve(&ident.to_string()) {
                    let span = ident.span();
                    p.path.segments[0].ident = self.record(id, by_value || consuming, span);
                }
            }
            Expr::Reference(r) => {
                self.by_value = false;
                self.visit_expr_mut(&mut r.expr);
            }
            Expr::MethodCall(m) => {
                // `out.push(&v)` may keep the borrow in `out`, as a definition would.
                let receiver = match &*m.receiver {
                    Expr::Path(p) if p.path.segments.len() == 1 => {
                        self.resolve(&p.path.segments[0].ident.to_string())
                    }
                    _ => None,
                };
                self.by_value = false;
                self.consuming_receiver =
                    CONSUMING_METHODS.contains(&m.method.to_string().as_str());
                self.visit_expr_mut(&mut m.receiver);
                for arg in &mut m.args {
                    self.value(arg);
                }
                if let Some(receiver) = receiver {
                    let borrowed = m.args.iter().flat_map(explicitly_borrowed).collect();
                    self.definitions.push(Definition {
                        defined: vec![receiver],
                        borrowed,
                    });
                }
            }
            Expr::Field(f) => {
                self.by_value = false;
                self.visit_expr_mut(&mut f.base);
            }
            Expr::Index(i) => {
                self.by_value = false;
                self.visit_expr_mut(&mut i.expr);
                self.value(&mut i.index);
            }
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => {
                self.by_value = false;
                self.visit_expr_mut(&mut u.expr);
            }
            Expr::Binary(b) => {
                let compares = matches!(
                    b.op,
                    syn::BinOp::Eq(_)
                        | syn::BinOp::Ne(_)
                        | syn::BinOp::Lt(_)
                        | syn::BinOp::Le(_)
                        | syn::BinOp::Gt(_)
                        | syn::BinOp::Ge(_)
                );
                let assigns = crate::normalize::is_compound_assignment(&b.op);
                self.by_value = !(compares || assigns);
                self.visit_expr_mut(&mut b.left);
                if matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_)) {
                    self.enter_region();
                    self.by_value = true;
                    self.visit_expr_mut(&mut b.right);
                    self.regions.pop();
                } else {
                    self.by_value = !compares;
                    self.visit_expr_mut(&mut b.right);
                }
            }
            Expr::Assign(a) => {
                let start = self.uses.len();
                self.value(&mut a.right);
                let borrowed = self.uses_since(start);
                self.by_value = false;
                let target = match &*a.left {
                    Expr::Path(p) if p.path.segments.len() == 1 => {
                        self.resolve(&p.path.segments[0].ident.to_string())
                    }
                    _ => None,
                };
                self.visit_expr_mut(&mut a.left);
                if let Some(target) = target {
                    // `x = ..` writes `x`: it is not a use, it (re)initializes it.
                    if let Some(write) = self.uses.last_mut().filter(|u| u.local == target) {
                        write.event = true;
                        write.reinit = true;
                        write.by_value = false;
                    }
                    self.definitions.push(Definition {
                        defined: vec![target],
                        borrowed,
                    });
                }
            }
            Expr::Closure(c) => {
                let (inputs, body, borrows) = (&mut c.inputs, &mut c.body, c.capture.is_none());
                self.capturing(borrows, |walker| {
                    for input in inputs {
                        walker.shadow_pattern(input);
                    }
                    walker.by_value = !borrows;
                    walker.visit_expr_mut(body);
                });
            }
            Expr::Async(a) => {
                let stmts = &mut a.block.stmts;
                self.capturing(a.capture.is_none(), |walker| {
                    for stmt in stmts {
                        walker.visit_stmt_mut(stmt);
                    }
                });
            }
            Expr::Block(b) => self.visit_block_mut(&mut b.block),
            Expr::If(i) => {
                self.push_scope(None);
                if let Expr::Let(l) = &mut *i.cond {
                    self.value(&mut l.expr);
                    self.shadow_pattern(&mut l.pat);
                } else {
                    self.value(&mut i.cond);
                }
                self.enter_region();
                self.mark_dead_if(syn_block_leaves(&i.then_branch));
                self.visit_block_mut(&mut i.then_branch);
                self.regions.pop();
                self.scopes.pop();
                if let Some((_, otherwise)) = &mut i.else_branch {
                    self.enter_region();
                    self.value(otherwise);
                    self.regions.pop();
                }
            }
            Expr::Match(m) => {
                self.value(&mut m.expr);
                for arm in &mut m.arms {
                    self.enter_region();
                    self.push_scope(None);
                    self.shadow_pattern(&mut arm.pat);
                    if let Some((_, guard)) = &mut arm.guard {
                        self.value(guard);
                    }
                    self.value(&mut arm.body);
                    self.scopes.pop();
                    self.regions.pop();
                }
            }
            Expr::ForLoop(f) => {
                self.value(&mut f.expr);
                self.enter_region();
                self.push_scope(None);
                self.shadow_pattern(&mut f.pat);
                self.visit_block_mut(&mut f.body);
                self.scopes.pop();
                self.regions.pop();
            }
            Expr::While(w) => {
                self.enter_region();
                self.push_scope(None);
                if let Expr::Let(l) = &mut *w.cond {
                    self.value(&mut l.expr);
                    self.shadow_pattern(&mut l.pat);
                } else {
                    self.value(&mut w.cond);
                }
                self.visit_block_mut(&mut w.body);
                self.scopes.pop();
                self.regions.pop();
            }
            Expr::Loop(l) => {
                self.enter_region();
                self.visit_block_mut(&mut l.body);
                self.regions.pop();
            }
            Expr::Macro(m) => self.macro_call(&mut m.mac),
            Expr::Call(c) if crate::macros::marker_index(c).is_some() => {
                // An opened macro: a format-like one borrows its arguments.
                let by_value = crate::macros::takes_by_value(c);
                for arg in &mut c.args {
                    self.by_value = by_value;
                    self.visit_expr_mut(arg);
                }
            }
            Expr::Call(c) => {
                // Calling a local closure borrows it (`Fn`, `FnMut`); the
                // future an async closure returns keeps that borrow.
                self.by_value = false;
                self.visit_expr_mut(&mut c.func);
                for arg in &mut c.args {
                    self.value(arg);
                }
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        self.push_scope(None);
        let count = block.stmts.len();
        for (index, stmt) in block.stmts.iter_mut().enumerate() {
            let is_tail = index + 1 == count && matches!(stmt, syn::Stmt::Expr(_, None));
            self.depth += usize::from(!is_tail);
            self.visit_stmt_mut(stmt);
            self.depth -= usize::from(!is_tail);
        }
        self.scopes.pop();
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        match stmt {
            syn::Stmt::Local(local) => {
                if let Some(init) = &mut local.init {
                    self.value(&mut init.expr);
                    if let Some((_, diverge)) = &mut init.diverge {
                        self.value(diverge);
                    }
                }
                self.shadow_pattern(&mut local.pat);
            }
            syn::Stmt::Expr(e, _) => self.value(e),
            syn::Stmt::Macro(m) => self.macro_call(&mut m.mac),
            syn::Stmt::Item(_) => {}
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

impl Walker {
    /// Records the operand of await `id` (visited where the await is evaluated).
    fn operand(&mut self, id: usize, operand: &mut Expr) {
        let start = self.uses.len();
        self.value(operand);
        self.awaits[id].operand_borrows = self.uses_since(start);
    }
}

/// Does an IR block always leave (end in `return`, `break` or `continue`)?
fn ir_block_leaves(block: &Block) -> bool {
    matches!(block.stmts.last(), Some(Stmt::Plain(syn::Stmt::Expr(e, _))) if leaves(e))
}

fn syn_block_leaves(block: &syn::Block) -> bool {
    matches!(block.stmts.last(), Some(syn::Stmt::Expr(e, _)) if leaves(e))
}

fn leaves(expr: &Expr) -> bool {
    matches!(expr, Expr::Return(_) | Expr::Break(_) | Expr::Continue(_))
}

/// The locals an argument borrows with `&` or `&mut` (`&v`, `&v.field`):
/// a method may keep such a borrow in its receiver (`out.push(&v)`).
fn explicitly_borrowed(arg: &Expr) -> Vec<LocalId> {
    struct Finder(Vec<LocalId>);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr_reference(&mut self, r: &'ast syn::ExprReference) {
            let mut place = &*r.expr;
            loop {
                match place {
                    Expr::Field(f) => place = &f.base,
                    Expr::Index(i) => place = &i.expr,
                    Expr::Paren(p) => place = &p.expr,
                    _ => break,
                }
            }
            if let Expr::Path(p) = place
                && let Some(ident) = p.path.get_ident()
                && let Some(local) = Analysis::marker_local(ident)
            {
                self.0.push(local);
            }
            syn::visit::visit_expr_reference(self, r);
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut finder = Finder(Vec::new());
    syn::visit::Visit::visit_expr(&mut finder, arg);
    finder.0
}
