//! The loopback listener that catches the OAuth redirect (RFC 8252 section 7.3): exactly the
//! registered host, port and path, on loopback only, HTTP/1.1 only.
//!
//! Any web page the user visits can send requests to a loopback port, so the listener trusts
//! nothing but the answer to its own request: a callback whose `state` does not match (or that
//! repeats a parameter) gets an error page, is counted and reported, and the wait goes on; a
//! request whose `Host` is not the redirect URL's is refused (DNS rebinding); a connection
//! that sends no request within a few seconds is closed, and when too many are open the
//! oldest goes, so the real browser always gets through.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_TYPE, HOST};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use secrecy::SecretString;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use url::Url;

use crate::oauth::{AuthorizationError, CallbackCheck};
use crate::text::html_escape;

const SUCCESS_PAGE: &str = include_str!("../assets/callback-success.html");
const ERROR_PAGE: &str = include_str!("../assets/callback-error.html");

/// How long a connection may take to send its request line and headers.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How many connections may be open at once; past that the oldest is closed.
pub const MAX_CONNECTIONS: usize = 32;

type Outcome = Result<SecretString, AuthorizationError>;

/// Told each time a callback is refused, with how many have been so far.
pub type OnRefused = Arc<dyn Fn(usize) + Send + Sync>;

struct Shared {
    path: String,
    /// `host[:port]` as the redirect URL names it; a request's `Host` must be one of these.
    hosts: Vec<String>,
    check: CallbackCheck,
    /// Taken by the callback that passes the check; later ones find it empty.
    result: Mutex<Option<oneshot::Sender<Outcome>>>,
    refused: AtomicUsize,
    on_refused: OnRefused,
}

/// A listener waiting for one redirect.
pub struct CallbackListener {
    addresses: Vec<SocketAddr>,
    result: oneshot::Receiver<Outcome>,
    stop: watch::Sender<bool>,
    servers: Vec<tokio::task::JoinHandle<()>>,
    shared: Arc<Shared>,
}

/// The addresses a loopback redirect URL names; `None` when it is not loopback.
pub fn loopback_addresses(redirect: &Url) -> Option<Vec<SocketAddr>> {
    if !crate::types::is_loopback_host(redirect) {
        return None;
    }
    let port = redirect.port_or_known_default()?;
    let hosts: Vec<IpAddr> = match redirect.host()? {
        // `localhost`: both families, as a browser may try either.
        url::Host::Domain(_) => vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ],
        url::Host::Ipv4(ip) => vec![IpAddr::V4(ip)],
        url::Host::Ipv6(ip) => vec![IpAddr::V6(ip)],
    };
    Some(
        hosts
            .into_iter()
            .map(|h| SocketAddr::new(h, port))
            .collect(),
    )
}

impl CallbackListener {
    /// Listen where `redirect_uri` points (which must be loopback), before the browser opens.
    pub async fn bind(
        redirect_uri: &str,
        check: CallbackCheck,
        on_refused: OnRefused,
    ) -> Result<Self, AuthorizationError> {
        let url = Url::parse(redirect_uri).map_err(|e| AuthorizationError::Listen {
            address: redirect_uri.to_owned(),
            detail: e.to_string(),
        })?;
        let wanted = loopback_addresses(&url).ok_or_else(|| AuthorizationError::Listen {
            address: redirect_uri.to_owned(),
            detail: "not a loopback URL".into(),
        })?;
        let host = url.host_str().unwrap_or("").to_owned();
        let mut listeners = Vec::new();
        let mut first_error = None;
        for address in &wanted {
            match TcpListener::bind(address).await {
                Ok(l) => listeners.push(l),
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                    return Err(AuthorizationError::PortInUse {
                        host,
                        port: address.port(),
                    });
                }
                // `localhost` on a machine without IPv6: the IPv4 listener is enough.
                Err(e) => {
                    first_error.get_or_insert(AuthorizationError::Listen {
                        address: address.to_string(),
                        detail: e.to_string(),
                    });
                }
            }
        }
        if listeners.is_empty() {
            return Err(first_error.expect("at least one address was tried"));
        }
        let mut addresses = Vec::new();
        for listener in &listeners {
            addresses.push(
                listener
                    .local_addr()
                    .expect("a bound listener has an address"),
            );
        }
        // Port 0 in the URL (tests) becomes the port bound; the Host header carries that.
        let port = addresses[0].port();
        let mut hosts = vec![format!("{host}:{port}").to_ascii_lowercase()];
        if url.port().is_none() {
            hosts.push(host.to_ascii_lowercase());
        }
        let (tx, rx) = oneshot::channel();
        let shared = Arc::new(Shared {
            path: url.path().to_owned(),
            hosts,
            check,
            result: Mutex::new(Some(tx)),
            refused: AtomicUsize::new(0),
            on_refused,
        });
        let (stop, stopped) = watch::channel(false);
        let servers = listeners
            .into_iter()
            .map(|l| tokio::spawn(serve(l, shared.clone(), stopped.clone())))
            .collect();
        tracing::info!(?addresses, path = %shared.path, "waiting for the OAuth redirect");
        Ok(CallbackListener {
            addresses,
            result: rx,
            stop,
            servers,
            shared,
        })
    }

    /// Where it listens (port 0 in the redirect URL becomes the real port here).
    pub fn addresses(&self) -> &[SocketAddr] {
        &self.addresses
    }

    /// Wait for the callback, at most `timeout`; then stop listening.
    pub async fn wait(self, timeout: Duration) -> Outcome {
        let outcome = match tokio::time::timeout(timeout, self.result).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => Err(AuthorizationError::Cancelled),
            Err(_) => Err(AuthorizationError::TimedOut {
                waited: timeout,
                refused: self.shared.refused.load(Ordering::Relaxed),
            }),
        };
        let _ = self.stop.send(true);
        // Let the page that is being answered reach the browser; never wait long for it.
        for server in self.servers {
            let _ = tokio::time::timeout(Duration::from_secs(2), server).await;
        }
        outcome
    }
}

/// The connections being served, oldest first, each with the switch that closes it.
type OpenConnections = Arc<Mutex<VecDeque<(u64, watch::Sender<bool>)>>>;

/// Accept connections until stopped; each is served HTTP/1.1 with a header-read timeout, and
/// the oldest is closed when too many are open.
async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    let open: OpenConnections = Arc::default();
    let mut next_id = 0u64;
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::debug!(error = %e, "accept failed");
                    continue;
                }
            },
            () = async { let _ = stopped.wait_for(|s| *s).await; } => break,
        };
        let id = next_id;
        next_id += 1;
        let (close, mut closed) = watch::channel(false);
        {
            let mut open = open
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            while open.len() >= MAX_CONNECTIONS {
                if let Some((_, oldest)) = open.pop_front() {
                    let _ = oldest.send(true);
                }
            }
            open.push_back((id, close));
        }
        let shared = shared.clone();
        let open = open.clone();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let shared = shared.clone();
                async move { Ok::<_, Infallible>(handle(&shared, &request)) }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .keep_alive(false)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "callback connection ended");
                    }
                }
                () = async { let _ = closed.wait_for(|c| *c).await; } => {}
                // Stopping: let an answer being written finish, briefly.
                () = async { let _ = stopped.wait_for(|s| *s).await; } => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(2), connection).await;
                }
            }
            open.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .retain(|(i, _)| *i != id);
        });
    }
}

fn page(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn text(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response
}

/// Count a refused callback and tell the front end.
fn refuse(shared: &Shared) {
    let count = shared.refused.fetch_add(1, Ordering::Relaxed) + 1;
    (shared.on_refused)(count);
}

fn handle(shared: &Shared, request: &Request<Incoming>) -> Response<Full<Bytes>> {
    let uri = request.uri();
    if request.method() != Method::GET || uri.path() != shared.path {
        tracing::debug!(method = %request.method(), path = uri.path(), "ignored a request that is not the redirect");
        return text(StatusCode::NOT_FOUND, "Not found");
    }
    let host = request
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    if !host.is_some_and(|h| shared.hosts.contains(&h)) {
        // A page on another name that resolves to loopback (DNS rebinding) is not our browser tab.
        tracing::warn!("refused a callback with a foreign Host header");
        refuse(shared);
        return text(
            StatusCode::MISDIRECTED_REQUEST,
            "This address is not the registered redirect URL.",
        );
    }
    let outcome = shared.check.check(uri.query().unwrap_or(""));
    if let Err(e) = &outcome
        && e.is_not_ours()
    {
        // Someone else's answer, or a forgery: refuse it and keep waiting for ours.
        tracing::warn!("refused a callback that does not belong to this authorization");
        refuse(shared);
        return page(
            StatusCode::BAD_REQUEST,
            error_page(
                "This answer does not belong to the authorization webex-wizard is waiting for, so it was ignored",
                "If you started the authorization, finish it in the tab it opened; webex-wizard is still waiting.",
            ),
        );
    }
    let Some(tx) = shared.result.lock().ok().and_then(|mut r| r.take()) else {
        return page(
            StatusCode::GONE,
            error_page(
                "This authorization was already answered; this second answer was ignored",
                "Return to the terminal.",
            ),
        );
    };
    let response = match &outcome {
        Ok(_) => page(StatusCode::OK, SUCCESS_PAGE.to_owned()),
        Err(e) => page(
            StatusCode::BAD_REQUEST,
            error_page(&e.to_string(), e.next_step()),
        ),
    };
    let _ = tx.send(outcome);
    response
}

fn error_page(what: &str, next: &str) -> String {
    let mut what = what.to_owned();
    if let Some(first) = what.get(..1) {
        what = first.to_uppercase() + &what[1..];
    }
    ERROR_PAGE
        .replace("{{WHAT}}", &html_escape(&(what + ".")))
        .replace("{{NEXT}}", &html_escape(next))
}
