// Expected: an error at `listener`, awaited after `listener!(..)` declared
// it. The macro's `let`s (here, as in `event_listener::listener!`, a value
// and a pinned borrow of it) are tokens the attribute cannot read, so the
// state machine cannot keep them across the await; rustc's own `async fn`
// accepts this function. Without this check the user got E0716 at the
// attribute. Fix: declare the local with `let` outside the macro, or await
// it inside an `async` block.
use explicit_async::explicit_async;

macro_rules! listener {
    ($value:expr => $name:ident) => {
        let mut slot = core::future::ready($value);
        let $name = core::pin::Pin::new(&mut slot);
    };
}

#[explicit_async]
async fn await_a_local_a_macro_declares() -> u32 {
    listener!(7 => listener);
    listener.await
}

fn main() {
    let _ = await_a_local_a_macro_declares();
}
