//! Many tasks waiting on one socket direction: every one of them is woken
//! (a second waiter must not replace the first), on both executors.
//!
//! Each waiter runs under a generous timeout `WAIT`; the tests require that
//! none of them times out, and that all were served in a small fraction of
//! `WAIT` (a ratio, not an absolute time: a waiter that was not woken would
//! only finish when its timeout re-polled it).

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use explicit_async_runtime::net::{TcpListener, TcpStream, UdpSocket};
use explicit_async_runtime::time::{sleep, timeout};
use explicit_async_runtime::{Runtime, block_on, spawn};

const WAITERS: usize = 8;
const WAIT: Duration = Duration::from_secs(20);
/// Served "promptly": within this fraction of `WAIT`.
const PROMPT_FRACTION: u32 = 4;

/// Runs `test` on `block_on`, then on a two-worker `Runtime`.
fn on_both_executors<F, Fut>(test: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    block_on(test());
    let runtime = Runtime::with_workers(2).unwrap();
    runtime.block_on(runtime.spawn(test())).unwrap();
}

/// Awaits every handle; panics if a waiter timed out or was slow.
async fn all_served<T: Send + 'static>(
    started: Instant,
    handles: Vec<
        explicit_async_runtime::JoinHandle<Result<T, explicit_async_runtime::time::Elapsed>>,
    >,
) -> Vec<T> {
    let mut outputs = Vec::new();
    for (index, handle) in handles.into_iter().enumerate() {
        match handle.await.unwrap() {
            Ok(output) => outputs.push(output),
            Err(_) => panic!("waiter {index} of {WAITERS} was never woken (it timed out)"),
        }
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed < WAIT / PROMPT_FRACTION,
        "waiters served in {elapsed:?}, not within 1/{PROMPT_FRACTION} of their {WAIT:?} timeout"
    );
    outputs
}

/// Lets every spawned waiter reach its `Pending` (they are all parked on
/// the socket before the event that must wake them).
async fn let_waiters_park() {
    sleep(Duration::from_millis(50)).await;
}

#[test]
fn all_readers_of_one_stream_are_woken() {
    on_both_executors(|| async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (client, accepted) = futures_join(TcpStream::connect(addr), listener.accept()).await;
        let (mut server, _) = accepted.unwrap();
        let client = Arc::new(client.unwrap());
        let started = Instant::now();
        let readers: Vec<_> = (0..WAITERS)
            .map(|_| {
                let client = client.clone();
                spawn(async move { timeout(WAIT, client.readable()).await })
            })
            .collect();
        let_waiters_park().await;
        server.write_all(b"x").await.unwrap();
        for readable in all_served(started, readers).await {
            readable.unwrap();
        }
    });
}

#[test]
fn all_acceptors_of_one_listener_are_served() {
    on_both_executors(|| async {
        let listener = Arc::new(TcpListener::bind("127.0.0.1:0").await.unwrap());
        let addr = listener.local_addr().unwrap();
        let started = Instant::now();
        let acceptors: Vec<_> = (0..WAITERS)
            .map(|_| {
                let listener = listener.clone();
                spawn(async move { timeout(WAIT, listener.accept()).await })
            })
            .collect();
        let_waiters_park().await;
        let mut clients = Vec::new();
        for _ in 0..WAITERS {
            clients.push(TcpStream::connect(addr).await.unwrap());
        }
        let accepted = all_served(started, acceptors).await;
        let mut peers: Vec<_> = accepted
            .into_iter()
            .map(|result| result.unwrap().1)
            .collect();
        let mut expected: Vec<_> = clients.iter().map(|c| c.local_addr().unwrap()).collect();
        peers.sort();
        expected.sort();
        assert_eq!(peers, expected, "each connection accepted exactly once");
    });
}

#[test]
fn all_receivers_of_one_udp_socket_get_a_datagram() {
    on_both_executors(|| async {
        let socket = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let addr = socket.local_addr().unwrap();
        let sender = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let started = Instant::now();
        let receivers: Vec<_> = (0..WAITERS)
            .map(|_| {
                let socket = socket.clone();
                spawn(async move {
                    timeout(WAIT, async {
                        let mut buf = [0u8; 16];
                        let (n, _) = socket.recv_from(&mut buf).await?;
                        Ok::<_, io::Error>(buf[0..n].to_vec())
                    })
                    .await
                })
            })
            .collect();
        let_waiters_park().await;
        for n in 0..WAITERS as u8 {
            sender.send_to(&[n], addr).await.unwrap();
        }
        let mut received: Vec<_> = all_served(started, receivers)
            .await
            .into_iter()
            .map(|datagram| datagram.unwrap())
            .collect();
        received.sort();
        let expected: Vec<_> = (0..WAITERS as u8).map(|n| vec![n]).collect();
        assert_eq!(received, expected, "each datagram received exactly once");
    });
}

/// A waiter that gives up (its future dropped) leaves the others waiting,
/// and they are still woken.
#[test]
fn a_cancelled_waiter_does_not_lose_the_others() {
    on_both_executors(|| async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (client, accepted) = futures_join(TcpStream::connect(addr), listener.accept()).await;
        let (mut server, _) = accepted.unwrap();
        let client = Arc::new(client.unwrap());
        let started = Instant::now();
        let readers: Vec<_> = (1..WAITERS)
            .map(|_| {
                let client = client.clone();
                spawn(async move { timeout(WAIT, client.readable()).await })
            })
            .collect();
        // Gives up after parking, so its slot is freed while others wait.
        let quitter = {
            let client = client.clone();
            spawn(async move { timeout(Duration::from_millis(1), client.readable()).await })
        };
        assert!(quitter.await.unwrap().is_err(), "nothing was readable yet");
        let_waiters_park().await;
        server.write_all(b"x").await.unwrap();
        for readable in all_served(started, readers).await {
            readable.unwrap();
        }
    });
}

/// Polls both futures until both are done (connect and accept together).
async fn futures_join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
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
