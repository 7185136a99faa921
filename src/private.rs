//! Support items named by the code `#[explicit_async]` generates, always by
//! absolute path (`::explicit_async::__private::…`). Not a public API.
//!
//! Everything here uses `core` only, so an expansion works in any crate and
//! on any executor. The patterns (`!Unpin` everywhere a sub-future may
//! borrow, raw pointers only into pinned memory, in-place drops) follow
//! DESIGN.md §3.2, where they were checked with Miri under Stacked and Tree
//! Borrows; keep them exactly.

use core::future::{Future, IntoFuture};
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::task::Context;

/// What the poll closure returns: `-> __private::Poll<T>` is short enough
/// for its first line to stay one line.
pub use core::task::Poll;

#[path = "private/slot.rs"]
mod slot;
pub use slot::{Empty, PartSlot, Slot, SlotPtr, SlotRef, empty};

/// The future every expansion returns, behind `impl Future`.
///
/// `poll_fn` is a fn-local `move` closure that owns the state: the fn-local
/// state enum (or the frame struct that holds it and the slots). rustc infers
/// the enum's generic fields from the code inside it. `PhantomPinned` makes
/// the machine `!Unpin`: once polled, the closure and the state in it never
/// move, and sub-futures may borrow the locals stored there.
///
/// Owned by the closure, the state is not one of the machine's type
/// arguments, so a machine's type is `StateMachine<{closure}>` however
/// many futures of other machines its states hold. rustc prints and
/// normalizes such a type in time linear in the depth of a chain of calls,
/// as it does `async fn`'s; a machine whose type names the state directly
/// (and through it every sub-future's type) costs time exponential in that
/// depth to compile.
pub struct StateMachine<P> {
    poll_fn: P,
    _pinned: PhantomPinned,
}

impl<P> StateMachine<P> {
    /// Wraps the poll closure. Called with `Some(cx)`, it runs the code up
    /// to the next await; with `None` (only after a poll unwound), it drops
    /// what the state holds and leaves it `Running`, unless it is `Done`.
    ///
    /// The closure reaches the state through its own capture, in place in
    /// the pinned machine. The code the macro generates never moves a state
    /// out while it holds a sub-future that was polled (it replaces a state
    /// only after its future returned `Ready` and was dropped in place), nor
    /// a slot at all.
    #[inline]
    pub fn new<T>(poll_fn: P) -> Self
    where
        P: FnMut(Option<&mut Context<'_>>) -> Poll<T>,
    {
        StateMachine {
            poll_fn,
            _pinned: PhantomPinned,
        }
    }
}

impl<P, T> Future for StateMachine<P>
where
    P: FnMut(Option<&mut Context<'_>>) -> Poll<T>,
{
    type Output = T;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: the pinned projection, done once here. The closure (and
        // the state it owns) is never moved out of the pinned machine: it
        // is only called, by `&mut`, and by the contract of `new` it never
        // moves a polled sub-future or a slot out of its state.
        let this = unsafe { self.get_unchecked_mut() };
        let guard = PoisonOnUnwind {
            poll_fn: &raw mut this.poll_fn,
            _output: core::marker::PhantomData,
        };
        // SAFETY: `poll_fn` points into the pinned machine; the `&mut` made
        // here is the only use of it until the call returns (the guard only
        // uses its pointer if the call unwinds).
        let out = (unsafe { &mut *guard.poll_fn })(Some(cx));
        core::mem::forget(guard);
        out
    }
}

/// If a poll unwinds, calls the closure again without a context: it drops
/// what the state held (the awaited future, the stored locals, the slots)
/// while the panic unwinds, as rustc's coroutine does, and leaves it
/// `Running`, so polling again panics with "`async fn` resumed after
/// panicking". A machine that panicked because it was polled after `Done`
/// stays `Done`.
struct PoisonOnUnwind<P: FnMut(Option<&mut Context<'_>>) -> Poll<T>, T> {
    poll_fn: *mut P,
    _output: core::marker::PhantomData<T>,
}

impl<P: FnMut(Option<&mut Context<'_>>) -> Poll<T>, T> Drop for PoisonOnUnwind<P, T> {
    // Inlined into `poll`'s landing pad, so that the guard needs no stack
    // slot, written on every poll, in a `poll` too large to inline it unasked.
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `poll_fn` points into the pinned machine, and no reference
        // to it is live (the call that made one has unwound).
        let _ = (unsafe { &mut *self.poll_fn })(None);
    }
}

/// Type-checks the body as written (the borrow-check witness): rustc
/// reports the errors and lints of the user's code here, once. The `async`
/// block passed in is never polled, and the call is never made: it returns
/// `!`, so the arguments it moves in are still the machine's after it.
#[inline(always)]
pub fn witness<F: Future>(_body: F) -> ! {
    unreachable!("the borrow-check witness is never run")
}

/// The never type `!`, which only a function's return type may name on
/// stable Rust: `async fn f() -> !` returns `impl Future<Output = Never>`.
pub type Never = <fn() -> ! as ReturnOf>::Output;

/// The return type of a function pointer type (to name `!` through it).
pub trait ReturnOf {
    /// What the function returns.
    type Output;
}

impl<T> ReturnOf for fn() -> T {
    type Output = T;
}

/// Makes an `impl Future` return type capture the lifetimes in `T` in every
/// edition (edition 2024 captures them anyway).
pub trait Captures<T: ?Sized> {}

impl<T: ?Sized, U: ?Sized> Captures<T> for U {}

/// The field of a waiting state that holds the sub-future being awaited.
///
/// `PhantomPinned` makes every state enum that contains one `!Unpin`, so a
/// `&mut` to the state does not assert uniqueness over the locals the
/// sub-future borrows (what Stacked/Tree Borrows and LLVM `noalias` would
/// otherwise exploit, `reference/examples/q2_ub_unpin_enum.rs`).
pub struct Awaiting<F> {
    fut: Option<F>,
    _pinned: PhantomPinned,
}

impl<F> Awaiting<F> {
    /// Starts awaiting `operand`, made a future as `.await` makes it
    /// (`IntoFuture`). Not polled yet, the future borrows nothing that could
    /// move: it is pinned from here on.
    #[inline]
    pub fn new<I: IntoFuture<IntoFuture = F>>(operand: I) -> Self {
        Awaiting {
            fut: Some(operand.into_future()),
            _pinned: PhantomPinned,
        }
    }
}

impl<F> Awaiting<F> {
    /// Drops the sub-future in place (a frame being dropped, first of all).
    #[inline]
    pub fn clear(&mut self) {
        self.fut = None;
    }
}

impl<F: Future> Awaiting<F> {
    /// Polls the sub-future. On `Ready` it is dropped in place first, so the
    /// caller may then move the locals it borrowed. (If its `poll` panics,
    /// the machine drops the whole state while unwinding.)
    ///
    /// Only the code `#[explicit_async]` generates calls this, on the state
    /// of a [`StateMachine`], which never moves it while it is full.
    #[inline]
    pub fn poll(&mut self, cx: &mut Context<'_>) -> Poll<F::Output> {
        let Some(fut) = self.fut.as_mut() else {
            resumed_after_panicking()
        };
        // SAFETY: `self` lives in a state of a pinned `StateMachine`, which
        // does not move a state while its future is in it (see `new`).
        let out = unsafe { Pin::new_unchecked(fut) }.poll(cx);
        if out.is_ready() {
            // Dropped in place: a pinned value is never moved.
            self.fut = None;
        }
        out
    }
}

/// The panic of rustc's `async fn` polled after it returned `Ready`.
#[cold]
#[track_caller]
pub fn resumed_after_completion() -> ! {
    panic!("`async fn` resumed after completion")
}

/// The panic of rustc's `async fn` polled after a poll of it panicked.
#[cold]
#[track_caller]
pub fn resumed_after_panicking() -> ! {
    panic!("`async fn` resumed after panicking")
}

/// Reports one transition of a function annotated `#[explicit_async(trace)]`.
#[inline]
pub fn trace(function: &'static str, from: &'static str, to: &'static str) {
    crate::trace::report(&crate::trace::Transition { function, from, to });
}

pub mod question_mark {
    //! `?` on stable, for the expansion: `e?` becomes
    //! `match Branch::branch(e) { Continue(v) => v, Break(r) => <exit with>
    //! FromResidual::from_residual(r) }`. Inside the poll closure a plain `?`
    //! would compile and return from the closure without reaching `Done`
    //! (`reference/examples/q1_question_mark_hazard.rs`); `core::ops::Try` is
    //! unstable, so these traits restate it for every type a stable crate
    //! can apply `?` to, with the same conversions.

    use core::convert::Infallible;
    use core::ops::ControlFlow;
    use core::task::Poll;

    /// `core::ops::Try::branch`.
    pub trait Branch {
        type Output;
        type Residual;
        fn branch(self) -> ControlFlow<Self::Residual, Self::Output>;
    }

    /// `core::ops::FromResidual`.
    pub trait FromResidual<R> {
        fn from_residual(residual: R) -> Self;
    }

    impl<T, E> Branch for Result<T, E> {
        type Output = T;
        type Residual = Result<Infallible, E>;
        #[inline]
        fn branch(self) -> ControlFlow<Result<Infallible, E>, T> {
            match self {
                Ok(v) => ControlFlow::Continue(v),
                Err(e) => ControlFlow::Break(Err(e)),
            }
        }
    }

    impl<T> Branch for Option<T> {
        type Output = T;
        type Residual = Option<Infallible>;
        #[inline]
        fn branch(self) -> ControlFlow<Option<Infallible>, T> {
            match self {
                Some(v) => ControlFlow::Continue(v),
                None => ControlFlow::Break(None),
            }
        }
    }

    impl<B, C> Branch for ControlFlow<B, C> {
        type Output = C;
        type Residual = ControlFlow<B, Infallible>;
        #[inline]
        fn branch(self) -> ControlFlow<ControlFlow<B, Infallible>, C> {
            match self {
                ControlFlow::Continue(c) => ControlFlow::Continue(c),
                ControlFlow::Break(b) => ControlFlow::Break(ControlFlow::Break(b)),
            }
        }
    }

    impl<T, E> Branch for Poll<Result<T, E>> {
        type Output = Poll<T>;
        type Residual = Result<Infallible, E>;
        #[inline]
        fn branch(self) -> ControlFlow<Result<Infallible, E>, Poll<T>> {
            match self {
                Poll::Ready(Ok(v)) => ControlFlow::Continue(Poll::Ready(v)),
                Poll::Ready(Err(e)) => ControlFlow::Break(Err(e)),
                Poll::Pending => ControlFlow::Continue(Poll::Pending),
            }
        }
    }

    impl<T, E> Branch for Poll<Option<Result<T, E>>> {
        type Output = Poll<Option<T>>;
        type Residual = Result<Infallible, E>;
        #[inline]
        fn branch(self) -> ControlFlow<Result<Infallible, E>, Poll<Option<T>>> {
            match self {
                Poll::Ready(Some(Ok(v))) => ControlFlow::Continue(Poll::Ready(Some(v))),
                Poll::Ready(Some(Err(e))) => ControlFlow::Break(Err(e)),
                Poll::Ready(None) => ControlFlow::Continue(Poll::Ready(None)),
                Poll::Pending => ControlFlow::Continue(Poll::Pending),
            }
        }
    }

    impl<T, E, F: From<E>> FromResidual<Result<Infallible, E>> for Result<T, F> {
        #[inline]
        fn from_residual(residual: Result<Infallible, E>) -> Self {
            let Err(e) = residual;
            Err(From::from(e))
        }
    }

    impl<T> FromResidual<Option<Infallible>> for Option<T> {
        #[inline]
        fn from_residual(_: Option<Infallible>) -> Self {
            None
        }
    }

    impl<B, C> FromResidual<ControlFlow<B, Infallible>> for ControlFlow<B, C> {
        #[inline]
        fn from_residual(residual: ControlFlow<B, Infallible>) -> Self {
            let ControlFlow::Break(b) = residual;
            ControlFlow::Break(b)
        }
    }

    impl<T, E, F: From<E>> FromResidual<Result<Infallible, E>> for Poll<Result<T, F>> {
        #[inline]
        fn from_residual(residual: Result<Infallible, E>) -> Self {
            let Err(e) = residual;
            Poll::Ready(Err(From::from(e)))
        }
    }

    impl<T, E, F: From<E>> FromResidual<Result<Infallible, E>> for Poll<Option<Result<T, F>>> {
        #[inline]
        fn from_residual(residual: Result<Infallible, E>) -> Self {
            let Err(e) = residual;
            Poll::Ready(Some(Err(From::from(e))))
        }
    }
}

/// A value an arm binds by value out of a `match` scrutinee that the state
/// machine keeps across an `.await` while another arm binds it by
/// reference: moving a part out would leave the kept scrutinee partly
/// moved, which a state cannot hold. Only a `Copy` part can be bound so.
#[diagnostic::on_unimplemented(
    message = "#[explicit_async] cannot move `{Self}` out of a `match` scrutinee it keeps across an `.await`: bind it by reference (`ref name`)",
    label = "bound by value here, while another arm binds by `ref`",
    note = "bind it by reference (`ref name`), or give the `match` a scrutinee it may consume (a value no arm binds by `ref`)"
)]
pub trait CopiedOutOfKeptScrutinee {}

impl<T: Copy> CopiedOutOfKeptScrutinee for T {}

/// `diverges(panic!(..))`: the transform takes `panic!`, `unreachable!`,
/// `todo!` and `unimplemented!` by their names never to complete, and
/// writes no code after them. This checks, at compile time, that the macro
/// called is one that does not: another of the same name is an error here
/// (expected `Infallible`), not a machine that runs on.
#[inline(always)]
pub fn diverges(never: core::convert::Infallible) -> ! {
    match never {}
}

/// Checks, at compile time, a binding of the kind [`CopiedOutOfKeptScrutinee`] describes.
#[inline(always)]
pub fn copied_out_of_kept_scrutinee<T: CopiedOutOfKeptScrutinee>(_binding: &T) {}

/// `e?` inside a poll arm, as one line: `question!('ret, e)` branches on
/// `e` with [`question_mark::Branch`] and leaves through the arm's `'ret`
/// block with the converted residual (a plain `?` would return from the
/// poll closure instead: `Poll<Result<..>>` implements `FromResidual`).
#[doc(hidden)]
#[macro_export]
macro_rules! __explicit_async_question {
    ($label:lifetime, $e:expr) => {
        match $crate::__private::question_mark::Branch::branch($e) {
            ::core::ops::ControlFlow::Continue(value) => value,
            ::core::ops::ControlFlow::Break(residual) => {
                let returned = $crate::__private::question_mark::FromResidual::from_residual(residual);
                break $label returned;
            }
        }
    };
}

pub use crate::__explicit_async_question as question;

/// `take!(state, Machine::Variant { a, mut b, .. })`, the first line of a
/// poll arm: moves what the state holds out into the arm's variables, and
/// leaves `Running` in its place (where a panic in the arm leaves it).
///
/// The old state is a named local, not a temporary: a let-else drops its
/// temporary before the `else` block runs, and that call (on a path never
/// taken: the arm matched this variant) kept the optimizer from reducing
/// the copy of the state to the fields the arm reads, so every `take!`
/// copied the whole state to the stack. The `else` forgets the local
/// instead. What the pattern leaves in it (the future `poll` dropped,
/// `Copy` fields) is dropped at the end of the block, doing nothing.
#[doc(hidden)]
#[macro_export]
macro_rules! __explicit_async_take {
    ($state:ident, $machine:ident :: $variant:ident { $($fields:tt)* }) => {
        let taken = ::core::mem::replace($state, $machine::Running);
        let $machine::$variant { $($fields)* } = taken else {
            ::core::mem::forget(taken);
            ::core::unreachable!()
        };
    };
}

pub use crate::__explicit_async_take as take;

/// `set!(state, Machine::Variant { a, b })`: writes the next state, as
/// [`set`](fn@set) does. A macro, as [`take!`](take) is, so that a
/// state's fields read on one line, as they do where `take!` moves them out
/// (a formatter writes a function's struct-literal argument one field a
/// line).
#[doc(hidden)]
#[macro_export]
macro_rules! __explicit_async_set {
    ($state:expr, $next:expr) => {
        $crate::__private::set($state, $next)
    };
}

pub use crate::__explicit_async_set as set;

macro_rules! selected {
    ($($name:ident: $($branch:ident($ty:ident)),+;)+) => {$(
        /// Which branch of a `select!` completed, with what its pattern
        /// bound: the `async` block that polls the branches returns it,
        /// and the handlers run after it (see the transform's `async_macros`).
        #[derive(Debug)]
        pub enum $name<$($ty),+> {
            $(
                #[allow(missing_docs)]
                $branch($ty),
            )+
        }
    )+};
}

selected! {
    Selected1: Branch0(B0);
    Selected2: Branch0(B0), Branch1(B1);
    Selected3: Branch0(B0), Branch1(B1), Branch2(B2);
    Selected4: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3);
    Selected5: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3), Branch4(B4);
    Selected6: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3), Branch4(B4), Branch5(B5);
    Selected7: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3), Branch4(B4), Branch5(B5),
        Branch6(B6);
    Selected8: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3), Branch4(B4), Branch5(B5),
        Branch6(B6), Branch7(B7);
    Selected9: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3), Branch4(B4), Branch5(B5),
        Branch6(B6), Branch7(B7), Branch8(B8);
    Selected10: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3), Branch4(B4), Branch5(B5),
        Branch6(B6), Branch7(B7), Branch8(B8), Branch9(B9);
    Selected11: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3), Branch4(B4), Branch5(B5),
        Branch6(B6), Branch7(B7), Branch8(B8), Branch9(B9), Branch10(B10);
    Selected12: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3), Branch4(B4), Branch5(B5),
        Branch6(B6), Branch7(B7), Branch8(B8), Branch9(B9), Branch10(B10), Branch11(B11);
    Selected13: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3), Branch4(B4), Branch5(B5),
        Branch6(B6), Branch7(B7), Branch8(B8), Branch9(B9), Branch10(B10), Branch11(B11),
        Branch12(B12);
    Selected14: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3), Branch4(B4), Branch5(B5),
        Branch6(B6), Branch7(B7), Branch8(B8), Branch9(B9), Branch10(B10), Branch11(B11),
        Branch12(B12), Branch13(B13);
    Selected15: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3), Branch4(B4), Branch5(B5),
        Branch6(B6), Branch7(B7), Branch8(B8), Branch9(B9), Branch10(B10), Branch11(B11),
        Branch12(B12), Branch13(B13), Branch14(B14);
    Selected16: Branch0(B0), Branch1(B1), Branch2(B2), Branch3(B3), Branch4(B4), Branch5(B5),
        Branch6(B6), Branch7(B7), Branch8(B8), Branch9(B9), Branch10(B10), Branch11(B11),
        Branch12(B12), Branch13(B13), Branch14(B14), Branch15(B15);
}

/// `clear!(frame, buf, data)`: ends the scope of the frame's slots `buf`
/// and `data`, in that order (newest first): each drops its value in place,
/// if it holds one. One line, where a formatter writes a call a line.
#[doc(hidden)]
#[macro_export]
macro_rules! __explicit_async_clear {
    ($frame:ident, $($slot:ident),+ $(,)?) => {
        $($frame.$slot.clear();)+
    };
}

pub use crate::__explicit_async_clear as clear;

/// `frame!(MachineFrame, Machine::Start { a }, buf, data)`: the frame a
/// machine with slots starts from, its state `Start` and the slots `buf`
/// and `data` empty (outside their locals' scopes). A macro, so that the
/// slots read on one line, as they do where [`clear!`](clear) ends them.
#[doc(hidden)]
#[macro_export]
macro_rules! __explicit_async_frame {
    ($frame:ident, $start:expr, $($slot:ident),+ $(,)?) => {
        $frame { state: $start, $($slot: $crate::__private::empty()),+ }
    };
}

pub use crate::__explicit_async_frame as frame;

/// `let cx = resume!(cx, state, Machine);` (with slots:
/// `resume!(cx, state, Machine, frame, buf, data)`), the poll closure's
/// first line after `state`'s: the context to resume the function with. Called
/// without one (a poll unwound, see [`StateMachine`]), the closure instead
/// drops what the state holds ([`unwound`](fn@unwound)), then ends the
/// scope of the slots listed after the frame, newest first, as
/// [`clear!`](clear) does, and returns. One line, where a `let … else` is four.
#[doc(hidden)]
#[macro_export]
macro_rules! __explicit_async_resume {
    ($cx:ident, $state:ident, $machine:ident $(, $frame:ident, $($slot:ident),+)? $(,)?) => {
        match $cx {
            ::core::option::Option::Some(cx) => cx,
            ::core::option::Option::None => {
                let pending = $crate::__private::unwound($state, $machine::Done, $machine::Running);
                $($($frame.$slot.clear();)+)?
                return pending;
            }
        }
    };
}

pub use crate::__explicit_async_resume as resume;

/// The poll closure called without a context, after a poll unwound: drops
/// what the state holds, in place, and leaves it `running` (polling again
/// panics), unless it is `done` (the poll that panicked came after
/// completion: it stays `done`, as rustc's does).
#[inline]
pub fn unwound<S, T>(state: &mut S, done: S, running: S) -> Poll<T> {
    if core::mem::discriminant(state) != core::mem::discriminant(&done) {
        *state = running;
    }
    Poll::Pending
}

/// Writes the next state over `Running`, which the arm left there when it
/// took the locals out (or over a state that holds nothing, which the arm
/// left in place: a loop's head, a waiting state whose future was dropped):
/// `*state = next` would call the enum's drop glue on it first (the
/// compiler cannot always see it holds nothing), `set` does not. Were it
/// called on a state that holds something, that would leak (never be
/// dropped), which is safe but wrong; the macro never does.
#[inline(always)]
pub fn set<S>(state: &mut S, next: S) {
    core::mem::forget(core::mem::replace(state, next));
}

/// Returns the function's value: writes `done` (as [`set`]),
/// after the arm's locals and the slots were dropped (a destructor that
/// panics leaves the machine poisoned, as rustc's does).
#[inline(always)]
pub fn ready<S, T>(state: &mut S, done: S, value: T) -> Poll<T> {
    set(state, done);
    Poll::Ready(value)
}
