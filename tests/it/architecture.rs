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

/// The module path of `file` under a front end's folder (`["steps", "authorize", "view"]` for
/// `tui/steps/authorize/view.rs`, `["steps"]` for `tui/steps/mod.rs`).
fn module_path(root: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// What a module and its private children count as: a step (`steps::authorize`, with its
/// view and tests), a folder module (`overlays`, with its drawing), or the file itself.
fn unit(path: &[String]) -> String {
    match path {
        [] => String::new(),
        [first, second, ..] if first == "steps" => format!("steps::{second}"),
        [first, ..] => first.clone(),
    }
}

/// The paths a line names under `prefix` (`crate::tui::`), `super::` and `self::`, resolved
/// from module `at`, with `{a, b::c}` groups opened.
fn named_paths(line: &str, prefix: &str, at: &[String]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for (start, _) in line.match_indices("::") {
        let before = &line[..start];
        let head_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .map_or(0, |i| i + 1);
        let head = &line[head_start..start];
        // Only the first `::` of a path starts it.
        if head.contains("::") && !head.starts_with(prefix.trim_end_matches("::")) {
            continue;
        }
        let mut base: Vec<String> = if format!("{head}::") == prefix {
            Vec::new()
        } else if head == "super" {
            at[..at.len().saturating_sub(1)].to_vec()
        } else if head == "self" {
            at.to_vec()
        } else {
            continue;
        };
        let mut rest = &line[start + 2..];
        // `super::super::x`
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        let segment = |s: &str| -> Vec<String> {
            s.split("::")
                .map(|p| {
                    p.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect::<String>()
                })
                .take_while(|p| !p.is_empty())
                .collect()
        };
        if let Some(group) = rest.strip_prefix('{') {
            for item in group.split('}').next().unwrap_or("").split(',') {
                let mut path = base.clone();
                path.extend(segment(item.trim()));
                found.push(path);
            }
        } else {
            let head_path: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':' || *c == '{')
                .collect();
            let mut path = base.clone();
            if let Some((before_group, _)) = head_path.split_once("::{") {
                path.extend(segment(before_group));
                let group = rest.split_once('{').map_or("", |(_, g)| g);
                for item in group.split('}').next().unwrap_or("").split(',') {
                    let mut p = path.clone();
                    p.extend(segment(item.trim()));
                    found.push(p);
                }
                continue;
            }
            path.extend(segment(&head_path));
            found.push(path);
        }
    }
    found
}

/// The import graph of a front end's units (outside tests and comments).
fn front_end_graph(folder: &str) -> BTreeMap<String, BTreeSet<String>> {
    let root = src().join(folder);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    // A step's `tests.rs` is test code, like a `#[cfg(test)]` module.
    files.retain(|f| f.file_name().is_none_or(|n| n != "tests.rs"));
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_path(&root, f)).collect();
    let prefix = format!("crate::{folder}::");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let at = module_path(&root, file);
        let from = unit(&at);
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let deps = graph.entry(from.clone()).or_default();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for path in named_paths(line, &prefix, &at) {
                // The longest prefix of the path that is a module of this front end.
                let Some(module) = (0..=path.len())
                    .rev()
                    .map(|n| path[..n].to_vec())
                    .find(|p| modules.contains(p))
                else {
                    continue;
                };
                let to = unit(&module);
                if to != from && !to.is_empty() {
                    deps.insert(to);
                }
            }
        }
    }
    graph
}

fn assert_no_circle(graph: &BTreeMap<String, BTreeSet<String>>, what: &str) {
    for module in graph.keys() {
        let mut path = vec![module.clone()];
        assert!(
            !back_to(graph, module, module, &mut path),
            "an import circle in {what}: {}",
            path.join(" -> ")
        );
    }
}

/// Issue 21: no import circle anywhere in `src/`: between the core modules (above), and inside
/// every folder module (the wizard, the subcommands, the client, the sandbox, …).
#[test]
fn every_folder_module_imports_its_own_modules_without_a_circle() {
    let mut folders: Vec<String> = std::fs::read_dir(src())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert!(folders.len() > 8, "{folders:?}");
    for folder in &folders {
        assert_no_circle(&front_end_graph(folder), &format!("{folder}/"));
    }
}

/// Issue 21: the wizard's modules import one another without a circle, and so do the
/// subcommands'.
#[test]
fn the_front_ends_import_their_own_modules_without_a_circle() {
    let tui = front_end_graph("tui");
    // The check sees what it should: the router imports the steps' trait, a step its context.
    assert!(tui["route"].contains("steps"), "{:?}", tui["route"]);
    assert!(tui["steps::review"].contains("context"), "{tui:?}");
    assert_no_circle(&tui, "tui/");
    let commands = front_end_graph("commands");
    assert!(commands.len() > 10, "{commands:?}");
    assert_no_circle(&commands, "commands/");
}

/// Issue 21: a step sees its own state and a narrow context (the session, and requests to the
/// wizard); it never names the wizard as a whole, its router or windows, or another step
/// (the scope list is the Scopes step's own model).
#[test]
fn a_step_names_only_its_context_never_the_wizard_or_another_step() {
    let graph = front_end_graph("tui");
    let shared = [
        "context", "delivery", "effect", "keys", "message", "phase", "theme", "widgets", "steps",
    ];
    let mut found = Vec::new();
    let steps: Vec<&String> = graph.keys().filter(|u| u.starts_with("steps::")).collect();
    assert!(steps.len() >= 17, "{steps:?}");
    for step in steps {
        for dep in &graph[step] {
            let own_model = step == "steps::scopes" && dep == "steps::scope_list";
            if !shared.contains(&dep.as_str()) && !own_model {
                found.push(format!("{step} names {dep}"));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// `cargo fmt` formats the modules it can see from `mod` lines; the wizard's steps are declared
/// by the step list's macro, which it does not expand. rustfmt on every file sees them all.
#[test]
fn every_source_file_is_formatted_even_the_steps_the_macro_declares() {
    if crate::common::missing(&["rustfmt"]) {
        return;
    }
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let steps = src().join("tui").join("steps");
    assert!(files.iter().any(|f| f.starts_with(&steps)), "{files:?}");
    let out = std::process::Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .args(&files)
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&out.stdout);
    let unformatted: BTreeSet<&str> = diff
        .lines()
        .filter_map(|l| l.strip_prefix("Diff in "))
        .filter_map(|l| l.rsplit_once(':').and_then(|(f, _)| f.rsplit_once(':')))
        .map(|(f, _)| f)
        .collect();
    assert!(
        out.status.success(),
        "not formatted (run scripts/fmt.sh): {unformatted:#?}"
    );
}
