//! Plumbing for the mini-redis stand-in: a single-threaded in-memory
//! connection, a channel whose receiver sees the last sender go, a race of
//! two futures (in place of `tokio::select!`), a join, and a busy-polling
//! `block_on`.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::{Future, poll_fn};
use std::io;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};


/// One direction of a connection: bytes written, not yet read.
#[derive(Default)]
struct Pipe {
    bytes: VecDeque<u8>,
    closed: bool,
    reader: Option<Waker>,
}

/// One end of an in-memory connection.
pub struct Stream {
    incoming: Rc<RefCell<Pipe>>,
    outgoing: Rc<RefCell<Pipe>>,
}

pub fn stream_pair() -> (Stream, Stream) {
    let (a, b) = (Rc::default(), Rc::default());
    let one = Stream {
        incoming: Rc::clone(&a),
        outgoing: Rc::clone(&b),
    };
    (one, Stream { incoming: b, outgoing: a })
}

impl Stream {
    /// Appends what is available to `buf`; 0 once the peer has closed.
    pub fn read_buf<'a>(&'a mut self, buf: &'a mut Vec<u8>) -> impl Future<Output = io::Result<usize>> + 'a {
        poll_fn(move |cx| {
            let mut pipe = self.incoming.borrow_mut();
            if pipe.bytes.is_empty() && !pipe.closed {
                pipe.reader = Some(cx.waker().clone());
                return Poll::Pending;
            }
            let n = pipe.bytes.len();
            buf.extend(pipe.bytes.drain(..));
            Poll::Ready(Ok(n))
        })
    }

    pub fn write_all<'a>(&'a mut self, bytes: &'a [u8]) -> impl Future<Output = io::Result<()>> + 'a {
        poll_fn(move |_| {
            let mut pipe = self.outgoing.borrow_mut();
            pipe.bytes.extend(bytes);
            if let Some(reader) = pipe.reader.take() {
                reader.wake();
            }
            Poll::Ready(Ok(()))
        })
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        let mut pipe = self.outgoing.borrow_mut();
        pipe.closed = true;
        if let Some(reader) = pipe.reader.take() {
            reader.wake();
        }
    }
}

/// A single-threaded channel; `recv` gives `None` once every sender is gone.
struct Chan<T> {
    queue: VecDeque<T>,
    senders: usize,
    receiver: Option<Waker>,
}

pub struct Sender<T>(Rc<RefCell<Chan<T>>>);
pub struct Receiver<T>(Rc<RefCell<Chan<T>>>);

pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let chan = Rc::new(RefCell::new(Chan {
        queue: VecDeque::new(),
        senders: 1,
        receiver: None,
    }));
    (Sender(Rc::clone(&chan)), Receiver(chan))
}

impl<T> Sender<T> {
    /// Consumes the sender, as a one-shot reply does.
    pub fn send(self, value: T) {
        self.push(value);
    }

    pub fn push(&self, value: T) {
        let mut chan = self.0.borrow_mut();
        chan.queue.push_back(value);
        if let Some(waker) = chan.receiver.take() {
            waker.wake();
        }
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.0.borrow_mut().senders += 1;
        Sender(Rc::clone(&self.0))
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut chan = self.0.borrow_mut();
        chan.senders -= 1;
        if let Some(waker) = chan.receiver.take() {
            waker.wake();
        }
    }
}

impl<T> Receiver<T> {
    pub fn recv(&mut self) -> impl Future<Output = Option<T>> + '_ {
        poll_fn(|cx| {
            let mut chan = self.0.borrow_mut();
            match chan.queue.pop_front() {
                Some(value) => Poll::Ready(Some(value)),
                None if chan.senders == 0 => Poll::Ready(None),
                None => {
                    chan.receiver = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
    }
}

pub enum Either<A, B> {
    Left(A),
    Right(B),
}

/// Polls both, the first one first; gives the output of whichever is ready.
pub fn select<A: Future, B: Future>(a: A, b: B) -> impl Future<Output = Either<A::Output, B::Output>> {
    let (mut a, mut b) = (Box::pin(a), Box::pin(b));
    poll_fn(move |cx| {
        if let Poll::Ready(out) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(out));
        }
        b.as_mut().poll(cx).map(Either::Right)
    })
}

/// Runs `fut` to completion on this thread, polling again whenever woken
/// (a waker that does nothing: every poll makes progress or the script is
/// over).
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..10_000 {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("the session did not finish in 10000 polls");
}

pub fn join<A: Future, B: Future>(a: A, b: B) -> impl Future<Output = (A::Output, B::Output)> {
    let (mut a, mut b) = (Box::pin(a), Box::pin(b));
    let (mut out_a, mut out_b) = (None, None);
    poll_fn(move |cx| {
        if out_a.is_none() {
            out_a = match a.as_mut().poll(cx) {
                Poll::Ready(out) => Some(out),
                Poll::Pending => None,
            };
        }
        if out_b.is_none() {
            out_b = match b.as_mut().poll(cx) {
                Poll::Ready(out) => Some(out),
                Poll::Pending => None,
            };
        }
        match (out_a.take(), out_b.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                (out_a, out_b) = (a, b);
                Poll::Pending
            }
        }
    })
}

