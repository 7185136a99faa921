//! The function's locals, and how each use of one uses it.
//!
//! [`resolve`](crate::resolve) walks the normalized body once, in
//! evaluation order, resolves every identifier to the local it names
//! (respecting shadowing, closures and nested blocks), classifies the use
//! by its syntactic position, and replaces it by a marker identifier. Later
//! passes work on the markers: [`Locals::use_of`] tells which local and how.

use crate::ir::ScopeId;
use proc_macro2::Span;
use syn::Ident;

pub type LocalId = usize;
pub type UseId = usize;

/// Prefix of the marker that replaces a use of a local (`__ea_use_7`).
pub const USE_MARKER: &str = "__ea_use_";
/// Prefix of the marker that replaces a binding of a local (`__ea_bind_3`).
pub const BIND_MARKER: &str = "__ea_bind_";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalKind {
    Argument,
    /// `self`: stored as `this`.
    SelfArg,
    Let,
    /// Bound by a match arm's pattern.
    ArmBinding,
    /// A value the transform named (an operand, a temporary, an await's output).
    Temporary,
    /// The iterator of a desugared `for`: `Iterator::next` never lends it.
    Iterator,
}

#[derive(Debug, Clone)]
pub struct Local {
    /// As written (the user's span), or a readable name for a temporary.
    pub name: Ident,
    /// Introduced by the transform: its name is hygienic.
    pub internal: bool,
    pub kind: LocalKind,
    pub scope: ScopeId,
    /// Sequence number of the declaration (declaration order is drop order).
    pub decl: usize,
    pub mutable: bool,
    /// A `ref` or `ref mut` binding: a reference into what the pattern matched.
    pub by_ref: bool,
    /// Declared without a value (`let x;`).
    pub deferred: bool,
    /// The type written on its binding (`let x: u64;`) or argument, if any.
    pub ty: Option<syn::Type>,
    /// Bound to a literal (`let mut n = 0;`): a `Copy` primitive (or `&str`).
    pub literal: bool,
    /// Bound to what makes an iterator (`let it = v.iter().map(f);`, `0..n`).
    pub iterator: bool,
    pub line: usize,
}

impl Local {
    /// Its written type drops nothing (a reference, a primitive): where it
    /// drops does not matter.
    pub fn declared_to_drop_nothing(&self) -> bool {
        self.literal || self.ty.as_ref().is_some_and(drops_nothing)
    }

    /// Known to be an iterator: bound to what makes one, a `for` loop's, or
    /// an argument of a type that says so (`impl Iterator<Item = u32>`).
    pub fn known_iterator(&self) -> bool {
        let names_an_iterator = |bound: &syn::TypeParamBound| match bound {
            syn::TypeParamBound::Trait(t) => t
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident.to_string().ends_with("Iterator")),
            _ => false,
        };
        self.iterator
            || self.kind == LocalKind::Iterator
            || matches!(&self.ty, Some(syn::Type::ImplTrait(i)) if i.bounds.iter().any(names_an_iterator))
    }

    /// Known to be `Copy` (a literal's or a written primitive type, a
    /// shared reference): using it by value never moves it.
    pub fn known_copy(&self) -> bool {
        self.literal || self.ty.as_ref().is_some_and(is_copy)
    }
}

/// How a use of a local uses it, from its syntactic position alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UseKind {
    /// By value, whole: moved, or copied if it is `Copy`.
    Move,
    /// A field of it by value (a partial move, or a copy).
    MovePart,
    /// Borrowed (`&x`, `&mut x`, an index base): the borrow may be kept.
    Borrow,
    /// Read in place without keeping a borrow (compared, dereferenced).
    Read,
    /// The receiver of `x.method(..)`: moved or borrowed, by the method's
    /// signature, which the transform cannot see.
    Receiver(String),
    /// Called: `x(..)`, through `Fn`, `FnMut` or `FnOnce`.
    Callee,
    /// Assigned whole: `x = value`.
    Assign,
    /// Written in place: `x.f = v`, `x += v`, `x[i] = v`.
    Mutate,
    /// Captured by a closure or `async` block: by value if it is a `move`
    /// one or the use moves (a non-`move` one may still only borrow it, if
    /// it is `Copy`).
    Capture { by_value: bool, move_closure: bool },
    /// Named inside a macro's tokens, which the transform cannot read.
    Opaque,
    /// A `match` scrutinee that an arm binding by value takes whole while
    /// another arm leaves it in place (`_`): moved on some paths.
    MaybeTaken,
}

#[derive(Debug, Clone)]
pub struct Use {
    pub local: LocalId,
    pub kind: UseKind,
    pub seq: usize,
    /// The identifier as written, for errors and for emitting it unchanged.
    pub ident: Ident,
    /// Inside a closure or `async` block (run later, maybe never).
    pub in_closure: bool,
    /// The fields the use goes through (`["a", "0"]` for `x.a.0`; empty for
    /// `x` whole).
    pub path: Vec<String>,
}

#[derive(Default)]
pub struct Locals {
    pub locals: Vec<Local>,
    pub uses: Vec<Use>,
    /// Parent of each scope (scope 0 has none).
    pub scope_parents: Vec<Option<ScopeId>>,
}

impl Locals {
    pub fn marker_for_use(id: UseId, at: Span) -> Ident {
        Ident::new(&format!("{USE_MARKER}{id}"), at)
    }

    pub fn marker_for_binding(local: LocalId, at: Span) -> Ident {
        Ident::new(&format!("{BIND_MARKER}{local}"), at)
    }

    /// The use a marker identifier stands for.
    pub fn use_of(ident: &Ident) -> Option<UseId> {
        ident.to_string().strip_prefix(USE_MARKER)?.parse().ok()
    }

    /// The local a binding marker declares.
    pub fn binding_of(ident: &Ident) -> Option<LocalId> {
        ident.to_string().strip_prefix(BIND_MARKER)?.parse().ok()
    }

    /// Is `scope` `outer` or nested inside it?
    pub fn is_within(&self, scope: ScopeId, outer: ScopeId) -> bool {
        let mut scope = Some(scope);
        while let Some(s) = scope {
            if s == outer {
                return true;
            }
            scope = self.scope_parents.get(s).copied().flatten();
        }
        false
    }

    /// The chain of scopes from the body's top level down to `scope`.
    pub fn scope_chain(&self, scope: ScopeId) -> Vec<ScopeId> {
        let mut chain = Vec::new();
        let mut s = Some(scope);
        while let Some(c) = s {
            chain.push(c);
            s = self.scope_parents.get(c).copied().flatten();
        }
        chain.reverse();
        chain
    }
}

/// Methods whose receiver is, by the standard library's naming
/// conventions, consumed (`into_*`, `unwrap`, combinators of `Option`,
/// `Result` and iterators, builders' `with` and `build`, `finish`,
/// `consume`, a buffer's `freeze`, a command's `apply`, a transaction's
/// `commit`, the futures crate's combinators that take a future by value
/// under names nothing else uses: `now_or_never`, `shared`; and
/// `Box<dyn Error>`'s or `Arc<dyn Any>`'s `downcast`). (Other
/// methods awaited on a local's last use: see `receivers::guess_consumed`.)
pub fn consumes_receiver(method: &str) -> bool {
    method.starts_with("into_")
        || matches!(
            method,
            "into"
                | "apply"
                | "commit"
                | "rollback"
                | "consume"
                | "freeze"
                | "finish"
                | "build"
                | "with"
                | "unwrap"
                | "expect"
                | "unwrap_or"
                | "unwrap_or_else"
                | "unwrap_or_default"
                | "unwrap_err"
                | "expect_err"
                | "ok"
                | "err"
                | "ok_or"
                | "ok_or_else"
                | "map"
                | "map_err"
                | "map_or"
                | "map_or_else"
                | "and_then"
                | "or_else"
                | "flatten"
                | "collect"
                | "fold"
                | "zip"
                | "chain"
                | "enumerate"
                | "filter"
                | "filter_map"
                | "skip"
                | "step_by"
                | "rev"
                | "peekable"
                | "cycle"
                | "fuse"
                | "boxed"
                | "boxed_local"
                | "downcast"
                | "now_or_never"
                | "catch_unwind"
                | "shared"
                | "left_future"
                | "right_future"
                | "remote_handle"
        )
}

/// `Iterator` methods that consume it under names a type of the user's
/// may give a method that borrows (a lock's or a counter's `sum(&self)`):
/// they are taken to consume only a receiver known to be an iterator
/// ([`Local::known_iterator`]). A wrong guess either way is a different
/// drop order or a compile error; this way round it is the error.
pub fn consumes_only_an_iterator(method: &str) -> bool {
    matches!(method, "sum" | "product")
}

/// Methods that, by the same conventions, borrow their receiver and return
/// a value that does not borrow it (a length, a flag, a copy, an owned clone).
pub fn returns_owned(method: &str) -> bool {
    method.starts_with("is_")
        || method.starts_with("to_")
        || method.starts_with("has_")
        || matches!(
            method,
            "len"
                | "clone"
                | "count"
                | "cmp"
                | "partial_cmp"
                | "eq"
                | "ne"
                | "lt"
                | "le"
                | "gt"
                | "ge"
                | "contains"
                | "contains_key"
                | "starts_with"
                | "ends_with"
                | "capacity"
                | "hash"
                | "min"
                | "max"
                | "abs"
                | "pow"
                | "checked_add"
                | "checked_sub"
                | "wrapping_add"
                | "wrapping_sub"
                | "saturating_add"
                | "saturating_sub"
                | "push"
                | "push_str"
                | "insert"
                | "remove"
                | "pop"
                | "clear"
                | "extend"
                | "extend_from_slice"
                | "truncate"
                | "fmt"
                | "write_str"
        )
}

/// A type whose values drop nothing: references and the primitives (and
/// tuples and arrays of them). Where such a local drops does not matter.
fn drops_nothing(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(_) => true,
        syn::Type::Paren(p) => drops_nothing(&p.elem),
        syn::Type::Tuple(t) => t.elems.iter().all(drops_nothing),
        syn::Type::Array(a) => drops_nothing(&a.elem),
        syn::Type::Path(p) => {
            p.qself.is_none()
                && p.path
                    .get_ident()
                    .is_some_and(|i| is_primitive(&i.to_string()))
        }
        _ => false,
    }
}

/// A type that is `Copy`: the primitives and shared references (and tuples
/// and arrays of them).
fn is_copy(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(r) => r.mutability.is_none(),
        syn::Type::Paren(p) => is_copy(&p.elem),
        syn::Type::Tuple(t) => t.elems.iter().all(is_copy),
        syn::Type::Array(a) => is_copy(&a.elem),
        syn::Type::Path(_) => drops_nothing(ty),
        _ => false,
    }
}

pub(crate) fn is_primitive(name: &str) -> bool {
    matches!(
        name,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "f32"
            | "f64"
            | "bool"
            | "char"
    )
}
