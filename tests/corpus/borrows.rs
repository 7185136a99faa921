//! Scope: sub-futures that borrow the function's locals, and locals that
//! borrow other locals across awaits (the pinned layout with slots). The
//! borrowing leaves read through their borrows when dropped, so a moved or
//! freed local shows in valgrind.

use crate::common::*;

twin! {
    compare: (1), (0);
    pub async fn read_into_local_buffer(pendings: u32) -> (usize, Vec<u8>) {
        let mut source = Source::new("s", b"hello world");
        let mut buf = [0u8; 4];
        let n = source.read(&mut buf, pendings).await;
        let mut rest = vec![0u8; 16];
        let m = source.read(&mut rest, 3).await;
        rest.truncate(m);
        log(format!("{:?}", &buf[..n]));
        (n + m, rest)
    }
}

twin! {
    compare: (Source::new("arg", b"abcdef"));
    pub async fn read_borrowing_argument(mut source: Source) -> usize {
        let mut total = 0;
        for i in 0..3 {
            let mut buf = [0u8; 2];
            total += source.read(&mut buf, i % 2).await;
            log(format!("round {i}: {buf:?}"));
        }
        total + source.position()
    }
}

twin! {
    compare: ();
    pub async fn append_to_local_string() -> String {
        let mut text = String::from("a");
        let len = append(&mut text, "b", 1).await;
        append(&mut text, "c", 0).await;
        let more = append(&mut text, "d", 3).await;
        format!("{text} {len} {more}")
    }
}

twin! {
    compare: ();
    /// DESIGN's q9 shape: a local borrowed by another local across awaits,
    /// between two plain locals.
    pub async fn local_borrows_local() -> String {
        let a = D("a");
        let v = [D("v0"), D("v1")];
        let r = &v[1];
        tick("t1", 1).await;
        let b = D("b");
        tick("t2", 3).await;
        format!("{} {} {}", a.0, r.0, b.0)
    }
}

twin! {
    compare: (vec![4, 5, 6]);
    pub async fn borrow_of_argument(v: Vec<u32>) -> u32 {
        let first = &v[0];
        let last = v.last().unwrap();
        tick("t", 1).await;
        *first + *last
    }
}

pub struct Holder {
    pub name: D,
    pub count: u32,
}

twin! {
    compare: ();
    pub async fn borrow_of_field() -> u32 {
        let mut h = Holder { name: D("holder"), count: 1 };
        let count = &mut h.count;
        *count += val("inc", 1, 1).await;
        let name = &h.name;
        tick("t", 1).await;
        log(name.0);
        h.count
    }
}

twin! {
    compare: (2);
    pub async fn mutable_borrow_across_await(n: u32) -> Vec<u32> {
        let mut v = vec![0];
        let r = &mut v;
        for i in 0..n {
            r.push(val("push", 1, i).await);
        }
        v
    }
}

twin! {
    compare: (5);
    /// A closure that borrows a local is itself a local across the await.
    pub async fn closure_borrowing_local(n: u32) -> u32 {
        let base = [n, 1];
        let add = |x: u32| x + base[0];
        tick("t", 1).await;
        add(val("x", 1, 2).await) + base.len() as u32
    }
}

twin! {
    compare: (vec![D("first"), D("second")]);
    /// Bindings into a matched local, held across awaits in the arm.
    pub async fn match_binding_borrow(items: Vec<D>) -> &'static str {
        match items.as_slice() {
            [first, .., last] => {
                tick("in arm", 1).await;
                log(format!("{} {}", first.0, last.0));
                val("arm", 1, first.0).await
            }
            _ => "short",
        }
    }
}

twin! {
    compare: ();
    /// A local mutated between awaits while another local borrows from it later.
    pub async fn reborrow_after_mutation() -> String {
        let mut words = vec![String::from("a")];
        words.push(val("word", 1, String::from("b")).await);
        let last = words.last().unwrap();
        tick("t", 1).await;
        let joined = format!("{last} of {}", words.len());
        words.clear();
        joined
    }
}

twin! {
    compare: (1);
    /// A closure that borrows a local in a slot and mutates another stored
    /// local: both must stay borrowed (not copied into the closure).
    pub async fn closure_mutating_a_stored_local(n: u32) -> u32 {
        let v = vec![1u32, 2, 3];
        let r = &v[1];
        let mut count = 0;
        let mut bump = || {
            count += 10;
            v[0]
        };
        bump();
        tick("t", 1).await;
        *r + count + n
    }
}

twin! {
    compare: (2);
    /// Borrows kept by a stored local through a method call, a temporary
    /// extended by `let r = &..`, and a `for` over a temporary's iterator.
    pub async fn borrows_kept_across_awaits(n: u32) -> usize {
        let v = D("pushed");
        let mut kept = Vec::new();
        log("pushing");
        kept.push(&v);
        tick("after push", 1).await;
        let r = &D("extended temporary");
        tick("after let", 1).await;
        let mut total = 0;
        for x in vec![1, n].iter() {
            total += val("item", 1, *x).await;
        }
        kept.len() + r.0.len() + total as usize
    }
}

/// A store whose setter's future borrows it, as mini-redis's
/// `Client::set(&mut self, ..)`.
pub struct Store {
    items: Vec<u32>,
}

impl Store {
    pub fn new() -> Store {
        log("new store");
        Store { items: Vec::new() }
    }

    pub async fn set(&mut self, value: u32, pendings: u32) -> usize {
        tick("set", pendings).await;
        self.items.push(value);
        self.items.len()
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        log(format!("drop store of {}", self.items.len()));
    }
}

twin! {
    compare: (1), (3);
    /// A local's last use is a method whose future borrows it: a setter,
    /// which by its name borrows (mini-redis's `client.set(&key, value).await`).
    pub async fn last_use_by_a_setter(value: u32) -> usize {
        let mut store = Store::new();
        store.set(value, 1).await
    }
}
