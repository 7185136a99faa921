// Expected: an error at `body` (bound by value) saying that
// #[explicit_async] cannot move it out of a `match` scrutinee it keeps
// across an `.await`. The arm takes `body` and leaves `id` in `request`,
// which rustc drops where `request`'s scope ends, after the await, with a
// drop flag for the part moved out; a state machine written in Rust cannot
// move a partly moved value into its next state. A `Copy` part may be bound
// by value; the fix is `ref body`, or binding every part (`Request { id,
// body }`), which takes the whole value.
use explicit_async::explicit_async;

struct Request {
    id: String,
    body: Vec<u8>,
}

async fn tick() {}

#[explicit_async]
async fn part_taken_by_an_awaiting_arm(request: Request) -> usize {
    match request {
        Request { body, .. } => {
            tick().await;
            body.len()
        }
    }
}

fn main() {
    let _ = part_taken_by_an_awaiting_arm(Request {
        id: String::new(),
        body: Vec::new(),
    });
}
