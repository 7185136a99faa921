//! From the user's body to the [`ir`](crate::ir) tree: awaits nested in
//! expressions are hoisted into statements in evaluation order, loops with
//! awaits are desugared (`while`, `while let`, `for` become `loop`), and
//! `#[state(Name)]` attributes are taken off their statements.
//!
//! Hoisting keeps rustc's order of evaluation: everything evaluated before an
//! await that is not a plain place (a local, a field, a literal) is
//! evaluated first into a temporary; the last await of a statement stays in
//! place as the statement's "hole", so `let n = f().await?;` stays one
//! statement. A temporary borrowed across an await (`f(&D(..), g().await)`)
//! becomes a named local, so it can be stored.

use crate::ir::{Arm, AwaitPoint, Block, Node, Stmt, UNASSIGNED_SCOPE, hole};
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, Ident, Pat, parse_quote};

/// Prefix of the temporaries the hoisting introduces.
pub const TEMP_PREFIX: &str = "__explicit_async_tmp_";
/// Prefix of temporaries that are held to the end of their statement or
/// block: borrowed ones (`f(&D(..), x.await)`), those of a `match`
/// scrutinee, and the value of a `let` with `ref` bindings.
pub const HELD_PREFIX: &str = "__explicit_async_held_";
/// Prefix of the iterator of a desugared `for`.
pub const ITER_PREFIX: &str = "__explicit_async_iter_";

pub struct Normalizer {
    pub awaits: Vec<AwaitPoint>,
    temps: usize,
    error: Option<syn::Error>,
    /// The `#[state(Name)]` of the statement being normalized.
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
            awaits: Vec::new(),
            temps: 0,
            error: None,
            state_name: None,
        }
    }

    pub fn into_result<T>(self, value: T) -> syn::Result<(T, Vec<AwaitPoint>)> {
        match self.error {
            Some(e) => Err(e),
            None => Ok((value, self.awaits)),
        }
    }

    fn fail(&mut self, span: Span, message: impl std::fmt::Display) {
        let error = syn::Error::new(span, message);
        match &mut self.error {
            Some(e) => e.combine(error),
            None => self.error = Some(error),
        }
    }

    /// A name for a local the transform introduces, hygienic, located at `at`.
    fn temp(&mut self, prefix: &str, at: Span) -> Ident {
        self.temps += 1;
        Ident::new(
            &format!("{prefix}{}", self.temps),
            Span::mixed_site().located_at(at),
        )
    }

    pub fn block(
        &mut self,
        block: syn::Block,
        label: Option<syn::Label>,
        is_unsafe: bool,
    ) -> Block {
        let scope = UNASSIGNED_SCOPE;
        let stmts = block
            .stmts
            .into_iter()
            .flat_map(|s| self.stmts(s))
            .collect();
        Block {
            label,
            is_unsafe,
            stmts,
            scope,
        }
    }

    /// The root block: its scope is 0, the scope of the arguments' block.
    pub fn root_block(&mut self, block: syn::Block) -> Block {
        let stmts = block
            .stmts
            .into_iter()
            .flat_map(|s| self.stmts(s))
            .collect();
        Block {
            label: None,
            is_unsafe: false,
            stmts,
            scope: 0,
        }
    }

    /// A statement; a `let` with `ref` bindings into a temporary
    /// (`let (ref a, b) = (x(), y);`) first names the temporary, which
    /// rustc keeps alive for the block, so that it can be stored.
    fn stmts(&mut self, stmt: syn::Stmt) -> Vec<Stmt> {
        // `let r = &make();`: the temporary lives as long as `r` (lifetime
        // extension); named, it can be stored with it.
        if let syn::Stmt::Local(local) = &stmt
            && let Some(init) = &local.init
            && init.diverge.is_none()
            && let Expr::Reference(r) = &*init.expr
            && !is_place_expression(&r.expr)
            && !matches!(*r.expr, Expr::Lit(_))
            && !contains_await(&r.expr)
        {
            let temp = self.temp(HELD_PREFIX, r.expr.span());
            let (inner, mutability, pat, attrs) =
                (&r.expr, &r.mutability, &local.pat, &local.attrs);
            let first: syn::Stmt = parse_quote!(let #mutability #temp = #inner;);
            let second: syn::Stmt = parse_quote!(#(#attrs)* let #pat = &#mutability #temp;);
            return vec![self.stmt(first), self.stmt(second)];
        }
        if let syn::Stmt::Local(local) = &stmt
            && let Some(init) = &local.init
            && has_ref_binding(&local.pat)
            && !is_place(&init.expr)
            && init.diverge.is_none()
        {
            let at = init.expr.span();
            let temp = self.temp(HELD_PREFIX, at);
            let (expr, pat, attrs) = (&init.expr, &local.pat, &local.attrs);
            let first: syn::Stmt = parse_quote!(let #temp = #expr;);
            let second: syn::Stmt = parse_quote!(#(#attrs)* let #pat = #temp;);
            return vec![self.stmt(first), self.stmt(second)];
        }
        vec![self.stmt(stmt)]
    }

    fn stmt(&mut self, stmt: syn::Stmt) -> Stmt {
        match stmt {
            syn::Stmt::Local(mut local) => {
                let tokens = local.to_token_stream();
                self.take_state_attr(&mut local.attrs, tokens);
                let Some(init) = local.init else {
                    return Stmt::Plain(syn::Stmt::Local(local));
                };
                if init
                    .diverge
                    .as_ref()
                    .is_some_and(|(_, e)| contains_await(e))
                {
                    // The `else` block awaits: `let (a, b) = match init { PAT => (a, b), _ => else };`.
                    let (names, mutable) = pattern_bindings(&local.pat);
                    let (pat, scrutinee) = (&local.pat, &init.expr);
                    let diverge = &init.diverge.as_ref().expect("checked").1;
                    let values = names.iter();
                    let bindings = names.iter().zip(&mutable).map(|(n, m)| {
                        if *m {
                            quote::quote!(mut #n)
                        } else {
                            quote::quote!(#n)
                        }
                    });
                    let desugared: syn::Stmt = parse_quote! {
                        let (#(#bindings,)*) = match #scrutinee { #pat => (#(#values,)*), _ => #diverge };
                    };
                    return self.stmt(desugared);
                }
                if !contains_await(&init.expr) {
                    local.init = Some(init);
                    self.state_name = None;
                    return Stmt::Plain(syn::Stmt::Local(local));
                }
                let node = self.value(*init.expr);
                let diverge = init.diverge.map(|(_, e)| match *e {
                    Expr::Block(b) => b.block,
                    other => parse_quote!({ #other }),
                });
                self.finish_state_attr();
                Stmt::Let {
                    attrs: local.attrs,
                    pat: local.pat,
                    init: node,
                    diverge,
                }
            }
            syn::Stmt::Expr(mut expr, semi) => {
                let tokens = expr.to_token_stream();
                if let Some(attrs) = expr_attrs(&mut expr) {
                    let mut taken = std::mem::take(attrs);
                    self.take_state_attr(&mut taken, tokens);
                    if let Some(attrs) = expr_attrs(&mut expr) {
                        *attrs = taken;
                    }
                }
                if !contains_await(&expr) {
                    return Stmt::Plain(syn::Stmt::Expr(expr, semi));
                }
                let node = self.value(expr);
                self.finish_state_attr();
                Stmt::Expr {
                    node,
                    semi: semi.is_some(),
                }
            }
            other => Stmt::Plain(other),
        }
    }

    /// Takes `#[state(Name)]` off a statement and checks it names one await.
    fn take_state_attr(&mut self, attrs: &mut Vec<syn::Attribute>, stmt: TokenStream) {
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
                    Ok(()) => self.fail(attr.span(), "a statement suspends at one state, so it takes one `#[state(..)]`; keep one of them"),
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
            let count = count_awaits(&stmt);
            if count != 1 {
                self.fail(
                    name.span(),
                    format!(
                        "`#[state({name})]` names the state of the statement's `.await`, but this \
                         statement has {count}; put it on a statement with exactly one `.await`"
                    ),
                );
            } else {
                self.state_name = Some(name);
            }
        }
    }

    fn finish_state_attr(&mut self) {
        self.state_name = None;
    }

    fn new_await(&mut self, written: &Expr, operand: Expr, await_span: Span) -> usize {
        let text = format!("{}.await", crate::text::expr_text(written));
        let line = await_span.start().line;
        self.awaits.push(AwaitPoint {
            callee: crate::names::callee_name(written),
            operand,
            line,
            text,
            named: self.state_name.take(),
        });
        self.awaits.len() - 1
    }

    /// An expression that contains awaits, in a value position of a statement.
    fn value(&mut self, expr: Expr) -> Node {
        match expr {
            Expr::If(e) => {
                let span = e.if_token.span;
                if has_let_chain(&e.cond) {
                    self.fail(
                        span,
                        "`if let` chains (`if let .. && ..`) with `.await` are not supported by \
                         #[explicit_async]; await into a `let` before the `if`, or nest the conditions",
                    );
                    return Node::Plain(parse_quote!(()));
                }
                if let Expr::Let(l) = *e.cond {
                    let (pat, scrutinee, then) = (*l.pat, *l.expr, e.then_branch);
                    let otherwise: Expr = match e.else_branch {
                        Some((_, otherwise)) => *otherwise,
                        None => parse_quote!({}),
                    };
                    return self
                        .value(parse_quote!(match #scrutinee { #pat => #then, _ => #otherwise }));
                }

                let (pre, cond) = self.hoist_if_awaits(*e.cond);
                let then = self.block(e.then_branch, None, false);
                let otherwise = e
                    .else_branch
                    .map(|(_, otherwise)| Box::new(self.branch(*otherwise)));
                with_pre(
                    pre,
                    Node::If {
                        cond,
                        then,
                        otherwise,
                    },
                )
            }
            Expr::Match(m)
                if m.arms
                    .iter()
                    .any(|a| a.guard.as_ref().is_some_and(|(_, g)| contains_await(g))) =>
            {
                match self.awaiting_guards(m) {
                    Ok(desugared) => self.value(desugared),
                    Err(error) => {
                        self.fail(error.span(), error);
                        Node::Plain(parse_quote!(()))
                    }
                }
            }
            Expr::Match(m) => {
                let (mut pre, scrutinee) = self.hoist_if_awaits(*m.expr);
                let arms_await = m.arms.iter().any(|a| contains_await(&a.body));
                let scrutinee = if arms_await {
                    // Temporaries of the scrutinee live to the end of the
                    // `match`, across the awaits of its arms: name them.
                    let (temporaries, scrutinee) = self.scrutinee_temporaries(scrutinee);
                    pre.extend(temporaries);
                    scrutinee
                } else {
                    scrutinee
                };
                let arms = m
                    .arms
                    .into_iter()
                    .map(|arm| {
                        let scope = UNASSIGNED_SCOPE;
                        let body = self.branch(*arm.body);
                        Arm {
                            attrs: arm.attrs,
                            pat: arm.pat,
                            guard: arm.guard.map(|(_, g)| *g),
                            body,
                            scope,
                        }
                    })
                    .collect();
                with_pre(pre, Node::Match { scrutinee, arms })
            }
            Expr::Loop(l) => Node::Loop {
                label: l.label,
                body: self.block(l.body, None, false),
            },
            Expr::While(w) => {
                let (label, body) = (w.label, w.body);
                let desugared: Expr = match *w.cond {
                    Expr::Let(l) => {
                        let (pat, scrutinee) = (l.pat, l.expr);
                        parse_quote!(#label loop { match #scrutinee { #pat => #body, _ => break } })
                    }
                    cond => parse_quote!(#label loop { if #cond #body else { break } }),
                };
                self.value(desugared)
            }
            Expr::ForLoop(f) => {
                let iter = self.temp(ITER_PREFIX, f.for_token.span);
                let (label, pat, body) = (f.label, f.pat, f.body);
                // The iterable's temporaries (`make().iter()`) live for the whole loop.
                let (temporaries, iterable) = self.scrutinee_temporaries(*f.expr);
                let temporaries = temporaries.into_iter().map(|stmt| match stmt {
                    Stmt::Plain(stmt) => stmt,
                    _ => unreachable!("temporaries are plain statements"),
                });
                self.value(parse_quote!({
                    #(#temporaries)*
                    let mut #iter = ::core::iter::IntoIterator::into_iter(#iterable);
                    #label loop {
                        let ::core::option::Option::Some(#pat) = ::core::iter::Iterator::next(&mut #iter) else { break };
                        #body
                    }
                }))
            }
            Expr::Block(b) => Node::Block(self.block(b.block, b.label, false)),
            Expr::Unsafe(u) => Node::Block(self.block(u.block, None, true)),
            Expr::Paren(p) if is_control_flow(&p.expr) => self.value(*p.expr),
            Expr::Binary(b) if is_lazy(&b.op) && contains_await(&b.right) => {
                let (left, right) = (b.left, b.right);
                let desugared: Expr = match b.op {
                    syn::BinOp::And(_) => parse_quote!(if #left { #right } else { false }),
                    _ => parse_quote!(if #left { true } else { #right }),
                };
                self.value(desugared)
            }
            other => {
                let mut hoister = Hoister {
                    pre: Vec::new(),
                    remaining: units(&other),
                    hole: None,
                };
                let rest = hoister.expr(self, other);
                let node = match hoister.hole {
                    Some(id) => Node::Await { id, post: rest },
                    None => Node::Plain(rest),
                };
                with_pre(hoister.pre, node)
            }
        }
    }

    /// An `else` branch or a match arm's body.
    fn branch(&mut self, expr: Expr) -> Node {
        if !contains_await(&expr) {
            return Node::Plain(expr);
        }
        match expr {
            Expr::Block(b) if b.label.is_none() => Node::Block(self.block(b.block, None, false)),
            other => self.value(other),
        }
    }

    /// A `match` whose guards await. A guard sees the arm's bindings by
    /// reference, before the arm is chosen; so each awaiting guard is
    /// evaluated first, by matching a reference to the scrutinee (its
    /// bindings are then references, dereferenced in the guard), and only
    /// if no earlier arm matches; the `match` itself then tests the result:
    /// ```ignore
    /// match s { A => a, P if g(n).await => b, _ => c }
    /// // becomes
    /// { let guard = match &s { A => false, P => g((*n)).await, _ => false };
    ///   match s { A => a, P if guard => b, _ => c } }
    /// ```
    /// An earlier guard without an await would be evaluated twice: rejected.
    fn awaiting_guards(&mut self, m: syn::ExprMatch) -> syn::Result<Expr> {
        let mut pre: Vec<syn::Stmt> = Vec::new();
        let scrutinee = if is_place_expression(&m.expr) {
            *m.expr
        } else {
            let held = self.temp(HELD_PREFIX, m.expr.span());
            let value = &m.expr;
            pre.push(parse_quote!(let #held = #value;));
            parse_quote!(#held)
        };
        let mut before: Vec<syn::Arm> = Vec::new();
        let mut arms: Vec<syn::Arm> = Vec::new();
        let mut plain_guard: Option<Span> = None;
        for mut arm in m.arms {
            let awaits = arm.guard.as_ref().is_some_and(|(_, g)| contains_await(g));
            if !awaits {
                if let Some((_, guard)) = &arm.guard {
                    plain_guard.get_or_insert(guard.span());
                }
                before.push(by_reference_arm(&arm, parse_quote!(false)));
                arms.push(arm);
                continue;
            }
            if let Some(plain) = plain_guard {
                return Err(syn::Error::new(
                    plain,
                    "#[explicit_async] evaluates a guard with `.await` ahead of the `match`, \
                     which would run this earlier guard twice; await before the `match` instead",
                ));
            }
            let (_, guard) = arm.guard.take().expect("an awaiting guard");
            let flag = self.temp(TEMP_PREFIX, guard.span());
            let mut deref = DerefBindings(pattern_bindings(&arm.pat).0);
            let mut guard = *guard;
            syn::visit_mut::VisitMut::visit_expr_mut(&mut deref, &mut guard);
            let mut tests = before.clone();
            tests.push(by_reference_arm(&arm, guard));
            pre.push(parse_quote! {
                let #flag = match &#scrutinee {
                    #(#tests)*
                    #[allow(unreachable_patterns)]
                    _ => false,
                };
            });
            before.push(by_reference_arm(
                &syn::Arm {
                    guard: Some((Default::default(), Box::new(parse_quote!(#flag)))),
                    ..arm.clone()
                },
                parse_quote!(false),
            ));
            arm.guard = Some((Default::default(), Box::new(parse_quote!(#flag))));
            // Its bindings were for the guard, which now ran on the reference.
            arm.attrs.push(parse_quote!(#[allow(unused_variables)]));
            arms.push(arm);
        }
        Ok(parse_quote!({ #(#pre)* match #scrutinee { #(#arms)* } }))
    }

    /// Names the temporaries of a scrutinee: borrowed ones (`&D(..)`), the
    /// bases of fields and method calls (`D(..).0.len()`), and the value itself.
    fn scrutinee_temporaries(&mut self, scrutinee: Expr) -> (Vec<Stmt>, Expr) {
        struct Temporaries<'a> {
            normalizer: &'a mut Normalizer,
            pre: Vec<Stmt>,
        }
        impl Temporaries<'_> {
            fn name(&mut self, expr: &mut Expr, mutable: bool) {
                if is_place_expression(expr) || matches!(expr, Expr::Lit(_)) {
                    return;
                }
                let at = expr.span();
                let temp = self.normalizer.temp(HELD_PREFIX, at);
                let value = std::mem::replace(expr, parse_quote!(#temp));
                let pat: Pat = if mutable {
                    parse_quote!(mut #temp)
                } else {
                    parse_quote!(#temp)
                };
                self.pre.push(Stmt::Plain(parse_quote!(let #pat = #value;)));
            }
        }
        impl syn::visit_mut::VisitMut for Temporaries<'_> {
            fn visit_expr_mut(&mut self, expr: &mut Expr) {
                match expr {
                    Expr::Closure(_)
                    | Expr::Async(_)
                    | Expr::Block(_)
                    | Expr::If(_)
                    | Expr::Match(_) => {}
                    Expr::Reference(r) => {
                        self.visit_expr_mut(&mut r.expr);
                        let mutable = r.mutability.is_some();
                        self.name(&mut r.expr, mutable);
                    }
                    Expr::Field(f) => {
                        self.visit_expr_mut(&mut f.base);
                        self.name(&mut f.base, false);
                    }
                    Expr::MethodCall(m) => {
                        self.visit_expr_mut(&mut m.receiver);
                        self.name(&mut m.receiver, true);
                        for arg in &mut m.args {
                            self.visit_expr_mut(arg);
                        }
                    }
                    _ => syn::visit_mut::visit_expr_mut(self, expr),
                }
            }
        }
        let mut scrutinee = scrutinee;
        let mut temporaries = Temporaries {
            normalizer: self,
            pre: Vec::new(),
        };
        syn::visit_mut::VisitMut::visit_expr_mut(&mut temporaries, &mut scrutinee);
        (temporaries.pre, scrutinee)
    }

    /// Hoists every await (and what is evaluated before it) out of `expr`.
    fn hoist_if_awaits(&mut self, expr: Expr) -> (Vec<Stmt>, Expr) {
        if !contains_await(&expr) {
            return (Vec::new(), expr);
        }
        let mut hoister = Hoister {
            pre: Vec::new(),
            remaining: units(&expr) + 1,
            hole: None,
        };
        let rest = hoister.expr(self, expr);
        (hoister.pre, rest)
    }
}

fn with_pre(pre: Vec<Stmt>, node: Node) -> Node {
    if pre.is_empty() {
        return node;
    }
    let mut stmts = pre;
    stmts.push(Stmt::Expr { node, semi: false });
    // The block bounds the hoisted temporaries to the statement, as rustc does.
    Node::Block(Block {
        label: None,
        is_unsafe: false,
        stmts,
        scope: UNASSIGNED_SCOPE,
    })
}

/// Hoists the awaits of one expression in evaluation order.
struct Hoister {
    pre: Vec<Stmt>,
    /// Awaits (and constructs containing awaits) still to be evaluated.
    remaining: usize,
    hole: Option<usize>,
}

impl Hoister {
    fn bind(&mut self, n: &mut Normalizer, init: Node, mutable: bool, at: Span) -> Expr {
        self.bind_as(n, TEMP_PREFIX, init, mutable, at)
    }

    /// A temporary that is borrowed, and so held to the end of the statement.
    fn bind_held(&mut self, n: &mut Normalizer, init: Node, mutable: bool, at: Span) -> Expr {
        self.bind_as(n, HELD_PREFIX, init, mutable, at)
    }

    fn bind_as(
        &mut self,
        n: &mut Normalizer,
        prefix: &str,
        init: Node,
        mutable: bool,
        at: Span,
    ) -> Expr {
        let name = n.temp(prefix, at);
        let pat: Pat = if mutable {
            parse_quote!(mut #name)
        } else {
            parse_quote!(#name)
        };
        self.pre.push(Stmt::Let {
            attrs: Vec::new(),
            pat,
            init,
            diverge: None,
        });
        parse_quote!(#name)
    }

    fn expr(&mut self, n: &mut Normalizer, expr: Expr) -> Expr {
        if units(&expr) == 0 {
            if self.remaining == 0 || is_place(&expr) {
                return expr;
            }
            // Evaluated before a later await: evaluate it now, into a temporary.
            let at = expr.span();
            if let Expr::Reference(mut r) = expr {
                let inner = self.bind_held(n, Node::Plain(*r.expr), r.mutability.is_some(), at);
                r.expr = Box::new(inner);
                return Expr::Reference(r);
            }
            return self.bind(n, Node::Plain(expr), false, at);
        }
        let at = expr.span();
        let rest = self.with_awaits(n, expr);
        // What is left of it is evaluated before a later await: now, into a temporary.
        if self.remaining > 0 && !is_place(&rest) && !matches!(rest, Expr::Reference(_)) {
            // Temporaries it borrows live to the end of the statement.
            let rest = self.operand_temporaries(n, rest);
            return self.bind(n, Node::Plain(rest), false, at);
        }
        rest
    }

    /// An expression that contains awaits, with them hoisted.
    fn with_awaits(&mut self, n: &mut Normalizer, expr: Expr) -> Expr {
        match expr {
            Expr::Await(a) => {
                // The operand is evaluated right before its own await: only
                // awaits inside it are hoisted out of it.
                let written = (*a.base).clone();
                let operand = if units(&a.base) == 0 {
                    *a.base
                } else {
                    self.expr(n, *a.base)
                };
                let operand = self.operand_temporaries(n, operand);
                let operand = self.boxed_recursion(n, operand);
                self.remaining -= 1;
                let id = n.new_await(&written, operand, a.await_token.span);
                if self.remaining == 0 && self.hole.is_none() {
                    self.hole = Some(id);
                    hole()
                } else {
                    self.bind(
                        n,
                        Node::Await { id, post: hole() },
                        false,
                        a.await_token.span,
                    )
                }
            }
            e if is_control_flow(&e)
                || matches!(&e, Expr::Binary(b) if is_lazy(&b.op) && contains_await(&b.right)) =>
            {
                let at = e.span();
                let node = n.value(e);
                self.remaining -= 1;
                self.bind(n, node, false, at)
            }
            Expr::Binary(mut b) if is_compound_assignment(&b.op) => {
                // The place assigned to stays a place, evaluated after the value.
                if contains_await(&b.left) {
                    n.fail(b.left.span(), "#[explicit_async] cannot hoist an `.await` out of the place an assignment writes to; bind it first");
                }
                b.right = Box::new(self.expr(n, *b.right));
                Expr::Binary(b)
            }
            Expr::Binary(mut b) => {
                b.left = Box::new(self.expr(n, *b.left));
                b.right = Box::new(self.expr(n, *b.right));
                Expr::Binary(b)
            }
            Expr::Call(mut c) => {
                c.func = Box::new(self.expr(n, *c.func));
                c.args = c.args.into_iter().map(|a| self.expr(n, a)).collect();
                Expr::Call(c)
            }
            Expr::MethodCall(mut m) => {
                m.receiver = Box::new(self.expr(n, *m.receiver));
                m.args = m.args.into_iter().map(|a| self.expr(n, a)).collect();
                Expr::MethodCall(m)
            }
            Expr::Reference(mut r) => {
                r.expr = Box::new(self.expr(n, *r.expr));
                Expr::Reference(r)
            }
            Expr::Field(mut f) => {
                f.base = Box::new(self.expr(n, *f.base));
                Expr::Field(f)
            }
            Expr::Index(mut i) => {
                i.expr = Box::new(self.expr(n, *i.expr));
                i.index = Box::new(self.expr(n, *i.index));
                Expr::Index(i)
            }
            Expr::Unary(mut u) => {
                u.expr = Box::new(self.expr(n, *u.expr));
                Expr::Unary(u)
            }
            Expr::Cast(mut c) => {
                c.expr = Box::new(self.expr(n, *c.expr));
                Expr::Cast(c)
            }
            Expr::Paren(mut p) => {
                p.expr = Box::new(self.expr(n, *p.expr));
                Expr::Paren(p)
            }
            Expr::Group(mut g) => {
                g.expr = Box::new(self.expr(n, *g.expr));
                Expr::Group(g)
            }
            Expr::Try(mut t) => {
                t.expr = Box::new(self.expr(n, *t.expr));
                Expr::Try(t)
            }
            Expr::Tuple(mut t) => {
                t.elems = t.elems.into_iter().map(|e| self.expr(n, e)).collect();
                Expr::Tuple(t)
            }
            Expr::Array(mut a) => {
                a.elems = a.elems.into_iter().map(|e| self.expr(n, e)).collect();
                Expr::Array(a)
            }
            Expr::Struct(mut s) => {
                for field in s.fields.iter_mut() {
                    let value = std::mem::replace(&mut field.expr, parse_quote!(()));
                    field.expr = self.expr(n, value);
                }
                if let Some(rest) = s.rest.take() {
                    s.rest = Some(Box::new(self.expr(n, *rest)));
                }
                Expr::Struct(s)
            }
            Expr::Return(mut r) => {
                r.expr = r.expr.map(|e| Box::new(self.expr(n, *e)));
                Expr::Return(r)
            }
            Expr::Break(mut b) => {
                b.expr = b.expr.map(|e| Box::new(self.expr(n, *e)));
                Expr::Break(b)
            }
            Expr::Assign(mut a) => {
                a.right = Box::new(self.expr(n, *a.right));
                Expr::Assign(a)
            }
            Expr::Range(mut r) => {
                r.start = r.start.map(|e| Box::new(self.expr(n, *e)));
                r.end = r.end.map(|e| Box::new(self.expr(n, *e)));
                Expr::Range(r)
            }
            Expr::Repeat(mut r) => {
                r.expr = Box::new(self.expr(n, *r.expr));
                Expr::Repeat(r)
            }
            other => {
                n.fail(
                    other.span(),
                    "#[explicit_async] cannot hoist the `.await` out of this expression; \
                     bind the awaited value to a local first: `let value = fut.await;`",
                );
                other
            }
        }
    }

    /// `Box::pin(call(args)).await` (recursion): the enum's generic
    /// parameter for this future would contain the function's own future
    /// type (E0720), so the arguments are evaluated into locals, in order,
    /// and the boxed call happens inside a small async block (DESIGN.md §3.5).
    fn boxed_recursion(&mut self, n: &mut Normalizer, operand: Expr) -> Expr {
        let Expr::Call(mut pin) = operand else {
            return operand;
        };
        let is_box_pin = matches!(&*pin.func, Expr::Path(p) if {
            let names: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
            names.ends_with(&["Box".to_string(), "pin".to_string()])
        });
        if !is_box_pin || pin.args.len() != 1 {
            return Expr::Call(pin);
        }
        if let Some(Expr::Call(inner)) = pin.args.first_mut() {
            for arg in inner.args.iter_mut() {
                if !matches!(arg, Expr::Lit(_)) {
                    let at = arg.span();
                    let value = std::mem::replace(arg, parse_quote!(()));
                    *arg = self.bind(n, Node::Plain(value), false, at);
                }
            }
        }
        parse_quote!(async move { #pin.await })
    }

    /// A temporary that the awaited future borrows (`f(&D(..)).await`) must
    /// live across the await: it becomes a named local, which can be stored.
    fn operand_temporaries(&mut self, n: &mut Normalizer, operand: Expr) -> Expr {
        struct Borrowed<'a> {
            hoister: &'a mut Hoister,
            normalizer: &'a mut Normalizer,
        }
        impl syn::visit_mut::VisitMut for Borrowed<'_> {
            fn visit_expr_mut(&mut self, expr: &mut Expr) {
                match expr {
                    Expr::Closure(_)
                    | Expr::Async(_)
                    | Expr::Block(_)
                    | Expr::If(_)
                    | Expr::Match(_) => {}
                    Expr::Reference(r)
                        if !is_place_expression(&r.expr) && !matches!(*r.expr, Expr::Lit(_)) =>
                    {
                        let at = r.expr.span();
                        let inner = std::mem::replace(&mut *r.expr, parse_quote!(()));
                        let name = self.hoister.bind_held(
                            self.normalizer,
                            Node::Plain(inner),
                            r.mutability.is_some(),
                            at,
                        );
                        *r.expr = name;
                    }
                    _ => syn::visit_mut::visit_expr_mut(self, expr),
                }
            }
        }
        let mut operand = operand;
        syn::visit_mut::VisitMut::visit_expr_mut(
            &mut Borrowed {
                hoister: self,
                normalizer: n,
            },
            &mut operand,
        );
        operand
    }
}

fn expr_attrs(expr: &mut Expr) -> Option<&mut Vec<syn::Attribute>> {
    Some(match expr {
        Expr::Await(e) => &mut e.attrs,
        Expr::Call(e) => &mut e.attrs,
        Expr::MethodCall(e) => &mut e.attrs,
        Expr::Assign(e) => &mut e.attrs,
        Expr::Binary(e) => &mut e.attrs,
        Expr::Try(e) => &mut e.attrs,
        Expr::If(e) => &mut e.attrs,
        Expr::Match(e) => &mut e.attrs,
        Expr::Block(e) => &mut e.attrs,
        Expr::Loop(e) => &mut e.attrs,
        Expr::While(e) => &mut e.attrs,
        Expr::ForLoop(e) => &mut e.attrs,
        Expr::Macro(e) => &mut e.attrs,
        Expr::Return(e) => &mut e.attrs,
        _ => return None,
    })
}

pub fn is_compound_assignment(op: &syn::BinOp) -> bool {
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

fn is_lazy(op: &syn::BinOp) -> bool {
    matches!(op, syn::BinOp::And(_) | syn::BinOp::Or(_))
}

fn is_control_flow(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::If(_)
            | Expr::Match(_)
            | Expr::Loop(_)
            | Expr::While(_)
            | Expr::ForLoop(_)
            | Expr::Block(_)
            | Expr::Unsafe(_)
    )
}

/// An `if let` chain: `let` inside `&&`, or (as syn parses `let P = a && b`)
/// a `&&` inside the `let`'s expression.
fn has_let_chain(expr: &Expr) -> bool {
    match expr {
        Expr::Let(l) => matches!(&*l.expr, Expr::Binary(b) if is_lazy(&b.op)),
        Expr::Binary(b) if is_lazy(&b.op) => {
            matches!(&*b.left, Expr::Let(_))
                || matches!(&*b.right, Expr::Let(_))
                || has_let_chain(&b.left)
                || has_let_chain(&b.right)
        }
        _ => false,
    }
}

/// An expression whose evaluation has no effect and reads nothing that an
/// await could change: it may stay after the await in evaluation order.
pub fn is_place(expr: &Expr) -> bool {
    match expr {
        Expr::Path(_) | Expr::Lit(_) | Expr::Closure(_) => true,
        Expr::Field(f) => is_place(&f.base),
        Expr::Index(i) => is_place(&i.expr) && is_place(&i.index),
        Expr::Paren(p) => is_place(&p.expr),
        Expr::Group(g) => is_place(&g.expr),
        Expr::Reference(r) => is_place(&r.expr),
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Deref(_)) && is_place(&u.expr),
        _ => false,
    }
}

/// Does `expr` await, outside closures, async blocks and items?
pub fn contains_await(expr: &Expr) -> bool {
    let mut finder = AwaitFinder(0);
    finder.visit_expr(expr);
    finder.0 > 0
}

/// How many awaits a statement has, outside closures, async blocks and items.
fn count_awaits(stmt: &TokenStream) -> usize {
    let Ok(stmt) = syn::parse2::<syn::Block>(quote::quote!({ #stmt })) else {
        return 0;
    };
    let mut finder = AwaitFinder(0);
    finder.visit_block(&stmt);
    finder.0
}

struct AwaitFinder(usize);

impl<'ast> Visit<'ast> for AwaitFinder {
    fn visit_expr(&mut self, expr: &'ast Expr) {
        match expr {
            Expr::Closure(_) | Expr::Async(_) => {}
            Expr::Await(a) => {
                self.0 += 1;
                self.visit_expr(&a.base);
            }
            _ => visit::visit_expr(self, expr),
        }
    }
    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

/// How many awaits, or constructs that contain awaits, an expression
/// evaluates, in the order the hoisting meets them.
fn units(expr: &Expr) -> usize {
    if !contains_await(expr) {
        return 0;
    }
    match expr {
        Expr::Await(a) => units(&a.base) + 1,
        e if is_control_flow(e) => 1,
        Expr::Binary(b) if is_lazy(&b.op) && contains_await(&b.right) => 1,
        Expr::Binary(b) => units(&b.left) + units(&b.right),
        Expr::Call(c) => units(&c.func) + c.args.iter().map(units).sum::<usize>(),
        Expr::MethodCall(m) => units(&m.receiver) + m.args.iter().map(units).sum::<usize>(),
        Expr::Reference(r) => units(&r.expr),
        Expr::Field(f) => units(&f.base),
        Expr::Index(i) => units(&i.expr) + units(&i.index),
        Expr::Unary(u) => units(&u.expr),
        Expr::Cast(c) => units(&c.expr),
        Expr::Paren(p) => units(&p.expr),
        Expr::Group(g) => units(&g.expr),
        Expr::Try(t) => units(&t.expr),
        Expr::Tuple(t) => t.elems.iter().map(units).sum(),
        Expr::Array(a) => a.elems.iter().map(units).sum(),
        Expr::Struct(s) => {
            s.fields.iter().map(|f| units(&f.expr)).sum::<usize>()
                + s.rest.as_deref().map_or(0, units)
        }
        Expr::Return(r) => r.expr.as_deref().map_or(0, units),
        Expr::Break(b) => b.expr.as_deref().map_or(0, units),
        Expr::Assign(a) => units(&a.right),
        Expr::Range(r) => r.start.as_deref().map_or(0, units) + r.end.as_deref().map_or(0, units),
        Expr::Repeat(r) => units(&r.expr),
        _ => 1,
    }
}

/// The names a pattern binds, and whether each is `mut`.
fn pattern_bindings(pat: &Pat) -> (Vec<Ident>, Vec<bool>) {
    struct Bindings(Vec<Ident>, Vec<bool>);
    impl<'ast> Visit<'ast> for Bindings {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            if !p.ident.to_string().starts_with(|c: char| c.is_uppercase()) {
                self.0.push(p.ident.clone());
                self.1.push(p.mutability.is_some());
            }
            visit::visit_pat_ident(self, p);
        }
    }
    let mut b = Bindings(Vec::new(), Vec::new());
    b.visit_pat(pat);
    (b.0, b.1)
}

/// Does a pattern bind by reference (`ref x`)?
pub fn has_ref_binding(pat: &Pat) -> bool {
    struct Finder(bool);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            self.0 |= p.by_ref.is_some();
            visit::visit_pat_ident(self, p);
        }
    }
    let mut finder = Finder(false);
    finder.visit_pat(pat);
    finder.0
}

/// A place expression in Rust's sense (a borrow of it makes no temporary):
/// a path, a field, an index or a dereference of a place.
fn is_place_expression(expr: &Expr) -> bool {
    match expr {
        Expr::Path(_) => true,
        Expr::Field(f) => is_place_expression(&f.base),
        Expr::Index(i) => is_place_expression(&i.expr),
        Expr::Paren(p) => is_place_expression(&p.expr),
        Expr::Group(g) => is_place_expression(&g.expr),
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Deref(_)),
        _ => false,
    }
}

/// The arm for matching a reference to the scrutinee: the same pattern,
/// without `mut` and `ref` (the bindings become references), and `body`.
fn by_reference_arm(arm: &syn::Arm, body: Expr) -> syn::Arm {
    struct Plain;
    impl syn::visit_mut::VisitMut for Plain {
        fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
            p.by_ref = None;
            p.mutability = None;
            syn::visit_mut::visit_pat_ident_mut(self, p);
        }
    }
    let mut pat = arm.pat.clone();
    syn::visit_mut::VisitMut::visit_pat_mut(&mut Plain, &mut pat);
    let guard = arm.guard.clone();
    // An earlier arm's bindings only decide that the guard is not run.
    let attrs = if matches!(&body, Expr::Lit(_)) {
        vec![parse_quote!(#[allow(unused_variables)])]
    } else {
        Vec::new()
    };
    syn::Arm {
        attrs,
        pat,
        guard,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma: Some(Default::default()),
    }
}

/// In a guard evaluated on a reference to the scrutinee, the bindings are
/// references: `n` becomes `(*n)`.
struct DerefBindings(Vec<Ident>);

impl syn::visit_mut::VisitMut for DerefBindings {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Path(p) = expr
            && let Some(ident) = p.path.get_ident()
            && self.0.contains(ident)
        {
            let ident = ident.clone();
            *expr = parse_quote!((*#ident));
            return;
        }
        if matches!(expr, Expr::Closure(_)) {
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}
