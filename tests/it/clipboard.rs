//! A copy counts only when a clipboard tool took the text and exited 0 (issue 10, item 2).
//! The session (where programs are, which display is set) is given, not the process's own.

use std::os::unix::fs::PermissionsExt;

use secrecy::SecretString;
use webex_wizard::clipboard::{Desktop, copy_with};

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
    // Only our xclip on the search path, and an X display but no Wayland one.
    let desktop = Desktop {
        path: dir.path().as_os_str().to_owned(),
        wayland: false,
        x11: true,
    };
    write_tool(0);
    let secret = SecretString::from("s3cr3t-value".to_owned());
    assert_eq!(copy_with(&secret, &desktop), Some("xclip"));
    assert_eq!(std::fs::read_to_string(&got).unwrap(), "s3cr3t-value");
    assert!(
        !std::fs::read_to_string(&args).unwrap().contains("s3cr3t"),
        "the secret went through argv"
    );
    write_tool(1);
    assert_eq!(
        copy_with(&secret, &desktop),
        None,
        "a failing tool is no copy"
    );
    // No tool at all: nothing to vouch for.
    std::fs::remove_file(&tool).unwrap();
    assert_eq!(copy_with(&secret, &desktop), None);
}
