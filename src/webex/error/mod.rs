//! Failures of Webex calls, with everything support needs: status, message, trackingId.

use std::path::PathBuf;

/// What we were doing when a call failed; decides the advice on what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    CheckAdminToken,
    CreateIntegration,
    TokenExchange,
    Refresh,
    Probe,
    /// Listing, reading, updating or deleting applications (experimental endpoints).
    ManageApplication,
    /// A new client secret for the same client ID (experimental endpoint).
    RotateSecret,
    /// Creating a bot.
    CreateBot,
    /// Listing or revoking a user's authorizations (admin API).
    ManageAuthorizations,
}

/// Any failure of a Webex call.
#[derive(Debug, thiserror::Error)]
pub enum WebexError {
    #[error("Webex refused the request: {0}")]
    Api(Box<ApiFailure>),
    #[error("no answer from {url} within {seconds} s{}", maybe_done(*.may_have_been_processed))]
    Timeout {
        url: String,
        seconds: f64,
        may_have_been_processed: bool,
    },
    #[error("could not connect to {url}: {detail}")]
    Connect { url: String, detail: String },
    /// No trusted source accepted the server's certificate chain.
    #[error(
        "could not verify {}: {}{}.\n  Trusted here: {trusted}",
        failure.host,
        failure.reason,
        failure.issuer.as_ref().map(|i| format!("; the chain was issued by \"{i}\"")).unwrap_or_default()
    )]
    Certificate {
        failure: Box<crate::net::CertFailure>,
        /// The sources that were tried, in words.
        trusted: String,
    },
    /// The proxy asked for credentials, refused the tunnel, or could not be reached.
    #[error("{}", problem.describe(proxy, target))]
    Proxy {
        /// The proxy without credentials, and where it was set.
        proxy: String,
        target: String,
        problem: ProxyProblem,
    },
    #[error("the connection to {url} broke before a complete answer arrived: {detail}{}", maybe_done(*.may_have_been_processed))]
    Network {
        url: String,
        detail: String,
        may_have_been_processed: bool,
    },
    #[error("Webex answered HTTP {status} but the answer could not be read: {detail}")]
    UnreadableAnswer { status: u16, detail: String },
    /// A 2xx whose body broke off or was too large; `partial` is what arrived.
    #[error("Webex answered HTTP {status} from {url}, but the answer {detail}")]
    IncompleteAnswer {
        status: u16,
        url: String,
        detail: String,
        partial: RawAnswer,
    },
    /// A 2xx that carries something shown only once (`what`), but its answer can't be read;
    /// `raw` is what arrived. The caller keeps it and turns this into
    /// [`WebexError::SecretAnswerKept`].
    #[error(
        "Webex answered HTTP {status}, so {}, but the answer could not be read ({detail})",
        what.happened()
    )]
    UnreadableSecretAnswer {
        what: OneTime,
        status: u16,
        detail: String,
        raw: RawAnswer,
    },
    #[error(
        "Webex answered HTTP {status}, so {}, but the answer could not be read ({detail}).\n  {}",
        what.happened(),
        match .saved_to { Ok(p) => format!("The raw answer, with {}, is saved to {} (mode 0600).", what.carries(), p.display()), Err(e) => format!("Saving the raw answer failed too ({e}): it is printed below as the last resort.") }
    )]
    SecretAnswerKept {
        what: OneTime,
        status: u16,
        detail: String,
        saved_to: Result<PathBuf, String>,
        /// What arrived, for the last resort when it could not be saved.
        raw: RawAnswer,
    },
}

/// What went wrong with a proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyProblem {
    /// 407 Proxy Authentication Required.
    AuthRequired,
    /// The proxy answered CONNECT with another error, such as 403 Forbidden.
    Refused,
    /// The proxy could not be reached.
    Unreachable(String),
    /// The tunnel broke while it was being opened.
    Broke(String),
}

impl ProxyProblem {
    /// The whole sentence, naming the proxy (without credentials) and the host asked for.
    pub fn describe(&self, proxy: &str, target: &str) -> String {
        match self {
            ProxyProblem::AuthRequired => format!(
                "the proxy {proxy} asks for a user name and password (407 Proxy Authentication Required) before it opens a tunnel to {target}"
            ),
            ProxyProblem::Refused => format!(
                "the proxy {proxy} did not open a tunnel to {target}: it answered CONNECT with an error (403 Forbidden when it is not allowed; 502 or 503 when the host can't be reached from the proxy)"
            ),
            ProxyProblem::Unreachable(cause) => {
                format!("could not reach the proxy {proxy} to get to {target}: {cause}")
            }
            ProxyProblem::Broke(cause) => {
                format!("the tunnel through the proxy {proxy} to {target} failed: {cause}")
            }
        }
    }
}

fn maybe_done(may_have_been_processed: bool) -> &'static str {
    if may_have_been_processed {
        ".\n  The request may have reached Webex: check Control Hub before sending it again, to avoid a duplicate"
    } else {
        ""
    }
}

impl WebexError {
    /// The process exit code for this failure: 3 for a 4xx refusal, 4 for the rest.
    pub fn exit_code(&self) -> u8 {
        match self {
            WebexError::Api(f) if f.is_client_error() => 3,
            _ => 4,
        }
    }

    /// One sentence on what to do next.
    pub fn next_step(&self) -> String {
        match self {
            WebexError::Api(f) => f.next_step(),
            WebexError::Timeout { .. } => "Check the network or VPN, or give Webex more time with --timeout SECONDS.".into(),
            WebexError::Connect { .. } => "Check the network, proxy or VPN, and the API base (--env / --api-base).".into(),
            WebexError::Network { .. } => "Check the network and try again.".into(),
            WebexError::Certificate { .. } => "If your network inspects TLS, get its CA certificate (PEM) from your network team and pass it with --ca-bundle FILE (or set SSL_CERT_FILE), or add it to the system store; verification is never turned off. Run webex-wizard doctor to see the chain.".into(),
            WebexError::Proxy { problem: ProxyProblem::AuthRequired, .. } => "Put the proxy's user name and password in its address (http://user:password@proxy:port) in --proxy or HTTPS_PROXY, or ask your network team which proxy to use.".into(),
            WebexError::Proxy { problem: ProxyProblem::Refused, target, .. } => format!("Ask your network team to allow CONNECT to {target} through the proxy, or, if the host is reachable directly, add it to NO_PROXY."),
            WebexError::Proxy { .. } => "Check the proxy's address (--proxy, HTTPS_PROXY, ALL_PROXY), or unset it if this network has no proxy; webex-wizard doctor shows which one is used.".into(),
            WebexError::UnreadableAnswer { .. } => "Check the API base: it may not be a Webex API.".into(),
            WebexError::IncompleteAnswer { .. } => "Check the network and the API base; what arrived may already have been acted on.".into(),
            WebexError::UnreadableSecretAnswer { what, .. } => what.caution().into(),
            WebexError::SecretAnswerKept { what, saved_to: Ok(_), .. } => format!("Open the saved file to recover {}. {}", what.carries(), what.caution()),
            WebexError::SecretAnswerKept { what, saved_to: Err(_), .. } => format!("Copy {} from the raw answer printed here, now: it is kept nowhere else. {}", what.carries(), what.caution()),
        }
    }

    pub fn api_failure(&self) -> Option<&ApiFailure> {
        match self {
            WebexError::Api(f) => Some(f),
            _ => None,
        }
    }

    /// An answer that may hold a one-time secret and could be kept nowhere: the caller shows
    /// it as the last resort.
    pub fn unsaved_raw_answer(&self) -> Option<&[u8]> {
        match self {
            WebexError::SecretAnswerKept {
                saved_to: Err(_),
                raw,
                ..
            } => Some(&raw.0),
            _ => None,
        }
    }
}

mod api_failure;
mod one_time;
pub use api_failure::{ApiFailure, INTEGRATION_LIMIT_ADVICE, retry_after, tracking_id_header};
pub use one_time::OneTime;

/// The raw bytes of an answer that could not be read whole; they may hold a one-time secret,
/// so they are never shown by `Debug` or `Display`.
pub struct RawAnswer(pub bytes::Bytes);

impl std::fmt::Debug for RawAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RawAnswer({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests;
