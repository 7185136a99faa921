//! `Send` follows exactly the stored locals: `rc` was borrowed, then
//! dropped before the await, so our future stores nothing `!Send` and is
//! `Send`. rustc's own future for the same body is NOT `Send` (rustc keeps a
//! borrowed local's storage live to the end of its scope: "await occurs
//! here, with `rc` maybe used later"), so this case has no native twin.
//!
//! A trybuild `pass` case (tests/ui.rs): with the pass-through macro this
//! is rustc's future and does not compile.

use explicit_async::explicit_async;
use std::rc::Rc;

fn assert_send<T: Send>(_: &T) {}

async fn tick() {}

fn log(_: String) {}

#[explicit_async]
async fn rc_borrowed_then_dropped(x: u32) -> u32 {
    let rc = Rc::new(x);
    log(format!("{rc}"));
    drop(rc);
    tick().await;
    x
}

fn main() {
    assert_send(&rc_borrowed_then_dropped(1));
}
