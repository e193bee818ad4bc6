//! One authorization attempt from start to tokens, shared by `authorize` and the wizard:
//! listen (loopback) or wait for a paste, open the browser, check the answer, exchange the code.

use std::future::Future;
use std::time::Duration;

use crate::callback::CallbackListener;
use crate::oauth::{
    AuthorizationError, AuthorizationRequest, ClientCredentials, FlowError, Tokens,
};
use crate::webex::WebexClient;

/// What the front end is told as the attempt goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The URL is ready and, for a loopback redirect, the listener is up.
    Waiting {
        url: String,
        loopback: bool,
    },
    BrowserOpened(bool),
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

/// Open `url` in the browser (`$BROWSER` first) off the async runtime; false when none opened.
pub async fn open_browser(url: &str) -> bool {
    let url = url.to_owned();
    match tokio::task::spawn_blocking(move || webbrowser::open(&url)).await {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::info!(error = %e, "no browser could be opened");
            false
        }
        Err(_) => false,
    }
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

/// Run one attempt. `paste` is asked for the address the browser landed on only when the
/// redirect is not loopback; `cancel` ends the wait early.
pub async fn authorize<P, PF>(
    attempt: Attempt<'_>,
    paste: P,
    cancel: impl Future<Output = ()>,
    progress: impl Fn(Progress) + Clone + Send + Sync + 'static,
) -> Result<Tokens, FlowError>
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
        tokio::select! {
            outcome = listener.wait(attempt.wait) => outcome,
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
    Ok(request
        .exchange(attempt.client, attempt.credentials, code)
        .await?)
}
