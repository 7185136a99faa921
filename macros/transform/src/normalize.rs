//! From the user's body to the [`ir`](crate::ir) tree.
//!
//! - Every construct that contains an await of the function becomes a
//!   [`Node`]; the rest stays ordinary `syn` code. Statements (`let`,
//!   `let … else`, `#[state(Name)]`) are in [`statements`](crate::statements).
//! - `while`, `while let` and `for` with an await become `loop`s, as rustc
//!   desugars them; `let … else`, `if let` chains and match guards with an
//!   await are desugared into matches and labelled blocks.
//! - Awaits nested in expressions are hoisted out in evaluation order by
//!   [`hoist`](crate::hoist), inside a block that ends where the
//!   statement's temporaries would be dropped.

use crate::desugar::is_boxed_call;
use crate::hoist::{block_contains_await, contains_await};
use crate::ir::{Arm, AwaitPoint, Block, Node, NodeId, Stmt};
use crate::names::callee_name;
use crate::text::expr_text;
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Ident, parse_quote};

/// Prefix of every name the transform introduces; the resolver strips it.
pub const INTERNAL: &str = "__ea_";

/// What a name the transform introduced stands for: `__ea_read_output_7`
/// is `read_output`. `None` for any other name.
pub fn internal_base(name: &str) -> Option<&str> {
    let rest = name.strip_prefix(INTERNAL)?;
    Some(rest.rsplit_once('_').map_or(rest, |(base, _)| base))
}

/// Positions in the source, in one sequence (see [`Normalizer::order`]).
#[derive(Default, Clone, Debug)]
pub struct SourceOrder {
    seq: usize,
    pub nodes: std::collections::BTreeMap<NodeId, usize>,
    pub loop_ends: std::collections::BTreeMap<NodeId, usize>,
    pub points: Vec<usize>,
}

impl SourceOrder {
    /// Where a region that starts at `entry` comes in the source.
    pub fn of(&self, entry: crate::flow::Entry) -> usize {
        use crate::flow::Entry;
        match entry {
            Entry::Start => 0,
            Entry::Resume(a) => self.points.get(a).copied().unwrap_or(usize::MAX),
            Entry::LoopHead(id) => self.nodes.get(&id).copied().unwrap_or(usize::MAX),
            Entry::After(id) => self
                .loop_ends
                .get(&id)
                .or_else(|| self.nodes.get(&id))
                .copied()
                .unwrap_or(usize::MAX),
        }
    }
}

pub struct Normalizer {
    pub points: Vec<AwaitPoint>,
    /// What each IR construct was in the source, and its line (for state names and docs).
    pub node_info: std::collections::BTreeMap<NodeId, (&'static str, usize)>,
    /// Where each construct, loop end and await comes in the source (a join
    /// comes where its construct ends, a loop's head where it starts).
    pub order: SourceOrder,
    next_node: NodeId,
    pub(super) temps: usize,
    /// The temporaries a statement's expression borrows (`&mk()`, a method
    /// receiver, a scrutinee), each with the number of temporaries made
    /// before its statement: see [`Resolver`](crate::resolve::Resolver).
    pub statement_temps: std::collections::BTreeMap<String, usize>,
    /// Every temporary this pass made, by name, with its number.
    pub temp_numbers: std::collections::BTreeMap<String, usize>,
    pub(super) statement_start: usize,
    /// Normalizing a block's tail: its temporaries drop at the block's end,
    /// and are not told from the values the tail moves by
    /// [`flat_node`](Self::flat_node).
    pub(super) in_tail: bool,
    /// Lifting a block tail's outermost expression: its operands are
    /// dropped in the tail's own scope, with its temporaries, newest first
    /// (a statement's are dropped in the expression's, before its
    /// temporaries; a nested expression's in its own, first).
    pub(super) tail_operands: bool,
    /// The statements that bind the arguments, first in the body: the
    /// body's tail temporaries are declared after them (they drop before
    /// the arguments).
    pub argument_statements: usize,
    /// The tail temporaries deferred to their block's start (before 2024),
    /// with their numbers.
    pub(super) deferred: std::collections::BTreeMap<String, Option<usize>>,
    in_body: bool,
    error: Option<syn::Error>,
    /// `#[state(Name)]` of the statement being normalized, and whether an await took it.
    pub(super) state_name: Option<Ident>,
}

impl Default for Normalizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Normalizer {
    pub fn new() -> Self {
        Normalizer {
            points: Vec::new(),
            node_info: std::collections::BTreeMap::new(),
            order: SourceOrder::default(),
            next_node: 0,
            temps: 0,
            statement_temps: std::collections::BTreeMap::new(),
            temp_numbers: std::collections::BTreeMap::new(),
            statement_start: 0,
            in_tail: false,
            tail_operands: false,
            argument_statements: 0,
            deferred: std::collections::BTreeMap::new(),
            in_body: false,
            error: None,
            state_name: None,
        }
    }

    pub fn finish<T>(self, value: T) -> syn::Result<(T, Vec<AwaitPoint>)> {
        match self.error {
            Some(e) => Err(e),
            None => Ok((value, self.points)),
        }
    }

    pub(super) fn fail(&mut self, span: Span, message: impl std::fmt::Display) {
        let error = syn::Error::new(span, message);
        match &mut self.error {
            Some(e) => e.combine(error),
            None => self.error = Some(error),
        }
    }

    pub(super) fn node_id(&mut self) -> NodeId {
        self.next_node += 1;
        self.order.seq += 1;
        self.order.nodes.insert(self.next_node, self.order.seq);
        self.next_node
    }

    /// Records where a loop ends (its id, taken first, is where it starts).
    pub(super) fn loop_ends(&mut self, id: NodeId) {
        self.order.seq += 1;
        self.order.loop_ends.insert(id, self.order.seq);
    }

    /// A node id for a construct the source wrote as `kind` at `at`.
    pub(super) fn construct_id(&mut self, kind: &'static str, at: Span) -> NodeId {
        let id = self.node_id();
        self.node_info.insert(id, (kind, at.start().line));
        id
    }

    /// A fresh internal name (`__ea_<what>_<n>`), hygienic, located at `at`.
    pub(super) fn temp(&mut self, what: &str, at: Span) -> Ident {
        self.temps += 1;
        let name = format!("{INTERNAL}{what}_{}", self.temps);
        self.temp_numbers.insert(name.clone(), self.temps);
        Ident::new(&name, Span::mixed_site().located_at(at))
    }

    /// A temporary that lives to the end of its statement (or block tail):
    /// it drops after the values the statement has evaluated so far (those
    /// are dropped with the expression that would take them, an inner
    /// scope).
    pub(super) fn statement_temp(&mut self, what: &str, at: Span) -> Ident {
        let name = self.temp(what, at);
        self.statement_temps
            .insert(name.to_string(), self.statement_start);
        name
    }

    pub(super) fn block_of(&mut self, stmts: Vec<Stmt>) -> Block {
        Block {
            id: self.node_id(),
            label: None,
            is_unsafe: false,
            stmts,
            scope: 0,
            brace: None,
        }
    }

    /// The function's body: its top level is the arguments' scope.
    pub fn body(&mut self, block: syn::Block) -> Block {
        self.in_body = true;
        self.block(block, None, false)
    }

    pub(super) fn block(
        &mut self,
        block: syn::Block,
        label: Option<syn::Label>,
        is_unsafe: bool,
    ) -> Block {
        let mut stmts = Vec::new();
        let brace = Some(block.brace_token.span.join());
        let count = block.stmts.len();
        let is_body = std::mem::take(&mut self.in_body);
        let arguments = if is_body { self.argument_statements } else { 0 };
        // Before 2024, a tail's temporaries are deferred where the machine
        // may drop the block's locals itself: in a block that awaits, and
        // in the body (whose arguments are bound in its block).
        let before_2024 = crate::edition::before_2024();
        let defers_tail = before_2024 && (is_body || block_contains_await(&block));
        let mut after_arguments = 0;
        for (index, stmt) in block.stmts.into_iter().enumerate() {
            let tail = index + 1 == count && matches!(stmt, syn::Stmt::Expr(_, None));
            // rustc matches on a `for` loop's head in a `let` of its own
            // (`let result = match into_iter(head) { .. }; result`): its
            // temporaries drop when the loop ends, before the block's locals.
            let tail_temporaries = tail && !matches!(stmt, syn::Stmt::Expr(Expr::ForLoop(_), None));
            let outer = std::mem::replace(&mut self.in_tail, tail);
            let (first, tail_start) = (stmts.len(), self.temps);
            let stmt = match stmt {
                // Its temporaries drop after the block's locals, some of
                // which the machine drops itself: they are named, to be
                // deferred with an awaiting tail's.
                syn::Stmt::Expr(mut plain, None)
                    if tail_temporaries && defers_tail && !contains_await(&plain) =>
                {
                    let outer = std::mem::replace(&mut self.statement_start, tail_start);
                    self.name_temporaries(&mut plain, &mut stmts);
                    self.statement_start = outer;
                    syn::Stmt::Expr(plain, None)
                }
                other => other,
            };
            self.stmt(stmt, &mut stmts);
            self.in_tail = outer;
            // (A pattern argument's statement may become several.)
            if index + 1 == arguments {
                after_arguments = stmts.len();
            }
            if tail_temporaries && defers_tail {
                self.name_residual_temporaries(&mut stmts, tail_start);
            }
            if tail_temporaries && before_2024 {
                self.defer_tail_temporaries(&mut stmts, first, tail_start, after_arguments);
            }
            if tail_temporaries && defers_tail {
                self.defer_inner_tail_temporaries(&mut stmts, first, after_arguments);
            }
        }
        Block {
            id: self.node_id(),
            label,
            is_unsafe,
            stmts,
            scope: 0,
            brace,
        }
    }

    /// An expression in a statement, a `let` initializer or a block's tail.
    pub(super) fn node(&mut self, expr: Expr) -> Node {
        if !contains_await(&expr) {
            return Node::Plain(expr);
        }
        match expr {
            Expr::Await(await_expr)
                if is_boxed_call(&await_expr.base) && !contains_await(&await_expr.base) =>
            {
                self.boxed_await(await_expr)
            }
            Expr::Await(mut await_expr) if !contains_await(&await_expr.base) => {
                let mut pre = Vec::new();
                self.settle_operand_temporaries(&mut await_expr.base, &mut pre);
                let node = Node::Await(self.point(await_expr));
                if pre.is_empty() {
                    return node;
                }
                pre.push(Stmt::Expr { node, semi: false });
                Node::Block(self.block_of(pre))
            }
            Expr::Block(b) => Node::Block(self.block(b.block, b.label, false)),
            Expr::Unsafe(u) => Node::Block(self.block(u.block, None, true)),
            Expr::If(i) => self.if_node(i),
            Expr::Match(m) => self.match_node(m),
            Expr::Loop(l) => {
                let id = self.construct_id("Loop", l.loop_token.span);
                let body = self.block(l.body, None, false);
                self.loop_ends(id);
                Node::Loop {
                    id,
                    label: l.label,
                    body,
                }
            }
            Expr::While(w) => self.while_node(w),
            Expr::ForLoop(f) => self.for_node(f),
            Expr::Paren(p) if !matches!(*p.expr, Expr::Await(_)) => self.node(*p.expr),
            Expr::Group(g) => self.node(*g.expr),
            other => {
                let mut stmts = Vec::new();
                self.tail_operands = self.in_tail && !crate::edition::before_2024();
                let residual = self.lift(other, &mut stmts);
                self.tail_operands = false;
                stmts.push(Stmt::Expr {
                    node: Node::Plain(residual),
                    semi: false,
                });
                Node::Block(self.block_of(stmts))
            }
        }
    }

    /// A new await point for `operand.await` (its operand has no await).
    pub(super) fn point(&mut self, expr: syn::ExprAwait) -> usize {
        let span = expr.await_token.span;
        let operand = *expr.base;
        let line = span.start().line;
        let (text, callee) = match crate::async_macros::wrapped_macro(&operand) {
            Some(mac) => (
                crate::async_macros::macro_text(mac),
                callee_name(&syn::parse_quote!(#mac)),
            ),
            None => (
                format!("{}.await", expr_text(&operand)),
                callee_name(&operand),
            ),
        };
        let named = self.state_name.take();
        self.order.seq += 1;
        self.order.points.push(self.order.seq);
        self.points.push(AwaitPoint {
            operand,
            span,
            line,
            text,
            callee,
            named,
        });
        self.points.len() - 1
    }

    fn if_node(&mut self, e: syn::ExprIf) -> Node {
        if has_let(&e.cond) {
            return match crate::legacy::if_let_as_match(e) {
                Ok(m) => self.match_node(m),
                Err(e) => self.if_let_node(e),
            };
        }
        // In source order: the condition, the `then` block, the `else` branch.
        let awaiting_condition = contains_await(&e.cond);
        let condition = self.temp("condition", e.cond.span());
        // The condition is a temporary scope of its own: its temporaries
        // drop before the operands evaluated around the `if`.
        let cond_node =
            awaiting_condition.then(|| self.in_own_temporary_scope(|s| s.node((*e.cond).clone())));
        let then = self.block(e.then_branch, None, false);
        let otherwise = e
            .else_branch
            .map(|(_, else_expr)| Box::new(self.else_node(*else_expr)));
        let id = self.construct_id("If", e.if_token.span);
        let Some(cond_node) = cond_node else {
            return Node::If {
                id,
                cond: *e.cond,
                then,
                otherwise,
            };
        };
        // The condition's temporaries are dropped before a branch runs.
        let stmts = vec![
            Stmt::Let {
                attrs: Vec::new(),
                pat: parse_quote!(#condition),
                init: cond_node,
            },
            Stmt::Expr {
                node: Node::If {
                    id,
                    cond: parse_quote!(#condition),
                    then,
                    otherwise,
                },
                semi: false,
            },
        ];
        Node::Block(self.block_of(stmts))
    }

    fn else_node(&mut self, expr: Expr) -> Node {
        match expr {
            Expr::If(i) => {
                if contains_await(&Expr::If(i.clone())) {
                    // An `else` is a temporary scope of its own (an `else if
                    // let`'s scrutinee, before 2024, lives to its end).
                    self.in_own_temporary_scope(|s| s.if_node(i))
                } else {
                    Node::Plain(Expr::If(i))
                }
            }
            Expr::Block(b) => Node::Block(self.block(b.block, b.label, false)),
            other => self.node(other),
        }
    }

    /// A match arm's body: a temporary scope of its own.
    pub(super) fn arm_body(&mut self, body: Expr) -> Node {
        self.in_own_temporary_scope(|s| s.node(body))
    }

    /// `normalize` in a temporary scope of its own (an `if`'s condition, an
    /// `else`, an arm's body): its temporaries drop where it ends, before
    /// the operands evaluated around it, and it is no block's tail.
    fn in_own_temporary_scope(&mut self, normalize: impl FnOnce(&mut Self) -> Node) -> Node {
        let outer = std::mem::replace(&mut self.statement_start, self.temps);
        let in_tail = std::mem::replace(&mut self.in_tail, false);
        let node = normalize(self);
        (self.statement_start, self.in_tail) = (outer, in_tail);
        node
    }

    fn match_node(&mut self, m: syn::ExprMatch) -> Node {
        let mut pre = Vec::new();
        let mut scrutinee = *m.expr;
        if contains_await(&scrutinee) {
            scrutinee = self.lift(scrutinee, &mut pre);
        }
        let arms_await = m.arms.iter().any(|a| {
            contains_await(&a.body) || a.guard.as_ref().is_some_and(|(_, g)| contains_await(g))
        });
        // The scrutinee's temporaries live until the match ends: across the
        // arms' awaits; and, before Rust 2024, past the lifted values
        // before it, where the match is the tail of a block of its own.
        if arms_await || (crate::edition::before_2024() && !pre.is_empty()) {
            scrutinee = self.settle(scrutinee, &mut pre);
        }
        // An `if let` guard's temporaries live to the end of its arm: across
        // the arm's awaits, they are carried from the guard like its bindings.
        let node = if m.arms.iter().any(|a| {
            a.guard.as_ref().is_some_and(|(_, g)| {
                contains_await(g)
                    || (contains_await(&a.body) && crate::desugar::guard_makes_temporaries(g))
            })
        }) {
            self.awaiting_guards(scrutinee, m.arms)
        } else {
            let arms = m
                .arms
                .into_iter()
                .map(|arm| Arm {
                    attrs: arm.attrs,
                    pat: arm.pat,
                    guard: arm.guard.map(|(_, g)| *g),
                    body: self.arm_body(*arm.body),
                    scope: 0,
                })
                .collect();
            Node::Match {
                id: self.construct_id("Match", m.match_token.span),
                scrutinee,
                arms,
            }
        };
        if pre.is_empty() {
            return node;
        }
        pre.push(Stmt::Expr { node, semi: false });
        Node::Block(self.block_of(pre))
    }
}

/// Does an `if` condition contain a `let` (an `if let` or a let chain)?
pub(crate) fn has_let(cond: &Expr) -> bool {
    match cond {
        Expr::Let(_) => true,
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            has_let(&b.left) || has_let(&b.right)
        }
        _ => false,
    }
}
