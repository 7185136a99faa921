//! Receivers and parameters: plain, `mut`, pattern (`(a, b)`, `P { .. }`),
//! `_`, `ref mut`, generic and `impl Trait` (closures, futures, async
//! closures), each with the argument the harness passes.

use super::Gen;
use super::scope::State;
use crate::ast::{Param, Pat, Receiver};
use crate::ty::{CallKind, Ty};

impl Gen {
    pub(super) fn signature(&mut self) -> (Option<Receiver>, Vec<String>, Vec<Param>) {
        let receiver = if self.rng.chance(15) {
            Some(*self.rng.pick(&[
                Receiver::Value,
                Receiver::MutValue,
                Receiver::Ref,
                Receiver::RefMut,
            ]))
        } else {
            None
        };
        if let Some(receiver) = receiver {
            let (ty, mutable) = match receiver {
                Receiver::Value => (Ty::S, false),
                Receiver::MutValue => (Ty::S, true),
                Receiver::Ref => (Ty::Ref(Box::new(Ty::S)), false),
                Receiver::RefMut => (Ty::RefMut(Box::new(Ty::S)), false),
            };
            self.scope.declare("self", ty, mutable, State::Init);
        }
        let mut generics = Vec::new();
        let mut params = Vec::new();
        for _ in 0..self.rng.range(0, 4) {
            let param = self.param(&mut generics);
            params.push(param);
        }
        (receiver, generics, params)
    }

    fn param(&mut self, generics: &mut Vec<String>) -> Param {
        let weights = [8, 6, 3, 2, 2, 2, 2, 3, 2, 3, 2, 3, 2, 2, 2, 4];
        let k = self.small();
        match self.rng.weighted(&weights).expect("weights are positive") {
            0 => self.simple_param(Ty::I64, k.to_string()),
            1 => {
                let arg = format!("mk({}, {k})", self.leaf("arg"));
                self.simple_param(Ty::D, arg)
            }
            2 => {
                let name = self.fresh("n");
                self.scope.declare(&name, Ty::I64, true, State::Init);
                Param {
                    lifetime: None,
                    pat: Pat::Bind {
                        by_ref: false,
                        mutable: true,
                        name,
                    },
                    ty: Ty::I64,
                    arg: k.to_string(),
                }
            }
            3 => {
                let (a, b) = (self.fresh("d"), self.fresh("n"));
                self.scope.declare(&a, Ty::D, false, State::Init);
                self.scope.declare(&b, Ty::I64, false, State::Init);
                Param {
                    lifetime: None,
                    pat: Pat::Tuple(vec![Pat::bind(a), Pat::bind(b)]),
                    ty: Ty::Pair,
                    arg: format!("(mk({}, {k}), {})", self.leaf("arg"), k + 1),
                }
            }
            4 => {
                let (a, b) = (self.fresh("d"), self.fresh("n"));
                self.scope.declare(&a, Ty::D, false, State::Init);
                self.scope.declare(&b, Ty::I64, false, State::Init);
                Param {
                    lifetime: None,
                    pat: Pat::Struct(
                        "P".into(),
                        vec![("a".into(), Pat::bind(a)), ("k".into(), Pat::bind(b))],
                        true,
                    ),
                    ty: Ty::P,
                    arg: format!("p({}, {k})", self.leaf("arg")),
                }
            }
            5 => Param {
                lifetime: None,
                pat: Pat::Wild,
                ty: Ty::D,
                arg: format!("mk({}, {k})", self.leaf("arg")),
            },
            6 => {
                let name = self.fresh("rm");
                self.scope
                    .declare(&name, Ty::RefMut(Box::new(Ty::D)), false, State::Init);
                Param {
                    lifetime: None,
                    pat: Pat::Bind {
                        by_ref: true,
                        mutable: true,
                        name,
                    },
                    ty: Ty::D,
                    arg: format!("mk({}, {k})", self.leaf("arg")),
                }
            }
            7 => {
                let ty_param = format!("T{}", generics.len());
                generics.push(format!("{ty_param}: Probe + Debug"));
                let arg = if self.rng.chance(50) {
                    format!("mk({}, {k})", self.leaf("gen"))
                } else {
                    format!("{k}i64")
                };
                self.simple_param(Ty::Generic(ty_param), arg)
            }
            8 => {
                let arg = format!("vec![{k}, {}]", k + 1);
                self.simple_param(Ty::Generic("impl Probe + Debug".into()), arg)
            }
            9 => {
                let arg = format!(
                    "{{ let d = mk({}, {k}); move || d.consume() }}",
                    self.leaf("cap")
                );
                self.simple_param(Ty::Closure(CallKind::FnOnce, false), arg)
            }
            10 => self.simple_param(
                Ty::Closure(CallKind::Fn, true),
                format!("|x: i64| x * 2 + {k}"),
            ),
            11 => {
                let arg = format!("val({}, {}, {k}i64)", self.leaf("argfut"), self.pendings());
                self.simple_param(Ty::Future(Box::new(Ty::I64)), arg)
            }
            12 => {
                let arg = format!(
                    "async |x: i64| {{ tick({}, {}).await; x + {k} }}",
                    self.leaf("af"),
                    self.pendings()
                );
                self.simple_param(Ty::AsyncFn(false), arg)
            }
            13 => {
                let arg = format!(
                    "{{ let d = mk({}, {k}); async move || {{ tick({}, {}).await; d.consume() }} }}",
                    self.leaf("acap"),
                    self.leaf("aof"),
                    self.pendings()
                );
                self.simple_param(Ty::AsyncFn(true), arg)
            }
            14 => {
                let arg = format!("Some({k})");
                self.simple_param(Ty::OptI, arg)
            }
            _ => self.reference_param(generics),
        }
    }

    /// `x: &D`, `x: &mut i64`, `x: &'a T`: the harness owns the value and
    /// lends it. The first named lifetime is declared on the function.
    fn reference_param(&mut self, generics: &mut Vec<String>) -> Param {
        let k = self.small();
        let (target, arg) = match self.rng.below(4) {
            0 | 1 => (Ty::D, format!("mk({}, {k})", self.leaf("arg"))),
            2 => (Ty::I64, k.to_string()),
            _ => {
                let ty_param = format!("T{}", generics.len());
                generics.push(format!("{ty_param}: Probe + Debug"));
                (
                    Ty::Generic(ty_param),
                    format!("mk({}, {k})", self.leaf("gen")),
                )
            }
        };
        let unique = target == Ty::I64 || self.rng.chance(30);
        let lifetime = self.rng.chance(40).then_some("'a");
        if lifetime.is_some() && !generics.iter().any(|g| g == "'a") {
            generics.insert(0, "'a".to_string());
        }
        let ty = if unique {
            Ty::RefMut(Box::new(target))
        } else {
            Ty::Ref(Box::new(target))
        };
        let name = self.fresh(if unique { "rm" } else { "rf" });
        self.scope.declare(&name, ty.clone(), false, State::Init);
        Param {
            pat: Pat::bind(name),
            ty,
            lifetime,
            arg,
        }
    }

    fn simple_param(&mut self, ty: Ty, arg: String) -> Param {
        // Sometimes `value`, the name the `?` desugaring uses.
        let name = if self.rng.chance(4) {
            "value".to_string()
        } else {
            self.local_name(&ty)
        };
        let name = if self.scope.lookup(&name).is_some() {
            self.fresh("a")
        } else {
            name
        };
        self.scope.declare(&name, ty.clone(), false, State::Init);
        Param {
            pat: Pat::bind(name),
            ty,
            lifetime: None,
            arg,
        }
    }
}
