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
use crate::macros::CloseMacros;
use crate::normalize::{ITER_PREFIX, TEMP_PREFIX};
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
}

struct Use {
    local: LocalId,
    seq: usize,
    by_value: bool,
    /// The conditional regions (branches, arms, loop bodies, closures) it sits in.
    regions: Vec<usize>,
}

pub struct AwaitInfo {
    seq: usize,
    regions: Vec<usize>,
    /// Sequence ranges of the loops (of the body) that enclose it.
    loops: Vec<(usize, usize)>,
    in_scope: Vec<LocalId>,
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
}

impl Analysis {
    pub fn is_stored_anywhere(&self, local: LocalId) -> bool {
        self.awaits.iter().any(|a| a.stored.contains(&local))
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

    /// The slots live at `await_id`, in declaration order.
    pub fn slot_locals(&self, await_id: usize) -> Vec<LocalId> {
        self.awaits[await_id]
            .stored
            .iter()
            .copied()
            .filter(|&l| self.locals[l].slot)
            .collect()
    }

    pub fn marker_local(ident: &Ident) -> Option<LocalId> {
        ident.to_string().strip_prefix(LOCAL_MARKER)?.parse().ok()
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
            let stored = info
                .in_scope
                .iter()
                .copied()
                .filter(|&local| !(self.moved_before(local, info) && !self.used_after(local, info)))
                .collect();
            self.awaits[a].stored = stored;
        }
    }

    /// Used by value on every path from its declaration to the await.
    fn moved_before(&self, local: LocalId, at: &AwaitInfo) -> bool {
        self.uses.iter().any(|u| {
            u.local == local
                && u.by_value
                && u.seq > self.locals[local].decl
                && u.seq < at.seq
                && at.regions.starts_with(&u.regions)
        })
    }

    /// Used after the await, or anywhere in a loop around the await that the local outlives.
    fn used_after(&self, local: LocalId, at: &AwaitInfo) -> bool {
        let decl = self.locals[local].decl;
        self.uses.iter().any(|u| {
            u.local == local
                && (u.seq > at.seq
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
        let kind = if kind == LocalKind::Let {
            detected
        } else if detected == LocalKind::SelfArg {
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

    fn enter_region(&mut self) {
        self.next_region += 1;
        self.regions.push(self.next_region);
    }

    fn record(&mut self, local: LocalId, by_value: bool) {
        let seq = self.tick();
        self.uses.push(Use {
            local,
            seq,
            by_value,
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

    fn uses_since(&self, start: usize) -> Vec<LocalId> {
        self.uses[start..]
            .iter()
            .filter(|u| !u.by_value)
            .map(|u| u.local)
            .collect()
    }

    fn block_contents(&mut self, block: &mut Block) {
        for stmt in &mut block.stmts {
            self.stmt(stmt);
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
                if let Some(init) = &mut local.init {
                    self.value(&mut init.expr);
                    if let Some((_, diverge)) = &mut init.diverge {
                        self.enter_region();
                        self.value(diverge);
                        self.regions.pop();
                    }
                }
                let borrowed = self.uses_since(start);
                let defined = self.declare_pattern(&mut local.pat);
                self.definitions.push(Definition { defined, borrowed });
            }
            Stmt::Plain(syn::Stmt::Expr(expr, _)) => self.value(expr),
            Stmt::Plain(syn::Stmt::Macro(mac)) => self.macro_tokens(&mut mac.mac.tokens),
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
                self.block(then);
                self.regions.pop();
                if let Some(otherwise) = otherwise {
                    self.enter_region();
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
                if let Some(id) = id {
                    if seen.insert(*id) {
                        out.push(*id);
                    }
                }
            }
        }
        out.sort_by_key(|&id| self.locals[id].decl);
        out
    }

    /// Uses of locals in a macro's raw tokens: by reference, replaced by markers.
    fn macro_tokens(&mut self, tokens: &mut TokenStream) {
        let mut out = Vec::new();
        for tt in tokens.clone() {
            out.push(match tt {
                TokenTree::Ident(ident) => match self.resolve(&ident.to_string()) {
                    Some(id) => {
                        self.record(id, false);
                        TokenTree::Ident(marker(id, ident.span()))
                    }
                    None => TokenTree::Ident(ident),
                },
                TokenTree::Group(g) => {
                    let mut inner = g.stream();
                    self.macro_tokens(&mut inner);
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
                    self.record(id, by_value || consuming);
                    let span = ident.span();
                    p.path.segments[0].ident = marker(id, span);
                }
            }
            Expr::Reference(r) => {
                self.by_value = false;
                self.visit_expr_mut(&mut r.expr);
            }
            Expr::MethodCall(m) => {
                self.by_value = false;
                self.consuming_receiver =
                    CONSUMING_METHODS.contains(&m.method.to_string().as_str());
                self.visit_expr_mut(&mut m.receiver);
                for arg in &mut m.args {
                    self.value(arg);
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
                let assigns = matches!(
                    b.op,
                    syn::BinOp::AddAssign(_)
                        | syn::BinOp::SubAssign(_)
                        | syn::BinOp::MulAssign(_)
                        | syn::BinOp::DivAssign(_)
                        | syn::BinOp::RemAssign(_)
                        | syn::BinOp::BitXorAssign(_)
                        | syn::BinOp::BitAndAssign(_)
                        | syn::BinOp::BitOrAssign(_)
                        | syn::BinOp::ShlAssign(_)
                        | syn::BinOp::ShrAssign(_)
                );
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
                    self.definitions.push(Definition {
                        defined: vec![target],
                        borrowed,
                    });
                }
            }
            Expr::Closure(c) => {
                self.enter_region();
                self.push_scope(None);
                for input in &mut c.inputs {
                    self.shadow_pattern(input);
                }
                self.by_value = c.capture.is_some();
                self.visit_expr_mut(&mut c.body);
                self.scopes.pop();
                self.regions.pop();
            }
            Expr::Async(a) => {
                self.enter_region();
                self.push_scope(None);
                self.by_value = a.capture.is_some();
                for stmt in &mut a.block.stmts {
                    self.visit_stmt_mut(stmt);
                }
                self.scopes.pop();
                self.regions.pop();
            }
            Expr::Block(b) => {
                self.push_scope(None);
                for stmt in &mut b.block.stmts {
                    self.visit_stmt_mut(stmt);
                }
                self.scopes.pop();
            }
            Expr::If(i) => {
                self.push_scope(None);
                if let Expr::Let(l) = &mut *i.cond {
                    self.value(&mut l.expr);
                    self.shadow_pattern(&mut l.pat);
                } else {
                    self.value(&mut i.cond);
                }
                self.enter_region();
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
            Expr::Macro(m) => self.macro_tokens(&mut m.mac.tokens),
            Expr::Call(c) if CloseMacros::index(c).is_some() => {
                // An opened format-like macro: its arguments are borrowed.
                for arg in &mut c.args {
                    self.by_value = false;
                    self.visit_expr_mut(arg);
                }
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        self.push_scope(None);
        for stmt in &mut block.stmts {
            self.visit_stmt_mut(stmt);
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
            syn::Stmt::Macro(m) => self.macro_tokens(&mut m.mac.tokens),
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
