//! Records what the figures depend on besides the code: the optimization
//! level and the compiler, printed above the table and saved with it.

use std::process::Command;

fn main() {
    let opt_level = std::env::var("OPT_LEVEL").unwrap_or_else(|_| "?".into());
    let profile = std::env::var("PROFILE").unwrap_or_else(|_| "?".into());
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|version| version.trim().to_owned())
        .unwrap_or_else(|| "rustc (version unknown)".into());
    println!("cargo:rustc-env=ICOUNT_OPT_LEVEL={opt_level}");
    println!("cargo:rustc-env=ICOUNT_PROFILE={profile}");
    println!("cargo:rustc-env=ICOUNT_RUSTC={version}");
}
