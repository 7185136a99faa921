// Expected: an error at `fn` saying the attribute needs an `async fn` (and
// how to fix it: add `async`). The attribute rewrites an `async fn`; a plain
// fn has no awaits to turn into states.
use explicit_async::explicit_async;

#[explicit_async]
fn not_async() -> u32 {
    1
}

fn main() {
    let _ = not_async();
}
