//! Attributes that need an `async fn` to stand on, such as `#[tokio::main]`
//! and `#[tokio::test]`: they expand after this one, into a function that
//! runs the future the `async fn` makes. The function keeps them and stays
//! `async`; inside it, the state machine is a nested function of the same
//! name, which it awaits.
//!
//! ```text
//! #[tokio::main]
//! async fn main() {
//!     fn main() -> impl Future<Output = ()> { /* the state machine */ }
//!     main().await
//! }
//! ```

use proc_macro2::TokenStream;
use quote::quote;
use syn::{FnArg, ItemFn, Pat};

/// Is this an attribute that runs an `async fn` (`tokio::main`,
/// `tokio::test`, `async_std::main`, ...)? By convention, a path of two or
/// more segments ending in `main` or `test`, or one name ending in `_main`
/// or `_test`: an alias (`use tokio::test as maybe_tokio_test;`, as
/// tokio's own tests write). `#[test]` too: on an `async fn` it is an alias
/// (`use tokio::test;`), for the built-in one rejects an `async fn`. And
/// any of these inside `#[cfg_attr(..)]` (tokio's
/// `#[cfg_attr(not(target_family = "wasm"), tokio::test(flavor = ..))]`).
pub fn runs_async_fn(attr: &syn::Attribute) -> bool {
    if attr.path().is_ident("cfg_attr") {
        let Ok(list) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        ) else {
            return false;
        };
        // The predicate, then the attributes it guards.
        return list.iter().skip(1).any(|meta| names_a_runner(meta.path()));
    }
    names_a_runner(attr.path())
}

fn names_a_runner(path: &syn::Path) -> bool {
    let Some(last) = path.segments.last() else {
        return false;
    };
    let name = last.ident.to_string();
    match path.segments.len() {
        1 => name == "test" || name.ends_with("_test") || name.ends_with("_main"),
        _ => name == "main" || name == "test",
    }
}

/// The test harness's attributes (`#[test]` under `#[tokio::main]`,
/// `#[should_panic]`, `#[ignore]`): they belong to the function the runner
/// makes, not to the machine it awaits.
fn marks_a_test(attr: &syn::Attribute) -> bool {
    ["test", "should_panic", "ignore"]
        .iter()
        .any(|name| attr.path().is_ident(name))
}

/// Splits off the attributes that need an `async fn` (and the test
/// harness's beside them): the function without them (to expand), and them.
pub fn split(function: &ItemFn) -> Option<(ItemFn, Vec<syn::Attribute>)> {
    if !function.attrs.iter().any(runs_async_fn) {
        return None;
    }
    let outside = |a: &syn::Attribute| runs_async_fn(a) || marks_a_test(a);
    let mut inner = function.clone();
    let runners = inner.attrs.iter().filter(|a| outside(a)).cloned().collect();
    // The nested machine is private to the function and documented by it.
    inner
        .attrs
        .retain(|a| !outside(a) && !a.path().is_ident("doc"));
    inner.vis = syn::Visibility::Inherited;
    Some((inner, runners))
}

/// The `async fn` the runner attributes expand, awaiting `machine` (the
/// expansion of the function without them), or an error if its arguments
/// cannot be passed on.
pub fn wrap(
    function: &ItemFn,
    runners: &[syn::Attribute],
    machine: TokenStream,
) -> syn::Result<TokenStream> {
    let mut args = Vec::new();
    for input in &function.sig.inputs {
        match input {
            FnArg::Typed(typed) => match &*typed.pat {
                Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => {
                    let ident = &p.ident;
                    args.push(quote!(#ident));
                }
                pat => {
                    return Err(syn::Error::new_spanned(
                        pat,
                        "#[explicit_async] above a runner attribute (like `#[tokio::main]`) needs \
                         plain argument names, to pass them to the state machine; bind this \
                         argument to a name and destructure it in the body",
                    ));
                }
            },
            FnArg::Receiver(r) => {
                return Err(syn::Error::new_spanned(
                    r,
                    "#[explicit_async] above a runner attribute (like `#[tokio::test]`) works on \
                     free functions only",
                ));
            }
        }
    }
    if !function.sig.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &function.sig.generics,
            "#[explicit_async] above a runner attribute (like `#[tokio::main]`) works on \
             functions without generic parameters",
        ));
    }
    let docs = function.attrs.iter().filter(|a| !a.path().is_ident("doc"));
    let other_attrs: Vec<&syn::Attribute> = docs
        .filter(|a| !runs_async_fn(a) && !marks_a_test(a))
        .collect();
    let doc_attrs = function.attrs.iter().filter(|a| a.path().is_ident("doc"));
    let (vis, sig, name) = (&function.vis, &function.sig, &function.sig.ident);
    Ok(quote! {
        #(#doc_attrs)*
        #(#runners)*
        #(#other_attrs)*
        #vis #sig {
            // The state machine of this function, which the runner awaits.
            #machine
            #name(#(#args),*).await
        }
    })
}
