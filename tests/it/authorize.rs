//! `authorize` and `refresh` end to end: the real binary, a "browser" that is a script
//! (`$BROWSER`, as the webbrowser crate honours it) fetching URLs with curl, the sandbox or a
//! scripted mock of Webex.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{Action, Home, MockWebex, browser_script, free_port, run, wizard};

const TOKENS: &str = r#"{"access_token":"AT-mock-1","expires_in":1209600,"refresh_token":"RT-mock-1","refresh_token_expires_in":5184000,"token_type":"Bearer","scope":"spark:people_read"}"#;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// `authorize` against the mock with client C1 / secret S1 and `browser` as the browser.
fn authorize_with_mock(
    home: &Home,
    mock: &MockWebex,
    redirect: &str,
    browser: &Path,
) -> common::Run {
    run(wizard(home)
        .env("WEBEX_CLIENT_SECRET", "S1-secret")
        .env("BROWSER", browser)
        .args(["--api-base", &mock.base, "--timeout", "20", "authorize"])
        .args(["--client-id", "C1", "--redirect-url", redirect])
        .args(["--scope", "spark:people_read"]))
}

#[test]
fn demo_authorize_gets_tokens_through_the_browser_and_prints_none_of_them() {
    if common::missing(&["curl"]) {
        return;
    }
    let home = Home::new();
    let port = free_port();
    let redirect = format!("http://127.0.0.1:{port}/callback");
    let page = home.path().join("page.html");
    let b = browser_script(
        home.path(),
        &format!("curl -sS -L -o '{}' \"$1\"", page.display()),
    );
    let saved = home.path().join("tokens.json");
    let r = run(wizard(&home)
        .env("BROWSER", &b)
        .env("RUST_LOG", "trace")
        .args(["-vv", "--demo", "authorize", "--redirect-url", &redirect])
        .args([
            "--scope",
            "spark:people_read",
            "--scope",
            "spark:rooms_read",
        ])
        .arg("--save")
        .arg(&saved));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        read(&page).contains("Authorization received"),
        "{}",
        read(&page)
    );
    assert!(r.stdout.contains("(in 14 days)"), "{}", r.stdout);
    assert!(r.stdout.contains("spark:people_read spark:rooms_read"));
    let tokens: serde_json::Value = serde_json::from_str(&read(&saved)).unwrap();
    assert_eq!(
        std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let access = tokens["accessToken"].as_str().unwrap();
    let refresh = tokens["refreshToken"].as_str().unwrap();
    assert_eq!(tokens["expiresIn"], 1_209_600);
    // Not even a trace-level log holds a token.
    assert!(
        r.stderr.contains("access_token"),
        "the log is not at trace level"
    );
    for secret in [access, refresh] {
        assert!(!r.stdout.contains(secret) && !r.stderr.contains(secret));
    }
    assert!(
        r.stderr.contains("code_challenge_method=S256"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_forged_callback_is_refused_and_the_real_one_still_wins() {
    if common::missing(&["curl"]) {
        return;
    }
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on("POST /v1/access_token", vec![Action::json(200, TOKENS)]);
    let port = free_port();
    let redirect = format!("http://127.0.0.1:{port}/cb");
    let (forged, real) = (
        home.path().join("forged.html"),
        home.path().join("real.html"),
    );
    // Any page the user visits can hit the loopback port first: a wrong state, no state, a
    // repeated state. None of them ends the wait; the browser's own answer does.
    let b = browser_script(
        home.path(),
        &format!(
            "curl -s -o '{f}' '{redirect}?code=stolen&state=forged'\n\
             curl -s -o /dev/null '{redirect}?code=stolen'\n\
             curl -s -o /dev/null \"{redirect}?code=stolen&state=$STATE&state=$STATE\"\n\
             curl -s -o '{r}' \"{redirect}?code=the-real-code&state=$STATE\"",
            f = forged.display(),
            r = real.display()
        ),
    );
    let r = authorize_with_mock(&home, &mock, &redirect, &b);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        read(&forged).contains("does not belong"),
        "{}",
        read(&forged)
    );
    assert!(
        read(&real).contains("Authorization received"),
        "{}",
        read(&real)
    );
    assert!(r.stderr.contains("(3 so far)"), "{}", r.stderr);
    let exchanges: Vec<_> = mock
        .requests()
        .into_iter()
        .filter(|q| q.path == "/v1/access_token")
        .collect();
    assert_eq!(exchanges.len(), 1);
    assert!(
        exchanges[0].body.contains("code=the-real-code"),
        "{}",
        exchanges[0].body
    );
}

#[test]
fn only_forged_callbacks_end_in_a_timeout_that_counts_them() {
    if common::missing(&["curl"]) {
        return;
    }
    let home = Home::new();
    let mock = MockWebex::start();
    let redirect = format!("http://127.0.0.1:{}/cb", free_port());
    let b = browser_script(
        home.path(),
        &format!("curl -s -o /dev/null '{redirect}?code=stolen&state=forged'"),
    );
    let r = run(wizard(&home)
        .env("WEBEX_CLIENT_SECRET", "S1-secret")
        .env("BROWSER", &b)
        .args(["--api-base", &mock.base, "--timeout", "2", "authorize"])
        .args(["--client-id", "C1", "--redirect-url", &redirect])
        .args(["--scope", "spark:people_read"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("1 answer(s) that were not ours were refused"),
        "{}",
        r.stderr
    );
    assert_eq!(mock.count("POST /v1/access_token"), 0);
}

#[test]
fn access_denied_and_a_missing_code_end_with_exit_5() {
    if common::missing(&["curl"]) {
        return;
    }
    for (query, expect) in [
        (
            "error=access_denied&error_description=The+user+declined&state=$STATE",
            "authorization was refused: access_denied (The user declined)",
        ),
        ("state=$STATE", "carries no authorization code"),
    ] {
        let home = Home::new();
        let mock = MockWebex::start();
        let redirect = format!("http://127.0.0.1:{}/cb", free_port());
        let b = browser_script(
            home.path(),
            &format!("curl -s -o /dev/null \"{redirect}?{query}\""),
        );
        let r = authorize_with_mock(&home, &mock, &redirect, &b);
        assert_eq!(r.code, 5, "{query}: {}", r.stderr);
        assert!(r.stderr.contains(expect), "{query}: {}", r.stderr);
        assert_eq!(mock.count("POST /v1/access_token"), 0);
    }
}

#[test]
fn other_paths_get_404_and_only_the_first_callback_counts() {
    if common::missing(&["curl"]) {
        return;
    }
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on("POST /v1/access_token", vec![Action::json(200, TOKENS)]);
    let redirect = format!("http://127.0.0.1:{}/cb", free_port());
    let statuses = home.path().join("statuses");
    let s = statuses.display();
    let b = browser_script(
        home.path(),
        &format!(
            "curl -s -o /dev/null -w '%{{http_code}}\\n' \"{redirect}/other?code=c&state=$STATE\" >> '{s}'\n\
             curl -s -o /dev/null -w '%{{http_code}}\\n' -X POST \"{redirect}?code=c&state=$STATE\" >> '{s}'\n\
             curl -s -o /dev/null -w '%{{http_code}}\\n' \"{redirect}?code=the-code&state=$STATE\" >> '{s}'\n\
             curl -s -o /dev/null -w '%{{http_code}}\\n' \"{redirect}?code=second&state=$STATE\" >> '{s}'\n\
             echo done >> '{s}'"
        ),
    );
    let r = authorize_with_mock(&home, &mock, &redirect, &b);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The browser script may outlive the wizard: wait for it to finish.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !read(&statuses).contains("done") {
        assert!(
            std::time::Instant::now() < deadline,
            "the browser script did not finish"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let codes: Vec<String> = read(&statuses).lines().map(str::to_owned).collect();
    assert_eq!(codes[..3], ["404", "404", "200"], "{codes:?}");
    // The listener took one callback: a second one finds it answered (410) or gone (000).
    assert!(matches!(codes[3].as_str(), "410" | "000"), "{codes:?}");
    let exchange = mock
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/access_token")
        .unwrap();
    let form: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(exchange.body.as_bytes())
            .into_owned()
            .collect();
    assert_eq!(form["grant_type"], "authorization_code");
    assert_eq!(form["code"], "the-code");
    assert_eq!(form["client_id"], "C1");
    assert_eq!(form["client_secret"], "S1-secret");
    assert_eq!(form["redirect_uri"], redirect);
    assert_eq!(form["code_verifier"].len(), 43);
    assert_eq!(mock.count("POST /v1/access_token"), 1);
    for secret in ["S1-secret", "AT-mock-1", "RT-mock-1", "the-code"] {
        assert!(
            !r.stdout.contains(secret) && !r.stderr.contains(secret),
            "{secret} was printed"
        );
    }
}

#[test]
fn a_refused_exchange_shows_the_oauth_error_and_exits_5() {
    if common::missing(&["curl"]) {
        return;
    }
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/access_token",
        vec![Action::json(
            400,
            r#"{"error":"invalid_grant","error_description":"The code has expired","trackingID":"NA_tok_1"}"#,
        )],
    );
    let redirect = format!("http://127.0.0.1:{}/cb", free_port());
    let b = browser_script(
        home.path(),
        &format!("curl -s -o /dev/null \"{redirect}?code=c&state=$STATE\""),
    );
    let r = authorize_with_mock(&home, &mock, &redirect, &b);
    assert_eq!(r.code, 5, "{}", r.stderr);
    for part in [
        "invalid_grant",
        "The code has expired",
        "NA_tok_1",
        "authorize again",
    ] {
        assert!(r.stderr.contains(part), "{part}: {}", r.stderr);
    }
}

#[test]
fn the_wait_times_out_with_exit_5() {
    let home = Home::new();
    let mock = MockWebex::start();
    let redirect = format!("http://127.0.0.1:{}/cb", free_port());
    let r = run(wizard(&home)
        .env("WEBEX_CLIENT_SECRET", "S1")
        .args([
            "--api-base",
            &mock.base,
            "--timeout",
            "0.5",
            "authorize",
            "--no-browser",
        ])
        .args([
            "--client-id",
            "C1",
            "--redirect-url",
            &redirect,
            "--scope",
            "spark:people_read",
        ]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(
        r.stderr.contains("no answer from the browser within"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("redirect_uri=http%3A%2F%2F127.0.0.1"),
        "the URL is always shown"
    );
}

#[test]
fn a_port_in_use_is_named() {
    let home = Home::new();
    let mock = MockWebex::start();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let r = run(wizard(&home)
        .env("WEBEX_CLIENT_SECRET", "S1")
        .args([
            "--api-base",
            &mock.base,
            "authorize",
            "--no-browser",
            "--client-id",
            "C1",
        ])
        .args(["--redirect-url", &format!("http://127.0.0.1:{port}/cb")])
        .args(["--scope", "spark:people_read"]));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{}",
        r.stderr
    );
}

#[test]
fn a_non_loopback_redirect_takes_the_pasted_address() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on("POST /v1/access_token", vec![Action::json(200, TOKENS)]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_webex-wizard"))
        .env_clear()
        .env("HOME", home.path())
        .env("WEBEX_CLIENT_SECRET", "S1")
        .args([
            "--api-base",
            &mock.base,
            "authorize",
            "--no-browser",
            "--client-id",
            "C1",
        ])
        .args([
            "--redirect-url",
            "https://app.agency.example.gov/cb",
            "--scope",
            "spark:people_read",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut state = None;
    let mut line = String::new();
    while state.is_none() {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "no URL was printed"
        );
        let text = line.trim();
        if text.starts_with("http") && text.contains("/authorize?") {
            let url = url::Url::parse(text).unwrap();
            state = url
                .query_pairs()
                .find(|(k, _)| k == "state")
                .map(|(_, v)| v.into_owned());
        }
    }
    let state = state.unwrap();
    writeln!(
        child.stdin.take().unwrap(),
        "https://app.agency.example.gov/cb?code=pasted-code&state={state}"
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let exchange = mock
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/access_token")
        .unwrap();
    assert!(
        exchange.body.contains("code=pasted-code"),
        "{}",
        exchange.body
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("in 14 days"));
}

#[test]
fn refresh_after_authorize_with_a_saved_credentials_file() {
    if common::missing(&["curl"]) {
        return;
    }
    let sandbox = common::approving_sandbox();
    let home = Home::new();
    let (credentials, tokens) =
        common::create_and_authorize(&sandbox, &home, &["spark:people_read"]);
    let first: serde_json::Value = serde_json::from_str(&read(&tokens)).unwrap();

    let refreshed = run(wizard(&home)
        .args([
            "--api-base",
            sandbox.base().as_str(),
            "refresh",
            "--credentials",
        ])
        .arg(&credentials)
        .arg("--refresh-token-file")
        .arg(&tokens)
        .arg("--json"));
    assert_eq!(refreshed.code, 0, "{}", refreshed.stderr);
    let second: serde_json::Value = serde_json::from_str(&refreshed.stdout).unwrap();
    assert_ne!(second["accessToken"], first["accessToken"]);
    assert_eq!(second["refreshToken"], first["refreshToken"]);
    assert_eq!(second["scope"], "spark:people_read");

    let refused = run(wizard(&home)
        .env("WEBEX_REFRESH_TOKEN", "not-a-refresh-token")
        .args([
            "--api-base",
            sandbox.base().as_str(),
            "refresh",
            "--credentials",
        ])
        .arg(&credentials));
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("invalid_grant"),
        "{}",
        refused.stderr
    );
    assert!(!refused.stderr.contains("not-a-refresh-token"));
}

#[test]
fn separate_demo_commands_share_one_sandbox_from_create_to_refresh() {
    if common::missing(&["curl"]) {
        return;
    }
    let home = Home::new();
    let redirect = format!("http://127.0.0.1:{}/callback", free_port());
    let creds = home.path().join("c.json");
    let tokens = home.path().join("t.json");
    let r = run(wizard(&home)
        .args(["--demo", "create", "--name", "Demo", "--description", "d"])
        .args([
            "--contact-email",
            "a@agency.example.gov",
            "--redirect-url",
            &redirect,
        ])
        .args(["--scope", "spark:people_read", "--save"])
        .arg(&creds));
    assert_eq!(r.code, 0, "create: {}", r.stderr);
    let state = home.state().join("demo-sandbox.json");
    assert_eq!(
        std::fs::metadata(&state).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let r = run(wizard(&home)
        .env("BROWSER", common::following_browser(home.path()))
        .args(["--demo", "authorize", "--credentials"])
        .arg(&creds)
        .arg("--save")
        .arg(&tokens));
    assert_eq!(r.code, 0, "authorize: {}", r.stderr);
    let r = run(wizard(&home)
        .args(["--demo", "test-scopes", "--access-token-file"])
        .arg(&tokens));
    assert_eq!(r.code, 0, "test-scopes: {}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("works"), "{}", r.stdout);
    let r = run(wizard(&home)
        .args(["--demo", "refresh", "--credentials"])
        .arg(&creds)
        .arg("--refresh-token-file")
        .arg(&tokens));
    assert_eq!(r.code, 0, "refresh: {}", r.stderr);
    // Reset forgets it all: the same token is now unknown.
    let r = run(wizard(&home).args(["sandbox", "--reset"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!state.exists());
    let r = run(wizard(&home)
        .args(["--demo", "test-scopes", "--access-token-file"])
        .arg(&tokens));
    assert_eq!(r.code, 6, "{}{}", r.stdout, r.stderr);
}

#[test]
fn saved_files_send_requests_to_their_own_api_base() {
    let home = Home::new();
    let sb = common::sandbox();
    let creds = home.path().join("c.json");
    let r = run(wizard(&home)
        .args(["--api-base", sb.base().as_str()])
        .args(common::good_flags())
        .arg("--save")
        .arg(&creds)
        .env("WEBEX_ADMIN_TOKEN", common::expose(sb.admin_token())));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // No --env/--api-base: the file's apiBase, not FedRAMP. A paste that carries no code
    // ends the flow, after the URL (on the sandbox) was printed.
    let r = run(wizard(&home)
        .args(["authorize", "--no-browser", "--credentials"])
        .arg(&creds)
        .args(["--redirect-url", "https://app.agency.example.gov/oauth"])
        .write_stdin("nothing here\n"));
    assert!(
        r.stdout.contains(&sb.base().authorize_url())
            || r.stderr.contains(&sb.base().authorize_url()),
        "{}{}",
        r.stdout,
        r.stderr
    );
    assert!(!r.stderr.contains("warning:"), "{}", r.stderr);
    // Both given and different: the options win, with a warning.
    let r = run(wizard(&home)
        .args([
            "--env",
            "commercial",
            "authorize",
            "--no-browser",
            "--credentials",
        ])
        .arg(&creds)
        .args(["--redirect-url", "https://app.agency.example.gov/oauth"])
        .write_stdin("nothing here\n"));
    assert!(
        r.stderr.contains("warning:") && r.stderr.contains(sb.base().as_str()),
        "{}",
        r.stderr
    );
    assert!(
        (r.stdout.clone() + &r.stderr).contains("https://webexapis.com/v1/authorize"),
        "{}{}",
        r.stdout,
        r.stderr
    );
}

#[test]
fn idle_connections_can_not_starve_the_listener_of_file_descriptors() {
    use std::io::{Read, Write};
    if common::missing(&["sh"]) {
        return;
    }
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on("POST /v1/access_token", vec![Action::json(200, TOKENS)]);
    let port = free_port();
    let redirect = format!("http://127.0.0.1:{port}/cb");
    let opened = home.path().join("opened-url");
    let opened_url = common::fifo(&opened);
    let b = browser_script(
        home.path(),
        &format!("printf %s \"$1\" > '{}'", opened.display()),
    );
    // The listener runs with 256 file descriptors, as a small ulimit would give it.
    let wizard_args = [
        "--api-base",
        &mock.base,
        "--timeout",
        "30",
        "authorize",
        "--client-id",
        "C1",
        "--redirect-url",
        &redirect,
        "--scope",
        "spark:people_read",
    ];
    let mut wizard = common::bare(&home);
    wizard
        .args(wizard_args)
        .env("WEBEX_CLIENT_SECRET", "S1-secret")
        .env("BROWSER", &b);
    let child = common::through_shell(&wizard, "ulimit -n 256 &&")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let opened = opened_url
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the browser was never opened");
    let url = url::Url::parse(&opened).unwrap();
    let state = url
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    // Far more idle connections than it has descriptors.
    let idle: Vec<_> = (0..1_100)
        .filter_map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    assert!(
        idle.len() > 256,
        "only {} connections were made",
        idle.len()
    );
    let mut browser = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    browser
        .set_read_timeout(Some(std::time::Duration::from_secs(15)))
        .unwrap();
    write!(
        browser,
        "GET /cb?code=the-code&state={state} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    let _ = browser.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    drop(idle);
}

#[test]
fn the_browser_inherits_no_secret_variables() {
    if common::missing(&["curl"]) {
        return;
    }
    let home = Home::new();
    let env_dump = home.path().join("browser-env");
    let b = browser_script(
        home.path(),
        &format!(
            "env > '{}'\nexec curl -sS -L -o /dev/null \"$1\"",
            env_dump.display()
        ),
    );
    let redirect = format!("http://127.0.0.1:{}/callback", free_port());
    let r = run(wizard(&home)
        .env("BROWSER", &b)
        .env("WEBEX_ADMIN_TOKEN", "admin-secret-value")
        .env("WEBEX_CLIENT_SECRET", "client-secret-value")
        .env("WEBEX_REFRESH_TOKEN", "refresh-secret-value")
        .env("WEBEX_ACCESS_TOKEN", "access-secret-value")
        .args(["--demo", "authorize", "--redirect-url", &redirect])
        .args(["--scope", "spark:people_read", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let seen = read(&env_dump);
    assert!(seen.contains("PATH="), "the browser ran: {seen}");
    for leak in [
        "WEBEX_ADMIN_TOKEN",
        "WEBEX_CLIENT_SECRET",
        "WEBEX_REFRESH_TOKEN",
        "WEBEX_ACCESS_TOKEN",
        "secret-value",
    ] {
        assert!(!seen.contains(leak), "{leak} reached the browser");
    }
}

#[test]
fn a_paste_that_never_comes_times_out_and_the_process_exits() {
    let home = Home::new();
    let mock = MockWebex::start();
    let mut child = common::bare(&home)
        .env("WEBEX_CLIENT_SECRET", "S1-secret")
        .args([
            "--api-base",
            &mock.base,
            "--timeout",
            "1",
            "authorize",
            "--no-browser",
        ])
        .args([
            "--client-id",
            "C1",
            "--redirect-url",
            "https://app.agency.example.gov/cb",
        ])
        .args(["--scope", "spark:people_read"])
        // Standard input stays open and silent, like a terminal nobody types into.
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Its standard input stays open (held here) while it is waited for.
    let stdin = child.stdin.take();
    let status = common::exit_within(child, std::time::Duration::from_secs(20))
        .expect("the process still waits for standard input after its timeout");
    assert_eq!(status.code(), Some(5));
    drop(stdin);
}

#[test]
fn no_pkce_warns_and_says_why_in_help() {
    let home = Home::new();
    let mock = MockWebex::start();
    let r = run(wizard(&home)
        .env("WEBEX_CLIENT_SECRET", "S1-secret")
        .args([
            "--api-base",
            &mock.base,
            "--timeout",
            "1",
            "authorize",
            "--no-browser",
            "--no-pkce",
        ])
        .args([
            "--client-id",
            "C1",
            "--redirect-url",
            "https://app.agency.example.gov/cb",
        ])
        .args(["--scope", "spark:people_read"])
        .write_stdin(""));
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("warning: --no-pkce"), "{}", r.stderr);
    assert!(!r.stderr.contains("code_challenge"), "{}", r.stderr);
    let help = run(wizard(&home).args(["authorize", "--help"]));
    assert!(
        help.stdout.contains("without PKCE one of them"),
        "{}",
        help.stdout
    );
}

#[test]
fn the_demo_limit_says_how_to_start_afresh() {
    let home = Home::new();
    let create = |name: &str| {
        run(wizard(&home)
            .args(["--demo", "create", "--name", name, "--description", "d"])
            .args(["--contact-email", "a@agency.example.gov"])
            .args(["--redirect-url", "http://localhost:8080/callback"])
            .args(["--scope", "spark:people_read", "--json"]))
    };
    for i in 0..20 {
        assert_eq!(create(&format!("Demo {i}")).code, 0);
    }
    let r = create("One too many");
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("sandbox --reset"), "{}", r.stderr);
    assert_eq!(run(wizard(&home).args(["sandbox", "--reset"])).code, 0);
    assert_eq!(create("After the reset").code, 0);
}

#[test]
fn over_ssh_no_browser_starts_the_tunnel_is_shown_and_a_pasted_address_wins() {
    use std::io::{BufRead, BufReader, Write};
    if common::missing(&["curl"]) {
        return;
    }
    let home = Home::new();
    let port = free_port();
    let redirect = format!("http://127.0.0.1:{port}/callback");
    let started = home.path().join("browser-started");
    let b = browser_script(home.path(), &format!("touch '{}'", started.display()));
    let mut child = common::bare(&home)
        .env("BROWSER", &b)
        .env("SSH_CONNECTION", "10.0.0.1 52000 10.0.0.2 22")
        .env("USER", "alice")
        .args(["--demo", "authorize", "--redirect-url", &redirect])
        .args(["--scope", "spark:people_read", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let mut url = None;
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 {
        seen.push_str(&line);
        if let Some(u) = line.trim().strip_prefix("http") {
            url = Some(format!("http{u}"));
        }
        if line.contains("or paste the address it lands on") {
            break;
        }
        line.clear();
    }
    let url = url.unwrap_or_else(|| panic!("no URL in: {seen}"));
    // The redirect's port and the demo sandbox's (where the authorize URL points), in one line.
    let api = url::Url::parse(&url).unwrap().port().unwrap();
    assert!(
        seen.contains(&format!(
            "ssh -L {port}:127.0.0.1:{port} -L {api}:127.0.0.1:{api} alice@10.0.0.2"
        )),
        "{seen}"
    );
    // The user's own browser consents; it lands on a loopback address this machine's listener
    // can't see, so its address is pasted.
    let landed = std::process::Command::new("curl")
        .args(["-s", "-o", "/dev/null", "-w", "%{redirect_url}", &url])
        .output()
        .unwrap();
    let landed = String::from_utf8(landed.stdout).unwrap();
    assert!(landed.contains("code="), "{landed}");
    writeln!(child.stdin.as_mut().unwrap(), "{landed}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{seen}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("accessToken"));
    assert!(!started.exists(), "a browser was started over SSH");
}
