//! `.await` inside macro calls. `syn` cannot see into a macro's tokens, so
//! the macros whose arguments are plain expressions (`println!`, `format!`,
//! `write!`, `assert!`, `vec!`, …) are parsed here and turned into a marker
//! call that the rest of the transform treats like a function call; the
//! marker is turned back into the macro when the code is emitted. An
//! `.await` in any other macro is an error that says how to write it.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprCall, Macro, MacroDelimiter, Token};

/// The first segment of a marker call's path.
pub const MARKER: &str = "__explicit_async_macro";

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

/// Replaces expression macros that contain `.await` by marker calls, and
/// rejects `.await` in any other macro.
pub struct OpenMacros {
    pub macros: Vec<Macro>,
    pub error: Option<syn::Error>,
}

impl OpenMacros {
    fn open(&mut self, mac: &Macro) -> Option<Expr> {
        if !tokens_await(&mac.tokens) {
            return None;
        }
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let args = if EXPRESSION_MACROS.contains(&name.as_str()) {
            Punctuated::<Expr, Token![,]>::parse_terminated
                .parse2(mac.tokens.clone())
                .ok()
        } else {
            None
        };
        let Some(args) = args else {
            let error = syn::Error::new_spanned(
                mac,
                format!(
                    "`.await` inside `{name}!(..)` cannot be seen by #[explicit_async]: a macro's \
                     arguments are only tokens; await before the macro and pass the value: \
                     `let value = fut.await; {name}!(.. value ..)`"
                ),
            );
            match &mut self.error {
                Some(e) => e.combine(error),
                None => self.error = Some(error),
            }
            return Some(syn::parse_quote!(()));
        };
        let marker = syn::Ident::new(&format!("{MARKER}_{}", self.macros.len()), name_span(mac));
        self.macros.push(mac.clone());
        let args = args.into_iter();
        Some(syn::parse_quote!(#marker(#(#args),*)))
    }
}

fn name_span(mac: &Macro) -> proc_macro2::Span {
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
                if let Some(call) = self.open(&m.mac) {
                    *expr = call;
                }
            }
            _ => {}
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        if let syn::Stmt::Macro(m) = stmt {
            if let Some(call) = self.open(&m.mac) {
                let semi = m.semi_token.unwrap_or_default();
                *stmt = syn::Stmt::Expr(call, Some(semi));
            }
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// Turns marker calls back into the macros they stand for.
pub struct CloseMacros<'a>(pub &'a [Macro]);

impl CloseMacros<'_> {
    pub fn index(call: &ExprCall) -> Option<usize> {
        let Expr::Path(p) = &*call.func else {
            return None;
        };
        let ident = p.path.get_ident()?.to_string();
        ident.strip_prefix(MARKER)?.strip_prefix('_')?.parse().ok()
    }
}

impl VisitMut for CloseMacros<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        if let Expr::Call(call) = expr {
            if let Some(index) = Self::index(call) {
                let mut mac = self.0[index].clone();
                let args = call.args.iter();
                mac.tokens = quote::quote!(#(#args),*);
                if let MacroDelimiter::Brace(_) = mac.delimiter {
                    mac.delimiter = MacroDelimiter::Paren(Default::default());
                }
                *expr = Expr::Macro(syn::ExprMacro {
                    attrs: Vec::new(),
                    mac,
                });
            }
        }
    }
}

/// Replaces, in a macro's raw tokens, the identifiers `rename` maps.
pub fn rename_in_tokens(
    tokens: TokenStream,
    rename: &dyn Fn(&syn::Ident) -> Option<TokenStream>,
) -> TokenStream {
    tokens
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Ident(ident) => match rename(&ident) {
                Some(replacement) => {
                    let group = proc_macro2::Group::new(Delimiter::None, replacement);
                    TokenTree::Group(group)
                }
                None => TokenTree::Ident(ident),
            },
            TokenTree::Group(g) => {
                let mut inner =
                    proc_macro2::Group::new(g.delimiter(), rename_in_tokens(g.stream(), rename));
                inner.set_span(g.span());
                TokenTree::Group(inner)
            }
            other => other,
        })
        .collect()
}
