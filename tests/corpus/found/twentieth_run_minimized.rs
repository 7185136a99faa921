//! The finds of seeds 83001 and after (and the known classes of earlier
//! seeds fixed in the session after them), minimized by the fuzzer.

use super::prelude::*;

// build defect (E0382, seed 70001): `let P { a, .. } = p;` in a block
// inside an awaited operand moves the field `a` and leaves the rest of `p`
// in place. Only a statement of the body was written as field moves
// (`let a = p.a;`); in a nested block it was taken as a read, so the state
// stored the partly moved `p`.
twin! {
    compare: ();
    pub async fn partial_destructure_in_a_block_of_an_awaited_operand() -> i64 {
        let pp17: P = p("z", 0);
        let n = val("a24", 0, format!("{}:{}", {
            let P { a: d20, .. } = pp17;
            d20.n()
        }, 0)).await;
        pp17.k + n.len() as i64
    }
}

// The same inside a plain block statement and a closure (called after the
// last await), with the fields left in place read after the awaits.
twin! {
    compare: (p("arg", 3));
    pub async fn partial_destructures_in_a_block_and_a_closure_keep_the_rest(q: P) -> i64 {
        let pp: P = p("pp", 1);
        {
            let P { b: taken, k, .. } = pp;
            log_d(taken);
            log_i(k);
        }
        let f = move || {
            let P { a: first, .. } = q;
            first.consume()
        };
        let n = val("a", 1, 2).await;
        tick("t", 1).await;
        n + pp.a.n() + pp.k + f()
    }
}

// build defect (E0596, seed 81001): an `async` block made `move` (it uses
// `d`, a slot local) borrows the plain locals it used natively; the
// receiver of `as_mut_slice` was taken to be borrowed shared, by the
// method's `as_` prefix.
twin! {
    compare: ();
    pub async fn async_block_calling_as_mut_slice_on_a_plain_local() -> i64 {
        let d = mk("d", 2);
        let n = peek("p", &d, 1).await;
        let mut v20 = val("a19", 0, vec![n]).await;
        {
            let _unpolled = pin!(async {
                let fut42 = val("f41", 0, mk("t39", d.n()).n());
                inc("inc43", &mut v20.as_mut_slice()[0], 0).await + fut42.await
            });
        }
        tick("t", 1).await;
        d.n() + v20[0]
    }
}

// build defect (E0596, seed 82001): a `ref` binding (a shared reference)
// read through by a method in an `async` block made `move` (it uses `d`, a
// slot local) was captured as `&mut *d7`.
twin! {
    compare: ();
    pub async fn ref_binding_read_by_a_method_in_an_async_block_made_move() -> i64 {
        let P { b: ref d7, k: n8, .. } = p("z", 0);
        let d = mk("d", 2);
        let n18 = peek("p", &d, 1).await;
        {
            let _unpolled = pin!(async {
                let n22: i64 = (*d7).n();
                let (n31, d32) = (n8 + d.n(), mk("y", 0));
                n22 + n31 + d32.n()
            });
        }
        tick("t", 1).await;
        n18 + d7.n + d.n()
    }
}

// build defect (E0382, seed 82001): a `move` closure consuming `d2`, bound
// by a tuple pattern whose type is written on the whole pattern. Only a
// binding written `x: T` had a type, so the closure was not seen to be
// `FnOnce` and was kept across the await after its call.
twin! {
    compare: ((mk("arg4", 3), 4));
    pub async fn fn_once_closure_over_a_binding_of_a_typed_tuple_pattern((d2, n3): (D, i64)) -> i64 {
        let c47 = move |k8: i64| {
            mk("z", k8).with(res_of(d2.consume()).unwrap_or(n3)).consume()
        };
        pair(&mk("z", 0), val("a53", 0, c47(0)).await)
    }
}

// The same with the type written on a `let`'s tuple pattern.
twin! {
    compare: ();
    pub async fn fn_once_closure_over_a_binding_of_a_typed_let_pattern() -> i64 {
        let (d2, n3): (D, i64) = (mk("d", 1), 2);
        let c47 = move |k8: i64| d2.with(k8 + n3).consume();
        let n = val("a", 1, c47(3)).await;
        tick("t", 1).await;
        n
    }
}

// build defect (E0425, seed 85001): a temporary of an awaiting guard's
// `let` chain (`err(0)`, the scrutinee of a `match` that is itself
// matched on) is moved out by that inner `match`. Whether a temporary is
// moved was asked of the guard's scrutinee only, not of the temporaries
// named after it, so a moved one was carried to the arm's end.
twin! {
    compare: ();
    pub async fn guard_temporary_moved_by_a_nested_match_of_the_chain() -> i64 {
        match (mk("z", 0), 0) {
            (ref d14, 0..=2) if (false || val("a17", 0, true).await) && let Some(n25) = Some(match match err(d14.n) {
                Ok(n19) => ok(n19),
                Err(s20) => res_of(s20.len() as i64),
            } {
                Ok(n21) if false => n21,
                _ => 4,
            }) && n25 > 1 => n25 + d14.n,
            _ => 0,
        }
    }
}

// build defect (E0382, seed 86001): a `move` closure moving the argument
// it shadows (`d2`) into a struct literal is `FnOnce`; only calls, tuples,
// arrays and `let`s were looked at, so it was kept across the await
// after its call.
twin! {
    compare: (mk("arg1", 9));
    pub async fn fn_once_closure_moving_a_capture_into_a_struct_literal(d2: D) -> i64 {
        let d2 = move || {
            [0, mk("t7", P { k: 0, b: d2, a: mk("z", 0) }.k).consume(), 0][0usize]
        };
        let d2: Vec<i64> = vec![format!("{}-{}", {
            let (n14, d15) = (d2(), mk("z", 0));
            n14 + d15.n()
        }, pair(&val("a19", 0, mk("z", 0)).await, 0)).len() as i64, 0];
        d2[0]
    }
}

// build defect (E0382, seed 88001): a `move` closure moving a capture as
// a block's value (`({ d2 }).with(0)`) is `FnOnce`.
twin! {
    compare: (mk("arg1", 1), p("arg2", 2));
    pub async fn fn_once_closure_moving_a_capture_as_a_blocks_value(d2: D, P { a: d3, k: n4, .. }: P) -> Option<i64> {
        let n4 = move || {
            None.unwrap_or(pair(&({
                d2
            }).with(0), n4))
        };
        val("a19", 0, n4()).await;
        Some(d3.n)
    }
}

// build defect (E0382, seed 88001): a `move` closure consuming `self`,
// taken by value, is `FnOnce`.
method_twin! {
    compare: |s| s.fn_once_closure_consuming_self();
    pub async fn fn_once_closure_consuming_self(self) -> i64 {
        let c43 = move || {
            {
                let [n13, ..] = [0, self.finish(), 0];
                n13
            }
        };
        let mut s44 = String::new();
        write!(s44, "{}", mk("t47", add(val("a45", 0, vec![0, c43()]).await.len() as i64, 0)).with(0).consume()).unwrap();
        s44.len() as i64
    }
}

// build defect (E0596, seed 88001): `write!(s7, ..)` in an `async` block
// made `move` (it uses `self`, a slot) borrows `s7` mutably; it was
// captured as `&s7`.
pub mod async_block_writing_with_the_write_macro {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {
            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn async_block_writing_with_the_write_macro(&mut self) -> i64 {
                    let mut s7 = String::new();
                    write!(s7, "{}", val("a9", 0, (std::mem::replace(&mut self.d, mk("z", 0)), 0).1).await).unwrap();
                    let mut c14: i64 = 0;
                    while let Some(k15) = step(&mut c14, 2) {
                        let fut18 = async {
                            write!(s7, "{}", k15).unwrap();
                            self.k
                        };
                    }
                    s7.len() as i64
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
            stringify!(async_block_writing_with_the_write_macro),
            || async move {
                let mut s = native::S::new("self", 1);
                s.async_block_writing_with_the_write_macro().await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.async_block_writing_with_the_write_macro().await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut s = native::S::new("self", 1);
                s.async_block_writing_with_the_write_macro().await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.async_block_writing_with_the_write_macro().await
            },
        )
    }

    case_test!();
}

// divergence (seed 81001): an `async move` block never polled drops its
// captures in rustc's order, by root variable: `self.k` and `self.d` (the
// root `self` is named first), then `d6`. The fields taken out of the
// `self` slot were two locals, and `d6`, named between them, dropped
// before `self.d`. Two fields of one local are one tuple now.
method_twin! {
    compare: |s| s.fields_of_one_local_captured_around_another_capture(p("arg8", 9));
    pub async fn fields_of_one_local_captured_around_another_capture(self, P { a: d6, k: n7, .. }: P) -> Result<i64, String> {
        let fut18 = async move {
            let mut n7: Vec<D> = vec![mk("d9", self.k)];
            add(({
                let (n14, d15) = (0, d6);
                ok(5)
            }).unwrap_or(0), None.unwrap_or(pair(&self.d, 0)))
        };
        res_of(if val("a21", 0, mk("z", 0)).await.n() == 0 {
            n7
        } else {
            0
        })
    }
}

// build defect (E0382, seed 79001): an `async` block made `move` (it uses
// `n1`, a slot) reads `pp8.k` after `pp8.a` was moved. rustc's block
// borrows only the field it names; the whole local was borrowed.
twin! {
    compare: (7);
    pub async fn async_block_made_move_reading_a_field_left_by_a_move(n1: i64) -> i64 {
        let pp8: P = p("p7", peek("peek4", &n1, 0).await);
        match pp8.a.consume() {
            7 | 9 => {
                let fut25 = async {
                    let mut c10: i64 = 0;
                    while (c10 < 2) && (0 != pp8.k) {
                        c10 += 1;
                    }
                    n1 + c10
                };
                fut25.await
            },
            n9 => n9,
        }
    }
}

// The same with the local bound in code the transform leaves as written
// (an awaited operand's block), and a field written.
twin! {
    compare: (7);
    pub async fn untracked_local_with_a_field_moved_then_borrowed_by_a_block(n1: i64) -> i64 {
        let r = peek("r", &n1, 0).await;
        val("v", 1, {
            let mut pp8: P = p("p7", r);
            log_d(pp8.a);
            let fut25 = async {
                pp8.k += n1;
                pp8.b.n() + pp8.k
            };
            let _ = pin!(fut25);
            pp8.k
        }).await
    }
}

// build defect (E0597, the fuzzer's grammar for pools and locks, seed 7):
// a non-`move` closure around `async move { n1 }` borrows `n1` (a `Copy`
// argument) and the block copies it out; the use was taken as the outer
// closure's too, by value, so `n1` was not kept for the awaited future.
twin! {
    compare: (5);
    pub async fn closure_around_an_async_move_block_borrows_a_copy_local(n1: i64) -> i64 {
        let m = run(|| async move { n1 + 1 }).await;
        tick("t", 1).await;
        m + n1
    }
}

// build defect (E0716, the same grammar, seed 7): as above, with the block
// writing its own copy of `n1`; the function's `n1` is unchanged.
twin! {
    compare: (5);
    pub async fn closure_around_an_async_move_block_writing_its_copy(mut n1: i64) -> i64 {
        let z2: i64;
        {
            z2 = run(|| async move {
                n1 = 0;
                n1 + 2
            }).await;
        }
        z2 + n1
    }
}

// build defect (E0382, seeds 97001 and 105001): a `break` out of a loop
// that awaits carries a value naming a released local (`c1`, an `impl Fn`
// argument in a slot beside the await's output); the local went back to
// its slot before the value was evaluated. It is evaluated first now.
twin! {
    compare: (3, |x: i64| x * 2 + 3);
    pub async fn break_value_naming_a_released_local(k: i64, c1: impl Fn(i64) -> i64) -> Option<i64> {
        match val("g", 1, k).await {
            n7 if ({
                let mut c9: i64 = 0;
                loop {
                    c9 += 1;
                    if c9 > 3 {
                        break (mk("t10", n7).n() < 5);
                    }
                    let Ok(n11) = res_of(val("a12", 0, c9).await) else {
                        break (twice(&mut c1(0)) <= 4);
                    };
                }
            }) || false => Some(n7),
            n8 => None,
        }
    }
}
