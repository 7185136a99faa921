//! Seed 58001's Rust 2021 find, minimized by the fuzzer.

use super::*;

// divergence (seed 58001): before Rust 2024 a match's scrutinee
// temporaries, `(value, 6)` here, drop after the block's locals when the
// match is a block's tail; the transform's own block around a match whose
// scrutinee awaits (the `if let`, with the lifted inner `match` before it)
// dropped the lifted values first. The scrutinee is named after them.
twin! {
    compare: (mk("arg1", 1));
    pub async fn if_let_scrutinee_tuple_around_an_awaiting_match(d2: D) -> i64 {
        {
            let d8 = d2;
            if let (d17, 0..=3) = (match (mk("z", 0), 0) {
                (d10, 6) => {
                    {
                        return val("a13", 0, 0).await;
                    }
                    mk("z", 0)
                },
                _ => d8,
            }, 6) {}
        }
        0
    }
}
