//! The OAuth 2 authorization-code flow (RFC 6749, RFC 7636 PKCE, RFC 8252 for native apps):
//! the authorization URL, checking what comes back, and the token requests. State, PKCE and the
//! authorization URL are the `oauth2` crate's; the token requests are ours, sent through our
//! [`WebexClient`] (tracking IDs, timeouts, logging and Webex's error format as everywhere
//! else) and read by what Webex documents (docs/webex-answers.md).

use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, ClientId, CsrfToken, EndpointNotSet, EndpointSet, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope,
};
use reqwest::Method;
use secrecy::SecretString;
use subtle::ConstantTimeEq;
use url::Url;

use crate::types::ApiBase;
use crate::webex::applications::{keep_incomplete, unreadable};
use crate::webex::client::Body;
use crate::webex::{OneTime, Operation, Tracked, WebexClient, WebexError};

/// The `oauth2` crate makes the authorization URL, its `state` and the PKCE pair; the token
/// requests are ours (below), so that any 2xx is read by what Webex documents and an answer
/// that can't be read is kept instead of thrown away.
type OAuthClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointNotSet>;

/// The integration that asks: its ID and secret.
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: SecretString,
}

fn oauth_client(base: &ApiBase, client_id: &str) -> OAuthClient {
    oauth2::Client::new(ClientId::new(client_id.to_owned()))
        .set_auth_uri(AuthUrl::new(base.authorize_url()).expect("the API base is a valid URL"))
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
        let client = oauth_client(base, client_id).set_redirect_uri(redirect);
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

    /// Exchange the code for tokens (`grant_type=authorization_code`). An answer without
    /// `scope` means the requested scopes (RFC 6749 section 5.1).
    pub async fn exchange(
        self,
        client: &WebexClient,
        creds: &ClientCredentials,
        code: SecretString,
    ) -> Result<Tracked<Tokens>, WebexError> {
        let mut form = vec![
            ("grant_type", SecretString::from("authorization_code")),
            ("code", code),
            (
                "redirect_uri",
                SecretString::from(self.redirect_uri.clone()),
            ),
        ];
        if let Some(verifier) = &self.pkce_verifier {
            form.push((
                "code_verifier",
                SecretString::from(verifier.secret().clone()),
            ));
        }
        token_request(client, creds, Operation::TokenExchange, form, &self.scopes).await
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

/// A new access token for a refresh token (`grant_type=refresh_token`). `known_scopes` are
/// the scopes the refresh token was granted with, if known, and `known_source` where they came
/// from: a refresh answer without `scope` keeps both (RFC 6749 section 6).
pub async fn refresh(
    client: &WebexClient,
    creds: &ClientCredentials,
    refresh_token: &SecretString,
    known_scopes: &[String],
    known_source: ScopeSource,
) -> Result<Tracked<Tokens>, WebexError> {
    let form = vec![
        ("grant_type", SecretString::from("refresh_token")),
        ("refresh_token", refresh_token.clone()),
    ];
    let mut tokens = token_request(client, creds, Operation::Refresh, form, known_scopes).await?;
    if tokens.value.scope_source == ScopeSource::Requested {
        tokens.value.scope_source = known_source;
    }
    Ok(tokens)
}

/// One `POST /access_token`, form-encoded with the client's ID and secret in the body (as
/// Webex documents). Any 2xx is read by [`Tokens::read`]; one that can't be read, or breaks off,
/// is [`WebexError::UnreadableSecretAnswer`] with what arrived, for the caller to keep.
async fn token_request(
    client: &WebexClient,
    creds: &ClientCredentials,
    operation: Operation,
    mut form: Vec<(&'static str, SecretString)>,
    requested: &[String],
) -> Result<Tracked<Tokens>, WebexError> {
    form.push(("client_id", SecretString::from(creds.client_id.clone())));
    form.push(("client_secret", creds.client_secret.clone()));
    let fields: Vec<(&str, &SecretString)> = form.iter().map(|(k, v)| (*k, v)).collect();
    let url = client.base().token_url();
    let answer = client
        .send(operation, Method::POST, &url, None, Body::Form(&fields))
        .await;
    let answer = keep_incomplete(answer, OneTime::Tokens)?;
    Tokens::read(&answer.body, requested)
        .map(|t| answer.tracked(t))
        .map_err(|detail| {
            unreadable(
                OneTime::Tokens,
                &answer,
                format!("the token answer is not what Webex documents: {detail}"),
            )
        })
}

pub mod device;
mod errors;
mod tokens;

pub use errors::{AuthorizationError, FlowError};
pub use tokens::{
    AS_REQUESTED, NOT_KNOWN, ScopeSource, TOKENS_FORMAT, Tokens, expiry_words, in_words, later_by,
};

#[cfg(test)]
mod tests;
