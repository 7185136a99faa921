//! Source text of an expression, for doc comments and the state graph:
//! tokens joined the way rustfmt would space them in the common cases.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

pub fn expr_text(expr: &impl ToTokens) -> String {
    let mut out = String::new();
    write_tokens(&mut out, expr.to_token_stream());
    out
}

fn write_tokens(out: &mut String, tokens: TokenStream) {
    let mut prev: Option<TokenTree> = None;
    for tt in tokens {
        if needs_space(prev.as_ref(), &tt) {
            out.push(' ');
        }
        match &tt {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_tokens(out, g.stream());
                out.push_str(close);
            }
            other => out.push_str(&other.to_string()),
        }
        prev = Some(tt);
    }
}

fn needs_space(prev: Option<&TokenTree>, next: &TokenTree) -> bool {
    let Some(prev) = prev else { return false };
    let word = |t: &TokenTree| matches!(t, TokenTree::Ident(_) | TokenTree::Literal(_));
    match (prev, next) {
        (p, n) if word(p) && word(n) => true,
        (TokenTree::Punct(p), _) if matches!(p.as_char(), ',' | ';') => true,
        (TokenTree::Punct(p), n)
            if matches!(p.as_char(), '=' | '+' | '-' | '*' | '/' | '<' | '>' | '|') =>
        {
            !matches!(n, TokenTree::Punct(_))
        }
        (_, TokenTree::Punct(n))
            if matches!(n.as_char(), '=' | '+' | '*' | '/' | '<' | '>' | '|') =>
        {
            !matches!(prev, TokenTree::Punct(p) if p.as_char() != ')')
        }
        (p, TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => word(p),
        (TokenTree::Group(g), n) if g.delimiter() == Delimiter::Brace => word(n),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(src: &str) -> String {
        expr_text(&syn::parse_str::<syn::Expr>(src).unwrap())
    }

    #[test]
    fn spaces_like_rustfmt() {
        assert_eq!(
            text(r#"async_read_file("foo.txt")"#),
            r#"async_read_file("foo.txt")"#
        );
        assert_eq!(text("stream.read(&mut buf)"), "stream.read(&mut buf)");
        assert_eq!(text("a::b(x, y + 1)"), "a::b(x, y + 1)");
    }
}
