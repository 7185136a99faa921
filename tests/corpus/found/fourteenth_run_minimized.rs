//! The fourteenth run's finds (seed 18001, 2,000 functions) as the
//! fuzzer minimized them, each with what it showed; now fixed. Not here
//! yet: an `.await` in an assertion's message whose `if` branch keeps a
//! `ref` binding in a slot past the temporary it borrows (E0716).
use super::prelude::*;

// divergence: log: native drop, ours drop
// Found as function 525 of the run; minimized by explicit-async-fuzz.
// after "drop z 0": native "drop z 0", ours "drop z 1"
pub mod if_let_guard_with_an_awaiting_scrutinee_and_a_temporary {
    use super::*;

    macro_rules! items {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn if_let_guard_with_an_awaiting_scrutinee_and_a_temporary(&mut self) -> bool {
                    match 0 {
                        n7 if let (d16, 0..=7) = (mk("z", 0).with(val("a12", 0, p("z", 0).k).await), 0) => {},
                        n8 => {},
                    }
                    false
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
            stringify!(if_let_guard_with_an_awaiting_scrutinee_and_a_temporary),
            || async move {
                let mut s = native::S::new("self", 1);
                s.if_let_guard_with_an_awaiting_scrutinee_and_a_temporary()
                    .await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.if_let_guard_with_an_awaiting_scrutinee_and_a_temporary()
                    .await
            },
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || async move {
                let mut s = native::S::new("self", 1);
                s.if_let_guard_with_an_awaiting_scrutinee_and_a_temporary()
                    .await
            },
            || async move {
                let mut s = ours::S::new("self", 1);
                s.if_let_guard_with_an_awaiting_scrutinee_and_a_temporary()
                    .await
            },
        )
    }

    case_test!();
}

// divergence: drop-after-k: native drop, ours drop
// Found as function 1744 of the run; minimized by explicit-async-fuzz.
// k=1: after "drop later6": native "drop d3 2", ours "drop z 0"
twin! {
    compare: ();
    pub async fn if_condition_temporaries_drop_before_the_fields_around_it() -> i64 {
        let n9 = P { b: mk("z", 0), a: if pair(&mk("d3", 2), 0) > later("later6", 1, || {
            0
        }).await {
            mk("z", 0)
        } else {
            mk("z", 0)
        }, k: 0 }.k;
        0
    }
}

// divergence: log: native mk, ours drop
// Found as function 208 of the run; minimized by explicit-async-fuzz.
// after "mk z": native "mk z", ours "drop z 0"
twin! {
    compare: ();
    pub async fn if_let_guard_after_an_awaiting_guard_keeps_its_temporary() -> i64 {
        for _ in 0..1 {
            let d32 = match checked(0) {
                Some(1) if val("a22", 0, 0).await >= 0 => mk("z", 0),
                Some(n10) if let Ok(n26) = (res_of(P { k: 1, b: mk("z", 0), a: mk("z", 0) }.k)) => mk("z", 0),
                Some(n11) => mk("z", 0),
                None => mk("z", 0),
            };
        }
        0
    }
}

// divergence: log: native new, ours drop
// Found as function 1009 of the run; minimized by explicit-async-fuzz.
// after "drop a32": native "new peek34 of 0", ours "drop z 0"
twin! {
    compare: ();
    pub async fn awaiting_if_let_guard_on_an_arm_with_a_ref_binding() -> Option<i64> {
        let z13;
        {
            z13 = mk("z", 0);
        }
        let (n51, d52) = (0, match (mk("z", 0), 0) {
            (ref d26, 0..=4) if let Some(n33) = val("a32", 0, None.or(Some((0, mk("z", 0)).0))).await => mk("d35", peek("peek34", &n33, 0).await),
            (d30, n29) => mk("z", 0),
        });
        None
    }
}

// divergence: log: native ready, ours drop
// Found as function 1798 of the run; minimized by explicit-async-fuzz.
// after "new a29": native "ready a29", ours "drop z 0"
twin! {
    compare: (9i64);
    pub async fn if_let_guard_temporary_across_an_awaiting_if_let_in_its_arm<T0: Probe + Debug>(x5: T0) -> i64 {
        let z6;
        {
            z6 = match ok(0) {
                Ok(n18) if let Some(n24) = Some(pair(&mk("z", 0), 0)) => if let Some(mut n34) = val("a29", 0, Some(3)).await {
                    mk("z", 0)
                } else {
                    mk("z", 0)
                },
                Ok(n21) => mk("z", 0),
                Err(s22) => mk("z", 0),
            };
        }
        0
    }
}
