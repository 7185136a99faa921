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
#[explicit_async]
pub async fn configured_port(path: &str) -> Result<u16, ConfigError> {
    // `?` on an `io::Error` converts it with `From` and returns early.
    let text = try_read_file(path).await?;
    if let Some(port) = parse_port(&text)? {
        // Found: the second read never starts.
        return Ok(port);
    }
    let defaults = try_read_file("defaults.txt").await?;
    parse_port(&defaults)?.ok_or(ConfigError::MissingPort)
}
