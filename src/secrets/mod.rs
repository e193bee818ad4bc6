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
    let sealed = sealed::encrypt(plain, recipients, false).map_err(|e| SaveError::Io {
        path: PathBuf::from(default_name),
        source: std::io::Error::other(e),
    })?;
    match near {
        // Beside a file the user named: exactly that name with `.age`, never a numbered one.
        Some(p) => {
            let out = sealed::default_out(p);
            crate::files::write_new_private(&out, &sealed)?;
            Ok(out)
        }
        // In the data folder: a name taken by an earlier hand-off (a rotation) gets a number.
        None => crate::files::write_new_private_in(
            &dirs.credentials(),
            &format!("{default_name}.age"),
            &sealed,
        ),
    }
}

/// The recipients' public keys, for the audit line (`--handoff-again` reads them back).
pub fn public_keys(recipients: &[Recipient]) -> Vec<String> {
    recipients.iter().map(|r| r.public.clone()).collect()
}

/// The recipients' fingerprints (public), for messages and the audit line.
pub fn fingerprints(recipients: &[Recipient]) -> Vec<&str> {
    recipients.iter().map(|r| r.fingerprint.as_str()).collect()
}
