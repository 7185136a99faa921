//! The body after normalization: ordinary Rust statements, except that
//! every `.await` is the single "hole" of a statement (`let PAT = POST[fut.await]`)
//! and every construct that contains an await (`if`, `match`, `loop`, blocks)
//! is a [`Node`] whose sub-blocks are normalized too. Awaits inside closures
//! and inner `async` blocks belong to them and are not part of this tree.

use proc_macro2::Span;
use syn::{Attribute, Expr, Ident, Label, Pat};

/// Identifies a block or match-arm scope: 0 for the body's top level; the
/// analysis numbers the others as it walks them.
pub type ScopeId = usize;

/// The scope of a block or arm before the analysis has numbered it.
pub const UNASSIGNED_SCOPE: ScopeId = usize::MAX;

pub struct Block {
    pub label: Option<Label>,
    pub is_unsafe: bool,
    pub stmts: Vec<Stmt>,
    pub scope: ScopeId,
}

pub enum Stmt {
    /// A statement with no await in it (it may still `return` or use `?`).
    Plain(syn::Stmt),
    /// `let PAT = <node> [else { .. }];`
    Let {
        attrs: Vec<Attribute>,
        pat: Pat,
        init: Node,
        diverge: Option<syn::Block>,
    },
    /// `<node>;` or, without `semi`, the block's value.
    Expr { node: Node, semi: bool },
}

pub enum Node {
    /// `post` with the hole (see [`hole`]) standing for `fut.await`'s output.
    Await {
        id: usize,
        post: Expr,
    },
    Block(Block),
    If {
        cond: Expr,
        then: Block,
        otherwise: Option<Box<Node>>,
    },
    Match {
        scrutinee: Expr,
        arms: Vec<Arm>,
    },
    Loop {
        label: Option<Label>,
        body: Block,
    },
    /// An expression with no await (a branch that does not suspend).
    Plain(Expr),
}

pub struct Arm {
    pub attrs: Vec<Attribute>,
    pub pat: Pat,
    pub guard: Option<Expr>,
    pub body: Node,
    pub scope: ScopeId,
}

/// One `.await` of the function: one waiting state.
pub struct AwaitPoint {
    /// The awaited expression, before `IntoFuture::into_future`.
    pub operand: Expr,
    /// Source line of the `.await`, for the doc comments.
    pub line: usize,
    /// `async_read_file("foo.txt").await`, for docs and the state graph.
    pub text: String,
    /// What it is named after (`AsyncReadFile`), from the operand as written.
    pub callee: String,
    /// `#[state(Name)]` on the statement.
    pub named: Option<Ident>,
}

/// The name of the hole in an [`Node::Await`]'s `post` expression.
pub const HOLE: &str = "__explicit_async_hole";

/// The hole, as an expression.
pub fn hole() -> Expr {
    let ident = Ident::new(HOLE, Span::mixed_site());
    syn::parse_quote!(#ident)
}

/// Is `expr` the hole itself?
pub fn is_hole(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(p) if p.path.is_ident(HOLE))
}
