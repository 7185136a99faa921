//! Differential tests in a Rust 2021 crate. Before Rust 2024 a block tail's
//! temporaries drop after the block's locals, with the statement around the
//! block, and an `if let` scrutinee's temporaries live to the end of the
//! statement, through `else`. The macro reads the crate's edition from its
//! `Cargo.toml`; these cases, found by the fuzzer with `--edition 2021` and
//! minimized, check that it follows it.
#![allow(
    dead_code,
    irrefutable_let_patterns,
    unused_imports,
    unused_variables,
    unused_mut,
    unused_labels,
    unused_assignments,
    unused_parens,
    unreachable_code,
    clippy::all
)]

#[path = "../../common/mod.rs"]
mod common;

macro_rules! case_test {
    () => {
        #[test]
        fn matches_rustc() {
            check();
        }
    };
}

#[path = "../../corpus/twin.rs"]
#[macro_use]
mod twin;

#[path = "../../corpus/found/prelude.rs"]
mod prelude;

use prelude::*;

// A tail after an await, in an `if` branch that is an operand: its
// temporary drops after the branch's locals (one held in the state).
twin! {
    compare: (true), (false);
    pub async fn tail_temporary_of_an_awaiting_branch(c: bool) -> i64 {
        let arr = [
            if c {
                let rf: &D = &mk("local", 1);
                peek("p", &mk("aw", 2), 1).await;
                (mk("tail", 3), 1).1
            } else {
                2
            },
            val("later", 1, 4).await,
        ];
        arr[0]
    }
}

// The function's tail after an await: its temporary drops after the body's
// locals (in slots, and not) and before the arguments.
twin! {
    compare: (mk("arg", 0));
    pub async fn body_tail_temporary_after_locals_in_slots(d: D) -> i64 {
        let l = mk("local", 1);
        let r = &l;
        peek("p", &mk("aw", 2), 1).await;
        let l2 = mk("local2", 3);
        pair(&mk("tail", 4), r.n)
    }
}

// An awaiting tail: what is left of it once its await is lifted out
// (`mk(output).n()`) drops after the locals, newest first with the await's
// output borrowed in the same tail.
twin! {
    compare: ();
    pub async fn awaiting_tail_receiver_after_locals() -> i64 {
        let d = mk("local", 1);
        pair(&val("a", 1, mk("out", 2)).await, mk("t", val("b", 1, 3).await).n())
    }
}

// The function has no await: its tail's temporary still drops after the
// pinned local.
twin! {
    compare: (0);
    pub async fn tail_temporary_after_a_pinned_local(n1: i64) -> i64 {
        let n1 = pin!(peek("peek3", &n1, 0));
        pair(&mk("z", 0), 0)
    }
}

// An `if let` whose pattern fails: its scrutinee's tuple lives to the end
// of the statement, past the `else` and the await around it.
twin! {
    compare: (mk("arg1", 8)), (mk("arg1", 2));
    pub async fn if_let_scrutinee_lives_to_the_statement_end(d2: D) -> i64 {
        val("a18", 0, pair(&d2, if let (d12, 0..=4) = (mk("z", 0), d2.n) {
            later("later13", 0, move || 0).await
        } else {
            0
        })).await
    }
}

// The same, with the `if let` in an awaited operand and a borrowed temporary
// in its scrutinee.
twin! {
    compare: ();
    pub async fn if_let_scrutinee_temporary_through_else() -> i64 {
        let mut d13: D = val("a12", 0, if let Some(n9) = checked(pair(&mk("z", 0), 0)) {
            mk("then", 0)
        } else {
            mk("else", 0)
        }).await;
        0
    }
}
// build-defect: E0716: an `async` block that borrows an argument, declared in the same
// code as a slot it is older than, was made a slot too (it cannot borrow the
// arm's locals).
twin! {
    compare: (4, 9);
    pub async fn async_block_beside_a_slot_in_a_branch_value<'a>(mut n1: i64, n3: i64) -> i64 {
        let z4: D;
        if false {
            z4 = mk("z", 0).with(if false {
                let fut16 = async {
                    n1 = 0;
                    0
                };
                let n17 = 0;
                probe(&n17)
            } else {
                let mut v21 = vec![0];
                peek("peek23", &v21, 0).await;
                0
            });
        }
        n3
    }
}

// divergence: a plain block's tail temporary, in the body's tail, drops after
// the body's locals.
twin! {
    compare: (mk("arg1", 8), mk("gen3", 7));
    pub async fn plain_block_tail_in_the_body_tail<T0: Probe + Debug>(d2: D, x4: T0) -> i64 {
        let d10 = mk("z", 0);
        pair(&d2, {
            pair(&mk("d17", 6), 0)
        })
    }
}

// divergence: an `if let` borrowed in a `let`: its scrutinee's temporaries
// live to the end of the statement.
pub mod if_let_in_a_borrowed_operand_of_a_method {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn if_let_in_a_borrowed_operand_of_a_method(&mut self) -> i64 {
                    let rf32 = &(if let Ok(n9) = {
                        res_of(mk("z", 0).n())
                    } {
                        match mk("m13", (mk("z", 0), pair(&mk("z", 0), val("a12", 0, 0).await)).1) {
                            D { n: n15, .. } => {},
                        }
                        p("z", 0)
                    } else {
                        p("z", 0)
                    });
                    0
                }
            }
        };
    }

    pub mod native {
        use super::*;
        items!();
    }

    pub mod ours {
        use super::*;
        items!(#[explicit_async::explicit_async]);
    }

    pub fn check() {
        crate::common::compare(
            stringify!(if_let_in_a_borrowed_operand_of_a_method),
            || async move {
                let mut s = native::S::new("self", 1);
                s.if_let_in_a_borrowed_operand_of_a_method().await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.if_let_in_a_borrowed_operand_of_a_method().await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut s = native::S::new("self", 1);
                s.if_let_in_a_borrowed_operand_of_a_method().await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.if_let_in_a_borrowed_operand_of_a_method().await
            },
        )
    }

    case_test!();
}

// divergence: an awaiting block in an operand: its tail's temporary lives to
// the end of the statement around it.
twin! {
    compare: ();
    pub async fn awaiting_block_in_an_awaited_operand() -> Option<i64> {
        val("a6", 0, add({
            val("a2", 0, pair(&mk("z", 0), 0)).await
        }, 0)).await;
        None
    }
}

// divergence: the same, the block an argument of a call.
twin! {
    compare: ();
    pub async fn awaiting_block_indexed_in_an_argument() -> (D, i64) {
        log_i({
            [pair(&mk("z", 0), 0), 0, val("a3", 0, vec![0]).await.len() as i64][ix(0)]
        });
        (mk("z", 0), 0)
    }
}

// divergence: the same, the block in a `for` head.
twin! {
    compare: ();
    pub async fn block_in_a_for_head() -> Option<i64> {
        'l1: for i2 in 0..ix(val("a9", 0, {
            vec![mk("z", 0).n(), 0]
        }).await.len() as i64) {}
        None
    }
}

// A pattern argument's statement becomes several: the body's tail
// temporaries are declared after all of them, to drop before the arguments.
twin! {
    compare: (1, p("p", 3), val("argfut6", 1, 5));
    pub async fn tail_temporary_after_a_pattern_argument(n1: i64, P { a: d3, k: n4, .. }: P, a7: impl Future<Output = i64>) -> i64 {
        val("a18", 3, 0).await;
        let t10 = (d3, 1);
        checked(n1).unwrap_or(pair(&mk("d19", n4), 0))
    }
}

// Awaiting blocks in a struct literal's fields: their tails' temporaries
// live to the end of the `let`, and rank as its temporaries (an operand
// evaluated before them, `b: d2`, drops first if the function is dropped).
twin! {
    compare: (mk("arg", 1));
    pub async fn awaiting_blocks_in_struct_fields(d2: D) -> i64 {
        let pp24 = P { b: d2, k: {
            pair(&val("a4", 1, mk("d3", 9)).await, pair(&mk("d5", 8), 4))
        }, a: {
            let mut src9 = Src::new("src8");
            let mut v10 = vec![4];
            log_i(src9.read(&mut v10, 0).await);
            mk("d22", 9)
        } };
        val("a25", 0, pp24.k).await
    }
}

// An `if let` whose scrutinee is a block, in an awaited operand of a
// `let … else`: the block's value lives through the await.
twin! {
    compare: ();
    pub async fn if_let_on_a_block_in_an_awaited_operand() {
        let (d1, 0..=1) = (val("a4", 3, mk("d3", 1)).await, val("a11", 1, if let (d10, 0..=1) = {
            let mut c6: i64 = 0;
            loop {
                c6 += 1;
                if c6 > 1 {
                    break (mk("t7", 2), 2);
                }
            }
        } {
            vec![5]
        } else {
            vec![0]
        }).await.len() as i64) else {
            return;
        };
        let mut d13 = mk("d12", 5);
    }
}

// A tail's construct borrowed (`&(if .. { .. } else { value })`): its value
// is a temporary of the tail, dropped after the body's locals and before
// the arguments, though the arm binds both from its state in one pattern.
twin! {
    compare: (mk("arg", 1), 2);
    pub async fn borrowed_construct_in_a_tail_between_locals_and_arguments(value: D, n4: i64) -> i64 {
        let c7 = mk("local", 0);
        match pair(&(if val("a9", 2, false).await {
            mk("d13", 8)
        } else {
            value
        }), n4) {
            9..=12 => 2,
            n14 => 7,
        }
    }
}

// divergence: a tail receiver made from an await's output, its local a source
// that drops after it (seed 27001).
twin! {
    compare: (mk("arg7", 5));
    pub async fn awaited_output_receiver_in_a_tail_after_a_local(d8: D) -> i64 {
        let mut src10: Src = Src::new("src9");
        val("a13", 0, mk("z", 0)).await.n()
    }
}

// divergence: an awaiting `if let` guard's arm in an operand of the statement: the
// inner statements' temporaries are not the tail's.
twin! {
    compare: ((mk("arg3", 5), 6), mk("arg4", 2));
    pub async fn if_let_guard_arm_inside_a_borrowed_operand((d1, n2): (D, i64), d5: D) -> bool {
        let mut n26 = pair(&d5, match ok(0) {
            Ok(n13) if let Ok(n19) = val("a18", 0, res_of(d1.n)).await => {
                let n21: i64 = pair(&mk("z", 0), val("a20", 0, 0).await);
                mk("t23", val("a22", 0, 0).await).n()
            },
            Ok(n16) => 0,
            Err(s17) => 0,
        });
        false
    }
}

// divergence: an `else if let`'s scrutinee lives to the end of the `else` (a
// temporary scope), not of the statement: dropped at an await inside it, it
// drops before the operands evaluated around the `if`.
twin! {
    compare: (mk("arg1", 6));
    pub async fn else_if_let_scrutinee_ends_with_its_else(d2: D) -> i64 {
        let (d49, n50) = (mk("z", 0), if false {
            0
        } else if let (d25, 0..=5) = (mk("d23", 7), d2.n) {
            0
        } else {
            let mut src28 = Src::new("src27");
            let mut arr29 = [0; 3];
            log_i(src28.read(&mut arr29, 1).await);
            0
        });
        0
    }
}

// divergence: the temporaries of a statement inside a block that is a tail
// are that statement's, not the tail's.
twin! {
    compare: ();
    pub async fn statement_temporary_of_a_block_that_is_a_tail() -> i64 {
        let mut c6: i64 = 0;
        while (c6 < 3) && !false {
            c6 += 1;
            {
                let arr11 = [0, 0, val("a10", 0, twice(&mut (0, mk("z", 0)).0)).await];
                let (d23, n24) = (mk("z", 0), 0);
            }
        }
        0
    }
}

// A body's tail borrowing a constant (`&["hi"]`) is promoted to a `'static`,
// not a temporary to defer (rustc's `return-ty-unsize-coercion.rs`).
twin! {
    compare: ();
    pub async fn tail_borrowing_a_promoted_constant() -> &'static [&'static str] {
        &["hi"]
    }
}

// divergence: an `if` whose other branch (or condition) awaits, as an
// operand: its branch's braces are yours, so its tail's temporary drops
// after the branch's locals (seeds 38001 and 40001).
twin! {
    compare: ();
    pub async fn branch_of_an_awaiting_if_in_an_operand() -> i64 {
        let n20 = (if None.or(Some(0)).is_some() {
            let d8 = mk("z", 0);
            None.or(Some(pair(&mk("d13", 1), 0)))
        } else {
            val("a14", 0, None).await
        })
        .unwrap_or(0);
        n20
    }
}

twin! {
    compare: ();
    pub async fn branch_of_an_if_with_an_awaiting_condition_in_an_operand() -> i64 {
        let fut33 = val("f32", 0, if (val("a15", 0, vec![0]).await.len() as i64) != 0 {
            let n16 = &p("z", 0);
            mk("z", 0).n()
        } else {
            0
        });
        fut33.await
    }
}

// divergence: a block's tail `match` whose scrutinee awaits, after the
// await: the braces around it are yours, so the scrutinee's temporaries
// drop after the block's locals (seed 42001).
twin! {
    compare: (8i64);
    pub async fn awaiting_scrutinee_of_a_tail_match<T0: Probe + Debug>(x3: T0) -> (D, i64) {
        {
            let pp15: P = p("z", 0);
            match (val("a16", 0, mk("z", 0)).await, 0) {
                _ => {},
            }
        }
        (mk("z", 0), 0)
    }
}

// divergence: an `if let` ending a loop's body, its scrutinee borrowing an
// await's output: the two are temporaries of one statement, dropped newest
// first (the braces of the body stay the expansion's where it opens them
// among its own statements) (seed 44001).
twin! {
    compare: ();
    pub async fn if_let_tail_of_a_loop_body_borrowing_an_await_output() -> Option<i64> {
        let mut c1: i64 = 0;
        while let Some(k2) = step(&mut c1, 3) {
            if let (d6, 0..=1) = (mk("d5", pair(&val("a4", 0, mk("z", 0)).await, 0)), 8) {}
        }
        None
    }
}

// build defect (E0382): an `async` block that reads a local inside a macro's
// tokens (`write!(.., a.n())`), a local that is not `mut`, borrows it (seed
// 46001).
twin! {
    compare: (Some(9), mk("arg2", 4));
    pub async fn async_block_reading_a_local_in_a_macro(o1: Option<i64>, d3: D) -> i64 {
        let s7: String = format!("{}:{}", pair(&d3, 0), val("a6", 0, 0).await);
        let mut c11: i64 = 0;
        'l10: loop {
            c11 += 1;
            if c11 > 1 {
                break;
            }
            {
                let P { a, .. } = p("z", 0);
                let a: Result<i64, String> = ok(match o1 {
                    Some(n51) if false => val("a55", 0, 0).await,
                    Some(n52) => {
                        let fut63 = async {
                            if d3.n <= 0 {
                                let mut s59 = String::new();
                                write!(s59, "{}", match mk("m60", a.n()) {
                                    D { n: n62, .. } => 0,
                                }).unwrap();
                            }
                            0
                        };
                        0
                    },
                    None => 0,
                });
            }
        }
        0
    }
}

// build defect (E0381): an `if let` guard's temporary (`ok(0)` matched by
// `Err(s25)`) that the guard moves out of is a plain local of the guard's
// code, not carried to the arm's end (seed 46001; `Err(..)` is no part of
// `ok(..)`).
twin! {
    compare: (mk("gen4", 9));
    pub async fn guard_temporary_moved_by_another_constructor<T0: Probe + Debug>(x5: T0) {
        let mut c8: i64 = 0;
        while c8 < 2 {
            c8 += 1;
            let rf7 = val("f30", 0, match mk("z", 0) {
                D { n: n13, .. } if match match mk("z", 0) {
                    D { n: n19, .. } if false => Ok(0),
                    D { n: n20, .. } if let Ok(n26) = match ok(0) {
                        Ok(n24) => Ok(0),
                        Err(s25) => ok(7),
                    } => Ok(0),
                    D { n: n21, .. } if val("a27", 0, false).await => Ok(0),
                    D { n: n22, .. } => ok(6),
                } {
                    _ => false,
                } => 0,
                D { n: n15, .. } => 0,
            });
        }
    }
}

// internal error (a panic): a plain block's tail temporaries in an operand,
// with a nested block's (seed 46001).
twin! {
    compare: (p("arg3", 3));
    pub async fn nested_operand_blocks_tail_temporaries(P { a: d1, k: n2, .. }: P) {
        let n24 = pair(&d1, {
            {
                let mut n2 = later("later15", 0, || {
                    0
                }).await;
                {
                    {
                        match (d1.n, 0) {
                            (n20, n21) => {},
                        }
                    }
                }
            }
            0
        });
    }
}

// divergence (seed 53001): an awaiting `if let` as a block's tail: the
// temporaries left in its scrutinee (`P { .. }`) drop before the await's
// output (made first), with it after the block's locals.
twin! {
    compare: ();
    pub async fn awaiting_if_let_tail_scrutinee_temporaries() -> i64 {
        {
            if let Ok(n) = res_of(P { k: val("a1", 0, mk("y", 0)).await.n(), b: mk("z", 0), a: mk("d1", 9) }.k) {} else {}
        }
        0
    }
}

// The same as a loop's body.
twin! {
    compare: ();
    pub async fn awaiting_if_let_tail_of_a_loop_body() -> String {
        let mut c: i64 = 0;
        'l: while let Some(k) = step(&mut c, 2) {
            let mut n: i64 = {
                let pp = p("p1", k);
                0
            };
            if let Ok(n2) = (res_of(ok(8).unwrap_or(P { k: val("a1", 0, mk("z", 0)).await.n(), b: mk("z", 0), a: mk("d1", 9) }.k))) {} else {}
        }
        String::new()
    }
}

// build defect (moka's `Inner::handle_upsert(.., gen: u16, ..)`, a Rust 2021
// crate: "expected identifier, found reserved keyword `gen`"): a name the
// machine writes with its own span is read in the macro crate's edition
// (2024), where `gen` is reserved; and a raw name (`r#async`) made the macro
// panic. Such names are written raw.
twin! {
    compare: (3, 4);
    pub async fn names_that_are_keywords_in_another_edition(gen: u16, k: i64) -> i64 {
        let n = val("v", 1, k).await;
        let r#async = mk("async", k);
        let m = peek("p", &r#async, 1).await;
        let r#try = 2;
        tick("t", 1).await;
        n + m + i64::from(gen) + r#try + r#async.n() + format!("{gen}").len() as i64
    }
}

#[path = "differential/fifty_eighth_run.rs"]
mod fifty_eighth_run;

#[path = "differential/eighty_sixth_run.rs"]
mod eighty_sixth_run;

/// A guard's methods under names the transform does not know.
pub trait Guard {
    fn look_at(&self) -> i64;
    fn ready_up(self) -> i64;
}

impl Guard for D {
    fn look_at(&self) -> i64 {
        self.n + 10
    }

    fn ready_up(self) -> i64 {
        self.n
    }
}

// A slot released after the last await (moved into the arm's local) and the
// function's tail's temporary: before Rust 2024 the temporary drops after
// the body's locals, the released one among them.
twin! {
    compare: ();
    pub async fn released_slot_and_the_tail_temporary() -> i64 {
        let a = mk("a", 0);
        let guard = mk("guard", 1);
        peek("p", &guard, 1).await;
        let c = mk("c", 2);
        guard.look_at() + pair(&mk("t", 5), 1) + c.n + a.n
    }
}

twin! {
    compare: ();
    pub async fn released_slot_consumed_beside_the_tail_temporary() -> i64 {
        let a = mk("a", 0);
        let guard = mk("guard", 1);
        peek("p", &guard, 1).await;
        pair(&mk("t", 5), 1) + guard.ready_up() + a.n
    }
}

/// A statement borrowing its text, as tokio-postgres's `ToStatementType<'_>`,
/// written once plainly and once under `#[explicit_async]`.
macro_rules! statement_impls {
    ($($attr:tt)*) => {
        pub struct Statement<'a>(pub &'a str);

        impl Statement<'_> {
            $($attr)*
            pub async fn into_len(self, extra: &i64) -> i64 {
                let n = val("len", 1, *extra).await;
                n + self.0.len() as i64
            }
        }
    };
}

mod native_statement {
    use super::*;
    statement_impls!();
}

mod ours_statement {
    use super::*;
    statement_impls!(#[explicit_async::explicit_async]);
}

// A method whose future keeps `self`, of a type with its impl's anonymous
// lifetime (`impl Statement<'_>`), as tokio-postgres's
// `ToStatementType::into_statement`. Before Rust 2024 an `impl Future`
// captures only the lifetimes its bounds name, and this one has no name:
// the machine's future must still be accepted, as rustc's is.
#[test]
fn method_capturing_an_anonymous_lifetime_of_its_impl() {
    let extra = 2;
    common::compare(
        "into_len",
        || native_statement::Statement("abc").into_len(&extra),
        || ours_statement::Statement("abc").into_len(&extra),
    );
}
