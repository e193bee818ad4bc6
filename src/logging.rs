//! Tracing to stderr (`-v`, `RUST_LOG`) and to a file (`--log-file`).
//!
//! Secrets cannot reach the log: they are `SecretString`s, whose `Debug` is redacted, and
//! request logs carry method, URL, status, time and trackingId only.

use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::writer::MakeWriterExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// `RUST_LOG` (`target=level` directives, comma-separated: `webex_wizard=debug,hyper_util=trace`;
/// a bare level applies to everything), else the level `-v` asks for. Targets filters need no
/// regular-expression engine, unlike an `EnvFilter`.
fn filter(verbose: u8) -> Targets {
    if let Some(f) = std::env::var("RUST_LOG").ok().and_then(|v| v.parse().ok()) {
        return f;
    }
    match verbose {
        0 | 1 => "webex_wizard=info",
        2 => "webex_wizard=debug",
        _ => "webex_wizard=trace,reqwest=debug,hyper_util=debug",
    }
    .parse()
    .expect("the built-in filters parse")
}

/// Colour codes only for a person at a terminal: not into a pipe or file, not with `NO_COLOR`.
fn colour_on_stderr() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Open `path` for appending as a private file (see [`crate::platform::open_private_append`]).
fn open_log(path: &Path) -> Result<std::fs::File, String> {
    crate::platform::open_private_append(path)
        .map_err(|why| format!("could not open the log file {}: {why}", path.display()))
}

/// Set up logging. `to_stderr` is false for the full-screen wizard, which owns the terminal.
pub fn init(verbose: u8, log_file: Option<&Path>, to_stderr: bool) -> Result<(), String> {
    let stderr_on = to_stderr && (verbose > 0 || std::env::var_os("RUST_LOG").is_some());
    let file = match log_file {
        Some(path) => Some(open_log(path)?),
        None => None,
    };
    let layer = tracing_subscriber::fmt::layer().with_target(false);
    let registry = tracing_subscriber::registry().with(filter(verbose));
    match (file, stderr_on) {
        (Some(f), true) => registry
            .with(
                layer
                    .with_ansi(false)
                    .with_writer(std::io::stderr.and(Mutex::new(f))),
            )
            .init(),
        (Some(f), false) => registry
            .with(layer.with_ansi(false).with_writer(Mutex::new(f)))
            .init(),
        (None, true) => registry
            .with(
                layer
                    .with_ansi(colour_on_stderr())
                    .with_writer(std::io::stderr),
            )
            .init(),
        (None, false) => {}
    }
    Ok(())
}
