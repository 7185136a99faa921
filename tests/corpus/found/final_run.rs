//! Finds of the 10,000-function run (seed 1001) that were internal errors
//! of the transform, as the fuzzer generated them (not minimized); now fixed.
use super::prelude::*;

// no code: #[explicit_async] failed on this function (an internal error):
// `break 'l4 ok(3)?;` in a plain loop became `break 'l4 ::path!(..)`, which
// parses as a label.
twin! {
    compare: (3);
    pub async fn question_mark_in_a_labelled_break(mut n1: i64) -> Result<i64, String> {
        {
            ()
        }
        let mut c2: i64 = 0;
        while c2 < 1 {
            c2 += 1;
            if is_even(val("a3", 0, 0).await) {
                continue;
            }
            if val("a7", 0, is_even({
                let mut c5: i64 = 0;
                'l4: loop {
                    c5 += 1;
                    if c5 > 2 {
                        break 'l4 ok(3)?;
                    }
                    let arr6 = [9, 6, c2];
                }
            })).await {
                if ([(if true {
                    let mut n1: D = mk("d8", 8);
                    let mut n1: bool = false;
                    let n9 = 4;
                    mk("d10", 9)
                } else {
                    mk("d11", 5)
                }, pair(&mk("d12", 9), 0)).1, P { k: 3, b: val("a14", 0, mk("d13", 3)).await, a: mk("d15", 2) }.k, c2][ix({
                    let mut c16: i64 = 0;
                    loop {
                        c16 += 1;
                        if c16 > 2 {
                            break -6;
                        }
                        if c16 != 8 {
                            continue;
                        }
                    }
                })] <= c2) {
                    return ok(5);
                }
            } else {}
        }
        let fut18 = val("f17", 0, n1);
        let mut d20 = mk("d19", 9);
        let arr21 = [8, 9, 10];
        ok(4)
    }
}

// no code: expected pattern, found `*`. `let o2: i64 = n1;` inside a
// `matches!` inside an `async` block (opaque tokens): the binding was
// rewritten as the argument `o2` it shadows.
twin! {
    compare: (2, Some(1));
    pub async fn let_shadowing_an_argument_inside_opaque_macro_tokens(n1: i64, o2: Option<i64>) -> i64 {
        let pf20 = pin!(async {
            let mut src4 = Src::new("src3");
            let mut v5 = vec![1];
            log_i(src4.read(&mut v5, 1).await);
            src4.read(&mut v5, 0).await;
            match mk("t6", 2).with(val("a8", 1, mk("d7", 6)).await.n()).consume() {
                7..=10 if matches!(v5[ix(pair(&({
                    let o2: i64 = n1;
                    val("a11", 0, 3).await;
                    mk("d12", 6)
                }), mk("t13", 6).with(7).consume())) % v5.len()], 1..=3 | 7) => {
                    v5 = v5;
                    let [_, mut n18, _] = [pair(&val("a15", 1, mk("d14", 5)).await.with(vec![3, 4][1]), -n1), n1, pair(&mk("d16", 6).with(7), n1)];
                },
                n9 if false => {},
                n10 => {},
            }
            n1
        });
        val("a21", 1, n1).await;
        n1
    }
}

// build-defect: E0716: temporary value dropped while borrowed. `let pf15 =
// pin!(async move { .. .await .. })` inside an `assert!` that awaits: the
// `pin!` was opened as an expression macro (its block's own await), so it
// was not pinned in place.
twin! {
    compare: ();
    pub async fn pin_of_an_awaiting_block_inside_an_opened_assert() -> D {
        assert!((if (4 <= P { k: ok(2).unwrap_or(6), b: val("a2", 1, mk("d1", 1)).await, a: mk("d3", 6).with(0) }.k) {
            {
                let fut10 = val("f9", 2, format!("{}-{}", Some(1).unwrap_or({
                    let d5 = mk("d4", 7);
                    let b6 = true;
                    let mut n7 = 7;
                    n7
                }), 4 - mk("t8", 4).n()).len() as i64);
                let pf15 = pin!(async move {
                    mk("t14", [val("a11", 3, 2).await, if let Some(n12) = Some(5) {
                        n12
                    } else {
                        7
                    }, fut10.await][ix((4, mk("d13", 5)).0)]).consume()
                });
                let pp26: P = P { b: ({
                    let mut c16: i64 = 0;
                    loop {
                        c16 += 1;
                        if c16 > 2 {
                            break mk("d17", 2);
                        }
                        let mut fut10: Vec<D> = vec![mk("v18", 3)];
                    }
                }).with(vec![3, 4].len() as i64), k: twice(&mut (0 + 3)), a: val("a25", 1, if let Some(n19) = Some(8) {
                    let n20: i64 = n19;
                    log_i(n20);
                    let mut pp22: P = p("p21", 8);
                    pp22.b
                } else {
                    let mut n23: i64 = 2;
                    mk("d24", 4)
                }).await };
            }
            let s33 = format!("{}:{}", mk("t27", vec![2, 3][1]).with(4).consume(), {
                let mut c29: i64 = 0;
                'l28: loop {
                    c29 += 1;
                    if c29 > 2 {
                        break 'l28 (3 + 0);
                    }
                    let _ = [c29, 7, 1];
                    let pp32 = val("a31", 2, p("p30", 9)).await;
                    if 6 <= 2 {
                        continue;
                    }
                }
            });
            let s33 = || {
                [mk("t34", vec![3, 3].len() as i64).consume(), add_refs(&3, &1), 4][ix(7)]
            };
            1
        } else {
            3
        }) > (-1000), "small: {}", 6);
        let n35 = 1;
        let o36: Option<i64> = Some(2);
        let fut38 = val("f37", 0, n35);
        let [n39, ..] = [8, 9, 10];
        mk("d42", 7)
    }
}

// build-defect: E0507: cannot move out of a raw pointer. An `FnOnce` called
// inside `matches!` (opaque tokens), the callee kept in a slot.
twin! {
    compare: ({ let d = mk("cap", 5); move || d.consume() }, 4);
    pub async fn fn_once_called_inside_matches(c2: impl FnOnce() -> i64, n6: i64) -> Option<i64> {
        let r = &n6;
        let n12 = peek("p", r, 1).await;
        if matches!(if is_even(c2()) { n12 } else { n6 }, 1..=3 | 7) {
            return Some(3);
        }
        Some(n12)
    }
}

// divergence: log: native drop, ours mk
// Found as function 629 of the run; minimized by explicit-async-fuzz.
// after "drop f13": native "drop self 1", ours "mk z"
pub mod field_of_self_moved_into_an_async_move_block {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn field_of_self_moved_into_an_async_move_block(self, fut2: impl Future<Output = i64>) -> i64 {
                    let mut s15 = format!("{}:{}", if false {
                        0
                    } else {
                        (async move {
                            let fut14 = val("f13", 0, fut2.await);
                            pair(&self.d, 0)
                        }).await;
                        0
                    }, 0);
                    let d17 = mk("z", 0);
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
            stringify!(field_of_self_moved_into_an_async_move_block),
            || {
                native::S::new("self", 1)
                    .field_of_self_moved_into_an_async_move_block(val("argfut1", 2, 6i64))
            },
            || {
                ours::S::new("self", 1)
                    .field_of_self_moved_into_an_async_move_block(val("argfut1", 2, 6i64))
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || {
                native::S::new("self", 1)
                    .field_of_self_moved_into_an_async_move_block(val("argfut1", 2, 6i64))
            },
            || {
                ours::S::new("self", 1)
                    .field_of_self_moved_into_an_async_move_block(val("argfut1", 2, 6i64))
            },
        )
    }

    case_test!();
}
