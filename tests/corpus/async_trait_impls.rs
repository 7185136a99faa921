//! Methods of `#[async_trait]` impls (tokio-postgres's `GenericClient`, and
//! most traits with `async fn` written before Rust 1.75). `#[async_trait]`
//! expands first and makes each method a `fn` returning a boxed `async
//! move` block; `#[explicit_async]` then makes that block the state
//! machine. `store_impls!` writes the trait's impl once, invoked twice:
//! plainly and with `#[explicit_async]` on every method.

use crate::common::*;
use async_trait::async_trait;

/// A store, as tokio-postgres's `GenericClient`: `Send` futures, `&self`,
/// `&mut self` and `self` receivers, pattern arguments.
#[async_trait]
pub trait Store {
    async fn get(&self, key: u32) -> Option<u32>;
    async fn put(&mut self, (key, value): (u32, u32)) -> Result<u32, String>;
    async fn sum_of(&self, keys: Vec<u32>) -> u32;
    async fn close(self) -> u32;
}

/// A trait whose futures need not be `Send`.
#[async_trait(?Send)]
pub trait LocalStore {
    async fn get_local(&self, key: u32) -> u32;
}

macro_rules! store_impls {
    ($($attr:tt)*) => {
        #[derive(Debug)]
        pub struct Memory {
            pub name: &'static str,
            pub values: Vec<u32>,
        }

        impl Drop for Memory {
            fn drop(&mut self) {
                log(format!("drop memory {}", self.name));
            }
        }

        #[async_trait]
        impl Store for Memory {
            $($attr)*
            async fn get(&self, key: u32) -> Option<u32> {
                let guard = D("guard");
                let mut trail = String::from("get");
                let found = val("lookup", 1, self.values.get(key as usize).copied()).await;
                append(&mut trail, " done", 1).await;
                log(trail);
                drop(guard);
                found
            }

            $($attr)*
            async fn put(&mut self, (key, value): (u32, u32)) -> Result<u32, String> {
                if key as usize > self.values.len() {
                    return Err(format!("no slot {key}"));
                }
                let stored = val("store", 2, value).await;
                self.values.insert(key as usize, stored);
                tick("flush", 1).await;
                Ok(self.values.len() as u32)
            }

            $($attr)*
            async fn sum_of(&self, keys: Vec<u32>) -> u32 {
                let mut total = 0;
                for key in keys {
                    total += self.get(key).await.unwrap_or(0);
                }
                total
            }

            $($attr)*
            async fn close(self) -> u32 {
                let n = val("close", 1, self.values.len() as u32).await;
                log(format!("closed {}", self.name));
                n
            }
        }

        #[async_trait(?Send)]
        impl LocalStore for Memory {
            $($attr)*
            async fn get_local(&self, key: u32) -> u32 {
                let shared = std::rc::Rc::new(D("not send"));
                let n = val("local", 1, key).await;
                log(shared.0);
                n + self.values.len() as u32
            }
        }

        pub fn memory(name: &'static str) -> Memory {
            Memory { name, values: vec![10, 20, 30] }
        }
    };
}

pub mod native {
    use super::*;
    store_impls!();
}

pub mod ours {
    use super::*;
    store_impls!(#[explicit_async::explicit_async]);
}

/// A case for one method, called on a store each side's future owns.
macro_rules! store_case {
    ($case:ident -> $output:ty, |$store:ident| $call:expr) => {
        pub mod $case {
            use super::*;

            fn native_future() -> impl std::future::Future<Output = $output> {
                async {
                    #[allow(unused_mut)]
                    let mut $store = native::memory("store");
                    $call
                }
            }

            fn ours_future() -> impl std::future::Future<Output = $output> {
                async {
                    #[allow(unused_mut)]
                    let mut $store = ours::memory("store");
                    $call
                }
            }

            pub fn check() {
                compare(stringify!($case), native_future, ours_future);
            }

            pub fn sizes() -> Sizes {
                crate::common::sizes(native_future, ours_future)
            }

            case_test!();
        }
    };
}

store_case!(get_by_ref -> Option<u32>, |store| store.get(1).await);
store_case!(put_by_mut_with_a_pattern_argument -> (Result<u32, String>, Result<u32, String>), |store| (
    store.put((1, 7)).await,
    store.put((9, 1)).await
));
store_case!(argument_iterated_by_an_awaiting_loop -> u32, |store| store
    .sum_of(vec![0, 2, 5])
    .await);
store_case!(by_value -> u32, |store| store.close().await);
store_case!(not_send -> u32, |store| store.get_local(4).await);
