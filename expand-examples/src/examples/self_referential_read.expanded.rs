// @generated from self_referential_read.rs by explicit_async_transform::expand, formatted with prettyplease.
// Do not edit; to update: BLESS=1 cargo test -p expand-examples --test expansions
//! A self-referential future: the read borrows a buffer that lives in the
//! same future.
//!
//! `stream.read(&mut buf)` returns a future holding `&mut stream` and
//! `&mut buf`. While `read_greeting` waits for it, all three (the stream,
//! the buffer and the read that points at them) are stored in the state
//! machine, so the state machine points into itself. Moving it would leave
//! the read pointing at the old place: this is why futures are polled
//! through `Pin<&mut Self>`, a promise that the value will not move again.
//! In the expansion, `stream` and `buf` are kept in slots that are written
//! once and never moved (see `Slot` in `explicit_async::__private`), and the
//! whole state machine is `!Unpin`.
use crate::sim::MemoryStream;
use explicit_async::explicit_async;
use std::io;
/// Reads one chunk from `stream` and returns it as text.
pub fn read_greeting(
    stream: MemoryStream,
) -> impl ::core::future::Future<Output = io::Result<String>> {
    if false {
        #[allow(unreachable_code)]
        let _witness = async move {
            let value: io::Result<String> = {
                let mut stream = stream;
                let mut buf = [0u8; 32];
                let n = stream.read(&mut buf).await?;
                Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
            };
            value
        };
        ::core::unreachable!()
    }
    /// State machine of `async fn read_greeting` (line 20): one state per `.await`.
    enum ReadGreeting<T0, F0> {
        /// Not yet polled: holds the arguments.
        Start {
            /// `stream`: argument (line 20).
            stream: T0,
        },
        /// Waiting on `stream.read(&mut buf).await` (line 22).
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
    /// Frame of `read_greeting`: the state, then the locals that must not move, newest first (field order is drop order).
    struct ReadGreetingFrame<S, T1, T0> {
        /// Where the machine is.
        state: S,
        /// `buf`: `let` (line 21). Borrowed across an await, so it never moves.
        buf: ::explicit_async::__private::Slot<T1>,
        /// `stream`: argument (line 20). Borrowed across an await, so it never moves.
        stream: ::explicit_async::__private::Slot<T0>,
    }
    #[allow(dangerous_implicit_autorefs)]
    let machine = ::explicit_async::__private::StateMachine::new::<
        io::Result<String>,
    >(
        ReadGreetingFrame {
            state: ReadGreeting::Start { stream },
            buf: ::explicit_async::__private::Slot::EMPTY,
            stream: ::explicit_async::__private::Slot::EMPTY,
        },
        || ReadGreetingFrame {
            state: ReadGreeting::Running,
            buf: ::explicit_async::__private::Slot::EMPTY,
            stream: ::explicit_async::__private::Slot::EMPTY,
        },
        |mut machine, cx| {
            'dispatch: loop {
                let ReadGreetingFrame {
                    state: state,
                    buf: slot_buf,
                    stream: slot_stream,
                } = unsafe { machine.as_mut().get_unchecked_mut() };
                match state {
                    ReadGreeting::Start { .. } => {
                        unsafe {
                            let ReadGreeting::Start { stream } = ::core::mem::replace(
                                state,
                                ReadGreeting::Running,
                            ) else { ::core::unreachable!() };
                            #[allow(unused_variables)]
                            let stream = slot_stream.init(stream);
                            #[allow(unused_variables)]
                            let buf = slot_buf.init([0u8; 32]);
                            let fut = ::core::future::IntoFuture::into_future(
                                (*stream).read(&mut (*buf)),
                            );
                            *state = ReadGreeting::WaitingOnRead {
                                fut: ::explicit_async::__private::Awaiting::new(fut),
                            };
                            continue 'dispatch;
                        }
                    }
                    ReadGreeting::WaitingOnRead { fut, .. } => {
                        let output = match unsafe { fut.poll(cx) } {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let ret: io::Result<String> = 'ret: {
                            unsafe {
                                let ReadGreeting::WaitingOnRead { .. } = ::core::mem::replace(
                                    state,
                                    ReadGreeting::Running,
                                ) else { ::core::unreachable!() };
                                let buf = slot_buf.ptr();
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
                                Ok(String::from_utf8_lossy(&(*buf)[..n]).into_owned())
                            }
                        };
                        *state = ReadGreeting::Done;
                        slot_buf.clear();
                        slot_stream.clear();
                        return ::core::task::Poll::Ready(ret);
                    }
                    ReadGreeting::Done => {
                        ::explicit_async::__private::resumed_after_completion()
                    }
                    ReadGreeting::Running => {
                        ::explicit_async::__private::resumed_after_panicking()
                    }
                }
            }
        },
    );
    machine
}
