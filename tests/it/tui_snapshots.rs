//! Every step of the wizard drawn at 80x24 and 120x40, compared with the snapshots in
//! tests/snapshots (insta). `INSTA_UPDATE=always cargo test --test tui_snapshots` rewrites
//! them after a deliberate change; review the diff before committing.

use crate::common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use secrecy::SecretString;
use webex_wizard::catalog::Catalog;
use webex_wizard::credentials::SavedCredentials;
use webex_wizard::env::{ApiBase, Environment};
use webex_wizard::integration::IntegrationDraft;
use webex_wizard::tui::app::{App, AppConfig, CreateState, Overlay, Step, TokenSource};
use webex_wizard::tui::message::{Created, Message};
use webex_wizard::tui::theme::Theme;
use webex_wizard::tui::update::update;
use webex_wizard::webex::applications::CreatedIntegration;
use webex_wizard::webex::people::Person;
use webex_wizard::webex::{ApiFailure, Operation, WebexError};

use common::tui::render;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The wizard at launch, on its first screen.
fn launched(token: bool) -> App {
    App::new(AppConfig {
        env: Environment::sandbox(ApiBase::parse("http://127.0.0.1:8099/v1").unwrap()),
        catalog: Catalog::embedded(),
        token: token.then(|| (SecretString::from("admin-token"), TokenSource::Environment)),
        theme: Theme { color: false },
        auth_wait: std::time::Duration::from_secs(300),
        fedramp: true,
    })
}

/// The wizard after the first screen's Enter: creating an integration, on Connect.
fn app(token: bool) -> App {
    let mut app = launched(token);
    key(&mut app, KeyCode::Enter);
    app
}

fn person() -> Person {
    Person {
        id: "P1".into(),
        emails: vec!["admin@agency.example.gov".into()],
        display_name: Some("Agency Admin".into()),
        org_id: Some("O1".into()),
    }
}

fn draft() -> IntegrationDraft {
    IntegrationDraft {
        name: "Audit Reader".into(),
        description: "Reads the admin audit log\nfor the security team".into(),
        contact_email: "admin@agency.example.gov".into(),
        company_name: Some("Agency".into()),
        redirect_urls: vec![
            "http://localhost:8080/callback".into(),
            "https://app.agency.example.gov/cb".into(),
        ],
        scopes: vec!["audit:events_read".into(), "spark:people_read".into()],
    }
}

/// A signed-in wizard with the form filled, on `step`.
fn filled(step: Step) -> App {
    let mut app = app(true);
    update(&mut app, Message::TokenChecked(Ok(person())));
    app.load_draft(&draft());
    app.step = step;
    app.refocus();
    app
}

fn key(app: &mut App, code: KeyCode) {
    update(app, Message::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn created(app: &mut App) {
    let integration: CreatedIntegration = serde_json::from_str(
        r#"{"id":"A1","clientId":"C0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd","clientSecret":"s3cr3t-never-on-screen","name":"Audit Reader","scopes":["audit:events_read","spark:people_read"]}"#,
    )
    .unwrap();
    update(
        app,
        Message::Created(Box::new(Ok(Created {
            saved: SavedCredentials {
                api_base: "http://127.0.0.1:8099/v1".into(),
                integration,
            },
            recovery: Ok(PathBuf::from(
                "/home/admin/.local/state/webex-wizard/recovery/credentials-1.json",
            )),
            superseded: Vec::new(),
        }))),
    );
}

fn refused(status: u16, message: &str) -> WebexError {
    WebexError::Api(Box::new(ApiFailure {
        operation: Operation::CreateIntegration,
        status,
        message: Some(message.into()),
        errors: vec![],
        oauth_error: None,
        tracking_id: Some("ROUTER_5F3A".into()),
        sent_tracking_id: None,
        retry_after: None,
    }))
}

fn check(name: &str, app: &App) {
    for (w, h) in SIZES {
        let screen = render(app, w, h);
        assert!(
            !screen.contains("s3cr3t"),
            "{name}: the secret is on screen"
        );
        assert!(
            !screen.contains("admin-token"),
            "{name}: the token is on screen"
        );
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

#[test]
fn step_0_start_and_manage() {
    let start = launched(true);
    check("start", &start);
    let mut manage = launched(true);
    key(&mut manage, KeyCode::Down);
    key(&mut manage, KeyCode::Down);
    key(&mut manage, KeyCode::Enter);
    update(&mut manage, Message::TokenChecked(Ok(person())));
    key(&mut manage, KeyCode::Enter);
    assert_eq!(manage.step, Step::Manage);
    update(
        &mut manage,
        Message::AppsListed(Ok(vec![
            serde_json::json!({"id": "A1", "name": "Audit Reader", "type": "integration", "clientId": "C1", "created": "2026-11-01T10:00:00Z", "redirectUrls": ["http://localhost:8080/callback"], "scopes": ["audit:events_read"]}),
            serde_json::json!({"id": "A2", "name": "Agency Notifier", "type": "bot", "botEmail": "notifier@webex.bot", "created": "2026-11-20T10:00:00Z"}),
        ])),
    );
    key(&mut manage, KeyCode::Down);
    key(&mut manage, KeyCode::Enter);
    check("manage_detail", &manage);
    key(&mut manage, KeyCode::Char('d'));
    check("manage_delete", &manage);
    let mut token = launched(false);
    for _ in 0..3 {
        key(&mut token, KeyCode::Down);
    }
    key(&mut token, KeyCode::Enter);
    assert_eq!(token.step, Step::TokenTest);
    check("token_test", &token);
}

#[test]
fn bot_path() {
    let mut bot = launched(true);
    key(&mut bot, KeyCode::Down);
    key(&mut bot, KeyCode::Enter);
    update(&mut bot, Message::TokenChecked(Ok(person())));
    key(&mut bot, KeyCode::Enter);
    // The form speaks of a bot, not of an integration's consent page.
    bot.step = Step::Details;
    let screen = render(&bot, 80, 24);
    assert!(
        screen.contains("What the bot does") && screen.contains("about this bot"),
        "{screen}"
    );
    assert!(!screen.contains("consent page"), "{screen}");
    bot.load_draft(&draft());
    bot.step = Step::Bot;
    for c in "agency-notifier@webex.bot".chars() {
        key(&mut bot, KeyCode::Char(c));
    }
    check("bot", &bot);
    let created: webex_wizard::bot::CreatedBot = serde_json::from_str(
        r#"{"id":"B1","name":"Agency Notifier","botEmail":"agency-notifier@webex.bot","botToken":"s3cr3t-bot-token"}"#,
    )
    .unwrap();
    update(
        &mut bot,
        Message::BotCreated(Box::new(Ok((
            created,
            Ok(std::path::PathBuf::from(
                "/home/admin/.local/state/webex-wizard/recovery/bot-1.json",
            )),
        )))),
    );
    assert_eq!(bot.step, Step::BotToken);
    check("bot_token", &bot);
    // h hands the bot and its token off as Credentials' h does, and that counts as stored.
    let effects = update(
        &mut bot,
        Message::Key(KeyEvent::new(KeyCode::Char('h'), KeyModifiers::NONE)),
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(bot.step, Step::HandOff);
    bot.steps.hand_off.keys.clear();
    for c in "age1xyz".chars() {
        key(&mut bot, KeyCode::Char(c));
    }
    let effects = update(
        &mut bot,
        Message::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(
        matches!(
            effects.as_slice(),
            [webex_wizard::tui::effects::Effect::HandOff {
                of: webex_wizard::tui::effects::HandOffOf::Bot(_),
                ..
            }]
        ),
        "{effects:?}"
    );
    update(
        &mut bot,
        Message::HandedOff(Ok((
            PathBuf::from(
                "/home/admin/.local/share/webex-wizard/credentials/agency-notifier.json.age",
            ),
            "age1smyd3c2q5e0nl6h2wjm9updxn2347a725w6suxem5qep3efcau5sp0nc3l".into(),
        ))),
    );
    assert_eq!(bot.step, Step::BotToken);
    assert!(
        bot.session
            .bot_token
            .as_ref()
            .is_some_and(webex_wizard::tui::app::BotTokenState::is_stored)
    );
    check("bot_token_handed_off", &bot);
}

#[test]
fn step_1_connect() {
    let checking = app(true);
    check("connect_checking", &checking);
    let mut valid = app(true);
    update(&mut valid, Message::TokenChecked(Ok(person())));
    check("connect_valid", &valid);
    let mut missing = app(false);
    for c in "typed".chars() {
        key(&mut missing, KeyCode::Char(c));
    }
    check("connect_token_field", &missing);
    let mut invalid = app(true);
    update(
        &mut invalid,
        Message::TokenChecked(Err(refused(
            401,
            "The request requires a valid access token.",
        ))),
    );
    check("connect_refused", &invalid);
}

#[test]
fn step_2_details() {
    let empty = {
        let mut a = app(true);
        update(&mut a, Message::TokenChecked(Ok(person())));
        key(&mut a, KeyCode::Enter);
        a
    };
    check("details_empty", &empty);
    let mut bad = filled(Step::Details);
    bad.steps.details.focus = 2;
    bad.refocus();
    key(&mut bad, KeyCode::Char('@'));
    check("details_error", &bad);
}

#[test]
fn step_3_redirect_urls() {
    check("redirect_urls", &filled(Step::RedirectUrls));
}

#[test]
fn step_4_scopes() {
    check("scopes", &filled(Step::Scopes));
    let mut filtered = filled(Step::Scopes);
    for c in "people".chars() {
        key(&mut filtered, KeyCode::Char(c));
    }
    key(&mut filtered, KeyCode::Down);
    check("scopes_filtered", &filtered);
}

#[test]
fn step_5_review() {
    check("review", &filled(Step::Review));
}

#[test]
fn step_6_creating() {
    let mut sending = filled(Step::Creating);
    sending.steps.creating = Some(CreateState::Sending {
        started: Instant::now(),
        elapsed: Duration::from_millis(1200),
    });
    check("creating", &sending);
    let mut failed = filled(Step::Creating);
    failed.steps.creating = Some(CreateState::Failed(Box::new(refused(
        401,
        "The request requires a valid access token set in the Authorization request header.",
    ))));
    check("creating_refused", &failed);
}

#[test]
fn step_7_credentials() {
    let mut app = filled(Step::Review);
    created(&mut app);
    assert_eq!(app.step, Step::Credentials);
    check("credentials", &app);
    key(&mut app, KeyCode::Char('q'));
    check("credentials_confirm_quit", &app);
}

#[test]
fn overlays() {
    let mut help = filled(Step::Review);
    key(&mut help, KeyCode::Char('?'));
    assert!(matches!(help.overlays.last(), Some(Overlay::Help(_))));
    check("help", &help);
    let mut resume = launched(true);
    resume
        .overlays
        .push(Overlay::ResumeDraft(webex_wizard::draft::SavedDraft {
            draft: draft(),
            step: Some("scopes".into()),
        }));
    check("resume_draft", &resume);
}

#[test]
fn no_color_draws_without_colours() {
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    let mut app = filled(Step::Scopes);
    created(&mut app);
    for step in [Step::Details, Step::Scopes, Step::Credentials] {
        app.step = step;
        app.refocus();
        let mut terminal = ratatui::Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|f| webex_wizard::tui::view::draw(&app, f))
            .unwrap();
        let buffer = terminal.backend().buffer();
        let coloured = buffer
            .content()
            .iter()
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .count();
        assert_eq!(coloured, 0, "{step:?} uses colour under NO_COLOR");
    }
}

#[test]
fn step_8_authorize_and_9_tokens() {
    use webex_wizard::tui::app::AuthPhase;
    let mut app = filled(Step::Review);
    created(&mut app);
    key(&mut app, KeyCode::Char('s'));
    update(
        &mut app,
        Message::Saved(Ok(PathBuf::from("/home/admin/creds.json"))),
    );
    key(&mut app, KeyCode::Char('a'));
    assert_eq!(app.step, Step::Authorize);
    check("authorize_choose", &app);
    app.steps.authorize.as_mut().unwrap().phase = AuthPhase::Waiting {
        url: "http://127.0.0.1:8099/v1/authorize?response_type=code&client_id=C0123&state=S&code_challenge=X&code_challenge_method=S256&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback&scope=audit%3Aevents_read".into(),
        loopback: true,
        started: Instant::now(),
        remaining: Duration::from_secs(277),
    };
    app.steps.authorize.as_mut().unwrap().browser_opened =
        Some(webex_wizard::authorization::BrowserLaunch::Exited {
            command: "xdg-open".into(),
            code: Some(0),
        });
    check("authorize_waiting", &app);
    let tokens: webex_wizard::oauth::Tokens = webex_wizard::oauth::Tokens {
        access_token: SecretString::from("s3cr3t-access"),
        expires_in: Some(Duration::from_secs(1_209_600)),
        refresh_token: Some(SecretString::from("s3cr3t-refresh")),
        refresh_token_expires_in: Some(Duration::from_secs(5_184_000)),
        token_type: "Bearer".into(),
        scopes: vec!["audit:events_read".into()],
        scope_source: webex_wizard::oauth::ScopeSource::Granted,
        obtained_at: time::macros::datetime!(2026-11-24 15:00 UTC),
    };
    update(&mut app, Message::Authorized(Box::new(Ok(tokens))));
    assert_eq!(app.step, Step::Tokens);
    check("tokens", &app);
}

#[test]
fn step_10_scope_table() {
    use webex_wizard::scope_test::{ProbeResult, Verdict};
    use webex_wizard::tui::app::ScopeTestState;
    let row = |scope: &str,
               request: &str,
               status: Option<u16>,
               ms: u64,
               verdict: Verdict,
               message: Option<&str>| ProbeResult {
        scope: scope.into(),
        request: request.into(),
        status,
        elapsed: status.map(|_| Duration::from_millis(ms)),
        earlier_call: None,
        earlier_status: None,
        verdict,
        verdict_text: verdict.words(),
        message: message.map(str::to_owned),
        tracking_id: status.map(|_| "ROUTER_5F3A".to_owned()),
    };
    let mut app = filled(Step::Review);
    created(&mut app);
    app.step = Step::TestScopes;
    app.steps.scope_test = Some(ScopeTestState {
        refused: None,
        rows: vec![
            (
                "spark:people_read".into(),
                Some(row(
                    "spark:people_read",
                    "GET /people/me",
                    Some(200),
                    41,
                    Verdict::Works,
                    None,
                )),
            ),
            (
                "spark-admin:people_read".into(),
                Some(row(
                    "spark-admin:people_read",
                    "GET /people?max=1",
                    Some(403),
                    38,
                    Verdict::Refused,
                    Some("The server understood the request, but refused to fulfill it."),
                )),
            ),
            (
                "spark:calls_read".into(),
                Some(row(
                    "spark:calls_read",
                    "GET /telephony/calls",
                    Some(404),
                    12,
                    Verdict::NotAvailable,
                    None,
                )),
            ),
            (
                "spark:kms".into(),
                Some(row("spark:kms", "", None, 0, Verdict::NoProbe, None)),
            ),
            ("audit:events_read".into(), None),
        ],
        cursor: 1,
        open: true,
        expiry: None,
    });
    check("scope_table", &app);
}

/// Issue 23: the Start screen says when saved tokens need a refresh or are dead.
#[test]
fn start_warns_of_saved_tokens_that_need_attention() {
    let mut app = launched(true);
    let quiet = render(&app, 80, 24);
    assert!(!quiet.contains("⚠ Saved tokens"), "{quiet}");
    update(&mut app, Message::TokenRadar { due: 2, dead: 1 });
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("2 to refresh") && screen.contains("1 dead"),
        "{screen}"
    );
    update(&mut app, Message::TokenRadar { due: 0, dead: 0 });
    assert!(!render(&app, 80, 24).contains("⚠ Saved tokens"));
}
