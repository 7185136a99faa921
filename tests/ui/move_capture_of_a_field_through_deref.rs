// Expected: a compile error at `lease.id`, never a different drop order.
// In a `move` closure, rustc takes the whole of `lease` when `lease.id` goes
// through `Deref` (a `move` capture stops at a deref), and only the field
// `id` when it is a field of `lease` itself. The transform cannot see which:
// `lease` is kept in a slot (`held` borrows it across the await), and the
// closure takes `id` out of it alone. Through a `Deref`, that would drop
// the `Lease` when the function ends instead of with the closure, so the
// taking is denied the implicit autoref a `Deref` needs
// (`dangerous_implicit_autorefs`). The fix is to name the field the
// closure needs before it (`let id = lease.id;`), or the whole value
// (`let lease = lease;` moves it out of its slot first).
use explicit_async::explicit_async;
use std::ops::{Deref, DerefMut};

pub struct Pool {
    pub id: i64,
}

pub struct Lease(Pool);

impl Deref for Lease {
    type Target = Pool;
    fn deref(&self) -> &Pool {
        &self.0
    }
}

impl DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut Pool {
        &mut self.0
    }
}

impl Drop for Lease {
    fn drop(&mut self) {}
}

async fn tick() {}

#[explicit_async]
async fn move_capture_of_a_field_through_deref() -> i64 {
    let lease = Lease(Pool { id: 1 });
    let held = &lease;
    tick().await;
    let seen = held.id;
    let id = move || lease.id;
    seen + id()
}

fn main() {
    let _ = move_capture_of_a_field_through_deref();
}
