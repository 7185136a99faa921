//! The last rewrite of every piece of the user's code before it is emitted
//! into a poll arm: resolved locals get their unique names (a slot local
//! becomes `(*name)`, a place behind the slot's pointer), `self` becomes
//! `this`, opened macros are closed again, and `return`/`?` leave through
//! the arm's `'ret` block instead of returning from the poll closure.

use crate::analysis::Analysis;
use crate::lower::mixed;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Lifetime, Pat, parse_quote};

pub struct Finalize<'a> {
    pub analysis: &'a Analysis,
    pub macros: &'a [syn::Macro],
    /// Set when a slot was dereferenced: the caller wraps the code in `unsafe`.
    pub derefs_slot: bool,
    /// Nested closures and async blocks: `return` and `?` inside are theirs.
    inner: usize,
    /// Uses of slot locals so far.
    slot_uses: usize,
    /// The slot locals used inside the closure being rewritten.
    closure_slots: Vec<(crate::analysis::LocalId, Ident)>,
}

pub fn ret_label() -> Lifetime {
    Lifetime::new("'ret", Span::mixed_site())
}

impl<'a> Finalize<'a> {
    pub fn new(analysis: &'a Analysis, macros: &'a [syn::Macro]) -> Self {
        Finalize {
            analysis,
            macros,
            derefs_slot: false,
            inner: 0,
            slot_uses: 0,
            closure_slots: Vec::new(),
        }
    }

    fn local_expr(&mut self, ident: &Ident) -> Option<Expr> {
        let (id, use_index) = Analysis::marker_use(ident)?;
        let local = &self.analysis.locals[id];
        let name = Ident::new(&local.name.to_string(), local_span(local, ident));
        Some(if local.slot {
            self.slot_uses += 1;
            // Inside a closure the slot handle is not in reach (and the
            // closure may run more than once): read through the pointer.
            if self.inner == 0 && use_index.is_some_and(|u| self.analysis.is_final_move(u)) {
                let handle = crate::lower::slot_handle(self.analysis, id);
                return Some(parse_quote!(#handle.take(#name)));
            }
            self.derefs_slot = true;
            if self.inner > 0 {
                // In a closure, the pointer is a `SlotPtr` (see `visit_expr_mut`).
                if !self.closure_slots.iter().any(|(l, _)| *l == id) {
                    self.closure_slots.push((id, name.clone()));
                }
                parse_quote!((*#name.get()))
            } else {
                parse_quote!((*#name))
            }
        } else {
            parse_quote!(#name)
        })
    }

    fn tokens(&mut self, tokens: TokenStream) -> TokenStream {
        tokens
            .into_iter()
            .map(|tt| match tt {
                TokenTree::Ident(ident) => match self.local_expr(&ident) {
                    Some(Expr::Path(p)) if p.path.get_ident().is_some() => {
                        TokenTree::Ident(p.path.segments[0].ident.clone())
                    }
                    Some(expr) => TokenTree::Group(proc_macro2::Group::new(
                        proc_macro2::Delimiter::None,
                        expr.into_token_stream(),
                    )),
                    None => TokenTree::Ident(ident),
                },
                TokenTree::Group(g) => {
                    let mut group = proc_macro2::Group::new(g.delimiter(), self.tokens(g.stream()));
                    group.set_span(g.span());
                    TokenTree::Group(group)
                }
                other => other,
            })
            .collect()
    }
}

/// The span a local's name is written with: the use site's for the user's
/// own names, so that errors point at their code.
fn local_span(local: &crate::analysis::Local, use_site: &Ident) -> Span {
    if local.internal {
        local.name.span()
    } else {
        use_site.span()
    }
}

impl VisitMut for Finalize<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                if let Some(replacement) = self.local_expr(&p.path.segments[0].ident) {
                    *expr = replacement;
                }
                return;
            }
            Expr::Closure(_) | Expr::Async(_) => {
                let slot_uses = self.slot_uses;
                self.inner += 1;
                visit_mut::visit_expr_mut(self, expr);
                self.inner -= 1;
                // A closure or async block that uses a slot local (it may be
                // stored across an await) captures the slot's pointer by value:
                // a borrow of the pointer would not outlive the arm. (The
                // analysis made every stored local it uses a slot.)
                if self.slot_uses > slot_uses {
                    match expr {
                        Expr::Closure(c) => c.capture = Some(Default::default()),
                        Expr::Async(a) => a.capture = Some(Default::default()),
                        _ => {}
                    }
                    // The outermost one captures `SlotPtr`s, which are `Send`
                    // and `Sync` as a reference to the local would be.
                    if self.inner == 0 {
                        let wraps = std::mem::take(&mut self.closure_slots).into_iter().map(|(_, name)| {
                            quote!(let #name = ::explicit_async::__private::SlotPtr::new(#name);)
                        });
                        let closure = expr.clone();
                        *expr = parse_quote!({ #(#wraps)* #closure });
                    }
                }
                return;
            }
            Expr::Macro(m) => {
                m.mac.tokens = self.tokens(std::mem::take(&mut m.mac.tokens));
                return;
            }
            _ => {}
        }
        visit_mut::visit_expr_mut(self, expr);
        match expr {
            Expr::Call(call) => {
                if let Some(mac) = crate::macros::close(call, self.macros) {
                    *expr = mac;
                }
            }
            Expr::Return(r) if self.inner == 0 => {
                let label = ret_label();
                let value = r
                    .expr
                    .take()
                    .map_or_else(|| quote!(()), |e| e.into_token_stream());
                // Parenthesized: `break 'ret ::path` would parse as a label `'ret:`.
                *expr = parse_quote!(break #label (#value));
            }
            Expr::Try(t) if self.inner == 0 => {
                let label = ret_label();
                let operand = &t.expr;
                let span = t.question_token.span;
                let private = quote_spanned!(span=> ::explicit_async::__private::question_mark);
                let (value, residual) = (mixed("value"), mixed("residual"));
                let tokens = quote! {
                    match #private::Branch::branch(#operand) {
                        ::core::ops::ControlFlow::Continue(#value) => #value,
                        ::core::ops::ControlFlow::Break(#residual) => {
                            break #label (#private::FromResidual::from_residual(#residual))
                        }
                    }
                };
                *expr = parse_quote!(#tokens);
            }
            _ => {}
        }
    }

    fn visit_pat_mut(&mut self, pat: &mut Pat) {
        if let Pat::Ident(p) = pat
            && let Some(id) = Analysis::marker_local(&p.ident)
        {
            let local = &self.analysis.locals[id];
            p.ident = Ident::new(&local.name.to_string(), local.name.span());
            if local.slot {
                p.mutability = None;
            }
        }
        visit_mut::visit_pat_mut(self, pat);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        if let syn::Stmt::Macro(m) = stmt {
            m.mac.tokens = self.tokens(std::mem::take(&mut m.mac.tokens));
            return;
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}
