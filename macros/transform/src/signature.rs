//! The rewritten signature, and the arguments as the body sees them.
//!
//! rustc lowers `async fn f(x: T, (a, b): (A, B), _: U)` so that its body
//! starts with `let x = x; let mut __arg1 = __arg1; let (a, b) = __arg1;
//! let mut __arg2 = __arg2; let _ = __arg2;`: a simple argument is moved
//! into a local of the same name, any other pattern is matched against a
//! local that holds the whole argument (which keeps what the pattern does
//! not bind, `_` included, until the body ends). The same statements start
//! the state machine's body here, so drop order follows by construction.
//!
//! The returned `impl Future` must capture every lifetime of the arguments,
//! in every edition: elided ones are named (`'life0`, …) and all of them are
//! listed in a `Captures` bound.

use crate::normalize::INTERNAL;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{FnArg, Ident, ItemFn, Lifetime, Pat, ReturnType, Type, parse_quote};

/// Names the expansion binds itself, with the same hygiene as the parameters.
pub const RESERVED: &[&str] = &[
    "fut", "value", "state", "frame", "output", "ret", "cx", "machine",
];

/// One argument of the function.
pub struct Argument {
    /// What the body calls it (`x`, `self`, or an internal `__ea_argN_0`).
    pub local_name: Ident,
    pub is_self: bool,
    /// `self` or `mut self` (not `&self`, `&mut self` or a typed receiver).
    pub by_value_self: bool,
    pub mutable: bool,
    /// How the rewritten signature names the parameter (hygienic).
    pub param: TokenStream,
    /// The declared type, when the pattern has one (not `self`).
    pub ty: Option<Type>,
}

pub struct Signature {
    pub arguments: Vec<Argument>,
    /// `let PAT = __argN;` for the pattern arguments, to start the body with.
    pub prelude: Vec<syn::Stmt>,
    /// The witness's view of the arguments: `let x = x;`, `let PAT = argN;`.
    pub witness_prelude: Vec<syn::Stmt>,
    /// The parameters of the rewritten signature.
    pub inputs: TokenStream,
    /// The lifetimes the returned future captures.
    pub lifetimes: Vec<Lifetime>,
    /// `'life0`, … introduced for elided lifetimes (added to the generics).
    pub named_elided: Vec<Lifetime>,
}

pub fn lower(function: &mut ItemFn) -> Signature {
    // `-> !` is written `Never`: `Output = !` is not stable Rust.
    if let ReturnType::Type(_, ty) = &mut function.sig.output
        && matches!(**ty, Type::Never(_))
    {
        **ty = parse_quote!(::explicit_async::__private::Never);
    }
    let machine = bound_generics_by_machine(function).or_else(|| {
        let machine = borrowing_from_two(function)?;
        bound_by(function, &machine);
        Some(machine)
    });
    let mut arguments = Vec::new();
    let mut prelude = Vec::new();
    let mut witness_prelude = Vec::new();
    let mut inputs = Vec::new();
    let mut namer = NameElided::default();
    // With a pattern argument, rustc binds every argument in the body, in
    // order (`let x = x; let mut __arg1 = __arg1; let PAT = __arg1; ..`),
    // which is their drop order: so does the prelude.
    let any_pattern = function.sig.inputs.iter().any(|a| {
        matches!(a, FnArg::Typed(t) if !matches!(&*t.pat, Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none()))
    });
    for (index, arg) in function.sig.inputs.iter_mut().enumerate() {
        match arg {
            FnArg::Receiver(receiver) => {
                if let Some((_, lifetime)) = &mut receiver.reference {
                    // `&self`: the same lifetime in the shorthand and in its type `&Self`.
                    if lifetime.as_ref().is_none_or(|l| l.ident == "_") {
                        *lifetime = Some(namer.fresh());
                    }
                    if let Type::Reference(r) = &mut *receiver.ty {
                        r.lifetime = lifetime.clone();
                        namer.visit_type_mut(&mut r.elem);
                    }
                } else {
                    namer.visit_type_mut(&mut receiver.ty);
                }
                let by_value_mut = receiver.reference.is_none() && receiver.mutability.is_some();
                arguments.push(Argument {
                    local_name: Ident::new("self", receiver.self_token.span),
                    is_self: true,
                    by_value_self: receiver.reference.is_none() && receiver.colon_token.is_none(),
                    mutable: by_value_mut,
                    // The receiver's own token: `self` is hygienic (a
                    // `macro_rules!` may have written the signature).
                    param: receiver.self_token.to_token_stream(),
                    ty: None,
                });
                inputs.push(receiver.to_token_stream());
            }
            FnArg::Typed(typed) => {
                namer.visit_type_mut(&mut typed.ty);
                let (attrs, ty) = (&typed.attrs, &typed.ty);
                match &*typed.pat {
                    Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none() && any_pattern => {
                        let ident = &p.ident;
                        let internal =
                            Ident::new(&format!("{INTERNAL}arg{index}_0"), Span::mixed_site());
                        let param = parameter_name(ident);
                        arguments.push(Argument {
                            local_name: internal.clone(),
                            is_self: false,
                            by_value_self: false,
                            mutable: false,
                            param: quote!(#param),
                            ty: Some((**ty).clone()),
                        });
                        inputs.push(quote!(#(#attrs)* #param: #ty));
                        let mutability = p.mutability;
                        prelude.push(parse_quote!(let #mutability #ident = #internal;));
                        witness_prelude.push(parse_quote!(let #mutability #ident = #param;));
                    }
                    Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none() => {
                        let ident = &p.ident;
                        let param = parameter_name(ident);
                        arguments.push(Argument {
                            local_name: ident.clone(),
                            is_self: false,
                            by_value_self: false,
                            mutable: p.mutability.is_some(),
                            param: quote!(#param),
                            ty: Some((**ty).clone()),
                        });
                        inputs.push(quote!(#(#attrs)* #param: #ty));
                        let mutability = p.mutability;
                        witness_prelude.push(parse_quote!(let #mutability #ident = #param;));
                    }
                    pat => {
                        let internal =
                            Ident::new(&format!("{INTERNAL}arg{index}_0"), Span::mixed_site());
                        let param = Ident::new(&format!("arg{index}"), Span::mixed_site());
                        arguments.push(Argument {
                            local_name: internal.clone(),
                            is_self: false,
                            by_value_self: false,
                            mutable: true,
                            param: quote!(#param),
                            ty: Some((**ty).clone()),
                        });
                        inputs.push(quote!(#(#attrs)* #param: #ty));
                        // Held in order among the other arguments, until the
                        // body ends (what the pattern leaves, or all of it for `_`).
                        let holder =
                            Ident::new(&format!("{INTERNAL}arg{index}_1"), Span::mixed_site());
                        prelude.push(parse_quote!(let mut #holder = #internal;));
                        if !matches!(pat, Pat::Wild(_)) {
                            prelude.push(parse_quote!(let #pat = #holder;));
                        }
                        // `ref mut` in the pattern borrows the argument mutably.
                        if crate::patterns::has_ref_mut(pat) {
                            witness_prelude.push(parse_quote!(let mut #param = #param;));
                        }
                        // (A `ref` argument is the user's; the `let` is ours.)
                        witness_prelude.push(parse_quote! {
                            #[allow(clippy::toplevel_ref_arg)]
                            let #pat = #param;
                        });
                    }
                }
            }
        }
    }
    let mut lifetimes: Vec<Lifetime> = function
        .sig
        .generics
        .lifetimes()
        .map(|l| l.lifetime.clone())
        .collect();
    lifetimes.extend(namer.named.iter().cloned());
    let mut named_elided = namer.named;
    if let Some(machine) = machine {
        lifetimes.push(machine.clone());
        named_elided.insert(0, machine);
    }
    // An elided lifetime in the output is the receiver's, or the only input
    // lifetime's (the elision rules): written out the same way.
    let receiver_lifetime = function.sig.inputs.iter().find_map(|a| match a {
        FnArg::Receiver(r) => r.reference.as_ref().and_then(|(_, l)| l.clone()),
        FnArg::Typed(_) => None,
    });
    let output_lifetime = receiver_lifetime.or_else(|| {
        (lifetimes_in_inputs(function) == 1)
            .then(|| lifetimes.last().cloned())
            .flatten()
    });
    if let (ReturnType::Type(_, ty), Some(lifetime)) = (&mut function.sig.output, output_lifetime) {
        NameOutput(lifetime).visit_type_mut(ty);
    }
    Signature {
        arguments,
        prelude,
        witness_prelude,
        inputs: quote!(#(#inputs),*),
        lifetimes,
        named_elided,
    }
}

/// A function generic over types (`T`, `impl Trait` arguments) whose
/// future borrows a value of such a type (`peek(&t).await`, `f().await`
/// with `f: impl AsyncFn()`) stores a type like `Peek<'a, T>`. rustc's own
/// future hides that `'a`; a nameable state must give it a lifetime the
/// returned future captures, and every generic type must outlive it. So
/// such a function gets one more lifetime, `'machine`, the generic types
/// are bounded by it (`T: 'machine`, `impl Trait + 'machine`): callers can
/// always choose it (as short as the shortest of them).
fn bound_generics_by_machine(function: &mut ItemFn) -> Option<Lifetime> {
    let has_receiver = function
        .sig
        .inputs
        .iter()
        .any(|a| matches!(a, FnArg::Receiver(_)));
    let generic = function.sig.generics.type_params().next().is_some();
    let impl_args = function
        .sig
        .inputs
        .iter()
        .any(|a| matches!(a, FnArg::Typed(t) if matches!(&*t.ty, Type::ImplTrait(_))));
    let taken = function
        .sig
        .generics
        .lifetimes()
        .any(|l| l.lifetime.ident == "machine");
    // A method keeps the trait's lifetime parameters when it implements one;
    // only a method whose awaited futures may borrow a generic argument
    // (which needs `'machine` to build at all) gets it. `self` by value is
    // one, its type the impl's (`impl<T> Queue<T>`, which the attribute
    // does not see): `self.join_next().await` stores `JoinNext<'_, T>`.
    // Only in a method with a visibility, which a trait's `impl` cannot
    // have: there a `'machine` the trait does not declare is E0195.
    let inherent = !matches!(function.vis, syn::Visibility::Inherited);
    let lends_self = inherent && self_by_value_awaited(function);
    let lends = lends_self || generic_argument_awaited(function);
    if (has_receiver && !lends) || taken || (!generic && !impl_args && !lends_self) {
        return None;
    }
    let machine = Lifetime::new("'machine", Span::call_site());
    bound_by(function, &machine);
    Some(machine)
}

/// Bounds every generic type of the signature by `'machine` (which its
/// futures' stored types may name): each type parameter, and each `impl
/// Trait` argument, also inside another type (`Option<impl FnMut(&V) ->
/// bool>`, `Pin<&mut impl Future>`, moka's).
fn bound_by(function: &mut ItemFn, machine: &Lifetime) {
    struct BoundImplTraits<'m>(&'m Lifetime);
    impl VisitMut for BoundImplTraits<'_> {
        fn visit_type_impl_trait_mut(&mut self, i: &mut syn::TypeImplTrait) {
            visit_mut::visit_type_impl_trait_mut(self, i);
            i.bounds.push(syn::TypeParamBound::Lifetime(self.0.clone()));
        }

        // `&mut impl Future + 'machine` is an ambiguous `+`: parenthesized.
        fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
            visit_mut::visit_type_reference_mut(self, r);
            if let Type::ImplTrait(i) = &*r.elem {
                *r.elem = Type::Paren(syn::TypeParen {
                    paren_token: Default::default(),
                    elem: Box::new(Type::ImplTrait(i.clone())),
                });
            }
        }
    }
    for arg in function.sig.inputs.iter_mut() {
        if let FnArg::Typed(t) = arg {
            BoundImplTraits(machine).visit_type_mut(&mut t.ty);
        }
    }
    // Where the parameter's bounds are (in the `where` clause, or beside it).
    let in_where: Vec<String> = function
        .sig
        .generics
        .where_clause
        .iter()
        .flat_map(|w| &w.predicates)
        .filter_map(|p| match p {
            syn::WherePredicate::Type(t) => Some(t.bounded_ty.to_token_stream().to_string()),
            _ => None,
        })
        .collect();
    for param in function.sig.generics.type_params_mut() {
        if !in_where.contains(&param.ident.to_string()) {
            param
                .bounds
                .push(syn::TypeParamBound::Lifetime(machine.clone()));
        }
    }
    if let Some(where_clause) = &mut function.sig.generics.where_clause {
        for predicate in where_clause.predicates.iter_mut() {
            if let syn::WherePredicate::Type(t) = predicate
                && matches!(&t.bounded_ty, Type::Path(p) if p.path.get_ident().is_some())
            {
                t.bounds
                    .push(syn::TypeParamBound::Lifetime(machine.clone()));
            }
        }
    }
}

/// Names every elided or anonymous lifetime in argument types (`&T` →
/// `&'life0 T`, `Foo<'_>` → `Foo<'life1>`), not inside `impl Fn..` or
/// `dyn Fn..` sugar, where an elided lifetime is higher-ranked.
#[derive(Default)]
struct NameElided {
    named: Vec<Lifetime>,
    in_fn_sugar: usize,
}

impl NameElided {
    fn fresh(&mut self) -> Lifetime {
        let lifetime = Lifetime::new(&format!("'life{}", self.named.len()), Span::call_site());
        self.named.push(lifetime.clone());
        lifetime
    }
}

impl VisitMut for NameElided {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if self.in_fn_sugar == 0 && r.lifetime.as_ref().is_none_or(|l| l.ident == "_") {
            r.lifetime = Some(self.fresh());
        }
        visit_mut::visit_type_reference_mut(self, r);
    }

    fn visit_lifetime_mut(&mut self, l: &mut Lifetime) {
        if self.in_fn_sugar == 0 && l.ident == "_" {
            *l = self.fresh();
        }
    }

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        p: &mut syn::ParenthesizedGenericArguments,
    ) {
        self.in_fn_sugar += 1;
        visit_mut::visit_parenthesized_generic_arguments_mut(self, p);
        self.in_fn_sugar -= 1;
    }

    fn visit_type_bare_fn_mut(&mut self, f: &mut syn::TypeBareFn) {
        self.in_fn_sugar += 1;
        visit_mut::visit_type_bare_fn_mut(self, f);
        self.in_fn_sugar -= 1;
    }
}

/// How many lifetimes the inputs mention (named or, by now, all named).
fn lifetimes_in_inputs(function: &ItemFn) -> usize {
    struct Count(Vec<String>);
    impl<'a> syn::visit::Visit<'a> for Count {
        fn visit_lifetime(&mut self, l: &'a Lifetime) {
            let name = l.ident.to_string();
            if name != "static" && !self.0.contains(&name) {
                self.0.push(name);
            }
        }
    }
    let mut count = Count(Vec::new());
    for input in &function.sig.inputs {
        syn::visit::Visit::visit_fn_arg(&mut count, input);
    }
    count.0.len()
}

/// A function with two borrowed arguments whose body awaits a future that
/// may borrow from both (`self.stream.write_all(text).await`, or
/// `c.on_acquire(conn).await` with `c` borrowed from `self`): the future's
/// type names the shorter of the two lifetimes, which no parameter names.
/// It gets `'machine`, which every other lifetime outlives. Only then: in a
/// trait's `impl`, a method must keep the trait's lifetime parameters.
fn borrowing_from_two(function: &ItemFn) -> Option<Lifetime> {
    let taken = function
        .sig
        .generics
        .lifetimes()
        .any(|l| l.lifetime.ident == "machine");
    if taken || references_in_inputs(function) < 2 {
        return None;
    }
    struct MixedAwait(bool, Vec<String>);
    impl MixedAwait {
        fn names_two(&mut self, mut names: Vec<String>) {
            names.sort();
            names.dedup();
            self.0 |= names.len() >= 2;
        }
    }
    impl<'a> syn::visit::Visit<'a> for MixedAwait {
        fn visit_expr_await(&mut self, a: &'a syn::ExprAwait) {
            self.names_two(value_names(a.base.to_token_stream()));
            syn::visit::visit_expr_await(self, a);
        }
        fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'a syn::ExprAsync) {}
        // `pin!(async { .. d .. rm7 .. })`, kept across an await: the pinned
        // reference names the shorter lifetime of what the block borrows.
        fn visit_macro(&mut self, m: &'a syn::Macro) {
            if crate::names::last_name(&m.path) == "pin" {
                let mut names = value_names(m.tokens.clone());
                names.retain(|n| self.1.contains(n));
                self.names_two(names);
            }
        }
    }
    let arguments = function
        .sig
        .inputs
        .iter()
        .flat_map(|a| match a {
            FnArg::Typed(t) => crate::patterns::binding_idents(&t.pat)
                .into_iter()
                .map(|(ident, _)| ident.to_string())
                .collect(),
            FnArg::Receiver(_) => vec!["self".to_string()],
        })
        .collect();
    let mut mixed = MixedAwait(false, arguments);
    syn::visit::Visit::visit_block(&mut mixed, &function.block);
    mixed
        .0
        .then(|| Lifetime::new("'machine", Span::call_site()))
}

/// Does the body of a function that awaits name an argument of a generic
/// or `impl Trait` type (`peek(&x).await`, `f(0).await` with `f: impl
/// AsyncFn`)? Its futures may borrow it.
fn generic_argument_awaited(function: &ItemFn) -> bool {
    let type_params: Vec<String> = function
        .sig
        .generics
        .type_params()
        .map(|p| p.ident.to_string())
        .collect();
    let generic_args: Vec<String> = function
        .sig
        .inputs
        .iter()
        .filter_map(|a| match a {
            FnArg::Typed(t) => Some(t),
            FnArg::Receiver(_) => None,
        })
        .filter(|t| {
            matches!(&*t.ty, Type::ImplTrait(_))
                || matches!(&*t.ty, Type::Path(p) if p.path.get_ident()
                    .is_some_and(|i| type_params.contains(&i.to_string())))
        })
        .flat_map(|t| crate::patterns::binding_idents(&t.pat))
        .map(|(ident, _)| ident.to_string())
        .collect();
    if generic_args.is_empty() {
        return false;
    }
    // By the tokens (an await may sit inside `format!`): the body names
    // such an argument and awaits.
    fn scan(tokens: TokenStream, names: &[String], named: &mut bool, awaits: &mut bool) {
        for tree in tokens {
            match tree {
                proc_macro2::TokenTree::Ident(i) => {
                    *awaits |= i == "await";
                    *named |= names.iter().any(|n| i == n);
                }
                proc_macro2::TokenTree::Group(g) => scan(g.stream(), names, named, awaits),
                _ => {}
            }
        }
    }
    let (mut named, mut awaits) = (false, false);
    scan(
        function.block.to_token_stream(),
        &generic_args,
        &mut named,
        &mut awaits,
    );
    named && awaits
}

/// Does a method taking `self` by value await a future that names `self`
/// (`self.join_next().await`, `peek(&self.x).await`)? That future may
/// borrow it, and its type names a lifetime that `Self` must outlive.
fn self_by_value_awaited(function: &ItemFn) -> bool {
    struct NamesSelf(bool);
    impl<'a> syn::visit::Visit<'a> for NamesSelf {
        fn visit_expr_await(&mut self, a: &'a syn::ExprAwait) {
            self.0 |= value_names(a.base.to_token_stream())
                .iter()
                .any(|n| n == "self");
            syn::visit::visit_expr_await(self, a);
        }
        fn visit_expr_closure(&mut self, _: &'a syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'a syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'a syn::Item) {}
    }
    let by_value = function.sig.inputs.iter().any(
        |a| matches!(a, FnArg::Receiver(r) if r.reference.is_none() && r.colon_token.is_none()),
    );
    let mut names_self = NamesSelf(false);
    if by_value {
        syn::visit::Visit::visit_block(&mut names_self, &function.block);
    }
    names_self.0
}

/// How many references (or named lifetimes) the arguments hold. `self` by
/// value counts as one: it may hold its impl's lifetimes, which the method
/// does not see (`impl ToStatementType<'_>`).
fn references_in_inputs(function: &ItemFn) -> usize {
    struct Count(usize);
    impl<'a> syn::visit::Visit<'a> for Count {
        fn visit_type_reference(&mut self, r: &'a syn::TypeReference) {
            if r.lifetime.is_none() {
                self.0 += 1;
            }
            syn::visit::visit_type_reference(self, r);
        }
        fn visit_lifetime(&mut self, l: &'a Lifetime) {
            if l.ident != "static" {
                self.0 += 1;
            }
        }
    }
    let mut count = Count(0);
    for input in &function.sig.inputs {
        if let FnArg::Receiver(r) = input
            && r.reference.as_ref().is_none_or(|(_, l)| l.is_none())
            && r.colon_token.is_none()
        {
            count.0 += 1;
        }
        syn::visit::Visit::visit_fn_arg(&mut count, input);
    }
    count.0
}

/// The lowercase names an expression's tokens use as values: not after a
/// `.` (fields, methods), not called, not paths' leading segments.
fn value_names(tokens: TokenStream) -> Vec<String> {
    let mut names = Vec::new();
    let trees: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            proc_macro2::TokenTree::Ident(ident) => {
                let name = ident.to_string();
                let after_dot = i > 0
                    && matches!(&trees[i - 1], proc_macro2::TokenTree::Punct(p) if p.as_char() == '.' || p.as_char() == ':');
                let before = trees.get(i + 1);
                let called_or_path = matches!(before, Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == ':' || p.as_char() == '!')
                    || matches!(before, Some(proc_macro2::TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis);
                let lowercase = name.starts_with(|c: char| c.is_lowercase() || c == '_');
                let keyword = matches!(
                    name.as_str(),
                    "await" | "as" | "mut" | "ref" | "move" | "true" | "false"
                );
                if lowercase && !after_dot && !called_or_path && !keyword {
                    names.push(name);
                }
            }
            proc_macro2::TokenTree::Group(g) => names.extend(value_names(g.stream())),
            _ => {}
        }
    }
    names
}

/// Writes an elided output lifetime (`&T`, `'_`) as the named one.
struct NameOutput(Lifetime);

impl VisitMut for NameOutput {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if r.lifetime.as_ref().is_none_or(|l| l.ident == "_") {
            r.lifetime = Some(self.0.clone());
        }
        visit_mut::visit_type_reference_mut(self, r);
    }

    fn visit_lifetime_mut(&mut self, l: &mut Lifetime) {
        if l.ident == "_" {
            *l = self.0.clone();
        }
    }

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }

    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}

    fn visit_type_impl_trait_mut(&mut self, _: &mut syn::TypeImplTrait) {}
}

/// The rewritten signature's name for an argument: hygienic, so that the
/// poll closure can only reach the argument through the state (it never
/// captures it), and not a name the expansion itself binds (`value`, `state`).
fn parameter_name(ident: &Ident) -> Ident {
    let name = ident.to_string();
    let name = if RESERVED.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    };
    crate::names::ident(&name, Span::mixed_site().located_at(ident.span()))
}

/// `impl Future<Output = R> + Captures<(&'a (), …)>`.
pub fn return_type(function: &ItemFn, signature: &Signature) -> TokenStream {
    let output = output_type(function);
    let lifetimes = &signature.lifetimes;
    let captures = if lifetimes.is_empty() {
        TokenStream::new()
    } else {
        quote!(+ ::explicit_async::__private::Captures<(#(&#lifetimes (),)*)>)
    };
    quote!(impl ::core::future::Future<Output = #output> #captures)
}

pub fn output_type(function: &ItemFn) -> TokenStream {
    match &function.sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => ty.to_token_stream(),
    }
}

/// Can the output type be written inside the body (no `impl Trait`, no `_`,
/// not `!`)?
pub fn output_is_nameable(function: &ItemFn) -> bool {
    struct Unnameable(bool);
    impl<'a> syn::visit::Visit<'a> for Unnameable {
        fn visit_type(&mut self, ty: &'a Type) {
            self.0 |= matches!(ty, Type::ImplTrait(_) | Type::Infer(_) | Type::Never(_));
            syn::visit::visit_type(self, ty);
        }
    }
    match &function.sig.output {
        ReturnType::Default => true,
        ReturnType::Type(_, ty) => {
            let mut find = Unnameable(false);
            syn::visit::Visit::visit_type(&mut find, ty);
            !find.0
        }
    }
}
