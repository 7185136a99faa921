//! Scope: moves out of locals the state keeps (issue 10's first defect
//! class): a method that consumes its receiver in an await, partial moves
//! of fields (on some paths only too), a local moved into a closure or an
//! `async move` block after an await, and `FnOnce` callees.

use crate::common::*;

/// A command whose `apply` consumes it, as mini-redis's does.
#[derive(Debug)]
pub struct Command {
    pub name: D,
    pub n: u32,
}

impl Command {
    pub async fn apply(self, db: &[u32]) -> u32 {
        tick("apply", 1).await;
        log(format!("apply {}", self.name.0));
        self.n + db.len() as u32
    }

    pub async fn peek(&self) -> u32 {
        tick("peek", 1).await;
        self.n
    }
}

pub struct Pair {
    pub left: D,
    pub right: D,
    pub count: u32,
}

pub fn consume(d: D) -> u32 {
    log(format!("consume {}", d.0));
    d.0.len() as u32
}

pub async fn needs(d: D) -> u32 {
    tick("needs", 1).await;
    consume(d)
}

twin! {
    compare: (3);
    /// `cmd.apply(&db).await` with `apply(self)`: the receiver is moved.
    pub async fn consuming_receiver(n: u32) -> u32 {
        let db = vec![1, 2];
        let cmd = Command { name: D("cmd"), n };
        let before = D("before");
        let r = cmd.apply(&db).await;
        log(before.0);
        r + db.len() as u32
    }
}

twin! {
    compare: (4);
    /// The same method borrowing instead, with the receiver used after.
    pub async fn borrowing_receiver(n: u32) -> u32 {
        let cmd = Command { name: D("cmd"), n };
        let a = cmd.peek().await;
        let b = cmd.peek().await;
        log(cmd.name.0);
        a + b
    }
}

twin! {
    compare: (true), (false);
    /// A field moved on one path, the rest used and dropped after an await.
    pub async fn partial_move_on_some_paths(which: bool) -> u32 {
        let p = Pair { left: D("left"), right: D("right"), count: 2 };
        let d = D("d");
        if which {
            consume(p.left);
        }
        tick("t", 1).await;
        log(p.right.0);
        log(d.0);
        p.count
    }
}

twin! {
    compare: (5);
    /// `needs(s.x).await; s.y`: a field moved into the awaited future.
    pub async fn field_moved_into_the_future(n: u32) -> u32 {
        let s = Pair { left: D("x"), right: D("y"), count: n };
        let got = needs(s.left).await;
        log(s.right.0);
        got + s.count
    }
}

twin! {
    compare: (1);
    /// `drop(x.1); g(&x.0).await; x.0`: a tuple field dropped, another borrowed across.
    pub async fn tuple_field_dropped_then_borrowed(k: u32) -> u32 {
        let x = (vec![k, 2], D("second"), D("third"));
        drop(x.1);
        let len = val("len", 1, x.0.len()).await;
        log(x.2.0);
        x.0[0] + len as u32
    }
}

twin! {
    compare: (2);
    /// A local moved into a closure, and one into an `async move` block, after an await.
    pub async fn moved_into_closure_after_await(k: u32) -> u32 {
        let owned = D("owned");
        let other = D("other");
        tick("t", 1).await;
        let closure = move || consume(owned);
        let block = async move { other.0.len() as u32 };
        let from_block = block.await;
        closure() + from_block + k
    }
}

twin! {
    compare: (3);
    /// `f().await` with `f: impl FnOnce() -> Fut`: the callee is moved.
    pub async fn fn_once_callee(k: u32) -> u32 {
        let captured = D("captured");
        let f = move || async move { k + consume(captured) };
        tick("t", 1).await;
        f().await
    }
}

twin! {
    compare: (true), (false);
    /// `if c { consume(span).await } else { other().await }` (what
    /// `#[tracing::instrument]` expands to): moved on one path only.
    pub async fn moved_into_one_branch(which: bool) -> u32 {
        let span = D("span");
        let r = if which { needs(span).await } else { val("other", 1, 7).await };
        log("after");
        r
    }
}

twin! {
    compare: (2);
    /// A match moving out of a field of a local that a stored borrower pins.
    #[allow(clippy::match_single_binding)] // the form under test
    pub async fn match_moves_field_of_pinned_local(k: u32) -> u32 {
        let p = Pair { left: D("left"), right: D("right"), count: k };
        let count = &p.count;
        tick("t", 1).await;
        let r = match p.left {
            left => consume(left) + *count,
        };
        tick("t2", 1).await;
        r
    }
}

twin! {
    compare: (2);
    /// A pattern that copies out of a local and leaves a part in place.
    pub async fn destructured_in_place(k: u32) -> u32 {
        let pair = (k, D("kept"));
        let (n, _) = pair;
        tick("t", 1).await;
        n + pair.1.0.len() as u32
    }
}

twin! {
    compare: (Some(3)), (None);
    /// Every part of an `Option` bound: taken as a move.
    pub async fn option_taken_by_match(v: Option<u32>) -> u32 {
        let o = v.map(|_| D("payload"));
        let r = match o {
            Some(d) => consume(d),
            None => 0,
        };
        tick("t", 1).await;
        r + v.unwrap_or(0)
    }
}
