// @generated from early_return.rs by explicit_async_transform::expand, formatted with prettyplease.
// Do not edit; to update: BLESS=1 cargo test -p expand-examples --test expansions
//! Leaving early: `return` and `?` across awaits.
//!
//! In an `async fn`, `return` and `?` end the future: it completes with that
//! value and must not be polled again. In the state machine, both become a
//! step to `Done` that returns `Poll::Ready`; whatever the current state
//! held is dropped on the way, as it would be by the compiler's own future.
use crate::sim::try_read_file;
use explicit_async::explicit_async;
use std::fmt;
use std::io;
use std::num::ParseIntError;
/// Why no port could be found.
#[derive(Debug)]
pub enum ConfigError {
    /// A file could not be read.
    Io(io::Error),
    /// A `port=` line did not hold a number.
    BadPort(ParseIntError),
    /// Neither the file nor the defaults name a port.
    MissingPort,
}
impl From<io::Error> for ConfigError {
    fn from(error: io::Error) -> Self {
        ConfigError::Io(error)
    }
}
impl From<ParseIntError> for ConfigError {
    fn from(error: ParseIntError) -> Self {
        ConfigError::BadPort(error)
    }
}
impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Io(error) => write!(f, "cannot read the configuration: {error}"),
            ConfigError::BadPort(error) => write!(f, "bad port number: {error}"),
            ConfigError::MissingPort => write!(f, "no port configured"),
        }
    }
}
impl std::error::Error for ConfigError {}
/// The number on the first `port=` line of `text`, if there is one.
fn parse_port(text: &str) -> Result<Option<u16>, ParseIntError> {
    text.lines()
        .find_map(|line| line.strip_prefix("port="))
        .map(|port| port.trim().parse())
        .transpose()
}
/// The port configured in `path`, else the one in `defaults.txt`.
pub fn configured_port(
    path: &str,
) -> impl ::core::future::Future<Output = Result<u16, ConfigError>> {
    if false {
        #[allow(unreachable_code)]
        let _witness = async move {
            let value: Result<u16, ConfigError> = {
                let path = path;
                let text = try_read_file(path).await?;
                if let Some(port) = parse_port(&text)? {
                    return Ok(port);
                }
                let defaults = try_read_file("defaults.txt").await?;
                parse_port(&defaults)?.ok_or(ConfigError::MissingPort)
            };
            value
        };
        ::core::unreachable!()
    }
    /// State machine of `async fn configured_port` (line 59): one state per `.await`.
    enum ConfiguredPort<T0, T1, F0, F1> {
        /// Not yet polled: holds the arguments.
        Start {
            /// `path`: argument (line 59).
            path: T0,
        },
        /// Waiting on `try_read_file(path).await` (line 61).
        WaitingOnTryReadFile {
            /// The future being awaited, pinned here until it is ready.
            fut: ::explicit_async::__private::Awaiting<F0>,
        },
        /// Waiting on `try_read_file("defaults.txt").await` (line 66).
        WaitingOnTryReadFile2 {
            /// The future being awaited, pinned here until it is ready.
            fut: ::explicit_async::__private::Awaiting<F1>,
            /// `text`: `let` (line 61).
            text: T1,
        },
        /// Returned `Ready`; polling again panics.
        Done,
        /// Running the code between two awaits. A poll that panicked leaves it
        /// here, and polling again panics (rustc's "poisoned" state).
        Running,
    }
    ::explicit_async::__private::StateMachine::new::<
        Result<u16, ConfigError>,
    >(
        ConfiguredPort::Start { path },
        || ConfiguredPort::Running,
        |mut machine, cx| {
            'dispatch: loop {
                let state = unsafe { machine.as_mut().get_unchecked_mut() };
                match state {
                    ConfiguredPort::Start { .. } => {
                        let ConfiguredPort::Start { path } = ::core::mem::replace(
                            state,
                            ConfiguredPort::Running,
                        ) else { ::core::unreachable!() };
                        let fut = ::core::future::IntoFuture::into_future(
                            try_read_file(path),
                        );
                        *state = ConfiguredPort::WaitingOnTryReadFile {
                            fut: ::explicit_async::__private::Awaiting::new(fut),
                        };
                        continue 'dispatch;
                    }
                    ConfiguredPort::WaitingOnTryReadFile { fut, .. } => {
                        let output = match unsafe { fut.poll(cx) } {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let ret: Result<u16, ConfigError> = 'ret: {
                            let ConfiguredPort::WaitingOnTryReadFile { .. } = ::core::mem::replace(
                                state,
                                ConfiguredPort::Running,
                            ) else { ::core::unreachable!() };
                            let text = match ::explicit_async::__private::question_mark::Branch::branch(
                                output,
                            ) {
                                ::core::ops::ControlFlow::Continue(value) => value,
                                ::core::ops::ControlFlow::Break(residual) => {
                                    break 'ret (::explicit_async::__private::question_mark::FromResidual::from_residual(
                                        residual,
                                    ));
                                }
                            };
                            if let Some(port) = match ::explicit_async::__private::question_mark::Branch::branch(
                                parse_port(&text),
                            ) {
                                ::core::ops::ControlFlow::Continue(value) => value,
                                ::core::ops::ControlFlow::Break(residual) => {
                                    break 'ret (::explicit_async::__private::question_mark::FromResidual::from_residual(
                                        residual,
                                    ));
                                }
                            } {
                                break 'ret (Ok(port));
                            }
                            let fut = ::core::future::IntoFuture::into_future(
                                try_read_file("defaults.txt"),
                            );
                            *state = ConfiguredPort::WaitingOnTryReadFile2 {
                                fut: ::explicit_async::__private::Awaiting::new(fut),
                                text,
                            };
                            continue 'dispatch;
                        };
                        *state = ConfiguredPort::Done;
                        return ::core::task::Poll::Ready(ret);
                    }
                    ConfiguredPort::WaitingOnTryReadFile2 { fut, .. } => {
                        let output = match unsafe { fut.poll(cx) } {
                            ::core::task::Poll::Ready(output) => output,
                            ::core::task::Poll::Pending => {
                                return ::core::task::Poll::Pending;
                            }
                        };
                        let ret: Result<u16, ConfigError> = 'ret: {
                            let ConfiguredPort::WaitingOnTryReadFile2 {
                                text: _text,
                                ..
                            } = ::core::mem::replace(state, ConfiguredPort::Running)
                            else { ::core::unreachable!() };
                            let defaults = match ::explicit_async::__private::question_mark::Branch::branch(
                                output,
                            ) {
                                ::core::ops::ControlFlow::Continue(value) => value,
                                ::core::ops::ControlFlow::Break(residual) => {
                                    break 'ret (::explicit_async::__private::question_mark::FromResidual::from_residual(
                                        residual,
                                    ));
                                }
                            };
                            match ::explicit_async::__private::question_mark::Branch::branch(
                                parse_port(&defaults),
                            ) {
                                ::core::ops::ControlFlow::Continue(value) => value,
                                ::core::ops::ControlFlow::Break(residual) => {
                                    break 'ret (::explicit_async::__private::question_mark::FromResidual::from_residual(
                                        residual,
                                    ));
                                }
                            }
                                .ok_or(ConfigError::MissingPort)
                        };
                        *state = ConfiguredPort::Done;
                        return ::core::task::Poll::Ready(ret);
                    }
                    ConfiguredPort::Done => {
                        ::explicit_async::__private::resumed_after_completion()
                    }
                    ConfiguredPort::Running => {
                        ::explicit_async::__private::resumed_after_panicking()
                    }
                }
            }
        },
    )
}
