//! Issue 19's attacks, each reproduced: crafted files that would send secrets elsewhere, an
//! audit log that would swallow the secret, keys that would hit the wrong application, files
//! that are not what they seem. Each test failed on the code before the fix.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{Action, Home, MockWebex, expose, run, wizard};
use serde_json::{Value, json};

/// A file with `value` as JSON.
fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).unwrap();
    path
}

/// A credentials file that names `base` (the attacker's) and a client ID.
fn crafted(dir: &Path, base: &str) -> PathBuf {
    write_json(
        dir,
        "crafted.json",
        &json!({
            "format": "webex-wizard.credentials.v1",
            "apiBase": base,
            "clientId": "C-crafted",
            "clientSecret": "not-the-real-one",
            "redirectUrls": ["http://127.0.0.1:8999/cb"],
            "scopes": ["spark:people_read"]
        }),
    )
}

/// A tokens file of the user's own, for `FedRAMP`.
fn my_tokens(dir: &Path) -> PathBuf {
    write_json(
        dir,
        "mine.json",
        &json!({
            "format": "webex-wizard.tokens.v1",
            "apiBase": "https://api-usgov.webex.com/v1",
            "clientId": "C-mine",
            "accessToken": "AT-mine",
            "refreshToken": "RT-mine-secret",
            "scope": "spark:people_read"
        }),
    )
}

#[test]
fn a_crafted_file_does_not_choose_where_the_refresh_token_goes() {
    let home = Home::new();
    let evil = MockWebex::start();
    let crafted = crafted(home.path(), &evil.base);
    let mine = my_tokens(home.path());
    let r = run(wizard(&home)
        .args(["refresh", "--credentials"])
        .arg(&crafted)
        .arg("--refresh-token-file")
        .arg(&mine));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--api-base"), "{}", r.stderr);
    assert!(evil.requests().is_empty(), "sent to the crafted base");

    // With the secret from the environment and only the crafted tokens file, too.
    let tokens = write_json(
        home.path(),
        "crafted-tokens.json",
        &json!({"apiBase": evil.base, "refreshToken": "RT"}),
    );
    let r = run(wizard(&home)
        .env("WEBEX_CLIENT_SECRET", "the-real-secret")
        .args(["refresh", "--client-id", "C1", "--refresh-token-file"])
        .arg(&tokens));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("neither a Webex environment nor a base you chose"),
        "{}",
        r.stderr
    );
    assert!(
        evil.requests().is_empty(),
        "the secret went to the crafted base"
    );
}

#[test]
fn a_crafted_file_does_not_get_the_real_secret_or_open_its_page() {
    let home = Home::new();
    let evil = MockWebex::start();
    let crafted = crafted(home.path(), &evil.base);
    let secret = home.path().join("real.txt");
    std::fs::write(&secret, "the-real-secret").unwrap();
    let opened = home.path().join("opened");
    let browser = common::browser_script(
        home.path(),
        &format!("echo \"$1\" > '{}'", opened.display()),
    );
    let r = run(wizard(&home)
        .env("BROWSER", &browser)
        .args(["authorize", "--credentials"])
        .arg(&crafted)
        .arg("--client-secret-file")
        .arg(&secret));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!opened.exists(), "the crafted host's page was opened");
    assert!(evil.requests().is_empty());
}

#[test]
fn a_base_chosen_once_with_api_base_is_followed_afterwards() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/access_token",
        vec![Action::json(200, r#"{"access_token":"AT-new"}"#)],
    );
    let crafted = crafted(home.path(), &mock.base);
    let tokens = write_json(
        home.path(),
        "t.json",
        &json!({"apiBase": mock.base, "refreshToken": "RT", "scope": "spark:people_read"}),
    );
    let refresh = || {
        run(wizard(&home)
            .args(["refresh", "--credentials"])
            .arg(&crafted)
            .arg("--refresh-token-file")
            .arg(&tokens)
            .arg("--json"))
    };
    assert_eq!(refresh().code, 2);
    // Chosen explicitly once (an admin's own proxy of the API, say) ...
    let chosen = run(wizard(&home)
        .args(["--api-base", &mock.base, "refresh", "--credentials"])
        .arg(&crafted)
        .arg("--refresh-token-file")
        .arg(&tokens)
        .arg("--json"));
    assert_eq!(chosen.code, 0, "{}", chosen.stderr);
    // ... the files remember their base again (issue 9's contract).
    let later = refresh();
    assert_eq!(later.code, 0, "{}", later.stderr);
    assert_eq!(mock.count("POST /v1/access_token"), 2);
}

#[test]
fn doctor_never_sends_the_admin_token_to_a_files_base() {
    let home = Home::new();
    let evil = MockWebex::start();
    let crafted = crafted(home.path(), &evil.base);
    // No --env or --api-base: doctor checks the default environment (unreachable here, which
    // fails fast), never the file's base.
    let r = run(wizard(&home)
        .timeout(Duration::from_secs(60))
        .env("WEBEX_ADMIN_TOKEN", "admin-token-secret")
        .args(["--timeout", "3", "doctor", "--json", "--credentials"])
        .arg(&crafted));
    assert!(r.code == 0 || r.code == 4, "{}", r.stderr);
    assert!(
        evil.requests().is_empty(),
        "doctor sent {:?}",
        evil.requests()
    );
}

#[test]
fn a_crafted_age_hand_off_does_not_choose_the_base_either() {
    if common::missing(&["age-keygen"]) {
        return;
    }
    let home = Home::new();
    let evil = MockWebex::start();
    let (identity, recipient) = common::age_key(home.path());
    // Anyone who knows the developer's public key can make one.
    let crafted = crafted(home.path(), &evil.base);
    let sealed = home.path().join("crafted.json.age");
    let made = run(wizard(&home)
        .args(["handoff", "--credentials"])
        .arg(&crafted)
        .args(["--to", &recipient, "--out"])
        .arg(&sealed));
    assert_eq!(made.code, 0, "{}", made.stderr);
    let r = run(wizard(&home)
        .env("WEBEX_REFRESH_TOKEN", "RT-mine-secret")
        .args(["refresh", "--credentials"])
        .arg(&sealed)
        .arg("--identity")
        .arg(&identity));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(evil.requests().is_empty());
}

#[test]
fn a_private_key_given_as_a_recipient_is_never_echoed() {
    let home = Home::new();
    let key = home.path().join("key.txt");
    std::fs::write(
        &key,
        "# created: 2026-12-01\n# public key: age1abc\nAGE-SECRET-KEY-1QQQQSECRETSECRETSECRETSECRETSECRET\n",
    )
    .unwrap();
    let creds = my_tokens(home.path());
    let r = run(wizard(&home)
        .args(["handoff", "--credentials"])
        .arg(&creds)
        .arg("--to")
        .arg(&key));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!r.stderr.contains("SECRET-KEY-1"), "{}", r.stderr);
    assert!(r.stderr.contains("PRIVATE key"), "{}", r.stderr);
    let r = run(wizard(&home).args([
        "handoff",
        "--credentials",
        creds.to_str().unwrap(),
        "--to",
        "AGE-SECRET-KEY-1QQQQSECRETSECRET",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!r.stderr.contains("SECRET-KEY-1"), "{}", r.stderr);
}

/// `create` on the sandbox with `--audit-log audit` and `--save`.
fn create_with_audit_log(home: &Home, sandbox: &common::Sandbox, audit: &Path) -> common::Run {
    let saved = home.path().join("creds.json");
    run(wizard(home)
        .timeout(Duration::from_secs(60))
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args(["--api-base", sandbox.base().as_str(), "--audit-log"])
        .arg(audit)
        .args(common::good_flags())
        .arg("--save")
        .arg(&saved))
}

#[test]
fn an_audit_log_that_is_a_fifo_or_a_link_neither_hangs_nor_swallows_the_secret() {
    let sandbox = common::sandbox();
    let home = Home::new();
    let fifo = home.path().join("audit.jsonl");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let r = create_with_audit_log(&home, &sandbox, &fifo);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("audit line could not be written"),
        "{}",
        r.stderr
    );
    let saved: Value =
        serde_json::from_slice(&std::fs::read(home.path().join("creds.json")).unwrap()).unwrap();
    assert!(saved["clientSecret"].is_string());

    let home = Home::new();
    let bashrc = home.path().join(".bashrc");
    std::fs::write(&bashrc, "alias ll='ls -l'\n").unwrap();
    let link = home.path().join("shared-audit.jsonl");
    std::os::unix::fs::symlink(&bashrc, &link).unwrap();
    let r = create_with_audit_log(&home, &sandbox, &link);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(&bashrc).unwrap(),
        "alias ll='ls -l'\n"
    );
}

/// A mock with two applications: a bot without client ID, and an integration.
fn two_apps(extra: &str) -> MockWebex {
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/applications",
        vec![Action::json(
            200,
            &format!(
                r#"{{"items":[{{"id":"B1","type":"bot","name":"Alerts"}},{{"id":"A1","type":"integration","clientId":"C1","name":"Prod Payroll"}}{extra}]}}"#
            ),
        )],
    );
    mock
}

#[test]
fn an_empty_app_key_is_a_usage_error_and_matches_nothing() {
    let home = Home::new();
    let mock = two_apps("");
    for args in [
        vec!["delete", "", "--yes"],
        vec!["delete", "  ", "--yes"],
        vec!["rotate-secret", ""],
        vec!["authorizations", "revoke", "--id", "", "--yes"],
        vec!["authorizations", "revoke", "--client-id", "", "--yes"],
    ] {
        let r = run(wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", "t")
            .args(["--api-base", &mock.base])
            .args(&args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    }
    assert!(
        mock.requests().iter().all(|r| r.method == "GET"),
        "{:?}",
        mock.requests()
    );
}

#[test]
fn a_key_that_is_one_apps_client_id_and_anothers_name_is_ambiguous() {
    let home = Home::new();
    let mock = two_apps(r#",{"id":"A2","type":"integration","clientId":"C2","name":"C1"}"#);
    let r = run(wizard(&home).env("WEBEX_ADMIN_TOKEN", "t").args([
        "--api-base",
        &mock.base,
        "delete",
        "C1",
        "--yes",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("A1") && r.stderr.contains("A2"),
        "{}",
        r.stderr
    );
    assert!(mock.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn sandbox_state_never_overwrites_a_file_that_is_not_its_own() {
    let home = Home::new();
    let mine = home.path().join("notes.txt");
    std::fs::write(&mine, "my notes\n").unwrap();
    for state in [mine.as_path(), Path::new("/dev/zero")] {
        let r = run(wizard(&home)
            .timeout(Duration::from_secs(30))
            .args(["sandbox", "--state"])
            .arg(state));
        assert_eq!(r.code, 2, "{}", r.stderr);
    }
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my notes\n");
}

#[test]
fn devices_and_fifos_given_as_files_are_refused_at_once() {
    let home = Home::new();
    let fifo = home.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let zero = Path::new("/dev/zero");
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec![
            "--demo".into(),
            "create".into(),
            "--from".into(),
            zero.into(),
        ],
        vec!["--token-file".into(), zero.into(), "list".into()],
        vec!["--token-file".into(), fifo.clone().into(), "list".into()],
        vec!["--ca-bundle".into(), zero.into(), "list".into()],
        vec![
            "authorize".into(),
            "--credentials".into(),
            fifo.clone().into(),
        ],
        vec![
            "refresh".into(),
            "--client-id".into(),
            "C1".into(),
            "--client-secret-file".into(),
            zero.into(),
            "--refresh-token-file".into(),
            fifo.clone().into(),
        ],
        vec![
            "handoff".into(),
            "--credentials".into(),
            zero.into(),
            "--to-file".into(),
            zero.into(),
        ],
        vec![
            "--demo".into(),
            "bot".into(),
            "create".into(),
            "--name".into(),
            "N".into(),
            "--bot-email".into(),
            "n@webex.bot".into(),
            "--description".into(),
            "d".into(),
            "--contact-email".into(),
            "a@agency.example.gov".into(),
            "--avatar-file".into(),
            "/dev/stdin".into(),
        ],
    ];
    for args in cases {
        let r = run(wizard(&home)
            .timeout(Duration::from_secs(30))
            .env("WEBEX_ADMIN_TOKEN", "t")
            .write_stdin(vec![0u8; 4 * 1024 * 1024])
            .args(&args));
        assert!(
            r.code != 0 && r.code != -1,
            "{args:?} ended {}: {}",
            r.code,
            r.stderr
        );
        assert!(
            r.stderr.contains("not a regular file") || r.stderr.contains("larger than"),
            "{args:?}: {}",
            r.stderr
        );
    }
}

#[test]
fn an_unusable_proxy_variable_is_refused_not_gone_around() {
    let home = Home::new();
    let r = run(wizard(&home)
        .env("HTTPS_PROXY", "ftp://bob:pw-77@proxy.agency.example.gov:21")
        .env("WEBEX_ADMIN_TOKEN", "t")
        .args(["list"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("HTTPS_PROXY"), "{}", r.stderr);
    assert!(!r.stderr.contains("pw-77"), "{}", r.stderr);
}

#[test]
fn json_output_escapes_c1_and_bidirectional_controls() {
    let home = Home::new();
    let mock = MockWebex::start();
    let name = "Payroll\u{9b}31m\u{202e}lanigiro";
    mock.on(
        "GET /v1/applications",
        vec![Action::json(
            200,
            &json!({"items": [{"id": "A1", "type": "integration", "name": name}]}).to_string(),
        )],
    );
    let r = run(wizard(&home).env("WEBEX_ADMIN_TOKEN", "t").args([
        "--api-base",
        &mock.base,
        "list",
        "--json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains('\u{9b}') && !r.stdout.contains('\u{202e}'));
    assert!(
        r.stdout.contains("\\u009b") && r.stdout.contains("\\u202e"),
        "{}",
        r.stdout
    );
    let parsed: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(parsed[0]["name"], name, "the same value");
}

#[test]
fn a_hand_off_over_an_existing_file_says_so_and_created_nothing() {
    let home = Home::new();
    let creds = crafted(home.path(), "https://api-usgov.webex.com/v1");
    let out = home.path().join("taken.age");
    std::fs::write(&out, "already here").unwrap();
    let r = run(wizard(&home)
        .args(["handoff", "--credentials"])
        .arg(&creds)
        .args([
            "--to",
            "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
        ])
        .arg("--out")
        .arg(&out));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert!(!r.stderr.contains("WAS created"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "already here");
}

#[tokio::test]
async fn the_sandbox_refuses_a_foreign_host_and_never_panics_on_an_adopted_url() {
    let sandbox = common::sandbox();
    // DNS rebinding: a page under another name reaches the loopback port.
    let client = reqwest::Client::new();
    let foreign = client
        .get(sandbox.base().join("/people/me"))
        .header("Host", "rebind.attacker.example:80")
        .bearer_auth(expose(sandbox.admin_token()))
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 421);
    // A credentials file's redirect URL that is not a URL is never adopted, and the
    // authorize endpoint answers instead of panicking.
    sandbox.adopt(
        "C-odd",
        &secrecy::SecretString::from("s"),
        &["::not a url".to_owned()],
        &["spark:people_read".to_owned()],
    );
    let mut url = url::Url::parse(&sandbox.base().authorize_url()).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", "C-odd")
        .append_pair("redirect_uri", "::not a url")
        .append_pair("response_type", "code")
        .append_pair("scope", "spark:people_read");
    let answer = client.get(url).send().await.unwrap();
    assert_eq!(answer.status(), 400);
    let me = client
        .get(sandbox.base().join("/people/me"))
        .bearer_auth(expose(sandbox.admin_token()))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200, "the sandbox is still up");
}

#[test]
fn two_demo_processes_keep_each_others_integrations() {
    use std::io::{BufRead, BufReader};
    let home = Home::new();
    // One long-lived sandbox process on the demo state file, started first ...
    let state = home.state().join("demo-sandbox.json");
    std::fs::create_dir_all(state.parent().unwrap()).unwrap();
    let mut first = common::bare(&home)
        .args(["sandbox", "--state"])
        .arg(&state)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(first.stdout.take().unwrap()).lines();
    let base = lines.next().unwrap().unwrap();
    let token = lines.next().unwrap().unwrap();
    let base = base.trim_start_matches("API base:").trim().to_owned();
    let token = token.trim_start_matches("Admin token:").trim().to_owned();
    let create = |name: &str| {
        let mut cmd = wizard(&home);
        cmd.args(["create", "--name", name])
            .args([
                "--description",
                "d",
                "--contact-email",
                "a@agency.example.gov",
            ])
            .args(["--redirect-url", "http://localhost:8080/cb"])
            .args(["--scope", "spark:people_read"]);
        cmd
    };
    // ... then a --demo command, with a sandbox of its own on the same file ...
    let made = run(create("First").arg("--demo"));
    assert_eq!(made.code, 0, "{}", made.stderr);
    // ... then the first process, which loaded the file before "First" existed.
    let made = run(create("Second")
        .env("WEBEX_ADMIN_TOKEN", &token)
        .args(["--api-base", &base]));
    assert_eq!(made.code, 0, "{}", made.stderr);
    let _ = first.kill();
    let _ = first.wait();
    let listed = run(wizard(&home).args(["--demo", "list", "--json"]));
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let names: Vec<String> = serde_json::from_str::<Vec<Value>>(&listed.stdout)
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(
        names.contains(&"First".to_owned()) && names.contains(&"Second".to_owned()),
        "{names:?}"
    );
}
