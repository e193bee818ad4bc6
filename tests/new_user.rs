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

#[test]
fn a_fedramp_create_warns_of_scopes_fedramp_lacks_and_a_demo_dry_run_says_where_its_curl_goes() {
    let home = Home::new();
    let r = run(wizard(&home).args([
        "--demo",
        "create",
        "--dry-run",
        "--name",
        "Calls",
        "--description",
        "d",
        "--contact-email",
        "a@agency.example.gov",
        "--redirect-url",
        "http://localhost:8080/cb",
        "--scope",
        "spark:calls_read",
        "--scope",
        "spark:people_read",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("'spark:calls_read' is not offered on FedRAMP"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("'spark:people_read' is not offered"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("webex-wizard sandbox"), "{}", r.stderr);
    // Commercial Webex offers it: no warning there.
    let r = run(wizard(&home).args([
        "--demo",
        "--env",
        "commercial",
        "create",
        "--dry-run",
        "--name",
        "Calls",
        "--description",
        "d",
        "--contact-email",
        "a@agency.example.gov",
        "--redirect-url",
        "http://localhost:8080/cb",
        "--scope",
        "spark:calls_read",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("not offered on FedRAMP"), "{}", r.stderr);
}
