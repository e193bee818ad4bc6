//! Failures at the edge, each with an exit code and what to do next.

use crate::files::SaveError;
use crate::oauth::AuthorizationError;
use crate::validate::Problem;
use crate::webex::WebexError;

/// Exit codes: a contract with scripts.
pub mod exit {
    pub const OK: u8 = 0;
    pub const USAGE: u8 = 2;
    pub const REFUSED: u8 = 3;
    pub const UNAVAILABLE: u8 = 4;
    pub const AUTHORIZATION: u8 = 5;
    pub const PROBE_REFUSED: u8 = 6;
}

/// How a run ended without failing, for the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Quit,
    /// The wizard stopped on SIGTERM (15) or SIGHUP (1): exit 128 + n.
    Signal(i32),
    /// `test-scopes` found a refused probe (exit 6).
    ProbeRefused,
    /// `test-scopes`: nothing was refused, but a probe got no usable answer (exit 4).
    ProbeFailed,
}

/// A command's failure.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("nothing was sent, because the integration is not valid:\n{}", .0.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Webex(#[from] WebexError),
    #[error("the integration WAS created, but saving the credentials failed: {0}")]
    SavedNothing(SaveError),
    /// Tokens were issued, but the file asked for could not be written.
    #[error("the tokens were issued, but saving them failed: {0}")]
    TokensNotSaved(SaveError),
    #[error("{0}")]
    Authorization(AuthorizationError),
    /// Standard output could not take what the command had to print (full disk, closed pipe).
    #[error("could not write to standard output: {0}")]
    Output(std::io::Error),
    /// The token endpoint refused the code or the refresh token, or could not be reached.
    #[error("the token request failed: {0}")]
    Exchange(WebexError),
}

impl From<crate::oauth::FlowError> for CliError {
    fn from(e: crate::oauth::FlowError) -> Self {
        match e {
            crate::oauth::FlowError::Authorization(e) => CliError::Authorization(e),
            crate::oauth::FlowError::Token(e) => CliError::Exchange(e),
        }
    }
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::Invalid(_) => exit::USAGE,
            CliError::Webex(e) => e.exit_code(),
            CliError::SavedNothing(_) | CliError::TokensNotSaved(_) | CliError::Output(_) => {
                exit::UNAVAILABLE
            }
            CliError::Authorization(_) => exit::AUTHORIZATION,
            CliError::Exchange(e) if e.api_failure().is_some() => exit::AUTHORIZATION,
            CliError::Exchange(e) => e.exit_code(),
        }
    }

    /// A raw answer that could be kept nowhere (it may hold a one-time secret).
    pub fn unsaved_raw_answer(&self) -> Option<&[u8]> {
        match self {
            CliError::Webex(e) => e.unsaved_raw_answer(),
            _ => None,
        }
    }

    pub fn next_step(&self) -> Option<String> {
        match self {
            CliError::Usage(_) => None,
            CliError::Invalid(problems) => Some(format!(
                "Fix the fields named above ({}) and run the command again.",
                problems.iter().map(|p| p.field.flag()).collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>().join(", ")
            )),
            CliError::Webex(e) => Some(e.next_step()),
            CliError::SavedNothing(_) => Some("The client ID and secret are printed above or kept where it says: store them now. Do not create the integration again.".into()),
            CliError::TokensNotSaved(_) => Some("The tokens are printed above or kept where it says: store them now.".into()),
            CliError::Authorization(e) => Some(e.next_step().into()),
            CliError::Exchange(e) => Some(e.next_step()),
            CliError::Output(_) => Some("Write the output somewhere that can take it (a file with space, a pipe that reads it all).".into()),
        }
    }
}

/// Print `text` and a new line on standard output, checking the write and the flush.
pub fn print_stdout(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    if stdout_target() == crate::handover::StdoutTarget::Closed {
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
pub fn stdout_target() -> crate::handover::StdoutTarget {
    use crate::handover::StdoutTarget;
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
pub fn sync_stdout_file(target: crate::handover::StdoutTarget) -> std::io::Result<()> {
    if target != crate::handover::StdoutTarget::File {
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
