//! `webex-wizard authorize`: the OAuth flow for scripts.

use std::path::Path;
use std::time::Duration;

use super::Context;

mod device;
use crate::authorization::{self, Attempt, Progress, RemoteSession, is_loopback, qr_code};
use crate::cli::{AuthorizeArgs, ClientArgs};
use crate::credentials::{self, SavedCredentials};
use crate::error::{CliError, Ended};
use crate::integration::IntegrationDraft;
use crate::oauth::{ClientCredentials, Tokens};
use crate::secret;
use crate::secrets::delivery::Handover;
use crate::text::visible_line;
use crate::webex::OneTime;

/// Where a client secret may come from, besides a credentials file.
pub const CLIENT_SECRET_VAR: &str = "WEBEX_CLIENT_SECRET";

pub use crate::authorization::DEFAULT_WAIT;

/// The integration: its credentials, and the saved file they came from if any.
pub fn resolve_client(
    args: &ClientArgs,
) -> Result<(ClientCredentials, Option<SavedCredentials>), CliError> {
    let saved = match &args.credentials {
        Some(path) => Some(SavedCredentials::open(path, args.identity.as_deref())?),
        None => None,
    };
    let client_id = args
        .client_id
        .clone()
        .or_else(|| saved.as_ref().map(|s| s.integration.client_id.clone()))
        .ok_or_else(|| {
            CliError::Usage("which integration? pass --credentials PATH, or --client-id ID".into())
        })?;
    let client_secret = if let Some(path) = &args.client_secret_file {
        secret::read_secret_file(path).map_err(|source| CliError::ReadFile {
            path: path.clone(),
            source,
        })?
    } else if let Some(s) = saved
        .as_ref()
        .filter(|s| s.integration.client_id == client_id)
    {
        s.integration.client_secret.clone()
    } else {
        secret::secret_from_env(CLIENT_SECRET_VAR).ok_or_else(|| {
            CliError::Usage(
                "no client secret: set WEBEX_CLIENT_SECRET, or pass --client-secret-file PATH or --credentials PATH (never the secret itself as an argument)".into(),
            )
        })?
    };
    Ok((
        ClientCredentials {
            client_id,
            client_secret,
        },
        saved,
    ))
}

/// The scopes to ask for: `--scope`, else every scope of the credentials file.
pub(super) fn scopes_to_ask(
    args: &AuthorizeArgs,
    saved: Option<&SavedCredentials>,
) -> Result<Vec<String>, CliError> {
    let scopes = if args.scopes.is_empty() {
        saved
            .map(|s| s.integration.scopes.clone())
            .unwrap_or_default()
    } else {
        args.scopes.clone()
    };
    if scopes.is_empty() {
        return Err(CliError::Usage(
            "which scopes? pass --scope SCOPE (repeat for several), or --credentials PATH".into(),
        ));
    }
    Ok(scopes)
}

/// The redirect URL: the one asked for, else the saved integration's first loopback URL, else its first.
fn pick_redirect(
    args: &AuthorizeArgs,
    saved: Option<&SavedCredentials>,
) -> Result<String, CliError> {
    if let Some(url) = &args.redirect_url {
        return Ok(url.clone());
    }
    let urls = saved
        .map(|s| s.integration.redirect_urls.clone())
        .unwrap_or_default();
    urls.iter()
        .find(|u| is_loopback(u))
        .or(urls.first())
        .cloned()
        .ok_or_else(|| {
            CliError::Usage(
                "which redirect URL? pass --redirect-url URL (one registered on the integration)"
                    .into(),
            )
        })
}

/// Under `--demo`, make the integration known to this run's fresh sandbox: adopt the one from
/// `--credentials`, or create one for the redirect URL and scopes asked for.
async fn demo_integration(
    ctx: &Context,
    args: &AuthorizeArgs,
    redirect: &str,
    scopes: &[String],
) -> Result<Option<(ClientCredentials, SavedCredentials)>, CliError> {
    let Some(sandbox) = ctx.sandbox() else {
        return Ok(None);
    };
    if args.client.credentials.is_some() || args.client.client_id.is_some() {
        let (creds, saved) = resolve_client(&args.client)?;
        let urls = saved.as_ref().map_or_else(
            || vec![redirect.to_owned()],
            |s| s.integration.redirect_urls.clone(),
        );
        sandbox.adopt(&creds.client_id, &creds.client_secret, &urls, scopes);
        return Ok(None);
    }
    let draft = IntegrationDraft {
        name: "webex-wizard demo".into(),
        description: "Created by --demo authorize in the embedded sandbox".into(),
        contact_email: "admin@sandbox.example.gov".into(),
        company_name: None,
        redirect_urls: vec![redirect.to_owned()],
        scopes: scopes.to_vec(),
    };
    let client = ctx.client()?;
    let created = client
        .create_integration(&ctx.admin_token()?, &draft)
        .await
        .map_err(|e| crate::secrets::delivery::keep_raw_answer(&ctx.dirs.recovery(), e))?
        .value;
    eprintln!(
        "Demo: created the integration {} in the sandbox.",
        created.client_id
    );
    let creds = ClientCredentials {
        client_id: created.client_id.clone(),
        client_secret: created.client_secret.clone(),
    };
    let saved = SavedCredentials {
        api_base: ctx.env.base.to_string(),
        integration: created,
    };
    Ok(Some((creds, saved)))
}

#[expect(
    clippy::too_many_lines,
    reason = "one authorization from the command line, read top to bottom: inputs, progress, the attempt, the hand-over"
)]
pub async fn run(ctx: &Context, args: &AuthorizeArgs, wait: Duration) -> Result<Ended, CliError> {
    if args.device {
        return device::run(ctx, args).await;
    }
    super::check_save(args.save.as_deref())?;
    let from_file = match &args.client.credentials {
        Some(path) => Some(SavedCredentials::open(
            path,
            args.client.identity.as_deref(),
        )?),
        None => None,
    };
    let redirect = pick_redirect(args, from_file.as_ref())?;
    crate::validate::check_redirect_url(&redirect)
        .map_err(|e| CliError::Usage(format!("--redirect-url: {e}")))?;
    let scopes = scopes_to_ask(args, from_file.as_ref())?;
    if let Some(s) = &from_file
        && !s.integration.redirect_urls.is_empty()
        && !s.integration.redirect_urls.contains(&redirect)
    {
        eprintln!(
            "warning: {redirect} is not among the integration's redirect URLs; Webex will refuse it."
        );
    }
    let (creds, _) = match demo_integration(ctx, args, &redirect, &scopes).await? {
        Some((creds, saved)) => (creds, Some(saved)),
        None => resolve_client(&args.client)?,
    };

    if args.no_pkce {
        eprintln!(
            "warning: --no-pkce: without PKCE, another user of this machine who sees the authorization URL could answer the redirect with their own code. Use it only for a server that refuses PKCE."
        );
    }
    let client = ctx.client()?;
    // Over SSH a browser started here would be on the wrong machine (or a text one over us).
    let remote = RemoteSession::detect();
    let tunnel = remote
        .as_ref()
        .and_then(|r| r.tunnel(&redirect, &ctx.env.base));
    let open_browser = !args.no_browser && remote.is_none();
    let (qr, no_browser, redirect_shown) = (args.qr, args.no_browser, redirect.clone());
    let over_ssh = remote.is_some();
    let progress = move |p: Progress| match p {
        Progress::Waiting { url, loopback } => {
            eprintln!("Authorize the integration in the browser. The address is:\n\n  {url}\n");
            if qr && let Some(code) = qr_code(&url) {
                eprintln!("{code}");
            }
            if over_ssh {
                eprintln!(
                    "This is an SSH session, so no browser is started here: open the address in your own browser."
                );
                if let Some(line) = &tunnel {
                    eprintln!(
                        "So that your browser can come back to {redirect_shown}, first run this on your own machine:\n\n  {line}\n"
                    );
                }
            } else if no_browser {
                eprintln!("Open it in a browser (--no-browser).");
            }
            if loopback {
                eprintln!(
                    "Waiting up to {} s for the browser to come back to {redirect_shown}; or paste the address it lands on here (Ctrl-C cancels) ...",
                    wait.as_secs()
                );
            } else {
                eprintln!(
                    "{redirect_shown} is not a loopback address, so the browser cannot come back here.\nPaste the address the browser lands on (or just the code) and press Enter:"
                );
            }
        }
        Progress::BrowserOpened(launch) if launch.opened() => {
            eprintln!(
                "Browser: {}. If none showed up, open the address above yourself.",
                launch.describe()
            );
        }
        Progress::BrowserOpened(launch) => {
            eprintln!(
                "No browser was opened here ({}): open the address above yourself.",
                launch.describe()
            );
        }
        Progress::Exchanging => eprintln!("Authorized. Exchanging the code for tokens ..."),
        Progress::Refused(count) => eprintln!(
            "Refused an answer on the redirect URL that does not belong to this authorization ({count} so far); still waiting for the right one."
        ),
    };
    let read_line = || async {
        tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).ok().map(|_| line)
        })
        .await
        .ok()
        .flatten()
    };
    let attempt = Attempt {
        client: &client,
        credentials: &creds,
        redirect_uri: &redirect,
        scopes: &scopes,
        pkce: !args.no_pkce,
        wait,
        open_browser,
    };
    let cancel = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let audit = crate::audit::Entry::new("authorize").application(
        from_file.as_ref().and_then(|s| s.integration.id.as_deref()),
        Some(&creds.client_id),
        from_file
            .as_ref()
            .and_then(|s| s.integration.name.as_deref()),
    );
    let (request, code) =
        match authorization::await_code(attempt, read_line, cancel, progress).await {
            Ok(ready) => ready,
            Err(e) => {
                ctx.audit(audit.failed_locally("not-authorized"));
                return Err(e.into());
            }
        };
    // From here the code is spent at Webex: the exchange and the hand-over are shielded, and
    // an answer that can't be read is kept.
    hand_over(ctx, &creds.client_id, "authorize again", async {
        let tokens = request.exchange(&client, &creds, code).await;
        keep_tokens(
            ctx,
            &creds.client_id,
            tokens,
            audit,
            (args.json, args.save.as_deref()),
        )
    })
    .await
}

/// Run `work` (getting and handing over tokens) shielded from signals: the first waits for it,
/// so no save is cut off and no tokens are issued into nowhere; the exit code says a signal came.
pub(super) async fn hand_over(
    ctx: &Context,
    client_id: &str,
    redo: &str,
    work: impl std::future::Future<Output = Result<(), CliError>>,
) -> Result<Ended, CliError> {
    let (done, signal) = crate::secrets::shield::shield(
        work,
        "Waiting until the tokens are kept (at most the request timeout).",
        || {
            eprintln!(
                "Left before the tokens of {client_id} were kept; any that were issued are lost: {redo}. Recovery copies, if any, are in {}.",
                ctx.dirs.recovery().display()
            );
        },
    )
    .await;
    done?;
    Ok(signal.map_or(Ended::Quit, Ended::Signal))
}

/// Hand over the tokens of a token request (`output`: `--json` and `--save`), or keep its
/// unreadable answer; then write `audit`'s line, once the tokens are kept.
pub(super) fn keep_tokens(
    ctx: &Context,
    client_id: &str,
    tokens: Result<crate::webex::Tracked<Tokens>, crate::webex::WebexError>,
    audit: crate::audit::Entry,
    (json, save): (bool, Option<&Path>),
) -> Result<(), CliError> {
    let audit = audit.outcome(&tokens);
    let delivered = match tokens {
        Ok(tokens) => report(ctx, client_id, &tokens.value, json, save),
        Err(e) => Err(CliError::Exchange(
            crate::secrets::delivery::keep_raw_answer(&ctx.dirs.recovery(), e),
        )),
    };
    ctx.audit(audit);
    delivered
}

/// Hand the tokens over: a recovery copy first, then the tokens as JSON (`--json`) or a
/// summary without them, and the file (`--save`, or the tokens folder when neither `--json`
/// nor `--save` was given, so that tokens are never issued into nowhere).
pub(super) fn report(
    ctx: &Context,
    client_id: &str,
    tokens: &Tokens,
    json: bool,
    save: Option<&Path>,
) -> Result<(), CliError> {
    let api_base = ctx.env.base.to_string();
    let value = tokens.to_json_exposing_secrets(&api_base, client_id);
    let keep = serde_json::to_vec_pretty(&value).expect("JSON serializes");
    let handover = Handover::start(&ctx.dirs.recovery(), OneTime::Tokens, &keep);
    let printed = if json {
        handover.print(&crate::output::json_text(&value))
    } else {
        let summary: Vec<String> = tokens.summary().iter().map(|l| visible_line(l)).collect();
        handover.print(&summary.join("\n"))
    };
    let stored = match (save, json) {
        (Some(path), _) => Some(
            credentials::save_tokens(tokens, path, &api_base, client_id).map(|()| path.to_owned()),
        ),
        (None, false) => Some(credentials::save_tokens_default(
            tokens, &ctx.dirs, &api_base, client_id, "tokens",
        )),
        (None, true) => None,
    };
    if let Some(Ok(path)) = &stored {
        eprintln!("Saved the tokens to {}.", crate::files::saved_where(path));
    }
    // Without --json, the printed summary holds no token: only a file delivers them.
    let summary_failed = (!json)
        .then(|| {
            printed
                .result
                .as_ref()
                .err()
                .map(|e| std::io::Error::new(e.kind(), e.to_string()))
        })
        .flatten();
    match handover.finish(json.then_some(&printed), stored) {
        Err(e) => Err(e),
        Ok(()) => summary_failed.map_or(Ok(()), |e| Err(CliError::Output(e))),
    }
}
