// Expected: an error at `name` (the by-value binding) saying that
// #[explicit_async] cannot move it out of a `match` scrutinee it keeps
// across an `.await`. The scrutinee, a temporary, lives to the end of the
// statement, past the await in the first arm, which borrows it (`ref`);
// rustc keeps a drop flag for each part moved out of it, a state machine
// written in Rust cannot hold a partly moved value. A `Copy` part (`n`) may
// be bound by value; the fix is `ref name`.
use explicit_async::explicit_async;

struct Named(String);

async fn tick() {}

#[explicit_async]
async fn move_out_of_kept_scrutinee(which: u32) -> usize {
    match (Named("a".into()), which) {
        (ref named, 0) => {
            tick().await;
            named.0.len()
        }
        (Named(name), n) => name.len() + n as usize,
    }
}

fn main() {
    let _ = move_out_of_kept_scrutinee(0);
}
