//! The device grant (RFC 8628 as Webex runs it): `/v1/device/authorize`, the verification page
//! where the user enters the code, and `/v1/device/token`, which answers HTTP 428 while the
//! user has not decided (as Webex does), `slow_down` when polled faster than the interval,
//! `expired_token` and `access_denied`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use axum::Form;
use axum::body::Bytes;
use axum::extract::{Query, State as AxumState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::token::{client_credentials, issue_tokens, oauth_error, oauth_form};
use super::{Shared, lock, random_hex, with_tracking};
use crate::text::html_escape;

use crate::oauth::device::{GRANT_TYPE, missing_helpers};

const LIFETIME: Duration = Duration::from_secs(10 * 60);
const PAGE: &str = include_str!("../../assets/sandbox-device.html");

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Decision {
    Waiting,
    Approved,
    Denied,
}

#[derive(Debug, Clone)]
pub(super) struct DeviceGrant {
    client_id: String,
    scopes: Vec<String>,
    user_code: String,
    expires: SystemTime,
    interval: Duration,
    last_poll: Option<SystemTime>,
    decision: Decision,
}

/// Eight letters a person can read aloud and type: no 0/O, 1/I.
fn user_code() -> String {
    const LETTERS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
    let mut code: String = (0..8)
        .map(|_| LETTERS[usize::from(rand::random::<u8>()) % LETTERS.len()] as char)
        .collect();
    code.insert(4, '-');
    code
}

pub(super) async fn authorize(
    AxumState(shared): AxumState<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut state = lock(&shared);
    let form = match oauth_form(&mut state, &headers, &body) {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let Some(app) = form
        .get("client_id")
        .and_then(|id| state.app_by_client_id(id))
        .cloned()
    else {
        return oauth_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "The client_id is not registered",
        );
    };
    let missing = missing_helpers(&app.redirect_urls);
    if !missing.is_empty() {
        return oauth_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &format!(
                "The integration's redirect URIs must include the device helper URIs; missing: {}",
                missing.join(", ")
            ),
        );
    }
    let scopes: Vec<String> = form
        .get("scope")
        .map(|s| {
            s.split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if scopes.is_empty() {
        return oauth_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "Parameter:scope is blank",
        );
    }
    if let Some(bad) = scopes.iter().find(|s| !app.scopes.contains(s)) {
        let description = format!("{bad} is not registered for this integration");
        return oauth_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            &description,
        );
    }
    // Where the user goes: this sandbox, under the name the client used to reach it.
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned();
    let device_code = random_hex(32);
    let code = user_code();
    let interval = Duration::from_secs(state.config.device_interval.max(1));
    let decision = if state.config.auto_approve {
        Decision::Approved
    } else {
        Decision::Waiting
    };
    let grant = DeviceGrant {
        client_id: app.client_id.clone(),
        scopes,
        user_code: code.clone(),
        expires: state.now() + LIFETIME,
        interval,
        last_poll: None,
        decision,
    };
    state.devices.insert(device_code.clone(), grant);
    let verification_uri = format!("http://{host}/v1/device/verify");
    let tracking_id = state.tracking_id();
    with_tracking(
        StatusCode::OK,
        &tracking_id,
        axum::Json(json!({
            "device_code": device_code,
            "user_code": code,
            "verification_uri": verification_uri,
            "verification_uri_complete": format!("{verification_uri}?userCode={code}"),
            "expires_in": LIFETIME.as_secs(),
            "interval": interval.as_secs(),
        })),
    )
}

pub(super) async fn token(
    AxumState(shared): AxumState<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut state = lock(&shared);
    let form = match oauth_form(&mut state, &headers, &body) {
        Ok(form) => form,
        Err(refused) => return refused,
    };
    let known = client_credentials(&headers, &form).filter(|(id, secret)| {
        state
            .app_by_client_id(id)
            .is_some_and(|a| a.client_secret == *secret)
    });
    let Some((client_id, _)) = known else {
        return oauth_error(
            &mut state,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Invalid client credentials",
        );
    };
    if form.get("grant_type").map(String::as_str) != Some(GRANT_TYPE) {
        return oauth_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be urn:ietf:params:oauth:grant-type:device_code",
        );
    }
    let now = state.now();
    let device_code = form.get("device_code").cloned().unwrap_or_default();
    // A code issued to another client is as unknown to this one.
    let Some(grant) = state
        .devices
        .get_mut(&device_code)
        .filter(|g| g.client_id == client_id)
    else {
        return oauth_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The device_code is not known",
        );
    };
    if grant.expires <= now {
        state.devices.remove(&device_code);
        return oauth_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "expired_token",
            "The device code expired before the user approved it",
        );
    }
    let too_soon = grant
        .last_poll
        .is_some_and(|last| now.duration_since(last).unwrap_or_default() < grant.interval);
    grant.last_poll = Some(now);
    match grant.decision {
        Decision::Denied => {
            state.devices.remove(&device_code);
            oauth_error(
                &mut state,
                StatusCode::BAD_REQUEST,
                "access_denied",
                "The user declined the authorization",
            )
        }
        Decision::Waiting if too_soon => oauth_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "slow_down",
            "Polling faster than the interval",
        ),
        // Webex's "still waiting": HTTP 428, not only RFC 8628's 400.
        Decision::Waiting => oauth_error(
            &mut state,
            StatusCode::PRECONDITION_REQUIRED,
            "authorization_pending",
            "The user has not yet approved the device",
        ),
        Decision::Approved => {
            let grant = state.devices.remove(&device_code).expect("found above");
            issue_tokens(&mut state, &grant.client_id, &grant.scopes, None)
        }
    }
}

pub(super) async fn verify_page(
    AxumState(shared): AxumState<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let state = lock(&shared);
    let typed = q
        .get("userCode")
        .or_else(|| q.get("user_code"))
        .map(|c| c.trim().to_ascii_uppercase())
        .unwrap_or_default();
    let found = state
        .devices
        .values()
        .find(|g| g.user_code == typed && g.decision == Decision::Waiting);
    let (app, scopes) = found.map_or_else(
        || (String::new(), String::new()),
        |g| {
            let name = state
                .app_by_client_id(&g.client_id)
                .and_then(|a| a.public["name"].as_str())
                .unwrap_or("this integration")
                .to_owned();
            let scopes = g.scopes.iter().fold(String::new(), |mut out, s| {
                let _ = write!(out, "<li><code>{}</code></li>", html_escape(s));
                out
            });
            (name, scopes)
        },
    );
    let page = PAGE
        .replace("{{CODE}}", &html_escape(&typed))
        .replace("{{APP}}", &html_escape(&app))
        .replace("{{SCOPES}}", &scopes)
        .replace("{{HIDDEN}}", if found.is_some() { "" } else { " hidden" });
    Html(page).into_response()
}

#[derive(serde::Deserialize)]
pub(super) struct Answer {
    user_code: String,
    decision: String,
}

pub(super) async fn decide(
    AxumState(shared): AxumState<Shared>,
    Form(a): Form<Answer>,
) -> Response {
    let mut state = lock(&shared);
    let typed = a.user_code.trim().to_ascii_uppercase();
    let Some(grant) = state
        .devices
        .values_mut()
        .find(|g| g.user_code == typed && g.decision == Decision::Waiting)
    else {
        return (
            StatusCode::BAD_REQUEST,
            Html("<!doctype html><meta charset=utf-8><title>Webex sandbox</title><h1 id=result>That code is not waiting for approval</h1><p>Check the code on your device; it may have expired.</p>"),
        )
            .into_response();
    };
    let allowed = a.decision == "allow";
    grant.decision = if allowed {
        Decision::Approved
    } else {
        Decision::Denied
    };
    let text = if allowed {
        "Approved: return to your device"
    } else {
        "Declined: the device gets no access"
    };
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>Webex sandbox</title><h1 id=result>{text}</h1><p>You can close this window.</p>"
    ))
    .into_response()
}
