// @generated from loop_await.rs by explicit_async_transform::expand, formatted with prettyplease.
// Do not edit; to update: BLESS=1 cargo test -p expand-examples --test expansions
//! Awaits inside loops.
//!
//! A loop with an `.await` in its body does not need one state per
//! iteration: the same waiting state is entered again on every turn, with
//! the loop's variables (`total`, the iterator) stored in it. After the
//! sub-future completes, the state machine runs the rest of the body and
//! goes back to the loop's head, exactly as the `async fn` would.
use crate::sim::{MemoryStream, async_read_file};
use explicit_async::explicit_async;
use std::io;
/// Sums the lengths of the given files, reading them one after the other.
pub fn total_length(
    paths: Vec<&'static str>,
) -> impl ::core::future::Future<Output = usize> {
    if false {
        ::explicit_async::__private::witness(async move {
            let _value: usize = {
                let paths = paths;
                let mut total = 0;
                for path in paths {
                    let content = async_read_file(path).await;
                    total += content.len();
                }
                total
            };
            #[allow(unreachable_code, clippy::style, clippy::pedantic)] return _value;
        });
    }
    {
        #![allow(warnings, unreachable_code, clippy::all, clippy::pedantic)]
        #![allow(dangerous_implicit_autorefs, clippy::nursery, clippy::restriction)]
        use ::explicit_async::__private;
        /// State machine of `async fn total_length` (line 15): one state per `.await`.
        enum TotalLength<Paths, Iter, Total, AsyncReadFileFuture> {
            /// Not yet polled: holds the arguments.
            Start {
                /// `paths`: argument (line 15).
                paths: Paths,
            },
            /// At the top of the `for` loop at line 17, where more than one arm continues (not an await).
            ForHead {
                /// `iter`: the iterator of a `for` loop (line 17).
                iter: Iter,
                /// `total`: `let` (line 16).
                total: Total,
            },
            /// Waiting on `async_read_file(path).await` (line 18).
            WaitingOnAsyncReadFile {
                /// The future being awaited, pinned here until it is ready.
                fut: __private::Awaiting<AsyncReadFileFuture>,
                /// `iter`: the iterator of a `for` loop (line 17).
                iter: Iter,
                /// `total`: `let` (line 16).
                total: Total,
            },
            /// Returned `Ready`; polling again panics.
            Done,
            /// Running the code between two awaits. A poll that panicked leaves it
            /// here, and polling again panics (rustc's "poisoned" state).
            Running,
        }
        let mut state = TotalLength::Start { paths };
        __private::StateMachine::new(move |cx| -> __private::Poll<usize> {
            let state = &mut state;
            let cx = __private::resume!(cx, state, TotalLength);
            'dispatch: loop {
                match state {
                    TotalLength::Start { .. } => {
                        __private::take!(state, TotalLength::Start { paths });
                        let mut total = 0;
                        let mut iter = ::core::iter::IntoIterator::into_iter(paths);
                        __private::set!(state, TotalLength::ForHead { iter, total });
                    }
                    TotalLength::ForHead { .. } => {
                        let ret: usize = {
                            __private::take!(
                                state, TotalLength::ForHead { mut total, mut iter }
                            );
                            let next_value = ::core::iter::Iterator::next(&mut iter);
                            if let ::core::option::Option::Some(path) = next_value {
                                let fut = __private::Awaiting::new(async_read_file(path));
                                __private::set!(
                                    state, TotalLength::WaitingOnAsyncReadFile { fut, iter,
                                    total }
                                );
                                continue 'dispatch;
                            }
                            total
                        };
                        return __private::ready(state, TotalLength::Done, ret);
                    }
                    TotalLength::WaitingOnAsyncReadFile { fut, .. } => {
                        let output = ::core::task::ready!(fut.poll(cx));
                        __private::take!(
                            state, TotalLength::WaitingOnAsyncReadFile { mut total, mut
                            iter, .. }
                        );
                        let content = output;
                        total += content.len();
                        __private::set!(state, TotalLength::ForHead { iter, total });
                    }
                    TotalLength::Done => __private::resumed_after_completion(),
                    TotalLength::Running => __private::resumed_after_panicking(),
                }
            }
        })
    }
}
/// Reads `stream` to its end, `chunk` by `chunk`, with `loop` and `break`.
pub fn read_to_end(
    stream: MemoryStream,
) -> impl ::core::future::Future<Output = io::Result<Vec<u8>>> {
    if false {
        ::explicit_async::__private::witness(async move {
            let _value: io::Result<Vec<u8>> = {
                let mut stream = stream;
                let mut data = Vec::new();
                let mut chunk = [0u8; 8];
                loop {
                    let n = stream.read(&mut chunk).await?;
                    if n == 0 {
                        break;
                    }
                    data.extend_from_slice(&chunk[..n]);
                }
                Ok(data)
            };
            #[allow(unreachable_code, clippy::style, clippy::pedantic)] return _value;
        });
    }
    {
        #![allow(warnings, unreachable_code, clippy::all, clippy::pedantic)]
        #![allow(dangerous_implicit_autorefs, clippy::nursery, clippy::restriction)]
        use ::explicit_async::__private;
        /// State machine of `async fn read_to_end` (line 26): one state per `.await`.
        enum ReadToEnd<Stream, ReadFuture> {
            /// Not yet polled: holds the arguments.
            Start {
                /// `stream`: argument (line 26).
                stream: Stream,
            },
            /// At the top of the `loop` loop at line 29, where more than one arm continues (not an await).
            LoopHead,
            /// Waiting on `stream.read(&mut chunk).await` (line 30).
            WaitingOnRead {
                /// The future being awaited, pinned here until it is ready.
                fut: __private::Awaiting<ReadFuture>,
            },
            /// Returned `Ready`; polling again panics.
            Done,
            /// Running the code between two awaits. A poll that panicked leaves it
            /// here, and polling again panics (rustc's "poisoned" state).
            Running,
        }
        /// The state of `async fn read_to_end`, and the locals that must not move while it is suspended.
        struct ReadToEndFrame<State, Chunk, Data, Stream2> {
            /// Which state the function is in, and what that state holds.
            state: State,
            /// `chunk`: `let` (line 28). A slot: the future of `stream.read(&mut chunk).await` may borrow it.
            chunk: __private::Slot<Chunk>,
            /// `data`: `let` (line 27). A slot: it is older than `chunk`, kept beside it in a slot, and must be dropped after it.
            data: __private::Slot<Data>,
            /// `stream`: argument (line 26). A slot: the future of `stream.read(&mut chunk).await` may borrow it.
            stream: __private::Slot<Stream2>,
        }
        let mut frame = __private::frame!(
            ReadToEndFrame, ReadToEnd::Start { stream }, chunk, data, stream
        );
        __private::StateMachine::new(move |cx| -> __private::Poll<io::Result<Vec<u8>>> {
            let frame = &mut frame;
            let state = &mut frame.state;
            let cx = __private::resume!(
                cx, state, ReadToEnd, frame, chunk, data, stream
            );
            'dispatch: loop {
                match state {
                    ReadToEnd::Start { .. } => {
                        __private::take!(state, ReadToEnd::Start { stream });
                        let stream = frame.stream.init(stream);
                        let data = frame.data.init(Vec::new());
                        let chunk = frame.chunk.init([0u8; 8]);
                        __private::set!(state, ReadToEnd::LoopHead);
                    }
                    ReadToEnd::LoopHead => {
                        unsafe {
                            let stream = frame.stream.as_ptr();
                            let chunk = frame.chunk.as_ptr();
                            let fut = __private::Awaiting::new(
                                (*stream).read(&mut (*chunk)),
                            );
                            __private::set!(state, ReadToEnd::WaitingOnRead { fut });
                        }
                    }
                    ReadToEnd::WaitingOnRead { fut, .. } => {
                        unsafe {
                            let output = ::core::task::ready!(fut.poll(cx));
                            let ret: io::Result<Vec<u8>> = 'ret: {
                                let data = frame.data.as_ptr();
                                let chunk = frame.chunk.as_ptr();
                                'exit_2: {
                                    let n = __private::question!('ret, output);
                                    if n == 0 {
                                        break 'exit_2;
                                    }
                                    (*data).extend_from_slice(&(*chunk)[..n]);
                                    __private::set!(state, ReadToEnd::LoopHead);
                                    continue 'dispatch;
                                };
                                Ok(frame.data.take())
                            };
                            __private::clear!(frame, chunk, data, stream);
                            return __private::ready(state, ReadToEnd::Done, ret);
                        }
                    }
                    ReadToEnd::Done => __private::resumed_after_completion(),
                    ReadToEnd::Running => __private::resumed_after_panicking(),
                }
            }
        })
    }
}
