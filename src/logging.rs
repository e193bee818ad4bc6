//! Tracing to stderr (`-v`, `RUST_LOG`) and to a file (`--log-file`).
//!
//! Secrets cannot reach the log: they are `SecretString`s, whose `Debug` is redacted, and
//! request logs carry method, URL, status, time and trackingId only.

use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::MakeWriterExt;

fn filter(verbose: u8, default_off: bool) -> EnvFilter {
    if let Ok(f) = EnvFilter::try_from_default_env() {
        return f;
    }
    EnvFilter::new(match verbose {
        0 if default_off => "off",
        0 | 1 => "webex_wizard=info",
        2 => "webex_wizard=debug",
        _ => "webex_wizard=trace,reqwest=debug,hyper_util=debug",
    })
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
    let builder = tracing_subscriber::fmt().with_target(false);
    match (file, stderr_on) {
        (Some(f), true) => builder
            .with_env_filter(filter(verbose, false))
            .with_ansi(false)
            .with_writer(std::io::stderr.and(Mutex::new(f)))
            .init(),
        (Some(f), false) => builder
            .with_env_filter(filter(verbose, false))
            .with_ansi(false)
            .with_writer(Mutex::new(f))
            .init(),
        (None, true) => builder
            .with_env_filter(filter(verbose, false))
            .with_ansi(colour_on_stderr())
            .with_writer(std::io::stderr)
            .init(),
        (None, false) => {}
    }
    Ok(())
}
