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
    pub fn get<'life0, 'life1>(
        &'life0 mut self,
        path: &'life1 str,
    ) -> impl ::core::future::Future<
        Output = String,
    > + ::explicit_async::__private::Captures<(&'life0 (), &'life1 ())> {
        if false {
            ::explicit_async::__private::witness(async move {
                let _value: String = {
                    let path = path;
                    if let Some(content) = self.entries.get(path) {
                        return content.clone();
                    }
                    self.misses += 1;
                    let content = async_read_file(path).await;
                    self.entries.insert(path.to_owned(), content.clone());
                    content
                };
                #[allow(unreachable_code, clippy::style, clippy::pedantic)]
                return _value;
            });
        }
        {
            #![allow(warnings, unreachable_code, clippy::all, clippy::pedantic)]
            #![allow(dangerous_implicit_autorefs, clippy::nursery, clippy::restriction)]
            use ::explicit_async::__private;
            /// State machine of `async fn get` (line 32): one state per `.await`.
            enum Get<This, Path, AsyncReadFileFuture> {
                /// Not yet polled: holds the arguments.
                Start {
                    /// `self`: argument (line 32).
                    this: This,
                    /// `path`: argument (line 32).
                    path: Path,
                },
                /// Waiting on `async_read_file(path).await` (line 37).
                WaitingOnAsyncReadFile {
                    /// The future being awaited, pinned here until it is ready.
                    fut: __private::Awaiting<AsyncReadFileFuture>,
                    /// `path`: argument (line 32).
                    path: Path,
                    /// `self`: argument (line 32).
                    this: This,
                },
                /// Returned `Ready`; polling again panics.
                Done,
                /// Running the code between two awaits. A poll that panicked leaves it
                /// here, and polling again panics (rustc's "poisoned" state).
                Running,
            }
            let mut state = Get::Start { this: self, path };
            __private::StateMachine::new(move |cx| -> __private::Poll<String> {
                let state = &mut state;
                let cx = __private::resume!(cx, state, Get);
                'dispatch: loop {
                    match state {
                        Get::Start { .. } => {
                            let ret: String = 'ret: {
                                __private::take!(state, Get::Start { this, path });
                                if let Some(content) = this.entries.get(path) {
                                    break 'ret (content.clone());
                                }
                                this.misses += 1;
                                let fut = __private::Awaiting::new(async_read_file(path));
                                __private::set!(
                                    state, Get::WaitingOnAsyncReadFile { fut, path, this }
                                );
                                continue 'dispatch;
                            };
                            return __private::ready(state, Get::Done, ret);
                        }
                        Get::WaitingOnAsyncReadFile { fut, .. } => {
                            let output = ::core::task::ready!(fut.poll(cx));
                            let ret: String = {
                                __private::take!(
                                    state, Get::WaitingOnAsyncReadFile { this, path, .. }
                                );
                                let content = output;
                                this.entries.insert(path.to_owned(), content.clone());
                                content
                            };
                            return __private::ready(state, Get::Done, ret);
                        }
                        Get::Done => __private::resumed_after_completion(),
                        Get::Running => __private::resumed_after_panicking(),
                    }
                }
            })
        }
    }
}
