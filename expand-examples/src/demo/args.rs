//! Command-line arguments of the demo, parsed by hand.

use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

pub const USAGE: &str = "\
usage: expand-examples [OPTIONS]

Starts a delay server on 127.0.0.1 (GET /{delay_ms}/{message} answers message
after delay_ms), sends it N concurrent requests from #[explicit_async] HTTP
clients and prints how long that took next to the longest delay.

options:
  -n, --requests N      number of concurrent requests (default 1000)
      --max-delay-ms MS  longest delay asked for (default 500); request i
                         waits (i * 7919) % MS + 1 ms
      --threads K       run the clients on the work-stealing runtime with K
                         workers (default: one thread, block_on + spawn_local)
      --trace           print the state transitions of the first request
      --server ADDR     use the delay server at ADDR instead of starting one
      --serve ADDR      only run the delay server on ADDR, until killed
  -h, --help            this text";

/// The default number of requests.
pub const DEFAULT_REQUESTS: usize = 1000;
/// The default longest delay.
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_millis(500);

/// How to run the clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub requests: usize,
    pub max_delay: Duration,
    /// `None`: single-threaded; `Some(k)`: the work-stealing runtime with `k` workers.
    pub threads: Option<usize>,
    pub trace: bool,
    /// An external delay server; `None` starts one in the process.
    pub server: Option<SocketAddr>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            requests: DEFAULT_REQUESTS,
            max_delay: DEFAULT_MAX_DELAY,
            threads: None,
            trace: false,
            server: None,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Run(Config),
    Serve(SocketAddr),
    Help,
}

fn positive(flag: &str, value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(0) => Err(format!("{flag} must be at least 1")),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "{flag} needs a positive whole number, not `{value}`"
        )),
    }
}

fn address(flag: &str, value: &str) -> Result<SocketAddr, String> {
    let mut addresses = value.to_socket_addrs().map_err(|error| {
        format!("{flag} needs an address like 127.0.0.1:8080, not `{value}` ({error})")
    })?;
    addresses
        .next()
        .ok_or_else(|| format!("{flag}: `{value}` resolves to no address"))
}

/// Parses the arguments after the program name. Both `--flag value` and
/// `--flag=value` are accepted.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut config = Config::default();
    let mut serve = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        if inline_value.is_some() && matches!(flag.as_str(), "--help" | "--trace") {
            return Err(format!("{flag} takes no value"));
        }
        let mut value = || -> Result<String, String> {
            inline_value
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-n" | "--requests" => config.requests = positive(&flag, &value()?)?,
            "--max-delay-ms" => {
                let ms = positive(&flag, &value()?)?;
                let max_delay = Duration::from_millis(ms as u64);
                if max_delay > crate::http::MAX_DELAY {
                    return Err(format!(
                        "{flag} is at most {}",
                        crate::http::MAX_DELAY.as_millis()
                    ));
                }
                config.max_delay = max_delay;
            }
            "--threads" => config.threads = Some(positive(&flag, &value()?)?),
            "--trace" => config.trace = true,
            "--server" => config.server = Some(address(&flag, &value()?)?),
            "--serve" => serve = Some(address(&flag, &value()?)?),
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    match serve {
        Some(_) if config.server.is_some() => Err("--serve and --server exclude each other".into()),
        Some(addr) => Ok(Command::Serve(addr)),
        None => Ok(Command::Run(config)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(line: &str) -> Result<Command, String> {
        parse(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn defaults() {
        assert_eq!(parse_str(""), Ok(Command::Run(Config::default())));
    }

    #[test]
    fn every_flag() {
        let expected = Config {
            requests: 50,
            max_delay: Duration::from_millis(200),
            threads: Some(2),
            trace: true,
            server: Some("127.0.0.1:8080".parse().unwrap()),
        };
        let line = "-n 50 --max-delay-ms 200 --threads 2 --trace --server 127.0.0.1:8080";
        assert_eq!(parse_str(line), Ok(Command::Run(expected.clone())));
        let line = "--requests=50 --max-delay-ms=200 --threads=2 --trace --server=127.0.0.1:8080";
        assert_eq!(parse_str(line), Ok(Command::Run(expected)));
        assert_eq!(
            parse_str("--serve 127.0.0.1:0"),
            Ok(Command::Serve("127.0.0.1:0".parse().unwrap()))
        );
        assert_eq!(parse_str("-n 3 --help"), Ok(Command::Help));
    }

    #[test]
    fn bad_input_is_explained() {
        for (line, message) in [
            ("-n 0", "-n must be at least 1"),
            ("-n many", "-n needs a positive whole number, not `many`"),
            ("--requests", "--requests needs a value"),
            ("--max-delay-ms 0", "--max-delay-ms must be at least 1"),
            (
                "--max-delay-ms 99999999",
                "--max-delay-ms is at most 3600000",
            ),
            ("--threads 0", "--threads must be at least 1"),
            (
                "--server nowhere",
                "--server needs an address like 127.0.0.1:8080, not `nowhere`",
            ),
            (
                "--serve 127.0.0.1:0 --server 127.0.0.1:1",
                "--serve and --server exclude each other",
            ),
            ("--trace=yes", "--trace takes no value"),
            ("--verbose", "unknown option `--verbose`"),
            ("extra", "unexpected argument `extra`"),
        ] {
            let error = parse_str(line).unwrap_err();
            assert!(error.starts_with(message), "{line}: {error}");
        }
    }
}
