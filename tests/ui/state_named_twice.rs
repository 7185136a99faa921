// Expected: an error at the second `Read` saying two awaits cannot share the
// state name `WaitingOnRead` (the enum would have two variants of that name),
// pointing at the first use too.
use explicit_async::explicit_async;

async fn read(n: u32) -> u32 {
    n
}

#[explicit_async]
async fn state_named_twice() -> u32 {
    #[state(Read)]
    let a = read(1).await;
    #[state(Read)]
    let b = read(2).await;
    a + b
}

fn main() {
    let _ = state_named_twice();
}
