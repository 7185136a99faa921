//! Async Unix-domain sockets: echo through a listener, split halves,
//! datagrams, several waiters, and errors as values, on both executors.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use explicit_async_runtime::net::{UnixDatagram, UnixListener, UnixStream};
use explicit_async_runtime::time::timeout;
use explicit_async_runtime::{Runtime, block_on, spawn};

const LIMIT: Duration = Duration::from_secs(60);

/// A fresh directory for socket files, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "explicit-async-net-unix-{}-{test}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `test` on `block_on`, then on a two-worker `Runtime`, each bounded
/// by `LIMIT`.
fn on_both_executors<F, Fut>(test: F)
where
    F: Fn(&'static str) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    block_on(async { timeout(LIMIT, test("block_on")).await.expect("timed out") });
    let runtime = Runtime::with_workers(2).unwrap();
    let task = runtime.spawn(test("runtime"));
    runtime
        .block_on(async { timeout(LIMIT, task).await.expect("timed out") })
        .unwrap();
}

#[test]
fn unix_stream_echo_through_a_listener() {
    on_both_executors(|executor| async move {
        let dir = TempDir::new(&format!("echo-{executor}"));
        let path = dir.path("socket");
        let listener = UnixListener::bind(&path).unwrap();
        assert_eq!(listener.local_addr().unwrap().as_pathname(), Some(&*path));
        let server = spawn(async move {
            let (mut stream, peer) = listener.accept().await.unwrap();
            assert!(peer.is_unnamed());
            let mut buf = [0u8; 1024];
            loop {
                let n = stream.read(&mut buf).await.unwrap();
                if n == 0 {
                    return;
                }
                stream.write_all(&buf[..n]).await.unwrap();
            }
        });
        let mut client = UnixStream::connect(&path).await.unwrap();
        let message: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        let (mut reader, mut writer) = client.split();
        let mut echoed = Vec::new();
        // Concurrently: 200 kB does not fit in the socket buffers one way.
        let write = async {
            writer.write_all(&message).await.unwrap();
            writer.shutdown().unwrap();
        };
        let read = async { reader.read_to_end(&mut echoed).await.unwrap() };
        let ((), n) = join(write, read).await;
        assert_eq!(n, message.len());
        assert_eq!(echoed, message);
        server.await.unwrap();
    });
}

#[test]
fn owned_halves_of_a_pair_move_to_tasks() {
    on_both_executors(|_| async {
        let (first, second) = UnixStream::pair().unwrap();
        let (mut first_reader, mut first_writer) = first.into_split();
        let (mut second_reader, mut second_writer) = second.into_split();
        let forward = spawn(async move {
            let mut buf = [0u8; 5];
            second_reader.read_exact(&mut buf).await.unwrap();
            second_writer.write_all(&buf).await.unwrap();
        });
        first_writer.write_all(b"hello").await.unwrap();
        let mut buf = [0u8; 5];
        first_reader.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"hello");
        forward.await.unwrap();
    });
}

#[test]
fn unix_datagrams_and_several_receivers() {
    on_both_executors(|executor| async move {
        let dir = TempDir::new(&format!("datagram-{executor}"));
        let receiver = Arc::new(UnixDatagram::bind(dir.path("receiver")).unwrap());
        let sender = UnixDatagram::bind(dir.path("sender")).unwrap();
        let receivers: Vec<_> = (0..4)
            .map(|_| {
                let receiver = receiver.clone();
                spawn(async move {
                    let mut buf = [0u8; 8];
                    let (n, from) = receiver.recv_from(&mut buf).await.unwrap();
                    (buf[..n].to_vec(), from.as_pathname().map(PathBuf::from))
                })
            })
            .collect();
        for n in 0..4u8 {
            sender.send_to(&[n], dir.path("receiver")).await.unwrap();
        }
        let mut received = Vec::new();
        for handle in receivers {
            let (datagram, from) = handle.await.unwrap();
            assert_eq!(from, Some(dir.path("sender")));
            received.push(datagram);
        }
        received.sort();
        assert_eq!(received, vec![vec![0], vec![1], vec![2], vec![3]]);

        let (first, second) = UnixDatagram::pair().unwrap();
        first.send(b"pair").await.unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(second.recv(&mut buf).await.unwrap(), 4);
    });
}

#[test]
fn unix_errors_are_values() {
    on_both_executors(|executor| async move {
        let dir = TempDir::new(&format!("errors-{executor}"));
        let error = UnixStream::connect(dir.path("missing")).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        let _listener = UnixListener::bind(dir.path("taken")).unwrap();
        let error = UnixListener::bind(dir.path("taken")).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::AddrInUse);
    });
    let error = UnixStream::pair().unwrap_err();
    assert!(
        error.to_string().contains("no explicit-async runtime"),
        "{error}"
    );
}

/// Polls both futures until both are done.
async fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    let (mut out_a, mut out_b) = (None, None);
    std::future::poll_fn(|cx| {
        if out_a.is_none()
            && let std::task::Poll::Ready(output) = a.as_mut().poll(cx)
        {
            out_a = Some(output);
        }
        if out_b.is_none()
            && let std::task::Poll::Ready(output) = b.as_mut().poll(cx)
        {
            out_b = Some(output);
        }
        if out_a.is_some() && out_b.is_some() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    (out_a.unwrap(), out_b.unwrap())
}
