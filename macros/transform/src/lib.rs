//! The transform behind `#[explicit_async]`: from an `async fn` to an
//! explicit, pinned state machine.
//!
//! A plain library (a proc-macro crate cannot export functions), so that it
//! can be unit-tested and used by the `expand` viewer. The passes, one
//! module each, in the order [`pipeline`] runs them:
//! - [`options`]: the attribute's arguments; [`signature`]: the arguments as
//!   rustc desugars them, and the returned `impl Future`; [`runner`] and
//!   [`async_trait`]: functions other attributes expand before or after it;
//! - [`macros`]: `.await` inside `println!`-like macros;
//! - [`normalize`] (with [`statements`], [`hoist`], [`operands`] and [`desugar`]):
//!   the body as an [`ir`] tree;
//! - [`resolve`] (with [`resolve_expr`]): every local and every use of one ([`locals`]);
//! - [`cfg`] (with [`cfg_expr`]) and [`flow`]: init states, liveness, and the regions (arms) and joins;
//! - [`borrows`]: what each local's value may point into;
//! - [`storage`]: what each state holds, and which locals are slots;
//! - [`lower`] (with [`continuation`], [`scrutinee`] and [`finalize`]): one poll
//!   arm per region;
//! - [`emit`]: the enum, the frame (with [`frame_drop`]), the witness, the machine;
//! - [`graph`]: the state graph, for the viewer.
//!
//! It stops where `syn` stops seeing: it does not look into nested items,
//! closures or `async` blocks (their awaits are theirs), and it reads
//! macro arguments only for the macros listed in [`macros`].

pub mod arm_locals;
pub mod assertions;
pub mod async_macros;
pub mod async_trait;
pub mod borrows;
pub mod captures;
pub mod cfg;
pub mod cfg_expr;
pub mod cfg_split;
pub mod continuation;
pub mod copies;
pub mod desugar;
pub mod edition;
pub mod emit;
pub mod finalize;
pub mod flow;
pub mod frame_drop;
pub mod graph;
pub mod guard_uses;
pub mod hints;
pub mod hoist;
pub mod if_let_place;
pub mod ir;
pub mod legacy;
pub mod locals;
pub mod lower;
pub mod macro_locals;
pub mod macros;
pub mod names;
pub mod normalize;
pub mod operands;
pub mod options;
pub mod owned;
pub mod patterns;
pub mod pipeline;
pub mod receivers;
pub mod release;
pub mod resolve;
pub mod resolve_expr;
pub mod runner;
pub mod scrutinee;
pub mod shadowed;
pub mod signature;
pub mod statements;
pub mod storage;
pub mod text;
pub mod tidy;
pub mod tidy_scopes;

pub use graph::{Edge, StateGraph, state_graph};
pub use pipeline::{Prepared, prepare};

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::ItemFn;
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;

/// Expands `#[explicit_async(args)] item`; never panics: every rejection
/// becomes a `compile_error!` at the user's span.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    expand_copy(args, item, true)
}

/// [`expand`]; `split_cfg`: a copy [`cfg_split`] made is not split again
/// (a `cfg` where it does not resolve one stays, for rustc).
fn expand_copy(args: TokenStream, item: TokenStream, split_cfg: bool) -> TokenStream {
    let result = std::panic::catch_unwind(|| {
        // `#[cfg(..)]` in the body: one machine per combination of its options.
        if split_cfg && let Some(copies) = cfg_split::split(&item) {
            return copies
                .into_iter()
                .flat_map(|(predicate, copy)| {
                    let out = expand_copy(args.clone(), copy, false);
                    let items = syn::parse2::<syn::File>(out.clone()).map_or_else(
                        |_| vec![out],
                        |f| {
                            f.items
                                .iter()
                                .map(quote::ToTokens::to_token_stream)
                                .collect()
                        },
                    );
                    let only_if = predicate.map(|p| quote!(#[cfg(#p)]));
                    items.into_iter().map(move |item| quote!(#only_if #item))
                })
                .collect();
        }
        // Above `#[tokio::main]` and the like: an `async fn` that awaits the machine.
        if let Ok(function) = syn::parse2::<ItemFn>(item.clone())
            && function.sig.asyncness.is_some()
            && let Some((inner, runners)) = runner::split(&function)
        {
            let machine = match prepare(args, quote!(#inner)) {
                Ok(mut prepared) => {
                    prepared.options.reparsed = true;
                    prepared.emit()
                }
                Err(error) => return error_with_item(error, &item),
            };
            return runner::wrap(&function, &runners, machine)
                .unwrap_or_else(|error| error_with_item(error, &item));
        }
        // Inside `#[async_trait]`: a method it already made a boxed `async move` block.
        if let Ok(function) = syn::parse2::<ItemFn>(item.clone())
            && let Some(inner) = async_trait::unbox(&function)
        {
            return match prepare(args, quote!(#inner)) {
                Ok(prepared) => async_trait::rebox(&function, prepared.emit())
                    .unwrap_or_else(|error| error_with_item(error, &item)),
                Err(error) => error_with_item(error, &item),
            };
        }
        match prepare(args, item.clone()) {
            Ok(prepared) => prepared.emit(),
            Err(error) => error_with_item(error, &item),
        }
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
