//! The arguments of a macro call in an arm: those of the standard
//! expression macros (`assert!`, `format!`, `vec!`) are the expressions the
//! resolver read them as, rewritten as any other code; any other macro's
//! tokens get the names of the locals they name.

use super::Finalize;
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::Expr;
use syn::visit_mut::VisitMut;

impl Finalize<'_, '_> {
    /// A macro's arguments: those of the standard expression macros
    /// rewritten as the expressions the resolver read them as (a field
    /// moved out of a slot is taken, as outside); any other's tokens.
    pub(super) fn macro_arguments(&mut self, mac: &mut syn::Macro) {
        use syn::parse::Parser;
        let name = crate::names::last_name(&mac.path);
        if crate::macros::is_expression_macro(&name)
            && let Ok(mut args) =
                syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated
                    .parse2(mac.tokens.clone())
        {
            for arg in &mut args {
                self.visit_expr_mut(arg);
            }
            mac.tokens = args.into_token_stream();
            return;
        }
        mac.tokens = self.tokens(std::mem::take(&mut mac.tokens));
    }

    /// Rewrites the idents of an unopened macro's tokens: a local becomes its name.
    fn tokens(&mut self, tokens: TokenStream) -> TokenStream {
        tokens
            .into_iter()
            .map(|tt| match tt {
                TokenTree::Ident(ident) => match self.local_expr(&ident) {
                    Some(Expr::Path(p)) if p.path.get_ident().is_some() => {
                        TokenTree::Ident(p.path.segments[0].ident.clone())
                    }
                    // A place (`(*queue)`, a slot's) where the user wrote a
                    // name: a macro that wants an `ident` there says so at
                    // the user's name.
                    Some(expr) => {
                        let mut group = proc_macro2::Group::new(
                            proc_macro2::Delimiter::Parenthesis,
                            expr.into_token_stream(),
                        );
                        group.set_span(ident.span());
                        TokenTree::Group(group)
                    }
                    None => TokenTree::Ident(ident),
                },
                TokenTree::Group(g) => {
                    let mut group = proc_macro2::Group::new(g.delimiter(), self.tokens(g.stream()));
                    group.set_span(g.span());
                    TokenTree::Group(group)
                }
                other => other,
            })
            .collect()
    }
}
