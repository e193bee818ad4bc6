//! Text from outside can't drive the terminal (issue 10, item 8): Webex's messages, tracking
//! IDs, display names and the created integration's fields reach a person with their control
//! characters shown, not obeyed; `--json` stays exact JSON.

use crate::common;

use common::{Action, Home, MockWebex, good_flags, run, wizard};
use ratatui::crossterm::event::KeyCode;
use webex_wizard::tui::app::TokenSource;

/// A window title, a screen clear, a clipboard write and an 8-bit CSI.
const HOSTILE: &str = "ok\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m";

fn json_escaped(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap();
    quoted[1..quoted.len() - 1].to_owned()
}

fn assert_tame(what: &str, text: &str) {
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{what} carries raw control characters: {text:?}"
    );
    assert!(text.contains("␛]0;pwned␇"), "{what}: {text:?}");
}

#[test]
fn webex_messages_and_names_are_shown_not_obeyed() {
    let home = Home::new();
    let mock = MockWebex::start();
    let person = format!(
        r#"{{"id":"P1","emails":["a@agency.example.gov"],"displayName":"{}","orgId":"O1"}}"#,
        json_escaped(HOSTILE)
    );
    mock.on("GET /v1/people/me", vec![Action::json(200, &person)]);
    let refusal = format!(
        r#"{{"message":"{m}","errors":[{{"description":"{m}"}}],"trackingId":"{m}"}}"#,
        m = json_escaped(HOSTILE)
    );
    mock.on("POST /v1/applications", vec![Action::json(400, &refusal)]);
    let r = run(wizard(&home)
        .args(["--api-base", &mock.base])
        .args(good_flags())
        .env("WEBEX_ADMIN_TOKEN", "t"));
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert_tame("stderr", &r.stderr);
}

#[test]
fn a_hostile_created_answer_is_tame_on_screen_and_exact_in_json() {
    let home = Home::new();
    let mock = MockWebex::start();
    let created = format!(
        r#"{{"clientId":"C1{h}","clientSecret":"S1{h}","name":"{h}"}}"#,
        h = json_escaped(HOSTILE)
    );
    mock.on("POST /v1/applications", vec![Action::json(200, &created)]);
    let r = run(wizard(&home)
        .args(["--api-base", &mock.base])
        .args(good_flags())
        .env("WEBEX_ADMIN_TOKEN", "t"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_tame("stdout", &r.stdout);
    assert_tame("stderr", &r.stderr);
    let r = run(wizard(&home)
        .args(["--api-base", &mock.base])
        .args(good_flags())
        .arg("--json")
        .env("WEBEX_ADMIN_TOKEN", "t"));
    let value: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(value["name"], HOSTILE, "--json is exact");
}

#[test]
fn probe_messages_are_tame_in_the_table() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/people/me",
        vec![Action::webex_error(403, &json_escaped(HOSTILE), "T403")],
    );
    let r = run(wizard(&home).env("WEBEX_ACCESS_TOKEN", "a").args([
        "--api-base",
        &mock.base,
        "test-scopes",
        "--scope",
        "spark:people_read",
    ]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert_tame("the table", &r.stdout);
}

#[tokio::test]
async fn the_wizard_shows_outside_text_tamed() {
    let mock = MockWebex::start();
    let person = format!(
        r#"{{"id":"P1","emails":["a@agency.example.gov"],"displayName":"{}","orgId":"O1"}}"#,
        json_escaped(HOSTILE)
    );
    mock.on("GET /v1/people/me", vec![Action::json(200, &person)]);
    let root = tempfile::tempdir().unwrap();
    let mut h = common::tui::Harness::new(
        &mock.base,
        Some(("t", TokenSource::Environment)),
        common::tui::dirs_in(root.path()),
    );
    h.start().await;
    let screen = h.screen(120, 40);
    assert!(screen.contains("␛]0;pwned␇"), "{screen}");
    h.key(KeyCode::Enter).await;
}

/// Pasted text can carry a bidirectional override (U+202E) that makes a field read differently
/// than what will be sent; it is drawn visibly, never handed to the terminal.
#[tokio::test]
async fn a_pasted_bidi_override_is_drawn_not_obeyed() {
    let mock = MockWebex::start();
    let root = tempfile::tempdir().unwrap();
    let mut h = common::tui::Harness::new(
        &mock.base,
        Some(("t", TokenSource::Environment)),
        common::tui::dirs_in(root.path()),
    );
    h.start().await;
    h.key(KeyCode::Enter).await;
    let hostile = "Reader\u{202E}redaeR\u{2066}x\u{200F}";
    h.send(webex_wizard::tui::message::Message::Paste(hostile.into()))
        .await;
    h.key(KeyCode::Tab).await;
    h.send(webex_wizard::tui::message::Message::Paste(hostile.into()))
        .await;
    assert_eq!(h.app.draft().name, hostile, "what is typed is kept exactly");
    for (width, height) in [(80, 24), (120, 40)] {
        let screen = h.screen(width, height);
        assert!(screen.contains("Reader"), "{screen}");
        assert!(
            !screen.contains(['\u{202E}', '\u{2066}', '\u{200F}']),
            "a bidi control reaches the terminal: {screen:?}"
        );
    }
}

#[test]
fn application_names_from_webex_are_tame_in_list_show_and_authorizations() {
    let home = Home::new();
    let mock = MockWebex::start();
    let app = format!(
        r#"{{"id":"A1","clientId":"C1","type":"integration","name":"{h}","description":"{h}","created":"2026-01-01","createdBy":"{h}","redirectUrls":["{h}"],"scopes":["{h}"]}}"#,
        h = json_escaped(HOSTILE)
    );
    mock.on(
        "GET /v1/applications",
        vec![Action::json(200, &format!(r#"{{"items":[{app}]}}"#))],
    );
    mock.on("GET /v1/applications/A1", vec![Action::json(200, &app)]);
    for args in [vec!["list"], vec!["show", "C1"]] {
        let r = run(wizard(&home)
            .env("WEBEX_ADMIN_TOKEN", "t")
            .args(["--api-base", &mock.base])
            .args(&args));
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert_tame(&format!("{args:?}"), &r.stdout);
    }
    let grants = format!(
        r#"{{"items":[{{"id":"{h}","applicationName":"{h}","clientId":"{h}","type":"refresh","created":"{h}"}}]}}"#,
        h = json_escaped(HOSTILE)
    );
    mock.on("GET /v1/authorizations", vec![Action::json(200, &grants)]);
    let r = run(wizard(&home).env("WEBEX_ADMIN_TOKEN", "t").args([
        "--api-base",
        &mock.base,
        "authorizations",
        "list",
        "--person-email",
        "a@agency.example.gov",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_tame("authorizations list", &r.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn application_names_are_tame_in_the_wizard_list() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on("GET /v1/people/me", vec![Action::json(200, common::PERSON)]);
    let app = format!(
        r#"{{"id":"A1","clientId":"C1","type":"integration","name":"{h}","description":"{h}","created":"2026-01-01","redirectUrls":["{h}"],"scopes":["{h}"]}}"#,
        h = json_escaped(HOSTILE)
    );
    mock.on(
        "GET /v1/applications",
        vec![Action::json(200, &format!(r#"{{"items":[{app}]}}"#))],
    );
    let mut h = common::tui::Harness::new(
        &mock.base,
        Some(("t", TokenSource::Environment)),
        common::tui::dirs_in(home.path()),
    );
    h.launch().await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    h.key(KeyCode::Enter).await;
    let screen = h.screen(120, 40);
    assert!(
        !screen.chars().any(|c| c.is_control() && c != '\n'),
        "{screen:?}"
    );
    assert!(screen.contains("␛]0;pwned"), "{screen}");
}
