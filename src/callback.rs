//! The loopback listener that catches the OAuth redirect (RFC 8252 section 7.3): exactly the
//! registered host, port and path, on loopback only, one callback, then it stops.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use secrecy::SecretString;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use url::Url;

use crate::oauth::{AuthorizationError, CallbackCheck};
use crate::sandbox::html_escape;

const SUCCESS_PAGE: &str = include_str!("../assets/callback-success.html");
const ERROR_PAGE: &str = include_str!("../assets/callback-error.html");

type Outcome = Result<SecretString, AuthorizationError>;

struct Shared {
    path: String,
    check: CallbackCheck,
    /// Taken by the first callback on the path; later ones find it empty.
    result: Mutex<Option<oneshot::Sender<Outcome>>>,
}

/// A listener waiting for one redirect.
pub struct CallbackListener {
    addresses: Vec<SocketAddr>,
    result: oneshot::Receiver<Outcome>,
    stop: watch::Sender<bool>,
    servers: Vec<tokio::task::JoinHandle<()>>,
}

/// The addresses a loopback redirect URL names; `None` when it is not loopback.
pub fn loopback_addresses(redirect: &Url) -> Option<Vec<SocketAddr>> {
    let port = redirect.port_or_known_default()?;
    let hosts: Vec<IpAddr> = match redirect.host()? {
        url::Host::Domain(d) if d.eq_ignore_ascii_case("localhost") => vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ],
        url::Host::Ipv4(ip) if ip.is_loopback() => vec![IpAddr::V4(ip)],
        url::Host::Ipv6(ip) if ip.is_loopback() => vec![IpAddr::V6(ip)],
        _ => return None,
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
        let (tx, rx) = oneshot::channel();
        let shared = Arc::new(Shared {
            path: url.path().to_owned(),
            check,
            result: Mutex::new(Some(tx)),
        });
        let (stop, stopped) = watch::channel(false);
        let mut addresses = Vec::new();
        let mut servers = Vec::new();
        for listener in listeners {
            addresses.push(
                listener
                    .local_addr()
                    .expect("a bound listener has an address"),
            );
            let app = Router::new().fallback(handle).with_state(shared.clone());
            let mut stopped = stopped.clone();
            servers.push(tokio::spawn(async move {
                let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                    let _ = stopped.wait_for(|s| *s).await;
                });
                if let Err(e) = serve.await {
                    tracing::warn!(error = %e, "callback listener stopped");
                }
            }));
        }
        tracing::info!(?addresses, path = %shared.path, "waiting for the OAuth redirect");
        Ok(CallbackListener {
            addresses,
            result: rx,
            stop,
            servers,
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
            Err(_) => Err(AuthorizationError::TimedOut(timeout)),
        };
        let _ = self.stop.send(true);
        // Let the page that is being answered reach the browser; never wait long for it.
        for server in self.servers {
            let _ = tokio::time::timeout(Duration::from_secs(2), server).await;
        }
        outcome
    }
}

async fn handle(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET || uri.path() != shared.path {
        tracing::debug!(%method, path = uri.path(), "ignored a request that is not the redirect");
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    let Some(tx) = shared.result.lock().ok().and_then(|mut r| r.take()) else {
        return (
            StatusCode::GONE,
            Html(error_page(
                "This authorization was already answered; this second answer was ignored.",
                "Return to the terminal.",
            )),
        )
            .into_response();
    };
    let outcome = shared.check.check(uri.query().unwrap_or(""));
    let page = match &outcome {
        Ok(_) => (StatusCode::OK, Html(SUCCESS_PAGE.to_owned())),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Html(error_page(&e.to_string(), e.next_step())),
        ),
    };
    let _ = tx.send(outcome);
    page.into_response()
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
