// Expected: an error at the method saying it has no body to rewrite: put
// `#[explicit_async]` on the method in each `impl` instead. A trait method
// declaration has no body, so there is no state machine to build.
use explicit_async::explicit_async;

pub trait Fetch {
    #[explicit_async]
    async fn fetch(&self) -> u32;
}

fn main() {}
