//! Scope: `.await` inside closures and inner `async` blocks belongs to them
//! and is left alone; `.await` inside `println!`/`format!`/`write!`/
//! `assert*!`/`vec!` arguments works.

use crate::common::*;
use std::fmt::Write;

twin! {
    compare: (3);
    pub async fn closures_returning_async_blocks(n: u32) -> u32 {
        let make = |x: u32| async move { val("in closure", 1, x).await * 2 };
        let a = make(n).await;
        let b = make(a).await;
        a + b
    }
}

twin! {
    compare: (3);
    pub async fn inner_async_blocks(n: u32) -> u32 {
        let d = D("outer local");
        let inner = async {
            tick("inner", 1).await;
            log(d.0);
            n + 1
        };
        tick("between", 1).await;
        let moved = async move { val("moved", 3, n).await };
        inner.await + moved.await
    }
}

twin! {
    compare: (4);
    pub async fn async_closures(n: u32) -> u32 {
        let add = async |x: u32| val("async closure", 1, x).await + n;
        let first = add(1).await;
        first + add(2).await
    }
}

twin! {
    compare: (2), (0), (5);
    /// `matches!` with an `.await` in the value and in the guard.
    pub async fn matches_with_await(k: u32) -> bool {
        let d = D("d");
        let a = matches!(val("m", 1, Some(k)).await, Some(x) if x > val("g", 1, 1).await);
        log(d.0);
        a && !matches!(val("n", 0, k).await, 0 | 1)
    }
}

twin! {
    compare: (2);
    pub async fn format_macros(n: u32) -> String {
        let s = format!("{}-{}", val("a", 1, n).await, val("b", 0, "x").await);
        let mut out = String::new();
        write!(out, "[{}]", val("w", 1, n * 2).await).unwrap();
        writeln!(out, "{s} {named}", named = val("named", 1, 7).await).unwrap();
        println!("{} {}", val("println", 1, "printed").await, out.trim_end());
        out
    }
}

twin! {
    compare: (3);
    pub async fn assert_macros(n: u32) -> u32 {
        assert!(val("assert", 1, n).await > 1);
        assert!(val("assert msg", 0, true).await, "message {}", n);
        assert_eq!(val("eq", 1, n).await, 3);
        assert_ne!(val("ne", 1, n).await, val("ne2", 0, 0).await, "values {}", n);
        debug_assert!(val("debug", 1, true).await);
        n
    }
}

twin! {
    compare: (2);
    pub async fn vec_macro(n: u32) -> Vec<u32> {
        let mut v = vec![val("v0", 1, n).await, noted_zero(), val("v2", 3, n + 1).await];
        v.extend(vec![val("repeat", 1, 9).await; 2]);
        v
    }
}

fn noted_zero() -> u32 {
    log("eval zero");
    0
}
