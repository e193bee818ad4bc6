//! The API bases a secret may be sent to without asking: Webex's own environments, and those
//! this user chose on this machine (with `--api-base`, or the `--demo` sandbox), recorded like
//! SSH's known hosts in a 0600 file of the state folder. A credentials, tokens or hand-off file
//! names an `apiBase`, but anyone can write a file: its base is followed only when it is one
//! of these, so a crafted file can't send a secret elsewhere.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::env::{COMMERCIAL_BASE, FEDRAMP_BASE};
use crate::types::ApiBase;

/// The record's file name in the state folder.
const FILE_NAME: &str = "known-api-bases";

pub fn path(state: &Path) -> PathBuf {
    state.join(FILE_NAME)
}

/// Whether a secret may go to `base` without the user naming it again.
pub fn is_known(state: &Path, base: &ApiBase) -> bool {
    if [FEDRAMP_BASE, COMMERCIAL_BASE].contains(&base.as_str()) {
        return true;
    }
    let Ok(bytes) = crate::platform::read_limited(&path(state), crate::platform::limits::DOCUMENT)
    else {
        return false;
    };
    String::from_utf8_lossy(&bytes)
        .lines()
        .any(|line| line.trim() == base.as_str())
}

/// Record `base` as chosen by this user (once).
pub fn remember(state: &Path, base: &ApiBase) -> Result<(), String> {
    if is_known(state, base) {
        return Ok(());
    }
    crate::files::ensure_private_dir(state).map_err(|e| e.to_string())?;
    let mut file = crate::platform::open_private_append(&path(state))?;
    writeln!(file, "{}", base.as_str()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn webex_is_known_and_a_chosen_base_is_remembered_once() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let fedramp = ApiBase::parse(FEDRAMP_BASE).unwrap();
        let mine = ApiBase::parse("https://proxy.agency.example.gov/v1").unwrap();
        assert!(is_known(&state, &fedramp));
        assert!(!is_known(&state, &mine));
        remember(&state, &mine).unwrap();
        remember(&state, &mine).unwrap();
        assert!(is_known(&state, &mine));
        let text = std::fs::read_to_string(path(&state)).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        let mode = std::fs::metadata(path(&state))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        // A prefix or a longer base is another base.
        let longer = ApiBase::parse("https://proxy.agency.example.gov/v1/x").unwrap();
        assert!(!is_known(&state, &longer));
    }
}
