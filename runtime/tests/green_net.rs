//! Green TCP on loopback: readiness wake-ups through the shared reactor,
//! errors as values, timeouts, and 10,000 green threads each holding a
//! connection.

use std::cell::{Cell, RefCell};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::rc::Rc;
use std::sync::{Mutex, mpsc};
use std::time::Duration;

use explicit_async_runtime::green::net::{TcpListener, TcpStream};
use explicit_async_runtime::green::{self, GreenHandle};

/// One test at a time: one needs most of the descriptor limit.
static FDS: Mutex<()> = Mutex::new(());

fn fd_lock() -> std::sync::MutexGuard<'static, ()> {
    FDS.lock().unwrap_or_else(|poison| poison.into_inner())
}

fn echo(mut stream: TcpStream) -> io::Result<u64> {
    let mut echoed = 0;
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(echoed);
        }
        stream.write_all(&buf[..n])?;
        echoed += n as u64;
    }
}

fn serve_one(listener: TcpListener) -> GreenHandle<io::Result<u64>> {
    green::spawn(move || echo(listener.accept()?.0))
}

#[test]
fn echo_through_the_std_io_traits() {
    let _fds = fd_lock();
    green::run(|| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = serve_one(listener);
        let client = TcpStream::connect(addr).unwrap();
        client.set_nodelay(true).unwrap();
        assert_eq!(client.peer_addr().unwrap(), addr);
        (&client).write_all(b"first line\n").unwrap();
        let mut reader = BufReader::new(&client);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert_eq!(line, "first line\n");
        // More than the socket buffers hold: both sides park on writes too,
        // so one green thread writes while this one reads.
        let payload: Vec<u8> = (0..4 << 20).map(|i| (i % 251) as u8).collect();
        let client = Rc::new(client);
        let writer = {
            let (client, payload) = (client.clone(), payload.clone());
            green::spawn(move || {
                (&*client).write_all(&payload).unwrap();
                client.shutdown(Shutdown::Write).unwrap();
            })
        };
        let mut back = Vec::new();
        (&*client).read_to_end(&mut back).unwrap();
        writer.join().unwrap();
        assert!(back == payload, "4 MiB echoed intact");
        assert_eq!(server.join().unwrap().unwrap(), 11 + payload.len() as u64);
    });
}

/// The peer is an OS thread with a std socket, so the only way its bytes
/// reach a green thread is an epoll event through the driver.
#[test]
fn a_blocked_read_parks_until_the_reactor_reports_data() {
    let _fds = fd_lock();
    green::run(|| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (send_now, go) = mpsc::channel::<()>();
        let peer = std::thread::spawn(move || {
            let mut stream = std::net::TcpStream::connect(addr).unwrap();
            go.recv().unwrap();
            stream.write_all(b"late").unwrap();
        });
        let (mut stream, _) = listener.accept().unwrap();
        let blocked = Rc::new(Cell::new(false));
        let other_ran = Rc::new(Cell::new(0));
        let reader = {
            let (blocked, other_ran) = (blocked.clone(), other_ran.clone());
            green::spawn(move || {
                blocked.set(true);
                let mut buf = [0u8; 4];
                stream.read_exact(&mut buf).unwrap();
                blocked.set(false);
                (buf, other_ran.get())
            })
        };
        // Runs while the reader is parked in `read_exact`.
        green::yield_now();
        assert!(blocked.get(), "the reader is waiting for data");
        other_ran.set(other_ran.get() + 1);
        send_now.send(()).unwrap();
        let (buf, ran_meanwhile) = reader.join().unwrap();
        assert_eq!(&buf, b"late");
        assert_eq!(ran_meanwhile, 1, "another green thread ran while it waited");
        peer.join().unwrap();
    });
}

/// Two threads wait on two sockets; each event wakes its own thread only.
#[test]
fn each_socket_wakes_its_own_thread() {
    let _fds = fd_lock();
    let order = green::run(|| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let peer = std::thread::spawn(move || {
            let mut a = std::net::TcpStream::connect(addr).unwrap();
            let mut b = std::net::TcpStream::connect(addr).unwrap();
            // b first; a only once b's reader has answered.
            b.write_all(b"b").unwrap();
            let mut ack = [0u8; 1];
            b.read_exact(&mut ack).unwrap();
            a.write_all(b"a").unwrap();
            a.read_exact(&mut ack).unwrap();
        });
        let order = Rc::new(RefCell::new(Vec::new()));
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let (mut stream, _) = listener.accept().unwrap();
                let order = order.clone();
                green::spawn(move || {
                    let mut byte = [0u8; 1];
                    stream.read_exact(&mut byte).unwrap();
                    order.borrow_mut().push(byte[0]);
                    stream.write_all(b"!").unwrap();
                })
            })
            .collect();
        for reader in readers {
            reader.join().unwrap();
        }
        peer.join().unwrap();
        Rc::try_unwrap(order).unwrap().into_inner()
    });
    assert_eq!(order, b"ba");
}

#[test]
fn errors_are_values() {
    let _fds = fd_lock();
    green::run(|| {
        // Refused: bind a port, close it, connect to it.
        let closed: SocketAddr = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap()
        };
        let error = TcpStream::connect(closed).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
        let error = TcpStream::connect_timeout(&closed, Duration::from_secs(5)).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
        let error = TcpStream::connect("no-such-host.invalid:80").unwrap_err();
        assert_ne!(error.kind(), io::ErrorKind::ConnectionRefused);

        // End of stream, then writes to a closed peer fail.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        drop(server);
        let mut buf = [0u8; 8];
        assert_eq!(client.read(&mut buf).unwrap(), 0);
        let chunk = vec![0u8; 64 * 1024];
        let failure = (0..100)
            .find_map(|_| client.write(&chunk).err())
            .expect("writing to a closed peer fails");
        assert!(
            matches!(
                failure.kind(),
                io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
            ),
            "{failure}"
        );
    });
}

#[test]
fn a_read_timeout_is_an_error_and_the_stream_still_works() {
    let _fds = fd_lock();
    green::run(|| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        client.set_read_timeout(Some(Duration::from_millis(20)));
        let mut buf = [0u8; 2];
        let error = (&client).read(&mut buf).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        server.write_all(b"ok").unwrap();
        (&client).read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"ok");
    });
}

#[test]
fn sockets_outside_a_run_are_an_error() {
    let error = TcpListener::bind("127.0.0.1:0").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("create and use them inside green::run"),
        "{error}"
    );
}

const MANY: usize = 10_000;
const CLIENT_ENV: &str = "EXPLICIT_ASYNC_GREEN_CLIENTS_OF";

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

/// Parks green threads until `parties` have arrived.
#[derive(Default)]
struct Barrier {
    arrived: Cell<usize>,
    waiting: RefCell<Vec<green::Thread>>,
}

impl Barrier {
    fn wait(&self, parties: usize) {
        self.arrived.set(self.arrived.get() + 1);
        if self.arrived.get() == parties {
            for thread in self.waiting.borrow_mut().drain(..) {
                thread.unpark();
            }
            return;
        }
        self.waiting.borrow_mut().push(green::current());
        while self.arrived.get() < parties {
            green::park();
        }
    }
}

/// One `run` holds 10,000 green threads, each with an open loopback
/// connection, all at once. The clients, green threads too, run in a child
/// process (this test binary again), so each side needs ~10,000 descriptors.
#[test]
fn ten_thousand_green_threads_each_holding_a_connection() {
    let _fds = fd_lock();
    let limit = raise_fd_limit();
    if limit < (MANY + 100) as u64 {
        println!(
            "skipped: RLIMIT_NOFILE hard limit {limit} is below {} descriptors",
            MANY + 100
        );
        return;
    }
    let (peak, status) = green::run(|| {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "many_green_clients_child_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CLIENT_ENV, addr.to_string())
            .spawn()
            .unwrap();
        let open = Rc::new(Cell::new(0usize));
        let peak = Rc::new(Cell::new(0usize));
        let barrier = Rc::new(Barrier::default());
        let mut handles = Vec::with_capacity(MANY);
        for _ in 0..MANY {
            let (mut stream, _) = listener.accept().unwrap();
            let (open, peak, barrier) = (open.clone(), peak.clone(), barrier.clone());
            handles.push(green::spawn(move || {
                open.set(open.get() + 1);
                peak.set(peak.get().max(open.get()));
                let mut id = [0u8; 4];
                stream.read_exact(&mut id).unwrap();
                stream.write_all(&id).unwrap();
                // Every connection stays open until all have echoed.
                barrier.wait(MANY);
                drop(stream);
                open.set(open.get() - 1);
            }));
        }
        for handle in handles {
            handle.join().unwrap();
        }
        // `wait` blocks this OS thread, but every green thread is done.
        (peak.get(), child.wait().unwrap())
    });
    assert!(status.success(), "client process failed: {status}");
    assert_eq!(peak, MANY, "all connections were open at once");
}

/// The client side of the test above; does nothing unless started by it.
#[test]
fn many_green_clients_child_process() {
    let Ok(addr) = std::env::var(CLIENT_ENV) else {
        return;
    };
    let addr: SocketAddr = addr.parse().unwrap();
    raise_fd_limit();
    green::run(move || {
        let handles: Vec<_> = (0..MANY as u32)
            .map(|id| {
                // Connected one after the other (the accept queue never
                // overflows), then each served by its own green thread.
                let mut stream = TcpStream::connect(addr).unwrap();
                green::spawn(move || {
                    stream.write_all(&id.to_le_bytes()).unwrap();
                    let mut back = [0u8; 4];
                    stream.read_exact(&mut back).unwrap();
                    assert_eq!(u32::from_le_bytes(back), id);
                    // Held until the server closes it.
                    let mut rest = Vec::new();
                    assert_eq!(stream.read_to_end(&mut rest).unwrap(), 0);
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
    });
}
