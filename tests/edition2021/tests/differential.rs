//! Differential tests in a Rust 2021 crate. Before Rust 2024 a block tail's
//! temporaries drop after the block's locals, with the statement around the
//! block, and an `if let` scrutinee's temporaries live to the end of the
//! statement, through `else`. The macro reads the crate's edition from its
//! `Cargo.toml`; these cases, found by the fuzzer with `--edition 2021` and
//! minimized, check that it follows it.
#![allow(
    dead_code,
    irrefutable_let_patterns,
    unused_imports,
    unused_variables,
    unused_mut,
    clippy::all
)]

#[path = "../../common/mod.rs"]
mod common;

macro_rules! case_test {
    () => {
        #[test]
        fn matches_rustc() {
            check();
        }
    };
}

#[path = "../../corpus/twin.rs"]
#[macro_use]
mod twin;

#[path = "../../corpus/found/prelude.rs"]
mod prelude;

use prelude::*;

// A tail after an await, in an `if` branch that is an operand: its
// temporary drops after the branch's locals (one held in the state).
twin! {
    compare: (true), (false);
    pub async fn tail_temporary_of_an_awaiting_branch(c: bool) -> i64 {
        let arr = [
            if c {
                let rf: &D = &mk("local", 1);
                peek("p", &mk("aw", 2), 1).await;
                (mk("tail", 3), 1).1
            } else {
                2
            },
            val("later", 1, 4).await,
        ];
        arr[0]
    }
}

// The function's tail after an await: its temporary drops after the body's
// locals (in slots, and not) and before the arguments.
twin! {
    compare: (mk("arg", 0));
    pub async fn body_tail_temporary_after_locals_in_slots(d: D) -> i64 {
        let l = mk("local", 1);
        let r = &l;
        peek("p", &mk("aw", 2), 1).await;
        let l2 = mk("local2", 3);
        pair(&mk("tail", 4), r.n)
    }
}

// An awaiting tail: what is left of it once its await is lifted out
// (`mk(output).n()`) drops after the locals, newest first with the await's
// output borrowed in the same tail.
twin! {
    compare: ();
    pub async fn awaiting_tail_receiver_after_locals() -> i64 {
        let d = mk("local", 1);
        pair(&val("a", 1, mk("out", 2)).await, mk("t", val("b", 1, 3).await).n())
    }
}

// The function has no await: its tail's temporary still drops after the
// pinned local.
twin! {
    compare: (0);
    pub async fn tail_temporary_after_a_pinned_local(n1: i64) -> i64 {
        let n1 = pin!(peek("peek3", &n1, 0));
        pair(&mk("z", 0), 0)
    }
}

// An `if let` whose pattern fails: its scrutinee's tuple lives to the end
// of the statement, past the `else` and the await around it.
twin! {
    compare: (mk("arg1", 8)), (mk("arg1", 2));
    pub async fn if_let_scrutinee_lives_to_the_statement_end(d2: D) -> i64 {
        val("a18", 0, pair(&d2, if let (d12, 0..=4) = (mk("z", 0), d2.n) {
            later("later13", 0, move || 0).await
        } else {
            0
        })).await
    }
}

// The same, with the `if let` in an awaited operand and a borrowed temporary
// in its scrutinee.
twin! {
    compare: ();
    pub async fn if_let_scrutinee_temporary_through_else() -> i64 {
        let mut d13: D = val("a12", 0, if let Some(n9) = checked(pair(&mk("z", 0), 0)) {
            mk("then", 0)
        } else {
            mk("else", 0)
        }).await;
        0
    }
}
