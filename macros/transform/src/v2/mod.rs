//! The transform, pass by pass:
//! 1. [`signature`]: arguments as rustc desugars them, lifetimes captured;
//! 2. [`normalize`] (with [`hoist`]): the body as an [`ir`] tree;
//! 3. [`resolve`]: locals and their uses ([`locals`]);
//! 4. [`cfg`] and [`flow`]: init states, liveness, regions and joins;
//! 5. [`storage`]: what each state holds, which locals are slots;
//! 6. [`lower`] (with [`finalize`]): one poll arm per region;
//! 7. [`emit`]: the enum, the frame, the witness, the machine.

pub mod cfg;
pub mod emit;
pub mod finalize;
pub mod flow;
pub mod hoist;
pub mod ir;
pub mod locals;
pub mod lower;
pub mod normalize;
pub mod resolve;
pub mod signature;
pub mod storage;

use crate::options::Options;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Ident, ItemFn};

/// Everything the emitter needs.
pub struct Prepared {
    pub function: ItemFn,
    pub options: Options,
    pub signature: signature::Signature,
    pub items: Vec<syn::Item>,
    pub body: ir::Block,
    pub points: Vec<ir::AwaitPoint>,
    pub locals: locals::Locals,
    pub arguments: Vec<locals::LocalId>,
    pub flow: flow::Flow,
    pub storage: storage::Storage,
    pub macros: Vec<syn::Macro>,
    pub witness: TokenStream,
    pub node_info: std::collections::BTreeMap<ir::NodeId, (&'static str, usize)>,
}

pub fn prepare(args: TokenStream, item: TokenStream) -> syn::Result<Prepared> {
    let options = crate::options::parse(args)?;
    let mut function = crate::parse_function(item)?;
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

    // Items declared in the body are visible everywhere in it: emitted once, first.
    let (items, stmts): (Vec<syn::Stmt>, Vec<syn::Stmt>) = function
        .block
        .stmts
        .drain(..)
        .partition(|s| matches!(s, syn::Stmt::Item(_)));
    let items = items
        .into_iter()
        .filter_map(|s| match s {
            syn::Stmt::Item(i) => Some(i),
            _ => None,
        })
        .collect();
    function.block.stmts = stmts;

    let signature = signature::lower(&mut function);
    let witness = emit::witness(&function, &signature);

    let mut body = function.block.as_ref().clone();
    body.stmts.splice(0..0, signature.prelude.iter().cloned());
    crate::macros::ExplicitCaptures.visit_block_mut(&mut body);
    let mut opener = crate::macros::OpenMacros {
        macros: Vec::new(),
        error: None,
    };
    opener.visit_block_mut(&mut body);
    if let Some(error) = opener.error {
        return Err(error);
    }

    let mut normalizer = normalize::Normalizer::new();
    let root = normalizer.body(body);
    let node_info = normalizer.node_info.clone();
    let (mut root, mut points) = normalizer.finish(root)?;

    let mut resolver = resolve::Resolver::new(&mut points);
    let arguments: Vec<locals::LocalId> = signature
        .arguments
        .iter()
        .map(|a| {
            let kind = if a.is_self {
                locals::LocalKind::SelfArg
            } else {
                locals::LocalKind::Argument
            };
            resolver.argument(&a.local_name, kind, a.mutable)
        })
        .collect();
    resolver.body(&mut root);
    let locals = resolver.out;

    let mut builder = cfg::Builder::new(&points);
    builder.body(&arguments, &root);
    let flow = flow::Flow::analyze(builder.cfg, &locals);
    let storage = storage::decide(&flow, &locals, &root, &points);
    Ok(Prepared {
        function,
        options,
        signature,
        items,
        body: root,
        points,
        locals,
        arguments,
        flow,
        storage,
        macros: opener.macros,
        witness,
        node_info,
    })
}

impl Prepared {
    pub fn emit(&self) -> TokenStream {
        emit::machine(self)
    }

    pub fn function_name(&self) -> String {
        self.function.sig.ident.to_string()
    }

    pub fn machine_name(&self) -> Ident {
        Ident::new(
            &crate::names::machine_name(&self.function),
            Span::call_site(),
        )
    }
}

/// Expands `#[explicit_async(args)] item` with this transform.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    match prepare(args, item.clone()) {
        Ok(prepared) => prepared.emit(),
        Err(error) => {
            let error = error.to_compile_error();
            quote!(#error)
        }
    }
}
