// Expected: E0308 at the macro's expansion, "expected `Infallible`". The
// transform takes `todo!` by its name never to complete and writes no code
// after it; this `todo!` is the user's own, which does complete. The
// expansion checks it (`__private::diverges(todo!(5))`), so the function is
// a compile error rather than a machine that stops where rustc's goes on.
// The fix is to give the macro another name.
use explicit_async::explicit_async;

macro_rules! todo {
    ($e:expr) => {
        println!("{}", $e)
    };
}

async fn leaf() -> u32 {
    3
}

#[explicit_async]
async fn user_macro_named_todo() -> u32 {
    leaf().await;
    todo!(5);
    leaf().await
}

fn main() {
    let _ = user_macro_named_todo();
}
