//! The types the generator works with: a closed set, each with the support
//! items of the generated crate's prelude (`template/prelude.rs`) behind it.

/// How a closure value may be called, as rustc infers it from its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallKind {
    Fn,
    FnMut,
    FnOnce,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    I64,
    Usize,
    Bool,
    Unit,
    /// `String`
    Str,
    /// `D`: a named value that logs its drop.
    D,
    /// `P { a: D, b: D, k: i64 }`: no `Drop` of its own, so fields move out one by one.
    P,
    /// `(D, i64)`
    Pair,
    /// `[i64; 3]`
    Arr,
    /// `Vec<i64>`, never empty.
    VecI,
    /// `Vec<D>`
    VecD,
    /// `Option<i64>`
    OptI,
    /// `Result<i64, String>`
    ResI,
    /// The receiver type of generated methods: `S { d: D, k: i64 }`.
    S,
    /// A byte source whose `read` future borrows it and a buffer.
    Src,
    /// `Guard`: a value with a `Drop` whose methods take `self`, `&self` or
    /// `&mut self` under names that do not tell which.
    Guard,
    /// `Lease<P>`: an owned guard reaching a `P` through `Deref`/`DerefMut`.
    Lease,
    /// `Lock<'_, P>`: a guard borrowing a `P` local mutably, with `Deref`/`DerefMut`.
    Lock,
    /// `Option<impl FnOnce() -> i64>`: a closure kept to be taken out once.
    FnSlot,
    /// A closure returning an `async` block (`move || async move { .. }`),
    /// called once: `m().await` or `run(m).await`.
    Maker,
    Ref(Box<Ty>),
    RefMut(Box<Ty>),
    /// A type parameter (`T: Probe + Debug`) or `impl Probe + Debug`.
    Generic(String),
    /// A closure returning `i64`; `true` when it takes one `i64`.
    Closure(CallKind, bool),
    /// `impl AsyncFn(i64) -> i64` (`false`) or `impl AsyncFnOnce() -> i64` (`true`).
    AsyncFn(bool),
    /// An unnamed future with this output.
    Future(Box<Ty>),
    /// `Pin<&mut impl Future<Output = T>>` from `pin!`.
    PinFut(Box<Ty>),
    Never,
}

impl Ty {
    /// The type as written in a `let` annotation or signature, when it can be named.
    pub fn name(&self) -> Option<String> {
        Some(match self {
            Ty::I64 => "i64".into(),
            Ty::Usize => "usize".into(),
            Ty::Bool => "bool".into(),
            Ty::Unit => "()".into(),
            Ty::Str => "String".into(),
            Ty::D => "D".into(),
            Ty::P => "P".into(),
            Ty::Pair => "(D, i64)".into(),
            Ty::Arr => "[i64; 3]".into(),
            Ty::VecI => "Vec<i64>".into(),
            Ty::VecD => "Vec<D>".into(),
            Ty::OptI => "Option<i64>".into(),
            Ty::ResI => "Result<i64, String>".into(),
            Ty::S => "S".into(),
            Ty::Src => "Src".into(),
            Ty::Guard => "Guard".into(),
            Ty::Lease => "Lease<P>".into(),
            Ty::Lock => "Lock<'_, P>".into(),
            Ty::Ref(inner) => format!("&{}", inner.name()?),
            Ty::RefMut(inner) => format!("&mut {}", inner.name()?),
            Ty::Generic(name) => name.clone(),
            Ty::Never => "!".into(),
            Ty::Closure(..)
            | Ty::AsyncFn(_)
            | Ty::Future(_)
            | Ty::PinFut(_)
            | Ty::FnSlot
            | Ty::Maker => return None,
        })
    }

    /// The type of a parameter, where `impl Trait` may name what `name` cannot.
    pub fn param_name(&self) -> String {
        match self {
            Ty::Closure(CallKind::FnOnce, false) => "impl FnOnce() -> i64".into(),
            Ty::Closure(CallKind::FnMut, false) => "impl FnMut() -> i64".into(),
            Ty::Closure(CallKind::Fn, false) => "impl Fn() -> i64".into(),
            Ty::Closure(CallKind::FnOnce, true) => "impl FnOnce(i64) -> i64".into(),
            Ty::Closure(CallKind::FnMut, true) => "impl FnMut(i64) -> i64".into(),
            Ty::Closure(CallKind::Fn, true) => "impl Fn(i64) -> i64".into(),
            Ty::AsyncFn(false) => "impl AsyncFn(i64) -> i64".into(),
            Ty::AsyncFn(true) => "impl AsyncFnOnce() -> i64".into(),
            Ty::Future(out) => format!(
                "impl Future<Output = {}>",
                out.name()
                    .expect("futures passed as arguments have nameable outputs")
            ),
            Ty::Generic(name) if name.starts_with("impl") => name.clone(),
            other => other.name().expect("parameter types are nameable"),
        }
    }

    /// Copying, not moving: using the value leaves the local usable.
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            Ty::I64 | Ty::Usize | Ty::Bool | Ty::Unit | Ty::Arr | Ty::OptI | Ty::Ref(_) | Ty::Never
        )
    }

    /// Implements the prelude's `Probe` (a value as one `i64`), so `peek(&x)` works.
    pub fn is_probe(&self) -> bool {
        matches!(
            self,
            Ty::I64
                | Ty::D
                | Ty::P
                | Ty::Pair
                | Ty::Arr
                | Ty::VecI
                | Ty::Str
                | Ty::S
                | Ty::Generic(_)
                | Ty::OptI
                | Ty::Guard
        )
    }

    /// The simplest expression of this type, for the minimizer.
    pub fn simplest(&self) -> Option<&'static str> {
        Some(match self {
            Ty::I64 => "0",
            Ty::Usize => "0usize",
            Ty::Bool => "false",
            Ty::Unit => "()",
            Ty::Str => "String::new()",
            Ty::D => "mk(\"z\", 0)",
            Ty::P => "p(\"z\", 0)",
            Ty::Pair => "(mk(\"z\", 0), 0)",
            Ty::Arr => "[0; 3]",
            Ty::VecI => "vec![0]",
            Ty::VecD => "Vec::new()",
            Ty::OptI => "None",
            Ty::ResI => "Ok(0)",
            Ty::Guard => "guard(\"z\", 0)",
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_params() {
        assert_eq!(Ty::Ref(Box::new(Ty::Pair)).name().unwrap(), "&(D, i64)");
        assert_eq!(Ty::Future(Box::new(Ty::I64)).name(), None);
        assert_eq!(
            Ty::Future(Box::new(Ty::I64)).param_name(),
            "impl Future<Output = i64>"
        );
        assert!(Ty::OptI.is_copy() && !Ty::ResI.is_copy());
    }
}
