//! Fuzzing every parser of outside input (issue 10): Webex's answers (errors, the create
//! answer, token answers), callback queries, pasted text, and what the terminal is shown. Each
//! property runs `PROPTEST_CASES` inputs (256 by default, as CI runs it); for a long run:
//! `PROPTEST_CASES=200000 cargo test --release --test fuzz`.
//!
//! The inputs are built from the characters and pieces that matter (JSON punctuation, control
//! characters, percent escapes, the names of the fields) so that they reach deep into each
//! parser instead of failing at its first byte.

use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue};
use secrecy::ExposeSecret;
use webex_wizard::env::ApiBase;
use webex_wizard::oauth::{AuthorizationRequest, Tokens};
use webex_wizard::webex::applications::CreatedIntegration;
use webex_wizard::webex::{ApiFailure, Operation};

/// Text made of the pieces that matter to a JSON, query or terminal parser.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("\"".to_owned()),
        Just(":".to_owned()),
        Just(",".to_owned()),
        Just("\\".to_owned()),
        Just("\\u0000".to_owned()),
        Just("\\ud800".to_owned()),
        Just("null".to_owned()),
        Just("1e999".to_owned()),
        Just("-1".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("\u{1b}]0;x\u{7}".to_owned()),
        Just("\u{9b}".to_owned()),
        Just("\u{202e}".to_owned()),
        Just("%".to_owned()),
        Just("%zz".to_owned()),
        Just("&".to_owned()),
        Just("=".to_owned()),
        Just("?".to_owned()),
        Just("#".to_owned()),
        Just("\"message\"".to_owned()),
        Just("\"errors\"".to_owned()),
        Just("\"trackingId\"".to_owned()),
        Just("\"trackingID\"".to_owned()),
        Just("\"error\"".to_owned()),
        Just("\"error_description\"".to_owned()),
        Just("\"clientId\"".to_owned()),
        Just("\"clientSecret\"".to_owned()),
        Just("\"access_token\"".to_owned()),
        Just("\"expires_in\"".to_owned()),
        Just("\"refresh_token_expires_in\"".to_owned()),
        Just("\"token_type\"".to_owned()),
        Just("\"scope\"".to_owned()),
        Just("code".to_owned()),
        Just("state".to_owned()),
        any::<char>().prop_map(String::from),
        "[a-zA-Z0-9 ]{0,8}",
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
}

/// A JSON object with some of the fields Webex sends, each with a hostile value.
fn json_answer(fields: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let value = prop_oneof![
        hostile_text().prop_map(serde_json::Value::String),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
        Just(serde_json::json!([{"description": "x"}, 1, null])),
        Just(serde_json::json!({"nested": {"deep": [[[]]]}})),
    ];
    prop::collection::vec((prop::sample::select(fields), value), 0..8).prop_map(|pairs| {
        let map: serde_json::Map<String, serde_json::Value> =
            pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        serde_json::to_vec(&map).unwrap()
    })
}

/// Raw bytes or a near-JSON answer.
fn answer_body(fields: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        hostile_text().prop_map(String::into_bytes),
        json_answer(fields),
    ]
}

const ERROR_FIELDS: &[&str] = &[
    "message",
    "errors",
    "trackingId",
    "trackingID",
    "error",
    "error_description",
];
const CREATE_FIELDS: &[&str] = &[
    "clientId",
    "clientSecret",
    "name",
    "id",
    "redirectUrls",
    "scopes",
    "created",
    "isNative",
];
const TOKEN_FIELDS: &[&str] = &[
    "access_token",
    "token_type",
    "expires_in",
    "refresh_token",
    "refresh_token_expires_in",
    "scope",
];

fn request() -> AuthorizationRequest {
    let base = ApiBase::parse("https://api-usgov.webex.com/v1").unwrap();
    AuthorizationRequest::new(
        &base,
        "C1",
        "http://127.0.0.1:8080/cb",
        &["spark:people_read".into()],
        true,
    )
    .unwrap()
}

proptest! {
    #[test]
    fn webex_error_answers_never_panic(
        status in 0u16..1000,
        body in answer_body(ERROR_FIELDS),
        retry in hostile_text(),
        tracking in hostile_text(),
    ) {
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(&retry) {
            headers.insert("retry-after", v);
        }
        if let Ok(v) = HeaderValue::from_str(&tracking) {
            headers.insert("trackingid", v);
        }
        let failure = ApiFailure::from_response(Operation::CreateIntegration, status, &headers, &body);
        let shown = webex_wizard::text::visible(&failure.to_string()).into_owned();
        prop_assert!(!shown.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        let _ = failure.next_step();
    }

    #[test]
    fn create_answers_never_panic(body in answer_body(CREATE_FIELDS)) {
        if let Ok(created) = serde_json::from_slice::<CreatedIntegration>(&body) {
            let _ = created.to_json_exposing_secret();
        }
        // The create reader itself.
        if let Ok(created) = webex_wizard::webex::applications::read_secret_answer(&body, None) {
            prop_assert!(!created.client_id.is_empty());
            let _ = created.to_json_exposing_secret();
        }
        // The rotation reader merges the answer into the listed application.
        let listed = serde_json::json!({"id": "A1", "clientId": "C1", "clientSecret": "OLD"});
        if let Ok(rotated) = webex_wizard::webex::applications::read_secret_answer(&body, Some(&listed)) {
            prop_assert!(!rotated.client_secret.expose_secret().is_empty());
            prop_assert_ne!(rotated.client_secret.expose_secret(), "OLD");
        }
    }

    #[test]
    fn token_answers_never_panic(body in answer_body(TOKEN_FIELDS)) {
        if let Ok(tokens) = Tokens::read(&body, &["spark:people_read".to_owned()]) {
            let _ = tokens.summary();
            let _ = tokens.to_json_exposing_secrets("https://x.example/v1", "C1");
        }
    }

    #[test]
    fn callback_queries_and_pastes_never_panic(query in hostile_text(), pasted in hostile_text()) {
        let request = request();
        let _ = request.check_callback(&query);
        let _ = request.check_pasted(&pasted);
        let _ = webex_wizard::secret::clean_token(&pasted);
    }

    #[test]
    fn shown_text_never_carries_control_characters(text in hostile_text(), width in 0u16..200, cursor in 0usize..300) {
        let shown = webex_wizard::text::visible_line(&text);
        prop_assert!(!shown.chars().any(char::is_control));
        let line = webex_wizard::tui::widgets::line_input::visible_text(&text, cursor, width);
        prop_assert!(!line.chars().any(char::is_control));
    }
}

proptest! {
    /// Pasted and typed text on every form step, drawn at any size: no panic.
    #[test]
    fn the_wizard_takes_any_paste_at_any_size(
        pastes in prop::collection::vec(hostile_text(), 1..6),
        width in 1u16..160,
        height in 1u16..50,
    ) {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        use ratatui::crossterm::event::{KeyCode, KeyEvent};
        use webex_wizard::tui::app::{App, AppConfig, Step};
        use webex_wizard::tui::message::Message;
        use webex_wizard::tui::update::update;
        let mut app = App::new(AppConfig {
            env: webex_wizard::env::Environment::fedramp(),
            catalog: webex_wizard::catalog::Catalog::embedded(),
            token: None,
            theme: webex_wizard::tui::theme::Theme { color: true },
            auth_wait: std::time::Duration::from_secs(300),
            fedramp: true,
        });
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        for step in [Step::Connect, Step::Details, Step::RedirectUrls, Step::Scopes, Step::Review] {
            app.step = step;
            for text in &pastes {
                let _ = update(&mut app, Message::Paste(text.clone()));
                let _ = update(&mut app, Message::Key(KeyEvent::from(KeyCode::Backspace)));
                terminal.draw(|f| webex_wizard::tui::view::draw(&app, f)).unwrap();
            }
        }
    }
}
