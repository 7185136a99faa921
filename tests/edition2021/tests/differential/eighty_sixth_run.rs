//! Seed 86001's Rust 2021 finds, minimized by the fuzzer.

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
