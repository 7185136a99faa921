//! The differential harness: leaf futures that log what happens to them, a
//! thread-local log, and [`compare`], which runs rustc's `async fn` and the
//! `#[explicit_async]` expansion of the same body side by side and asserts
//! they behave the same (DESIGN.md §1 and §5).
//!
//! Everything observable goes through the log: leaves log when they are
//! created, when they complete and when they are dropped; [`D`] logs its
//! drop; bodies log what they compute. Two futures agree when they give the
//! same output after the same number of polls and leave the same log, both
//! when run to completion and when dropped after every possible number of
//! polls.

// Each test crate (differential, sizes, send, run) uses a different part of the harness.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::fmt::Debug;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::{Pin, pin};
use std::sync::Once;
use std::task::{Context, Poll, Waker};

/// The message rustc's futures panic with when polled after `Ready`.
pub const RESUMED_AFTER_COMPLETION: &str = "`async fn` resumed after completion";
/// The message rustc's futures panic with when polled after a poll panicked.
pub const RESUMED_AFTER_PANICKING: &str = "`async fn` resumed after panicking";
/// Written to the log between the last poll and the drop of the future.
pub const DROP_MARKER: &str = "-- drop future --";
/// A future still `Pending` after this many polls is a bug in a test body.
const MAX_POLLS: u32 = 1_000;

thread_local! {
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Appends one line to this thread's log.
pub fn log(line: impl Into<String>) {
    LOG.with(|l| l.borrow_mut().push(line.into()));
}

/// Takes (and clears) this thread's log.
pub fn take_log() -> Vec<String> {
    LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

/// A value that logs its drop: the probe for drop order.
#[derive(Debug, PartialEq)]
pub struct D(pub &'static str);

impl Drop for D {
    fn drop(&mut self) {
        log(format!("drop {}", self.0));
    }
}

/// Leaf future: `Pending` (waking itself) `pendings` times, then `Ready(value)`.
/// Logs its creation, its completion and its drop under `name`.
pub struct Leaf<T> {
    name: &'static str,
    pendings: u32,
    value: Option<T>,
}

// The value is moved out, never pinned, so the leaf need not be pinned either.
impl<T> Unpin for Leaf<T> {}

/// A leaf that yields `value` after `pendings` `Pending`s.
pub fn val<T>(name: &'static str, pendings: u32, value: T) -> Leaf<T> {
    log(format!("new {name}"));
    Leaf {
        name,
        pendings,
        value: Some(value),
    }
}

/// A leaf that yields `()` after `pendings` `Pending`s.
pub fn tick(name: &'static str, pendings: u32) -> Leaf<()> {
    val(name, pendings, ())
}

impl<T> Future for Leaf<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if self.pendings > 0 {
            self.pendings -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        log(format!("ready {}", self.name));
        Poll::Ready(self.value.take().expect("leaf polled after Ready"))
    }
}

impl<T> Drop for Leaf<T> {
    fn drop(&mut self) {
        log(format!("drop {}", self.name));
    }
}

/// Leaf future that panics with `"boom {name}"` after `pendings` `Pending`s.
pub struct Boom {
    name: &'static str,
    pendings: u32,
}

pub fn boom(name: &'static str, pendings: u32) -> Boom {
    log(format!("new {name}"));
    Boom { name, pendings }
}

impl Future for Boom {
    type Output = u32;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        if self.pendings > 0 {
            self.pendings -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        panic!("boom {}", self.name)
    }
}

impl Drop for Boom {
    fn drop(&mut self) {
        log(format!("drop {}", self.name));
    }
}

/// A byte source whose `read` future borrows both the source and the
/// caller's buffer until it is dropped, like `stream.read(&mut buf)`.
#[derive(Debug)]
pub struct Source {
    name: &'static str,
    data: Vec<u8>,
    pos: usize,
}

impl Source {
    pub fn new(name: &'static str, data: &[u8]) -> Source {
        Source {
            name,
            data: data.to_vec(),
            pos: 0,
        }
    }

    /// `Pending` `pendings` times, then copies the next bytes into `buf`
    /// and yields how many.
    pub fn read<'a>(&'a mut self, buf: &'a mut [u8], pendings: u32) -> Read<'a> {
        log(format!("new read({}@{})", self.name, self.pos));
        Read {
            source: self,
            buf,
            pendings,
        }
    }

    pub fn position(&self) -> usize {
        self.pos
    }
}

impl Drop for Source {
    fn drop(&mut self) {
        log(format!("drop source {}@{}", self.name, self.pos));
    }
}

pub struct Read<'a> {
    source: &'a mut Source,
    buf: &'a mut [u8],
    pendings: u32,
}

impl Future for Read<'_> {
    type Output = usize;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        let this = self.get_mut();
        if this.pendings > 0 {
            this.pendings -= 1;
            // Write through the borrow while suspended: a moved buffer shows in valgrind.
            if let Some(first) = this.buf.first_mut() {
                *first = b'?';
            }
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let rest = &this.source.data[this.source.pos..];
        let n = rest.len().min(this.buf.len());
        this.buf[..n].copy_from_slice(&rest[..n]);
        this.source.pos += n;
        log(format!("ready read({}) = {n}", this.source.name));
        Poll::Ready(n)
    }
}

impl Drop for Read<'_> {
    /// Reads through both borrows: a moved or freed local shows in valgrind.
    fn drop(&mut self) {
        log(format!(
            "drop read({}@{}, {} byte buffer starting {:?})",
            self.source.name,
            self.source.pos,
            self.buf.len(),
            self.buf.first()
        ));
    }
}

/// Leaf future that appends `text` to a borrowed `String` when it completes
/// (and reads the string in its drop).
pub struct Append<'a> {
    target: &'a mut String,
    text: &'static str,
    pendings: u32,
}

pub fn append<'a>(target: &'a mut String, text: &'static str, pendings: u32) -> Append<'a> {
    log(format!("new append({text})"));
    Append {
        target,
        text,
        pendings,
    }
}

impl Future for Append<'_> {
    type Output = usize;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        let this = self.get_mut();
        if this.pendings > 0 {
            this.pendings -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        this.target.push_str(this.text);
        log(format!("ready append({})", this.text));
        Poll::Ready(this.target.len())
    }
}

impl Drop for Append<'_> {
    fn drop(&mut self) {
        log(format!("drop append({}) to {:?}", self.text, self.target));
    }
}

/// What one run of a future did.
#[derive(Debug, PartialEq)]
pub struct Trace<T> {
    /// `Some` if it returned `Ready` within the polls it was given.
    pub output: Option<T>,
    /// Polls made, including the one that returned `Ready`.
    pub polls: u32,
    /// Everything logged from creation to drop, [`DROP_MARKER`] before the drop.
    pub log: Vec<String>,
}

/// Creates the future with `make`, pins it on the heap, polls it until
/// `Ready` or `max_polls` polls, then logs [`DROP_MARKER`] and drops it.
pub fn trace<F: Future>(make: impl FnOnce() -> F, max_polls: u32) -> Trace<F::Output> {
    take_log();
    let mut fut = Box::pin(make());
    let mut cx = Context::from_waker(Waker::noop());
    let (mut output, mut polls) = (None, 0);
    while output.is_none() && polls < max_polls {
        polls += 1;
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            output = Some(v);
        }
    }
    log(DROP_MARKER);
    drop(fut);
    Trace {
        output,
        polls,
        log: take_log(),
    }
}

/// Like [`trace`] to completion, but pinned on the stack.
pub fn trace_on_stack<F: Future>(make: impl FnOnce() -> F) -> Trace<F::Output> {
    take_log();
    let (output, polls) = {
        let mut fut = pin!(make());
        let mut cx = Context::from_waker(Waker::noop());
        let mut polls = 0;
        loop {
            polls += 1;
            assert!(polls <= MAX_POLLS, "still pending after {MAX_POLLS} polls");
            if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
                break (v, polls);
            }
        }
    };
    Trace {
        output: Some(output),
        polls,
        log: take_log(),
    }
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, catching a panic; the panic hook stays silent for it (only on
/// this thread, so other tests' failures still print).
pub fn catch_quietly<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| {
        if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "<non-string panic payload>".to_string()
        }
    })
}

/// What happened around a panicking poll: the polls up to and including
/// the one that panicked, its message, the message of the poll after it,
/// and the log (drops during the unwind, then [`DROP_MARKER`] and the drop).
#[derive(Debug, PartialEq)]
pub struct PanicTrace {
    pub polls: u32,
    pub panic: String,
    pub next_poll: Result<(), String>,
    pub log: Vec<String>,
}

/// Polls the future until a poll panics (it must), then polls once more.
fn trace_panic<F: Future>(make: impl FnOnce() -> F) -> PanicTrace {
    take_log();
    let mut fut = Box::pin(make());
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = 0;
    let panic = loop {
        polls += 1;
        assert!(polls <= MAX_POLLS, "still pending after {MAX_POLLS} polls");
        match catch_quietly(|| fut.as_mut().poll(&mut cx)) {
            Ok(Poll::Pending) => {}
            Ok(Poll::Ready(_)) => panic!("expected a poll to panic, the future completed"),
            Err(message) => break message,
        }
    };
    log("-- poll again --");
    let next_poll = catch_quietly(|| drop(fut.as_mut().poll(&mut cx)));
    log(DROP_MARKER);
    drop(fut);
    PanicTrace {
        polls,
        panic,
        next_poll,
        log: take_log(),
    }
}

/// Runs to completion, then polls once more; returns that poll's panic
/// message (if any) and the log from there on.
fn poll_after_ready<F: Future>(make: impl FnOnce() -> F) -> (Result<(), String>, Vec<String>) {
    let mut fut = Box::pin(make());
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..MAX_POLLS {
        if fut.as_mut().poll(&mut cx).is_ready() {
            take_log();
            let next_poll = catch_quietly(|| drop(fut.as_mut().poll(&mut cx)));
            log(DROP_MARKER);
            drop(fut);
            return (next_poll, take_log());
        }
    }
    panic!("still pending after {MAX_POLLS} polls");
}

/// The differential check: `native` (rustc's `async fn`) and `ours` (the
/// `#[explicit_async]` expansion of the same body) must give the same
/// output in the same number of polls with the same log, pinned on the heap
/// and on the stack; dropped after k polls, for every k before completion,
/// they must leave the same log; polled after `Ready` both must panic with
/// rustc's message.
pub fn compare<T, A, B>(name: &str, native: impl Fn() -> A, ours: impl Fn() -> B)
where
    T: PartialEq + Debug,
    A: Future<Output = T>,
    B: Future<Output = T>,
{
    let expected = trace(&native, MAX_POLLS);
    assert!(
        expected.output.is_some(),
        "{name}: rustc's future still pending after {MAX_POLLS} polls"
    );
    assert_eq!(
        trace(&ours, MAX_POLLS),
        expected,
        "{name}: run to completion (left: ours, right: rustc)"
    );
    assert_eq!(
        trace_on_stack(&ours),
        trace_on_stack(&native),
        "{name}: run to completion pinned on the stack (left: ours, right: rustc)"
    );
    for k in 0..expected.polls {
        assert_eq!(
            trace(&ours, k),
            trace(&native, k),
            "{name}: dropped after {k} of {} polls (left: ours, right: rustc)",
            expected.polls
        );
    }
    let after_ready = poll_after_ready(&native);
    assert_eq!(
        after_ready.0,
        Err(RESUMED_AFTER_COMPLETION.to_string()),
        "{name}: rustc's message changed"
    );
    assert_eq!(
        poll_after_ready(&ours),
        after_ready,
        "{name}: polled after Ready (left: ours, right: rustc)"
    );
    take_log();
}

/// The differential check for bodies that panic: both must panic on the
/// same poll with the same message, drop the same things while unwinding,
/// panic with "`async fn` resumed after panicking" when polled again, and
/// drop the same things when dropped after that. Also dropped after k
/// polls for every k before the panic, like [`compare`].
pub fn compare_panic<T, A, B>(name: &str, native: impl Fn() -> A, ours: impl Fn() -> B)
where
    T: PartialEq + Debug,
    A: Future<Output = T>,
    B: Future<Output = T>,
{
    let expected = trace_panic(&native);
    assert_eq!(
        expected.next_poll,
        Err(RESUMED_AFTER_PANICKING.to_string()),
        "{name}: rustc's message changed"
    );
    assert_eq!(
        trace_panic(&ours),
        expected,
        "{name}: panicking poll (left: ours, right: rustc)"
    );
    for k in 0..expected.polls {
        assert_eq!(
            trace(&ours, k),
            trace(&native, k),
            "{name}: dropped after {k} polls, before the panic (left: ours, right: rustc)"
        );
    }
    take_log();
}

/// The sizes of the two futures, created with the same arguments and never polled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub ours: usize,
    pub native: usize,
}

/// Measures both futures (creating and dropping them logs; the log is cleared).
pub fn sizes<A, B>(native: impl FnOnce() -> A, ours: impl FnOnce() -> B) -> Sizes {
    let native = size_of_val(&native());
    let ours = size_of_val(&ours());
    take_log();
    Sizes { ours, native }
}
