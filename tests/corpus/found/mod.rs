//! Cases the generated-program fuzzer (`fuzz/`) found, minimized by it and
//! kept here once fixed. They use the fuzzer's prelude (its logging `D`,
//! leaf futures and helpers). The code is the generator's, as found: its
//! unused names and parentheses are allowed here, for every case.
#![allow(
    dead_code,
    irrefutable_let_patterns,
    non_shorthand_field_patterns,
    unreachable_code,
    unused_assignments,
    unused_imports,
    unused_labels,
    unused_mut,
    unused_parens,
    unused_variables,
    clippy::all
)]

pub mod async_executor;
pub mod async_lock;
pub mod async_std;
pub mod closure_capture_review;
pub mod deadpool;
pub mod eighteenth_run_minimized;
pub mod eighth_run_minimized;
pub mod eleventh_run_minimized;
pub mod fifteenth_run_minimized;
pub mod final_run;
pub mod first_run_builds;
pub mod first_run_runs;
pub mod fourteenth_run_minimized;
pub mod fourth_run_minimized;
pub mod moka;
pub mod nineteenth_run_minimized;
pub mod ninth_run_minimized;
pub mod prelude;
pub mod second_run;
pub mod second_run_minimized;
pub mod seventeenth_run_minimized;
pub mod seventh_run_minimized;
pub mod sixteenth_run_minimized;
pub mod sixth_run_minimized;
pub mod tenth_run_minimized;
pub mod third_run_minimized;
pub mod thirteenth_run_minimized;
pub mod tokio;
pub mod tokio_postgres;
pub mod tokio_util;
pub mod twelfth_run_minimized;
pub mod twentieth_run_minimized;
pub mod twenty_first_run_minimized;
pub mod twenty_second_run_minimized;
pub mod twenty_third_run_minimized;
