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
