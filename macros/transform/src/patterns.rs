//! Patterns: what they bind, and how they use the place they match.
//!
//! A pattern binding by value moves what it binds out of the place, or
//! copies it if it is `Copy`, which the transform cannot see. A pattern
//! that binds every part of the value it destructures takes all of it:
//! whatever it copies has no destructor, so taking the place as moved
//! changes nothing observable. A pattern that leaves parts behind (`..`,
//! `_` inside, a field not named) is taken to read the place in place: if
//! it moved a part after all, storing the rest is a compile error, never a
//! different run.

use syn::{Expr, Ident, Pat};

/// How a pattern (or a `match`'s arms) uses the place matched against it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceUse {
    /// `let _ = x`: not read at all.
    Ignored,
    /// `let ref x = y`: borrowed whole.
    Borrowed,
    /// `let x = y`: moved (or copied) whole.
    Whole,
    /// Destructured with every part bound by value (`Some(v)`, `(a, b)`).
    Taken,
    /// A `match` some of whose arms take it (as [`Taken`](Self::Taken))
    /// while others leave it in place (`_`): moved on some paths only.
    MaybeTaken,
    /// Compared, or destructured leaving parts in place.
    Read,
}

/// How `let PAT = place` uses the place.
pub fn let_use(pat: &Pat) -> PlaceUse {
    match pat {
        Pat::Wild(_) => PlaceUse::Ignored,
        Pat::Type(t) => let_use(&t.pat),
        Pat::Ident(p) if p.by_ref.is_some() && p.subpat.is_none() => PlaceUse::Borrowed,
        // Bound partly by reference: the place stays.
        other if has_ref_binding(other) => PlaceUse::Read,
        Pat::Ident(p) if p.subpat.is_none() && !is_constant_like(&p.ident) => PlaceUse::Whole,
        other if binds_by_value(other) && takes_all(other) => PlaceUse::Taken,
        _ => PlaceUse::Read,
    }
}

/// How a `match` uses its scrutinee: taken if the arms that bind by value
/// take all of it and none binds by reference (which keeps the place); only
/// maybe taken if another arm leaves a part of it in place (`_`, `..`).
pub fn scrutinee_use<'p>(pats: impl Iterator<Item = &'p Pat> + Clone) -> PlaceUse {
    let binding: Vec<&Pat> = pats.clone().filter(|p| binds_by_value(p)).collect();
    let takes = !binding.is_empty() && binding.iter().all(|p| takes_all(p));
    if !takes || pats.clone().any(has_ref_binding) {
        PlaceUse::Read
    } else if pats
        .into_iter()
        .any(|p| !binds_by_value(p) && !takes_all(p))
    {
        PlaceUse::MaybeTaken
    } else {
        PlaceUse::Taken
    }
}

/// An arm that takes all of its scrutinee by value (`(d, n)`, `Some(x)`):
/// it can be matched in place first and take the value afterwards.
pub fn takes_whole_value(pat: &Pat) -> bool {
    binds_by_value(pat) && !has_ref_binding(pat) && takes_all(pat)
}

/// The pattern with its bindings by value replaced by what they match
/// (`_`, or the pattern after `@`): it tests a place without moving it.
pub fn matched_in_place(pat: &Pat) -> Pat {
    struct Unbind;
    impl syn::visit_mut::VisitMut for Unbind {
        fn visit_pat_mut(&mut self, pat: &mut Pat) {
            if let Pat::Ident(p) = pat
                && p.by_ref.is_none()
                && !(p.subpat.is_none() && is_constant_like(&p.ident))
            {
                *pat = match p.subpat.take() {
                    Some((_, sub)) => *sub,
                    None => Pat::Wild(syn::PatWild {
                        attrs: Vec::new(),
                        underscore_token: Default::default(),
                    }),
                };
            }
            syn::visit_mut::visit_pat_mut(self, pat);
        }
        fn visit_expr_mut(&mut self, _: &mut Expr) {}
    }
    let mut pat = pat.clone();
    syn::visit_mut::VisitMut::visit_pat_mut(&mut Unbind, &mut pat);
    pat
}

/// Does the pattern leave nothing with a destructor in the place: every
/// part it destructures bound, or compared with a literal or a constant?
fn takes_all(pat: &Pat) -> bool {
    match pat {
        Pat::Ident(_) | Pat::Lit(_) | Pat::Range(_) | Pat::Path(_) => true,
        Pat::Paren(p) => takes_all(&p.pat),
        Pat::Type(t) => takes_all(&t.pat),
        Pat::Or(o) => o.cases.iter().all(takes_all),
        Pat::Tuple(t) => t.elems.iter().all(takes_all),
        Pat::TupleStruct(t) => t.elems.iter().all(takes_all),
        Pat::Slice(s) => s.elems.iter().all(takes_all),
        Pat::Struct(s) => s.rest.is_none() && s.fields.iter().all(|f| takes_all(&f.pat)),
        // `_`, `..`, `&p` (copies out of a reference), macros.
        _ => false,
    }
}

/// The identifiers a pattern binds, in order, with whether each is `mut`.
pub fn binding_idents(pat: &Pat) -> Vec<(Ident, bool)> {
    struct Collect(Vec<(Ident, bool)>);
    impl<'a> syn::visit::Visit<'a> for Collect {
        fn visit_pat_ident(&mut self, p: &'a syn::PatIdent) {
            self.0.push((p.ident.clone(), p.mutability.is_some()));
            syn::visit::visit_pat_ident(self, p);
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut c = Collect(Vec::new());
    syn::visit::Visit::visit_pat(&mut c, pat);
    // A path pattern that is a single lowercase-less ident (a unit struct or
    // constant) still parses as an ident binding; keep only plausible bindings.
    c.0.retain(|(i, _)| !is_constant_like(i));
    c.0
}

/// `None`, `FOO`, `Foo`: an identifier pattern that names a constant or a
/// unit variant rather than a binding (rustc decides by name resolution;
/// the case is the convention).
pub fn is_constant_like(ident: &Ident) -> bool {
    ident
        .to_string()
        .trim_start_matches("r#")
        .starts_with(|c: char| c.is_ascii_uppercase())
}

pub fn has_ref_binding(pat: &Pat) -> bool {
    struct Find(bool);
    impl<'a> syn::visit::Visit<'a> for Find {
        fn visit_pat_ident(&mut self, p: &'a syn::PatIdent) {
            self.0 |= p.by_ref.is_some();
            syn::visit::visit_pat_ident(self, p);
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut f = Find(false);
    syn::visit::Visit::visit_pat(&mut f, pat);
    f.0
}

/// Does the pattern bind something by `ref mut`?
pub fn has_ref_mut(pat: &Pat) -> bool {
    let mut found = false;
    let mut pat = pat.clone();
    bind_idents(&mut pat, &mut |_, mutable, by_ref| {
        found |= mutable && by_ref
    });
    found
}

/// Does the pattern bind something by value (moving or copying it out)?
pub fn binds_by_value(pat: &Pat) -> bool {
    let mut found = false;
    let mut pat = pat.clone();
    bind_idents(&mut pat, &mut |_, _, by_ref| found |= !by_ref);
    found
}

/// Calls `f(ident, mutable, by_ref)` for each binding of the pattern.
pub fn bind_idents(pat: &mut Pat, f: &mut dyn FnMut(&mut Ident, bool, bool)) {
    match pat {
        Pat::Ident(p) => {
            if p.subpat.is_none() && is_constant_like(&p.ident) {
                return;
            }
            f(&mut p.ident, p.mutability.is_some(), p.by_ref.is_some());
            if let Some((_, sub)) = &mut p.subpat {
                bind_idents(sub, f);
            }
        }
        Pat::Or(o) => {
            // Every alternative binds the same names: bind them in the first,
            // and give the others the same markers.
            let mut cases = o.cases.iter_mut();
            let mut renames: Vec<(String, Ident)> = Vec::new();
            if let Some(first) = cases.next() {
                bind_idents(first, &mut |ident: &mut Ident, mutable, by_ref| {
                    let written = ident.to_string();
                    f(ident, mutable, by_ref);
                    renames.push((written, ident.clone()));
                });
            }
            for case in cases {
                rename_bindings(case, &renames);
            }
        }
        Pat::Paren(p) => bind_idents(&mut p.pat, f),
        Pat::Reference(r) => bind_idents(&mut r.pat, f),
        Pat::Slice(s) => s.elems.iter_mut().for_each(|p| bind_idents(p, f)),
        Pat::Struct(s) => {
            for field in s.fields.iter_mut() {
                if field.colon_token.is_none() {
                    field.colon_token = Some(Default::default());
                }
                bind_idents(&mut field.pat, f);
            }
        }
        Pat::Tuple(t) => t.elems.iter_mut().for_each(|p| bind_idents(p, f)),
        Pat::TupleStruct(t) => t.elems.iter_mut().for_each(|p| bind_idents(p, f)),
        Pat::Type(t) => bind_idents(&mut t.pat, f),
        _ => {}
    }
}

/// Gives an or-pattern's later alternative the first one's binding names.
pub fn rename_bindings(pat: &mut Pat, renames: &[(String, Ident)]) {
    bind_idents(pat, &mut |ident: &mut Ident, _, _| {
        if let Some((_, new)) = renames.iter().find(|(old, _)| *ident == old.as_str()) {
            *ident = crate::names::ident(&new.to_string(), ident.span());
        }
    });
}

/// The patterns of a guard's `let`s (`if let Some(x) = a && let Ok(y) = b`).
pub fn guard_patterns(guard: &Expr) -> Vec<&Pat> {
    match guard {
        Expr::Let(l) => vec![&*l.pat],
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            let mut pats = guard_patterns(&b.left);
            pats.extend(guard_patterns(&b.right));
            pats
        }
        _ => Vec::new(),
    }
}

/// The bindings of a pattern that bind by value (`ref x` already is a
/// reference, in the guard as in the arm).
pub fn by_value_bindings(pat: &Pat) -> Vec<(Ident, bool)> {
    let mut by_ref = Vec::new();
    bind_idents(&mut pat.clone(), &mut |ident, _, is_ref| {
        if is_ref {
            by_ref.push(ident.clone());
        }
    });
    binding_idents(pat)
        .into_iter()
        .filter(|(i, _)| !by_ref.contains(i))
        .collect()
}

/// Does `expr` move a part of the temporary `name` out, matching it with a
/// pattern that binds a part of `value` by value (`match t { (d, _) => ..
/// }` with `t = (mk(), 0)`)? Then it is not carried to the arm's end: what
/// the pattern left of it drops where the guard's code ends. (By the
/// value's shape: a part that is a literal is copied, not moved.)
pub(crate) fn part_moved_by(expr: &Expr, name: &Ident, value: &Expr) -> bool {
    struct Find<'a> {
        name: &'a Ident,
        value: &'a Expr,
        found: bool,
    }
    impl Find<'_> {
        fn matched(&mut self, scrutinee: &Expr, pat: &Pat) {
            let named = matches!(scrutinee, Expr::Path(p) if p.path.is_ident(self.name));
            self.found |= named && binds_a_moved_part(pat, self.value);
        }
    }
    impl<'v> syn::visit::Visit<'v> for Find<'_> {
        fn visit_expr_match(&mut self, m: &'v syn::ExprMatch) {
            for arm in &m.arms {
                self.matched(&m.expr, &arm.pat);
            }
            syn::visit::visit_expr_match(self, m);
        }
        fn visit_expr_let(&mut self, l: &'v syn::ExprLet) {
            self.matched(&l.expr, &l.pat);
            syn::visit::visit_expr_let(self, l);
        }
        fn visit_local(&mut self, l: &'v syn::Local) {
            if let Some(init) = &l.init {
                self.matched(&init.expr, &l.pat);
            }
            syn::visit::visit_local(self, l);
        }
    }
    let mut find = Find {
        name,
        value,
        found: false,
    };
    syn::visit::Visit::visit_expr(&mut find, expr);
    find.found
}

/// Whether `pat` binds by value a part of `value` that is not a literal.
/// A struct's fields bound by value (`D { n, .. }`) are taken to be
/// copied: a moved one is then a compile error (the temporary is dropped
/// again), never a different run.
fn binds_a_moved_part(pat: &Pat, value: &Expr) -> bool {
    match (pat, value) {
        (Pat::Paren(p), _) => binds_a_moved_part(&p.pat, value),
        (_, Expr::Paren(v)) => binds_a_moved_part(pat, &v.expr),
        (_, Expr::Lit(_)) | (Pat::Struct(_), _) => false,
        (Pat::Ident(p), _) => match &p.subpat {
            Some((_, sub)) => binds_a_moved_part(sub, value),
            None => p.by_ref.is_none(),
        },
        (Pat::Tuple(p), Expr::Tuple(v)) if p.elems.len() == v.elems.len() => (p.elems.iter())
            .zip(&v.elems)
            .any(|(p, v)| binds_a_moved_part(p, v)),
        // `Some(d)` against `Some(mk())`: the same constructor.
        (Pat::TupleStruct(p), Expr::Call(v))
            if p.elems.len() == v.args.len()
                && matches!(&*v.func, Expr::Path(f) if f.path.segments.last().map(|s| &s.ident)
                    == p.path.segments.last().map(|s| &s.ident)) =>
        {
            (p.elems.iter())
                .zip(&v.args)
                .any(|(p, v)| binds_a_moved_part(p, v))
        }
        _ => !by_value_bindings(pat).is_empty(),
    }
}

/// The scrutinees of a guard's `let`s (`if let P = e`, `if let P = e &&
/// c && let Q = f`), in order, each with whether it runs first (the others
/// run only if what is before them holds) and the names its pattern binds.
pub(crate) fn guard_let_scrutinees(guard: &mut Expr) -> Vec<(bool, &mut Expr, Vec<Ident>)> {
    type Let<'g> = (bool, &'g mut Expr, Vec<Ident>);
    fn lets<'g>(e: &'g mut Expr, first: bool, out: &mut Vec<Let<'g>>) {
        match e {
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                lets(&mut b.left, first, out);
                lets(&mut b.right, false, out);
            }
            Expr::Let(l) => {
                let bound = binding_idents(&l.pat)
                    .into_iter()
                    .map(|(name, _)| name)
                    .collect();
                out.push((first, &mut l.expr, bound));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    lets(guard, true, &mut out);
    out
}
