//! Simulated I/O for the examples: leaf futures, and a tiny executor that
//! counts polls.
//!
//! An `.await` chain has to end somewhere. Where an `async fn` is compiled
//! into a state machine, the futures at the bottom (a socket read, a timer)
//! are written by hand: a type that implements [`Future`] and answers
//! `Poll::Pending` until the operating system says the data is there. The
//! leaves here fake that: each one is not ready the first time it is polled
//! (it asks to be woken straight away, as a reactor would once the data
//! arrived) and is ready the second time. So every `.await` in the examples
//! really suspends, and their state machines pass through every state.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// The files the examples read, in memory so the examples run anywhere.
const FILES: &[(&str, &str)] = &[
    ("foo.txt", "Hello from foo.txt."),
    ("bar.txt", " And from bar.txt."),
    ("app.conf", "# the application\nport=8080\n"),
    ("empty.conf", "# nothing configured here\n"),
    ("bad.conf", "port=eighty\n"),
    ("defaults.txt", "port=80\n"),
];

fn file_content(path: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(name, _)| *name == path)
        .map(|(_, content)| *content)
}

/// A leaf future that is not ready on its first poll and yields `value` on
/// the second.
#[derive(Debug)]
pub struct ReadyOnSecondPoll<T> {
    value: Option<T>,
    polled: bool,
}

impl<T> ReadyOnSecondPoll<T> {
    /// A future that will produce `value` when polled the second time.
    pub fn new(value: T) -> Self {
        ReadyOnSecondPoll {
            value: Some(value),
            polled: false,
        }
    }
}

// The value is never pinned: it is moved out when ready.
impl<T> Unpin for ReadyOnSecondPoll<T> {}

impl<T> Future for ReadyOnSecondPoll<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if !self.polled {
            self.polled = true;
            // A real leaf would hand the waker to a reactor; the data is
            // "there" at once, so wake immediately.
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        Poll::Ready(
            self.value
                .take()
                .expect("ReadyOnSecondPoll polled after it returned Ready"),
        )
    }
}

/// Reads a file of the in-memory file system; an unknown file reads as
/// empty (as in the textbook example, which has no error handling).
pub fn async_read_file(path: &str) -> ReadyOnSecondPoll<String> {
    ReadyOnSecondPoll::new(file_content(path).unwrap_or_default().to_owned())
}

/// Reads a file of the in-memory file system; an unknown file is
/// `ErrorKind::NotFound`.
pub fn try_read_file(path: &str) -> ReadyOnSecondPoll<io::Result<String>> {
    let result = file_content(path)
        .map(str::to_owned)
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no such file: {path}")));
    ReadyOnSecondPoll::new(result)
}

/// An in-memory byte stream that hands out at most `chunk` bytes per read,
/// like a socket that receives its data in several packets.
#[derive(Debug, Clone)]
pub struct MemoryStream {
    data: Vec<u8>,
    position: usize,
    chunk: usize,
}

impl MemoryStream {
    /// A stream over `data`, delivering it `chunk` bytes at a time (at least one).
    pub fn new(data: impl Into<Vec<u8>>, chunk: usize) -> Self {
        MemoryStream {
            data: data.into(),
            position: 0,
            chunk: chunk.max(1),
        }
    }

    /// Reads into `buf`; `Ok(0)` means the end of the stream. The returned
    /// future borrows both the stream and the buffer until it completes:
    /// awaiting it in an `async fn` that owns them makes that function's
    /// state machine self-referential.
    pub fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> Read<'a> {
        Read {
            stream: self,
            buf,
            polled: false,
        }
    }
}

/// The future returned by [`MemoryStream::read`].
#[derive(Debug)]
pub struct Read<'a> {
    stream: &'a mut MemoryStream,
    buf: &'a mut [u8],
    polled: bool,
}

impl Future for Read<'_> {
    type Output = io::Result<usize>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        if !self.polled {
            self.polled = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let this = &mut *self;
        let stream = &mut *this.stream;
        let remaining = &stream.data[stream.position..];
        let n = remaining.len().min(stream.chunk).min(this.buf.len());
        this.buf[..n].copy_from_slice(&remaining[..n]);
        stream.position += n;
        Poll::Ready(Ok(n))
    }
}

/// Runs `future` to completion on the current thread and returns its output
/// with the number of times it was polled.
///
/// The smallest possible executor: poll, and poll again. It works here
/// because every leaf above wakes itself before returning `Pending`; a real
/// executor (`explicit_async::runtime::block_on`) sleeps until the waker is
/// called instead of spinning.
pub fn run_counting_polls<F: Future>(future: F) -> (F::Output, usize) {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = 0;
    loop {
        polls += 1;
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return (output, polls);
        }
    }
}
