// Expected: an error at `let a`: `a` is moved before the `.await` on one path
// and not on the other. rustc keeps a run-time drop flag for it; the state
// machine stores a local only when it is alive on every path. Fix: move (or
// drop) it on every path before the `.await`, or on none. (A `Copy` local is
// accepted: dropping it early is not observable.)
use explicit_async::explicit_async;

struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {}
}

async fn tick() {}

#[explicit_async]
async fn moved_on_some_paths(which: bool) {
    let a = Guard;
    if which {
        drop(a);
    }
    tick().await;
}

fn main() {
    let _ = moved_on_some_paths(true);
}
