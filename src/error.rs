//! Failures at the edge, each with an exit code and what to do next.

use crate::files::SaveError;
use crate::oauth::AuthorizationError;
use crate::validate::Problem;
use crate::webex::WebexError;

/// Exit codes: a contract with scripts.
pub mod exit {
    pub const OK: u8 = 0;
    /// webex-wizard could not do its own part here: no usable terminal, the sandbox could not
    /// start, a file or folder could not be read or used. Nothing was sent.
    pub const LOCAL: u8 = 1;
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
    /// `doctor`: a check failed (exit 4).
    ChecksFailed,
    /// `status`: no usable admin token is kept here (exit 1).
    NotSignedIn,
}

/// A command's failure.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    /// The terminal could not be set up, watched or drawn on.
    #[error("the terminal could not be used: {0}")]
    Terminal(std::io::Error),
    /// Something only a terminal can give was needed (a passphrase), and there is none; the
    /// message says what to do instead.
    #[error("{0}")]
    NoTerminal(String),
    /// The embedded sandbox could not start.
    #[error("the embedded sandbox could not start: {0}")]
    Sandbox(std::io::Error),
    /// A file the user named could not be read.
    #[error("could not read {}: {source}", .path.display())]
    ReadFile {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// webex-wizard's own folders can't be used (no home, a symbolic link, ...).
    #[error("{0}")]
    Folders(String),
    #[error("nothing was sent, because the integration is not valid:\n{}", .0.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Webex(#[from] WebexError),
    /// `--ca-bundle`, `--proxy` or the TLS set-up can't be used; nothing was sent.
    #[error(transparent)]
    Network(#[from] crate::net::NetworkError),
    /// A batch (`refresh --due`) finished, and some of it failed, each said above.
    #[error("{0}")]
    SomeFailed(String),
    /// Something shown only once arrived, but the file asked for could not be written.
    #[error("{}, but saving {} failed: {error}", .what.done(), .what.carries())]
    SavedNothing {
        what: crate::webex::OneTime,
        error: SaveError,
    },
    /// A hand-off (of a file that is already safe) could not be written; nothing was sent.
    #[error("the hand-off was not written: {0}")]
    NotWritten(SaveError),
    #[error("{0}")]
    Authorization(AuthorizationError),
    /// Standard output could not take what the command had to print (full disk, closed pipe).
    #[error("could not write to standard output: {0}")]
    Output(std::io::Error),
    /// The token endpoint refused the code or the refresh token, or could not be reached.
    #[error("the token request failed: {0}")]
    Exchange(WebexError),
    /// The OS keyring is not usable here (or refused); nothing was written anywhere instead.
    #[error(transparent)]
    Keyring(#[from] crate::signin::KeyringError),
}

impl From<crate::files::LoadError> for CliError {
    fn from(e: crate::files::LoadError) -> Self {
        match e {
            crate::files::LoadError::Read { path, source } => CliError::ReadFile { path, source },
            crate::files::LoadError::Invalid(why) => CliError::Usage(why),
            // "No usable terminal" is webex-wizard's own part (exit 1), not a usage error.
            crate::files::LoadError::NoTerminal(why) => CliError::NoTerminal(why),
        }
    }
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
            CliError::Usage(_)
            | CliError::Invalid(_)
            | CliError::NotWritten(SaveError::Exists(_))
            | CliError::Network(
                crate::net::NetworkError::Bundle(_)
                | crate::net::NetworkError::Proxy(_)
                | crate::net::NetworkError::ProxyVariable(_),
            ) => exit::USAGE,
            CliError::Network(_)
            | CliError::Terminal(_)
            | CliError::NoTerminal(_)
            | CliError::Sandbox(_)
            | CliError::ReadFile { .. }
            | CliError::NotWritten(_)
            | CliError::Folders(_)
            | CliError::Keyring(_) => exit::LOCAL,
            CliError::SavedNothing { .. } | CliError::SomeFailed(_) | CliError::Output(_) => {
                exit::UNAVAILABLE
            }
            CliError::Authorization(_) => exit::AUTHORIZATION,
            CliError::Exchange(e) if e.api_failure().is_some() => exit::AUTHORIZATION,
            CliError::Webex(e) | CliError::Exchange(e) => e.exit_code(),
        }
    }

    /// A raw answer that could be kept nowhere (it may hold a one-time secret).
    pub fn unsaved_raw_answer(&self) -> Option<&[u8]> {
        match self {
            CliError::Webex(e) | CliError::Exchange(e) => e.unsaved_raw_answer(),
            _ => None,
        }
    }

    pub fn next_step(&self) -> Option<String> {
        match self {
            CliError::Usage(_)
            | CliError::NoTerminal(_)
            | CliError::SomeFailed(_)
            | CliError::Folders(_)
            | CliError::Network(
                crate::net::NetworkError::Proxy(_) | crate::net::NetworkError::ProxyVariable(_),
            ) => None,
            CliError::Network(crate::net::NetworkError::Bundle(_)) => Some("Give --ca-bundle a PEM file of one or more CA certificates (-----BEGIN CERTIFICATE-----).".into()),
            CliError::Network(_) => Some("Rebuild webex-wizard (scripts/fips.sh build --release) with CMake, Go and a C compiler present, and check with webex-wizard doctor.".into()),
            CliError::Terminal(_) => Some("Run the wizard in an interactive terminal, or use a subcommand (see 'webex-wizard --help').".into()),
            CliError::Sandbox(_) => Some("Free a loopback port or check the machine's limits, then try again.".into()),
            CliError::ReadFile { .. } => Some("Check the path and its permissions.".into()),
            CliError::Invalid(problems) => Some(format!(
                "Fix the fields named above ({}) and run the command again.",
                problems.iter().map(|p| p.field.flag()).collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>().join(", ")
            )),
            CliError::Webex(e) | CliError::Exchange(e) => Some(e.next_step()),
            CliError::SavedNothing { what, .. } => Some(format!("{} printed above or kept where it says: store it now. {}", capitalized(what.carries()), what.caution())),
            CliError::NotWritten(SaveError::Exists(_)) => Some("Choose another file with --out; nothing was sent anywhere.".into()),
            CliError::NotWritten(_) => Some("Check the folder and the free space; nothing was sent anywhere.".into()),
            CliError::Authorization(e) => Some(e.next_step().into()),
            CliError::Output(_) => Some("Write the output somewhere that can take it (a file with space, a pipe that reads it all).".into()),
            CliError::Keyring(crate::signin::KeyringError::Unavailable(_)) => Some("webex-wizard never keeps the admin token in a plaintext file on its own: give it per command instead (WEBEX_ADMIN_TOKEN, or --token-file PATH), or sign in where a keyring runs (a desktop session).".into()),
            CliError::Keyring(crate::signin::KeyringError::Failed(_)) => Some("Unlock the keyring (sign in to the desktop session, or open Passwords and Keys) and try again.".into()),
        }
    }
}

/// `text` with its first letter upper-case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
