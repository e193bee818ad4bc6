//! Private files: folders 0700, files 0600, written atomically, never overwritten silently.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a private file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{} already exists; choose another path (webex-wizard never overwrites a saved file)", .0.display())]
    Exists(PathBuf),
    #[error("could not write {}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// Why a file the user named could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("could not read {}: {source}", .path.display())]
    Read { path: PathBuf, source: io::Error },
    /// It was read, but is not what it should be.
    #[error("{0}")]
    Invalid(String),
    /// It needs something only a terminal can give (an SSH key's passphrase), and there is none.
    #[error("{0}")]
    NoTerminal(String),
}

impl SaveError {
    fn io(path: &Path, source: io::Error) -> Self {
        SaveError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// Refuse a folder that is a symbolic link: following it would put secrets (and a chmod)
/// wherever it points.
pub fn refuse_symlink(dir: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => Err(io::Error::other(format!(
            "{} is a symbolic link; webex-wizard keeps secrets only in a real folder (remove the link, or point XDG_STATE_HOME / XDG_DATA_HOME elsewhere)",
            dir.display()
        ))),
        _ => Ok(()),
    }
}

/// Create `dir` (and parents) as 0700 and make sure `dir` itself is 0700; a `dir` that is a
/// symbolic link is refused.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    refuse_symlink(dir)?;
    crate::platform::create_private_dir(dir)?;
    refuse_symlink(dir)?;
    crate::platform::make_dir_private(dir)
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn write_temp(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, SaveError> {
    let dir = parent_of(path);
    // tempfile creates the file 0600 before anything is written to it.
    let mut temp = tempfile::Builder::new()
        .prefix(".webex-wizard-")
        .tempfile_in(dir)
        .map_err(|e| SaveError::io(path, e))?;
    crate::platform::make_private(temp.as_file()).map_err(|e| SaveError::io(path, e))?;
    temp.write_all(bytes).map_err(|e| SaveError::io(path, e))?;
    temp.as_file()
        .sync_all()
        .map_err(|e| SaveError::io(path, e))?;
    Ok(temp)
}

fn sync_dir(dir: &Path) {
    // Best effort: makes the rename durable; not all file systems allow it.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Write a new 0600 file atomically; fails with [`SaveError::Exists`] rather than overwrite.
pub fn write_new_private(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    if path.exists() {
        return Err(SaveError::Exists(path.to_owned()));
    }
    let temp = write_temp(path, bytes)?;
    temp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            SaveError::Exists(path.to_owned())
        } else {
            SaveError::io(path, e.error)
        }
    })?;
    sync_dir(parent_of(path));
    Ok(())
}

/// Write a new 0600 file called `name` in the private folder `dir` (created 0700), or, when
/// that name is taken (a rotated secret beside the old one's file), `stem-2.ext`, `stem-3.ext`,
/// …: a default name never blocks a save, and no file is ever overwritten.
pub fn write_new_private_in(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, SaveError> {
    ensure_private_dir(dir).map_err(|e| SaveError::io(dir, e))?;
    let (stem, ext) = name.split_at(name.find('.').unwrap_or(name.len()));
    for n in 1..1000 {
        let path = if n == 1 {
            dir.join(name)
        } else {
            dir.join(format!("{stem}-{n}{ext}"))
        };
        match write_new_private(&path, bytes) {
            Err(SaveError::Exists(_)) => {}
            other => return other.map(|()| path),
        }
    }
    Err(SaveError::Exists(dir.join(name)))
}

/// Replace a 0600 file atomically (for drafts and state that we own).
pub fn replace_private(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let temp = write_temp(path, bytes)?;
    temp.persist(path)
        .map_err(|e| SaveError::io(path, e.error))?;
    sync_dir(parent_of(path));
    Ok(())
}

/// A name made safe for a file name: lower-case letters, digits and single dashes, at most
/// 40 characters; `fallback` when nothing is left.
pub fn slug(name: &str, fallback: &str) -> String {
    let dashed: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = dashed
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        fallback.to_owned()
    } else {
        slug.chars().take(40).collect()
    }
}

/// A timestamp for file names: `20261124T154300Z`.
pub fn file_stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    now.format(&format).unwrap_or_else(|_| "now".into())
}

/// Save bytes to a new 0600 file in a 0700 `dir`, under a unique name; returns its path.
pub fn save_recovery(
    dir: &Path,
    prefix: &str,
    ext: &str,
    bytes: &[u8],
) -> Result<PathBuf, SaveError> {
    ensure_private_dir(dir).map_err(|e| SaveError::io(dir, e))?;
    let path = dir.join(format!(
        "{prefix}-{}-{:06x}.{ext}",
        file_stamp(),
        rand::random::<u32>() & 0xff_ffff
    ));
    write_new_private(&path, bytes)?;
    Ok(path)
}

/// Refuse early, before anything is sent, what saving to `path` would refuse later: a path
/// that exists (a dangling symbolic link included), a missing folder, a folder that can't be
/// written (tried for real, with a temporary file).
pub fn check_can_create(path: &Path) -> Result<(), String> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(format!(
                "{} is a symbolic link; webex-wizard never writes through one",
                path.display()
            ));
        }
        Ok(_) => {
            return Err(format!(
                "{} already exists; webex-wizard never overwrites a saved file",
                path.display()
            ));
        }
        Err(_) => {}
    }
    let dir = parent_of(path);
    if !dir.is_dir() {
        return Err(format!("the folder {} does not exist", dir.display()));
    }
    tempfile::Builder::new()
        .prefix(".webex-wizard-check-")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| format!("the folder {} can't be written: {e}", dir.display()))
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_private_files_are_0600_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("creds.json");
        write_new_private(&path, b"one").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert!(matches!(
            write_new_private(&path, b"two"),
            Err(SaveError::Exists(_))
        ));
        assert_eq!(fs::read(&path).unwrap(), b"one");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn recovery_files_live_in_a_0700_folder() {
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join("state/recovery");
        let a = save_recovery(&rec, "x", "txt", b"a").unwrap();
        let b = save_recovery(&rec, "x", "txt", b"b").unwrap();
        assert_ne!(a, b);
        assert_eq!(mode(&rec), 0o700);
        assert_eq!(mode(&a), 0o600);
    }

    #[test]
    fn symlinked_folders_and_dangling_links_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        fs::set_permissions(&elsewhere, fs::Permissions::from_mode(0o755)).unwrap();
        let link = dir.path().join("state");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let err = ensure_private_dir(&link).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(mode(&elsewhere), 0o755, "the link's target was chmod'ed");

        let dangling = dir.path().join("creds.json");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        let err = check_can_create(&dangling).unwrap_err();
        assert!(err.contains("symbolic link"), "{err}");
        // A file where the folder should be: no folder to write in.
        let blocked = dir.path().join("file");
        fs::write(&blocked, "x").unwrap();
        assert!(check_can_create(&blocked.join("c.json")).is_err());
    }

    #[test]
    fn a_taken_default_name_gets_a_number_and_nothing_is_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let first = write_new_private_in(dir.path(), "app-C1.json", b"old").unwrap();
        let second = write_new_private_in(dir.path(), "app-C1.json", b"new").unwrap();
        let third = write_new_private_in(dir.path(), "app-C1.json.age", b"sealed").unwrap();
        let fourth = write_new_private_in(dir.path(), "app-C1.json.age", b"sealed2").unwrap();
        assert_eq!(first.file_name().unwrap(), "app-C1.json");
        assert_eq!(second.file_name().unwrap(), "app-C1-2.json");
        assert_eq!(third.file_name().unwrap(), "app-C1.json.age");
        assert_eq!(fourth.file_name().unwrap(), "app-C1-2.json.age");
        assert_eq!(fs::read(&first).unwrap(), b"old");
        assert_eq!(mode(&second), 0o600);
    }

    #[test]
    fn replace_private_overwrites_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("draft.json");
        replace_private(&path, b"one").unwrap();
        replace_private(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(mode(&path), 0o600);
    }
}
