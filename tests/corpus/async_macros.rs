//! Scope: macros that expand to an `.await` or pin in place: tokio's
//! `select!` (handlers that await, return, break, continue and use `?`;
//! preconditions, `else`, `mut` bindings), `join!`, `try_join!`, `pin!`,
//! and `std::pin::pin!`. Every `select!` is `biased;`, so the run is the
//! same each time.

use crate::common::*;

twin! {
    compare: (1), (7);
    /// Handlers that await; a refutable pattern with a `mut` binding.
    pub async fn select_handlers_await(k: u32) -> u32 {
        let d = D("local");
        let mut total = 0;
        tokio::select! {
            biased;
            a = val("slow", 3, k) => {
                total += a;
                tick("in slow", 1).await;
            }
            Some(mut b) = val("fast", 1, Some(k + 1)) => {
                b += 1;
                total += val("in fast", 1, b).await;
            }
        }
        log(d.0);
        total
    }
}

twin! {
    compare: (true), (false);
    /// A precondition, `else`, and `return` from a handler.
    pub async fn select_else_and_return(on: bool) -> Result<u32, String> {
        let r = tokio::select! {
            biased;
            v = val("guarded", 1, 5u32), if on => {
                if v > 3 {
                    return Ok(v * 2);
                }
                v
            }
            else => val("else", 1, 0u32).await,
        };
        Ok(r)
    }
}

twin! {
    compare: (0), (2);
    /// `continue` and `break` with a value from the handlers, in a loop.
    pub async fn select_in_loop(n: u32) -> u32 {
        let mut count = 0;
        loop {
            tokio::select! {
                biased;
                _ = tick("t", 1), if count < n => {
                    count += 1;
                    continue;
                }
                v = val("v", 2, 10u32) => break v + count,
            }
        }
    }
}

twin! {
    compare: (true), (false);
    /// `?` in a handler, and a branch future borrowing a local.
    pub async fn select_question_mark(ok: bool) -> Result<u32, u32> {
        let mut buf = String::from("buf");
        let n = tokio::select! {
            biased;
            r = val("r", 1, if ok { Ok(3u32) } else { Err(4u32) }) => r?,
            len = append(&mut buf, "!", 2) => len as u32,
        };
        log(buf.clone());
        Ok(n + buf.len() as u32)
    }
}

twin! {
    compare: (1);
    /// `join!` and `try_join!` (with `?` on the result).
    pub async fn joins(k: u32) -> Result<u32, u32> {
        let (a, b) = tokio::join!(val("a", 2, k), val("b", 1, k + 1));
        let (c, d) = tokio::try_join!(
            async { Ok::<u32, u32>(val("c", 1, a).await) },
            val("d", 1, Ok(b))
        )?;
        Ok(c + d)
    }
}

twin! {
    compare: (1);
    /// `tokio::pin!` on a local awaited by `&mut`, and `std::pin::pin!`.
    pub async fn pinned_locals(k: u32) -> u32 {
        let fut = val("pinned", 2, k);
        tokio::pin!(fut);
        let first = (&mut fut).await;
        let second = std::pin::pin!(val("std", 1, 3u32));
        tick("between", 1).await;
        first + second.await
    }
}

twin! {
    compare: (val("shutdown", 1, 0u32)), (val("shutdown", 5, 0u32));
    /// mini-redis's `run`: a future argument moved into `select!`, beside a
    /// branch whose future borrows a local.
    pub async fn select_moves_a_future_argument(shutdown: impl std::future::Future) -> u32 {
        let d = D("server");
        let mut buf = String::from("buf");
        tokio::select! {
            biased;
            len = append(&mut buf, "!", 3) => len as u32,
            _ = shutdown => {
                log(d.0);
                0
            }
        }
    }
}
