//! Unit tests of the OAuth flow.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use time::OffsetDateTime;

use super::*;

#[test]
fn lifetimes_past_year_9999_are_held_there_and_keep_the_tokens() {
    let tokens = Tokens {
        access_token: SecretString::from("a"),
        expires_in: Some(Duration::from_secs(u64::MAX)),
        refresh_token: Some(SecretString::from("r")),
        refresh_token_expires_in: Some(Duration::from_secs(400_000 * 365 * 86_400)),
        token_type: "Bearer".into(),
        scopes: vec![],
        scope_source: ScopeSource::Granted,
        obtained_at: OffsetDateTime::now_utc(),
    };
    assert_eq!(tokens.expires_at().unwrap().year(), 9999);
    assert_eq!(tokens.refresh_expires_at().unwrap().year(), 9999);
    let json = tokens.to_json_exposing_secrets("https://x.example/v1", "C1");
    assert_eq!(json["accessToken"], "a");
    assert!(tokens.summary().iter().any(|l| l.contains("9999")));
    assert!(in_words(Duration::from_secs(u64::MAX)).starts_with("in "));
}

fn request(pkce: bool) -> AuthorizationRequest {
    let base = ApiBase::parse("https://api-usgov.webex.com/v1").unwrap();
    AuthorizationRequest::new(
        &base,
        "C123",
        "http://localhost:8080/callback",
        &["spark:people_read".into(), "audit:events_read".into()],
        pkce,
    )
    .unwrap()
}

fn query(url: &Url) -> std::collections::HashMap<String, String> {
    url.query_pairs().into_owned().collect()
}

#[test]
fn the_url_carries_every_parameter_and_a_fresh_128_bit_state() {
    let a = request(true);
    assert!(
        a.url
            .as_str()
            .starts_with("https://api-usgov.webex.com/v1/authorize?")
    );
    let q = query(&a.url);
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], "C123");
    assert_eq!(q["redirect_uri"], "http://localhost:8080/callback");
    assert_eq!(q["scope"], "spark:people_read audit:events_read");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["code_challenge"].len(), 43, "a SHA-256, base64url");
    // 16 random bytes, base64url without padding.
    assert_eq!(q["state"].len(), 22);
    assert_ne!(q["state"], query(&request(true).url)["state"]);
    let plain = request(false);
    assert!(!query(&plain.url).contains_key("code_challenge"));
}

#[test]
fn callbacks_are_checked_state_first() {
    let a = request(true);
    let state = query(&a.url)["state"].clone();
    let code = a
        .check_callback(&format!("code=abc&state={state}"))
        .unwrap();
    assert_eq!(code.expose_secret(), "abc");
    assert_eq!(
        a.check_callback("code=abc&state=forged").err(),
        Some(AuthorizationError::StateMismatch)
    );
    assert_eq!(
        a.check_callback("code=abc").err(),
        Some(AuthorizationError::StateMismatch)
    );
    assert_eq!(
        a.check_callback("error=access_denied&state=forged").err(),
        Some(AuthorizationError::StateMismatch),
        "an error from a foreign request is not reported as ours"
    );
    assert_eq!(
        a.check_callback(&format!(
            "error=access_denied&error_description=The+user+declined&state={state}"
        ))
        .err(),
        Some(AuthorizationError::Denied {
            error: "access_denied".into(),
            description: Some("The user declined".into())
        })
    );
    assert_eq!(
        a.check_callback(&format!("state={state}")).err(),
        Some(AuthorizationError::MissingCode)
    );
}

#[test]
fn pasted_addresses_and_bare_codes() {
    let a = request(true);
    let state = query(&a.url)["state"].clone();
    let url = format!("http://localhost:8080/callback?code=xyz&state={state}");
    assert_eq!(a.check_pasted(&url).unwrap().expose_secret(), "xyz");
    assert_eq!(
        a.check_pasted("https://app.example.gov/cb?code=xyz&state=other")
            .err(),
        Some(AuthorizationError::StateMismatch)
    );
    assert_eq!(
        a.check_pasted("  bare-code-1 ").unwrap().expose_secret(),
        "bare-code-1"
    );
    assert_eq!(
        a.check_pasted("").err(),
        Some(AuthorizationError::MissingCode)
    );
}

#[test]
fn durations_in_words() {
    assert_eq!(in_words(Duration::from_secs(1_209_600)), "in 14 days");
    assert_eq!(in_words(Duration::from_secs(5 * 3600 + 7)), "in 5 hours");
    assert_eq!(in_words(Duration::from_secs(600)), "in 10 minutes");
    assert_eq!(in_words(Duration::from_secs(59)), "in 59 seconds");
    assert_eq!(in_words(Duration::from_secs(1_209_599)), "in 14 days");
}
