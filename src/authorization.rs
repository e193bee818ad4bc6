//! One authorization attempt from start to tokens, shared by `authorize` and the wizard:
//! listen (loopback) or wait for a paste, open the browser, check the answer, exchange the code.

use std::future::Future;
use std::time::Duration;

/// How long an authorization waits for the browser unless `--timeout` says otherwise.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(300);

use crate::callback::CallbackListener;
use crate::oauth::{
    AuthorizationError, AuthorizationRequest, ClientCredentials, FlowError, Tokens,
};
pub use crate::platform::browser::BrowserLaunch;
use crate::webex::WebexClient;

/// What the front end is told as the attempt goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The URL is ready and, for a loopback redirect, the listener is up.
    Waiting { url: String, loopback: bool },
    /// What opening the browser did.
    BrowserOpened(BrowserLaunch),
    /// The code arrived; the token request is on its way.
    Exchanging,
    /// A callback that was not the answer to this request was refused (so many so far); the
    /// wait goes on.
    Refused(usize),
}

/// What one attempt asks for.
pub struct Attempt<'a> {
    pub client: &'a WebexClient,
    pub credentials: &'a ClientCredentials,
    pub redirect_uri: &'a str,
    pub scopes: &'a [String],
    pub pkce: bool,
    /// How long to wait for the browser (or the paste).
    pub wait: Duration,
    pub open_browser: bool,
}

/// Whether `redirect_uri` is a loopback URL the wizard can listen on.
pub fn is_loopback(redirect_uri: &str) -> bool {
    url::Url::parse(redirect_uri).is_ok_and(|u| crate::types::is_loopback_host(&u))
}

/// An SSH session: no browser should be started on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSession {
    /// `user@host` to reach this machine from the user's own, when SSH says so.
    pub login: Option<String>,
}

impl RemoteSession {
    /// The session this process runs in, from `SSH_CONNECTION` / `SSH_TTY`.
    pub fn detect() -> Option<Self> {
        let connection = std::env::var("SSH_CONNECTION")
            .ok()
            .filter(|v| !v.trim().is_empty());
        let tty = std::env::var_os("SSH_TTY").filter(|v| !v.is_empty());
        if connection.is_none() && tty.is_none() {
            return None;
        }
        // "client-ip client-port server-ip server-port": the user reaches us at server-ip.
        let host = connection.and_then(|c| c.split_whitespace().nth(2).map(str::to_owned));
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .ok();
        let login = host.map(|h| {
            let h = if h.contains(':') { format!("[{h}]") } else { h };
            match user {
                Some(u) => format!("{u}@{h}"),
                None => h,
            }
        });
        Some(RemoteSession { login })
    }

    /// For a loopback redirect URL, the `ssh -L` line that lets the user's own browser reach
    /// the listener here; and, when the API base is on this machine's loopback too (the
    /// `--demo` sandbox, whose `/authorize` page the browser must load first), its port as well.
    pub fn tunnel(&self, redirect_uri: &str, api_base: &crate::types::ApiBase) -> Option<String> {
        let url = url::Url::parse(redirect_uri).ok()?;
        if !crate::types::is_loopback_host(&url) {
            return None;
        }
        let mut ports = vec![url.port_or_known_default()?];
        let api = api_base.url();
        if crate::types::is_loopback_host(&api)
            && let Some(port) = api.port_or_known_default()
            && !ports.contains(&port)
        {
            ports.push(port);
        }
        let login = self.login.as_deref().unwrap_or("user@this-machine");
        let forwards: Vec<String> = ports
            .iter()
            .map(|p| format!("-L {p}:127.0.0.1:{p}"))
            .collect();
        Some(format!("ssh {} {login}", forwards.join(" ")))
    }
}

/// Open `url` in the browser (`$BROWSER` first), and say what really happened.
pub async fn open_browser(url: &str) -> BrowserLaunch {
    crate::platform::browser::open(url).await
}

/// A QR code of `text` in Unicode half blocks, for a terminal.
pub fn qr_code(text: &str) -> Option<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

/// Run one attempt to its tokens: [`await_code`], then the exchange.
pub async fn authorize<P, PF>(
    attempt: Attempt<'_>,
    paste: P,
    cancel: impl Future<Output = ()>,
    progress: impl Fn(Progress) + Clone + Send + Sync + 'static,
) -> Result<crate::webex::Tracked<Tokens>, FlowError>
where
    P: FnOnce() -> PF,
    PF: Future<Output = Option<String>>,
{
    let (client, credentials) = (attempt.client, attempt.credentials);
    let (request, code) = await_code(attempt, paste, cancel, progress).await?;
    Ok(request.exchange(client, credentials, code).await?)
}

/// Wait for the authorization code: listen (loopback) or ask for a paste, open the browser,
/// check the answer. `paste` is asked for the address the browser landed on only when the
/// redirect is not loopback; `cancel` ends the wait early. The caller exchanges the code
/// ([`AuthorizationRequest::exchange`]), where it can shield it from signals.
pub async fn await_code<P, PF>(
    attempt: Attempt<'_>,
    paste: P,
    cancel: impl Future<Output = ()>,
    progress: impl Fn(Progress) + Clone + Send + Sync + 'static,
) -> Result<(AuthorizationRequest, secrecy::SecretString), FlowError>
where
    P: FnOnce() -> PF,
    PF: Future<Output = Option<String>>,
{
    let request = AuthorizationRequest::new(
        attempt.client.base(),
        &attempt.credentials.client_id,
        attempt.redirect_uri,
        attempt.scopes,
        attempt.pkce,
    )
    .map_err(|detail| AuthorizationError::Listen {
        address: attempt.redirect_uri.to_owned(),
        detail,
    })?;
    let loopback = is_loopback(attempt.redirect_uri);
    // Listen before the browser can come back.
    let listener = if loopback {
        let progress = progress.clone();
        let on_refused: crate::callback::OnRefused =
            std::sync::Arc::new(move |count| progress(Progress::Refused(count)));
        Some(CallbackListener::bind(attempt.redirect_uri, request.checker(), on_refused).await?)
    } else {
        None
    };
    let url = request.url.to_string();
    progress(Progress::Waiting {
        url: url.clone(),
        loopback,
    });
    if attempt.open_browser {
        // Alongside the wait: a $BROWSER program may not return until it is done.
        let progress = progress.clone();
        tokio::spawn(async move { progress(Progress::BrowserOpened(open_browser(&url).await)) });
    }
    tokio::pin!(cancel);
    let code = if let Some(listener) = listener {
        // A browser on another machine (over SSH, say) can't reach this listener: the address
        // it landed on may be pasted instead, and whichever comes first wins. An empty paste
        // (or none at all) leaves it to the listener.
        let pasted = async {
            match paste().await {
                Some(text) if !text.trim().is_empty() => text,
                _ => std::future::pending().await,
            }
        };
        tokio::select! {
            outcome = listener.wait(attempt.wait) => outcome,
            text = pasted => request.check_pasted(&text),
            () = &mut cancel => Err(AuthorizationError::Cancelled),
        }
    } else {
        tokio::select! {
            pasted = tokio::time::timeout(attempt.wait, paste()) => match pasted {
                Ok(Some(text)) => request.check_pasted(&text),
                Ok(None) => Err(AuthorizationError::Cancelled),
                Err(_) => Err(AuthorizationError::TimedOut {
                    waited: attempt.wait,
                    refused: 0,
                }),
            },
            () = &mut cancel => Err(AuthorizationError::Cancelled),
        }
    }?;
    progress(Progress::Exchanging);
    Ok((request, code))
}
