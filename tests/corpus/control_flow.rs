//! Scope: every control-flow form with awaits in it.

use crate::common::*;

pub struct Pair {
    pub x: u32,
    pub y: D,
}

twin! {
    compare: (2);
    pub async fn let_patterns(n: u32) -> u32 {
        let (a, b) = val("tuple", 1, (n, n + 1)).await;
        let Pair { x, y: d } = val("pair", 3, Pair { x: 10, y: D("pair.y") }).await;
        let [first, .., last] = val("array", 0, [1, 2, 3, 4]).await;
        let (ref r, mut m) = (D("by ref"), a);
        tick("t", 1).await;
        m += first + last;
        log(format!("{} {}", r.0, d.0));
        a + b + x + m
    }
}

twin! {
    compare: (Some(3)), (None);
    pub async fn let_else(input: Option<u32>) -> u32 {
        let guard = D("guard");
        let Some(x) = val("opt", 1, input).await else {
            log("none");
            tick("else", 1).await;
            return 0;
        };
        let Ok(y) = val("res", 1, Ok::<u32, ()>(x * 2)).await else {
            unreachable!()
        };
        log(guard.0);
        x + y
    }
}

twin! {
    compare: ();
    pub async fn expression_statements() -> u32 {
        tick("t1", 1).await;
        val("discarded", 3, 5).await;
        let _ = val("underscore", 0, D("let _ drops at once")).await;
        let mut n = 0;
        n += val("n", 1, 4).await;
        n
    }
}

twin! {
    compare: (1), (0);
    pub async fn tail_expressions(n: u32) -> u32 {
        let d = D("local");
        if n == 0 {
            return val("early tail", 1, 0).await;
        }
        log(d.0);
        {
            let e = D("tail block");
            val("block tail", 1, n).await + e.0.len() as u32
        }
    }
}

twin! {
    compare: (3), (1), (0);
    // A block with an await as a condition is one of the forms tested.
    #[allow(clippy::blocks_in_conditions)]
    pub async fn if_await_in_condition(x: u32) -> &'static str {
        if val("c1", 1, x).await > 2 {
            "big"
        } else if val("c2", 0, x).await == 1 {
            "one"
        } else if {
            tick("c3", 3).await;
            x == 7
        } {
            "seven"
        } else {
            "other"
        }
    }
}

twin! {
    compare: (3), (1), (0);
    pub async fn if_await_in_branches(x: u32) -> u32 {
        let outer = D("outer");
        let r = if x > 2 {
            let inner = D("then");
            val("then", 1, inner.0.len() as u32).await
        } else if x == 1 {
            tick("elif", 3).await;
            2
        } else {
            let e = D("else");
            tick("else", 0).await;
            e.0.len() as u32
        };
        log(outer.0);
        r
    }
}

twin! {
    compare: (0), (1), (9);
    pub async fn match_scrutinee(x: u32) -> u32 {
        match val("scrutinee", 1, x).await {
            0 => 100,
            1 => val("arm", 1, 200).await,
            n => n,
        }
    }
}

twin! {
    compare: (0), (1), (2);
    pub async fn match_arms(x: u32) -> String {
        let d = D("before match");
        let s = match x {
            0 => val("zero", 3, String::from("zero")).await,
            1 => {
                let in_arm = D("in arm");
                tick("one", 1).await;
                format!("one {}", in_arm.0)
            }
            _ => String::from("many"),
        };
        log(d.0);
        s
    }
}

twin! {
    compare: (0), (3), (5);
    pub async fn match_guards(x: u32) -> u32 {
        match x {
            n if val("guard1", 1, n).await > 4 => 1,
            n if n > 2 && val("guard2", 0, true).await => 2,
            _ => val("fallback", 1, 3).await,
        }
    }
}

twin! {
    compare: (Some(D("seven"))), (Some(D("two"))), (None);
    /// Guards that await, on bindings of a scrutinee that is moved into the arm.
    pub async fn match_guards_on_moved_values(x: Option<D>) -> &'static str {
        match x {
            Some(d) if val("long?", 1, d.0.len()).await > 3 => {
                tick("long arm", 1).await;
                d.0
            }
            Some(d) => d.0,
            None => "none",
        }
    }
}

twin! {
    compare: (2);
    pub async fn loop_break_value(step: u32) -> u32 {
        let mut total = 0;
        let result = loop {
            let d = D("iteration");
            total += val("step", 1, step).await;
            if total > 5 {
                break total * 10;
            }
            log(d.0);
        };
        result + 1
    }
}

twin! {
    compare: (3), (0);
    pub async fn while_loop(limit: u32) -> u32 {
        let mut i = 0;
        let mut acc = Vec::new();
        while val("cond", 1, i).await < limit {
            let d = D("body");
            tick("body", i % 2).await;
            acc.push(d.0.len() as u32 + i);
            i += 1;
        }
        acc.iter().sum()
    }
}

twin! {
    compare: (vec![1, 2, 0, 3]);
    pub async fn while_let(items: Vec<u32>) -> u32 {
        let mut it = items.into_iter();
        let mut sum = 0;
        while let Some(x) = val("next", 1, it.next()).await {
            if x == 0 {
                continue;
            }
            sum += val("item", 0, x).await;
        }
        sum
    }
}

twin! {
    compare: (vec![1, 2, 3]), (vec![]);
    pub async fn for_loop(items: Vec<u32>) -> u32 {
        let mut sum = 0;
        for x in items {
            sum += val("x", x % 2, x).await;
        }
        for d in [D("f1"), D("f2")] {
            tick("each", 1).await;
            log(d.0);
        }
        sum
    }
}

twin! {
    compare: (2), (5);
    pub async fn labeled_break_continue(stop: u32) -> Vec<(u32, u32)> {
        let mut seen = Vec::new();
        'outer: for i in 0..3 {
            let d = D("outer iteration");
            let mut j = 0;
            'inner: loop {
                j += val("j", 1, 1).await;
                if j == 1 {
                    continue 'inner;
                }
                if i == 1 {
                    continue 'outer;
                }
                seen.push((i, j));
                if i + j > stop {
                    break 'outer;
                }
                if j >= 3 {
                    break 'inner;
                }
            }
            log(d.0);
        }
        seen
    }
}

twin! {
    compare: (0), (1), (2);
    pub async fn early_return(x: u32) -> u32 {
        let a = D("a");
        if val("check", 1, x).await == 0 {
            return 0;
        }
        let b = D("b");
        for i in 0..3 {
            let c = D("c");
            if val("loop", 1, i).await == x {
                log(c.0);
                return 100 + i;
            }
        }
        log(format!("{} {}", a.0, b.0));
        1
    }
}

#[derive(Debug, PartialEq)]
pub struct SmallError(pub u32);

#[derive(Debug, PartialEq)]
pub struct BigError(pub String);

impl From<SmallError> for BigError {
    fn from(e: SmallError) -> Self {
        log("convert error");
        BigError(format!("small {}", e.0))
    }
}

twin! {
    compare: (1), (13), (26);
    pub async fn question_mark_result(x: u32) -> Result<u32, BigError> {
        let d = D("local");
        let a = val("a", 1, if x == 13 { Err(SmallError(x)) } else { Ok(x) }).await?;
        let b = val("b", 0, if x == 26 { Err(BigError("big".into())) } else { Ok(a * 2) }).await?;
        let c: u32 = "12".parse::<u32>().map_err(|_| BigError("parse".into()))?;
        log(d.0);
        Ok(a + b + c)
    }
}

twin! {
    compare: (Some(2)), (None);
    pub async fn question_mark_option(x: Option<u32>) -> Option<u32> {
        let d = D("local");
        let a = val("a", 1, x).await?;
        let b = val("b", 3, a.checked_sub(1)).await?;
        log(d.0);
        Some(a + b)
    }
}

twin! {
    compare: (4);
    pub async fn nested_blocks(n: u32) -> u32 {
        let x = {
            let d = D("outer block");
            let y = {
                let e = D("inner block");
                tick("inner", 1).await;
                log(e.0);
                n + 1
            };
            tick("outer", 1).await;
            log(d.0);
            y * 2
        };
        {
            let _ = D("temporary block");
        }
        x + val("after", 0, 1).await
    }
}

twin! {
    compare: (3);
    pub async fn shadowing(n: u32) -> u32 {
        let _d = D("first d, kept to the end");
        let x = val("x1", 1, n).await;
        let d = D("second d");
        let x = x + val("x2", 1, x).await;
        tick("t", 1).await;
        let x = format!("{x} {}", d.0);
        x.len() as u32
    }
}

/// A scripted queue whose `next()` future borrows it (DESIGN's q7).
pub struct Queue {
    items: Vec<Option<u32>>,
    pos: usize,
}

impl Queue {
    pub fn new(items: &[Option<u32>]) -> Queue {
        Queue {
            items: items.to_vec(),
            pos: 0,
        }
    }

    pub fn next_item(&mut self) -> Leaf<Option<u32>> {
        let item = self.items.get(self.pos).copied().flatten();
        self.pos += 1;
        val("next", 1, item)
    }
}

impl Drop for Queue {
    fn drop(&mut self) {
        log(format!("drop queue@{}", self.pos));
    }
}

twin! {
    compare: (Queue::new(&[Some(1), Some(2), None, Some(0), Some(3), None, Some(4)]), 10),
        (Queue::new(&[Some(1), Some(13), Some(2)]), 10),
        (Queue::new(&[Some(1), Some(2), Some(3)]), 2);
    /// The shape of DESIGN's q7: `for` + `while let` + labeled jumps + `?`.
    pub async fn drain(mut q: Queue, limit: usize) -> Result<Vec<u32>, SmallError> {
        let mut out = Vec::new();
        'outer: for round in 0..3 {
            while let Some(x) = q.next_item().await {
                if x == 0 {
                    continue 'outer;
                }
                let y = val("check", 1, if x == 13 { Err(SmallError(x)) } else { Ok(10 * x) }).await?;
                out.push(y + round);
                if out.len() >= limit {
                    break 'outer;
                }
            }
        }
        Ok(out)
    }
}

twin! {
    compare: (1), (5);
    pub async fn break_and_return_with_await(limit: u32) -> u32 {
        let mut i = 0;
        let found = loop {
            i += 1;
            if i > limit {
                return val("return value", 1, 1000).await;
            }
            if i == 3 {
                break val("break value", 1, i * 10).await;
            }
            tick("loop", 1).await;
        };
        found + 1
    }
}

twin! {
    compare: (0), (1);
    pub async fn labeled_block(x: u32) -> u32 {
        let d = D("outside");
        let r = 'block: {
            let inner = D("inside");
            if val("test", 1, x).await == 0 {
                break 'block inner.0.len() as u32;
            }
            tick("t", 1).await;
            7
        };
        log(d.0);
        r
    }
}

twin! {
    compare: (3);
    // A local declared first and initialised by an awaited value is one of the forms tested.
    #[allow(clippy::needless_late_init)]
    pub async fn typed_lets(n: u32) -> u64 {
        let wide: u64 = u64::from(val("n", 1, n).await);
        let list: Vec<u64> = vec![wide, val("more", 1, 2).await];
        let (a, b): (u64, u64) = (list[0], list[1]);
        let total: u64;
        total = a + b + u64::from(val("late init", 0, 1u8).await);
        total
    }
}

twin! {
    compare: (1), (3), (7);
    /// An `if let` chain whose scrutinee awaits (once rejected).
    pub async fn await_in_let_chain(x: u32) -> u32 {
        let guard = D("guard");
        let r = if let Some(n) = val("read", 1, Some(x)).await
            && n > 2
        {
            n + val("then", 1, 1).await
        } else {
            0
        };
        log(guard.0);
        r
    }
}

twin! {
    compare: (1), (5), (11);
    /// A guard that awaits after one that does not: each guard runs once, in order.
    pub async fn await_in_match_guard(x: u32) -> u32 {
        match x {
            n if { log(format!("guard 1 sees {n}")); n > 10 } => 2,
            n if val("guard 2", 1, n).await > 4 => 1,
            _ => 0,
        }
    }
}

twin! {
    compare: (true), (false);
    /// `let z;` given a value with a destructor on one path only, then
    /// kept across an await: it drops at the end of its scope if it was given one.
    pub async fn deferred_on_one_path(c: bool) -> u32 {
        let _z;
        let other = D("other");
        if val("c", 1, c).await {
            _z = D("z");
        }
        tick("t", 1).await;
        log(other.0);
        3
    }
}
