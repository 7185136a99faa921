//! The constructs rustc desugars before it builds the coroutine, desugared
//! the same way here when they contain an await: `while`, `while let` and
//! `for` become `loop`s, `if let` chains become nested matches in a
//! labelled block, a match whose guards await selects its arm first, and
//! `Box::pin(f(..)).await` (recursion) awaits an `async` block of its own.

use crate::hoist::{contains_await, is_place};
use crate::ir::{Arm, Node, Stmt};
use crate::normalize::{Normalizer, has_let};
use crate::patterns::{
    binding_idents, by_value_bindings, guard_patterns, has_ref_binding, is_constant_like,
};
use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Expr, Ident, Pat, parse_quote};

impl Normalizer {
    /// `Box::pin(f(args)).await`, the way to recurse: a future that holds
    /// its own type (through the machine's generic parameters) cannot be
    /// named (E0720), so the boxed call is made inside an `async` block of
    /// its own, after its arguments are evaluated in order.
    pub(crate) fn boxed_await(&mut self, mut await_expr: syn::ExprAwait) -> Node {
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

    /// `if let` and `let` chains with an await: the conditions nested from
    /// the outside in, the `then` block breaking out of a labelled block
    /// whose tail is the `else` branch.
    pub(crate) fn if_let_node(&mut self, e: syn::ExprIf) -> Node {
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
                cond => parse_quote!(if #cond { #inner }),
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

    /// A match whose guards await: every guard is evaluated once, in arm
    /// order, on `ref` bindings (as rustc binds a guard's variables), and the
    /// arm it selects then runs from a match whose guards compare its index.
    pub(crate) fn awaiting_guards(&mut self, scrutinee: Expr, arms: Vec<syn::Arm>) -> Node {
        let span = scrutinee.span();
        let selected = self.temp("selected_arm", span);
        let label_name = self.temp("select", span);
        let label = syn::Lifetime::new(
            &format!("'{label_name}"),
            Span::mixed_site().located_at(span),
        );
        let mut tests: Vec<Expr> = Vec::new();
        // What a guard's `let`s bind (`if let Some(x) = f().await`) is
        // carried to its arm through a deferred local.
        let mut carried: Vec<(Vec<GuardBinding>, Vec<Ident>)> = Vec::new();
        let mut declarations: Vec<Stmt> = Vec::new();
        for (index, arm) in arms.iter().enumerate() {
            let by_ref = ref_pattern(&arm.pat);
            // Those the arm uses, and those the guard does not use again
            // (they drop when the arm ends): a guard may move one into another.
            let body_tokens = arm.body.to_token_stream().to_string();
            let guard_tokens = arm
                .guard
                .as_ref()
                .map(|(_, g)| g.to_token_stream().to_string())
                .unwrap_or_default();
            let mentions = |tokens: &str, name: &Ident| {
                tokens
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .filter(|word| *name == word)
                    .count()
            };
            let bindings: Vec<GuardBinding> = arm
                .guard
                .iter()
                .flat_map(|(_, g)| guard_patterns(g))
                .flat_map(binding_idents)
                .filter(|(name, _)| {
                    mentions(&body_tokens, name) > 0
                        || mentions(&guard_tokens, name) == 1
                        || arm
                            .guard
                            .as_ref()
                            .is_some_and(|(_, g)| crate::guard_uses::only_borrowed_in(g, name))
                })
                .map(|(name, mutable)| {
                    let outer = self.temp(&format!("guard_{name}"), name.span());
                    (name, outer, mutable)
                })
                .collect();
            for (_, outer, _) in &bindings {
                declarations.push(Stmt::Plain(parse_quote!(let #outer;)));
            }
            let assigns = bindings
                .iter()
                .map(|(name, outer, _)| quote::quote!(#outer = #name;));
            let mut temporaries = Vec::new();
            let test: Expr = match &arm.guard {
                None => parse_quote!(match #scrutinee { #by_ref => break #label #index, _ => {} }),
                Some((_, guard)) => {
                    let mut guard = deref_bindings(guard, &by_value_bindings(&arm.pat));
                    let made = self.guard_temporaries(&mut guard, &mut declarations);
                    temporaries = made.names;
                    let (made, dropped) = (made.stmts, temporaries.iter().rev());
                    parse_quote!(match #scrutinee {
                        #by_ref => {
                            #(#made)*
                            if #guard { #(#assigns)* break #label #index }
                            #(::core::mem::drop(#dropped);)*
                        }
                        _ => {}
                    })
                }
            };
            tests.push(test);
            carried.push((bindings, temporaries));
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
            .zip(carried)
            .enumerate()
            .map(|(index, (arm, (bindings, temporaries)))| {
                let body = *arm.body;
                let body: Expr = if bindings.is_empty() {
                    body
                } else {
                    let lets = bindings.iter().map(|(name, outer, mutable)| {
                        let mutability = mutable.then(|| quote::quote!(mut));
                        quote::quote!(let #mutability #name = #outer;)
                    });
                    if crate::edition::before_2024() && !matches!(body, Expr::Reference(_)) {
                        // The arm's temporaries drop before its bindings;
                        // before Rust 2024 a block's tail's drop after them.
                        let value = self.temp("value", body.span());
                        parse_quote!({ #(#lets)* let #value = #body; #value })
                    } else {
                        parse_quote!({ #(#lets)* #body })
                    }
                };
                // The guard's temporaries drop after the arm's code and the
                // guard's bindings, newest first.
                let body: Expr = if temporaries.is_empty() {
                    body
                } else {
                    let value = self.temp("value", body.span());
                    let dropped = temporaries.iter().rev();
                    parse_quote!({ let #value = #body; #(::core::mem::drop(#dropped);)* #value })
                };
                Arm {
                    attrs: arm.attrs,
                    pat: arm.pat,
                    guard: Some(parse_quote!(#selected == #index)),
                    body: self.arm_body(body),
                    scope: 0,
                }
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
        let mut stmts = declarations;
        stmts.extend([
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
        ]);
        Node::Block(self.block_of(stmts))
    }

    /// Names the temporaries an `if let` guard makes (`&mk()`, `p().k`),
    /// which live to the end of the arm: each is a deferred local, declared
    /// before the match (in `declarations`) and assigned where the guard
    /// makes it: by the statements returned for the chain's first `let`,
    /// inside the scrutinee (`let P = { t = mk(); f(&t) }`) for a later one,
    /// which runs only if what is before it holds.
    fn guard_temporaries(&mut self, guard: &mut Expr, declarations: &mut Vec<Stmt>) -> Made {
        let mut made = Made::default();
        let mut bound_before: Vec<Ident> = Vec::new();
        for (first, scrutinee, bound) in crate::patterns::guard_let_scrutinees(guard) {
            // A temporary that may borrow an earlier `let`'s binding cannot
            // be declared before the match, outliving it: left in place.
            let borrows_earlier = crate::operands::borrows_any(&*scrutinee, &bound_before);
            bound_before.extend(bound);
            if borrows_earlier {
                continue;
            }
            let stmts = self.name_guard_temporaries(scrutinee, declarations, &mut made.names);
            if first {
                made.stmts = stmts;
            } else if !stmts.is_empty() {
                *scrutinee = parse_quote!({ #(#stmts)* #scrutinee });
            }
        }
        made
    }

    /// The statements that make a guard scrutinee's temporaries: those
    /// carried to the arm's end assigned to deferred locals (declared in
    /// `declarations`, named in `names`), the others `let`s.
    fn name_guard_temporaries(
        &mut self,
        scrutinee: &mut Expr,
        declarations: &mut Vec<Stmt>,
        names: &mut Vec<Ident>,
    ) -> Vec<syn::Stmt> {
        let mut out = Vec::new();
        self.name_temporaries(scrutinee, &mut out);
        let lets: Vec<syn::Local> = out
            .into_iter()
            .map(|stmt| match stmt {
                Stmt::Plain(syn::Stmt::Local(local)) => local,
                _ => unreachable!("temporaries are named by plain `let`s"),
            })
            .collect();
        let mut stmts = Vec::new();
        for (index, local) in lets.iter().cloned().enumerate() {
            // What uses the temporary: the later temporaries' values (a
            // nested `match`'s, `match t { .. }`) and the scrutinee.
            let later = lets[index + 1..].iter().cloned().map(syn::Stmt::Local);
            let uses: Expr = parse_quote!({ #(#later)* #scrutinee });
            let carried = match (&local.pat, &local.init) {
                (Pat::Ident(p), Some(init))
                    if self.statement_temps.contains_key(&p.ident.to_string())
                        && !crate::patterns::part_moved_by(&uses, &p.ident, &init.expr) =>
                {
                    Some(p.clone())
                }
                _ => None,
            };
            match (carried, local.init) {
                (Some(p), Some(init)) => {
                    let (mutability, name, value) = (p.mutability, p.ident, init.expr);
                    // It drops with its arm, before the temporaries of the
                    // statement around the match: it ranks where declared.
                    self.statement_temps.remove(&name.to_string());
                    declarations.push(Stmt::Plain(parse_quote!(let #mutability #name;)));
                    stmts.push(parse_quote!(#name = #value;));
                    names.push(name);
                }
                (_, init) => stmts.push(syn::Stmt::Local(syn::Local { init, ..local })),
            }
        }
        stmts
    }

    /// `while cond { body }` → `loop { if cond { body } else { break } }`;
    /// `while let P = e { body }` → `loop { match e { P => body, _ => break } }`.
    pub(crate) fn while_node(&mut self, w: syn::ExprWhile) -> Node {
        let (cond, body) = (*w.cond, w.body);
        let desugared: syn::Block = match cond {
            Expr::Let(l) => {
                let (pat, scrutinee) = (&*l.pat, &*l.expr);
                parse_quote!({ match #scrutinee { #pat => #body, _ => break } })
            }
            cond => parse_quote!({ if #cond #body else { break } }),
        };
        let id = self.construct_id("While", w.while_token.span);
        let body = self.block(desugared, None, false);
        self.loop_ends(id);
        Node::Loop {
            id,
            label: w.label,
            body,
        }
    }

    /// `for PAT in HEAD { body }`, as rustc desugars it, with the iterator a
    /// local (it is stored across the body's awaits).
    pub(crate) fn for_node(&mut self, f: syn::ExprForLoop) -> Node {
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
        let id = self.construct_id("For", span);
        let body = self.block(step, None, false);
        self.loop_ends(id);
        let looped = Node::Loop {
            id,
            label: f.label,
            body,
        };
        pre.push(Stmt::Expr {
            node: looped,
            semi: false,
        });
        Node::Block(self.block_of(pre))
    }
}

/// `Box::pin(f(..))` (any path ending in `Box::pin`) around a call of a path.
pub(crate) fn is_boxed_call(expr: &Expr) -> bool {
    let Expr::Call(boxing) = expr else {
        return false;
    };
    let Expr::Path(path) = &*boxing.func else {
        return false;
    };
    let segments = crate::names::segment_names(&path.path);
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

/// A binding of a guard's `let`: its name, the deferred local that carries
/// it to its arm, and whether it is `mut`.
type GuardBinding = (Ident, Ident, bool);

/// What [`guard_temporaries`](Normalizer::guard_temporaries) made.
#[derive(Default)]
struct Made {
    /// The guard's statements before it: its temporaries assigned.
    stmts: Vec<syn::Stmt>,
    /// The temporaries, in the order they are made.
    names: Vec<Ident>,
}

/// Does this `if let` guard (or a `let` of its chain) make a temporary
/// (which lives to the end of its arm)?
pub(crate) fn guard_makes_temporaries(guard: &Expr) -> bool {
    match guard {
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            guard_makes_temporaries(&b.left) || guard_makes_temporaries(&b.right)
        }
        Expr::Let(l) => crate::hoist::makes_temporary(&l.expr, crate::operands::Position::Value),
        _ => false,
    }
}

/// The pattern with every binding made `ref` (not `mut`): it matches like
/// the original and moves nothing, as a guard sees it.
pub(crate) fn ref_pattern(pat: &Pat) -> Pat {
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
pub(crate) fn deref_bindings(guard: &Expr, bindings: &[(Ident, bool)]) -> Expr {
    struct Deref(Vec<Ident>);
    impl syn::visit_mut::VisitMut for Deref {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Expr::Path(p) = expr
                && p.qself.is_none()
                && let Some(ident) = p.path.get_ident()
                && self.0.contains(ident)
            {
                *expr = parse_quote!((*#ident));
                return;
            }
            // A closure sees the same bindings, unless its parameters shadow them.
            if let Expr::Closure(c) = expr {
                let shadowed = c
                    .inputs
                    .iter()
                    .any(|p| binding_idents(p).iter().any(|(i, _)| self.0.contains(i)));
                if shadowed {
                    return;
                }
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
        // A `let` in a block of the guard shadows a binding to the block's end.
        fn visit_block_mut(&mut self, block: &mut syn::Block) {
            let outer = self.0.clone();
            for stmt in &mut block.stmts {
                self.visit_stmt_mut(stmt);
                if let syn::Stmt::Local(local) = stmt {
                    let shadowed = binding_idents(&local.pat);
                    self.0.retain(|b| !shadowed.iter().any(|(i, _)| i == b));
                }
            }
            self.0 = outer;
        }
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            // Arguments that read as expressions (`vec![x, 1]`, `vec![x; 2]`,
            // `format!("{}", x)`) are rewritten; other tokens are left.
            let tokens = &mac.tokens;
            if let Ok(mut list) = syn::parse2::<Expr>(quote::quote!([#tokens])) {
                self.visit_expr_mut(&mut list);
                let inner = match &list {
                    Expr::Array(a) => a.elems.to_token_stream(),
                    Expr::Repeat(r) => {
                        let (expr, semi, len) = (&r.expr, &r.semi_token, &r.len);
                        quote::quote!(#expr #semi #len)
                    }
                    _ => return,
                };
                mac.tokens = inner;
            }
        }
    }
    let mut guard = guard.clone();
    let names = bindings.iter().map(|(b, _)| b.clone()).collect();
    syn::visit_mut::VisitMut::visit_expr_mut(&mut Deref(names), &mut guard);
    guard
}

/// `let P { a: x, .. } = place;` binds some fields of a place and leaves
/// the rest there (a partial move): written as one `let` per field
/// (`let x = place.a;`), the transform sees each move as a move out of the
/// place, which it can keep the rest of. `None` for any other `let`.
pub fn split_partial_destructure(local: &syn::Local) -> Option<Vec<syn::Stmt>> {
    let init = local.init.as_ref()?;
    if init.diverge.is_some() || !is_field_path(&init.expr) {
        return None;
    }
    let place = &init.expr;
    let members: Vec<(syn::Member, &Pat)> = match &local.pat {
        Pat::Struct(s) => s
            .fields
            .iter()
            .map(|f| (f.member.clone(), &*f.pat))
            .collect(),
        Pat::Tuple(t) => indexed(t.elems.iter())?,
        Pat::TupleStruct(t) if t.path.segments.len() == 1 => indexed(t.elems.iter())?,
        _ => return None,
    };
    let partial = match &local.pat {
        Pat::Struct(s) => s.rest.is_some(),
        _ => false,
    } || members.iter().any(|(_, p)| matches!(p, Pat::Wild(_)))
        || matches!(&local.pat, Pat::Tuple(t) if t.elems.iter().any(|p| matches!(p, Pat::Rest(_))))
        || matches!(&local.pat, Pat::TupleStruct(t) if t.elems.iter().any(|p| matches!(p, Pat::Rest(_))));
    let simple = members
        .iter()
        .all(|(_, p)| matches!(p, Pat::Wild(_)) || matches!(p, Pat::Ident(i) if i.subpat.is_none() && !crate::patterns::is_constant_like(&i.ident)));
    if !partial || !simple {
        return None;
    }
    let attrs = &local.attrs;
    Some(
        members
            .into_iter()
            .filter(|(_, p)| !matches!(p, Pat::Wild(_)))
            .map(|(member, pat)| parse_quote!(#(#attrs)* let #pat = #place.#member;))
            .collect(),
    )
}

/// `x`, `x.a.b`: a place that names a local (no call, index or deref).
fn is_field_path(expr: &Expr) -> bool {
    match expr {
        Expr::Path(p) => p.path.get_ident().is_some(),
        Expr::Field(f) => is_field_path(&f.base),
        Expr::Paren(p) => is_field_path(&p.expr),
        _ => false,
    }
}

/// The elements of a tuple pattern with their indices, up to a `..` (none after it).
fn indexed<'p>(elems: impl Iterator<Item = &'p Pat>) -> Option<Vec<(syn::Member, &'p Pat)>> {
    let mut out = Vec::new();
    let mut rest = false;
    for (i, pat) in elems.enumerate() {
        if matches!(pat, Pat::Rest(_)) {
            rest = true;
            continue;
        }
        if rest {
            return None;
        }
        out.push((syn::Member::Unnamed(syn::Index::from(i)), pat));
    }
    Some(out)
}
