//! Names that come from the source: the machine from the fn's name, each
//! waiting state from what it awaits.

use syn::{Expr, Ident};

/// The words of Rust that are keywords in some edition (strict or
/// reserved), and so a name only as a raw identifier (`r#gen`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// An identifier for a name as `to_string` writes it (`r#async` for a raw
/// one): raw where the name is a keyword in some edition. The expansion's
/// own spans are of this crate's edition (2024), where `gen` is reserved,
/// whatever the user's crate is.
pub fn ident(name: &str, span: proc_macro2::Span) -> Ident {
    let name = name.strip_prefix("r#").unwrap_or(name);
    if KEYWORDS.contains(&name) {
        Ident::new_raw(name, span)
    } else {
        Ident::new(name, span)
    }
}

/// `a::b::c` → `["a", "b", "c"]`.
pub fn segment_names(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// The name a path ends with: `tokio::select` → `select`.
pub fn last_name(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// `read_file` → `ReadFile`, `example` → `Example`, `r#try` → `Try`,
/// `__self` → `This`.
pub fn upper_camel(name: &str) -> String {
    let name = name.strip_prefix("r#").unwrap_or(name);
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    match out.as_str() {
        "" => "Machine".to_string(),
        // `__self` (`#[async_trait]`'s `self`): `Self` is a keyword.
        "Self" => "This".to_string(),
        _ => out,
    }
}

/// The state enum's name: the fn's name in UpperCamelCase (`example` →
/// `Example`), or, if the function itself names something so (a type it
/// returns, say), that name with `Machine` after it: the enum is declared in
/// the function's body and would shadow it there.
pub fn machine_name(function: &syn::ItemFn) -> String {
    let base = upper_camel(&function.sig.ident.to_string());
    let tokens = quote::ToTokens::to_token_stream(function);
    let taken = |name: &str| {
        mentions_ident(&tokens, name) || mentions_ident(&tokens, &format!("{name}Frame"))
    };
    if taken(&base) {
        format!("{base}Machine")
    } else {
        base
    }
}

/// Does the stream name `name`, at any depth?
pub(crate) fn mentions_ident(tokens: &proc_macro2::TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Ident(i) => i == name,
        proc_macro2::TokenTree::Group(g) => mentions_ident(&g.stream(), name),
        _ => false,
    })
}

/// The callee an await operand is named after: `async_read_file(..)` →
/// `AsyncReadFile`, `stream.read(..)` → `Read`, `Box::pin(sum(n))` → `Sum`,
/// `self.conn.recv()` → `Recv`, `fut` → `Fut`.
pub fn callee_name(operand: &Expr) -> String {
    match operand {
        Expr::Call(call) => match &*call.func {
            Expr::Path(path) => {
                let segments = segment_names(&path.path);
                let last = segments.last().map(String::as_str).unwrap_or("");
                // `Box::pin(inner)`, `Box::new(inner)`, `Pin::from(..)`: name the inner call.
                let is_wrapper = matches!(last, "pin" | "new" | "from")
                    && segments.len() >= 2
                    && matches!(segments[segments.len() - 2].as_str(), "Box" | "Pin");
                match call.args.first() {
                    Some(inner) if is_wrapper => callee_name(inner),
                    _ => upper_camel(last),
                }
            }
            other => callee_name(other),
        },
        Expr::MethodCall(call) => upper_camel(&call.method.to_string()),
        Expr::Path(path) => path
            .path
            .segments
            .last()
            .map(|s| {
                let name = s.ident.to_string();
                upper_camel(crate::normalize::internal_base(&name).unwrap_or(&name))
            })
            .unwrap_or_else(|| "Future".into()),
        Expr::Field(field) => match &field.member {
            syn::Member::Named(ident) => upper_camel(&ident.to_string()),
            syn::Member::Unnamed(_) => callee_name(&field.base),
        },
        Expr::Paren(p) => callee_name(&p.expr),
        Expr::Reference(r) => callee_name(&r.expr),
        Expr::Unary(u) => callee_name(&u.expr),
        Expr::Try(t) => callee_name(&t.expr),
        Expr::Await(a) => callee_name(&a.base),
        Expr::Macro(m) => m
            .mac
            .path
            .segments
            .last()
            .map(|s| upper_camel(&s.ident.to_string()))
            .unwrap_or_else(|| "Future".into()),
        Expr::Async(_) => "AsyncBlock".into(),
        Expr::Block(_) => "Block".into(),
        _ => "Future".into(),
    }
}

/// Is `name` usable as the suffix of a state (`#[state(Name)]`)?
pub fn check_state_name(ident: &Ident) -> syn::Result<()> {
    let s = ident.to_string();
    if s.starts_with("r#") || !s.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
        return Err(syn::Error::new(
            ident.span(),
            format!(
                "a state name must be UpperCamelCase, like `#[state(FooTxt)]`; `{s}` is not (the state becomes `WaitingOn{s}`)"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn callee(src: &str) -> String {
        callee_name(&syn::parse_str(src).unwrap())
    }

    #[test]
    fn upper_camel_from_snake() {
        assert_eq!(upper_camel("example"), "Example");
        assert_eq!(upper_camel("async_read_file"), "AsyncReadFile");
        assert_eq!(upper_camel("r#try"), "Try");
        assert_eq!(upper_camel("_private_fn"), "PrivateFn");
        assert_eq!(upper_camel("__self"), "This");
    }

    #[test]
    fn callees() {
        assert_eq!(callee("async_read_file(\"foo.txt\")"), "AsyncReadFile");
        assert_eq!(callee("stream.read(&mut buf)"), "Read");
        assert_eq!(callee("Box::pin(sum(n - 1))"), "Sum");
        assert_eq!(callee("self.conn.recv()"), "Recv");
        assert_eq!(callee("fut"), "Fut");
        assert_eq!(callee("time::sleep(d)"), "Sleep");
        assert_eq!(callee("(a.b)"), "B");
    }
}
