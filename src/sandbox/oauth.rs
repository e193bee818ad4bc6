//! `/v1/authorize`, its consent page, and `/v1/access_token`.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use axum::Form;
use axum::body::Bytes;
use axum::extract::{Query, State as AxumState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};
use url::Url;

use super::{
    CodeGrant, PendingConsent, RefreshGrant, Shared, State, TokenGrant, lifetimes, lock,
    random_hex, with_tracking,
};
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
    let mut url = Url::parse(redirect_uri).expect("registered redirect URLs are valid");
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
        expires: SystemTime::now() + CODE_LIFETIME,
    };
    if state.config.auto_approve {
        let code = random_hex(24);
        state.codes.insert(code.clone(), grant);
        return redirect_back(redirect_uri, &[("code", &code)], client_state);
    }
    let request_id = random_hex(16);
    let scope_items: String = grant
        .scopes
        .iter()
        .map(|s| format!("<li><code>{}</code></li>", html_escape(s)))
        .collect();
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

fn oauth_error(state: &mut State, status: StatusCode, error: &str, description: &str) -> Response {
    let tracking_id = state.tracking_id();
    let body =
        json!({ "error": error, "error_description": description, "trackingID": tracking_id });
    with_tracking(status, &tracking_id, axum::Json(body))
}

/// Client credentials from HTTP Basic or the form body.
fn client_credentials(
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Option<(String, String)> {
    if let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (id, secret) = text.split_once(':')?;
        let unescape = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
        };
        return Some((unescape(id)?, unescape(secret)?));
    }
    Some((
        form.get("client_id")?.clone(),
        form.get("client_secret")?.clone(),
    ))
}

fn pkce_s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn issue_tokens(
    state: &mut State,
    client_id: &str,
    scopes: Vec<String>,
    refresh_token: Option<String>,
) -> Response {
    let (access_life, refresh_life) = lifetimes(state.config.fedramp);
    let access_token = format!("sandbox-access-{}", random_hex(32));
    let refresh_token =
        refresh_token.unwrap_or_else(|| format!("sandbox-refresh-{}", random_hex(32)));
    state.access_tokens.insert(
        access_token.clone(),
        TokenGrant {
            scopes: scopes.clone(),
            expires: SystemTime::now() + access_life,
        },
    );
    state.refresh_tokens.insert(
        refresh_token.clone(),
        RefreshGrant {
            client_id: client_id.to_owned(),
            scopes: scopes.clone(),
        },
    );
    let tracking_id = state.tracking_id();
    let body = json!({
        "access_token": access_token,
        "expires_in": access_life.as_secs(),
        "refresh_token": refresh_token,
        "refresh_token_expires_in": refresh_life.as_secs(),
        "token_type": "Bearer",
        "scope": scopes.join(" "),
    });
    let mut response = with_tracking(StatusCode::OK, &tracking_id, axum::Json(body));
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        "no-store".parse().expect("static header"),
    );
    response
}

pub(super) async fn access_token(
    AxumState(shared): AxumState<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut state = lock(&shared);
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return oauth_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The body must be application/x-www-form-urlencoded",
        );
    }
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let Some((client_id, client_secret)) = client_credentials(&headers, &form) else {
        return oauth_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Parameter:client_id or client_secret is blank",
        );
    };
    let known = state
        .app_by_client_id(&client_id)
        .is_some_and(|a| a.client_secret == client_secret);
    if !known {
        return oauth_error(
            &mut state,
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Invalid client credentials",
        );
    }
    match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let Some(code) = form.get("code") else {
                return oauth_error(
                    &mut state,
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "Parameter:code is blank",
                );
            };
            // Single use: the code is gone whatever happens next.
            let Some(grant) = state.codes.remove(code) else {
                return oauth_error(
                    &mut state,
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The authorization code is invalid, expired or already used",
                );
            };
            if grant.expires < SystemTime::now() || grant.client_id != client_id {
                return oauth_error(
                    &mut state,
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The authorization code is invalid, expired or already used",
                );
            }
            if form.get("redirect_uri") != Some(&grant.redirect_uri) {
                return oauth_error(
                    &mut state,
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "redirect_uri does not match the authorization request",
                );
            }
            match (&grant.code_challenge, form.get("code_verifier")) {
                (Some(challenge), Some(verifier)) if pkce_s256(verifier) == *challenge => {}
                (Some(_), Some(_)) => {
                    return oauth_error(
                        &mut state,
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "PKCE verification failed: code_verifier does not match code_challenge",
                    );
                }
                (Some(_), None) => {
                    return oauth_error(
                        &mut state,
                        StatusCode::BAD_REQUEST,
                        "invalid_request",
                        "Parameter:code_verifier is blank",
                    );
                }
                (None, Some(_)) => {
                    return oauth_error(
                        &mut state,
                        StatusCode::BAD_REQUEST,
                        "invalid_request",
                        "code_verifier sent without a code_challenge",
                    );
                }
                (None, None) => {}
            }
            issue_tokens(&mut state, &client_id, grant.scopes, None)
        }
        Some("refresh_token") => {
            let Some(refresh) = form.get("refresh_token") else {
                return oauth_error(
                    &mut state,
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "Parameter:refresh_token is blank",
                );
            };
            match state.refresh_tokens.get(refresh).cloned() {
                Some(grant) if grant.client_id == client_id => {
                    issue_tokens(&mut state, &client_id, grant.scopes, Some(refresh.clone()))
                }
                _ => oauth_error(
                    &mut state,
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "The refresh token is invalid or expired",
                ),
            }
        }
        Some(other) => {
            let description = format!("grant_type {other} is not supported");
            oauth_error(
                &mut state,
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                &description,
            )
        }
        None => oauth_error(
            &mut state,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Parameter:grant_type is blank",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc_7636_example() {
        // RFC 7636, appendix B.
        assert_eq!(
            pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html_escape("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
}
