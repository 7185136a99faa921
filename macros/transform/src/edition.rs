//! The edition of the crate being compiled. It decides when a block tail's
//! temporaries drop: in Rust 2024 before the block's locals, in earlier
//! editions after them, with the statement around the block. A proc macro
//! is not told the edition, so it is read from the crate's `Cargo.toml`
//! (found through `CARGO_MANIFEST_DIR`, which Cargo sets); without Cargo,
//! 2024 is assumed.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Is the crate being compiled older than Rust 2024?
pub fn before_2024() -> bool {
    static BEFORE: OnceLock<bool> = OnceLock::new();
    *BEFORE.get_or_init(|| {
        std::env::var_os("CARGO_MANIFEST_DIR")
            .and_then(|dir| package_edition(&PathBuf::from(dir)))
            .is_some_and(|edition| edition < 2024)
    })
}

/// The edition of the package whose manifest is in `dir`: its own, the
/// workspace's (`edition.workspace = true`), or Cargo's default, 2015.
fn package_edition(dir: &Path) -> Option<u32> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    match section_key(&manifest, "package", "edition") {
        Some(Value::Edition(edition)) => Some(edition),
        Some(Value::Inherited) => dir.ancestors().skip(1).find_map(|up| {
            let manifest = std::fs::read_to_string(up.join("Cargo.toml")).ok()?;
            match section_key(&manifest, "workspace.package", "edition")? {
                Value::Edition(edition) => Some(edition),
                Value::Inherited => None,
            }
        }),
        None => Some(2015),
    }
}

enum Value {
    Edition(u32),
    /// `edition.workspace = true` or `edition = { workspace = true }`.
    Inherited,
}

/// `key = "2021"` (or inherited from the workspace) in `[section]` of a
/// TOML file, read line by line: enough for `edition`.
fn section_key(toml: &str, section: &str, key: &str) -> Option<Value> {
    let mut current = String::new();
    for line in toml.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[') {
            current = name.trim_end_matches(']').trim().to_string();
            continue;
        }
        if current != section {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        if name == format!("{key}.workspace") || (name == key && value.contains("workspace")) {
            return Some(Value::Inherited);
        }
        if name == key {
            return value.trim_matches('"').parse().ok().map(Value::Edition);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition(toml: &str) -> Option<u32> {
        match section_key(toml, "package", "edition")? {
            Value::Edition(e) => Some(e),
            Value::Inherited => Some(0),
        }
    }

    #[test]
    fn reads_the_package_edition() {
        assert_eq!(
            edition("[package]\nname = \"a\"\nedition = \"2021\"\n"),
            Some(2021)
        );
        assert_eq!(
            edition("[package]\nedition=\"2024\"\n[dependencies]\n"),
            Some(2024)
        );
        assert_eq!(
            edition("[workspace]\nedition = \"2018\"\n[package]\nname = \"a\"\n"),
            None
        );
        assert_eq!(edition("[package]\nedition.workspace = true\n"), Some(0));
        assert_eq!(
            edition("[package]\nedition = { workspace = true }\n"),
            Some(0)
        );
    }

    #[test]
    fn this_crate_is_2024() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(package_edition(&dir), Some(2024));
    }
}
