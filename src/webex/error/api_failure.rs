//! A non-2xx answer from Webex, read from its status, headers and body.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde::Deserialize;

use super::Operation;

/// What to do when a user already owns as many integrations as Webex allows.
pub const INTEGRATION_LIMIT_ADVICE: &str = "Each Webex user may own at most 20 integrations, and this admin has reached that limit; nothing was created. Delete one that is no longer used (webex-wizard list, then webex-wizard delete APP; or Manage existing applications on the wizard's first screen), or create this one as another admin.";

/// A non-2xx answer from Webex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure {
    pub operation: Operation,
    pub status: u16,
    /// Webex's `message`, or the OAuth `error_description`.
    pub message: Option<String>,
    /// Webex's `errors[].description`.
    pub errors: Vec<String>,
    /// The OAuth `error` code (`invalid_grant`, ...).
    pub oauth_error: Option<String>,
    /// From the body (`trackingId` / `trackingID`) or the `trackingid` header.
    pub tracking_id: Option<String>,
    /// The tracking ID we sent, shown when Webex returned none.
    pub sent_tracking_id: Option<String>,
    pub retry_after: Option<Duration>,
}

/// Webex's error body (`message`, `errors[].description`, `trackingId`) or OAuth's (`error`,
/// `error_description`, `trackingID`). Every field is optional, and one of an unexpected type
/// is skipped, not fatal: the status and the trackingId must reach the user whatever came.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    #[serde(default, deserialize_with = "crate::lenient::optional")]
    message: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::optional")]
    errors: Option<Vec<ErrorItem>>,
    #[serde(default, deserialize_with = "crate::lenient::optional")]
    tracking_id: Option<String>,
    #[serde(
        rename = "trackingID",
        default,
        deserialize_with = "crate::lenient::optional"
    )]
    tracking_id_oauth: Option<String>,
    error: Option<serde_json::Value>,
    #[serde(
        rename = "error_description",
        default,
        deserialize_with = "crate::lenient::optional"
    )]
    error_description: Option<String>,
}

#[derive(Deserialize)]
struct ErrorItem {
    #[serde(default, deserialize_with = "crate::lenient::optional")]
    description: Option<String>,
}

/// `Retry-After` in seconds (Webex sends seconds; HTTP dates are not used by Webex).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// The `trackingid` response header, if any (names are case-insensitive).
pub fn tracking_id_header(headers: &HeaderMap) -> Option<String> {
    headers
        .get("trackingid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl ApiFailure {
    /// Read a failure from a response's status, headers and body.
    pub fn from_response(
        operation: Operation,
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Self {
        let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
        let mut failure = ApiFailure {
            operation,
            status,
            message: None,
            errors: Vec::new(),
            oauth_error: None,
            tracking_id: None,
            sent_tracking_id: None,
            retry_after: retry_after(headers),
        };
        if let Some(b) = parsed {
            failure.oauth_error = match b.error {
                Some(serde_json::Value::String(s)) => Some(s),
                _ => None,
            };
            failure.message = b.message.or(b.error_description);
            failure.errors = b
                .errors
                .unwrap_or_default()
                .into_iter()
                .filter_map(|e| e.description)
                .filter(|d| Some(d) != failure.message.as_ref())
                .collect();
            failure.tracking_id = b.tracking_id.or(b.tracking_id_oauth);
        } else {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            if !text.is_empty() {
                let short: String = text.chars().take(200).collect();
                failure.message = Some(format!("(not JSON) {short}"));
            }
        }
        if failure.tracking_id.is_none() {
            failure.tracking_id = tracking_id_header(headers);
        }
        failure
    }

    pub fn is_client_error(&self) -> bool {
        (400..500).contains(&self.status)
    }

    /// The reason phrase for the status, e.g. "Bad Request".
    pub fn reason(&self) -> &'static str {
        reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("")
    }

    /// The message and every error description, as one line.
    pub fn all_text(&self) -> String {
        let mut all = self.message.clone().unwrap_or_default();
        for e in &self.errors {
            all.push_str("; ");
            all.push_str(e);
        }
        all
    }

    /// Webex refused a create because the user already owns the most integrations allowed.
    pub fn is_integration_limit(&self) -> bool {
        let words = |text: &str| {
            let t = text.to_ascii_lowercase();
            t.contains("integration")
                && ["maximum", "limit", "too many", "exceed"]
                    .iter()
                    .any(|w| t.contains(w))
        };
        self.operation == Operation::CreateIntegration
            && (self.message.as_deref().is_some_and(words) || self.errors.iter().any(|e| words(e)))
    }

    /// One sentence on what to do next.
    pub fn next_step(&self) -> String {
        use Operation::{
            CheckAdminToken, CreateBot, CreateIntegration, ManageApplication, ManageAuthorizations,
            Probe, Refresh, RotateSecret, TokenExchange,
        };
        match (self.status, self.operation) {
(400 | 403 | 409, CreateIntegration) if self.is_integration_limit() => INTEGRATION_LIMIT_ADVICE.into(),
            (401, CheckAdminToken | CreateIntegration | CreateBot | ManageApplication | RotateSecret | ManageAuthorizations) => "The admin token is expired or wrong. Control Hub admin tokens last at most 12 hours: sign in to https://admin-usgov.webex.com again, copy a fresh access token (DevTools > Application > Session Storage > accessToken) and retry.".into(),
            (403, CheckAdminToken | CreateIntegration | CreateBot | ManageApplication | RotateSecret) => "The token's user may not manage applications. Use a token of a full Control Hub admin of the organization.".into(),
            (400, CreateIntegration) => "Correct the field Webex names above and send again; nothing was created.".into(),
            (400 | 409, CreateBot) => "Correct the field Webex names above (the bot e-mail must be unique across Webex) and send again; nothing was created.".into(),
            (415, _) => "The request's content type was refused; this is a bug in webex-wizard, please report it with the trackingId.".into(),
            (429, _) => match self.retry_after {
                Some(d) => format!("Webex is rate-limiting this client; wait {} s and try again.", d.as_secs()),
                None => "Webex is rate-limiting this client; wait a minute and try again.".into(),
            },
            (400 | 401, TokenExchange | Refresh) => match self.oauth_error.as_deref() {
                Some("invalid_client") => "Check the client ID and client secret.".into(),
                Some("invalid_grant") => "The code or refresh token is used, expired or for another redirect URL: authorize again.".into(),
                Some("invalid_scope") => "Request only scopes that are registered on the integration.".into(),
                _ => "Check the client ID, secret and redirect URL, then authorize again.".into(),
            },
            (401, Probe) => "The access token is expired or revoked: refresh it or authorize again.".into(),
            (403, Probe) => "The token lacks the scope, or the user lacks the role or licence.".into(),
            (404 | 405, ManageApplication) => "This environment does not offer it (the endpoint is experimental: seen on commercial Webex). Manage the application in Control Hub or the developer portal instead.".into(),
            (404, ManageAuthorizations) => "No such authorization (or organization): list them with webex-wizard authorizations list.".into(),
            (403, ManageAuthorizations) => "Listing and revoking authorizations needs a full Control Hub admin token.".into(),
            (404 | 405, RotateSecret) => "This environment can't rotate secrets (the endpoint is experimental: seen on commercial Webex). Create a new integration instead and hand its client ID and secret to the developers.".into(),
            (404, _) => "Webex does not offer this here: check the environment (--env) or API base.".into(),
            (s, CreateIntegration | CreateBot | RotateSecret) if s >= 500 => "Webex had a problem. The integration may or may not exist: check before creating it again, and give support the trackingId.".into(),
            (s, _) if s >= 500 => "Webex had a problem; try again later and give support the trackingId if it persists.".into(),
            _ => "Check the request and try again.".into(),
        }
    }
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {} {}", self.status, self.reason())?;
        if let Some(code) = &self.oauth_error {
            write!(f, " ({code})")?;
        }
        match &self.message {
            Some(m) => write!(f, ": {m}")?,
            None => write!(f, ": Webex gave no message")?,
        }
        for e in &self.errors {
            write!(f, "\n  - {e}")?;
        }
        match (&self.tracking_id, &self.sent_tracking_id) {
            (Some(t), _) => write!(f, "\n  trackingId: {t}")?,
            (None, Some(t)) => write!(f, "\n  trackingId (sent by us, none returned): {t}")?,
            (None, None) => write!(f, "\n  trackingId: none returned")?,
        }
        Ok(())
    }
}
