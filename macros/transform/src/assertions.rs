//! Assertion macros: std's `assert!`, `assert_eq!`, `assert_ne!` (their
//! message runs only when they fail), and those of other crates
//! (tokio-test's and claims' `assert_ok!`, `assert_ready!`, ...), which
//! match their first operand first.

use crate::macros::{name_span, tokens_await, tokens_borrow, tokens_call, tokens_leave};
use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, Macro, Token};

/// A macro's first operand, and the tokens after it (empty, or from the
/// comma on).
pub(crate) fn first_operand(tokens: &TokenStream) -> Option<(Expr, TokenStream)> {
    (|input: syn::parse::ParseStream| {
        let first: Expr = input.parse()?;
        if !input.is_empty() {
            input.fork().parse::<Token![,]>()?;
        }
        Ok((first, input.parse::<TokenStream>()?))
    })
    .parse2(tokens.clone())
    .ok()
}

/// Is the first operand of these macro arguments a value (not a place)
/// that calls or borrows, and so may make a temporary? (Not the message's:
/// it is left in the macro.) A place is matched where it is: bound to a
/// name of the transform's, it would be moved.
pub(crate) fn first_operand_makes_temporaries(tokens: &TokenStream) -> bool {
    first_operand(tokens).is_some_and(|(first, _)| {
        let place = crate::hoist::is_place(&first);
        let first = quote::ToTokens::to_token_stream(&first);
        !place && (tokens_borrow(&first) || tokens_call(&first))
    })
}

/// `assert_ok!(rx.recv().await)`, `assert_ready!(.., "msg")`: the
/// assertion macros of crates such as tokio-test and claims (`assert_ok!`,
/// `assert_err!`, `assert_ready*!`, `assert_pending!`, `assert_some!`,
/// ...) begin with `match $e { .. }`: their first operand is evaluated
/// first, once, whatever follows. It is matched outside the macro, so
/// that its `.await`, `?` or `return` is the function's own, and the
/// macro gets the value (`match E { v => assert_ok!(v, ..) }`). The
/// `match` keeps the operand's temporaries to the end of the statement,
/// as the macro's own `match` does; its message, evaluated only when
/// the assertion fails, is left in the macro untouched. `debug_assert_*!`
/// is not opened this way: it evaluates nothing in a release build.
pub(crate) fn open_first_operand(
    name: &str,
    mac: &Macro,
    statement: bool,
    opened: &mut usize,
) -> Option<Expr> {
    if !is_foreign_assertion(name) {
        return None;
    }
    let (first, rest) = first_operand(&mac.tokens)?;
    if tokens_await(&rest) || tokens_leave(&rest) {
        return None;
    }
    *opened += 1;
    let value = syn::Ident::new(
        &format!("{}asserted_{opened}", crate::normalize::INTERNAL),
        proc_macro2::Span::mixed_site().located_at(syn::spanned::Spanned::span(&first)),
    );
    let path = &mac.path;
    // A statement stays one: some expand to statements (tokio-test's
    // `assert_ready_eq!` is `let val = ..; assert_eq!(val, ..)`).
    if statement {
        return Some(syn::parse_quote_spanned! {name_span(mac)=>
            match #first {
                #value => {
                    #path!(#value #rest);
                }
            }
        });
    }
    // Parenthesized, as `matches!` is: a bare `match` where a statement
    // starts would end there (`assert_ok!(..).len()`).
    Some(syn::parse_quote_spanned! {name_span(mac)=>
        (match #first {
            #value => #path!(#value #rest),
        })
    })
}

/// `assert!(cond, "..", args)` evaluates its message only when it fails:
/// opened, with a message, it is written as the `if` it stands for
/// (`assert_eq!`/`assert_ne!` with std's message). Without a message it
/// is opened like the format-like macros.
pub(crate) fn open_lazy_assert(kind: &str, mac: &Macro) -> Option<Expr> {
    let operands = assert_operands(kind)?;
    let args: Vec<Expr> = Punctuated::<Expr, Token![,]>::parse_terminated
        .parse2(mac.tokens.clone())
        .ok()?
        .into_iter()
        .collect();
    // Opened (an `.await`, `?` or `return` in it), the macro would evaluate
    // its message first, as the format-like ones do; a move, an exit or an
    // await in the message happens only when the assertion fails.
    let message = args.get(operands..).filter(|m| !m.is_empty())?;
    let span = name_span(mac);
    let check: Expr = match kind {
        "assert" => {
            let cond = &args[0];
            syn::parse_quote_spanned!(span=> if !(#cond) { ::core::panic!(#(#message),*) })
        }
        _ => {
            let (left, right) = (&args[0], &args[1]);
            let (op, test) = if kind == "assert_eq" {
                ("==", quote::quote!(!(*left_val == *right_val)))
            } else {
                ("!=", quote::quote!(*left_val == *right_val))
            };
            let format =
                format!("assertion `left {op} right` failed: {{}}\n  left: {{:?}}\n right: {{:?}}");
            syn::parse_quote_spanned! {span=>
                match (&(#left), &(#right)) {
                    (left_val, right_val) => if #test {
                        ::core::panic!(#format, ::core::format_args!(#(#message),*), &*left_val, &*right_val)
                    },
                }
            }
        }
    };
    Some(check)
}

/// How many operands `assert!`, `assert_eq!`, `assert_ne!` (or their
/// `debug_` forms) take before their message.
pub fn assert_operands(name: &str) -> Option<usize> {
    match name.strip_prefix("debug_").unwrap_or(name) {
        "assert" => Some(1),
        "assert_eq" | "assert_ne" => Some(2),
        _ => None,
    }
}

/// `assert_ok!`, `assert_ready!`, `assert_some!`, ...: an assertion macro of
/// a crate such as tokio-test or claims (any `assert_*!` but std's). Its
/// first operand is evaluated first, once, and taken by value (`match $e`);
/// the rest is a message, evaluated only when the assertion fails.
pub fn is_foreign_assertion(name: &str) -> bool {
    name.starts_with("assert_") && assert_operands(name).is_none()
}
