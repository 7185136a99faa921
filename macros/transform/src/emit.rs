//! Puts the expansion together: the rewritten signature, the borrow-check
//! witness, the state enum (and the frame, when locals live in slots), and
//! the poll closure with one arm per state, in source order.

use crate::analysis::{Analysis, LocalId};
use crate::ir::{AwaitPoint, Block};
use crate::lower::{Lower, mixed, ret_used, slot_handle};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Ident, ItemFn, ReturnType, Type};

pub struct Machine<'a> {
    pub function: &'a ItemFn,
    pub analysis: &'a Analysis,
    pub body: &'a Block,
    pub points: &'a [AwaitPoint],
    pub macros: &'a [syn::Macro],
    pub states: Vec<Ident>,
    pub trace: bool,
    /// The arguments as the rewritten signature names them, with their locals.
    pub args: Vec<(TokenStream, LocalId)>,
    pub witness: TokenStream,
    pub items: Vec<syn::Item>,
    pub inputs: TokenStream,
}

fn private() -> TokenStream {
    quote!(::explicit_async::__private)
}

impl Machine<'_> {
    pub fn machine_name(&self) -> Ident {
        Ident::new(
            &crate::names::machine_name(self.function),
            Span::call_site(),
        )
    }

    fn generic(&self, local: LocalId) -> Ident {
        format_ident!("T{}", local)
    }

    fn line_of(&self, local: LocalId) -> String {
        let l = &self.analysis.locals[local];
        let what = match l.kind {
            crate::analysis::LocalKind::Argument | crate::analysis::LocalKind::SelfArg => {
                "argument"
            }
            crate::analysis::LocalKind::Temporary => "temporary",
            crate::analysis::LocalKind::Iterator => "iterator of a `for`",
            crate::analysis::LocalKind::Let => "`let`",
        };
        if l.line > 0 {
            format!(" `{}`: {what} (line {}).", l.written, l.line)
        } else {
            format!(" `{}`: {what}.", l.written)
        }
    }

    pub fn emit(&self) -> TokenStream {
        let f = self.function;
        let sig = &f.sig;
        let machine = self.machine_name();
        let p = private();
        let fn_name = sig.ident.to_string();
        let fn_line = sig.ident.span().start().line;

        // The enum's generic parameters: one per local stored in a variant, one per future.
        let mut variant_locals: Vec<LocalId> = Vec::new();
        for l in self.args.iter().map(|(_, l)| *l) {
            variant_locals.push(l);
        }
        for a in 0..self.points.len() {
            for l in self.analysis.variant_locals(a) {
                if !variant_locals.contains(&l) {
                    variant_locals.push(l);
                }
            }
        }
        let mut generics: Vec<Ident> = variant_locals.iter().map(|&l| self.generic(l)).collect();
        generics.extend((0..self.points.len()).map(|a| format_ident!("F{}", a)));

        let start_fields = self.args.iter().map(|(_, l)| {
            let (name, ty, doc) = (
                &self.analysis.locals[*l].name,
                self.generic(*l),
                self.line_of(*l),
            );
            quote!(#[doc = #doc] #name: #ty)
        });
        let waiting = self.points.iter().enumerate().map(|(a, point)| {
            let state = &self.states[a];
            let future = format_ident!("F{}", a);
            let doc = if point.line > 0 {
                format!(" Waiting on `{}` (line {}).", point.text, point.line)
            } else {
                format!(" Waiting on `{}`.", point.text)
            };
            let fields = self.analysis.variant_locals(a).into_iter().rev().map(|l| {
                let (name, ty, doc) = (
                    &self.analysis.locals[l].name,
                    self.generic(l),
                    self.line_of(l),
                );
                quote!(#[doc = #doc] #name: #ty)
            });
            let fut = self.analysis.future_field();
            quote! {
                #[doc = #doc]
                #state {
                    #[doc = " The future being awaited, pinned here until it is ready."]
                    #fut: #p::Awaiting<#future>,
                    #(#fields,)*
                }
            }
        });
        let machine_doc = if fn_line > 0 {
            format!(
                " State machine of `async fn {fn_name}` (line {fn_line}): one state per `.await`."
            )
        } else {
            format!(" State machine of `async fn {fn_name}`: one state per `.await`.")
        };
        let enum_def = quote! {
            #[doc = #machine_doc]
            enum #machine<#(#generics),*> {
                #[doc = " Not yet polled: holds the arguments."]
                Start { #(#start_fields,)* },
                #(#waiting,)*
                #[doc = " Returned `Ready`; polling again panics."]
                Done,
                #[doc = " Running the code between two awaits. A poll that panicked leaves it"]
                #[doc = " here, and polling again panics (rustc's \"poisoned\" state)."]
                Running,
            }
        };

        let slots = self.analysis.slots_newest_first();
        let frame_name = format_ident!("{}Frame", machine);
        let state_generic = mixed("S");
        let frame_def = (!slots.is_empty()).then(|| {
            let fields = slots.iter().map(|&l| {
                let (name, ty) = (&self.analysis.locals[l].name, self.generic(l));
                let doc = format!("{} Borrowed across an await, so it never moves.", self.line_of(l));
                quote!(#[doc = #doc] #name: #p::Slot<#ty>)
            });
            let slot_generics = slots.iter().map(|&l| self.generic(l));
            let doc = format!(
                " Frame of `{fn_name}`: the state, then the locals that must not move, newest first (field order is drop order)."
            );
            quote! {
                #[doc = #doc]
                struct #frame_name<#state_generic, #(#slot_generics),*> {
                    #[doc = " Where the machine is."]
                    state: #state_generic,
                    #(#fields,)*
                }
            }
        });

        let start_values = self.args.iter().map(|(value, l)| {
            let name = &self.analysis.locals[*l].name;
            // Shorthand when the parameter has the local's name (it is
            // hygienic, but a field name is not).
            if *name == value.to_string() {
                quote!(#value)
            } else {
                quote!(#name: #value)
            }
        });
        let start = quote!(#machine::Start { #(#start_values),* });
        let with_empty_slots = |state: TokenStream| {
            if slots.is_empty() {
                return state;
            }
            let empties = slots.iter().map(|&l| {
                let name = &self.analysis.locals[l].name;
                quote!(#name: #p::Slot::EMPTY)
            });
            quote!(#frame_name { state: #state, #(#empties),* })
        };
        let initial = with_empty_slots(start);
        // What a panicking poll leaves behind, once it dropped everything.
        let poisoned = with_empty_slots(quote!(#machine::Running));

        let arms = self.arms(&machine, &slots);
        let (machine_arg, state, cx) = (mixed("machine"), mixed("state"), mixed("cx"));
        let project = if slots.is_empty() {
            quote!(let #state = unsafe { #machine_arg.as_mut().get_unchecked_mut() };)
        } else {
            let handles = slots.iter().map(|&l| {
                let name = &self.analysis.locals[l].name;
                let handle = slot_handle(self.analysis, l);
                quote!(#name: #handle)
            });
            quote!(let #frame_name { state: #state, #(#handles),* } = unsafe { #machine_arg.as_mut().get_unchecked_mut() };)
        };
        let dispatch = if self.points.is_empty() {
            quote!(#project match #state { #arms })
        } else {
            quote!('dispatch: loop { #project match #state { #arms } })
        };
        let output = match &sig.output {
            ReturnType::Default => quote!(()),
            ReturnType::Type(_, ty) => quote!(#ty),
        };
        let turbofish = (!contains_impl_trait(&sig.output)).then(|| quote!(::<#output>));

        let attrs = &f.attrs;
        let vis = &f.vis;
        let (constness, unsafety, abi, ident) =
            (&sig.constness, &sig.unsafety, &sig.abi, &sig.ident);
        let (generics_decl, where_clause) = (&sig.generics, &sig.generics.where_clause);
        let inputs = &self.inputs;
        let items = &self.items;
        let witness = &self.witness;
        let new_machine = quote!(#p::StateMachine::new #turbofish(#initial, || #poisoned, |mut #machine_arg, #cx| { #dispatch }));
        // A slot's place `(*v)` auto-refs through a raw pointer (`(*v).len()`),
        // which this lint flags; the allow covers the poll closure only, not
        // the user's own code in the witness.
        let machine_expr = if slots.is_empty() {
            new_machine
        } else {
            quote! {
                #[allow(dangerous_implicit_autorefs)]
                let #machine_arg = #new_machine;
                #machine_arg
            }
        };
        quote! {
            #(#attrs)*
            #vis #constness #unsafety #abi fn #ident #generics_decl (#inputs) -> impl ::core::future::Future<Output = #output> #where_clause {
                #(#items)*
                #witness
                #enum_def
                #frame_def
                #machine_expr
            }
        }
    }

    fn lower(&self, from: &str) -> Lower<'_> {
        Lower {
            analysis: self.analysis,
            points: self.points,
            macros: self.macros,
            machine: self.machine_name(),
            states: self.states.clone(),
            function: self.function.sig.ident.to_string(),
            trace: self.trace,
            from: from.to_string(),
            resumed_loops: 0,
            derefs_slot: std::cell::Cell::new(false),
            suspends_to: Vec::new(),
        }
    }

    /// The transitions of each state, read off the arms the emitter writes:
    /// for `Start` and every await (in order), the awaits its arm suspends
    /// at, and whether it can complete.
    pub fn transitions(&self) -> Vec<(Vec<usize>, bool)> {
        let mut out = Vec::new();
        let mut start = self.lower("Start");
        let body = start.forward_stmts(&self.body.stmts);
        out.push((
            start.suspends_to.clone(),
            body.completes || ret_used(&body.tokens),
        ));
        for a in 0..self.points.len() {
            let mut lower = self.lower(&self.states[a].to_string());
            let body = lower.resume_stmts(self.body, a);
            out.push((
                lower.suspends_to.clone(),
                body.completes || ret_used(&body.tokens),
            ));
        }
        out
    }

    fn arms(&self, machine: &Ident, slots: &[LocalId]) -> TokenStream {
        let p = private();
        let state = mixed("state");
        let mut arms = TokenStream::new();

        // Start: the body from the top.
        let mut lower = self.lower("Start");
        let arg_names = self.args.iter().map(|(_, l)| {
            let local = &self.analysis.locals[*l];
            let name = &local.name;
            if local.slot {
                quote!(#name)
            } else {
                let mutability = local.mutable.then(|| quote!(mut));
                quote!(#mutability #name)
            }
        });
        let slot_args = self
            .args
            .iter()
            .filter(|(_, l)| self.analysis.locals[*l].slot)
            .map(|(_, l)| {
                let name = &self.analysis.locals[*l].name;
                let handle = slot_handle(self.analysis, *l);
                quote!(#[allow(unused_variables)] let #name = #handle.init(#name);)
            });
        let arg_names: Vec<TokenStream> = arg_names.collect();
        let allow = crate::lower::allow_unused_mut(&quote!(#(#arg_names)*));
        let take_args = if self.args.is_empty() {
            quote!(*#state = #machine::Running;)
        } else {
            quote! {
                #allow
                let #machine::Start { #(#arg_names,)* } = ::core::mem::replace(#state, #machine::Running) else {
                    ::core::unreachable!()
                };
                #(#slot_args)*
            }
        };
        let body = lower.forward_stmts(&self.body.stmts);
        let finish = self.finish(&lower, machine, slots, body.completes, &body.tokens);
        let code = finish.wrap(unsafe_if(lower.derefs_slot.get(), {
            let t = body.tokens;
            quote!(#take_args #t)
        }));
        arms.extend(quote!(#machine::Start { .. } => { #code }));

        for a in 0..self.points.len() {
            let name = &self.states[a];
            let mut lower = self.lower(&name.to_string());
            let body = lower.resume_stmts(self.body, a);
            let take = lower.take_locals(a, &body.tokens);
            let finish = self.finish(&lower, machine, slots, body.completes, &body.tokens);
            let (fut, cx, output) = (mixed("fut"), mixed("cx"), mixed("output"));
            let field = self.analysis.future_field();
            let field = if field == "fut" {
                quote!(#fut)
            } else {
                quote!(#field: #fut)
            };
            let code = finish.wrap(unsafe_if(lower.derefs_slot.get(), {
                let t = body.tokens;
                quote!(#take #t)
            }));
            arms.extend(quote! {
                #machine::#name { #field, .. } => {
                    let #output = match unsafe { #fut.poll(#cx) } {
                        ::core::task::Poll::Ready(#output) => #output,
                        ::core::task::Poll::Pending => return ::core::task::Poll::Pending,
                    };
                    #code
                }
            });
        }
        arms.extend(quote! {
            #machine::Done => #p::resumed_after_completion(),
            #machine::Running => #p::resumed_after_panicking(),
        });
        arms
    }

    /// Wraps an arm's code: its value is the function's output, through the
    /// `'ret` block when a `return` or `?` leaves early; then `Done`, the
    /// slots cleared newest first, and `Ready`.
    fn finish(
        &self,
        lower: &Lower<'_>,
        machine: &Ident,
        slots: &[LocalId],
        completes: bool,
        code: &TokenStream,
    ) -> Finisher {
        let needs_ret = ret_used(code);
        if !completes && !needs_ret {
            return Finisher(None);
        }
        let state = mixed("state");
        let ret = mixed("ret");
        // The output type, written as in the signature: a type error in the
        // body is then the same report as the witness's, and shown once.
        let typed = match &self.function.sig.output {
            ReturnType::Type(_, ty) if !contains_impl_trait(&self.function.sig.output) => {
                quote!(: #ty)
            }
            ReturnType::Type(..) => TokenStream::new(),
            ReturnType::Default => quote!(: ()),
        };
        let label = needs_ret.then(|| {
            let l = crate::finalize::ret_label();
            quote!(#l:)
        });
        let clears = slots.iter().map(|&l| slot_handle(self.analysis, l));
        let trace = lower.trace_call("Done");
        Finisher(Some((
            quote!(let #ret #typed = #label),
            quote! {
                ;
                *#state = #machine::Done;
                #(#clears.clear();)*
                #trace
                return ::core::task::Poll::Ready(#ret);
            },
        )))
    }
}

/// Prefix and suffix around an arm's code block.
struct Finisher(Option<(TokenStream, TokenStream)>);

impl Finisher {
    fn wrap(&self, code: TokenStream) -> TokenStream {
        match &self.0 {
            None => code,
            Some((prefix, suffix)) => quote!(#prefix { #code } #suffix),
        }
    }
}

/// An arm that dereferences a slot's pointer runs as one `unsafe` block:
/// the places behind the pointers stay places (`let (ref a, b) = *slot;`).
fn unsafe_if(derefs_slot: bool, code: TokenStream) -> TokenStream {
    if derefs_slot {
        quote!(unsafe { #code })
    } else {
        code
    }
}

fn contains_impl_trait(output: &ReturnType) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_type(&mut self, ty: &'ast Type) {
            if matches!(ty, Type::ImplTrait(_) | Type::Infer(_)) {
                self.0 = true;
            }
            syn::visit::visit_type(self, ty);
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_return_type(&mut finder, output);
    finder.0
}
