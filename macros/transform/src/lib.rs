//! The transform behind `#[explicit_async]`: from an `async fn` to an
//! explicit, pinned state machine (see DESIGN.md §3).
//!
//! A plain library (a proc-macro crate cannot export functions), so that it
//! can be unit-tested and used by the `expand` viewer. The passes, one
//! module each:
//! - [`options`]: the attribute's arguments;
//! - [`macros`]: `.await` inside `println!`-like macros;
//! - [`normalize`]: the body to the [`ir`] tree (awaits hoisted, loops desugared);
//! - [`analysis`]: scopes, which locals each state stores, which live in slots;
//! - [`lower`] and [`finalize`]: the poll arms;
//! - [`emit`]: the enum, the frame, the witness, the closure;
//! - [`graph`]: the state graph, for the viewer.
//!
//! It stops where `syn` stops seeing: it does not look into nested items,
//! closures or `async` blocks (their awaits are theirs), and it reads
//! macro arguments only for the macros listed in [`macros`].

pub mod analysis;
pub mod emit;
pub mod finalize;
pub mod graph;
pub mod ir;
pub mod lower;
pub mod macros;
pub mod names;
pub mod normalize;
pub mod options;
pub mod text;
pub mod v2;

pub use graph::{Edge, StateGraph, state_graph};

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{FnArg, Ident, ItemFn, Pat};

/// Expands `#[explicit_async(args)] item`; never panics: every rejection
/// becomes a `compile_error!` at the user's span.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let result = std::panic::catch_unwind(|| match v2::prepare(args, item.clone()) {
        Ok(prepared) => prepared.emit(),
        Err(error) => error_with_item(error, &item),
    });
    result.unwrap_or_else(|_| {
        let error = syn::Error::new(
            Span::call_site(),
            "#[explicit_async] failed on this function (an internal error); please report it with the function",
        );
        error_with_item(error, &item)
    })
}

/// The error, and the item itself with `#[state]` attributes removed, so
/// that the rest of the crate still sees the function and only our error shows.
fn error_with_item(error: syn::Error, item: &TokenStream) -> TokenStream {
    let error = error.to_compile_error();
    match syn::parse2::<ItemFn>(item.clone()) {
        Ok(mut f) => {
            StripStateAttrs.visit_block_mut(&mut f.block);
            quote!(#error #f)
        }
        Err(_) => error,
    }
}

/// Removes `#[state(..)]` statement attributes (the witness and the fallback item).
pub struct StripStateAttrs;

impl VisitMut for StripStateAttrs {
    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        match stmt {
            syn::Stmt::Local(l) => l.attrs.retain(|a| !a.path().is_ident("state")),
            syn::Stmt::Expr(e, _) => strip_expr_attrs(e),
            syn::Stmt::Macro(m) => m.attrs.retain(|a| !a.path().is_ident("state")),
            syn::Stmt::Item(_) => {}
        }
        syn::visit_mut::visit_stmt_mut(self, stmt);
    }
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

fn strip_expr_attrs(expr: &mut syn::Expr) {
    struct Strip;
    impl VisitMut for Strip {
        fn visit_attributes_mut(&mut self, attrs: &mut Vec<syn::Attribute>) {
            attrs.retain(|a| !a.path().is_ident("state"));
        }
    }
    let mut strip = Strip;
    match expr {
        syn::Expr::Await(e) => strip.visit_attributes_mut(&mut e.attrs),
        syn::Expr::Call(e) => strip.visit_attributes_mut(&mut e.attrs),
        syn::Expr::MethodCall(e) => strip.visit_attributes_mut(&mut e.attrs),
        syn::Expr::Assign(e) => strip.visit_attributes_mut(&mut e.attrs),
        syn::Expr::Binary(e) => strip.visit_attributes_mut(&mut e.attrs),
        syn::Expr::Try(e) => strip.visit_attributes_mut(&mut e.attrs),
        syn::Expr::Macro(e) => strip.visit_attributes_mut(&mut e.attrs),
        _ => {}
    }
}

/// Everything the emitter needs, owned.
pub struct Prepared {
    function: ItemFn,
    body: ir::Block,
    points: Vec<ir::AwaitPoint>,
    analysis: analysis::Analysis,
    macros: Vec<syn::Macro>,
    states: Vec<Ident>,
    options: options::Options,
    args: Vec<(TokenStream, analysis::LocalId)>,
    inputs: TokenStream,
    witness: TokenStream,
    items: Vec<syn::Item>,
}

impl Prepared {
    /// The waiting states' names, in source order.
    pub fn state_names(&self) -> Vec<String> {
        self.states.iter().map(|s| s.to_string()).collect()
    }

    /// The locals stored in the variant of the state `state`, in declaration order.
    pub fn stored_in(&self, state: &str) -> Vec<String> {
        let Some(index) = self.states.iter().position(|s| s == state) else {
            return Vec::new();
        };
        let names = |locals: Vec<analysis::LocalId>| -> Vec<String> {
            locals
                .into_iter()
                .map(|l| self.analysis.locals[l].name.to_string())
                .collect()
        };
        names(self.analysis.variant_locals(index))
    }

    /// The locals that live in slots (they never move), newest first.
    pub fn slots(&self) -> Vec<String> {
        self.analysis
            .slots_newest_first()
            .into_iter()
            .map(|l| self.analysis.locals[l].name.to_string())
            .collect()
    }

    pub fn emit(&self) -> TokenStream {
        self.machine().emit()
    }

    /// The `.await` of state `index`, as written.
    pub fn await_text(&self, index: usize) -> String {
        self.points[index].text.clone()
    }

    pub fn function_name(&self) -> String {
        self.function.sig.ident.to_string()
    }

    fn machine(&self) -> emit::Machine<'_> {
        emit::Machine {
            function: &self.function,
            analysis: &self.analysis,
            body: &self.body,
            points: &self.points,
            macros: &self.macros,
            states: self.states.clone(),
            trace: self.options.trace,
            args: self.args.clone(),
            witness: self.witness.clone(),
            items: self.items.clone(),
            inputs: self.inputs.clone(),
        }
    }
}

pub(crate) fn parse_function(item: TokenStream) -> syn::Result<ItemFn> {
    match syn::parse2::<ItemFn>(item.clone()) {
        Ok(f) => Ok(f),
        Err(error) => match syn::parse2::<syn::TraitItemFn>(item) {
            Ok(method) if method.default.is_none() => Err(syn::Error::new(
                method.sig.span(),
                "#[explicit_async] needs a body to rewrite, and this trait method has none; \
                 put the attribute on the method of the `impl` block instead",
            )),
            _ => Err(syn::Error::new(
                error.span(),
                format!("#[explicit_async] applies to an `async fn` item: {error}"),
            )),
        },
    }
}

pub fn prepare(args: TokenStream, item: TokenStream) -> syn::Result<Prepared> {
    let options = options::parse(args)?;
    let mut function = parse_function(item)?;
    if function.sig.asyncness.is_none() {
        let name = &function.sig.ident;
        return Err(syn::Error::new(
            function.sig.fn_token.span,
            format!(
                "#[explicit_async] rewrites an `async fn` into a state machine, but `{name}` is not \
                 async; write `async fn {name}` or remove the attribute"
            ),
        ));
    }
    if let Some(variadic) = &function.sig.variadic {
        return Err(syn::Error::new(
            variadic.span(),
            "#[explicit_async] does not support variadic functions",
        ));
    }
    function.sig.asyncness = None;

    // Items declared in the body are visible everywhere in it: emit them once, before the machine.
    let (items, stmts): (Vec<syn::Stmt>, Vec<syn::Stmt>) = function
        .block
        .stmts
        .drain(..)
        .partition(|s| matches!(s, syn::Stmt::Item(_)));
    let items: Vec<syn::Item> = items
        .into_iter()
        .filter_map(|s| {
            if let syn::Stmt::Item(i) = s {
                Some(i)
            } else {
                None
            }
        })
        .collect();
    function.block.stmts = stmts;

    // Arguments: simple ones keep their names; patterns and `_` get `argN`.
    let mut arg_locals: Vec<(Ident, bool, analysis::LocalKind)> = Vec::new();
    let mut arg_values = Vec::new();
    let mut inputs = Vec::new();
    let mut prelude: Vec<syn::Stmt> = Vec::new();
    let mut witness_prelude: Vec<syn::Stmt> = Vec::new();
    for (index, arg) in function.sig.inputs.iter().enumerate() {
        match arg {
            FnArg::Receiver(receiver) => {
                let by_value_mut = receiver.reference.is_none() && receiver.mutability.is_some();
                let self_ident = Ident::new("self", receiver.self_token.span);
                arg_locals.push((self_ident, by_value_mut, analysis::LocalKind::SelfArg));
                arg_values.push(quote!(self));
                inputs.push(receiver.into_token_stream());
            }
            FnArg::Typed(typed) => {
                let (attrs, ty) = (&typed.attrs, &typed.ty);
                match &*typed.pat {
                    Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none() => {
                        arg_locals.push((
                            p.ident.clone(),
                            p.mutability.is_some(),
                            analysis::LocalKind::Argument,
                        ));
                        // The parameter is hygienic, so that the poll closure can
                        // only see the argument through the state (never capture it).
                        let ident = &p.ident;
                        let param = Ident::new(
                            &ident.to_string(),
                            Span::mixed_site().located_at(ident.span()),
                        );
                        arg_values.push(quote!(#param));
                        inputs.push(quote!(#(#attrs)* #param: #ty));
                        let mutability = p.mutability;
                        witness_prelude.push(syn::parse_quote!(let #mutability #ident = #param;));
                    }
                    pat => {
                        let internal = Ident::new(
                            &format!("{}{index}", analysis::ARG_PREFIX),
                            Span::mixed_site(),
                        );
                        let visible = Ident::new(&format!("arg{index}"), Span::mixed_site());
                        arg_locals.push((internal.clone(), false, analysis::LocalKind::Argument));
                        arg_values.push(quote!(#visible));
                        inputs.push(quote!(#(#attrs)* #visible: #ty));
                        if !matches!(pat, Pat::Wild(_)) {
                            prelude.push(syn::parse_quote!(let #pat = #internal;));
                            witness_prelude.push(syn::parse_quote!(let #pat = #visible;));
                        }
                    }
                }
            }
        }
    }

    // The witness: the body as written, type- and borrow-checked, never run.
    let mut witness_body = function.block.as_ref().clone();
    StripStateAttrs.visit_block_mut(&mut witness_body);
    let witness_stmts = witness_prelude.iter().chain(witness_body.stmts.iter());
    let output = match &function.sig.output {
        syn::ReturnType::Default => quote!(()),
        syn::ReturnType::Type(_, ty) => quote!(#ty),
    };
    // The body's value is bound with the output type written, so that a
    // type error is reported where rustc reports it for the `async fn`
    // (and the machine's identical report of it is deduplicated).
    let value = Ident::new("value", Span::mixed_site());
    let typed = (!output.to_string().contains("impl")).then(|| quote!(: #output));
    // (A body that never returns makes the last `value` unreachable.)
    let witness_name = Ident::new("_witness", Span::mixed_site());
    let witness = quote! {
        if false {
            #[allow(unreachable_code)]
            let #witness_name = async move {
                let #value #typed = { #(#witness_stmts)* };
                #value
            };
            ::core::unreachable!()
        }
    };

    // Macros with `.await` in their arguments, opened into calls.
    let mut body = function.block.as_ref().clone();
    body.stmts.splice(0..0, prelude);
    macros::ExplicitCaptures.visit_block_mut(&mut body);
    let mut opener = macros::OpenMacros {
        macros: Vec::new(),
        error: None,
    };
    opener.visit_block_mut(&mut body);
    if let Some(error) = opener.error {
        return Err(error);
    }

    let mut normalizer = normalize::Normalizer::new();
    let root = normalizer.root_block(body);
    let (mut root, mut points) = normalizer.into_result(root)?;

    let analysis = analysis::analyze(&mut arg_locals, &mut root, &mut points);
    let states = state_names(&points)?;
    let args = arg_values
        .into_iter()
        .enumerate()
        .map(|(i, v)| (v, i))
        .collect();
    Ok(Prepared {
        function,
        body: root,
        points,
        analysis,
        macros: opener.macros,
        states,
        options,
        args,
        inputs: quote!(#(#inputs),*),
        witness,
        items,
    })
}

/// `WaitingOn<Callee>`, numbered from 2 when repeated, or `WaitingOn<Name>` from `#[state(Name)]`.
fn state_names(points: &[ir::AwaitPoint]) -> syn::Result<Vec<Ident>> {
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
    for point in points {
        let base = match &point.named {
            Some(named) => format!("WaitingOn{named}"),
            None => format!("WaitingOn{}", point.callee),
        };
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name) {
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
