// Expected: an error at `name` (the by-value binding) saying that
// #[explicit_async] cannot move it out of a `match` scrutinee it keeps
// across an `.await`. The scrutinee, a temporary, lives to the end of the
// statement, past the await in the first arm, which borrows it (`ref`).
// The second arm moves `name` and leaves the other part in place (`_`):
// rustc drops that part at the end of the statement, with a drop flag for
// the part moved out; a state machine written in Rust cannot hold a partly
// moved value. (An arm that binds every part by value takes the whole value
// instead, and builds: see the differential corpus.) A `Copy` part may be
// bound by value; the fix is `ref name`, or binding the other part too.
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
        (Named(name), _) => name.len(),
    }
}

fn main() {
    let _ = move_out_of_kept_scrutinee(0);
}
