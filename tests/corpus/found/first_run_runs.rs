//! The first run's divergences (seed 7, 400 functions): each as the fuzzer
//! minimized it, with rustc's error or the divergence it showed, now fixed.
use super::prelude::*;
// divergence: log: native ready, ours drop
// Found as function 27 of the run; minimized by explicit-async-fuzz.
// after "new a10": native "ready a10", ours "drop z 0"
twin! {
    compare: (mk("gen2", 2));
    pub async fn field_of_temporary_tuple_in_operand<T0: Probe + Debug>(x3: T0) -> bool {
        let n11: i64 = add(0, val("a10", 0, add(0, (0, mk("z", 0)).0)).await);
        false
    }
}

// divergence: log: native drop, ours drop
// Found as function 8 of the run; minimized by explicit-async-fuzz.
// after "new argfut6": native "drop argfut6", ours "drop arg5 5"
twin! {
    compare: (p("arg5", 5), val("argfut6", 1, 7i64));
    pub async fn pattern_argument_drop_order(P { a: d3, k: n4, .. }: P, fut7: impl Future<Output = i64>) -> i64 {
        0
    }
}

// divergence: drop-after-k: native drop, ours drop
// Found as function 13 of the run; minimized by explicit-async-fuzz.
// k=1: after "drop z 0": native "drop arg1 5", ours "drop z 0"
twin! {
    compare: (mk("arg1", 5));
    pub async fn struct_literal_operand_moved_before_await(d2: D) -> Option<i64> {
        let mut pp14 = P { a: mk("z", 0), b: d2, k: val("a12", 1, mk("z", 0)).await.n() };
        None
    }
}

// divergence: polls: ours polls more
// Found as function 28 of the run; minimized by explicit-async-fuzz.
// native 1 polls, ours 2
twin! {
    compare: ();
    pub async fn assert_message_evaluated_lazily() -> D {
        assert!(0 > (-1000), "small: {}", val("a6", 1, 0).await);
        mk("z", 0)
    }
}

// divergence: log: native consume, ours drop
// Found as function 125 of the run; minimized by explicit-async-fuzz.
// after "mk z": native "consume z", ours "drop z 0"
pub mod scrutinee_temporary_lives_to_statement_end {
    use super::*;

    macro_rules! impls {
        ($(#[$attr:meta])?) => {

            receiver!();
            impl S {
                $(#[$attr])?
                pub async fn scrutinee_temporary_lives_to_statement_end(self) -> Option<i64> {
                    log_i(mk("z", 0).with(match p("z", 0).k {
                        6..=9 if let Ok(n15) = res_of(0) && false => val("a31", 0, 0).await,
                        n14 => 0,
                    }).consume());
                    None
                }
            }
        };
    }

    pub mod native {
        use super::*;
        impls!();
    }

    pub mod ours {
        use super::*;
        impls!(#[explicit_async::explicit_async]);
    }

    pub fn check() {
        crate::common::compare(
            stringify!(scrutinee_temporary_lives_to_statement_end),
            || native::S::new("self", 1).scrutinee_temporary_lives_to_statement_end(),
            || ours::S::new("self", 1).scrutinee_temporary_lives_to_statement_end(),
        );
    }

    pub fn sizes() -> crate::common::Sizes {
        crate::common::sizes(
            || native::S::new("self", 1).scrutinee_temporary_lives_to_statement_end(),
            || ours::S::new("self", 1).scrutinee_temporary_lives_to_statement_end(),
        )
    }

    case_test!();
}

// divergence: log: native drop, ours new
// Found as function 316 of the run; minimized by explicit-async-fuzz.
// after "mk z": native "drop z 0", ours "new a10"
twin! {
    compare: (8i64);
    pub async fn assert_message_with_question_mark<T0: Probe + Debug>(x1: T0) -> Option<i64> {
        assert!(None.unwrap_or(mk("z", 0).n()) > 0, "small: {}", val("a10", 0, None).await.or(None)?);
        None
    }
}

// divergence: log: native mk, ours drop
// Found as function 45 of the run; minimized by explicit-async-fuzz.
// after "mk z": native "mk z", ours "drop z 0"
twin! {
    compare: ();
    pub async fn reference_to_field_of_temporary() -> (D, i64) {
        let rm3 = &mut p("z", 0).k;
        (mk("z", 0), 0)
    }
}

// divergence: log: native mk, ours mk
// Found as function 175 of the run; minimized by explicit-async-fuzz.
// after "<start>": native "mk z", ours "mk t8"
twin! {
    compare: (3);
    pub async fn operand_evaluation_order(mut n2: i64) -> String {
        peek("peek10", &mk("d9", std::mem::replace(&mut n2, (mk("z", 0), mk("t8", 0).n()).1)), 0).await;
        String::new()
    }
}
