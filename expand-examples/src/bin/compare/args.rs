//! Command-line arguments of `compare`, parsed by hand.

use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

use expand_examples::http::MAX_DELAY;

pub const USAGE: &str = "\
usage: compare [OPTIONS]

Runs the delay-server workload twice against an embedded delay server, N
concurrent requests each way: as #[explicit_async] state machines on the
single-threaded executor, and as green threads (stackful coroutines) on the
green scheduler, both over the same reactor and timers. Each side runs in a
fresh child process (this program again), so one side's freed memory does
not hide the other's. Prints, side by side: wall time and wall/longest,
memory per task, the cost of a switch, and how many tasks fit in 1 GiB.

options:
  -n, --requests N       concurrent requests per side (default 1000)
      --max-delay-ms MS  longest delay asked for (default 500); request i
                         waits (i * 7919) % MS + 1 ms
      --yields N         hand-offs in the switch ping-pong (default 1000000)
      --side SIDE        run one side only, `state-machines` or `green`, and
                         print its figures as `key value` lines
      --server ADDR      with --side: an external delay server instead of an
                         embedded one
  -h, --help             this text";

pub const DEFAULT_REQUESTS: usize = 1000;
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_millis(500);
pub const DEFAULT_YIELDS: u64 = 1_000_000;

/// The two ways of running the same clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    StateMachines,
    Green,
}

impl Side {
    pub const BOTH: [Side; 2] = [Side::StateMachines, Side::Green];

    pub fn flag(self) -> &'static str {
        match self {
            Side::StateMachines => "state-machines",
            Side::Green => "green",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub requests: usize,
    pub max_delay: Duration,
    pub yields: u64,
    /// `Some`: run this side only, in this process.
    pub side: Option<Side>,
    pub server: Option<SocketAddr>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            requests: DEFAULT_REQUESTS,
            max_delay: DEFAULT_MAX_DELAY,
            yields: DEFAULT_YIELDS,
            side: None,
            server: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Run(Config),
    Help,
}

fn positive(flag: &str, value: &str) -> Result<u64, String> {
    match value.parse::<u64>() {
        Ok(0) => Err(format!("{flag} must be at least 1")),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "{flag} needs a positive whole number, not `{value}`"
        )),
    }
}

/// Parses the arguments after the program name (`--flag value` or
/// `--flag=value`).
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut config = Config::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        let mut value = || -> Result<String, String> {
            inline_value
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-n" | "--requests" => {
                let n = positive(&flag, &value()?)?;
                config.requests = usize::try_from(n).map_err(|_| format!("{flag} is too large"))?;
            }
            "--max-delay-ms" => {
                let max_delay = Duration::from_millis(positive(&flag, &value()?)?);
                if max_delay > MAX_DELAY {
                    return Err(format!("{flag} is at most {}", MAX_DELAY.as_millis()));
                }
                config.max_delay = max_delay;
            }
            "--yields" => config.yields = positive(&flag, &value()?)?,
            "--side" => {
                let side = value()?;
                config.side = Some(
                    Side::BOTH
                        .into_iter()
                        .find(|candidate| candidate.flag() == side)
                        .ok_or_else(|| {
                            format!("--side is `state-machines` or `green`, not `{side}`")
                        })?,
                );
            }
            "--server" => {
                let text = value()?;
                let addr = text
                    .to_socket_addrs()
                    .ok()
                    .and_then(|mut addrs| addrs.next())
                    .ok_or_else(|| {
                        format!("--server needs an address like 127.0.0.1:8080, not `{text}`")
                    })?;
                config.server = Some(addr);
            }
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    if config.server.is_some() && config.side.is_none() {
        return Err("--server goes with --side (the comparison embeds its own server)".into());
    }
    Ok(Command::Run(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(line: &str) -> Result<Command, String> {
        parse(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn defaults_and_every_flag() {
        assert_eq!(parse_str(""), Ok(Command::Run(Config::default())));
        let expected = Config {
            requests: 50,
            max_delay: Duration::from_millis(200),
            yields: 10,
            side: Some(Side::Green),
            server: Some("127.0.0.1:8080".parse().unwrap()),
        };
        let line = "-n 50 --max-delay-ms 200 --yields 10 --side green --server 127.0.0.1:8080";
        assert_eq!(parse_str(line), Ok(Command::Run(expected.clone())));
        let line =
            "--requests=50 --max-delay-ms=200 --yields=10 --side=green --server=127.0.0.1:8080";
        assert_eq!(parse_str(line), Ok(Command::Run(expected)));
        assert_eq!(parse_str("-n 3 --help"), Ok(Command::Help));
    }

    #[test]
    fn bad_input_is_explained() {
        for (line, message) in [
            ("-n 0", "-n must be at least 1"),
            ("-n -5", "-n needs a positive whole number, not `-5`"),
            ("--max-delay-ms", "--max-delay-ms needs a value"),
            (
                "--max-delay-ms 99999999",
                "--max-delay-ms is at most 3600000",
            ),
            (
                "--yields many",
                "--yields needs a positive whole number, not `many`",
            ),
            (
                "--side both",
                "--side is `state-machines` or `green`, not `both`",
            ),
            (
                "--side green --server nowhere",
                "--server needs an address like",
            ),
            ("--server 127.0.0.1:1", "--server goes with --side"),
            ("--verbose", "unknown option `--verbose`"),
            ("extra", "unexpected argument `extra`"),
        ] {
            let error = parse_str(line).unwrap_err();
            assert!(error.starts_with(message), "{line}: {error}");
        }
    }
}
