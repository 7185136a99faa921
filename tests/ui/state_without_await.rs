// Expected: an error at `#[state(Nothing)]` saying the statement has no
// `.await`, so there is no state to name: move the attribute to the
// statement with the await.
use explicit_async::explicit_async;

async fn read(n: u32) -> u32 {
    n
}

#[explicit_async]
async fn state_without_await() -> u32 {
    #[state(Nothing)]
    let a = 1;
    a + read(2).await
}

fn main() {
    let _ = state_without_await();
}
