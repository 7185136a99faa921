//! Prints the syntax tree as Rust source. Parentheses are added wherever
//! precedence or a statement/condition position could misread the tree, so
//! the text always parses as the tree it came from.

use crate::ast::{Arm, Block, Cond, Expr, ExprKind, Func, Pat, Receiver, Stmt};
use crate::ty::Ty;

/// The attribute written before each annotated function.
pub const ATTRIBUTE: &str = "#[explicit_async::explicit_async]";

/// The function as source text, starting with `pub async fn` (with the
/// attribute on the same line when `annotated`, so both versions of a batch
/// have the same line numbers).
pub fn function(func: &Func, annotated: bool) -> String {
    let mut p = Printer::default();
    if annotated {
        p.out.push_str(ATTRIBUTE);
        p.out.push(' ');
    }
    p.out.push_str("pub async fn ");
    p.out.push_str(&func.name);
    if !func.generics.is_empty() {
        p.out.push_str(&format!("<{}>", func.generics.join(", ")));
    }
    p.out.push('(');
    let mut params: Vec<String> = Vec::new();
    if let Some(receiver) = func.receiver {
        params.push(
            match receiver {
                Receiver::Value => "self",
                Receiver::MutValue => "mut self",
                Receiver::Ref => "&self",
                Receiver::RefMut => "&mut self",
            }
            .to_string(),
        );
    }
    for param in &func.params {
        params.push(format!("{}: {}", pat(&param.pat), param.type_text()));
    }
    p.out.push_str(&params.join(", "));
    p.out.push(')');
    if func.ret != Ty::Unit {
        p.out.push_str(" -> ");
        p.out
            .push_str(&func.ret.name().expect("return types are nameable"));
    }
    p.out.push(' ');
    p.block(&func.body);
    p.out.push('\n');
    p.out
}

/// One expression on its own.
#[cfg(test)]
pub fn expr(e: &Expr) -> String {
    let mut p = Printer::default();
    p.expr(e);
    p.out
}

pub fn pat(p: &Pat) -> String {
    match p {
        Pat::Bind {
            by_ref,
            mutable,
            name,
        } => format!(
            "{}{}{name}",
            if *by_ref { "ref " } else { "" },
            if *mutable { "mut " } else { "" }
        ),
        Pat::Wild => "_".into(),
        Pat::Rest => "..".into(),
        Pat::Lit(text) => text.clone(),
        Pat::Or(alternatives) => alternatives.iter().map(pat).collect::<Vec<_>>().join(" | "),
        Pat::Tuple(items) if items.len() == 1 => format!("({},)", pat(&items[0])),
        Pat::Tuple(items) => format!("({})", items.iter().map(pat).collect::<Vec<_>>().join(", ")),
        Pat::TupleStruct(name, items) => format!(
            "{name}({})",
            items.iter().map(pat).collect::<Vec<_>>().join(", ")
        ),
        Pat::Struct(name, fields, rest) => {
            let mut parts: Vec<String> = fields
                .iter()
                .map(|(field, sub)| match sub {
                    Pat::Bind {
                        by_ref: false,
                        mutable: false,
                        name,
                    } if name == field => field.clone(),
                    _ => format!("{field}: {}", pat(sub)),
                })
                .collect();
            if *rest {
                parts.push("..".into());
            }
            format!("{name} {{ {} }}", parts.join(", "))
        }
        Pat::Slice(items) => format!("[{}]", items.iter().map(pat).collect::<Vec<_>>().join(", ")),
    }
}

#[derive(Default)]
struct Printer {
    out: String,
    indent: usize,
}

/// Where an expression is printed, which decides its parentheses.
#[derive(Clone, Copy, PartialEq)]
enum Position {
    /// Anywhere a full expression fits (arguments, `let` initializers).
    Free,
    /// Receiver of `.`, `?`, `.await`, `[]` or `as`.
    Postfix,
    /// Operand of a binary or unary operator.
    Operand,
}

impl Printer {
    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
    }

    fn block(&mut self, block: &Block) {
        if block.stmts.is_empty() && block.tail.is_none() {
            self.out.push_str("{}");
            return;
        }
        self.out.push('{');
        self.indent += 1;
        for stmt in &block.stmts {
            self.newline();
            self.stmt(stmt);
        }
        if let Some(tail) = &block.tail {
            self.newline();
            self.expr(tail);
        }
        self.indent -= 1;
        self.newline();
        self.out.push('}');
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Let {
                pat: p,
                ty,
                init,
                els,
            } => {
                self.out.push_str("let ");
                self.out.push_str(&pat(p));
                if let Some(ty) = ty {
                    self.out.push_str(": ");
                    self.out.push_str(ty);
                }
                if let Some(init) = init {
                    self.out.push_str(" = ");
                    // `let .. else` forbids an initializer ending in `}`.
                    if els.is_some() && ends_with_brace(init) {
                        self.paren(init);
                    } else {
                        self.expr(init);
                    }
                }
                if let Some(els) = els {
                    self.out.push_str(" else ");
                    self.block(els);
                }
                self.out.push(';');
            }
            Stmt::Expr(e, semi) | Stmt::Fixed(e, semi) => {
                self.expr(e);
                if *semi {
                    self.out.push(';');
                }
            }
        }
    }

    fn paren(&mut self, e: &Expr) {
        self.out.push('(');
        self.expr(e);
        self.out.push(')');
    }

    fn at(&mut self, e: &Expr, position: Position) {
        if needs_parens(e, position) {
            self.paren(e);
        } else {
            self.expr(e);
        }
    }

    fn list(&mut self, items: &[Expr]) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.expr(item);
        }
    }

    /// A condition or scrutinee: a struct literal there must be in parentheses.
    fn head(&mut self, e: &Expr) {
        if contains_struct_literal(e) || ends_with_brace(e) && !e.is_block_like() {
            self.paren(e);
        } else {
            self.expr(e);
        }
    }

    fn conds(&mut self, conds: &[Cond]) {
        for (i, cond) in conds.iter().enumerate() {
            if i > 0 {
                self.out.push_str(" && ");
            }
            match cond {
                Cond::Bool(e) => {
                    if conds.len() > 1 && needs_parens(e, Position::Operand) {
                        self.paren(e);
                    } else {
                        self.head(e);
                    }
                }
                Cond::Let(p, e) => {
                    self.out.push_str("let ");
                    self.out.push_str(&pat(p));
                    self.out.push_str(" = ");
                    // In a chain, `let p = a || b` would be ambiguous; keep scrutinees atomic.
                    if conds.len() > 1 && needs_parens(e, Position::Operand) {
                        self.paren(e);
                    } else {
                        self.head(e);
                    }
                }
            }
        }
    }

    fn label(&mut self, label: &Option<String>) {
        if let Some(label) = label {
            self.out.push_str(label);
            self.out.push_str(": ");
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Atom(text) => self.out.push_str(text),
            ExprKind::Call(callee, args) => {
                self.out.push_str(callee);
                self.out.push('(');
                self.list(args);
                self.out.push(')');
            }
            ExprKind::Method(recv, name, args) => {
                self.at(recv, Position::Postfix);
                self.out.push('.');
                self.out.push_str(name);
                self.out.push('(');
                self.list(args);
                self.out.push(')');
            }
            ExprKind::Field(base, name) => {
                self.at(base, Position::Postfix);
                self.out.push('.');
                self.out.push_str(name);
            }
            ExprKind::Index(base, index) => {
                self.at(base, Position::Postfix);
                self.out.push('[');
                self.expr(index);
                self.out.push(']');
            }
            ExprKind::Binary(l, op, r) => {
                self.at(l, Position::Operand);
                self.out.push_str(&format!(" {op} "));
                self.at(r, Position::Operand);
            }
            ExprKind::Unary(op, inner) => {
                self.out.push_str(op);
                self.at(inner, Position::Operand);
            }
            ExprKind::Cast(inner, ty) => {
                self.at(inner, Position::Postfix);
                self.out.push_str(" as ");
                self.out.push_str(ty);
            }
            ExprKind::Await(inner) => {
                self.at(inner, Position::Postfix);
                self.out.push_str(".await");
            }
            ExprKind::Try(inner) => {
                self.at(inner, Position::Postfix);
                self.out.push('?');
            }
            ExprKind::Tuple(items) => {
                self.out.push('(');
                self.list(items);
                if items.len() == 1 {
                    self.out.push(',');
                }
                self.out.push(')');
            }
            ExprKind::Array(items) => {
                self.out.push('[');
                self.list(items);
                self.out.push(']');
            }
            ExprKind::Struct(name, fields) => {
                self.out.push_str(name);
                self.out.push_str(" { ");
                for (i, (field, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.out.push_str(field);
                    self.out.push_str(": ");
                    self.expr(value);
                }
                self.out.push_str(" }");
            }
            ExprKind::Macro(name, format, args) => {
                self.out.push_str(name);
                let (open, close) = if name == "vec" {
                    ('[', ']')
                } else {
                    ('(', ')')
                };
                self.out.push('!');
                self.out.push(open);
                if let Some(format) = format {
                    self.out.push_str(format);
                    if !args.is_empty() {
                        self.out.push_str(", ");
                    }
                }
                self.list(args);
                self.out.push(close);
            }
            ExprKind::Block(b) => self.block(b),
            ExprKind::If(conds, then, els) => {
                self.out.push_str("if ");
                self.conds(conds);
                self.out.push(' ');
                self.block(then);
                if let Some(els) = els {
                    self.out.push_str(" else ");
                    match &els.kind {
                        ExprKind::If(..) | ExprKind::Block(_) => self.expr(els),
                        _ => self.block(&Block::of_tail((**els).clone())),
                    }
                }
            }
            ExprKind::Match(scrutinee, arms) => {
                self.out.push_str("match ");
                self.head(scrutinee);
                self.out.push_str(" {");
                self.indent += 1;
                for arm in arms {
                    self.newline();
                    self.arm(arm);
                }
                self.indent -= 1;
                self.newline();
                self.out.push('}');
            }
            ExprKind::Loop(label, body) => {
                self.label(label);
                self.out.push_str("loop ");
                self.block(body);
            }
            ExprKind::While(label, conds, body) => {
                self.label(label);
                self.out.push_str("while ");
                self.conds(conds);
                self.out.push(' ');
                self.block(body);
            }
            ExprKind::For(label, p, iter, body) => {
                self.label(label);
                self.out.push_str("for ");
                self.out.push_str(&pat(p));
                self.out.push_str(" in ");
                self.head(iter);
                self.out.push(' ');
                self.block(body);
            }
            ExprKind::Break(label, value) => {
                self.out.push_str("break");
                if let Some(label) = label {
                    self.out.push(' ');
                    self.out.push_str(label);
                }
                if let Some(value) = value {
                    self.out.push(' ');
                    self.at(value, Position::Operand);
                }
            }
            ExprKind::Continue(label) => {
                self.out.push_str("continue");
                if let Some(label) = label {
                    self.out.push(' ');
                    self.out.push_str(label);
                }
            }
            ExprKind::Return(value) => {
                self.out.push_str("return");
                if let Some(value) = value {
                    self.out.push(' ');
                    self.expr(value);
                }
            }
            ExprKind::Closure {
                is_move,
                params,
                body,
            } => {
                if *is_move {
                    self.out.push_str("move ");
                }
                self.out.push('|');
                self.out.push_str(&params.join(", "));
                self.out.push_str("| ");
                match &body.kind {
                    // `|| async { .. }` as written, not `|| { async { .. } }`.
                    ExprKind::Block(_) | ExprKind::Async { .. } => self.expr(body),
                    _ => self.block(&Block::of_tail((**body).clone())),
                }
            }
            ExprKind::Async { is_move, body } => {
                self.out
                    .push_str(if *is_move { "async move " } else { "async " });
                self.block(body);
            }
            ExprKind::Assign(place, op, value) => {
                self.at(place, Position::Operand);
                self.out.push_str(&format!(" {op} "));
                self.expr(value);
            }
            ExprKind::Range(lo, hi) => {
                self.at(lo, Position::Operand);
                self.out.push_str("..");
                self.at(hi, Position::Operand);
            }
        }
    }

    fn arm(&mut self, arm: &Arm) {
        self.out.push_str(&pat(&arm.pat));
        if !arm.guard.is_empty() {
            self.out.push_str(" if ");
            self.conds(&arm.guard);
        }
        self.out.push_str(" => ");
        self.expr(&arm.body);
        self.out.push(',');
    }
}

fn needs_parens(e: &Expr, position: Position) -> bool {
    if position == Position::Free {
        return false;
    }
    match &e.kind {
        ExprKind::Atom(text) => {
            text.starts_with('-')
                || [" as ", "..", "= ", " < ", " > "]
                    .iter()
                    .any(|op| text.contains(op))
        }
        ExprKind::Call(..)
        | ExprKind::Method(..)
        | ExprKind::Field(..)
        | ExprKind::Index(..)
        | ExprKind::Await(_)
        | ExprKind::Try(_)
        | ExprKind::Tuple(_)
        | ExprKind::Array(_)
        | ExprKind::Struct(..)
        | ExprKind::Macro(..) => false,
        ExprKind::Unary(..) => position == Position::Postfix,
        _ => true,
    }
}

fn contains_struct_literal(e: &Expr) -> bool {
    let mut found = false;
    crate::visit::walk_expr(e, &mut |e| {
        if matches!(e.kind, ExprKind::Struct(..)) {
            found = true;
        }
    });
    found
}

/// Whether the printed expression ends with `}` (forbidden before `else` in `let .. else`).
fn ends_with_brace(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Block(_)
        | ExprKind::If(..)
        | ExprKind::Match(..)
        | ExprKind::Loop(..)
        | ExprKind::While(..)
        | ExprKind::For(..)
        | ExprKind::Async { .. }
        | ExprKind::Struct(..)
        | ExprKind::Closure { .. } => true,
        ExprKind::Binary(_, _, r) | ExprKind::Assign(_, _, r) | ExprKind::Range(_, r) => {
            ends_with_brace(r)
        }
        ExprKind::Unary(_, inner) => ends_with_brace(inner),
        ExprKind::Return(v) | ExprKind::Break(_, v) => v.as_deref().is_some_and(ends_with_brace),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(n: i64) -> Expr {
        Expr::atom(n.to_string(), Ty::I64)
    }

    #[test]
    fn precedence_is_kept_with_parentheses() {
        let sum = Expr::binary(int(1), "+", int(2), Ty::I64);
        let product = Expr::binary(sum.clone(), "*", int(3), Ty::I64);
        assert_eq!(expr(&product), "(1 + 2) * 3");
        let awaited = Expr::await_(Expr::block(Block::of_tail(int(1)), None), Ty::I64);
        assert!(expr(&awaited).starts_with("({"));
        let method = Expr::method(sum, "max", vec![int(0)], Ty::I64);
        assert_eq!(expr(&method), "(1 + 2).max(0)");
    }

    #[test]
    fn struct_literal_in_condition_is_wrapped() {
        let literal = Expr::new(
            ExprKind::Struct("P".into(), vec![("k".into(), int(1))]),
            None,
        );
        let field = Expr::new(ExprKind::Field(Box::new(literal), "k".into()), None);
        let cond = Expr::binary(field, ">", int(0), Ty::Bool);
        let e = Expr::new(
            ExprKind::If(vec![Cond::Bool(cond)], Block::of_tail(int(1)), None),
            None,
        );
        assert!(expr(&e).starts_with("if (P { k: 1 }.k > 0) {"));
    }
}
