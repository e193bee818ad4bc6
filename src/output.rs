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
    // SAFETY: fstat fills the struct it is given for a descriptor that is open (0 to 2 always
    // are, see guard_standard_streams).
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(1, &raw mut stat) } == 0 && stat.st_mode & libc::S_IFMT == libc::S_IFREG
    {
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
    // SAFETY: fsync on an open descriptor.
    if unsafe { libc::fsync(1) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// At start-up: find out whether standard output was closed when the program started. Rust's
/// runtime puts /dev/null, opened read-write, on a closed standard stream before `main`, so a
/// standard output that is /dev/null opened read-write was closed (a shell's `>/dev/null`
/// opens it write-only). Any stream still closed is filled with /dev/null here, so that a file
/// opened later never takes its number.
pub fn guard_standard_streams() {
    for fd in 0..=2 {
        // SAFETY: fcntl and fstat only ask about the descriptor; open and dup2 take valid
        // arguments and their results are checked.
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if flags == -1 {
            if fd == 1 {
                STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            let null = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
            if null >= 0 && null != fd {
                unsafe {
                    libc::dup2(null, fd);
                    libc::close(null);
                }
            }
            continue;
        }
        if fd == 1 && flags & libc::O_ACCMODE == libc::O_RDWR && is_dev_null(fd) {
            STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// Whether `fd` is /dev/null.
fn is_dev_null(fd: i32) -> bool {
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    let mut null: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: both structs are filled by fstat/stat for an open descriptor and a C string path.
    unsafe {
        libc::fstat(fd, &raw mut stat) == 0
            && libc::stat(c"/dev/null".as_ptr(), &raw mut null) == 0
            && stat.st_mode & libc::S_IFMT == libc::S_IFCHR
            && stat.st_rdev == null.st_rdev
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
