// Expected: an error at `1x` saying a state name must be an identifier in
// UpperCamelCase (like `#[state(FooTxt)]`). `1x` cannot name an enum variant.
use explicit_async::explicit_async;

async fn read(n: u32) -> u32 {
    n
}

#[explicit_async]
async fn state_invalid_name() -> u32 {
    #[state(1x)]
    let a = read(1).await;
    a
}

fn main() {
    let _ = state_invalid_name();
}
