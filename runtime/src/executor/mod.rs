//! Executors: [`block_on`] with its single-threaded [`spawn_local`], and
//! the work-stealing [`Runtime`], all over one task type (`task/`: one
//! allocation per task, wakers over the task pointer).
//!
//! [`block_on`] runs a future on the calling thread. That thread also owns
//! a driver (the reactor plus the timer queue) and blocks in `epoll_wait`
//! whenever nothing is runnable, with the next timer deadline as timeout,
//! so sockets and timers need no other thread. Inside it, [`spawn`] and
//! [`spawn_local`] start tasks that the same thread runs between polls of
//! the main future:
//!
//! ```
//! use explicit_async_runtime::net::{TcpListener, TcpStream};
//! use explicit_async_runtime::{block_on, spawn};
//!
//! let reply = block_on(async {
//!     let listener = TcpListener::bind("127.0.0.1:0").await?;
//!     let addr = listener.local_addr()?;
//!     let server = spawn(async move {
//!         let (mut stream, _peer) = listener.accept().await?;
//!         let mut buf = [0u8; 1024];
//!         loop {
//!             let n = stream.read(&mut buf).await?;
//!             if n == 0 {
//!                 return Ok::<_, std::io::Error>(());
//!             }
//!             stream.write_all(&buf[..n]).await?;
//!         }
//!     });
//!     let mut client = TcpStream::connect(addr).await?;
//!     client.write_all(b"ping").await?;
//!     let mut reply = [0u8; 4];
//!     client.read_exact(&mut reply).await?;
//!     drop(client);
//!     server.await??;
//!     Ok::<_, std::io::Error>(reply)
//! })?;
//! assert_eq!(&reply, b"ping");
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! A [`Runtime`] runs `Send` tasks on worker threads that steal work from
//! each other; its [`block_on`](Runtime::block_on) waits on the calling
//! thread while the workers run what was spawned:
//!
//! ```
//! use explicit_async_runtime::{Runtime, spawn, time};
//!
//! let runtime = Runtime::with_workers(2)?;
//! let total = runtime.block_on(async {
//!     let tasks: Vec<_> = (0..100u64)
//!         .map(|i| spawn(async move {
//!             time::sleep(time::Duration::from_millis(i % 5)).await;
//!             i
//!         }))
//!         .collect();
//!     let mut total = 0;
//!     for task in tasks {
//!         total += task.await.expect("task panicked");
//!     }
//!     total
//! });
//! assert_eq!(total, 4950);
//! # Ok::<(), std::io::Error>(())
//! ```

mod context;
mod local;
mod multi_thread;
pub(crate) mod task;
mod yield_now;

pub use local::{block_on, spawn_local};
pub use multi_thread::{Builder, Runtime};
pub use task::{Id, JoinError, JoinHandle};
pub use yield_now::yield_now;

use std::future::Future;

/// Spawns a task on the current runtime: on a [`Runtime`]'s workers, or
/// inside [`block_on`] on its thread.
///
/// # Panics
/// Outside both (there is nothing to run the task).
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    match context::scheduler() {
        Some(context::Scheduler::Local(core)) => core.spawn(future),
        Some(context::Scheduler::MultiThread(worker)) => worker.shared.spawn(future),
        None => panic!(
            "`spawn` called outside a runtime: use it inside `block_on` or `Runtime::block_on`"
        ),
    }
}
