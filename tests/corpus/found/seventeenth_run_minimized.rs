//! The finds of the runs from seed 37001 on, each with what it showed; now
//! fixed.
use super::prelude::*;

// divergence: `let r = &[.., pair(&mk(..), 0), ..][ix(..)];` names the
// array rustc extends; its own temporaries (`mk(..)`) still drop after the
// index is evaluated, at the end of the `let`.
twin! {
    compare: ();
    pub async fn index_evaluated_before_an_extended_temporarys_temporaries() -> i64 {
        let rf41: &i64 = &[0, pair(&mk("z", 0), 0), 0][ix(twice(&mut ({
            let mut pp35: P = p("z", 0);
            0
        })))];
        peek("a1", rf41, 1).await
    }
}

// build defect (E0507): an assertion's message consumes a local that is a
// slot (older than a borrowed temporary stored beside it): `a3.consume()`
// in the macro's tokens is a move, taken from the slot (seed 39001).
twin! {
    compare_panic: (mk("arg", 3), 0);
    pub async fn consuming_method_in_an_assertion_message(a3: D, k: i64) -> i64 {
        let rm = &mut mk("z", 0);
        val("a1", 1, 0).await;
        assert!(rm.n + k > 5, "small: {}", a3.consume());
        rm.n
    }
}

// The same assertion holding: the message is not evaluated, and the local
// drops where rustc drops it.
twin! {
    compare: (mk("arg", 3), 9);
    pub async fn consuming_method_in_an_assertion_message_not_evaluated(a3: D, k: i64) -> i64 {
        let rm = &mut mk("z", 0);
        val("a1", 1, 0).await;
        assert!(rm.n + k > 5, "small: {}", a3.consume());
        rm.n
    }
}

// divergence (dropped at `a15`): a block tail's outermost operands drop
// newest first when the function is dropped, an await's output among them
// (`b: f().await` before `a: mk(..)`) (seed 39001).
twin! {
    compare: ();
    pub async fn awaited_operand_of_a_tail_dropped_with_the_others() -> Option<i64> {
        let mut rf2 = {
            P { b: val("a13", 0, mk("z", 0)).await, a: mk("d14", 0), k: val("a15", 2, None).await? }
        };
        None
    }
}

// build defect (E0382): a closure that calls an `FnOnce` argument inside a
// macro's tokens (`vec![0, c6()]`) is `FnOnce` too: calling it moves it
// (seed 40001, Rust 2021).
twin! {
    compare: ({ let d = mk("cap5", 6); move || d.consume() });
    pub async fn closure_calling_an_fn_once_in_a_macro(c6: impl FnOnce() -> i64) -> String {
        let c7 = move || {
            vec![0, c6()].len() as i64
        };
        let mut s20 = format!("{}:{}", val("a17", 0, c7()).await, 0);
        s20
    }
}

// divergence: a `move` block takes `self.k` once: `&mut self.k` and `self.k`
// inside it name the same captured value (seed 41001).
method_twin! {
    compare: |s| s.move_block_writing_and_reading_one_field();
    pub async fn move_block_writing_and_reading_one_field(mut self) -> Option<i64> {
        checked((async move {
            {
                let rm9: &mut i64 = &mut self.k;
                let fut19 = val("f18", 0, twice(&mut *rm9));
            }
            match mk("t20", self.k).with(0).consume() {
                _ => {},
            }
            0
        }).await)
    }
}

// divergence (a double drop): an `if let` guard's temporary that the guard's
// code moves out of (`match (mk(..), 0) { (d15, _) => .. }`) is not dropped
// again at the arm's end: the slot drops what it still holds (seed 43001).
twin! {
    compare: (7i64);
    pub async fn guard_temporary_moved_out_by_the_guard<T0: Probe + Debug>(x1: T0) -> Option<i64> {
        let mut b27 = match Some(0).or(None) {
            Some(n9) if let Ok(n17) = val("a16", 0, match (mk("z", 0), 0) {
                (d15, n14) => err(0),
            }).await => false,
            Some(n11) => false,
            None => false,
        };
        let n3: D = mk("z", 0);
        None
    }
}

// The same in a loop, with `ref` and by-value bindings in the guard's match.
method_twin! {
    compare: |s| s.guard_temporary_moved_out_in_a_loop();
    pub async fn guard_temporary_moved_out_in_a_loop(mut self) -> i64 {
        let mut n49: i64 = {
            let mut c7: i64 = 0;
            'l6: loop {
                c7 += 1;
                if c7 > 2 {
                    break mk("t8", c7).n();
                }
                match mk("z", 0) {
                    D { n: n14, .. } if let Some(n35) = match (mk("d17", 0), 9) {
                        (ref d19, 0..=7) => val("a28", 0, None).await,
                        (d21, n20) => checked(0),
                    } => {},
                    D { n: n16, .. } => {},
                }
            }
        };
        0
    }
}

// divergence (dropped at `a10`): an `if let` guard's temporary drops with
// its arm, before the scrutinee and the operands evaluated around the match
// (seed 43001).
twin! {
    compare: ();
    pub async fn guard_temporary_dropped_before_the_scrutinee() -> Option<i64> {
        let mut pp14 = P { b: mk("z", 0), k: 0, a: match mk("z", 0) {
            D { n: n4, .. } if let Some(n7) = Some(pair(&mk("d6", 9), 0)) => mk("z", 0).with(val("a10", 2, 0).await),
            D { n: n5, .. } => mk("z", 0),
        } };
        None
    }
}

// build defect (E0382): a `move` closure whose body moves out a captured
// argument (`let (d9, ..) = (d2, 0) else ..`) is `FnOnce`: calling it moves
// it (seed 44001, Rust 2021).
twin! {
    compare: (mk("arg1", 0));
    pub async fn move_closure_moving_a_capture_out(d2: D) -> Result<i64, String> {
        let c12 = move |k7: i64| {
            mk("z", 0).with(mk("t11", {
                let (d9, 0..=9) = (d2, 0) else {
                    panic!("gave up at {}", 0);
                };
                0
            }).consume()).consume()
        };
        if val("a15", 0, 0 > c12(0)).await {} else {}
        Ok(0)
    }
}
