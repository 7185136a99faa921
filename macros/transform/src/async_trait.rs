//! Methods that `#[async_trait]` rewrote before this attribute saw them.
//!
//! On an `impl` or a trait, `#[async_trait]` expands first: each `async fn`
//! becomes a `fn` returning `Pin<Box<dyn Future<Output = R> + Send +
//! 'async_trait>>`, whose body is `Box::pin(async move { .. })` (the
//! arguments moved in, `self` renamed `__self`). That `async move` block is
//! the `async fn`'s body: it is made the state machine, as if it were the
//! body of `async fn` with the method's arguments, and boxed in its place.
//!
//! ```text
//! fn get<'life0, 'async_trait>(&'life0 self, key: u32)
//!     -> Pin<Box<dyn Future<Output = Option<u32>> + Send + 'async_trait>>
//! {
//!     Box::pin({ /* the state machine of the `async move` block */ })
//! }
//! ```

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Expr, GenericArgument, ItemFn, PathArguments, ReturnType, Type, TypeParamBound};

/// The `async fn` whose body is the boxed `async move` block, if
/// `function` is what `#[async_trait]` makes of one.
pub fn unbox(function: &ItemFn) -> Option<ItemFn> {
    if function.sig.asyncness.is_some() {
        return None;
    }
    let output = boxed_future_output(&function.sig.output)?;
    let [syn::Stmt::Expr(Expr::Call(call), None)] = function.block.stmts.as_slice() else {
        return None;
    };
    let Expr::Path(callee) = &*call.func else {
        return None;
    };
    let names = crate::names::segment_names(&callee.path);
    if !names.ends_with(&["Box".to_string(), "pin".to_string()]) || call.args.len() != 1 {
        return None;
    }
    let Some(Expr::Async(block)) = call.args.first() else {
        return None;
    };
    block.capture?;
    let mut inner = function.clone();
    inner.sig.asyncness = Some(Default::default());
    inner.sig.output = syn::parse_quote!(-> #output);
    inner.block = Box::new(block.block.clone());
    Some(inner)
}

/// `function` again, its `Box::pin` boxing the state machine (`machine`,
/// the expansion of [`unbox`]'s `async fn`) where the `async move` block was.
pub fn rebox(function: &ItemFn, machine: TokenStream) -> syn::Result<TokenStream> {
    let machine: ItemFn = syn::parse2(machine)?;
    let mut boxed = function.clone();
    // The arguments as the machine names them (a pattern argument becomes
    // a name the machine binds).
    boxed.sig.inputs = machine.sig.inputs;
    if let [syn::Stmt::Expr(Expr::Call(call), None)] = boxed.block.stmts.as_mut_slice()
        && let Some(block) = call.args.first_mut()
    {
        let body = &machine.block;
        *block = syn::parse_quote!(#body);
    }
    Ok(quote!(#boxed))
}

/// `R` of `-> Pin<Box<dyn Future<Output = R> + .. + 'async_trait>>`.
fn boxed_future_output(output: &ReturnType) -> Option<Type> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let boxed = single_generic(last_segment(ty, "Pin")?)?;
    let Type::TraitObject(object) = single_generic(last_segment(&boxed, "Box")?)? else {
        return None;
    };
    // `#[async_trait]`'s own lifetime: a `Box::pin(async move { .. })`
    // written by hand need not move every argument into its block, as
    // `#[async_trait]` does (one it leaves out drops when the `fn` returns).
    let async_trait = object
        .bounds
        .iter()
        .any(|b| matches!(b, TypeParamBound::Lifetime(l) if l.ident == "async_trait"));
    if !async_trait {
        return None;
    }
    object.bounds.iter().find_map(|bound| {
        let TypeParamBound::Trait(t) = bound else {
            return None;
        };
        let future = t.path.segments.last().filter(|s| s.ident == "Future")?;
        let PathArguments::AngleBracketed(args) = &future.arguments else {
            return None;
        };
        args.args.iter().find_map(|arg| match arg {
            GenericArgument::AssocType(a) if a.ident == "Output" => Some(a.ty.clone()),
            _ => None,
        })
    })
}

/// The last segment of a path type, if it is named `name`.
fn last_segment<'t>(ty: &'t Type, name: &str) -> Option<&'t syn::PathSegment> {
    let Type::Path(path) = ty else { return None };
    path.path.segments.last().filter(|s| s.ident == name)
}

/// `T` of `Name<T>`.
fn single_generic(segment: &syn::PathSegment) -> Option<Type> {
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>()[..] {
        [GenericArgument::Type(t)] => Some(t.clone()),
        _ => None,
    }
}
