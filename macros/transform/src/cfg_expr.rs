//! The control flow of plain code in the [`cfg`](crate::cfg): an
//! expression's uses in evaluation order, and its branches, loops and
//! jumps (`if`, `match`, `while`, `for`, `break`, `continue`, `?`).

use crate::cfg::{Builder, CfgNode, Effect, Target, markers_in_expr};
use crate::locals::Locals;
use syn::Expr;

/// Plain code that never completes: `return`, `break`, `panic!(..)`, or a
/// block, `if` or `match` every path of which ends so (`{ x; return 1; }`).
/// Decided by the walk that builds the flow, so that the lowering writes
/// code after exactly the plain code the flow goes on from.
pub fn diverges(expr: &Expr) -> bool {
    let mut builder = Builder::new(&[]);
    let start = builder.cfg.node();
    builder.expr(expr, start).is_none()
}

/// A plain statement that never completes (see [`diverges`]).
pub fn stmt_diverges(stmt: &syn::Stmt) -> bool {
    let mut builder = Builder::new(&[]);
    let start = builder.cfg.node();
    builder.plain_stmt(stmt, start).is_none()
}

impl<'a> Builder<'a> {
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

    /// An arm that binds all of a local scrutinee by value takes it.
    pub(super) fn taken_by(&mut self, scrutinee: &Expr, pat: &syn::Pat, at: CfgNode) {
        let mut scrutinee = scrutinee;
        while let Expr::Paren(p) = scrutinee {
            scrutinee = &p.expr;
        }
        if let Expr::Path(p) = scrutinee
            && let Some(u) = p.path.get_ident().and_then(Locals::use_of)
            && crate::patterns::takes_whole_value(pat)
        {
            self.cfg.effects[at].push(Effect::Taken(u));
        }
    }

    /// An expression evaluated at `at`: its uses in order, its control
    /// flow; returns where control is after it (`None`: it diverges).
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
            Expr::Macro(m) => self.macro_call(&m.mac, at),
            Expr::Let(l) => {
                let at = self.expr(&l.expr, at)?;
                self.bind(&l.pat, at, true);
                Some(at)
            }
            Expr::Assign(a) => {
                let at = self.expr(&a.right, at)?;
                self.expr(&a.left, at)
            }
            Expr::Binary(b) if crate::operands::is_compound_assignment(&b.op) => {
                let at = self.expr(&b.right, at)?;
                self.expr(&b.left, at)
            }
            other => {
                let mut at = at;
                for child in children(other) {
                    at = self.expr(child, at)?;
                }
                // `panic!(.., f().await)`, opened: control does not go on.
                match other {
                    Expr::Call(c) if crate::macros::marker_diverges(c) => None,
                    _ => Some(at),
                }
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
        let uses = crate::cfg::markers_in_stmt(stmt);
        self.cfg.effects[at].extend(uses.into_iter().map(Effect::Use));
    }

    /// A macro call: the arguments of a standard expression macro as the
    /// expressions they are (a `match` in `vec![..]` branches), an
    /// assertion's message on a branch of its own (it runs only if the
    /// assertion fails); any other macro's uses in order.
    pub(super) fn macro_call(&mut self, mac: &syn::Macro, at: CfgNode) -> Option<CfgNode> {
        use syn::parse::Parser;
        let name = crate::names::last_name(&mac.path);
        let args = crate::macros::is_expression_macro(&name)
            .then(|| {
                syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated
                    .parse2(mac.tokens.clone())
                    .ok()
            })
            .flatten();
        let Some(args) = args else {
            self.uses_in_tokens(&mac.tokens, at);
            return Some(at);
        };
        // The operands that always run; the rest are a branch (an assertion's
        // message, or all of a `debug_assert*!`, which a release build skips).
        let message = if name.starts_with("debug_assert") {
            0
        } else if crate::assertions::is_foreign_assertion(&name) {
            1
        } else {
            crate::assertions::assert_operands(&name).unwrap_or(usize::MAX)
        };
        let mut at = at;
        let mut args = args.iter();
        for arg in args.by_ref().take(message) {
            at = self.expr(arg, at)?;
        }
        let mut rest = args.peekable();
        if rest.peek().is_some() {
            let failed = self.cfg.node();
            self.cfg.edge(at, failed);
            let mut end = Some(failed);
            for arg in rest {
                end = end.and_then(|e| self.expr(arg, e));
            }
            let join = self.cfg.node();
            self.cfg.edge(at, join);
            if let Some(end) = end {
                self.cfg.edge(end, join);
            }
            at = join;
        }
        // `panic!(..)`: control does not go on.
        (!crate::macros::diverges(mac)).then_some(at)
    }

    pub(super) fn uses_in_tokens(&mut self, tokens: &proc_macro2::TokenStream, at: CfgNode) {
        let mut uses = Vec::new();
        crate::cfg::collect_token_markers(tokens, &mut uses);
        self.cfg.effects[at].extend(uses.into_iter().map(Effect::Use));
    }
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
