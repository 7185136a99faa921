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
pub fn configured_port<'life0>(
    path: &'life0 str,
) -> impl ::core::future::Future<
    Output = Result<u16, ConfigError>,
> + ::explicit_async::__private::Captures<(&'life0 (),)> {
    if false {
        ::explicit_async::__private::witness(async move {
            let _value: Result<u16, ConfigError> = {
                let path = path;
                let text = try_read_file(path).await?;
                if let Some(port) = parse_port(&text)? {
                    return Ok(port);
                }
                let defaults = try_read_file("defaults.txt").await?;
                parse_port(&defaults)?.ok_or(ConfigError::MissingPort)
            };
            #[allow(unreachable_code, clippy::style, clippy::pedantic)] return _value;
        });
    }
    {
        #![allow(warnings, unreachable_code, clippy::all, clippy::pedantic)]
        #![allow(dangerous_implicit_autorefs, clippy::nursery, clippy::restriction)]
        use ::explicit_async::__private;
        /// State machine of `async fn configured_port` (line 59): one state per `.await`.
        enum ConfiguredPort<Path, TryReadFileFuture, TryReadFile2Future, Text> {
            /// Not yet polled: holds the arguments.
            Start {
                /// `path`: argument (line 59).
                path: Path,
            },
            /// Waiting on `try_read_file(path).await` (line 61).
            WaitingOnTryReadFile {
                /// The future being awaited, pinned here until it is ready.
                fut: __private::Awaiting<TryReadFileFuture>,
            },
            /// Waiting on `try_read_file("defaults.txt").await` (line 66).
            WaitingOnTryReadFile2 {
                /// The future being awaited, pinned here until it is ready.
                fut: __private::Awaiting<TryReadFile2Future>,
                /// `text`: `let` (line 61).
                text: Text,
            },
            /// Returned `Ready`; polling again panics.
            Done,
            /// Running the code between two awaits. A poll that panicked leaves it
            /// here, and polling again panics (rustc's "poisoned" state).
            Running,
        }
        let mut state = ConfiguredPort::Start { path };
        __private::StateMachine::new(move |
            cx,
        | -> __private::Poll<Result<u16, ConfigError>> {
            let state = &mut state;
            let cx = __private::resume!(cx, state, ConfiguredPort);
            'dispatch: loop {
                match state {
                    ConfiguredPort::Start { .. } => {
                        __private::take!(state, ConfiguredPort::Start { path });
                        let fut = __private::Awaiting::new(try_read_file(path));
                        __private::set!(
                            state, ConfiguredPort::WaitingOnTryReadFile { fut }
                        );
                    }
                    ConfiguredPort::WaitingOnTryReadFile { fut, .. } => {
                        let output = ::core::task::ready!(fut.poll(cx));
                        let ret: Result<u16, ConfigError> = 'ret: {
                            let text = __private::question!('ret, output);
                            if let Some(port) = __private::question!(
                                'ret, parse_port(& text)
                            ) {
                                break 'ret (Ok(port));
                            }
                            let fut = __private::Awaiting::new(
                                try_read_file("defaults.txt"),
                            );
                            __private::set!(
                                state, ConfiguredPort::WaitingOnTryReadFile2 { fut, text }
                            );
                            continue 'dispatch;
                        };
                        return __private::ready(state, ConfiguredPort::Done, ret);
                    }
                    ConfiguredPort::WaitingOnTryReadFile2 { fut, .. } => {
                        let output = ::core::task::ready!(fut.poll(cx));
                        let ret: Result<u16, ConfigError> = 'ret: {
                            __private::take!(
                                state, ConfiguredPort::WaitingOnTryReadFile2 { text, .. }
                            );
                            let defaults = __private::question!('ret, output);
                            __private::question!('ret, parse_port(& defaults))
                                .ok_or(ConfigError::MissingPort)
                        };
                        return __private::ready(state, ConfiguredPort::Done, ret);
                    }
                    ConfiguredPort::Done => __private::resumed_after_completion(),
                    ConfiguredPort::Running => __private::resumed_after_panicking(),
                }
            }
        })
    }
}
