//! A token answer is never thrown away (issue 18): a 2xx from `/access_token` that breaks off
//! mid-body or can't be read leaves a 0600 recovery copy holding it, for `authorize` and
//! `refresh`; a signal while the code is being exchanged waits for the answer and keeps it.

use crate::common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::{Action, Home, MockWebex, Run, browser_script, free_port, run, wizard};

/// The four fields Webex documents, and nothing else.
const DOCUMENTED: &str = r#"{"access_token":"AT-doc-1","expires_in":1209600,"refresh_token":"RT-doc-1","refresh_token_expires_in":5184000}"#;

/// A browser that answers the listener with the authorization's own state.
fn answering_browser(home: &Home) -> PathBuf {
    browser_script(
        home.path(),
        "redirect=$(printf '%s' \"$1\" | sed -n 's/.*redirect_uri=\\([^&]*\\).*/\\1/p' | sed 's/%3A/:/g; s/%2F/\\//g')\n\
         curl -s -o /dev/null \"$redirect?code=the-code&state=$STATE\"",
    )
}

fn authorize(home: &Home, mock: &MockWebex, save: &Path) -> Run {
    let redirect = format!("http://127.0.0.1:{}/cb", free_port());
    run(wizard(home)
        .env("WEBEX_CLIENT_SECRET", "S1-secret")
        .env("BROWSER", answering_browser(home))
        .args(["--api-base", &mock.base, "--timeout", "20", "authorize"])
        .args(["--client-id", "C1", "--redirect-url", &redirect])
        .args([
            "--scope",
            "spark:people_read",
            "--scope",
            "audit:events_read",
        ])
        .arg("--save")
        .arg(save))
}

/// The recovery copies of token answers, with their contents.
fn kept_answers(home: &Home) -> Vec<(PathBuf, String)> {
    let dir = home.state().join("recovery");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("token-answer")
        })
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

fn assert_kept(home: &Home, r: &Run, holding: &str) {
    assert_eq!(r.code, 4, "{}", r.stderr);
    let kept = kept_answers(home);
    assert_eq!(kept.len(), 1, "{kept:?}\n{}", r.stderr);
    let (path, text) = &kept[0];
    assert!(text.contains(holding), "{text}");
    assert_eq!(
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(
        r.stderr.contains(&path.display().to_string()),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("tokens were probably issued"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains(holding),
        "a token reached stderr: {}",
        r.stderr
    );
}

#[test]
fn the_documented_token_answer_is_enough_and_its_scopes_are_the_requested_ones() {
    if common::missing(&["curl", "sed"]) {
        return;
    }
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on("POST /v1/access_token", vec![Action::json(200, DOCUMENTED)]);
    let saved = home.path().join("t.json");
    let r = authorize(&home, &mock, &saved);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let tokens: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    assert_eq!(tokens["accessToken"], "AT-doc-1");
    assert_eq!(tokens["tokenType"], "Bearer");
    assert_eq!(tokens["scope"], "spark:people_read audit:events_read");
    assert_eq!(tokens["scopeSource"], "requested");
    assert!(
        r.stdout
            .contains("as requested; Webex did not list the granted scopes"),
        "{}",
        r.stdout
    );
    // Sent as Webex documents: form-encoded, the client's ID and secret in the body.
    let exchange = mock
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/access_token")
        .unwrap();
    for field in [
        "grant_type=authorization_code",
        "code=the-code",
        "client_id=C1",
        "client_secret=S1-secret",
        "code_verifier=",
        "redirect_uri=http",
    ] {
        assert!(exchange.body.contains(field), "{field}: {}", exchange.body);
    }
    assert!(kept_answers(&home).is_empty());
}

#[test]
fn a_token_answer_that_breaks_off_mid_body_is_kept() {
    if common::missing(&["curl", "sed"]) {
        return;
    }
    let home = Home::new();
    let mock = MockWebex::start();
    let partial = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"access_token\":\"AT-partial-7\",\"refresh_token\":\"RT-part";
    mock.on(
        "POST /v1/access_token",
        vec![Action::Raw(partial.as_bytes().to_vec())],
    );
    let r = authorize(&home, &mock, &home.path().join("t.json"));
    assert_kept(&home, &r, "AT-partial-7");
    assert!(!home.path().join("t.json").exists());
}

#[test]
fn a_token_answer_that_is_not_json_is_kept() {
    if common::missing(&["curl", "sed"]) {
        return;
    }
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/access_token",
        vec![Action::Respond {
            status: 200,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: "access_token=AT-form-9&expires_in=1209600".into(),
        }],
    );
    let r = authorize(&home, &mock, &home.path().join("t.json"));
    assert_kept(&home, &r, "AT-form-9");
}

#[test]
fn a_refresh_answer_that_can_not_be_read_is_kept() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/access_token",
        vec![Action::json(200, r#"{"accessToken":"AT-camel-3"}"#)],
    );
    let r = run(wizard(&home)
        .env("WEBEX_CLIENT_SECRET", "S1-secret")
        .env("WEBEX_REFRESH_TOKEN", "RT-old")
        .args(["--api-base", &mock.base, "refresh", "--client-id", "C1"]));
    assert_kept(&home, &r, "AT-camel-3");
    assert!(r.stderr.contains("no access_token"), "{}", r.stderr);
}

#[test]
fn a_signal_during_the_exchange_waits_for_the_tokens_and_keeps_them() {
    if common::missing(&["curl", "sed", "kill"]) {
        return;
    }
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/access_token",
        vec![Action::AfterRelease(Box::new(Action::json(
            200, DOCUMENTED,
        )))],
    );
    let saved = home.path().join("t.json");
    let redirect = format!("http://127.0.0.1:{}/cb", free_port());
    let mut child = common::bare(&home)
        .env("WEBEX_CLIENT_SECRET", "S1-secret")
        .env("BROWSER", answering_browser(&home))
        .args(["--api-base", &mock.base, "--timeout", "60", "authorize"])
        .args(["--client-id", "C1", "--redirect-url", &redirect])
        .args(["--scope", "spark:people_read", "--save"])
        .arg(&saved)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("Exchanging the code") {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "never exchanged");
    }
    assert!(
        mock.wait_for("POST /v1/access_token", Duration::from_secs(20)),
        "the exchange was never sent"
    );
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    line.clear();
    while !line.contains("Waiting until the tokens are kept") {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "the signal was not shielded"
        );
    }
    mock.release();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(128 + 15));
    let tokens: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
    assert_eq!(tokens["accessToken"], "AT-doc-1");
}
