//! The one-time secret survives standard output that can't take it (issue 10, item 1): a full
//! disk, a closed stdout, a closed pipe, a pipe that may throw it away, and a recovery folder
//! that can't be written either.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Home, expose, good_flags, sandbox};

fn recovery_files(home: &Home) -> Vec<PathBuf> {
    std::fs::read_dir(home.state().join("recovery"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

/// The binary with the test's clean environment, as a plain `Command` (for odd stdouts).
fn create_command(home: &Home, sb: &common::Sandbox) -> Command {
    let mut cmd = common::bare(home);
    cmd.env("WEBEX_ADMIN_TOKEN", expose(sb.admin_token()))
        .args(["--api-base", sb.base().as_str()])
        .args(good_flags());
    cmd
}

fn assert_kept(home: &Home, stderr: &str) {
    let kept = recovery_files(home);
    assert_eq!(kept.len(), 1, "{kept:?}\n{stderr}");
    let text = std::fs::read_to_string(&kept[0]).unwrap();
    assert!(text.contains("\"clientSecret\""), "{text}");
    assert_eq!(
        std::fs::metadata(&kept[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(stderr.contains(&kept[0].display().to_string()), "{stderr}");
}

#[test]
fn a_full_disk_on_stdout_keeps_the_secret_and_exits_4() {
    let home = Home::new();
    let sb = sandbox();
    let out = create_command(&home, &sb)
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert_kept(&home, &stderr);
}

#[test]
fn a_closed_stdout_keeps_the_secret_and_exits_4() {
    if common::missing(&["sh"]) {
        return;
    }
    let home = Home::new();
    let sb = sandbox();
    // The shell closes standard output (>&-) and runs the same command line.
    let out = common::through_shell(&create_command(&home, &sb), "exec >&-;")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("standard output is closed"), "{stderr}");
    assert_kept(&home, &stderr);
}

#[test]
fn a_closed_pipe_never_panics_keeps_the_secret_and_exits_4() {
    let home = Home::new();
    let sb = sandbox();
    for json in [false, true] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut cmd = create_command(&home, &sb);
        if json {
            cmd.arg("--json");
        }
        let out = cmd.stdout(writer).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.contains("Broken pipe"), "{stderr}");
    }
    assert_eq!(recovery_files(&home).len(), 2);
}

#[test]
fn a_pipe_that_reads_may_still_lose_it_so_the_copy_stays_until_saved() {
    let home = Home::new();
    let sb = sandbox();
    let out = create_command(&home, &sb).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_kept(&home, &stderr);
    assert!(stderr.contains("can't tell"), "{stderr}");
    // With --save the file is the delivery: no copy is left behind.
    let home = Home::new();
    let saved = home.path().join("c.json");
    let out = create_command(&home, &sb)
        .arg("--save")
        .arg(&saved)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(saved.exists());
    assert!(recovery_files(&home).is_empty());
}

#[test]
fn a_terminal_or_file_on_stdout_is_delivery_and_leaves_no_copy() {
    let home = Home::new();
    let sb = sandbox();
    let file = home.path().join("out.txt");
    let out = create_command(&home, &sb)
        .stdout(std::fs::File::create(&file).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("Client secret:")
    );
    assert!(recovery_files(&home).is_empty());
}

#[test]
fn when_nothing_can_keep_it_the_secret_goes_to_stderr_as_the_last_resort() {
    let home = Home::new();
    let sb = sandbox();
    // A file where the state folder should be: no folder can be made there, not even by root.
    let blocked: &Path = &home.path().join("state");
    std::fs::write(blocked, "not a folder").unwrap();
    let out = create_command(&home, &sb)
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("kept nowhere else"), "{stderr}");
    assert!(stderr.contains("\"clientSecret\""), "{stderr}");
}

#[test]
fn tokens_into_a_full_stdout_are_kept_too() {
    if common::missing(&["curl"]) {
        return;
    }
    let home = Home::new();
    let redirect = format!("http://127.0.0.1:{}/callback", common::free_port());
    let out = common::bare(&home)
        .env("BROWSER", common::following_browser(home.path()))
        .args(["--demo", "authorize", "--redirect-url", &redirect])
        .args(["--scope", "spark:people_read", "--json"])
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    let kept: Vec<PathBuf> = recovery_files(&home)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("tokens")
        })
        .collect();
    assert_eq!(kept.len(), 1, "{stderr}");
    assert!(
        std::fs::read_to_string(&kept[0])
            .unwrap()
            .contains("\"refreshToken\"")
    );
}

/// Walk finding (issue 20, item 20): `--help` and `--version` into a full disk exited 0 with
/// nothing written; one rule for standard output everywhere: 4.
#[test]
fn help_and_version_that_cannot_be_written_exit_4() {
    let home = Home::new();
    for flag in ["--help", "--version"] {
        let out = common::bare(&home)
            .arg(flag)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(4), "{flag}");
        let shown = common::bare(&home).arg(flag).output().unwrap();
        assert_eq!(shown.status.code(), Some(0), "{flag}");
        assert!(!shown.stdout.is_empty(), "{flag}");
    }
}
