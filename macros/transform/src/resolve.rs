//! Name resolution over the normalized body (see [`locals`](crate::locals)).
//!
//! A stack of scopes maps names to locals. Bindings the function can store
//! across an await (those declared directly in an IR block or arm, and the
//! arguments) get a [`LocalId`] and a marker; bindings inside plain code
//! (a nested block, a closure's parameters, an arm of a match with no
//! await) only shadow, so that a use of their name is left alone.
//!
//! This file walks the IR and declares the bindings of patterns; the uses
//! in plain expressions are resolved in [`resolve_expr`](crate::resolve_expr).

use crate::ir::{Arm, AwaitPoint, Block, Node, ScopeId, Stmt};
use crate::locals::{Local, LocalId, LocalKind, Locals};
use crate::normalize::internal_base;
use crate::patterns::{bind_idents, let_use, scrutinee_use};
use crate::resolve_expr::Ctx;
use proc_macro2::Span;
use std::collections::{BTreeMap, HashMap};
use syn::{Expr, Ident, Pat};

pub struct Resolver<'a> {
    pub out: Locals,
    /// The field path of the `x.a.b` whose root is being resolved.
    pub(super) path: Vec<String>,
    scopes: Vec<HashMap<String, Option<LocalId>>>,
    seq: usize,
    /// Inside a closure or `async` block: `Some(is_move)`.
    pub(super) closure: Option<bool>,
    points: &'a mut [AwaitPoint],
    /// From the normalizer: statement temporaries, by name, with the count
    /// of temporaries made before their statement.
    statement_temps: BTreeMap<String, usize>,
    /// The normalizer's temporaries, with their numbers.
    temp_numbers: BTreeMap<String, usize>,
    /// Each temporary's number (`7` in `__ea_read_output_7`) and its `decl`.
    temp_decls: Vec<(usize, usize)>,
}

/// `decl` is a local's rank in drop order (a later one drops first): its
/// position in the source, times this, leaving room to rank a statement's
/// temporaries before the values the statement evaluates.
const DECL_STEP: usize = 1024;

impl<'a> Resolver<'a> {
    pub fn new(
        points: &'a mut [AwaitPoint],
        statement_temps: BTreeMap<String, usize>,
        temp_numbers: BTreeMap<String, usize>,
    ) -> Self {
        Resolver {
            out: Locals {
                scope_parents: vec![None],
                ..Locals::default()
            },
            scopes: vec![HashMap::new()],
            path: Vec::new(),
            seq: 0,
            closure: None,
            points,
            statement_temps,
            temp_numbers,
            temp_decls: Vec::new(),
        }
    }

    pub(super) fn next_seq(&mut self) -> usize {
        self.seq += 1;
        self.seq
    }

    /// Declares an argument (scope 0), returning its id.
    pub fn argument(&mut self, name: &Ident, kind: LocalKind, mutable: bool) -> LocalId {
        self.declare(name, kind, 0, mutable, false, false)
    }

    /// A local's `decl`. A temporary that lives to the end of its statement
    /// (`&mk()` in `(a(), f(&mk(), g().await))`) ranks before everything
    /// its statement declared so far, among its statement's temporaries in
    /// order: when the function is dropped at the await, rustc drops the
    /// evaluated operands (`a()`) first, with the expression that would
    /// take them, and the statement's temporaries after.
    fn decl_rank(&mut self, written: &str) -> usize {
        let decl = self.next_seq() * DECL_STEP;
        let Some(&number) = self.temp_numbers.get(written) else {
            return decl;
        };
        let rank = match self.statement_temps.get(written) {
            Some(&start) => {
                let of_statement: Vec<usize> = self
                    .temp_decls
                    .iter()
                    // Made in its statement before it (a tail's temporary
                    // deferred out of a block, made later, is not).
                    .filter(|(n, _)| *n > start && *n < number)
                    .map(|(_, d)| *d)
                    .collect();
                // After the statement temporaries made before it (they
                // rank between two steps), before every other value.
                let earlier = of_statement.iter().filter(|d| *d % DECL_STEP != 0).count();
                let first = of_statement.into_iter().min().unwrap_or(decl);
                first.div_ceil(DECL_STEP) * DECL_STEP - DECL_STEP / 2 + earlier
            }
            None => decl,
        };
        self.temp_decls.push((number, rank));
        rank
    }

    fn declare(
        &mut self,
        name: &Ident,
        kind: LocalKind,
        scope: ScopeId,
        mutable: bool,
        by_ref: bool,
        deferred: bool,
    ) -> LocalId {
        let written = name.to_string();
        let (display, internal, kind) = match internal_base(&written) {
            Some(base) => {
                let kind = match kind {
                    LocalKind::Argument | LocalKind::SelfArg => kind,
                    _ if base == "iter" => LocalKind::Iterator,
                    _ => LocalKind::Temporary,
                };
                (
                    Ident::new(base, Span::mixed_site().located_at(name.span())),
                    true,
                    kind,
                )
            }
            None => (name.clone(), false, kind),
        };
        let id = self.out.locals.len();
        let decl = self.decl_rank(&written);
        self.out.locals.push(Local {
            name: display,
            internal,
            kind,
            scope,
            decl,
            mutable,
            by_ref,
            deferred,
            ty: None,
            literal: false,
            iterator: false,
            line: name.span().start().line,
        });
        self.scopes
            .last_mut()
            .expect("a scope")
            .insert(written, Some(id));
        id
    }

    fn shadow(&mut self, name: &Ident) {
        self.scopes
            .last_mut()
            .expect("a scope")
            .insert(name.to_string(), None);
    }

    pub(super) fn lookup(&self, name: &str) -> Option<LocalId> {
        for scope in self.scopes.iter().rev() {
            if let Some(found) = scope.get(name) {
                return *found;
            }
        }
        None
    }

    pub(super) fn push_scope(&mut self) {
        self.scopes.push(HashMap::new());
    }

    pub(super) fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    fn new_scope_id(&mut self, parent: ScopeId) -> ScopeId {
        self.out.scope_parents.push(Some(parent));
        self.out.scope_parents.len() - 1
    }

    // ---- the IR ----

    pub fn body(&mut self, block: &mut Block) {
        block.scope = 0;
        self.ir_stmts(&mut block.stmts, 0);
    }

    fn ir_block(&mut self, block: &mut Block, parent: ScopeId) {
        block.scope = self.new_scope_id(parent);
        self.push_scope();
        self.ir_stmts(&mut block.stmts, block.scope);
        self.pop_scope();
    }

    fn ir_stmts(&mut self, stmts: &mut [Stmt], scope: ScopeId) {
        for stmt in stmts {
            match stmt {
                Stmt::Plain(s) => self.plain_stmt(s, Some(scope)),
                Stmt::Let { pat, init, .. } => {
                    self.ir_node(init, scope, Ctx::of(let_use(pat)));
                    let first = self.out.locals.len();
                    self.bind_pattern(pat, Some((scope, LocalKind::Let)), false);
                    self.record_written_type(pat, first);
                }
                Stmt::Expr { node, .. } => self.ir_node(node, scope, Ctx::Value),
            }
        }
    }

    fn ir_node(&mut self, node: &mut Node, scope: ScopeId, ctx: Ctx) {
        match node {
            Node::Await(id) => {
                let id = *id;
                let mut operand =
                    std::mem::replace(&mut self.points[id].operand, syn::parse_quote!(()));
                self.expr(&mut operand, Ctx::Value);
                self.points[id].operand = operand;
                self.next_seq();
            }
            Node::Block(b) => self.ir_block(b, scope),
            Node::If {
                cond,
                then,
                otherwise,
                ..
            } => {
                self.expr(cond, Ctx::Value);
                self.ir_block(then, scope);
                if let Some(o) = otherwise {
                    self.ir_node(o, scope, ctx);
                }
            }
            Node::Match {
                scrutinee, arms, ..
            } => {
                self.expr(
                    scrutinee,
                    Ctx::of(scrutinee_use(arms.iter().map(|a| &a.pat))),
                );
                for arm in arms {
                    self.ir_arm(arm, scope, ctx.clone());
                }
            }
            Node::Loop { body, .. } => self.ir_block(body, scope),
            Node::Plain(e) => self.expr(e, ctx),
        }
    }

    fn ir_arm(&mut self, arm: &mut Arm, parent: ScopeId, ctx: Ctx) {
        arm.scope = self.new_scope_id(parent);
        self.push_scope();
        self.bind_pattern(
            &mut arm.pat,
            Some((arm.scope, LocalKind::ArmBinding)),
            false,
        );
        if let Some(g) = &mut arm.guard {
            self.guard(g, arm.scope);
        }
        self.ir_node(&mut arm.body, arm.scope, ctx);
        self.pop_scope();
    }

    // ---- plain code ----

    /// A statement; `tracked` is the IR scope when its bindings can be stored.
    fn plain_stmt(&mut self, stmt: &mut syn::Stmt, tracked: Option<ScopeId>) {
        match stmt {
            syn::Stmt::Local(local) => {
                let deferred = local.init.is_none();
                if let Some(init) = &mut local.init {
                    self.expr(&mut init.expr, Ctx::of(let_use(&local.pat)));
                    if let Some((_, diverge)) = &mut init.diverge {
                        self.expr(diverge, Ctx::Value);
                    }
                }
                let tracked = tracked.map(|s| (s, LocalKind::Let));
                let first = self.out.locals.len();
                self.bind_pattern(&mut local.pat, tracked, deferred);
                self.record_written_type(&local.pat, first);
                self.record_moved_type(local, first);
                // `let x = value;`: what the value's form says of `x`.
                let one_binding =
                    matches!(local.pat, Pat::Ident(_)) && self.out.locals.len() == first + 1;
                if let Some(init) = local
                    .init
                    .as_ref()
                    .filter(|i| one_binding && i.diverge.is_none())
                {
                    self.out.locals[first].literal = is_literal(&init.expr);
                    self.out.locals[first].iterator = makes_an_iterator(&init.expr);
                }
            }
            syn::Stmt::Expr(e, _) => self.expr(e, Ctx::Value),
            syn::Stmt::Macro(m) => self.mac(&mut m.mac),
            syn::Stmt::Item(_) => {}
        }
    }

    /// `let x: T = ..`: the type of the one local `pat` bound (from `first`).
    /// The types a pattern's bindings have by the type written on it
    /// (`let x: u64`, `(d, n): (D, i64)`).
    fn record_written_type(&mut self, pat: &Pat, first: LocalId) {
        if let Pat::Type(t) = pat {
            self.record_types_by_structure(&t.pat, &t.ty, first);
        }
    }

    /// `let x = y;` or `let (a, b) = y;` with `y`'s type written (an
    /// argument bound again by its pattern's prelude): its bindings have
    /// the types of the parts they bind.
    fn record_moved_type(&mut self, local: &syn::Local, first: LocalId) {
        let from = match &local.init {
            Some(init) if init.diverge.is_none() => match &*init.expr {
                Expr::Path(path) => path.path.get_ident().and_then(Locals::use_of),
                _ => None,
            },
            _ => None,
        };
        if let Some(u) = from
            && let Some(ty) = self.out.locals[self.out.uses[u].local].ty.clone()
        {
            self.record_types_by_structure(&local.pat, &ty, first);
        }
    }

    /// Gives the bindings declared from `first` on the parts of `ty` that
    /// `pat` binds by value, where the two have the same shape.
    fn record_types_by_structure(&mut self, pat: &Pat, ty: &syn::Type, first: LocalId) {
        match (pat, ty) {
            (_, syn::Type::Paren(t)) => self.record_types_by_structure(pat, &t.elem, first),
            (Pat::Paren(p), _) => self.record_types_by_structure(&p.pat, ty, first),
            (Pat::Type(t), _) => self.record_types_by_structure(&t.pat, &t.ty, first),
            (Pat::Ident(p), _) if p.by_ref.is_none() && p.subpat.is_none() => {
                let Some(local) = Locals::binding_of(&p.ident) else {
                    return;
                };
                if local >= first && self.out.locals[local].ty.is_none() {
                    self.out.locals[local].ty = Some(ty.clone());
                }
            }
            (Pat::Tuple(p), syn::Type::Tuple(t))
                if p.elems.len() == t.elems.len()
                    && !p.elems.iter().any(|e| matches!(e, Pat::Rest(_))) =>
            {
                for (pat, ty) in p.elems.iter().zip(&t.elems) {
                    self.record_types_by_structure(pat, ty, first);
                }
            }
            _ => {}
        }
    }

    pub(super) fn plain_block(&mut self, block: &mut syn::Block, tail_ctx: Ctx) {
        // A partial destructure moves fields, as at the top level.
        block.stmts = std::mem::take(&mut block.stmts)
            .into_iter()
            .flat_map(|stmt| match &stmt {
                syn::Stmt::Local(local) => {
                    crate::desugar::split_partial_destructure(local).unwrap_or_else(|| vec![stmt])
                }
                _ => vec![stmt],
            })
            .collect();
        self.push_scope();
        let n = block.stmts.len();
        for (i, stmt) in block.stmts.iter_mut().enumerate() {
            match stmt {
                syn::Stmt::Expr(e, None) if i + 1 == n => self.expr(e, tail_ctx.clone()),
                other => self.plain_stmt(other, None),
            }
        }
        self.pop_scope();
    }

    /// Declares a pattern's bindings: tracked ones get ids and markers,
    /// the others only shadow.
    pub(super) fn bind_pattern(
        &mut self,
        pat: &mut Pat,
        tracked: Option<(ScopeId, LocalKind)>,
        deferred: bool,
    ) {
        bind_idents(
            pat,
            &mut |ident: &mut Ident, mutable, by_ref| match tracked {
                Some((scope, kind)) => {
                    let id = self.declare(ident, kind, scope, mutable, by_ref, deferred);
                    *ident = Locals::marker_for_binding(id, ident.span());
                }
                None => self.shadow(ident),
            },
        );
    }
}

/// What makes an iterator, by its form: a range (`0..n`), a method chain
/// ending in a method that makes one (`v.iter()`, `.map(f)`, `s.chars()`),
/// or a function of `iter` (`iter::repeat(x)`).
fn makes_an_iterator(expr: &Expr) -> bool {
    const MAKERS: &[&str] = &[
        "iter",
        "iter_mut",
        "into_iter",
        "map",
        "filter",
        "filter_map",
        "flat_map",
        "chars",
        "bytes",
        "char_indices",
        "lines",
        "split",
        "split_whitespace",
        "keys",
        "values",
        "drain",
        "enumerate",
        "zip",
        "chain",
        "skip",
        "step_by",
        "rev",
        "cloned",
        "copied",
        "peekable",
        "windows",
        "chunks",
        "take_while",
        "skip_while",
        "map_while",
        "scan",
    ];
    match expr {
        Expr::Range(_) => true,
        Expr::Paren(p) => makes_an_iterator(&p.expr),
        Expr::MethodCall(m) => MAKERS.contains(&m.method.to_string().as_str()),
        Expr::Call(c) => matches!(&*c.func, Expr::Path(p)
            if p.path.segments.len() >= 2 && p.path.segments[p.path.segments.len() - 2].ident == "iter"),
        _ => false,
    }
}

/// A literal, maybe negated (`0`, `-1`, `"s"`, `true`): a `Copy` value.
fn is_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(_) => true,
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => is_literal(&u.expr),
        Expr::Paren(p) => is_literal(&p.expr),
        _ => false,
    }
}
