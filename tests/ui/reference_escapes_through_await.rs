// Expected: rustc's own error that `buf` does not live long enough (E0597),
// as for a plain `async fn`. The sub-future's *output* carries the borrow of
// the local out of the function (DESIGN §3.3-3.4): the expansion reaches
// `buf` through a raw pointer, so only the witness can reject this.
use explicit_async::explicit_async;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub struct Echo<'a>(Option<&'a mut [u8]>);

impl<'a> Future for Echo<'a> {
    type Output = &'a mut [u8];
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<&'a mut [u8]> {
        Poll::Ready(self.get_mut().0.take().unwrap())
    }
}

pub fn echo(buf: &mut [u8]) -> Echo<'_> {
    Echo(Some(buf))
}

#[explicit_async]
async fn reference_escapes_through_await() -> &'static mut [u8] {
    let mut buf = vec![7u8; 4];
    echo(&mut buf).await
}

fn main() {
    let _ = reference_escapes_through_await();
}
