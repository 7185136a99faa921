//! Every example runs, gives the right answer, and suspends once per await
//! it passes (each simulated leaf is not ready on its first poll).

use expand_examples::examples::{
    early_return, loop_await, method, self_referential_read, textbook,
};
use expand_examples::sim::{MemoryStream, run_counting_polls};

#[test]
fn textbook_reads_bar_only_when_foo_is_short() {
    let (short, polls) = run_counting_polls(textbook::example(5));
    assert_eq!((short.as_str(), polls), ("Hello from foo.txt.", 2));
    let (long, polls) = run_counting_polls(textbook::example(100));
    assert_eq!(
        (long.as_str(), polls),
        ("Hello from foo.txt. And from bar.txt.", 3)
    );
}

#[test]
fn self_referential_read_returns_the_first_chunk() {
    let stream = MemoryStream::new("hello, world", 5);
    let (greeting, polls) = run_counting_polls(self_referential_read::read_greeting(stream));
    assert_eq!(greeting.unwrap(), "hello");
    assert_eq!(polls, 2);
}

#[test]
fn for_loop_awaits_once_per_file() {
    let paths = vec!["foo.txt", "bar.txt", "missing.txt"];
    let (total, polls) = run_counting_polls(loop_await::total_length(paths));
    assert_eq!(
        total,
        "Hello from foo.txt.".len() + " And from bar.txt.".len()
    );
    assert_eq!(polls, 4);
}

#[test]
fn loop_with_break_reads_every_chunk() {
    let text = "twenty-six letters: abcdefghijklmnopqrstuvwxyz";
    let (data, polls) = run_counting_polls(loop_await::read_to_end(MemoryStream::new(text, 8)));
    assert_eq!(data.unwrap(), text.as_bytes());
    // Six full or partial chunks of 8 bytes, then the read that returns 0.
    assert_eq!(polls, text.len().div_ceil(8) + 2);
}

#[test]
fn early_return_skips_the_second_read() {
    let (port, polls) = run_counting_polls(early_return::configured_port("app.conf"));
    assert_eq!(port.unwrap(), 8080);
    assert_eq!(polls, 2);
}

#[test]
fn falls_back_to_the_defaults() {
    let (port, polls) = run_counting_polls(early_return::configured_port("empty.conf"));
    assert_eq!(port.unwrap(), 80);
    assert_eq!(polls, 3);
}

#[test]
fn question_mark_returns_the_errors() {
    let (missing, polls) = run_counting_polls(early_return::configured_port("missing.conf"));
    assert!(
        matches!(missing, Err(early_return::ConfigError::Io(_))),
        "{missing:?}"
    );
    assert_eq!(polls, 2);
    let (bad, _) = run_counting_polls(early_return::configured_port("bad.conf"));
    assert_eq!(
        bad.unwrap_err().to_string(),
        "bad port number: invalid digit found in string"
    );
}

#[test]
fn method_reads_each_file_once() {
    let mut cache = method::FileCache::new();
    let (first, polls) = run_counting_polls(cache.get("foo.txt"));
    assert_eq!((first.as_str(), polls), ("Hello from foo.txt.", 2));
    let (again, polls) = run_counting_polls(cache.get("foo.txt"));
    assert_eq!((again.as_str(), polls), ("Hello from foo.txt.", 1));
    assert_eq!(cache.misses(), 1);
}
