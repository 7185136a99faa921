//! The Unix-domain sockets of `reactor::net`, driven by `Poll`, in the
//! manner of mio's `unix_listener`, `unix_stream` and `unix_datagram`
//! tests. Every wait is bounded and nothing asserts elapsed time.

use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::path::PathBuf;
use std::time::Duration;

use explicit_async_runtime::reactor::event::Event;
use explicit_async_runtime::reactor::net::{UnixDatagram, UnixListener, UnixStream};
use explicit_async_runtime::reactor::{Events, Interest, Poll, Token};

const PATIENCE: Duration = Duration::from_secs(10);
const LISTENER: Token = Token(0);
const CLIENT: Token = Token(1);
const SERVER: Token = Token(2);

/// A fresh directory for socket files, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "explicit-async-reactor-unix-{}-{test}",
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

fn read_until_would_block(mut stream: &UnixStream) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return received,
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return received,
            Err(e) => panic!("read: {e}"),
        }
    }
}

#[test]
fn unix_listener_accepts_on_readable() {
    let dir = TempDir::new("listener");
    let path = dir.path("socket");
    let mut poll = Poll::new().unwrap();
    let mut listener = UnixListener::bind(&path).unwrap();
    assert_eq!(listener.local_addr().unwrap().as_pathname(), Some(&*path));
    assert_eq!(
        listener.accept().unwrap_err().kind(),
        io::ErrorKind::WouldBlock,
        "nothing pending yet"
    );
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)
        .unwrap();
    let mut client = UnixStream::connect(&path).unwrap();
    wait_for(&mut poll, LISTENER, Event::is_readable);
    let (mut server, peer) = listener.accept().unwrap();
    assert!(peer.is_unnamed(), "a connecting stream has no name");
    assert_eq!(client.peer_addr().unwrap().as_pathname(), Some(&*path));

    poll.registry()
        .register(&mut server, SERVER, Interest::READABLE)
        .unwrap();
    client.write_all(b"hello").unwrap();
    wait_for(&mut poll, SERVER, Event::is_readable);
    assert_eq!(read_until_would_block(&server), b"hello");
    poll.registry().deregister(&mut server).unwrap();
    poll.registry().deregister(&mut listener).unwrap();
}

#[test]
fn unix_stream_pair_echo_and_shutdown() {
    let mut poll = Poll::new().unwrap();
    let (mut client, mut server) = UnixStream::pair().unwrap();
    poll.registry()
        .register(&mut client, CLIENT, Interest::READABLE | Interest::WRITABLE)
        .unwrap();
    poll.registry()
        .register(&mut server, SERVER, Interest::READABLE)
        .unwrap();
    wait_for(&mut poll, CLIENT, Event::is_writable);
    client.write_all(b"ping").unwrap();
    wait_for(&mut poll, SERVER, Event::is_readable);
    assert_eq!(read_until_would_block(&server), b"ping");
    (&server).write_all(b"pong").unwrap();
    wait_for(&mut poll, CLIENT, Event::is_readable);
    assert_eq!(read_until_would_block(&client), b"pong");

    client.shutdown(Shutdown::Write).unwrap();
    wait_for(&mut poll, SERVER, Event::is_read_closed);
    let mut buf = [0; 8];
    assert_eq!(server.read(&mut buf).unwrap(), 0, "end of stream");
}

#[test]
fn unix_stream_connect_errors_are_values() {
    let dir = TempDir::new("connect-errors");
    let missing = UnixStream::connect(dir.path("missing")).unwrap_err();
    assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    let too_long = dir.path(&"x".repeat(200));
    let error = UnixStream::connect(too_long).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{error}");
    let (stream, _other) = UnixStream::pair().unwrap();
    let unnamed = stream.local_addr().unwrap();
    let error = UnixStream::connect_addr(&unnamed).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{error}");
}

#[cfg(target_os = "linux")]
#[test]
fn abstract_addresses_bind_and_connect() {
    use std::os::linux::net::SocketAddrExt;
    use std::os::unix::net::SocketAddr;

    let name = format!("explicit-async-abstract-{}", std::process::id());
    let address = SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
    let mut poll = Poll::new().unwrap();
    let mut listener = UnixListener::bind_addr(&address).unwrap();
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)
        .unwrap();
    let _client = UnixStream::connect_addr(&address).unwrap();
    wait_for(&mut poll, LISTENER, Event::is_readable);
    listener.accept().unwrap();
}

#[test]
fn unix_datagram_send_to_and_recv_from() {
    let dir = TempDir::new("datagram");
    let mut poll = Poll::new().unwrap();
    let mut receiver = UnixDatagram::bind(dir.path("receiver")).unwrap();
    let sender = UnixDatagram::bind(dir.path("sender")).unwrap();
    poll.registry()
        .register(&mut receiver, SERVER, Interest::READABLE)
        .unwrap();
    let mut buf = [0; 16];
    assert_eq!(
        receiver.recv_from(&mut buf).unwrap_err().kind(),
        io::ErrorKind::WouldBlock
    );
    sender.send_to(b"one", dir.path("receiver")).unwrap();
    wait_for(&mut poll, SERVER, Event::is_readable);
    let (n, from) = receiver.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"one");
    assert_eq!(from.as_pathname(), Some(&*dir.path("sender")));

    let unbound = UnixDatagram::unbound().unwrap();
    unbound.connect(dir.path("receiver")).unwrap();
    unbound.send(b"two").unwrap();
    wait_for(&mut poll, SERVER, Event::is_readable);
    let (n, from) = receiver.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"two");
    assert!(from.is_unnamed());
}

#[test]
fn unix_datagram_pair() {
    let mut poll = Poll::new().unwrap();
    let (first, mut second) = UnixDatagram::pair().unwrap();
    poll.registry()
        .register(&mut second, SERVER, Interest::READABLE)
        .unwrap();
    first.send(b"datagram").unwrap();
    wait_for(&mut poll, SERVER, Event::is_readable);
    let mut buf = [0; 4];
    assert_eq!(second.recv(&mut buf).unwrap(), 4, "truncated to the buffer");
    assert_eq!(
        second.recv(&mut buf).unwrap_err().kind(),
        io::ErrorKind::WouldBlock,
        "the rest of a datagram is discarded"
    );
}
