//! Build facts for `webex-wizard --version`: the commit, the build date, the target and the
//! versions of the TLS stack this build resolved (read from the Cargo.lock it was built with).

use std::path::Path;
use std::process::Command;

fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&dir);
    // A tree without .git (a source package, scripts/fips.sh's copy) names its commit here.
    println!("cargo:rerun-if-env-changed=WEBEX_WIZARD_COMMIT");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    println!("cargo:rerun-if-changed=Cargo.lock");
    for watched in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if dir.join(watched).exists() {
            println!("cargo:rerun-if-changed={watched}");
        }
    }
    let commit = std::env::var("WEBEX_WIZARD_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(dir, &["rev-parse", "HEAD"]))
        .unwrap_or_else(|| "unknown".into());
    // Reproducible: SOURCE_DATE_EPOCH when the packager sets it, else the commit's date.
    let date = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .or_else(|| git(dir, &["log", "-1", "--format=%ct"]).and_then(|s| s.parse().ok()))
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .map_or_else(|| "unknown".into(), |t| t.date().to_string());
    let lock = std::fs::read_to_string(dir.join("Cargo.lock")).unwrap_or_default();
    let version_of = |name: &str| locked_version(&lock, name).unwrap_or_else(|| "unknown".into());
    let facts = [
        ("WW_BUILD_COMMIT", commit),
        ("WW_BUILD_DATE", date),
        (
            "WW_BUILD_TARGET",
            std::env::var("TARGET").unwrap_or_default(),
        ),
        (
            "WW_BUILD_PROFILE",
            std::env::var("PROFILE").unwrap_or_default(),
        ),
        ("WW_RUSTLS_VERSION", version_of("rustls")),
        ("WW_AWS_LC_RS_VERSION", version_of("aws-lc-rs")),
        ("WW_AWS_LC_SYS_VERSION", version_of("aws-lc-sys")),
        ("WW_AWS_LC_FIPS_SYS_VERSION", version_of("aws-lc-fips-sys")),
    ];
    for (key, value) in facts {
        println!("cargo:rustc-env={key}={value}");
    }
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The version of `name` in a Cargo.lock (the first, when several are locked).
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines.next()?.trim().strip_prefix("version = \"")?;
            return Some(version.trim_end_matches('"').to_owned());
        }
    }
    None
}
