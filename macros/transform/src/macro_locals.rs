//! What statement macros declare, which the transform sees only as tokens:
//! items, and locals.
//!
//! A braced macro whose tokens are items (`pin_project! { struct F { .. } }`)
//! declares them: it is lifted with the body's other items (see
//! [`declares_items`]), where an `impl` beside it sees them.
//!
//! A macro may also declare locals the code after it uses:
//! `event_listener::listener!(event => listener);` expands to three `let`s,
//! the last a pinned borrow of the first. The transform cannot keep locals
//! it cannot see in the state: awaiting `listener` borrows a local of the
//! arm that ends at the await (E0716 at the attribute). The user gets a
//! clear error at the name instead ([`check`]), with the two ways out.
//!
//! A name is taken as the macro's when it is written in the macro's tokens
//! and no pattern before it (an argument, a `let`, a closure's parameter, an
//! arm) binds it. The check is on an await's operand, where such a local
//! must outlive the arm.

use crate::macros::after_dot_or_path;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::BTreeSet;
use syn::visit::Visit;
use syn::{Block, Expr, Ident, Macro, Pat, Stmt};

/// The first await whose operand names a local that a statement macro
/// before it declares, as an error.
pub fn check(arguments: &[Ident], body: &Block) -> syn::Result<()> {
    let mut finder = Finder {
        bound: arguments.iter().map(Ident::to_string).collect(),
        declared_by: Vec::new(),
        error: None,
    };
    finder.visit_block(body);
    finder.error.map_or(Ok(()), Err)
}

struct Finder {
    /// Every name a pattern binds, up to here (scopes are not tracked: a
    /// name bound anywhere before is never taken as a macro's).
    bound: BTreeSet<String>,
    /// The names written in each statement macro so far, with its name.
    declared_by: Vec<(BTreeSet<String>, String)>,
    error: Option<syn::Error>,
}

impl Finder {
    fn statement_macro(&mut self, mac: &Macro) {
        let names: BTreeSet<String> = written_names(&mac.tokens)
            .into_iter()
            .filter(|name| !self.bound.contains(name))
            .collect();
        if !names.is_empty() {
            self.declared_by
                .push((names, crate::names::last_name(&mac.path)));
        }
    }

    fn operand(&mut self, operand: &Expr) {
        let mut values = Values(Vec::new());
        values.visit_expr(operand);
        for ident in values.0 {
            let name = ident.to_string();
            if self.bound.contains(&name) || self.error.is_some() {
                continue;
            }
            if let Some((_, mac)) = self
                .declared_by
                .iter()
                .find(|(names, _)| names.contains(&name))
            {
                self.error = Some(syn::Error::new(
                    ident.span(),
                    format!(
                        "`{name}` is declared inside `{mac}!(..)`, which #[explicit_async] cannot see \
                         into, so the state machine cannot keep it across this `.await`; declare it \
                         with `let` outside the macro, or await it inside an `async` block that the \
                         function awaits: `async {{ {mac}!(..); {name}.await }}.await`"
                    ),
                ));
            }
        }
    }
}

impl<'a> Visit<'a> for Finder {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Macro(m) => {
                syn::visit::visit_stmt(self, stmt);
                self.statement_macro(&m.mac);
            }
            _ => syn::visit::visit_stmt(self, stmt),
        }
    }

    fn visit_pat(&mut self, pat: &'a Pat) {
        if let Pat::Ident(p) = pat {
            self.bound.insert(p.ident.to_string());
        }
        syn::visit::visit_pat(self, pat);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Await(a) => {
                self.visit_expr(&a.base);
                self.operand(&a.base);
            }
            // Their own futures: an `.await` inside is theirs.
            Expr::Closure(c) => {
                for input in &c.inputs {
                    self.visit_pat(input);
                }
            }
            Expr::Async(_) => {}
            _ => syn::visit::visit_expr(self, expr),
        }
    }

    fn visit_item(&mut self, _: &'a syn::Item) {}
}

/// The single names an operand uses as values (not called, not a path's
/// segment), outside closures and `async` blocks.
struct Values(Vec<Ident>);

impl<'a> Visit<'a> for Values {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Path(p) if p.qself.is_none() => {
                if let Some(ident) = p.path.get_ident() {
                    self.0.push(ident.clone());
                }
            }
            Expr::Call(c) => {
                for arg in &c.args {
                    self.visit_expr(arg);
                }
            }
            Expr::Closure(_) | Expr::Async(_) | Expr::Block(_) => {}
            _ => syn::visit::visit_expr(self, expr),
        }
    }

    fn visit_macro(&mut self, _: &'a Macro) {}
}

/// The lowercase names in a macro's tokens that are not a field, a method,
/// a path's later segment, a call, or a macro.
fn written_names(tokens: &TokenStream) -> Vec<String> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut names = Vec::new();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                let called = matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!' || p.as_char() == ':')
                    || matches!(trees.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis);
                let lowercase = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
                if lowercase && !called && !after_dot_or_path(&trees, i) && !is_keyword(&name) {
                    names.push(name);
                }
            }
            TokenTree::Group(g) => names.extend(written_names(&g.stream())),
            _ => {}
        }
    }
    names
}

fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "self"
            | "mut"
            | "ref"
            | "let"
            | "in"
            | "as"
            | "move"
            | "if"
            | "else"
            | "match"
            | "true"
            | "false"
    )
}

/// A braced macro call whose tokens are items (`pin_project! { struct F
/// { .. } }`, `thread_local! { static X: .. }`): it declares them, and runs
/// nothing where it is written.
pub fn declares_items(mac: &syn::Macro) -> bool {
    const ITEM_KEYWORDS: &[&str] = &[
        "struct",
        "enum",
        "union",
        "fn",
        "impl",
        "trait",
        "static",
        "type",
        "mod",
        "use",
        "extern",
        "macro_rules",
    ];
    if !matches!(mac.delimiter, syn::MacroDelimiter::Brace(_)) {
        return false;
    }
    let mut trees = mac.tokens.clone().into_iter().peekable();
    // Attributes and a visibility before the item.
    loop {
        match trees.peek() {
            Some(TokenTree::Punct(p)) if p.as_char() == '#' => {
                trees.next();
                trees.next();
            }
            Some(TokenTree::Ident(i)) if i == "pub" => {
                trees.next();
                if matches!(trees.peek(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
                {
                    trees.next();
                }
            }
            _ => break,
        }
    }
    matches!(trees.next(), Some(TokenTree::Ident(i)) if ITEM_KEYWORDS.iter().any(|k| i == k))
}
