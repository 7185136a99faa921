//! A control-flow graph of the body, statement by statement and through
//! the control flow of plain code (`if`, `match`, loops, `break`, `?`), so
//! that the analyses in [`flow`](crate::flow) are path-sensitive.
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
    /// local (moved here, if the match only maybe takes it).
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
    fn node(&mut self) -> CfgNode {
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

    fn edge(&mut self, from: CfgNode, to: CfgNode) {
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
struct Target {
    label: Option<String>,
    /// `None` for a labelled block (no `continue`).
    head: Option<CfgNode>,
    exit: CfgNode,
    /// Number of open scopes outside it (the scopes a jump to it leaves).
    depth: usize,
    is_loop: bool,
}

pub struct Builder<'a> {
    pub cfg: Cfg,
    points: &'a [AwaitPoint],
    targets: Vec<Target>,
    /// Locals declared in each open scope, in order.
    scopes: Vec<Vec<LocalId>>,
    pub exit: CfgNode,
}

impl<'a> Builder<'a> {
    fn fresh_from(&mut self, from: CfgNode) -> CfgNode {
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
    fn leave_scopes(&mut self, at: CfgNode, depth: usize) {
        for scope in self.scopes[depth..].iter().rev() {
            for &l in scope.iter().rev() {
                self.cfg.effects[at].push(Effect::End(l));
            }
        }
    }

    /// Runs `f` in a new scope whose locals end where it falls through.
    fn with_scope(
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
    fn bind(&mut self, pat: &Pat, at: CfgNode, init: bool) {
        for local in pattern_locals(pat) {
            self.declare(at, local, init);
        }
    }

    // ---- plain code ----

    fn plain_stmt(&mut self, stmt: &syn::Stmt, at: CfgNode) -> Option<CfgNode> {
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
            syn::Stmt::Macro(m) => {
                self.uses_in_tokens(&m.mac.tokens, at);
                Some(at)
            }
            syn::Stmt::Item(_) => Some(at),
        }
    }

    fn plain_block(&mut self, block: &syn::Block, at: CfgNode) -> Option<CfgNode> {
        self.with_scope(Some(at), |b, at| {
            let mut at = at;
            for stmt in &block.stmts {
                at = b.plain_stmt(stmt, at?);
            }
            at
        })
    }

    fn find_target(&self, label: Option<&syn::Lifetime>) -> Option<usize> {
        match label {
            Some(l) => {
                let name = l.ident.to_string();
                self.targets
                    .iter()
                    .rposition(|t| t.label.as_deref() == Some(name.as_str()))
            }
            None => self.targets.iter().rposition(|t| t.is_loop),
        }
    }

    fn jump(&mut self, from: CfgNode, to: CfgNode, depth: usize) {
        let step = self.cfg.node();
        self.cfg.edge(from, step);
        self.leave_scopes(step, depth);
        self.cfg.edge(step, to);
    }

    /// An expression evaluated at `at`: its uses in order, its control
    /// flow; returns where control is after it (`None`: it diverges).
    /// An arm that binds all of a local scrutinee by value takes it.
    fn taken_by(&mut self, scrutinee: &Expr, pat: &syn::Pat, at: CfgNode) {
        if let Expr::Path(p) = scrutinee
            && let Some(u) = p.path.get_ident().and_then(Locals::use_of)
            && crate::patterns::takes_whole_value(pat)
        {
            self.cfg.effects[at].push(Effect::Taken(u));
        }
    }

    pub fn expr(&mut self, expr: &Expr, at: CfgNode) -> Option<CfgNode> {
        match expr {
            Expr::Path(p) => {
                if let Some(ident) = p.path.get_ident()
                    && let Some(u) = Locals::use_of(ident)
                {
                    self.cfg.effects[at].push(Effect::Use(u));
                }
                Some(at)
            }
            Expr::If(i) => {
                let (after_cond, cond_false) = self.condition(&i.cond, at)?;
                let end = self.cfg.node();
                let then_end = self.plain_block(&i.then_branch, after_cond);
                if let Some(t) = then_end {
                    self.cfg.edge(t, end);
                }
                match &i.else_branch {
                    Some((_, e)) => {
                        if let Some(e) = self.expr(e, cond_false) {
                            self.cfg.edge(e, end);
                        }
                    }
                    None => self.cfg.edge(cond_false, end),
                }
                Some(end)
            }
            Expr::Match(m) => {
                let at = self.expr(&m.expr, at)?;
                let end = self.cfg.node();
                for arm in &m.arms {
                    let start = self.cfg.node();
                    self.cfg.edge(at, start);
                    let arm_end = self.with_scope(Some(start), |b, at| {
                        let at = at?;
                        b.bind(&arm.pat, at, true);
                        b.taken_by(&m.expr, &arm.pat, at);
                        let at = match &arm.guard {
                            Some((_, g)) => b.expr(g, at)?,
                            None => at,
                        };
                        b.expr(&arm.body, at)
                    });
                    if let Some(e) = arm_end {
                        self.cfg.edge(e, end);
                    }
                }
                Some(end)
            }
            Expr::Block(b) => {
                if let Some(label) = &b.label {
                    let exit = self.cfg.node();
                    self.targets.push(Target {
                        label: Some(label.name.ident.to_string()),
                        head: None,
                        exit,
                        depth: self.scopes.len(),
                        is_loop: false,
                    });
                    let end = self.plain_block(&b.block, at);
                    self.targets.pop();
                    if let Some(end) = end {
                        self.cfg.edge(end, exit);
                    }
                    Some(exit)
                } else {
                    self.plain_block(&b.block, at)
                }
            }
            Expr::Unsafe(u) => self.plain_block(&u.block, at),
            Expr::Loop(l) => {
                self.plain_loop(l.label.as_ref(), at, |b, head| b.plain_block(&l.body, head))
            }
            Expr::While(w) => self.plain_loop(w.label.as_ref(), at, |b, head| {
                let (body_start, cond_false) = b.condition(&w.cond, head)?;
                let exit = b.targets.last().expect("the loop").exit;
                b.cfg.edge(cond_false, exit);
                b.plain_block(&w.body, body_start)
            }),
            Expr::ForLoop(f) => {
                let at = self.expr(&f.expr, at)?;
                self.plain_loop(f.label.as_ref(), at, |b, head| {
                    let exit = b.targets.last().expect("the loop").exit;
                    b.cfg.edge(head, exit);
                    let body_start = b.fresh_from(head);
                    b.with_scope(Some(body_start), |b, at| {
                        let at = at?;
                        b.bind(&f.pat, at, true);
                        b.plain_block(&f.body, at)
                    })
                })
            }
            Expr::Break(br) => {
                let at = match &br.expr {
                    Some(e) => self.expr(e, at)?,
                    None => at,
                };
                if let Some(t) = self.find_target(br.label.as_ref()) {
                    let (exit, depth) = (self.targets[t].exit, self.targets[t].depth);
                    self.jump(at, exit, depth);
                }
                None
            }
            Expr::Continue(c) => {
                if let Some(t) = self.find_target(c.label.as_ref())
                    && let Some(head) = self.targets[t].head
                {
                    let depth = self.targets[t].depth;
                    self.jump(at, head, depth);
                }
                None
            }
            Expr::Return(r) => {
                let at = match &r.expr {
                    Some(e) => self.expr(e, at)?,
                    None => at,
                };
                self.jump(at, self.exit, 0);
                None
            }
            Expr::Try(t) => {
                let at = self.expr(&t.expr, at)?;
                let exit = self.exit;
                self.jump(at, exit, 0);
                Some(self.fresh_from(at))
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_)) => {
                let left = self.expr(&b.left, at)?;
                let end = self.cfg.node();
                self.cfg.edge(left, end);
                let right = self.fresh_from(left);
                if let Some(r) = self.expr(&b.right, right) {
                    self.cfg.edge(r, end);
                }
                Some(end)
            }
            Expr::Closure(c) => {
                // Not run here: its captures are uses where it is created.
                self.uses_inside(&c.body, at);
                Some(at)
            }
            Expr::Async(a) => {
                for stmt in &a.block.stmts {
                    self.uses_inside_stmt(stmt, at);
                }
                Some(at)
            }
            Expr::Macro(m) => {
                self.uses_in_tokens(&m.mac.tokens, at);
                Some(at)
            }
            Expr::Let(l) => {
                let at = self.expr(&l.expr, at)?;
                self.bind(&l.pat, at, true);
                Some(at)
            }
            Expr::Assign(a) => {
                let at = self.expr(&a.right, at)?;
                self.expr(&a.left, at)
            }
            Expr::Binary(b) if is_compound(&b.op) => {
                let at = self.expr(&b.right, at)?;
                self.expr(&b.left, at)
            }
            other => {
                let mut at = at;
                for child in children(other) {
                    at = self.expr(child, at)?;
                }
                Some(at)
            }
        }
    }

    /// A condition: where control goes when it holds (with its `let`
    /// bindings) and when it does not.
    fn condition(&mut self, cond: &Expr, at: CfgNode) -> Option<(CfgNode, CfgNode)> {
        match cond {
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                let (holds, fails) = self.condition(&b.left, at)?;
                let (holds2, fails2) = self.condition(&b.right, holds)?;
                let fail = self.cfg.node();
                self.cfg.edge(fails, fail);
                self.cfg.edge(fails2, fail);
                Some((holds2, fail))
            }
            Expr::Let(l) => {
                let at = self.expr(&l.expr, at)?;
                let holds = self.fresh_from(at);
                self.bind(&l.pat, holds, true);
                let fails = self.fresh_from(at);
                Some((holds, fails))
            }
            other => {
                let at = self.expr(other, at)?;
                let fails = self.fresh_from(at);
                let holds = self.fresh_from(at);
                Some((holds, fails))
            }
        }
    }

    fn plain_loop(
        &mut self,
        label: Option<&syn::Label>,
        at: CfgNode,
        body: impl FnOnce(&mut Self, CfgNode) -> Option<CfgNode>,
    ) -> Option<CfgNode> {
        let head = self.cfg.node();
        self.cfg.edge(at, head);
        let exit = self.cfg.node();
        self.targets.push(Target {
            label: label.map(|l| l.name.ident.to_string()),
            head: Some(head),
            exit,
            depth: self.scopes.len(),
            is_loop: true,
        });
        let body_start = self.fresh_from(head);
        if let Some(end) = body(self, body_start) {
            self.cfg.edge(end, head);
        }
        self.targets.pop();
        Some(exit)
    }

    /// The uses inside a closure or `async` block, all at `at` (where it is created).
    fn uses_inside(&mut self, expr: &Expr, at: CfgNode) {
        for u in markers_in_expr(expr) {
            self.cfg.effects[at].push(Effect::Use(u));
        }
    }

    fn uses_inside_stmt(&mut self, stmt: &syn::Stmt, at: CfgNode) {
        struct Collect(Vec<UseId>);
        impl<'a> Visit<'a> for Collect {
            fn visit_ident(&mut self, i: &'a proc_macro2::Ident) {
                if let Some(u) = Locals::use_of(i) {
                    self.0.push(u);
                }
            }
            fn visit_macro(&mut self, m: &'a syn::Macro) {
                collect_token_markers(&m.tokens, &mut self.0);
            }
        }
        let mut c = Collect(Vec::new());
        c.visit_stmt(stmt);
        for u in c.0 {
            self.cfg.effects[at].push(Effect::Use(u));
        }
    }

    fn uses_in_tokens(&mut self, tokens: &proc_macro2::TokenStream, at: CfgNode) {
        for tt in tokens.clone() {
            match tt {
                proc_macro2::TokenTree::Ident(i) => {
                    if let Some(u) = Locals::use_of(&i) {
                        self.cfg.effects[at].push(Effect::Use(u));
                    }
                }
                proc_macro2::TokenTree::Group(g) => self.uses_in_tokens(&g.stream(), at),
                _ => {}
            }
        }
    }
}

fn is_compound(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}

/// Every use marker inside an expression (closures included).
pub fn markers_in_expr(expr: &Expr) -> Vec<UseId> {
    struct Collect(Vec<UseId>);
    impl<'a> Visit<'a> for Collect {
        fn visit_ident(&mut self, i: &'a proc_macro2::Ident) {
            if let Some(u) = Locals::use_of(i) {
                self.0.push(u);
            }
        }
        fn visit_macro(&mut self, m: &'a syn::Macro) {
            collect_token_markers(&m.tokens, &mut self.0);
        }
    }
    let mut c = Collect(Vec::new());
    c.visit_expr(expr);
    c.0
}

fn collect_token_markers(tokens: &proc_macro2::TokenStream, out: &mut Vec<UseId>) {
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

/// The sub-expressions of a plain expression kind, in evaluation order.
fn children(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::Array(a) => a.elems.iter().collect(),
        Expr::Tuple(t) => t.elems.iter().collect(),
        Expr::Call(c) => std::iter::once(&*c.func).chain(c.args.iter()).collect(),
        Expr::MethodCall(m) => std::iter::once(&*m.receiver).chain(m.args.iter()).collect(),
        Expr::Binary(b) => vec![&*b.left, &*b.right],
        Expr::Unary(u) => vec![&*u.expr],
        Expr::Cast(c) => vec![&*c.expr],
        Expr::Field(f) => vec![&*f.base],
        Expr::Index(i) => vec![&*i.expr, &*i.index],
        Expr::Reference(r) => vec![&*r.expr],
        Expr::RawAddr(r) => vec![&*r.expr],
        Expr::Range(r) => r.start.iter().chain(r.end.iter()).map(|e| &**e).collect(),
        Expr::Repeat(r) => vec![&*r.expr],
        Expr::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.expr)
            .chain(s.rest.iter().map(|e| &**e))
            .collect(),
        Expr::Paren(p) => vec![&*p.expr],
        Expr::Group(g) => vec![&*g.expr],
        Expr::Await(a) => vec![&*a.base],
        _ => Vec::new(),
    }
}
