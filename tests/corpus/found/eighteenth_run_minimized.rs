//! The finds of the runs from seed 50001 on, each with what it showed; now
//! fixed.
use super::prelude::*;

// divergence (seed 50001): a block's value made from one of its own locals
// (`mk(..).with(probe(&d10))`) was taken to borrow it, so `d10` went into a
// slot and dropped after the block's extended temporary, not before.
twin! {
    compare: ();
    pub async fn block_value_made_from_its_own_local() -> i64 {
        let (n, _d) = (pair(&({
            let rm = &mut P { b: val("a1", 1, mk("d1", 2)).await, a: val("a2", 1, mk("d2", 1)).await, k: 2 };
            let d3 = mk("d3", 9).with(rm.k);
            mk("d4", 1).with(probe(&d3))
        }), 2), mk("d5", val("a3", 0, 1).await));
        n
    }
}

// The same rule does not lose a borrow that passes through a block's own
// reference: `v` still borrows `d`, which stays where it is across the await.
twin! {
    compare: ();
    pub async fn block_value_reborrowing_through_its_own_reference() -> i64 {
        let d = mk("d", 1);
        let v = {
            let r = &d;
            &*r
        };
        let k = val("a1", 1, 2).await;
        probe(v) + k
    }
}

// build defect (E0505, seed 50001): the end of a loop body that awaits was
// opened into the arm, so `pinned` (which borrows `self.d` and has a
// destructor) still lived when the next state took `self`.
method_twin! {
    compare: |s| s.local_borrowing_what_the_loop_head_keeps();
    pub async fn local_borrowing_what_the_loop_head_keeps(self) -> i64 {
        let mut c = 0;
        loop {
            c += 1;
            if c > 2 {
                break;
            }
            let n = val("a1", 1, 1).await;
            let pf = pin!(peek("peek1", &self.d, n as u32));
            log_i(c);
        }
        3
    }
}
