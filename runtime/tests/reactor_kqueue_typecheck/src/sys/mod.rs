#[path = "../../../../src/sys/kqueue.rs"]
mod kqueue;
#[path = "../../../../src/sys/kqueue_logic.rs"]
mod kqueue_logic;

/// Same contract as `syscall` in runtime/src/sys/mod.rs.
pub(crate) fn syscall(result: i32) -> std::io::Result<i32> {
    if result == -1 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(result)
    }
}

use kqueue::{Event, Events, Selector, Waker, event};

use crate::reactor::{Interest, Token};

/// Calls the selector the way `runtime/src/reactor` does (checked, never run).
pub fn use_like_the_reactor() -> std::io::Result<()> {
    let selector = Selector::new()?;
    let clone = selector.try_clone()?;
    let mut events: Events = Events::with_capacity(8);
    clone.select(&mut events, Some(std::time::Duration::from_millis(1)))?;
    for ready in &events {
        let _: (Token, [bool; 8]) = (
            event::token(ready),
            [
                event::is_readable(ready),
                event::is_writable(ready),
                event::is_error(ready),
                event::is_read_closed(ready),
                event::is_write_closed(ready),
                event::is_priority(ready),
                event::is_aio(ready),
                event::is_lio(ready),
            ],
        );
    }
    selector.register(0, Token(1), Interest::READABLE | Interest::WRITABLE)?;
    selector.reregister(0, Token(1), Interest::WRITABLE)?;
    selector.deregister(0)?;
    Waker::new(&selector, Token(2))?.wake()?;
    let _ = std::os::fd::AsRawFd::as_raw_fd(&selector);
    let _ = std::os::fd::AsFd::as_fd(&selector);
    let _: Event = Clone::clone(&events[0]);
    Ok(())
}

/// The reactor's `Poll`, `Registry`, `Events` and `Waker` are `Send` and
/// `Sync` on Linux; they must be on kqueue too.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Selector>();
    send_sync::<Event>();
    send_sync::<Events>();
    send_sync::<Waker>();
};
