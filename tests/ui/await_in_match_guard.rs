// Expected: an error at the guard's `.await`: a guard is evaluated with the
// arm's bindings borrowed, before the arm is chosen, which the state machine
// cannot suspend in the middle of. Fix: await before the `match`.
use explicit_async::explicit_async;

async fn read(n: u32) -> u32 {
    n
}

#[explicit_async]
async fn await_in_match_guard(x: u32) -> u32 {
    match x {
        n if read(n).await > 4 => 1,
        _ => 0,
    }
}

fn main() {
    let _ = await_in_match_guard(1);
}
