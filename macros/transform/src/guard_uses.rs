//! Which bindings of an `if let` guard a match whose guards await carries
//! to its arm: those the arm uses, and those the guard leaves in place,
//! which rustc drops where the arm ends.

use quote::ToTokens;
use syn::{Expr, Ident};

/// Does the guard use `name` (besides binding it) only in ways that leave
/// it in place: `&name`, a comparison, a field read, a method whose name
/// does not say it takes `self`? Then it drops where the arm ends, as in
/// rustc, and is carried there; a use that may move it is not (carrying it
/// would be a use after the move).
pub(crate) fn only_borrowed_in(guard: &Expr, name: &Ident) -> bool {
    struct Uses<'n> {
        name: &'n Ident,
        may_move: bool,
    }
    impl Uses<'_> {
        fn is_name(&self, e: &Expr) -> bool {
            matches!(e, Expr::Path(p) if p.path.is_ident(self.name))
        }
    }
    impl<'a> syn::visit::Visit<'a> for Uses<'_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            match e {
                Expr::MethodCall(m) if self.is_name(&m.receiver) => {
                    self.may_move |= crate::locals::consumes_receiver(&m.method.to_string());
                    m.args.iter().for_each(|a| self.visit_expr(a));
                }
                Expr::Reference(r) if self.is_name(&r.expr) => {}
                Expr::Field(f) if self.is_name(&f.base) => {}
                Expr::Binary(b)
                    if matches!(
                        b.op,
                        syn::BinOp::Eq(_)
                            | syn::BinOp::Ne(_)
                            | syn::BinOp::Lt(_)
                            | syn::BinOp::Le(_)
                            | syn::BinOp::Gt(_)
                            | syn::BinOp::Ge(_)
                    ) =>
                {
                    for side in [&*b.left, &*b.right] {
                        if !self.is_name(side) {
                            self.visit_expr(side);
                        }
                    }
                }
                // A `move` closure or block naming it takes it.
                Expr::Closure(c) if c.capture.is_some() => {
                    self.may_move |= crate::names::mentions_ident(
                        &c.body.to_token_stream(),
                        &self.name.to_string(),
                    );
                }
                Expr::Async(a) if a.capture.is_some() => {
                    self.may_move |= crate::names::mentions_ident(
                        &a.block.to_token_stream(),
                        &self.name.to_string(),
                    );
                }
                e if self.is_name(e) => self.may_move = true,
                e => syn::visit::visit_expr(self, e),
            }
        }
        fn visit_macro(&mut self, m: &'a syn::Macro) {
            self.may_move |= crate::macros::any_ident(&m.tokens, &|i| i == self.name);
        }
    }
    let mut uses = Uses {
        name,
        may_move: false,
    };
    syn::visit::Visit::visit_expr(&mut uses, guard);
    !uses.may_move
}
