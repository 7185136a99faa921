// Expected: an error at the `if`: an `if let` chain (`if let .. && ..`)
// with an `.await` in it is not rewritten. Fix: await into a `let` before
// the `if`, or nest the conditions.
use explicit_async::explicit_async;

async fn read(n: u32) -> Option<u32> {
    Some(n)
}

#[explicit_async]
async fn await_in_let_chain(x: u32) -> u32 {
    if let Some(n) = read(x).await
        && n > 2
    {
        n
    } else {
        0
    }
}

fn main() {
    let _ = await_in_let_chain(1);
}
