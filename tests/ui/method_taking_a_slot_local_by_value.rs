// Expected: E0507 at `session`, the receiver of `close_and_count`. The
// transform cannot see that `close_and_count` takes `self` by value (a name
// it does not know as consuming): `session` is kept in a slot, because the
// future of `session.ping()` borrows it, and a method call on it borrows it
// there. An await follows the call, so the slot is still the local's home
// (where nothing awaits after the call, the arm moves the local out of its
// slot first and the call compiles either way). rustc's own `async fn`
// accepts this function. The error is at the user's name and says which
// method moves it; the fix is to move the local out of its slot first
// (`let session = session;`), which the transform sees.
use explicit_async::explicit_async;

pub struct Session(u32);

impl Session {
    pub async fn ping(&self) -> u32 {
        self.0
    }

    pub fn close_and_count(self) -> u32 {
        self.0
    }
}

#[explicit_async]
async fn method_taking_a_slot_local_by_value() -> u32 {
    let session = Session(1);
    let pinged = session.ping().await;
    let closed = session.close_and_count();
    pinged + closed + Session(2).ping().await
}

fn main() {
    let _ = method_taking_a_slot_local_by_value();
}
