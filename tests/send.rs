//! `Send` follows exactly the locals each state stores (issue 3, Scope).
//! Where rustc is exact too, ours must match it; where rustc is
//! conservative (a borrowed local stays "maybe used later" to the end of its
//! scope), ours may be `Send` when rustc's is not. That last case is its
//! own test, so it can be disabled alone.

use explicit_async::explicit_async;
use std::marker::PhantomData;
use std::rc::Rc;

fn assert_send<T: Send>(_: &T) {}

/// `Send`-ness as a value, for types that may or may not be `Send`: the
/// inherent method exists only when `T: Send`, otherwise method lookup
/// falls back to the trait's.
struct Probe<'a, T>(PhantomData<&'a T>);

impl<T: Send> Probe<'_, T> {
    fn is_send(&self) -> bool {
        true
    }
}

trait NotSend {
    fn is_send(&self) -> bool {
        false
    }
}

impl<T> NotSend for Probe<'_, T> {}

impl<'a, T> Probe<'a, T> {
    fn of(_: &'a T) -> Self {
        Probe(PhantomData)
    }
}

macro_rules! is_send {
    ($value:expr) => {
        Probe::of(&$value).is_send()
    };
}

async fn tick() {}

fn log(line: String) {
    assert!(!line.is_empty());
}

/// Writes the same body as rustc's `native::$name` and our `ours::$name`.
macro_rules! twin {
    ($name:ident $($sig_and_body:tt)*) => {
        mod $name {
            use super::*;
            pub mod native {
                use super::*;
                pub async fn $name $($sig_and_body)*
            }
            pub mod ours {
                use super::*;
                #[explicit_async]
                pub async fn $name $($sig_and_body)*
            }
        }
    };
}

twin!(send_locals(x: u32) -> usize {
    let v: Vec<u32> = (0..x).collect();
    let s = String::from("text");
    tick().await;
    v.len() + s.len()
});

twin!(rc_held(x: u32) -> u32 {
    let rc = Rc::new(x);
    tick().await;
    *rc
});

twin!(rc_scoped(x: u32) -> u32 {
    let y = {
        let rc = Rc::new(x);
        *rc + 1
    };
    tick().await;
    y
});

twin!(rc_moved(x: u32) -> u32 {
    let rc = Rc::new(x);
    drop(rc);
    tick().await;
    x
});

twin!(rc_borrowed_then_dropped(x: u32) -> u32 {
    let rc = Rc::new(x);
    log(format!("{rc}"));
    drop(rc);
    tick().await;
    x
});

twin!(closure_over_a_borrowed_local(x: u32) -> u32 {
    let v = vec![x, x + 1];
    let first = || v[0];
    tick().await;
    first() + v[1]
});

twin!(closure_over_a_cell(x: u32) -> u32 {
    let cell = std::cell::Cell::new(x);
    let get = || cell.get();
    tick().await;
    get()
});

async fn poke(cell: &mut std::cell::Cell<u32>) {
    tick().await;
    cell.set(cell.get() + 1);
}

/// Its tokens are only tokens to the transform (as `select!`'s are).
macro_rules! run {
    ($e:expr) => {
        $e
    };
}

twin!(cell_written_in_a_macro(x: u32) -> u32 {
    let mut cell = std::cell::Cell::new(x);
    poke(&mut cell).await;
    async { run!(*cell.get_mut() += 1) }.await;
    cell.get()
});

#[test]
fn send_locals_give_a_send_future() {
    assert_send(&send_locals::native::send_locals(1));
    assert_send(&send_locals::ours::send_locals(1));
}

#[test]
fn the_probe_tells_send_from_not_send() {
    assert!(is_send!(String::new()));
    assert!(!is_send!(Rc::new(1)));
}

#[test]
fn send_matches_rustc_where_rustc_is_exact() {
    assert!(!is_send!(rc_held::native::rc_held(1)));
    assert!(
        !is_send!(rc_held::ours::rc_held(1)),
        "an Rc held across an await"
    );
    assert!(is_send!(rc_scoped::native::rc_scoped(1)));
    assert!(
        is_send!(rc_scoped::ours::rc_scoped(1)),
        "an Rc gone before the await"
    );
    assert!(is_send!(
        closure_over_a_borrowed_local::native::closure_over_a_borrowed_local(1)
    ));
    assert!(
        is_send!(closure_over_a_borrowed_local::ours::closure_over_a_borrowed_local(1)),
        "a closure borrowing a Vec, held across an await"
    );
    assert!(!is_send!(closure_over_a_cell::native::closure_over_a_cell(
        1
    )));
    assert!(
        !is_send!(closure_over_a_cell::ours::closure_over_a_cell(1)),
        "a closure borrowing a Cell (not Sync), held across an await"
    );
    assert!(is_send!(
        cell_written_in_a_macro::native::cell_written_in_a_macro(1)
    ));
    assert!(
        is_send!(cell_written_in_a_macro::ours::cell_written_in_a_macro(1)),
        "an async block writing a Cell (Send, not Sync) in a macro's tokens"
    );
    assert!(is_send!(rc_moved::native::rc_moved(1)));
    assert!(
        is_send!(rc_moved::ours::rc_moved(1)),
        "an Rc moved before the await"
    );
}

/// rustc's future is `!Send` ("await occurs here, with `rc` maybe used
/// later"); ours stores only `x` at the await. `tests/pass/send_only_ours.rs`
/// shows the same with `assert_send` at compile time.
#[test]
fn ours_is_send_where_rustc_is_not() {
    assert!(!is_send!(
        rc_borrowed_then_dropped::native::rc_borrowed_then_dropped(1)
    ));
    assert!(is_send!(
        rc_borrowed_then_dropped::ours::rc_borrowed_then_dropped(1)
    ));
}
