//! Getting a published crate's source through cargo, into a scratch copy
//! that depends on this repository's `explicit-async`.

use crate::process::{self, tail};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `name` or `name@version`, as on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateSpec {
    pub name: String,
    /// `None`: the newest version the registry serves.
    pub version: Option<String>,
}

impl CrateSpec {
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (name, version) = match spec.split_once('@') {
            Some((name, version)) => (name, Some(version.to_string())),
            None => (spec, None),
        };
        let valid = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.+".contains(c))
        };
        if !valid(name) || version.as_deref().is_some_and(|v| !valid(v)) {
            return Err(format!(
                "`{spec}` is not a crate name, optionally with @version (e.g. mini-redis@0.4.1)"
            ));
        }
        Ok(CrateSpec {
            name: name.to_string(),
            version,
        })
    }
}

/// Fetches the crate with `cargo fetch` through a scratch package under
/// `work`, and returns the directory cargo unpacked it to (in the registry
/// cache, not to be modified) and the version it resolved to.
pub fn fetch(spec: &CrateSpec, work: &Path) -> Result<(PathBuf, String), String> {
    let scratch = work.join(format!("fetch-{}", spec.name));
    std::fs::create_dir_all(scratch.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let requirement = spec
        .version
        .as_ref()
        .map_or_else(|| "*".to_string(), |v| format!("={v}"));
    let manifest = format!(
        "[package]\nname = \"fetch-scratch\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{} = \"{requirement}\"\n\n[workspace]\n",
        spec.name
    );
    write(&scratch.join("Cargo.toml"), &manifest)?;
    write(&scratch.join("src/lib.rs"), "")?;
    let _ = std::fs::remove_file(scratch.join("Cargo.lock"));
    let limit = Duration::from_secs(600);
    let fetched =
        process::run(&scratch, "cargo", &["fetch"], &[], limit).map_err(|e| e.to_string())?;
    if !fetched.success() {
        return Err(format!(
            "`cargo fetch` for {} failed:\n{}",
            spec.name,
            tail(&fetched.stderr, 15)
        ));
    }
    let metadata = process::run(
        &scratch,
        "cargo",
        &["metadata", "--format-version", "1"],
        &[],
        limit,
    )
    .map_err(|e| e.to_string())?;
    if !metadata.success() {
        return Err(format!(
            "`cargo metadata` failed:\n{}",
            tail(&metadata.stderr, 15)
        ));
    }
    let metadata: Value =
        serde_json::from_str(&metadata.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let package = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == spec.name.as_str())
        .ok_or_else(|| format!("cargo resolved no package named {}", spec.name))?;
    let manifest_path = package["manifest_path"]
        .as_str()
        .ok_or("cargo metadata gave no manifest_path")?;
    let version = package["version"].as_str().unwrap_or_default().to_string();
    let dir = Path::new(manifest_path)
        .parent()
        .ok_or("manifest_path has no parent")?;
    Ok((dir.to_path_buf(), version))
}

/// A fresh copy of `source` (the crate `name`) at `to`, its manifest
/// depending on `explicit-async` at `repo` and made a workspace of its own
/// (it sits inside this repository's `target/`).
pub fn scratch_copy(name: &str, source: &Path, to: &Path, repo: &Path) -> Result<(), String> {
    if to.exists() {
        std::fs::remove_dir_all(to).map_err(|e| format!("cannot clear {}: {e}", to.display()))?;
    }
    process::copy_tree(source, to)
        .map_err(|e| format!("cannot copy {} to {}: {e}", source.display(), to.display()))?;
    let manifest_path = to.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    write(&manifest_path, &with_explicit_async(name, &manifest, repo)?)
}

/// `manifest` (of the crate `name`) with `explicit-async` added to
/// `[dependencies]`, an empty `[workspace]` table, and the crate patched
/// in for itself, all appended so every other byte stays. The patch is for
/// a crate whose dev-dependencies depend on it (tokio's on `tokio-test`):
/// without it their tests would link the registry's copy beside the
/// annotated one, and its types would not be the test's. (Cargo warns that
/// the patch is unused where nothing else depends on the crate.)
pub fn with_explicit_async(name: &str, manifest: &str, repo: &Path) -> Result<String, String> {
    let has_table = |name: &str| manifest.lines().any(|l| l.trim() == name);
    if has_table("[dependencies.explicit-async]")
        || manifest
            .lines()
            .any(|l| l.trim_start().starts_with("explicit-async"))
    {
        return Err("the manifest already names explicit-async".to_string());
    }
    let repo = repo.to_str().ok_or("the repository path is not UTF-8")?;
    let mut out = manifest.to_string();
    out.push_str(&format!(
        "\n[dependencies.explicit-async]\npath = {repo:?}\n"
    ));
    if !has_table("[workspace]") {
        out.push_str("\n[workspace]\n");
    }
    if !has_table(&format!("[patch.crates-io.{name}]")) {
        out.push_str(&self_patch(name));
    }
    Ok(out)
}

/// The table [`with_explicit_async`] appends to patch the crate `name` in
/// for itself.
fn self_patch(name: &str) -> String {
    format!("\n[patch.crates-io.{name}]\npath = \".\"\n")
}

/// Takes the self-patch out of the copy's manifest again.
pub fn remove_self_patch(root: &Path, name: &str) -> Result<(), String> {
    let manifest_path = root.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    write(&manifest_path, &manifest.replace(&self_patch(name), ""))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_with_and_without_a_version() {
        let spec = CrateSpec::parse("mini-redis@0.4.1").unwrap();
        assert_eq!(
            (spec.name.as_str(), spec.version.as_deref()),
            ("mini-redis", Some("0.4.1"))
        );
        assert_eq!(CrateSpec::parse("bb8").unwrap().version, None);
        assert!(CrateSpec::parse("a b").is_err());
        assert!(CrateSpec::parse("bb8@").is_err());
    }

    #[test]
    fn the_manifest_gains_the_dependency_and_a_workspace_only_at_its_end() {
        let manifest = "[package]\nname = \"x\"\n\n[dependencies.tokio]\nversion = \"1\"\n";
        let out = with_explicit_async("x", manifest, Path::new("/repo")).unwrap();
        assert_eq!(
            out,
            format!(
                "{manifest}\n[dependencies.explicit-async]\npath = \"/repo\"\n\n[workspace]\n\
                 \n[patch.crates-io.x]\npath = \".\"\n"
            )
        );
        assert!(with_explicit_async("x", &out, Path::new("/repo")).is_err());
    }
}
