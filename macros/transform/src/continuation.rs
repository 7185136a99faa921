//! The code of an arm: from where its region starts (the beginning of the
//! body, the await it resumes, a join) through the rest of the enclosing
//! blocks and constructs, outwards, until it suspends, jumps to a join, or
//! returns. Code run from its beginning is lowered "forward"; the
//! constructs around the arm's start are reopened ("resumed").

use crate::cfg_expr::{diverges, stmt_diverges};
use crate::finalize::Finalize;
use crate::flow::Entry;
use crate::ir::{Arm, Block, Node, NodeId, ScopeId, Stmt};
use crate::locals::Locals;
use crate::lower::{Code, Jump, JumpTarget, Lowerer, mixed};
use crate::scrutinee::{copied_out_checks, in_place_pattern, take_then};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use std::cell::Cell;
use syn::visit_mut::VisitMut;
use syn::{Expr, Ident, Pat};

impl<'a> Lowerer<'a> {
    pub(crate) fn continuation(&mut self, entry: Entry) -> Code {
        let body = self.body;
        match entry {
            Entry::Start => self.forward_stmts(&body.stmts),
            _ => self
                .resume_stmts(body, entry)
                .unwrap_or_else(|| Code::new(quote!(::core::unreachable!()), false)),
        }
    }

    /// The statements of `block` from the entry (inside one of them) on.
    pub(crate) fn resume_stmts(&mut self, block: &'a Block, entry: Entry) -> Option<Code> {
        let index = block.stmts.iter().position(|s| stmt_contains(s, entry))?;
        let restore = self.restore_scope(block.scope, entry);
        let last = index + 1 == block.stmts.len();
        let first = self.resume_stmt(&block.stmts[index], entry, last);
        // A `use` is visible in all of its block (`{ use a::Ext; x.await;
        // v.ext() }`): the arm that resumes in the block declares again the
        // ones the code before the await declared (unused there, maybe, which
        // the witness, not the copy, reports). Only a `use`: a second `fn`,
        // `struct` or `static` would be another item.
        let mut tokens: TokenStream = block.stmts[..index]
            .iter()
            .filter_map(|stmt| match stmt {
                Stmt::Plain(syn::Stmt::Item(item @ syn::Item::Use(_))) => {
                    Some(quote!(#[allow(unused_imports)] #item))
                }
                _ => None,
            })
            .collect();
        tokens.extend(restore);
        tokens.extend(first.tokens);
        if !first.completes {
            return Some(Code::new(tokens, false));
        }
        let rest = self.forward_stmts(&block.stmts[index + 1..]);
        tokens.extend(rest.tokens);
        Some(Code::new(tokens, rest.completes))
    }

    pub(crate) fn resume_stmt(&mut self, stmt: &'a Stmt, entry: Entry, last: bool) -> Code {
        match stmt {
            Stmt::Plain(_) => Code::new(quote!(::core::unreachable!()), false),
            Stmt::Let { attrs, pat, init } => {
                let code = self.resume_node(init, entry);
                self.bind_let(attrs, pat, code)
            }
            Stmt::Expr { node, semi } => {
                let code = self.resume_node(node, entry);
                // `x.await;` (or `let _ = x.await;`): the output is dropped
                // here. `output;` would be an unused `#[must_use]` value, which
                // a crate's `#![deny(unused_must_use)]` makes an error that the
                // machine's `allow(warnings)` does not cover.
                let tokens = match node {
                    Node::Await(_) if code.completes && (*semi || !last) => {
                        let output = code.tokens;
                        quote!(::core::mem::drop(#output))
                    }
                    _ => code.tokens,
                };
                Code::new(end_stmt(tokens, *semi || !last), code.completes)
            }
        }
    }

    pub(crate) fn resume_node(&mut self, node: &'a Node, entry: Entry) -> Code {
        if let Some(id) = node.id()
            && entry == Entry::After(id)
        {
            return Code::new(mixed("value").into_token_stream(), true);
        }
        let code = match node {
            Node::Await(_) => Code::new(mixed("output").into_token_stream(), true),
            Node::Plain(_) => Code::new(quote!(::core::unreachable!()), false),
            Node::Block(b) => self.block_code(b, |s| {
                s.resume_stmts(b, entry)
                    .unwrap_or_else(|| Code::new(quote!(::core::unreachable!()), false))
            }),
            Node::If {
                then, otherwise, ..
            } => {
                if block_contains(then, entry) {
                    self.block_code(then, |s| {
                        s.resume_stmts(then, entry)
                            .unwrap_or_else(|| Code::new(quote!(::core::unreachable!()), false))
                    })
                } else {
                    let otherwise = otherwise.as_deref().expect("the entry is in a branch");
                    self.resume_node(otherwise, entry)
                }
            }
            Node::Match { arms, .. } => {
                let arm = arms
                    .iter()
                    .find(|a| node_contains(&a.body, entry))
                    .expect("the entry is in an arm");
                let restore = self.restore_scope(arm.scope, entry);
                let body = self.resume_node(&arm.body, entry);
                self.scoped(arm.scope, restore, body)
            }
            Node::Loop { id, label, body } => {
                let id = *id;
                self.loop_code(id, label.as_ref(), body, Some(entry))
            }
        };
        self.after_node(node, code)
    }

    /// A node's code, then the jump to its end's join if its end is one.
    pub(crate) fn after_node(&mut self, node: &Node, code: Code) -> Code {
        let Some(id) = node.id() else { return code };
        if !code.completes || !self.is_join(Entry::After(id)) {
            return code;
        }
        let value = mixed("value");
        let tokens = code.tokens;
        let goto = self.goto(Entry::After(id), Some(value.to_token_stream()));
        Code::new(quote!({ let #value = #tokens; #goto }), false)
    }

    /// A loop of the IR, entered at its head (`entry` `None` or its
    /// `LoopHead`) or resumed inside its body. Its head is a join whenever
    /// the body awaits and loops back; `break` leaves to the code after it.
    pub(crate) fn loop_code(
        &mut self,
        id: NodeId,
        label: Option<&syn::Label>,
        body: &'a Block,
        entry: Option<Entry>,
    ) -> Code {
        let head_is_join = self.is_join(Entry::LoopHead(id));
        let after_is_join = self.is_join(Entry::After(id));
        let resumed_inside = entry.is_some_and(|e| e != Entry::LoopHead(id));
        if !head_is_join && !resumed_inside {
            // Entered here and never re-entered from another arm: a plain
            // `loop`. A `break` leaves it, dropping its body's locals, before
            // the code after it (or the jump to that code's arm) runs.
            let rust_label = self.fresh_label("loop");
            // The slots of the body's scopes, which a `break` or `continue`
            // leaves: ended after the body's `}` drops its other locals, as
            // where the body completes. A `continue` leaves the body's block
            // (`'next`) to reach them.
            let clears = self.clears_within(id);
            let next = (!clears.is_empty()).then(|| self.fresh_label("next"));
            self.jumps.push(JumpTarget {
                label: label.map(|l| l.name.ident.to_string()),
                is_loop: true,
                on_break: Jump::Break(rust_label.clone()),
                on_continue: Some(match &next {
                    Some(next) => Jump::Break(next.clone()),
                    None => Jump::Continue(rust_label.clone()),
                }),
                broken: Cell::new(false),
            });
            let code = self.block_code(body, |s| s.forward_stmts(&body.stmts));
            let tokens = code.tokens;
            // Only a `break` of this arm leaves the loop here: the code after
            // it is dead otherwise (its value would be `!`).
            let broken = self.jumps.pop().is_some_and(|t| t.broken.get());
            let Some(next) = next else {
                return Code::new(quote!(#rust_label: loop { #tokens }), broken);
            };
            let looped = quote!(#rust_label: loop { #next: { #tokens } #clears });
            if !broken {
                return Code::new(looped, false);
            }
            let value = mixed("value");
            return Code::new(quote!({ let #value = #looped; #clears #value }), true);
        }
        if entry.is_none() {
            // Entering the loop: dispatch to its head.
            return Code::new(self.goto(Entry::LoopHead(id), None), false);
        }
        let exit = self.fresh_label("exit");
        self.jumps.push(JumpTarget {
            label: label.map(|l| l.name.ident.to_string()),
            is_loop: true,
            on_break: if after_is_join {
                Jump::Goto(Entry::After(id))
            } else {
                Jump::Break(exit.clone())
            },
            on_continue: Some(Jump::Goto(Entry::LoopHead(id))),
            broken: Cell::new(false),
        });
        let entry = entry.expect("checked above");
        let code = if entry == Entry::LoopHead(id) {
            self.block_code(body, |s| s.forward_stmts(&body.stmts))
        } else {
            self.block_code(body, |s| {
                s.resume_stmts(body, entry)
                    .unwrap_or_else(|| Code::new(quote!(::core::unreachable!()), false))
            })
        };
        let target = self.jumps.pop().expect("pushed above");
        let back = if code.completes {
            self.goto(Entry::LoopHead(id), None)
        } else {
            TokenStream::new()
        };
        let tokens = code.tokens;
        if target.broken.get() {
            // The loop's body never ends with a value: `break 'exit` leaves it.
            let clears = self.clears_within(id);
            if clears.is_empty() {
                return Code::new(quote!(#exit: { #tokens #back }), true);
            }
            let value = mixed("value");
            Code::new(
                quote!({ let #value = #exit: { #tokens #back }; #clears #value }),
                true,
            )
        } else {
            Code::new(quote!({ #tokens #back }), false)
        }
    }

    /// A block: its label (a target for `break`), its scope's slots ended
    /// where it completes, and `unsafe` if it was.
    pub(crate) fn block_code(
        &mut self,
        block: &'a Block,
        inner: impl FnOnce(&mut Self) -> Code,
    ) -> Code {
        let after_is_join = self.is_join(Entry::After(block.id));
        let rust_label = block.label.as_ref().map(|_| self.fresh_label("block"));
        if let Some(l) = &block.label {
            self.jumps.push(JumpTarget {
                label: Some(l.name.ident.to_string()),
                is_loop: false,
                on_break: if after_is_join {
                    Jump::Goto(Entry::After(block.id))
                } else {
                    Jump::Break(rust_label.clone().expect("labelled"))
                },
                on_continue: None,
                broken: Cell::new(false),
            });
        }
        let code = inner(self);
        let broken = if block.label.is_some() {
            self.jumps.pop().is_some_and(|t| t.broken.get())
        } else {
            false
        };
        let unsafety = block.is_unsafe.then(|| quote!(unsafe));
        let braced = braced(block.brace, code.tokens);
        let user_tail = block.brace.is_some();
        let (tokens, completes) = match (broken, &rust_label) {
            (true, Some(label)) => {
                let clears = self.clears_within(block.id);
                let block = quote!(#label: #unsafety #braced);
                (then_clear(block, clears, user_tail), true)
            }
            _ => {
                let clears = self.scope_clears(block.scope);
                if code.completes && !clears.is_empty() {
                    let block = quote!(#unsafety #braced);
                    (then_clear(block, clears, user_tail), true)
                } else {
                    (quote!(#unsafety #braced), code.completes)
                }
            }
        };
        Code::new(tokens, completes)
    }

    /// An arm's scope: its locals rebound, its slots ended where it completes.
    pub(crate) fn scoped(&self, scope: ScopeId, restore: TokenStream, body: Code) -> Code {
        let clears = self.scope_clears(scope);
        let tokens = body.tokens;
        if body.completes && !clears.is_empty() {
            let value = mixed("value");
            Code::new(
                quote!({ #restore let #value = #tokens; #clears #value }),
                true,
            )
        } else {
            Code::new(quote!({ #restore #tokens }), body.completes)
        }
    }

    // ---- code run from its beginning ----

    pub(crate) fn forward_stmts(&mut self, stmts: &'a [Stmt]) -> Code {
        let mut tokens = TokenStream::new();
        for (i, stmt) in stmts.iter().enumerate() {
            let last = i + 1 == stmts.len();
            let code = self.forward_stmt(stmt, last);
            tokens.extend(code.tokens);
            if !code.completes {
                return Code::new(tokens, false);
            }
        }
        Code::new(tokens, true)
    }

    pub(crate) fn forward_stmt(&mut self, stmt: &'a Stmt, last: bool) -> Code {
        match stmt {
            Stmt::Plain(s) => self.plain_stmt(s),
            Stmt::Let { attrs, pat, init } => {
                let code = self.forward_node(init);
                self.bind_let(attrs, pat, code)
            }
            Stmt::Expr { node, semi } => {
                let code = self.forward_node(node);
                Code::new(end_stmt(code.tokens, *semi || !last), code.completes)
            }
        }
    }

    pub(crate) fn forward_node(&mut self, node: &'a Node) -> Code {
        let code = match node {
            Node::Await(a) => self.suspend(*a),
            Node::Plain(e) => Code::new(self.finalize_expr(e).into_token_stream(), !diverges(e)),
            Node::Block(b) => self.block_code(b, |s| s.forward_stmts(&b.stmts)),
            Node::If {
                cond,
                then,
                otherwise,
                ..
            } => {
                let cond = self.finalize_expr(cond);
                let then = self.block_code(then, |s| s.forward_stmts(&then.stmts));
                let (else_tokens, else_completes) = match otherwise {
                    Some(o) => {
                        let code = self.forward_node(o);
                        let tokens = code.tokens;
                        (quote!(else { #tokens }), code.completes)
                    }
                    None => (TokenStream::new(), true),
                };
                let then_tokens = then.tokens;
                Code::new(
                    quote!(if #cond { #then_tokens } #else_tokens),
                    then.completes || else_completes,
                )
            }
            Node::Match {
                scrutinee, arms, ..
            } => {
                let mixed = self.keeps_mixed_scrutinee(scrutinee, arms.iter().map(|a| &a.pat));
                let partly = self.partly_takes_kept_scrutinee(scrutinee, arms);
                let finalized = self.finalize_expr(scrutinee);
                let mut completes = false;
                let arms: Vec<TokenStream> = arms
                    .iter()
                    .map(|arm| {
                        let awaits = !matches!(arm.body, Node::Plain(_));
                        let kept = (mixed || (partly && awaits)).then_some(scrutinee);
                        let (tokens, c) = self.match_arm(arm, kept);
                        completes |= c;
                        tokens
                    })
                    .collect();
                Code::new(quote!(match #finalized { #(#arms)* }), completes)
            }
            Node::Loop { id, label, body } => self.loop_code(*id, label.as_ref(), body, None),
        };
        self.after_node(node, code)
    }

    /// An arm of a `match` on `kept_scrutinee` (a local kept while other
    /// arms borrow it).
    pub(crate) fn match_arm(
        &mut self,
        arm: &'a Arm,
        kept_scrutinee: Option<&Expr>,
    ) -> (TokenStream, bool) {
        let pat = self.finalize_pat(&arm.pat);
        let taken = kept_scrutinee.and_then(|s| self.taken_scrutinee(s, &arm.pat));
        let guard = arm.guard.as_ref().map(|g| {
            // The arm's slot bindings (and its guard's `let`s') go into
            // their slots in the body: the guard reads them where the
            // patterns bound them.
            let mut g = g.clone();
            let mut finalize = Finalize::new(self);
            finalize.unslotted = crate::cfg::pattern_locals(&arm.pat);
            for pat in crate::patterns::guard_patterns(&g) {
                finalize.unslotted.extend(crate::cfg::pattern_locals(pat));
            }
            finalize.visit_expr_mut(&mut g);
            if taken.is_some() {
                // Matched in place, the bindings are references.
                let by_value = crate::patterns::by_value_bindings(&pat);
                g = crate::desugar::deref_bindings(&g, &by_value);
            }
            quote!(if #g)
        });
        let mut inits = match (kept_scrutinee, &taken) {
            (Some(_), None) => copied_out_checks(&pat),
            _ => TokenStream::new(),
        };
        inits.extend(self.slot_inits(&arm.pat));
        for pat in arm.guard.iter().flat_map(crate::patterns::guard_patterns) {
            inits.extend(self.slot_inits(pat));
        }
        let body = self.forward_node(&arm.body);
        let code = self.scoped(arm.scope, inits, body);
        let attrs = &arm.attrs;
        let tokens = code.tokens;
        match taken {
            Some(take) => {
                let in_place = in_place_pattern(&pat, guard.is_some());
                let tokens = take_then(&take, &pat, tokens);
                (
                    quote!(#(#attrs)* #in_place #guard => #tokens,),
                    code.completes,
                )
            }
            None => (quote!(#(#attrs)* #pat #guard => #tokens,), code.completes),
        }
    }

    /// `let PAT = <code>;`, then the pattern's slot locals moved into their slots.
    pub(crate) fn bind_let(&mut self, attrs: &[syn::Attribute], pat: &Pat, code: Code) -> Code {
        if !code.completes {
            return Code::new(end_stmt(code.tokens, true), false);
        }
        let final_pat = self.finalize_pat(pat);
        let inits = self.slot_inits(pat);
        let tokens = code.tokens;
        // The await's output (or a join's value) stands for a value
        // expression: what the pattern leaves (`let _ = ..`) is dropped at
        // the end of the statement, not kept in a local.
        let binds_whole = matches!(pat, Pat::Ident(p) if p.subpat.is_none())
            || matches!(pat, Pat::Type(t) if matches!(&*t.pat, Pat::Ident(p) if p.subpat.is_none()));
        let is_name = syn::parse2::<Ident>(tokens.clone()).is_ok();
        let tokens = if is_name && !binds_whole {
            quote!({ #tokens })
        } else {
            tokens
        };
        Code::new(quote!(#(#attrs)* let #final_pat = #tokens; #inits), true)
    }

    /// For each slot a pattern binds: `let x = frame.x.init(x_value);`.
    pub(crate) fn slot_inits(&self, pat: &Pat) -> TokenStream {
        let frame = self.frame_expr();
        let inits = crate::cfg::pattern_locals(pat)
            .into_iter()
            .filter(|&l| self.storage.is_slot(l))
            .map(|l| {
                let (field, value) = (self.field_name(l), self.slot_value_name(l));
                quote!(let #field = #frame.#field.init(#value);)
            });
        quote!(#(#inits)*)
    }

    /// A plain statement; a `let` of slot locals moves them into their slots.
    pub(crate) fn plain_stmt(&mut self, stmt: &syn::Stmt) -> Code {
        let mut finalized = stmt.clone();
        let mut finalize = Finalize::new(self);
        finalize.escape_jumps = match stmt {
            syn::Stmt::Expr(..) => true,
            syn::Stmt::Local(local) => local.init.as_ref().is_some_and(|i| i.diverge.is_none()),
            _ => false,
        };
        finalize.visit_stmt_mut(&mut finalized);
        match &mut finalized {
            syn::Stmt::Expr(e, _) => *e = finalize.wrap_escapes(e.clone()),
            syn::Stmt::Local(syn::Local {
                init: Some(init), ..
            }) => *init.expr = finalize.wrap_escapes((*init.expr).clone()),
            // A block's `use`, which code after an await in the block (in
            // another arm, declaring it again) may be the only user of.
            syn::Stmt::Item(syn::Item::Use(item)) => {
                item.attrs.push(syn::parse_quote!(#[allow(unused_imports)]));
            }
            _ => {}
        }
        let (inits, completes) = match stmt {
            syn::Stmt::Local(local) if local.init.is_none() => {
                let declarations = self.slot_declarations(&local.pat);
                // `let x;` of a slot local declares nothing but its pointer
                // (the slot is written when `x` is assigned).
                let local_id = match &local.pat {
                    Pat::Ident(p) => Locals::binding_of(&p.ident),
                    _ => None,
                };
                if local_id.is_some_and(|l| self.storage.is_slot(l)) {
                    return Code::new(declarations, true);
                }
                // Declared here but first given a value after an await (in
                // another arm, which declares it again): declared here, it
                // could not be typed.
                if local_id.is_some_and(|l| !self.used_in_region(l)) {
                    return Code::new(TokenStream::new(), true);
                }
                (declarations, true)
            }
            syn::Stmt::Local(local) => (self.slot_inits(&local.pat), !stmt_diverges(stmt)),
            _ => (TokenStream::new(), !stmt_diverges(stmt)),
        };
        Code::new(quote!(#finalized #inits), completes)
    }

    /// `let x;` of a slot: its pointer, the slot still empty.
    pub(crate) fn slot_declarations(&self, pat: &Pat) -> TokenStream {
        let frame = self.frame_expr();
        let lets = crate::cfg::pattern_locals(pat)
            .into_iter()
            .filter(|&l| self.storage.is_slot(l))
            .map(|l| {
                let field = self.field_name(l);
                quote!(let #field = #frame.#field.as_ptr();)
            });
        quote!(#(#lets)*)
    }

    pub fn finalize_expr(&self, expr: &Expr) -> Expr {
        let mut expr = expr.clone();
        let mut finalize = Finalize::new(self);
        finalize.escape_jumps = true;
        finalize.visit_expr_mut(&mut expr);
        finalize.wrap_escapes(expr)
    }

    pub(crate) fn finalize_pat(&self, pat: &Pat) -> Pat {
        let mut pat = pat.clone();
        Finalize::new(self).visit_pat_mut(&mut pat);
        pat
    }
}

/// `code;` as a statement, or as a block's value.
fn end_stmt(tokens: TokenStream, semi: bool) -> TokenStream {
    if semi { quote!(#tokens;) } else { tokens }
}

fn stmt_contains(stmt: &Stmt, entry: Entry) -> bool {
    match stmt {
        Stmt::Plain(_) => false,
        Stmt::Let { init, .. } => node_contains(init, entry),
        Stmt::Expr { node, .. } => node_contains(node, entry),
    }
}

fn block_contains(block: &Block, entry: Entry) -> bool {
    entry == Entry::After(block.id) || block.stmts.iter().any(|s| stmt_contains(s, entry))
}

/// Is the entry inside this node (or at its end)?
pub fn node_contains(node: &Node, entry: Entry) -> bool {
    if let Some(id) = node.id()
        && (entry == Entry::After(id) || entry == Entry::LoopHead(id))
    {
        return true;
    }
    match node {
        Node::Await(a) => entry == Entry::Resume(*a),
        Node::Plain(_) => false,
        Node::Block(b) => block_contains(b, entry),
        Node::If {
            then, otherwise, ..
        } => {
            block_contains(then, entry)
                || otherwise
                    .as_deref()
                    .is_some_and(|o| node_contains(o, entry))
        }
        Node::Match { arms, .. } => arms.iter().any(|a| node_contains(&a.body, entry)),
        Node::Loop { body, .. } => block_contains(body, entry),
    }
}

/// `tokens` in braces spanned `brace`: the user's, for a block they wrote,
/// so that its tail's temporaries drop as their edition says.
fn braced(brace: Option<proc_macro2::Span>, tokens: TokenStream) -> TokenStream {
    let mut group = proc_macro2::Group::new(proc_macro2::Delimiter::Brace, tokens);
    if let Some(brace) = brace {
        group.set_span(brace);
    }
    group.into_token_stream()
}

/// A block's value, then `clears` (the ends of its slots). Before Rust
/// 2024 the tail temporaries of a block the user wrote drop after its
/// locals, slots included: its value is matched, so that they live
/// through the clears.
fn then_clear(block: TokenStream, clears: TokenStream, user_tail: bool) -> TokenStream {
    let value = mixed("value");
    if user_tail && crate::edition::before_2024() {
        quote!(match #block { #value => { #clears #value } })
    } else {
        quote!({ let #value = #block; #clears #value })
    }
}
