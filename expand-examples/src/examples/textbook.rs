//! The textbook example, from Philipp Oppermann's "Async/Await" post
//! (<https://os.phil-opp.com/async-await/>).
//!
//! `example` reads `foo.txt`, and also `bar.txt` when the first is too
//! short. Each `.await` is a point where the function may have to stop and
//! return `Poll::Pending` to its caller; everything it needs to continue
//! later must be kept somewhere. `#[explicit_async]` writes that somewhere
//! out as an enum with one variant per stopping point:
//!
//! - `Start`: not polled yet, holds the argument `min_len`;
//! - `WaitingOnFooTxt`: stopped at the first await, holds the read of
//!   `foo.txt` in progress and `min_len` (still needed for the comparison);
//! - `WaitingOnBarTxt`: stopped at the second await, holds the read of
//!   `bar.txt` and `content` (needed for the concatenation). As in the
//!   post, not `min_len`: a `usize` has nothing to drop, so it is kept only
//!   while it is used (a local whose type may drop is kept until its scope
//!   ends, where it drops, as rustc does);
//! - `Done`: the result was returned;
//! - `Running` (not in the post): the code between two awaits is running; a
//!   poll that panics leaves the machine there, and polling it again panics.
//!
//! The `#[state(..)]` attributes name the waiting states as in the post;
//! without them they would be called after the callee:
//! `WaitingOnAsyncReadFile` and `WaitingOnAsyncReadFile2`.

use crate::sim::async_read_file;
use explicit_async::explicit_async;

/// Returns the content of `foo.txt`, followed by that of `bar.txt` if
/// `foo.txt` is shorter than `min_len` bytes.
#[explicit_async]
pub async fn example(min_len: usize) -> String {
    #[state(FooTxt)]
    let content = async_read_file("foo.txt").await;
    if content.len() < min_len {
        // The post writes `content + &async_read_file("bar.txt").await`; the
        // await gets a statement of its own here so it can be named.
        #[state(BarTxt)]
        let bar = async_read_file("bar.txt").await;
        content + &bar
    } else {
        content
    }
}
