//! `test-scopes` end to end: a real token from the sandbox's OAuth flow, or a scripted mock.

use crate::common;

use std::path::{Path, PathBuf};

use common::{Action, Home, MockWebex, run, wizard};

/// An integration on `sandbox` granted `granted`, authorized through the binary; the tokens file.
fn tokens_for(sandbox: &common::Sandbox, home: &Home, granted: &[&str]) -> PathBuf {
    common::create_and_authorize(sandbox, home, granted).1
}

fn test_scopes(base: &str, home: &Home, tokens: &Path, scopes: &[&str], json: bool) -> common::Run {
    let mut cmd = wizard(home);
    cmd.args(["--api-base", base, "test-scopes", "--access-token-file"])
        .arg(tokens);
    for s in scopes {
        cmd.args(["--scope", s]);
    }
    if json {
        cmd.arg("--json");
    }
    run(&mut cmd)
}

/// `test-scopes --scope spark:people_read` against the mock, with `token` from the environment.
fn people_read_on(mock: &MockWebex, token: &str) -> common::Run {
    let home = Home::new();
    run(wizard(&home)
        .env("WEBEX_ACCESS_TOKEN", token)
        .args(["--api-base", &mock.base, "test-scopes"])
        .args(["--scope", "spark:people_read"]))
}

/// The verdict column of the text table, per scope.
fn verdicts(table: &str) -> Vec<(String, String)> {
    table
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("  ") && !l.starts_with("The token"))
        .map(|l| {
            let scope = l.split_whitespace().next().unwrap().to_owned();
            let verdict = l.rsplit("  ").next().unwrap().trim().to_owned();
            (scope, verdict)
        })
        .collect()
}

#[test]
fn granted_scopes_work_a_missing_one_is_refused_and_the_json_matches_the_table() {
    if common::missing(&["curl"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let tokens = tokens_for(
        &sandbox,
        &home,
        &[
            "spark:people_read",
            "spark:rooms_read",
            "spark:messages_read",
        ],
    );
    let scopes = [
        "spark:people_read",
        "spark:messages_read",
        "spark-admin:people_read",
        "spark:kms",
    ];
    let text = test_scopes(sandbox.base().as_str(), &home, &tokens, &scopes, false);
    assert_eq!(text.code, 6, "{}\n{}", text.stdout, text.stderr);
    let rows = verdicts(&text.stdout);
    assert_eq!(
        rows,
        [
            ("spark:people_read".to_owned(), "works".to_owned()),
            ("spark:messages_read".to_owned(), "works".to_owned()),
            ("spark-admin:people_read".to_owned(), "refused".to_owned()),
            ("spark:kms".to_owned(), "no read-only probe".to_owned()),
        ],
        "{}",
        text.stdout
    );
    // The two-step probe filled the room ID from GET /rooms first.
    assert!(
        text.stdout.contains("GET /messages?roomId=Y2lz"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("trackingId SANDBOX_"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("The token expires"), "{}", text.stdout);

    let json = test_scopes(sandbox.base().as_str(), &home, &tokens, &scopes, true);
    assert_eq!(json.code, 6);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let from_json: Vec<(String, String)> = value["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["scope"].as_str().unwrap().to_owned(),
                r["verdictText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(from_json, rows);
    assert_eq!(value["results"][2]["status"], 403);
    assert_eq!(value["anyRefused"], true);
    assert!(value["tokenExpiresAt"].is_string());

    // Only granted scopes: exit 0; with no --scope, the tokens file's granted scopes are tested.
    let granted = test_scopes(sandbox.base().as_str(), &home, &tokens, &[], false);
    assert_eq!(granted.code, 0, "{}", granted.stdout);
    assert_eq!(verdicts(&granted.stdout).len(), 3);
    let access: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&tokens).unwrap()).unwrap();
    let access = access["accessToken"].as_str().unwrap();
    assert!(!text.stdout.contains(access) && !json.stdout.contains(access));
}

#[test]
fn a_429_is_waited_out() {
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/people/me",
        vec![
            Action::webex_error(429, "Too many requests", "RATE_1").with_header("Retry-After", "1"),
            Action::json(200, common::PERSON),
        ],
    );
    let r = people_read_on(&mock, "a-token");
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(
        verdicts(&r.stdout),
        [("spark:people_read".to_owned(), "works".to_owned())]
    );
    assert_eq!(
        mock.count("GET /v1/people/me"),
        2,
        "the 429 was not retried"
    );
}

#[test]
fn an_invalid_token_is_said_so_and_exits_6() {
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/people/me",
        vec![Action::webex_error(
            401,
            "The request requires a valid access token",
            "T401",
        )],
    );
    let r = people_read_on(&mock, "expired");
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert_eq!(
        verdicts(&r.stdout),
        [("spark:people_read".to_owned(), "token invalid".to_owned())]
    );
    assert!(r.stdout.contains("T401"));
}

#[test]
fn a_probe_without_a_usable_answer_exits_4() {
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/people/me",
        vec![Action::webex_error(503, "Service Unavailable", "T503")],
    );
    let r = people_read_on(&mock, "a-token");
    assert_eq!(r.code, 4, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(
        verdicts(&r.stdout),
        [("spark:people_read".to_owned(), "error".to_owned())]
    );
}

#[test]
fn a_failed_earlier_call_is_named_and_a_scope_without_a_probe_shows_no_time() {
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/rooms",
        vec![Action::webex_error(
            403,
            "Missing scope spark:rooms_read",
            "T403",
        )],
    );
    let home = Home::new();
    let args = [
        "--scope",
        "spark:messages_read",
        "--scope",
        "spark:messages_write",
    ];
    let text = run(wizard(&home)
        .env("WEBEX_ACCESS_TOKEN", "a-token")
        .args(["--api-base", &mock.base, "test-scopes"])
        .args(args));
    assert_eq!(
        verdicts(&text.stdout),
        [
            (
                "spark:messages_read".to_owned(),
                "earlier call failed".to_owned()
            ),
            (
                "spark:messages_write".to_owned(),
                "no read-only probe".to_owned()
            ),
        ],
        "{}",
        text.stdout
    );
    let row = |scope: &str| {
        text.stdout
            .lines()
            .find(|l| l.starts_with(scope))
            .unwrap()
            .to_owned()
    };
    // The scope's own request stays its own (never the earlier call's), unsent: no status, no time.
    assert!(row("spark:messages_read").contains("GET /messages?roomId={roomId}"));
    assert!(
        !row("spark:messages_read").contains(" ms "),
        "{}",
        text.stdout
    );
    assert!(
        !row("spark:messages_write").contains(" ms "),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("the earlier call GET /rooms?max=1 answered 403 (refused)"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("T403"), "{}", text.stdout);
    // Only the earlier call was made.
    assert_eq!(mock.count("GET /v1/rooms"), 1);
    assert!(
        !mock
            .requests()
            .iter()
            .any(|r| r.path.starts_with("/v1/messages"))
    );

    let json = run(wizard(&home)
        .env("WEBEX_ACCESS_TOKEN", "a-token")
        .args(["--api-base", &mock.base, "test-scopes", "--json"])
        .args(args));
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let read = &value["results"][0];
    assert_eq!(read["earlierCall"], "GET /rooms?max=1");
    assert_eq!(read["earlierStatus"], 403);
    assert!(
        read["status"].is_null() && read["elapsed"].is_null(),
        "{read}"
    );
    assert!(value["results"][1]["elapsed"].is_null());
}
