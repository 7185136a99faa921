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
pub fn http_get(
    server: SocketAddr,
    path: &str,
) -> impl ::core::future::Future<Output = io::Result<Response>> {
    if false {
        #[allow(unreachable_code)]
        let _witness = async move {
            let value: io::Result<Response> = {
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
            value
        };
        ::core::unreachable!()
    }
    /// State machine of `async fn http_get` (line 22): one state per `.await`.
    enum HttpGet<T0, T1, F0, F1, F2> {
        /// Not yet polled: holds the arguments.
        Start {
            /// `server`: argument (line 22).
            server: T0,
            /// `path`: argument (line 22).
            path: T1,
        },
        /// Waiting on `TcpStream::connect(server).await` (line 23).
        WaitingOnConnect {
            /// The future being awaited, pinned here until it is ready.
            fut: ::explicit_async::__private::Awaiting<F0>,
        },
        /// Waiting on `stream.write_all(request.as_bytes()).await` (line 25).
        WaitingOnWriteAll {
            /// The future being awaited, pinned here until it is ready.
            fut: ::explicit_async::__private::Awaiting<F1>,
        },
        /// Waiting on `stream.read(&mut buf).await` (line 29).
        WaitingOnRead {
            /// The future being awaited, pinned here until it is ready.
            fut: ::explicit_async::__private::Awaiting<F2>,
        },
        /// Returned `Ready`; polling again panics.
        Done,
        /// Running the code between two awaits. A poll that panicked leaves it
        /// here, and polling again panics (rustc's "poisoned" state).
        Running,
    }
    /// Frame of `http_get`: the state, then the locals that must not move, newest first (field order is drop order).
    struct HttpGetFrame<S, T5, T4, T3, T2, T1, T0> {
        /// Where the machine is.
        state: S,
        /// `buf`: `let` (line 27). Borrowed across an await, so it never moves.
        buf: ::explicit_async::__private::Slot<T5>,
        /// `response`: `let` (line 26). Borrowed across an await, so it never moves.
        response: ::explicit_async::__private::Slot<T4>,
        /// `request`: `let` (line 24). Borrowed across an await, so it never moves.
        request: ::explicit_async::__private::Slot<T3>,
        /// `stream`: `let` (line 23). Borrowed across an await, so it never moves.
        stream: ::explicit_async::__private::Slot<T2>,
        /// `path`: argument (line 22). Borrowed across an await, so it never moves.
        path: ::explicit_async::__private::Slot<T1>,
        /// `server`: argument (line 22). Borrowed across an await, so it never moves.
        server: ::explicit_async::__private::Slot<T0>,
    }
    #[allow(dangerous_implicit_autorefs)]
    let machine = ::explicit_async::__private::StateMachine::new::<
        io::Result<Response>,
    >(
        HttpGetFrame {
            state: HttpGet::Start { server, path },
            buf: ::explicit_async::__private::Slot::EMPTY,
            response: ::explicit_async::__private::Slot::EMPTY,
            request: ::explicit_async::__private::Slot::EMPTY,
            stream: ::explicit_async::__private::Slot::EMPTY,
            path: ::explicit_async::__private::Slot::EMPTY,
            server: ::explicit_async::__private::Slot::EMPTY,
        },
        || HttpGetFrame {
            state: HttpGet::Running,
            buf: ::explicit_async::__private::Slot::EMPTY,
            response: ::explicit_async::__private::Slot::EMPTY,
            request: ::explicit_async::__private::Slot::EMPTY,
            stream: ::explicit_async::__private::Slot::EMPTY,
            path: ::explicit_async::__private::Slot::EMPTY,
            server: ::explicit_async::__private::Slot::EMPTY,
        },
        |mut machine, cx| {
            'dispatch: loop {
                let HttpGetFrame {
                    state: state,
                    buf: slot_buf,
                    response: slot_response,
                    request: slot_request,
                    stream: slot_stream,
                    path: slot_path,
                    server: slot_server,
                } = unsafe { machine.as_mut().get_unchecked_mut() };
                match state {
                    HttpGet::Start { .. } => {
                        unsafe {
                            let HttpGet::Start { server, path } = ::core::mem::replace(
                                state,
                                HttpGet::Running,
                            ) else { ::core::unreachable!() };
                            #[allow(unused_variables)]
                            let server = slot_server.init(server);
                            #[allow(unused_variables)]
                            let path = slot_path.init(path);
                            let fut = ::core::future::IntoFuture::into_future(
                                TcpStream::connect((*server)),
                            );
                            *state = HttpGet::WaitingOnConnect {
                                fut: ::explicit_async::__private::Awaiting::new(fut),
                            };
                            ::explicit_async::__private::trace(
                                "http_get",
                                "Start",
                                "WaitingOnConnect",
                            );
                            continue 'dispatch;
                        }
                    }
                    HttpGet::WaitingOnConnect { fut, .. } => {
                        let output = match unsafe { fut.poll(cx) } {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let ret: io::Result<Response> = 'ret: {
                            unsafe {
                                let HttpGet::WaitingOnConnect { .. } = ::core::mem::replace(
                                    state,
                                    HttpGet::Running,
                                ) else { ::core::unreachable!() };
                                let server = slot_server.ptr();
                                let path = slot_path.ptr();
                                #[allow(unused_variables)]
                                let stream = slot_stream
                                    .init(
                                        match ::explicit_async::__private::question_mark::Branch::branch(
                                            output,
                                        ) {
                                            ::core::ops::ControlFlow::Continue(value) => value,
                                            ::core::ops::ControlFlow::Break(residual) => {
                                                break 'ret (::explicit_async::__private::question_mark::FromResidual::from_residual(
                                                    residual,
                                                ));
                                            }
                                        },
                                    );
                                #[allow(unused_variables)]
                                let request = slot_request
                                    .init(
                                        format!(
                                            "GET {0} HTTP/1.1\r\nHost: {1}\r\nConnection: close\r\n\r\n",
                                            (* path), (* server)
                                        ),
                                    );
                                let fut = ::core::future::IntoFuture::into_future(
                                    (*stream).write_all((*request).as_bytes()),
                                );
                                *state = HttpGet::WaitingOnWriteAll {
                                    fut: ::explicit_async::__private::Awaiting::new(fut),
                                };
                                ::explicit_async::__private::trace(
                                    "http_get",
                                    "WaitingOnConnect",
                                    "WaitingOnWriteAll",
                                );
                                continue 'dispatch;
                            }
                        };
                        *state = HttpGet::Done;
                        slot_buf.clear();
                        slot_response.clear();
                        slot_request.clear();
                        slot_stream.clear();
                        slot_path.clear();
                        slot_server.clear();
                        ::explicit_async::__private::trace(
                            "http_get",
                            "WaitingOnConnect",
                            "Done",
                        );
                        return ::core::task::Poll::Ready(ret);
                    }
                    HttpGet::WaitingOnWriteAll { fut, .. } => {
                        let output = match unsafe { fut.poll(cx) } {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let ret: io::Result<Response> = 'ret: {
                            unsafe {
                                let HttpGet::WaitingOnWriteAll { .. } = ::core::mem::replace(
                                    state,
                                    HttpGet::Running,
                                ) else { ::core::unreachable!() };
                                let stream = slot_stream.ptr();
                                match ::explicit_async::__private::question_mark::Branch::branch(
                                    output,
                                ) {
                                    ::core::ops::ControlFlow::Continue(value) => value,
                                    ::core::ops::ControlFlow::Break(residual) => {
                                        break 'ret (::explicit_async::__private::question_mark::FromResidual::from_residual(
                                            residual,
                                        ));
                                    }
                                };
                                #[allow(unused_variables)]
                                let response = slot_response.init(Vec::new());
                                #[allow(unused_variables)]
                                let buf = slot_buf.init([0u8; 4096]);
                                loop {
                                    let fut = ::core::future::IntoFuture::into_future(
                                        (*stream).read(&mut (*buf)),
                                    );
                                    *state = HttpGet::WaitingOnRead {
                                        fut: ::explicit_async::__private::Awaiting::new(fut),
                                    };
                                    ::explicit_async::__private::trace(
                                        "http_get",
                                        "WaitingOnWriteAll",
                                        "WaitingOnRead",
                                    );
                                    continue 'dispatch;
                                }
                            }
                        };
                        *state = HttpGet::Done;
                        slot_buf.clear();
                        slot_response.clear();
                        slot_request.clear();
                        slot_stream.clear();
                        slot_path.clear();
                        slot_server.clear();
                        ::explicit_async::__private::trace(
                            "http_get",
                            "WaitingOnWriteAll",
                            "Done",
                        );
                        return ::core::task::Poll::Ready(ret);
                    }
                    HttpGet::WaitingOnRead { fut, .. } => {
                        let output = match unsafe { fut.poll(cx) } {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let ret: io::Result<Response> = 'ret: {
                            unsafe {
                                let HttpGet::WaitingOnRead { .. } = ::core::mem::replace(
                                    state,
                                    HttpGet::Running,
                                ) else { ::core::unreachable!() };
                                let stream = slot_stream.ptr();
                                let response = slot_response.ptr();
                                let buf = slot_buf.ptr();
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
                                        (*response).extend_from_slice(&(*buf)[..n]);
                                    }
                                    loop {
                                        let fut = ::core::future::IntoFuture::into_future(
                                            (*stream).read(&mut (*buf)),
                                        );
                                        *state = HttpGet::WaitingOnRead {
                                            fut: ::explicit_async::__private::Awaiting::new(fut),
                                        };
                                        ::explicit_async::__private::trace(
                                            "http_get",
                                            "WaitingOnRead",
                                            "WaitingOnRead",
                                        );
                                        continue 'dispatch;
                                    }
                                }
                                http::parse_response(&(*response))
                            }
                        };
                        *state = HttpGet::Done;
                        slot_buf.clear();
                        slot_response.clear();
                        slot_request.clear();
                        slot_stream.clear();
                        slot_path.clear();
                        slot_server.clear();
                        ::explicit_async::__private::trace(
                            "http_get",
                            "WaitingOnRead",
                            "Done",
                        );
                        return ::core::task::Poll::Ready(ret);
                    }
                    HttpGet::Done => {
                        ::explicit_async::__private::resumed_after_completion()
                    }
                    HttpGet::Running => {
                        ::explicit_async::__private::resumed_after_panicking()
                    }
                }
            }
        },
    );
    machine
}
