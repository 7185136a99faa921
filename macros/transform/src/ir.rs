//! The body after normalization: ordinary Rust, except that every
//! construct containing an `.await` of the function is a [`Node`] whose
//! parts are normalized too, and every `.await` is a [`Node::Await`] whose
//! operand contains no other await. Expressions held in [`Node::Plain`],
//! [`Stmt::Plain`], conditions, scrutinees and guards contain no await of
//! the function (awaits inside closures and `async` blocks are theirs).
//!
//! Every temporary that rustc would keep alive across an await has been
//! given a name (a `let` of its own), so that the later passes only deal
//! with locals.

use proc_macro2::Span;
use syn::{Attribute, Expr, Ident, Label, Pat};

/// Index of an await in [`AwaitPoint`] order (source order).
pub type AwaitId = usize;
/// Identifies an `if`, `match`, `loop` or block node (a possible join).
pub type NodeId = usize;
/// A block or match-arm scope; 0 is the body's top level (and the arguments').
pub type ScopeId = usize;

pub struct Block {
    pub id: NodeId,
    pub label: Option<Label>,
    pub is_unsafe: bool,
    pub stmts: Vec<Stmt>,
    pub scope: ScopeId,
    /// The span of the user's braces (`None` for a block the transform
    /// made). Its edition decides when the tail's temporaries drop, so the
    /// generated block is braced with it.
    pub brace: Option<proc_macro2::Span>,
}

pub enum Stmt {
    /// A statement with no await (it may still `return`, `break` or use `?`).
    Plain(syn::Stmt),
    /// `let PAT = <node>;` (a `let … else` with an await is desugared).
    Let {
        attrs: Vec<Attribute>,
        pat: Pat,
        init: Node,
    },
    /// `<node>;`, or without `semi` the block's value (only as the last statement).
    Expr { node: Node, semi: bool },
}

pub enum Node {
    /// `operand.await`, with the operand in [`AwaitPoint::operand`].
    Await(AwaitId),
    Block(Block),
    If {
        id: NodeId,
        cond: Expr,
        then: Block,
        otherwise: Option<Box<Node>>,
    },
    Match {
        id: NodeId,
        scrutinee: Expr,
        arms: Vec<Arm>,
    },
    Loop {
        id: NodeId,
        label: Option<Label>,
        body: Block,
    },
    /// An expression with no await.
    Plain(Expr),
}

pub struct Arm {
    pub attrs: Vec<Attribute>,
    pub pat: Pat,
    /// A guard without await (awaiting guards are desugared).
    pub guard: Option<Expr>,
    pub body: Node,
    pub scope: ScopeId,
}

/// One `.await` of the function: one waiting state.
pub struct AwaitPoint {
    /// The awaited expression, before `IntoFuture::into_future`.
    pub operand: Expr,
    /// The span of the `.await` (for errors and docs).
    pub span: Span,
    /// Source line of the `.await`, for the doc comments.
    pub line: usize,
    /// `async_read_file("foo.txt").await`, for docs and the state graph.
    pub text: String,
    /// What it is named after (`AsyncReadFile`), from the operand as written.
    pub callee: String,
    /// `#[state(Name)]` on the statement.
    pub named: Option<Ident>,
}

impl Node {
    pub fn id(&self) -> Option<NodeId> {
        match self {
            Node::Block(b) => Some(b.id),
            Node::If { id, .. } | Node::Match { id, .. } | Node::Loop { id, .. } => Some(*id),
            Node::Await(_) | Node::Plain(_) => None,
        }
    }
}

/// A walk over the IR's plain code, in order: each hook sees what the IR
/// holds as written (plain statements and expressions, the patterns it
/// binds), and is told where an IR loop's body starts and ends.
pub trait Walk<'b> {
    fn plain_expr(&mut self, expr: &'b Expr);
    fn plain_stmt(&mut self, stmt: &'b syn::Stmt);
    /// A pattern the IR binds: an awaiting `let`'s, a `match` arm's.
    fn pattern(&mut self, _pat: &'b Pat) {}
    fn enter_loop(&mut self) {}
    fn leave_loop(&mut self) {}

    fn walk_block(&mut self, block: &'b Block) {
        for stmt in &block.stmts {
            match stmt {
                Stmt::Plain(s) => self.plain_stmt(s),
                Stmt::Let { pat, init, .. } => {
                    self.pattern(pat);
                    self.walk_node(init);
                }
                Stmt::Expr { node, .. } => self.walk_node(node),
            }
        }
    }

    fn walk_node(&mut self, node: &'b Node) {
        match node {
            Node::Await(_) => {}
            Node::Plain(e) => self.plain_expr(e),
            Node::Block(b) => self.walk_block(b),
            Node::If {
                cond,
                then,
                otherwise,
                ..
            } => {
                self.plain_expr(cond);
                self.walk_block(then);
                if let Some(otherwise) = otherwise {
                    self.walk_node(otherwise);
                }
            }
            Node::Match {
                scrutinee, arms, ..
            } => {
                self.plain_expr(scrutinee);
                for arm in arms {
                    self.pattern(&arm.pat);
                    if let Some(guard) = &arm.guard {
                        self.plain_expr(guard);
                    }
                    self.walk_node(&arm.body);
                }
            }
            Node::Loop { body, .. } => {
                self.enter_loop();
                self.walk_block(body);
                self.leave_loop();
            }
        }
    }
}
