//! The finds of async-lock 3.5.0 (`tools/annotate -- crate async-lock`),
//! minimized by hand onto the fuzzer's prelude.

use super::prelude::*;

/// A cell initialized by the future a closure returns, as async-lock's
/// `OnceCell::get_or_init`.
pub struct OnceCell(std::cell::RefCell<Option<i64>>);

impl OnceCell {
    pub async fn get_or_init<F: std::future::Future<Output = i64>>(
        &self,
        init: impl FnOnce() -> F,
    ) -> i64 {
        let value = init().await;
        *self.0.borrow_mut() = Some(value);
        value
    }
}

// build defect (E0515, `OnceCell::set`): `|| async { value.take().unwrap() }`
// borrows `value`, a slot local (the awaited future borrows it). The
// closure is made `move` to capture the slot's pointer, and the `async`
// block it returns borrowed that capture of the closure. The block is made
// `move` too: it copies the pointer.
twin! {
    compare: ();
    pub async fn closure_returning_an_async_block_that_takes_a_slot_local() -> i64 {
        let cell = OnceCell(std::cell::RefCell::new(None));
        let mut value = Some(mk("value", 3));
        let got = cell.get_or_init(|| async { value.take().unwrap().n }).await;
        match value {
            Some(v) => v.n,
            None => got,
        }
    }
}

// internal error (async-lock's `OnceCell::initialize_or_wait`): a loop
// whose body awaits the scrutinee of a `match` whose arms are blocks that
// end in `return ..;`. The lowering read such an arm as completing (its
// own check knew a bare `return`, not a block ending in one) where the
// flow knew it does not: it wrote a jump to a loop head no path reaches,
// and the macro failed. Both now ask the walk that builds the flow.
twin! {
    compare: (0), (1), (2);
    pub async fn awaiting_match_in_a_loop_whose_block_arms_return(k: i64) -> i64 {
        let mut turns = 0;
        loop {
            turns += 1;
            let guard = mk("guard", turns);
            if turns < 2 {
                continue;
            }
            match val("a", 1, k).await {
                0 => {
                    std::mem::forget(guard);
                    return 1;
                }
                1 => {
                    drop(guard);
                    let late = mk("late", 1);
                    return late.n + 1;
                }
                _ => {
                    log_i(guard.n);
                    return turns;
                }
            }
        }
    }
}

// build defect (E0382, `OnceCell::initialize_or_wait` itself): the same with
// an argument bounded by `FnOnce`, put in an `Option` and taken out of it
// in a loop.
twin! {
    compare: (1, { let d = mk("cap", 1); move || val("a", 1, d.consume()) }),
        (2, { let d = mk("cap", 2); move || val("a", 1, d.consume()) });
    pub async fn fn_once_argument_taken_out_of_an_option_in_a_loop<F, Fut>(k: i64, init: F) -> i64
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = i64>,
    {
        let mut init = Some(init);
        let mut turns = 0;
        loop {
            turns += 1;
            let g = guard("g", turns);
            if turns < k {
                tick("t", 1).await;
                continue;
            }
            let initializer = init.take().expect("called once");
            match (initializer)().await {
                1 => {
                    drop(g);
                    return 10;
                }
                n => return n + turns,
            }
        }
    }
}
