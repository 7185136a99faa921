//! The attribute's arguments: `#[explicit_async]` or `#[explicit_async(trace)]`.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Ident, Token};

/// What the user asked for in `#[explicit_async(..)]`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Report every state transition at run time.
    pub trace: bool,
    /// Another attribute macro parses the output again (a runner such as
    /// `#[tokio::test]`, or one written below this one), maybe with an
    /// older parser: the output avoids syntax newer than `syn` 1 knows
    /// (`let … else`).
    pub reparsed: bool,
}

const VALID: &str = "`trace`";

/// Parses the arguments; an unknown one is an error at its span that lists the valid ones.
pub fn parse(args: TokenStream) -> syn::Result<Options> {
    let mut options = Options::default();
    let idents = Punctuated::<Ident, Token![,]>::parse_terminated
        .parse2(args)
        .map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("expected `#[explicit_async]` or `#[explicit_async(trace)]`; valid options: {VALID}"),
            )
        })?;
    for ident in idents {
        match ident.to_string().as_str() {
            "trace" if !options.trace => options.trace = true,
            "trace" => return Err(syn::Error::new(ident.span(), "`trace` is given twice")),
            other => {
                return Err(syn::Error::new(
                    ident.span(),
                    format!("unknown option `{other}`; valid options: {VALID}"),
                ));
            }
        }
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn accepts_nothing_and_trace() {
        assert!(!parse(quote!()).unwrap().trace);
        assert!(parse(quote!(trace)).unwrap().trace);
    }

    #[test]
    fn rejects_unknown_with_the_valid_list() {
        let err = parse(quote!(fast)).unwrap_err().to_string();
        assert!(
            err.contains("unknown option `fast`") && err.contains("`trace`"),
            "{err}"
        );
        assert!(parse(quote!(trace, trace)).is_err());
        assert!(parse(quote!(trace = 1)).is_err());
    }
}
