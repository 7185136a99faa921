//! The generator's syntax tree: just enough Rust to print the programs it
//! makes, kept (rather than text) so the minimizer can shrink a function
//! node by node.

use crate::ty::Ty;

/// One generated `async fn`: a free function or a method of `S`.
#[derive(Debug, Clone, PartialEq)]
pub struct Func {
    pub name: String,
    pub receiver: Option<Receiver>,
    /// Type parameters with their bounds, e.g. `T: Probe + Debug`.
    pub generics: Vec<String>,
    pub params: Vec<Param>,
    pub ret: Ty,
    pub body: Block,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receiver {
    /// `self`
    Value,
    /// `mut self`
    MutValue,
    /// `&self`
    Ref,
    /// `&mut self`
    RefMut,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub pat: Pat,
    /// For a reference parameter (`Ty::Ref`/`Ty::RefMut`), the harness
    /// owns the value `arg` and passes a reference to it.
    pub ty: Ty,
    /// A named lifetime on a reference parameter (`&'a D`).
    pub lifetime: Option<&'static str>,
    /// The argument the harness passes (an expression in the prelude's terms).
    pub arg: String,
}

impl Param {
    /// `Some("&")` or `Some("&mut ")` when the harness passes a reference to `arg`.
    pub fn by_reference(&self) -> Option<&'static str> {
        match self.ty {
            Ty::Ref(_) => Some("&"),
            Ty::RefMut(_) => Some("&mut "),
            _ => None,
        }
    }

    /// The parameter's type as written.
    pub fn type_text(&self) -> String {
        match (&self.ty, self.lifetime) {
            (Ty::Ref(target), Some(l)) => format!("&{l} {}", target.param_name()),
            (Ty::RefMut(target), Some(l)) => format!("&{l} mut {}", target.param_name()),
            (Ty::Ref(target), None) => format!("&{}", target.param_name()),
            (Ty::RefMut(target), None) => format!("&mut {}", target.param_name()),
            (ty, _) => ty.param_name(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub tail: Option<Box<Expr>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    Let {
        pat: Pat,
        ty: Option<String>,
        init: Option<Expr>,
        els: Option<Block>,
    },
    /// An expression statement; `true` writes the `;`.
    Expr(Expr, bool),
    /// A loop's own control (`c += 1;`, `if c > 2 { break; }`): printed
    /// like [`Stmt::Expr`], never deleted by the minimizer (the loop would
    /// not end).
    Fixed(Expr, bool),
}

/// An expression and, when the minimizer may replace it by a literal, its type.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Option<Ty>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A literal or any other atom printed as is (`3`, `None`, `x`, `self`).
    Atom(String),
    Call(String, Vec<Expr>),
    Method(Box<Expr>, String, Vec<Expr>),
    Field(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
    Binary(Box<Expr>, &'static str, Box<Expr>),
    /// `-`, `!`, `*`, `&`, `&mut `.
    Unary(&'static str, Box<Expr>),
    Cast(Box<Expr>, &'static str),
    Await(Box<Expr>),
    Try(Box<Expr>),
    Tuple(Vec<Expr>),
    Array(Vec<Expr>),
    Struct(String, Vec<(String, Expr)>),
    /// `name!(format, args..)`; `vec!` prints with brackets.
    Macro(String, Option<String>, Vec<Expr>),
    Block(Block),
    If(Vec<Cond>, Block, Option<Box<Expr>>),
    Match(Box<Expr>, Vec<Arm>),
    Loop(Option<String>, Block),
    While(Option<String>, Vec<Cond>, Block),
    For(Option<String>, Pat, Box<Expr>, Block),
    Break(Option<String>, Option<Box<Expr>>),
    Continue(Option<String>),
    Return(Option<Box<Expr>>),
    Closure {
        is_move: bool,
        params: Vec<String>,
        body: Box<Expr>,
    },
    Async {
        is_move: bool,
        body: Block,
    },
    /// `place op value` with `op` one of `=`, `+=`, `-=`.
    Assign(Box<Expr>, &'static str, Box<Expr>),
    Range(Box<Expr>, Box<Expr>),
}

/// One condition of an `if`, `while` or guard; several form a let chain.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Bool(Expr),
    Let(Pat, Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arm {
    pub pat: Pat,
    pub guard: Vec<Cond>,
    pub body: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Pat {
    Bind {
        by_ref: bool,
        mutable: bool,
        name: String,
    },
    Wild,
    /// `..` inside a tuple or slice pattern.
    Rest,
    /// A literal or range, printed as is.
    Lit(String),
    Or(Vec<Pat>),
    Tuple(Vec<Pat>),
    /// `Some(..)`, `Ok(..)`, `Err(..)`.
    TupleStruct(String, Vec<Pat>),
    /// `P { a, b: x, .. }`; `true` adds `..`.
    Struct(String, Vec<(String, Pat)>, bool),
    Slice(Vec<Pat>),
}

impl Expr {
    pub fn new(kind: ExprKind, ty: Option<Ty>) -> Expr {
        Expr { kind, ty }
    }

    pub fn atom(text: impl Into<String>, ty: Ty) -> Expr {
        Expr::new(ExprKind::Atom(text.into()), Some(ty))
    }

    /// An atom the minimizer must not touch (a name, a label-free path).
    pub fn raw(text: impl Into<String>) -> Expr {
        Expr::new(ExprKind::Atom(text.into()), None)
    }

    pub fn call(callee: impl Into<String>, args: Vec<Expr>, ty: Ty) -> Expr {
        Expr::new(ExprKind::Call(callee.into(), args), Some(ty))
    }

    pub fn method(receiver: Expr, name: impl Into<String>, args: Vec<Expr>, ty: Ty) -> Expr {
        Expr::new(
            ExprKind::Method(Box::new(receiver), name.into(), args),
            Some(ty),
        )
    }

    pub fn await_(inner: Expr, ty: Ty) -> Expr {
        Expr::new(ExprKind::Await(Box::new(inner)), Some(ty))
    }

    pub fn unary(op: &'static str, inner: Expr, ty: Option<Ty>) -> Expr {
        Expr::new(ExprKind::Unary(op, Box::new(inner)), ty)
    }

    pub fn binary(left: Expr, op: &'static str, right: Expr, ty: Ty) -> Expr {
        Expr::new(
            ExprKind::Binary(Box::new(left), op, Box::new(right)),
            Some(ty),
        )
    }

    pub fn block(block: Block, ty: Option<Ty>) -> Expr {
        Expr::new(ExprKind::Block(block), ty)
    }

    /// `if`, `match`, loops and blocks: statements of their own, no `;` needed.
    pub fn is_block_like(&self) -> bool {
        matches!(
            self.kind,
            ExprKind::Block(_)
                | ExprKind::If(..)
                | ExprKind::Match(..)
                | ExprKind::Loop(..)
                | ExprKind::While(..)
                | ExprKind::For(..)
        )
    }
}

impl Block {
    pub fn of_tail(tail: Expr) -> Block {
        Block {
            stmts: Vec::new(),
            tail: Some(Box::new(tail)),
        }
    }
}

impl Pat {
    pub fn bind(name: impl Into<String>) -> Pat {
        Pat::Bind {
            by_ref: false,
            mutable: false,
            name: name.into(),
        }
    }
}
