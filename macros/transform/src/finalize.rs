//! The last rewrite of the user's code before it goes into a poll arm:
//! - a use of a local becomes its name, or for a slot the place behind the
//!   slot's pointer (`(*buf)`), or at a move the slot's value taken out;
//! - `return` and `?` leave through the arm's `'ret` block;
//! - `break` and `continue` aimed at a loop or block that awaits jump the
//!   way the arm needs (to a join state, or to a label of the arm);
//! - macros opened to reach their arguments are closed again.

mod captured_fields;
mod kept_scrutinee;
mod macro_arguments;
mod slots;
mod untracked;

use crate::captures::Borrow;
use crate::locals::{LocalId, Locals, UseKind, consumes_receiver};
use crate::lower::{JumpTarget, Lowerer};
use captured_fields::TakenField;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Pat, parse_quote};

pub fn ret_label() -> syn::Lifetime {
    syn::Lifetime::new("'ret", Span::mixed_site())
}

pub struct Finalize<'l, 'a> {
    pub lower: &'l Lowerer<'a>,
    /// Closures and `async` blocks entered: `return`, `?` and jumps inside are theirs.
    inner: usize,
    /// Plain loops and labelled blocks entered (their labels; `None` for an unlabelled loop).
    plain_targets: Vec<(Option<String>, bool)>,
    /// Slot locals used inside the outermost closure being rewritten.
    closure_slots: Vec<LocalId>,
    /// Slot locals the outermost closure, a `move` one, captures whole:
    /// taken out of their slots when it is made.
    closure_moves: Vec<LocalId>,
    /// Fields a `move` closure takes out of a `PartSlot` when it is made,
    /// by the use that names them, with the local the closure reads instead.
    closure_fields: Vec<TakenField>,
    /// The fields (local and path) the outermost closure, a `move` one,
    /// takes: every use of one inside it names what the closure took.
    closure_taken_paths: Vec<(LocalId, Vec<String>)>,
    /// Plain locals a non-`move` closure borrows, when the closure is made
    /// `move` to capture slot pointers: it captures a reference to each instead.
    closure_borrows: Vec<(LocalId, Borrow)>,
    /// The names untracked code around binds (see [`untracked`]).
    untracked: Vec<untracked::Untracked>,
    /// Slot locals not in their slots yet (an arm's bindings, in its guard):
    /// named by the binding that holds their value.
    pub unslotted: Vec<LocalId>,
    /// May a jump leave the code through a label (see [`Self::wrap_escapes`])?
    pub escape_jumps: bool,
    /// Jumps from inside the scope of a binding of the code: each leaves by
    /// its label, and is written after the code.
    escapes: Vec<(syn::Lifetime, Expr)>,
    slot_uses: usize,
    /// Expressions written that borrow the frame (`frame.x.take()`).
    frame_borrows: usize,
}

impl<'l, 'a> Finalize<'l, 'a> {
    pub fn new(lower: &'l Lowerer<'a>) -> Self {
        Finalize {
            lower,
            inner: 0,
            plain_targets: Vec::new(),
            closure_slots: Vec::new(),
            closure_moves: Vec::new(),
            closure_fields: Vec::new(),
            closure_taken_paths: Vec::new(),
            closure_borrows: Vec::new(),
            untracked: Vec::new(),
            unslotted: Vec::new(),
            escape_jumps: false,
            escapes: Vec::new(),
            slot_uses: 0,
            frame_borrows: 0,
        }
    }

    /// The code for a use of a local.
    fn local_expr(&mut self, ident: &Ident) -> Option<Expr> {
        let u = Locals::use_of(ident)?;
        let use_ = &self.lower.locals.uses[u];
        let local = use_.local;
        if !self.lower.storage.is_slot(local) {
            let name = self.lower.real_name(local, ident.span());
            if self.inner > 0
                && self
                    .closure_borrows
                    .iter()
                    .any(|&(l, how)| l == local && how != Borrow::Reborrow)
            {
                return Some(parse_quote!((*#name)));
            }
            return Some(parse_quote!(#name));
        }
        if self.unslotted.contains(&local) {
            let name = self.lower.slot_value_name(local);
            return Some(parse_quote!(#name));
        }
        self.slot_uses += 1;
        self.lower.note_slot_use();
        let field = self.lower.field_name(local);
        if self.inner > 0 {
            if self.closure_moves.contains(&local) {
                let name = self.lower.real_name(local, ident.span());
                return Some(parse_quote!(#name));
            }
            if !self.closure_slots.contains(&local) {
                self.closure_slots.push(local);
            }
            return Some(parse_quote!((*#field.get())));
        }
        let moves = self.lower.flow.consumed.contains(&u)
            || match &use_.kind {
                UseKind::Move => true,
                UseKind::Receiver(m) => {
                    consumes_receiver(m) && !self.lower.flow.copied_parts.contains(&u)
                }
                _ => false,
            };
        if moves {
            self.frame_borrows += 1;
            let frame = self.lower.frame_expr();
            return Some(parse_quote!(#frame.#field.take()));
        }
        // Located at the user's name: an error about the place (a method
        // that takes it by value) points at it.
        let at = Span::mixed_site().located_at(ident.span());
        let field = crate::names::ident(&field.to_string(), field.span().located_at(at));
        Some(syn::parse_quote_spanned!(at=> (*#field)))
    }

    /// A jump's code, or, where a binding of the code around is in scope, a
    /// `break` to a label that [`Self::wrap_escapes`] writes it after. The
    /// jump leaves that binding's scope first, as rustc's does: its drop
    /// runs before the jump stores the machine's locals (a future that
    /// borrows one of them, `let f = inc(&mut *r); continue;`), and a name
    /// it shadows (`let fut = 0; continue;` beside an argument `fut`) is the
    /// local's again.
    fn escaped(&mut self, code: Expr, escapable: bool) -> Expr {
        if !escapable || !self.escape_jumps || self.untracked.is_empty() {
            return code;
        }
        let label = self.lower.fresh_label("escape");
        self.escapes.push((label.clone(), code));
        parse_quote!(break #label)
    }

    /// `'escaped: { 'escape: { break 'escaped (EXPR); } JUMP }` for each
    /// jump [`Self::escaped`] took out of `expr`: the code's bindings are
    /// out of scope where the jump names the machine's locals.
    pub fn wrap_escapes(&mut self, expr: Expr) -> Expr {
        let mut expr = expr;
        for (label, code) in std::mem::take(&mut self.escapes) {
            let escaped = self.lower.fresh_label("escaped");
            expr = parse_quote!(#escaped: { #label: { break #escaped (#expr); } #code });
        }
        expr
    }

    /// The IR target of a `break`/`continue`, unless a plain loop or block of
    /// the same code takes it.
    fn ir_target(&self, label: Option<&syn::Lifetime>, is_continue: bool) -> Option<&JumpTarget> {
        match label {
            Some(l) => {
                let name = l.ident.to_string();
                if self
                    .plain_targets
                    .iter()
                    .any(|(t, _)| t.as_deref() == Some(name.as_str()))
                {
                    return None;
                }
                self.lower
                    .jumps
                    .iter()
                    .rev()
                    .find(|t| t.label.as_deref() == Some(name.as_str()))
            }
            None => {
                if self.plain_targets.iter().any(|(_, is_loop)| *is_loop) {
                    return None;
                }
                let _ = is_continue;
                self.lower.jumps.iter().rev().find(|t| t.is_loop)
            }
        }
    }
}

impl VisitMut for Finalize<'_, '_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Some(taken) = self.take_field(expr) {
            let local = crate::operands::place_root(expr)
                .and_then(Locals::use_of)
                .map(|u| self.lower.locals.uses[u].local);
            if self.inner == 0 {
                self.frame_borrows += 1;
                *expr = taken;
                return;
            }
            // `x.f` named by a `move` closure: taken when the closure is
            // made, once (`&mut x.f` and `x.f` inside name the same capture).
            self.slot_uses += 1;
            let path = crate::operands::place_root(expr)
                .and_then(Locals::use_of)
                .map(|u| self.lower.locals.uses[u].path.clone());
            if let Some(field) = (self.closure_fields.iter())
                .find(|f| local.is_some() && f.local == local && f.path == path)
            {
                let name = &field.name;
                *expr = parse_quote!(#name);
                return;
            }
            let name = format_ident!(
                "captured_{}",
                self.closure_fields.len(),
                span = Span::mixed_site()
            );
            self.closure_fields.push(TakenField {
                taken,
                name: name.clone(),
                local,
                path,
            });
            *expr = parse_quote!(#name);
            return;
        }
        if let Some(clear) = self.dropped_temporary(expr) {
            *expr = clear;
            return;
        }
        if self.inner == 0
            && let Some(set) = self.slot_assignment(expr)
        {
            *expr = set;
            return;
        }
        match expr {
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                if let Some(replacement) = self.local_expr(&p.path.segments[0].ident) {
                    *expr = replacement;
                }
                return;
            }
            Expr::Closure(_) | Expr::Async(_) => {
                let outermost = self.inner == 0;
                if outermost
                    && crate::captures::only_moves_on(expr)
                    && let Expr::Closure(c) = expr
                {
                    // `|| async move { n }`: rustc's closure takes (or, for a
                    // `Copy` `n`, borrows and copies) what the block moves,
                    // as the transform took it: written `move`, it does so
                    // when it is made, and borrows none of the arm's locals.
                    c.capture = Some(Default::default());
                }
                let written = outermost.then(|| expr.clone());
                if self.inner == 0 {
                    self.closure_moves = crate::captures::moved_whole_into(
                        self.lower.locals,
                        self.lower.storage,
                        expr,
                    );
                    self.closure_taken_paths = crate::captures::fields_taken_by(
                        self.lower.locals,
                        &self.lower.flow.field_moves,
                        expr,
                    );
                    self.closure_borrows = crate::captures::borrowed_plain_locals(
                        self.lower.locals,
                        self.lower.storage,
                        &self.unslotted,
                        expr,
                    );
                }
                let slot_uses = self.slot_uses;
                let saved_targets = std::mem::take(&mut self.plain_targets);
                self.inner += 1;
                visit_mut::visit_expr_mut(self, expr);
                self.inner -= 1;
                self.plain_targets = saved_targets;
                // A closure or async block that uses a slot local may outlive
                // the arm: it captures the slots' pointers by value, as
                // `SlotPtr`s or, when it only reads, `SlotRef`s (as `Send`
                // and `Sync` as the references it would hold).
                if self.slot_uses > slot_uses
                    && let Some(written) = written
                {
                    // Written `move`, it moves in what it names, as written.
                    let made_move = match expr {
                        Expr::Closure(c) => {
                            let made_move = c.capture.replace(Default::default()).is_none();
                            // `|| async { .. }`: the future it returns may only
                            // borrow what the closure captured, now pointers and
                            // references (`Copy`): it copies them, or it would
                            // borrow the closure's own (E0515).
                            if made_move && let Expr::Async(a) = &mut *c.body {
                                a.capture.get_or_insert_with(Default::default);
                            }
                            made_move
                        }
                        Expr::Async(a) => a.capture.replace(Default::default()).is_none(),
                        _ => false,
                    };
                    let frame = self.lower.frame_expr();
                    let fields = captured_fields::take_fields(
                        std::mem::take(&mut self.closure_fields),
                        expr,
                        &written,
                        self.lower.locals,
                    );
                    let takes: Vec<TokenStream> = std::mem::take(&mut self.closure_moves)
                        .into_iter()
                        .map(|l| {
                            let field = self.lower.field_name(l);
                            let name = self.lower.real_name(l, field.span());
                            let mutability =
                                self.lower.locals.locals[l].mutable.then(|| quote!(mut));
                            quote!(let #mutability #name = #frame.#field.take();)
                        })
                        .collect();
                    let wraps: Vec<TokenStream> = std::mem::take(&mut self.closure_slots)
                        .into_iter()
                        .map(|l| {
                            let field = self.lower.field_name(l);
                            let pointer = if crate::captures::writes(&written, l, self.lower.locals)
                            {
                                quote!(SlotPtr)
                            } else {
                                quote!(SlotRef)
                            };
                            quote!(let #field = __private::#pointer::new(#field);)
                        })
                        .collect();
                    let borrows: Vec<TokenStream> = std::mem::take(&mut self.closure_borrows)
                        .into_iter()
                        .flat_map(|(l, how)| {
                            let name = self.lower.real_name(l, Span::mixed_site());
                            if how != Borrow::Reborrow
                                && let Some(fields) = untracked::borrow_fields(expr, &name, how)
                            {
                                return fields;
                            }
                            vec![match how {
                                Borrow::Shared => quote!(let #name = &#name;),
                                Borrow::Mut => quote!(let #name = &mut #name;),
                                Borrow::Reborrow => quote!(let #name = &mut *#name;),
                            }]
                        })
                        .collect();
                    let untracked = if made_move {
                        self.untracked_captures(expr)
                    } else {
                        Vec::new()
                    };
                    let untracked = untracked::capture_by_reference(expr, &untracked);
                    let closure = expr.clone();
                    *expr = parse_quote!({
                        #(#fields)* #(#takes)* #(#wraps)* #(#borrows)* #(#untracked)* #closure
                    });
                }
                if outermost {
                    self.closure_borrows.clear();
                }
                return;
            }
            Expr::Match(m)
                if self.inner == 0
                    && self
                        .lower
                        .keeps_mixed_scrutinee(&m.expr, m.arms.iter().map(|a| &a.pat)) =>
            {
                for arm in &mut m.arms {
                    if let Some(take) = self.lower.taken_scrutinee(&m.expr, &arm.pat) {
                        // An `if let` guard's bindings are newer than the
                        // arm's: moved into the arm that binds the value,
                        // they drop before its bindings, as rustc drops them.
                        let (held, rebound) =
                            self.guard_bindings(arm.guard.as_ref().map(|(_, g)| &**g));
                        let body = &arm.body;
                        let body = crate::scrutinee::take_then(
                            &take,
                            &arm.pat,
                            quote!({ #rebound #body }),
                        );
                        let body = quote!({ #held #body });
                        if let Some((_, guard)) = &mut arm.guard {
                            let by_value = crate::patterns::by_value_bindings(&arm.pat);
                            **guard = crate::desugar::deref_bindings(guard, &by_value);
                        }
                        arm.pat = crate::scrutinee::in_place_pattern(&arm.pat, arm.guard.is_some());
                        *arm.body = parse_quote!(#body);
                        continue;
                    }
                    let checks = crate::scrutinee::copied_out_checks(&arm.pat);
                    if !checks.is_empty() {
                        let body = &arm.body;
                        *arm.body = parse_quote!({ #checks #body });
                    }
                }
                visit_mut::visit_expr_mut(self, expr);
                return;
            }
            Expr::Macro(m) => {
                self.macro_arguments(&mut m.mac);
                if crate::macros::diverges(&m.mac) {
                    *expr = parse_quote!(__private::diverges(#m));
                }
                return;
            }
            Expr::Loop(l) => {
                self.plain_targets
                    .push((l.label.as_ref().map(|l| l.name.ident.to_string()), true));
                visit_mut::visit_expr_mut(self, expr);
                self.plain_targets.pop();
                return;
            }
            Expr::While(w) => {
                self.plain_targets
                    .push((w.label.as_ref().map(|l| l.name.ident.to_string()), true));
                let outer = self.bind_untracked(untracked::bound_by_condition(&w.cond));
                visit_mut::visit_expr_mut(self, expr);
                self.untracked.truncate(outer);
                self.plain_targets.pop();
                return;
            }
            Expr::ForLoop(f) => {
                self.plain_targets
                    .push((f.label.as_ref().map(|l| l.name.ident.to_string()), true));
                let outer = self.bind_untracked(untracked::bound_by(&f.pat));
                visit_mut::visit_expr_mut(self, expr);
                self.untracked.truncate(outer);
                self.plain_targets.pop();
                return;
            }
            Expr::If(i) => {
                let outer = self.bind_untracked(untracked::bound_by_condition(&i.cond));
                visit_mut::visit_expr_mut(self, expr);
                self.untracked.truncate(outer);
                return;
            }
            Expr::Block(b) if b.label.is_some() => {
                let label = b.label.as_ref().map(|l| l.name.ident.to_string());
                self.plain_targets.push((label, false));
                visit_mut::visit_expr_mut(self, expr);
                self.plain_targets.pop();
                return;
            }
            _ => {}
        }
        visit_mut::visit_expr_mut(self, expr);
        if self.inner > 0 {
            if let Expr::Call(call) = expr
                && let Some(mac) = crate::macros::close(call, self.lower.macros)
            {
                *expr = mac;
            }
            return;
        }
        match expr {
            Expr::Call(call) => {
                if let Some(mac) = crate::macros::close(call, self.lower.macros) {
                    *expr = mac;
                }
            }
            Expr::Return(r) => {
                self.lower.note_ret();
                let label = ret_label();
                let value = r
                    .expr
                    .take()
                    .map_or_else(|| quote!(()), |e| e.into_token_stream());
                // Parenthesized: `break 'ret ::path` would parse as `'ret:`.
                *expr = parse_quote!(break #label (#value));
            }
            Expr::Try(t) => {
                self.lower.note_ret();
                let label = ret_label();
                let operand = &t.expr;
                let span = t.question_token.span;
                let question = quote::quote_spanned!(span=> __private::question);
                *expr = parse_quote!(#question!(#label, #operand));
            }
            Expr::Break(b) => {
                let Some(target) = self.ir_target(b.label.as_ref(), false) else {
                    // `break 'l ::path!(..)` (a `?` rewritten) would parse
                    // as a label `'l:`.
                    if b.label.is_some()
                        && let Some(value) = &mut b.expr
                        && value.to_token_stream().to_string().starts_with("::")
                    {
                        let inner = &**value;
                        **value = parse_quote!((#inner));
                    }
                    return;
                };
                let value = b.expr.take().map(|e| e.into_token_stream());
                let plain = value.is_none();
                let code = self.lower.jump_code(&target.on_break, value);
                *expr = self.escaped(code, plain);
            }
            Expr::Continue(c) => {
                let Some(target) = self.ir_target(c.label.as_ref(), true) else {
                    return;
                };
                if let Some(on_continue) = &target.on_continue {
                    let code = self.lower.jump_code(on_continue, None);
                    *expr = self.escaped(code, true);
                }
            }
            _ => {}
        }
    }

    fn visit_pat_mut(&mut self, pat: &mut Pat) {
        if let Pat::Ident(p) = pat
            && let Some(local) = Locals::binding_of(&p.ident)
        {
            if self.lower.storage.is_slot(local) {
                // Bound to a temporary here; the caller moves it into the slot.
                // (`ref mut x` keeps its `mut`: it borrows mutably.)
                p.ident = self.lower.slot_value_name(local);
                if p.by_ref.is_none() {
                    p.mutability = None;
                }
            } else {
                p.ident = self.lower.real_name(local, p.ident.span());
            }
        }
        visit_mut::visit_pat_mut(self, pat);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        if let syn::Stmt::Macro(m) = stmt {
            self.macro_arguments(&mut m.mac);
            if crate::macros::diverges(&m.mac) {
                let mac = &m.mac;
                *stmt = parse_quote!(__private::diverges(#mac););
            }
            return;
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}

    /// Tracks the names the block's untracked `let`s bind, in scope after each.
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let outer = self.untracked.len();
        for stmt in &mut block.stmts {
            let bound = match stmt {
                syn::Stmt::Local(local) if self.inner == 0 => untracked::bound_by(&local.pat),
                _ => Vec::new(),
            };
            self.visit_stmt_mut(stmt);
            self.untracked.extend(bound);
        }
        self.untracked.truncate(outer);
    }

    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        let outer = self.bind_untracked(untracked::bound_by(&arm.pat));
        visit_mut::visit_arm_mut(self, arm);
        self.untracked.truncate(outer);
    }

    /// `S { x: x }` → `S { x }` again where the local kept its name.
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        visit_mut::visit_field_value_mut(self, field);
        if let (syn::Member::Named(member), Expr::Path(p)) = (&field.member, &field.expr)
            && p.path.get_ident().is_some_and(|i| i == member)
        {
            field.colon_token = None;
        }
    }

    /// `S { x: x }` as a pattern → `S { x }` again where the binding kept its name.
    fn visit_field_pat_mut(&mut self, field: &mut syn::FieldPat) {
        visit_mut::visit_field_pat_mut(self, field);
        if let (syn::Member::Named(member), Pat::Ident(p)) = (&field.member, &*field.pat)
            && p.ident == *member
            && p.by_ref.is_none()
            && p.mutability.is_none()
            && p.subpat.is_none()
        {
            field.colon_token = None;
        }
    }
}
