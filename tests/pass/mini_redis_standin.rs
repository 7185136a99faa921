//! A stand-in for the async shapes mini-redis relies on, written here from
//! scratch (no mini-redis code): a key-value server and its client talking
//! over an in-memory connection, every `async fn` under `#[explicit_async]`.
//!
//! The shapes, each one a function of mini-redis that does not build
//! annotated today (`explicit-async-annotate crate mini-redis`):
//! - a command applied by value, `cmd.apply(&db, &mut dst, &mut shutdown)`
//!   with `apply(self, ..)`, dispatched from a `match self` (`Command::apply`);
//! - `apply(self, ..)` moving fields of `self` before an await (`Set::apply`,
//!   `Publish::apply`) and `&mut` arguments used after one (`Get::apply`);
//! - a read loop returning from inside with `?` (`Connection::read_frame`);
//! - a write through two borrowed inputs (`write_value`), and a slice of a
//!   local cursor passed to an awaited call (`write_decimal`);
//! - a shutdown signal: a flag plus a broadcast receiver, raced against the
//!   next frame (`Shutdown::recv`, `Handler::run`), and the server's
//!   destructuring of its listener to drop the senders (`server::run`);
//! - a request loop moving a reply sender into `send` (`buffer::run`), a
//!   command consumed by `into_frame()` (`Client::set_cmd`), and a parameter
//!   named `value` next to `?` (`Buffer::set`).
//!
//! `tokio::select!` becomes [`select`], a hand-written race of two futures.
//! It did not build with the transform of 2026-11 (E0507 moves behind raw
//! pointers, E0700, E0597, ...); it builds and passes its assertions since
//! 2026-12-01, and stays here as a trybuild `pass` case.

use explicit_async::explicit_async;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::{Future, poll_fn};
use std::io::{self, Cursor, Write};
use std::rc::Rc;
use std::task::Poll;

type Error = Box<dyn std::error::Error>;
type Result<T> = std::result::Result<T, Error>;

// The in-memory byte pipe, channels, `select`, `join` and `block_on`: no
// async fn there, so nothing for the attribute.
#[path = "mini_redis_standin/plumbing.rs"]
mod plumbing;
use plumbing::*;

// ---- frames and the connection --------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Frame {
    Simple(String),
    Bulk(Vec<u8>),
    Integer(u64),
    Null,
    Array(Vec<Frame>),
}

/// Frames are one line each: `+text`, `$bytes`, `:n`, `_`, or `*n` followed
/// by n frames.
struct Connection {
    stream: Stream,
    buffer: Vec<u8>,
}

impl Connection {
    fn new(stream: Stream) -> Self {
        Connection {
            stream,
            buffer: Vec::new(),
        }
    }

    #[explicit_async]
    async fn read_frame(&mut self) -> Result<Option<Frame>> {
        loop {
            if let Some(frame) = self.parse_frame()? {
                return Ok(Some(frame));
            }
            if 0 == self.stream.read_buf(&mut self.buffer).await? {
                if self.buffer.is_empty() {
                    return Ok(None);
                } else {
                    return Err("connection reset by peer".into());
                }
            }
        }
    }

    fn parse_frame(&mut self) -> Result<Option<Frame>> {
        let mut at = 0;
        match parse_at(&self.buffer, &mut at)? {
            Some(frame) => {
                self.buffer.drain(..at);
                Ok(Some(frame))
            }
            None => Ok(None),
        }
    }

    #[explicit_async]
    async fn write_frame(&mut self, frame: &Frame) -> io::Result<()> {
        match frame {
            Frame::Array(items) => {
                self.write_header(b'*', items.len() as u64).await?;
                for item in items {
                    self.write_value(item).await?;
                }
                Ok(())
            }
            _ => self.write_value(frame).await,
        }
    }

    #[explicit_async]
    async fn write_value(&mut self, frame: &Frame) -> io::Result<()> {
        match frame {
            Frame::Simple(text) => {
                self.stream.write_all(b"+").await?;
                self.stream.write_all(text.as_bytes()).await?;
            }
            Frame::Bulk(bytes) => {
                self.stream.write_all(b"$").await?;
                self.stream.write_all(bytes).await?;
            }
            Frame::Integer(n) => self.write_decimal(b':', *n).await?,
            Frame::Null => self.stream.write_all(b"_").await?,
            Frame::Array(_) => return Err(io::Error::other("nested arrays are not written")),
        }
        self.stream.write_all(b"\n").await
    }

    #[explicit_async]
    async fn write_header(&mut self, tag: u8, n: u64) -> io::Result<()> {
        self.write_decimal(tag, n).await?;
        self.stream.write_all(b"\n").await
    }

    #[explicit_async]
    async fn write_decimal(&mut self, tag: u8, n: u64) -> io::Result<()> {
        let mut digits = [0u8; 21];
        let mut cursor = Cursor::new(&mut digits[..]);
        write!(&mut cursor, "{}{}", tag as char, n)?;
        let end = cursor.position() as usize;
        self.stream.write_all(&cursor.get_ref()[..end]).await
    }
}

/// The frame starting at `at` in `bytes`, if it is complete.
fn parse_at(bytes: &[u8], at: &mut usize) -> Result<Option<Frame>> {
    let Some(len) = bytes[*at..].iter().position(|&b| b == b'\n') else {
        return Ok(None);
    };
    let line = &bytes[*at..*at + len];
    *at += len + 1;
    let text = || String::from_utf8(line[1..].to_vec());
    Ok(Some(match line.first() {
        Some(b'+') => Frame::Simple(text()?),
        Some(b'$') => Frame::Bulk(line[1..].to_vec()),
        Some(b':') => Frame::Integer(text()?.parse()?),
        Some(b'_') => Frame::Null,
        Some(b'*') => {
            let mut items = Vec::new();
            for _ in 0..text()?.parse::<usize>()? {
                match parse_at(bytes, at)? {
                    Some(item) => items.push(item),
                    None => return Ok(None),
                }
            }
            Frame::Array(items)
        }
        _ => return Err(format!("bad frame {line:?}").into()),
    }))
}

// ---- the database and the shutdown signal ---------------------------------

#[derive(Clone, Default)]
struct Db {
    entries: Rc<RefCell<HashMap<String, Vec<u8>>>>,
    channels: Rc<RefCell<HashMap<String, Vec<Sender<Vec<u8>>>>>>,
}

impl Db {
    fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.entries.borrow().get(key).cloned()
    }

    fn set(&self, key: String, value: Vec<u8>, _expire: Option<u64>) {
        self.entries.borrow_mut().insert(key, value);
    }

    fn publish(&self, channel: &str, message: Vec<u8>) -> usize {
        let channels = self.channels.borrow();
        let subscribers = channels.get(channel).map(Vec::as_slice).unwrap_or_default();
        for subscriber in subscribers {
            subscriber.push(message.clone());
        }
        subscribers.len()
    }
}

/// Whether the server is shutting down: a flag, and the receiving end of a
/// broadcast that yields `None` once the server drops its sender.
struct Shutdown {
    is_shutdown: bool,
    notify: Receiver<()>,
}

impl Shutdown {
    #[explicit_async]
    async fn recv(&mut self) {
        if self.is_shutdown {
            return;
        }
        let _ = self.notify.recv().await;
        self.is_shutdown = true;
    }
}

// ---- commands, applied by value -------------------------------------------

struct Get {
    key: String,
}

struct Set {
    key: String,
    value: Vec<u8>,
    expire: Option<u64>,
}

struct Publish {
    channel: String,
    message: Vec<u8>,
}

struct Unknown {
    name: String,
}

enum Command {
    Get(Get),
    Set(Set),
    Publish(Publish),
    Unknown(Unknown),
}

impl Command {
    fn from_frame(frame: Frame) -> Result<Command> {
        let Frame::Array(parts) = frame else {
            return Err("a command is an array".into());
        };
        let mut parts = parts.into_iter().map(|part| match part {
            Frame::Bulk(bytes) => Ok(bytes),
            other => Err(format!("not a bulk frame: {other:?}")),
        });
        let mut next = || -> Result<Vec<u8>> { Ok(parts.next().ok_or("missing argument")??) };
        let name = String::from_utf8(next()?)?;
        Ok(match name.as_str() {
            "get" => Command::Get(Get {
                key: String::from_utf8(next()?)?,
            }),
            "set" => Command::Set(Set {
                key: String::from_utf8(next()?)?,
                value: next()?,
                expire: None,
            }),
            "publish" => Command::Publish(Publish {
                channel: String::from_utf8(next()?)?,
                message: next()?,
            }),
            _ => Command::Unknown(Unknown { name }),
        })
    }

    #[explicit_async]
    async fn apply(self, db: &Db, dst: &mut Connection, shutdown: &mut Shutdown) -> Result<()> {
        match self {
            Command::Get(cmd) => cmd.apply(db, dst).await,
            Command::Set(cmd) => cmd.apply(db, dst).await,
            Command::Publish(cmd) => cmd.apply(db, dst).await,
            Command::Unknown(cmd) => {
                // Applying an unknown command is also where a shutdown is noticed.
                if shutdown.is_shutdown {
                    return Ok(());
                }
                cmd.apply(dst).await
            }
        }
    }
}

impl Get {
    #[explicit_async]
    async fn apply(self, db: &Db, dst: &mut Connection) -> Result<()> {
        let response = match db.get(&self.key) {
            Some(value) => Frame::Bulk(value),
            None => Frame::Null,
        };
        dst.write_frame(&response).await?;
        Ok(())
    }
}

impl Set {
    #[explicit_async]
    async fn apply(self, db: &Db, dst: &mut Connection) -> Result<()> {
        db.set(self.key, self.value, self.expire);
        let response = Frame::Simple("OK".to_string());
        dst.write_frame(&response).await?;
        Ok(())
    }

    fn into_frame(self) -> Frame {
        Frame::Array(vec![
            Frame::Bulk(b"set".to_vec()),
            Frame::Bulk(self.key.into_bytes()),
            Frame::Bulk(self.value),
        ])
    }
}

impl Publish {
    #[explicit_async]
    async fn apply(self, db: &Db, dst: &mut Connection) -> Result<()> {
        let subscribers = db.publish(&self.channel, self.message);
        let response = Frame::Integer(subscribers as u64);
        dst.write_frame(&response).await?;
        Ok(())
    }
}

impl Unknown {
    #[explicit_async]
    async fn apply(self, dst: &mut Connection) -> Result<()> {
        let response = Frame::Simple(format!("ERR unknown command '{}'", self.name));
        dst.write_frame(&response).await?;
        Ok(())
    }
}

// ---- the server ------------------------------------------------------------

struct Handler {
    db: Db,
    connection: Connection,
    shutdown: Shutdown,
    /// Held until the handler is done; the server waits for every clone to go.
    _done: Sender<()>,
}

impl Handler {
    #[explicit_async]
    async fn run(&mut self) -> Result<()> {
        while !self.shutdown.is_shutdown {
            let maybe_frame = match select(self.connection.read_frame(), self.shutdown.recv()).await {
                Either::Left(res) => res?,
                Either::Right(()) => return Ok(()),
            };
            let frame = match maybe_frame {
                Some(frame) => frame,
                None => return Ok(()),
            };
            let cmd = Command::from_frame(frame)?;
            cmd.apply(&self.db, &mut self.connection, &mut self.shutdown).await?;
        }
        Ok(())
    }
}

struct Listener {
    db: Db,
    /// Connections to serve, as a listener would accept them.
    incoming: Receiver<Stream>,
    notify_shutdown: Broadcast,
    shutdown_complete_rx: Receiver<()>,
    shutdown_complete_tx: Sender<()>,
}

impl Listener {
    /// Serves the accepted connections one after the other.
    #[explicit_async]
    async fn run(&mut self) -> Result<()> {
        while let Some(stream) = self.incoming.recv().await {
            let mut handler = Handler {
                db: self.db.clone(),
                connection: Connection::new(stream),
                shutdown: Shutdown {
                    is_shutdown: false,
                    notify: self.notify_shutdown.subscribe(),
                },
                _done: self.shutdown_complete_tx.clone(),
            };
            handler.run().await?;
        }
        Ok(())
    }
}

/// Hands each connection a receiver that yields `None` once the server
/// drops this (a broadcast channel, reduced to what shutdown needs).
#[derive(Default)]
struct Broadcast(Vec<Sender<()>>);

impl Broadcast {
    fn subscribe(&mut self) -> Receiver<()> {
        let (tx, rx) = channel();
        self.0.push(tx);
        rx
    }
}

#[explicit_async]
async fn run_server(incoming: Receiver<Stream>, shutdown: impl Future) -> Result<()> {
    let notify_shutdown = Broadcast::default();
    let (shutdown_complete_tx, shutdown_complete_rx) = channel();
    let mut server = Listener {
        db: Db::default(),
        incoming,
        notify_shutdown,
        shutdown_complete_rx,
        shutdown_complete_tx,
    };
    match select(server.run(), shutdown).await {
        Either::Left(res) => res?,
        Either::Right(_) => {}
    }
    let Listener {
        mut shutdown_complete_rx,
        shutdown_complete_tx,
        notify_shutdown,
        ..
    } = server;
    drop(notify_shutdown);
    drop(shutdown_complete_tx);
    let _ = shutdown_complete_rx.recv().await;
    Ok(())
}

// ---- the client and its buffered front -------------------------------------

struct Client {
    connection: Connection,
}

impl Client {
    #[explicit_async]
    async fn get(&mut self, key: &str) -> Result<Option<Vec<u8>>> {
        let frame = Frame::Array(vec![Frame::Bulk(b"get".to_vec()), Frame::Bulk(key.as_bytes().to_vec())]);
        self.connection.write_frame(&frame).await?;
        match self.read_response().await? {
            Frame::Bulk(value) => Ok(Some(value)),
            Frame::Null => Ok(None),
            other => Err(format!("unexpected {other:?}").into()),
        }
    }

    #[explicit_async]
    async fn set(&mut self, key: &str, value: Vec<u8>) -> Result<()> {
        self.set_cmd(Set {
            key: key.to_string(),
            value,
            expire: None,
        })
        .await
    }

    #[explicit_async]
    async fn set_cmd(&mut self, cmd: Set) -> Result<()> {
        let frame = cmd.into_frame();
        self.connection.write_frame(&frame).await?;
        match self.read_response().await? {
            Frame::Simple(ok) if ok == "OK" => Ok(()),
            other => Err(format!("unexpected {other:?}").into()),
        }
    }

    #[explicit_async]
    async fn publish(&mut self, channel: &str, message: Vec<u8>) -> Result<u64> {
        let frame = Frame::Array(vec![
            Frame::Bulk(b"publish".to_vec()),
            Frame::Bulk(channel.as_bytes().to_vec()),
            Frame::Bulk(message),
        ]);
        self.connection.write_frame(&frame).await?;
        match self.read_response().await? {
            Frame::Integer(n) => Ok(n),
            other => Err(format!("unexpected {other:?}").into()),
        }
    }

    #[explicit_async]
    async fn read_response(&mut self) -> Result<Frame> {
        match self.connection.read_frame().await? {
            Some(frame) => Ok(frame),
            None => Err("connection reset by server".into()),
        }
    }
}

enum Request {
    Get(String),
    Set(String, Vec<u8>),
}

type Reply = Sender<Result<Option<Vec<u8>>>>;

/// Owns the client; serves requests sent through a [`Buffer`].
#[explicit_async]
async fn run_buffer(mut client: Client, mut rx: Receiver<(Request, Reply)>) {
    while let Some((request, tx)) = rx.recv().await {
        let response = match request {
            Request::Get(key) => client.get(&key).await,
            Request::Set(key, value) => client.set(&key, value).await.map(|_| None),
        };
        tx.send(response);
    }
}

struct Buffer {
    tx: Sender<(Request, Reply)>,
}

impl Buffer {
    #[explicit_async]
    async fn get(&mut self, key: &str) -> Result<Option<Vec<u8>>> {
        let (tx, mut rx) = channel();
        self.tx.push((Request::Get(key.to_string()), tx));
        match rx.recv().await {
            Some(res) => res,
            None => Err("the buffer task is gone".into()),
        }
    }

    #[explicit_async]
    async fn set(&mut self, key: &str, value: Vec<u8>) -> Result<()> {
        let (tx, mut rx) = channel();
        self.tx.push((Request::Set(key.into(), value), tx));
        let reply = rx.recv().await.ok_or("the buffer task is gone")?;
        reply.map(|_| ())
    }
}

// ---- a scripted session ----------------------------------------------------

#[explicit_async]
async fn session(accept: Sender<Stream>, stop: Rc<Cell<bool>>) -> Result<Vec<String>> {
    let mut log = Vec::new();
    let (client_end, server_end) = stream_pair();
    accept.push(server_end);
    let (tx, rx) = channel();
    let mut buffer = Buffer { tx };
    let client = Client {
        connection: Connection::new(client_end),
    };
    let replies = async {
        buffer.set("hello", b"world".to_vec()).await?;
        let value = buffer.get("hello").await?;
        log.push(format!("get hello: {:?}", value.map(String::from_utf8)));
        let missing = buffer.get("nothing").await?;
        log.push(format!("get nothing: {missing:?}"));
        drop(buffer);
        Ok::<_, Error>(())
    };
    let ((), res) = join(run_buffer(client, rx), replies).await;
    res?;

    let (client_end, server_end) = stream_pair();
    accept.push(server_end);
    let mut client = Client {
        connection: Connection::new(client_end),
    };
    log.push(format!("publish: {} subscribers", client.publish("news", b"hi".to_vec()).await?));
    let unknown = Frame::Array(vec![Frame::Bulk(b"flush".to_vec())]);
    client.connection.write_frame(&unknown).await?;
    log.push(format!("flush: {:?}", client.read_response().await?));
    stop.set(true);
    Ok(log)
}

fn main() {
    let (accept, incoming) = channel();
    let stop = Rc::new(Cell::new(false));
    let shutdown = {
        let stop = Rc::clone(&stop);
        poll_fn(move |_| if stop.get() { Poll::Ready(()) } else { Poll::Pending })
    };
    let (served, log) = block_on(join(run_server(incoming, shutdown), session(accept, stop)));
    served.expect("the server failed");
    assert_eq!(
        log.expect("the session failed"),
        [
            "get hello: Some(Ok(\"world\"))",
            "get nothing: None",
            "publish: 0 subscribers",
            "flush: Simple(\"ERR unknown command 'flush'\")",
        ]
    );
}
