//! The shape of the code, checked: the core modules import one another without a circle, and
//! no file under `src/` is longer than 600 lines, and no OS call is made outside `src/platform/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a file belongs to (`webex` for `src/webex/client.rs`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// What each core module (not the front ends) names of the crate, outside tests and comments.
fn core_imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let module = module_of(&file);
        if ["tui", "commands", "main", "lib"].contains(&module.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let deps = graph.entry(module.clone()).or_default();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for part in line.split("crate::").skip(1) {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    deps.insert(name);
                }
            }
        }
    }
    graph
}

// Depth-first search for a path back to where it started.
fn back_to(
    graph: &BTreeMap<String, BTreeSet<String>>,
    start: &str,
    at: &str,
    path: &mut Vec<String>,
) -> bool {
    for next in graph.get(at).into_iter().flatten() {
        if next == start {
            path.push(next.clone());
            return true;
        }
        if !path.contains(next) {
            path.push(next.clone());
            if back_to(graph, start, next, path) {
                return true;
            }
            path.pop();
        }
    }
    false
}

#[test]
fn the_core_modules_import_each_other_without_a_circle() {
    let graph = core_imports();
    for module in graph.keys() {
        let mut path = vec![module.clone()];
        assert!(
            !back_to(&graph, module, module, &mut path),
            "an import circle: {}",
            path.join(" -> ")
        );
    }
    assert!(
        graph["types"].is_empty(),
        "types is a leaf: {:?}",
        graph["types"]
    );
}
/// design.md: a file is as long as its one job; about 600 lines is the hint to look for the seam
/// (400 cut files at the ceiling instead of where their jobs split).
#[test]
fn no_source_file_is_longer_than_600_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines > 600).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these by what they do: {long:?}");
}

/// Issue 21: every call specific to the operating system is in `src/platform/`; the rest of
/// the program is portable Rust (tests may check Unix file modes).
#[test]
fn no_os_call_outside_the_platform_module() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let platform = src().join("platform");
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&platform)) {
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for os in ["libc::", "std::os::", "tokio::signal::unix", "nix::"] {
                if line.contains(os) {
                    found.push(format!("{}:{}: {line}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "move these into src/platform/: {found:#?}"
    );
}

/// Issue 21: the wizard and the subcommands are two front ends of one core. The wizard never
/// imports the subcommands, and neither writes a one-time secret's recovery copy or appends an
/// audit line itself: they call the core's services for that (`secrets`, `audit::AuditLog`).
#[test]
fn the_front_ends_share_the_core_services_and_not_each_other() {
    let mut files = Vec::new();
    rust_files(&src().join("tui"), &mut files);
    let mut commands = Vec::new();
    rust_files(&src().join("commands"), &mut commands);
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        if code.contains("crate::commands") {
            found.push(format!("{} imports the subcommands", file.display()));
        }
    }
    for file in files.iter().chain(&commands) {
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for service in ["save_recovery(", "audit::append(", "open_private_append("] {
            if code.contains(service) {
                found.push(format!("{} calls {service} itself", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}
