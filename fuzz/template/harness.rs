//! The comparison run of a generated batch (written by explicit-async-fuzz).
//! For each case it runs rustc's future and the annotated one the same
//! ways and prints one line saying whether they behaved the same.
//!
//! Protocol on stdout, one line each: `S <case>` when a case starts,
//! `N <case>` when the native side is done, `V <case> <verdict> <detail>`
//! at the end. A crash leaves a case without its `V` line; the driver
//! restarts from the next case (`main` takes the first case to run).

use crate::prelude::{log, take_log};
use std::fmt::Debug;
use std::future::Future;
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::task::{Context, Poll, Waker};

/// A future still `Pending` after this many polls has not terminated.
pub const MAX_POLLS: u32 = 5_000;
pub const DROP_MARKER: &str = "-- drop future --";
/// At most this many drop points per case (see [`drop_points`]).
const MAX_DROP_POINTS: u32 = 300;

#[derive(Debug, PartialEq)]
pub enum End {
    Ready(String),
    Panicked(String),
    Pending,
}

/// What one run of a future did.
#[derive(Debug, PartialEq)]
pub struct Run {
    pub end: End,
    pub polls: u32,
    pub log: Vec<String>,
    /// The two polls after `Ready` or after a panic: their panic messages.
    pub after: Vec<String>,
}

fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "<non-string panic payload>".to_string()
        }
    })
}

/// Creates the future, polls it at most `max_polls` times (until `Ready` or
/// a panic), then, if `poll_after`, polls it twice more, then drops it.
pub fn run<F: Future>(make: &dyn Fn() -> F, max_polls: u32, poll_after: bool) -> Run
where
    F::Output: Debug,
{
    take_log();
    let mut fut = Box::pin(make());
    let mut cx = Context::from_waker(Waker::noop());
    let mut polls = 0;
    let end = loop {
        if polls == max_polls {
            break End::Pending;
        }
        polls += 1;
        match catch(|| fut.as_mut().poll(&mut cx)) {
            Ok(Poll::Pending) => {}
            Ok(Poll::Ready(value)) => {
                let text = format!("{value:?}");
                drop(value);
                break End::Ready(text);
            }
            Err(message) => break End::Panicked(message),
        }
    };
    let mut after = Vec::new();
    if poll_after && end != End::Pending {
        for _ in 0..2 {
            log("-- poll again --");
            after.push(match catch(|| fut.as_mut().poll(&mut cx).is_ready()) {
                Ok(true) => "returned Ready".to_string(),
                Ok(false) => "returned Pending".to_string(),
                Err(message) => message,
            });
        }
    }
    log(DROP_MARKER);
    if let Err(message) = catch(move || drop(fut)) {
        log(format!("drop panicked: {message}"));
    }
    Run {
        end,
        polls,
        log: take_log(),
        after,
    }
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n").replace('\t', "\\t")
}

/// The first difference between two logs, with the line before it.
fn log_difference(native: &[String], ours: &[String]) -> String {
    let at = native
        .iter()
        .zip(ours)
        .position(|(a, b)| a != b)
        .unwrap_or(native.len().min(ours.len()));
    let line = |log: &[String], i: usize| log.get(i).cloned().unwrap_or_else(|| "<end>".into());
    let before = if at > 0 { line(native, at - 1) } else { "<start>".into() };
    format!(
        "after {:?}: native {:?}, ours {:?}",
        before,
        line(native, at),
        line(ours, at)
    )
}

/// Every k < `polls` to drop the futures after; past `MAX_DROP_POINTS`,
/// that many spread evenly (the first and the last included).
fn drop_points(polls: u32) -> Vec<u32> {
    if polls <= MAX_DROP_POINTS {
        return (0..polls).collect();
    }
    let last = polls - 1;
    (0..MAX_DROP_POINTS)
        .map(|i| (u64::from(i) * u64::from(last) / u64::from(MAX_DROP_POINTS - 1)) as u32)
        .collect()
}

/// Compares the two sides of one case; returns `<verdict> <detail>`.
pub fn check<A, B>(native: impl Fn() -> A, ours: impl Fn() -> B, case: usize) -> String
where
    A: Future,
    B: Future,
    A::Output: Debug,
    B::Output: Debug,
{
    let expected = run(&native, MAX_POLLS, true);
    println!("N {case}");
    let _ = std::io::stdout().flush();
    if expected.end == End::Pending {
        return "skip native future still pending".into();
    }
    let got = run(&ours, MAX_POLLS, true);
    // Every kind of difference is listed (one known defect must not hide
    // another); the detail is the first one's.
    let mut found: Vec<(&str, String)> = Vec::new();
    match (&expected.end, &got.end) {
        (End::Panicked(a), End::Panicked(b)) if a != b => {
            found.push(("panic", format!("native panicked {a:?}, ours {b:?}")))
        }
        (End::Panicked(_), End::Panicked(_)) => {}
        (End::Panicked(a), other) => found.push(("panic", format!("native panicked {a:?}, ours {other:?}"))),
        (other, End::Panicked(b)) => found.push(("panic", format!("ours panicked {b:?}, native {other:?}"))),
        (End::Ready(a), End::Ready(b)) if a != b => found.push(("output", format!("native {a}, ours {b}"))),
        (_, End::Pending) => found.push(("polls", format!("ours still pending after {MAX_POLLS} polls"))),
        _ => {}
    }
    if expected.polls != got.polls && got.end != End::Pending {
        found.push(("polls", format!("native {} polls, ours {}", expected.polls, got.polls)));
    }
    if expected.log != got.log {
        found.push(("log", log_difference(&expected.log, &got.log)));
    }
    let dropped = drop_points(expected.polls).into_iter().find_map(|k| {
        // A progress line per k: a long case is not mistaken for a hang.
        println!("P {case}");
        let (a, b) = (run(&native, k, false), run(&ours, k, false));
        (a != b).then(|| {
            let detail = if a.end != b.end {
                format!("native {:?}, ours {:?}", a.end, b.end)
            } else {
                log_difference(&a.log, &b.log)
            };
            format!("k={k}: {detail}")
        })
    });
    if let Some(detail) = dropped {
        found.push(("drop-after-k", detail));
    }
    if expected.after != got.after {
        let kind = if matches!(expected.end, End::Ready(_)) {
            "after-completion"
        } else {
            "after-panic"
        };
        found.push((kind, format!("native {:?}, ours {:?}", expected.after, got.after)));
    }
    match found.first() {
        None => "equal -".into(),
        Some((_, detail)) => {
            let kinds: Vec<&str> = found.iter().map(|(kind, _)| *kind).collect();
            // The corpus case checks a panicking function with `compare_panic`.
            let mut detail = detail.clone();
            if matches!(expected.end, End::Panicked(_)) && !detail.contains("native panicked") {
                detail.push_str("; native panicked too");
            }
            format!("{} {}", kinds.join(","), escape(&detail))
        }
    }
}

/// Runs the cases from `first` on, printing the protocol lines.
pub fn main_loop(first: usize, count: usize, case: fn(usize) -> String) {
    panic::set_hook(Box::new(|_| {}));
    let mut out = std::io::stdout();
    for i in first..count {
        let _ = writeln!(out, "S {i}");
        let _ = out.flush();
        let verdict = case(i);
        let _ = writeln!(out, "V {i} {verdict}");
        let _ = out.flush();
    }
}
