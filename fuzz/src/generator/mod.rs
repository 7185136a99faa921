//! The program generator: random `async fn` items that rustc accepts by
//! construction. It tracks the type, initialization, moves and borrows of
//! every local ([`scope`]), so each production only uses what is usable
//! there. Productions are split by concern: `i64` expressions and awaits
//! nested in them ([`expr`]), other values ([`values`]), uses of locals and
//! the futures that borrow them ([`place`]), branches ([`control`]), loops
//! ([`loops`]), statements ([`stmt`]), patterns ([`patterns`]), closures
//! and `async` blocks ([`capture`]), closures handed on and called later
//! ([`callbacks`]), guards and `Deref` wrappers ([`guards`]), and
//! signatures ([`signature`]).

mod callbacks;
mod capture;
mod control;
mod expr;
mod guards;
mod loops;
mod patterns;
mod place;
pub mod scope;
mod signature;
mod stmt;
mod values;

use crate::ast::{Block, Func};
use crate::rng::Rng;
use crate::ty::Ty;
use scope::{Local, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    E2021,
    E2024,
}

impl Edition {
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::E2021 => "2021",
            Edition::E2024 => "2024",
        }
    }
}

/// Which shapes are generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    /// The constructs of issues 3 and 10 (CI's gate, at 0 defects).
    Core,
    /// And the shapes of pools and locks met in real crates: guards with
    /// by-value methods under neutral names, `Deref` wrappers, closures
    /// handed on (`run(|| async { .. })`), `FnOnce`s kept in an `Option`
    /// or a `Box`.
    Crates,
}

impl Grammar {
    pub fn as_str(self) -> &'static str {
        match self {
            Grammar::Core => "core",
            Grammar::Crates => "crates",
        }
    }
}

/// Generates function `index` of run `seed`; the same four always give the
/// same function.
pub fn generate(seed: u64, index: u64, edition: Edition, grammar: Grammar) -> Func {
    let mut g = Gen::new(Rng::for_function(seed, index), edition, grammar);
    g.function(&format!("f{index}"))
}

/// An enclosing loop, for `break` and `continue`.
#[derive(Debug, Clone)]
struct LoopCtx {
    label: Option<String>,
    /// The type `break` carries (`loop` expressions only).
    value: Option<Ty>,
    /// The locals' states at each `break` that targets this loop.
    breaks: Vec<Vec<Local>>,
    /// The frame the loop belongs to; loops of enclosing frames are out of reach.
    frame: usize,
}

pub(crate) struct Gen {
    rng: Rng,
    scope: Scope,
    loops: Vec<LoopCtx>,
    ret: Ty,
    edition: Edition,
    grammar: Grammar,
    /// Expression nesting at the current point.
    depth: u32,
    /// Productions left; when spent, only leaves are generated.
    fuel: i32,
    /// Whether the current straight-line path has already left (return,
    /// break, continue, panic): the rest of its block is not generated.
    diverged: bool,
    counter: usize,
    /// One `boom` (a panicking leaf) at most, in a few functions.
    boom_allowed: bool,
}

const MAX_DEPTH: u32 = 4;

impl Gen {
    /// `weight` for a shape of [`Grammar::Crates`], 0 in the core grammar.
    fn crates_weight(&self, weight: u32) -> u32 {
        if self.grammar == Grammar::Crates {
            weight
        } else {
            0
        }
    }

    fn new(rng: Rng, edition: Edition, grammar: Grammar) -> Gen {
        Gen {
            rng,
            scope: Scope::default(),
            loops: Vec::new(),
            ret: Ty::Unit,
            edition,
            grammar,
            depth: 0,
            fuel: 0,
            diverged: false,
            counter: 0,
            boom_allowed: false,
        }
    }

    fn function(&mut self, name: &str) -> Func {
        // Mostly small functions (a defect shows alone), some large ones.
        self.fuel = match self.rng.below(10) {
            0..=3 => self.rng.range(6, 20),
            4..=7 => self.rng.range(20, 50),
            _ => self.rng.range(50, 110),
        } as i32;
        self.boom_allowed = self.rng.chance(6);
        let (receiver, generics, params) = self.signature();
        self.ret = self.return_type();
        let ret = self.ret.clone();
        let body = self.block_of(&ret, true);
        Func {
            name: name.to_string(),
            receiver,
            generics,
            params,
            ret,
            body,
        }
    }

    fn return_type(&mut self) -> Ty {
        let choices = [
            (Ty::I64, 40),
            (Ty::Unit, 10),
            (Ty::OptI, 14),
            (Ty::ResI, 14),
            (Ty::D, 6),
            (Ty::Pair, 4),
            (Ty::Str, 6),
            (Ty::Bool, 6),
        ];
        let weights: Vec<u32> = choices.iter().map(|c| c.1).collect();
        let i = self.rng.weighted(&weights).expect("weights are positive");
        choices[i].0.clone()
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{}", self.counter)
    }

    /// A name for a new local of this type; sometimes an existing name, to shadow it.
    fn local_name(&mut self, ty: &Ty) -> String {
        if self.rng.chance(12) {
            let visible: Vec<String> = self
                .scope
                .locals
                .iter()
                .filter(|l| l.visible && l.name != "self" && !l.protected)
                .map(|l| l.name.clone())
                .collect();
            if !visible.is_empty() {
                return self.rng.pick(&visible).clone();
            }
        }
        let prefix = match ty {
            Ty::I64 | Ty::Usize => "n",
            Ty::Bool => "b",
            Ty::D => "d",
            Ty::P => "pp",
            Ty::Pair => "t",
            Ty::Arr => "arr",
            Ty::VecI => "v",
            Ty::VecD => "ds",
            Ty::OptI => "o",
            Ty::ResI => "r",
            Ty::Str => "s",
            Ty::Ref(_) => "rf",
            Ty::RefMut(_) => "rm",
            Ty::Closure(..) => "c",
            Ty::Future(_) => "fut",
            Ty::PinFut(_) => "pf",
            Ty::Src => "src",
            Ty::Guard => "g",
            Ty::Lease => "h",
            Ty::Lock => "lk",
            Ty::FnSlot => "slot",
            Ty::Maker => "mkr",
            _ => "x",
        };
        self.fresh(prefix)
    }

    /// A leaf future's name, unique in the function so logs read clearly.
    fn leaf(&mut self, prefix: &str) -> String {
        format!("\"{}\"", self.fresh(prefix))
    }

    fn pendings(&mut self) -> String {
        let weights = [3, 5, 2, 1];
        self.rng
            .weighted(&weights)
            .expect("weights are positive")
            .to_string()
    }

    fn small(&mut self) -> i64 {
        self.rng.range(0, 9)
    }

    /// Spends one unit of fuel; `false` when none is left (leaves only).
    fn spend(&mut self) -> bool {
        self.fuel -= 1;
        self.fuel > 0 && self.depth < MAX_DEPTH
    }

    /// Whether `.await` may be written here (not inside a closure).
    fn can_await(&self) -> bool {
        self.scope.frames.last().is_none_or(|f| f.is_async)
    }

    /// Whether `return` and `?` reach the function (not a closure or `async` block).
    fn in_fn_frame(&self) -> bool {
        self.scope.frames.is_empty()
    }

    /// Loops `break`/`continue` can target from here: the innermost, and
    /// enclosing ones with a label (all in the current frame).
    fn reachable_loops(&self) -> Vec<usize> {
        let frame = self.scope.frames.len();
        let innermost = self.loops.len().checked_sub(1);
        (0..self.loops.len())
            .filter(|&i| {
                self.loops[i].frame == frame
                    && (Some(i) == innermost || self.loops[i].label.is_some())
            })
            .collect()
    }

    /// A block producing `ty`, in a scope of its own.
    fn block_of(&mut self, ty: &Ty, top: bool) -> Block {
        let mark = self.scope.locals.len();
        let count = if top {
            self.rng.range(1, 2 + i64::from(self.fuel / 12).min(5))
        } else {
            self.rng.range(0, 3)
        };
        let mut stmts = Vec::new();
        for _ in 0..count {
            if self.diverged || (!top && self.fuel <= 0) {
                break;
            }
            stmts.extend(self.stmt());
        }
        let tail = if self.diverged {
            None
        } else if *ty == Ty::Unit {
            self.unit_tail()
        } else {
            Some(Box::new(self.expr(ty)))
        };
        self.scope.close(mark);
        Block { stmts, tail }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit;

    fn texts(seed: u64, count: u64, edition: Edition) -> Vec<String> {
        (0..count)
            .map(|i| emit::function(&generate(seed, i, edition, Grammar::Crates), false))
            .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_functions() {
        assert_eq!(texts(42, 20, Edition::E2024), texts(42, 20, Edition::E2024));
        assert_ne!(texts(42, 20, Edition::E2024), texts(43, 20, Edition::E2024));
        // Function i depends on (seed, i) only, not on the others generated before it.
        assert_eq!(
            emit::function(&generate(42, 7, Edition::E2024, Grammar::Crates), false),
            texts(42, 8, Edition::E2024)[7]
        );
    }

    /// Every construct of issue 10's list appears in a few hundred functions.
    #[test]
    fn the_grammar_reaches_every_listed_construct() {
        let all = texts(1, 400, Edition::E2024).join("\n");
        let constructs: &[(&str, &[&str])] = &[
            ("tuple pattern", &["let ("]),
            ("struct pattern", &["let P {"]),
            ("ref binding", &["ref "]),
            ("ref mut", &["ref mut "]),
            ("wildcard let", &["let _ ="]),
            ("array pattern", &["let ["]),
            ("let else", &["} else {\n"]),
            ("deferred let", &["let z"]),
            ("if let", &["if let "]),
            ("let chain", &["&& let "]),
            ("match guard", &[" if "]),
            ("if let guard", &[" if let "]),
            ("loop", &["loop {"]),
            ("while", &["while "]),
            ("while let", &["while let "]),
            ("for", &["for "]),
            ("label", &[": loop"]),
            ("break value", &["break "]),
            ("continue", &["continue"]),
            ("return", &["return "]),
            ("question mark", &[")?"]),
            ("await", &[".await"]),
            ("vec macro", &["vec!["]),
            ("format macro", &["format!("]),
            ("assert macro", &["assert!("]),
            ("tokio-test assertion", &["assert_ok!("]),
            ("write macro", &["write!("]),
            ("pin macro", &["pin!("]),
            ("by-value method", &[".consume()"]),
            ("partial move", &[".a)", ".b)", ".0)", ".a.consume()"]),
            ("move closure", &["move |"]),
            ("closure", &["|| "]),
            ("async block", &["async {"]),
            ("async move block", &["async move {"]),
            ("borrowing local", &["= &"]),
            ("peek", &["peek("]),
            ("inc", &["inc("]),
            ("read", &[".read(&mut "]),
            ("indexed place", &["as_mut_slice()[0]"]),
            ("temporary in operand", &["pair(&mk("]),
            ("generic", &["<T0: Probe + Debug>"]),
            ("impl trait", &["impl Probe + Debug"]),
            ("impl future", &["impl Future<Output = i64>"]),
            ("async fn arg", &["impl AsyncFn(i64) -> i64"]),
            ("async fn once arg", &["impl AsyncFnOnce() -> i64"]),
            ("fn once arg", &["impl FnOnce() -> i64"]),
            ("pattern arg", &["(d"]),
            ("wildcard arg", &["(_: D"]),
            ("self", &["(self"]),
            ("mut self", &["(mut self"]),
            ("ref self", &["(&self"]),
            ("mut ref self", &["(&mut self"]),
            ("reference arg", &[": &D", ": &mut D"]),
            ("lifetime", &["&'a "]),
            ("guard by value", &[".disarm()", ".settle("]),
            ("guard by reference", &[".level()", ".scaled("]),
            ("guard by mut reference", &[".tune()"]),
            ("guard futures", &[".check(", ".release("]),
            ("owned deref guard", &["lease("]),
            ("borrowing deref guard", &["lock("]),
            ("closure returning async", &["run(|| async {"]),
            ("closure returning async move", &["|| async move {"]),
            ("fn once from option", &[".take().unwrap()"]),
            ("boxed fn once", &["Box<dyn FnOnce() -> i64"]),
            (
                "partial destructuring of a local",
                &[".. } = pp", ", _) = t"],
            ),
        ];
        let missing: Vec<&str> = constructs
            .iter()
            .filter(|(_, texts)| !texts.iter().any(|t| all.contains(t)))
            .map(|(name, _)| *name)
            .collect();
        assert!(missing.is_empty(), "never generated: {missing:?}");
    }

    #[test]
    fn let_chains_only_in_edition_2024() {
        assert!(!texts(1, 300, Edition::E2021).join("\n").contains("&& let "));
    }
}
