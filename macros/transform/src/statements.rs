//! Normalizing a statement: a `let` (naming the temporaries it extends,
//! and desugaring `let … else`), an expression statement, and the
//! `#[state(Name)]` that names a statement's await.

use crate::hoist::{contains_await, is_place};
use crate::ir::{Block, Node, Stmt};
use crate::normalize::Normalizer;
use crate::patterns::{binding_idents, has_ref_binding};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, Pat, parse_quote};

impl Normalizer {
    pub(super) fn stmt(&mut self, stmt: syn::Stmt, out: &mut Vec<Stmt>) {
        let outer = std::mem::replace(&mut self.statement_start, self.temps);
        self.statement_parts(stmt, out);
        self.statement_start = outer;
    }

    fn statement_parts(&mut self, stmt: syn::Stmt, out: &mut Vec<Stmt>) {
        let stmt = match self.name_extended_temporary(stmt, out) {
            Some(rest) => rest,
            None => return,
        };
        if let syn::Stmt::Local(local) = &stmt
            && let Some(fields) = crate::desugar::split_partial_destructure(local)
        {
            for field in fields {
                self.stmt(field, out);
            }
            return;
        }
        // `let _ = value;` drops the value where `value;` does.
        let stmt = match stmt {
            syn::Stmt::Local(syn::Local {
                pat: Pat::Wild(_),
                init: Some(init),
                semi_token,
                attrs,
                ..
            }) if init.diverge.is_none()
                && !is_place(&init.expr)
                && attrs.is_empty()
                && contains_await(&init.expr) =>
            {
                syn::Stmt::Expr(*init.expr, Some(semi_token))
            }
            other => other,
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
                    // `let P { a, .. } = f(&t(), g().await);`: what the pattern
                    // leaves of the value drops at the end of the statement,
                    // before its temporaries: bound as `let … else` binds.
                    None if leaves_parts(&local.pat) => {
                        let never: Expr = parse_quote!(::core::unreachable!());
                        self.let_else(local, *init.expr, never, out)
                    }
                    None => {
                        let init = self.flat_node(*init.expr, out, false);
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
                    let node = self.flat_node(expr, out, semi.is_some());
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
            // (`&0` is promoted to a constant; `&mut 0` is a temporary.)
            Expr::Reference(r)
                if !is_place(&r.expr)
                    && (r.mutability.is_some() || !matches!(*r.expr, Expr::Lit(_))) =>
            {
                // `&make().field`: the temporary is `make()`, the borrow is of
                // its field (the whole value lives as long as the reference).
                let mutability = r.mutability;
                // `&make(&t())[ix(..)]`: the index is evaluated before
                // `t()` drops, so it is named in the same statement.
                let mut indices = Vec::new();
                self.name_indices(&mut r.expr, &mut indices);
                let base = crate::hoist::place_base(&mut r.expr);
                let name = self.temp("temporary", base.span());
                let value = std::mem::replace(base, parse_quote!(#name));
                if indices.is_empty() {
                    Some(parse_quote!(let #mutability #name = #value;))
                } else {
                    let (names, values): (Vec<Ident>, Vec<Expr>) = indices.into_iter().unzip();
                    Some(
                        parse_quote!(let (#mutability #name, #(#names,)*) = (#value, #(#values,)*);),
                    )
                }
            }
            expr if has_ref_binding(&local.pat) && !is_place(expr) => {
                let name = self.temp("temporary", expr.span());
                let value = std::mem::replace(expr, parse_quote!(#name));
                // `ref mut` bindings borrow the temporary mutably.
                let mutability =
                    crate::patterns::has_ref_mut(&local.pat).then(|| quote::quote!(mut));
                Some(parse_quote!(let #mutability #name = #value;))
            }
            _ => None,
        };
        if let Some(temporary) = temporary {
            self.stmt(temporary, out);
        }
        Some(syn::Stmt::Local(local))
    }

    /// Names the index expressions of a place's projections that are more
    /// than a literal or a path (`[ix(i)]`), base first, replacing each by
    /// its name.
    fn name_indices(&mut self, place: &mut Expr, named: &mut Vec<(Ident, Expr)>) {
        match place {
            Expr::Field(f) => self.name_indices(&mut f.base, named),
            Expr::Paren(p) => self.name_indices(&mut p.expr, named),
            Expr::Index(i) => {
                self.name_indices(&mut i.expr, named);
                if !matches!(&*i.index, Expr::Lit(_) | Expr::Path(_)) {
                    let name = self.temp("index", i.index.span());
                    let index = std::mem::replace(&mut *i.index, parse_quote!(#name));
                    named.push((name, index));
                }
            }
            _ => {}
        }
    }

    /// `let PAT = INIT else { DIVERGE };` with an await, as rustc runs it:
    /// the initializer's value and temporaries are dropped before the
    /// `else` block, the value first (it was made last).
    ///
    /// ```text
    /// let selected = { <INIT's temporaries>; let value = INIT; match value { PAT => Some((a, b)), _ => None } };
    /// let (a, b) = match selected { Some(bound) => bound, None => DIVERGE };
    /// ```
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
        let selected = self.temp("selected", init.span());
        let bound = self.temp("bound", init.span());
        let ty = ty.map(|t| quote::quote!(: #t));
        let targets = bindings.iter().map(|(name, mutable)| {
            let m = mutable.then(|| quote::quote!(mut));
            quote::quote!(#m #name)
        });
        let names: Vec<&Ident> = bindings.iter().map(|(name, _)| name).collect();
        let tuple_pat: Pat = parse_quote!((#(#targets,)*));
        let select = |scrutinee: Expr| -> Expr {
            parse_quote! {
                match #scrutinee {
                    #pat => ::core::option::Option::Some((#(#names,)*)),
                    _ => ::core::option::Option::None,
                }
            }
        };
        let value_pat: Pat = parse_quote!(#value);
        let typed = ty.is_some();
        let value_pat = match ty {
            Some(ty) => parse_quote!(#value_pat #ty),
            None => value_pat,
        };
        // The initializer's temporaries in the same block as its value (a
        // block the user wrote keeps its own: its locals drop at its end,
        // before the value is matched).
        let mut stmts = Vec::new();
        let init_node = match self.node(init) {
            Node::Block(block)
                if block.label.is_none() && !block.is_unsafe && block.brace.is_none() =>
            {
                let mut inner = block.stmts;
                match inner.pop() {
                    Some(Stmt::Expr { node, semi: false }) => {
                        stmts.extend(inner);
                        node
                    }
                    Some(last) => {
                        inner.push(last);
                        Node::Block(Block {
                            stmts: inner,
                            ..block
                        })
                    }
                    None => Node::Block(Block {
                        stmts: inner,
                        ..block
                    }),
                }
            }
            other => other,
        };
        let selector = match (plain_match(init_node), typed) {
            // Matched where it is made: the value is a temporary of the
            // block's tail with the others it made, and drops first.
            (Node::Plain(value_expr), false) => select(parse_quote!((#value_expr))),
            (init_node, _) => {
                stmts.push(Stmt::Let {
                    attrs: Vec::new(),
                    pat: value_pat,
                    init: init_node,
                });
                select(parse_quote!(#value))
            }
        };
        stmts.push(Stmt::Expr {
            node: Node::Plain(selector),
            semi: false,
        });
        let block = self.block_of(stmts);
        out.push(Stmt::Let {
            attrs: Vec::new(),
            pat: parse_quote!(#selected),
            init: Node::Block(block),
        });
        let unpack: Expr = parse_quote! {
            match #selected {
                ::core::option::Option::Some(#bound) => #bound,
                ::core::option::Option::None => #diverge,
            }
        };
        let unpack = self.node(unpack);
        out.push(Stmt::Let {
            attrs: local.attrs,
            pat: tuple_pat,
            init: unpack,
        });
    }

    /// A statement's expression: as [`node`](Self::node), but the values
    /// it evaluates first into locals and then moves (await outputs and
    /// operands, `let n = f(a(), g().await);`) are written before it, into
    /// `out`, rather than in a block of its own: that block's tail would
    /// drop the statement's temporaries at its end, before the statement's
    /// value. (A temporary the statement borrows keeps its block: it drops
    /// at the statement's end; `discarded`: the statement's value is
    /// dropped there too, made last and so first, before its temporaries.)
    fn flat_node(&mut self, expr: Expr, out: &mut Vec<Stmt>, discarded: bool) -> Node {
        // A block of the user's (or of a construct) keeps its scope.
        let hoisted = !matches!(
            expr,
            Expr::Block(_)
                | Expr::Unsafe(_)
                | Expr::If(_)
                | Expr::Match(_)
                | Expr::Loop(_)
                | Expr::While(_)
                | Expr::ForLoop(_)
                | Expr::Paren(_)
                | Expr::Group(_)
        );
        let mut node = self.node(expr);
        // A construct's value, discarded, drops before the temporaries
        // of its statement (a `match`'s scrutinee's, named around it).
        if let Node::Block(made) = &mut node
            && made.brace.is_none()
            && discarded
            && !hoisted
            && let Some(Stmt::Expr { semi, .. }) = made.stmts.last_mut()
        {
            *semi = true;
        }
        // (A block's tail does not name the temporaries it borrows, see
        // `in_tail`: they cannot be told from moved values there.)
        if !hoisted || self.in_tail {
            return node;
        }
        let Node::Block(block) = node else {
            return node;
        };
        let moved = |name: &Ident| {
            let name = name.to_string();
            name.starts_with(crate::normalize::INTERNAL)
                && !self.statement_temps.contains_key(&name)
        };
        let flat = block.label.is_none()
            && !block.is_unsafe
            && matches!(
                block.stmts.last(),
                Some(Stmt::Expr {
                    node: Node::Plain(_),
                    semi: false
                })
            )
            && block.stmts[..block.stmts.len() - 1]
                .iter()
                .all(|stmt| match stmt {
                    Stmt::Let {
                        pat: Pat::Ident(p), ..
                    } => moved(&p.ident),
                    Stmt::Plain(syn::Stmt::Local(syn::Local {
                        pat: Pat::Ident(p), ..
                    })) => moved(&p.ident),
                    _ => false,
                });
        if !flat {
            let mut block = block;
            if discarded && let Some(Stmt::Expr { semi, .. }) = block.stmts.last_mut() {
                *semi = true;
            }
            return Node::Block(block);
        }
        let mut stmts = block.stmts;
        let Some(Stmt::Expr { node: residual, .. }) = stmts.pop() else {
            unreachable!("matched above")
        };
        out.extend(stmts);
        residual
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

/// A pattern that binds by value and leaves parts of the value in place
/// (`P { a, .. }`, `(x, _)`), with no `ref` binding.
fn leaves_parts(pat: &Pat) -> bool {
    crate::patterns::binds_by_value(pat)
        && !has_ref_binding(pat)
        && crate::patterns::let_use(pat) == crate::patterns::PlaceUse::Read
}

/// A `match` whose arms do not await, as the expression it is (its awaits
/// were all in the scrutinee, now evaluated before it): matched where it
/// is made, its scrutinee's temporaries outlive its value, as in rustc
/// (`let (_, n) = match mk(x.await) { .. };` drops the unbound part first).
fn plain_match(node: Node) -> Node {
    match node {
        Node::Match {
            scrutinee, arms, ..
        } if arms.iter().all(|a| matches!(a.body, Node::Plain(_))) => {
            let arms = arms.into_iter().map(|arm| {
                let Node::Plain(body) = arm.body else {
                    unreachable!("checked above")
                };
                syn::Arm {
                    attrs: arm.attrs,
                    pat: arm.pat,
                    guard: arm.guard.map(|g| (Default::default(), Box::new(g))),
                    fat_arrow_token: Default::default(),
                    body: Box::new(body),
                    comma: Some(Default::default()),
                }
            });
            Node::Plain(parse_quote!(match #scrutinee { #(#arms)* }))
        }
        other => other,
    }
}
