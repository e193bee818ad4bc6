//! Issue 23: the token radar (`tokens`) and `refresh --due`, end to end on the sandbox.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common;

use common::{Home, create_and_authorize, expose, run, wizard};

/// Move a saved tokens file's refresh token expiry to `days` from now.
fn refresh_expires_in(path: &Path, days: i64) {
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let when = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    v["refreshTokenExpiresAt"] = when
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
        .into();
    std::fs::write(path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
}

/// An integration created and authorized on `sandbox`, its credentials and tokens where the
/// wizard keeps them (the data folder's credentials and tokens folders).
fn kept(sandbox: &common::Sandbox, home: &Home, name: &str) -> PathBuf {
    let (creds, tokens) = create_and_authorize(sandbox, home, &["spark:people_read"]);
    let folder = home.data().join("credentials");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::rename(&creds, folder.join(format!("{name}.json"))).unwrap();
    let tokens_folder = home.data().join("tokens");
    std::fs::create_dir_all(&tokens_folder).unwrap();
    let to = tokens_folder.join(format!("{name}.json"));
    std::fs::rename(&tokens, &to).unwrap();
    to
}

fn statuses(home: &Home) -> Vec<(String, String)> {
    let r = run(wizard(home).args(["tokens", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    rows.iter()
        .map(|r| {
            (
                r["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                r["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn tokens_shows_what_is_due_and_refresh_due_refreshes_it_once() {
    if common::missing(&["curl"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let soon = kept(&sandbox, &home, "soon");
    let fine = kept(&sandbox, &home, "fine");
    refresh_expires_in(&soon, 3);
    refresh_expires_in(&fine, 50);
    assert_eq!(
        statuses(&home),
        [
            ("fine.json".to_owned(), "ok".to_owned()),
            ("soon.json".to_owned(), "refresh soon".to_owned())
        ]
    );
    // The table says it in words, and never shows a token.
    let table = run(wizard(&home).arg("tokens"));
    assert!(
        table.stdout.contains("refresh soon") && table.stdout.contains("(in 3 days)"),
        "{}",
        table.stdout
    );
    let secret: serde_json::Value = serde_json::from_slice(&std::fs::read(&soon).unwrap()).unwrap();
    for token in ["accessToken", "refreshToken"] {
        let t = secret[token].as_str().unwrap();
        assert!(
            !table.stdout.contains(t) && !table.stderr.contains(t),
            "{token} shown"
        );
    }
    assert!(
        table.stderr.contains("webex-wizard refresh --due"),
        "{}",
        table.stderr
    );

    let before_fine = std::fs::read(&fine).unwrap();
    let due = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args(["--api-base", sandbox.base().as_str(), "refresh", "--due"]));
    assert_eq!(due.code, 0, "{}", due.stderr);
    assert!(
        due.stderr.contains("refreshed:") && due.stderr.contains("soon.json"),
        "{}",
        due.stderr
    );
    // The due file holds new tokens, 0600; the fine one is untouched.
    let after: serde_json::Value = serde_json::from_slice(&std::fs::read(&soon).unwrap()).unwrap();
    assert_ne!(after["accessToken"], secret["accessToken"]);
    assert_eq!(
        std::fs::read(&fine).unwrap(),
        before_fine,
        "a fine file was refreshed"
    );
    assert_eq!(
        std::fs::metadata(&soon).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let audit = std::fs::read_to_string(home.state().join("audit.jsonl")).unwrap();
    assert_eq!(audit.matches(r#""action":"refresh""#).count(), 1, "{audit}");
    // Nothing left in recovery: the file holds the tokens.
    let recovery = home.state().join("recovery");
    assert!(
        std::fs::read_dir(&recovery).map_or(0, Iterator::count) == 0,
        "{:?}",
        std::fs::read_dir(&recovery).unwrap().collect::<Vec<_>>()
    );
    // Quiet when nothing is due.
    let again =
        run(wizard(&home).args(["--api-base", sandbox.base().as_str(), "refresh", "--due"]));
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(!again.stderr.contains("refreshed"), "{}", again.stderr);
}

#[test]
fn a_dead_file_is_reported_and_exits_4_while_the_others_are_refreshed() {
    if common::missing(&["curl"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let soon = kept(&sandbox, &home, "soon");
    let dead = kept(&sandbox, &home, "dead");
    refresh_expires_in(&soon, 2);
    refresh_expires_in(&dead, -1);
    // doctor counts them where people look.
    let doctor = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args(["--api-base", sandbox.base().as_str(), "doctor", "--json"]));
    let report: serde_json::Value = serde_json::from_str(&doctor.stdout).unwrap();
    let saved = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "saved tokens")
        .unwrap();
    assert_eq!(saved["data"]["due"], 1, "{saved}");
    assert_eq!(saved["data"]["dead"], 1, "{saved}");
    let before = std::fs::read(&soon).unwrap();
    let r = run(wizard(&home).args(["--api-base", sandbox.base().as_str(), "refresh", "--due"]));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains("dead:") && r.stderr.contains("dead.json"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("authorize again"), "{}", r.stderr);
    assert_ne!(
        std::fs::read(&soon).unwrap(),
        before,
        "the due one was not refreshed"
    );
}

#[test]
fn two_runs_at_once_refresh_each_file_once() {
    if common::missing(&["curl"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let soon = kept(&sandbox, &home, "soon");
    refresh_expires_in(&soon, 1);
    let start = || {
        common::bare(&home)
            .args(["--api-base", sandbox.base().as_str(), "refresh", "--due"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (start(), start());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let audit = std::fs::read_to_string(home.state().join("audit.jsonl")).unwrap();
    assert_eq!(audit.matches(r#""action":"refresh""#).count(), 1, "{audit}");
}

/// The printed schedule: its units verify, and its `ExecStart` line, run as systemd would run
/// it (no terminal, no options), refreshes a due file.
#[test]
fn the_schedules_units_verify_and_their_exec_start_refreshes_a_due_file() {
    if common::missing(&["curl", "systemd-analyze"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let soon = kept(&sandbox, &home, "soon");
    refresh_expires_in(&soon, 2);
    let printed = run(wizard(&home).args(["tokens", "schedule", "--print"]));
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    // Split the two units where their headers say.
    let units = home.path().join("units");
    std::fs::create_dir_all(&units).unwrap();
    let mut current: Option<PathBuf> = None;
    let mut texts: std::collections::BTreeMap<PathBuf, String> = std::collections::BTreeMap::new();
    for line in printed.stdout.lines() {
        if let Some(name) = line.strip_prefix("# ~/.config/systemd/user/") {
            current = Some(units.join(name));
            continue;
        }
        if line.starts_with("# Install") {
            current = None;
        }
        if let Some(c) = &current {
            let text = texts.entry(c.clone()).or_default();
            text.push_str(line);
            text.push('\n');
        }
    }
    assert_eq!(texts.len(), 2, "{}", printed.stdout);
    for (path, text) in &texts {
        std::fs::write(path, text).unwrap();
    }
    assert!(
        texts
            .values()
            .any(|t| t.contains("Persistent=true") && t.contains("OnCalendar=daily"))
    );
    let runtime = home.path().join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    let verify = std::process::Command::new("systemd-analyze")
        .env("XDG_RUNTIME_DIR", &runtime)
        .args(["verify", "--user"])
        .args(texts.keys())
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    // ExecStart="PATH" refresh --due, run the way systemd would: no terminal, stdin closed.
    let exec = printed
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .unwrap();
    let (program, rest) = exec.trim_start_matches('"').split_once('"').unwrap();
    let before = std::fs::read(&soon).unwrap();
    let out = std::process::Command::new(program)
        .args(rest.split_whitespace())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(
        std::fs::read(&soon).unwrap(),
        before,
        "ExecStart refreshed nothing"
    );
}

/// The sandbox keeps a refresh token's 60 days like Webex: each refresh restarts them, and one
/// left unused past them is refused (`invalid_grant`); `refresh --due` then reports it.
#[test]
fn the_sandbox_keeps_the_refresh_tokens_60_days() {
    if common::missing(&["curl"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let file = kept(&sandbox, &home, "app");
    let day = std::time::Duration::from_secs(24 * 3600);
    let refresh = || {
        run(wizard(&home).args([
            "--api-base",
            sandbox.base().as_str(),
            "refresh",
            "--due",
            "--within",
            "3",
        ]))
    };
    // Day 58: within the window, refreshed; that restarts the 60 days.
    sandbox.advance_clock(58 * day);
    refresh_expires_in(&file, 2);
    let r = refresh();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("refreshed:"), "{}", r.stderr);
    // 58 more days: still alive, because the refresh restarted its clock.
    sandbox.advance_clock(58 * day);
    refresh_expires_in(&file, 2);
    let r = refresh();
    assert_eq!(r.code, 0, "{}", r.stderr);
    // 61 days unused: Webex (and the sandbox) refuse it, whatever the file says.
    sandbox.advance_clock(61 * day);
    refresh_expires_in(&file, 2);
    let r = refresh();
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains("invalid_grant") || r.stderr.contains("invalid or expired"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("not refreshed:"), "{}", r.stderr);
}

/// A rotation proves the new secret: the newest saved refresh token of the client is refreshed
/// with it, and the command says the new secret works.
#[test]
fn rotation_proves_the_new_secret_with_the_saved_refresh_token() {
    if common::missing(&["curl"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let file = kept(&sandbox, &home, "app");
    let before = std::fs::read(&file).unwrap();
    let r = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args([
            "--api-base",
            sandbox.base().as_str(),
            "rotate-secret",
            "Scoped",
            "--yes",
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("The new secret works"), "{}", r.stderr);
    assert_ne!(
        std::fs::read(&file).unwrap(),
        before,
        "the tokens were not refreshed"
    );
    // Without a saved refresh token it says how to check instead (a sandbox of its own).
    let sandbox = common::approving_sandbox();
    let other = Home::new();
    let (_, _) = create_and_authorize(&sandbox, &other, &["spark:people_read"]);
    let r = run(wizard(&other)
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args([
            "--api-base",
            sandbox.base().as_str(),
            "rotate-secret",
            "Scoped",
            "--yes",
        ]));
    assert!(r.stderr.contains("No saved refresh token"), "{}", r.stderr);
}

/// A rotation hands the new secret to the same people as the last hand-off (their public keys,
/// as the audit trail recorded them), and `list`, `show` and `tokens` say when each secret was
/// last set.
#[test]
fn handoff_again_reaches_the_last_recipients_and_the_secrets_age_is_shown() {
    if common::missing(&["curl", "age-keygen", "age"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    kept(&sandbox, &home, "app");
    let admin = |args: &[&str]| {
        run(wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
            .args(["--api-base", sandbox.base().as_str()])
            .args(args))
    };
    // Before any hand-off, --handoff-again is refused and nothing is rotated.
    let refused = admin(&["rotate-secret", "Scoped", "--yes", "--handoff-again"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("nothing was rotated"),
        "{}",
        refused.stderr
    );
    // A hand-off of the credentials to a developer's key...
    let (key, recipient) = common::age_key(home.path());
    let creds = home.data().join("credentials/app.json");
    let first = run(wizard(&home)
        .args(["handoff", "--credentials"])
        .arg(&creds)
        .args(["--to", &recipient, "--out"])
        .arg(home.path().join("first.age")));
    assert_eq!(first.code, 0, "{}", first.stderr);
    // ...then a rotation hands the new secret to the same key.
    let save = home.path().join("rotated.json");
    let rotated = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args([
            "--api-base",
            sandbox.base().as_str(),
            "rotate-secret",
            "Scoped",
            "--yes",
            "--handoff-again",
            "--save",
        ])
        .arg(&save));
    assert_eq!(rotated.code, 0, "{}", rotated.stderr);
    assert!(
        rotated.stderr.contains("goes again to"),
        "{}",
        rotated.stderr
    );
    let sealed = home.path().join("rotated.json.age");
    let opened = std::process::Command::new("age")
        .args(["-d", "-i"])
        .arg(&key)
        .arg(&sealed)
        .output()
        .unwrap();
    assert!(
        opened.status.success(),
        "{}",
        String::from_utf8_lossy(&opened.stderr)
    );
    let new_secret: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&save).unwrap()).unwrap();
    let handed: serde_json::Value = serde_json::from_slice(&opened.stdout).unwrap();
    assert_eq!(handed["clientSecret"], new_secret["clientSecret"]);
    // The secret's age: the rotation's time, in show, list and tokens.
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let show = admin(&["show", "Scoped"]);
    assert!(
        show.stdout.contains("Secret set") && show.stdout.contains(&today),
        "{}",
        show.stdout
    );
    let list = admin(&["list"]);
    assert!(
        list.stdout.contains("SECRET SET") && list.stdout.contains(&today),
        "{}",
        list.stdout
    );
    let tokens = run(wizard(&home).args(["tokens", "--json"]));
    assert!(
        tokens.stdout.contains("\"secretSetAt\": \"") && tokens.stdout.contains(&today),
        "{}",
        tokens.stdout
    );
}

/// `refresh --due --identity KEY` refreshes with credentials kept only as a hand-off (age).
#[test]
fn refresh_due_reads_encrypted_credentials_with_identity() {
    if common::missing(&["curl", "age-keygen"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let file = kept(&sandbox, &home, "app");
    refresh_expires_in(&file, 2);
    // Only the hand-off is left, under the name the wizard gives it (short client ID).
    let plain = home.data().join("credentials/app.json");
    let creds: serde_json::Value = serde_json::from_slice(&std::fs::read(&plain).unwrap()).unwrap();
    let short: String = creds["clientId"]
        .as_str()
        .unwrap()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect();
    let (key, recipient) = common::age_key(home.path());
    let sealed = home
        .data()
        .join(format!("credentials/scoped-{short}.json.age"));
    let r = run(wizard(&home)
        .args(["handoff", "--credentials"])
        .arg(&plain)
        .args(["--to", &recipient, "--out"])
        .arg(&sealed));
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::remove_file(&plain).unwrap();
    let due = || {
        let mut cmd = wizard(&home);
        cmd.args(["--api-base", sandbox.base().as_str(), "refresh", "--due"]);
        cmd
    };
    let without = run(&mut due());
    assert_eq!(without.code, 4, "{}", without.stderr);
    assert!(
        without.stderr.contains("no saved credentials"),
        "{}",
        without.stderr
    );
    let before = std::fs::read(&file).unwrap();
    let with = run(due().arg("--identity").arg(&key));
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert_ne!(std::fs::read(&file).unwrap(), before);
}

/// Walk findings: after a rotation saved beside the old file, refresh --due uses the newest
/// credentials (the living secret); nonsense options are refused, not ignored.
#[test]
fn refresh_due_uses_the_newest_credentials_and_refuses_what_it_would_ignore() {
    if common::missing(&["curl"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let file = kept(&sandbox, &home, "app");
    let newer = home.data().join("credentials/zz-rotated.json");
    let rotated = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args([
            "--api-base",
            sandbox.base().as_str(),
            "rotate-secret",
            "Scoped",
            "--yes",
            "--save",
        ])
        .arg(&newer));
    assert_eq!(rotated.code, 0, "{}", rotated.stderr);
    // Make the old file (the dead secret) newer by name order, older by time: time decides.
    refresh_expires_in(&file, 2);
    let r = run(wizard(&home).args([
        "-v",
        "--api-base",
        sandbox.base().as_str(),
        "refresh",
        "--due",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("zz-rotated.json"), "{}", r.stderr);
    for bad in [
        vec!["refresh", "--due", "--within", "3000000"],
        vec!["refresh", "--due", "--dir", "/nonexistent-folder"],
        vec!["refresh", "--due", "--credentials", "x.json"],
        vec!["tokens", "--within", "3000000"],
        vec!["tokens", "--dir", "/nonexistent-folder"],
    ] {
        let r = run(wizard(&home).args(&bad));
        assert_eq!(r.code, 2, "{bad:?}: {}", r.stderr);
    }
}
