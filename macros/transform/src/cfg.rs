//! A control-flow graph of the body, statement by statement and through
//! the control flow of plain code (`if`, `match`, loops, `break`, `?`), so
//! that the analyses in [`flow`](crate::flow) are path-sensitive. This file
//! builds the graph of the IR, its blocks and statements; the walk through
//! plain expressions is in [`cfg_expr`](crate::cfg_expr).
//!
//! Nodes carry effects in evaluation order (a use of a local, a
//! declaration, the end of a scope) and, where the lowering needs to know
//! about them, a [`Tag`]: the suspension at an await, the resumption after
//! it, the end of a construct of the IR and the head of a loop of the IR
//! (the places where a join can be needed).

use crate::ir::{AwaitId, AwaitPoint, Block, Node, NodeId, Stmt};
use crate::locals::{LocalId, Locals, UseId};
use syn::visit::Visit;
use syn::{Expr, Pat};

pub type CfgNode = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Use(UseId),
    /// A local comes into scope, with a value or without (`let x;`).
    Declare {
        local: LocalId,
        init: bool,
    },
    /// A local leaves its scope (dropped if it still holds a value).
    End(LocalId),
    /// A `match` arm whose pattern takes the whole scrutinee, this use of a
    /// local: moved here.
    Taken(UseId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// The operand is evaluated; the function suspends here.
    Suspend(AwaitId),
    /// Execution continues after the await (a region starts).
    Resume(AwaitId),
    /// The end of an IR construct (its value is ready).
    End(NodeId),
    /// The head of an IR loop.
    LoopHead(NodeId),
    /// The function returns.
    Exit,
}

#[derive(Default, Debug)]
pub struct Cfg {
    pub succ: Vec<Vec<CfgNode>>,
    pub effects: Vec<Vec<Effect>>,
    pub tags: Vec<Option<Tag>>,
}

impl Cfg {
    pub(super) fn node(&mut self) -> CfgNode {
        self.succ.push(Vec::new());
        self.effects.push(Vec::new());
        self.tags.push(None);
        self.succ.len() - 1
    }

    /// A new node that `from` flows into (a branch starts on a node of its
    /// own: effects are never added to a node that already has successors).
    fn fresh_after(&mut self, from: CfgNode) -> CfgNode {
        let next = self.node();
        self.edge(from, next);
        next
    }

    pub(super) fn edge(&mut self, from: CfgNode, to: CfgNode) {
        if !self.succ[from].contains(&to) {
            self.succ[from].push(to);
        }
    }

    pub fn tagged(&self, tag: Tag) -> Option<CfgNode> {
        self.tags.iter().position(|t| *t == Some(tag))
    }

    pub fn preds(&self) -> Vec<Vec<CfgNode>> {
        let mut preds = vec![Vec::new(); self.succ.len()];
        for (from, succ) in self.succ.iter().enumerate() {
            for &to in succ {
                preds[to].push(from);
            }
        }
        preds
    }
}

/// A `break`/`continue` target: an IR or plain loop, or a labelled block.
pub(super) struct Target {
    pub(super) label: Option<String>,
    /// `None` for a labelled block (no `continue`).
    pub(super) head: Option<CfgNode>,
    pub(super) exit: CfgNode,
    /// Number of open scopes outside it (the scopes a jump to it leaves).
    pub(super) depth: usize,
    pub(super) is_loop: bool,
}

pub struct Builder<'a> {
    pub cfg: Cfg,
    points: &'a [AwaitPoint],
    pub(super) targets: Vec<Target>,
    /// Locals declared in each open scope, in order.
    pub(super) scopes: Vec<Vec<LocalId>>,
    pub exit: CfgNode,
}

impl<'a> Builder<'a> {
    pub(super) fn fresh_from(&mut self, from: CfgNode) -> CfgNode {
        self.cfg.fresh_after(from)
    }

    pub fn new(points: &'a [AwaitPoint]) -> Self {
        let mut cfg = Cfg::default();
        let _entry = cfg.node();
        let exit = cfg.node();
        cfg.tags[exit] = Some(Tag::Exit);
        Builder {
            cfg,
            points,
            targets: Vec::new(),
            scopes: vec![Vec::new()],
            exit,
        }
    }

    /// The body, after the arguments (declared in scope 0 by the caller).
    pub fn body(&mut self, arguments: &[LocalId], body: &Block) {
        for &a in arguments {
            self.declare(0, a, true);
        }
        let end = self.stmts(&body.stmts, Some(0));
        if let Some(end) = end {
            self.leave_scopes(end, 0);
            self.cfg.edge(end, self.exit);
        }
    }

    fn declare(&mut self, at: CfgNode, local: LocalId, init: bool) {
        self.cfg.effects[at].push(Effect::Declare { local, init });
        self.scopes.last_mut().expect("a scope").push(local);
    }

    /// Ends (newest first) the locals of the scopes deeper than `depth`, at `at`.
    pub(super) fn leave_scopes(&mut self, at: CfgNode, depth: usize) {
        for scope in self.scopes[depth..].iter().rev() {
            for &l in scope.iter().rev() {
                self.cfg.effects[at].push(Effect::End(l));
            }
        }
    }

    /// Runs `f` in a new scope whose locals end where it falls through.
    pub(super) fn with_scope(
        &mut self,
        at: Option<CfgNode>,
        f: impl FnOnce(&mut Self, Option<CfgNode>) -> Option<CfgNode>,
    ) -> Option<CfgNode> {
        self.scopes.push(Vec::new());
        let depth = self.scopes.len() - 1;
        let end = f(self, at);
        if let Some(end) = end {
            self.leave_scopes(end, depth);
        }
        self.scopes.pop();
        end
    }

    // ---- the IR ----

    fn ir_block(&mut self, block: &Block, at: Option<CfgNode>) -> Option<CfgNode> {
        let label = block.label.as_ref().map(|l| l.name.ident.to_string());
        let exit = self.cfg.node();
        self.cfg.tags[exit] = Some(Tag::End(block.id));
        if label.is_some() {
            self.targets.push(Target {
                label,
                head: None,
                exit,
                depth: self.scopes.len(),
                is_loop: false,
            });
        }
        let end = self.with_scope(at, |b, at| b.stmts(&block.stmts, at));
        if block.label.is_some() {
            self.targets.pop();
        }
        if let Some(end) = end {
            self.cfg.edge(end, exit);
        }
        Some(exit)
    }

    fn stmts(&mut self, stmts: &[Stmt], at: Option<CfgNode>) -> Option<CfgNode> {
        let mut at = at;
        for stmt in stmts {
            let Some(cur) = at else { break };
            at = match stmt {
                Stmt::Plain(s) => self.plain_stmt(s, cur),
                Stmt::Let { pat, init, .. } => {
                    let end = self.ir_node(init, Some(cur));
                    if let Some(end) = end {
                        self.bind(pat, end, true);
                    }
                    end
                }
                Stmt::Expr { node, .. } => self.ir_node(node, Some(cur)),
            };
        }
        at
    }

    fn ir_node(&mut self, node: &Node, at: Option<CfgNode>) -> Option<CfgNode> {
        let cur = at?;
        match node {
            Node::Await(id) => {
                let cur = self.expr(&self.points[*id].operand.clone(), cur)?;
                let suspend = self.cfg.node();
                self.cfg.tags[suspend] = Some(Tag::Suspend(*id));
                self.cfg.edge(cur, suspend);
                let resume = self.cfg.node();
                self.cfg.tags[resume] = Some(Tag::Resume(*id));
                self.cfg.edge(suspend, resume);
                Some(resume)
            }
            Node::Block(b) => self.ir_block(b, Some(cur)),
            Node::If {
                id,
                cond,
                then,
                otherwise,
            } => {
                let cur = self.expr(cond, cur)?;
                let end = self.cfg.node();
                self.cfg.tags[end] = Some(Tag::End(*id));
                let then_start = self.fresh_from(cur);
                if let Some(t) = self.ir_block(then, Some(then_start)) {
                    self.cfg.edge(t, end);
                }
                match otherwise {
                    Some(o) => {
                        let else_start = self.fresh_from(cur);
                        if let Some(e) = self.ir_node(o, Some(else_start)) {
                            self.cfg.edge(e, end);
                        }
                    }
                    None => self.cfg.edge(cur, end),
                }
                Some(end)
            }
            Node::Match {
                id,
                scrutinee,
                arms,
            } => {
                let cur = self.expr(scrutinee, cur)?;
                let end = self.cfg.node();
                self.cfg.tags[end] = Some(Tag::End(*id));
                for arm in arms {
                    let start = self.cfg.node();
                    self.cfg.edge(cur, start);
                    let arm_end = self.with_scope(Some(start), |b, at| {
                        let at = at?;
                        b.bind(&arm.pat, at, true);
                        b.taken_by(scrutinee, &arm.pat, at);
                        let at = match &arm.guard {
                            Some(g) => b.expr(g, at)?,
                            None => at,
                        };
                        b.ir_node(&arm.body, Some(at))
                    });
                    if let Some(e) = arm_end {
                        self.cfg.edge(e, end);
                    }
                }
                Some(end)
            }
            Node::Loop { id, label, body } => {
                let head = self.cfg.node();
                self.cfg.tags[head] = Some(Tag::LoopHead(*id));
                self.cfg.edge(cur, head);
                let exit = self.cfg.node();
                self.cfg.tags[exit] = Some(Tag::End(*id));
                self.targets.push(Target {
                    label: label.as_ref().map(|l| l.name.ident.to_string()),
                    head: Some(head),
                    exit,
                    depth: self.scopes.len(),
                    is_loop: true,
                });
                let body_start = self.fresh_from(head);
                if let Some(end) = self.ir_block(body, Some(body_start)) {
                    self.cfg.edge(end, head);
                }
                self.targets.pop();
                Some(exit)
            }
            Node::Plain(e) => self.expr(e, cur),
        }
    }

    /// Declares a pattern's tracked bindings (binding markers) at `at`.
    pub(super) fn bind(&mut self, pat: &Pat, at: CfgNode, init: bool) {
        for local in pattern_locals(pat) {
            self.declare(at, local, init);
        }
    }

    // ---- plain code ----

    pub(super) fn plain_stmt(&mut self, stmt: &syn::Stmt, at: CfgNode) -> Option<CfgNode> {
        match stmt {
            syn::Stmt::Local(local) => {
                let at = match &local.init {
                    Some(init) => {
                        let after = self.expr(&init.expr, at)?;
                        match &init.diverge {
                            Some((_, diverge)) => {
                                // The `else` branch diverges; it is taken from here.
                                let branch = self.fresh_from(after);
                                self.expr(diverge, branch);
                                self.fresh_from(after)
                            }
                            None => after,
                        }
                    }
                    None => at,
                };
                self.bind(&local.pat, at, local.init.is_some());
                Some(at)
            }
            syn::Stmt::Expr(e, _) => self.expr(e, at),
            syn::Stmt::Macro(m) => self.macro_call(&m.mac, at),
            syn::Stmt::Item(_) => Some(at),
        }
    }

    pub(super) fn plain_block(&mut self, block: &syn::Block, at: CfgNode) -> Option<CfgNode> {
        self.with_scope(Some(at), |b, at| {
            let mut at = at;
            for stmt in &block.stmts {
                at = b.plain_stmt(stmt, at?);
            }
            at
        })
    }
}

/// Every use marker inside an expression (closures included).
pub fn markers_in_expr(expr: &Expr) -> Vec<UseId> {
    let mut c = CollectMarkers(Vec::new());
    c.visit_expr(expr);
    c.0
}

/// Every use marker inside a statement (closures included).
pub(crate) fn markers_in_stmt(stmt: &syn::Stmt) -> Vec<UseId> {
    let mut c = CollectMarkers(Vec::new());
    c.visit_stmt(stmt);
    c.0
}

/// Collects use markers, in order, macro tokens included.
struct CollectMarkers(Vec<UseId>);

impl<'a> Visit<'a> for CollectMarkers {
    fn visit_ident(&mut self, i: &'a proc_macro2::Ident) {
        if let Some(u) = Locals::use_of(i) {
            self.0.push(u);
        }
    }
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        collect_token_markers(&m.tokens, &mut self.0);
    }
}

pub(crate) fn collect_token_markers(tokens: &proc_macro2::TokenStream, out: &mut Vec<UseId>) {
    for tt in tokens.clone() {
        match tt {
            proc_macro2::TokenTree::Ident(i) => {
                if let Some(u) = Locals::use_of(&i) {
                    out.push(u);
                }
            }
            proc_macro2::TokenTree::Group(g) => collect_token_markers(&g.stream(), out),
            _ => {}
        }
    }
}

/// The locals a pattern binds (binding markers), in order.
pub fn pattern_locals(pat: &Pat) -> Vec<LocalId> {
    struct Collect(Vec<LocalId>);
    impl<'a> Visit<'a> for Collect {
        fn visit_pat_ident(&mut self, p: &'a syn::PatIdent) {
            if let Some(l) = Locals::binding_of(&p.ident)
                && !self.0.contains(&l)
            {
                self.0.push(l);
            }
            syn::visit::visit_pat_ident(self, p);
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut c = Collect(Vec::new());
    c.visit_pat(pat);
    c.0
}
