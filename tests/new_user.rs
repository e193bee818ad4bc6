//! Issue 20: what a new user tripped over, end to end with the real binary.

mod common;

use common::{Home, run, wizard};

#[test]
fn one_exit_code_rule_everywhere() {
    let home = Home::new();
    // A full disk on standard output is exit 4 for scopes too, not 0 with nothing written.
    for json in [false, true] {
        let mut cmd = common::bare(&home);
        cmd.arg("scopes");
        if json {
            cmd.arg("--json");
        }
        let full = std::fs::File::options()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = cmd.stdout(full).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(4),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The wizard without a terminal: exit 1 ("no usable terminal"), as README's table says.
    let r = run(wizard(&home).write_stdin(""));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("needs a terminal"), "{}", r.stderr);
}
