//! `/v1/authorize`, its consent page, and `/v1/access_token`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use axum::Form;
use axum::extract::{Query, State as AxumState};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use url::Url;

use super::{CodeGrant, PendingConsent, Shared, State, lock, random_hex, with_tracking};
use crate::text::html_escape;

const CONSENT_PAGE: &str = include_str!("../../assets/sandbox-consent.html");
const CODE_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// An error Webex shows on its own page, because the redirect URI cannot be trusted.
fn error_page(state: &mut State, error: &str, description: &str) -> Response {
    let tracking_id = state.tracking_id();
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>Webex sandbox: {e}</title><h1>Authorization failed</h1><p><code>error: {e}</code></p><p><code>error_description: {d}</code></p><p>trackingID: {t}</p>",
        e = html_escape(error),
        d = html_escape(description),
        t = html_escape(&tracking_id),
    );
    with_tracking(StatusCode::BAD_REQUEST, &tracking_id, Html(body))
}

/// Send the browser back to the client with `params` (and `state`) added to the redirect URI.
fn redirect_back(
    redirect_uri: &str,
    params: &[(&str, &str)],
    client_state: Option<&str>,
) -> Response {
    // Registered URLs are checked when they are registered; one that still isn't a URL (a
    // damaged state file) gets an error, never a panic.
    let Ok(mut url) = Url::parse(redirect_uri) else {
        return (
            StatusCode::BAD_REQUEST,
            "The redirect URL registered for this integration is not a URL.",
        )
            .into_response();
    };
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in params {
            q.append_pair(k, v);
        }
        if let Some(s) = client_state {
            q.append_pair("state", s);
        }
    }
    Redirect::to(url.as_str()).into_response()
}

pub(super) async fn authorize(
    AxumState(shared): AxumState<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut state = lock(&shared);
    let get = |k: &str| q.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let Some(client_id) = get("client_id") else {
        return error_page(
            &mut state,
            "invalid_request",
            "Parameter:client_id is blank",
        );
    };
    let Some(app) = state.app_by_client_id(client_id).cloned() else {
        return error_page(
            &mut state,
            "invalid_client",
            "The client_id is not registered",
        );
    };
    let Some(redirect_uri) = get("redirect_uri") else {
        return error_page(
            &mut state,
            "invalid_request",
            "Parameter:redirect_uri is blank",
        );
    };
    if !app.redirect_urls.iter().any(|u| u == redirect_uri) {
        return error_page(
            &mut state,
            "invalid_request",
            "The redirect_uri does not match a redirect URL registered for this integration",
        );
    }
    let client_state = get("state");
    let fail = |error: &str, description: &str| {
        redirect_back(
            redirect_uri,
            &[("error", error), ("error_description", description)],
            client_state,
        )
    };
    if get("response_type") != Some("code") {
        return fail("unsupported_response_type", "response_type must be code");
    }
    let Some(scope) = get("scope") else {
        return fail("invalid_scope", "Parameter:scope is blank");
    };
    let scopes: Vec<String> = scope
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(bad) = scopes.iter().find(|s| !app.scopes.contains(s)) {
        return fail(
            "invalid_scope",
            &format!(
                "The requested scope is invalid: {bad} is not registered for this integration"
            ),
        );
    }
    let code_challenge = match (get("code_challenge"), get("code_challenge_method")) {
        (None, _) => None,
        (Some(c), Some("S256")) if c.len() >= 43 => Some(c.to_owned()),
        (Some(_), Some("S256")) => return fail("invalid_request", "code_challenge is too short"),
        (Some(_), _) => return fail("invalid_request", "code_challenge_method must be S256"),
    };
    let grant = CodeGrant {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        scopes,
        code_challenge,
        expires: state.now() + CODE_LIFETIME,
    };
    if state.config.auto_approve {
        let code = random_hex(24);
        state.codes.insert(code.clone(), grant);
        return redirect_back(redirect_uri, &[("code", &code)], client_state);
    }
    let request_id = random_hex(16);
    let scope_items = grant.scopes.iter().fold(String::new(), |mut out, s| {
        let _ = write!(out, "<li><code>{}</code></li>", html_escape(s));
        out
    });
    let app_name = app.public["name"]
        .as_str()
        .unwrap_or("this integration")
        .to_owned();
    let page = CONSENT_PAGE
        .replace("{{APP}}", &html_escape(&app_name))
        .replace("{{SCOPES}}", &scope_items)
        .replace("{{REDIRECT}}", &html_escape(redirect_uri))
        .replace("{{ACTION}}", "/v1/authorize/decision")
        .replace("{{REQUEST}}", &request_id);
    state.consents.insert(
        request_id,
        PendingConsent {
            grant,
            state: client_state.map(str::to_owned),
        },
    );
    Html(page).into_response()
}

#[derive(serde::Deserialize)]
pub(super) struct Decision {
    request: String,
    decision: String,
}

pub(super) async fn decide(
    AxumState(shared): AxumState<Shared>,
    Form(d): Form<Decision>,
) -> Response {
    let mut state = lock(&shared);
    let Some(pending) = state.consents.remove(&d.request) else {
        return error_page(
            &mut state,
            "invalid_request",
            "This consent page has expired or was already answered",
        );
    };
    let redirect_uri = pending.grant.redirect_uri.clone();
    if d.decision != "allow" {
        return redirect_back(
            &redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_description", "The user declined the authorization"),
            ],
            pending.state.as_deref(),
        );
    }
    let code = random_hex(24);
    state.codes.insert(code.clone(), pending.grant);
    redirect_back(&redirect_uri, &[("code", &code)], pending.state.as_deref())
}
