//! Everything specific to the operating system, and nothing else: opening the files a user
//! names without following links where that matters, without blocking on a FIFO or a hung
//! device, and with a cap on what is read; private (0600/0700) files and folders; locks; the
//! hidden prompt and the kind of standard output (`stdio`); signals; finding a program on
//! `PATH`; starting a browser. The rest of the program is portable Rust that calls these.
//!
//! Only the Unix implementation exists (built and tested on Linux, and meant for macOS too).

#[cfg(not(unix))]
compile_error!(
    "webex-wizard has only a Unix platform layer (src/platform/): private files and folders (modes 0600/0700, O_NOFOLLOW), file locks, the hidden prompt (termios), the kind of standard output (fstat), signals (SIGINT/SIGTERM/SIGHUP) and executable lookup on PATH need an implementation for this OS"
);

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

pub mod browser;
pub mod keyring;
pub mod signals;
pub mod stdio;

/// What a file we read may hold at most, by kind.
pub mod limits {
    /// A token, a secret, a key or a list of recipients.
    pub const SECRET: u64 = 64 * 1024;
    /// A credentials, tokens, hand-off, draft or JSON form file.
    pub const DOCUMENT: u64 = 4 * 1024 * 1024;
    /// A PEM bundle of CA certificates (a full system bundle is about 250 KiB).
    pub const CA_BUNDLE: u64 = 16 * 1024 * 1024;
    /// The audit trail and the sandbox's state.
    pub const TRAIL: u64 = 256 * 1024 * 1024;
}

/// Read the whole of `path`, a regular file, holding at most `limit` bytes. A FIFO, a device,
/// a socket or a folder is refused at once (opened non-blocking, so a FIFO with no writer
/// can't hang us); a larger file is refused instead of read until memory runs out. A link is
/// followed: what counts is what it points to.
pub fn read_limited(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is not a regular file (a FIFO, device, socket or folder); give a file, or '-' for standard input where that is offered",
        ));
    }
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    read_capped(file, limit)
}

/// Open `path` for reading only if it is a regular file, never through a link and never
/// waiting on a FIFO or device (for reading the end of our own append-only files).
pub fn open_regular(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)?;
    if !file.metadata()?.file_type().is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is not a regular file",
        ));
    }
    Ok(file)
}

/// Read at most `limit` bytes from `from`; more is an error.
pub fn read_capped(from: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    from.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

fn too_large(limit: u64) -> io::Error {
    let size = if limit >= 1024 * 1024 {
        format!("{} MiB", limit / (1024 * 1024))
    } else {
        format!("{} KiB", limit / 1024)
    };
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("it is larger than {size}, more than a file of this kind holds"),
    )
}

/// Open `path` for appending, creating it 0600: never through a symbolic link, never
/// blocking (a FIFO or hung device is refused, not waited for), only a regular file owned by
/// this user; one that others may read or write is made 0600 first.
pub fn open_private_append(path: &Path) -> Result<File, String> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => "it is a symbolic link; give the real path".to_owned(),
            Some(libc::ENXIO) => "it is a FIFO or device, not a regular file".to_owned(),
            _ => e.to_string(),
        })?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.file_type().is_file() {
        return Err("it is not a regular file".into());
    }
    if meta.uid() != effective_user() {
        return Err("it belongs to another user".into());
    }
    if meta.mode() & 0o077 != 0 {
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| e.to_string())?;
    }
    Ok(file)
}

/// Take an exclusive lock on `path` (created 0600, never through a link), waiting for another
/// process that holds it; the lock lasts as long as the returned file is open.
pub fn lock_exclusive(path: &Path) -> io::Result<File> {
    use std::os::fd::AsRawFd;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)?;
    loop {
        // SAFETY: the descriptor is open for the duration of the call.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
            return Ok(file);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Create `dir` and its missing parents, each new folder 0700.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Make the folder `dir` (followed if a link: check first) accessible to its owner only.
pub fn make_dir_private(dir: &Path) -> io::Result<()> {
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Make an open file readable and writable by its owner only (0600).
pub fn make_private(file: &File) -> io::Result<()> {
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

/// The first executable file called `program` in a folder of `search` (a `PATH` value).
pub fn find_program_in(program: &str, search: &std::ffi::OsStr) -> Option<std::path::PathBuf> {
    std::env::split_paths(search)
        .map(|dir| dir.join(program))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// The first executable file called `program` in a folder of `PATH`.
pub fn find_program(program: &str) -> Option<std::path::PathBuf> {
    find_program_in(program, &std::env::var_os("PATH")?)
}

/// Where this system keeps its trusted certificate authorities: the CA bundle file and the
/// certificate folders (`SSL_CERT_DIR`, else the usual places), as OpenSSL would find them.
pub fn system_ca_locations() -> (Option<std::path::PathBuf>, Vec<std::path::PathBuf>) {
    let probe = openssl_probe::probe();
    (probe.cert_file, probe.cert_dir)
}

/// `a` and `b` are the same file (followed through links).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// This process's effective user ID.
pub fn effective_user() -> u32 {
    // SAFETY: geteuid has no preconditions and can't fail.
    unsafe { libc::geteuid() }
}

/// This machine's host name (for syslog's HOSTNAME), or `None` when it can't be told.
pub fn hostname() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates within it or fails.
    if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } != 0 {
        return None;
    }
    let end = buf.iter().position(|b| *b == 0)?;
    String::from_utf8(buf[..end].to_vec())
        .ok()
        .filter(|h| !h.is_empty())
}

/// Send `message` to the unix socket at `path`: as one datagram (what `/dev/log` and rsyslog's
/// imuxsock take), else over a stream connection.
pub fn send_to_unix_socket(path: &Path, message: &[u8]) -> io::Result<()> {
    use std::os::unix::net::{UnixDatagram, UnixStream};
    let datagram = UnixDatagram::unbound().and_then(|s| s.send_to(message, path).map(drop));
    if datagram.is_ok() {
        return Ok(());
    }
    let mut stream = UnixStream::connect(path)?;
    std::io::Write::write_all(&mut stream, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_at_once_and_a_large_file_is_not_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string and mode.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_limited(&fifo, limits::SECRET).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert!(open_private_append(&fifo).unwrap_err().contains("FIFO"));

        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 2000]).unwrap();
        let e = read_limited(&big, 1024).unwrap_err();
        assert!(e.to_string().contains("larger than 1 KiB"), "{e}");
        assert_eq!(read_limited(&big, 2000).unwrap().len(), 2000);
        // A device that never ends is refused without reading it.
        assert!(read_limited(Path::new("/dev/zero"), limits::DOCUMENT).is_err());
        assert!(read_capped(std::io::repeat(b'x'), 10).is_err());
    }

    #[test]
    fn appending_refuses_links_and_fixes_a_loose_mode() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("bashrc");
        std::fs::write(&target, "echo hi\n").unwrap();
        let link = dir.path().join("audit.jsonl");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(
            open_private_append(&link)
                .unwrap_err()
                .contains("symbolic link")
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "echo hi\n");

        let loose = dir.path().join("loose.jsonl");
        std::fs::write(&loose, "").unwrap();
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o666)).unwrap();
        open_private_append(&loose).unwrap();
        let mode = std::fs::metadata(&loose).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
