// Expected: an error at the second `#[state(..)]`: one statement suspends at
// one state, so it takes one name. Fix: keep one of the attributes.
use explicit_async::explicit_async;

async fn read(n: u32) -> u32 {
    n
}

#[explicit_async]
async fn state_twice_on_one_statement() -> u32 {
    #[state(First)]
    #[state(Second)]
    let value = read(1).await;
    value
}

fn main() {
    let _ = state_twice_on_one_statement();
}
