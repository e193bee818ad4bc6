//! Issue 20: what a new user tripped over, end to end with the real binary.

use crate::common;

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
    let dry_run = |env: &str, scopes: &[&str]| {
        let mut cmd = wizard(&home);
        cmd.args([
            "--demo",
            "--env",
            env,
            "create",
            "--dry-run",
            "--name",
            "Calls",
        ])
        .args([
            "--description",
            "d",
            "--contact-email",
            "a@agency.example.gov",
        ])
        .args(["--redirect-url", "http://localhost:8080/cb"]);
        for s in scopes {
            cmd.args(["--scope", s]);
        }
        run(&mut cmd)
    };
    let r = dry_run("fedramp", &["spark:calls_read", "spark:people_read"]);
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
    let r = dry_run("commercial", &["spark:calls_read"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("not offered on FedRAMP"), "{}", r.stderr);
}

#[test]
fn every_audit_line_names_its_actor_and_list_names_the_creator() {
    let sandbox = common::sandbox();
    let home = Home::new();
    let admin = |args: &[&str]| {
        run(wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", common::expose(sandbox.admin_token()))
            .args(["--api-base", sandbox.base().as_str()])
            .args(args))
    };
    let made = home.path().join("made.json");
    let mut create = common::good_flags();
    create.push("--save");
    let made_s = made.to_str().unwrap().to_owned();
    create.push(&made_s);
    assert_eq!(admin(&create).code, 0);
    let client_id = serde_json::from_slice::<serde_json::Value>(&std::fs::read(&made).unwrap())
        .unwrap()["clientId"]
        .as_str()
        .unwrap()
        .to_owned();
    // The creator is the admin, by e-mail, not the base64 every Webex ID starts with.
    let listed = admin(&["list"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(
        listed.stdout.contains("admin@sandbox.example.gov"),
        "{}",
        listed.stdout
    );
    for args in [
        vec!["update", "Audit Reader", "--description", "Reads it all"],
        vec!["rotate-secret", "Audit Reader", "--yes"],
        vec![
            "authorizations",
            "revoke",
            "--client-id",
            &client_id,
            "--yes",
        ],
        vec!["delete", "Audit Reader", "--yes"],
    ] {
        let r = admin(&args);
        assert!(r.code == 0 || r.code == 3, "{args:?}: {}", r.stderr);
    }
    let audit = run(wizard(&home).args(["audit", "--json"]));
    let lines: Vec<serde_json::Value> = serde_json::from_str(&audit.stdout).unwrap();
    assert_eq!(lines.len(), 5, "{lines:?}");
    for line in &lines {
        assert_eq!(
            line["actor"]["email"], "admin@sandbox.example.gov",
            "no actor: {line}"
        );
    }
    // The text view keeps the client ID whole.
    let text = run(wizard(&home).arg("audit"));
    assert!(text.stdout.contains(&client_id), "{}", text.stdout);
}

#[test]
fn a_second_application_of_the_same_name_is_warned_of_before_it_is_sent() {
    let sandbox = common::sandbox();
    let home = Home::new();
    let create = || {
        run(wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", common::expose(sandbox.admin_token()))
            .args(["--api-base", sandbox.base().as_str()])
            .args(common::good_flags()))
    };
    let first = create();
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(!first.stderr.contains("exists already"), "{}", first.stderr);
    let second = create();
    assert_eq!(second.code, 0, "{}", second.stderr);
    let warned = second.stderr.find("exists already").unwrap();
    let sent = second.stderr.find("Creating the integration").unwrap();
    assert!(warned < sent, "warned after sending: {}", second.stderr);
}

#[test]
fn the_recovery_command_lists_shows_and_removes_after_confirming() {
    let home = Home::new();
    // Printed into a pipe without --save: nobody can tell it was kept, so a copy stays.
    for name in ["First", "Second"] {
        let r = run(wizard(&home).args([
            "--demo",
            "create",
            "--name",
            name,
            "--description",
            "d",
            "--contact-email",
            "a@agency.example.gov",
            "--redirect-url",
            "http://localhost:8080/cb",
            "--scope",
            "spark:people_read",
        ]));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let listed = run(wizard(&home).args(["recovery", "--json"]));
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&listed.stdout).unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["kind"], "credentials");
    assert!(
        rows[0]["apiBase"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    let shown = run(wizard(&home).args(["recovery", "--show", "1"]));
    assert!(shown.stdout.contains("clientSecret"), "{}", shown.stdout);
    // Without a terminal, removing needs --yes; nothing goes before.
    let refused = run(wizard(&home).args(["recovery", "--remove", "1"]));
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(std::path::Path::new(rows[0]["path"].as_str().unwrap()).exists());
    let removed = run(wizard(&home).args(["recovery", "--remove-all", "--yes"]));
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    let empty = run(wizard(&home).arg("recovery"));
    assert!(empty.stdout.contains("Nothing is kept"), "{}", empty.stdout);
}

#[tokio::test]
async fn recovered_credentials_say_which_of_how_many_and_for_which_webex() {
    let root = tempfile::tempdir().unwrap();
    let dirs = common::tui::dirs_in(root.path());
    std::fs::create_dir_all(dirs.recovery()).unwrap();
    for (n, id) in [(1, "C-one"), (2, "C-two")] {
        std::fs::write(
            dirs.recovery().join(format!("credentials-2026120{n}T000000Z-00000{n}.json")),
            format!(
                r#"{{"format":"webex-wizard.credentials.v1","apiBase":"https://api-usgov.webex.com/v1","clientId":"{id}","clientSecret":"s","name":"App {n}"}}"#
            ),
        )
        .unwrap();
    }
    let mut h = common::tui::Harness::new("https://api-usgov.webex.com/v1", None, dirs);
    h.launch().await;
    let screen = h.screen(120, 40);
    assert!(screen.contains("(1 of 2)"), "{screen}");
    assert!(screen.contains("api-usgov.webex.com"), "{screen}");
}

#[test]
fn what_opening_the_browser_did_is_said_as_it_was() {
    let home = Home::new();
    let authorize = |browser: Option<&str>| {
        let redirect = format!("http://127.0.0.1:{}/cb", common::free_port());
        let mut cmd = wizard(&home);
        if let Some(b) = browser {
            cmd.env("BROWSER", b);
        }
        run(cmd
            .args([
                "--demo",
                "--timeout",
                "1",
                "authorize",
                "--redirect-url",
                &redirect,
            ])
            .args(["--scope", "spark:people_read"]))
    };
    // A browser command that fails: said so, with its exit status, not "opened".
    let failed = authorize(Some("false"));
    assert!(
        failed
            .stderr
            .contains("No browser was opened here (ran false, which failed (exit 1))"),
        "{}",
        failed.stderr
    );
    // No $BROWSER and no display: nothing is run, and the reason is given.
    let headless = authorize(None);
    assert!(
        headless.stderr.contains("no display"),
        "{}",
        headless.stderr
    );
}

#[test]
fn help_has_no_stray_backticks_anywhere() {
    let home = Home::new();
    for args in [
        vec!["--help"],
        vec!["create", "--help"],
        vec!["authorize", "--help"],
        vec!["refresh", "--help"],
        vec!["authorizations", "revoke", "--help"],
        vec!["bot", "create", "--help"],
        vec!["sandbox", "--help"],
        vec!["recovery", "--help"],
    ] {
        let r = run(wizard(&home).args(&args));
        assert_eq!(r.code, 0, "{args:?}");
        assert!(!r.stdout.contains('`'), "{args:?}:\n{}", r.stdout);
    }
}

/// Walk finding (issue 20, item 17): a `--demo` line said "custom API base", and a hand-off of
/// a file saved on the sandbox was logged as `FedRAMP`. Each line names where it happened.
#[test]
fn audit_lines_name_the_demo_sandbox_and_a_hand_offs_own_base() {
    if common::missing(&["age-keygen"]) {
        return;
    }
    let home = Home::new();
    let made = home.path().join("made.json");
    let mut create = vec!["--demo"];
    create.extend(common::good_flags());
    create.push("--save");
    let made_s = made.to_str().unwrap().to_owned();
    create.push(&made_s);
    let r = run(wizard(&home).args(&create));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, recipient) = common::age_key(home.path());
    let r = run(wizard(&home).args(["handoff", "--credentials", &made_s, "--to", &recipient]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let audit = run(wizard(&home).args(["audit", "--json"]));
    let lines: Vec<serde_json::Value> = serde_json::from_str(&audit.stdout).unwrap();
    let saved_base = serde_json::from_slice::<serde_json::Value>(&std::fs::read(&made).unwrap())
        .unwrap()["apiBase"]
        .clone();
    let of = |action: &str| {
        lines
            .iter()
            .find(|l| l["action"] == action)
            .unwrap_or_else(|| panic!("no {action} line: {lines:?}"))
    };
    assert_eq!(
        of("create")["environment"],
        "embedded sandbox (offline demo)"
    );
    assert_eq!(of("create")["apiBase"], saved_base);
    // The hand-off sends nothing: it names the base its file was saved for.
    assert_eq!(of("handoff")["apiBase"], saved_base, "{lines:?}");
    assert_ne!(
        of("handoff")["environment"],
        "Webex for Government (FedRAMP)"
    );
}

/// Walk finding: `--demo` ignored `--token-file` without a word.
#[test]
fn demo_says_it_does_not_use_a_token_file() {
    let home = Home::new();
    let token = home.path().join("token");
    std::fs::write(&token, "some-admin-token").unwrap();
    let r = run(wizard(&home)
        .args(["--demo", "--token-file"])
        .arg(&token)
        .arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("--token-file is not used with --demo"),
        "{}",
        r.stderr
    );
}
