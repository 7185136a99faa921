//! Hoisting awaits out of expressions, in rustc's order of evaluation.
//!
//! `f(&mk("t"), g().await + 1)` evaluates `mk("t")` (a temporary it
//! borrows), then `g()`, awaits it, adds 1 and calls `f`; the temporary is
//! dropped at the end of the statement. Hoisted, inside the block that
//! replaces the statement:
//!
//! ```text
//! { let t = mk("t"); let g_output = g().await; f(&t, g_output + 1) }
//! ```
//!
//! Every operand evaluated before the last await of an expression is
//! evaluated first, into a named local (a value operand is moved or copied
//! there, as rustc does into its operand temporaries); a place operand that
//! is only borrowed or read stays where it is, since evaluating a place has
//! no effect. Temporaries such an operand creates (a borrowed call result,
//! the receiver of a method that may borrow it) are named too, so that they
//! live to the end of the block, as they would to the end of the statement.

use crate::ir::{Node, Stmt};
use crate::legacy::{legacy_if_let, legacy_operand_block, legacy_operand_block_mut};
use crate::normalize::Normalizer;
use crate::operands::{Position, is_constant, moves_or_writes, operands, place_root, strip_parens};
use syn::spanned::Spanned;
use syn::{Expr, Pat, parse_quote};

/// Does `expr` contain an `.await` of the function (not of a closure,
/// `async` block or nested item)?
pub fn contains_await(expr: &Expr) -> bool {
    crate::operands::Finds::new(is_await).in_expr(expr)
}

/// Does `block` contain an `.await` of the function?
pub fn block_contains_await(block: &syn::Block) -> bool {
    crate::operands::Finds::new(is_await).in_block(block)
}

fn is_await(expr: &Expr) -> bool {
    matches!(expr, Expr::Await(_))
}

/// A place expression: a path, or a field, index or deref of one.
pub fn is_place(expr: &Expr) -> bool {
    match expr {
        Expr::Path(_) => true,
        Expr::Field(f) => is_place(&f.base),
        Expr::Index(i) => is_place(&i.expr),
        Expr::Paren(p) => is_place(&p.expr),
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Deref(_)) && is_place(&u.expr),
        _ => false,
    }
}

impl Normalizer {
    /// Hoists the awaits out of `expr` into `out`, in evaluation order, and
    /// returns what is left of it (with no await).
    pub(super) fn lift(&mut self, expr: Expr, out: &mut Vec<Stmt>) -> Expr {
        if !contains_await(&expr) {
            return expr;
        }
        let tail_operands = std::mem::replace(&mut self.tail_operands, false);
        match expr {
            Expr::Await(a) => {
                let mut a = a;
                *a.base = self.lift(*a.base, out);
                self.settle_operand_temporaries(&mut a.base, out);
                let callee = crate::names::callee_name(&a.base);
                let name = self.temp(&format!("{}_output", snake(&callee)), a.span());
                let id = self.point(a);
                out.push(Stmt::Let {
                    attrs: Vec::new(),
                    pat: parse_quote!(#name),
                    init: Node::Await(id),
                });
                parse_quote!(#name)
            }
            Expr::Match(mut m) => {
                // A `match` inside a statement: its scrutinee's temporaries
                // live to the end of the statement, not of the `match`.
                let mut scrutinee = *m.expr;
                if contains_await(&scrutinee) {
                    scrutinee = self.lift(scrutinee, out);
                }
                *m.expr = self.settle(scrutinee, out);
                let name = self.temp("value", m.match_token.span);
                let node = self.node(Expr::Match(m));
                out.push(Stmt::Let {
                    attrs: Vec::new(),
                    pat: parse_quote!(#name),
                    init: node,
                });
                parse_quote!(#name)
            }
            // `format!(..)` is a block: its arguments' temporaries end with it.
            // (As `format!` expands: `{ let res = format(format_args!(..)); res }`,
            // its arguments in a statement, not in a block's tail.)
            Expr::Call(c) if is_block_macro(&c) => {
                let call = crate::macros::in_its_block(c);
                let name = self.temp("value", call.span());
                self.lift(parse_quote!({ let #name = #call; #name }), out)
            }
            Expr::If(i) if crate::normalize::has_let(&i.cond) => {
                match crate::legacy::if_let_as_match(i) {
                    Ok(m) => self.lift(Expr::Match(m), out),
                    Err(i) => self.lift_construct(Expr::If(i), out),
                }
            }
            Expr::Block(_)
            | Expr::Unsafe(_)
            | Expr::If(_)
            | Expr::Loop(_)
            | Expr::While(_)
            | Expr::ForLoop(_) => self.lift_construct(expr, out),
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_)) => {
                // `a && b` → `if a { b } else { false }`; `a || b` → `if a { true } else { b }`.
                // `a` is the `if`'s condition: its temporaries drop before `b`.
                let left = &b.left;
                let right = &b.right;
                let desugared: Expr = if matches!(b.op, syn::BinOp::And(_)) {
                    parse_quote!(if #left { #right } else { false })
                } else {
                    parse_quote!(if #left { true } else { #right })
                };
                self.lift(desugared, out)
            }
            Expr::Paren(mut p) => {
                self.tail_operands = tail_operands;
                *p.expr = self.lift(*p.expr, out);
                Expr::Paren(p)
            }
            Expr::Group(g) => {
                self.tail_operands = tail_operands;
                self.lift(*g.expr, out)
            }
            mut other => {
                self.tail_operands = tail_operands;
                self.lift_operands(&mut other, out);
                other
            }
        }
    }

    /// A block-like construct in an expression: its value, into a local.
    fn lift_construct(&mut self, expr: Expr, out: &mut Vec<Stmt>) -> Expr {
        let name = self.temp("value", expr.span());
        let operand_block = legacy_operand_block(&expr).is_some();
        let mut node = self.node(expr);
        if operand_block && let Node::Block(block) = &mut node {
            self.tail_temporaries_to_the_statement(block, out);
        }
        out.push(Stmt::Let {
            attrs: Vec::new(),
            pat: parse_quote!(#name),
            init: node,
        });
        parse_quote!(#name)
    }

    /// The operands of `expr` in evaluation order: those before the last
    /// one that awaits are hoisted, that one is lifted, the rest stay.
    fn lift_operands(&mut self, expr: &mut Expr, out: &mut Vec<Stmt>) {
        let top_level = std::mem::replace(&mut self.tail_operands, false);
        let mutated_base = may_mutate_first_operand(expr);
        let mut operands = operands(expr);
        let Some(last) = operands.iter().rposition(|(e, _)| contains_await(e)) else {
            return;
        };
        // A place read in place (`d.n < f(d).await`) whose local a later
        // operand moves or writes (`self.k == inc(&mut self.k).await`) was
        // copied when evaluated: rustc accepted the program, so it is
        // `Copy` (a borrow would conflict with the move or the write).
        let copied: Vec<bool> = (0..operands.len())
            .map(|index| {
                index < last
                    && place_root(operands[index].0).is_some_and(|root| {
                        operands[index + 1..=last]
                            .iter()
                            .any(|(later, _)| moves_or_writes(later, root))
                    })
            })
            .collect();
        for (index, (operand, position)) in operands.iter_mut().enumerate() {
            if copied[index] {
                *position = Position::Value;
            }
            if index <= last && contains_await(operand) {
                let taken = std::mem::replace(&mut **operand, parse_quote!(()));
                **operand = self.lift(taken, out);
                if index == 0 && mutated_base {
                    make_binding_mutable(out, operand);
                }
                // An await's output used as a place (`f().await.len()`,
                // `&f().await`) is a temporary of the statement; one that
                // is an operand of a block tail's outermost expression is
                // ranked with the tail's other operands (see `tail_operands`).
                if *position == Position::Place || top_level {
                    self.keep_to_statement_end(operand);
                }
            }
            if index < last {
                self.hoist_operand(operand, *position, out, top_level);
            }
        }
    }

    /// A temporary this pass made (an await's output, maybe in parentheses)
    /// that `expr` uses as a place lives to the end of the statement.
    fn keep_to_statement_end(&mut self, expr: &Expr) {
        let inner = strip_parens(expr);
        if is_temporary(inner) {
            let name = quote::ToTokens::to_token_stream(inner).to_string();
            self.statement_temps
                .entry(name)
                .or_insert(self.statement_start);
        }
    }

    /// Evaluates an operand that comes before an await into a local.
    /// `top_level`: an operand of a block tail's outermost expression (see
    /// `tail_operands`), ranked with the tail's temporaries.
    fn hoist_operand(
        &mut self,
        operand: &mut Expr,
        position: Position,
        out: &mut Vec<Stmt>,
        top_level: bool,
    ) {
        if is_constant(operand) || is_temporary(operand) {
            return;
        }
        if is_place(operand) {
            self.settle_place(operand, out);
            // A place operand that is only borrowed or read stays; one used
            // by value is moved (or copied) now, as rustc evaluates it: if
            // the function is dropped at the await, it is dropped with the
            // operands evaluated so far, not with the local it came from.
            if position == Position::Place {
                return;
            }
        }
        self.name_temporaries(operand, out);
        let name = if top_level {
            self.statement_temp(&operand_name(operand), operand.span())
        } else {
            self.temp(&operand_name(operand), operand.span())
        };
        let value = std::mem::replace(operand, parse_quote!(#name));
        // A value used as a place may be borrowed `&mut` (`&mut [..][i]`).
        let mutability = (position == Position::Place).then(|| quote::quote!(mut));
        out.push(Stmt::Plain(parse_quote!(let #mutability #name = #value;)));
    }

    /// The index expressions of a place are evaluated now; the place itself
    /// can be evaluated later.
    fn settle_place(&mut self, place: &mut Expr, out: &mut Vec<Stmt>) {
        match place {
            Expr::Field(f) => self.settle_place(&mut f.base, out),
            Expr::Paren(p) => self.settle_place(&mut p.expr, out),
            Expr::Unary(u) => self.settle_place(&mut u.expr, out),
            Expr::Index(i) => {
                self.settle_place(&mut i.expr, out);
                if !is_constant(&i.index) && !is_place(&i.index) {
                    self.name_temporaries(&mut i.index, out);
                    let name = self.temp("index", i.index.span());
                    let value = std::mem::replace(&mut *i.index, parse_quote!(#name));
                    out.push(Stmt::Plain(parse_quote!(let #name = #value;)));
                }
            }
            _ => {}
        }
    }

    /// A match scrutinee or `for` head whose temporaries must outlive awaits:
    /// its temporaries are named, and a value is moved into a local (a
    /// place stays, so that the match moves out of the place as written).
    pub(super) fn settle(&mut self, scrutinee: Expr, out: &mut Vec<Stmt>) -> Expr {
        if is_place(&scrutinee) || is_constant(&scrutinee) {
            // An await's output matched on (`match f().await { .. }`) is a
            // temporary of the statement.
            self.keep_to_statement_end(&scrutinee);
            let mut scrutinee = scrutinee;
            self.settle_place(&mut scrutinee, out);
            return scrutinee;
        }
        let mut scrutinee = scrutinee;
        self.name_temporaries(&mut scrutinee, out);
        let name = self.statement_temp(&operand_name(&scrutinee), scrutinee.span());
        out.push(Stmt::Plain(parse_quote!(let #name = #scrutinee;)));
        parse_quote!(#name)
    }

    /// Like [`settle`](Self::settle), for an operand consumed whole (a `for` head).
    pub(super) fn settle_operand(&mut self, operand: Expr, out: &mut Vec<Stmt>) -> Expr {
        let mut operand = operand;
        if !is_place(&operand) && !is_constant(&operand) {
            self.name_temporaries(&mut operand, out);
        } else {
            self.settle_place(&mut operand, out);
        }
        operand
    }

    /// An awaited operand's temporaries live as long as its future (to the
    /// end of the statement): a borrowed one (`bind(&format!(..))`) gets a
    /// name. A method call on one (`client.get(url).send()`) may borrow it
    /// or consume it, by the method's signature, and an array of borrows
    /// is typed by where it is borrowed (`&[&oid]` for `&[&dyn ToSql]`): the
    /// operand is then awaited inside an `async` block, where rustc decides.
    pub(super) fn settle_operand_temporaries(&mut self, operand: &mut Expr, out: &mut Vec<Stmt>) {
        let decided_by_rustc = receiver_chain_root_is_value(operand)
            || crate::operands::borrows_an_array_of_borrows(operand);
        // Not one that jumps (`f()?.m()`): in the block, `?` would leave the
        // block, not the function.
        if decided_by_rustc && !crate::operands::jumps(operand) {
            let inner = std::mem::replace(operand, parse_quote!(()));
            *operand = parse_quote!(async { #inner.await });
            return;
        }
        self.name_temporaries(operand, out);
    }

    /// Names the temporaries `expr` creates that rustc keeps to the end of
    /// the statement: value expressions used as places (borrowed, indexed,
    /// method receivers, compared, matched on). In evaluation order: the
    /// operands evaluated before a temporary are evaluated into locals first.
    pub(super) fn name_temporaries(&mut self, expr: &mut Expr, out: &mut Vec<Stmt>) {
        if let Some(m) = legacy_if_let(expr) {
            *expr = Expr::Match(m);
        }
        if let Some(block) = legacy_operand_block_mut(expr) {
            return self.name_block_tail_temporaries(block, out);
        }
        match expr {
            Expr::Closure(_)
            | Expr::Async(_)
            | Expr::Block(_)
            | Expr::Unsafe(_)
            | Expr::Const(_)
            | Expr::If(_)
            | Expr::Loop(_)
            | Expr::While(_)
            | Expr::ForLoop(_)
            | Expr::Lit(_)
            | Expr::Path(_)
            | Expr::Macro(_) => {}
            // Each operand of `&&` and `||` is a temporary scope of its own.
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_)) => {}
            Expr::Match(m) => {
                self.name_temporaries(&mut m.expr, out);
                self.name_if_value(&mut m.expr, out, false);
            }
            // `format!(..)` is a block: its temporaries end with it.
            Expr::Call(c) if is_block_macro(c) => {}
            Expr::Reference(r) if is_unpromoted_constant(r) => {
                let name = self.statement_temp("temporary", r.expr.span());
                let value = std::mem::replace(&mut *r.expr, parse_quote!(#name));
                out.push(Stmt::Plain(parse_quote!(let mut #name = #value;)));
            }
            other => {
                let mutated_base = may_mutate_first_operand(other);
                let mut operands = operands(other);
                let Some(last) = operands
                    .iter()
                    .rposition(|(e, position)| makes_temporary(e, *position))
                else {
                    return;
                };
                // A place read before a later operand takes or writes its
                // local (`d.n >= f(&d.with(0))`) is read now: rustc accepted
                // it, so it is a `Copy` value read before the move.
                let taken_later: Vec<bool> = (0..operands.len())
                    .map(|i| {
                        // (A field, `Copy` if rustc accepted it; a whole
                        // local may not be.)
                        let field = matches!(strip_parens(operands[i].0), Expr::Field(_));
                        field
                            && crate::operands::place_root(operands[i].0).is_some_and(|root| {
                                operands[i + 1..]
                                    .iter()
                                    .any(|(later, _)| crate::operands::takes_or_writes(later, root))
                            })
                    })
                    .collect();
                for (index, (operand, position)) in operands.iter_mut().enumerate() {
                    if index < last && taken_later[index] {
                        self.hoist_operand(operand, Position::Value, out, false);
                    } else if index < last {
                        self.hoist_operand(operand, *position, out, false);
                    } else if index == last {
                        self.name_temporaries(operand, out);
                        if *position == Position::Place {
                            self.name_if_value(operand, out, index == 0 && mutated_base);
                        }
                    }
                }
            }
        }
    }

    /// Names a value used as a place; `mutable` if the place may be
    /// borrowed mutably (`&mut { 0 }`, a method's `&mut self`).
    fn name_if_value(&mut self, expr: &mut Expr, out: &mut Vec<Stmt>, mutable: bool) {
        if is_place(expr) || is_constant(expr) || matches!(expr, Expr::Lit(_)) {
            return;
        }
        if let Expr::Paren(p) = expr {
            return self.name_if_value(&mut p.expr, out, mutable);
        }
        // `[a, b][..]`: the temporary is the array (the place, a slice, has
        // no size). A constant one borrowed mutably (`&mut [1, 2][i]`) is a
        // temporary too: only shared borrows are promoted.
        if let Expr::Index(index) = expr {
            if mutable && is_constant(&index.expr) {
                return self.name_value(&mut index.expr, out, true);
            }
            return self.name_if_value(&mut index.expr, out, mutable);
        }
        self.name_value(expr, out, mutable);
    }

    /// `let NAME = VALUE;` (`mut` if `mutable`), and `expr` becomes `NAME`.
    fn name_value(&mut self, expr: &mut Expr, out: &mut Vec<Stmt>, mutable: bool) {
        let name = self.statement_temp(&operand_name(expr), expr.span());
        let value = std::mem::replace(expr, parse_quote!(#name));
        let mutability = mutable.then(|| quote::quote!(mut));
        out.push(Stmt::Plain(parse_quote!(let #mutability #name = #value;)));
    }
}

/// A macro that expands to a block (`format!`), opened into a marker call.
fn is_block_macro(call: &syn::ExprCall) -> bool {
    crate::macros::marker_index(call).is_some() && crate::macros::expands_to_block(call)
}

/// `&mut 0`: `&0` is promoted to a constant, `&mut 0` borrows a temporary.
fn is_unpromoted_constant(r: &syn::ExprReference) -> bool {
    r.mutability.is_some() && (is_constant(&r.expr) || matches!(*r.expr, Expr::Lit(_)))
}

/// Does evaluating `expr` in this position create a temporary that lives
/// to the end of the statement (a value used as a place), or does it
/// contain one?
pub(crate) fn makes_temporary(expr: &Expr, position: Position) -> bool {
    if let Some(m) = legacy_if_let(expr) {
        return makes_temporary(&Expr::Match(m), position);
    }
    let is_value = |e: &Expr| !is_place(e) && !is_constant(e) && !matches!(e, Expr::Lit(_));
    if position == Position::Place && is_value(strip_parens(expr)) {
        return true;
    }
    if let Some(block) = legacy_operand_block(expr) {
        return matches!(block.stmts.last(), Some(syn::Stmt::Expr(tail, None)) if makes_temporary(tail, Position::Value));
    }
    match expr {
        Expr::Closure(_)
        | Expr::Async(_)
        | Expr::Block(_)
        | Expr::Unsafe(_)
        | Expr::Const(_)
        | Expr::If(_)
        | Expr::Loop(_)
        | Expr::While(_)
        | Expr::ForLoop(_)
        | Expr::Lit(_)
        | Expr::Path(_)
        | Expr::Macro(_) => false,
        Expr::Reference(r) if is_unpromoted_constant(r) => true,
        Expr::Call(c) if is_block_macro(c) => false,
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_) | syn::BinOp::Or(_)) => {
            makes_temporary(&b.left, Position::Value)
        }
        Expr::Match(m) => makes_temporary(&m.expr, Position::Place),
        other => {
            let mut copy = other.clone();
            operands(&mut copy)
                .into_iter()
                .any(|(e, position)| makes_temporary(e, position))
        }
    }
}

/// What a place expression is rooted at: the `v` of `v.a[i].b` (the value
/// a borrow of the place borrows, if it is a temporary).
pub fn place_base(expr: &mut Expr) -> &mut Expr {
    match expr {
        Expr::Field(f) => place_base(&mut f.base),
        Expr::Index(i) => place_base(&mut i.expr),
        Expr::Paren(p) => place_base(&mut p.expr),
        other => other,
    }
}

/// `value.m(..)`, `x.a().b(..)`: a method call whose receiver is a value
/// (a temporary), not a place.
fn receiver_chain_root_is_value(expr: &Expr) -> bool {
    match expr {
        Expr::MethodCall(m) => !is_place(&m.receiver) && !is_constant(&m.receiver),
        Expr::Paren(p) => receiver_chain_root_is_value(&p.expr),
        _ => false,
    }
}

/// Whether the expression may borrow its first operand mutably: rustc's
/// temporary (`&mut f().await`, `f().await.push(x)`) is a mutable place, so
/// the local that holds it instead is declared `mut`.
fn may_mutate_first_operand(expr: &Expr) -> bool {
    match expr {
        Expr::Reference(r) => r.mutability.is_some(),
        Expr::MethodCall(m) => !crate::captures::reads_receiver(&m.method.to_string()),
        Expr::Field(_) | Expr::Index(_) => true,
        _ => false,
    }
}

/// Declares `mut` the temporary `operand` names, bound by a `let` in `out`.
fn make_binding_mutable(out: &mut [Stmt], operand: &Expr) {
    let Expr::Path(path) = strip_parens(operand) else {
        return;
    };
    let Some(name) = path.path.get_ident() else {
        return;
    };
    for stmt in out.iter_mut().rev() {
        if let Stmt::Let {
            pat: Pat::Ident(binding),
            ..
        } = stmt
            && binding.ident == *name
        {
            binding.mutability = Some(Default::default());
            return;
        }
    }
}

/// A temporary this pass made (an await's output, a construct's value): it
/// already holds the evaluated operand.
fn is_temporary(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(p) if p.path.get_ident()
        .is_some_and(|i| i.to_string().starts_with(crate::normalize::INTERNAL)))
}

/// A readable name for the local that holds an operand's value:
/// `mk("t")` → `mk_value`, `x.len()` → `len_value`.
fn operand_name(expr: &Expr) -> String {
    let callee = crate::names::callee_name(expr);
    if callee == "Future" {
        "value".to_string()
    } else {
        format!("{}_value", snake(&callee))
    }
}

/// `ReadFrame` → `read_frame`.
pub fn snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
