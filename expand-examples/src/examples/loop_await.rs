//! Awaits inside loops.
//!
//! A loop with an `.await` in its body does not need one state per
//! iteration: the same waiting state is entered again on every turn, with
//! the loop's variables (`total`, the iterator) stored in it. After the
//! sub-future completes, the state machine runs the rest of the body and
//! goes back to the loop's head, exactly as the `async fn` would.

use crate::sim::{MemoryStream, async_read_file};
use explicit_async::explicit_async;
use std::io;

/// Sums the lengths of the given files, reading them one after the other.
#[explicit_async]
pub async fn total_length(paths: Vec<&'static str>) -> usize {
    let mut total = 0;
    for path in paths {
        let content = async_read_file(path).await;
        total += content.len();
    }
    total
}

/// Reads `stream` to its end, `chunk` by `chunk`, with `loop` and `break`.
#[explicit_async]
pub async fn read_to_end(mut stream: MemoryStream) -> io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 8];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&chunk[..n]);
    }
    Ok(data)
}
