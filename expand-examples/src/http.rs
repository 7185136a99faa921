//! The little HTTP/1.1 the demo speaks: the delay server's request line
//! `GET /{delay_ms}/{message}` and a response with a `Content-Length` body.
//! Plain functions over bytes, so that the `async` code around them only
//! moves bytes, and so that they are tested without sockets.

use std::io;
use std::time::Duration;

/// The longest delay the server accepts, so that a typo cannot park a
/// connection for days.
pub const MAX_DELAY: Duration = Duration::from_secs(3600);

/// A request for `message` after `delay`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayRequest {
    pub delay: Duration,
    pub message: String,
}

impl DelayRequest {
    /// The request's path: `/{delay_ms}/{message}`.
    pub fn path(&self) -> String {
        format!("/{}/{}", self.delay.as_millis(), self.message)
    }
}

/// Where the request head ends (`\r\n\r\n`), if it is complete.
pub fn head_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .map(|start| start + 4)
}

/// Parses the head of a delay request; the error is the reason to send
/// back with `400 Bad Request`.
pub fn parse_request(head: &[u8]) -> Result<DelayRequest, String> {
    let head = std::str::from_utf8(head).map_err(|_| "the request is not UTF-8".to_owned())?;
    let request_line = head.lines().next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("malformed request line `{request_line}`"));
    };
    if method != "GET" {
        return Err(format!("only GET is served, not {method}"));
    }
    if !version.starts_with("HTTP/1.") {
        return Err(format!("only HTTP/1.x is served, not {version}"));
    }
    let usage = || format!("the path must be /{{delay_ms}}/{{message}}, not {target}");
    let (delay, message) = target
        .strip_prefix('/')
        .and_then(|rest| rest.split_once('/'))
        .ok_or_else(usage)?;
    let delay_ms: u64 = delay.parse().map_err(|_| usage())?;
    let delay = Duration::from_millis(delay_ms);
    if delay > MAX_DELAY {
        return Err(format!("the delay is at most {} ms", MAX_DELAY.as_millis()));
    }
    Ok(DelayRequest {
        delay,
        message: message.to_owned(),
    })
}

/// A complete response with `body` as plain text; the server closes the
/// connection after it.
pub fn response(status: u16, reason: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
}

/// The parts of a response the client checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

fn malformed(what: impl Into<String>) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("malformed HTTP response: {}", what.into()),
    )
}

/// Parses a whole response (read until the server closed the connection).
pub fn parse_response(bytes: &[u8]) -> io::Result<Response> {
    let end = head_end(bytes).ok_or_else(|| {
        if bytes.is_empty() {
            malformed("the server closed the connection without answering")
        } else {
            malformed("the header does not end with an empty line")
        }
    })?;
    let head =
        std::str::from_utf8(&bytes[..end]).map_err(|_| malformed("the header is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let (Some(version), Some(status)) = (parts.next(), parts.next()) else {
        return Err(malformed(format!("bad status line `{status_line}`")));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(malformed(format!("bad status line `{status_line}`")));
    }
    let status: u16 = status
        .parse()
        .map_err(|_| malformed(format!("bad status `{status}`")))?;
    let content_length = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .map(|(_, value)| value.trim().parse::<usize>())
        .transpose()
        .map_err(|_| malformed("bad Content-Length"))?;
    let body = &bytes[end..];
    let body = match content_length {
        Some(length) if body.len() < length => {
            return Err(malformed(format!(
                "{} of {length} body bytes before the end",
                body.len()
            )));
        }
        Some(length) => &body[..length],
        None => body,
    };
    let body = String::from_utf8(body.to_vec()).map_err(|_| malformed("the body is not UTF-8"))?;
    Ok(Response { status, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_delay_request() {
        let request = parse_request(b"GET /250/hello HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        assert_eq!(
            request,
            DelayRequest {
                delay: Duration::from_millis(250),
                message: "hello".into()
            }
        );
        assert_eq!(request.path(), "/250/hello");
    }

    #[test]
    fn rejects_other_requests() {
        for (head, reason) in [
            (&b"POST /1/x HTTP/1.1\r\n\r\n"[..], "only GET"),
            (b"GET /x HTTP/1.1\r\n\r\n", "the path must be"),
            (b"GET /ten/x HTTP/1.1\r\n\r\n", "the path must be"),
            (b"GET /99999999/x HTTP/1.1\r\n\r\n", "the delay is at most"),
            (b"GET /1/x\r\n\r\n", "malformed request line"),
            (b"GET /1/x SPDY/3\r\n\r\n", "only HTTP/1.x"),
            (b"\xff\r\n\r\n", "not UTF-8"),
        ] {
            let error = parse_request(head).unwrap_err();
            assert!(error.contains(reason), "{error}");
        }
    }

    #[test]
    fn response_round_trips() {
        let text = response(200, "OK", "hello");
        assert_eq!(head_end(text.as_bytes()), Some(text.len() - 5));
        assert_eq!(
            parse_response(text.as_bytes()).unwrap(),
            Response {
                status: 200,
                body: "hello".into()
            }
        );
    }

    #[test]
    fn malformed_responses_are_errors() {
        for (bytes, reason) in [
            (&b""[..], "closed the connection without answering"),
            (b"HTTP/1.1 200 OK\r\n", "does not end"),
            (b"SMTP ready\r\n\r\n", "bad status line"),
            (b"HTTP/1.1 abc OK\r\n\r\n", "bad status"),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
                "5 of 10 body bytes",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
                "bad Content-Length",
            ),
        ] {
            let error = parse_response(bytes).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidData);
            assert!(error.to_string().contains(reason), "{error}");
        }
    }
}
