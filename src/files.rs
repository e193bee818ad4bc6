//! Private files: folders 0700, files 0600, written atomically, never overwritten silently.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where credentials and tokens are kept when no path is given: files (0600, the default, so
/// that timers, scripts and hand-offs find them without a keyring session) or the OS keyring.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Store {
    #[default]
    File,
    Keyring,
}

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

/// What a path that names the OS keyring starts with: `keyring:NAME` stands for a credentials,
/// tokens or bot file kept there instead of on disk (`./keyring:x` is a file of that name).
pub const KEYRING_PREFIX: &str = "keyring:";
/// The keyring service such documents are filed under (the admin login has its own accounts).
const DOCUMENT_SERVICE: &str = "webex-wizard";

/// The keyring entry `path` names, if it is `keyring:NAME`.
pub fn keyring_name(path: &Path) -> Option<&str> {
    path.to_str()?.strip_prefix(KEYRING_PREFIX)
}

/// A usable entry name: letters, digits, `.`, `_`, `-`; at most 100 characters.
fn check_keyring_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'keyring:{name}': name a keyring entry with letters, digits, '.', '_' or '-' (at most 100)"
        ))
    }
}

/// The keyring account of a document called `name`.
fn document_account(name: &str) -> String {
    format!("document {name}")
}

/// Read a credentials, tokens or hand-off document: a file (at most `limit` bytes), or the
/// keyring entry `keyring:NAME` names.
pub fn read_document(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let Some(name) = keyring_name(path) else {
        return crate::platform::read_limited(path, limit);
    };
    check_keyring_name(name).map_err(io::Error::other)?;
    match crate::platform::keyring::get(DOCUMENT_SERVICE, &document_account(name)) {
        Ok(Some(bytes)) if bytes.len() as u64 <= limit => Ok(bytes),
        Ok(Some(_)) => Err(io::Error::other("the keyring entry is too large")),
        Ok(None) => Err(io::Error::new(
            io::ErrorKind::NotFound,
            "no such entry in the OS keyring",
        )),
        Err(e) => Err(io::Error::other(e.to_string())),
    }
}

/// Keep `bytes` as the new keyring entry `name`; never replaces one (as files are never
/// overwritten), and never falls back to a file.
fn write_new_in_keyring(path: &Path, name: &str, bytes: &[u8]) -> Result<(), SaveError> {
    check_keyring_name(name).map_err(|e| SaveError::io(path, io::Error::other(e)))?;
    let account = document_account(name);
    match crate::platform::keyring::get(DOCUMENT_SERVICE, &account) {
        Ok(Some(_)) => return Err(SaveError::Exists(path.to_owned())),
        Ok(None) => {}
        Err(e) => return Err(SaveError::io(path, io::Error::other(e.to_string()))),
    }
    crate::platform::keyring::set(DOCUMENT_SERVICE, &account, bytes.to_vec())
        .map_err(|e| SaveError::io(path, io::Error::other(e.to_string())))
}

/// Write a new 0600 file atomically; fails with [`SaveError::Exists`] rather than overwrite.
/// `keyring:NAME` keeps it in the OS keyring instead.
pub fn write_new_private(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    if let Some(name) = keyring_name(path) {
        return write_new_in_keyring(path, name, bytes);
    }
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
    write_first_free(
        |n| match n {
            1 => dir.join(name),
            n => dir.join(format!("{stem}-{n}{ext}")),
        },
        bytes,
    )
}

/// Write `bytes` to the first of `place(1)`, `place(2)`, … that is free (up to 999); never
/// over anything.
fn write_first_free(place: impl Fn(usize) -> PathBuf, bytes: &[u8]) -> Result<PathBuf, SaveError> {
    for n in 1..1000 {
        let path = place(n);
        match write_new_private(&path, bytes) {
            Err(SaveError::Exists(_)) => {}
            other => return other.map(|()| path),
        }
    }
    Err(SaveError::Exists(place(1)))
}

/// Save a document with a default name: as [`write_new_private_in`] in `dir`, or, with the
/// keyring as the store, as the entry `keyring:STEM` (`STEM-2`, … when taken). With the keyring
/// chosen and none usable, it fails: never a file instead.
pub fn write_new_default(
    store: Store,
    dir: &Path,
    name: &str,
    bytes: &[u8],
) -> Result<PathBuf, SaveError> {
    if store == Store::File {
        return write_new_private_in(dir, name, bytes);
    }
    let stem = name.strip_suffix(".json").unwrap_or(name);
    write_first_free(
        |n| match n {
            1 => PathBuf::from(format!("{KEYRING_PREFIX}{stem}")),
            n => PathBuf::from(format!("{KEYRING_PREFIX}{stem}-{n}")),
        },
        bytes,
    )
}

/// Where a document was saved, for a message: `PATH (mode 0600)`, or `keyring:NAME (in the OS
/// keyring)`.
pub fn saved_where(path: &Path) -> String {
    if keyring_name(path).is_some() {
        format!("{} (in the OS keyring)", path.display())
    } else {
        format!("{} (mode 0600)", path.display())
    }
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
    if let Some(name) = keyring_name(path) {
        // The keyring must be there, and the name free: never a file instead.
        check_keyring_name(name)?;
        return match crate::platform::keyring::get(DOCUMENT_SERVICE, &document_account(name)) {
            Ok(None) => Ok(()),
            Ok(Some(_)) => Err(format!(
                "{} already exists; webex-wizard never overwrites a saved entry",
                path.display()
            )),
            Err(e) => Err(format!(
                "{e}; webex-wizard never writes a secret to a file instead of the keyring"
            )),
        };
    }
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
