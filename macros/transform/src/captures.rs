//! How a closure or `async` block uses a local kept in a slot: it reaches
//! the slot through a pointer it captures, which is as `Send` as the
//! reference the closure would hold natively: `&T` (for reads) is `Send`
//! when `T: Sync`, `&mut T` (for writes) when `T: Send`.
//!
//! Which one a closure holds is rustc's choice, by the methods it calls on
//! the local. Here, a method is taken to read only if its name says so
//! (`len`, `get`, `iter`, `is_*`, ...); any other is taken to write, which
//! can only make the future `Send` where rustc's is not, never the reverse
//! (sound: the closure and the slot move between threads together).

use crate::locals::{LocalId, Locals};
use syn::Expr;
use syn::visit::Visit;

/// Does the closure (as written, with use markers) write `local`: borrow
/// it `&mut`, assign it or a part of it, or call a method on it that may?
pub fn writes(closure: &Expr, local: LocalId, locals: &Locals) -> bool {
    let mut scan = Scan {
        local,
        locals,
        writes: false,
    };
    scan.expr(closure, false);
    scan.writes
}

struct Scan<'a> {
    local: LocalId,
    locals: &'a Locals,
    writes: bool,
}

impl Scan<'_> {
    /// `mutable`: the expression is a place written through (`&mut e`, `e = ..`).
    fn expr(&mut self, expr: &Expr, mutable: bool) {
        match expr {
            Expr::Path(p) => {
                let named = p
                    .path
                    .get_ident()
                    .and_then(Locals::use_of)
                    .is_some_and(|u| self.locals.uses[u].local == self.local);
                self.writes |= named && mutable;
            }
            Expr::Reference(r) => self.expr(&r.expr, r.mutability.is_some()),
            Expr::Assign(a) => {
                self.expr(&a.left, true);
                self.expr(&a.right, false);
            }
            Expr::Binary(b) if crate::operands::is_compound_assignment(&b.op) => {
                self.expr(&b.left, true);
                self.expr(&b.right, false);
            }
            Expr::MethodCall(m) => {
                self.expr(&m.receiver, !reads_receiver(&m.method.to_string()));
                m.args.iter().for_each(|a| self.expr(a, false));
            }
            Expr::Field(f) => self.expr(&f.base, mutable),
            Expr::Index(i) => {
                self.expr(&i.expr, mutable);
                self.expr(&i.index, false);
            }
            Expr::Paren(p) => self.expr(&p.expr, mutable),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.expr(&u.expr, mutable),
            other => {
                let mut children = Children(Vec::new());
                syn::visit::visit_expr(&mut children, other);
                for child in children.0 {
                    self.expr(child, false);
                }
            }
        }
    }
}

/// The direct sub-expressions of an expression (and of its blocks' statements).
struct Children<'a>(Vec<&'a Expr>);

impl<'a> Visit<'a> for Children<'a> {
    fn visit_expr(&mut self, e: &'a Expr) {
        self.0.push(e);
    }
}

/// Methods that, by their names, read their receiver through `&self`.
pub fn reads_receiver(method: &str) -> bool {
    !method.ends_with("_mut") && reads_by_name(method)
}

fn reads_by_name(method: &str) -> bool {
    [
        "is_",
        "has_",
        "to_",
        "as_",
        "get",
        "iter",
        "len",
        "contains",
        "starts_with",
        "ends_with",
    ]
    .iter()
    .any(|prefix| method.starts_with(prefix))
        || matches!(
            method,
            "clone"
                | "count"
                | "cmp"
                | "partial_cmp"
                | "eq"
                | "ne"
                | "lt"
                | "le"
                | "gt"
                | "ge"
                | "capacity"
                | "keys"
                | "values"
                | "first"
                | "last"
                | "borrow"
                | "probe"
                | "fmt"
        )
}
