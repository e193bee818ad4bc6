//! `webex-wizard create` end to end: against the sandbox and a scripted mock of Webex.

use crate::common;

use std::os::unix::fs::PermissionsExt;

use common::*;
use serde_json::Value;

#[test]
fn create_against_the_sandbox_sends_every_field() {
    let home = Home::new();
    let sb = sandbox();
    let token = expose(sb.admin_token());
    let save = home.path().join("creds.json");
    let r = run(wizard(&home)
        .args(["--api-base", sb.base().as_str()])
        .args(good_flags())
        .args(["--json", "--save"])
        .arg(&save)
        .env("WEBEX_ADMIN_TOKEN", &token));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let answer: Value = serde_json::from_str(&r.stdout).expect("--json prints JSON on stdout");
    assert!(r.stderr.contains("shown only this once"), "{}", r.stderr);

    // What the sandbox stored is exactly what we sent.
    let (status, list) = get_json(&sb.base().join("/applications"), &token);
    assert_eq!(status, 200);
    let stored = &list["items"][0];
    assert_eq!(stored["type"], "integration");
    assert_eq!(stored["name"], "Audit Reader");
    assert_eq!(stored["description"], "Reads the admin audit log");
    assert_eq!(stored["contactEmail"], "admin@agency.example.gov");
    assert_eq!(stored["companyName"], "Agency");
    assert_eq!(
        stored["redirectUrls"],
        serde_json::json!([
            "http://localhost:8080/callback",
            "https://app.agency.example.gov/oauth"
        ])
    );
    assert_eq!(
        stored["scopes"],
        serde_json::json!(["audit:events_read", "spark:people_read"])
    );
    assert_eq!(stored["clientId"], answer["clientId"]);
    let secret = answer["clientSecret"].as_str().unwrap();
    assert!(secret.len() >= 32);

    // The saved file holds the ID and secret, 0600.
    let meta = std::fs::metadata(&save).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&save).unwrap()).unwrap();
    assert_eq!(saved["clientSecret"], secret);
    assert_eq!(saved["clientId"], answer["clientId"]);
    assert_eq!(saved["apiBase"], sb.base().as_str());

    // --save never overwrites, and refuses before sending anything.
    let again = run(wizard(&home)
        .args(["--api-base", sb.base().as_str()])
        .args(good_flags())
        .arg("--save")
        .arg(&save)
        .env("WEBEX_ADMIN_TOKEN", &token));
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    let (_, list) = get_json(&sb.base().join("/applications"), &token);
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[test]
fn the_readme_demo_command_works() {
    let home = Home::new();
    let r = run(wizard(&home).current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "--demo",
        "create",
        "--from",
        "assets/example-integration.json",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Client ID:"), "{}", r.stdout);
    assert!(r.stdout.contains("Client secret:"), "{}", r.stdout);
}

#[test]
fn every_validation_rule_stops_before_sending() {
    let home = Home::new();
    let mock = MockWebex::start();
    let cases: Vec<(&str, &str, &str)> = vec![
        ("--name", "   ", "name"),
        ("--description", "", "description"),
        ("--contact-email", "not-an-email", "contactEmail"),
        (
            "--company",
            &*Box::leak("c".repeat(101).into_boxed_str()),
            "companyName",
        ),
        (
            "--redirect-url",
            "http://app.example.com/cb",
            "redirectUrls",
        ),
        (
            "--redirect-url",
            "https://app.example.com/cb#x",
            "redirectUrls",
        ),
        ("--redirect-url", "relative/cb", "redirectUrls"),
        ("--scope", "spark:people read", "scopes"),
    ];
    for (flag, value, field) in cases {
        let mut args = good_flags();
        // Replace every occurrence of the flag by the bad value once.
        let mut i = 0;
        let mut replaced = false;
        while i < args.len() {
            if args[i] == flag {
                if replaced {
                    args.drain(i..i + 2);
                    continue;
                }
                args[i + 1] = value;
                replaced = true;
            }
            i += 1;
        }
        if !replaced {
            args.extend([flag, value]);
        }
        let r = run(wizard(&home)
            .args(["--api-base", &mock.base])
            .args(&args)
            .env("WEBEX_ADMIN_TOKEN", "t0k3n"));
        assert_eq!(r.code, 2, "{flag} {value:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("  - {field}")),
            "{flag} {value:?} names its field: {}",
            r.stderr
        );
    }
    // No redirect URL at all, no scope at all.
    let r = run(wizard(&home)
        .args([
            "--api-base",
            &mock.base,
            "create",
            "--name",
            "n",
            "--description",
            "d",
            "--contact-email",
            "a@example.com",
        ])
        .env("WEBEX_ADMIN_TOKEN", "t0k3n"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("- redirectUrls") && r.stderr.contains("- scopes"),
        "{}",
        r.stderr
    );
    assert!(
        mock.requests().is_empty(),
        "nothing is sent on invalid input: {:?}",
        mock.requests()
    );
}

#[test]
fn an_unknown_scope_is_a_warning_and_the_sandbox_refuses_it_with_a_tracking_id() {
    let home = Home::new();
    let sb = sandbox();
    let mut args = good_flags();
    args.extend(["--scope", "custom:made_up"]);
    let r = run(wizard(&home)
        .args(["--api-base", sb.base().as_str()])
        .args(&args)
        .env("WEBEX_ADMIN_TOKEN", expose(sb.admin_token())));
    assert!(
        r.stderr
            .contains("warning: scopes #3: 'custom:made_up' is not in the scope catalog"),
        "{}",
        r.stderr
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("HTTP 400 Bad Request"), "{}", r.stderr);
    assert!(
        r.stderr.contains("Invalid scope(s): custom:made_up"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("trackingId: SANDBOX_"), "{}", r.stderr);
}

#[test]
fn no_token_is_a_clear_usage_error() {
    let home = Home::new();
    let mock = MockWebex::start();
    let r = run(wizard(&home)
        .args(["--api-base", &mock.base])
        .args(good_flags()));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no admin token: set WEBEX_ADMIN_TOKEN"),
        "{}",
        r.stderr
    );
    assert!(mock.requests().is_empty());
}

#[test]
fn token_file_and_stdin_are_token_sources() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/applications",
        vec![Action::json(
            200,
            r#"{"clientId":"C1","clientSecret":"S1"}"#,
        )],
    );
    let file = home.path().join("token");
    std::fs::write(&file, "Bearer from-file-token\n").unwrap();
    let r = run(wizard(&home)
        .args(["--api-base", &mock.base, "--token-file"])
        .arg(&file)
        .args(good_flags()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(wizard(&home)
        .args(["--api-base", &mock.base, "--token-file", "-"])
        .args(good_flags())
        .write_stdin("from-stdin-token"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let auth: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| r.headers["authorization"].clone())
        .collect();
    assert!(
        auth.contains(&"Bearer from-file-token".to_string()),
        "{auth:?}"
    );
    assert!(
        auth.contains(&"Bearer from-stdin-token".to_string()),
        "{auth:?}"
    );
}

/// Run a create against the mock with its POST scripted, and return the run.
fn create_with(mock: &MockWebex, home: &Home, extra: &[&str]) -> Run {
    run(wizard(home)
        .args(["--api-base", &mock.base])
        .args(extra)
        .args(good_flags())
        .env("WEBEX_ADMIN_TOKEN", "admin-t0k3n-value"))
}

#[test]
fn an_expired_admin_token_is_reported_before_anything_is_created() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/people/me",
        vec![Action::webex_error(
            401,
            "The request requires a valid access token set in the Authorization request header.",
            "ROUTER_401",
        )],
    );
    let r = create_with(&mock, &home, &[]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("HTTP 401 Unauthorized"), "{}", r.stderr);
    assert!(r.stderr.contains("trackingId: ROUTER_401"), "{}", r.stderr);
    assert!(r.stderr.contains("at most 12 hours"), "{}", r.stderr);
    assert_eq!(mock.count("POST /v1/applications"), 0);
}

#[test]
fn refusals_exit_3_with_status_message_and_tracking_id() {
    for (status, message, reason, advice) in [
        (
            400,
            "redirectUrls is invalid",
            "Bad Request",
            "Correct the field",
        ),
        (401, "Token expired", "Unauthorized", "12 hours"),
        (
            403,
            "Not allowed to manage applications",
            "Forbidden",
            "full Control Hub admin",
        ),
        (
            415,
            "Content type not supported",
            "Unsupported Media Type",
            "bug in webex-wizard",
        ),
    ] {
        let home = Home::new();
        let mock = MockWebex::start();
        let tracking = format!("ROUTER_{status}");
        mock.on(
            "POST /v1/applications",
            vec![Action::webex_error(status, message, &tracking)],
        );
        let r = create_with(&mock, &home, &[]);
        assert_eq!(r.code, 3, "{status}: {}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("HTTP {status} {reason}: {message}")),
            "{status}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains(&format!("trackingId: {tracking}")),
            "{status}: {}",
            r.stderr
        );
        assert!(r.stderr.contains(advice), "{status}: {}", r.stderr);
        assert_eq!(
            mock.count("POST /v1/applications"),
            1,
            "a refusal is not retried"
        );
    }
}

#[test]
fn a_429_is_retried_after_retry_after_at_most_twice() {
    let home = Home::new();
    let mock = MockWebex::start();
    let limited =
        Action::webex_error(429, "Too Many Requests", "ROUTER_429").with_header("Retry-After", "0");
    mock.on(
        "POST /v1/applications",
        vec![
            limited.clone(),
            Action::json(200, r#"{"clientId":"C429","clientSecret":"S429"}"#),
        ],
    );
    let r = create_with(&mock, &home, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("C429"));
    assert_eq!(mock.count("POST /v1/applications"), 2);

    let home = Home::new();
    let mock = MockWebex::start();
    mock.on("POST /v1/applications", vec![limited]);
    let r = create_with(&mock, &home, &[]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("HTTP 429 Too Many Requests"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("trackingId: ROUTER_429"), "{}", r.stderr);
    assert_eq!(
        mock.count("POST /v1/applications"),
        3,
        "one try and two retries"
    );
}

#[test]
fn a_500_exits_4_and_warns_the_integration_may_exist() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/applications",
        vec![Action::webex_error(500, "Internal error", "ROUTER_500")],
    );
    let r = create_with(&mock, &home, &[]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("HTTP 500 Internal Server Error: Internal error"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("trackingId: ROUTER_500"), "{}", r.stderr);
    assert!(r.stderr.contains("may or may not exist"), "{}", r.stderr);
    assert_eq!(
        mock.count("POST /v1/applications"),
        1,
        "a 5xx POST is never retried"
    );
}

#[test]
fn a_200_that_is_not_json_is_saved_0600_and_its_path_printed() {
    let home = Home::new();
    let mock = MockWebex::start();
    let raw = "clientId=C9 clientSecret=one-time-secret-xyz (not JSON)";
    mock.on(
        "POST /v1/applications",
        vec![Action::Respond {
            status: 200,
            headers: vec![("trackingid".into(), "ROUTER_200".into())],
            body: raw.into(),
        }],
    );
    let r = create_with(&mock, &home, &[]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("probably created"), "{}", r.stderr);
    let path = r
        .stderr
        .split("saved to ")
        .nth(1)
        .and_then(|rest| rest.split(" (mode 0600)").next())
        .expect("the path is printed");
    let path = std::path::Path::new(path);
    assert!(path.starts_with(home.state().join("recovery")), "{path:?}");
    assert_eq!(std::fs::read_to_string(path).unwrap(), raw);
    assert_eq!(
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o700
    );
    assert!(
        !r.stderr.contains("one-time-secret-xyz"),
        "the secret is not echoed in the error"
    );
}

#[test]
fn a_response_slower_than_the_timeout_exits_4() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on("POST /v1/applications", vec![Action::Hang]);
    let r = create_with(&mock, &home, &["--timeout", "0.5"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("no answer from"), "{}", r.stderr);
    assert!(r.stderr.contains("within 0.5 s"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("check Control Hub before sending it again"),
        "{}",
        r.stderr
    );
    assert_eq!(
        mock.count("POST /v1/applications"),
        1,
        "a POST that may have arrived is never re-sent"
    );
}

#[test]
fn a_dropped_connection_exits_4() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on("POST /v1/applications", vec![Action::Drop]);
    let r = create_with(&mock, &home, &[]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains("broke before a complete answer arrived"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("check Control Hub"), "{}", r.stderr);
    assert_eq!(mock.count("POST /v1/applications"), 1);
}

#[test]
fn nothing_listening_is_a_connect_error() {
    let home = Home::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let r = run(wizard(&home)
        .args(["--api-base", &format!("http://127.0.0.1:{port}/v1")])
        .args(good_flags())
        .env("WEBEX_ADMIN_TOKEN", "x"));
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("could not connect"), "{}", r.stderr);
}

#[test]
fn dry_run_prints_body_and_curl_without_the_token_and_sends_nothing() {
    let home = Home::new();
    let mock = MockWebex::start();
    let token = "super-secret-admin-token-42";
    let r = run(wizard(&home)
        .args(["--api-base", &mock.base])
        .args(good_flags())
        .arg("--dry-run")
        .env("WEBEX_ADMIN_TOKEN", token));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(r#""type": "integration""#),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("curl --request POST"), "{}", r.stdout);
    assert!(r.stdout.contains("$WEBEX_ADMIN_TOKEN"), "{}", r.stdout);
    assert!(!r.stdout.contains(token) && !r.stderr.contains(token));
    assert!(mock.requests().is_empty());
}

#[test]
fn dry_run_json_is_one_document_with_the_body_and_the_curl_command() {
    let home = Home::new();
    let mock = MockWebex::start();
    let r = run(wizard(&home)
        .args(["--api-base", &mock.base])
        .args(good_flags())
        .args(["--dry-run", "--json"])
        .env("WEBEX_ADMIN_TOKEN", "x"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(doc["body"]["type"], "integration");
    assert_eq!(doc["body"]["name"], "Audit Reader");
    assert_eq!(doc["method"], "POST");
    assert!(doc["url"].as_str().unwrap().ends_with("/applications"));
    assert!(
        doc["curl"]
            .as_str()
            .unwrap()
            .starts_with("curl --request POST")
    );
    assert!(mock.requests().is_empty());
}

#[test]
fn the_printed_curl_command_runs_as_shown() {
    if common::missing(&["curl", "sh"]) {
        return;
    }
    let home = Home::new();
    let sb = sandbox();
    let long = "It's long: ".to_owned() + &"reads the audit log, ".repeat(12);
    let mut flags = good_flags();
    let at = flags.iter().position(|f| *f == "--description").unwrap();
    flags[at + 1] = &long;
    let r = run(wizard(&home)
        .args(["--api-base", sb.base().as_str()])
        .args(flags)
        .args(["--dry-run", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let curl = doc["curl"].as_str().unwrap();
    let out = std::process::Command::new("sh")
        .args(["-c", curl])
        .env("WEBEX_ADMIN_TOKEN", expose(sb.admin_token()))
        .output()
        .unwrap();
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert!(answer["clientId"].is_string(), "{answer}");
    assert_eq!(answer["description"], long.trim());
}

#[test]
fn plain_http_to_a_remote_base_is_refused() {
    let home = Home::new();
    let r = run(wizard(&home)
        .args(["--api-base", "http://api.example.com/v1"])
        .args(good_flags())
        .env("WEBEX_ADMIN_TOKEN", "x"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Use https"), "{}", r.stderr);
}

#[test]
fn verbose_logs_into_a_pipe_carry_no_colour_codes() {
    let home = Home::new();
    let sb = sandbox();
    let r = run(wizard(&home)
        .args(["--api-base", sb.base().as_str(), "-v"])
        .args(good_flags())
        .env("WEBEX_ADMIN_TOKEN", expose(sb.admin_token())));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("/applications"), "{}", r.stderr);
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
}

#[test]
fn logs_show_requests_but_never_the_token_or_secret() {
    let home = Home::new();
    let sb = sandbox();
    let token = expose(sb.admin_token());
    let log = home.path().join("wizard.log");
    let r = run(wizard(&home)
        .args(["--api-base", sb.base().as_str(), "-vvv", "--log-file"])
        .arg(&log)
        .args(good_flags())
        .env("WEBEX_ADMIN_TOKEN", &token)
        .env("RUST_LOG", "trace"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let secret = r
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Client secret:"))
        .unwrap()
        .trim()
        .to_owned();
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(
        log_text.contains("POST")
            && log_text.contains("/applications")
            && log_text.contains("status=200"),
        "{log_text}"
    );
    assert!(log_text.contains("tracking_id=SANDBOX_"), "{log_text}");
    for (what, text) in [("stderr", &r.stderr), ("log file", &log_text)] {
        assert!(
            !text.contains(&token),
            "the admin token leaked into the {what}"
        );
        assert!(
            !text.contains(&secret),
            "the client secret leaked into the {what}"
        );
    }
}

#[test]
fn scopes_lists_and_searches_the_catalog() {
    let home = Home::new();
    let r = run(wizard(&home).args(["scopes", "--search", "audit", "--json"]));
    assert_eq!(r.code, 0);
    let found: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    assert!(found.iter().any(|s| s["name"] == "audit:events_read"));
    assert!(found.iter().all(|s| {
        let text = format!("{} {}", s["name"], s["summary"]).to_lowercase();
        text.contains("audit")
    }));
    let r = run(wizard(&home).args(["scopes"]));
    assert!(r.stdout.lines().count() > 100);
}

/// The one recovery file of `home` that holds a raw create answer.
fn raw_answer_kept(home: &Home) -> Vec<u8> {
    let files: Vec<_> = std::fs::read_dir(home.state().join("recovery"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("create-answer")
        })
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(
        std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    std::fs::read(&files[0]).unwrap()
}

#[test]
fn a_2xx_that_breaks_mid_body_keeps_what_arrived() {
    let body = r#"{"clientId":"C77","clientSecret":"one-time-s3cret","name":"Audit Reader","redirectUrls":["#;
    let answers = [
        // A Content-Length that lies: the connection closes early.
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{body}"
        ),
        // A chunked body whose next chunk never comes.
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n",
            body.len()
        ),
        // A bad chunk header.
        format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\nZZZ\r\n",
            body.len()
        ),
    ];
    for raw in answers {
        let home = Home::new();
        let mock = MockWebex::start();
        mock.on(
            "POST /v1/applications",
            vec![Action::Raw(raw.clone().into_bytes())],
        );
        let r = create_with(&mock, &home, &[]);
        assert_eq!(r.code, 4, "{raw}\n{}", r.stderr);
        assert!(r.stderr.contains("probably created"), "{}", r.stderr);
        let kept = String::from_utf8(raw_answer_kept(&home)).unwrap();
        assert!(kept.contains("one-time-s3cret"), "{kept}");
        assert!(!r.stderr.contains("one-time-s3cret"));
    }
}

#[test]
fn an_endless_answer_is_cut_at_the_cap_reported_as_too_large_and_kept() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on("POST /v1/applications", vec![Action::Endless]);
    let r = create_with(&mock, &home, &[]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("larger than 4 MiB"), "{}", r.stderr);
    assert_eq!(raw_answer_kept(&home).len(), 4 * 1024 * 1024);
}

#[test]
fn a_429_retry_never_outlasts_the_timeout() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/applications",
        vec![
            Action::webex_error(429, "Too many requests", "RATE_1")
                .with_header("Retry-After", "60"),
            Action::json(200, r#"{"clientId":"C1","clientSecret":"S1"}"#),
        ],
    );
    // With 5 s for the whole operation, a 60 s Retry-After is reported, not waited out.
    let r = create_with(&mock, &home, &["--timeout", "5"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("wait 60 s"), "{}", r.stderr);
    assert_eq!(mock.count("POST /v1/applications"), 1);
}

#[test]
fn a_log_file_is_never_written_through_a_symlink_or_left_readable() {
    let home = Home::new();
    let mock = MockWebex::start();
    // A symlink in a shared folder pointing at the user's shell start-up file.
    let target = home.path().join("bashrc");
    std::fs::write(&target, "# mine\n").unwrap();
    let link = home.path().join("wizard.log");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let r = create_with(&mock, &home, &["--log-file", link.to_str().unwrap(), "-v"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "# mine\n");
    assert!(mock.requests().is_empty());
    // An existing world-writable log of ours becomes 0600.
    let log = home.path().join("open.log");
    std::fs::write(&log, "").unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o666)).unwrap();
    let r = create_with(&mock, &home, &["--log-file", log.to_str().unwrap(), "-v"]);
    assert_eq!(r.code, 3, "the mock refuses the create: {}", r.stderr);
    assert_eq!(
        std::fs::metadata(&log).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("/applications")
    );
}

#[test]
fn save_to_a_dangling_symlink_or_an_unwritable_folder_is_refused_before_sending() {
    let home = Home::new();
    let mock = MockWebex::start();
    let dangling = home.path().join("creds.json");
    std::os::unix::fs::symlink(home.path().join("nowhere/creds.json"), &dangling).unwrap();
    let blocked = home.path().join("a-file");
    std::fs::write(&blocked, "").unwrap();
    for path in [dangling, blocked.join("creds.json")] {
        let r = create_with(&mock, &home, &["--save", path.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("--save"), "{}", r.stderr);
    }
    assert!(
        !mock.requests().iter().any(|q| q.method == "POST"),
        "nothing may be sent"
    );
}

#[test]
fn a_file_that_cannot_be_read_is_not_a_usage_error() {
    let home = Home::new();
    let mock = MockWebex::start();
    let missing = home.path().join("missing.json");
    let mut with_token_file = vec!["--token-file", missing.to_str().unwrap()];
    with_token_file.extend(good_flags());
    for args in [
        vec!["create", "--from", missing.to_str().unwrap()],
        with_token_file,
    ] {
        let r = run(wizard(&home).args(["--api-base", &mock.base]).args(&args));
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("could not read"), "{}", r.stderr);
    }
    // A file that is read but is not a body stays invalid input (exit 2).
    std::fs::write(&missing, "not json").unwrap();
    let r = run(wizard(&home)
        .args(["--api-base", &mock.base, "create", "--from"])
        .arg(&missing));
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn a_proxy_in_the_environment_does_not_take_loopback_requests() {
    let home = Home::new();
    // Nothing listens on this port: a request sent through the "proxy" would fail to connect.
    let dead = format!("http://127.0.0.1:{}", common::free_port());
    let r = run(wizard(&home)
        .env("HTTP_PROXY", &dead)
        .env("http_proxy", &dead)
        .env("HTTPS_PROXY", &dead)
        .env("ALL_PROXY", &dead)
        .args(["--demo"])
        .args(good_flags())
        .arg("--json"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("clientSecret"));
}

/// Issue 21: each answer carries its own trackingId to the audit line; no shared "last" slot
/// that the calls around it (the token check, the list of applications) could have overwritten.
#[test]
fn the_create_line_carries_the_create_answers_tracking_id() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/people/me",
        vec![Action::json(200, common::PERSON).with_header("trackingid", "TRACK-PEOPLE")],
    );
    mock.on(
        "GET /v1/applications",
        vec![Action::json(200, r#"{"items":[]}"#).with_header("trackingid", "TRACK-LIST")],
    );
    mock.on(
        "POST /v1/applications",
        vec![
            Action::json(200, r#"{"clientId":"C1","clientSecret":"S1"}"#)
                .with_header("trackingid", "TRACK-CREATE"),
        ],
    );
    let trail = home.path().join("audit.jsonl");
    let r = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", "admin-token")
        .args(["--api-base", &mock.base, "--audit-log"])
        .arg(&trail)
        .args(good_flags()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(&trail)
            .unwrap()
            .lines()
            .find(|l| l.contains(r#""action":"create""#))
            .expect("a create line"),
    )
    .unwrap();
    assert_eq!(line["trackingId"], "TRACK-CREATE", "{line}");
    // Issue 22: the token check, the list and the create share one connection.
    assert_eq!(mock.requests().len(), 3, "{:?}", mock.requests());
    assert_eq!(mock.connections(), 1, "one connection per process");
    // A create whose connection drops has no answer, so no trackingId: never an earlier call's.
    let home = Home::new();
    mock.on("POST /v1/applications", vec![Action::Drop]);
    let trail = home.path().join("audit.jsonl");
    let r = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", "admin-token")
        .args(["--api-base", &mock.base, "--audit-log"])
        .arg(&trail)
        .args(good_flags()));
    assert_ne!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&trail).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains(r#""action":"create""#))
        .expect("a create line");
    assert!(
        !line.contains("TRACK-"),
        "another call's trackingId: {line}"
    );
}
