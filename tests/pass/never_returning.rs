//! `async fn` returning `!` (rustc's tests/ui/async-await/unreachable-lint.rs):
//! its future's output is written `__private::Never` (stable Rust cannot
//! name `Output = !`), and awaiting it in a crate that denies
//! `unreachable_code` leaves the machine's own unreachable code allowed.
#![deny(unreachable_code)]

use explicit_async::explicit_async;

#[explicit_async]
async fn foo() {
    endless().await;
}

#[explicit_async]
async fn endless() -> ! {
    std::future::ready(()).await;
    panic!("endless");
}

fn main() {
    let result = std::panic::catch_unwind(|| {
        explicit_async::runtime::executor::block_on(foo());
    });
    assert!(result.is_err(), "endless() panics");
}
