//! The five workloads, written once over [`Flavor`]. Each measures itself
//! from inside a task on the runtime (runtime start-up is not counted).

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, Instant};

use crate::channel::channel;
use crate::flavors::Flavor;

pub const SPAWNED_TASKS: u64 = 10_000;
pub const YIELDING_TASKS: usize = 200;
pub const YIELDS_PER_TASK: usize = 1_000;
pub const PING_PONG_PAIRS: usize = 1_000;
pub const PING_PONG_ROUND_TRIPS: u32 = 100;
pub const ECHO_CONNECTIONS: usize = 50;
pub const ECHO_ROUND_TRIPS: usize = 1_000;
pub const ECHO_MESSAGE: usize = 512;
pub const TIMERS: usize = 100_000;

#[derive(Clone, Copy, Debug)]
pub enum Workload {
    SpawnMany,
    YieldMany,
    PingPong,
    TcpEcho,
    Timers,
}

impl Workload {
    pub const ALL: [Workload; 5] = [
        Workload::SpawnMany,
        Workload::YieldMany,
        Workload::PingPong,
        Workload::TcpEcho,
        Workload::Timers,
    ];

    pub fn label(self) -> String {
        match self {
            Workload::SpawnMany => format!("spawn {SPAWNED_TASKS} tasks + join"),
            Workload::YieldMany => format!("{YIELDING_TASKS} tasks x {YIELDS_PER_TASK} yields"),
            Workload::PingPong => {
                format!("{PING_PONG_PAIRS} ping-pong pairs x {PING_PONG_ROUND_TRIPS}")
            }
            Workload::TcpEcho => {
                format!("TCP echo {ECHO_CONNECTIONS} conns x {ECHO_ROUND_TRIPS} x {ECHO_MESSAGE} B")
            }
            Workload::Timers => format!("{TIMERS} timers set + cancelled"),
        }
    }

    /// Runs the workload once on `runtime`; returns the time it took.
    pub fn run_once<R: Flavor>(self, runtime: &R) -> Duration {
        match self {
            Workload::SpawnMany => runtime.run(spawn_many::<R>()),
            Workload::YieldMany => runtime.run(yield_many::<R>()),
            Workload::PingPong => runtime.run(ping_pong::<R>()),
            Workload::TcpEcho => runtime.run(tcp_echo::<R>()),
            Workload::Timers => runtime.run(timers::<R>()),
        }
    }
}

async fn spawn_many<R: Flavor>() -> Duration {
    let start = Instant::now();
    let handles: Vec<_> = (0..SPAWNED_TASKS)
        .map(|n| R::spawn(async move { n }))
        .collect();
    let mut sum = 0;
    for handle in handles {
        sum += handle.await;
    }
    let elapsed = start.elapsed();
    assert_eq!(sum, SPAWNED_TASKS * (SPAWNED_TASKS - 1) / 2);
    elapsed
}

async fn yield_many<R: Flavor>() -> Duration {
    let start = Instant::now();
    let handles: Vec<_> = (0..YIELDING_TASKS)
        .map(|_| {
            R::spawn(async {
                for _ in 0..YIELDS_PER_TASK {
                    R::yield_now().await;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.await;
    }
    start.elapsed()
}

async fn ping_pong<R: Flavor>() -> Duration {
    let start = Instant::now();
    let mut pingers = Vec::with_capacity(PING_PONG_PAIRS);
    let mut pongers = Vec::with_capacity(PING_PONG_PAIRS);
    for _ in 0..PING_PONG_PAIRS {
        let (ping_tx, mut ping_rx) = channel::<u32>();
        let (pong_tx, mut pong_rx) = channel::<u32>();
        pingers.push(R::spawn(async move {
            for n in 0..PING_PONG_ROUND_TRIPS {
                ping_tx.send(n);
                let echoed = pong_rx.recv().await.expect("pong side alive");
                assert_eq!(echoed, n);
            }
        }));
        pongers.push(R::spawn(async move {
            while let Some(n) = ping_rx.recv().await {
                pong_tx.send(n);
            }
        }));
    }
    for pinger in pingers {
        pinger.await;
    }
    for ponger in pongers {
        ponger.await;
    }
    start.elapsed()
}

async fn tcp_echo<R: Flavor>() -> Duration {
    let start = Instant::now();
    let listener = R::bind_loopback().await.expect("bind 127.0.0.1");
    let addr = R::local_addr(&listener).expect("listener address");
    let acceptor = R::spawn(async move {
        let mut servers = Vec::with_capacity(ECHO_CONNECTIONS);
        for _ in 0..ECHO_CONNECTIONS {
            let mut stream = R::accept(&listener).await.expect("accept");
            R::set_nodelay(&stream).expect("nodelay");
            servers.push(R::spawn(async move {
                let mut buf = [0; ECHO_MESSAGE];
                for _ in 0..ECHO_ROUND_TRIPS {
                    R::read_exact(&mut stream, &mut buf)
                        .await
                        .expect("server read");
                    R::write_all(&mut stream, &buf).await.expect("server write");
                }
            }));
        }
        servers
    });
    let clients: Vec<_> = (0..ECHO_CONNECTIONS)
        .map(|client| {
            R::spawn(async move {
                let mut stream = R::connect(addr).await.expect("connect");
                R::set_nodelay(&stream).expect("nodelay");
                let message = [client as u8; ECHO_MESSAGE];
                let mut echoed = [0; ECHO_MESSAGE];
                for _ in 0..ECHO_ROUND_TRIPS {
                    R::write_all(&mut stream, &message)
                        .await
                        .expect("client write");
                    R::read_exact(&mut stream, &mut echoed)
                        .await
                        .expect("client read");
                }
                assert_eq!(echoed, message);
            })
        })
        .collect();
    for client in clients {
        client.await;
    }
    for server in acceptor.await {
        server.await;
    }
    start.elapsed()
}

async fn timers<R: Flavor>() -> Duration {
    let start = Instant::now();
    // Far enough that none fires: each is registered, then cancelled.
    let mut sleeps: Vec<Pin<Box<_>>> = (0..TIMERS)
        .map(|_| Box::pin(R::sleep(Duration::from_secs(1))))
        .collect();
    poll_fn(|cx| {
        for sleep in &mut sleeps {
            assert!(sleep.as_mut().poll(cx).is_pending(), "a 1 s timer fired");
        }
        Poll::Ready(())
    })
    .await;
    drop(sleeps);
    start.elapsed()
}
