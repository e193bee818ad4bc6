//! The embedded fake Webex API: `--demo`, `webex-wizard sandbox`, and the test fixture.
//!
//! It is as strict as the real service where the real rules are known (tokens, content
//! types, required fields, exact redirect URIs, single-use codes, PKCE S256, scopes), and
//! uses webex-wizard's own rules where Webex's are unpublished (lengths, redirect URL forms).

mod applications;
mod bots;
mod device;
mod grants;
mod host;
mod manage;
mod oauth;
mod persist;
mod probes;
mod server;
mod token;

pub use persist::check_state_file;
pub use server::Sandbox;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Which answers the sandbox gives (docs/webex-answers.md lists both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Answers {
    /// Exactly the fields Webex documents (or the only public evidence shows), nothing more:
    /// a reader that asks for more fails here first.
    #[default]
    Documented,
    /// The richer answers seen in third-party code: a token type and the granted scopes in
    /// token answers, the whole application with a rotated secret, the whole bot with its token.
    Observed,
}

/// How the sandbox behaves.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Which answers it gives.
    pub answers: Answers,
    /// Approve authorization requests at once instead of showing the consent page.
    pub auto_approve: bool,
    /// Behave as `FedRAMP`: probes of endpoints `FedRAMP` lacks answer 404.
    pub fedramp: bool,
    /// The per-user limit on integrations (Webex's is 20).
    pub max_integrations: usize,
    /// Answer this many requests to probe endpoints with 429 before serving them.
    pub rate_limit_probes: u32,
    /// Host names it answers to besides loopback's (a reverse proxy or TLS front of one's own,
    /// on another address); any other `Host` is refused (DNS rebinding).
    pub also_answer_as: Vec<String>,
    /// Keep integrations, codes and tokens in this file (0600) across runs: `--demo` does, so
    /// separate `--demo` commands behave like one service.
    pub state_file: Option<PathBuf>,
    /// The device grant's polling interval, in seconds (what `/device/authorize` answers).
    pub device_interval: u64,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            answers: Answers::Documented,
            auto_approve: false,
            fedramp: true,
            max_integrations: 20,
            rate_limit_probes: 0,
            also_answer_as: Vec::new(),
            state_file: None,
            device_interval: 5,
        }
    }
}

/// An integration the sandbox created.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct App {
    client_id: String,
    client_secret: String,
    redirect_urls: Vec<String>,
    scopes: Vec<String>,
    /// The answer to the create call, without the secret.
    public: Value,
    /// A bot's access token (bots have no client ID or secret).
    #[serde(default)]
    bot_token: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CodeGrant {
    client_id: String,
    redirect_uri: String,
    scopes: Vec<String>,
    code_challenge: Option<String>,
    expires: SystemTime,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct TokenGrant {
    scopes: Vec<String>,
    expires: SystemTime,
    /// The integration it was issued to (revoking its authorization ends it).
    #[serde(default)]
    client_id: String,
}

/// A user's grant to an integration, recorded when tokens are first issued.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Authorization {
    id: String,
    client_id: String,
    person_id: String,
    created: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct RefreshGrant {
    client_id: String,
    scopes: Vec<String>,
    /// When it dies unless used: each refresh restarts its lifetime (60 days on `FedRAMP`).
    /// Older state files have none: then it never expires.
    #[serde(default)]
    expires: Option<SystemTime>,
}

/// A consent waiting for the user's Allow or Deny.
#[derive(Debug, Clone)]
struct PendingConsent {
    grant: CodeGrant,
    state: Option<String>,
}

struct State {
    config: SandboxConfig,
    admin_token: String,
    org_id: String,
    admin_id: String,
    apps: Vec<App>,
    codes: HashMap<String, CodeGrant>,
    access_tokens: HashMap<String, TokenGrant>,
    refresh_tokens: HashMap<String, RefreshGrant>,
    authorizations: Vec<Authorization>,
    consents: HashMap<String, PendingConsent>,
    /// Device grants waiting for their user, by device code (not kept in the state file).
    devices: HashMap<String, device::DeviceGrant>,
    probe_rate_limit_left: u32,
    sequence: u64,
    /// How many times the state file was written (by any process): a newer one is re-read
    /// before each request, so two `--demo` processes never lose each other's work.
    generation: u64,
    /// How far this sandbox's clock is ahead of the real one (tests move it to see tokens
    /// expire without waiting).
    clock_ahead: Duration,
}

impl State {
    /// The sandbox's time: the real clock, moved on by what tests asked.
    fn now(&self) -> SystemTime {
        SystemTime::now() + self.clock_ahead
    }
}

type Shared = Arc<Mutex<State>>;

fn lock(shared: &Shared) -> MutexGuard<'_, State> {
    // A panicking handler must not take the whole sandbox down with it.
    shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Random lower-case hex of `bytes` random bytes.
fn random_hex(bytes: usize) -> String {
    (0..bytes).fold(String::with_capacity(bytes * 2), |mut out, _| {
        let _ = write!(out, "{:02x}", rand::random::<u8>());
        out
    })
}

/// A Webex-style ID: base64 of a `ciscospark://` URI in the `FedRAMP` cluster.
fn webex_id(kind: &str, raw: &str) -> String {
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(format!(
        "ciscospark://urn:TEAM:us-gov-west-1_a1/{kind}/{raw}"
    ))
}

fn uuid_like() -> String {
    let h = random_hex(16);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

impl State {
    fn tracking_id(&mut self) -> String {
        self.sequence += 1;
        format!("SANDBOX_{}_{}", random_hex(4), self.sequence)
    }

    fn admin_person(&self) -> Value {
        json!({
            "id": self.admin_id,
            "emails": ["admin@sandbox.example.gov"],
            "displayName": "Sandbox Admin",
            "firstName": "Sandbox",
            "lastName": "Admin",
            "orgId": self.org_id,
            "type": "person",
            "roles": [webex_id("ROLE", "id_full_admin")],
        })
    }

    fn app_by_client_id(&self, client_id: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.client_id == client_id)
    }
}

/// A Webex REST error: `{message, errors[{description}], trackingId}` plus the header.
fn webex_error(
    state: &mut State,
    status: StatusCode,
    message: &str,
    details: &[String],
) -> Response {
    let tracking_id = state.tracking_id();
    let errors: Vec<Value> = if details.is_empty() {
        vec![json!({ "description": message })]
    } else {
        details
            .iter()
            .map(|d| json!({ "description": d }))
            .collect()
    };
    let body = json!({ "message": message, "errors": errors, "trackingId": tracking_id });
    with_tracking(status, &tracking_id, axum::Json(body))
}

fn with_tracking(status: StatusCode, tracking_id: &str, body: impl IntoResponse) -> Response {
    let mut response = (status, body).into_response();
    if let Ok(v) = HeaderValue::from_str(tracking_id) {
        response.headers_mut().insert("trackingid", v);
    }
    response
}

/// 204 with a trackingId, for a delete that worked.
fn no_content(state: &mut State) -> Response {
    let tracking_id = state.tracking_id();
    with_tracking(StatusCode::NO_CONTENT, &tracking_id, ().into_response())
}

/// End every grant of `client_id`: its authorizations and its access and refresh tokens.
fn end_grants_of(state: &mut State, client_id: &str) {
    state.authorizations.retain(|a| a.client_id != client_id);
    state.access_tokens.retain(|_, g| g.client_id != client_id);
    state.refresh_tokens.retain(|_, g| g.client_id != client_id);
}

fn ok_json(state: &mut State, body: Value) -> Response {
    let tracking_id = state.tracking_id();
    with_tracking(StatusCode::OK, &tracking_id, axum::Json(body))
}

/// What a Bearer token in a request is.
enum Caller {
    Admin,
    Integration(TokenGrant),
    /// A bot's token: the bot's person.
    Bot(Value),
}

const MISSING_TOKEN: &str =
    "The request requires a valid access token set in the Authorization request header.";

/// The caller, or a 401 answer in Webex's words.
// The error is the handler's own answer; boxing it would only add noise at every call.
#[allow(clippy::result_large_err)]
fn authenticate(state: &mut State, headers: &HeaderMap) -> Result<Caller, Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match token {
        Some(t) if !t.is_empty() && t == state.admin_token => Ok(Caller::Admin),
        Some(t)
            if let Some(app) = state
                .apps
                .iter()
                .find(|a| a.bot_token.as_deref() == Some(t)) =>
        {
            Ok(Caller::Bot(bots::bot_person(state, app)))
        }
        Some(t) => match state.access_tokens.get(t) {
            Some(grant) if grant.expires > state.now() => Ok(Caller::Integration(grant.clone())),
            _ => Err(webex_error(
                state,
                StatusCode::UNAUTHORIZED,
                MISSING_TOKEN,
                &[],
            )),
        },
        None => Err(webex_error(
            state,
            StatusCode::UNAUTHORIZED,
            MISSING_TOKEN,
            &[],
        )),
    }
}

fn router(state: Shared, port: u16) -> Router {
    let (persisting, also_answer_as) = {
        let state = lock(&state);
        (
            state.config.state_file.is_some(),
            state.config.also_answer_as.clone(),
        )
    };
    let router = Router::new()
        .route("/v1/people/me", get(probes::probe))
        .route("/v1/people/{id}", get(probes::person))
        .route(
            "/v1/applications",
            post(applications::create).get(applications::list),
        )
        .route(
            "/v1/applications/{id}",
            get(manage::get_one)
                .put(manage::update)
                .delete(manage::delete_one),
        )
        .route(
            "/v1/applications/{id}/clientSecret",
            delete(manage::rotate_secret),
        )
        .route("/v1/authorize", get(oauth::authorize))
        .route("/v1/authorize/decision", post(oauth::decide))
        .route("/v1/access_token", post(token::access_token))
        .route("/v1/device/authorize", post(device::authorize))
        .route("/v1/device/token", post(device::token))
        .route("/v1/device/verify", get(device::verify_page))
        .route("/v1/device/verify/decision", post(device::decide))
        .route("/v1/authorizations/tokenExpiry", get(probes::token_expiry))
        .route(
            "/v1/authorizations",
            get(grants::list).delete(grants::revoke_client),
        )
        .route("/v1/authorizations/{id}", delete(grants::revoke_one))
        .fallback(probes::probe)
        .with_state(state.clone())
        // A web page can make a browser send requests to a loopback port under any host name
        // it controls (DNS rebinding): only the sandbox's own loopback names are answered.
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(also_answer_as),
            host::loopback_host_only,
        ));
    if persisting {
        let serial = Arc::new(tokio::sync::Mutex::new(()));
        router.layer(axum::middleware::from_fn_with_state(
            (state, port, serial),
            persist::around_each_request,
        ))
    } else {
        router
    }
}

/// Lifetimes the sandbox hands out, as `FedRAMP` does (commercial refresh tokens last 90 days).
fn lifetimes(fedramp: bool) -> (Duration, Duration) {
    let day = 24 * 3600;
    (
        Duration::from_secs(14 * day),
        Duration::from_secs(if fedramp { 60 } else { 90 } * day),
    )
}
