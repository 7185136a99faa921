//! From the user's body to the [`ir`](super::ir) tree.
//!
//! - Every construct that contains an await of the function becomes a
//!   [`Node`]; the rest stays ordinary `syn` code.
//! - `while`, `while let` and `for` with an await become `loop`s, as rustc
//!   desugars them; `let … else`, `if let` chains and match guards with an
//!   await are desugared into matches and labelled blocks.
//! - Awaits nested in expressions are hoisted out in evaluation order by
//!   [`hoist`](super::hoist), inside a block that ends where the
//!   statement's temporaries would be dropped.

use super::hoist::{contains_await, is_place};
use super::ir::{Arm, AwaitPoint, Block, Node, NodeId, Stmt};
use crate::names::callee_name;
use crate::text::expr_text;
use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, Pat, parse_quote};

/// Prefix of every name the transform introduces; the resolver strips it.
pub const INTERNAL: &str = "__ea_";

pub struct Normalizer {
    pub points: Vec<AwaitPoint>,
    /// What each IR construct was in the source, and its line (for state names and docs).
    pub node_info: std::collections::BTreeMap<NodeId, (&'static str, usize)>,
    next_node: NodeId,
    temps: usize,
    error: Option<syn::Error>,
    /// `#[state(Name)]` of the statement being normalized, and whether an await took it.
    state_name: Option<Ident>,
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
            next_node: 0,
            temps: 0,
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
        self.next_node
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
        Ident::new(
            &format!("{INTERNAL}{what}_{}", self.temps),
            Span::mixed_site().located_at(at),
        )
    }

    pub(super) fn block_of(&mut self, stmts: Vec<Stmt>) -> Block {
        Block {
            id: self.node_id(),
            label: None,
            is_unsafe: false,
            stmts,
            scope: 0,
        }
    }

    /// The function's body: its top level is the arguments' scope.
    pub fn body(&mut self, block: syn::Block) -> Block {
        self.block(block, None, false)
    }

    pub(super) fn block(
        &mut self,
        block: syn::Block,
        label: Option<syn::Label>,
        is_unsafe: bool,
    ) -> Block {
        let mut stmts = Vec::new();
        for stmt in block.stmts {
            self.stmt(stmt, &mut stmts);
        }
        Block {
            id: self.node_id(),
            label,
            is_unsafe,
            stmts,
            scope: 0,
        }
    }

    fn stmt(&mut self, stmt: syn::Stmt, out: &mut Vec<Stmt>) {
        let stmt = match self.name_extended_temporary(stmt, out) {
            Some(rest) => rest,
            None => return,
        };
        match stmt {
            syn::Stmt::Local(mut local) => {
                let written = local.clone();
                self.take_state_attr(&mut local.attrs, &written);
                let awaits = local.init.as_ref().is_some_and(|init| {
                    contains_await(&init.expr)
                        || init
                            .diverge
                            .as_ref()
                            .is_some_and(|(_, e)| contains_await(e))
                });
                if !awaits {
                    self.end_state_attr();
                    out.push(Stmt::Plain(syn::Stmt::Local(local)));
                    return;
                }
                let init = local.init.take().expect("checked above");
                match init.diverge {
                    Some((_, diverge)) => self.let_else(local, *init.expr, *diverge, out),
                    None => {
                        let init = self.node(*init.expr);
                        out.push(Stmt::Let {
                            attrs: local.attrs,
                            pat: local.pat,
                            init,
                        });
                    }
                }
                self.end_state_attr();
            }
            syn::Stmt::Expr(mut expr, semi) => {
                let written = syn::Stmt::Expr(expr.clone(), semi);
                if let Some(attrs) = expr_attrs(&mut expr) {
                    let mut taken = std::mem::take(attrs);
                    self.take_state_attr(&mut taken, &written);
                    if let Some(attrs) = expr_attrs(&mut expr) {
                        *attrs = taken;
                    }
                }
                if contains_await(&expr) {
                    let node = self.node(expr);
                    out.push(Stmt::Expr {
                        node,
                        semi: semi.is_some(),
                    });
                } else {
                    out.push(Stmt::Plain(syn::Stmt::Expr(expr, semi)));
                }
                self.end_state_attr();
            }
            other => out.push(Stmt::Plain(other)),
        }
    }

    /// A temporary a `let` keeps alive until its scope ends (rustc's
    /// lifetime extension: `let r = &make();`, `let (ref a, b) = make();`)
    /// may be stored across an await: it gets a name, in the same scope,
    /// declared just before. Returns the (rewritten) `let` to normalize.
    fn name_extended_temporary(
        &mut self,
        stmt: syn::Stmt,
        out: &mut Vec<Stmt>,
    ) -> Option<syn::Stmt> {
        let syn::Stmt::Local(mut local) = stmt else {
            return Some(stmt);
        };
        let Some(init) = &mut local.init else {
            return Some(syn::Stmt::Local(local));
        };
        if init.diverge.is_some() {
            return Some(syn::Stmt::Local(local));
        }
        let temporary = match &mut *init.expr {
            Expr::Reference(r) if !is_place(&r.expr) && !matches!(*r.expr, Expr::Lit(_)) => {
                let name = self.temp("temporary", r.expr.span());
                let value = std::mem::replace(&mut *r.expr, parse_quote!(#name));
                let mutability = r.mutability;
                Some(parse_quote!(let #mutability #name = #value;))
            }
            expr if has_ref_binding(&local.pat) && !is_place(expr) => {
                let name = self.temp("temporary", expr.span());
                let value = std::mem::replace(expr, parse_quote!(#name));
                Some(parse_quote!(let #name = #value;))
            }
            _ => None,
        };
        if let Some(temporary) = temporary {
            self.stmt(temporary, out);
        }
        Some(syn::Stmt::Local(local))
    }

    /// `let PAT = INIT else { DIVERGE };` with an await, as rustc runs it:
    /// the initializer's value and temporaries are dropped before the
    /// `else` block.
    ///
    /// `let (a, b) = { let value = INIT; match value { PAT => (a, b), _ => { drop(value); DIVERGE } } };`
    fn let_else(&mut self, local: syn::Local, init: Expr, diverge: Expr, out: &mut Vec<Stmt>) {
        let (pat, ty) = match local.pat {
            Pat::Type(t) => (*t.pat, Some(t.ty)),
            other => (other, None),
        };
        let bindings = binding_idents(&pat);
        if has_ref_binding(&pat) {
            self.fail(
                pat.span(),
                "#[explicit_async] cannot keep the value a `let … else` borrows with `ref` across an \
                 `.await`; bind by value, or bind the value with a plain `let` first and then \
                 destructure it with `let … else`",
            );
        }
        let value = self.temp("value", init.span());
        let ty = ty.map(|t| quote::quote!(: #t));
        let targets = bindings.iter().map(|(name, mutable)| {
            let m = mutable.then(|| quote::quote!(mut));
            quote::quote!(#m #name)
        });
        let names = bindings.iter().map(|(name, _)| name);
        let tuple_pat: Pat = parse_quote!((#(#targets,)*));
        let selector: Expr = parse_quote! {
            match #value {
                #pat => (#(#names,)*),
                _ => {
                    ::core::mem::drop(#value);
                    #diverge
                }
            }
        };
        let mut stmts = Vec::new();
        let value_pat: Pat = parse_quote!(#value);
        let value_pat = match ty {
            Some(ty) => parse_quote!(#value_pat #ty),
            None => value_pat,
        };
        let init_node = self.node(init);
        stmts.push(Stmt::Let {
            attrs: Vec::new(),
            pat: value_pat,
            init: init_node,
        });
        let selector = self.node(selector);
        stmts.push(Stmt::Expr {
            node: selector,
            semi: false,
        });
        let block = self.block_of(stmts);
        out.push(Stmt::Let {
            attrs: local.attrs,
            pat: tuple_pat,
            init: Node::Block(block),
        });
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
            Expr::Await(await_expr) if !contains_await(&await_expr.base) => {
                Node::Await(self.point(await_expr))
            }
            Expr::Block(b) => Node::Block(self.block(b.block, b.label, false)),
            Expr::Unsafe(u) => Node::Block(self.block(u.block, None, true)),
            Expr::If(i) => self.if_node(i),
            Expr::Match(m) => self.match_node(m),
            Expr::Loop(l) => Node::Loop {
                id: self.construct_id("Loop", l.loop_token.span),
                label: l.label,
                body: self.block(l.body, None, false),
            },
            Expr::While(w) => self.while_node(w),
            Expr::ForLoop(f) => self.for_node(f),
            Expr::Paren(p) if !matches!(*p.expr, Expr::Await(_)) => self.node(*p.expr),
            Expr::Group(g) => self.node(*g.expr),
            other => {
                let mut stmts = Vec::new();
                let residual = self.lift(other, &mut stmts);
                stmts.push(Stmt::Expr {
                    node: Node::Plain(residual),
                    semi: false,
                });
                Node::Block(self.block_of(stmts))
            }
        }
    }

    /// `Box::pin(f(args)).await`, the way to recurse: a future that holds
    /// its own type (through the machine's generic parameters) cannot be
    /// named (E0720), so the boxed call is made inside an `async` block of
    /// its own, after its arguments are evaluated in order.
    fn boxed_await(&mut self, mut await_expr: syn::ExprAwait) -> Node {
        let mut stmts = Vec::new();
        if let Expr::Call(boxing) = &mut *await_expr.base
            && let Some(Expr::Call(call)) = boxing.args.first_mut()
        {
            for arg in call.args.iter_mut() {
                if is_place(arg) || matches!(arg, Expr::Lit(_)) {
                    continue;
                }
                let name = self.temp("argument", arg.span());
                let value = std::mem::replace(arg, parse_quote!(#name));
                stmts.push(Stmt::Plain(parse_quote!(let #name = #value;)));
            }
        }
        let boxed = &await_expr.base;
        let wrapped: Expr = parse_quote!(async move { #boxed.await });
        await_expr.base = Box::new(wrapped);
        let id = self.point(await_expr);
        if stmts.is_empty() {
            return Node::Await(id);
        }
        stmts.push(Stmt::Expr {
            node: Node::Await(id),
            semi: false,
        });
        Node::Block(self.block_of(stmts))
    }

    /// A new await point for `operand.await` (its operand has no await).
    pub(super) fn point(&mut self, expr: syn::ExprAwait) -> usize {
        let span = expr.await_token.span;
        let operand = *expr.base;
        let line = span.start().line;
        let text = format!("{}.await", expr_text(&operand));
        let callee = callee_name(&operand);
        let named = self.state_name.take();
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
            return self.if_let_node(e);
        }
        let otherwise = e
            .else_branch
            .map(|(_, else_expr)| Box::new(self.else_node(*else_expr)));
        if contains_await(&e.cond) {
            // The condition's temporaries are dropped before a branch runs.
            let condition = self.temp("condition", e.cond.span());
            let cond_node = self.node(*e.cond);
            let then = self.block(e.then_branch, None, false);
            let id = self.construct_id("If", e.if_token.span);
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
            return Node::Block(self.block_of(stmts));
        }
        let then = self.block(e.then_branch, None, false);
        Node::If {
            id: self.construct_id("If", e.if_token.span),
            cond: *e.cond,
            then,
            otherwise,
        }
    }

    fn else_node(&mut self, expr: Expr) -> Node {
        match expr {
            Expr::If(i) => {
                if contains_await(&Expr::If(i.clone())) {
                    self.if_node(i)
                } else {
                    Node::Plain(Expr::If(i))
                }
            }
            Expr::Block(b) => Node::Block(self.block(b.block, b.label, false)),
            other => self.node(other),
        }
    }

    /// `if let` and `let` chains with an await: the conditions nested from
    /// the outside in, the `then` block breaking out of a labelled block
    /// whose tail is the `else` branch.
    fn if_let_node(&mut self, e: syn::ExprIf) -> Node {
        let label_name = self.temp("chain", e.if_token.span);
        let label = syn::Lifetime::new(
            &format!("'{label_name}"),
            Span::mixed_site().located_at(e.if_token.span),
        );
        let mut conditions = Vec::new();
        flatten_and(*e.cond, &mut conditions);
        let then = Expr::Block(syn::ExprBlock {
            attrs: Vec::new(),
            label: None,
            block: e.then_branch,
        });
        let value = self.temp("value", then.span());
        let innermost: Expr = parse_quote!({
            let #value = #then;
            break #label #value;
        });
        let chain = conditions
            .into_iter()
            .rev()
            .fold(innermost, |inner, cond| match cond {
                Expr::Let(l) => {
                    let (pat, scrutinee) = (&*l.pat, &*l.expr);
                    parse_quote!(match #scrutinee { #pat => #inner, _ => {} })
                }
                cond => parse_quote!(if #cond #inner),
            });
        let otherwise = match e.else_branch {
            Some((_, else_expr)) => *else_expr,
            None => parse_quote!({}),
        };
        let label = syn::Label {
            name: label,
            colon_token: Default::default(),
        };
        let body: syn::Block = parse_quote!({
            #chain
            #otherwise
        });
        Node::Block(self.block(body, Some(label), false))
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
        if arms_await {
            // The scrutinee's temporaries live until the match ends: across the arms' awaits.
            scrutinee = self.settle(scrutinee, &mut pre);
        }
        let node = if m
            .arms
            .iter()
            .any(|a| a.guard.as_ref().is_some_and(|(_, g)| contains_await(g)))
        {
            self.awaiting_guards(scrutinee, m.arms)
        } else {
            let arms = m
                .arms
                .into_iter()
                .map(|arm| Arm {
                    attrs: arm.attrs,
                    pat: arm.pat,
                    guard: arm.guard.map(|(_, g)| *g),
                    body: self.node(*arm.body),
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

    /// A match whose guards await: every guard is evaluated once, in arm
    /// order, on `ref` bindings (as rustc binds a guard's variables), and the
    /// arm it selects then runs from a match whose guards compare its index.
    fn awaiting_guards(&mut self, scrutinee: Expr, arms: Vec<syn::Arm>) -> Node {
        let span = scrutinee.span();
        let selected = self.temp("selected_arm", span);
        let label_name = self.temp("select", span);
        let label = syn::Lifetime::new(
            &format!("'{label_name}"),
            Span::mixed_site().located_at(span),
        );
        let mut tests: Vec<Expr> = Vec::new();
        for (index, arm) in arms.iter().enumerate() {
            let by_ref = ref_pattern(&arm.pat);
            let test: Expr = match &arm.guard {
                None => parse_quote!(match #scrutinee { #by_ref => break #label #index, _ => {} }),
                Some((_, guard)) => {
                    let guard = deref_bindings(guard, &binding_idents(&arm.pat));
                    parse_quote!(match #scrutinee { #by_ref => if #guard { break #label #index }, _ => {} })
                }
            };
            tests.push(test);
        }
        let select: syn::Block = parse_quote!({
            #(#tests;)*
            ::core::unreachable!()
        });
        let select_label = syn::Label {
            name: label,
            colon_token: Default::default(),
        };
        let select_block = self.block(select, Some(select_label), false);
        let final_arms = arms
            .into_iter()
            .enumerate()
            .map(|(index, arm)| Arm {
                attrs: arm.attrs,
                pat: arm.pat,
                guard: Some(parse_quote!(#selected == #index)),
                body: self.node(*arm.body),
                scope: 0,
            })
            .chain(std::iter::once(Arm {
                attrs: Vec::new(),
                pat: parse_quote!(_),
                guard: None,
                body: Node::Plain(parse_quote!(::core::unreachable!())),
                scope: 0,
            }))
            .collect();
        let id = self.node_id();
        let stmts = vec![
            Stmt::Let {
                attrs: Vec::new(),
                pat: parse_quote!(#selected),
                init: Node::Block(select_block),
            },
            Stmt::Expr {
                node: Node::Match {
                    id,
                    scrutinee,
                    arms: final_arms,
                },
                semi: false,
            },
        ];
        Node::Block(self.block_of(stmts))
    }

    /// `while cond { body }` → `loop { if cond { body } else { break } }`;
    /// `while let P = e { body }` → `loop { match e { P => body, _ => break } }`.
    fn while_node(&mut self, w: syn::ExprWhile) -> Node {
        let (cond, body) = (*w.cond, w.body);
        let desugared: syn::Block = match cond {
            Expr::Let(l) => {
                let (pat, scrutinee) = (&*l.pat, &*l.expr);
                parse_quote!({ match #scrutinee { #pat => #body, _ => break } })
            }
            cond => parse_quote!({ if #cond #body else { break } }),
        };
        Node::Loop {
            id: self.construct_id("While", w.while_token.span),
            label: w.label,
            body: self.block(desugared, None, false),
        }
    }

    /// `for PAT in HEAD { body }`, as rustc desugars it, with the iterator a
    /// local (it is stored across the body's awaits).
    fn for_node(&mut self, f: syn::ExprForLoop) -> Node {
        let span = f.for_token.span;
        let iter = self.temp("iter", f.expr.span());
        let mut pre = Vec::new();
        let mut head = *f.expr;
        if contains_await(&head) {
            head = self.lift(head, &mut pre);
        }
        let head = self.settle_operand(head, &mut pre);
        let (pat, body) = (&*f.pat, &f.body);
        let step: syn::Block = if has_ref_binding(pat) {
            let next = self.temp("next", span);
            parse_quote!({
                let #next = ::core::iter::Iterator::next(&mut #iter);
                match #next { ::core::option::Option::Some(#pat) => #body, ::core::option::Option::None => break }
            })
        } else {
            parse_quote!({
                match ::core::iter::Iterator::next(&mut #iter) {
                    ::core::option::Option::Some(#pat) => #body,
                    ::core::option::Option::None => break,
                }
            })
        };
        pre.push(Stmt::Plain(parse_quote!(
            let mut #iter = ::core::iter::IntoIterator::into_iter(#head);
        )));
        let looped = Node::Loop {
            id: self.construct_id("For", span),
            label: f.label,
            body: self.block(step, None, false),
        };
        pre.push(Stmt::Expr {
            node: looped,
            semi: false,
        });
        Node::Block(self.block_of(pre))
    }

    /// Takes `#[state(Name)]` off a statement; it names the statement's
    /// await, which must be exactly one.
    fn take_state_attr(&mut self, attrs: &mut Vec<Attribute>, stmt: &impl ToTokens) {
        let mut found = None;
        let mut kept = Vec::new();
        for attr in attrs.drain(..) {
            if !attr.path().is_ident("state") {
                kept.push(attr);
                continue;
            }
            match attr.parse_args::<Ident>() {
                Ok(name) => match crate::names::check_state_name(&name) {
                    Ok(()) if found.is_none() => found = Some(name),
                    Ok(()) => self.fail(
                        attr.span(),
                        "a statement suspends at one state, so it takes one `#[state(..)]`; keep one of them",
                    ),
                    Err(e) => self.fail(e.span(), e),
                },
                Err(_) => self.fail(
                    attr.span(),
                    "expected `#[state(Name)]` with one UpperCamelCase name, like `#[state(FooTxt)]`",
                ),
            }
        }
        *attrs = kept;
        if let Some(name) = found {
            let count = count_awaits(&stmt.to_token_stream());
            if count == 1 {
                self.state_name = Some(name);
            } else {
                self.fail(
                    name.span(),
                    format!(
                        "`#[state({name})]` names the state of the statement's `.await`, but this \
                         statement has {count}; put it on a statement with exactly one `.await`"
                    ),
                );
            }
        }
    }

    fn end_state_attr(&mut self) {
        self.state_name = None;
    }
}

/// The awaits of a statement as written (not those of closures or async blocks).
fn count_awaits(tokens: &proc_macro2::TokenStream) -> usize {
    match syn::parse2::<syn::Stmt>(tokens.clone()) {
        Ok(stmt) => {
            struct Count(usize);
            impl<'a> syn::visit::Visit<'a> for Count {
                fn visit_expr(&mut self, e: &'a Expr) {
                    match e {
                        Expr::Await(_) => {
                            self.0 += 1;
                            syn::visit::visit_expr(self, e);
                        }
                        Expr::Closure(_) | Expr::Async(_) => {}
                        _ => syn::visit::visit_expr(self, e),
                    }
                }
                fn visit_macro(&mut self, m: &'a syn::Macro) {
                    self.0 += crate::macros::tokens_await(&m.tokens) as usize;
                }
                fn visit_item(&mut self, _: &'a syn::Item) {}
            }
            let mut c = Count(0);
            syn::visit::Visit::visit_stmt(&mut c, &stmt);
            c.0
        }
        Err(_) => 0,
    }
}

fn expr_attrs(expr: &mut Expr) -> Option<&mut Vec<Attribute>> {
    match expr {
        Expr::Await(e) => Some(&mut e.attrs),
        Expr::Call(e) => Some(&mut e.attrs),
        Expr::MethodCall(e) => Some(&mut e.attrs),
        Expr::Assign(e) => Some(&mut e.attrs),
        Expr::Binary(e) => Some(&mut e.attrs),
        Expr::Try(e) => Some(&mut e.attrs),
        Expr::Macro(e) => Some(&mut e.attrs),
        _ => None,
    }
}

/// `Box::pin(f(..))` (any path ending in `Box::pin`) around a call of a path.
fn is_boxed_call(expr: &Expr) -> bool {
    let Expr::Call(boxing) = expr else {
        return false;
    };
    let Expr::Path(path) = &*boxing.func else {
        return false;
    };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments.len() >= 2
        && segments[segments.len() - 2] == "Box"
        && segments[segments.len() - 1] == "pin"
        && boxing.args.len() == 1
        && matches!(boxing.args.first(), Some(Expr::Call(c)) if matches!(*c.func, Expr::Path(_)))
}

/// `a && b && c` → `[a, b, c]`.
fn flatten_and(expr: Expr, out: &mut Vec<Expr>) {
    match expr {
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            flatten_and(*b.left, out);
            flatten_and(*b.right, out);
        }
        Expr::Paren(p) if has_let(&p.expr) => flatten_and(*p.expr, out),
        other => out.push(other),
    }
}

/// Does an `if` condition contain a `let` (an `if let` or a let chain)?
fn has_let(cond: &Expr) -> bool {
    match cond {
        Expr::Let(_) => true,
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            has_let(&b.left) || has_let(&b.right)
        }
        _ => false,
    }
}

/// The identifiers a pattern binds, in order, with whether each is `mut`.
pub fn binding_idents(pat: &Pat) -> Vec<(Ident, bool)> {
    struct Collect(Vec<(Ident, bool)>);
    impl<'a> syn::visit::Visit<'a> for Collect {
        fn visit_pat_ident(&mut self, p: &'a syn::PatIdent) {
            self.0.push((p.ident.clone(), p.mutability.is_some()));
            syn::visit::visit_pat_ident(self, p);
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut c = Collect(Vec::new());
    syn::visit::Visit::visit_pat(&mut c, pat);
    // A path pattern that is a single lowercase-less ident (a unit struct or
    // constant) still parses as an ident binding; keep only plausible bindings.
    c.0.retain(|(i, _)| !is_constant_like(i));
    c.0
}

/// `None`, `FOO`, `Foo`: an identifier pattern that names a constant or a
/// unit variant rather than a binding (rustc decides by name resolution;
/// the case is the convention).
pub fn is_constant_like(ident: &Ident) -> bool {
    ident
        .to_string()
        .trim_start_matches("r#")
        .starts_with(|c: char| c.is_ascii_uppercase())
}

pub fn has_ref_binding(pat: &Pat) -> bool {
    struct Find(bool);
    impl<'a> syn::visit::Visit<'a> for Find {
        fn visit_pat_ident(&mut self, p: &'a syn::PatIdent) {
            self.0 |= p.by_ref.is_some();
            syn::visit::visit_pat_ident(self, p);
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut f = Find(false);
    syn::visit::Visit::visit_pat(&mut f, pat);
    f.0
}

/// The pattern with every binding made `ref` (not `mut`): it matches like
/// the original and moves nothing, as a guard sees it.
fn ref_pattern(pat: &Pat) -> Pat {
    struct MakeRef;
    impl syn::visit_mut::VisitMut for MakeRef {
        fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
            if !is_constant_like(&p.ident) {
                p.by_ref = Some(Default::default());
                p.mutability = None;
            }
            syn::visit_mut::visit_pat_ident_mut(self, p);
        }
        fn visit_expr_mut(&mut self, _: &mut Expr) {}
    }
    let mut pat = pat.clone();
    syn::visit_mut::VisitMut::visit_pat_mut(&mut MakeRef, &mut pat);
    pat
}

/// A guard with its pattern's bindings read through the `ref` bindings of
/// [`ref_pattern`]: `x` becomes `(*x)`.
fn deref_bindings(guard: &Expr, bindings: &[(Ident, bool)]) -> Expr {
    struct Deref<'a>(&'a [(Ident, bool)]);
    impl syn::visit_mut::VisitMut for Deref<'_> {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Expr::Path(p) = expr
                && p.qself.is_none()
                && let Some(ident) = p.path.get_ident()
                && self.0.iter().any(|(b, _)| b == ident)
            {
                *expr = parse_quote!((*#ident));
                return;
            }
            if matches!(expr, Expr::Closure(_)) {
                return;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            let _ = mac;
        }
    }
    let mut guard = guard.clone();
    syn::visit_mut::VisitMut::visit_expr_mut(&mut Deref(bindings), &mut guard);
    guard
}

/// Whether `expr` is already a place (a local, a field of one, ...): then
/// `match expr` moves out of it rather than out of a temporary.
pub fn is_place_expr(expr: &Expr) -> bool {
    is_place(expr)
}

#[allow(dead_code)]
fn tokens_of(expr: &Expr) -> proc_macro2::TokenStream {
    expr.to_token_stream()
}
