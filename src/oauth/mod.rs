//! The OAuth 2 authorization-code flow (RFC 6749, RFC 7636 PKCE, RFC 8252 for native apps):
//! the authorization URL, checking what comes back, and the token requests. State, PKCE and the
//! token requests are the `oauth2` crate's; its HTTP goes through our [`WebexClient`], so
//! tracking IDs, timeouts, logging and Webex's error format are the same as everywhere else.

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    ExtraTokenFields, HttpRequest, HttpResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RefreshToken, RequestTokenError, Scope, StandardRevocableToken, StandardTokenResponse,
    TokenUrl,
};
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
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

mod errors;
mod tokens;

pub use errors::{AuthorizationError, FlowError};
pub use tokens::{TOKENS_FORMAT, Tokens, expiry_words, in_words, later_by};

#[cfg(test)]
mod tests;
