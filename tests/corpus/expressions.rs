//! Scope: awaits nested anywhere in an expression, hoisted in evaluation
//! order with rustc's temporary lifetimes. The leaves log when they are
//! created and when they complete, so the log shows the evaluation order.

use crate::common::*;

/// Logs that it ran: an operand whose evaluation order shows in the log.
pub fn noted<T: std::fmt::Debug>(what: &'static str, value: T) -> T {
    log(format!("eval {what} = {value:?}"));
    value
}

twin! {
    compare: (2, 3);
    pub async fn binary_operands(a: u32, b: u32) -> u32 {
        let sum = val("a", 1, a).await + val("b", 0, b).await;
        let mixed = noted("left", 10) * val("c", 3, a).await - noted("right", 1);
        sum + mixed
    }
}

pub fn combine3(x: u32, y: u32, z: u32) -> u32 {
    log(format!("combine3({x}, {y}, {z})"));
    x * 100 + y * 10 + z
}

twin! {
    compare: (1, 2, 3);
    pub async fn call_arguments(x: u32, y: u32, z: u32) -> u32 {
        combine3(noted("x", x), val("y", 1, y).await, noted("z", z))
            + combine3(val("first", 0, x).await, val("second", 1, y).await, z)
    }
}

twin! {
    compare: ();
    pub async fn method_on_result() -> usize {
        let len = val("s", 1, String::from("hello")).await.len();
        let upper = val("t", 0, "abc").await.to_uppercase();
        len + upper.len()
    }
}

twin! {
    compare: (vec![1, 2, 3]);
    pub async fn method_chains(items: Vec<u32>) -> u32 {
        let doubled: Vec<u32> = val("items", 1, items).await.into_iter().map(|x| x * 2).collect();
        let max = val("a", 1, 3u32).await.max(val("b", 1, 4).await).min(noted("cap", 10));
        doubled.iter().sum::<u32>() + max
    }
}

#[derive(Debug, PartialEq)]
pub struct Triple {
    pub a: u32,
    pub b: D,
    pub c: String,
}

twin! {
    compare: (7);
    pub async fn struct_tuple_array_literals(n: u32) -> (Triple, (u32, D, u32), [u32; 3]) {
        let s = Triple {
            a: val("field a", 1, n).await,
            b: D("field b"),
            c: val("field c", 0, String::from("c")).await,
        };
        let t = (val("t0", 1, 0).await, D("t1"), val("t2", 3, 2).await);
        let a = [noted("a0", 1), val("a1", 1, 2).await, val("a2", 0, 3).await];
        (s, t, a)
    }
}

twin! {
    compare: ();
    pub async fn await_in_await_operand() -> u32 {
        let inner = val("outer", 1, val("inner", 1, 2).await).await;
        inner + val("plain", 0, 1).await
    }
}

twin! {
    compare: (0), (1);
    pub async fn index_unary_cast(i: usize) -> i64 {
        let table = [10, 20, 30];
        let picked = table[val("index", 1, i).await];
        let negated = -(val("neg", 1, picked).await as i64);
        let not = !val("not", 0, false).await;
        negated + i64::from(not) + i64::from(*val("deref", 1, &5u8).await)
    }
}

twin! {
    compare: (0), (1);
    pub async fn short_circuit(x: u32) -> (bool, bool) {
        let and = x > 0 && val("and rhs", 1, true).await;
        let or = x > 0 || val("or rhs", 1, false).await;
        let both = val("lhs", 0, and).await && val("rhs", 1, or).await;
        (both, or)
    }
}

twin! {
    compare: (0), (2);
    pub async fn assignments(i: usize) -> [u32; 3] {
        let mut arr = [1, 2, 3];
        arr[noted("index", i)] = val("assigned", 1, 10).await;
        arr[noted("compound index", i)] += val("added", 1, 5).await;
        let mut s = String::new();
        s += &val("text", 0, String::from("abc")).await;
        arr[0] += s.len() as u32;
        arr
    }
}

pub fn combine(a: &D, v: u32, b: &D) -> u32 {
    log(format!("combine({}, {v}, {})", a.0, b.0));
    10 * v
}

twin! {
    compare: ();
    /// DESIGN's q8: temporaries borrowed across an await live to the end of the statement.
    pub async fn statement_temporaries() -> u32 {
        let n = combine(&D("t1"), val("v1", 1, 1).await, &D("t2")) + val("v2", 1, 2).await;
        log("after the statement");
        n
    }
}

twin! {
    compare: (0), (1);
    /// A `match` scrutinee's temporaries live through the whole `match`.
    pub async fn scrutinee_temporaries(x: u32) -> u32 {
        let r = match (D("scrutinee temporary").0.len() as u32 + x, &D("borrowed temporary")) {
            (5, d) => {
                log(format!("matched {}", d.0));
                tick("in arm", 1).await;
                1
            }
            (n, _) => val("other arm", 1, n).await,
        };
        log("after match");
        r
    }
}

twin! {
    compare: (Some(4)), (None);
    pub async fn if_let_temporaries(x: Option<u32>) -> u32 {
        if let Some(n) = val("scrutinee", 1, x.map(|v| (v, D("payload")))).await {
            tick("then", 1).await;
            log(n.1.0);
            n.0
        } else {
            val("else", 1, 0).await
        }
    }
}

twin! {
    compare: (1), (2), (3);
    /// An await on the left of `&&` and `||` (always evaluated).
    pub async fn await_left_of_lazy_operators(x: u32) -> (bool, bool) {
        let both = val("left of &&", 1, x > 1).await && x > 2;
        let either = val("left of ||", 0, x > 2).await || x == 1;
        (both, either)
    }
}
