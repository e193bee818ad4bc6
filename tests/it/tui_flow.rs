//! The wizard's flow, driven key by key through the real update function and effect runner,
//! against the sandbox or a scripted mock of Webex.

use crate::common;

use std::os::unix::fs::PermissionsExt;

use base64::Engine;
use ratatui::crossterm::event::KeyCode;
use webex_wizard::sandbox::Answers;
use webex_wizard::tui::app::{AuthPhase, Exit, Overlay, Step, TokenSource, TokenStatus};
use webex_wizard::tui::message::Message;

use common::tui::{Harness, dirs_in};
use common::{Action, MockWebex};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// From Details to Review with a valid form; the scope is chosen through the filter.
async fn fill_form(h: &mut Harness) {
    fill_form_with(h, None, "audit:events").await;
}

/// The same, with `redirect` as the only redirect URL (else the offered one plus an https one)
/// and the first scope that `filter` finds.
async fn fill_form_with(h: &mut Harness, redirect: Option<&str>, filter: &str) {
    assert_eq!(h.app.step, Step::Details);
    h.type_text("Audit Reader").await;
    h.key(KeyCode::Enter).await;
    h.type_text("Reads the audit log").await;
    h.key(KeyCode::Enter).await;
    h.type_text("for the security team").await;
    h.key(KeyCode::Tab).await;
    h.type_text("admin@agency.example.gov").await;
    h.key(KeyCode::Enter).await;
    h.type_text("Agency").await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::RedirectUrls, "{}", h.screen(80, 24));
    if let Some(url) = redirect {
        h.ctrl('d').await;
        h.type_text(url).await;
    } else {
        // The suggested loopback URL is taken (→); a second one is added.
        h.key(KeyCode::Right).await;
        h.key(KeyCode::Enter).await;
        h.type_text("https://app.agency.example.gov/cb").await;
    }
    // Then an empty line goes on.
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Scopes, "{}", h.screen(80, 24));
    h.type_text(filter).await;
    h.key(KeyCode::Char(' ')).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Review, "{}", h.screen(80, 24));
}

fn secret_of(h: &Harness) -> String {
    common::expose(
        &h.app
            .session
            .credentials
            .as_ref()
            .unwrap()
            .saved
            .integration
            .client_secret,
    )
}

#[tokio::test]
async fn demo_flow_creates_the_integration_then_copies_and_saves_the_secret() {
    let sandbox = common::sandbox();
    let root = tempfile::tempdir().unwrap();
    let mut h = Harness::on_sandbox(&sandbox, root.path()).await;
    assert!(matches!(h.app.session.admin.status, TokenStatus::Valid(_)));
    h.key(KeyCode::Enter).await;
    fill_form(&mut h).await;
    let review = h.screen(120, 40);
    assert!(review.contains(r#""name": "Audit Reader""#), "{review}");
    assert!(review.contains("$WEBEX_ADMIN_TOKEN"), "{review}");
    let token = common::expose(sandbox.admin_token());
    assert!(!review.contains(&token), "the admin token is on screen");

    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Credentials, "{}", h.screen(80, 24));
    let created = &h
        .app
        .session
        .credentials
        .as_ref()
        .unwrap()
        .saved
        .integration;
    assert_eq!(
        created.scopes,
        ["audit:events_read"],
        "the chosen scope was sent"
    );
    let client_id = created.client_id.clone();
    let secret = secret_of(&h);
    let screen = h.screen(80, 24);
    assert!(screen.contains(&client_id), "{screen}");
    assert!(!screen.contains(&secret), "the secret shows before r");
    assert!(screen.contains("only once"), "{screen}");

    // The recovery copy exists before the user did anything.
    let recovery = h.app.recovery_path().unwrap().clone();
    assert_eq!(mode(&recovery), 0o600);
    assert!(
        std::fs::read_to_string(&recovery)
            .unwrap()
            .contains(&secret)
    );

    assert!(h.screen(80, 24).contains("r reveal"));
    h.key(KeyCode::Char('r')).await;
    assert!(h.screen(120, 40).contains(&secret));
    // Once revealed, the bar says what r does now.
    assert!(h.screen(80, 24).contains("r hide"), "{}", h.screen(80, 24));
    h.key(KeyCode::Char('c')).await;
    let encoded = base64::engine::general_purpose::STANDARD.encode(&secret);
    assert_eq!(h.terminal_output(), format!("\x1b]52;c;{encoded}\x07"));
    h.key(KeyCode::Char('s')).await;
    let saved = h
        .app
        .session
        .credentials
        .as_ref()
        .unwrap()
        .saved_to
        .clone()
        .unwrap();
    assert!(saved.starts_with(root.path().join("data/credentials")));
    assert_eq!(mode(&saved), 0o600);
    assert_eq!(mode(saved.parent().unwrap()), 0o700);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    assert_eq!(json["clientId"], client_id.as_str());
    assert_eq!(json["clientSecret"], secret.as_str());

    h.key(KeyCode::Char('q')).await;
    assert_eq!(h.app.exit, Some(Exit::Quit));
    assert!(
        !recovery.exists(),
        "the recovery copy outlived a stored secret"
    );
    assert!(
        !webex_wizard::draft::path(&h.dirs).exists(),
        "a used draft would be offered again"
    );
}

#[tokio::test]
async fn validation_keeps_the_user_on_a_step_with_errors() {
    let mock = MockWebex::start();
    let root = tempfile::tempdir().unwrap();
    let mut h = Harness::new(
        &mock.base,
        Some(("t", TokenSource::Environment)),
        dirs_in(root.path()),
    );
    h.start().await;
    h.key(KeyCode::Enter).await;
    // Enter through every empty field: the last Enter tries to leave the step.
    for _ in 0..3 {
        h.key(KeyCode::Tab).await;
    }
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Details);
    assert_eq!(
        h.app.steps.details.focus, 0,
        "focus goes to the first bad field"
    );
    let screen = h.screen(80, 24);
    assert!(screen.contains("✗ the name must not be blank"), "{screen}");
    assert!(screen.contains("Fix the marked field"), "{screen}");

    h.type_text("Name").await;
    h.key(KeyCode::Enter).await;
    h.type_text("Description").await;
    h.key(KeyCode::Tab).await;
    h.type_text("not-an-email").await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Details);
    assert_eq!(h.app.steps.details.focus, 2);
    assert!(h.screen(80, 24).contains("not a valid email"));

    // A redirect URL that is plain http off loopback blocks step 3.
    for _ in 0..12 {
        h.key(KeyCode::Backspace).await;
    }
    h.type_text("a@agency.example.gov").await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::RedirectUrls);
    h.ctrl('d').await;
    h.type_text("http://app.example.gov/cb").await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::RedirectUrls);
    assert!(h.screen(120, 40).contains("✗"), "{}", h.screen(120, 40));

    // No scope chosen: Enter stays.
    h.ctrl('d').await;
    h.type_text("https://app.example.gov/cb").await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Scopes);
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Scopes);
    assert!(h.screen(80, 24).contains("Choose at least one scope"));
    assert_eq!(mock.count("POST /v1/applications"), 0);
}

#[tokio::test]
async fn a_401_on_submit_takes_a_fresh_token_and_resubmits_the_same_form() {
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/applications",
        vec![
            Action::webex_error(
                401,
                "The request requires a valid access token set in the Authorization request header.",
                "ROUTER_401",
            ),
            Action::json(
                200,
                r#"{"id":"A1","clientId":"C1","clientSecret":"S-fresh-1","name":"Audit Reader","scopes":["audit:events_read"]}"#,
            ),
        ],
    );
    let root = tempfile::tempdir().unwrap();
    let mut h = Harness::new(
        &mock.base,
        Some(("expired-token", TokenSource::Environment)),
        dirs_in(root.path()),
    );
    h.start().await;
    h.key(KeyCode::Enter).await;
    fill_form(&mut h).await;
    let sent = h.app.draft();
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Creating);
    let screen = h.screen(80, 24);
    assert!(screen.contains("401"), "{screen}");
    assert!(screen.contains("ROUTER_401"), "{screen}");
    assert!(screen.contains("12 hours"), "{screen}");
    assert!(screen.contains("form is kept"), "{screen}");

    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Connect);
    assert!(h.app.connect_wants_token());
    h.send(Message::Paste("Bearer fresh-token\n".into())).await;
    h.key(KeyCode::Enter).await;
    assert!(matches!(h.app.session.admin.status, TokenStatus::Valid(_)));
    h.key(KeyCode::Enter).await;
    assert_eq!(
        h.app.step,
        Step::Review,
        "a valid token goes back to the review"
    );
    assert_eq!(h.app.draft(), sent, "the form changed");
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Credentials);

    let posts: Vec<_> = mock
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].body, posts[1].body, "the resubmit differs");
    assert_eq!(posts[0].headers["authorization"], "Bearer expired-token");
    assert_eq!(posts[1].headers["authorization"], "Bearer fresh-token");
}

#[tokio::test]
async fn a_400_naming_a_field_takes_the_user_to_it() {
    let mock = MockWebex::start();
    mock.on(
        "POST /v1/applications",
        vec![Action::webex_error(
            400,
            "contactEmail is not allowed for this organization",
            "ROUTER_400",
        )],
    );
    let root = tempfile::tempdir().unwrap();
    let mut h = Harness::new(
        &mock.base,
        Some(("t", TokenSource::Environment)),
        dirs_in(root.path()),
    );
    h.start().await;
    h.key(KeyCode::Enter).await;
    fill_form(&mut h).await;
    h.key(KeyCode::Enter).await;
    assert!(h.screen(80, 24).contains("ROUTER_400"));
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Details);
    assert_eq!(
        h.app.steps.details.focus, 2,
        "focus is on the contact email"
    );
    assert!(h.screen(80, 24).contains("contactEmail is not allowed"));
}

#[tokio::test]
async fn a_draft_survives_a_quit_and_is_offered_back() {
    let mock = MockWebex::start();
    let root = tempfile::tempdir().unwrap();
    let mut h = Harness::new(&mock.base, None, dirs_in(root.path()));
    h.start().await;
    h.type_text("typed-admin-token").await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    h.type_text("Half Done").await;
    h.key(KeyCode::Enter).await;
    h.type_text("Two").await;
    h.key(KeyCode::Enter).await;
    h.type_text("lines").await;
    h.key(KeyCode::Tab).await;
    h.type_text("me@agency.example.gov").await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::RedirectUrls);
    h.type_text("http://127.0.0.1:9000/cb").await;
    let typed = h.app.draft();
    h.ctrl('c').await;
    assert_eq!(h.app.exit, Some(Exit::Quit));

    let file = webex_wizard::draft::path(&h.dirs);
    assert_eq!(mode(&file), 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Half Done"), "{text}");
    assert!(
        !text.contains("typed-admin-token"),
        "the token is in the draft"
    );

    let mut again = Harness::new(&mock.base, None, dirs_in(root.path()));
    again.start().await;
    assert!(matches!(
        again.app.overlays.last(),
        Some(Overlay::ResumeDraft(_))
    ));
    assert!(again.screen(80, 24).contains("Half Done"));
    again.key(KeyCode::Enter).await;
    assert_eq!(again.app.draft(), typed);
    assert_eq!(
        again.app.draft().redirect_urls,
        ["http://127.0.0.1:9000/cb"]
    );
    // No token yet: once one is checked, Enter goes back to where the user left.
    assert_eq!(again.app.steps.connect.resume_to, Some(Step::RedirectUrls));
}

#[tokio::test]
async fn the_typed_token_is_never_on_screen() {
    let mock = MockWebex::start();
    let root = tempfile::tempdir().unwrap();
    let mut h = Harness::new(&mock.base, None, dirs_in(root.path()));
    h.start().await;
    h.type_text("tok-VISIBLE-123").await;
    for (w, rows) in [(80, 24), (120, 40)] {
        let screen = h.screen(w, rows);
        assert!(!screen.contains("VISIBLE"), "{screen}");
        assert!(screen.contains("•••••"), "{screen}");
    }
    h.key(KeyCode::Enter).await;
    assert!(matches!(h.app.session.admin.status, TokenStatus::Valid(_)));
    assert!(!h.screen(120, 40).contains("VISIBLE"));
    let me = mock
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/people/me")
        .unwrap();
    assert_eq!(me.headers["authorization"], "Bearer tok-VISIBLE-123");
}

#[tokio::test]
async fn an_unstored_secret_asks_before_quitting_and_comes_back_at_the_next_start() {
    let sandbox = common::sandbox();
    let root = tempfile::tempdir().unwrap();
    let mut h = Harness::on_sandbox(&sandbox, root.path()).await;
    h.key(KeyCode::Enter).await;
    fill_form(&mut h).await;
    h.key(KeyCode::Enter).await;
    let secret = secret_of(&h);
    let recovery = h.app.recovery_path().unwrap().clone();

    h.ctrl('c').await;
    assert!(matches!(h.app.overlays.last(), Some(Overlay::ConfirmQuit)));
    assert_eq!(h.app.exit, None);
    h.key(KeyCode::Char('n')).await;
    h.key(KeyCode::Char('q')).await;
    assert!(matches!(h.app.overlays.last(), Some(Overlay::ConfirmQuit)));
    h.key(KeyCode::Char('y')).await;
    assert_eq!(h.app.exit, Some(Exit::Quit));
    assert!(recovery.exists(), "the only copy of the secret is gone");

    let mut next = Harness::on_sandbox(&sandbox, root.path()).await;
    assert_eq!(next.app.step, Step::Credentials);
    assert_eq!(secret_of(&next), secret);
    assert!(
        next.screen(80, 24)
            .contains("Recovered from an earlier session")
    );
    next.key(KeyCode::Char('s')).await;
    next.key(KeyCode::Char('q')).await;
    assert!(!recovery.exists());
    assert_eq!(
        next.app.step,
        Step::Start,
        "the wizard goes on afresh, at its first screen"
    );
    assert_eq!(next.app.exit, None);
}

#[tokio::test]
async fn after_a_network_failure_enter_checks_the_same_token_again() {
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/people/me",
        vec![
            Action::json(
                503,
                r#"{"message":"Service Unavailable","trackingId":"T503"}"#,
            ),
            Action::json(200, common::PERSON),
        ],
    );
    let root = tempfile::tempdir().unwrap();
    let mut h = Harness::new(
        &mock.base,
        Some(("env-token", TokenSource::Environment)),
        dirs_in(root.path()),
    );
    h.start().await;
    assert!(matches!(
        h.app.session.admin.status,
        TokenStatus::Invalid(_)
    ));
    assert!(h.screen(80, 24).contains("T503"));
    h.key(KeyCode::Enter).await;
    assert!(matches!(h.app.session.admin.status, TokenStatus::Valid(_)));
    let auth: Vec<_> = mock
        .requests()
        .into_iter()
        .map(|r| r.headers["authorization"].clone())
        .collect();
    assert_eq!(auth, ["Bearer env-token", "Bearer env-token"]);
}

fn waiting_url(app: &webex_wizard::tui::app::App) -> Option<String> {
    match app.steps.authorize.as_ref().map(|a| &a.phase) {
        Some(AuthPhase::Waiting { url, .. }) if !url.is_empty() => Some(url.clone()),
        _ => None,
    }
}

/// Create an integration on the sandbox through the wizard, with `redirect` as its only URL.
async fn created_on_sandbox(
    sandbox: &common::Sandbox,
    root: &std::path::Path,
    redirect: &str,
) -> Harness {
    let mut h = Harness::on_sandbox(sandbox, root).await;
    h.key(KeyCode::Enter).await;
    fill_form_with(&mut h, Some(redirect), "people_read").await;
    h.key(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Credentials, "{}", h.screen(80, 24));
    h
}

#[tokio::test]
async fn from_the_credentials_to_tokens_through_a_browser_that_follows_redirects() {
    Box::pin(credentials_to_tokens_to_test_scopes(Answers::Documented)).await;
}

#[tokio::test]
async fn from_the_credentials_to_tokens_with_the_observed_answers() {
    Box::pin(credentials_to_tokens_to_test_scopes(Answers::Observed)).await;
}

/// Create → authorize → Tokens → Test scopes, on a sandbox giving `answers`.
#[expect(clippy::too_many_lines, reason = "one walk through four steps")]
async fn credentials_to_tokens_to_test_scopes(answers: Answers) {
    let sandbox = common::sandbox_with(common::SandboxConfig {
        answers,
        auto_approve: true,
        ..Default::default()
    });
    let root = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let mut h = created_on_sandbox(
        &sandbox,
        root.path(),
        &format!("http://127.0.0.1:{port}/cb"),
    )
    .await;
    // Not stored yet: going on asks first.
    h.key(KeyCode::Char('a')).await;
    assert!(matches!(
        h.app.overlays.last(),
        Some(Overlay::ConfirmAuthorize)
    ));
    h.key(KeyCode::Char('n')).await;
    h.key(KeyCode::Char('s')).await;
    h.key(KeyCode::Char('a')).await;
    assert_eq!(h.app.step, Step::Authorize);
    assert!(h.screen(80, 24).contains("[x] spark:people_read"));

    h.key(KeyCode::Enter).await;
    h.pump_until(|app| waiting_url(app).is_some()).await;
    let url = waiting_url(&h.app).unwrap();
    // Typed letters go to the paste field while listening, never to a key: c is text here.
    h.key(KeyCode::Char('c')).await;
    assert!(!h.terminal_output().contains("\x1b]52"), "c fired a hotkey");
    // An address typed by hand holds a `?`: text, not help.
    h.type_text("?code=x").await;
    assert!(h.app.overlays.is_empty(), "? opened help while typing");
    assert_eq!(
        h.app
            .steps
            .authorize
            .as_ref()
            .unwrap()
            .paste
            .lines()
            .join(""),
        "c?code=x"
    );
    h.ctrl('u').await;
    // The URL can be copied while the wizard waits (Ctrl-Y). No QR code: a phone would land on
    // its own localhost, so none is offered for a loopback redirect URL.
    h.ctrl('y').await;
    let encoded = base64::engine::general_purpose::STANDARD.encode(&url);
    assert!(
        h.terminal_output()
            .ends_with(&format!("\x1b]52;c;{encoded}\x07"))
    );
    h.ctrl('q').await;
    assert!(!h.screen(120, 60).contains('▀'), "{}", h.screen(120, 60));
    // "QR code", not "QR": the random state in the URL may hold those two letters.
    assert!(
        !h.screen(80, 24).contains("QR code"),
        "{}",
        h.screen(80, 24)
    );
    assert!(
        h.screen(80, 24).contains("left · Esc cancels"),
        "{}",
        h.screen(80, 24)
    );
    // The browser: follow the authorize URL's redirect to the wizard's listener.
    let browser = tokio::spawn(async move {
        let page = reqwest::get(&url).await.unwrap();
        page.text().await.unwrap()
    });
    h.pump_until(|app| app.step == Step::Tokens).await;
    assert!(browser.await.unwrap().contains("Authorization received"));
    let screen = h.screen(80, 24);
    assert!(screen.contains("(in 14 days)"), "{screen}");
    assert!(
        screen.contains("Granted scopes  spark:people_read"),
        "{screen}"
    );
    // Webex's documented answer lists no scopes: then they are the requested ones, and said so.
    assert_eq!(
        screen.contains("as requested; Webex did not list the granted scopes"),
        answers == Answers::Documented,
        "{screen}"
    );
    let access = common::expose(&h.app.session.tokens.as_ref().unwrap().tokens.access_token);
    assert!(!screen.contains(&access), "the access token shows before r");
    // Unsaved tokens are kept in a recovery copy, and q asks first.
    h.pump_until(|app| {
        app.session
            .tokens
            .as_ref()
            .is_some_and(|t| t.recovery.is_some())
    })
    .await;
    let kept = h
        .app
        .session
        .tokens
        .as_ref()
        .unwrap()
        .recovery
        .clone()
        .unwrap();
    assert_eq!(mode(&kept), 0o600);
    assert!(std::fs::read_to_string(&kept).unwrap().contains(&access));
    h.key(KeyCode::Char('q')).await;
    assert!(matches!(h.app.overlays.last(), Some(Overlay::ConfirmQuit)));
    assert_eq!(h.app.exit, None, "q discarded the tokens");
    assert!(
        h.screen(80, 24).contains("tokens are not saved"),
        "{}",
        h.screen(80, 24)
    );
    h.key(KeyCode::Esc).await;
    h.key(KeyCode::Char('s')).await;
    let saved = h
        .app
        .session
        .tokens
        .as_ref()
        .unwrap()
        .saved_to
        .clone()
        .unwrap();
    assert_eq!(mode(&saved), 0o600);
    assert!(std::fs::read_to_string(&saved).unwrap().contains(&access));
    assert!(!kept.exists(), "saved, so the recovery copy went");

    // The scope table fills in as the probes finish; a row opens to its details.
    h.key(KeyCode::Char('t')).await;
    assert_eq!(h.app.step, Step::TestScopes);
    h.pump_until(|app| {
        app.steps
            .scope_test
            .as_ref()
            .is_some_and(|t| t.is_done() && t.expiry.is_some())
    })
    .await;
    let screen = h.screen(80, 24);
    assert!(screen.contains("1 of 1 scopes probed"), "{screen}");
    assert!(screen.contains("the token expires in 14 days"), "{screen}");
    let row = h.app.steps.scope_test.as_ref().unwrap().rows[0]
        .1
        .clone()
        .unwrap();
    assert_eq!(row.verdict, webex_wizard::scope_test::Verdict::Works);
    h.key(KeyCode::Enter).await;
    let tracking = row.tracking_id.unwrap();
    assert!(h.screen(80, 24).contains(&format!("trackingId {tracking}")));
}

#[tokio::test]
async fn a_non_loopback_redirect_takes_the_pasted_address_and_esc_cancels() {
    let sandbox = common::approving_sandbox();
    let root = tempfile::tempdir().unwrap();
    let mut h =
        created_on_sandbox(&sandbox, root.path(), "https://app.agency.example.gov/cb").await;
    h.key(KeyCode::Char('s')).await;
    h.key(KeyCode::Char('a')).await;
    h.key(KeyCode::Enter).await;
    h.pump_until(|app| waiting_url(app).is_some()).await;
    h.key(KeyCode::Esc).await;
    h.pump_until(|app| {
        matches!(
            app.steps.authorize.as_ref().unwrap().phase,
            AuthPhase::Choose
        )
    })
    .await;
    assert!(h.screen(80, 24).contains("Authorization cancelled"));

    h.key(KeyCode::Enter).await;
    h.pump_until(|app| waiting_url(app).is_some()).await;
    let url = waiting_url(&h.app).unwrap();
    assert!(
        h.screen(80, 24).contains("Landed on"),
        "{}",
        h.screen(80, 24)
    );
    // The browser lands on a page the wizard cannot see: the user pastes its address.
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let landed = no_redirects.get(&url).send().await.unwrap();
    let location = landed.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("https://app.agency.example.gov/cb?code="));
    h.send(Message::Paste(location)).await;
    h.key(KeyCode::Enter).await;
    h.pump_until(|app| app.step == Step::Tokens).await;
    assert!(h.screen(120, 40).contains("works: Webex issued tokens"));
}
