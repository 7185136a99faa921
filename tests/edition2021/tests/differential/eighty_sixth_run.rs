//! The Rust 2021 finds of seeds 82001 to 96001, minimized by the fuzzer.

use super::*;

// build defect (E0614, seed 86001): a slot local's value is bound first to
// `c3_value` (`let c3 = frame.c3.init(c3_value)`), the name the temporary
// of `&mut c3()` also had: the temporary's slot pointer was shadowed by
// the closure, and dereferenced. (Before Rust 2024 the tail's temporary is
// a slot.)
twin! {
    compare: (mk("gen1", 8));
    pub async fn temporary_named_like_a_slot_locals_value<T0: Probe + Debug>(x2: T0) -> i64 {
        let c3 = || 2;
        add(mk("t5", vec![twice(&mut c3()), later("later4", 0, || {
            log_i(c3());
            probe(&x2)
        }).await].len() as i64).consume(), 0)
    }
}

// divergence (seed 90001): an arm selected by an awaiting guard binds what
// the guard bound (`d10`) in a block around the arm's value; before Rust
// 2024 that block's tail temporaries (the `z` of `.await.n()`) dropped
// after `d10`, where rustc drops them at the arm's end, before it.
method_twin! {
    compare: |s| s.guard_binding_dropped_after_the_arms_temporaries();
    pub async fn guard_binding_dropped_after_the_arms_temporaries(mut self) -> (D, i64) {
        let mut n13 = vec![match (mk("z", 0), 0) {
            (ref d5, 0..=5) if let (d10, 0..=7) = val("a9", 0, (mk("t8", 5), 5)).await => val("a12", 0, mk("z", 0)).await.n(),
            (d7, n6) => 0,
        }, 0].len() as i64;
        (mk("z", 0), n13)
    }
}

// divergence (seed 82001): before Rust 2024 the tail temporaries of a block
// that is the body's tail (`t11`) drop after the body's locals (`z3`); they
// were deferred to the inner block's start only, and dropped before `z3`.
method_twin! {
    compare: |s| s.tail_temporary_of_an_awaiting_block_that_is_the_bodys_tail();
    pub async fn tail_temporary_of_an_awaiting_block_that_is_the_bodys_tail(self) -> i64 {
        let mut z3: D;
        z3 = mk("z", 0);
        {
            peek("peek8", &self.d, 0).await;
            Some(mk("t11", 0).n()).unwrap_or(z3.n)
        }
    }
}

// build defect (E0700, seed 96001): a pinned `async` block borrowing two
// arguments (`self`, `rm7`), kept across an await: the pinned reference
// names the shorter of their lifetimes, which no parameter names, and a
// Rust 2021 `impl Future` may only capture the ones it lists. The
// function gets `'machine`, as one whose awaited future borrows two.
pub mod pinned_block_borrowing_two_arguments {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn pinned_block_borrowing_two_arguments<'a, T0: Probe + Debug, T2: Probe + Debug>(&mut self, rf2: &'a T0, x6: T2, rm7: &mut i64) -> Option<i64> {
                    let pf14 = pin!(async {
                        let rf8 = &self.d;
                        let n9: i64 = twice(&mut *rm7);
                        0
                    });
                    val("a15", 0, None).await.or(None).or(None).or(None)
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
            stringify!(pinned_block_borrowing_two_arguments),
            || async move {
                let mut a0 = mk("gen1", 4);
                let mut a2 = 7;
                let mut s = native::S::new("self", 1);
                s.pinned_block_borrowing_two_arguments(&a0, mk("gen5", 5), &mut a2)
                    .await
            },
            || async move {
                let mut a0 = mk("gen1", 4);
                let mut a2 = 7;
                let mut s = ours::S::new("self", 1);
                s.pinned_block_borrowing_two_arguments(&a0, mk("gen5", 5), &mut a2)
                    .await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut a0 = mk("gen1", 4);
                let mut a2 = 7;
                let mut s = native::S::new("self", 1);
                s.pinned_block_borrowing_two_arguments(&a0, mk("gen5", 5), &mut a2)
                    .await
            },
            || async move {
                let mut a0 = mk("gen1", 4);
                let mut a2 = 7;
                let mut s = ours::S::new("self", 1);
                s.pinned_block_borrowing_two_arguments(&a0, mk("gen5", 5), &mut a2)
                    .await
            },
        )
    }

    case_test!();
}
