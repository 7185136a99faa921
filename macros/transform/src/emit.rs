//! Puts the expansion together: the rewritten signature, the borrow-check
//! witness, the state enum (and the frame, when locals live in slots), and
//! the poll closure with one arm per region, in source order.

use crate::Prepared;
use crate::flow::Entry;
use crate::lower::{Lowerer, LowererParts, mixed};
use crate::names::upper_camel;
use crate::signature::{self, Signature};
use crate::storage::SlotReason;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;
use syn::{Ident, ItemFn};

/// The machine's lints, inner attributes of the block that is the
/// function's value (the machine). The user's code in it is a copy: rustc
/// lints it as written in the witness, so here every warning is allowed,
/// and the lints that deny by default which the machine's own code trips:
/// a method called on a slot's place (`(*buf).len()`) autorefs a raw
/// pointer's target, which the machine keeps valid. `unreachable_code` by
/// name too: a crate's `#![deny(unreachable_code)]` is not a warning, and
/// the machine's code after an await of `!` is unreachable. Then Clippy's
/// groups, every one (a crate may deny any of them).
fn allow_list() -> TokenStream {
    quote! {
        #![allow(warnings, unreachable_code, clippy::all, clippy::pedantic)]
        #![allow(dangerous_implicit_autorefs, clippy::nursery, clippy::restriction)]
    }
}

/// The body as written, inside an `async` block that is type- and
/// borrow-checked but never run: rustc reports the user's errors (and lints)
/// here, where it would for the `async fn` itself.
pub fn witness(function: &ItemFn, signature: &Signature) -> TokenStream {
    let mut body = function.block.as_ref().clone();
    syn::visit_mut::VisitMut::visit_block_mut(&mut crate::StripStateAttrs, &mut body);
    let prelude = &signature.witness_prelude;
    let stmts = &body.stmts;
    let output = signature::output_type(function);
    // The output type written on the body's value: a type error is reported
    // at the user's expression, and `?` knows its target. The `return` after
    // it is unreachable when the body diverges, needless, and names `_value`
    // (without the underscore, a body that diverges leaves it unused): those
    // lints are the witness's own statement's.
    let typed = signature::output_is_nameable(function).then(|| quote!(: #output));
    let value = Ident::new("_value", Span::mixed_site());
    // `mut self`: the `async move` block captures the fields it writes one
    // by one, and rustc lints a field written and not read again there
    // ("value captured by `self.k` is never read"), never in an `async fn`.
    let mut_self = function.sig.inputs.iter().any(
        |a| matches!(a, syn::FnArg::Receiver(r) if r.reference.is_none() && r.mutability.is_some()),
    );
    let allow = mut_self.then(|| quote!(#[allow(unused_assignments)]));
    quote! {
        // The borrow-check witness: the body as written, checked by rustc, never run.
        if false {
            #allow
            ::explicit_async::__private::witness(async move {
                let #value #typed = { #(#prelude)* #(#stmts)* };
                #[allow(unreachable_code, clippy::style, clippy::pedantic)]
                return #value;
            });
        }
    }
}

/// The names of the states: `Start`, `WaitingOn…` per await, joins after
/// the construct they follow, numbered when repeated.
pub fn state_names(
    flow: &crate::flow::Flow,
    points: &[crate::ir::AwaitPoint],
    node_info: &BTreeMap<crate::ir::NodeId, (&'static str, usize)>,
) -> syn::Result<Vec<Ident>> {
    let mut names: Vec<String> = Vec::new();
    let mut explicit: Vec<&Ident> = Vec::new();
    for point in points {
        if let Some(named) = &point.named {
            if let Some(first) = explicit.iter().find(|e| **e == named) {
                let mut error = syn::Error::new(
                    named.span(),
                    format!(
                        "the state name `{named}` is used twice; each `#[state(..)]` must name a different state"
                    ),
                );
                error.combine(syn::Error::new(first.span(), "first used here"));
                return Err(error);
            }
            explicit.push(named);
        }
    }
    for entry in &flow.regions {
        let base = match entry {
            Entry::Start => "Start".to_string(),
            Entry::Resume(a) => match &points[*a].named {
                Some(named) => format!("WaitingOn{named}"),
                None => format!("WaitingOn{}", points[*a].callee),
            },
            Entry::After(id) => {
                let kind = node_info.get(id).map_or("Block", |(k, _)| *k);
                format!("After{kind}")
            }
            Entry::LoopHead(id) => {
                let kind = node_info.get(id).map_or("Loop", |(k, _)| *k);
                format!("{kind}Head")
            }
        };
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name) || name == "Done" || name == "Running" {
            name = format!("{base}{n}");
            n += 1;
        }
        names.push(name);
    }
    Ok(names
        .into_iter()
        .map(|n| Ident::new(&n, Span::call_site()))
        .collect())
}

/// Generic parameter names, from what they hold, unique.
struct Generics {
    taken: Vec<String>,
}

impl Generics {
    fn name(&mut self, base: &str) -> Ident {
        let base = if base.is_empty() {
            "Value".to_string()
        } else {
            base.to_string()
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.push(name.clone());
        Ident::new(&name, Span::call_site())
    }
}

/// The lowerer of a prepared function's arms.
fn lowerer(p: &Prepared) -> Lowerer<'_> {
    Lowerer::new(LowererParts {
        locals: &p.locals,
        flow: &p.flow,
        storage: &p.storage,
        region_storage: &p.region_storage,
        points: &p.points,
        macros: &p.macros,
        body: &p.body,
        machine: p.machine_name(),
        trace: p.options.trace,
        function: p.function_name(),
        output: signature::output_is_nameable(&p.function)
            .then(|| signature::output_type(&p.function)),
        state_names: p.states.clone(),
        inner_scopes: inner_scopes(p),
    })
}

/// For each state, the states its arm can write and whether it can return.
pub fn transitions(p: &Prepared) -> Vec<(Vec<usize>, bool)> {
    let mut lower = lowerer(p);
    (0..p.flow.regions.len())
        .map(|region| {
            lower.arm(region);
            lower.arm_transitions()
        })
        .collect()
}

pub fn machine(p: &Prepared) -> TokenStream {
    let states = p.states.clone();
    let f = &p.function;
    let machine = p.machine_name();
    let private = quote!(__private);
    let mut lower = lowerer(p);

    // One generic per stored local (variant or slot), per future, per join value.
    let mut generics = Generics {
        taken: vec![machine.to_string(), "State".to_string()],
    };
    let mut local_generic: BTreeMap<usize, Ident> = BTreeMap::new();
    let generic_of = |l: usize,
                      lower: &Lowerer<'_>,
                      generics: &mut Generics,
                      local_generic: &mut BTreeMap<usize, Ident>|
     -> Ident {
        local_generic
            .entry(l)
            .or_insert_with(|| generics.name(&upper_camel(&lower.names[l].to_string())))
            .clone()
    };
    let mut enum_generics: Vec<Ident> = Vec::new();
    let mut variants = Vec::new();
    let fn_name = p.function_name();
    for (region, entry) in p.flow.regions.iter().enumerate() {
        let name = &states[region];
        let stored = lower.stored_at_entry(*entry);
        let locals: Vec<usize> = match entry {
            Entry::Start => stored.clone(),
            _ => p.storage.variant_locals(&stored),
        };
        let mut fields = Vec::new();
        let doc = match entry {
            Entry::Start => " Not yet polled: holds the arguments.".to_string(),
            Entry::Resume(a) => {
                let point = &p.points[*a];
                let future = Ident::new(
                    &format!("{}Future", name.to_string().trim_start_matches("WaitingOn")),
                    Span::call_site(),
                );
                let future = generics.name(&future.to_string());
                enum_generics.push(future.clone());
                fields.push(quote! {
                    #[doc = " The future being awaited, pinned here until it is ready."]
                    fut: #private::Awaiting<#future>
                });
                format!(" Waiting on `{}` (line {}).", point.text, point.line)
            }
            Entry::After(id) => {
                let value = generics.name(&format!("{name}Value"));
                enum_generics.push(value.clone());
                fields.push(quote! {
                    #[doc = " The value of the construct."]
                    value: #value
                });
                let (kind, l) = p.node_info.get(id).copied().unwrap_or(("block", 0));
                format!(
                    " After the `{}` at line {l}, where code from more than one arm continues (not an await).",
                    kind.to_lowercase()
                )
            }
            Entry::LoopHead(id) => {
                let (kind, l) = p.node_info.get(id).copied().unwrap_or(("loop", 0));
                format!(
                    " At the top of the `{}` loop at line {l}, where more than one arm continues (not an await).",
                    kind.to_lowercase()
                )
            }
        };
        // Newest first: a variant's fields drop in order, the future first.
        let ordered: Vec<usize> = match entry {
            Entry::Start => locals.clone(),
            _ => locals.iter().rev().copied().collect(),
        };
        for l in ordered {
            let generic = generic_of(l, &lower, &mut generics, &mut local_generic);
            if !enum_generics.contains(&generic) {
                enum_generics.push(generic.clone());
            }
            let field = lower.field_name(l);
            let doc = local_doc(p, l);
            fields.push(quote!(#[doc = #doc] #field: #generic));
        }
        // A state that holds nothing (a loop's head) is a unit variant.
        variants.push(if fields.is_empty() {
            quote!(#[doc = #doc] #name)
        } else {
            quote!(#[doc = #doc] #name { #(#fields,)* })
        });
    }

    // The arms, in source order.
    let mut arms = Vec::new();
    for region in 0..p.flow.regions.len() {
        arms.push(lower.arm(region));
    }

    let machine_doc = format!(
        " State machine of `async fn {fn_name}` (line {}): one state per `.await`.",
        f.sig.ident.span().start().line
    );
    let slots: Vec<usize> = {
        let mut s: Vec<usize> = p.storage.slots.keys().copied().collect();
        s.sort_by_key(|&l| std::cmp::Reverse(p.locals.locals[l].decl));
        s
    };
    let (state, frame, cx) = (mixed("state"), mixed("frame"), mixed("cx"));
    let dispatch = crate::lower::dispatch_label();
    let start = start_state(p, &lower, &machine);
    let (frame_def, initial, param, open_state) = if slots.is_empty() {
        (TokenStream::new(), start, state.clone(), TokenStream::new())
    } else {
        let frame_name = format_ident!("{}Frame", machine);
        let slot_generics: Vec<Ident> = slots
            .iter()
            .map(|&l| generics.name(&upper_camel(&lower.names[l].to_string())))
            .collect();
        let slot_type = |l: usize| {
            if p.storage.is_part_slot(l) {
                quote!(#private::PartSlot)
            } else {
                quote!(#private::Slot)
            }
        };
        let slot_fields = slots.iter().zip(&slot_generics).map(|(&l, g)| {
            let field = lower.field_name(l);
            let doc = slot_doc(p, &lower, l);
            let ty = slot_type(l);
            quote!(#[doc = #doc] #field: #ty<#g>)
        });
        let empty = slots.iter().map(|&l| lower.field_name(l));
        let frame_doc = format!(
            " The state of `async fn {fn_name}`, and the locals that must not move while \
             it is suspended."
        );
        // The state's type is one generic of the frame (`State`), unless
        // the frame's `Drop` names its variants: a `Drop` impl is for every
        // type the struct's generics may stand for, so it takes the state
        // enum's generics then.
        let state_generic = Ident::new("State", Span::call_site());
        let (state_generics, state_type) =
            if crate::frame_drop::fields_drop_in_rustc_order(&p.storage) {
                (vec![&state_generic], quote!(#state_generic))
            } else {
                (
                    enum_generics.iter().collect(),
                    quote!(#machine<#(#enum_generics),*>),
                )
            };
        let all_generics: Vec<&Ident> = state_generics.into_iter().chain(&slot_generics).collect();
        let impls = crate::frame_drop::frame_impls(p, &lower, &frame_name, &all_generics);
        (
            quote! {
                #[doc = #frame_doc]
                struct #frame_name<#(#all_generics),*> {
                    #[doc = " Which state the function is in, and what that state holds."]
                    #state: #state_type,
                    #(#slot_fields,)*
                }
                #impls
            },
            quote!(#private::frame!(#frame_name, #start, #(#empty),*)),
            frame.clone(),
            quote!(let #state = &mut #frame.#state;),
        )
    };

    let output = signature::output_type(f);
    let returns = signature::output_is_nameable(f).then(|| quote!(-> #private::Poll<#output>));
    let allow = allow_list();
    let witness = &p.witness;
    let items = &p.items;
    let attrs = &f.attrs;
    let vis = &f.vis;
    let sig = &f.sig;
    let (constness, unsafety, abi, ident) = (&sig.constness, &sig.unsafety, &sig.abi, &sig.ident);
    let mut fn_generics = sig.generics.clone();
    for (i, lifetime) in p.signature.named_elided.iter().enumerate() {
        fn_generics.params.insert(
            i,
            syn::GenericParam::Lifetime(syn::LifetimeParam::new(lifetime.clone())),
        );
    }
    // The future's hidden type names `'machine` where it borrows a generic
    // value; every other lifetime outlives it, so that it is the one chosen.
    if let Some(machine) = p
        .signature
        .named_elided
        .first()
        .filter(|l| l.ident == "machine")
    {
        for param in fn_generics.lifetimes_mut() {
            if param.lifetime != *machine {
                param.bounds.push(machine.clone());
            }
        }
        // So do the lifetimes of `self` by value, which the method may not
        // name (`impl ToStatementType<'_>`).
        let self_by_value = sig
            .inputs
            .iter()
            .any(|a| matches!(a, syn::FnArg::Receiver(r) if r.reference.is_none() && r.colon_token.is_none()));
        if self_by_value {
            fn_generics
                .make_where_clause()
                .predicates
                .push(syn::parse_quote!(Self: #machine));
        }
    }
    let where_clause = &fn_generics.where_clause;
    let params = &fn_generics.params;
    let inputs = &p.signature.inputs;
    let ret = signature::return_type(f, &p.signature);
    let enum_generics_list = enum_generics.clone();
    let enum_def = quote! {
        #[doc = #machine_doc]
        enum #machine<#(#enum_generics_list),*> {
            #(#variants,)*
            #[doc = " Returned `Ready`; polling again panics."]
            Done,
            #[doc = " Running the code between two awaits. A poll that panicked leaves it"]
            #[doc = " here, and polling again panics (rustc's \"poisoned\" state)."]
            Running,
        }
    };
    // `None`: a poll unwound; drop what the state holds (see `StateMachine`).
    let take_cx = crate::frame_drop::resume(p, &lower, &machine, p.options.reparsed);
    // `#[explicit_async(trace)]`: each transition reports the function's
    // name and the states it leaves and enters (`trace("Start", "Done")`).
    let trace = p.options.trace.then(|| {
        let (trace, function) = (mixed("trace"), p.function_name());
        quote!(let #trace = |from, to| #private::trace(#function, from, to);)
    });
    let mut body: syn::Block = syn::parse_quote!({
        let #param = &mut #param;
        #open_state
        #trace
        #take_cx
        #dispatch: loop {
            match #state {
                #(#arms)*
                #machine::Done => #private::resumed_after_completion(),
                #machine::Running => #private::resumed_after_panicking(),
            }
        }
    });
    crate::tidy::closure_body(&mut body, &dispatch);
    quote! {
        #(#attrs)*
        #vis #constness #unsafety #abi fn #ident<#params>(#inputs) -> #ret #where_clause {
            #(#items)*
            #witness
            // The machine: the function's value, a block with one allow list.
            {
                #allow
                // The support items the machine names (`__private::set`, `__private::Slot`).
                use ::explicit_async::__private;
                #enum_def
                #frame_def
                let mut #param = #initial;
                #private::StateMachine::new(move |#cx| #returns #body)
            }
        }
    }
}

/// `Example::Start { x, this: self, .. }` with the parameters.
fn start_state(p: &Prepared, lower: &Lowerer<'_>, machine: &Ident) -> TokenStream {
    let fields = p
        .arguments
        .iter()
        .zip(&p.signature.arguments)
        .map(|(&l, a)| {
            let field = lower.field_name(l);
            let param = &a.param;
            if field == param.to_string() {
                quote!(#param)
            } else {
                quote!(#field: #param)
            }
        });
    if p.arguments.is_empty() {
        return quote!(#machine::Start);
    }
    quote!(#machine::Start { #(#fields),* })
}

fn local_doc(p: &Prepared, l: usize) -> String {
    let local = &p.locals.locals[l];
    let what = match local.kind {
        crate::locals::LocalKind::Argument | crate::locals::LocalKind::SelfArg => "argument",
        crate::locals::LocalKind::Temporary => "a value the expression uses after the await",
        crate::locals::LocalKind::Iterator => "the iterator of a `for` loop",
        crate::locals::LocalKind::ArmBinding => "bound by a `match` arm",
        crate::locals::LocalKind::Let => "`let`",
    };
    if local.line > 0 {
        format!(" `{}`: {what} (line {}).", local.name, local.line)
    } else {
        format!(" `{}`: {what}.", local.name)
    }
}

fn slot_doc(p: &Prepared, lower: &Lowerer<'_>, l: usize) -> String {
    let base = local_doc(p, l);
    let reason = match &p.storage.slots[&l] {
        SlotReason::BorrowedByAwait(a) => {
            format!("the future of `{}` may borrow it", p.points[*a].text)
        }
        SlotReason::BorrowedByLocal(y) => format!("`{}` may borrow it", lower.names[*y]),
        SlotReason::MaybeMoved => {
            "it is moved on some paths only: the slot's flag is its drop flag".to_string()
        }
        SlotReason::PartlyMoved => {
            "a field of it is moved out before an await: the slot drops the rest".to_string()
        }
        SlotReason::DropOrder(s) => format!(
            "it is older than `{}`, kept beside it in a slot, and must be dropped after it",
            lower.names[*s]
        ),
    };
    format!("{base} A slot: {reason}.")
}

/// For each construct, the scopes nested in it.
fn inner_scopes(p: &Prepared) -> BTreeMap<crate::ir::NodeId, Vec<crate::ir::ScopeId>> {
    use crate::ir::{Block, Node, Stmt};
    fn block(
        b: &Block,
        stack: &mut Vec<crate::ir::NodeId>,
        out: &mut BTreeMap<crate::ir::NodeId, Vec<crate::ir::ScopeId>>,
    ) {
        stack.push(b.id);
        for id in stack.iter() {
            out.entry(*id).or_default().push(b.scope);
        }
        for s in &b.stmts {
            match s {
                Stmt::Plain(_) => {}
                Stmt::Let { init, .. } => node(init, stack, out),
                Stmt::Expr { node: n, .. } => node(n, stack, out),
            }
        }
        stack.pop();
    }
    fn node(
        n: &Node,
        stack: &mut Vec<crate::ir::NodeId>,
        out: &mut BTreeMap<crate::ir::NodeId, Vec<crate::ir::ScopeId>>,
    ) {
        let pushed = n.id();
        if let Some(id) = pushed {
            stack.push(id);
        }
        match n {
            Node::Block(b) => block(b, stack, out),
            Node::If {
                then, otherwise, ..
            } => {
                block(then, stack, out);
                if let Some(o) = otherwise {
                    node(o, stack, out);
                }
            }
            Node::Match { arms, .. } => {
                for a in arms {
                    for id in stack.iter() {
                        out.entry(*id).or_default().push(a.scope);
                    }
                    node(&a.body, stack, out);
                }
            }
            Node::Loop { body, .. } => block(body, stack, out),
            Node::Await(_) | Node::Plain(_) => {}
        }
        if pushed.is_some() {
            stack.pop();
        }
    }
    let mut out = BTreeMap::new();
    block(&p.body, &mut Vec::new(), &mut out);
    out
}
