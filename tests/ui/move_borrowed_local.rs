// Expected: rustc's own E0505 (cannot move out of `buf` because it is
// borrowed), as for a plain `async fn`: the sub-future `fill` still holds
// `&mut buf` when `buf` is moved, and then writes through it when awaited.
use explicit_async::explicit_async;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub struct Fill<'a>(&'a mut [u8]);

impl Future for Fill<'_> {
    type Output = usize;
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<usize> {
        let this = self.get_mut();
        this.0.fill(1);
        Poll::Ready(this.0.len())
    }
}

pub fn fill(buf: &mut [u8]) -> Fill<'_> {
    Fill(buf)
}

#[explicit_async]
async fn move_borrowed_local() -> usize {
    let mut buf = vec![0u8; 4];
    let pending = fill(&mut buf);
    let stolen = buf;
    pending.await + stolen.len()
}

fn main() {
    let _ = move_borrowed_local();
}
