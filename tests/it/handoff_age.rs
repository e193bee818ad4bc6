//! Hand-offs in the age format, interoperable with the reference `age` tool both ways, to age
//! and SSH keys; and the audit trail that records them without a secret.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use ratatui::crossterm::event::KeyCode;
use secrecy::ExposeSecret;
use webex_wizard::tui::app::Step;

use common::{Home, age_key, missing, run, wizard};

fn age_decrypt(file: &Path, identity: &Path) -> String {
    let out = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(identity)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "age -d: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn demo_create(home: &Home, extra: &[&str]) -> common::Run {
    run(wizard(home)
        .args([
            "--demo",
            "create",
            "--from",
            "assets/example-integration.json",
        ])
        .args(extra))
}

#[test]
fn create_hands_off_to_an_age_key_and_an_ssh_key_and_age_decrypts_both() {
    if missing(&["age", "age-keygen", "ssh-keygen"]) {
        return;
    }
    let home = Home::new();
    let (age_identity, age_recipient) = age_key(home.path());
    let (ssh_private, ssh_public) = common::ssh_key(home.path(), "");
    let save = home.path().join("app.json");
    let r = demo_create(
        &home,
        &[
            "--save",
            save.to_str().unwrap(),
            "--handoff-to",
            &age_recipient,
            "--handoff-to",
            ssh_public.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sealed = home.path().join("app.json.age");
    assert!(
        r.stderr
            .contains(&format!("Wrote the hand-off {}", sealed.display())),
        "{}",
        r.stderr
    );
    let secret: serde_json::Value = serde_json::from_slice(&std::fs::read(&save).unwrap()).unwrap();
    let secret = secret["clientSecret"].as_str().unwrap();
    assert!(!String::from_utf8_lossy(&std::fs::read(&sealed).unwrap()).contains(secret));
    for identity in [&age_identity, &ssh_private] {
        let plain = age_decrypt(&sealed, identity);
        assert!(plain.contains(secret), "{identity:?}: {plain}");
    }
    // The SSH recipient is recorded by the fingerprint ssh-keygen prints.
    let fingerprint = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(&ssh_public)
        .output()
        .unwrap();
    let fingerprint = String::from_utf8(fingerprint.stdout).unwrap();
    let fingerprint = fingerprint.split_whitespace().nth(1).unwrap();
    let audit = std::fs::read_to_string(home.state().join("audit.jsonl")).unwrap();
    assert!(audit.contains(fingerprint), "{audit}");
    assert!(audit.contains(&age_recipient), "{audit}");
}

#[test]
fn handoff_writes_armor_never_overwrites_and_reads_what_age_encrypted() {
    if missing(&["age", "age-keygen", "ssh-keygen"]) {
        return;
    }
    let home = Home::new();
    let (identity, recipient) = age_key(home.path());
    let save = home.path().join("app.json");
    assert_eq!(
        demo_create(&home, &["--save", save.to_str().unwrap()]).code,
        0
    );
    let out = home.path().join("for-dev.age");
    let handoff = |to: &str| {
        run(wizard(&home)
            .args(["handoff", "--credentials"])
            .arg(&save)
            .args(["--to", to, "--armor", "--out"])
            .arg(&out))
    };
    let r = handoff(&recipient);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"),
        "{text}"
    );
    assert!(age_decrypt(&out, &identity).contains("clientSecret"));
    let again = handoff(&recipient);
    assert_ne!(again.code, 0, "a hand-off was overwritten");
    let bad = run(wizard(&home)
        .args(["handoff", "--credentials"])
        .arg(&save)
        .args(["--to", "age1notakey"]));
    assert_eq!(bad.code, 2, "{}", bad.stderr);

    // The other way: the developer encrypts a credentials file with `age -R id.pub`, and
    // webex-wizard reads it with the SSH private key; nothing decrypted is written.
    let (ssh_private, ssh_public) = common::ssh_key(home.path(), "");
    let theirs = home.path().join("theirs.json.age");
    let status = Command::new("age")
        .arg("-R")
        .arg(&ssh_public)
        .arg("-o")
        .arg(&theirs)
        .arg(&save)
        .status()
        .unwrap();
    assert!(status.success());
    let reencrypted = home.path().join("again.age");
    let r = run(wizard(&home)
        .args(["handoff", "--credentials"])
        .arg(&theirs)
        .arg("--identity")
        .arg(&ssh_private)
        .args(["--to", &recipient, "--out"])
        .arg(&reencrypted));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(age_decrypt(&reencrypted, &identity).contains("clientSecret"));
    let without = run(wizard(&home)
        .args(["handoff", "--credentials"])
        .arg(&theirs)
        .args(["--to", &recipient]));
    assert_eq!(without.code, 2, "{}", without.stderr);
    assert!(without.stderr.contains("--identity"), "{}", without.stderr);
}

#[test]
fn authorize_reads_an_age_file_and_the_audit_trail_holds_no_secret() {
    if missing(&["age", "age-keygen", "curl"]) {
        return;
    }
    let home = Home::new();
    let (identity, recipient) = age_key(home.path());
    let redirect = format!("http://127.0.0.1:{}/callback", common::free_port());
    let save = home.path().join("app.json");
    let created = run(wizard(&home).args([
        "--demo",
        "create",
        "--name",
        "Audited",
        "--description",
        "d",
        "--contact-email",
        "a@agency.example.gov",
        "--redirect-url",
        &redirect,
        "--scope",
        "spark:people_read",
        "--save",
        save.to_str().unwrap(),
        "--handoff-to",
        &recipient,
    ]));
    assert_eq!(created.code, 0, "{}", created.stderr);
    let sealed = home.path().join("app.json.age");
    let tokens = home.path().join("tokens.json");
    let authorized = run(wizard(&home)
        .env("BROWSER", common::following_browser(home.path()))
        .args(["--demo", "authorize", "--credentials"])
        .arg(&sealed)
        .arg("--identity")
        .arg(&identity)
        .arg("--save")
        .arg(&tokens));
    assert_eq!(authorized.code, 0, "{}", authorized.stderr);

    let audit = run(wizard(&home).args(["audit", "--json"]));
    assert_eq!(audit.code, 0, "{}", audit.stderr);
    let entries: Vec<serde_json::Value> = serde_json::from_str(&audit.stdout).unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "handoff", "authorize"], "{entries:?}");
    let client_id = serde_json::from_slice::<serde_json::Value>(&std::fs::read(&save).unwrap())
        .unwrap()["clientId"]
        .as_str()
        .unwrap()
        .to_owned();
    for e in &entries {
        for key in [
            "time",
            "action",
            "outcome",
            "environment",
            "apiBase",
            "clientId",
        ] {
            assert!(e.get(key).is_some(), "{key} missing in {e}");
        }
        assert_eq!(e["clientId"], client_id.as_str());
        assert_eq!(e["outcome"], "ok");
    }
    assert!(entries[0]["actor"]["email"].is_string(), "{}", entries[0]);
    // The calls to Webex carry their trackingId; the hand-off made none.
    assert!(entries[0]["trackingId"].is_string(), "{}", entries[0]);
    assert!(entries[2]["trackingId"].is_string(), "{}", entries[2]);
    assert!(entries[1].get("trackingId").is_none(), "{}", entries[1]);
    assert!(entries[1]["recipients"][0] == recipient.as_str());

    // No secret, token or code anywhere in the file.
    let trail = std::fs::read_to_string(home.state().join("audit.jsonl")).unwrap();
    let creds: serde_json::Value = serde_json::from_slice(&std::fs::read(&save).unwrap()).unwrap();
    let toks: serde_json::Value = serde_json::from_slice(&std::fs::read(&tokens).unwrap()).unwrap();
    for secret in [
        creds["clientSecret"].as_str().unwrap(),
        toks["accessToken"].as_str().unwrap(),
        toks["refreshToken"].as_str().unwrap(),
    ] {
        assert!(!trail.contains(secret), "the audit trail holds a secret");
    }
    assert!(
        !trail.contains("sandbox-admin"),
        "the audit trail holds the admin token"
    );
    assert!(!trail.contains("code="), "{trail}");

    let since = run(wizard(&home).args(["audit", "--since", "2999-01-01"]));
    assert!(
        since.stdout.contains("No audit entries"),
        "{}",
        since.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizard_hands_off_from_the_credentials_screen_and_that_counts_as_stored() {
    if missing(&["age", "age-keygen"]) {
        return;
    }
    let sandbox = common::sandbox();
    let home = Home::new();
    let (identity, recipient) = age_key(home.path());
    let mut h = common::tui::Harness::on_sandbox(&sandbox, home.path()).await;
    h.key(KeyCode::Enter).await;
    h.fill_details().await;
    h.type_text("https://app.agency.example.gov/cb").await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    h.type_text("people_read").await;
    h.key(KeyCode::Char(' ')).await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Credentials, "{}", h.screen(80, 24));
    assert!(h.app.secret_at_risk());
    h.key(KeyCode::Char('h')).await;
    assert_eq!(h.app.step, Step::HandOff, "{}", h.screen(80, 24));
    h.send(webex_wizard::tui::message::Message::Paste(
        recipient.clone(),
    ))
    .await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Credentials, "{}", h.screen(120, 40));
    let c = h.app.session.credentials.as_ref().unwrap();
    let sealed = c.handed_off.clone().expect("a hand-off file");
    assert!(!h.app.secret_at_risk(), "a hand-off counts as stored");
    assert!(
        h.screen(120, 40).contains("Handed off"),
        "{}",
        h.screen(120, 40)
    );
    let secret = c.saved.integration.client_secret.expose_secret().to_owned();
    assert!(age_decrypt(&sealed, &identity).contains(&secret));
    assert_eq!(
        std::fs::metadata(&sealed).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The wizard's actions are in the audit trail too, without the secret.
    let trail = std::fs::read_to_string(home.path().join("state/audit.jsonl")).unwrap();
    let actions: Vec<String> = trail
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["action"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(actions, ["create", "handoff"], "{trail}");
    // Connect knew the admin: the wizard's lines say who, and the create its trackingId.
    let first: serde_json::Value = serde_json::from_str(trail.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["actor"]["email"], "admin@sandbox.example.gov",
        "{first}"
    );
    assert!(first["trackingId"].is_string(), "{first}");
    assert!(trail.contains(&recipient));
    assert!(!trail.contains(&secret), "the audit trail holds the secret");
}

#[test]
fn audit_log_goes_where_asked_and_a_line_that_cannot_be_written_loses_nothing() {
    let home = Home::new();
    let shared = home.path().join("agency/audit.jsonl");
    let save = home.path().join("app.json");
    let r = run(wizard(&home)
        .arg("--audit-log")
        .arg(&shared)
        .args([
            "--demo",
            "create",
            "--from",
            "assets/example-integration.json",
            "--save",
        ])
        .arg(&save));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = std::fs::read_to_string(&shared).unwrap();
    assert!(line.contains("\"action\":\"create\""), "{line}");
    assert!(!home.state().join("audit.jsonl").exists());

    // A file where the audit folder should be: the line can't be written; the secret is kept.
    let blocked = home.path().join("blocked");
    std::fs::write(&blocked, "not a folder").unwrap();
    let save2 = home.path().join("app2.json");
    let r = run(wizard(&home)
        .arg("--audit-log")
        .arg(blocked.join("audit.jsonl"))
        .args([
            "--demo",
            "create",
            "--from",
            "assets/example-integration.json",
            "--save",
        ])
        .arg(&save2));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: the audit line could not be written"),
        "{}",
        r.stderr
    );
    assert!(
        std::fs::read_to_string(&save2)
            .unwrap()
            .contains("clientSecret")
    );
}

#[test]
fn bot_create_hands_its_token_off_too() {
    if missing(&["age", "age-keygen"]) {
        return;
    }
    let home = Home::new();
    let (identity, recipient) = age_key(home.path());
    let r = run(wizard(&home).args([
        "--demo",
        "bot",
        "create",
        "--name",
        "Notifier",
        "--bot-email",
        "handoff-notifier@webex.bot",
        "--description",
        "Posts alerts",
        "--contact-email",
        "a@agency.example.gov",
        "--avatar-url",
        "https://cdn.agency.example.gov/bot.png",
        "--handoff-to",
        &recipient,
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sealed = home
        .data()
        .join("credentials/bot-handoff-notifier.json.age");
    let plain = age_decrypt(&sealed, &identity);
    assert!(plain.contains("botToken"), "{plain}");
    // The hand-off stored the token, so no recovery copy is left behind.
    let recovery = home.state().join("recovery");
    let left = std::fs::read_dir(&recovery).map_or(0, Iterator::count);
    assert_eq!(left, 0, "a recovery copy outlived the hand-off");
}

#[test]
fn an_age_file_brings_its_api_base_like_a_plain_one() {
    if missing(&["age", "age-keygen", "curl"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let (identity, recipient) = age_key(home.path());
    let redirect = format!("http://127.0.0.1:{}/callback", common::free_port());
    let save = home.path().join("app.json");
    let created = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", common::expose(sandbox.admin_token()))
        .args([
            "--api-base",
            sandbox.base().as_str(),
            "create",
            "--name",
            "Sealed",
        ])
        .args([
            "--description",
            "d",
            "--contact-email",
            "a@agency.example.gov",
        ])
        .args(["--redirect-url", &redirect, "--scope", "spark:people_read"])
        .arg("--save")
        .arg(&save)
        .args(["--handoff-to", &recipient]));
    assert_eq!(created.code, 0, "{}", created.stderr);
    std::fs::remove_file(&save).unwrap();
    // No --api-base: the sandbox's address comes from inside the encrypted file.
    let authorized = run(wizard(&home)
        .env("BROWSER", common::following_browser(home.path()))
        .args(["authorize", "--credentials"])
        .arg(home.path().join("app.json.age"))
        .arg("--identity")
        .arg(&identity));
    assert_eq!(authorized.code, 0, "{}", authorized.stderr);
}
