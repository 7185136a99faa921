//! The poll arms. Each arm is the continuation of its await (DESIGN.md
//! §3.5): poll the sub-future, then run the rest of the innermost block, then
//! the rest of every enclosing construct, outwards, re-entering enclosing
//! loops at their head, until the next await (store the locals, store the
//! sub-future, `continue 'dispatch`) or the end (`Done`, `Poll::Ready`).
//! Code between awaits stays the user's code, with ordinary locals.

use crate::analysis::{Analysis, LocalId};
use crate::finalize::{Finalize, ret_label};
use crate::ir::{AwaitPoint, Block, Node, Stmt, is_hole};
use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{Expr, Ident, Pat};

/// Whether a block must keep its braces (the body of an `if` or a `loop`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Braces {
    Required,
    Optional,
}

/// Emitted code, and whether control can reach its end.
pub struct Code {
    pub tokens: TokenStream,
    pub completes: bool,
}

pub struct Lower<'a> {
    pub analysis: &'a Analysis,
    pub points: &'a [AwaitPoint],
    pub macros: &'a [syn::Macro],
    pub machine: Ident,
    /// `WaitingOnX` of each await.
    pub states: Vec<Ident>,
    pub function: String,
    pub trace: bool,
    /// The state of the arm being emitted, for tracing.
    pub from: String,
    /// Loops resumed mid-iteration around the code being emitted (for label names).
    pub resumed_loops: usize,
    /// Whether the arm's code dereferences a slot's pointer (so it is `unsafe`).
    pub derefs_slot: std::cell::Cell<bool>,
    /// The awaits the arm's code suspends at (the state graph's edges).
    pub suspends_to: Vec<usize>,
}

pub fn mixed(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

pub fn slot_handle(analysis: &Analysis, local: LocalId) -> Ident {
    format_ident!(
        "slot_{}",
        analysis.locals[local].name,
        span = Span::mixed_site()
    )
}

fn private() -> TokenStream {
    quote!(::explicit_async::__private)
}

impl Lower<'_> {
    fn finalize_expr(&self, expr: &Expr) -> TokenStream {
        let mut expr = expr.clone();
        let mut f = Finalize::new(self.analysis, self.macros);
        f.visit_expr_mut(&mut expr);
        self.note_derefs(&f);
        expr.into_token_stream()
    }

    fn finalize_pat(&self, pat: &Pat) -> Pat {
        let mut pat = pat.clone();
        Finalize::new(self.analysis, self.macros).visit_pat_mut(&mut pat);
        pat
    }

    fn finalize_stmt(&self, stmt: &syn::Stmt) -> TokenStream {
        let mut stmt = stmt.clone();
        let mut f = Finalize::new(self.analysis, self.macros);
        f.visit_stmt_mut(&mut stmt);
        self.note_derefs(&f);
        stmt.into_token_stream()
    }

    /// A slot dereferenced in the arm makes the arm's code an `unsafe` block.
    fn note_derefs(&self, f: &Finalize<'_>) {
        if f.derefs_slot {
            self.derefs_slot.set(true);
        }
    }

    /// The locals a pattern declares.
    fn declared(&self, pat: &Pat) -> Vec<LocalId> {
        let mut out = Vec::new();
        declared_in(pat, &mut out);
        out
    }

    /// `let PAT = init;`, moving slot locals into their slots.
    fn let_stmt(
        &self,
        attrs: &[syn::Attribute],
        pat: &Pat,
        init: TokenStream,
        diverge: Option<TokenStream>,
    ) -> TokenStream {
        let declared = self.declared(pat);
        let slots: Vec<LocalId> = declared
            .iter()
            .copied()
            .filter(|&l| self.analysis.locals[l].slot)
            .collect();
        let final_pat = self.finalize_pat(pat);
        if let (Pat::Ident(p), [slot], None) = (pat, slots.as_slice(), &diverge)
            && p.subpat.is_none()
            && p.by_ref.is_none()
        {
            let name = &self.analysis.locals[*slot].name;
            let handle = slot_handle(self.analysis, *slot);
            // The slot's address may only be needed in a later arm.
            return quote!(#(#attrs)* #[allow(unused_variables)] let #name = #handle.init(#init););
        }
        let allow = allow_unused_mut(&final_pat.to_token_stream());
        // `let PAT = { .. } else { .. }` does not parse: parenthesize the initializer.
        let ends_in_brace = matches!(init.clone().into_iter().last(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace);
        let init = if diverge.is_some() && ends_in_brace {
            quote!((#init))
        } else {
            init
        };
        let else_branch = diverge.map(|d| quote!(else #d));
        let inits = slots.iter().map(|&l| {
            let name = &self.analysis.locals[l].name;
            let handle = slot_handle(self.analysis, l);
            quote!(#[allow(unused_variables)] let #name = #handle.init(#name);)
        });
        let checks = self.copy_checks(&declared);
        quote!(#(#attrs)* #allow let #final_pat = #init #else_branch; #(#inits)* #checks)
    }

    /// For locals moved before an await on some paths only (see
    /// `Local::must_be_copy`): a compile-time check, at the declaration,
    /// that they are `Copy`, with a message that says why.
    pub fn copy_checks(&self, locals: &[LocalId]) -> TokenStream {
        let checks = locals.iter().filter(|&&l| self.analysis.locals[l].must_be_copy).map(|&l| {
            let name = &self.analysis.locals[l].name;
            let check = quote::quote_spanned!(name.span()=> ::explicit_async::__private::moved_on_some_paths);
            quote!(#check(&#name);)
        });
        quote!(#(#checks)*)
    }

    /// Slots declared directly in `scope`, newest first.
    fn scope_slots(&self, scope: usize) -> Vec<LocalId> {
        let mut slots: Vec<LocalId> = (0..self.analysis.locals.len())
            .filter(|&l| self.analysis.locals[l].slot && self.analysis.locals[l].scope == scope)
            .collect();
        slots.sort_by_key(|&l| std::cmp::Reverse(self.analysis.locals[l].decl));
        slots
    }

    /// Ends the scopes of the slots declared in `scope` or inside it that
    /// are still live (a `break` or `continue` jumped past their ends):
    /// `clear` drops a live slot in place and does nothing to an ended one.
    fn clears_within(&self, scope: usize) -> TokenStream {
        let handles = self
            .analysis
            .slots_within(scope)
            .into_iter()
            .map(|l| slot_handle(self.analysis, l));
        quote!(#(#handles.clear();)*)
    }

    /// `loop` around a body; the slots a `continue` jumped past the ends of
    /// are ended at the head.
    fn loop_with_head(
        &self,
        label: Option<&syn::Label>,
        body: &Block,
        tokens: TokenStream,
    ) -> TokenStream {
        if self.analysis.slots_within(body.scope).is_empty() {
            return quote!(#label loop #tokens);
        }
        let head = self.clears_within(body.scope);
        quote!(#label loop { #head #tokens })
    }

    /// `value`, then the slots inside `scope` cleared: where a jump out of
    /// a loop or a labeled block lands.
    fn then_clear(&self, scope: usize, value: TokenStream) -> TokenStream {
        if self.analysis.slots_within(scope).is_empty() {
            return value;
        }
        let (clears, result) = (self.clears_within(scope), mixed("value"));
        quote!({ let #result = #value; #clears #result })
    }

    fn wrap_block(
        &self,
        block: &Block,
        inner: TokenStream,
        completes: bool,
        braces: Braces,
    ) -> TokenStream {
        let slots = if block.scope == 0 {
            Vec::new()
        } else {
            self.scope_slots(block.scope)
        };
        let body = if completes && !slots.is_empty() {
            let value = mixed("value");
            let clears = slots.iter().map(|&l| slot_handle(self.analysis, l));
            quote!(let #value = { #inner }; #(#clears.clear();)* #value)
        } else {
            inner
        };
        let label = block
            .label
            .as_ref()
            .filter(|l| mentions_label(&body, &l.name.ident));
        if braces == Braces::Optional
            && label.is_none()
            && !block.is_unsafe
            && is_single_expression(&body)
        {
            return body;
        }
        let unsafety = block.is_unsafe.then(|| quote!(unsafe));
        let tokens = quote!(#label #unsafety { #body });
        // A `break` out of a labeled block jumps past the ends of the
        // scopes inside it: end the slots declared there where it lands.
        if label.is_some() && completes {
            self.then_clear(block.scope, tokens)
        } else {
            tokens
        }
    }

    pub fn forward_block(&mut self, block: &Block, braces: Braces) -> Code {
        let code = self.forward_stmts(&block.stmts);
        self.finish_block(block, code, braces)
    }

    /// A block's code in its braces; a labeled block also completes when
    /// its code breaks out of it.
    fn finish_block(&self, block: &Block, code: Code, braces: Braces) -> Code {
        let broken_out = block
            .label
            .as_ref()
            .is_some_and(|l| mentions_label(&code.tokens, &l.name.ident));
        let completes = code.completes || broken_out;
        Code {
            tokens: self.wrap_block(block, code.tokens, completes, braces),
            completes,
        }
    }

    /// The statements of a block, from the first, as far as control reaches.
    pub fn forward_stmts(&mut self, stmts: &[Stmt]) -> Code {
        let mut tokens = TokenStream::new();
        for stmt in stmts {
            let code = self.forward_stmt(stmt);
            tokens.extend(code.tokens);
            if !code.completes {
                return Code {
                    tokens,
                    completes: false,
                };
            }
        }
        Code {
            tokens,
            completes: true,
        }
    }

    fn forward_stmt(&mut self, stmt: &Stmt) -> Code {
        match stmt {
            Stmt::Plain(syn::Stmt::Local(local)) => {
                let mut completes = true;
                let init = local.init.as_ref().map(|init| {
                    completes = !diverges(&init.expr);
                    self.finalize_expr(&init.expr)
                });
                let diverge = local
                    .init
                    .as_ref()
                    .and_then(|i| i.diverge.as_ref())
                    .map(|(_, d)| self.finalize_expr(d));
                let tokens = match init {
                    Some(init) => self.let_stmt(&local.attrs, &local.pat, init, diverge),
                    None => {
                        let pat = self.finalize_pat(&local.pat);
                        let attrs = &local.attrs;
                        // Declared here, maybe assigned only after the next await.
                        quote!(#(#attrs)* #[allow(unused_variables, unused_mut)] let #pat;)
                    }
                };
                Code { tokens, completes }
            }
            Stmt::Plain(stmt) => {
                let completes = !matches!(stmt, syn::Stmt::Expr(e, _) if diverges(e));
                Code {
                    tokens: self.finalize_stmt(stmt),
                    completes,
                }
            }
            Stmt::Let {
                attrs,
                pat,
                init,
                diverge,
            } => {
                let code = self.forward_node(init);
                if !code.completes {
                    return code;
                }
                let diverge = diverge
                    .as_ref()
                    .map(|d| self.finalize_expr(&syn::parse_quote!(#d)));
                Code {
                    tokens: self.let_stmt(attrs, pat, code.tokens, diverge),
                    completes: true,
                }
            }
            Stmt::Expr { node, semi } => {
                let code = self.forward_node(node);
                let semi = (*semi && code.completes).then(|| quote!(;));
                let tokens = code.tokens;
                Code {
                    tokens: quote!(#tokens #semi),
                    completes: code.completes,
                }
            }
        }
    }

    fn forward_node(&mut self, node: &Node) -> Code {
        match node {
            Node::Await { id, .. } => Code {
                tokens: self.suspend(*id),
                completes: false,
            },
            Node::Block(block) => self.forward_block(block, Braces::Optional),
            Node::If {
                cond,
                then,
                otherwise,
            } => {
                let cond = self.finalize_expr(cond);
                let then = self.forward_block(then, Braces::Required);
                let (otherwise_tokens, otherwise_completes) = match otherwise {
                    Some(node) => {
                        let code = self.forward_node(node);
                        let tokens = brace(code.tokens);
                        (quote!(else #tokens), code.completes)
                    }
                    None => (TokenStream::new(), true),
                };
                let then_tokens = then.tokens;
                Code {
                    tokens: quote!(if #cond #then_tokens #otherwise_tokens),
                    completes: then.completes || otherwise_completes,
                }
            }
            Node::Match { scrutinee, arms } => {
                let scrutinee = self.finalize_expr(scrutinee);
                let mut completes = false;
                let arms: Vec<TokenStream> = arms
                    .iter()
                    .map(|arm| {
                        let pat = self.finalize_pat(&arm.pat);
                        let guard = arm.guard.as_ref().map(|g| {
                            let g = self.finalize_expr(g);
                            quote!(if #g)
                        });
                        let inits = self.slot_inits(&self.declared(&arm.pat));
                        let body = self.forward_node(&arm.body);
                        completes |= body.completes;
                        let attrs = &arm.attrs;
                        let body = body.tokens;
                        let allow = allow_unused_mut(&pat.to_token_stream());
                        quote!(#(#attrs)* #allow #pat #guard => { #inits #body })
                    })
                    .collect();
                Code {
                    tokens: quote!(match #scrutinee { #(#arms)* }),
                    completes,
                }
            }
            Node::Loop { label, body } => {
                let code = self.forward_block(body, Braces::Required);
                let completes =
                    jumps_out(&code.tokens, "break", label.as_ref().map(|l| &l.name.ident));
                let tokens = code.tokens;
                let label = label
                    .as_ref()
                    .filter(|l| mentions_label(&tokens, &l.name.ident));
                // A `continue` jumps past the ends of the body's scopes: end
                // their slots at the head; a `break`, where it lands.
                let tokens = self.loop_with_head(label, body, tokens);
                let tokens = if completes {
                    self.then_clear(body.scope, tokens)
                } else {
                    tokens
                };
                Code { tokens, completes }
            }
            Node::Plain(expr) => Code {
                tokens: self.finalize_expr(expr),
                completes: !diverges(expr),
            },
        }
    }

    fn slot_inits(&self, locals: &[LocalId]) -> TokenStream {
        let inits = locals
            .iter()
            .filter(|&&l| self.analysis.locals[l].slot)
            .map(|&l| {
                let name = &self.analysis.locals[l].name;
                let handle = slot_handle(self.analysis, l);
                quote!(#[allow(unused_variables)] let #name = #handle.init(#name);)
            });
        quote!(#(#inits)*)
    }

    /// Suspends at await `id`: builds the sub-future, stores it with the
    /// locals it needs, and goes back to the dispatch loop to poll it.
    fn suspend(&mut self, id: usize) -> TokenStream {
        if !self.suspends_to.contains(&id) {
            self.suspends_to.push(id);
        }
        let operand = self.finalize_expr(&self.points[id].operand);
        let machine = &self.machine;
        let state_name = &self.states[id];
        let fields = self
            .analysis
            .variant_locals(id)
            .into_iter()
            .rev()
            .map(|l| self.analysis.locals[l].name.clone());
        let (state, fut, p) = (mixed("state"), mixed("fut"), private());
        let field = self.analysis.future_field();
        let trace = self.trace_call(&state_name.to_string());
        quote! {
            let #fut = ::core::future::IntoFuture::into_future(#operand);
            *#state = #machine::#state_name { #field: #p::Awaiting::new(#fut), #(#fields),* };
            #trace
            continue 'dispatch;
        }
    }

    pub fn trace_call(&self, to: &str) -> TokenStream {
        if !self.trace {
            return TokenStream::new();
        }
        let (function, from, p) = (&self.function, &self.from, private());
        quote!(#p::trace(#function, #from, #to);)
    }

    /// Rebinds, at the start of a re-opened scope, the locals of that scope
    /// stored at await `id`: variant locals by move, slots by address.
    fn reopen(&self, scope: usize, id: usize, rest: &TokenStream) -> TokenStream {
        let mut out = TokenStream::new();
        for &l in &self.analysis.awaits[id].stored {
            let local = &self.analysis.locals[l];
            if local.scope != scope {
                continue;
            }
            let name = &local.name;
            let used = mentions(rest, &name.to_string());
            if local.slot {
                if used {
                    let handle = slot_handle(self.analysis, l);
                    out.extend(quote!(let #name = #handle.ptr();));
                }
            } else if scope != 0 {
                let moved = mixed(&name.to_string());
                let binding = unused_name(name, used);
                let mutable = local.mutable && used;
                let mutability = mutable.then(|| quote!(mut));
                let allow = mutable.then(|| quote!(#[allow(unused_mut)]));
                out.extend(quote!(#allow let #mutability #binding = #moved;));
            }
        }
        // A local declared without a value (`let x;`) and assigned after the
        // await is not stored: it is declared again, still without a value.
        for &l in &self.analysis.awaits[id].in_scope {
            let local = &self.analysis.locals[l];
            let stored = self.analysis.awaits[id].stored.contains(&l);
            if local.scope == scope && !stored && mentions(rest, &local.name.to_string()) {
                let name = &local.name;
                let mutability = local.mutable.then(|| quote!(mut));
                out.extend(quote!(let #mutability #name;));
            }
        }
        out
    }

    /// The destructuring of await `id`'s state at the start of its arm:
    /// top-level locals by their names, inner ones to be re-bound in their scope.
    pub fn take_locals(&self, id: usize, rest: &TokenStream) -> TokenStream {
        let fields = self.analysis.variant_locals(id).into_iter().map(|l| {
            let local = &self.analysis.locals[l];
            let name = &local.name;
            if local.scope == 0 {
                let used = mentions(rest, &name.to_string());
                let mutability = (local.mutable && used).then(|| quote!(mut));
                let binding = unused_name(name, used);
                if used {
                    quote!(#mutability #name)
                } else {
                    quote!(#name: #binding)
                }
            } else {
                let moved = mixed(&name.to_string());
                quote!(#name: #moved)
            }
        });
        let fields: Vec<TokenStream> = fields.collect();
        let allow = allow_unused_mut(&quote!(#(#fields)*));
        let (machine, state, state_name) = (&self.machine, mixed("state"), &self.states[id]);
        quote! {
            #allow
            let #machine::#state_name { #(#fields,)* .. } =
                ::core::mem::replace(#state, #machine::Running)
            else {
                ::core::unreachable!()
            };
        }
    }

    /// The continuation of await `id` in `block`, which contains it.
    pub fn resume_block(&mut self, block: &Block, id: usize, braces: Braces) -> Code {
        let code = self.resume_stmts(block, id);
        self.finish_block(block, code, braces)
    }

    pub fn resume_stmts(&mut self, block: &Block, id: usize) -> Code {
        let index = block
            .stmts
            .iter()
            .position(|s| stmt_has(s, id))
            .expect("the await is in this block");
        let code = self.resume_stmt(&block.stmts[index], id);
        let mut body = code.tokens;
        let mut completes = code.completes;
        if completes {
            let rest = self.forward_stmts(&block.stmts[index + 1..]);
            body.extend(rest.tokens);
            completes = rest.completes;
        }
        let mut tokens = self.reopen(block.scope, id, &body);
        tokens.extend(body);
        Code { tokens, completes }
    }

    fn resume_stmt(&mut self, stmt: &Stmt, id: usize) -> Code {
        match stmt {
            Stmt::Let {
                attrs,
                pat,
                init,
                diverge,
            } => {
                let code = self.resume_node(init, id);
                if !code.completes {
                    return code;
                }
                let diverge = diverge
                    .as_ref()
                    .map(|d| self.finalize_expr(&syn::parse_quote!(#d)));
                // A pattern that does not take all of the awaited value
                // (`let _ = ..`, `let (a, _) = ..`): the rest is a temporary
                // that drops at the end of the statement, as in rustc.
                let binds_all = matches!(pat, Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none())
                    || matches!(pat, Pat::Type(t) if matches!(&*t.pat, Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none()));
                let init =
                    if matches!(init, Node::Await { post, .. } if is_hole(post)) && !binds_all {
                        let output = code.tokens;
                        quote!({ #output })
                    } else {
                        code.tokens
                    };
                Code {
                    tokens: self.let_stmt(attrs, pat, init, diverge),
                    completes: true,
                }
            }
            Stmt::Expr { node, semi } => {
                let code = self.resume_node(node, id);
                let semi = (*semi && code.completes).then(|| quote!(;));
                let tokens = code.tokens;
                Code {
                    tokens: quote!(#tokens #semi),
                    completes: code.completes,
                }
            }
            Stmt::Plain(_) => unreachable!("a plain statement has no await"),
        }
    }

    fn resume_node(&mut self, node: &Node, id: usize) -> Code {
        match node {
            Node::Await { post, .. } => {
                let output = mixed("output");
                let post = if is_hole(post) {
                    quote!(#output)
                } else {
                    let moved_in_place = hole_moves(post);
                    let replacement: Expr = if moved_in_place {
                        syn::parse_quote!(#output)
                    } else {
                        syn::parse_quote!({ #output })
                    };
                    let mut post = post.clone();
                    ReplaceHole(Some(replacement)).visit_expr_mut(&mut post);
                    self.finalize_expr(&post)
                };
                let completes = !post_diverges(node);
                Code {
                    tokens: post,
                    completes,
                }
            }
            Node::Block(block) => self.resume_block(block, id, Braces::Optional),
            Node::If {
                then, otherwise, ..
            } => {
                if block_has(then, id) {
                    self.resume_block(then, id, Braces::Optional)
                } else {
                    let node = otherwise
                        .as_deref()
                        .expect("the await is in the else branch");
                    let code = self.resume_node(node, id);
                    Code {
                        tokens: brace(code.tokens),
                        completes: code.completes,
                    }
                }
            }
            Node::Match { arms, .. } => {
                let arm = arms
                    .iter()
                    .find(|a| node_has(&a.body, id))
                    .expect("the await is in an arm");
                let body = self.resume_node(&arm.body, id);
                let mut tokens = self.reopen(arm.scope, id, &body.tokens);
                tokens.extend(body.tokens);
                Code {
                    tokens: brace(tokens),
                    completes: body.completes,
                }
            }
            Node::Loop { label, body } => {
                // Resumed mid-iteration: the rest of this iteration, then the
                // loop from its head. In the rest, `continue` becomes a break
                // out of `'continue_n` and `break` one out of `'break_n`.
                self.resumed_loops += 1;
                let depth = self.resumed_loops;
                let resumed = self.resume_block(body, id, Braces::Required);
                let label_name = label.as_ref().map(|l| &l.name.ident);
                let to_break = syn::Lifetime::new(&format!("'break_{depth}"), Span::mixed_site());
                let to_continue =
                    syn::Lifetime::new(&format!("'continue_{depth}"), Span::mixed_site());
                let rest = relabel(resumed.tokens, label_name, &to_break, &to_continue, false);
                let continues = mentions_label(&rest, &to_continue.ident);
                let mut completes = mentions_label(&rest, &to_break.ident);
                let rest = if continues {
                    quote!(#to_continue: #rest)
                } else {
                    rest
                };
                let again = (resumed.completes || continues).then(|| {
                    let again = self.forward_block(body, Braces::Required);
                    completes |= jumps_out(&again.tokens, "break", label_name);
                    let label = label
                        .as_ref()
                        .filter(|l| mentions_label(&again.tokens, &l.name.ident));
                    let tokens = again.tokens;
                    // As in a loop run from the start: end the slots a
                    // `continue` jumped past, at the head.
                    self.loop_with_head(label, body, tokens)
                });
                self.resumed_loops -= 1;
                if again.is_none() {
                    // The rest of the iteration only breaks with a value: that value.
                    if let Some(value) = direct_break(&rest, &to_break)
                        .filter(|_| self.analysis.slots_within(body.scope).is_empty())
                    {
                        return Code {
                            tokens: value,
                            completes: true,
                        };
                    }
                }
                let tokens = if mentions_label(&rest, &to_break.ident) {
                    quote!(#to_break: { #rest #again })
                } else {
                    quote!({ #rest #again })
                };
                let tokens = if completes {
                    self.then_clear(body.scope, tokens)
                } else {
                    tokens
                };
                Code { tokens, completes }
            }
            Node::Plain(_) => unreachable!("a plain node has no await"),
        }
    }
}

fn brace(tokens: TokenStream) -> TokenStream {
    let mut iter = tokens.clone().into_iter();
    match (iter.next(), iter.next()) {
        (Some(TokenTree::Group(g)), None) if g.delimiter() == Delimiter::Brace => tokens,
        _ => quote!({ #tokens }),
    }
}

fn declared_in(pat: &Pat, out: &mut Vec<LocalId>) {
    struct Bindings<'a>(&'a mut Vec<LocalId>);
    impl<'ast> syn::visit::Visit<'ast> for Bindings<'_> {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            if let Some(id) = Analysis::marker_local(&p.ident) {
                self.0.push(id);
            }
            syn::visit::visit_pat_ident(self, p);
        }
    }
    syn::visit::Visit::visit_pat(&mut Bindings(out), pat);
}

struct ReplaceHole(Option<Expr>);

impl VisitMut for ReplaceHole {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if is_hole(expr) {
            if let Some(replacement) = self.0.take() {
                *expr = replacement;
            }
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// Is the hole used by value (so the output moves into the expression and
/// drops with it), rather than borrowed (a method receiver, a field base)?
fn hole_moves(post: &Expr) -> bool {
    struct Finder(bool, bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr(&mut self, expr: &'ast Expr) {
            let borrowed_child = match expr {
                Expr::MethodCall(m) => Some(&*m.receiver),
                Expr::Field(f) => Some(&*f.base),
                Expr::Index(i) => Some(&*i.expr),
                Expr::Reference(r) => Some(&*r.expr),
                _ => None,
            };
            if let Some(child) = borrowed_child
                && is_hole(child)
            {
                self.1 = true;
            }
            if is_hole(expr) {
                self.0 = true;
            }
            syn::visit::visit_expr(self, expr);
        }
    }
    let mut finder = Finder(false, false);
    syn::visit::Visit::visit_expr(&mut finder, post);
    finder.0 && !finder.1
}

fn post_diverges(node: &Node) -> bool {
    matches!(node, Node::Await { post, .. } if diverges(post))
}

/// Does evaluating `expr` always leave the block (`return`, `break`, `continue`)?
fn diverges(expr: &Expr) -> bool {
    match expr {
        Expr::Return(_) | Expr::Break(_) | Expr::Continue(_) => true,
        Expr::Paren(p) => diverges(&p.expr),
        Expr::Block(b) if b.label.is_none() => match b.block.stmts.last() {
            Some(syn::Stmt::Expr(e, _)) => diverges(e),
            _ => false,
        },
        _ => false,
    }
}

/// Does `tokens` contain a `break` (or `continue`) that leaves the loop
/// they are the body of: unlabeled outside nested loops, or to `label`?
pub fn jumps_out(tokens: &TokenStream, keyword: &str, label: Option<&Ident>) -> bool {
    fn scan(tokens: TokenStream, keyword: &str, label: Option<&Ident>, nested: bool) -> bool {
        let mut iter = tokens.into_iter().peekable();
        let mut skip_next_brace = false;
        while let Some(tt) = iter.next() {
            match tt {
                TokenTree::Ident(ident) if ident == keyword => {
                    let labeled =
                        matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '\'');
                    if labeled {
                        iter.next();
                        if let (Some(TokenTree::Ident(name)), Some(label)) = (iter.next(), label)
                            && name == *label
                        {
                            return true;
                        }
                    } else if !nested {
                        return true;
                    }
                }
                TokenTree::Ident(ident)
                    if ident == "loop" || ident == "while" || ident == "for" =>
                {
                    skip_next_brace = true;
                }
                TokenTree::Group(g) => {
                    let inner_nested =
                        nested || (skip_next_brace && g.delimiter() == Delimiter::Brace);
                    if g.delimiter() == Delimiter::Brace {
                        skip_next_brace = false;
                    }
                    if scan(g.stream(), keyword, label, inner_nested) {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }
    scan(tokens.clone(), keyword, label, false)
}

pub fn block_has(block: &Block, id: usize) -> bool {
    block.stmts.iter().any(|s| stmt_has(s, id))
}

fn stmt_has(stmt: &Stmt, id: usize) -> bool {
    match stmt {
        Stmt::Plain(_) => false,
        Stmt::Let { init, .. } => node_has(init, id),
        Stmt::Expr { node, .. } => node_has(node, id),
    }
}

fn node_has(node: &Node, id: usize) -> bool {
    match node {
        Node::Await { id: own, .. } => *own == id,
        Node::Block(b) => block_has(b, id),
        Node::If {
            then, otherwise, ..
        } => block_has(then, id) || otherwise.as_deref().is_some_and(|n| node_has(n, id)),
        Node::Match { arms, .. } => arms.iter().any(|a| node_has(&a.body, id)),
        Node::Loop { body, .. } => block_has(body, id),
        Node::Plain(_) => false,
    }
}

/// Does the arm's code leave through `'ret` (a `return` or `?`)?
pub fn ret_used(tokens: &TokenStream) -> bool {
    mentions_label(tokens, &ret_label().ident)
}

/// Does `tokens` mention the identifier `name` (a local's unique name), not
/// as a field or method after a `.`?
pub fn mentions(tokens: &TokenStream, name: &str) -> bool {
    let (mut after_dot, mut previous_dot) = (false, false);
    for tt in tokens.clone() {
        let found = match &tt {
            TokenTree::Ident(i) => !after_dot && i == name,
            // An implicit capture in a format string: `"{name}"`, `"{name:?}"`.
            TokenTree::Literal(l) => {
                let l = l.to_string();
                l.contains(&format!("{{{name}}}")) || l.contains(&format!("{{{name}:"))
            }
            TokenTree::Group(g) => mentions(&g.stream(), name),
            TokenTree::Punct(_) => false,
        };
        if found {
            return true;
        }
        // A field or method follows a lone `.`; a range's `..` is not one.
        let is_dot = matches!(&tt, TokenTree::Punct(p) if p.as_char() == '.');
        after_dot = is_dot && !previous_dot;
        previous_dot = is_dot;
    }
    false
}

/// The binding of a stored local that the rest of its scope does not use:
/// `_name` keeps it alive to the end of the scope, as rustc does, without a warning.
fn unused_name(name: &Ident, used: bool) -> Ident {
    if used {
        name.clone()
    } else {
        Ident::new(&format!("_{name}"), name.span())
    }
}

/// One expression, with no statement or `let` of its own: braces around it add nothing.
fn is_single_expression(tokens: &TokenStream) -> bool {
    let mut any = false;
    for tt in tokens.clone() {
        any = true;
        match tt {
            TokenTree::Punct(p) if p.as_char() == ';' => return false,
            TokenTree::Ident(i) if i == "let" || i == "continue" || i == "return" => return false,
            _ => {}
        }
    }
    any
}

/// Does `tokens` jump to the label `'name` (so that the label must be kept)?
pub fn mentions_label(tokens: &TokenStream, name: &Ident) -> bool {
    let mut prev_quote = false;
    for tt in tokens.clone() {
        match tt {
            TokenTree::Punct(p) => prev_quote = p.as_char() == '\'',
            TokenTree::Ident(i) => {
                if prev_quote && i == *name {
                    return true;
                }
                prev_quote = false;
            }
            TokenTree::Group(g) => {
                if mentions_label(&g.stream(), name) {
                    return true;
                }
                prev_quote = false;
            }
            TokenTree::Literal(_) => prev_quote = false,
        }
    }
    false
}

/// `#[allow(unused_mut)]` for a binding copied with the user's `mut` into
/// code that may only move the value (the witness still lints the original).
pub fn allow_unused_mut(pattern: &TokenStream) -> Option<TokenStream> {
    mentions(pattern, "mut").then(|| quote!(#[allow(unused_mut)]))
}

/// In the rest of a loop's iteration, moved out of the loop: `continue` (to
/// this loop) becomes `break 'continue_n`, `break` becomes `break 'break_n`;
/// jumps inside nested loops are theirs, except those naming this loop's label.
fn relabel(
    tokens: TokenStream,
    label: Option<&Ident>,
    to_break: &syn::Lifetime,
    to_continue: &syn::Lifetime,
    nested: bool,
) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    let mut next_brace_nested = false;
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Ident(ident) if ident == "break" || ident == "continue" => {
                let target = if ident == "break" {
                    to_break
                } else {
                    to_continue
                };
                let labeled =
                    matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '\'');
                if labeled {
                    let quote_mark = iter.next().expect("peeked");
                    let name = iter.next();
                    match (&name, label) {
                        (Some(TokenTree::Ident(n)), Some(label)) if n == label => {
                            out.push(TokenTree::Ident(Ident::new("break", ident.span())));
                            out.extend(target.to_token_stream());
                        }
                        _ => {
                            out.push(TokenTree::Ident(ident));
                            out.push(quote_mark);
                            out.extend(name);
                        }
                    }
                } else if !nested {
                    out.push(TokenTree::Ident(Ident::new("break", ident.span())));
                    out.extend(target.to_token_stream());
                } else {
                    out.push(TokenTree::Ident(ident));
                }
            }
            TokenTree::Ident(ident) if ident == "loop" || ident == "while" || ident == "for" => {
                next_brace_nested = true;
                out.push(TokenTree::Ident(ident));
            }
            TokenTree::Group(g) => {
                let is_body = next_brace_nested && g.delimiter() == Delimiter::Brace;
                if g.delimiter() == Delimiter::Brace {
                    next_brace_nested = false;
                }
                let inner = relabel(g.stream(), label, to_break, to_continue, nested || is_body);
                let mut group = proc_macro2::Group::new(g.delimiter(), inner);
                group.set_span(g.span());
                out.push(TokenTree::Group(group));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// `{ { break 'label value } }`: the value, if that is all the code does.
pub fn direct_break(tokens: &TokenStream, label: &syn::Lifetime) -> Option<TokenStream> {
    let mut tokens = tokens.clone();
    loop {
        let mut iter = tokens.clone().into_iter();
        match (iter.next(), iter.next()) {
            (Some(TokenTree::Group(g)), None) if g.delimiter() == Delimiter::Brace => {
                tokens = g.stream()
            }
            _ => break,
        }
    }
    let mut iter = tokens.into_iter().peekable();
    let is_break = matches!(iter.next(), Some(TokenTree::Ident(i)) if i == "break");
    let quote_mark = matches!(iter.next(), Some(TokenTree::Punct(p)) if p.as_char() == '\'');
    let named = matches!(iter.next(), Some(TokenTree::Ident(i)) if i == label.ident);
    let value: Vec<TokenTree> = iter.collect();
    let single = !value
        .iter()
        .any(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'));
    (is_break && quote_mark && named && single && !value.is_empty())
        .then(|| value.into_iter().collect())
}
