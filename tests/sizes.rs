//! `size_of_val` of every corpus future, ours against rustc's, created with
//! fixed arguments and never polled. Ours should never be larger: rustc
//! stores the arguments twice (rust-lang/rust#62958), ours stores only what
//! each state needs. See the table with
//! `cargo test --test sizes -- --nocapture`.

mod common;

/// The differential checks run in tests/differential.rs; here they are only referenced.
macro_rules! case_test {
    () => {
        const _: fn() = check;
    };
}

mod corpus;

#[test]
fn ours_is_never_larger_than_rustc() {
    let cases = corpus::all();
    let width = cases.iter().map(|case| case.name.len()).max().unwrap_or(0);
    println!("{:<width$}  {:>6}  {:>6}", "function", "ours", "rustc");
    let mut larger = Vec::new();
    let (mut total_ours, mut total_native) = (0, 0);
    for case in &cases {
        let sizes = (case.sizes)();
        let mark = if sizes.ours > sizes.native {
            "  <-- larger"
        } else {
            ""
        };
        println!(
            "{:<width$}  {:>6}  {:>6}{mark}",
            case.name, sizes.ours, sizes.native
        );
        total_ours += sizes.ours;
        total_native += sizes.native;
        if sizes.ours > sizes.native {
            larger.push(format!(
                "{} ({} > {} bytes)",
                case.name, sizes.ours, sizes.native
            ));
        }
    }
    println!("{:<width$}  {total_ours:>6}  {total_native:>6}", "total");
    assert!(
        larger.is_empty(),
        "{} of {} futures are larger than rustc's: {}",
        larger.len(),
        cases.len(),
        larger.join(", ")
    );
}
