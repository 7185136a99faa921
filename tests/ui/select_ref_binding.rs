// Expected: an error at `ref v` saying that a `select!` branch's handler runs
// after the branch's output is dropped, so its pattern must bind by value:
// #[explicit_async] moves the handlers out of the macro (so that they may
// `.await`), and the output they would borrow is gone by then.
use explicit_async::explicit_async;

async fn read(n: u32) -> Option<u32> {
    Some(n)
}

#[explicit_async]
async fn select_ref_binding() -> u32 {
    tokio::select! {
        Some(ref v) = read(1) => *v,
        else => 0,
    }
}

fn main() {
    let _ = select_ref_binding();
}
