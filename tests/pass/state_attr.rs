//! `#[state(Name)]` names an await's state, and `#[explicit_async(trace)]`
//! reports each transition: Philipp Oppermann's example comes out with his
//! state names. The native twin is written without the attribute (rustc
//! does not know `#[state]`), and must behave the same.
//!
//! A trybuild `pass` case (tests/ui.rs) because the pass-through macro
//! leaves `#[state]` for rustc to reject; it moves into the differential
//! corpus once the transform lands.

#[path = "../common/mod.rs"]
mod common;

use common::*;
use explicit_async::explicit_async;
use explicit_async::trace::{Transition, set_hook};

fn async_read_file(name: &'static str) -> Leaf<String> {
    val(name, 2, name.trim_end_matches(".txt").to_string())
}

async fn native_example(min_len: usize) -> String {
    let content = async_read_file("foo.txt").await;
    if content.len() < min_len {
        let more = async_read_file("bar.txt").await;
        content + &more
    } else {
        content
    }
}

#[explicit_async(trace)]
async fn example(min_len: usize) -> String {
    #[state(FooTxt)]
    let content = async_read_file("foo.txt").await;
    if content.len() < min_len {
        #[state(BarTxt)]
        let more = async_read_file("bar.txt").await;
        content + &more
    } else {
        content
    }
}

fn record(transition: &Transition) {
    log(format!(
        "{}: {} -> {}",
        transition.function, transition.from, transition.to
    ));
}

fn main() {
    compare("example(1)", || native_example(1), || example(1));
    compare("example(10)", || native_example(10), || example(10));

    set_hook(record);
    take_log();
    let out = trace(|| example(10), 100);
    let transitions: Vec<_> = out
        .log
        .iter()
        .filter(|line| line.starts_with("example:"))
        .cloned()
        .collect();
    assert_eq!(
        transitions,
        [
            "example: Start -> WaitingOnFooTxt",
            "example: WaitingOnFooTxt -> WaitingOnBarTxt",
            "example: WaitingOnBarTxt -> Done",
        ]
    );
}
