//! Last touches on the poll closure's body, for the reader: blocks that
//! only nest (`{ { .. } }`, `else { { x } }`) are opened into their parent,
//! an awaited `?` reads `question!('ret, output)` (not the block or the
//! statement that moves `output` into a temporary first), a slot starts
//! with its value (`let buf = frame.buf.init([0u8; 32]);`, not through a
//! `buf_value` variable), and a `continue 'dispatch` that ends a dispatch
//! arm, where the loop goes on by itself, is left out.
//!
//! All keep the code's meaning: a block opened into its parent was the
//! parent's last statement (its locals still drop before the parent's, and
//! nothing runs in between); `question!` moves its operand, the temporary
//! or the variable it was moved from alike; a slot's value is computed as
//! the argument of `init`, right where the variable was used, with no
//! temporary it could borrow; and a dispatch arm that ends falls through to
//! the next turn of the loop.

use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Stmt};

/// Tidies the closure body; `dispatch` is the dispatch loop's label.
pub fn closure_body(block: &mut Block, dispatch: &syn::Lifetime) {
    Flatten.visit_block_mut(block);
    for stmt in &mut block.stmts {
        if let Stmt::Expr(Expr::Loop(l), _) = stmt
            && l.label
                .as_ref()
                .is_some_and(|label| label.name == *dispatch)
            && let Some(Stmt::Expr(Expr::Match(m), _)) = l.body.stmts.last_mut()
        {
            for arm in &mut m.arms {
                drop_final_continue(&mut arm.body, dispatch);
            }
        }
    }
}

/// Opens a block that is the last statement of a block into it.
struct Flatten;

impl VisitMut for Flatten {
    fn visit_block_mut(&mut self, block: &mut Block) {
        visit_mut::visit_block_mut(self, block);
        question_of_moved_stmt(block);
        init_with_value(block);
        while let Some(last) = block.stmts.last() {
            let opened = match last {
                // `{ ..; { stmts } }`: the value is the inner block's. Braces
                // the expansion put around your block alone (`{ { .. } }`)
                // become yours: their edition says when its tail's
                // temporaries drop.
                Stmt::Expr(Expr::Block(inner), None) if is_plain(inner) => {
                    if block.stmts.len() == 1 && !is_expansions(&inner.block.brace_token) {
                        block.brace_token = inner.block.brace_token;
                    }
                    inner.block.stmts.clone()
                }
                // `{ ..; { stmts; }; }`: only if the inner block has no value.
                Stmt::Expr(Expr::Block(inner), Some(_))
                    if is_plain(inner) && !has_value(&inner.block) =>
                {
                    inner.block.stmts.clone()
                }
                _ => break,
            };
            block.stmts.pop();
            block.stmts.extend(opened);
        }
        crate::tidy_scopes::open_before_exit(block);
        crate::tidy_scopes::rebound_where_bound(block);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        if let Some(question) = question_of_moved(expr) {
            *expr = question;
        }
        exit_at_end(expr);
    }

    // Closures and `async` blocks are the user's own code: left as written.
    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// `{ let t = v; __private::question!('ret, t) }`, `v` a variable: the
/// `question!` of `v` itself (a variable has no temporaries to keep).
fn question_of_moved(expr: &Expr) -> Option<Expr> {
    let Expr::Block(block) = expr else {
        return None;
    };
    let [Stmt::Local(local), Stmt::Expr(Expr::Macro(question), None)] = &block.block.stmts[..]
    else {
        return None;
    };
    let syn::Pat::Ident(temp) = &local.pat else {
        return None;
    };
    let moved = local.init.as_ref().filter(|init| init.diverge.is_none())?;
    let Expr::Path(variable) = &*moved.expr else {
        return None;
    };
    let is_question = question.mac.path.segments.last()?.ident == "question";
    let (label, operand) = question
        .mac
        .parse_body_with(|input: syn::parse::ParseStream<'_>| {
            let label: syn::Lifetime = input.parse()?;
            input.parse::<syn::Token![,]>()?;
            Ok((label, input.parse::<syn::Ident>()?))
        })
        .ok()?;
    let plain = is_plain(block)
        && local.attrs.is_empty()
        && temp.by_ref.is_none()
        && temp.mutability.is_none()
        && temp.subpat.is_none()
        && variable.path.get_ident().is_some();
    if !is_question || !plain || operand != temp.ident {
        return None;
    }
    let mut question = question.clone();
    question.mac.tokens = quote::quote!(#label, #variable);
    Some(Expr::Macro(question))
}

/// `'exit_1: { ..; match v { P => .., None => break 'exit_1 } }`, the
/// block a loop's `break` leaves by, when only the last statement's `match`
/// breaks and the block has no value: `{ ..; if let P = v { .. } }`. A
/// `break` at the block's end goes where the end goes, and a `match` on a
/// variable (no temporary) with one other arm, which binds nothing and
/// does nothing, is that `if let`.
fn exit_at_end(expr: &mut Expr) {
    let Expr::Block(block) = expr else { return };
    let Some(label) = block.label.as_ref().map(|l| l.name.clone()) else {
        return;
    };
    if !label.ident.to_string().starts_with("exit_") || !block.attrs.is_empty() {
        return;
    }
    let mut stmts = block.block.stmts.clone();
    let Some(Stmt::Expr(Expr::Match(m), None)) = stmts.last_mut() else {
        return;
    };
    let mut ended = false;
    for arm in &mut m.arms {
        if is_break_to(&arm.body, &label) {
            *arm.body = syn::parse_quote!({});
            ended = true;
        }
    }
    let if_let = match_as_if_let(m);
    let Some(if_let) = if_let.filter(|_| ended) else {
        return;
    };
    if let Some(last) = stmts.last_mut() {
        *last = Stmt::Expr(if_let, None);
    }
    // Another `break` still needs the label: left as it was.
    if stmts
        .iter()
        .any(|stmt| mentions_lifetime(&quote::ToTokens::to_token_stream(stmt), &label))
    {
        return;
    }
    block.label = None;
    block.block.stmts = stmts;
}

/// `break 'label` (with no value), alone or as the only statement of a block.
fn is_break_to(expr: &Expr, label: &syn::Lifetime) -> bool {
    match expr {
        Expr::Break(b) => b.expr.is_none() && b.label.as_ref() == Some(label),
        Expr::Block(b) if b.label.is_none() && b.attrs.is_empty() => match &b.block.stmts[..] {
            [Stmt::Expr(inner, _)] => is_break_to(inner, label),
            _ => false,
        },
        _ => false,
    }
}

fn mentions_lifetime(tokens: &proc_macro2::TokenStream, label: &syn::Lifetime) -> bool {
    let mut apostrophe = false;
    tokens.clone().into_iter().any(|tt| {
        let found = match &tt {
            proc_macro2::TokenTree::Ident(i) => apostrophe && *i == label.ident,
            proc_macro2::TokenTree::Group(g) => mentions_lifetime(&g.stream(), label),
            _ => false,
        };
        apostrophe = matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == '\'');
        found
    })
}

/// `match v { P => x, Q => {} }`, `v` a variable, `Q` a pattern that binds
/// nothing, no guard, no attribute: `if let P = v { x }`.
fn match_as_if_let(m: &syn::ExprMatch) -> Option<Expr> {
    let Expr::Path(scrutinee) = &*m.expr else {
        return None;
    };
    if !m.attrs.is_empty() || scrutinee.path.get_ident().is_none() || m.arms.len() != 2 {
        return None;
    }
    let is_nothing = |arm: &syn::Arm| {
        matches!(&*arm.body, Expr::Block(b) if b.block.stmts.is_empty() && b.label.is_none())
            && matches!(arm.pat, syn::Pat::Path(_) | syn::Pat::Wild(_))
    };
    let (taken, other) = match (is_nothing(&m.arms[0]), is_nothing(&m.arms[1])) {
        (false, true) => (&m.arms[0], &m.arms[1]),
        _ => return None,
    };
    if taken.guard.is_some()
        || other.guard.is_some()
        || !taken.attrs.is_empty()
        || !other.attrs.is_empty()
    {
        return None;
    }
    let pat = &taken.pat;
    let body = match &*taken.body {
        Expr::Block(b) if b.label.is_none() && b.attrs.is_empty() => b.block.clone(),
        other => syn::parse_quote!({ #other }),
    };
    Some(syn::parse_quote!(if let #pat = #scrutinee #body))
}

/// `let t = v; let x = question!('ret, t);` (or `question!('ret, t);`),
/// `v` a variable: `let x = question!('ret, v);`. Nothing runs between the
/// two statements, and `t` is not named again.
fn question_of_moved_stmt(block: &mut Block) {
    let mut i = 0;
    while i + 1 < block.stmts.len() {
        let replaced = moved_variable(&block.stmts[i]).and_then(|(temp, variable)| {
            let others = block
                .stmts
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i && j != i + 1)
                .any(|(_, stmt)| mentions(stmt, &temp));
            if others || mentions_count(&block.stmts[i + 1], &temp) != 1 {
                return None;
            }
            let mut next = block.stmts[i + 1].clone();
            let question = match &mut next {
                Stmt::Local(local) if local.attrs.is_empty() => {
                    let init = local.init.as_mut().filter(|init| init.diverge.is_none())?;
                    match &mut *init.expr {
                        Expr::Macro(m) => &mut m.mac,
                        _ => return None,
                    }
                }
                Stmt::Macro(m) if m.attrs.is_empty() => &mut m.mac,
                Stmt::Expr(Expr::Macro(m), _) if m.attrs.is_empty() => &mut m.mac,
                _ => return None,
            };
            if question.path.segments.last()?.ident != "question" {
                return None;
            }
            let (label, operand) = question
                .parse_body_with(|input: syn::parse::ParseStream<'_>| {
                    let label: syn::Lifetime = input.parse()?;
                    input.parse::<syn::Token![,]>()?;
                    Ok((label, input.parse::<syn::Ident>()?))
                })
                .ok()?;
            if operand != temp {
                return None;
            }
            question.tokens = quote::quote!(#label, #variable);
            Some(next)
        });
        match replaced {
            Some(next) => {
                block.stmts[i + 1] = next;
                block.stmts.remove(i);
            }
            None => i += 1,
        }
    }
}

/// `let t = v;` (no pattern but a name, no type, no attribute), `v` a
/// variable: `t` and `v`.
fn moved_variable(stmt: &Stmt) -> Option<(syn::Ident, syn::Ident)> {
    let (temp, init) = plain_let(stmt)?;
    let Expr::Path(variable) = init else {
        return None;
    };
    if !variable.attrs.is_empty() || variable.qself.is_some() {
        return None;
    }
    Some((temp, variable.path.get_ident()?.clone()))
}

/// `let name = init;`: no pattern but a name, no type, no attribute, no `else`.
fn plain_let(stmt: &Stmt) -> Option<(syn::Ident, &Expr)> {
    let Stmt::Local(local) = stmt else {
        return None;
    };
    let syn::Pat::Ident(name) = &local.pat else {
        return None;
    };
    let init = local.init.as_ref().filter(|init| init.diverge.is_none())?;
    let plain = local.attrs.is_empty()
        && name.attrs.is_empty()
        && name.by_ref.is_none()
        && name.mutability.is_none()
        && name.subpat.is_none();
    plain.then(|| (name.ident.clone(), &*init.expr))
}

/// `let x_value = e; let x = frame.x.init(x_value);`: `let x =
/// frame.x.init(e);`, where that is one short line, unless `e` may make a
/// temporary that a `let` would keep alive to the end of the block (one it
/// borrows, `&f()`, or a macro that may: `pin!`), and if `x_value` is not
/// named again.
fn init_with_value(block: &mut Block) {
    let mut i = 0;
    while i + 1 < block.stmts.len() {
        let merged = plain_let(&block.stmts[i]).and_then(|(value, init)| {
            if !value.to_string().ends_with("_value")
                || !keeps_no_temporary(init)
                || !is_short(init, &value)
            {
                return None;
            }
            let others = block
                .stmts
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i && j != i + 1)
                .any(|(_, stmt)| mentions(stmt, &value));
            if others || mentions_count(&block.stmts[i + 1], &value) != 1 {
                return None;
            }
            let mut next = block.stmts[i + 1].clone();
            let Stmt::Local(local) = &mut next else {
                return None;
            };
            let slot_init = local.init.as_mut().filter(|init| init.diverge.is_none())?;
            let Expr::MethodCall(call) = &mut *slot_init.expr else {
                return None;
            };
            let Expr::Field(field) = &*call.receiver else {
                return None;
            };
            let is_frame = matches!(&*field.base, Expr::Path(p) if p.path.is_ident("frame"));
            if call.method != "init" || !is_frame || call.args.len() != 1 {
                return None;
            }
            let passes_value = matches!(&call.args[0], Expr::Path(p) if p.path.is_ident(&value));
            if !passes_value {
                return None;
            }
            call.args[0] = init.clone();
            Some(next)
        });
        match merged {
            Some(next) => {
                block.stmts[i + 1] = next;
                block.stmts.remove(i);
            }
            None => i += 1,
        }
    }
}

/// The longest `let x = frame.x.init(value);` written on one line: one
/// longer would be broken over several, each shorter than the two
/// statements it replaces.
const ONE_LINE: usize = 56;

/// Whether `let x = frame.x.init(expr);` fits on one line (`x_value` is
/// `value`; spaces are not counted, so as to count as a printer writes).
fn is_short(expr: &Expr, value: &syn::Ident) -> bool {
    let name = value.to_string();
    let local = name.trim_end_matches("_value");
    let written = quote::ToTokens::to_token_stream(expr).to_string();
    let length = written.chars().filter(|c| !c.is_whitespace()).count()
        + format!("let {local} = frame.{local}.init();").len();
    length <= ONE_LINE
}

/// Whether `expr` makes no temporary that `let v = expr;` would extend to
/// the end of the block: it has no `&` at all, and calls no macro but
/// `format!`, `vec!` and `question!`.
fn keeps_no_temporary(expr: &Expr) -> bool {
    fn no_borrow(tokens: proc_macro2::TokenStream) -> bool {
        tokens.into_iter().all(|tt| match tt {
            proc_macro2::TokenTree::Punct(p) => p.as_char() != '&',
            proc_macro2::TokenTree::Group(g) => no_borrow(g.stream()),
            _ => true,
        })
    }
    struct Macros(bool);
    impl<'ast> syn::visit::Visit<'ast> for Macros {
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            let known = mac.path.segments.last().is_some_and(|segment| {
                matches!(
                    segment.ident.to_string().as_str(),
                    "format" | "vec" | "question"
                )
            });
            self.0 &= known;
        }
    }
    let mut macros = Macros(true);
    syn::visit::Visit::visit_expr(&mut macros, expr);
    macros.0 && no_borrow(quote::ToTokens::to_token_stream(expr))
}

pub(crate) fn mentions(stmt: &Stmt, name: &syn::Ident) -> bool {
    mentions_count(stmt, name) > 0
}

/// How many times the identifier `name` appears in `stmt` (by name:
/// whatever its hygiene, so that the count is never too low).
fn mentions_count(stmt: &Stmt, name: &syn::Ident) -> usize {
    fn count(tokens: proc_macro2::TokenStream, name: &str) -> usize {
        tokens
            .into_iter()
            .map(|tt| match tt {
                proc_macro2::TokenTree::Ident(i) => usize::from(i == name),
                proc_macro2::TokenTree::Group(g) => count(g.stream(), name),
                _ => 0,
            })
            .sum()
    }
    count(quote::ToTokens::to_token_stream(stmt), &name.to_string())
}

pub(crate) fn is_plain(block: &syn::ExprBlock) -> bool {
    block.attrs.is_empty() && block.label.is_none()
}

/// Braces the expansion wrote (at the call site), not the user's.
fn is_expansions(braces: &syn::token::Brace) -> bool {
    let call_site = proc_macro2::Span::call_site();
    format!("{:?}", braces.span.join()) == format!("{call_site:?}")
}

/// Does the block end in a value (a tail expression)?
pub(crate) fn has_value(block: &Block) -> bool {
    matches!(block.stmts.last(), Some(Stmt::Expr(_, None)))
}

/// Removes `continue 'dispatch;` where it is the last thing an arm does:
/// at the end of the arm's body, or of the branches of an `if`, `match`,
/// block or `unsafe` block that ends it.
fn drop_final_continue(expr: &mut Expr, dispatch: &syn::Lifetime) {
    match expr {
        Expr::Block(b) if b.label.is_none() => drop_in_block(&mut b.block, dispatch),
        Expr::Unsafe(u) => drop_in_block(&mut u.block, dispatch),
        Expr::If(i) => {
            drop_in_block(&mut i.then_branch, dispatch);
            if let Some((_, otherwise)) = &mut i.else_branch {
                drop_final_continue(otherwise, dispatch);
            }
        }
        Expr::Match(m) => {
            for arm in &mut m.arms {
                drop_final_continue(&mut arm.body, dispatch);
            }
        }
        _ => {}
    }
}

fn drop_in_block(block: &mut Block, dispatch: &syn::Lifetime) {
    match block.stmts.last_mut() {
        Some(Stmt::Expr(Expr::Continue(c), _))
            if c.label.as_ref().is_some_and(|label| label == dispatch) =>
        {
            block.stmts.pop();
        }
        Some(Stmt::Expr(
            e @ (Expr::If(_) | Expr::Match(_) | Expr::Block(_) | Expr::Unsafe(_)),
            _,
        )) => drop_final_continue(e, dispatch),
        _ => {}
    }
}
