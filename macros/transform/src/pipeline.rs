//! The passes, run in order on one function (see the crate's docs), and
//! what they found, for the emitter, the viewer and the tests.

use crate::options::Options;
use crate::{cfg, emit, flow, hints, ir, locals, lower, normalize, resolve, signature, storage};
use proc_macro2::{Span, TokenStream};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Ident, ItemFn};

/// Everything the emitter needs.
pub struct Prepared {
    /// The state of each region (`Start`, `WaitingOn…`, joins).
    pub states: Vec<Ident>,
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
    /// The storage of each region that releases slots.
    pub region_storage: std::collections::BTreeMap<flow::RegionId, storage::Storage>,
    pub macros: Vec<syn::Macro>,
    pub witness: TokenStream,
    pub node_info: std::collections::BTreeMap<ir::NodeId, (&'static str, usize)>,
}

pub fn prepare(args: TokenStream, item: TokenStream) -> syn::Result<Prepared> {
    let mut options = crate::options::parse(args)?;
    let mut function = crate::parse_function(item)?;
    options.reparsed = function.attrs.iter().any(|a| !is_builtin_attribute(a));
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

    // Items declared in the body are visible everywhere in it: emitted once,
    // first. So are those a macro declares (`pin_project! { struct F { .. } }`).
    let (items, stmts): (Vec<syn::Stmt>, Vec<syn::Stmt>) =
        function.block.stmts.drain(..).partition(|s| match s {
            syn::Stmt::Item(_) => true,
            syn::Stmt::Macro(m) => crate::macro_locals::declares_items(&m.mac),
            _ => false,
        });
    let items = items
        .into_iter()
        .filter_map(|s| match s {
            syn::Stmt::Item(i) => Some(i),
            syn::Stmt::Macro(m) => Some(syn::Item::Macro(syn::ItemMacro {
                attrs: m.attrs,
                ident: None,
                mac: m.mac,
                semi_token: m.semi_token,
            })),
            _ => None,
        })
        .collect();
    function.block.stmts = stmts;

    let signature = signature::lower(&mut function);
    let witness = emit::witness(&function, &signature);

    let mut body = function.block.as_ref().clone();
    body.stmts.splice(0..0, signature.prelude.iter().cloned());
    let mut async_macros =
        crate::async_macros::AsyncMacros::new(quote::quote!(::explicit_async::__private));
    async_macros.visit_block_mut(&mut body);
    if let Some(error) = async_macros.error {
        return Err(error);
    }
    crate::macros::ExplicitCaptures.visit_block_mut(&mut body);
    let mut opener = crate::macros::OpenMacros::default();
    opener.visit_block_mut(&mut body);
    if let Some(error) = opener.error {
        return Err(error);
    }
    // Again, for what the opened macros held (`assert!(.., { let p = pin!(..); .. })`).
    async_macros.visit_block_mut(&mut body);
    if let Some(error) = async_macros.error {
        return Err(error);
    }

    crate::if_let_place::IfLetOnPlace.visit_block_mut(&mut body);
    let argument_names: Vec<syn::Ident> = signature
        .arguments
        .iter()
        .map(|a| a.local_name.clone())
        .collect();
    crate::macro_locals::check(&argument_names, &body)?;

    let mut normalizer = normalize::Normalizer::new();
    normalizer.argument_statements = signature.prelude.len();
    let root = normalizer.body(body);
    let node_info = normalizer.node_info.clone();
    let order = normalizer.order.clone();
    let statement_temps = std::mem::take(&mut normalizer.statement_temps);
    let temp_numbers = std::mem::take(&mut normalizer.temp_numbers);
    let (mut root, mut points) = normalizer.finish(root)?;

    let mut resolver = resolve::Resolver::new(&mut points, statement_temps, temp_numbers);
    let arguments: Vec<locals::LocalId> = signature
        .arguments
        .iter()
        .map(|a| {
            let kind = if a.is_self {
                locals::LocalKind::SelfArg
            } else {
                locals::LocalKind::Argument
            };
            let local = resolver.argument(&a.local_name, kind, a.mutable);
            resolver.out.locals[local].ty = a.ty.clone();
            local
        })
        .collect();
    resolver.body(&mut root);
    let locals = resolver.out;

    let mut builder = cfg::Builder::new(&points);
    builder.body(&arguments, &root);
    // The receiver of each awaited method call (`x` in `x.m(..).await`), and the method.
    let operand_receivers: Vec<Vec<(locals::UseId, String)>> = points
        .iter()
        .map(|p| match awaited_method_call(&p.operand) {
            Some(m) => cfg::markers_in_expr(receiver_root(&m.receiver))
                .into_iter()
                .map(|u| (u, m.method.to_string()))
                .collect(),
            None => Vec::new(),
        })
        .collect();
    let hints = hints::gather(&root, &locals, &function, &signature, &arguments);
    let flow = flow::Flow::analyze(builder.cfg, &locals, &operand_receivers, &hints, |entry| {
        order.of(entry)
    });
    let storage = storage::decide(&flow, &locals, &root, &points, &hints);
    let region_storage = (0..flow.regions.len())
        .filter_map(|region| Some((region, storage.in_region(region)?)))
        .collect();
    let states = emit::state_names(&flow, &points, &node_info)?;
    Ok(Prepared {
        states,
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
        region_storage,
        macros: opener.macros,
        witness,
        node_info,
    })
}

/// An attribute rustc handles itself (not a macro that parses the item).
fn is_builtin_attribute(attr: &syn::Attribute) -> bool {
    const BUILTIN: &[&str] = &[
        "doc",
        "inline",
        "cold",
        "cfg",
        "cfg_attr",
        "allow",
        "warn",
        "deny",
        "forbid",
        "expect",
        "must_use",
        "deprecated",
        "track_caller",
        "no_mangle",
        "export_name",
        "link_section",
        "target_feature",
        "instruction_set",
        "optimize",
        "coverage",
    ];
    attr.path()
        .get_ident()
        .is_some_and(|name| BUILTIN.iter().any(|b| name == b))
}

/// `x` in `x`, `x.field`, `(x)`: the local a receiver is rooted at.
/// The method call an await's operand is: `x.m(..)`, or the first call of
/// a chain awaited inside the `async` block that keeps the chain's
/// temporaries (`async { x.m(..).n(..).await }`: see
/// `settle_operand_temporaries`), where the block captures `x` as `m`
/// takes it.
fn awaited_method_call(operand: &syn::Expr) -> Option<&syn::ExprMethodCall> {
    match operand {
        syn::Expr::MethodCall(m) => Some(m),
        syn::Expr::Async(block) => match block.block.stmts.as_slice() {
            [syn::Stmt::Expr(syn::Expr::Await(awaited), None)] => {
                let mut call = match &*awaited.base {
                    syn::Expr::MethodCall(m) => m,
                    _ => return None,
                };
                while let syn::Expr::MethodCall(inner) = &*call.receiver {
                    call = inner;
                }
                Some(call)
            }
            _ => None,
        },
        _ => None,
    }
}

fn receiver_root(expr: &syn::Expr) -> &syn::Expr {
    match expr {
        syn::Expr::Field(f) => receiver_root(&f.base),
        syn::Expr::Paren(p) => receiver_root(&p.expr),
        other => other,
    }
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

    /// The states' names, in order: `Start`, then the waiting states and
    /// joins in source order.
    pub fn state_names(&self) -> Vec<String> {
        self.states.iter().map(|s| s.to_string()).collect()
    }

    /// The locals the variant of `state` holds (slots are in the frame), in
    /// declaration order, by the names the expansion gives them.
    pub fn stored_in(&self, state: &str) -> Vec<String> {
        let Some(region) = self.states.iter().position(|s| s == state) else {
            return Vec::new();
        };
        let stored = match self.flow.regions[region] {
            flow::Entry::Start => self.arguments.clone(),
            flow::Entry::Resume(a) => self.storage.at_await[a].clone(),
            _ => self
                .storage
                .at_join
                .get(&region)
                .cloned()
                .unwrap_or_default(),
        };
        let names = lower::unique_names(&self.locals).0;
        self.storage
            .variant_locals(&stored)
            .into_iter()
            .map(|l| names[l].to_string())
            .collect()
    }

    /// The locals that live in slots (they never move), newest first.
    pub fn slots(&self) -> Vec<String> {
        let names = lower::unique_names(&self.locals).0;
        let mut slots: Vec<locals::LocalId> = self.storage.slots.keys().copied().collect();
        slots.sort_by_key(|&l| std::cmp::Reverse(self.locals.locals[l].decl));
        slots.into_iter().map(|l| names[l].to_string()).collect()
    }
}
