//! The OAuth 2 authorization-code flow (RFC 6749, RFC 7636 PKCE, RFC 8252 for native apps):
//! the authorization URL, checking what comes back, and the token requests. State, PKCE and the
//! token requests are the `oauth2` crate's; its HTTP goes through our [`WebexClient`], so
//! tracking IDs, timeouts, logging and Webex's error format are the same as everywhere else.

use std::time::Duration;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    ExtraTokenFields, HttpRequest, HttpResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RefreshToken, RequestTokenError, Scope, StandardRevocableToken, StandardTokenResponse,
    TokenResponse, TokenUrl,
};
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;
use url::Url;

use crate::types::ApiBase;
use crate::webex::client::Body;
use crate::webex::{Operation, WebexClient, WebexError};

/// Fields of Webex's token answer beyond the standard ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WebexTokenFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_expires_in: Option<u64>,
}
impl ExtraTokenFields for WebexTokenFields {}

type WebexTokenResponse = StandardTokenResponse<WebexTokenFields, BasicTokenType>;

type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    WebexTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// The integration that asks: its ID and secret.
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: SecretString,
}

fn oauth_client(base: &ApiBase, creds: &ClientCredentials) -> OAuthClient {
    oauth2::Client::new(ClientId::new(creds.client_id.clone()))
        .set_client_secret(ClientSecret::new(
            creds.client_secret.expose_secret().to_owned(),
        ))
        // Webex documents client_id and client_secret in the form body.
        .set_auth_type(oauth2::AuthType::RequestBody)
        .set_auth_uri(AuthUrl::new(base.authorize_url()).expect("the API base is a valid URL"))
        .set_token_uri(TokenUrl::new(base.token_url()).expect("the API base is a valid URL"))
}

/// One authorization attempt: the URL to open and what its answer is checked against.
pub struct AuthorizationRequest {
    pub url: Url,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    check: CallbackCheck,
    pkce_verifier: Option<PkceCodeVerifier>,
}

/// What a redirect is checked against: the request's `state`.
#[derive(Clone)]
pub struct CallbackCheck {
    state: CsrfToken,
}

impl std::fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("redirect_uri", &self.redirect_uri)
            .field("scopes", &self.scopes)
            .field("pkce", &self.pkce_verifier.is_some())
            .finish_non_exhaustive()
    }
}

impl AuthorizationRequest {
    /// A fresh request: a random 128-bit `state` and, unless `pkce` is false, an S256 challenge.
    pub fn new(
        base: &ApiBase,
        client_id: &str,
        redirect_uri: &str,
        scopes: &[String],
        pkce: bool,
    ) -> Result<Self, String> {
        let redirect = RedirectUrl::new(redirect_uri.to_owned())
            .map_err(|e| format!("the redirect URL {redirect_uri} is not a URL: {e}"))?;
        let creds = ClientCredentials {
            client_id: client_id.to_owned(),
            client_secret: SecretString::from(String::new()),
        };
        let client = oauth_client(base, &creds).set_redirect_uri(redirect);
        let mut request = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(scopes.iter().map(|s| Scope::new(s.clone())));
        let mut verifier = None;
        if pkce {
            let (challenge, v) = PkceCodeChallenge::new_random_sha256();
            request = request.set_pkce_challenge(challenge);
            verifier = Some(v);
        }
        let (url, state) = request.url();
        Ok(AuthorizationRequest {
            url,
            redirect_uri: redirect_uri.to_owned(),
            scopes: scopes.to_vec(),
            check: CallbackCheck { state },
            pkce_verifier: verifier,
        })
    }

    pub fn uses_pkce(&self) -> bool {
        self.pkce_verifier.is_some()
    }

    /// The check the loopback listener applies.
    pub fn checker(&self) -> CallbackCheck {
        self.check.clone()
    }

    /// Check the query of the redirect the browser was sent to; the code when all is well.
    pub fn check_callback(&self, query: &str) -> Result<SecretString, AuthorizationError> {
        self.check.check(query)
    }

    /// What the user pasted: the whole address the browser landed on, or just the code.
    pub fn check_pasted(&self, pasted: &str) -> Result<SecretString, AuthorizationError> {
        let pasted = pasted.trim();
        if pasted.is_empty() {
            return Err(AuthorizationError::MissingCode);
        }
        match Url::parse(pasted) {
            Ok(url) => self.check_callback(url.query().unwrap_or("")),
            // A bare code has no state to check; the redirect_uri and PKCE still bind it.
            Err(_) if !pasted.contains(['?', '&', '=', ' ', '/']) => {
                Ok(SecretString::from(pasted.to_owned()))
            }
            Err(_) => self.check_callback(pasted.trim_start_matches('?')),
        }
    }

    /// Exchange the code for tokens (`grant_type=authorization_code`).
    pub async fn exchange(
        self,
        client: &WebexClient,
        creds: &ClientCredentials,
        code: SecretString,
    ) -> Result<Tokens, WebexError> {
        let redirect = RedirectUrl::new(self.redirect_uri.clone()).expect("checked in new()");
        let oauth = oauth_client(client.base(), creds).set_redirect_uri(redirect);
        let mut request =
            oauth.exchange_code(AuthorizationCode::new(code.expose_secret().to_owned()));
        if let Some(verifier) = self.pkce_verifier {
            request = request.set_pkce_verifier(verifier);
        }
        let http = http_client(client, Operation::TokenExchange);
        let result = request.request_async(&http).await;
        tokens_from(result, Operation::TokenExchange)
    }
}

impl CallbackCheck {
    /// Check the query of a redirect; the code when all is well.
    pub fn check(&self, query: &str) -> Result<SecretString, AuthorizationError> {
        let mut code = None;
        let mut state = None;
        let mut error = None;
        let mut description = None;
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            let slot = match k.as_ref() {
                "code" => &mut code,
                "state" => &mut state,
                "error" => &mut error,
                "error_description" => &mut description,
                _ => continue,
            };
            // "Last one wins" would let a forged parameter ride along with a real one.
            if slot.replace(v.into_owned()).is_some() {
                return Err(AuthorizationError::Repeated(k.into_owned()));
            }
        }
        // The state first: an answer that is not ours says nothing, not even an error.
        let expected = self.state.secret().as_bytes();
        let matches = state
            .as_deref()
            .is_some_and(|s| bool::from(s.as_bytes().ct_eq(expected)));
        if !matches {
            return Err(AuthorizationError::StateMismatch);
        }
        if let Some(error) = error {
            return Err(AuthorizationError::Denied { error, description });
        }
        match code.filter(|c| !c.is_empty()) {
            Some(c) => Ok(SecretString::from(c)),
            None => Err(AuthorizationError::MissingCode),
        }
    }
}

/// A new access token for a refresh token (`grant_type=refresh_token`).
pub async fn refresh(
    client: &WebexClient,
    creds: &ClientCredentials,
    refresh_token: &SecretString,
) -> Result<Tokens, WebexError> {
    let oauth = oauth_client(client.base(), creds);
    let token = RefreshToken::new(refresh_token.expose_secret().to_owned());
    let http = http_client(client, Operation::Refresh);
    let result = oauth
        .exchange_refresh_token(&token)
        .request_async(&http)
        .await;
    tokens_from(result, Operation::Refresh)
}

/// The `oauth2` crate's HTTP, sent through our client.
type HttpFuture<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<HttpResponse, WebexError>> + Send + 'a>,
>;

fn http_client(
    client: &WebexClient,
    operation: Operation,
) -> impl Fn(HttpRequest) -> HttpFuture<'static> {
    let client = client.clone();
    move |request: HttpRequest| {
        let client = client.clone();
        Box::pin(async move {
            let method =
                Method::from_bytes(request.method().as_str().as_bytes()).unwrap_or(Method::POST);
            let url = request.uri().to_string();
            let content_type = request
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/x-www-form-urlencoded")
                .to_owned();
            let answer = client
                .send(
                    operation,
                    method,
                    &url,
                    None,
                    Body::Encoded {
                        content_type,
                        bytes: request.into_body(),
                    },
                )
                .await?;
            let mut response = HttpResponse::new(answer.body.to_vec());
            *response.status_mut() = oauth2::http::StatusCode::from_u16(answer.status.as_u16())
                .unwrap_or(oauth2::http::StatusCode::OK);
            for (name, value) in &answer.headers {
                if let (Ok(n), Ok(v)) = (
                    oauth2::http::HeaderName::from_bytes(name.as_str().as_bytes()),
                    oauth2::http::HeaderValue::from_bytes(value.as_bytes()),
                ) {
                    response.headers_mut().append(n, v);
                }
            }
            Ok(response)
        })
    }
}

/// Read a token answer's body as the `oauth2` crate does (for checks and fuzzing of what a
/// token endpoint may send).
pub fn tokens_from_json(body: &[u8]) -> Result<Tokens, String> {
    serde_json::from_slice::<WebexTokenResponse>(body)
        .map(|r| Tokens::from_response(&r))
        .map_err(|e| e.to_string())
}

fn tokens_from(
    result: Result<WebexTokenResponse, RequestTokenError<WebexError, BasicErrorResponse>>,
    operation: Operation,
) -> Result<Tokens, WebexError> {
    match result {
        Ok(response) => Ok(Tokens::from_response(&response)),
        // Non-2xx answers never reach oauth2: our client turns them into Webex errors first.
        Err(RequestTokenError::Request(e)) => Err(e),
        Err(RequestTokenError::ServerResponse(e)) => Err(WebexError::UnreadableAnswer {
            status: 200,
            detail: format!("{operation:?}: {e}"),
        }),
        Err(RequestTokenError::Parse(e, _)) => Err(WebexError::UnreadableAnswer {
            status: 200,
            detail: format!("the token answer is not what OAuth expects: {e}"),
        }),
        Err(RequestTokenError::Other(e)) => Err(WebexError::UnreadableAnswer {
            status: 200,
            detail: e,
        }),
    }
}

/// Why an authorization attempt ended without a code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorizationError {
    #[error(
        "the answer's state does not match this request's (a stale tab, or someone else's request); no token was requested"
    )]
    StateMismatch,
    #[error("authorization was refused: {error}{}", .description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Denied {
        error: String,
        description: Option<String>,
    },
    #[error("the answer carries no authorization code")]
    MissingCode,
    #[error("the answer repeats its {0} parameter, so it was refused")]
    Repeated(String),
    #[error("no answer from the browser within {} s{}", .waited.as_secs(), match .refused { 0 => String::new(), n => format!(" ({n} answer(s) that were not ours were refused)") })]
    TimedOut { waited: Duration, refused: usize },
    #[error("cancelled")]
    Cancelled,
    #[error(
        "port {port} on {host} is already in use, so the wizard cannot listen for the redirect there: stop what uses it, or register another loopback redirect URL"
    )]
    PortInUse { host: String, port: u16 },
    #[error("cannot listen on {address}: {detail}")]
    Listen { address: String, detail: String },
}

impl AuthorizationError {
    /// A callback that is not the answer to our request (wrong or missing state, a repeated
    /// parameter): the listener refuses it and keeps waiting.
    pub fn is_not_ours(&self) -> bool {
        matches!(
            self,
            AuthorizationError::StateMismatch | AuthorizationError::Repeated(_)
        )
    }

    /// One sentence on what to do next.
    pub fn next_step(&self) -> &'static str {
        match self {
            AuthorizationError::StateMismatch => {
                "Start the authorization again and finish it in the tab it opens."
            }
            AuthorizationError::Denied { error, .. } if error == "access_denied" => {
                "The user declined: authorize again and choose Accept."
            }
            AuthorizationError::Denied { .. } => {
                "Check that the scopes and redirect URL are registered on the integration, then authorize again."
            }
            AuthorizationError::MissingCode => "Paste the whole address the browser landed on.",
            AuthorizationError::Repeated(_) => {
                "Start the authorization again and finish it in the tab it opens."
            }
            AuthorizationError::TimedOut { .. } => {
                "Authorize again, or give it more time with --timeout SECONDS."
            }
            AuthorizationError::Cancelled => "Authorize again when ready.",
            AuthorizationError::PortInUse { .. } | AuthorizationError::Listen { .. } => {
                "Free the port, or authorize with another registered redirect URL."
            }
        }
    }
}

/// Why an authorization ended without tokens: the browser part, or the token request.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error("{0}")]
    Authorization(#[from] AuthorizationError),
    #[error("the token request failed: {0}")]
    Token(#[from] WebexError),
}

impl FlowError {
    pub fn next_step(&self) -> String {
        match self {
            FlowError::Authorization(e) => e.next_step().to_owned(),
            FlowError::Token(e) => e.next_step(),
        }
    }
}

/// Tokens from the token endpoint.
#[derive(Clone)]
pub struct Tokens {
    pub access_token: SecretString,
    pub expires_in: Option<Duration>,
    pub refresh_token: Option<SecretString>,
    pub refresh_token_expires_in: Option<Duration>,
    pub token_type: String,
    pub scopes: Vec<String>,
    pub obtained_at: OffsetDateTime,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("expires_in", &self.expires_in)
            .field("refresh_token_expires_in", &self.refresh_token_expires_in)
            .field("token_type", &self.token_type)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// The value of the `format` key of a tokens file.
pub const TOKENS_FORMAT: &str = "webex-wizard.tokens.v1";

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

impl Tokens {
    fn from_response(response: &WebexTokenResponse) -> Self {
        Tokens {
            access_token: SecretString::from(response.access_token().secret().clone()),
            expires_in: response.expires_in(),
            refresh_token: response
                .refresh_token()
                .map(|r| SecretString::from(r.secret().clone())),
            refresh_token_expires_in: response
                .extra_fields()
                .refresh_token_expires_in
                .map(Duration::from_secs),
            token_type: match response.token_type() {
                BasicTokenType::Bearer => "Bearer".into(),
                BasicTokenType::Mac => "MAC".into(),
                BasicTokenType::Extension(other) => other.clone(),
            },
            scopes: response
                .scopes()
                .map(|s| s.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default(),
            obtained_at: OffsetDateTime::now_utc(),
        }
    }

    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.expires_in.map(|d| later_by(self.obtained_at, d))
    }

    pub fn refresh_expires_at(&self) -> Option<OffsetDateTime> {
        self.refresh_token_expires_in
            .map(|d| later_by(self.obtained_at, d))
    }

    /// The file `--save` writes: tokens, their expiry as seconds and as dates, and for what.
    pub fn to_json_exposing_secrets(&self, api_base: &str, client_id: &str) -> Value {
        let mut value = json!({
            "format": TOKENS_FORMAT,
            "apiBase": api_base,
            "clientId": client_id,
            "tokenType": self.token_type,
            "accessToken": self.access_token.expose_secret(),
            "scope": self.scopes.join(" "),
            "obtainedAt": rfc3339(self.obtained_at),
        });
        let map = value.as_object_mut().expect("an object");
        if let Some(d) = self.expires_in {
            map.insert("expiresIn".into(), d.as_secs().into());
        }
        if let Some(t) = self.expires_at() {
            map.insert("expiresAt".into(), rfc3339(t).into());
        }
        if let Some(r) = &self.refresh_token {
            map.insert("refreshToken".into(), r.expose_secret().into());
        }
        if let Some(d) = self.refresh_token_expires_in {
            map.insert("refreshTokenExpiresIn".into(), d.as_secs().into());
        }
        if let Some(t) = self.refresh_expires_at() {
            map.insert("refreshTokenExpiresAt".into(), rfc3339(t).into());
        }
        value
    }

    /// Lines for people: type, scopes and expiries, never a token.
    pub fn summary(&self) -> Vec<String> {
        let mut lines = vec![format!("Token type:     {}", self.token_type)];
        lines.push(format!(
            "Access token:   expires {}",
            expiry_words(self.expires_at(), self.expires_in)
        ));
        match &self.refresh_token {
            Some(_) => lines.push(format!(
                "Refresh token:  expires {}",
                expiry_words(self.refresh_expires_at(), self.refresh_token_expires_in)
            )),
            None => lines.push("Refresh token:  none returned".into()),
        }
        lines.push(format!(
            "Scopes:         {}",
            if self.scopes.is_empty() {
                "(not listed in the answer)".to_owned()
            } else {
                self.scopes.join(" ")
            }
        ));
        lines
    }
}

/// "2026-12-08 14:03 UTC (in 14 days)", or "at an unknown time".
pub fn expiry_words(at: Option<OffsetDateTime>, within: Option<Duration>) -> String {
    match (at, within) {
        (Some(at), Some(d)) => {
            let format =
                time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
            format!(
                "{} ({})",
                at.format(&format).unwrap_or_else(|_| at.to_string()),
                in_words(d)
            )
        }
        _ => "at a time Webex did not say".into(),
    }
}

/// `t + d`, held at the last instant `time` knows (year 9999) when an answer's lifetime
/// reaches past it: the tokens were issued, so a silly `expires_in` must not lose them.
pub fn later_by(t: OffsetDateTime, d: Duration) -> OffsetDateTime {
    t.checked_add(time::Duration::try_from(d).unwrap_or(time::Duration::MAX))
        .unwrap_or_else(|| time::PrimitiveDateTime::MAX.assume_utc())
}

/// "in 14 days", "in 5 hours", "in 3 minutes".
pub fn in_words(d: Duration) -> String {
    let s = d.as_secs();
    // Rounded to the nearest unit: a token issued a second ago still lasts "14 days".
    let (unit, name) = if s >= 2 * 86_400 {
        (86_400, "days")
    } else if s >= 2 * 3_600 {
        (3_600, "hours")
    } else if s >= 120 {
        (60, "minutes")
    } else {
        (1, "seconds")
    };
    format!("in {} {name}", s.saturating_add(unit / 2) / unit)
}

#[cfg(test)]
mod tests {
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
}
