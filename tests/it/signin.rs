//! `login`, `status`, `logout` against a real Secret Service (gnome-keyring in its own D-Bus
//! session, read back with `secret-tool`), and the refusals where there is no keyring.

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{self, Home, expose, get_json, missing, sandbox, wizard};

/// Run `script` (bash) inside a fresh D-Bus session with an unlocked gnome-keyring, HOME at
/// `home`; its standard output and standard error.
fn in_keyring_session(home: &Home, script: &str) -> (String, String) {
    let program = format!(
        "set -u\nprintf 'webex-wizard-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1\n{script}"
    );
    let out = Command::new("dbus-run-session")
        .args(["--", "bash", "-c", &program])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("NO_COLOR", "1")
        .env("W", env!("CARGO_BIN_EXE_webex-wizard"))
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_holding(dir: &std::path::Path, needle: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path)
                .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes()))
            {
                found.push(path);
            }
        }
    }
    found
}

#[test]
fn login_keeps_the_token_in_a_real_keyring_and_commands_use_it() {
    if missing(&["dbus-run-session", "gnome-keyring-daemon", "secret-tool"]) {
        return;
    }
    let sandbox = sandbox();
    let home = Home::new();
    let token = expose(sandbox.admin_token());
    let token_file = home.path().join("token.txt");
    std::fs::write(&token_file, format!("{token}\n")).unwrap();
    let base = sandbox.base().to_string();
    let account = format!("admin-token {base}");
    let script = format!(
        r#"
echo "== login"; "$W" --api-base {base} login --with-token < {file}; echo "exit $?"
rm {file}
echo "== lookup"; secret-tool lookup service webex-wizard username '{account}'; echo; echo "exit $?"
echo "== status"; "$W" --api-base {base} status --json; echo "exit $?"
echo "== create"; "$W" --api-base {base} create --from {example} -v >/dev/null 2>create.err; echo "exit $?"; grep -c 'OS keyring' create.err
echo "== logout"; "$W" --api-base {base} logout; echo "exit $?"
echo "== lookup after"; secret-tool lookup service webex-wizard username '{account}'; echo "exit $?"
echo "== status after"; "$W" --api-base {base} status; echo "exit $?"
"#,
        file = token_file.display(),
        example = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/example-integration.json"
        ),
    );
    let (stdout, stderr) =
        in_keyring_session(&home, &format!("cd {}\n{script}", home.path().display()));
    let out = format!("{stdout}\n--- stderr ---\n{stderr}");
    let section = |name: &str| section_of(&stdout, name);
    assert!(section("login").ends_with("exit 0"), "{out}");
    // Read back from outside: the entry is there, holding the token (with its facts).
    let kept = section("lookup");
    assert!(kept.contains(&token), "{out}");
    let kept: serde_json::Value =
        serde_json::from_str(kept.lines().next().unwrap_or_default()).unwrap();
    assert_eq!(kept["apiBase"], base.as_str());
    assert_eq!(kept["person"], "Sandbox Admin <admin@sandbox.example.gov>");
    let status = section("status");
    assert!(status.ends_with("exit 0"), "{out}");
    let status: serde_json::Value =
        serde_json::from_str(status.trim_end_matches("exit 0").trim()).unwrap();
    assert_eq!(status["signedIn"], true);
    assert_eq!(status["inUse"], true);
    assert_eq!(status["expired"], false);
    assert!(
        status.to_string().find(&token).is_none(),
        "status shows the token"
    );
    // create worked with no token variable and no --token-file, and said where it came from.
    let create = section("create");
    assert!(create.starts_with("exit 0"), "{out}");
    assert_eq!(create.lines().nth(1), Some("1"), "{out}");
    let (_, apps) = get_json(&format!("{base}/applications"), &token);
    assert_eq!(apps["items"].as_array().map(Vec::len), Some(1), "{apps}");
    assert!(section("logout").ends_with("exit 0"), "{out}");
    assert!(!section("lookup after").contains(&token), "{out}");
    assert!(section("status after").ends_with("exit 1"), "{out}");
    // Nothing on disk ever held the token in plaintext (the token file was removed first;
    // gnome-keyring's own file is encrypted).
    assert_eq!(
        files_holding(home.path(), &token),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn an_expired_login_is_reported_and_never_sent() {
    if missing(&["dbus-run-session", "gnome-keyring-daemon", "secret-tool"]) {
        return;
    }
    let sandbox = sandbox();
    let home = Home::new();
    let token = expose(sandbox.admin_token());
    let base = sandbox.base().to_string();
    // What login writes, twelve hours old.
    let entry = serde_json::json!({
        "format": "webex-wizard.admin-login.v1",
        "apiBase": base,
        "token": token,
        "expiresAt": "2026-01-01T00:00:00Z",
        "expiryKnown": true,
        "person": "Sandbox Admin <admin@sandbox.example.gov>",
        "personId": "p",
        "orgId": null,
        "savedAt": "2025-12-31T12:00:00Z",
    });
    let entry_file = home.path().join("entry.json");
    std::fs::write(&entry_file, entry.to_string()).unwrap();
    let script = format!(
        r#"
secret-tool store --label test service webex-wizard username 'admin-token {base}' < {file}; rm {file}
echo "== create"; "$W" --api-base {base} create --from {example}; echo "exit $?"
echo "== status"; "$W" --api-base {base} status; echo "exit $?"
"#,
        file = entry_file.display(),
        example = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/example-integration.json"
        ),
    );
    let (stdout, stderr) = in_keyring_session(&home, &script);
    let out = format!("{stdout}\n{stderr}");
    assert!(out.contains("expired at 2026-01-01T00:00:00"), "{out}");
    assert!(out.contains("nothing was sent"), "{out}");
    assert!(out.contains("EXPIRED"), "{out}");
    // Webex (the sandbox) got nothing.
    let (_, apps) = get_json(&format!("{base}/applications"), &token);
    assert_eq!(apps["items"].as_array().map(Vec::len), Some(0), "{apps}");
}

#[test]
fn with_no_keyring_login_refuses_and_writes_nothing() {
    let sandbox = sandbox();
    let home = Home::new();
    let token = expose(sandbox.admin_token());
    // No D-Bus session at all (a cleared environment): a headless machine.
    let mut login = Command::new(env!("CARGO_BIN_EXE_webex-wizard"))
        .args([
            "--api-base",
            &sandbox.base().to_string(),
            "login",
            "--with-token",
        ])
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Whether or not it reads it, the token is offered on standard input.
    let _ = login
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{token}\n").as_bytes());
    let out = login.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no OS keyring is usable here"), "{stderr}");
    assert!(
        stderr.contains("never keeps the admin token in a plaintext file"),
        "{stderr}"
    );
    assert_eq!(
        files_holding(home.path(), &token),
        Vec::<std::path::PathBuf>::new()
    );
    // status says so too, and exits 1.
    let status = wizard(&home)
        .args([
            "--api-base",
            &sandbox.base().to_string(),
            "status",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(json["signedIn"], false);
    assert!(
        json["keyringError"].as_str().unwrap().contains("D-Bus"),
        "{json}"
    );
    // And a command with no token says how to give one, the keyring included.
    let create = wizard(&home)
        .args(["--api-base", &sandbox.base().to_string()])
        .args(crate::common::good_flags())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&create.stderr);
    assert_eq!(create.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no admin token"), "{stderr}");
}

#[test]
fn login_is_not_for_the_demo_sandbox() {
    let home = Home::new();
    let out = wizard(&home).args(["--demo", "login"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--demo always uses"));
}

/// Issue 24 item 2: credentials and tokens kept in the keyring (`keyring:NAME` wherever a path
/// goes, `--store keyring` for the default place), read back by the commands that need them,
/// and nowhere on disk.
#[test]
fn credentials_and_tokens_live_in_the_keyring_and_are_read_from_there() {
    if missing(&["dbus-run-session", "gnome-keyring-daemon", "secret-tool"]) {
        return;
    }
    let sandbox = common::sandbox_with(common::SandboxConfig {
        auto_approve: true,
        device_interval: 1,
        ..common::SandboxConfig::default()
    });
    let home = Home::new();
    let admin = home.path().join("admin.txt");
    std::fs::write(&admin, expose(sandbox.admin_token())).unwrap();
    let base = sandbox.base().to_string();
    let script = format!(
        r#"
cd {home}
echo "== create"; "$W" --api-base {base} --token-file {admin} create --name Kept --description d --contact-email a@agency.example.gov --redirect-url http://localhost:8080/callback --scope spark:people_read --device-login --save keyring:kept; echo "exit $?"
rm {admin}
echo "== lookup"; secret-tool lookup service webex-wizard username 'document kept'; echo
echo "== authorize"; "$W" --api-base {base} authorize --device --credentials keyring:kept --save keyring:kept-tokens; echo "exit $?"
echo "== refresh"; "$W" --api-base {base} refresh --credentials keyring:kept --refresh-token-file keyring:kept-tokens --save keyring:kept-refreshed; echo "exit $?"
echo "== default"; "$W" --api-base {base} --store keyring authorize --device --credentials keyring:kept 2>&1 | grep 'Saved the tokens'; echo "exit $?"
echo "== again"; "$W" --api-base {base} authorize --device --credentials keyring:kept --save keyring:kept-tokens; echo "exit $?"
echo "== tokens"; secret-tool lookup service webex-wizard username 'document kept-refreshed'; echo
"#,
        home = home.path().display(),
        admin = admin.display(),
    );
    let (stdout, stderr) = in_keyring_session(&home, &script);
    let out = format!("{stdout}\n--- stderr ---\n{stderr}");
    let section = |name: &str| section_of(&stdout, name);
    assert!(section("create").ends_with("exit 0"), "{out}");
    assert!(
        stderr.contains("Saved the client ID and secret to keyring:kept (in the OS keyring)"),
        "{out}"
    );
    let kept: Value =
        serde_json::from_str(&section("lookup")).unwrap_or_else(|e| panic!("{e}: {out}"));
    let secret = kept["clientSecret"]
        .as_str()
        .unwrap_or_else(|| panic!("{out}"))
        .to_owned();
    assert!(section("authorize").ends_with("exit 0"), "{out}");
    assert!(section("refresh").ends_with("exit 0"), "{out}");
    let default = section("default");
    assert!(
        default.contains("Saved the tokens to keyring:tokens-"),
        "{out}"
    );
    // Never overwritten: a second save to a taken name is refused.
    assert!(!section("again").ends_with("exit 0"), "{out}");
    assert!(
        stderr.contains("keyring:kept-tokens already exists"),
        "{out}"
    );
    let tokens: Value =
        serde_json::from_str(&section("tokens")).unwrap_or_else(|e| panic!("{e}: {out}"));
    let access = tokens["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{out}"))
        .to_owned();
    let (status, _) = get_json(&format!("{base}/people/me"), &access);
    assert_eq!(status, 200);
    // The secret and the tokens are nowhere on disk in plaintext (the recovery folder included).
    assert_eq!(
        files_holding(home.path(), &secret),
        Vec::<std::path::PathBuf>::new()
    );
    assert_eq!(
        files_holding(home.path(), &access),
        Vec::<std::path::PathBuf>::new()
    );
}

#[test]
fn a_keyring_save_with_no_keyring_is_refused_before_anything_is_sent() {
    let sandbox = sandbox();
    let home = Home::new();
    let token = expose(sandbox.admin_token());
    let r = crate::common::run(
        wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", &token)
            .args(["--api-base", &sandbox.base().to_string()])
            .args(crate::common::good_flags())
            .args(["--save", "keyring:nope"]),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("no OS keyring is usable here"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("never writes a secret to a file instead"),
        "{}",
        r.stderr
    );
    let r = crate::common::run(
        wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", &token)
            .args([
                "--api-base",
                &sandbox.base().to_string(),
                "--store",
                "keyring",
            ])
            .args(crate::common::good_flags()),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    // Webex (the sandbox) was never asked to create anything.
    let (_, apps) = get_json(&format!("{}/applications", sandbox.base()), &token);
    assert_eq!(apps["items"].as_array().map(Vec::len), Some(0), "{apps}");
}

/// What a script printed between `== NAME` and the next `== ` heading.
fn section_of(stdout: &str, name: &str) -> String {
    stdout
        .split(&format!("== {name}\n"))
        .nth(1)
        .and_then(|s| s.split("\n== ").next())
        .unwrap_or_default()
        .trim_end()
        .to_owned()
}
