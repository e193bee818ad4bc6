//! One HTTP client for every Webex call: timeouts, logging, tracking IDs, 429 handling.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};

pub use super::error::RawAnswer;
use super::error::{ApiFailure, Operation, WebexError};
use super::transport::error_chain;
use crate::net::{Network, Route};
use crate::types::ApiBase;

/// How long to wait for Webex.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeouts {
    pub connect: Duration,
    pub total: Duration,
}

impl Timeouts {
    /// Total time for one request; connecting gets at most 10 s of it.
    pub fn from_total(total: Duration) -> Self {
        Timeouts {
            connect: total.min(Duration::from_secs(10)),
            total,
        }
    }
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts::from_total(Duration::from_secs(30))
    }
}

/// The most an answer may hold. Webex's answers are a few KB; anything past this is refused as
/// "too large" (a create keeps what arrived, since it may hold the one-time secret).
pub const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;

/// Longest `Retry-After` we wait out by ourselves; longer ones are reported instead.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
/// How often a 429 is retried.
pub const MAX_429_RETRIES: u32 = 2;
/// Wait when a 429 has no usable `Retry-After` (what the Webex Python SDK does).
const DEFAULT_RETRY_WAIT: Duration = Duration::from_secs(15);

/// A request body.
pub enum Body<'a> {
    None,
    Json(Vec<u8>),
    /// `application/x-www-form-urlencoded`; values may be secrets.
    Form(&'a [(&'a str, &'a SecretString)]),
    /// A form sent with the client's ID and secret as HTTP Basic (the device grant's token
    /// request, as Webex's samples send it).
    FormBasicAuth {
        fields: &'a [(&'a str, &'a SecretString)],
        user: &'a str,
        password: &'a SecretString,
    },
    /// A body already encoded (a bot's multipart form); it may hold secrets and is never logged.
    Encoded {
        content_type: String,
        bytes: Vec<u8>,
    },
}

/// A successful (2xx) answer.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
    /// Webex's trackingId for this answer, or the one we sent when it named none.
    pub tracking_id: String,
}

/// What a Webex call returned, with the trackingId of the very answer it came from (Webex's, or
/// the one we sent): each result carries its own for the audit line, with no shared "last" slot
/// that another call could overwrite meanwhile.
#[derive(Debug, Clone)]
pub struct Tracked<T> {
    pub value: T,
    pub tracking_id: String,
}

impl<T> Tracked<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Tracked<U> {
        Tracked {
            value: f(self.value),
            tracking_id: self.tracking_id,
        }
    }
}

impl Answer {
    /// `value`, read from this answer, with its trackingId.
    pub fn tracked<T>(&self, value: T) -> Tracked<T> {
        Tracked {
            value,
            tracking_id: self.tracking_id.clone(),
        }
    }
}

/// The Webex API client for one API base.
#[derive(Clone)]
pub struct WebexClient {
    http: reqwest::Client,
    base: ApiBase,
    timeouts: Timeouts,
    session: String,
    network: Network,
    route: Route,
}

static SEQUENCE: AtomicU64 = AtomicU64::new(0);

impl WebexClient {
    /// A client for `base` with the process's trust sources, TLS configuration and proxy.
    pub fn new(base: ApiBase, timeouts: Timeouts, network: &Network) -> Result<Self, WebexError> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.total)
            .user_agent(concat!("webex-wizard/", env!("CARGO_PKG_VERSION")))
            // OAuth token endpoints must not be followed through redirects (RFC 9700 4.11).
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_preconfigured(network.tls().clone());
        let route = network.route(&base);
        // The route is decided here, once (a loopback base never goes through a proxy: a
        // corporate proxy can't see this machine's loopback), so messages can name the proxy.
        builder =
            match &route {
                Route::Proxy(p) => builder.proxy(reqwest::Proxy::all(p.url()).map_err(|e| {
                    WebexError::Connect {
                        url: base.to_string(),
                        detail: format!("the proxy {p} can't be used: {e}"),
                    }
                })?),
                Route::Direct(_) => builder.no_proxy(),
            };
        let http = builder.build().map_err(|e| WebexError::Connect {
            url: base.to_string(),
            detail: format!("could not set up HTTP: {e}"),
        })?;
        let session = format!("WEBEXWIZARD_{:08x}", rand::random::<u32>());
        Ok(WebexClient {
            http,
            base,
            timeouts,
            session,
            network: network.clone(),
            route,
        })
    }

    /// How this client's requests travel.
    pub fn route(&self) -> &Route {
        &self.route
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn base(&self) -> &ApiBase {
        &self.base
    }

    /// The underlying reqwest client (shared with the OAuth exchange).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    fn next_tracking_id(&self) -> String {
        format!(
            "{}_{}",
            self.session,
            SEQUENCE.fetch_add(1, Ordering::Relaxed)
        )
    }

    /// Send one request; a 2xx is an [`Answer`], anything else a typed error.
    ///
    /// Only a 429 is retried (after its `Retry-After`, at most twice, and only while the whole
    /// operation stays within the timeout): it means the request was not processed. Timeouts
    /// and broken connections are never retried, because a POST may already have reached Webex.
    /// Answers are read up to [`MAX_ANSWER_BYTES`]; a 2xx that breaks off or runs past that is
    /// [`WebexError::IncompleteAnswer`], carrying what arrived.
    #[expect(
        clippy::too_many_lines,
        reason = "one request's life: build, send, read capped, retry a 429, report"
    )]
    pub async fn send(
        &self,
        operation: Operation,
        method: Method,
        path_or_url: &str,
        token: Option<&SecretString>,
        body: Body<'_>,
    ) -> Result<Answer, WebexError> {
        let url = if path_or_url.starts_with("http://") || path_or_url.starts_with("https://") {
            path_or_url.to_owned()
        } else {
            self.base.join(path_or_url)
        };
        let mut retries = 0;
        let deadline = Instant::now() + self.timeouts.total;
        loop {
            let tracking_id = self.next_tracking_id();
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(WebexError::Timeout {
                    url,
                    seconds: self.timeouts.total.as_secs_f64(),
                    may_have_been_processed: retries > 0 && method != Method::GET,
                });
            }
            let mut request = self
                .http
                .request(method.clone(), &url)
                .timeout(remaining)
                .header("trackingid", &tracking_id)
                .header(reqwest::header::ACCEPT, "application/json");
            if let Some(token) = token {
                // reqwest marks this header sensitive, so it is never logged.
                request = request.bearer_auth(token.expose_secret());
            }
            request = match &body {
                Body::None => request,
                Body::Json(bytes) => request
                    .header(CONTENT_TYPE, "application/json")
                    .body(bytes.clone()),
                Body::Encoded {
                    content_type,
                    bytes,
                } => request
                    .header(CONTENT_TYPE, content_type.as_str())
                    .body(bytes.clone()),
                Body::Form(fields) => {
                    let encoded = form_urlencoded(fields);
                    request
                        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(encoded)
                }
                Body::FormBasicAuth {
                    fields,
                    user,
                    password,
                } => {
                    let encoded = form_urlencoded(fields);
                    // RFC 6749 2.3.1: each part form-encoded before Basic; reqwest marks the
                    // header sensitive, so it is never logged.
                    let part = |s: &str| {
                        url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
                    };
                    request
                        .basic_auth(part(user), Some(part(password.expose_secret())))
                        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(encoded)
                }
            };
            let started = Instant::now();
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(%method, %url, elapsed_ms = started.elapsed().as_millis() as u64, %tracking_id, error = %e, "request failed");
                    return Err(self.transport_error(&method, &url, &e));
                }
            };
            let status = response.status();
            let headers = response.headers().clone();
            let body_bytes = match read_capped(response).await {
                Ok(b) => bytes::Bytes::from(b),
                Err((partial, failure)) => {
                    tracing::warn!(%method, %url, status = status.as_u16(), %tracking_id, received = partial.len(), "reading the answer failed");
                    let detail = match &failure {
                        ReadFailure::TooLarge => format!(
                            "was larger than {} MiB, so reading stopped",
                            MAX_ANSWER_BYTES / (1024 * 1024)
                        ),
                        ReadFailure::Broke(e) => format!(
                            "broke off after {} bytes ({})",
                            partial.len(),
                            error_chain(e)
                        ),
                    };
                    if status.is_success() {
                        return Err(WebexError::IncompleteAnswer {
                            status: status.as_u16(),
                            url,
                            detail,
                            partial: RawAnswer(bytes::Bytes::from(partial)),
                        });
                    }
                    return Err(match failure {
                        // An error answer too large to read whole: what arrived says enough.
                        ReadFailure::TooLarge => {
                            let mut f = ApiFailure::from_response(
                                operation,
                                status.as_u16(),
                                &headers,
                                &partial,
                            );
                            f.sent_tracking_id = Some(tracking_id);
                            WebexError::Api(Box::new(f))
                        }
                        ReadFailure::Broke(e) => self.transport_error(&method, &url, &e),
                    });
                }
            };
            let returned_tracking = super::error::tracking_id_header(&headers);
            tracing::info!(
                %method,
                %url,
                status = status.as_u16(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                tracking_id = %returned_tracking.as_deref().unwrap_or(&tracking_id),
                "request"
            );
            if status.is_success() {
                return Ok(Answer {
                    status,
                    headers,
                    body: body_bytes,
                    tracking_id: returned_tracking.unwrap_or_else(|| tracking_id.clone()),
                });
            }
            let mut failure =
                ApiFailure::from_response(operation, status.as_u16(), &headers, &body_bytes);
            failure.sent_tracking_id = Some(tracking_id);
            if status == StatusCode::TOO_MANY_REQUESTS && retries < MAX_429_RETRIES {
                let wait = failure.retry_after.unwrap_or(DEFAULT_RETRY_WAIT);
                // The whole operation keeps to the timeout the user set.
                if wait <= MAX_RETRY_WAIT && Instant::now() + wait < deadline {
                    retries += 1;
                    tracing::warn!(%url, wait_s = wait.as_secs(), retry = retries, "rate-limited (429); waiting Retry-After");
                    tokio::time::sleep(wait).await;
                    continue;
                }
            }
            return Err(WebexError::Api(Box::new(failure)));
        }
    }

    /// One GET with no retry, whatever the status, keeping the headers (for `doctor`: the
    /// `Date`, and whether TLS and the proxy work even when the token is refused).
    pub async fn get_any(
        &self,
        path: &str,
        token: Option<&SecretString>,
    ) -> Result<(StatusCode, HeaderMap), WebexError> {
        let url = self.base.join(path);
        let mut request = self
            .http
            .get(&url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(token) = token {
            request = request.bearer_auth(token.expose_secret());
        }
        match request.send().await {
            Ok(r) => Ok((r.status(), r.headers().clone())),
            Err(e) => Err(self.transport_error(&Method::GET, &url, &e)),
        }
    }

    fn transport_error(&self, method: &Method, url: &str, e: &reqwest::Error) -> WebexError {
        super::transport::classify(
            e,
            *method != Method::GET,
            url,
            &self.route,
            &self.network,
            self.timeouts.total,
        )
    }
}

/// Why an answer's body could not be read whole.
enum ReadFailure {
    TooLarge,
    Broke(reqwest::Error),
}

/// Read the body, at most [`MAX_ANSWER_BYTES`]; on failure, also what arrived.
async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, (Vec<u8>, ReadFailure)> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_ANSWER_BYTES - body.len();
                if chunk.len() > room {
                    body.extend_from_slice(&chunk[..room]);
                    return Err((body, ReadFailure::TooLarge));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err((body, ReadFailure::Broke(e))),
        }
    }
}

fn form_urlencoded(fields: &[(&str, &SecretString)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v.expose_secret());
    }
    s.finish()
}
