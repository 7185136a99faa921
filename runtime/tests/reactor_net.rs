//! The non-blocking sockets of `reactor::net`, driven by `Poll`, on loopback only.
//! Every wait is bounded and nothing asserts elapsed time.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::os::fd::AsRawFd;
use std::thread;
use std::time::Duration;

use explicit_async_runtime::reactor::event::Event;
use explicit_async_runtime::reactor::net::{TcpListener, TcpStream, UdpSocket};
use explicit_async_runtime::reactor::{Events, Interest, Poll, Token};

const PATIENCE: Duration = Duration::from_secs(10);
const SETTLE: Duration = Duration::from_millis(50);
const LISTENER: Token = Token(0);
const CLIENT: Token = Token(1);
const SERVER: Token = Token(2);

fn any_local_port() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// Polls until `want` holds for an event of `token`; panics after `PATIENCE`
/// worth of polls without it.
fn wait_for(poll: &mut Poll, token: Token, want: impl Fn(&Event) -> bool) {
    let mut events = Events::with_capacity(16);
    for _ in 0..100 {
        poll.poll(&mut events, Some(PATIENCE / 100)).unwrap();
        if events
            .iter()
            .any(|event| event.token() == token && want(event))
        {
            return;
        }
    }
    panic!("no matching event for {token:?}");
}

/// The tokens of the events that arrive within `SETTLE`.
fn tokens_after_settling(poll: &mut Poll) -> Vec<Token> {
    let mut events = Events::with_capacity(16);
    poll.poll(&mut events, Some(SETTLE)).unwrap();
    events.iter().map(Event::token).collect()
}

/// A connected client/server pair, both registered with `poll`.
fn connected_pair(poll: &mut Poll) -> (TcpStream, TcpStream) {
    let mut listener = TcpListener::bind(any_local_port()).unwrap();
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)
        .unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    wait_for(poll, LISTENER, Event::is_readable);
    let (mut server, peer) = listener.accept().unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    assert_eq!(
        listener.accept().unwrap_err().kind(),
        io::ErrorKind::WouldBlock
    );
    // Registering reports the readiness that already holds: both are writable.
    poll.registry()
        .register(&mut client, CLIENT, Interest::READABLE | Interest::WRITABLE)
        .unwrap();
    wait_for(poll, CLIENT, Event::is_writable);
    poll.registry()
        .register(&mut server, SERVER, Interest::READABLE | Interest::WRITABLE)
        .unwrap();
    assert_eq!(client.peer_addr().unwrap(), server.local_addr().unwrap());
    (client, server)
}

fn read_until_would_block(mut stream: &TcpStream) -> io::Result<Vec<u8>> {
    let mut received = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Ok(received),
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(received),
            Err(e) => return Err(e),
        }
    }
}

#[test]
fn tcp_echo_with_edge_triggered_reads() {
    let mut poll = Poll::new().unwrap();
    let (mut client, server) = connected_pair(&mut poll);
    let _ = tokens_after_settling(&mut poll);

    client.write_all(b"ping").unwrap();
    wait_for(&mut poll, SERVER, Event::is_readable);
    // Unread data is not a new edge.
    assert!(!tokens_after_settling(&mut poll).contains(&SERVER));
    assert_eq!(server.peek(&mut [0; 4]).unwrap(), 4);
    assert_eq!(read_until_would_block(&server).unwrap(), b"ping");

    (&server).write_all(b"pong").unwrap();
    wait_for(&mut poll, CLIENT, Event::is_readable);
    assert_eq!(read_until_would_block(&client).unwrap(), b"pong");
}

#[test]
fn accepted_streams_are_nonblocking_and_close_on_exec() {
    let mut poll = Poll::new().unwrap();
    let (_client, server) = connected_pair(&mut poll);
    let fd = server.as_raw_fd();
    // SAFETY: fcntl with F_GETFL/F_GETFD takes and returns plain integers.
    let status = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    // SAFETY: as above.
    let descriptor = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    assert_ne!(status & libc::O_NONBLOCK, 0);
    assert_ne!(descriptor & libc::FD_CLOEXEC, 0);
    let mut buf = [0; 8];
    assert_eq!(
        (&server).read(&mut buf).unwrap_err().kind(),
        io::ErrorKind::WouldBlock
    );
}

#[test]
fn socket_options_round_trip() {
    let mut poll = Poll::new().unwrap();
    let (client, _server) = connected_pair(&mut poll);
    client.set_nodelay(true).unwrap();
    assert!(client.nodelay().unwrap());
    client.set_ttl(42).unwrap();
    assert_eq!(client.ttl().unwrap(), 42);
    assert!(client.take_error().unwrap().is_none());
    assert_eq!(client.try_io(|| Ok(7)).unwrap(), 7);
}

#[test]
fn read_closed_when_peer_shuts_down_writing() {
    let mut poll = Poll::new().unwrap();
    let (client, server) = connected_pair(&mut poll);
    let _ = tokens_after_settling(&mut poll);
    client.shutdown(Shutdown::Write).unwrap();
    wait_for(&mut poll, SERVER, |event| {
        event.is_readable() && event.is_read_closed() && !event.is_write_closed()
    });
    assert_eq!(read_until_would_block(&server).unwrap(), b"");
}

#[test]
fn error_and_write_closed_on_reset() {
    let mut poll = Poll::new().unwrap();
    let (client, server) = connected_pair(&mut poll);
    let _ = tokens_after_settling(&mut poll);
    // Linger zero makes close send a reset instead of a FIN.
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: `linger` is a valid libc::linger that outlives the call, and the
    // length passed is its size.
    let set = unsafe {
        libc::setsockopt(
            client.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&raw const linger).cast(),
            size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    assert_eq!(set, 0, "{}", io::Error::last_os_error());
    drop(client);
    wait_for(&mut poll, SERVER, |event| {
        event.is_error() && event.is_read_closed() && event.is_write_closed()
    });
    let error = read_until_would_block(&server).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::ConnectionReset);
}

#[test]
fn refused_connection_is_an_error_value() {
    let mut poll = Poll::new().unwrap();
    // A port that was just free; nobody listens there any more.
    let closed = TcpListener::bind(any_local_port())
        .unwrap()
        .local_addr()
        .unwrap();
    let mut client = match TcpStream::connect(closed) {
        Ok(client) => client,
        Err(error) => {
            assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
            return;
        }
    };
    poll.registry()
        .register(&mut client, CLIENT, Interest::WRITABLE)
        .unwrap();
    wait_for(&mut poll, CLIENT, |event| {
        event.is_error() || event.is_write_closed()
    });
    let error = client.take_error().unwrap().expect("a pending error");
    assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
}

#[test]
fn registry_clone_registers_socket_while_poll_blocks() {
    let mut poll = Poll::new().unwrap();
    let registry = poll.registry().try_clone().unwrap();
    let listener = TcpListener::bind(any_local_port()).unwrap();
    let addr = listener.local_addr().unwrap();
    let registering = thread::spawn(move || {
        let mut listener = listener;
        // Let the main thread block first (the test is correct either way).
        thread::sleep(SETTLE);
        registry
            .register(&mut listener, LISTENER, Interest::READABLE)
            .unwrap();
        let client = std::net::TcpStream::connect(addr).unwrap();
        (listener, client)
    });
    wait_for(&mut poll, LISTENER, Event::is_readable);
    let (listener, _client) = registering.join().unwrap();
    assert!(listener.accept().is_ok());
}

#[test]
fn reregister_and_deregister_sockets() {
    let mut poll = Poll::new().unwrap();
    let (mut client, mut server) = connected_pair(&mut poll);
    let _ = tokens_after_settling(&mut poll);

    poll.registry()
        .reregister(&mut server, Token(7), Interest::WRITABLE)
        .unwrap();
    wait_for(&mut poll, Token(7), Event::is_writable);
    client.write_all(b"not interested").unwrap();
    assert!(!tokens_after_settling(&mut poll).contains(&Token(7)));

    poll.registry().deregister(&mut server).unwrap();
    client.write_all(b"still not").unwrap();
    assert!(!tokens_after_settling(&mut poll).contains(&Token(7)));
}

#[test]
fn udp_send_to_and_recv_from() {
    let mut poll = Poll::new().unwrap();
    let mut receiver = UdpSocket::bind(any_local_port()).unwrap();
    let sender = UdpSocket::bind(any_local_port()).unwrap();
    let receiver_addr = receiver.local_addr().unwrap();
    poll.registry()
        .register(&mut receiver, Token(3), Interest::READABLE)
        .unwrap();
    let mut buf = [0; 64];
    assert_eq!(
        receiver.recv_from(&mut buf).unwrap_err().kind(),
        io::ErrorKind::WouldBlock
    );

    assert_eq!(sender.send_to(b"datagram", receiver_addr).unwrap(), 8);
    wait_for(&mut poll, Token(3), Event::is_readable);
    let (peeked, _) = receiver.peek_from(&mut buf).unwrap();
    assert_eq!(peeked, 8);
    let (len, from) = receiver.recv_from(&mut buf).unwrap();
    assert_eq!(
        (&buf[..len], from),
        (&b"datagram"[..], sender.local_addr().unwrap())
    );

    sender.connect(receiver_addr).unwrap();
    assert_eq!(sender.peer_addr().unwrap(), receiver_addr);
    sender.send(b"connected").unwrap();
    wait_for(&mut poll, Token(3), Event::is_readable);
    let len = receiver.recv(&mut buf).unwrap();
    assert_eq!(&buf[..len], b"connected");

    sender.set_broadcast(true).unwrap();
    assert!(sender.broadcast().unwrap());
    assert!(sender.take_error().unwrap().is_none());
}

#[test]
fn ipv6_loopback_when_available() {
    let Ok(listener) = TcpListener::bind("[::1]:0".parse().unwrap()) else {
        eprintln!("skipped: no IPv6 loopback here");
        return;
    };
    let mut poll = Poll::new().unwrap();
    let mut listener = listener;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)
        .unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    wait_for(&mut poll, LISTENER, Event::is_readable);
    let (_server, peer) = listener.accept().unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
}

#[test]
fn udp_options_round_trip() {
    let socket = UdpSocket::bind(any_local_port()).unwrap();
    socket.set_ttl(17).unwrap();
    assert_eq!(socket.ttl().unwrap(), 17);
    socket.set_multicast_loop_v4(false).unwrap();
    assert!(!socket.multicast_loop_v4().unwrap());
    socket.set_multicast_ttl_v4(3).unwrap();
    assert_eq!(socket.multicast_ttl_v4().unwrap(), 3);
    assert_eq!(
        socket.peer_addr().unwrap_err().kind(),
        io::ErrorKind::NotConnected
    );
    if let Ok(v6) = UdpSocket::bind("[::1]:0".parse().unwrap()) {
        // Linux's default (net.ipv6.bindv6only) is 0; either answer is an answer.
        assert!(v6.only_v6().is_ok());
    }
    // IPV6_V6ONLY does not exist on an IPv4 socket: an error value.
    assert!(socket.only_v6().is_err());
}

/// The shape of mio's own introductory example, with only the imports
/// changed: a server and a client on one `Poll`.
#[test]
fn mio_style_event_loop() {
    use explicit_async_runtime::reactor::net::{TcpListener, TcpStream};
    use explicit_async_runtime::reactor::{Events, Interest, Poll, Token};

    const SERVER: Token = Token(0);
    const CLIENT: Token = Token(1);

    let mut poll = Poll::new().unwrap();
    let mut events = Events::with_capacity(128);
    let addr = "127.0.0.1:0".parse().unwrap();
    let mut server = TcpListener::bind(addr).unwrap();
    poll.registry()
        .register(&mut server, SERVER, Interest::READABLE)
        .unwrap();
    let mut client = TcpStream::connect(server.local_addr().unwrap()).unwrap();
    poll.registry()
        .register(&mut client, CLIENT, Interest::READABLE | Interest::WRITABLE)
        .unwrap();

    let mut accepted = None;
    let mut connected = false;
    for _ in 0..100 {
        poll.poll(&mut events, Some(PATIENCE / 100)).unwrap();
        for event in events.iter() {
            match event.token() {
                SERVER => accepted = Some(server.accept().unwrap()),
                CLIENT if event.is_writable() => connected = true,
                _ => {}
            }
        }
        if accepted.is_some() && connected {
            return;
        }
    }
    panic!("the loop did not both accept and connect");
}

#[test]
fn listener_queues_a_burst_of_connects_without_accepting() {
    // With std's backlog of 128 the kernel would drop the later SYNs, and
    // those connects would time out; mio (and we) ask for 1024.
    let listener =
        explicit_async_runtime::reactor::net::TcpListener::bind("127.0.0.1:0".parse().unwrap())
            .unwrap();
    let addr = listener.local_addr().unwrap();
    let streams: Vec<std::net::TcpStream> = (0..500)
        .map(|i| {
            std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(2))
                .unwrap_or_else(|e| panic!("connect {i} while nothing accepts: {e}"))
        })
        .collect();
    assert_eq!(streams.len(), 500);
}
