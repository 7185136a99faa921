//! A self-referential future: the read borrows a buffer that lives in the
//! same future.
//!
//! `stream.read(&mut buf)` returns a future holding `&mut stream` and
//! `&mut buf`. While `read_greeting` waits for it, all three (the stream,
//! the buffer and the read that points at them) are stored in the state
//! machine, so the state machine points into itself. Moving it would leave
//! the read pointing at the old place: this is why futures are polled
//! through `Pin<&mut Self>`, a promise that the value will not move again.
//! In the expansion, `stream` and `buf` are kept in slots that are written
//! once and never moved (see `Slot` in `explicit_async::__private`), and the
//! whole state machine is `!Unpin`.

use crate::sim::MemoryStream;
use explicit_async::explicit_async;
use std::io;

/// Reads one chunk from `stream` and returns it as text.
#[explicit_async]
pub async fn read_greeting(mut stream: MemoryStream) -> io::Result<String> {
    let mut buf = [0u8; 32];
    let n = stream.read(&mut buf).await?;
    Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
}
