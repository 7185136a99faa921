//! Compile-fail cases (`tests/ui/*.rs`, each says at its top what error it
//! expects and why) and compile-and-run cases that need the real transform
//! (`tests/pass/*.rs`). Bless the `.stderr` snapshots with
//! `TRYBUILD=overwrite cargo test --test ui -- --ignored`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/pass/*.rs");
}
