//! What the signature and the initializers tell about some locals' types,
//! which the transform cannot otherwise see.
//!
//! Three questions decide how a local is stored: does it own its value
//! (only then can a field of it be moved out), does calling it lend it to
//! the future it returns (an `async` closure), and does calling it consume
//! it (an `FnOnce`)? Each is answered only where the source says so; where
//! it does not, the answer chosen is the one whose wrong guess is a compile
//! error rather than a different run.

use crate::ir;
use crate::locals::{LocalId, Locals};
use crate::owned::owned_value;
use crate::signature::Signature;
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use syn::{Expr, ItemFn, Pat, Type};

#[derive(Default)]
pub struct Hints {
    /// Owns its value (not a reference), as far as the source tells:
    /// arguments of a non-reference type, `self` by value, `let`s bound by
    /// name to an [owned value](crate::owned::owned_value) or an await's output, and the
    /// bindings by value of a `match` on an owned value.
    pub owned: BTreeSet<LocalId>,
    /// Surely a reference: `&self`, `&mut self`, arguments of a reference type.
    pub references: BTreeSet<LocalId>,
    /// Calling it returns a future that borrows it: `async` closures and
    /// arguments typed `impl AsyncFn(..)`/`impl AsyncFnMut(..)` (or a
    /// generic parameter bounded so).
    pub lending: BTreeSet<LocalId>,
    /// Calling it consumes it: arguments typed `impl FnOnce(..)`,
    /// `Box<dyn FnOnce(..)>` or a generic parameter bounded by `FnOnce`, and
    /// `let`-bound closures whose body moves into an `async move` block.
    pub once: BTreeSet<LocalId>,
    /// An argument that is a future by value: typed `impl Future` (or
    /// `impl IntoFuture`) or a generic parameter bounded so. What is awaited
    /// on it is a combinator that takes it (`fut.or(other).await`).
    pub futures: BTreeSet<LocalId>,
    /// The sender of `let (tx, rx) = oneshot::channel();` (tokio's,
    /// futures', `async-channel`'s oneshot): its `send` takes `self`.
    pub oneshot_senders: BTreeSet<LocalId>,
    /// Given a reference at its `let` (`let r = &x;`): the local it points into.
    pub points_to: BTreeMap<LocalId, LocalId>,
}

pub fn gather(
    body: &ir::Block,
    locals: &Locals,
    function: &ItemFn,
    signature: &Signature,
    arguments: &[LocalId],
) -> Hints {
    let mut hints = Hints::default();
    let bounds = generic_bounds(function);
    let bounded = |ty: &str, by: &dyn Fn(&str) -> bool| {
        by(ty) || bounds.iter().any(|(name, b)| name == ty && by(b))
    };
    for (arg, &local) in signature.arguments.iter().zip(arguments) {
        let is_reference = match (&arg.ty, arg.is_self) {
            (Some(ty), _) => matches!(ty, Type::Reference(_)),
            (None, true) => !arg.by_value_self,
            (None, false) => true,
        };
        if is_reference && (arg.ty.is_some() || arg.is_self) {
            hints.references.insert(local);
        } else if !is_reference {
            hints.owned.insert(local);
        }
        let Some(ty) = &arg.ty else { continue };
        let ty = ty.to_token_stream().to_string();
        if bounded(&ty, &lends) {
            hints.lending.insert(local);
        }
        if bounded(&ty, &called_once) {
            hints.once.insert(local);
        }
        if bounded(&ty, &is_future) {
            hints.futures.insert(local);
        }
    }
    // Locals holding `Some` of an `FnOnce`.
    let mut once_in_option = BTreeSet::new();
    lets(body, &mut |pat, init| {
        if let Init::Expr(e) = &init
            && let Some(sender) = oneshot_sender(pat, e)
        {
            hints.oneshot_senders.insert(sender);
        }
        let Some(local) = bound_name(pat) else { return };
        match init {
            Init::Await => {
                hints.owned.insert(local);
            }
            Init::Node(node) => {
                if crate::owned::owned_node(node, locals, &hints.owned) {
                    hints.owned.insert(local);
                }
            }
            Init::Expr(e) => {
                if owned_value(e, locals, &hints.owned) {
                    hints.owned.insert(local);
                }
                let typed_reference =
                    matches!(pat, Pat::Type(t) if matches!(*t.ty, Type::Reference(_)));
                if matches!(e, Expr::Reference(_)) || typed_reference {
                    hints.references.insert(local);
                }
                if let Expr::Reference(r) = e
                    && let Some(u) = crate::operands::place_root(&r.expr).and_then(Locals::use_of)
                {
                    hints.points_to.insert(local, locals.uses[u].local);
                }
                // `let x2 = arg0;` (an argument bound after a pattern
                // argument): the local is what it is bound from.
                if let Expr::Path(p) = e
                    && let Some(from) = p.path.get_ident().and_then(Locals::use_of)
                {
                    let from = locals.uses[from].local;
                    for set in [&mut hints.lending, &mut hints.once, &mut hints.references] {
                        if set.contains(&from) {
                            set.insert(local);
                        }
                    }
                }
                if let Expr::Closure(c) = e {
                    if c.asyncness.is_some() {
                        hints.lending.insert(local);
                    } else if called_once_closure(c, locals, &hints) {
                        hints.once.insert(local);
                    }
                }
                // `let mut slot = Some(f);`, then `let f = slot.take().unwrap();`
                // (an `FnOnce` kept until it is called): it is still the `FnOnce`.
                match wrapped_in_some(e) {
                    Some(Expr::Closure(c)) if called_once_closure(c, locals, &hints) => {
                        once_in_option.insert(local);
                    }
                    Some(Expr::Path(p))
                        if p.path
                            .get_ident()
                            .and_then(Locals::use_of)
                            .is_some_and(|u| hints.once.contains(&locals.uses[u].local)) =>
                    {
                        once_in_option.insert(local);
                    }
                    _ => {}
                }
                if let Some(option) = unwrapped_local(e, locals)
                    && once_in_option.contains(&option)
                {
                    hints.once.insert(local);
                }
                if let Pat::Type(t) = pat
                    && called_once(&t.ty.to_token_stream().to_string())
                {
                    hints.once.insert(local);
                }
            }
        }
    });
    arm_bindings(body, &mut |scrutinee, pat| {
        if owned_value(scrutinee, locals, &hints.owned) {
            let mut pat = pat.clone();
            crate::patterns::bind_idents(&mut pat, &mut |ident, _, by_ref| {
                if let Some(local) = Locals::binding_of(ident)
                    && !by_ref
                {
                    hints.owned.insert(local);
                }
            });
        }
    });
    hints
}

// Token text is compared without spaces: a compiler's token stream prints
// `FnOnce()`, proc-macro2's fallback `FnOnce ()`.

fn lends(tokens: &str) -> bool {
    let tokens = tokens.replace(' ', "");
    tokens.contains("AsyncFn(") || tokens.contains("AsyncFnMut(")
}

fn called_once(tokens: &str) -> bool {
    tokens.replace(' ', "").contains("FnOnce(")
}

/// `impl Future<..>` or a bound `Future<..> + ..` (`IntoFuture`, or a path
/// to either): not a reference to one, nor a closure returning one.
fn is_future(tokens: &str) -> bool {
    let tokens = tokens.replace(' ', "");
    let bound = tokens.strip_prefix("impl").unwrap_or(&tokens);
    let first = bound.split(['<', '+']).next().unwrap_or_default();
    let name = first.rsplit("::").next().unwrap_or_default();
    matches!(name, "Future" | "IntoFuture")
}

/// `T: Bounds` of the type parameters and the `where` clause, as text.
fn generic_bounds(function: &ItemFn) -> Vec<(String, String)> {
    let generics = &function.sig.generics;
    let params = generics
        .type_params()
        .map(|t| (t.ident.to_string(), t.bounds.to_token_stream().to_string()));
    let predicates = generics.where_clause.iter().flat_map(|w| {
        w.predicates.iter().filter_map(|p| match p {
            syn::WherePredicate::Type(t) => Some((
                t.bounded_ty.to_token_stream().to_string(),
                t.bounds.to_token_stream().to_string(),
            )),
            _ => None,
        })
    });
    params.chain(predicates).collect()
}

/// A closure whose body is an `async move` block: the block takes all the
/// closure captures out of it, which makes the closure `FnOnce` unless all
/// of them are `Copy` (then the closure owns nothing with a destructor,
/// and consuming it early is not observable).
fn moves_into_async_block(body: &Expr) -> bool {
    match body {
        Expr::Async(a) => a.capture.is_some(),
        Expr::Paren(p) => moves_into_async_block(&p.expr),
        _ => false,
    }
}

/// Does a `move` closure's body move out a local it captured, one with a
/// written type that is not known to be `Copy` (`let (d, _) = (d2, 0)`,
/// `f(d2)`, `P { b: d2, .. }`, `d2.consume()` with `d2: D`), or `self`
/// taken by value? Then the closure is `FnOnce`.
fn moves_a_capture(body: &Expr, locals: &Locals, owned: &BTreeSet<LocalId>) -> bool {
    /// `d2`, `(d2)` or `{ d2 }` used by value: a local owning a value not
    /// known to be `Copy`?
    fn moves_owned(e: &Expr, locals: &Locals, owned: &BTreeSet<LocalId>) -> bool {
        match e {
            Expr::Paren(p) => moves_owned(&p.expr, locals, owned),
            Expr::Block(b) if b.label.is_none() => match b.block.stmts.last() {
                Some(syn::Stmt::Expr(tail, None)) => moves_owned(tail, locals, owned),
                _ => false,
            },
            Expr::Path(p) => {
                let Some(u) = p.path.get_ident().and_then(Locals::use_of) else {
                    return false;
                };
                let id = locals.uses[u].local;
                let local = &locals.locals[id];
                let owned_type =
                    (local.ty.as_ref()).is_some_and(|t| !matches!(t, Type::Reference(_)));
                let self_by_value =
                    local.kind == crate::locals::LocalKind::SelfArg && owned.contains(&id);
                (owned_type && !local.known_copy()) || self_by_value
            }
            _ => false,
        }
    }
    let mut found = false;
    crate::operands::for_each_passed_by_value(body, &mut |e| {
        found |= moves_owned(e, locals, owned);
    });
    found
}

/// Does `body` call one of the `FnOnce` locals `once` (which makes a
/// closure around it `FnOnce` too)?
/// A closure that calling consumes: its body moves into an `async move`
/// block, calls an `FnOnce`, or (`move`) moves a capture out.
fn called_once_closure(c: &syn::ExprClosure, locals: &Locals, hints: &Hints) -> bool {
    moves_into_async_block(&c.body)
        || calls_one_of(&c.body, locals, &hints.once)
        || (c.capture.is_some() && moves_a_capture(&c.body, locals, &hints.owned))
}

/// `x` of `Some(x)`.
fn wrapped_in_some(e: &Expr) -> Option<&Expr> {
    let Expr::Call(call) = e else { return None };
    let Expr::Path(func) = &*call.func else {
        return None;
    };
    match (
        crate::names::last_name(&func.path).as_str(),
        call.args.len(),
    ) {
        ("Some", 1) => call.args.first(),
        _ => None,
    }
}

/// The local an option is taken out of: `x.take().unwrap()`, `x.unwrap()`,
/// or with `expect(..)`.
fn unwrapped_local(e: &Expr, locals: &Locals) -> Option<LocalId> {
    let Expr::MethodCall(unwrap) = e else {
        return None;
    };
    if !matches!(unwrap.method.to_string().as_str(), "unwrap" | "expect") {
        return None;
    }
    let option = match &*unwrap.receiver {
        Expr::MethodCall(take) if take.method == "take" && take.args.is_empty() => &*take.receiver,
        other => other,
    };
    let Expr::Path(p) = option else { return None };
    let u = p.path.get_ident().and_then(Locals::use_of)?;
    Some(locals.uses[u].local)
}

fn calls_one_of(body: &Expr, locals: &Locals, once: &BTreeSet<LocalId>) -> bool {
    struct Find<'a> {
        locals: &'a Locals,
        once: &'a BTreeSet<LocalId>,
        found: bool,
    }
    impl<'v> syn::visit::Visit<'v> for Find<'_> {
        fn visit_expr_call(&mut self, call: &'v syn::ExprCall) {
            if let Expr::Path(p) = &*call.func
                && let Some(u) = p.path.get_ident().and_then(Locals::use_of)
            {
                self.found |= self.once.contains(&self.locals.uses[u].local);
            }
            syn::visit::visit_expr_call(self, call);
        }
        // `vec![0, c()]`: a call in a macro's tokens.
        fn visit_macro(&mut self, mac: &'v syn::Macro) {
            self.tokens(mac.tokens.clone());
        }
    }
    impl Find<'_> {
        fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
            let trees: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
            for (i, tree) in trees.iter().enumerate() {
                match tree {
                    proc_macro2::TokenTree::Ident(ident) => {
                        let called = matches!(trees.get(i + 1),
                            Some(proc_macro2::TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis);
                        if called && let Some(u) = Locals::use_of(ident) {
                            self.found |= self.once.contains(&self.locals.uses[u].local);
                        }
                    }
                    proc_macro2::TokenTree::Group(g) => self.tokens(g.stream()),
                    _ => {}
                }
            }
        }
    }
    let mut find = Find {
        locals,
        once,
        found: false,
    };
    syn::visit::Visit::visit_expr(&mut find, body);
    find.found
}

/// The local a pattern binds by value, by name (`x`, `mut x`, `x: T`).
fn bound_name(pat: &Pat) -> Option<LocalId> {
    match pat {
        Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => Locals::binding_of(&p.ident),
        Pat::Type(t) if !matches!(*t.ty, Type::Reference(_)) => bound_name(&t.pat),
        _ => None,
    }
}

/// What a `let` is initialized with.
enum Init<'a> {
    Await,
    Expr(&'a Expr),
    /// An initializer that awaits (its value is its tail's, or its breaks').
    Node(&'a ir::Node),
}

/// Every `let` of the body with an initializer, outside closures.
fn lets(block: &ir::Block, visit: &mut dyn FnMut(&Pat, Init<'_>)) {
    for stmt in &block.stmts {
        match stmt {
            ir::Stmt::Plain(syn::Stmt::Local(l)) => {
                if let Some(init) = &l.init {
                    visit(&l.pat, Init::Expr(&init.expr));
                }
            }
            ir::Stmt::Plain(_) => {}
            ir::Stmt::Let { pat, init, .. } => {
                // The initializer's own `let`s first: its value may be one of them.
                node_lets(init, visit);
                match init {
                    ir::Node::Await(_) => visit(pat, Init::Await),
                    ir::Node::Plain(value) => visit(pat, Init::Expr(value)),
                    // `let t = (f().await, 0);`: its value is the block's tail.
                    ir::Node::Block(b) => match b.stmts.last() {
                        Some(ir::Stmt::Expr {
                            node: ir::Node::Plain(tail),
                            semi: false,
                        }) => visit(pat, Init::Expr(tail)),
                        // `let t = f(&temp()).await;`: the temporaries, then the await.
                        Some(ir::Stmt::Expr {
                            node: ir::Node::Await(_),
                            semi: false,
                        }) => visit(pat, Init::Await),
                        _ => visit(pat, Init::Node(init)),
                    },
                    _ => visit(pat, Init::Node(init)),
                }
            }
            ir::Stmt::Expr { node, .. } => node_lets(node, visit),
        }
    }
}

/// Every arm of a `match` of the body (outside closures), with its scrutinee.
fn arm_bindings(block: &ir::Block, visit: &mut dyn FnMut(&Expr, &Pat)) {
    for stmt in &block.stmts {
        match stmt {
            ir::Stmt::Let { init, .. } | ir::Stmt::Expr { node: init, .. } => {
                node_arms(init, visit)
            }
            ir::Stmt::Plain(_) => {}
        }
    }
}

fn node_arms(node: &ir::Node, visit: &mut dyn FnMut(&Expr, &Pat)) {
    match node {
        ir::Node::Block(b) => arm_bindings(b, visit),
        ir::Node::If {
            then, otherwise, ..
        } => {
            arm_bindings(then, visit);
            if let Some(o) = otherwise {
                node_arms(o, visit);
            }
        }
        ir::Node::Match {
            scrutinee, arms, ..
        } => {
            for arm in arms {
                visit(scrutinee, &arm.pat);
                node_arms(&arm.body, visit);
            }
        }
        ir::Node::Loop { body, .. } => arm_bindings(body, visit),
        ir::Node::Await(_) | ir::Node::Plain(_) => {}
    }
}

fn node_lets(node: &ir::Node, visit: &mut dyn FnMut(&Pat, Init<'_>)) {
    match node {
        ir::Node::Block(b) => lets(b, visit),
        ir::Node::If {
            then, otherwise, ..
        } => {
            lets(then, visit);
            if let Some(o) = otherwise {
                node_lets(o, visit);
            }
        }
        ir::Node::Match { arms, .. } => arms.iter().for_each(|a| node_lets(&a.body, visit)),
        ir::Node::Loop { body, .. } => lets(body, visit),
        ir::Node::Await(_) | ir::Node::Plain(_) => {}
    }
}

/// `let (tx, rx) = ..oneshot::channel();`: `tx`.
fn oneshot_sender(pat: &Pat, init: &Expr) -> Option<LocalId> {
    let Expr::Call(call) = init else { return None };
    let Expr::Path(func) = &*call.func else {
        return None;
    };
    let names = crate::names::segment_names(&func.path);
    if !names.ends_with(&["oneshot".to_string(), "channel".to_string()]) {
        return None;
    }
    let Pat::Tuple(t) = crate::async_macros::strip_type(pat) else {
        return None;
    };
    bound_name(t.elems.first()?)
}
