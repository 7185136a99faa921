// @generated from http_client.rs by explicit_async_transform::expand, formatted with prettyplease.
// Do not edit; to update: BLESS=1 cargo test -p expand-examples --test expansions
//! The HTTP client of the demo: one `GET` over its own non-blocking socket.
//!
//! Each `.await` is a point where the request has to wait for the network:
//! for the connection, for the request to be sent, and for each piece of
//! the answer. While it waits, its state machine holds only what the rest of
//! the function needs (the socket, the buffers, the bytes read so far), and
//! the executor runs other requests: a thousand of them share one thread.
//!
//! `#[explicit_async(trace)]` makes the state machine report each of its
//! transitions to `explicit_async::trace`'s hook: the demo's `--trace`
//! prints those of the first request.
use crate::http::{self, Response};
use explicit_async::explicit_async;
use explicit_async::runtime::net::TcpStream;
use std::io;
use std::net::SocketAddr;
/// Sends `GET path` to `server` and reads the whole response (the server
/// closes the connection after it).
pub fn http_get<'life0>(
    server: SocketAddr,
    path: &'life0 str,
) -> impl ::core::future::Future<
    Output = io::Result<Response>,
> + ::explicit_async::__private::Captures<(&'life0 (),)> {
    if false {
        ::explicit_async::__private::witness(async move {
            let _value: io::Result<Response> = {
                let server = server;
                let path = path;
                let mut stream = TcpStream::connect(server).await?;
                let request = format!(
                    "GET {path} HTTP/1.1\r\nHost: {server}\r\nConnection: close\r\n\r\n"
                );
                stream.write_all(request.as_bytes()).await?;
                let mut response = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    let n = stream.read(&mut buf).await?;
                    if n == 0 {
                        break;
                    }
                    response.extend_from_slice(&buf[..n]);
                }
                http::parse_response(&response)
            };
            #[allow(unreachable_code, clippy::style, clippy::pedantic)] return _value;
        });
    }
    {
        #![allow(warnings, unreachable_code, clippy::all, clippy::pedantic)]
        #![allow(dangerous_implicit_autorefs, clippy::nursery, clippy::restriction)]
        use ::explicit_async::__private;
        /// State machine of `async fn http_get` (line 22): one state per `.await`.
        enum HttpGet<Server, Path, ConnectFuture, WriteAllFuture, ReadFuture> {
            /// Not yet polled: holds the arguments.
            Start {
                /// `server`: argument (line 22).
                server: Server,
                /// `path`: argument (line 22).
                path: Path,
            },
            /// Waiting on `TcpStream::connect(server).await` (line 23).
            WaitingOnConnect {
                /// The future being awaited, pinned here until it is ready.
                fut: __private::Awaiting<ConnectFuture>,
                /// `path`: argument (line 22).
                path: Path,
                /// `server`: argument (line 22).
                server: Server,
            },
            /// Waiting on `stream.write_all(request.as_bytes()).await` (line 25).
            WaitingOnWriteAll {
                /// The future being awaited, pinned here until it is ready.
                fut: __private::Awaiting<WriteAllFuture>,
            },
            /// At the top of the `loop` loop at line 28, where more than one arm continues (not an await).
            LoopHead,
            /// Waiting on `stream.read(&mut buf).await` (line 29).
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
        /// The state of `async fn http_get`, and the locals that must not move while it is suspended.
        struct HttpGetFrame<State, Buf, Response, Request, Stream> {
            /// Which state the function is in, and what that state holds.
            state: State,
            /// `buf`: `let` (line 27). A slot: the future of `stream.read(&mut buf).await` may borrow it.
            buf: __private::Slot<Buf>,
            /// `response`: `let` (line 26). A slot: it is older than `buf`, kept beside it in a slot, and must be dropped after it.
            response: __private::Slot<Response>,
            /// `request`: `let` (line 24). A slot: the future of `stream.write_all(request.as_bytes()).await` may borrow it.
            request: __private::Slot<Request>,
            /// `stream`: `let` (line 23). A slot: the future of `stream.write_all(request.as_bytes()).await` may borrow it.
            stream: __private::Slot<Stream>,
        }
        let mut frame = __private::frame!(
            HttpGetFrame, HttpGet::Start { server, path }, buf, response, request, stream
        );
        __private::StateMachine::new(move |cx| -> __private::Poll<io::Result<Response>> {
            let frame = &mut frame;
            let state = &mut frame.state;
            let trace = |from, to| __private::trace("http_get", from, to);
            let cx = __private::resume!(
                cx, state, HttpGet, frame, buf, response, request, stream
            );
            'dispatch: loop {
                match state {
                    HttpGet::Start { .. } => {
                        __private::take!(state, HttpGet::Start { server, path });
                        let fut = __private::Awaiting::new(TcpStream::connect(server));
                        __private::set!(
                            state, HttpGet::WaitingOnConnect { fut, path, server }
                        );
                        trace("Start", "WaitingOnConnect");
                    }
                    HttpGet::WaitingOnConnect { fut, .. } => {
                        unsafe {
                            let output = ::core::task::ready!(fut.poll(cx));
                            let ret: io::Result<Response> = 'ret: {
                                __private::take!(
                                    state, HttpGet::WaitingOnConnect { server, path, .. }
                                );
                                let stream_value = __private::question!('ret, output);
                                let stream = frame.stream.init(stream_value);
                                let request_value = format!(
                                    "GET {0} HTTP/1.1\r\nHost: {1}\r\nConnection: close\r\n\r\n",
                                    path, server
                                );
                                let request = frame.request.init(request_value);
                                let fut = __private::Awaiting::new(
                                    (*stream).write_all((*request).as_bytes()),
                                );
                                __private::set!(state, HttpGet::WaitingOnWriteAll { fut });
                                trace("WaitingOnConnect", "WaitingOnWriteAll");
                                continue 'dispatch;
                            };
                            __private::clear!(frame, buf, response, request, stream);
                            trace("WaitingOnConnect", "Done");
                            return __private::ready(state, HttpGet::Done, ret);
                        }
                    }
                    HttpGet::WaitingOnWriteAll { fut, .. } => {
                        let output = ::core::task::ready!(fut.poll(cx));
                        let ret: io::Result<Response> = 'ret: {
                            __private::question!('ret, output);
                            let response = frame.response.init(Vec::new());
                            let buf = frame.buf.init([0u8; 4096]);
                            trace("WaitingOnWriteAll", "LoopHead");
                            __private::set!(state, HttpGet::LoopHead);
                            continue 'dispatch;
                        };
                        __private::clear!(frame, buf, response, request, stream);
                        trace("WaitingOnWriteAll", "Done");
                        return __private::ready(state, HttpGet::Done, ret);
                    }
                    HttpGet::LoopHead => {
                        unsafe {
                            let stream = frame.stream.as_ptr();
                            let buf = frame.buf.as_ptr();
                            let fut = __private::Awaiting::new(
                                (*stream).read(&mut (*buf)),
                            );
                            __private::set!(state, HttpGet::WaitingOnRead { fut });
                            trace("LoopHead", "WaitingOnRead");
                        }
                    }
                    HttpGet::WaitingOnRead { fut, .. } => {
                        unsafe {
                            let output = ::core::task::ready!(fut.poll(cx));
                            let ret: io::Result<Response> = 'ret: {
                                let response = frame.response.as_ptr();
                                let buf = frame.buf.as_ptr();
                                'exit_2: {
                                    {
                                        let n = __private::question!('ret, output);
                                        if n == 0 {
                                            break 'exit_2;
                                        }
                                        (*response).extend_from_slice(&(*buf)[..n]);
                                    }
                                    trace("WaitingOnRead", "LoopHead");
                                    __private::set!(state, HttpGet::LoopHead);
                                    continue 'dispatch;
                                };
                                http::parse_response(&(*response))
                            };
                            __private::clear!(frame, buf, response, request, stream);
                            trace("WaitingOnRead", "Done");
                            return __private::ready(state, HttpGet::Done, ret);
                        }
                    }
                    HttpGet::Done => __private::resumed_after_completion(),
                    HttpGet::Running => __private::resumed_after_panicking(),
                }
            }
        })
    }
}
