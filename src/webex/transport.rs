//! What a request that got no answer means: a proxy that refused or can't be reached, a
//! certificate no trusted source accepts, a timeout, or a broken connection.

use std::time::Duration;

use super::error::{ProxyProblem, WebexError};
use crate::net::{Network, Route, Verdict};

/// A request that got no answer, in words a user can act on: a proxy problem, a refused
/// certificate, a timeout, no connection, or a connection that broke.
pub(super) fn classify(
    e: &reqwest::Error,
    may_have_been_processed: bool,
    url: &str,
    route: &Route,
    network: &Network,
    timeout: Duration,
) -> WebexError {
    let detail = error_chain(e);
    if let (Route::Proxy(proxy), Some(problem)) = (route, proxy_problem(e, &detail)) {
        return WebexError::Proxy {
            proxy: proxy.to_string(),
            target: host_port(url),
            problem,
        };
    }
    // Our verifier recorded why it refused this host's chain; a rustls certificate error
    // without a record (it can't happen, but) still gets the certificate advice.
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|h| h.trim_matches(['[', ']']).to_owned()));
    let recorded = match network.trust().take_verdict() {
        Some(Verdict::Refused(f)) if e.is_connect() && Some(&f.host) == host.as_ref() => Some(f),
        _ => None,
    };
    let failure = recorded.or_else(|| match rustls_error(e) {
        Some(rustls::Error::InvalidCertificate(cause)) => Some(crate::net::CertFailure {
            host: host.clone().unwrap_or_else(|| url.to_owned()),
            issuer: None,
            reason: cause.to_string(),
        }),
        _ => None,
    });
    if let Some(failure) = failure {
        return WebexError::Certificate {
            failure: Box::new(failure),
            trusted: network
                .trust()
                .sources()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        };
    }
    if e.is_timeout() {
        WebexError::Timeout {
            url: url.to_owned(),
            seconds: timeout.as_secs_f64(),
            may_have_been_processed,
        }
    } else if e.is_connect() {
        WebexError::Connect {
            url: url.to_owned(),
            detail,
        }
    } else {
        WebexError::Network {
            url: url.to_owned(),
            detail,
            may_have_been_processed,
        }
    }
}

/// A proxy that refused the tunnel or could not be reached (hyper-util's tunnel errors).
fn proxy_problem(e: &reqwest::Error, chain: &str) -> Option<ProxyProblem> {
    if !e.is_connect() {
        return None;
    }
    if chain.contains("tunnel error: proxy authorization required") {
        Some(ProxyProblem::AuthRequired)
    } else if chain.contains("tunnel error: unsuccessful") {
        Some(ProxyProblem::Refused)
    } else if chain.contains("tunnel error: failed to create underlying connection") {
        let cause = chain
            .split("tunnel error: failed to create underlying connection")
            .nth(1)
            .unwrap_or("")
            .trim_start_matches(": ");
        Some(ProxyProblem::Unreachable(cause.to_owned()))
    } else if chain.contains("tunnel error") {
        Some(ProxyProblem::Broke(chain.to_owned()))
    } else {
        None
    }
}

/// The rustls error somewhere in a transport error's causes (tokio-rustls wraps it in an
/// `io::Error`, whose own `source` skips it).
fn rustls_error<'e>(e: &'e (dyn std::error::Error + 'static)) -> Option<&'e rustls::Error> {
    let mut current = Some(e);
    while let Some(cause) = current {
        if let Some(r) = cause.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        if let Some(r) = cause
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(r);
        }
        current = cause.source();
    }
    None
}

/// `host:port` of a URL, for messages.
fn host_port(url: &str) -> String {
    url::Url::parse(url).map_or_else(
        |_| url.to_owned(),
        |u| {
            format!(
                "{}:{}",
                u.host_str().unwrap_or("?"),
                u.port_or_known_default().unwrap_or(443)
            )
        },
    )
}

/// The innermost useful cause of a transport error, in one line.
pub(super) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut current = e.source();
    while let Some(cause) = current {
        parts.push(cause.to_string());
        current = cause.source();
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}
