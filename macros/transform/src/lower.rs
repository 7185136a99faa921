//! The poll arms. Each arm is one region of the body (see
//! [`flow`](crate::flow)): the code from where it starts (the first poll,
//! the await it resumes, or a join) up to where it suspends, jumps to a
//! join, or returns. Code between awaits stays the user's code, and each
//! piece of it is written in exactly one arm.
//!
//! An arm that starts inside nested blocks reopens them, so that the locals
//! it takes back out of the state are dropped where rustc drops them.

use crate::finalize::ret_label;
use crate::flow::{Entry, Flow, RegionId};
use crate::ir::{AwaitPoint, Block, NodeId, ScopeId};
use crate::locals::{LocalId, LocalKind, Locals};
use crate::storage::Storage;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use std::cell::Cell;
use std::collections::BTreeMap;
use syn::{Expr, Ident};

mod slots;

pub fn mixed(name: &str) -> Ident {
    crate::names::ident(name, Span::mixed_site())
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
    pub(crate) fn new(tokens: TokenStream, completes: bool) -> Code {
        Code { tokens, completes }
    }
}

pub struct Lowerer<'a> {
    pub locals: &'a Locals,
    pub flow: &'a Flow,
    /// Where each local lives in the code of the region being lowered.
    pub storage: &'a Storage,
    /// Where each local lives across the whole machine (the frame's slots).
    pub frame_storage: &'a Storage,
    /// The storage of each region that releases slots (see [`crate::release`]).
    region_storage: &'a BTreeMap<RegionId, Storage>,
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
    completes: Cell<bool>,
    /// The states the arm being lowered can write (for the state graph).
    written: std::cell::RefCell<Vec<RegionId>>,
}

impl<'a> Lowerer<'a> {
    pub fn new(parts: LowererParts<'a>) -> Self {
        let (names, mut keeps_user_name) = unique_names(parts.locals);
        // A local whose name other code binds untracked is named out of the
        // user's reach, unless a macro's tokens name it (they resolve there).
        let shadowing = crate::shadowed::plain_bindings(parts.body);
        for (local, keeps) in keeps_user_name.iter_mut().enumerate() {
            let named_in_tokens = (parts.locals.uses.iter())
                .any(|u| u.local == local && u.kind == crate::locals::UseKind::Opaque);
            if shadowing.contains(&names[local].to_string()) && !named_in_tokens {
                *keeps = false;
            }
        }
        Lowerer {
            locals: parts.locals,
            flow: parts.flow,
            storage: parts.storage,
            frame_storage: parts.storage,
            region_storage: parts.region_storage,
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
            completes: Cell::new(false),
            written: std::cell::RefCell::new(Vec::new()),
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
            crate::names::ident(&self.names[local].to_string(), declared.located_at(at))
        } else {
            crate::names::ident(
                &self.names[local].to_string(),
                Span::mixed_site().located_at(at),
            )
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

    pub(crate) fn state_expr(&self) -> Ident {
        mixed("state")
    }

    pub(crate) fn fresh_label(&self, what: &str) -> syn::Lifetime {
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

    /// The states this region's arm can write, and whether it can return
    /// (after [`arm`](Self::arm)).
    pub fn arm_transitions(&self) -> (Vec<RegionId>, bool) {
        let mut written = self.written.borrow().clone();
        written.dedup();
        (written, self.completes.get())
    }

    /// Is the local used (read, assigned) in the code of the region being lowered?
    pub(crate) fn used_in_region(&self, local: LocalId) -> bool {
        let cfg = &self.flow.cfg;
        (0..cfg.succ.len())
            // (A node several regions reach is emitted in each of their arms;
            // one no code reaches may be written in any.)
            .filter(|&node| {
                let reached_by = &self.flow.reached_by[node];
                reached_by.contains(&self.region) || reached_by.is_empty()
            })
            .flat_map(|node| cfg.effects[node].iter())
            .any(|effect| matches!(effect, crate::cfg::Effect::Use(u) if self.locals.uses[*u].local == local))
    }

    /// The match arm of one region.
    pub fn arm(&mut self, region: RegionId) -> TokenStream {
        self.storage = self
            .region_storage
            .get(&region)
            .unwrap_or(self.frame_storage);
        let arm = self.arm_in_region(region);
        self.storage = self.frame_storage;
        arm
    }

    fn arm_in_region(&mut self, region: RegionId) -> TokenStream {
        self.region = region;
        self.ret_used.set(false);
        self.slot_used.set(false);
        self.written.borrow_mut().clear();
        self.jumps.clear();
        let entry = self.flow.regions[region];
        let machine = self.machine.clone();
        let name = self.state_names[region].clone();
        let state = self.state_expr();
        let stored = self.stored_at_entry(entry);
        let taken: Vec<LocalId> = match entry {
            Entry::Start => stored.clone(),
            _ => self.frame_storage.variant_locals(&stored),
        };
        let mut fields = Vec::new();
        let mut targets = Vec::new();
        for &l in &taken {
            let field = self.field_name(l);
            if self.storage.is_slot(l) {
                targets.push(quote!(#field));
            } else {
                let var = self.real_name(l, self.locals.locals[l].name.span());
                let mutability = self.locals.locals[l].mutable.then(|| quote!(mut));
                targets.push(quote!(#mutability #var));
            }
            fields.push(field);
        }
        let value = mixed("value");
        if matches!(entry, Entry::After(_)) {
            fields.insert(0, value.clone());
            targets.insert(0, quote!(#value));
        }
        let take = if fields.is_empty() {
            // A state that holds nothing (a loop's head, or a waiting state
            // whose future `poll` dropped) stays while the arm runs: were it
            // to panic, the unwind leaves `Running` all the same. Only a
            // frame's `drop_suspended` would clear slots for a waiting state.
            let drops_slots = matches!(entry, Entry::Resume(_))
                && !crate::frame_drop::fields_drop_in_rustc_order(self.frame_storage);
            let running = drops_slots.then(|| quote!(*#state = #machine::Running;));
            quote!(#running)
        } else {
            // Shorthand where the names agree (`{ mut content, .. }`): the
            // binding keeps the variable's hygiene, the field matches by name.
            let mut bindings: Vec<TokenStream> = fields
                .iter()
                .zip(&targets)
                .map(|(field, target)| {
                    let name = target.to_string();
                    if *field == name || name == format!("mut {field}") {
                        quote!(#target)
                    } else {
                        quote!(#field: #target)
                    }
                })
                .collect();
            // `..`: the waiting states also hold their future.
            if matches!(entry, Entry::Resume(_)) {
                bindings.push(quote!(..));
            }
            quote! {
                __private::take!(#state, #machine::#name { #(#bindings),* });
            }
        };
        let (older_declarations, declarations) = self.declarations_around(0, entry, &taken, false);
        let landing = match entry {
            Entry::After(id) | Entry::LoopHead(id) => self.clears_within(id),
            _ => TokenStream::new(),
        };
        let code = self.continuation(entry);
        // The pointers of the slots the arm's code names.
        let named: Vec<LocalId> = self
            .slots_in_scope(entry, &stored)
            .into_iter()
            .filter(|&l| {
                entry == Entry::Start
                    || crate::names::mentions_ident(&code.tokens, &self.names[l].to_string())
            })
            .collect();
        let pointers = self.slot_pointers(&named, entry);
        let released = self.released_slots(region);
        // The locals taken out of the state are bound inside the arm's
        // result block: they drop before the slots are cleared.
        let code_tokens = code.tokens;
        let code = Code::new(
            quote!(#older_declarations #released #take #pointers #declarations #code_tokens),
            code.completes,
        );
        let body = self.finish_arm(code);
        let inner = quote! {
            #landing
            #body
        };
        // An arm that dereferences a slot's pointer is an `unsafe` block:
        // the whole of it (its code is the user's, checked by the witness).
        let unsafety = self.slot_used.get().then(|| quote!(unsafe));
        match entry {
            Entry::Resume(_) => {
                let (output, fut, cx) = (mixed("output"), mixed("fut"), mixed("cx"));
                quote! {
                    #machine::#name { #fut, .. } => #unsafety {
                        let #output = ::core::task::ready!(#fut.poll(#cx));
                        #inner
                    }
                }
            }
            _ if fields.is_empty() => quote!(#machine::#name => #unsafety { #inner }),
            _ => quote!(#machine::#name { .. } => #unsafety { #inner }),
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

    /// The arm's code, leaving through `'ret` to `Done`.
    pub(crate) fn finish_arm(&self, code: Code) -> TokenStream {
        self.completes.set(code.completes || self.ret_used.get());
        let tokens = code.tokens;
        if !code.completes && !self.ret_used.get() {
            return tokens;
        }
        let machine = &self.machine;
        let state = self.state_expr();
        let ret = mixed("ret");
        let value = if self.ret_used.get() {
            let label = ret_label();
            quote!(#label: { #tokens })
        } else {
            quote!({ #tokens })
        };
        // The slots end after the arm's locals (in the value's block), and
        // the state is `Done` after both.
        let clears = self.clears(self.storage.slots.keys().copied().collect());
        let trace = self.trace_to("Done");
        // Typed as the function returns: a type error in the body is reported
        // at the user's expression, where the witness reports it too (once).
        let typed = self.output.as_ref().map(|t| quote!(: #t));
        quote! {
            let #ret #typed = #value;
            #clears
            #trace
            return __private::ready(#state, #machine::Done, #ret);
        }
    }

    pub(crate) fn trace_to(&self, to: &str) -> TokenStream {
        if !self.trace {
            return TokenStream::new();
        }
        let from = self.state_names[self.region].to_string();
        let trace = mixed("trace");
        quote!(#trace(#from, #to);)
    }

    // ---- leaving the arm ----

    /// Suspends at an await: builds its future and writes its state.
    pub(crate) fn suspend(&mut self, a: usize) -> Code {
        // After code that never completes (`let x = unimplemented!();`):
        // control does not reach the await, which has no state.
        let Some(region) = self.flow.region_at(Entry::Resume(a)) else {
            return Code::new(quote!(::core::unreachable!()), false);
        };
        let operand = self.finalize_expr(&self.points[a].operand.clone());
        let machine = &self.machine;
        let name = &self.state_names[region];
        let stored = &self.storage.at_await[a];
        let fields = self.variant_fields(stored);
        let put_back = self.put_back(stored);
        let (state, fut) = (self.state_expr(), mixed("fut"));
        let trace = self.trace_to(&name.to_string());
        let dispatch = dispatch_label();
        Code::new(
            quote!({
                let #fut = __private::Awaiting::new(#operand);
                #put_back
                __private::set!(#state, #machine::#name { #fut #(, #fields)* });
                #trace
                continue #dispatch;
            }),
            false,
        )
    }

    /// `field: variable` for each variant local of a state, newest first
    /// (a variant's fields drop in order: the future, then the newest local).
    pub(crate) fn variant_fields(&self, stored: &[LocalId]) -> Vec<TokenStream> {
        self.frame_storage
            .variant_locals(stored)
            .into_iter()
            .rev()
            .map(|l| {
                let field = self.field_name(l);
                let var = self.real_name(l, self.locals.locals[l].name.span());
                if field == var {
                    quote!(#var)
                } else {
                    quote!(#field: #var)
                }
            })
            .collect()
    }

    /// Jumps to a join: writes its state (with the construct's value) and dispatches.
    pub(crate) fn goto(&self, entry: Entry, value: Option<TokenStream>) -> TokenStream {
        let region = self.flow.region_at(entry).expect("a join");
        self.written.borrow_mut().push(region);
        let machine = &self.machine;
        let name = &self.state_names[region];
        let stored = self
            .storage
            .at_join
            .get(&region)
            .cloned()
            .unwrap_or_default();
        let fields = self.variant_fields(&stored);
        let put_back = self.put_back(&stored);
        let state = self.state_expr();
        let trace = self.trace_to(&name.to_string());
        let value_name = mixed("value");
        let mut value_first = TokenStream::new();
        let value_field = matches!(entry, Entry::After(_)).then(|| {
            let v = value.clone().unwrap_or_else(|| quote!(()));
            if put_back.is_empty() {
                quote!(#value_name: #v)
            } else {
                // Evaluated before the released locals go back to their
                // slots: it may name them (`break f(&mut c1(0))`).
                value_first = quote!(let #value_name = #v;);
                quote!(#value_name: #value_name)
            }
        });
        let dispatch = dispatch_label();
        // No trailing comma: `set!` writes the fields on one line.
        let fields: Vec<TokenStream> = value_field.into_iter().chain(fields).collect();
        let next = if fields.is_empty() {
            quote!(#machine::#name)
        } else {
            quote!(#machine::#name { #(#fields),* })
        };
        quote!({
            #value_first
            #put_back
            #trace
            __private::set!(#state, #next);
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
}

/// The pieces a [`Lowerer`] is built from.
pub struct LowererParts<'a> {
    pub locals: &'a Locals,
    pub flow: &'a Flow,
    pub storage: &'a Storage,
    pub region_storage: &'a BTreeMap<RegionId, Storage>,
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

/// Unique names for the locals: the first of each name keeps it (and the
/// user's span), later ones get `_2`, `_3`, …; `self` is `this`. The
/// user's locals are named first, so that a temporary never takes a name
/// the user wrote. A name `x` also takes `x_value`, the name of what a
/// slot local's pattern binds ([`Lowerer::slot_value_name`]).
pub fn unique_names(locals: &Locals) -> (Vec<Ident>, Vec<bool>) {
    // The fields and variables the expansion itself uses.
    let mut taken: Vec<String> = crate::signature::RESERVED
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut names = vec![None; locals.locals.len()];
    let mut keeps = vec![false; locals.locals.len()];
    let users_first = (0..locals.locals.len()).filter(|&l| !locals.locals[l].internal);
    let internal = (0..locals.locals.len()).filter(|&l| locals.locals[l].internal);
    for local in users_first.chain(internal) {
        let written = locals.locals[local].name.to_string();
        let base = match written.as_str() {
            "self" => "this".to_string(),
            other => other.trim_start_matches("r#").to_string(),
        };
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) || taken.contains(&format!("{name}_value")) {
            name = format!("{base}_{n}");
            n += 1;
        }
        keeps[local] = !locals.locals[local].internal && name == written;
        names[local] = Some(crate::names::ident(&name, Span::mixed_site()));
        taken.push(format!("{name}_value"));
        taken.push(name);
    }
    (
        names
            .into_iter()
            .map(|n| n.expect("every local is named"))
            .collect(),
        keeps,
    )
}
