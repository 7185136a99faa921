// @generated from textbook.rs by explicit_async_transform::expand, formatted with prettyplease.
// Do not edit; to update: BLESS=1 cargo test -p expand-examples --test expansions
//! The textbook example, from Philipp Oppermann's "Async/Await" post
//! (<https://os.phil-opp.com/async-await/>).
//!
//! `example` reads `foo.txt`, and also `bar.txt` when the first is too
//! short. Each `.await` is a point where the function may have to stop and
//! return `Poll::Pending` to its caller; everything it needs to continue
//! later must be kept somewhere. `#[explicit_async]` writes that somewhere
//! out as an enum with one variant per stopping point:
//!
//! - `Start`: not polled yet, holds the argument `min_len`;
//! - `WaitingOnFooTxt`: stopped at the first await, holds the read of
//!   `foo.txt` in progress and `min_len` (still needed for the comparison);
//! - `WaitingOnBarTxt`: stopped at the second await, holds the read of
//!   `bar.txt` and `content` (needed for the concatenation). As in the
//!   post, not `min_len`: a `usize` has nothing to drop, so it is kept only
//!   while it is used (a local whose type may drop is kept until its scope
//!   ends, where it drops, as rustc does);
//! - `Done`: the result was returned;
//! - `Running` (not in the post): the code between two awaits is running; a
//!   poll that panics leaves the machine there, and polling it again panics.
//!
//! The `#[state(..)]` attributes name the waiting states as in the post;
//! without them they would be called after the callee:
//! `WaitingOnAsyncReadFile` and `WaitingOnAsyncReadFile2`.
use crate::sim::async_read_file;
use explicit_async::explicit_async;
/// Returns the content of `foo.txt`, followed by that of `bar.txt` if
/// `foo.txt` is shorter than `min_len` bytes.
pub fn example(min_len: usize) -> impl ::core::future::Future<Output = String> {
    if false {
        ::explicit_async::__private::witness(async move {
            let _value: String = {
                let min_len = min_len;
                let content = async_read_file("foo.txt").await;
                if content.len() < min_len {
                    let bar = async_read_file("bar.txt").await;
                    content + &bar
                } else {
                    content
                }
            };
            #[allow(unreachable_code, clippy::style, clippy::pedantic)] return _value;
        });
    }
    {
        #![allow(warnings, unreachable_code, clippy::all, clippy::pedantic)]
        #![allow(dangerous_implicit_autorefs, clippy::nursery, clippy::restriction)]
        use ::explicit_async::__private;
        /// State machine of `async fn example` (line 32): one state per `.await`.
        enum Example<MinLen, FooTxtFuture, BarTxtFuture, Content> {
            /// Not yet polled: holds the arguments.
            Start {
                /// `min_len`: argument (line 32).
                min_len: MinLen,
            },
            /// Waiting on `async_read_file("foo.txt").await` (line 34).
            WaitingOnFooTxt {
                /// The future being awaited, pinned here until it is ready.
                fut: __private::Awaiting<FooTxtFuture>,
                /// `min_len`: argument (line 32).
                min_len: MinLen,
            },
            /// Waiting on `async_read_file("bar.txt").await` (line 39).
            WaitingOnBarTxt {
                /// The future being awaited, pinned here until it is ready.
                fut: __private::Awaiting<BarTxtFuture>,
                /// `content`: `let` (line 34).
                content: Content,
            },
            /// Returned `Ready`; polling again panics.
            Done,
            /// Running the code between two awaits. A poll that panicked leaves it
            /// here, and polling again panics (rustc's "poisoned" state).
            Running,
        }
        let mut state = Example::Start { min_len };
        __private::StateMachine::new(move |cx| -> __private::Poll<String> {
            let state = &mut state;
            let cx = __private::resume!(cx, state, Example);
            'dispatch: loop {
                match state {
                    Example::Start { .. } => {
                        __private::take!(state, Example::Start { min_len });
                        let fut = __private::Awaiting::new(async_read_file("foo.txt"));
                        __private::set!(
                            state, Example::WaitingOnFooTxt { fut, min_len }
                        );
                    }
                    Example::WaitingOnFooTxt { fut, .. } => {
                        let output = ::core::task::ready!(fut.poll(cx));
                        let ret: String = {
                            __private::take!(
                                state, Example::WaitingOnFooTxt { min_len, .. }
                            );
                            let content = output;
                            if content.len() < min_len {
                                let fut = __private::Awaiting::new(
                                    async_read_file("bar.txt"),
                                );
                                __private::set!(
                                    state, Example::WaitingOnBarTxt { fut, content }
                                );
                                continue 'dispatch;
                            } else {
                                content
                            }
                        };
                        return __private::ready(state, Example::Done, ret);
                    }
                    Example::WaitingOnBarTxt { fut, .. } => {
                        let output = ::core::task::ready!(fut.poll(cx));
                        let ret: String = {
                            __private::take!(
                                state, Example::WaitingOnBarTxt { content, .. }
                            );
                            let bar = output;
                            content + &bar
                        };
                        return __private::ready(state, Example::Done, ret);
                    }
                    Example::Done => __private::resumed_after_completion(),
                    Example::Running => __private::resumed_after_panicking(),
                }
            }
        })
    }
}
