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
