//! Review finds on closures made `move` (they name a slot argument) that
//! also name locals the transform leaves as written: each of those is
//! captured as rustc's closure captured it, by reference, by `&mut`, or
//! (moved or a closure's own name) left alone. And one on `debug_assert!`,
//! which only a release build tells apart (`.ci/run` runs the corpus in
//! release too).

use super::prelude::*;

/// A struct written with shorthand fields.
pub struct Pt {
    pub k: i64,
}

// A closure parameter of the same name as an untracked local is the
// closure's own: it is not rewritten to the local's reference.
twin! {
    compare: (|x: i64| x * 2 + 8);
    pub async fn closure_parameter_shadowing_an_untracked_local(value: impl Fn(i64) -> i64) -> i64 {
        val("a1", 1, {
            let mut k = 1;
            let c = |k: i64| k + value(0);
            k += c(2);
            k
        }).await
    }
}

// A shorthand field `Pt { k }` reads the local through its reference.
twin! {
    compare: (|x: i64| x * 2 + 8);
    pub async fn shorthand_field_of_an_untracked_local(value: impl Fn(i64) -> i64) -> i64 {
        val("a1", 1, {
            let k = 3;
            let c = || Pt { k }.k + value(k);
            c() + k
        }).await
    }
}

// A macro's arguments name the local: `format!("{}", k)` and `k = k`.
twin! {
    compare: (|x: i64| x * 2 + 8);
    pub async fn untracked_local_in_a_closures_macro(value: impl Fn(i64) -> i64) -> i64 {
        val("a1", 1, {
            let k = 4;
            let c = || format!("{} {k}", k).len() as i64 + format!("{k}", k = k).len() as i64 + value(k);
            c() + k
        }).await
    }
}

// Written through a `&mut` binding (`*r = `) and by index (`arr[0] = `).
twin! {
    compare: (|x: i64| x * 2 + 8);
    pub async fn untracked_locals_written_through_deref_and_index(value: impl Fn(i64) -> i64) -> i64 {
        val("a1", 1, {
            let mut n = 1;
            let mut arr = [1, 2, 3];
            let r = &mut n;
            let mut c = || {
                *r = value(*r);
                arr[0] = value(arr[1]);
            };
            c();
            c();
            n + arr[0]
        }).await
    }
}

// A `mut` local's method may take `&mut self`; a consuming method moves it in.
twin! {
    compare: (|x: i64| x * 2 + 8);
    pub async fn untracked_locals_bumped_and_consumed(value: impl Fn(i64) -> i64) -> i64 {
        val("a1", 1, {
            let mut d = mk("d1", 1);
            let e = mk("e1", 2);
            let mut c = || d.bump() + value(0);
            let n = c() + c();
            let f = || e.consume() + value(1);
            n + d.n + f()
        }).await
    }
}

// Bindings of `if let`, `while let` and `for` patterns.
twin! {
    compare: (|x: i64| x * 2 + 8);
    pub async fn closures_writing_condition_and_loop_bindings(value: impl Fn(i64) -> i64) -> i64 {
        val("a1", 1, {
            let mut total = 0;
            if let Some(mut k) = checked(2) {
                let mut c = || k += value(1);
                c();
                total += k;
            }
            let mut i = 0;
            while let Some(mut k) = step(&mut i, 2) {
                let mut c = || k += value(i);
                c();
                total += k;
            }
            for mut k in 0..2 {
                let mut c = || k = value(k);
                c();
                total += k;
            }
            total
        }).await
    }
}

// Review find: a `debug_assert!` runs only in a debug build; what it moves
// is maybe moved (a slot with a drop flag), so that a release build, which
// skips it, still drops `d` where its scope ends, after the await.
twin! {
    compare: ();
    pub async fn local_consumed_in_a_debug_assertion() -> i64 {
        let d = mk("d1", 1);
        debug_assert!(d.consume() > 0);
        val("a1", 1, 2).await
    }
}
