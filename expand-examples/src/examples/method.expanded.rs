// @generated from method.rs by explicit_async_transform::expand, formatted with prettyplease.
// Do not edit; to update: BLESS=1 cargo test -p expand-examples --test expansions
//! An `async fn` that is a method.
//!
//! `&mut self` is an argument like any other: the state machine stores the
//! reference (under another name: `self` is a keyword) and the returned
//! future borrows the cache until it completes, so the caller
//! cannot touch the cache while a lookup is in flight.
use crate::sim::async_read_file;
use explicit_async::explicit_async;
use std::collections::HashMap;
/// Remembers the files it has read.
#[derive(Debug, Default)]
pub struct FileCache {
    entries: HashMap<String, String>,
    misses: usize,
}
impl FileCache {
    /// An empty cache.
    pub fn new() -> Self {
        FileCache::default()
    }
    /// How many lookups had to read the file.
    pub fn misses(&self) -> usize {
        self.misses
    }
    /// The content of `path`, read on the first lookup and cached after.
    pub fn get(&mut self, path: &str) -> impl ::core::future::Future<Output = String> {
        if false {
            #[allow(unreachable_code)]
            let _witness = async move {
                let value: String = {
                    let path = path;
                    if let Some(content) = self.entries.get(path) {
                        return content.clone();
                    }
                    self.misses += 1;
                    let content = async_read_file(path).await;
                    self.entries.insert(path.to_owned(), content.clone());
                    content
                };
                value
            };
            ::core::unreachable!()
        }
        /// State machine of `async fn get` (line 32): one state per `.await`.
        enum Get<T0, T1, F0> {
            /// Not yet polled: holds the arguments.
            Start {
                /// `this`: argument (line 32).
                this: T0,
                /// `path`: argument (line 32).
                path: T1,
            },
            /// Waiting on `async_read_file(path).await` (line 37).
            WaitingOnAsyncReadFile {
                /// The future being awaited, pinned here until it is ready.
                fut: ::explicit_async::__private::Awaiting<F0>,
                /// `path`: argument (line 32).
                path: T1,
                /// `this`: argument (line 32).
                this: T0,
            },
            /// Returned `Ready`; polling again panics.
            Done,
            /// Running the code between two awaits. A poll that panicked leaves it
            /// here, and polling again panics (rustc's "poisoned" state).
            Running,
        }
        ::explicit_async::__private::StateMachine::new::<
            String,
        >(
            Get::Start { this: self, path },
            || Get::Running,
            |mut machine, cx| {
                'dispatch: loop {
                    let state = unsafe { machine.as_mut().get_unchecked_mut() };
                    match state {
                        Get::Start { .. } => {
                            let ret: String = 'ret: {
                                let Get::Start { this, path } = ::core::mem::replace(
                                    state,
                                    Get::Running,
                                ) else { ::core::unreachable!() };
                                if let Some(content) = this.entries.get(path) {
                                    break 'ret (content.clone());
                                }
                                this.misses += 1;
                                let fut = ::core::future::IntoFuture::into_future(
                                    async_read_file(path),
                                );
                                *state = Get::WaitingOnAsyncReadFile {
                                    fut: ::explicit_async::__private::Awaiting::new(fut),
                                    path,
                                    this,
                                };
                                continue 'dispatch;
                            };
                            *state = Get::Done;
                            return ::core::task::Poll::Ready(ret);
                        }
                        Get::WaitingOnAsyncReadFile { fut, .. } => {
                            let output = match unsafe { fut.poll(cx) } {
                                ::core::task::Poll::Ready(output) => output,
                                ::core::task::Poll::Pending => {
                                    return ::core::task::Poll::Pending;
                                }
                            };
                            let ret: String = {
                                let Get::WaitingOnAsyncReadFile { this, path, .. } = ::core::mem::replace(
                                    state,
                                    Get::Running,
                                ) else { ::core::unreachable!() };
                                let content = output;
                                this.entries.insert(path.to_owned(), content.clone());
                                content
                            };
                            *state = Get::Done;
                            return ::core::task::Poll::Ready(ret);
                        }
                        Get::Done => {
                            ::explicit_async::__private::resumed_after_completion()
                        }
                        Get::Running => {
                            ::explicit_async::__private::resumed_after_panicking()
                        }
                    }
                }
            },
        )
    }
}
