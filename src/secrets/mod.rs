//! Everything that guards a one-time secret, shared by the wizard and the subcommands (they
//! only present it): delivering it (a 0600 recovery copy first, then print, save or copy, and
//! the recovery copy removed only once it is stored: [`delivery`]), sealing it for a developer
//! (age: [`sealed`]), and the signal shield that lets a secret on its way arrive ([`shield`]).

pub mod delivery;
pub mod sealed;
pub mod shield;

use std::path::{Path, PathBuf};

use crate::env::Dirs;
use crate::files::SaveError;
use sealed::Recipient;

/// Seal `plain` (a credentials or bot file's content) for `recipients` into a new 0600
/// `NAME.age`: beside `near` when a `--save` file was named, else as `default_name` in the
/// data folder's credentials folder (created 0700). Both front ends hand off through this.
pub fn hand_off(
    dirs: &Dirs,
    recipients: &[Recipient],
    plain: &[u8],
    near: Option<&Path>,
    default_name: &str,
) -> Result<PathBuf, SaveError> {
    let near = if let Some(p) = near {
        p.to_owned()
    } else {
        let dir = dirs.credentials();
        crate::files::ensure_private_dir(&dir).map_err(|e| SaveError::Io {
            path: dir.clone(),
            source: e,
        })?;
        dir.join(default_name)
    };
    let out = sealed::default_out(&near);
    sealed::write_for(plain, recipients, false, &out)?;
    Ok(out)
}

/// The recipients' fingerprints (public), for messages and the audit line.
pub fn fingerprints(recipients: &[Recipient]) -> Vec<&str> {
    recipients.iter().map(|r| r.fingerprint.as_str()).collect()
}
