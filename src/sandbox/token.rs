//! `/v1/access_token`: the authorization-code and refresh-token grants, as strict as Webex's.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{
    Answers, Authorization, RefreshGrant, Shared, State, TokenGrant, lifetimes, lock, random_hex,
    webex_id, with_tracking,
};

pub(super) fn oauth_error(
    state: &mut State,
    status: StatusCode,
    error: &str,
    description: &str,
) -> Response {
    let tracking_id = state.tracking_id();
    let body =
        json!({ "error": error, "error_description": description, "trackingID": tracking_id });
    with_tracking(status, &tracking_id, axum::Json(body))
}

/// The form of an OAuth request (token, device grant), or Webex's refusal of any other body.
// The error is the handler's own answer, as for `authenticate`.
#[allow(clippy::result_large_err)]
pub(super) fn oauth_form(
    state: &mut State,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<HashMap<String, String>, Response> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(oauth_error(
            state,
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The body must be application/x-www-form-urlencoded",
        ));
    }
    Ok(url::form_urlencoded::parse(body).into_owned().collect())
}

/// Client credentials from HTTP Basic or the form body.
pub(super) fn client_credentials(
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

pub(super) fn issue_tokens(
    state: &mut State,
    client_id: &str,
    scopes: &[String],
    refresh_token: Option<String>,
) -> Response {
    let (access_life, refresh_life) = lifetimes(state.config.fedramp);
    let access_token = format!("sandbox-access-{}", random_hex(32));
    let refresh_token =
        refresh_token.unwrap_or_else(|| format!("sandbox-refresh-{}", random_hex(32)));
    state.access_tokens.insert(
        access_token.clone(),
        TokenGrant {
            scopes: scopes.to_vec(),
            expires: state.now() + access_life,
            client_id: client_id.to_owned(),
        },
    );
    if !state
        .authorizations
        .iter()
        .any(|a| a.client_id == client_id)
    {
        let id = webex_id("AUTHORIZATION", &random_hex(16));
        let person_id = state.admin_id.clone();
        state.authorizations.push(Authorization {
            id,
            client_id: client_id.to_owned(),
            person_id,
            created: crate::types::rfc3339(time::OffsetDateTime::now_utc()),
        });
    }
    state.refresh_tokens.insert(
        refresh_token.clone(),
        RefreshGrant {
            client_id: client_id.to_owned(),
            scopes: scopes.to_vec(),
            expires: Some(state.now() + refresh_life),
        },
    );
    let tracking_id = state.tracking_id();
    // Webex documents these four fields and no more.
    let mut body = json!({
        "access_token": access_token,
        "expires_in": access_life.as_secs(),
        "refresh_token": refresh_token,
        "refresh_token_expires_in": refresh_life.as_secs(),
    });
    if state.config.answers == Answers::Observed {
        // As third-party models have them (jeokrohn/wxc_sdk `tokens.py`).
        body["token_type"] = "Bearer".into();
        body["scope"] = scopes.join(" ").into();
    }
    let mut response = with_tracking(StatusCode::OK, &tracking_id, axum::Json(body));
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        "no-store".parse().expect("static header"),
    );
    response
}

#[expect(
    clippy::too_many_lines,
    reason = "the token endpoint, one arm per grant type"
)]
pub(super) async fn access_token(
    AxumState(shared): AxumState<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut state = lock(&shared);
    let form = match oauth_form(&mut state, &headers, &body) {
        Ok(form) => form,
        Err(refused) => return refused,
    };
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
            if grant.expires < state.now() || grant.client_id != client_id {
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
            issue_tokens(&mut state, &client_id, &grant.scopes, None)
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
            let now = state.now();
            match state.refresh_tokens.get(refresh).cloned() {
                // Dead once its lifetime passed unused, as Webex's: invalid_grant.
                Some(grant)
                    if grant.client_id == client_id && grant.expires.is_none_or(|t| t > now) =>
                {
                    issue_tokens(&mut state, &client_id, &grant.scopes, Some(refresh.clone()))
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
}
