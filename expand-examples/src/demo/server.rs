//! The delay server: `GET /{delay_ms}/{message}` answers `message` after
//! `delay_ms`. One task per connection on a single-threaded executor; the
//! waiting is a timer, so ten thousand requests that wait cost no thread.

use crate::http::{self, DelayRequest};
use explicit_async::explicit_async;
use explicit_async::runtime::net::{TcpListener, TcpStream};
use explicit_async::runtime::time::sleep;
use explicit_async::runtime::{block_on, spawn_local};
use std::io;
use std::net::{Shutdown, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// A request head larger than this is refused.
const MAX_HEAD: usize = 8 * 1024;

/// Reads one request, waits, answers, closes.
#[explicit_async]
async fn serve_connection(mut stream: TcpStream) -> io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    let end = loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = http::head_end(&head) {
            break end;
        }
        if head.len() > MAX_HEAD {
            break head.len();
        }
    };
    let request = http::parse_request(&head[..end]);
    let response = match request {
        Ok(DelayRequest { delay, message }) => {
            sleep(delay).await;
            http::response(200, "OK", &message)
        }
        Err(reason) => http::response(400, "Bad Request", &format!("{reason}\n")),
    };
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown(Shutdown::Write)
}

/// Accepts connections until `stop` is set (and one more connection wakes it).
#[explicit_async]
async fn accept_loop(listener: TcpListener, stop: Arc<AtomicBool>) {
    loop {
        let accepted = listener.accept().await;
        if stop.load(Ordering::Acquire) {
            return;
        }
        match accepted {
            Ok((stream, _peer)) => {
                // One client's I/O error ends its connection, not the server.
                drop(spawn_local(serve_connection(stream)));
            }
            Err(error) => {
                // Typically out of file descriptors: wait for some to close.
                eprintln!("delay server: accept failed: {error}");
                sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

fn bind_error(addr: SocketAddr, error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("cannot listen on {addr}: {error}"))
}

/// The embedded delay server, running on its own thread until stopped or dropped.
pub struct DelayServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl DelayServer {
    /// Binds `addr` (port 0: any free port) and starts serving.
    pub fn start(addr: SocketAddr) -> io::Result<DelayServer> {
        let (bound_tx, bound_rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = stop.clone();
        let thread = thread::Builder::new()
            .name("delay-server".into())
            .spawn(move || {
                block_on(async move {
                    let listener = match TcpListener::bind(addr).await {
                        Ok(listener) => listener,
                        Err(error) => {
                            let _ = bound_tx.send(Err(bind_error(addr, error)));
                            return;
                        }
                    };
                    let _ = bound_tx.send(listener.local_addr());
                    accept_loop(listener, thread_stop).await;
                });
            })?;
        let bound = bound_rx.recv().unwrap_or_else(|_| {
            Err(io::Error::other(
                "the delay server thread ended before it was listening",
            ))
        });
        match bound {
            Ok(addr) => Ok(DelayServer {
                addr,
                stop,
                thread: Some(thread),
            }),
            Err(error) => {
                let _ = thread.join();
                Err(error)
            }
        }
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for DelayServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // Wake the accept loop so it sees `stop`; if the connection fails,
        // the listener is gone already.
        if std::net::TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).is_ok()
            && let Some(thread) = self.thread.take()
        {
            let _ = thread.join();
        }
    }
}

/// Runs the delay server on this thread until the process is killed.
pub fn serve_forever(addr: SocketAddr) -> io::Result<()> {
    block_on(async move {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|error| bind_error(addr, error))?;
        println!(
            "delay server listening on http://{}/{{delay_ms}}/{{message}}",
            listener.local_addr()?
        );
        accept_loop(listener, Arc::new(AtomicBool::new(false))).await;
        Ok(())
    })
}
