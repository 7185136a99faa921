//! Parts of mio's surface found missing by compiling code against both:
//! `Clone` events, `AsFd` for `Poll` and `Registry`, conversions back to
//! `std` sockets, and mio's debug-build registration checks (with mio's
//! messages, as in mio's `registering` and `waker` tests).

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd};
use std::time::Duration;

use explicit_async_runtime::reactor::event::Event;
use explicit_async_runtime::reactor::net::{
    TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixStream,
};
use explicit_async_runtime::reactor::{Events, Interest, Poll, Token, Waker};

const PATIENCE: Duration = Duration::from_secs(10);

fn any_local_port() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

#[test]
fn events_can_be_cloned_and_kept() {
    let mut poll = Poll::new().unwrap();
    let mut events = Events::with_capacity(4);
    let (mut ours, theirs) = UnixStream::pair().unwrap();
    poll.registry()
        .register(&mut ours, Token(3), Interest::READABLE)
        .unwrap();
    (&theirs).write_all(b"x").unwrap();
    let mut kept: Vec<Event> = Vec::new();
    while kept.is_empty() {
        poll.poll(&mut events, Some(PATIENCE)).unwrap();
        kept.extend(events.iter().cloned());
    }
    // The buffer is reused; the clones stay as they were.
    poll.poll(&mut events, Some(Duration::ZERO)).unwrap();
    assert_eq!(kept[0].token(), Token(3));
    assert!(kept[0].is_readable());
    assert_eq!(format!("{:?}", kept[0]), format!("{:?}", kept[0].clone()));
}

#[test]
fn poll_and_registry_lend_their_descriptor() {
    let poll = Poll::new().unwrap();
    let registry = poll.registry();
    assert_eq!(registry.as_fd().as_raw_fd(), registry.as_raw_fd());
    assert_eq!(poll.as_fd().as_raw_fd(), poll.as_raw_fd());
    let clone = registry.try_clone().unwrap();
    assert_ne!(clone.as_fd().as_raw_fd(), registry.as_raw_fd(), "a dup");
}

#[test]
fn sockets_convert_back_to_std() {
    let listener = TcpListener::bind(any_local_port()).unwrap();
    let fd = listener.as_raw_fd();
    let listener = std::net::TcpListener::from(listener);
    assert_eq!(listener.as_raw_fd(), fd, "the same socket");
    let addr = listener.local_addr().unwrap();
    let stream = std::net::TcpStream::from(TcpStream::connect(addr).unwrap());
    stream.set_nonblocking(false).unwrap();
    let (mut accepted, _) = listener.accept().unwrap();
    accepted.write_all(b"std").unwrap();
    let mut buf = [0; 3];
    (&stream).read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"std");

    let udp = std::net::UdpSocket::from(UdpSocket::bind(any_local_port()).unwrap());
    assert!(udp.local_addr().is_ok());
    let (unix, _peer) = UnixStream::pair().unwrap();
    assert!(
        std::os::unix::net::UnixStream::from(unix)
            .local_addr()
            .is_ok()
    );
    let (datagram, _peer) = UnixDatagram::pair().unwrap();
    assert!(
        std::os::unix::net::UnixDatagram::from(datagram)
            .local_addr()
            .is_ok()
    );
}

/// The message of an error, which must be mio's.
#[cfg(debug_assertions)]
fn assert_error<T>(result: std::io::Result<T>, message: &str) {
    match result {
        Ok(_) => panic!("expected the error {message:?}, got Ok"),
        Err(error) => assert!(
            error.to_string().contains(message),
            "expected {message:?}, got {error}"
        ),
    }
}

#[test]
#[cfg(debug_assertions)] // The checks exist in debug builds only, as in mio.
fn tcp_and_udp_register_with_one_poll_only() {
    let mut listener = TcpListener::bind(any_local_port()).unwrap();
    let addr = listener.local_addr().unwrap();
    let first = Poll::new().unwrap();
    let second = Poll::new().unwrap();
    first
        .registry()
        .register(&mut listener, Token(0), Interest::READABLE)
        .unwrap();
    assert_error(
        second
            .registry()
            .register(&mut listener, Token(0), Interest::READABLE),
        "I/O source already registered with a `Registry`",
    );
    assert_error(
        second
            .registry()
            .reregister(&mut listener, Token(0), Interest::READABLE),
        "I/O source already registered with a different `Registry`",
    );
    assert_error(
        second.registry().deregister(&mut listener),
        "I/O source not registered with `Registry`",
    );
    // The failed attempts left the first registration alone.
    first
        .registry()
        .reregister(&mut listener, Token(1), Interest::READABLE)
        .unwrap();

    let mut stream = TcpStream::connect(addr).unwrap();
    first
        .registry()
        .register(&mut stream, Token(1), Interest::WRITABLE)
        .unwrap();
    assert_error(
        second
            .registry()
            .register(&mut stream, Token(1), Interest::WRITABLE),
        "I/O source already registered with a `Registry`",
    );
    let mut socket = UdpSocket::bind(any_local_port()).unwrap();
    first
        .registry()
        .register(&mut socket, Token(2), Interest::READABLE)
        .unwrap();
    assert_error(
        second
            .registry()
            .register(&mut socket, Token(2), Interest::READABLE),
        "I/O source already registered with a `Registry`",
    );
    // A clone of the registry is the same selector.
    let clone = first.registry().try_clone().unwrap();
    clone.deregister(&mut socket).unwrap();
}

#[test]
#[cfg(debug_assertions)]
fn reregistering_or_deregistering_an_unregistered_source_fails() {
    let poll = Poll::new().unwrap();
    let (mut stream, _peer) = UnixStream::pair().unwrap();
    assert_error(
        poll.registry()
            .reregister(&mut stream, Token(0), Interest::READABLE),
        "I/O source not registered with `Registry`",
    );
    assert_error(
        poll.registry().deregister(&mut stream),
        "I/O source not registered with `Registry`",
    );
    // Registering after deregistering works (mio's `registering_after_deregistering`).
    poll.registry()
        .register(&mut stream, Token(0), Interest::READABLE)
        .unwrap();
    poll.registry().deregister(&mut stream).unwrap();
    poll.registry()
        .register(&mut stream, Token(0), Interest::READABLE)
        .unwrap();
}

#[test]
#[cfg(debug_assertions)]
fn a_failed_register_leaves_the_source_unregistered() {
    let poll = Poll::new().unwrap();
    let (mut stream, _peer) = UnixStream::pair().unwrap();
    // Registered behind the check's back (through its descriptor), so the
    // kernel refuses the second registration with EEXIST.
    let fd = stream.as_raw_fd();
    poll.registry()
        .register(
            &mut explicit_async_runtime::reactor::unix::SourceFd(&fd),
            Token(0),
            Interest::READABLE,
        )
        .unwrap();
    let error = poll
        .registry()
        .register(&mut stream, Token(0), Interest::READABLE)
        .unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::EEXIST));
    assert_error(
        poll.registry().deregister(&mut stream),
        "I/O source not registered with `Registry`",
    );
}

#[test]
#[cfg_attr(not(debug_assertions), ignore = "only checked in debug builds")]
#[should_panic = "Only a single `Waker` can be active per `Poll` instance"]
fn a_second_waker_panics() {
    let poll = Poll::new().unwrap();
    let _first = Waker::new(poll.registry(), Token(10)).unwrap();
    let _second = Waker::new(poll.registry(), Token(11)).unwrap();
}

#[test]
#[cfg_attr(not(debug_assertions), ignore = "only checked in debug builds")]
#[should_panic = "Only a single `Waker` can be active per `Poll` instance"]
fn a_second_waker_through_a_cloned_registry_panics() {
    let poll = Poll::new().unwrap();
    let first = poll.registry().try_clone().unwrap();
    let second = poll.registry().try_clone().unwrap();
    let _first = Waker::new(&first, Token(10)).unwrap();
    let _second = Waker::new(&second, Token(11)).unwrap();
}

#[test]
fn one_waker_per_poll_is_fine() {
    let first = Poll::new().unwrap();
    let second = Poll::new().unwrap();
    Waker::new(first.registry(), Token(1)).unwrap();
    Waker::new(second.registry(), Token(1)).unwrap();
}
