//! The standard streams: what standard output is, making a file on it durable, and the streams
//! a parent left closed.

/// Standard output is a regular file (`> file`), not a pipe, terminal or device.
pub fn stdout_is_regular_file() -> bool {
    // SAFETY: fstat fills the struct it is given for a descriptor that is open (0 to 2 always
    // are, see guard_standard_streams).
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    unsafe { libc::fstat(1, &raw mut stat) == 0 && stat.st_mode & libc::S_IFMT == libc::S_IFREG }
}

/// Make what was written to standard output reach the disk.
pub fn sync_stdout() -> std::io::Result<()> {
    // SAFETY: fsync on an open descriptor.
    if unsafe { libc::fsync(1) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// At start-up: fill any standard stream that is closed with /dev/null, so that a file opened
/// later never takes its number, and say whether standard output was closed when the program
/// started. Rust's runtime puts /dev/null, opened read-write, on a closed standard stream
/// before `main`, so a standard output that is /dev/null opened read-write was closed (a
/// shell's `>/dev/null` opens it write-only).
pub fn guard_standard_streams() -> bool {
    let mut stdout_closed = false;
    for fd in 0..=2 {
        // SAFETY: fcntl and fstat only ask about the descriptor; open and dup2 take valid
        // arguments and their results are checked.
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if flags == -1 {
            stdout_closed |= fd == 1;
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
            stdout_closed = true;
        }
    }
    stdout_closed
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

/// Ask on the controlling terminal (`/dev/tty`) with echo off, as `ssh` and `age` do: the
/// line typed, or `None` without a terminal.
pub fn read_hidden_line(prompt: &str) -> Option<String> {
    use std::io::{BufRead, Write};
    use std::os::fd::AsRawFd;
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    let fd = tty.as_raw_fd();
    // SAFETY: termios is plain data; tcgetattr fills it for a descriptor we own.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: `fd` is open for the whole block; `saved` is a valid termios.
    if unsafe { libc::tcgetattr(fd, &raw mut saved) } != 0 {
        return None;
    }
    let mut quiet = saved;
    quiet.c_lflag &= !libc::ECHO;
    quiet.c_lflag |= libc::ECHONL;
    // SAFETY: as above; the settings are put back before returning.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &raw const quiet) };
    let mut out = &tty;
    let _ = out.write_all(prompt.as_bytes());
    let _ = out.flush();
    let mut line = String::new();
    let read = std::io::BufReader::new(&tty).read_line(&mut line);
    // SAFETY: restores what tcgetattr read.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &raw const saved) };
    read.ok()?;
    Some(line)
}
