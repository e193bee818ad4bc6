//! Unit tests of the parent module.

use super::*;
use reqwest::header::{HeaderMap, HeaderValue};
use std::time::Duration;

#[test]
fn reads_webex_rest_errors() {
    let mut h = HeaderMap::new();
    h.insert("retry-after", HeaderValue::from_static("7"));
    let body = br#"{"message":"Invalid scope","errors":[{"description":"scope x is unknown"}],"trackingId":"ROUTER_1"}"#;
    let f = ApiFailure::from_response(Operation::CreateIntegration, 400, &h, body);
    assert_eq!(f.message.as_deref(), Some("Invalid scope"));
    assert_eq!(f.errors, ["scope x is unknown"]);
    assert_eq!(f.tracking_id.as_deref(), Some("ROUTER_1"));
    assert_eq!(f.retry_after, Some(Duration::from_secs(7)));
    let shown = f.to_string();
    assert!(
        shown.contains("HTTP 400 Bad Request: Invalid scope"),
        "{shown}"
    );
    assert!(shown.contains("trackingId: ROUTER_1"), "{shown}");
}

#[test]
fn reads_oauth_errors_and_header_tracking_id() {
    let body = br#"{"error":"invalid_scope","error_description":"The requested scope is invalid.","trackingID":"CLIENT_9"}"#;
    let f = ApiFailure::from_response(Operation::TokenExchange, 400, &HeaderMap::new(), body);
    assert_eq!(f.oauth_error.as_deref(), Some("invalid_scope"));
    assert_eq!(
        f.message.as_deref(),
        Some("The requested scope is invalid.")
    );
    assert_eq!(f.tracking_id.as_deref(), Some("CLIENT_9"));

    let mut h = HeaderMap::new();
    // Webex writes the header as "TrackingID"; header names are case-insensitive.
    h.insert(
        reqwest::header::HeaderName::from_bytes(b"TrackingID").unwrap(),
        HeaderValue::from_static("ROUTERGW_5"),
    );
    let f = ApiFailure::from_response(Operation::Probe, 502, &h, b"<html>bad gateway</html>");
    assert_eq!(f.tracking_id.as_deref(), Some("ROUTERGW_5"));
    assert!(f.message.unwrap().contains("bad gateway"));
}

#[test]
fn exit_codes_split_refusals_from_outages() {
    let f = |status| {
        WebexError::Api(Box::new(ApiFailure::from_response(
            Operation::CreateIntegration,
            status,
            &HeaderMap::new(),
            b"",
        )))
    };
    assert_eq!(f(400).exit_code(), 3);
    assert_eq!(f(429).exit_code(), 3);
    assert_eq!(f(503).exit_code(), 4);
    let t = WebexError::Timeout {
        url: "u".into(),
        seconds: 1.0,
        may_have_been_processed: true,
    };
    assert_eq!(t.exit_code(), 4);
    assert!(t.to_string().contains("check Control Hub"));
}

#[test]
fn the_integration_limit_gets_its_own_advice() {
    let create = |body: &str| {
        ApiFailure::from_response(
            Operation::CreateIntegration,
            400,
            &HeaderMap::new(),
            body.as_bytes(),
        )
    };
    let limit = create(
        r#"{"message":"This user already owns the maximum of 20 integrations; delete one first.","trackingId":"T"}"#,
    );
    assert!(limit.is_integration_limit());
    assert_eq!(limit.next_step(), INTEGRATION_LIMIT_ADVICE);
    // Somewhere to go from there, not a raw API call.
    assert!(INTEGRATION_LIMIT_ADVICE.contains("webex-wizard delete"));
    assert!(INTEGRATION_LIMIT_ADVICE.contains("Manage existing applications"));
    assert!(!INTEGRATION_LIMIT_ADVICE.contains("DELETE /v1"));
    assert!(!limit.next_step().contains("Correct the field"));
    let field = create(r#"{"message":"name is required","trackingId":"T"}"#);
    assert!(!field.is_integration_limit());
    assert!(field.next_step().contains("Correct the field"));
}
