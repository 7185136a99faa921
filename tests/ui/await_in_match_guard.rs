// Expected: an error at the earlier guard `n > 10`: a guard that awaits is
// evaluated ahead of the `match` (on a reference to the scrutinee), and only
// if no earlier arm matches; deciding that would run this earlier guard,
// which has no `.await`, a second time. Fix: await before the `match`.
use explicit_async::explicit_async;

async fn read(n: u32) -> u32 {
    n
}

#[explicit_async]
async fn await_in_match_guard(x: u32) -> u32 {
    match x {
        n if n > 10 => 2,
        n if read(n).await > 4 => 1,
        _ => 0,
    }
}

fn main() {
    let _ = await_in_match_guard(1);
}
