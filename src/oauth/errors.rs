//! Why an authorization ended without a code, or without tokens.

use std::time::Duration;

use crate::webex::WebexError;

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
            AuthorizationError::StateMismatch | AuthorizationError::Repeated(_) => {
                "Start the authorization again and finish it in the tab it opens."
            }
            AuthorizationError::Denied { error, .. } if error == "access_denied" => {
                "The user declined: authorize again and choose Allow."
            }
            AuthorizationError::Denied { .. } => {
                "Check that the scopes and redirect URL are registered on the integration, then authorize again."
            }
            AuthorizationError::MissingCode => "Paste the whole address the browser landed on.",
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
