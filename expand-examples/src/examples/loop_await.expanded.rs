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
        #[allow(unreachable_code)]
        let _witness = async move {
            let value: usize = {
                let paths = paths;
                let mut total = 0;
                for path in paths {
                    let content = async_read_file(path).await;
                    total += content.len();
                }
                total
            };
            value
        };
        ::core::unreachable!()
    }
    /// State machine of `async fn total_length` (line 15): one state per `.await`.
    enum TotalLength<T0, T1, T2, F0> {
        /// Not yet polled: holds the arguments.
        Start {
            /// `paths`: argument (line 15).
            paths: T0,
        },
        /// Waiting on `async_read_file(path).await` (line 18).
        WaitingOnAsyncReadFile {
            /// The future being awaited, pinned here until it is ready.
            fut: ::explicit_async::__private::Awaiting<F0>,
            /// `iter`: iterator of a `for` (line 17).
            iter: T2,
            /// `total`: `let` (line 16).
            total: T1,
        },
        /// Returned `Ready`; polling again panics.
        Done,
        /// Running the code between two awaits. A poll that panicked leaves it
        /// here, and polling again panics (rustc's "poisoned" state).
        Running,
    }
    ::explicit_async::__private::StateMachine::new::<
        usize,
    >(
        TotalLength::Start { paths },
        || TotalLength::Running,
        |mut machine, cx| {
            'dispatch: loop {
                let state = unsafe { machine.as_mut().get_unchecked_mut() };
                match state {
                    TotalLength::Start { .. } => {
                        let ret: usize = {
                            let TotalLength::Start { paths } = ::core::mem::replace(
                                state,
                                TotalLength::Running,
                            ) else { ::core::unreachable!() };
                            #[allow(unused_mut)]
                            let mut total = 0;
                            {
                                #[allow(unused_mut)]
                                let mut iter = ::core::iter::IntoIterator::into_iter(paths);
                                loop {
                                    let ::core::option::Option::Some(path) = ::core::iter::Iterator::next(
                                        &mut iter,
                                    ) else { break };
                                    {
                                        let fut = ::core::future::IntoFuture::into_future(
                                            async_read_file(path),
                                        );
                                        *state = TotalLength::WaitingOnAsyncReadFile {
                                            fut: ::explicit_async::__private::Awaiting::new(fut),
                                            iter,
                                            total,
                                        };
                                        continue 'dispatch;
                                    }
                                }
                            }
                            total
                        };
                        *state = TotalLength::Done;
                        return ::core::task::Poll::Ready(ret);
                    }
                    TotalLength::WaitingOnAsyncReadFile { fut, .. } => {
                        let output = match unsafe { fut.poll(cx) } {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let ret: usize = {
                            #[allow(unused_mut)]
                            let TotalLength::WaitingOnAsyncReadFile {
                                mut total,
                                iter: iter,
                                ..
                            } = ::core::mem::replace(state, TotalLength::Running) else {
                                ::core::unreachable!()
                            };
                            {
                                #[allow(unused_mut)]
                                let mut iter = iter;
                                {
                                    {
                                        {
                                            let content = output;
                                            total += content.len();
                                        }
                                    }
                                    loop {
                                        let ::core::option::Option::Some(path) = ::core::iter::Iterator::next(
                                            &mut iter,
                                        ) else { break };
                                        {
                                            let fut = ::core::future::IntoFuture::into_future(
                                                async_read_file(path),
                                            );
                                            *state = TotalLength::WaitingOnAsyncReadFile {
                                                fut: ::explicit_async::__private::Awaiting::new(fut),
                                                iter,
                                                total,
                                            };
                                            continue 'dispatch;
                                        }
                                    }
                                }
                            }
                            total
                        };
                        *state = TotalLength::Done;
                        return ::core::task::Poll::Ready(ret);
                    }
                    TotalLength::Done => {
                        ::explicit_async::__private::resumed_after_completion()
                    }
                    TotalLength::Running => {
                        ::explicit_async::__private::resumed_after_panicking()
                    }
                }
            }
        },
    )
}
/// Reads `stream` to its end, `chunk` by `chunk`, with `loop` and `break`.
pub fn read_to_end(
    stream: MemoryStream,
) -> impl ::core::future::Future<Output = io::Result<Vec<u8>>> {
    if false {
        #[allow(unreachable_code)]
        let _witness = async move {
            let value: io::Result<Vec<u8>> = {
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
            value
        };
        ::core::unreachable!()
    }
    /// State machine of `async fn read_to_end` (line 26): one state per `.await`.
    enum ReadToEnd<T0, F0> {
        /// Not yet polled: holds the arguments.
        Start {
            /// `stream`: argument (line 26).
            stream: T0,
        },
        /// Waiting on `stream.read(&mut chunk).await` (line 30).
        WaitingOnRead {
            /// The future being awaited, pinned here until it is ready.
            fut: ::explicit_async::__private::Awaiting<F0>,
        },
        /// Returned `Ready`; polling again panics.
        Done,
        /// Running the code between two awaits. A poll that panicked leaves it
        /// here, and polling again panics (rustc's "poisoned" state).
        Running,
    }
    /// Frame of `read_to_end`: the state, then the locals that must not move, newest first (field order is drop order).
    struct ReadToEndFrame<S, T2, T1, T0> {
        /// Where the machine is.
        state: S,
        /// `chunk`: `let` (line 28). Borrowed across an await, so it never moves.
        chunk: ::explicit_async::__private::Slot<T2>,
        /// `data`: `let` (line 27). Borrowed across an await, so it never moves.
        data: ::explicit_async::__private::Slot<T1>,
        /// `stream`: argument (line 26). Borrowed across an await, so it never moves.
        stream: ::explicit_async::__private::Slot<T0>,
    }
    #[allow(dangerous_implicit_autorefs)]
    let machine = ::explicit_async::__private::StateMachine::new::<
        io::Result<Vec<u8>>,
    >(
        ReadToEndFrame {
            state: ReadToEnd::Start { stream },
            chunk: ::explicit_async::__private::Slot::EMPTY,
            data: ::explicit_async::__private::Slot::EMPTY,
            stream: ::explicit_async::__private::Slot::EMPTY,
        },
        || ReadToEndFrame {
            state: ReadToEnd::Running,
            chunk: ::explicit_async::__private::Slot::EMPTY,
            data: ::explicit_async::__private::Slot::EMPTY,
            stream: ::explicit_async::__private::Slot::EMPTY,
        },
        |mut machine, cx| {
            'dispatch: loop {
                let ReadToEndFrame {
                    state: state,
                    chunk: slot_chunk,
                    data: slot_data,
                    stream: slot_stream,
                } = unsafe { machine.as_mut().get_unchecked_mut() };
                match state {
                    ReadToEnd::Start { .. } => {
                        unsafe {
                            let ReadToEnd::Start { stream } = ::core::mem::replace(
                                state,
                                ReadToEnd::Running,
                            ) else { ::core::unreachable!() };
                            #[allow(unused_variables)]
                            let stream = slot_stream.init(stream);
                            #[allow(unused_variables)]
                            let data = slot_data.init(Vec::new());
                            #[allow(unused_variables)]
                            let chunk = slot_chunk.init([0u8; 8]);
                            loop {
                                let fut = ::core::future::IntoFuture::into_future(
                                    (*stream).read(&mut (*chunk)),
                                );
                                *state = ReadToEnd::WaitingOnRead {
                                    fut: ::explicit_async::__private::Awaiting::new(fut),
                                };
                                continue 'dispatch;
                            }
                        }
                    }
                    ReadToEnd::WaitingOnRead { fut, .. } => {
                        let output = match unsafe { fut.poll(cx) } {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let ret: io::Result<Vec<u8>> = 'ret: {
                            unsafe {
                                let ReadToEnd::WaitingOnRead { .. } = ::core::mem::replace(
                                    state,
                                    ReadToEnd::Running,
                                ) else { ::core::unreachable!() };
                                let stream = slot_stream.ptr();
                                let data = slot_data.ptr();
                                let chunk = slot_chunk.ptr();
                                'break_1: {
                                    {
                                        let n = match ::explicit_async::__private::question_mark::Branch::branch(
                                            output,
                                        ) {
                                            ::core::ops::ControlFlow::Continue(value) => value,
                                            ::core::ops::ControlFlow::Break(residual) => {
                                                break 'ret (::explicit_async::__private::question_mark::FromResidual::from_residual(
                                                    residual,
                                                ));
                                            }
                                        };
                                        if n == 0 {
                                            break 'break_1;
                                        }
                                        (*data).extend_from_slice(&(*chunk)[..n]);
                                    }
                                    loop {
                                        let fut = ::core::future::IntoFuture::into_future(
                                            (*stream).read(&mut (*chunk)),
                                        );
                                        *state = ReadToEnd::WaitingOnRead {
                                            fut: ::explicit_async::__private::Awaiting::new(fut),
                                        };
                                        continue 'dispatch;
                                    }
                                }
                                Ok(slot_data.take(data))
                            }
                        };
                        *state = ReadToEnd::Done;
                        slot_chunk.clear();
                        slot_data.clear();
                        slot_stream.clear();
                        return ::core::task::Poll::Ready(ret);
                    }
                    ReadToEnd::Done => {
                        ::explicit_async::__private::resumed_after_completion()
                    }
                    ReadToEnd::Running => {
                        ::explicit_async::__private::resumed_after_panicking()
                    }
                }
            }
        },
    );
    machine
}
