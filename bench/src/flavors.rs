//! The four executors under test behind one trait, so every workload is
//! the same generic code on each of them.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use explicit_async_runtime as ours;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the workloads need from a runtime.
pub trait Flavor: 'static {
    type Listener: Send + Sync + 'static;
    type Stream: Send + 'static;

    /// Runs `body` as a spawned task on this runtime and returns its output
    /// (the time the body measured itself).
    fn run<F>(&self, body: F) -> Duration
    where
        F: Future<Output = Duration> + Send + 'static;

    /// Spawns a task; the returned future gives its output.
    fn spawn<F>(future: F) -> impl Future<Output = F::Output> + Send + 'static
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;

    fn yield_now() -> impl Future<Output = ()> + Send;

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static;

    fn bind_loopback() -> impl Future<Output = io::Result<Self::Listener>> + Send;

    fn local_addr(listener: &Self::Listener) -> io::Result<SocketAddr>;

    fn accept(listener: &Self::Listener) -> impl Future<Output = io::Result<Self::Stream>> + Send;

    fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::Stream>> + Send;

    fn set_nodelay(stream: &Self::Stream) -> io::Result<()>;

    fn read_exact<'a>(
        stream: &'a mut Self::Stream,
        buf: &'a mut [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a;

    fn write_all<'a>(
        stream: &'a mut Self::Stream,
        buf: &'a [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a;
}

/// Ours, single thread: `block_on` with `spawn_local`.
pub struct OursSingle;

/// Ours, multi-thread: a `Runtime` with `spawn`.
pub struct OursMulti(pub ours::Runtime);

/// tokio's `current_thread` runtime.
pub struct TokioCurrent(pub tokio::runtime::Runtime);

/// tokio's `multi_thread` runtime.
pub struct TokioMulti(pub tokio::runtime::Runtime);

const LOOPBACK: &str = "127.0.0.1:0";

/// The parts both of our flavors share (everything but how tasks start).
macro_rules! ours_common {
    () => {
        type Listener = ours::net::TcpListener;
        type Stream = ours::net::TcpStream;

        fn yield_now() -> impl Future<Output = ()> + Send {
            ours::yield_now()
        }

        fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
            ours::time::sleep(duration)
        }

        fn bind_loopback() -> impl Future<Output = io::Result<Self::Listener>> + Send {
            ours::net::TcpListener::bind(LOOPBACK)
        }

        fn local_addr(listener: &Self::Listener) -> io::Result<SocketAddr> {
            listener.local_addr()
        }

        fn accept(
            listener: &Self::Listener,
        ) -> impl Future<Output = io::Result<Self::Stream>> + Send {
            async move { listener.accept().await.map(|(stream, _)| stream) }
        }

        fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::Stream>> + Send {
            ours::net::TcpStream::connect(addr)
        }

        fn set_nodelay(stream: &Self::Stream) -> io::Result<()> {
            stream.set_nodelay(true)
        }

        fn read_exact<'a>(
            stream: &'a mut Self::Stream,
            buf: &'a mut [u8],
        ) -> impl Future<Output = io::Result<()>> + Send + 'a {
            stream.read_exact(buf)
        }

        fn write_all<'a>(
            stream: &'a mut Self::Stream,
            buf: &'a [u8],
        ) -> impl Future<Output = io::Result<()>> + Send + 'a {
            stream.write_all(buf)
        }
    };
}

/// The parts both tokio flavors share.
macro_rules! tokio_common {
    () => {
        type Listener = tokio::net::TcpListener;
        type Stream = tokio::net::TcpStream;

        fn run<F>(&self, body: F) -> Duration
        where
            F: Future<Output = Duration> + Send + 'static,
        {
            self.0
                .block_on(async { tokio::spawn(body).await })
                .expect("benchmark task panicked")
        }

        fn spawn<F>(future: F) -> impl Future<Output = F::Output> + Send + 'static
        where
            F: Future + Send + 'static,
            F::Output: Send + 'static,
        {
            let handle = tokio::spawn(future);
            async move { handle.await.expect("benchmark task panicked") }
        }

        fn yield_now() -> impl Future<Output = ()> + Send {
            tokio::task::yield_now()
        }

        fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
            tokio::time::sleep(duration)
        }

        fn bind_loopback() -> impl Future<Output = io::Result<Self::Listener>> + Send {
            tokio::net::TcpListener::bind(LOOPBACK)
        }

        fn local_addr(listener: &Self::Listener) -> io::Result<SocketAddr> {
            listener.local_addr()
        }

        fn accept(
            listener: &Self::Listener,
        ) -> impl Future<Output = io::Result<Self::Stream>> + Send {
            async move { listener.accept().await.map(|(stream, _)| stream) }
        }

        fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::Stream>> + Send {
            tokio::net::TcpStream::connect(addr)
        }

        fn set_nodelay(stream: &Self::Stream) -> io::Result<()> {
            stream.set_nodelay(true)
        }

        fn read_exact<'a>(
            stream: &'a mut Self::Stream,
            buf: &'a mut [u8],
        ) -> impl Future<Output = io::Result<()>> + Send + 'a {
            // tokio's `read_exact` returns the length, which is `buf.len()`.
            async move { stream.read_exact(buf).await.map(drop) }
        }

        fn write_all<'a>(
            stream: &'a mut Self::Stream,
            buf: &'a [u8],
        ) -> impl Future<Output = io::Result<()>> + Send + 'a {
            stream.write_all(buf)
        }
    };
}

impl Flavor for OursSingle {
    ours_common!();

    fn run<F>(&self, body: F) -> Duration
    where
        F: Future<Output = Duration> + Send + 'static,
    {
        ours::block_on(async { ours::spawn_local(body).await }).expect("benchmark task panicked")
    }

    fn spawn<F>(future: F) -> impl Future<Output = F::Output> + Send + 'static
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let handle = ours::spawn_local(future);
        async move { handle.await.expect("benchmark task panicked") }
    }
}

impl Flavor for OursMulti {
    ours_common!();

    fn run<F>(&self, body: F) -> Duration
    where
        F: Future<Output = Duration> + Send + 'static,
    {
        self.0
            .block_on(async { ours::spawn(body).await })
            .expect("benchmark task panicked")
    }

    fn spawn<F>(future: F) -> impl Future<Output = F::Output> + Send + 'static
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let handle = ours::spawn(future);
        async move { handle.await.expect("benchmark task panicked") }
    }
}

impl Flavor for TokioCurrent {
    tokio_common!();
}

impl Flavor for TokioMulti {
    tokio_common!();
}
