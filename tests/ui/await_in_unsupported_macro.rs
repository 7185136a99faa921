// Expected: an error at `.await` inside `twice!(..)` saying `.await` is only
// supported in the arguments of `format!`-like, `assert*!` and `vec!` macros:
// the macro cannot see what a user macro does with its tokens. Fix: await
// into a `let` before the macro call.
use explicit_async::explicit_async;

macro_rules! twice {
    ($e:expr) => {
        $e * 2
    };
}

async fn read(n: u32) -> u32 {
    n
}

#[explicit_async]
async fn await_in_unsupported_macro() -> u32 {
    twice!(read(1).await)
}

fn main() {
    let _ = await_in_unsupported_macro();
}
