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
#[explicit_async(trace)]
pub async fn http_get(server: SocketAddr, path: &str) -> io::Result<Response> {
    let mut stream = TcpStream::connect(server).await?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {server}\r\nConnection: close\r\n\r\n");
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
}
