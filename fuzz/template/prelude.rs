//! Support items of a generated batch (written by explicit-async-fuzz):
//! leaf futures that pend a chosen number of times, values that log their
//! drop, and small helpers the generated bodies call. Everything observable
//! goes through the thread-local log.

#[allow(unused_imports)]
use std::cell::RefCell;
pub use std::fmt::{Debug, Write};
pub use std::future::Future;
pub use std::pin::{Pin, pin};
use std::task::{Context, Poll};

// BEGIN LOG (a corpus case uses tests/common's log instead)
thread_local! {
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// A loop that never ends fills the log: past this many lines, `log`
/// panics (unless already unwinding), which ends the case.
const LOG_LIMIT: usize = 20_000;

pub fn log(line: impl Into<String>) {
    let full = LOG.with(|l| {
        let mut l = l.borrow_mut();
        l.push(line.into());
        l.len() > LOG_LIMIT
    });
    if full && !std::thread::panicking() {
        LOG.with(|l| l.borrow_mut().clear());
        panic!("log overflow: a loop does not end");
    }
}

pub fn take_log() -> Vec<String> {
    LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
}
// END LOG

pub fn log_i(n: i64) {
    log(format!("value {n}"));
}

/// Takes a `D` by value: the move is visible in the log.
pub fn log_d(d: D) {
    log(format!("log_d {}", d.name));
}

/// A named value that logs its creation and its drop.
#[derive(Debug, PartialEq)]
pub struct D {
    pub name: &'static str,
    pub n: i64,
}

impl Drop for D {
    fn drop(&mut self) {
        log(format!("drop {} {}", self.name, self.n));
    }
}

pub fn mk(name: &'static str, n: i64) -> D {
    log(format!("mk {name}"));
    D { name, n }
}

impl D {
    pub fn n(&self) -> i64 {
        self.n
    }

    /// A by-value method.
    pub fn consume(self) -> i64 {
        log(format!("consume {}", self.name));
        self.n
    }

    pub fn bump(&mut self) -> i64 {
        self.n += 1;
        self.n
    }

    /// By value, returning `self`: for method chains.
    pub fn with(mut self, k: i64) -> D {
        self.n += k;
        self
    }
}

/// A struct of two `D`s without a `Drop` of its own: fields move out one by one.
#[derive(Debug)]
pub struct P {
    pub a: D,
    pub b: D,
    pub k: i64,
}

pub fn p(name: &'static str, k: i64) -> P {
    P {
        a: mk(name, k),
        b: mk(name, k + 1),
        k,
    }
}

impl P {
    pub fn sum(&self) -> i64 {
        self.a.n + self.b.n + self.k
    }

    pub fn total(self) -> i64 {
        log("total");
        self.a.n + self.b.n + self.k
    }
}

pub fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// A call with an earlier operand borrowing a temporary: `pair(&mk("t", 1), x.await)`.
pub fn pair(d: &D, k: i64) -> i64 {
    d.n + k
}

pub fn add_refs(a: &i64, b: &i64) -> i64 {
    a + b
}

pub fn twice(x: &mut i64) -> i64 {
    *x *= 2;
    *x
}

/// An index into a `[_; 3]` from any number.
pub fn ix(i: i64) -> usize {
    i.rem_euclid(3) as usize
}

pub fn checked(n: i64) -> Option<i64> {
    if n % 2 == 0 { Some(n) } else { None }
}

pub fn res_of(n: i64) -> Result<i64, String> {
    if n % 3 != 0 { Ok(n) } else { Err(format!("e{n}")) }
}

pub fn is_even(n: i64) -> bool {
    n % 2 == 0
}

/// `while let Some(k) = step(&mut c, 3)`: counts `c` up to `limit`.
pub fn step(c: &mut i64, limit: i64) -> Option<i64> {
    if *c < limit {
        *c += 1;
        Some(*c)
    } else {
        None
    }
}

/// Any value as one number (what `peek` reads).
pub trait Probe {
    fn probe(&self) -> i64;
}

impl Probe for i64 {
    fn probe(&self) -> i64 {
        *self
    }
}

impl Probe for D {
    fn probe(&self) -> i64 {
        self.n
    }
}

impl Probe for P {
    fn probe(&self) -> i64 {
        self.sum()
    }
}

impl Probe for (D, i64) {
    fn probe(&self) -> i64 {
        self.0.n + self.1
    }
}

impl Probe for [i64] {
    fn probe(&self) -> i64 {
        self.iter().sum()
    }
}

impl Probe for [i64; 3] {
    fn probe(&self) -> i64 {
        self.iter().sum()
    }
}

impl Probe for Vec<i64> {
    fn probe(&self) -> i64 {
        self.iter().sum()
    }
}

impl Probe for String {
    fn probe(&self) -> i64 {
        self.len() as i64
    }
}

impl Probe for Option<i64> {
    fn probe(&self) -> i64 {
        self.unwrap_or(-1)
    }
}

pub fn probe<T: Probe + ?Sized>(x: &T) -> i64 {
    x.probe()
}

/// What `inc` can increment.
pub trait Bump {
    fn bump_by(&mut self, k: i64) -> i64;
}

impl Bump for i64 {
    fn bump_by(&mut self, k: i64) -> i64 {
        *self += k;
        *self
    }
}

impl Bump for D {
    fn bump_by(&mut self, k: i64) -> i64 {
        self.n += k;
        self.n
    }
}

/// Leaf future: `Pending` (waking itself) `pendings` times, then `Ready(value)`.
pub struct Leaf<T> {
    name: &'static str,
    pendings: u32,
    value: Option<T>,
}

impl<T> Unpin for Leaf<T> {}

pub fn val<T>(name: &'static str, pendings: u32, value: T) -> Leaf<T> {
    log(format!("new {name}"));
    Leaf {
        name,
        pendings,
        value: Some(value),
    }
}

pub fn tick(name: &'static str, pendings: u32) -> Leaf<()> {
    val(name, pendings, ())
}

impl<T> Future for Leaf<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if self.pendings > 0 {
            self.pendings -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        log(format!("ready {}", self.name));
        Poll::Ready(self.value.take().expect("leaf polled after Ready"))
    }
}

impl<T> Drop for Leaf<T> {
    fn drop(&mut self) {
        log(format!("drop {}", self.name));
    }
}

/// A future that borrows a value until it is dropped, and reads it when it
/// completes and when it is dropped (a moved or freed local shows).
pub struct Peek<'a, T: Probe + ?Sized> {
    name: &'static str,
    target: &'a T,
    pendings: u32,
}

pub fn peek<'a, T: Probe + ?Sized>(name: &'static str, target: &'a T, pendings: u32) -> Peek<'a, T> {
    log(format!("new {name} of {}", target.probe()));
    Peek {
        name,
        target,
        pendings,
    }
}

impl<T: Probe + ?Sized> Future for Peek<'_, T> {
    type Output = i64;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i64> {
        if self.pendings > 0 {
            self.pendings -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let seen = self.target.probe();
        log(format!("ready {} = {seen}", self.name));
        Poll::Ready(seen)
    }
}

impl<T: Probe + ?Sized> Drop for Peek<'_, T> {
    fn drop(&mut self) {
        log(format!("drop {} of {}", self.name, self.target.probe()));
    }
}

/// A future holding `&mut` a value; adds one to it when it completes.
pub struct Inc<'a, T: Bump + Probe> {
    name: &'static str,
    target: &'a mut T,
    pendings: u32,
}

pub fn inc<'a, T: Bump + Probe>(name: &'static str, target: &'a mut T, pendings: u32) -> Inc<'a, T> {
    log(format!("new {name}"));
    Inc {
        name,
        target,
        pendings,
    }
}

impl<T: Bump + Probe> Future for Inc<'_, T> {
    type Output = i64;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i64> {
        let this = self.get_mut();
        if this.pendings > 0 {
            this.pendings -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let now = this.target.bump_by(1);
        log(format!("ready {} = {now}", this.name));
        Poll::Ready(now)
    }
}

impl<T: Bump + Probe> Drop for Inc<'_, T> {
    fn drop(&mut self) {
        log(format!("drop {} at {}", self.name, self.target.probe()));
    }
}

/// A leaf that panics with `boom {name}` once its `Pending`s are spent.
pub struct Boom {
    name: &'static str,
    pendings: u32,
}

pub fn boom(name: &'static str, pendings: u32) -> Boom {
    log(format!("new {name}"));
    Boom { name, pendings }
}

impl Future for Boom {
    type Output = i64;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i64> {
        if self.pendings > 0 {
            self.pendings -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        panic!("boom {}", self.name)
    }
}

impl Drop for Boom {
    fn drop(&mut self) {
        log(format!("drop {}", self.name));
    }
}

/// A source of numbers whose `read` future borrows the source and the
/// caller's buffer, like `stream.read(&mut buf)`.
#[derive(Debug)]
pub struct Src {
    name: &'static str,
    pos: i64,
}

impl Src {
    pub fn new(name: &'static str) -> Src {
        log(format!("mk src {name}"));
        Src { name, pos: 0 }
    }

    pub fn read<'a>(&'a mut self, buf: &'a mut [i64], pendings: u32) -> Read<'a> {
        log(format!("new read {}@{}", self.name, self.pos));
        Read {
            src: self,
            buf,
            pendings,
        }
    }
}

impl Drop for Src {
    fn drop(&mut self) {
        log(format!("drop src {}@{}", self.name, self.pos));
    }
}

pub struct Read<'a> {
    src: &'a mut Src,
    buf: &'a mut [i64],
    pendings: u32,
}

impl Future for Read<'_> {
    type Output = i64;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i64> {
        let this = self.get_mut();
        if this.pendings > 0 {
            this.pendings -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        for slot in this.buf.iter_mut() {
            this.src.pos += 1;
            *slot = this.src.pos;
        }
        log(format!("ready read {} = {}", this.src.name, this.buf.len()));
        Poll::Ready(this.buf.len() as i64)
    }
}

impl Drop for Read<'_> {
    fn drop(&mut self) {
        log(format!(
            "drop read {}@{} into {:?}",
            self.src.name, self.src.pos, self.buf
        ));
    }
}

pub fn ok(n: i64) -> Result<i64, String> {
    Ok(n)
}

pub fn err(n: i64) -> Result<i64, String> {
    Err(format!("e{n}"))
}

/// An assertion of another crate, as claims writes `assert_ok!`: a bare
/// `match $e` first, the message only when it fails. (tokio-test's wraps
/// the `match` in a block, which in its Rust 2021 crate keeps the operand's
/// temporaries to the end of the statement just the same; here, in a 2024
/// crate, a block would drop them at its end.)
macro_rules! assert_ok {
    ($e:expr $(,)?) => {
        match $e {
            Ok(v) => v,
            Err(e) => panic!("assertion failed, expected Ok(..), got Err({:?})", e),
        }
    };
    ($e:expr, $($arg:tt)+) => {
        match $e {
            Ok(v) => v,
            Err(e) => panic!("assertion failed, expected Ok(..), got Err({:?}): {}", e, format_args!($($arg)+)),
        }
    };
}

/// A future that calls a closure when it completes: a closure passed to an awaited call.
pub struct Later<F> {
    name: &'static str,
    pendings: u32,
    f: Option<F>,
}

impl<F> Unpin for Later<F> {}

pub fn later<F: FnOnce() -> i64>(name: &'static str, pendings: u32, f: F) -> Later<F> {
    log(format!("new {name}"));
    Later {
        name,
        pendings,
        f: Some(f),
    }
}

impl<F: FnOnce() -> i64> Future for Later<F> {
    type Output = i64;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i64> {
        if self.pendings > 0 {
            self.pendings -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        log(format!("ready {}", self.name));
        let f = self.f.take().expect("later polled after Ready");
        Poll::Ready(f())
    }
}

impl<F> Drop for Later<F> {
    fn drop(&mut self) {
        log(format!("drop {}", self.name));
    }
}

/// Calls a closure that makes a future and awaits it, as pools and retry
/// helpers do (`pool.get_or(|| async { .. })`, `retry(move || async move { .. })`).
pub async fn run<F, Fut>(f: F) -> i64
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = i64>,
{
    log("run");
    let out = f().await;
    log(format!("run = {out}"));
    out
}

/// A guard (a pool's connection, a semaphore's permit) whose method names
/// do not say whether they take `self` or `&self`: `g.disarm()` and
/// `g.level()` look the same at the call, and only the signature tells.
#[derive(Debug)]
pub struct Guard {
    pub name: &'static str,
    pub n: i64,
}

pub fn guard(name: &'static str, n: i64) -> Guard {
    log(format!("mk guard {name}"));
    Guard { name, n }
}

impl Drop for Guard {
    fn drop(&mut self) {
        log(format!("drop guard {} {}", self.name, self.n));
    }
}

impl Guard {
    /// By value.
    pub fn disarm(self) -> i64 {
        log(format!("disarm {}", self.name));
        self.n
    }

    /// By value, handing out what it guarded.
    pub fn ready(self) -> D {
        log(format!("ready {}", self.name));
        mk(self.name, self.n)
    }

    /// By value, with an argument.
    pub fn settle(self, k: i64) -> i64 {
        log(format!("settle {}", self.name));
        self.n + k
    }

    /// By reference.
    pub fn level(&self) -> i64 {
        self.n
    }

    /// By reference, with an argument.
    pub fn scaled(&self, k: i64) -> i64 {
        self.n * 2 + k
    }

    /// By mutable reference.
    pub fn tune(&mut self) -> i64 {
        self.n += 1;
        self.n
    }

    /// A future borrowing the guard (`&self`), like a connection's query.
    pub fn check(&self, pendings: u32) -> Peek<'_, Guard> {
        peek("check", self, pendings)
    }

    /// A future owning the guard (`self`), like a permit handed back.
    pub fn release(self, pendings: u32) -> Release {
        log(format!("new release {}", self.name));
        Release {
            guard: Some(self),
            pendings,
        }
    }
}

impl Probe for Guard {
    fn probe(&self) -> i64 {
        self.n
    }
}

/// The future of `Guard::release`: it owns the guard, and drops it when it
/// completes (or when it is dropped first).
pub struct Release {
    guard: Option<Guard>,
    pendings: u32,
}

impl Unpin for Release {}

impl Future for Release {
    type Output = i64;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i64> {
        if self.pendings > 0 {
            self.pendings -= 1;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let g = self.guard.take().expect("release polled after Ready");
        log(format!("ready release {}", g.name));
        Poll::Ready(g.n)
    }
}

impl Drop for Release {
    fn drop(&mut self) {
        log("drop release");
    }
}

/// An owned guard around a value (deadpool's `Object<T>`): its fields and
/// methods are reached through `Deref`/`DerefMut`; `Lease::into_inner`
/// takes the value back (an associated function, as such guards have).
pub struct Lease<T> {
    name: &'static str,
    inner: Option<T>,
}

pub fn lease<T>(name: &'static str, inner: T) -> Lease<T> {
    log(format!("mk lease {name}"));
    Lease {
        name,
        inner: Some(inner),
    }
}

impl<T> Lease<T> {
    pub fn into_inner(mut this: Self) -> T {
        log(format!("into_inner {}", this.name));
        this.inner.take().expect("a lease holds its value until into_inner")
    }
}

impl<T> std::ops::Deref for Lease<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().expect("a lease holds its value until into_inner")
    }
}

impl<T> std::ops::DerefMut for Lease<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().expect("a lease holds its value until into_inner")
    }
}

impl<T> Drop for Lease<T> {
    fn drop(&mut self) {
        log(format!("drop lease {}", self.name));
    }
}

/// A guard borrowing a value mutably (a `MutexGuard<'_, T>`): reads and
/// writes go through `Deref`/`DerefMut`, and dropping it logs the unlock.
pub struct Lock<'a, T> {
    name: &'static str,
    target: &'a mut T,
}

pub fn lock<'a, T>(name: &'static str, target: &'a mut T) -> Lock<'a, T> {
    log(format!("lock {name}"));
    Lock { name, target }
}

impl<T> std::ops::Deref for Lock<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.target
    }
}

impl<T> std::ops::DerefMut for Lock<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.target
    }
}

impl<T> Drop for Lock<'_, T> {
    fn drop(&mut self) {
        log(format!("unlock {}", self.name));
    }
}

/// `receiver!()` writes `S`, the receiver of generated methods, where
/// they are: a corpus case writes it twice, for rustc's methods and for the
/// annotated ones.
macro_rules! receiver {
    () => {
        /// The receiver of generated methods.
        #[derive(Debug)]
        pub struct S {
            pub d: D,
            pub k: i64,
        }

        impl S {
            pub fn new(name: &'static str, k: i64) -> S {
                S { d: mk(name, k), k }
            }

            /// A future borrowing `self`.
            pub fn get(&self, pendings: u32) -> Peek<'_, D> {
                peek("get", &self.d, pendings)
            }

            pub fn finish(self) -> i64 {
                log("finish");
                self.d.n + self.k
            }
        }

        impl Probe for S {
            fn probe(&self) -> i64 {
                self.d.n + self.k
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use receiver;
pub(crate) use assert_ok;
