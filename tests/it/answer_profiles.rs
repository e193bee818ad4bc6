//! Every command's flow against both sandbox profiles (docs/webex-answers.md): `documented`,
//! which answers with exactly the fields Webex documents, and `observed`, the richer answers of
//! third-party code. A reader that asks for more than Webex promises fails the first.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

use common::{Home, Run, Sandbox, SandboxConfig, expose, run, wizard};
use serde_json::Value;
use webex_wizard::sandbox::Answers;

fn json_of(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn on(sandbox: &Sandbox, home: &Home) -> assert_cmd::Command {
    let mut cmd = wizard(home);
    cmd.env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args(["--api-base", sandbox.base().as_str()]);
    cmd
}

fn ok(r: &Run, what: &str) {
    assert_eq!(r.code, 0, "{what}: {}{}", r.stdout, r.stderr);
}

/// `authorize` for a non-loopback redirect URL: the address the sandbox redirects to (read
/// with curl, which does not follow it) is pasted on standard input.
fn authorize_by_paste(sandbox: &Sandbox, home: &Home, credentials: &Path, save: &Path) -> Run {
    let mut child = common::bare(home)
        .args(["--api-base", sandbox.base().as_str(), "authorize"])
        .args([
            "--no-browser",
            "--redirect-url",
            "https://app.agency.example.gov/oauth",
        ])
        .arg("--credentials")
        .arg(credentials)
        .arg("--save")
        .arg(save)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let url = loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "no URL printed");
        let text = line.trim();
        if text.starts_with("http") && text.contains("/authorize?") {
            break text.to_owned();
        }
    };
    let landed = std::process::Command::new("curl")
        .args(["-sS", "-o", "/dev/null", "-w", "%{redirect_url}", &url])
        .output()
        .unwrap();
    let landed = String::from_utf8(landed.stdout).unwrap();
    assert!(landed.contains("code="), "{landed}");
    writeln!(child.stdin.take().unwrap(), "{landed}").unwrap();
    let out = child.wait_with_output().unwrap();
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut stderr, &mut rest);
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: rest,
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one flow after another, on one sandbox"
)]
fn every_command(answers: Answers) {
    if common::missing(&["curl"]) {
        return;
    }
    let sandbox = common::sandbox_with(SandboxConfig {
        answers,
        auto_approve: true,
        ..SandboxConfig::default()
    });
    let home = Home::new();
    let source = match answers {
        Answers::Documented => "requested",
        Answers::Observed => "granted",
    };

    // create (good_flags registers a loopback and an https redirect URL), then authorize
    // through the loopback listener.
    // A loopback redirect URL of its own (the two profiles run at once), and an https one.
    let loopback = format!("http://localhost:{}/callback", common::free_port());
    let credentials = home.path().join("creds.json");
    ok(
        &run(on(&sandbox, &home)
            .args(["create", "--name", "Audit Reader", "--description", "d"])
            .args(["--contact-email", "admin@agency.example.gov"])
            .args(["--redirect-url", &loopback])
            .args(["--redirect-url", "https://app.agency.example.gov/oauth"])
            .args([
                "--scope",
                "audit:events_read",
                "--scope",
                "spark:people_read",
            ])
            .arg("--save")
            .arg(&credentials)),
        "create",
    );
    let created = json_of(&credentials);
    let client_id = created["clientId"].as_str().unwrap().to_owned();
    let tokens = home.path().join("tokens.json");
    ok(
        &run(wizard(&home)
            .env("BROWSER", common::following_browser(home.path()))
            .args(["--api-base", sandbox.base().as_str(), "authorize"])
            .args(["--redirect-url", &loopback])
            .arg("--credentials")
            .arg(&credentials)
            .arg("--save")
            .arg(&tokens)),
        "authorize",
    );
    let saved = json_of(&tokens);
    assert_eq!(saved["scope"], "audit:events_read spark:people_read");
    assert_eq!(saved["scopeSource"], source);
    assert_eq!(saved["tokenType"], "Bearer");

    // test-scopes takes the scopes from the tokens file, whichever way they were recorded.
    let tested = run(wizard(&home)
        .args(["--api-base", sandbox.base().as_str(), "test-scopes"])
        .arg("--access-token-file")
        .arg(&tokens)
        .arg("--json"));
    ok(&tested, "test-scopes");
    let results: Value = serde_json::from_str(&tested.stdout).unwrap();
    let probed: Vec<&str> = results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scope"].as_str().unwrap())
        .collect();
    assert_eq!(probed, ["audit:events_read", "spark:people_read"]);

    // refresh keeps the scopes of the file it refreshes.
    let refreshed = home.path().join("refreshed.json");
    ok(
        &run(wizard(&home)
            .args(["--api-base", sandbox.base().as_str(), "refresh"])
            .arg("--credentials")
            .arg(&credentials)
            .arg("--refresh-token-file")
            .arg(&tokens)
            .arg("--save")
            .arg(&refreshed)),
        "refresh",
    );
    let again = json_of(&refreshed);
    assert_ne!(again["accessToken"], saved["accessToken"]);
    assert_eq!(again["scope"], saved["scope"]);
    assert_eq!(again["scopeSource"], source);

    // authorize by pasting the address a non-loopback redirect lands on.
    let pasted = home.path().join("pasted.json");
    ok(
        &authorize_by_paste(&sandbox, &home, &credentials, &pasted),
        "authorize by paste",
    );
    assert_eq!(json_of(&pasted)["scopeSource"], source);

    // authorizations list and revoke.
    let listed = run(on(&sandbox, &home)
        .args(["authorizations", "list", "--person-email"])
        .args(["admin@sandbox.example.gov", "--json"]));
    ok(&listed, "authorizations list");
    assert!(listed.stdout.contains(&client_id), "{}", listed.stdout);

    // rotate-secret: same client ID, a new secret in the file, the old one refused.
    let rotated = home.path().join("rotated.json");
    ok(
        &run(on(&sandbox, &home)
            .args(["rotate-secret", "Audit Reader", "--yes", "--save"])
            .arg(&rotated)),
        "rotate-secret",
    );
    let new = json_of(&rotated);
    assert_eq!(new["clientId"], client_id.as_str());
    assert_eq!(new["name"], "Audit Reader");
    assert_ne!(new["clientSecret"], created["clientSecret"]);
    assert_eq!(
        std::fs::metadata(&rotated).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let with_old = run(wizard(&home)
        .args(["--api-base", sandbox.base().as_str(), "refresh"])
        .arg("--credentials")
        .arg(&credentials)
        .arg("--refresh-token-file")
        .arg(&tokens));
    assert_eq!(with_old.code, 5, "{}", with_old.stderr);
    ok(
        &run(wizard(&home)
            .args(["--api-base", sandbox.base().as_str(), "refresh"])
            .arg("--credentials")
            .arg(&rotated)
            .arg("--refresh-token-file")
            .arg(&tokens)
            .arg("--json")),
        "refresh with the new secret",
    );

    // The hand-off of the rotated credentials, and authorize reading it with --identity.
    if !common::missing(&["age-keygen"]) {
        let (identity, recipient) = common::age_key(home.path());
        let sealed = home.path().join("rotated.json.age");
        ok(
            &run(wizard(&home)
                .args(["handoff", "--credentials"])
                .arg(&rotated)
                .args(["--to", &recipient, "--out"])
                .arg(&sealed)),
            "handoff",
        );
        let from_age = home.path().join("from-age.json");
        ok(
            &run(wizard(&home)
                .env("BROWSER", common::following_browser(home.path()))
                .args(["--api-base", sandbox.base().as_str(), "authorize"])
                .args(["--redirect-url", &loopback])
                .arg("--credentials")
                .arg(&sealed)
                .arg("--identity")
                .arg(&identity)
                .arg("--save")
                .arg(&from_age)),
            "authorize --credentials FILE.age",
        );
        assert_eq!(json_of(&from_age)["scopeSource"], source);
    }

    ok(
        &run(on(&sandbox, &home).args([
            "authorizations",
            "revoke",
            "--client-id",
            &client_id,
            "--yes",
        ])),
        "authorizations revoke",
    );
    ok(
        &run(on(&sandbox, &home).args(["update", "Audit Reader", "--description", "Reads it all"])),
        "update",
    );

    // bot create: the token kept like a secret, the bot's e-mail from what was sent.
    let bot = home.path().join("bot.json");
    ok(
        &run(on(&sandbox, &home)
            .args(["bot", "create", "--name", "Agency Notifier"])
            .args(["--bot-email", "notifier@webex.bot"])
            .args(["--description", "Posts alerts", "--contact-email"])
            .args(["admin@agency.example.gov", "--avatar-url"])
            .args(["https://agency.example.gov/bot.png", "--save"])
            .arg(&bot)),
        "bot create",
    );
    let bot = json_of(&bot);
    assert_eq!(bot["botEmail"], "notifier@webex.bot");
    let me = format!("{}/people/me", sandbox.base());
    assert_eq!(
        common::get_json(&me, bot["botToken"].as_str().unwrap()).0,
        200
    );

    ok(
        &run(on(&sandbox, &home).args(["delete", "Audit Reader", "--yes"])),
        "delete",
    );
}

#[test]
fn every_command_works_with_the_documented_answers() {
    every_command(Answers::Documented);
}

#[test]
fn every_command_works_with_the_observed_answers() {
    every_command(Answers::Observed);
}

#[test]
fn demo_takes_the_profile_from_the_flag_or_the_environment() {
    if common::missing(&["curl"]) {
        return;
    }
    let home = Home::new();
    // A wrong name is refused with the choices where a sandbox starts ...
    let refused = run(wizard(&home)
        .env("WEBEX_WIZARD_SANDBOX_ANSWERS", "richest")
        .args(["--demo", "list"]));
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("'documented' or 'observed'"),
        "{}",
        refused.stderr
    );
    // ... and never stands in the way of a command that starts none.
    let unrelated = run(wizard(&home)
        .env("WEBEX_WIZARD_SANDBOX_ANSWERS", "richest")
        .args(["scopes", "--search", "people_read"]));
    assert_eq!(unrelated.code, 0, "{}", unrelated.stderr);
    // The FEDRAMP column says what its marks mean.
    assert!(
        unrelated.stderr.contains("? = not verified yet"),
        "{}",
        unrelated.stderr
    );
    for (flag, var, expected) in [
        (None, None, "requested"),
        (None, Some("observed"), "granted"),
        (Some("observed"), Some("documented"), "granted"),
        (Some("documented"), Some("observed"), "requested"),
    ] {
        let saved = home.path().join(format!("{flag:?}-{var:?}.json"));
        let mut cmd = wizard(&home);
        if let Some(v) = var {
            cmd.env("WEBEX_WIZARD_SANDBOX_ANSWERS", v);
        }
        cmd.arg("--demo");
        if let Some(f) = flag {
            cmd.args(["--sandbox-answers", f]);
        }
        let redirect = format!("http://127.0.0.1:{}/cb", common::free_port());
        let r = run(cmd
            .env("BROWSER", common::following_browser(home.path()))
            .args(["authorize", "--redirect-url", &redirect])
            .args(["--scope", "spark:people_read", "--save"])
            .arg(&saved));
        ok(&r, "--demo authorize");
        assert_eq!(json_of(&saved)["scopeSource"], expected, "{flag:?} {var:?}");
        if expected == "requested" {
            assert!(
                r.stdout
                    .contains("as requested; Webex did not list the granted scopes"),
                "{}",
                r.stdout
            );
        }
    }
}

#[test]
fn the_sandbox_command_says_which_answers_it_gives() {
    use std::process::Stdio;
    let home = Home::new();
    let mut child = common::bare(&home)
        .env("WEBEX_WIZARD_SANDBOX_ANSWERS", "documented")
        .args(["sandbox", "--answers", "observed"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("Answers:") {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "no Answers line");
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("observed"), "{line}");
}
