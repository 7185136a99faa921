//! The finds of tokio-postgres 0.7.18 (`tools/annotate -- crate
//! tokio-postgres`), minimized by hand onto the fuzzer's prelude.

use super::prelude::*;

// build defect (E0597, 10 of tokio-postgres's tests: `let client =
// connect(..).await; client.batch_execute(..).await.unwrap(); ...;
// client.prepare(..).await`): an awaited method on a local's last use was
// guessed to take it, unless a call of the same method kept it before.
// The future `prepare` returns borrows `client`, which the arm then
// dropped. A local that any method left in place before is a handle (a
// client, a connection, a pool), whose methods borrow it, but those named
// to take it (`tx.commit()`).
twin! {
    compare: (1), (2);
    pub async fn handle_borrowed_by_the_method_awaited_on_its_last_use(k: i64) -> i64 {
        let client = guard("client", k);
        log_i(client.level());
        let late = mk("late", 1);
        let seen = client.check(1).await;
        seen + late.n
    }
}
