//! The finds of async-std 1.13.2 (`tools/annotate -- crate async-std`),
//! minimized by hand onto the fuzzer's prelude.

use super::prelude::*;

/// Writes its items as they are, as `pin_project!` writes a struct.
macro_rules! items {
    ($($item:item)*) => { $($item)* };
}

// build defect (E0425, `io::copy`): `pin_project! { struct CopyFuture .. }`
// in the body, and an `impl` for it beside it. The `impl` (an item) was
// lifted to the function's start, the macro (a statement to syntax) left
// in an arm, out of the `impl`'s sight. A braced macro whose tokens are
// items declares them: it is lifted with the other items.
twin! {
    compare: ();
    pub async fn type_a_macro_declares_in_the_body() -> i64 {
        items! {
            struct Counter(i64);
        }
        impl Counter {
            fn bump(&mut self) -> i64 {
                self.0 += 1;
                self.0
            }
        }
        let mut c = Counter(val("start", 1, 4).await);
        c.bump() + val("next", 1, 1).await + c.bump()
    }
}
