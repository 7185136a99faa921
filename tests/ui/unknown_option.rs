// Expected: an error at `foo` naming the unknown option and listing the
// valid ones (`trace`).
use explicit_async::explicit_async;

#[explicit_async(foo)]
async fn unknown_option() -> u32 {
    1
}

fn main() {
    let _ = unknown_option();
}
