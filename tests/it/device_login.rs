//! `authorize --device` (the OAuth device grant) against the sandbox: approved and declined
//! with curl as the person's browser, a missing device-helper URL refused by Webex's rule, and
//! the waiting answers (HTTP 428, `authorization_pending`) read from a scripted server.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::common::{self, Home, MockWebex, SandboxConfig, expose, get_json, missing, run, wizard};

/// Kill the child when the test ends, however it ends.
pub struct Reaped(pub Child);
impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A sandbox whose device grant may be polled every second.
pub fn quick_sandbox() -> common::Sandbox {
    common::sandbox_with(SandboxConfig {
        device_interval: 1,
        ..SandboxConfig::default()
    })
}

/// Create an integration on `sandbox` (with the device helpers when `helpers`); its
/// credentials file.
pub fn integration(sandbox: &common::Sandbox, home: &Home, helpers: bool) -> PathBuf {
    let credentials = home.path().join("creds.json");
    let mut create = wizard(home);
    create
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args(["--api-base", sandbox.base().as_str(), "create"])
        .args(["--name", "Device Check", "--description", "d"])
        .args(["--contact-email", "a@agency.example.gov"])
        .args(["--redirect-url", "http://localhost:8080/callback"])
        .args(["--scope", "spark:people_read", "--save"])
        .arg(&credentials);
    if helpers {
        create.arg("--device-login");
    }
    let created = run(&mut create);
    assert_eq!(created.code, 0, "{}", created.stderr);
    credentials
}

/// What `authorize --device` shows the person: the address, the code, the complete address.
pub struct Shown {
    pub code: String,
    pub complete: String,
}

/// Start `authorize --device` for `credentials` (tokens to `save`); its process, what it showed,
/// and the rest of its standard error as lines.
pub fn start_device_login(
    home: &Home,
    base: &str,
    credentials: &Path,
    save: &Path,
) -> (Reaped, Shown, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_webex-wizard"))
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .args(["--api-base", base, "authorize", "--device", "--credentials"])
        .arg(credentials)
        .arg("--save")
        .arg(save)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let child = Reaped(child);
    let mut lines = Vec::new();
    let (mut code, mut complete) = (None, None);
    while code.is_none() || complete.is_none() {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no code shown; it said:\n{}", lines.join("\n")));
        let text = line.trim().to_owned();
        if lines
            .last()
            .is_some_and(|l: &String| l.contains("enter the code"))
            && !text.is_empty()
        {
            code = Some(text.clone());
        }
        if text.contains("/device/verify?") {
            complete = Some(text.clone());
        }
        if !text.is_empty() {
            lines.push(line);
        }
    }
    (
        child,
        Shown {
            code: code.unwrap(),
            complete: complete.unwrap(),
        },
        rx,
    )
}

/// Wait for the process to end; its exit code and the rest of what it said.
pub fn finish(mut child: Reaped, rx: &mpsc::Receiver<String>) -> (Option<i32>, String) {
    let mut said = Vec::new();
    // Standard error closes when the process ends.
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) {
        said.push(line);
    }
    let status = child.0.wait().unwrap();
    (status.code(), said.join("\n"))
}

fn curl(args: &[&str]) -> String {
    let out = Command::new("curl")
        .args(["--silent", "--show-error"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The person's answer on the sandbox's page, as its form posts it.
fn decide(sandbox: &common::Sandbox, shown: &Shown, decision: &str) -> String {
    let origin = sandbox.base().as_str().trim_end_matches("/v1").to_owned();
    curl(&[
        "--data",
        &format!("user_code={}&decision={decision}", shown.code),
        &format!("{origin}/v1/device/verify/decision"),
    ])
}

#[test]
fn a_device_login_approved_with_curl_saves_working_tokens() {
    if missing(&["curl"]) {
        return;
    }
    let sandbox = quick_sandbox();
    let home = Home::new();
    let credentials = integration(&sandbox, &home, true);
    let tokens = home.path().join("tokens.json");
    let (child, shown, rx) =
        start_device_login(&home, sandbox.base().as_str(), &credentials, &tokens);
    // The person opens the page the terminal showed: it names the integration and the scope.
    let page = curl(&[&shown.complete]);
    assert!(
        page.contains("Device Check") && page.contains("spark:people_read"),
        "{page}"
    );
    let answer = decide(&sandbox, &shown, "allow");
    assert!(answer.contains("Approved"), "{answer}");
    let (code, said) = finish(child, &rx);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Saved the tokens"), "{said}");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&tokens).unwrap()).unwrap();
    assert_eq!(saved["scope"], "spark:people_read");
    // They work: the sandbox knows the access token.
    let access = saved["accessToken"].as_str().unwrap();
    let (status, _) = get_json(&format!("{}/people/me", sandbox.base()), access);
    assert_eq!(status, 200);
}

#[test]
fn a_declined_device_login_exits_5_and_saves_nothing() {
    if missing(&["curl"]) {
        return;
    }
    let sandbox = quick_sandbox();
    let home = Home::new();
    let credentials = integration(&sandbox, &home, true);
    let tokens = home.path().join("tokens.json");
    let (child, shown, rx) =
        start_device_login(&home, sandbox.base().as_str(), &credentials, &tokens);
    decide(&sandbox, &shown, "deny");
    let (code, said) = finish(child, &rx);
    assert_eq!(code, Some(5), "{said}");
    assert!(said.contains("access_denied"), "{said}");
    assert!(!tokens.exists());
}

#[test]
fn without_the_device_helper_urls_it_warns_and_webex_refuses() {
    let sandbox = quick_sandbox();
    let home = Home::new();
    let credentials = integration(&sandbox, &home, false);
    let r = run(wizard(&home)
        .args([
            "--api-base",
            sandbox.base().as_str(),
            "authorize",
            "--device",
        ])
        .arg("--credentials")
        .arg(&credentials));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("lacks 3 of them"), "{}", r.stderr);
    assert!(r.stderr.contains("--device-login"), "{}", r.stderr);
    assert!(
        r.stderr.contains("must include the device helper URIs"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("trackingId"), "{}", r.stderr);
}

#[test]
fn create_and_update_add_the_device_helper_urls() {
    let home = Home::new();
    let r = run(wizard(&home)
        .args(["--demo", "create", "--dry-run", "--json", "--device-login"])
        .args([
            "--from",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/assets/example-integration.json"
            ),
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sent: Value = serde_json::from_str(&r.stdout).unwrap();
    let urls: Vec<&str> = sent["body"]["redirectUrls"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for helper in webex_wizard::oauth::device::HELPER_REDIRECT_URIS {
        assert!(urls.contains(&helper), "{urls:?}");
    }
    // update adds only those missing, once.
    let sandbox = quick_sandbox();
    let credentials = integration(&sandbox, &home, false);
    let id = serde_json::from_str::<Value>(&std::fs::read_to_string(&credentials).unwrap())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..2 {
        let r = run(wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
            .args([
                "--api-base",
                sandbox.base().as_str(),
                "update",
                &id,
                "--device-login",
            ]));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let (_, app) = get_json(
        &format!("{}/applications/{id}", sandbox.base()),
        &expose(sandbox.admin_token()),
    );
    let urls = app["redirectUrls"].as_array().unwrap();
    assert_eq!(urls.len(), 4, "{urls:?}");
}

#[test]
fn waiting_answers_428_and_authorization_pending_are_waited_out() {
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/device/authorize",
        vec![common::Action::json(
            200,
            r#"{"device_code":"dc","user_code":"BCDF-GHJK","verification_uri":"https://example.invalid/verify","expires_in":60,"interval":1}"#,
        )],
    );
    mock.on(
        "POST /v1/device/token",
        vec![
            common::Action::json(428, r#"{"message":"The user has not yet approved"}"#),
            common::Action::json(400, r#"{"error":"authorization_pending"}"#),
            common::Action::json(
                200,
                r#"{"access_token":"at","expires_in":1209599,"refresh_token":"rt","refresh_token_expires_in":5183999}"#,
            ),
        ],
    );
    let home = Home::new();
    let tokens = home.path().join("t.json");
    let r = run(wizard(&home)
        .env("WEBEX_CLIENT_SECRET", "s3cret")
        .args([
            "--api-base",
            &mock.base,
            "authorize",
            "--device",
            "--client-id",
            "cid",
        ])
        .args(["--scope", "spark:people_read", "--save"])
        .arg(&tokens));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(mock.count("POST /v1/device/token"), 3);
    // Polled with HTTP Basic (client ID and secret), as Webex's samples do.
    let polls: Vec<_> = mock
        .requests()
        .into_iter()
        .filter(|q| q.path == "/v1/device/token")
        .collect();
    assert!(
        polls.iter().all(|q| q
            .headers
            .get("authorization")
            .is_some_and(|a| a.starts_with("Basic "))),
        "{:?}",
        polls.iter().map(|q| &q.headers).collect::<Vec<_>>()
    );
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&tokens).unwrap()).unwrap();
    assert_eq!(saved["accessToken"], "at");
}

#[test]
fn slow_down_is_honoured_and_expired_token_ends_the_wait_with_exit_5() {
    let mock = MockWebex::start();
    let authorize = common::Action::json(
        200,
        r#"{"device_code":"dc","user_code":"BCDF-GHJK","verification_uri":"https://example.invalid/verify","expires_in":60,"interval":1}"#,
    );
    mock.on("POST /v1/device/authorize", vec![authorize]);
    mock.on(
        "POST /v1/device/token",
        vec![
            common::Action::json(400, r#"{"error":"slow_down"}"#),
            common::Action::json(
                400,
                r#"{"error":"expired_token","error_description":"The device code expired"}"#,
            ),
        ],
    );
    let home = Home::new();
    let r = run(wizard(&home)
        .env("WEBEX_CLIENT_SECRET", "s3cret")
        .args([
            "--api-base",
            &mock.base,
            "authorize",
            "--device",
            "--client-id",
            "cid",
        ])
        .args(["--scope", "spark:people_read"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("expired_token"), "{}", r.stderr);
    // slow_down was a wait, not an end: the next poll came, and it was the last.
    assert_eq!(mock.count("POST /v1/device/token"), 2);
}

/// An attack on the sandbox's device grant: another registered client must not redeem a
/// device code issued to this one, even after the person approved it (the code grant checks
/// its client; the device grant did not).
#[test]
fn a_device_code_is_redeemed_only_by_the_client_it_was_issued_to() {
    if missing(&["curl"]) {
        return;
    }
    let sandbox = quick_sandbox();
    let (home_a, home_b) = (Home::new(), Home::new());
    let client = |home: &Home| -> (String, String) {
        let saved: Value = serde_json::from_str(
            &std::fs::read_to_string(integration(&sandbox, home, true)).unwrap(),
        )
        .unwrap();
        (
            saved["clientId"].as_str().unwrap().to_owned(),
            saved["clientSecret"].as_str().unwrap().to_owned(),
        )
    };
    let (a_id, a_secret) = client(&home_a);
    let (b_id, b_secret) = client(&home_b);
    assert_ne!(a_id, b_id);
    let base = sandbox.base().as_str().trim_end_matches('/').to_owned();
    let started: Value = serde_json::from_str(&curl(&[
        "--data",
        &format!("client_id={a_id}&scope=spark:people_read"),
        &format!("{base}/device/authorize"),
    ]))
    .unwrap();
    let shown = Shown {
        code: started["user_code"].as_str().unwrap().to_owned(),
        complete: String::new(),
    };
    assert!(decide(&sandbox, &shown, "allow").contains("Approved"));
    let device_code = started["device_code"].as_str().unwrap();
    let poll = |id: &str, secret: &str| -> Value {
        serde_json::from_str(&curl(&[
            "--user",
            &format!("{id}:{secret}"),
            "--data",
            &format!(
                "grant_type=urn:ietf:params:oauth:grant-type:device_code&device_code={device_code}&client_id={id}"
            ),
            &format!("{base}/device/token"),
        ]))
        .unwrap()
    };
    let stolen = poll(&b_id, &b_secret);
    assert_eq!(stolen["error"], "invalid_grant", "{stolen}");
    assert!(stolen.get("access_token").is_none(), "{stolen}");
    // The client it was issued to still gets its tokens: the refusal was about the client.
    let own = poll(&a_id, &a_secret);
    assert!(own["access_token"].is_string(), "{own}");
}
