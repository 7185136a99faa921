// Expected: rustc's own E0308 (mismatched types: expected `u32`, found
// `&str`) at `"text"`, reported once, as for a plain `async fn`.
use explicit_async::explicit_async;

async fn tick() {}

#[explicit_async]
async fn type_error() -> u32 {
    tick().await;
    "text"
}

fn main() {
    let _ = type_error();
}
