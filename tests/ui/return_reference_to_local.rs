// Expected: rustc's own E0515 (cannot return value referencing local
// variable `buf`), as for a plain `async fn`. Without the borrow-check
// witness the expansion would accept this and return a dangling slice:
// `buf` lives in the future, which is gone when the caller reads the slice.
use explicit_async::explicit_async;

async fn tick() {}

#[explicit_async]
async fn return_reference_to_local() -> &'static [u8] {
    let buf = [7u8; 4];
    tick().await;
    &buf[..]
}

fn main() {
    let _ = return_reference_to_local();
}
