//! The device grant (RFC 8628) as Webex runs it, for signing in where no browser can come back
//! to this machine (SSH): `POST {base}/device/authorize` with the client ID and scopes, then
//! `POST {base}/device/token` (HTTP Basic) at the interval until the user decides. Webex answers
//! HTTP 428 while it waits (seen by third-party clients), besides RFC 8628's
//! `authorization_pending`; `slow_down` adds five seconds. Unverified on `FedRAMP`.

use std::time::Duration;

use reqwest::Method;
use secrecy::SecretString;
use serde_json::Value;

use super::{ClientCredentials, Tokens};
use crate::webex::applications::{keep_incomplete, unreadable};
use crate::webex::client::Body;
use crate::webex::{OneTime, Operation, Tracked, WebexClient, WebexError};

/// The redirect URIs Webex requires of an integration before it runs the device grant.
pub const HELPER_REDIRECT_URIS: [&str; 3] = [
    "https://oauth-helper-a.wbx2.com/helperservice/v1/actions/device/callback",
    "https://oauth-helper-k.wbx2.com/helperservice/v1/actions/device/callback",
    "https://oauth-helper-r.wbx2.com/helperservice/v1/actions/device/callback",
];

/// The device grant's `grant_type` (RFC 8628 3.4).
pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Which of the helper URIs `redirect_urls` lacks.
pub fn missing_helpers(redirect_urls: &[String]) -> Vec<&'static str> {
    HELPER_REDIRECT_URIS
        .iter()
        .copied()
        .filter(|h| !redirect_urls.iter().any(|u| u == h))
        .collect()
}

/// `redirect_urls` with the helper URIs added (once each, after the others).
pub fn with_helpers(redirect_urls: &[String]) -> Vec<String> {
    let mut all = redirect_urls.to_vec();
    for helper in missing_helpers(redirect_urls) {
        all.push(helper.to_owned());
    }
    all
}

/// What `/device/authorize` answers: the code to show the user and where they enter it.
#[derive(Debug)]
pub struct DeviceCode {
    pub device_code: SecretString,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub expires_in: Duration,
    pub interval: Duration,
}

/// Ask for a device code for `scopes`.
pub async fn start(
    client: &WebexClient,
    client_id: &str,
    scopes: &[String],
) -> Result<Tracked<DeviceCode>, WebexError> {
    let id = SecretString::from(client_id.to_owned());
    let scope = SecretString::from(scopes.join(" "));
    let fields = [("client_id", &id), ("scope", &scope)];
    let answer = client
        .send(
            Operation::TokenExchange,
            Method::POST,
            &client.base().join("/device/authorize"),
            None,
            Body::Form(&fields),
        )
        .await?;
    let unreadable_answer = |detail: String| WebexError::UnreadableAnswer {
        status: answer.status.as_u16(),
        detail,
    };
    let value: Value =
        serde_json::from_slice(&answer.body).map_err(|e| unreadable_answer(e.to_string()))?;
    let text = |k: &str| {
        value
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let seconds = |k: &str| {
        let v = value.get(k)?;
        v.as_u64().or_else(|| v.as_str()?.trim().parse().ok())
    };
    let (Some(device_code), Some(user_code), Some(verification_uri)) = (
        text("device_code"),
        text("user_code"),
        text("verification_uri"),
    ) else {
        return Err(unreadable_answer(
            "it lacks device_code, user_code or verification_uri".into(),
        ));
    };
    let code = DeviceCode {
        device_code: SecretString::from(device_code.to_owned()),
        user_code: user_code.to_owned(),
        verification_uri: verification_uri.to_owned(),
        verification_uri_complete: text("verification_uri_complete").map(str::to_owned),
        // RFC 8628: expires_in is required; interval defaults to 5 seconds.
        expires_in: Duration::from_secs(seconds("expires_in").unwrap_or(300).clamp(1, 3600)),
        interval: Duration::from_secs(seconds("interval").unwrap_or(5).clamp(1, 60)),
    };
    Ok(answer.tracked(code))
}

/// One poll's outcome.
#[derive(Debug)]
pub enum Poll {
    /// The user has not decided yet (HTTP 428 or `authorization_pending`).
    Waiting,
    /// Polled too fast: wait five seconds more from now on.
    SlowDown,
    /// Approved: the tokens.
    Tokens(Tracked<Tokens>),
}

/// Ask once whether the user approved. `expired_token`, `access_denied` and any other refusal
/// are errors (their OAuth code is in the failure).
pub async fn poll(
    client: &WebexClient,
    creds: &ClientCredentials,
    code: &DeviceCode,
    scopes: &[String],
) -> Result<Poll, WebexError> {
    let grant_type = SecretString::from(GRANT_TYPE);
    let id = SecretString::from(creds.client_id.clone());
    let fields = [
        ("grant_type", &grant_type),
        ("device_code", &code.device_code),
        ("client_id", &id),
    ];
    let answer = client
        .send(
            Operation::TokenExchange,
            Method::POST,
            &client.base().join("/device/token"),
            None,
            Body::FormBasicAuth {
                fields: &fields,
                user: &creds.client_id,
                password: &creds.client_secret,
            },
        )
        .await;
    // The OAuth error first: a 428 that says access_denied or expired_token ends the wait.
    match answer {
        Err(WebexError::Api(f)) if f.oauth_error.as_deref() == Some("authorization_pending") => {
            Ok(Poll::Waiting)
        }
        Err(WebexError::Api(f)) if f.oauth_error.as_deref() == Some("slow_down") => {
            Ok(Poll::SlowDown)
        }
        Err(WebexError::Api(f)) if f.status == 428 && f.oauth_error.is_none() => Ok(Poll::Waiting),
        other => {
            let answer = keep_incomplete(other, OneTime::Tokens)?;
            Tokens::read(&answer.body, scopes)
                .map(|t| Poll::Tokens(answer.tracked(t)))
                .map_err(|detail| {
                    unreadable(
                        OneTime::Tokens,
                        &answer,
                        format!("the token answer is not what Webex documents: {detail}"),
                    )
                })
        }
    }
}

/// RFC 8628 3.5: `slow_down` adds five seconds to the interval, for good.
pub const SLOW_DOWN: Duration = Duration::from_secs(5);

/// The whole device login for a front end that shows the code and waits: start, tell
/// `on_code`, poll at the interval until the user decides, the code expires or `cancel` ends.
pub async fn sign_in(
    client: &WebexClient,
    creds: &ClientCredentials,
    scopes: &[String],
    cancel: impl std::future::Future<Output = ()>,
    on_code: impl FnOnce(&DeviceCode),
) -> Result<Tracked<Tokens>, super::FlowError> {
    use super::{AuthorizationError, FlowError};
    let code = start(client, &creds.client_id, scopes).await?.value;
    on_code(&code);
    let deadline = tokio::time::Instant::now() + code.expires_in;
    let mut interval = code.interval;
    tokio::pin!(cancel);
    loop {
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            () = &mut cancel => return Err(FlowError::Authorization(AuthorizationError::Cancelled)),
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(FlowError::Authorization(AuthorizationError::TimedOut {
                waited: code.expires_in,
                refused: 0,
            }));
        }
        match poll(client, creds, &code, scopes).await? {
            Poll::Waiting => {}
            Poll::SlowDown => interval += SLOW_DOWN,
            Poll::Tokens(tokens) => return Ok(tokens),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_helpers_are_added_once_and_missing_ones_named() {
        let mine = vec![
            "http://localhost:8080/callback".to_owned(),
            HELPER_REDIRECT_URIS[1].to_owned(),
        ];
        assert_eq!(
            missing_helpers(&mine),
            vec![HELPER_REDIRECT_URIS[0], HELPER_REDIRECT_URIS[2]]
        );
        let all = with_helpers(&mine);
        assert_eq!(all.len(), 4);
        assert!(missing_helpers(&all).is_empty());
        assert_eq!(with_helpers(&all), all);
    }
}
