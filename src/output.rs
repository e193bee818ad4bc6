//! Standard output as webex-wizard uses it: where it goes (a terminal, a file, a pipe, nowhere),
//! and printing with every write checked.

use crate::error::CliError;

/// Where standard output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdoutTarget {
    Terminal,
    File,
    /// A pipe, a socket, /dev/null or another device.
    Other,
    Closed,
}

impl StdoutTarget {
    /// Whether a complete write there means the user has the text.
    pub fn confirms(self) -> bool {
        matches!(self, StdoutTarget::Terminal | StdoutTarget::File)
    }
}

/// Print `text` and a new line on standard output, checking the write and the flush.
pub fn print_stdout(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    if stdout_target() == StdoutTarget::Closed {
        return Err(CliError::Output(std::io::Error::new(
            std::io::ErrorKind::BrokenPipe,
            "standard output is closed",
        )));
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(CliError::Output)
}

/// Where standard output goes now.
pub fn stdout_target() -> StdoutTarget {
    use StdoutTarget;
    use std::io::IsTerminal;
    if STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed) {
        return StdoutTarget::Closed;
    }
    if std::io::stdout().is_terminal() {
        return StdoutTarget::Terminal;
    }
    if crate::platform::stdio::stdout_is_regular_file() {
        StdoutTarget::File
    } else {
        StdoutTarget::Other
    }
}

/// For standard output that is a file: make sure what was written reached the disk.
pub fn sync_stdout_file(target: StdoutTarget) -> std::io::Result<()> {
    if target != StdoutTarget::File {
        return Ok(());
    }
    crate::platform::stdio::sync_stdout()
}

static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// At start-up: note whether standard output was closed when the program started, and fill
/// any closed standard stream (see [`crate::platform::stdio::guard_standard_streams`]).
pub fn guard_standard_streams() {
    if crate::platform::stdio::guard_standard_streams() {
        STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// `value` as pretty JSON for standard output, with C1 controls and bidirectional controls
/// written as `\uXXXX` escapes: the same JSON value, but nothing a terminal would obey or
/// that would reorder what a person reads (`serde_json` leaves them raw).
pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    use std::fmt::Write as _;
    let raw = serde_json::to_string_pretty(value).expect("JSON values serialize");
    // Such characters can only stand inside JSON strings, where an escape means the same.
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if is_hidden_control(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// C1 controls (U+0080 to U+009F) and the Unicode bidirectional controls.
fn is_hidden_control(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9f}' | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}
