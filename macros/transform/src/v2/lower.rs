//! The poll arms. Each arm is one region of the body (see
//! [`flow`](super::flow)): the code from where it starts (the first poll,
//! the await it resumes, or a join) up to where it suspends, jumps to a
//! join, or returns. Code between awaits stays the user's code, and each
//! piece of it is written in exactly one arm.
//!
//! An arm that starts inside nested blocks reopens them, so that the locals
//! it takes back out of the state are dropped where rustc drops them.

use super::finalize::{Finalize, ret_label};
use super::flow::{Entry, Flow, RegionId};
use super::ir::{Arm, AwaitPoint, Block, Node, NodeId, ScopeId, Stmt};
use super::locals::{LocalId, LocalKind, Locals};
use super::storage::Storage;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use std::cell::Cell;
use std::collections::BTreeMap;
use syn::visit_mut::VisitMut;
use syn::{Expr, Ident, Pat};

pub fn mixed(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// The label of the poll closure's dispatch loop.
pub fn dispatch_label() -> syn::Lifetime {
    syn::Lifetime::new("'dispatch", Span::mixed_site())
}

/// How a `break` or `continue` aimed at an IR construct leaves the code.
#[derive(Clone)]
pub enum Jump {
    /// Write the join's state and dispatch to it.
    Goto(Entry),
    /// `break 'label` out of a labelled block of the arm.
    Break(syn::Lifetime),
    /// `continue 'label` of a loop of the arm.
    Continue(syn::Lifetime),
}

/// An IR loop or labelled block around the code being lowered.
pub struct JumpTarget {
    pub label: Option<String>,
    pub is_loop: bool,
    pub on_break: Jump,
    pub on_continue: Option<Jump>,
    /// Whether a `break` used the arm's label (so the label is emitted).
    pub broken: Cell<bool>,
}

/// Emitted code, and whether control can reach its end.
pub struct Code {
    pub tokens: TokenStream,
    pub completes: bool,
}

impl Code {
    fn new(tokens: TokenStream, completes: bool) -> Code {
        Code { tokens, completes }
    }
}

pub struct Lowerer<'a> {
    pub locals: &'a Locals,
    pub flow: &'a Flow,
    pub storage: &'a Storage,
    pub points: &'a [AwaitPoint],
    pub macros: &'a [syn::Macro],
    pub body: &'a Block,
    pub machine: Ident,
    pub trace: bool,
    pub function: String,
    /// The function's output type, when it can be written in the body.
    pub output: Option<TokenStream>,
    /// The state's name for each region.
    pub state_names: Vec<Ident>,
    /// The unique name of each local (its variable, field and slot).
    pub names: Vec<Ident>,
    /// Locals that keep the name (and span) the user wrote.
    pub keeps_user_name: Vec<bool>,
    pub jumps: Vec<JumpTarget>,
    /// Scopes nested in each construct (a jump out of it ends their slots).
    pub inner_scopes: BTreeMap<NodeId, Vec<ScopeId>>,
    pub region: RegionId,
    ret_used: Cell<bool>,
    slot_used: Cell<bool>,
    labels: Cell<usize>,
}

impl<'a> Lowerer<'a> {
    pub fn new(parts: LowererParts<'a>) -> Self {
        let (names, keeps_user_name) = unique_names(parts.locals);
        Lowerer {
            locals: parts.locals,
            flow: parts.flow,
            storage: parts.storage,
            points: parts.points,
            macros: parts.macros,
            body: parts.body,
            machine: parts.machine,
            trace: parts.trace,
            function: parts.function,
            output: parts.output,
            state_names: parts.state_names,
            names,
            keeps_user_name,
            jumps: Vec::new(),
            inner_scopes: parts.inner_scopes,
            region: 0,
            ret_used: Cell::new(false),
            slot_used: Cell::new(false),
            labels: Cell::new(0),
        }
    }

    pub fn note_ret(&self) {
        self.ret_used.set(true);
    }

    pub fn note_slot_use(&self) {
        self.slot_used.set(true);
    }

    /// The variable that holds a local in the arms.
    pub fn real_name(&self, local: LocalId, at: Span) -> Ident {
        if self.keeps_user_name[local] {
            // Resolved where the user declared it, shown where it is used.
            let declared = self.locals.locals[local].name.span();
            Ident::new(&self.names[local].to_string(), declared.located_at(at))
        } else {
            self.names[local].clone()
        }
    }

    /// The field (of a variant, or of the frame for a slot) that holds a
    /// local; for a slot, also the variable with the slot's pointer.
    pub fn field_name(&self, local: LocalId) -> Ident {
        mixed(&self.names[local].to_string())
    }

    /// What a slot local's pattern binds, before it is moved into the slot.
    pub fn slot_value_name(&self, local: LocalId) -> Ident {
        format_ident!("{}_value", self.names[local], span = Span::mixed_site())
    }

    pub fn frame_expr(&self) -> Ident {
        mixed("frame")
    }

    fn state_expr(&self) -> Ident {
        mixed("state")
    }

    fn fresh_label(&self, what: &str) -> syn::Lifetime {
        self.labels.set(self.labels.get() + 1);
        syn::Lifetime::new(
            &format!("'{what}_{}", self.labels.get()),
            Span::mixed_site(),
        )
    }

    /// Does a region start at this entry (is the construct end or loop head a join)?
    pub fn is_join(&self, entry: Entry) -> bool {
        self.flow.region_at(entry).is_some()
    }

    // ---- arms ----

    /// Whether this region's arm dereferences a slot (after [`arm`](Self::arm)).
    pub fn arm_uses_slots(&self) -> bool {
        self.slot_used.get()
    }

    /// Whether this region's arm can complete the function (after [`arm`](Self::arm)).
    pub fn arm_returns(&self) -> bool {
        self.ret_used.get()
    }

    /// The match arm of one region.
    pub fn arm(&mut self, region: RegionId) -> TokenStream {
        self.region = region;
        self.ret_used.set(false);
        self.slot_used.set(false);
        self.jumps.clear();
        let entry = self.flow.regions[region];
        let machine = self.machine.clone();
        let name = self.state_names[region].clone();
        let state = self.state_expr();
        let stored = self.stored_at_entry(entry);
        let taken: Vec<LocalId> = match entry {
            Entry::Start => stored.clone(),
            _ => self.storage.variant_locals(&stored),
        };
        let binds: Vec<TokenStream> = taken
            .iter()
            .map(|&l| {
                let field = self.field_name(l);
                if self.storage.is_slot(l) {
                    quote!(#field)
                } else {
                    let var = self.real_name(l, self.locals.locals[l].name.span());
                    let mutability = self.locals.locals[l].mutable.then(|| quote!(mut));
                    quote!(#field: #mutability #var)
                }
            })
            .collect();
        let value = mixed("value");
        let value_field = matches!(entry, Entry::After(_)).then(|| quote!(#value,));
        let take = if binds.is_empty() && value_field.is_none() {
            quote!(*#state = #machine::Running;)
        } else {
            quote! {
                let #machine::#name { #value_field #(#binds,)* .. } =
                    ::core::mem::replace(#state, #machine::Running)
                else {
                    ::core::unreachable!()
                };
            }
        };
        let pointers = self.slot_pointers(&stored, entry);
        let declarations = self.uninit_declarations(0, entry);
        let landing = match entry {
            Entry::After(id) | Entry::LoopHead(id) => self.clears_within(id),
            _ => TokenStream::new(),
        };
        let code = self.continuation(entry);
        // The locals taken out of the state are bound inside the arm's
        // result block: they drop before the slots are cleared.
        let code_tokens = code.tokens;
        let code = Code::new(
            quote!(#take #pointers #declarations #code_tokens),
            code.completes,
        );
        let body = self.finish_arm(code);
        let unsafety = self.slot_used.get().then(|| quote!(unsafe));
        let inner = quote! {
            #landing
            #unsafety { #body }
        };
        match entry {
            Entry::Resume(_) => {
                let (output, fut, cx) = (mixed("output"), mixed("fut"), mixed("cx"));
                quote! {
                    #machine::#name { #fut, .. } => {
                        let #output = ::core::task::ready!(#fut.poll(#cx));
                        #inner
                    }
                }
            }
            _ => quote!(#machine::#name { .. } => { #inner }),
        }
    }

    /// The locals the state this region starts from holds, in declaration order.
    pub fn stored_at_entry(&self, entry: Entry) -> Vec<LocalId> {
        match entry {
            Entry::Start => self.arguments(),
            Entry::Resume(a) => self.storage.at_await[a].clone(),
            _ => {
                let region = self.flow.region_at(entry).expect("a join region");
                self.storage
                    .at_join
                    .get(&region)
                    .cloned()
                    .unwrap_or_default()
            }
        }
    }

    pub fn arguments(&self) -> Vec<LocalId> {
        (0..self.locals.locals.len())
            .filter(|&l| {
                matches!(
                    self.locals.locals[l].kind,
                    LocalKind::Argument | LocalKind::SelfArg
                )
            })
            .collect()
    }

    fn slot_pointers(&self, stored: &[LocalId], entry: Entry) -> TokenStream {
        let frame = self.frame_expr();
        let lets = stored
            .iter()
            .filter(|&&l| self.storage.is_slot(l))
            .map(|&l| {
                let field = self.field_name(l);
                if entry == Entry::Start {
                    // An argument kept in a slot: moved there from `Start`.
                    quote!(let #field = #frame.#field.init(#field);)
                } else {
                    quote!(let #field = #frame.#field.as_ptr();)
                }
            });
        quote!(#(#lets)*)
    }

    fn clears(&self, mut slots: Vec<LocalId>) -> TokenStream {
        let frame = self.frame_expr();
        slots.sort_by_key(|&l| std::cmp::Reverse(self.locals.locals[l].decl));
        let clears = slots.iter().map(|&l| {
            let field = self.field_name(l);
            quote!(#frame.#field.clear();)
        });
        quote!(#(#clears)*)
    }

    /// Ends the slots declared inside a construct, newest first.
    pub fn clears_within(&self, node: NodeId) -> TokenStream {
        let Some(scopes) = self.inner_scopes.get(&node) else {
            return TokenStream::new();
        };
        self.clears(
            self.storage
                .slots
                .keys()
                .copied()
                .filter(|&l| scopes.contains(&self.locals.locals[l].scope))
                .collect(),
        )
    }

    fn scope_clears(&self, scope: ScopeId) -> TokenStream {
        self.clears(
            self.storage
                .slots
                .keys()
                .copied()
                .filter(|&l| self.locals.locals[l].scope == scope)
                .collect(),
        )
    }

    /// The arm's code, leaving through `'ret` to `Done`.
    fn finish_arm(&self, code: Code) -> TokenStream {
        if !code.completes && !self.ret_used.get() {
            return code.tokens;
        }
        let machine = &self.machine;
        let state = self.state_expr();
        let ret = mixed("ret");
        let tokens = code.tokens;
        let value = if self.ret_used.get() {
            let label = ret_label();
            quote!(#label: { #tokens })
        } else {
            quote!({ #tokens })
        };
        let clears = self.clears(self.storage.slots.keys().copied().collect());
        let trace = self.trace_to("Done");
        // Typed as the function returns: a type error in the body is reported
        // at the user's expression, where the witness reports it too (once).
        let typed = self.output.as_ref().map(|t| quote!(: #t));
        quote! {
            let #ret #typed = #value;
            #clears
            #trace
            *#state = #machine::Done;
            return ::core::task::Poll::Ready(#ret);
        }
    }

    fn trace_to(&self, to: &str) -> TokenStream {
        if !self.trace {
            return TokenStream::new();
        }
        let (function, from) = (&self.function, self.state_names[self.region].to_string());
        quote!(::explicit_async::__private::trace(#function, #from, #to);)
    }

    // ---- leaving the arm ----

    /// Suspends at an await: builds its future and writes its state.
    fn suspend(&mut self, a: usize) -> Code {
        let operand = self.finalize_expr(&self.points[a].operand.clone());
        let machine = &self.machine;
        let name = &self.state_names[self
            .flow
            .region_at(Entry::Resume(a))
            .expect("a region per await")];
        let fields = self.variant_fields(&self.storage.at_await[a]);
        let (state, fut) = (self.state_expr(), mixed("fut"));
        let trace = self.trace_to(&name.to_string());
        let dispatch = dispatch_label();
        Code::new(
            quote!({
                let #fut = ::core::future::IntoFuture::into_future(#operand);
                #trace
                *#state = #machine::#name {
                    #fut: ::explicit_async::__private::Awaiting::new(#fut),
                    #(#fields,)*
                };
                continue #dispatch;
            }),
            false,
        )
    }

    /// `field: variable` for each variant local of a state, newest first
    /// (a variant's fields drop in order: the future, then the newest local).
    fn variant_fields(&self, stored: &[LocalId]) -> Vec<TokenStream> {
        self.storage
            .variant_locals(stored)
            .into_iter()
            .rev()
            .map(|l| {
                let field = self.field_name(l);
                let var = self.real_name(l, self.locals.locals[l].name.span());
                quote!(#field: #var)
            })
            .collect()
    }

    /// Jumps to a join: writes its state (with the construct's value) and dispatches.
    fn goto(&self, entry: Entry, value: Option<TokenStream>) -> TokenStream {
        let region = self.flow.region_at(entry).expect("a join");
        let machine = &self.machine;
        let name = &self.state_names[region];
        let stored = self
            .storage
            .at_join
            .get(&region)
            .cloned()
            .unwrap_or_default();
        let fields = self.variant_fields(&stored);
        let state = self.state_expr();
        let trace = self.trace_to(&name.to_string());
        let value_name = mixed("value");
        let value_field = matches!(entry, Entry::After(_)).then(|| {
            let v = value.clone().unwrap_or_else(|| quote!(()));
            quote!(#value_name: #v,)
        });
        let dispatch = dispatch_label();
        quote!({
            #trace
            *#state = #machine::#name { #value_field #(#fields,)* };
            continue #dispatch;
        })
    }

    /// The code of a `break`/`continue` to an IR construct.
    pub fn jump_code(&self, jump: &Jump, value: Option<TokenStream>) -> Expr {
        match jump {
            Jump::Goto(entry) => {
                let code = self.goto(*entry, value);
                syn::parse_quote!(#code)
            }
            Jump::Break(label) => {
                if let Some(t) = self
                    .jumps
                    .iter()
                    .find(|t| matches!(&t.on_break, Jump::Break(l) if l == label))
                {
                    t.broken.set(true);
                }
                match value {
                    Some(v) => syn::parse_quote!(break #label (#v)),
                    None => syn::parse_quote!(break #label),
                }
            }
            Jump::Continue(label) => syn::parse_quote!(continue #label),
        }
    }

    // ---- continuations ----

    fn continuation(&mut self, entry: Entry) -> Code {
        let body = self.body;
        match entry {
            Entry::Start => self.forward_stmts(&body.stmts),
            _ => self
                .resume_stmts(body, entry)
                .unwrap_or_else(|| Code::new(quote!(::core::unreachable!()), false)),
        }
    }

    /// The statements of `block` from the entry (inside one of them) on.
    fn resume_stmts(&mut self, block: &'a Block, entry: Entry) -> Option<Code> {
        let index = block.stmts.iter().position(|s| stmt_contains(s, entry))?;
        let restore = self.restore_scope(block.scope, entry);
        let last = index + 1 == block.stmts.len();
        let first = self.resume_stmt(&block.stmts[index], entry, last);
        let mut tokens = restore;
        tokens.extend(first.tokens);
        if !first.completes {
            return Some(Code::new(tokens, false));
        }
        let rest = self.forward_stmts(&block.stmts[index + 1..]);
        tokens.extend(rest.tokens);
        Some(Code::new(tokens, rest.completes))
    }

    /// Rebinds the variant locals of `scope` the arm took out of its state.
    fn restore_scope(&self, scope: ScopeId, entry: Entry) -> TokenStream {
        // The arm binds every variant local at its top; a local of an inner
        // scope is moved into that scope, so that it drops where its scope ends.
        if scope == 0 || entry == Entry::Start {
            return TokenStream::new();
        }
        let declarations = self.uninit_declarations(scope, entry);
        let stored = self.stored_at_entry(entry);
        let lets = self
            .storage
            .variant_locals(&stored)
            .into_iter()
            .filter(|&l| self.locals.locals[l].scope == scope)
            .map(|l| {
                let var = self.real_name(l, self.locals.locals[l].name.span());
                let mutability = self.locals.locals[l].mutable.then(|| quote!(mut));
                quote!(let #mutability #var = #var;)
            });
        quote!(#(#lets)* #declarations)
    }

    /// Locals of `scope` in scope at the entry that hold no value there (a
    /// `let x;`, or moved out) and are assigned later: declared again.
    fn uninit_declarations(&self, scope: ScopeId, entry: Entry) -> TokenStream {
        if entry == Entry::Start {
            return TokenStream::new();
        }
        let Some(node) = self.flow.entry_node(entry) else {
            return TokenStream::new();
        };
        let stored = self.stored_at_entry(entry);
        let lets = self.flow.init_in[node]
            .keys()
            .copied()
            .filter(|l| {
                self.locals.locals[*l].scope == scope
                    && !stored.contains(l)
                    && !self.storage.is_slot(*l)
                    && self
                        .locals
                        .uses
                        .iter()
                        .any(|u| u.local == *l && u.kind == super::locals::UseKind::Assign)
            })
            .map(|l| {
                let var = self.real_name(l, self.locals.locals[l].name.span());
                let ty = self.locals.locals[l].ty.as_ref().map(|t| quote!(: #t));
                quote!(let mut #var #ty;)
            });
        quote!(#(#lets)*)
    }

    fn resume_stmt(&mut self, stmt: &'a Stmt, entry: Entry, last: bool) -> Code {
        match stmt {
            Stmt::Plain(_) => Code::new(quote!(::core::unreachable!()), false),
            Stmt::Let { attrs, pat, init } => {
                let code = self.resume_node(init, entry);
                self.bind_let(attrs, pat, code)
            }
            Stmt::Expr { node, semi } => {
                let code = self.resume_node(node, entry);
                Code::new(end_stmt(code.tokens, *semi || !last), code.completes)
            }
        }
    }

    fn resume_node(&mut self, node: &'a Node, entry: Entry) -> Code {
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
    fn after_node(&mut self, node: &Node, code: Code) -> Code {
        let Some(id) = node.id() else { return code };
        if matches!(node, Node::Loop { .. }) || !code.completes || !self.is_join(Entry::After(id)) {
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
    fn loop_code(
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
            // Entered here and never re-entered from another arm: a plain `loop`.
            let rust_label = self.fresh_label("loop");
            self.jumps.push(JumpTarget {
                label: label.map(|l| l.name.ident.to_string()),
                is_loop: true,
                on_break: if after_is_join {
                    Jump::Goto(Entry::After(id))
                } else {
                    Jump::Break(rust_label.clone())
                },
                on_continue: Some(Jump::Continue(rust_label.clone())),
                broken: Cell::new(false),
            });
            let code = self.block_code(body, |s| s.forward_stmts(&body.stmts));
            let tokens = code.tokens;
            self.jumps.pop();
            return Code::new(quote!(#rust_label: loop { #tokens }), true);
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
            let clears = self.clears_within(id);
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
    fn block_code(&mut self, block: &'a Block, inner: impl FnOnce(&mut Self) -> Code) -> Code {
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
        let tokens = code.tokens;
        let (tokens, completes) = match (broken, &rust_label) {
            (true, Some(label)) => {
                let clears = self.clears_within(block.id);
                let value = mixed("value");
                (
                    quote!({ let #value = #label: #unsafety { #tokens }; #clears #value }),
                    true,
                )
            }
            _ => {
                let clears = self.scope_clears(block.scope);
                if code.completes && !clears.is_empty() {
                    let value = mixed("value");
                    (
                        quote!({ let #value = #unsafety { #tokens }; #clears #value }),
                        true,
                    )
                } else {
                    (quote!(#unsafety { #tokens }), code.completes)
                }
            }
        };
        Code::new(tokens, completes)
    }

    /// An arm's scope: its locals rebound, its slots ended where it completes.
    fn scoped(&self, scope: ScopeId, restore: TokenStream, body: Code) -> Code {
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

    fn forward_stmts(&mut self, stmts: &'a [Stmt]) -> Code {
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

    fn forward_stmt(&mut self, stmt: &'a Stmt, last: bool) -> Code {
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

    fn forward_node(&mut self, node: &'a Node) -> Code {
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
                let scrutinee = self.finalize_expr(scrutinee);
                let mut completes = false;
                let arms: Vec<TokenStream> = arms
                    .iter()
                    .map(|arm| {
                        let (tokens, c) = self.match_arm(arm);
                        completes |= c;
                        tokens
                    })
                    .collect();
                Code::new(quote!(match #scrutinee { #(#arms)* }), completes)
            }
            Node::Loop { id, label, body } => self.loop_code(*id, label.as_ref(), body, None),
        };
        self.after_node(node, code)
    }

    fn match_arm(&mut self, arm: &'a Arm) -> (TokenStream, bool) {
        let pat = self.finalize_pat(&arm.pat);
        let guard = arm.guard.as_ref().map(|g| {
            let g = self.finalize_expr(g);
            quote!(if #g)
        });
        let inits = self.slot_inits(&arm.pat);
        let body = self.forward_node(&arm.body);
        let code = self.scoped(arm.scope, inits, body);
        let attrs = &arm.attrs;
        let tokens = code.tokens;
        (quote!(#(#attrs)* #pat #guard => #tokens,), code.completes)
    }

    /// `let PAT = <code>;`, then the pattern's slot locals moved into their slots.
    fn bind_let(&mut self, attrs: &[syn::Attribute], pat: &Pat, code: Code) -> Code {
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
    fn slot_inits(&self, pat: &Pat) -> TokenStream {
        let frame = self.frame_expr();
        let inits = super::cfg::pattern_locals(pat)
            .into_iter()
            .filter(|&l| self.storage.is_slot(l))
            .map(|l| {
                let (field, value) = (self.field_name(l), self.slot_value_name(l));
                quote!(let #field = #frame.#field.init(#value);)
            });
        quote!(#(#inits)*)
    }

    /// A plain statement; a `let` of slot locals moves them into their slots.
    fn plain_stmt(&mut self, stmt: &syn::Stmt) -> Code {
        let mut finalized = stmt.clone();
        Finalize::new(self).visit_stmt_mut(&mut finalized);
        let (inits, completes) = match stmt {
            syn::Stmt::Local(local) if local.init.is_none() => {
                (self.slot_declarations(&local.pat), true)
            }
            syn::Stmt::Local(local) => (self.slot_inits(&local.pat), true),
            syn::Stmt::Expr(e, _) => (TokenStream::new(), !diverges(e)),
            _ => (TokenStream::new(), true),
        };
        Code::new(quote!(#finalized #inits), completes)
    }

    /// `let x;` of a slot: its pointer, the slot still empty.
    fn slot_declarations(&self, pat: &Pat) -> TokenStream {
        let frame = self.frame_expr();
        let lets = super::cfg::pattern_locals(pat)
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
        Finalize::new(self).visit_expr_mut(&mut expr);
        expr
    }

    fn finalize_pat(&self, pat: &Pat) -> Pat {
        let mut pat = pat.clone();
        Finalize::new(self).visit_pat_mut(&mut pat);
        pat
    }
}

/// The pieces a [`Lowerer`] is built from.
pub struct LowererParts<'a> {
    pub locals: &'a Locals,
    pub flow: &'a Flow,
    pub storage: &'a Storage,
    pub points: &'a [AwaitPoint],
    pub macros: &'a [syn::Macro],
    pub body: &'a Block,
    pub machine: Ident,
    pub trace: bool,
    pub function: String,
    pub output: Option<TokenStream>,
    pub state_names: Vec<Ident>,
    pub inner_scopes: BTreeMap<NodeId, Vec<ScopeId>>,
}

/// `code;` as a statement, or as a block's value.
fn end_stmt(tokens: TokenStream, semi: bool) -> TokenStream {
    if semi { quote!(#tokens;) } else { tokens }
}

/// A plain expression that never completes: `return`, `break`, `continue`.
fn diverges(expr: &Expr) -> bool {
    matches!(expr, Expr::Return(_) | Expr::Break(_) | Expr::Continue(_))
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

/// Unique names for the locals: the first of each name keeps it (and the
/// user's span), later ones get `_2`, `_3`, …; `self` is `this`.
fn unique_names(locals: &Locals) -> (Vec<Ident>, Vec<bool>) {
    // The fields and variables the expansion itself uses.
    let mut taken: Vec<String> = super::signature::RESERVED
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut names = Vec::new();
    let mut keeps = Vec::new();
    for local in &locals.locals {
        let written = local.name.to_string();
        let base = match written.as_str() {
            "self" => "this".to_string(),
            other => other.trim_start_matches("r#").to_string(),
        };
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        keeps.push(!local.internal && name == written);
        names.push(Ident::new(&name, Span::mixed_site()));
        taken.push(name);
    }
    (names, keeps)
}
