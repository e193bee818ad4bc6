//! A contract test per reader of Webex's answers (docs/webex-answers.md): each is fed the
//! documented minimum and the richest answer seen in third-party code, and answers whose
//! optional fields are missing, `null` or of another type.

use crate::common;

use common::{Action, Home, MockWebex, run, wizard};
use reqwest::header::HeaderMap;
use secrecy::ExposeSecret;
use serde_json::json;
use webex_wizard::bot::{Avatar, BotDraft, CreatedBot};
use webex_wizard::oauth::{ScopeSource, Tokens};
use webex_wizard::webex::applications::read_secret_answer;
use webex_wizard::webex::people::Person;
use webex_wizard::webex::{ApiFailure, Operation};

fn requested() -> Vec<String> {
    vec!["spark:people_read".into(), "audit:events_read".into()]
}

#[test]
fn a_token_answer_with_only_the_four_documented_fields_is_bearer_with_the_requested_scopes() {
    let body = br#"{"access_token":"AT","expires_in":1209600,"refresh_token":"RT","refresh_token_expires_in":5184000}"#;
    let tokens = Tokens::read(body, &requested()).unwrap();
    assert_eq!(tokens.access_token.expose_secret(), "AT");
    assert_eq!(tokens.refresh_token.as_ref().unwrap().expose_secret(), "RT");
    assert_eq!(tokens.expires_in.unwrap().as_secs(), 1_209_600);
    assert_eq!(
        tokens.refresh_token_expires_in.unwrap().as_secs(),
        5_184_000
    );
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.scopes, requested());
    assert_eq!(tokens.scope_source, ScopeSource::Requested);
    let file = tokens.to_json_exposing_secrets("https://x.example/v1", "C1");
    assert_eq!(file["scope"], "spark:people_read audit:events_read");
    assert_eq!(file["scopeSource"], "requested");
    assert!(
        tokens
            .summary()
            .iter()
            .any(|l| l.contains("as requested; Webex did not list the granted scopes")),
        "{:?}",
        tokens.summary()
    );
}

#[test]
fn the_richest_token_answer_lists_the_granted_scopes_and_unknown_fields_are_ignored() {
    let body = br#"{"access_token":"AT","expires_in":1209600,"refresh_token":"RT","refresh_token_expires_in":7776000,"token_type":"bearer","scope":"spark:people_read","id_token":"eyJ","future":{"a":[1]}}"#;
    let tokens = Tokens::read(body, &requested()).unwrap();
    assert_eq!(tokens.scopes, ["spark:people_read"]);
    assert_eq!(tokens.scope_source, ScopeSource::Granted);
    assert_eq!(tokens.token_type, "bearer");
    let file = tokens.to_json_exposing_secrets("https://x.example/v1", "C1");
    assert_eq!(file["scopeSource"], "granted");
}

#[test]
fn a_token_answer_with_odd_optional_fields_still_keeps_its_tokens() {
    // Lifetimes as digits in strings are read; anything else is "unknown", never a failure.
    let body = br#"{"access_token":"AT","expires_in":"1209600","refresh_token":null,"refresh_token_expires_in":"soon","token_type":7,"scope":""}"#;
    let tokens = Tokens::read(body, &requested()).unwrap();
    assert_eq!(tokens.expires_in.unwrap().as_secs(), 1_209_600);
    assert!(tokens.refresh_token.is_none());
    assert!(tokens.refresh_token_expires_in.is_none());
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.scope_source, ScopeSource::Requested);
}

#[test]
fn a_token_answer_without_an_access_token_is_refused() {
    for body in [
        &br#"{"refresh_token":"RT"}"#[..],
        br#"{"access_token":""}"#,
        br#"{"access_token":42}"#,
        br#"["access_token"]"#,
        br#"{"access_token":"AT""#,
        b"<html>",
    ] {
        assert!(
            Tokens::read(body, &requested()).is_err(),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn a_create_answer_needs_only_client_id_and_secret() {
    let created = read_secret_answer(br#"{"clientId":"C1","clientSecret":"S1"}"#, None).unwrap();
    assert_eq!(created.client_id, "C1");
    assert_eq!(created.client_secret.expose_secret(), "S1");
    assert!(created.redirect_urls.is_empty() && created.name.is_none());
    // The guide's whole answer, with fields of unexpected types and one we don't know.
    let rich = json!({
        "isNative": "no", "id": "A1", "friendlyId": "x", "type": "integration", "name": "N",
        "description": null, "orgId": "O", "contactEmail": "a@b.gov", "companyName": 3,
        "redirectUrls": null, "scopes": ["spark:people_read", 5], "clientId": "C1",
        "clientSecret": "S1", "isFeatured": false, "submissionStatus": "none",
        "createdBy": "P", "created": "2026-01-01T00:00:00Z", "someday": true
    });
    let created = read_secret_answer(rich.to_string().as_bytes(), None).unwrap();
    assert_eq!(created.id.as_deref(), Some("A1"));
    assert_eq!(created.name.as_deref(), Some("N"));
    assert!(created.is_native.is_none() && created.company_name.is_none());
    assert!(created.redirect_urls.is_empty());
    assert_eq!(created.scopes, ["spark:people_read"]);
    assert_eq!(created.to_json_exposing_secret()["someday"], true);
    for body in [
        &br#"{"clientId":"C1"}"#[..],
        br#"{"clientSecret":"S1"}"#,
        br#"{"clientId":"","clientSecret":"S1"}"#,
    ] {
        assert!(read_secret_answer(body, None).is_err());
    }
}

#[test]
fn a_rotation_answer_needs_only_the_new_secret_and_the_rest_comes_from_the_listed_application() {
    let listed = json!({
        "id": "A1", "clientId": "C1", "name": "Audit reader", "type": "integration",
        "redirectUrls": ["http://localhost:8080/cb"], "scopes": ["audit:events_read"],
        // A list answer that (wrongly) carried the old secret must never stand in for the new.
        "clientSecret": "OLD"
    });
    let rotated = read_secret_answer(br#"{"clientSecret":"NEW"}"#, Some(&listed)).unwrap();
    assert_eq!(rotated.client_id, "C1");
    assert_eq!(rotated.client_secret.expose_secret(), "NEW");
    assert_eq!(rotated.name.as_deref(), Some("Audit reader"));
    assert_eq!(rotated.redirect_urls, ["http://localhost:8080/cb"]);
    // The richest answer: the whole application; its own fields win.
    let whole = json!({"id": "A1", "clientId": "C1", "name": "Renamed", "clientSecret": "NEW2"});
    let rotated = read_secret_answer(whole.to_string().as_bytes(), Some(&listed)).unwrap();
    assert_eq!(rotated.name.as_deref(), Some("Renamed"));
    assert_eq!(rotated.client_secret.expose_secret(), "NEW2");
    // No new secret: refused, even though the listed application had one.
    assert!(read_secret_answer(b"{}", Some(&listed)).is_err());
    assert!(read_secret_answer(br#"{"clientSecret":""}"#, Some(&listed)).is_err());
}

fn bot_draft() -> BotDraft {
    BotDraft {
        name: "Alert bot".into(),
        bot_email: "alerts@webex.bot".into(),
        description: "d".into(),
        contact_email: "a@agency.example.gov".into(),
        avatar: Avatar::Url("https://agency.example.gov/a.png".into()),
    }
}

#[test]
fn a_bot_answer_needs_only_the_bot_token() {
    let bot = CreatedBot::read(br#"{"botToken":"BT"}"#, &bot_draft()).unwrap();
    assert_eq!(bot.bot_token.expose_secret(), "BT");
    assert_eq!(bot.name.as_deref(), Some("Alert bot"));
    assert_eq!(bot.bot_email.as_deref(), Some("alerts@webex.bot"));
    assert!(bot.id.is_none());
    let rich = json!({"id": "B1", "type": "bot", "name": "Given", "botEmail": "given@webex.bot",
        "botPersonId": "P", "logo": "https://x", "orgId": "O", "botToken": "BT", "extra": [1]});
    let bot = CreatedBot::read(rich.to_string().as_bytes(), &bot_draft()).unwrap();
    assert_eq!(bot.name.as_deref(), Some("Given"));
    assert_eq!(bot.to_json_exposing_token()["extra"], json!([1]));
    assert!(CreatedBot::read(br#"{"botToken":""}"#, &bot_draft()).is_err());
    assert!(CreatedBot::read(br#"{"id":"B1"}"#, &bot_draft()).is_err());
}

#[test]
fn people_me_needs_only_an_id() {
    let person: Person = serde_json::from_str(r#"{"id":"P1"}"#).unwrap();
    assert_eq!(person.describe(), "P1");
    let rich: Person = serde_json::from_str(
        r#"{"id":"P1","emails":["a@b.gov",3],"displayName":null,"orgId":7,"roles":["x"],"type":"person"}"#,
    )
    .unwrap();
    assert_eq!(rich.emails, ["a@b.gov"]);
    assert!(rich.display_name.is_none() && rich.org_id.is_none());
    assert!(serde_json::from_str::<Person>(r#"{"emails":["a@b.gov"]}"#).is_err());
}

#[test]
fn an_error_body_of_odd_shape_still_gives_its_message_and_tracking_id() {
    let body =
        br#"{"message":"Invalid scope","errors":"not a list","trackingId":"ROUTER_1","extra":{}}"#;
    let f = ApiFailure::from_response(Operation::CreateIntegration, 400, &HeaderMap::new(), body);
    assert_eq!(f.message.as_deref(), Some("Invalid scope"));
    assert_eq!(f.tracking_id.as_deref(), Some("ROUTER_1"));
    let body = br#"{"message":42,"errors":[{"description":"d1"},{"description":null}],"trackingID":"CLIENT_2"}"#;
    let f = ApiFailure::from_response(Operation::TokenExchange, 400, &HeaderMap::new(), body);
    assert_eq!(f.errors, ["d1"]);
    assert_eq!(f.tracking_id.as_deref(), Some("CLIENT_2"));
    // The documented minimum: nothing at all in the body, the trackingId in the header.
    let mut h = HeaderMap::new();
    h.insert("trackingid", "ROUTERGW_3".parse().unwrap());
    let f = ApiFailure::from_response(Operation::Probe, 403, &h, b"");
    assert_eq!(f.tracking_id.as_deref(), Some("ROUTERGW_3"));
}

#[test]
fn a_rotation_answer_with_null_or_empty_fields_keeps_the_listed_ones_and_never_shows_a_secret() {
    let listed = json!({"id": "A1", "clientId": "C1", "name": "Audit reader"});
    let rotated = read_secret_answer(
        br#"{"clientSecret":"NEW","clientId":null,"name":"","scopes":null}"#,
        Some(&listed),
    )
    .unwrap();
    assert_eq!(rotated.client_id, "C1");
    assert_eq!(rotated.name.as_deref(), Some("Audit reader"));
    // A secret of the wrong type is refused without being repeated in the message.
    let e = read_secret_answer(br#"{"clientId":"C1","clientSecret":918273645}"#, None).unwrap_err();
    assert!(!e.contains("918273645"), "{e}");
    let e = CreatedBot::read(br#"{"botToken":55667788}"#, &bot_draft()).unwrap_err();
    assert!(!e.contains("55667788"), "{e}");
}

#[test]
fn a_token_answer_without_scope_for_a_refresh_token_of_unknown_scopes_says_so() {
    let tokens = Tokens::read(br#"{"access_token":"AT"}"#, &[]).unwrap();
    assert_eq!(tokens.scope_source, ScopeSource::Unknown);
    assert!(
        tokens.scopes_in_words().contains("pass --scope"),
        "{}",
        tokens.scopes_in_words()
    );
    let file = tokens.to_json_exposing_secrets("https://x.example/v1", "C1");
    assert_eq!(file["scopeSource"], "unknown");
}

const APP: &str = r#"{"id":"A1","type":"integration","name":"Audit Reader","clientId":"C1","description":"d","contactEmail":"a@agency.example.gov","redirectUrls":["http://localhost:8080/cb"],"scopes":["spark:people_read"]}"#;

fn admin(home: &Home, mock: &MockWebex) -> assert_cmd::Command {
    let mut cmd = wizard(home);
    cmd.env("WEBEX_ADMIN_TOKEN", "admin-token")
        .args(["--api-base", &mock.base]);
    cmd
}

#[test]
fn a_list_answer_without_items_is_reported_not_shown_as_empty() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/applications",
        vec![Action::json(200, r#"{"applications":[]}"#)],
    );
    let r = run(admin(&home, &mock).arg("list"));
    assert_eq!(r.code, 4, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("no items list"), "{}", r.stderr);
    assert!(!r.stdout.contains("No applications"), "{}", r.stdout);
}

#[test]
fn an_update_answered_with_an_empty_2xx_is_done() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/applications",
        vec![Action::json(200, &format!(r#"{{"items":[{APP}]}}"#))],
    );
    mock.on("GET /v1/applications/A1", vec![Action::json(200, APP)]);
    mock.on(
        "PUT /v1/applications/A1",
        vec![Action::Respond {
            status: 204,
            headers: vec![],
            body: String::new(),
        }],
    );
    let r = run(admin(&home, &mock).args(["update", "Audit Reader", "--name", "Audit Reader 2"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("Updated 'Audit Reader 2'"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_token_expiry_in_digits_is_read() {
    let home = Home::new();
    let mock = MockWebex::start();
    mock.on(
        "GET /v1/people/me",
        vec![Action::json(200, r#"{"id":"P1"}"#)],
    );
    mock.on(
        "GET /v1/authorizations/tokenExpiry",
        vec![Action::json(200, r#"{"exp":"1893456000000"}"#)],
    );
    let r = run(wizard(&home)
        .env("WEBEX_ACCESS_TOKEN", "access-token")
        .args(["--api-base", &mock.base, "test-scopes"])
        .args(["--scope", "spark:people_read"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("The token expires 2030-01-01"),
        "{}",
        r.stdout
    );
}
