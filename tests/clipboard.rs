//! A copy counts only when a clipboard tool took the text and exited 0 (issue 10, item 2).
//! One test in this file: it changes PATH and DISPLAY for the process.

use std::os::unix::fs::PermissionsExt;

use secrecy::SecretString;
use webex_wizard::clipboard::copy_to_system;

#[test]
fn only_a_tool_that_took_the_text_and_exited_0_counts() {
    let dir = tempfile::tempdir().unwrap();
    let got = dir.path().join("got");
    let args = dir.path().join("args");
    let tool = dir.path().join("xclip");
    let write_tool = |exit: i32| {
        std::fs::write(
            &tool,
            format!(
                "#!/bin/sh\nprintf '%s' \"$*\" > '{}'\ncat > '{}'\nexit {exit}\n",
                args.display(),
                got.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    // SAFETY: this test binary has this one test, so no other thread reads the environment.
    unsafe {
        let path = format!(
            "{}:{}",
            dir.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        std::env::set_var("PATH", path);
        std::env::set_var("DISPLAY", ":99");
        std::env::remove_var("WAYLAND_DISPLAY");
    }
    write_tool(0);
    let secret = SecretString::from("s3cr3t-value".to_owned());
    assert_eq!(copy_to_system(&secret), Some("xclip"));
    assert_eq!(std::fs::read_to_string(&got).unwrap(), "s3cr3t-value");
    assert!(
        !std::fs::read_to_string(&args).unwrap().contains("s3cr3t"),
        "the secret went through argv"
    );
    write_tool(1);
    assert_eq!(copy_to_system(&secret), None, "a failing tool is no copy");
    // No tool at all: nothing to vouch for.
    std::fs::remove_file(&tool).unwrap();
    assert_eq!(copy_to_system(&secret), None);
}
