//! The semantics a mio user relies on, on loopback only. Every wait is
//! bounded by a generous timeout and nothing asserts elapsed time.

use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use explicit_async_runtime::reactor::event::Event;
use explicit_async_runtime::reactor::unix::SourceFd;
use explicit_async_runtime::reactor::{Events, Interest, Poll, Token, Waker};

/// Long enough never to expire on a loaded machine unless something is wrong.
const PATIENCE: Duration = Duration::from_secs(10);
/// Long enough to make an undelivered event very likely to show up.
const SETTLE: Duration = Duration::from_millis(50);

fn nonblocking_pair() -> (UnixStream, UnixStream) {
    let (a, b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    b.set_nonblocking(true).unwrap();
    (a, b)
}

/// Polls until an event with `token` arrives; panics after `PATIENCE`.
fn expect_event(poll: &mut Poll, events: &mut Events, token: Token) -> Vec<EventSummary> {
    poll.poll(events, Some(PATIENCE)).unwrap();
    let summaries: Vec<_> = events.iter().map(EventSummary::from).collect();
    assert!(
        summaries.iter().any(|event| event.token == token),
        "expected an event for {token:?}, got {summaries:?}"
    );
    summaries
}

/// Polls briefly and returns the events of `token` (expected: none).
fn events_for(poll: &mut Poll, events: &mut Events, token: Token) -> Vec<EventSummary> {
    poll.poll(events, Some(SETTLE)).unwrap();
    events
        .iter()
        .map(EventSummary::from)
        .filter(|event| event.token == token)
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct EventSummary {
    token: Token,
    readable: bool,
    writable: bool,
    error: bool,
    read_closed: bool,
    write_closed: bool,
}

impl From<&Event> for EventSummary {
    fn from(event: &Event) -> Self {
        EventSummary {
            token: event.token(),
            readable: event.is_readable(),
            writable: event.is_writable(),
            error: event.is_error(),
            read_closed: event.is_read_closed(),
            write_closed: event.is_write_closed(),
        }
    }
}

fn drain(stream: &mut impl Read) -> usize {
    let mut total = 0;
    let mut buf = [0; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return total,
            Ok(n) => total += n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return total,
            Err(e) => panic!("read failed: {e}"),
        }
    }
}

#[test]
fn edge_triggered_one_event_per_edge() {
    let mut poll = Poll::new().unwrap();
    let mut events = Events::with_capacity(8);
    let (mut ours, mut theirs) = nonblocking_pair();
    let fd = ours.as_raw_fd();
    poll.registry()
        .register(&mut SourceFd(&fd), Token(1), Interest::READABLE)
        .unwrap();

    theirs.write_all(b"first").unwrap();
    let first = expect_event(&mut poll, &mut events, Token(1));
    assert!(first.iter().all(|event| event.readable));

    // The data is still unread, but there is no new edge: no new event.
    assert_eq!(events_for(&mut poll, &mut events, Token(1)), []);

    // New data is a new edge.
    theirs.write_all(b"second").unwrap();
    expect_event(&mut poll, &mut events, Token(1));
    assert_eq!(drain(&mut ours), b"firstsecond".len());
    assert_eq!(events_for(&mut poll, &mut events, Token(1)), []);
}

#[test]
fn tokens_round_trip() {
    let mut poll = Poll::new().unwrap();
    let mut events = Events::with_capacity(8);
    let big = Token(usize::MAX - 3);
    let (ours, mut theirs) = nonblocking_pair();
    let fd = ours.as_raw_fd();
    poll.registry()
        .register(&mut SourceFd(&fd), big, Interest::READABLE)
        .unwrap();
    theirs.write_all(b"x").unwrap();
    expect_event(&mut poll, &mut events, big);
    assert_eq!(usize::from(big), usize::MAX - 3);
}

#[test]
fn reregister_changes_token_and_interest() {
    let mut poll = Poll::new().unwrap();
    let mut events = Events::with_capacity(8);
    let (ours, mut theirs) = nonblocking_pair();
    let fd = ours.as_raw_fd();
    poll.registry()
        .register(&mut SourceFd(&fd), Token(1), Interest::READABLE)
        .unwrap();
    // Readable only: the writable socket produces nothing.
    assert_eq!(events_for(&mut poll, &mut events, Token(1)), []);

    poll.registry()
        .reregister(&mut SourceFd(&fd), Token(2), Interest::WRITABLE)
        .unwrap();
    let writable = expect_event(&mut poll, &mut events, Token(2));
    assert!(
        writable
            .iter()
            .all(|event| event.writable && !event.readable)
    );

    // Now only writable interest: incoming data gives no event.
    theirs.write_all(b"x").unwrap();
    assert_eq!(events_for(&mut poll, &mut events, Token(2)), []);
}

#[test]
fn deregister_stops_events() {
    let mut poll = Poll::new().unwrap();
    let mut events = Events::with_capacity(8);
    let (ours, mut theirs) = nonblocking_pair();
    let fd = ours.as_raw_fd();
    poll.registry()
        .register(&mut SourceFd(&fd), Token(1), Interest::READABLE)
        .unwrap();
    poll.registry().deregister(&mut SourceFd(&fd)).unwrap();
    theirs.write_all(b"x").unwrap();
    assert_eq!(events_for(&mut poll, &mut events, Token(1)), []);
    // Deregistering twice is an error, not a panic.
    let again = poll.registry().deregister(&mut SourceFd(&fd));
    assert!(again.is_err());
}

#[test]
fn waker_from_another_thread_wakes_poll() {
    let mut poll = Poll::new().unwrap();
    let mut events = Events::with_capacity(8);
    let waker = Arc::new(Waker::new(poll.registry(), Token(9)).unwrap());
    let remote = Arc::clone(&waker);
    let wake_thread = thread::spawn(move || remote.wake().unwrap());
    let woken = expect_event(&mut poll, &mut events, Token(9));
    assert!(woken.iter().all(|event| event.readable));
    wake_thread.join().unwrap();

    // Each wake is a new edge, even without draining the eventfd.
    waker.wake().unwrap();
    expect_event(&mut poll, &mut events, Token(9));
}

#[test]
fn registry_clone_registers_while_poll_blocks() {
    let mut poll = Poll::new().unwrap();
    let mut events = Events::with_capacity(8);
    let registry = poll.registry().try_clone().unwrap();
    let (ours, mut theirs) = nonblocking_pair();
    theirs.write_all(b"ready before registration").unwrap();

    let registering = thread::spawn(move || {
        // Give the main thread time to block in poll (correct either way).
        thread::sleep(SETTLE);
        let fd = ours.as_raw_fd();
        registry
            .register(&mut SourceFd(&fd), Token(5), Interest::READABLE)
            .unwrap();
        ours
    });
    expect_event(&mut poll, &mut events, Token(5));
    drop(registering.join().unwrap());
}

#[test]
fn register_of_closed_fd_is_an_error() {
    let poll = Poll::new().unwrap();
    let (ours, _theirs) = nonblocking_pair();
    let fd = ours.as_raw_fd();
    drop(ours);
    let error = poll
        .registry()
        .register(&mut SourceFd(&fd), Token(0), Interest::READABLE)
        .unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::EBADF));

    let error = poll
        .registry()
        .register(&mut SourceFd(&-1), Token(0), Interest::READABLE)
        .unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::EBADF));
}

#[test]
fn registering_twice_is_an_error() {
    let poll = Poll::new().unwrap();
    let (ours, _theirs) = nonblocking_pair();
    let fd = ours.as_raw_fd();
    let registry = poll.registry();
    registry
        .register(&mut SourceFd(&fd), Token(0), Interest::READABLE)
        .unwrap();
    let twice = registry.register(&mut SourceFd(&fd), Token(0), Interest::READABLE);
    assert_eq!(twice.unwrap_err().kind(), io::ErrorKind::AlreadyExists);
}

#[test]
fn read_closed_when_peer_shuts_down_writing() {
    let mut poll = Poll::new().unwrap();
    let mut events = Events::with_capacity(8);
    let (ours, theirs) = nonblocking_pair();
    let fd = ours.as_raw_fd();
    poll.registry()
        .register(&mut SourceFd(&fd), Token(1), Interest::READABLE)
        .unwrap();
    theirs.shutdown(std::net::Shutdown::Write).unwrap();
    let closed = expect_event(&mut poll, &mut events, Token(1));
    assert!(closed.iter().any(|event| event.read_closed));
    assert!(closed.iter().all(|event| !event.write_closed));
}

#[test]
fn tiny_timeout_returns() {
    let mut poll = Poll::new().unwrap();
    let mut events = Events::with_capacity(8);
    poll.poll(&mut events, Some(Duration::from_micros(1)))
        .unwrap();
    assert!(events.is_empty());
    poll.poll(&mut events, Some(Duration::ZERO)).unwrap();
    assert!(events.is_empty());
}

#[test]
fn events_capacity_is_honoured() {
    let mut poll = Poll::new().unwrap();
    let mut events = Events::with_capacity(2);
    assert!(events.capacity() >= 2);
    let mut pairs = Vec::new();
    for i in 0..5 {
        let (ours, mut theirs) = nonblocking_pair();
        poll.registry()
            .register(
                &mut SourceFd(&ours.as_raw_fd()),
                Token(i),
                Interest::READABLE,
            )
            .unwrap();
        theirs.write_all(b"x").unwrap();
        pairs.push((ours, theirs));
    }
    let mut seen = Vec::new();
    while seen.len() < 5 {
        poll.poll(&mut events, Some(PATIENCE)).unwrap();
        assert!(!events.is_empty());
        assert!(events.iter().len() <= events.capacity());
        seen.extend(events.iter().map(|event| event.token().0));
    }
    seen.sort_unstable();
    assert_eq!(seen, [0, 1, 2, 3, 4]);
    events.clear();
    assert!(events.is_empty());
}

#[test]
fn interest_operations_and_debug_format() {
    let both = Interest::READABLE | Interest::WRITABLE;
    assert!(both.is_readable() && both.is_writable() && !both.is_priority());
    assert_eq!(format!("{both:?}"), "READABLE | WRITABLE");
    assert_eq!(format!("{:?}", Interest::READABLE), "READABLE");
    assert_eq!(
        format!("{:?}", both.add(Interest::PRIORITY)),
        "READABLE | WRITABLE | PRIORITY"
    );
    assert_eq!(both.remove(Interest::WRITABLE), Some(Interest::READABLE));
    assert_eq!(Interest::READABLE.remove(Interest::READABLE), None);
    let mut growing = Interest::WRITABLE;
    growing |= Interest::READABLE;
    assert_eq!(growing, both);
    const BOTH: Interest = Interest::READABLE.add(Interest::WRITABLE);
    assert_eq!(BOTH, both);
}

#[test]
fn boxed_sources_register() {
    let poll = Poll::new().unwrap();
    let (ours, _theirs) = nonblocking_pair();
    let fd = ours.as_raw_fd();
    let mut boxed: Box<dyn explicit_async_runtime::reactor::event::Source + '_> =
        Box::new(SourceFd(&fd));
    poll.registry()
        .register(&mut boxed, Token(0), Interest::READABLE)
        .unwrap();
    poll.registry().deregister(&mut boxed).unwrap();
}

#[test]
fn event_and_events_debug_show_the_token() {
    let mut poll = Poll::new().unwrap();
    let mut events = Events::with_capacity(4);
    let waker = Waker::new(poll.registry(), Token(3)).unwrap();
    waker.wake().unwrap();
    expect_event(&mut poll, &mut events, Token(3));
    let event = events.iter().next().unwrap();
    let debug = format!("{event:?}");
    assert!(
        debug.starts_with("Event { token: Token(3), readable: true"),
        "{debug}"
    );
    assert!(format!("{events:?}").contains("Token(3)"));
}

#[test]
fn public_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Poll>();
    send_sync::<explicit_async_runtime::reactor::Registry>();
    send_sync::<Events>();
    send_sync::<Event>();
    send_sync::<Waker>();
    send_sync::<Token>();
    send_sync::<Interest>();
    send_sync::<explicit_async_runtime::reactor::net::TcpListener>();
    send_sync::<explicit_async_runtime::reactor::net::TcpStream>();
    send_sync::<explicit_async_runtime::reactor::net::UdpSocket>();
}

extern "C" fn ignore_signal(_: libc::c_int) {}

/// A signal handler running during `poll` makes it return `Interrupted`
/// (mio's behaviour), rather than silently restarting with the old timeout.
#[test]
fn signal_during_poll_is_interrupted() {
    use std::os::unix::thread::JoinHandleExt;
    use std::sync::atomic::{AtomicBool, Ordering};

    // SAFETY: an all-zero sigaction is valid (empty mask, no flags); the
    // handler is an `extern "C" fn(c_int)` that does nothing, so it is
    // async-signal-safe, and SIGUSR1 is not used elsewhere in this process.
    let installed = unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = ignore_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut())
    };
    assert_eq!(installed, 0);

    let done = Arc::new(AtomicBool::new(false));
    let poller_done = Arc::clone(&done);
    let poller = thread::spawn(move || {
        let mut poll = Poll::new().unwrap();
        let mut events = Events::with_capacity(4);
        let result = poll.poll(&mut events, Some(PATIENCE));
        poller_done.store(true, Ordering::SeqCst);
        result
    });
    let thread_id = poller.as_pthread_t();
    // The first signals may land before the thread blocks: keep sending.
    while !done.load(Ordering::SeqCst) {
        // SAFETY: the thread has not been joined, so its pthread_t is valid.
        unsafe { libc::pthread_kill(thread_id, libc::SIGUSR1) };
        thread::sleep(Duration::from_millis(5));
    }
    let error = poller.join().unwrap().unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::Interrupted);
}
