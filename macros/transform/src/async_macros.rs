//! Macros that expand to an `.await` or pin a local in place, rewritten
//! into code the transform can see (it cannot expand macros):
//!
//! - `join!(a, b)`, `try_join!(a, b)` (tokio's or futures'): awaited in an
//!   `async` block, `async { join!(a, b) }.await`, which evaluates and polls
//!   the futures as the macro does (an `async move` block where they are
//!   locals, which the macro takes).
//! - `tokio::select! { pat = fut, if cond => handler, else => other }`: the
//!   polling stays in the macro, in an `async` block whose branches return
//!   their bindings (`Selected2::Branch0((a, b))`); the handlers run after
//!   it in the function, so they may `.await`, `return`, `break` or use `?`.
//!   As in tokio, the branch futures are dropped before a handler runs.
//! - `tokio::pin!(x)` and `futures::pin_mut!(x)`: `let mut x = x; let mut x =
//!   unsafe { Pin::new_unchecked(&mut x) };`, as they expand, so the pinned
//!   local is a local the transform keeps in place (a slot).
//! - `let p = pin!(fut);` (`std::pin::pin!`): the value gets a name of its
//!   own, pinned the same way.

use crate::normalize::INTERNAL;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Macro, Pat, Stmt, Token};

/// The most branches a `select!` may have (tokio allows 64).
pub const MAX_SELECT_BRANCHES: usize = 16;

pub struct AsyncMacros {
    pub private: TokenStream,
    pub error: Option<syn::Error>,
    pinned: usize,
}

impl AsyncMacros {
    pub fn new(private: TokenStream) -> Self {
        AsyncMacros {
            private,
            error: None,
            pinned: 0,
        }
    }

    fn fail(&mut self, error: syn::Error) {
        match &mut self.error {
            Some(e) => e.combine(error),
            None => self.error = Some(error),
        }
    }

    fn rewrite_expr(&mut self, mac: &Macro) -> Option<Expr> {
        match macro_name(mac).as_str() {
            "join" | "try_join" if joins_locals(mac) => {
                Some(syn::parse_quote_spanned!(mac.span()=> async move { #mac }.await))
            }
            "join" | "try_join" => {
                Some(syn::parse_quote_spanned!(mac.span()=> async { #mac }.await))
            }
            "select" => match select(mac, &self.private) {
                Ok(expr) => Some(expr),
                Err(error) => {
                    self.fail(error);
                    None
                }
            },
            _ => None,
        }
    }

    /// `tokio::pin!(a, b);` → two `let`s per local.
    fn pin_locals(&mut self, mac: &Macro) -> Option<Vec<Stmt>> {
        if !matches!(macro_name(mac).as_str(), "pin" | "pin_mut") || is_std_pin(mac) {
            return None;
        }
        let names = syn::punctuated::Punctuated::<Ident, Token![,]>::parse_terminated
            .parse2(mac.tokens.clone())
            .ok()?;
        let mut stmts = Vec::new();
        for name in names {
            stmts.extend(pin_in_place(&name, &syn::parse_quote!(#name), &name));
        }
        Some(stmts)
    }

    /// `let p = pin!(value);` → the value named, then pinned.
    fn pin_let(&mut self, local: &syn::Local) -> Option<Vec<Stmt>> {
        let init = local.init.as_ref()?;
        let Expr::Macro(m) = &*init.expr else {
            return None;
        };
        // In a `let`, `pin!(x)` is std's even on a plain name: tokio's
        // `pin!(x)` expands to statements, not to a value.
        if init.diverge.is_some() || !(is_std_pin(&m.mac) || macro_name(&m.mac) == "pin") {
            return None;
        }
        let value: Expr = syn::parse2(m.mac.tokens.clone()).ok()?;
        let Pat::Ident(binding) = strip_type(&local.pat) else {
            return None;
        };
        let hidden = format_ident!(
            "{INTERNAL}pinned_{}",
            self.pinned,
            span = binding.ident.span()
        );
        self.pinned += 1;
        Some(pin_in_place(&hidden, &value, &binding.ident))
    }
}

impl AsyncMacros {
    /// The arguments of a standard expression macro (`assert!(c, "{}", {
    /// let p = pin!(f); .. })`), which the transform may open: rewritten
    /// as any other code.
    fn visit_arguments(&mut self, mac: &mut Macro) {
        if !crate::macros::is_expression_macro(&macro_name(mac)) {
            return;
        }
        let Ok(mut args) = syn::punctuated::Punctuated::<Expr, Token![,]>::parse_terminated
            .parse2(mac.tokens.clone())
        else {
            return;
        };
        for arg in &mut args {
            self.visit_expr_mut(arg);
        }
        mac.tokens = quote!(#args);
    }
}

impl VisitMut for AsyncMacros {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Closure(_) | Expr::Async(_) => return,
            Expr::Macro(m) => {
                if let Some(rewritten) = self.rewrite_expr(&m.mac) {
                    *expr = rewritten;
                } else {
                    self.visit_arguments(&mut m.mac);
                }
            }
            _ => {}
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let stmts = std::mem::take(&mut block.stmts);
        for stmt in stmts {
            let expanded = match &stmt {
                Stmt::Macro(m) => self.pin_locals(&m.mac),
                Stmt::Local(l) => self.pin_let(l),
                _ => None,
            };
            match expanded {
                Some(stmts) => block.stmts.extend(stmts),
                None => block.stmts.push(stmt),
            }
        }
        visit_mut::visit_block_mut(self, block);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(m) = stmt {
            match self.rewrite_expr(&m.mac) {
                Some(rewritten) => *stmt = Stmt::Expr(rewritten, m.semi_token),
                None => self.visit_arguments(&mut m.mac),
            }
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// The macro an `async { m!(..) }` operand wraps (this pass's rewrite of
/// `join!`, `try_join!` and `select!`), named in the state and its docs.
pub fn wrapped_macro(operand: &Expr) -> Option<&Macro> {
    let Expr::Async(block) = operand else {
        return None;
    };
    match block.block.stmts.as_slice() {
        [Stmt::Macro(m)] => Some(&m.mac),
        [Stmt::Expr(Expr::Macro(m), None)] => Some(&m.mac),
        _ => None,
    }
}

/// `tokio::join!(a, b)` as written; `tokio::select! { .. }` (its branches
/// were rewritten).
pub fn macro_text(mac: &Macro) -> String {
    let path = crate::text::expr_text(&mac.path);
    match macro_name(mac).as_str() {
        "select" => format!("{path}! {{ .. }}"),
        _ => crate::text::expr_text(mac),
    }
}

fn macro_name(mac: &Macro) -> String {
    crate::names::last_name(&mac.path)
}

/// `pin!`, `std::pin::pin!` or `core::pin::pin!` (not `tokio::pin!`).
fn is_std_pin(mac: &Macro) -> bool {
    let segments = crate::names::segment_names(&mac.path);
    match segments.as_slice() {
        [only] => {
            only == "pin"
                && syn::parse2::<Expr>(mac.tokens.clone()).is_ok_and(|e| !is_plain_ident(&e))
        }
        [.., module, last] => last == "pin" && module == "pin",
        [] => false,
    }
}

fn is_plain_ident(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(p) if p.path.get_ident().is_some())
}

pub(crate) fn strip_type(pat: &Pat) -> &Pat {
    match pat {
        Pat::Type(t) => strip_type(&t.pat),
        other => other,
    }
}

/// `let mut hidden = value; let mut name = unsafe { Pin::new_unchecked(&mut hidden) };`
fn pin_in_place(hidden: &Ident, value: &Expr, name: &Ident) -> Vec<Stmt> {
    let span = name.span();
    // SAFETY (of the emitted block): `hidden` is shadowed or hygienic, so
    // no code can name it again to move it; the transform keeps it in
    // place (a slot) for as long as the pin may be used.
    let stmts: syn::Block = syn::parse_quote_spanned! {span=> {
        #[allow(unused_mut)]
        let mut #hidden = #value;
        #[allow(unused_mut)]
        let mut #name = unsafe { ::core::pin::Pin::new_unchecked(&mut #hidden) };
    }};
    stmts.stmts
}

/// One branch of a `select!`.
struct Branch {
    pat: Pat,
    future: Expr,
    condition: Option<Expr>,
    handler: Expr,
}

struct Select {
    biased: bool,
    branches: Vec<Branch>,
    otherwise: Option<Expr>,
}

fn parse_select(input: ParseStream) -> syn::Result<Select> {
    let biased =
        input.peek(Ident) && input.peek2(Token![;]) && input.fork().parse::<Ident>()? == "biased";
    if biased {
        input.parse::<Ident>()?;
        input.parse::<Token![;]>()?;
    }
    let mut branches = Vec::new();
    let mut otherwise = None;
    while !input.is_empty() {
        if input.peek(Token![else]) {
            input.parse::<Token![else]>()?;
            input.parse::<Token![=>]>()?;
            otherwise = Some(parse_handler(input)?);
            continue;
        }
        let pat = Pat::parse_multi_with_leading_vert(input)?;
        input.parse::<Token![=]>()?;
        let future = Expr::parse_without_eager_brace(input)?;
        let condition = if input.peek(Token![,]) && input.peek2(Token![if]) {
            input.parse::<Token![,]>()?;
            input.parse::<Token![if]>()?;
            Some(Expr::parse_without_eager_brace(input)?)
        } else {
            None
        };
        input.parse::<Token![=>]>()?;
        let handler = parse_handler(input)?;
        branches.push(Branch {
            pat,
            future,
            condition,
            handler,
        });
    }
    Ok(Select {
        biased,
        branches,
        otherwise,
    })
}

/// `{ .. }` with an optional comma, or an expression and a comma (or the end).
fn parse_handler(input: ParseStream) -> syn::Result<Expr> {
    let handler: Expr = if input.peek(syn::token::Brace) {
        Expr::Block(input.parse()?)
    } else {
        input.parse()?
    };
    if input.peek(Token![,]) {
        input.parse::<Token![,]>()?;
    } else if !input.is_empty() && !matches!(handler, Expr::Block(_)) {
        return Err(input.error("expected `,` after a `select!` branch's handler"));
    }
    Ok(handler)
}

/// The rewritten `select!`: polling in an `async` block, handlers after it.
fn select(mac: &Macro, private: &TokenStream) -> syn::Result<Expr> {
    let select = parse_select.parse2(mac.tokens.clone())?;
    let count = select.branches.len();
    if count == 0 || count > MAX_SELECT_BRANCHES {
        return Err(syn::Error::new_spanned(
            mac,
            format!(
                "#[explicit_async] rewrites `select!` with 1 to {MAX_SELECT_BRANCHES} branches; \
                 this one has {count}: split it, or move it into an `async` block of its own"
            ),
        ));
    }
    let span = mac.span();
    let path = &mac.path;
    let selected = Ident::new(&format!("Selected{count}"), Span::call_site());
    let biased = select.biased.then(|| quote!(biased;));
    let mut inner = Vec::new();
    let mut arms = Vec::new();
    let mut moved = Vec::new();
    for (i, branch) in select.branches.iter().enumerate() {
        let variant = format_ident!("Branch{i}");
        let bindings = bindings(&branch.pat)?;
        let names = bindings.iter().map(|(name, _)| name);
        let outer = bindings.iter().map(|(name, mutable)| {
            let mutability = mutable.then(|| quote!(mut));
            quote!(#mutability #name)
        });
        let mut pat = branch.pat.clone();
        strip_mut(&mut pat);
        // A local moved into the macro (`_ = shutdown =>`) is moved in
        // the `async` block, where the transform sees the move.
        let future = match &branch.future {
            future if is_plain_ident(future) => {
                let name = Ident::new(&format!("{INTERNAL}future{i}"), Span::mixed_site());
                moved.push(quote!(let #name = #future;));
                quote!(#name)
            }
            future => quote!(#future),
        };
        let condition = branch.condition.as_ref().map(|c| quote!(, if #c));
        let value = quote!(#private::#selected::#variant((#(#names,)*)));
        let value = if select.otherwise.is_some() {
            quote!(::core::option::Option::Some(#value))
        } else {
            value
        };
        inner.push(quote!(#pat = #future #condition => #value,));
        let handler = &branch.handler;
        let pattern = quote!(#private::#selected::#variant((#(#outer,)*)));
        let pattern = if select.otherwise.is_some() {
            quote!(::core::option::Option::Some(#pattern))
        } else {
            pattern
        };
        arms.push(quote!(#pattern => #handler,));
    }
    if let Some(otherwise) = &select.otherwise {
        inner.push(quote!(else => ::core::option::Option::None,));
        arms.push(quote!(::core::option::Option::None => #otherwise,));
    }
    syn::parse2(quote_spanned! {span=>
        match async { #(#moved)* #path! { #biased #(#inner)* } }.await {
            #(#arms)*
        }
    })
}

/// The names a branch's pattern binds, with whether each is `mut`; `ref`
/// bindings would borrow the output the `async` block drops.
fn bindings(pat: &Pat) -> syn::Result<Vec<(Ident, bool)>> {
    let mut found = Vec::new();
    let mut error = None;
    let mut pat = pat.clone();
    crate::patterns::bind_idents(&mut pat, &mut |ident, mutable, by_ref| {
        if by_ref && error.is_none() {
            error = Some(syn::Error::new(
                ident.span(),
                "#[explicit_async] runs a `select!` branch's handler after the branch's output is \
                 dropped: bind it by value (not `ref`)",
            ));
        }
        found.push((ident.clone(), mutable));
    });
    match error {
        Some(e) => Err(e),
        None => Ok(found),
    }
}

/// Removes `mut` from the bindings (the handler's copy of the pattern keeps it).
fn strip_mut(pat: &mut Pat) {
    struct Strip;
    impl VisitMut for Strip {
        fn visit_pat_ident_mut(&mut self, p: &mut syn::PatIdent) {
            p.mutability = None;
            visit_mut::visit_pat_ident_mut(self, p);
        }
        fn visit_expr_mut(&mut self, _: &mut Expr) {}
    }
    Strip.visit_pat_mut(pat);
}

/// `join!(a, b)` of locals only: the macro takes each by value, as an
/// `async move` block does (one that may borrow stays a plain `async`
/// block: `join!(client.get(a), client.get(b))`).
fn joins_locals(mac: &Macro) -> bool {
    syn::punctuated::Punctuated::<Expr, Token![,]>::parse_terminated
        .parse2(mac.tokens.clone())
        .is_ok_and(|args| {
            !args.is_empty()
                && args.iter().all(|arg| {
                    matches!(arg, Expr::Path(p) if p.path.get_ident()
                        .is_some_and(|i| !crate::patterns::is_constant_like(i)))
                })
        })
}
