//! `.await` inside macro calls. `syn` cannot see into a macro's tokens, so
//! the macros whose arguments are plain expressions (`println!`, `format!`,
//! `write!`, `assert!`, `vec!`, …) are parsed here and turned into a marker
//! call that the rest of the transform treats like a function call; the
//! marker is turned back into the macro when the code is emitted. An
//! `.await` in any other macro is an error that says how to write it.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprCall, Macro, MacroDelimiter, Token};

/// The first segment of a marker call's path.
pub const MARKER: &str = "__explicit_async_macro";

/// Suffix of the marker of a macro that takes its arguments by value.
const BY_VALUE: &str = "_by_value";
/// Suffix of the marker of a macro that never completes (`panic!`).
const DIVERGES: &str = "_diverges";
/// Suffix of the marker of `vec![elem; len]`.
const REPEAT: &str = "_repeat";
/// Suffix of the marker of a macro that expands to a block (`format!`,
/// `println!`, ...): the temporaries of its arguments end with it.
const BLOCK: &str = "_block";

/// Macros whose arguments are a comma-separated list of expressions.
const EXPRESSION_MACROS: &[&str] = &[
    "print",
    "println",
    "eprint",
    "eprintln",
    "format",
    "write",
    "writeln",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "vec",
    "pin",
    "todo",
    "unreachable",
    "unimplemented",
    "format_args",
];

/// Does this token stream contain `.await` (outside closures we cannot see)?
pub fn tokens_await(tokens: &TokenStream) -> bool {
    let mut dot = false;
    for tt in tokens.clone() {
        match tt {
            TokenTree::Punct(p) => dot = p.as_char() == '.',
            TokenTree::Ident(i) => {
                if dot && i == "await" {
                    return true;
                }
                dot = false;
            }
            TokenTree::Group(g) => {
                if tokens_await(&g.stream()) {
                    return true;
                }
                dot = false;
            }
            TokenTree::Literal(_) => dot = false,
        }
    }
    false
}

/// Is the format string of this `format!`-like call a string literal (not
/// a macro, as generated code may write), with no named argument? Only
/// then is it opened without an await in it.
fn literal_format_string(name: &str, tokens: &TokenStream) -> bool {
    let Ok(args) = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(tokens.clone()) else {
        return false;
    };
    let position = usize::from(matches!(name, "write" | "writeln"));
    // (Named arguments, `x = value`, would read as assignments.)
    matches!(
        args.iter().nth(position),
        Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(_),
            ..
        }))
    ) && !args.iter().any(|a| matches!(a, Expr::Assign(_)))
}

/// Does this token stream contain a call or a block (`f(..)`, `match`)?
pub(crate) fn tokens_call(tokens: &TokenStream) -> bool {
    any_token(tokens, &|tt| {
        matches!(tt, TokenTree::Group(g)
            if matches!(g.delimiter(), proc_macro2::Delimiter::Parenthesis | proc_macro2::Delimiter::Brace))
    })
}

/// Does this token stream contain a `&` or a `.` (a borrow or a method
/// call, maybe of a temporary)?
pub(crate) fn tokens_borrow(tokens: &TokenStream) -> bool {
    any_token(
        tokens,
        &|tt| matches!(tt, TokenTree::Punct(p) if matches!(p.as_char(), '&' | '.')),
    )
}

/// In a macro's tokens, is the token at `i` after `.` (a field or method)
/// or `::` (a path), not after a lone `:` (`S { k: v }`, `name: value`)?
pub(crate) fn after_dot_or_path(trees: &[TokenTree], i: usize) -> bool {
    let punct = |at: usize, c: char| matches!(&trees[at], TokenTree::Punct(p) if p.as_char() == c);
    i > 0 && (punct(i - 1, '.') || (i > 1 && punct(i - 1, ':') && punct(i - 2, ':')))
}

/// `write!(w, ..)`, `writeln!(w, ..)`: the writer, which the macro borrows
/// mutably (it calls `w.write_fmt(..)`). `name` is the macro's last path
/// segment.
pub(crate) fn writer_of(name: &str, tokens: &TokenStream) -> Option<proc_macro2::Ident> {
    if name != "write" && name != "writeln" {
        return None;
    }
    match tokens.clone().into_iter().next() {
        Some(TokenTree::Ident(writer)) => Some(writer),
        _ => None,
    }
}

/// In a macro's tokens, the method called on the token at `at` (`x` in
/// `x.consume()`): `consume`.
pub fn method_called_on(trees: &[TokenTree], at: usize) -> Option<String> {
    match (trees.get(at + 1), trees.get(at + 2), trees.get(at + 3)) {
        (
            Some(TokenTree::Punct(dot)),
            Some(TokenTree::Ident(method)),
            Some(TokenTree::Group(args)),
        ) if dot.as_char() == '.' && args.delimiter() == proc_macro2::Delimiter::Parenthesis => {
            Some(method.to_string())
        }
        _ => None,
    }
}

/// Does an identifier of this stream, at any depth, satisfy `hit`?
pub(crate) fn any_ident(tokens: &TokenStream, hit: &dyn Fn(&proc_macro2::Ident) -> bool) -> bool {
    any_token(tokens, &|tt| matches!(tt, TokenTree::Ident(i) if hit(i)))
}

/// Does a token of this stream, at any depth, satisfy `hit`?
fn any_token(tokens: &TokenStream, hit: &dyn Fn(&TokenTree) -> bool) -> bool {
    tokens
        .clone()
        .into_iter()
        .any(|tt| hit(&tt) || matches!(&tt, TokenTree::Group(g) if any_token(&g.stream(), hit)))
}

/// Does this token stream contain the `?` operator (a `?` after an
/// operand: not `?Sized` or tracing's `?value`) or `return` (conservatively:
/// also inside closures the macro's arguments may hold)?
pub(crate) fn tokens_leave(tokens: &TokenStream) -> bool {
    let mut after_operand = false;
    for tt in tokens.clone() {
        match tt {
            TokenTree::Punct(p) => {
                if p.as_char() == '?' && after_operand {
                    return true;
                }
                after_operand = false;
            }
            TokenTree::Ident(i) => {
                if i == "return" {
                    return true;
                }
                after_operand = true;
            }
            TokenTree::Group(g) => {
                if tokens_leave(&g.stream()) {
                    return true;
                }
                after_operand = true;
            }
            TokenTree::Literal(_) => after_operand = true,
        }
    }
    false
}

/// Replaces expression macros that contain `.await` by marker calls, and
/// rejects `.await` in any other macro.
#[derive(Default)]
pub struct OpenMacros {
    pub macros: Vec<Macro>,
    pub error: Option<syn::Error>,
    /// How many first operands were matched outside their macro.
    operands: usize,
}

impl OpenMacros {
    /// `statement`: the call is a statement of its own, its value discarded.
    fn open(&mut self, mac: &Macro, statement: bool) -> Option<Expr> {
        let awaits = tokens_await(&mac.tokens);
        // `?` and `return` leave the poll closure, not the function, unless
        // the transform sees them.
        let leaves = tokens_leave(&mac.tokens);
        let name = crate::names::last_name(&mac.path);
        // A `vec!` element may borrow a temporary (`vec![f(&mk())]`,
        // `vec![mk().n()]`) that lives to the end of the statement, past an
        // await in it.
        let borrows = name == "vec" && tokens_borrow(&mac.tokens);
        // The arguments of `format!` and the like are read by the transform
        // (an `FnOnce` called, a local moved, in one of them), not taken as
        // opaque uses of every local they name.
        let format_like = matches!(
            name.as_str(),
            "format" | "print" | "println" | "eprint" | "eprintln" | "write" | "writeln"
        );
        // An assertion of another crate matches its operand where it stands
        // (`match $e`): the operand's temporaries (`assert_ok!(f(&mk()))`)
        // live to the end of the statement, past a later await in it.
        let seen = (format_like
            && (tokens_borrow(&mac.tokens) || tokens_call(&mac.tokens))
            && literal_format_string(&name, &mac.tokens))
            || (name == "matches" && tokens_call(&mac.tokens))
            || (crate::assertions::is_foreign_assertion(&name)
                && crate::assertions::first_operand_makes_temporaries(&mac.tokens));
        if !awaits && !leaves && !borrows && !seen {
            return None;
        }
        // `pin!(async { .. .await .. })`: the await is the block's own (and
        // `let p = pin!(..)` is pinned in place, see `async_macros`).
        if name == "pin"
            && syn::parse2::<Expr>(mac.tokens.clone())
                .is_ok_and(|e| !crate::hoist::contains_await(&e))
        {
            return None;
        }
        let what = if awaits {
            "`.await`"
        } else {
            "`?` or `return`"
        };
        if name == "matches"
            && let Some(expr) = open_matches(mac)
        {
            return Some(expr);
        }
        // `debug_assert*!(..)`: the assertion, only in a debug build, as std
        // writes it; the assertion inside is opened in its turn.
        if let Some(kind) = name.strip_prefix("debug_")
            && crate::assertions::assert_operands(&name).is_some()
        {
            let span = name_span(mac);
            let assertion = syn::Ident::new(kind, span);
            let tokens = &mac.tokens;
            return Some(syn::parse_quote_spanned! {span=>
                if ::core::cfg!(debug_assertions) { ::core::#assertion!(#tokens) }
            });
        }
        if let Some(expr) = crate::assertions::open_lazy_assert(&name, mac) {
            return Some(expr);
        }
        if let Some(expr) =
            crate::assertions::open_first_operand(&name, mac, statement, &mut self.operands)
        {
            return Some(expr);
        }
        let repeat = name == "vec"
            && Punctuated::<Expr, Token![,]>::parse_terminated
                .parse2(mac.tokens.clone())
                .is_err();
        let args = if repeat {
            // `vec![elem; len]`: two arguments, closed again with a `;`.
            (|input: syn::parse::ParseStream| {
                let elem: Expr = input.parse()?;
                input.parse::<Token![;]>()?;
                let len: Expr = input.parse()?;
                Ok(Punctuated::<Expr, Token![,]>::from_iter([elem, len]))
            })
            .parse2(mac.tokens.clone())
            .ok()
        } else if EXPRESSION_MACROS.contains(&name.as_str()) {
            Punctuated::<Expr, Token![,]>::parse_terminated
                .parse2(mac.tokens.clone())
                .ok()
        } else {
            None
        };
        let Some(args) = args else {
            if !awaits && !leaves {
                return None;
            }
            let error = syn::Error::new_spanned(
                mac,
                format!(
                    "{what} inside `{name}!(..)` cannot be seen by #[explicit_async]: a macro's \
                     arguments are only tokens; compute the value before the macro and pass it: \
                     `let value = ..; {name}!(.. value ..)`"
                ),
            );
            match &mut self.error {
                Some(e) => e.combine(error),
                None => self.error = Some(error),
            }
            return Some(syn::parse_quote!(()));
        };
        // `vec!` and `pin!` take their arguments by value; the format-like
        // macros borrow them.
        let block = matches!(
            name.as_str(),
            "format" | "print" | "println" | "eprint" | "eprintln"
        );
        let suffix = match (name == "vec" || name == "pin", repeat) {
            (true, true) => REPEAT,
            (true, false) => BY_VALUE,
            _ if block => BLOCK,
            _ if diverges(mac) => DIVERGES,
            _ => "",
        };
        let marker = syn::Ident::new(
            &format!("{MARKER}_{}{suffix}", self.macros.len()),
            name_span(mac),
        );
        self.macros.push(mac.clone());
        let args = args.into_iter();
        Some(syn::parse_quote!(#marker(#(#args),*)))
    }
}

/// `matches!(value, pattern if guard)` as the `match` it stands for, so
/// that an `.await` in the value or the guard is the function's own.
/// `matches!(VALUE, PATTERN..)`: the value, and the tokens after its comma.
pub(crate) fn matches_value(tokens: &TokenStream) -> Option<(Expr, TokenStream)> {
    (|input: syn::parse::ParseStream| {
        let value: Expr = input.parse()?;
        input.parse::<Token![,]>()?;
        Ok((value, input.parse::<TokenStream>()?))
    })
    .parse2(tokens.clone())
    .ok()
}

fn open_matches(mac: &Macro) -> Option<Expr> {
    let (value, rest) = matches_value(&mac.tokens)?;
    let (pat, guard) = (|input: syn::parse::ParseStream| {
        let pat = syn::Pat::parse_multi_with_leading_vert(input)?;
        let guard = if input.peek(Token![if]) {
            input.parse::<Token![if]>()?;
            Some(input.parse::<Expr>()?)
        } else {
            None
        };
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
        Ok((pat, guard))
    })
    .parse2(rest)
    .ok()?;
    let guard = guard.map(|g| quote::quote!(if #g));
    // Parenthesized: a struct literal cannot stand bare before the arms;
    // and the whole, so that `matches!(..) || b` written where a statement
    // starts stays an operand (a bare `match { .. } || b` is a statement
    // and a closure).
    Some(syn::parse_quote_spanned! {name_span(mac)=>
        (match (#value) {
            #pat #guard => true,
            _ => false,
        })
    })
}

/// `panic!`, `unreachable!`, `todo!`, `unimplemented!`: control does not
/// go on after them.
pub fn diverges(mac: &Macro) -> bool {
    mac.path.segments.last().is_some_and(|s| {
        matches!(
            s.ident.to_string().as_str(),
            "panic" | "unreachable" | "todo" | "unimplemented"
        )
    })
}

pub(crate) fn name_span(mac: &Macro) -> proc_macro2::Span {
    mac.path
        .segments
        .last()
        .map(|s| s.ident.span())
        .unwrap_or_else(proc_macro2::Span::call_site)
}

impl VisitMut for OpenMacros {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Closure(_) | Expr::Async(_) => return,
            Expr::Macro(m) => {
                if let Some(call) = self.open(&m.mac, false) {
                    *expr = call;
                }
            }
            _ => {}
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        if let syn::Stmt::Macro(m) = stmt
            && let Some(call) = self.open(&m.mac, m.semi_token.is_some())
        {
            let semi = m.semi_token.unwrap_or_default();
            *stmt = syn::Stmt::Expr(call, Some(semi));
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// The index of the macro a marker call stands for.
pub fn marker_index(call: &ExprCall) -> Option<usize> {
    let Expr::Path(p) = &*call.func else {
        return None;
    };
    let ident = p.path.get_ident()?.to_string();
    let index = ident.strip_prefix(MARKER)?.strip_prefix('_')?;
    let index = index
        .strip_suffix(BY_VALUE)
        .or_else(|| index.strip_suffix(REPEAT))
        .or_else(|| index.strip_suffix(BLOCK))
        .or_else(|| index.strip_suffix(DIVERGES))
        .unwrap_or(index);
    index.parse().ok()
}

/// Does the macro behind this marker call never complete (`panic!`)?
pub fn marker_diverges(call: &ExprCall) -> bool {
    matches!(&*call.func, Expr::Path(p) if p.path.get_ident().is_some_and(|i| i.to_string().ends_with(DIVERGES)))
}

/// Does the macro behind this marker call expand to a block (`format!`)?
pub fn expands_to_block(call: &ExprCall) -> bool {
    matches!(&*call.func, Expr::Path(p) if p.path.get_ident().is_some_and(|i| i.to_string().ends_with(BLOCK)))
}

/// The marker call as one that is already inside its block.
pub fn in_its_block(mut call: ExprCall) -> ExprCall {
    if let Expr::Path(p) = &mut *call.func
        && let Some(ident) = p.path.get_ident()
        && let Some(plain) = ident.to_string().strip_suffix(BLOCK)
    {
        let plain = syn::Ident::new(plain, ident.span());
        p.path = plain.into();
    }
    call
}

/// Does the macro behind this marker call take its arguments by value (`vec!`)?
pub fn takes_by_value(call: &ExprCall) -> bool {
    matches!(&*call.func, Expr::Path(p) if p.path.get_ident().is_some_and(|i| {
        let i = i.to_string();
        i.ends_with(BY_VALUE) || i.ends_with(REPEAT)
    }))
}

/// The macro a marker call stands for, with the call's (rewritten) arguments.
pub fn close(call: &ExprCall, macros: &[Macro]) -> Option<Expr> {
    let index = marker_index(call)?;
    let mut mac = macros[index].clone();
    let args = call.args.iter();
    let repeat = matches!(&*call.func, Expr::Path(p) if p.path.get_ident().is_some_and(|i| i.to_string().ends_with(REPEAT)));
    mac.tokens = if repeat {
        quote::quote!(#(#args);*)
    } else {
        quote::quote!(#(#args),*)
    };
    if let MacroDelimiter::Brace(_) = mac.delimiter {
        mac.delimiter = MacroDelimiter::Paren(Default::default());
    }
    Some(Expr::Macro(syn::ExprMacro {
        attrs: Vec::new(),
        mac,
    }))
}

/// Where the format string is among a format-like macro's arguments.
fn format_string_position(name: &str) -> Option<usize> {
    Some(match name {
        "print" | "println" | "eprint" | "eprintln" | "format" | "format_args" | "panic"
        | "todo" | "unreachable" | "unimplemented" => 0,
        "write" | "writeln" | "assert" | "debug_assert" => 1,
        "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => 2,
        _ => return None,
    })
}

/// Turns implicit captures in format strings (`"{x}"`) into explicit
/// positional arguments (`"{0}", x`), so that the transform sees, renames
/// and (for a local in a slot) dereferences the local like any other use.
pub struct ExplicitCaptures;

impl ExplicitCaptures {
    fn rewrite(mac: &mut Macro) {
        let name = crate::names::last_name(&mac.path);
        let Some(position) = format_string_position(&name) else {
            return;
        };
        let Ok(args) = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone())
        else {
            return;
        };
        let mut args: Vec<Expr> = args.into_iter().collect();
        let Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(format),
            ..
        })) = args.get(position)
        else {
            return;
        };
        let named: Vec<String> = args[position + 1..]
            .iter()
            .filter_map(|a| match a {
                Expr::Assign(assign) => {
                    Some(quote::ToTokens::to_token_stream(&assign.left).to_string())
                }
                _ => None,
            })
            .collect();
        let positional = args[position + 1..]
            .iter()
            .filter(|a| !matches!(a, Expr::Assign(_)))
            .count();
        let value = format.value();
        let mut captures: Vec<String> = Vec::new();
        let mut out = String::with_capacity(value.len());
        let mut chars = value.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(c);
            if c != '{' {
                continue;
            }
            if chars.peek() == Some(&'{') {
                out.push(chars.next().unwrap_or('{'));
                continue;
            }
            let mut argument = String::new();
            while let Some(&next) = chars.peek() {
                if next == '}' || next == ':' {
                    break;
                }
                argument.push(next);
                chars.next();
            }
            let is_ident = argument.starts_with(|c: char| c.is_alphabetic() || c == '_')
                && argument.chars().all(|c| c.is_alphanumeric() || c == '_')
                && argument != "_";
            if is_ident && !named.contains(&argument) {
                let index = match captures.iter().position(|c| *c == argument) {
                    Some(i) => i,
                    None => {
                        captures.push(argument.clone());
                        captures.len() - 1
                    }
                };
                out.push_str(&(positional + index).to_string());
            } else {
                out.push_str(&argument);
            }
        }
        if captures.is_empty() {
            return;
        }
        let span = format.span();
        args[position] = Expr::Lit(syn::ExprLit {
            attrs: Vec::new(),
            lit: syn::Lit::Str(syn::LitStr::new(&out, span)),
        });
        let insert_at = position + 1 + positional;
        for (i, capture) in captures.iter().enumerate() {
            let ident = syn::Ident::new(capture, span);
            args.insert(insert_at + i, syn::parse_quote!(#ident));
        }
        mac.tokens = quote::quote!(#(#args),*);
    }
}

impl VisitMut for ExplicitCaptures {
    fn visit_macro_mut(&mut self, mac: &mut Macro) {
        Self::rewrite(mac);
        // A format macro inside an expression macro's arguments, which the
        // transform reads as expressions: `assert_eq!(format!("{m:?}"), ..)`.
        if !is_expression_macro(&crate::names::last_name(&mac.path)) {
            return;
        }
        let Ok(mut args) =
            Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone())
        else {
            return;
        };
        let before = quote::ToTokens::to_token_stream(&args).to_string();
        for arg in &mut args {
            self.visit_expr_mut(arg);
        }
        let after = quote::ToTokens::to_token_stream(&args);
        if after.to_string() != before {
            mac.tokens = after;
        }
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// Is `name!` one of the standard macros whose arguments are expressions,
/// or an assertion of another crate, whose are too
/// ([`crate::assertions::is_foreign_assertion`])?
pub fn is_expression_macro(name: &str) -> bool {
    EXPRESSION_MACROS.contains(&name)
        || name == "dbg"
        || crate::assertions::is_foreign_assertion(name)
}
