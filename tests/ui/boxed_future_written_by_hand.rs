// Expected: the same error as a plain `fn` (the attribute needs an `async
// fn`). Only what `#[async_trait]` writes (a boxed `async move` block whose
// future lives for `'async_trait`) is taken as an `async fn`'s body: that
// block moves every argument in, and one written by hand need not (an
// argument it leaves out drops when the `fn` returns, not with the future).
use explicit_async::explicit_async;
use std::future::Future;
use std::pin::Pin;

#[explicit_async]
fn boxed_by_hand(_unused: String, n: u32) -> Pin<Box<dyn Future<Output = u32> + Send>> {
    Box::pin(async move { n + 1 })
}

fn main() {
    let _ = boxed_by_hand(String::new(), 1);
}
