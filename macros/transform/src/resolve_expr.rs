//! Name resolution in plain expressions (see [`resolve`](crate::resolve)):
//! each name of a local becomes a marker for a [`Use`], whose kind comes
//! from the position it is used in ([`Ctx`]: moved, borrowed, read, a
//! method's receiver, assigned, ...), through fields, conditions, guards,
//! closures and the arguments of macros.

use crate::ir::ScopeId;
use crate::locals::{
    LocalId, LocalKind, Locals, Use, UseKind, consumes_only_an_iterator, consumes_receiver,
};
use crate::patterns::{PlaceUse, let_use, scrutinee_use};
use crate::resolve::Resolver;
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, Token};

/// A use's position, passed down to the identifier at its root.
#[derive(Clone, Debug)]
pub(crate) enum Ctx {
    Value,
    Borrow,
    Read,
    Receiver(String),
    Callee,
    Assign,
    Mutate,
    /// Matched against patterns; `true` if a pattern binds by value.
    Scrutinee(bool),
    /// Matched against patterns some of which take it, others leave it.
    MaybeTakenScrutinee,
    /// Named in a `let _ = ..` or a `_` arm: not read at all.
    Ignored,
}

impl Ctx {
    pub(crate) fn of(place: PlaceUse) -> Ctx {
        match place {
            PlaceUse::Ignored => Ctx::Ignored,
            PlaceUse::Borrowed => Ctx::Borrow,
            PlaceUse::Whole => Ctx::Value,
            PlaceUse::Taken => Ctx::Scrutinee(true),
            PlaceUse::MaybeTaken => Ctx::MaybeTakenScrutinee,
            PlaceUse::Read => Ctx::Scrutinee(false),
        }
    }
}

impl<'a> Resolver<'a> {
    fn record(&mut self, local: LocalId, kind: UseKind, ident: &Ident) -> Ident {
        let path = std::mem::take(&mut self.path);
        let kind = match self.closure {
            Some(is_move) => UseKind::Capture {
                by_value: is_move || matches!(kind, UseKind::Move | UseKind::MovePart),
                move_closure: is_move,
            },
            None => kind,
        };
        let id = self.out.uses.len();
        let seq = self.next_seq();
        self.out.uses.push(Use {
            local,
            kind,
            seq,
            ident: ident.clone(),
            in_closure: self.closure.is_some(),
            path,
        });
        Locals::marker_for_use(id, ident.span())
    }

    pub(super) fn expr(&mut self, expr: &mut Expr, ctx: Ctx) {
        self.expr_part(expr, ctx, false);
    }

    /// `part`: the expression is a field (or element) of what the context uses.
    fn expr_part(&mut self, expr: &mut Expr, ctx: Ctx, part: bool) {
        match expr {
            Expr::Path(p) => {
                if p.qself.is_some() {
                    return;
                }
                let Some(ident) = p.path.get_ident().cloned() else {
                    return;
                };
                let Some(local) = self.lookup(&ident.to_string()) else {
                    return;
                };
                let kind = match (&ctx, part) {
                    // `let _ = x;` neither moves nor keeps `x`, but names it
                    // (renamed, or `self`), and rustc checks it holds a value.
                    (Ctx::Ignored, _) => UseKind::Read,
                    (Ctx::Value, false) => UseKind::Move,
                    (Ctx::Value, true) => UseKind::MovePart,
                    (Ctx::Scrutinee(true), false) => UseKind::Move,
                    (Ctx::Scrutinee(true) | Ctx::MaybeTakenScrutinee, true) => UseKind::MovePart,
                    (Ctx::MaybeTakenScrutinee, false) => UseKind::MaybeTaken,
                    (Ctx::Scrutinee(false), _) | (Ctx::Read, _) => UseKind::Read,
                    (Ctx::Borrow, _) => UseKind::Borrow,
                    // `p.a.consume()` moves the field `a` out of `p`.
                    (Ctx::Receiver(m), true) if consumes_receiver(m) => UseKind::MovePart,
                    // `it.sum()` moves an iterator (and borrows a lock).
                    (Ctx::Receiver(m), false)
                        if consumes_only_an_iterator(m)
                            && self.out.locals[local].known_iterator() =>
                    {
                        UseKind::Move
                    }
                    (Ctx::Receiver(m), _) => UseKind::Receiver(m.clone()),
                    (Ctx::Callee, _) => UseKind::Callee,
                    (Ctx::Assign, false) => UseKind::Assign,
                    (Ctx::Assign, true) | (Ctx::Mutate, _) => UseKind::Mutate,
                };
                let marker = self.record(local, kind, &ident);
                p.path = marker.into();
            }
            Expr::Field(_) => {
                let ctx = match ctx {
                    Ctx::Assign => Ctx::Mutate,
                    other => other,
                };
                // The outermost field of a chain names the path.
                let outermost = self.path.is_empty();
                if outermost {
                    self.path = field_path(expr);
                }
                let Expr::Field(f) = expr else {
                    unreachable!("matched above")
                };
                self.expr_part(&mut f.base, ctx, true);
                if outermost {
                    self.path.clear();
                }
            }
            Expr::Index(i) => {
                let base_ctx = match ctx {
                    Ctx::Assign | Ctx::Mutate => Ctx::Mutate,
                    _ => Ctx::Borrow,
                };
                self.expr_part(&mut i.expr, base_ctx, true);
                self.expr(&mut i.index, Ctx::Value);
            }
            Expr::Unary(u) => match u.op {
                // `&mut *r`, `&(*r).f`, `(*r).m()`: a reborrow through the
                // reference `r`, which must stay in place while it lives.
                syn::UnOp::Deref(_) => {
                    let ctx = match ctx {
                        Ctx::Borrow => Ctx::Borrow,
                        Ctx::Receiver(m) => Ctx::Receiver(m),
                        _ => Ctx::Read,
                    };
                    self.expr(&mut u.expr, ctx)
                }
                _ => self.expr(&mut u.expr, Ctx::Value),
            },
            Expr::Reference(r) => self.expr(&mut r.expr, Ctx::Borrow),
            Expr::RawAddr(r) => self.expr(&mut r.expr, Ctx::Borrow),
            Expr::MethodCall(m) => {
                self.expr(&mut m.receiver, Ctx::Receiver(m.method.to_string()));
                for arg in m.args.iter_mut() {
                    self.expr(arg, Ctx::Value);
                }
            }
            Expr::Call(c) => {
                let by_ref_args =
                    crate::macros::marker_index(c).is_some() && !crate::macros::takes_by_value(c);
                self.expr(&mut c.func, Ctx::Callee);
                for arg in c.args.iter_mut() {
                    self.expr(arg, if by_ref_args { Ctx::Borrow } else { Ctx::Value });
                }
            }
            Expr::Binary(b) => {
                use syn::BinOp::*;
                match b.op {
                    Eq(_) | Ne(_) | Lt(_) | Le(_) | Gt(_) | Ge(_) => {
                        self.expr(&mut b.left, Ctx::Read);
                        self.expr(&mut b.right, Ctx::Read);
                    }
                    AddAssign(_) | SubAssign(_) | MulAssign(_) | DivAssign(_) | RemAssign(_)
                    | BitXorAssign(_) | BitAndAssign(_) | BitOrAssign(_) | ShlAssign(_)
                    | ShrAssign(_) => {
                        self.expr(&mut b.right, Ctx::Value);
                        self.expr(&mut b.left, Ctx::Mutate);
                    }
                    _ => {
                        self.expr(&mut b.left, Ctx::Value);
                        self.expr(&mut b.right, Ctx::Value);
                    }
                }
            }
            Expr::Assign(a) => {
                self.expr(&mut a.right, Ctx::Value);
                self.expr(&mut a.left, Ctx::Assign);
            }
            Expr::Paren(p) => self.expr_part(&mut p.expr, ctx, part),
            Expr::Group(g) => self.expr_part(&mut g.expr, ctx, part),
            Expr::Cast(c) => self.expr(&mut c.expr, Ctx::Value),
            // A block, `if` or `match` makes a value of its tail: `&{ x }`
            // moves `x`, whatever the context does with the value.
            Expr::Block(b) => self.plain_block(&mut b.block, Ctx::Value),
            Expr::Unsafe(u) => self.plain_block(&mut u.block, Ctx::Value),
            Expr::Const(_) | Expr::Lit(_) | Expr::Infer(_) | Expr::Verbatim(_) => {}
            Expr::If(i) => {
                self.push_scope();
                self.condition(&mut i.cond);
                self.plain_block(&mut i.then_branch, Ctx::Value);
                self.pop_scope();
                if let Some((_, e)) = &mut i.else_branch {
                    self.expr(e, Ctx::Value);
                }
            }
            Expr::Let(l) => {
                // Outside an `if`/`while` condition (not valid Rust), bind in place.
                self.expr(&mut l.expr, Ctx::of(let_use(&l.pat)));
                self.bind_pattern(&mut l.pat, None, false);
            }
            Expr::Match(m) => {
                self.expr(
                    &mut m.expr,
                    Ctx::of(scrutinee_use(m.arms.iter().map(|a| &a.pat))),
                );
                for arm in &mut m.arms {
                    self.push_scope();
                    self.bind_pattern(&mut arm.pat, None, false);
                    if let Some((_, g)) = &mut arm.guard {
                        self.expr(g, Ctx::Value);
                    }
                    self.expr(&mut arm.body, Ctx::Value);
                    self.pop_scope();
                }
            }
            Expr::Loop(l) => self.plain_block(&mut l.body, Ctx::Value),
            Expr::While(w) => {
                self.push_scope();
                self.condition(&mut w.cond);
                self.plain_block(&mut w.body, Ctx::Value);
                self.pop_scope();
            }
            Expr::ForLoop(f) => {
                self.expr(&mut f.expr, Ctx::Value);
                self.push_scope();
                self.bind_pattern(&mut f.pat, None, false);
                self.plain_block(&mut f.body, Ctx::Value);
                self.pop_scope();
            }
            Expr::Closure(c) => {
                let outer = self.closure;
                self.closure = Some(c.capture.is_some() || outer == Some(true));
                self.push_scope();
                for input in c.inputs.iter_mut() {
                    self.bind_pattern(input, None, false);
                }
                self.expr(&mut c.body, Ctx::Value);
                self.pop_scope();
                self.closure = outer;
            }
            Expr::Async(a) => {
                let outer = self.closure;
                self.closure = Some(a.capture.is_some() || outer == Some(true));
                self.plain_block(&mut a.block, Ctx::Value);
                self.closure = outer;
            }
            Expr::Return(r) => {
                if let Some(e) = &mut r.expr {
                    self.expr(e, Ctx::Value);
                }
            }
            Expr::Break(b) => {
                if let Some(e) = &mut b.expr {
                    self.expr(e, Ctx::Value);
                }
            }
            Expr::Try(t) => self.expr(&mut t.expr, Ctx::Value),
            Expr::Await(a) => self.expr(&mut a.base, Ctx::Value),
            Expr::Struct(s) => {
                for field in s.fields.iter_mut() {
                    if field.colon_token.is_none() {
                        // `S { x }` → `S { x: <marker> }`.
                        field.colon_token = Some(Default::default());
                    }
                    self.expr(&mut field.expr, Ctx::Value);
                }
                if let Some(rest) = &mut s.rest {
                    self.expr_part(rest, Ctx::Value, true);
                }
            }
            Expr::Tuple(t) => {
                for e in t.elems.iter_mut() {
                    self.expr(e, Ctx::Value);
                }
            }
            Expr::Array(a) => {
                for e in a.elems.iter_mut() {
                    self.expr(e, Ctx::Value);
                }
            }
            Expr::Repeat(r) => self.expr(&mut r.expr, Ctx::Value),
            Expr::Range(r) => {
                if let Some(s) = &mut r.start {
                    self.expr(s, Ctx::Value);
                }
                if let Some(e) = &mut r.end {
                    self.expr(e, Ctx::Value);
                }
            }
            Expr::Macro(m) => self.mac(&mut m.mac),
            Expr::Continue(_) => {}
            _ => {}
        }
    }

    /// An `if`/`while` condition: `let` bindings are visible in the body.
    /// An arm's guard: what its `let`s bind lives in the arm's body, as
    /// the arm's own bindings do (an await there may borrow them).
    pub(super) fn guard(&mut self, guard: &mut Expr, scope: ScopeId) {
        match guard {
            Expr::Let(l) => {
                self.expr(&mut l.expr, Ctx::of(let_use(&l.pat)));
                self.bind_pattern(&mut l.pat, Some((scope, LocalKind::ArmBinding)), false);
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                self.guard(&mut b.left, scope);
                self.guard(&mut b.right, scope);
            }
            other => self.expr(other, Ctx::Value),
        }
    }

    fn condition(&mut self, cond: &mut Expr) {
        match cond {
            Expr::Let(l) => {
                self.expr(&mut l.expr, Ctx::of(let_use(&l.pat)));
                self.bind_pattern(&mut l.pat, None, false);
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                self.condition(&mut b.left);
                self.condition(&mut b.right);
            }
            other => self.expr(other, Ctx::Value),
        }
    }

    /// A macro call: the arguments of the standard expression macros are
    /// resolved like any expression; in any other macro, a name that is a
    /// local counts as an opaque use of it.
    pub(super) fn mac(&mut self, mac: &mut syn::Macro) {
        let name = crate::names::last_name(&mac.path);
        if name == "vec"
            && let Ok((mut elem, mut len)) = (|input: syn::parse::ParseStream| {
                let elem: Expr = input.parse()?;
                input.parse::<Token![;]>()?;
                let len: Expr = input.parse()?;
                Ok((elem, len))
            })
            .parse2(mac.tokens.clone())
        {
            // `vec![elem; len]`.
            self.expr(&mut elem, Ctx::Value);
            self.expr(&mut len, Ctx::Value);
            mac.tokens = quote::quote!(#elem; #len);
            return;
        }
        if name == "matches"
            && let Some((mut value, rest)) = crate::macros::matches_value(&mac.tokens)
        {
            // `matches!(x.k, P)` reads the place it matches (one field of
            // `x`, not all of it); the pattern is tokens.
            self.expr(&mut value, Ctx::Read);
            let bound = names_bound_in(&rest);
            let rest = self.opaque_tokens(rest, &bound);
            mac.tokens = quote::quote!(#value, #rest);
            return;
        }
        if crate::macros::is_expression_macro(&name)
            && let Ok(mut args) =
                Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone())
        {
            let by_value = matches!(name.as_str(), "vec" | "dbg");
            // (An assertion's message, which runs only if it fails, is a
            // branch of the control flow: what it moves is maybe moved.)
            // (An assertion of another crate matches its first operand
            // where it is, with arms some of which may take it.)
            let scrutinee = crate::assertions::is_foreign_assertion(&name);
            let mut tokens = Vec::new();
            for (i, arg) in args.iter_mut().enumerate() {
                let ctx = match (by_value, scrutinee && i == 0) {
                    (true, _) => Ctx::Value,
                    (false, true) => Ctx::MaybeTakenScrutinee,
                    (false, false) => Ctx::Borrow,
                };
                match &mut *arg {
                    // `name = value` in a format macro.
                    Expr::Assign(a) => self.expr(&mut a.right, Ctx::Borrow),
                    other => self.expr(other, ctx),
                }
                tokens.push(arg.to_token_stream());
            }
            mac.tokens = quote::quote!(#(#tokens),*);
            return;
        }
        let bound = names_bound_in(&mac.tokens);
        mac.tokens = self.opaque_tokens(mac.tokens.clone(), &bound);
    }

    /// In a macro's tokens, a name of a local (not after `.` or `::`, not
    /// before `!` or `::`: `time::sleep(..)` names the module) counts as
    /// an opaque use of it, and becomes its marker.
    /// `bound`: names the macro's code binds itself; none of their
    /// occurrences is taken as the local of that name.
    fn opaque_tokens(&mut self, tokens: TokenStream, bound: &[String]) -> TokenStream {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = Vec::with_capacity(trees.len());
        for (i, tt) in trees.iter().enumerate() {
            match tt {
                TokenTree::Ident(ident) => {
                    let after_path_or_field = crate::macros::after_dot_or_path(&trees, i);
                    let before_bang =
                        matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                    let before_path = matches!(trees.get(i + 1), Some(TokenTree::Punct(p))
                        if p.as_char() == ':' && p.spacing() == proc_macro2::Spacing::Joint)
                        && matches!(trees.get(i + 2), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                    // `name = value` (a named format argument, a tracing
                    // field): `name` is a name, not the local (`==` and `=>`
                    // are operators).
                    let named = matches!(trees.get(i + 1), Some(TokenTree::Punct(p))
                        if p.as_char() == '=' && p.spacing() == proc_macro2::Spacing::Alone)
                        && !(i > 0
                            && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '='));
                    let shadowed = bound.iter().any(|b| ident == b);
                    let local = (!after_path_or_field
                        && !before_bang
                        && !before_path
                        && !named
                        && !shadowed)
                        .then(|| self.lookup(&ident.to_string()))
                        .flatten();
                    // `x.consume()` in the tokens moves `x`, and `f()` calls
                    // `f` (moving an `FnOnce`), as they would outside.
                    let called = matches!(trees.get(i + 1), Some(TokenTree::Group(args))
                        if args.delimiter() == proc_macro2::Delimiter::Parenthesis);
                    let kind = match crate::macros::method_called_on(&trees, i) {
                        Some(method) if consumes_receiver(&method) => UseKind::Receiver(method),
                        _ if called && !after_path_or_field => UseKind::Callee,
                        _ => UseKind::Opaque,
                    };
                    match local {
                        Some(local) => out.push(TokenTree::Ident(self.record(local, kind, ident))),
                        None => out.push(tt.clone()),
                    }
                }
                TokenTree::Group(g) => {
                    let mut group = proc_macro2::Group::new(
                        g.delimiter(),
                        self.opaque_tokens(g.stream(), bound),
                    );
                    group.set_span(g.span());
                    out.push(TokenTree::Group(group));
                }
                other => out.push(other.clone()),
            }
        }
        out.into_iter().collect()
    }
}

/// `x.a.0` → `["a", "0"]` (empty if the path is not rooted at a name).
fn field_path(expr: &Expr) -> Vec<String> {
    let mut path = Vec::new();
    let mut cur = expr;
    loop {
        match cur {
            Expr::Field(f) => {
                path.push(match &f.member {
                    syn::Member::Named(n) => n.to_string(),
                    syn::Member::Unnamed(i) => i.index.to_string(),
                });
                cur = &f.base;
            }
            Expr::Paren(p) => cur = &p.expr,
            Expr::Path(_) => {
                path.reverse();
                return path;
            }
            _ => return Vec::new(),
        }
    }
}

/// The names a macro's tokens bind themselves (`let x`, `let mut x`, `ref
/// x`, `for x`; `&mut x` is a use): the transform cannot tell which
/// occurrences are the macro's own, so it leaves them all as written.
fn names_bound_in(tokens: &TokenStream) -> Vec<String> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let word = |at: usize, w: &str| matches!(trees.get(at), Some(TokenTree::Ident(i)) if i == w);
    let ampersand =
        |at: usize| matches!(trees.get(at), Some(TokenTree::Punct(p)) if p.as_char() == '&');
    let mut names = Vec::new();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if i > 0 => {
                let binding = word(i - 1, "let")
                    || word(i - 1, "ref")
                    || word(i - 1, "for")
                    || (word(i - 1, "mut") && !(i > 1 && ampersand(i - 2)));
                if binding && ident != "mut" {
                    names.push(ident.to_string());
                }
            }
            TokenTree::Group(g) => names.extend(names_bound_in(&g.stream())),
            _ => {}
        }
    }
    names
}
