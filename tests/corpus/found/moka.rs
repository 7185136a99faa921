//! The finds of moka 0.12.16 (`tools/annotate -- crate moka --features
//! future`), minimized by hand onto the fuzzer's prelude.

use super::prelude::*;

/// A cache whose `insert` is an `async fn` taking `&self`, as moka's.
pub struct Cache(pub D);

impl Cache {
    pub fn insert(&self, k: i64) -> Peek<'_, D> {
        log_i(k);
        peek("insert", &self.0, 1)
    }
}

// build defect (moka's `test_debug_format`, `test_iter`: E0505, `let cache =
// Cache::new(10); cache.insert('a', "alice").await; .. format!("{cache:?}")`):
// `insert` is a name that returns an owned value in a synchronous API
// (`HashMap::insert`), so its receiver was not taken to be borrowed by the
// future; but the awaited call's own result is the future.
twin! {
    compare: (2);
    pub async fn awaited_call_named_like_an_owning_one_borrows_its_receiver(k: i64) -> i64 {
        let cache = Cache(mk("cache", k));
        cache.insert(1).await;
        let n = cache.insert(2).await;
        let shown = format!("{:?}", cache.0);
        n + shown.len() as i64
    }
}

/// An `async fn` whose future keeps its `impl FnMut` argument's type.
pub async fn get_with(base: &D, f: Option<&mut impl FnMut(&i64) -> bool>) -> i64 {
    let n = peek("get", base, 1).await;
    match f {
        Some(f) => {
            if f(&n) {
                n
            } else {
                -n
            }
        }
        None => 0,
    }
}

pub static BASE: D = D { name: "base", n: 3 };

// build defect (moka's `Cache::get_or_insert_with_hash_and_fun(&self, ..,
// init: Pin<&mut impl Future>, mut replace_if: Option<impl FnMut(&V) ->
// bool + Send>, ..)`: E0309): a function whose futures may borrow two
// arguments gets `'machine`; its `impl Trait` types, also inside another
// type, must outlive it.
twin! {
    compare: (&BASE, "k", Some(|n: &i64| *n > 2));
    pub async fn nested_impl_trait_argument_outlives_the_machine(
        base: &D,
        key: &str,
        mut replace_if: Option<impl FnMut(&i64) -> bool + Send>,
    ) -> i64 {
        let n = get_with(base, replace_if.as_mut()).await;
        tick("after", 1).await;
        n + key.len() as i64 + base.n
    }
}

// build defect (moka's `Invalidator::invalidate`: E0505, `if let Some(entry)
// = &maybe_entry { cache.notify(.., entry, ..).await; } maybe_entry`): the
// scrutinee `&maybe` is held in a temporary an arm's binding may take, and
// what it points into flowed into the binding only for a scrutinee read in
// place: `maybe` was moved into the state while the future borrowed it.
twin! {
    compare: (2), (0);
    pub async fn binding_of_a_borrowed_scrutinee_passed_to_an_awaited_call(k: i64) -> Option<D> {
        let maybe = if k > 0 { Some(mk("entry", k)) } else { None };
        if let Some(entry) = &maybe {
            if k > 1 {
                peek("notify", entry, 1).await;
            }
        }
        if let Some(entry) = maybe.as_ref() {
            peek("again", entry, 1).await;
        }
        maybe
    }
}

// divergence (fuzzer seed 155001, minimized; it fails on 5816b93 too): in
// a match whose guards await, an `if let` guard's binding that the guard
// uses again (`d9.n() >= 0`) but the arm does not was dropped when the
// guard selected the arm, not where the arm ends. Carried there where the
// guard only borrows it.
twin! {
    compare: (Some(9));
    pub async fn if_let_guard_binding_borrowed_again_in_its_guard_drops_with_the_arm(o4: Option<i64>) -> Result<i64, String> {
        let arr52 = [match mk("z", 0) {
            D { n: n6, .. } if let (d9, 0..=9) = (mk("z", 0), 0) && (d9.n() >= 0) && (0 < o4.unwrap_or(0)) => run(|| async {
                0
            }).await,
            D { n: n7, .. } if let Some(mut n27) = val("a25", 0, Some(7)).await.or(None) => 0,
            _ => 0,
        }, 0, 0];
        Ok(0)
    }
}
