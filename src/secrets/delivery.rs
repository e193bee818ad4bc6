//! Handing one-time secrets (a new client secret, fresh tokens) to the user on the command line,
//! so that they are never lost: a 0600 recovery copy is written the moment they arrive, then
//! they are printed (every write checked) and saved; the copy is removed only once they were
//! delivered. When nothing could take them, the last resort is standard error.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::CliError;
use crate::files::{self, SaveError};
pub use crate::output::StdoutTarget;

/// The moment a one-time secret arrives, before anything is drawn or printed: its 0600
/// recovery copy (`credentials-….json`, `bot-….json`, `tokens-….json`), removed only once it
/// is stored. Both front ends keep what arrives through this.
pub fn keep_on_arrival(
    recovery_dir: &Path,
    what: crate::webex::OneTime,
    bytes: &[u8],
) -> Result<PathBuf, SaveError> {
    files::save_recovery(recovery_dir, what.kept_stem(), "json", bytes)
}

/// How printing went, and where it went.
pub struct Printed {
    pub result: io::Result<()>,
    pub target: StdoutTarget,
}

/// A one-time secret on its way to the user.
pub struct Handover<'a> {
    /// `credentials`, `bot` or `tokens`: names the recovery file and the messages.
    what: &'static str,
    /// What the answer carried, for the error when nothing could be saved.
    carried: crate::webex::OneTime,
    /// The whole secret-bearing JSON, as the recovery copy holds it.
    keep: &'a [u8],
    recovery: Result<PathBuf, SaveError>,
}

impl<'a> Handover<'a> {
    /// Write the recovery copy of `keep` now, before anything else can fail.
    pub fn start(recovery_dir: &Path, carried: crate::webex::OneTime, keep: &'a [u8]) -> Self {
        let recovery = keep_on_arrival(recovery_dir, carried, keep);
        Handover {
            what: carried.kept_stem(),
            carried,
            keep,
            recovery,
        }
    }

    /// Where the recovery copy is, if it could be written.
    pub fn recovery(&self) -> Option<&Path> {
        self.recovery.as_deref().ok()
    }

    /// Print `text` on standard output, checking every write and the flush (and, for a file,
    /// that it reached the disk). Whether the text is then known to be delivered depends on
    /// where standard output goes: see [`Printed`].
    pub fn print(&self, text: &str) -> Printed {
        let target = crate::output::stdout_target();
        let result = if target == StdoutTarget::Closed {
            Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "standard output is closed",
            ))
        } else {
            let mut out = io::stdout().lock();
            writeln!(out, "{text}")
                .and_then(|()| out.flush())
                .and_then(|()| crate::output::sync_stdout_file(target))
        };
        Printed { result, target }
    }

    /// Finish: `printed` is how printing went (None: nothing was to be printed), `saved` how
    /// saving went (None: no file was asked for). The recovery copy goes once the secret
    /// reached the user; otherwise it stays and standard error says where, or, when there is
    /// none, holds the secret itself as the last resort.
    pub fn finish(
        self,
        printed: Option<&Printed>,
        saved: Option<Result<PathBuf, SaveError>>,
    ) -> Result<(), CliError> {
        let print_failed = printed.and_then(|p| p.result.as_ref().err());
        let save_failed = saved.as_ref().and_then(|s| s.as_ref().err());
        let saved_to = saved.as_ref().and_then(|s| s.as_ref().ok());
        let mut err = io::stderr();
        let failed = print_failed.is_some() || save_failed.is_some();
        if !failed {
            // Printed into a pipe (or /dev/null) without a file to show for it: nobody can tell
            // whether the reader kept the secret (`| head -1` reads it and throws it away).
            let unconfirmed =
                printed.as_ref().is_some_and(|p| !p.target.confirms()) && saved_to.is_none();
            match (&self.recovery, unconfirmed) {
                (Ok(path), true) => {
                    let _ = writeln!(
                        err,
                        "Standard output is not a terminal or a file, so webex-wizard can't tell whether the {} reached you: a 0600 copy stays in {} until you delete it (or use --save).",
                        self.what,
                        path.display()
                    );
                }
                (Ok(path), false) => {
                    let _ = std::fs::remove_file(path);
                }
                (Err(_), _) => {}
            }
            return Ok(());
        }
        match (&self.recovery, saved_to) {
            (recovery, Some(path)) if save_failed.is_none() => {
                let _ = writeln!(
                    err,
                    "The {} could not be printed, but they are saved in {} (mode 0600).",
                    self.what,
                    path.display()
                );
                if let Ok(copy) = recovery {
                    let _ = std::fs::remove_file(copy);
                }
            }
            (Ok(path), _) => {
                let _ = writeln!(
                    err,
                    "The {} are kept in {} (mode 0600): store them from there.",
                    self.what,
                    path.display()
                );
            }
            (Err(e), _) => {
                // Nothing on disk holds them: standard error is the last resort.
                let _ = writeln!(
                    err,
                    "warning: the {} could not be delivered or kept ({e}). Here they are; store them now, they are kept nowhere else:",
                    self.what
                );
                let _ = err.write_all(self.keep);
                let _ = writeln!(err);
            }
        }
        match (print_failed, saved) {
            (Some(e), _) => Err(CliError::Output(io::Error::new(e.kind(), e.to_string()))),
            (None, Some(Err(error))) => Err(CliError::SavedNothing {
                what: self.carried,
                error,
            }),
            _ => Ok(()),
        }
    }
}

/// An answer that could not be read may hold a one-time secret or tokens: keep it in a 0600
/// recovery file named for what it carries, and say where (or that it could not be kept).
/// Other errors pass through.
pub fn keep_raw_answer(
    recovery_dir: &Path,
    error: crate::webex::WebexError,
) -> crate::webex::WebexError {
    use crate::webex::WebexError;
    match error {
        WebexError::UnreadableSecretAnswer {
            what,
            status,
            detail,
            raw,
        } => {
            let saved_to = files::save_recovery(recovery_dir, what.file_stem(), "txt", &raw.0)
                .map_err(|e| e.to_string());
            WebexError::SecretAnswerKept {
                what,
                status,
                detail,
                saved_to,
                raw,
            }
        }
        other => other,
    }
}
