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
        ::explicit_async::__private::witness(async move {
            let _value: io::Result<String> = {
                let mut stream = stream;
                let mut buf = [0u8; 32];
                let n = stream.read(&mut buf).await?;
                Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
            };
            #[allow(unreachable_code, clippy::style, clippy::pedantic)] return _value;
        });
    }
    {
        #![allow(warnings, unreachable_code, clippy::all, clippy::pedantic)]
        #![allow(dangerous_implicit_autorefs, clippy::nursery, clippy::restriction)]
        use ::explicit_async::__private;
        /// State machine of `async fn read_greeting` (line 20): one state per `.await`.
        enum ReadGreeting<Stream, ReadFuture> {
            /// Not yet polled: holds the arguments.
            Start {
                /// `stream`: argument (line 20).
                stream: Stream,
            },
            /// Waiting on `stream.read(&mut buf).await` (line 22).
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
        /// The state of `async fn read_greeting`, and the locals that must not move while it is suspended.
        struct ReadGreetingFrame<State, Buf, Stream2> {
            /// Which state the function is in, and what that state holds.
            state: State,
            /// `buf`: `let` (line 21). A slot: the future of `stream.read(&mut buf).await` may borrow it.
            buf: __private::Slot<Buf>,
            /// `stream`: argument (line 20). A slot: the future of `stream.read(&mut buf).await` may borrow it.
            stream: __private::Slot<Stream2>,
        }
        let mut frame = __private::frame!(
            ReadGreetingFrame, ReadGreeting::Start { stream }, buf, stream
        );
        __private::StateMachine::new(move |cx| -> __private::Poll<io::Result<String>> {
            let frame = &mut frame;
            let state = &mut frame.state;
            let cx = __private::resume!(cx, state, ReadGreeting, frame, buf, stream);
            'dispatch: loop {
                match state {
                    ReadGreeting::Start { .. } => {
                        unsafe {
                            __private::take!(state, ReadGreeting::Start { stream });
                            let stream = frame.stream.init(stream);
                            let buf = frame.buf.init([0u8; 32]);
                            let fut = __private::Awaiting::new(
                                (*stream).read(&mut (*buf)),
                            );
                            __private::set!(state, ReadGreeting::WaitingOnRead { fut });
                        }
                    }
                    ReadGreeting::WaitingOnRead { fut, .. } => {
                        unsafe {
                            let output = ::core::task::ready!(fut.poll(cx));
                            let ret: io::Result<String> = 'ret: {
                                let buf = frame.buf.as_ptr();
                                let n = __private::question!('ret, output);
                                Ok(String::from_utf8_lossy(&(*buf)[..n]).into_owned())
                            };
                            __private::clear!(frame, buf, stream);
                            return __private::ready(state, ReadGreeting::Done, ret);
                        }
                    }
                    ReadGreeting::Done => __private::resumed_after_completion(),
                    ReadGreeting::Running => __private::resumed_after_panicking(),
                }
            }
        })
    }
}
