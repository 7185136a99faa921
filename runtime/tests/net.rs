//! Async TCP and UDP on loopback: echo, errors as values, no fd leaks,
//! and 10,000 concurrent connections served by one `block_on`.

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::io;
use std::net::{Shutdown, SocketAddr};
use std::rc::Rc;
use std::sync::Mutex;
use std::task::{Poll, Waker};
use std::time::Duration;

use explicit_async_runtime::net::{TcpListener, TcpStream, UdpSocket};
use explicit_async_runtime::time::timeout;
use explicit_async_runtime::{block_on, spawn, spawn_local};

const LIMIT: Duration = Duration::from_secs(60);

/// Tests here run one at a time: one counts open descriptors, another
/// needs most of the descriptor limit.
static FD_COUNTING: Mutex<()> = Mutex::new(());

fn fd_lock() -> std::sync::MutexGuard<'static, ()> {
    FD_COUNTING.lock().unwrap_or_else(|p| p.into_inner())
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .count()
}

async fn echo_server(listener: TcpListener, connections: usize) {
    let mut handles = Vec::new();
    for _ in 0..connections {
        let (mut stream, _) = listener.accept().await.unwrap();
        handles.push(spawn(async move {
            let mut buf = [0u8; 4096];
            loop {
                let n = stream.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                stream.write_all(&buf[..n]).await.unwrap();
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
}

#[test]
fn tcp_echo() {
    let _fds = fd_lock();
    block_on(async {
        timeout(LIMIT, async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let server = spawn(echo_server(listener, 4));
            let mut clients = Vec::new();
            for c in 0..4u8 {
                clients.push(spawn(async move {
                    let mut stream = TcpStream::connect(addr).await.unwrap();
                    stream.set_nodelay(true).unwrap();
                    assert_eq!(stream.peer_addr().unwrap(), addr);
                    let message: Vec<u8> =
                        (0..100_000u32).map(|i| (i as u8).wrapping_add(c)).collect();
                    let (mut reader, mut writer) = stream.split();
                    let mut echoed = Vec::new();
                    // Write and read concurrently: 100 kB does not fit in the socket buffers one way.
                    let write = async {
                        writer.write_all(&message).await.unwrap();
                        writer.shutdown().unwrap();
                    };
                    let read = async { reader.read_to_end(&mut echoed).await.unwrap() };
                    let ((), n) = join(write, read).await;
                    assert_eq!(n, message.len());
                    assert_eq!(echoed, message);
                }));
            }
            for c in clients {
                c.await.unwrap();
            }
            server.await.unwrap();
        })
        .await
        .expect("echo timed out");
    });
}

/// Polls two futures until both are done (enough for these tests).
async fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    let (mut out_a, mut out_b) = (None, None);
    poll_fn(|cx| {
        if out_a.is_none()
            && let Poll::Ready(v) = a.as_mut().poll(cx)
        {
            out_a = Some(v);
        }
        if out_b.is_none()
            && let Poll::Ready(v) = b.as_mut().poll(cx)
        {
            out_b = Some(v);
        }
        if out_a.is_some() && out_b.is_some() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    (out_a.unwrap(), out_b.unwrap())
}

#[test]
fn refused_connection_is_an_error() {
    let _fds = fd_lock();
    block_on(async {
        // Bind then drop: nothing listens on the port any more.
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let error = timeout(LIMIT, TcpStream::connect(addr))
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused, "{error}");
        // The runtime still works.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (connected, accepted) = join(TcpStream::connect(addr), listener.accept()).await;
        connected.unwrap();
        accepted.unwrap();
    });
}

#[test]
fn peer_reset_is_an_error() {
    let _fds = fd_lock();
    block_on(async {
        timeout(LIMIT, async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let client = std::net::TcpStream::connect(addr).unwrap();
            let (mut server_side, _) = listener.accept().await.unwrap();
            // Linger 0: close sends RST instead of FIN.
            let linger = libc::linger {
                l_onoff: 1,
                l_linger: 0,
            };
            // SAFETY: a valid socket and a correctly sized `linger`.
            let rc = unsafe {
                libc::setsockopt(
                    std::os::fd::AsRawFd::as_raw_fd(&client),
                    libc::SOL_SOCKET,
                    libc::SO_LINGER,
                    (&linger as *const libc::linger).cast(),
                    size_of::<libc::linger>() as libc::socklen_t,
                )
            };
            assert_eq!(rc, 0);
            drop(client);
            let mut buf = [0u8; 16];
            let error = server_side.read(&mut buf).await.unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::ConnectionReset, "{error}");
            // Writing to a reset connection is an error too, not a crash (SIGPIPE is ignored by std).
            let mut write_error = None;
            for _ in 0..10 {
                if let Err(e) = server_side.write_all(b"hello").await {
                    write_error = Some(e);
                    break;
                }
            }
            assert!(write_error.is_some());
        })
        .await
        .expect("timed out");
    });
}

#[test]
fn dropped_sockets_leak_no_descriptors() {
    let _fds = fd_lock();
    block_on(async {
        // Warm up the driver (its epoll and eventfd stay open, cached per thread).
        let warm = TcpListener::bind("127.0.0.1:0").await.unwrap();
        drop(warm);
        let before = open_fds();
        for _ in 0..50 {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let (client, accepted) = join(TcpStream::connect(addr), listener.accept()).await;
            let (mut client, mut server) = (client.unwrap(), accepted.unwrap().0);
            // Dropped mid-operation: a read that is waiting for data.
            {
                let mut buf = [0u8; 8];
                let mut read = std::pin::pin!(server.read(&mut buf));
                assert!(poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx).is_pending())).await);
            }
            // And a pending accept.
            {
                let mut accept = std::pin::pin!(listener.accept());
                assert!(poll_fn(|cx| Poll::Ready(accept.as_mut().poll(cx).is_pending())).await);
            }
            client.write_all(b"bye").await.unwrap();
            drop((client, server, listener));
            let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
            drop(udp);
        }
        // `<=`: another test's thread may close its cached driver meanwhile;
        // a leak here would add 50 or more.
        let after = open_fds();
        assert!(
            after <= before,
            "descriptors leaked: {before} open before, {after} after"
        );
    });
}

#[test]
fn udp_send_and_receive() {
    let _fds = fd_lock();
    block_on(async {
        timeout(LIMIT, async {
            let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
            let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
            let b_addr = b.local_addr().unwrap();
            let receiver = spawn(async move {
                let mut buf = [0u8; 64];
                let (n, from) = b.recv_from(&mut buf).await.unwrap();
                b.send_to(&buf[..n], from).await.unwrap();
                buf[..n].to_vec()
            });
            a.send_to(b"ping", b_addr).await.unwrap();
            let mut buf = [0u8; 64];
            let (n, from) = a.recv_from(&mut buf).await.unwrap();
            assert_eq!(&buf[..n], b"ping");
            assert_eq!(from, b_addr);
            assert_eq!(receiver.await.unwrap(), b"ping");

            a.connect(b_addr).await.unwrap();
            assert_eq!(a.peer_addr().unwrap(), b_addr);
        })
        .await
        .expect("timed out");
    });
}

#[test]
fn sockets_outside_a_runtime_are_an_error() {
    let _fds = fd_lock();
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let error = TcpListener::from_std(std_listener).unwrap_err();
    assert!(
        error.to_string().contains("no explicit-async runtime"),
        "{error}"
    );
}

#[test]
fn shutdown_write_sends_end_of_file() {
    let _fds = fd_lock();
    block_on(async {
        timeout(LIMIT, async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let (client, accepted) = join(TcpStream::connect(addr), listener.accept()).await;
            let (mut client, (mut server, peer)) = (client.unwrap(), accepted.unwrap());
            assert_eq!(peer, client.local_addr().unwrap());
            client.write_all(b"abc").await.unwrap();
            client.shutdown(Shutdown::Write).unwrap();
            let mut all = Vec::new();
            server.read_to_end(&mut all).await.unwrap();
            assert_eq!(all, b"abc");
            server.write_all(b"xyz").await.unwrap();
            drop(server);
            let mut exact = [0u8; 3];
            client.read_exact(&mut exact).await.unwrap();
            assert_eq!(&exact, b"xyz");
            let error = client.read_exact(&mut exact).await.unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
        })
        .await
        .expect("timed out");
    });
}

const MANY: usize = 10_000;
const CLIENT_ENV: &str = "EXPLICIT_ASYNC_MANY_CLIENTS_OF";

/// Raises the soft descriptor limit to the hard one; returns the limit.
fn raise_fd_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid out-pointer.
    assert_eq!(
        unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) },
        0
    );
    limit.rlim_cur = limit.rlim_max;
    // SAFETY: as above; raising the soft limit up to the hard one is always allowed.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) }, 0);
    limit.rlim_cur
}

/// One `block_on` serves 10,000 connections open at the same time. The
/// clients run in a child process (this test binary again), so each
/// process needs only ~10,000 descriptors.
#[test]
fn ten_thousand_concurrent_connections() {
    let _fds = fd_lock();
    let limit = raise_fd_limit();
    if limit < (MANY + 100) as u64 {
        println!(
            "skipped: RLIMIT_NOFILE hard limit {limit} is below {} descriptors",
            MANY + 100
        );
        return;
    }
    let peak = block_on(async {
        timeout(Duration::from_secs(240), async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let mut child = std::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "many_clients_child_process",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(CLIENT_ENV, addr.to_string())
                .spawn()
                .unwrap();
            let open = Rc::new(Cell::new(0usize));
            let peak = Rc::new(Cell::new(0usize));
            let mut handles = Vec::with_capacity(MANY);
            for _ in 0..MANY {
                let (mut stream, _) = listener.accept().await.unwrap();
                let (open, peak) = (open.clone(), peak.clone());
                handles.push(spawn_local(async move {
                    open.set(open.get() + 1);
                    peak.set(peak.get().max(open.get()));
                    let mut buf = [0u8; 64];
                    loop {
                        let n = stream.read(&mut buf).await.unwrap();
                        if n == 0 {
                            break;
                        }
                        stream.write_all(&buf[..n]).await.unwrap();
                    }
                    open.set(open.get() - 1);
                }));
            }
            for h in handles {
                h.await.unwrap();
            }
            let status = std::thread::spawn(move || child.wait())
                .join()
                .unwrap()
                .unwrap();
            assert!(status.success(), "client process failed: {status}");
            peak.get()
        })
        .await
        .expect("10,000 connections timed out")
    });
    assert_eq!(peak, MANY, "all connections were open at once");
}

/// The client side of `ten_thousand_concurrent_connections`; does nothing
/// unless started by it.
#[test]
fn many_clients_child_process() {
    let Ok(addr) = std::env::var(CLIENT_ENV) else {
        return;
    };
    let addr: SocketAddr = addr.parse().unwrap();
    raise_fd_limit();
    block_on(async {
        let barrier = Rc::new(Barrier::default());
        let mut handles = Vec::with_capacity(MANY);
        // Connect in waves so the listen backlog never overflows.
        for wave in 0..MANY / 100 {
            let mut connected = Vec::new();
            for _ in 0..100 {
                connected.push(spawn_local(TcpStream::connect(addr)));
            }
            for (i, c) in connected.into_iter().enumerate() {
                let mut stream = c.await.unwrap().unwrap();
                let id = (wave * 100 + i) as u32;
                let barrier = barrier.clone();
                handles.push(spawn_local(async move {
                    stream.write_all(&id.to_le_bytes()).await.unwrap();
                    let mut back = [0u8; 4];
                    stream.read_exact(&mut back).await.unwrap();
                    assert_eq!(u32::from_le_bytes(back), id);
                    // Hold every connection open until all have echoed.
                    barrier.wait(MANY).await;
                }));
            }
        }
        for h in handles {
            h.await.unwrap();
        }
    });
}

#[derive(Default)]
struct Barrier {
    arrived: Cell<usize>,
    waiting: RefCell<Vec<Waker>>,
}

impl Barrier {
    async fn wait(&self, parties: usize) {
        self.arrived.set(self.arrived.get() + 1);
        if self.arrived.get() == parties {
            for waker in self.waiting.borrow_mut().drain(..) {
                waker.wake();
            }
            return;
        }
        poll_fn(|cx| {
            if self.arrived.get() >= parties {
                Poll::Ready(())
            } else {
                self.waiting.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            }
        })
        .await;
    }
}
