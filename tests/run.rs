//! End-to-end runs of `#[explicit_async]` functions on the project's own
//! runtime: `block_on`, `spawn_local` tasks interleaving at `yield_now`,
//! timers, and a TCP echo over loopback. Where the run is deterministic
//! (no timers, no sockets), rustc's `async fn` twin runs too and the two
//! event logs must match.

use explicit_async::explicit_async;
use explicit_async::runtime::net::{TcpListener, TcpStream};
use explicit_async::runtime::time::sleep;
use explicit_async::runtime::{block_on, spawn_local, yield_now};
use std::cell::RefCell;
use std::io;
use std::rc::Rc;
use std::time::Duration;

type Events = Rc<RefCell<Vec<String>>>;

/// Writes the same body as rustc's `native::$name` and our `ours::$name`.
macro_rules! twin {
    ($name:ident $($sig_and_body:tt)*) => {
        mod $name {
            use super::*;
            pub mod native {
                use super::*;
                pub async fn $name $($sig_and_body)*
            }
            pub mod ours {
                use super::*;
                #[explicit_async]
                pub async fn $name $($sig_and_body)*
            }
        }
    };
}

twin!(worker(name: &'static str, rounds: u32, events: Events) -> u32 {
    let mut done = 0;
    for round in 0..rounds {
        events.borrow_mut().push(format!("{name} round {round}"));
        yield_now().await;
        done += 1;
    }
    events.borrow_mut().push(format!("{name} finished"));
    done
});

twin!(supervisor(events: Events) -> u32 {
    let a = spawn_local(worker::ours::worker("a", 3, events.clone()));
    let b = spawn_local(worker::native::worker("b", 2, events.clone()));
    yield_now().await;
    events.borrow_mut().push("supervisor waits".to_string());
    let total = a.await.expect("task a failed") + b.await.expect("task b failed");
    events.borrow_mut().push(format!("supervisor total {total}"));
    total
});

#[test]
fn block_on_runs_an_explicit_future() {
    #[explicit_async]
    async fn add_later(a: u32, b: u32) -> u32 {
        yield_now().await;
        let a = std::future::ready(a).await;
        a + b
    }
    assert_eq!(block_on(add_later(1, 2)), 3);
}

#[test]
fn spawned_tasks_interleave_like_rustc_futures() {
    let run = |native: bool| {
        let events = Events::default();
        let total = if native {
            block_on(supervisor::native::supervisor(events.clone()))
        } else {
            block_on(supervisor::ours::supervisor(events.clone()))
        };
        (total, events.take())
    };
    let (ours, native) = (run(false), run(true));
    assert_eq!(ours.0, 5);
    assert_eq!(ours, native, "left: ours, right: rustc");
}

#[explicit_async]
async fn sleepy(steps: u32) -> u32 {
    let mut slept = 0;
    for step in 0..steps {
        sleep(Duration::from_millis(u64::from(step) + 1)).await;
        slept += 1;
    }
    slept
}

#[test]
fn timers_wake_explicit_futures() {
    let out = block_on(async {
        let first = spawn_local(sleepy(3));
        let second = spawn_local(sleepy(2));
        first.await.unwrap() + second.await.unwrap()
    });
    assert_eq!(out, 5);
}

#[explicit_async]
async fn echo_once(listener: TcpListener) -> io::Result<usize> {
    let (mut stream, _) = listener.accept().await?;
    let mut buf = [0u8; 64];
    let mut total = 0;
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(total);
        }
        stream.write_all(&buf[..n]).await?;
        total += n;
    }
}

#[explicit_async]
async fn client(addr: std::net::SocketAddr, message: &'static [u8]) -> io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.write_all(message).await?;
    let mut echoed = vec![0u8; message.len()];
    stream.read_exact(&mut echoed).await?;
    stream.shutdown(std::net::Shutdown::Write)?;
    Ok(echoed)
}

#[test]
fn tcp_echo_over_loopback() -> io::Result<()> {
    block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let server = spawn_local(echo_once(listener));
        let echoed = client(addr, b"hello over loopback").await?;
        assert_eq!(echoed, b"hello over loopback");
        let total = server.await.expect("server task failed")?;
        assert_eq!(total, echoed.len());
        Ok(())
    })
}
