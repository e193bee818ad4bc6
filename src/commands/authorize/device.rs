//! `authorize --device`: the OAuth device grant, for an SSH session or a machine with no
//! browser. Shows the code and the address (and a QR code of the complete address when asked
//! and it fits), then polls at Webex's interval until the user decides; the tokens are handed
//! over like `authorize`'s (a recovery copy first, the poll that brings them shielded from
//! signals).

use crate::cli::AuthorizeArgs;
use crate::error::{CliError, Ended};
use crate::oauth::device::{self, Poll};
use crate::session::Context;

use super::{keep_tokens, resolve_client};

/// Where polling stands after one poll.
enum Next {
    Again,
    Slower,
    Done,
}

pub async fn run(ctx: &Context, args: &AuthorizeArgs) -> Result<Ended, CliError> {
    crate::commands::check_save(args.save.as_deref())?;
    let (creds, saved) = resolve_client(&args.client)?;
    let scopes = super::scopes_to_ask(args, saved.as_ref())?;
    // Webex runs the device grant only for an integration that lists its helper URIs: say so
    // before anything is sent.
    warn_of_missing_helpers(saved.as_ref(), &creds.client_id);
    if ctx.env.cloud == crate::env::Cloud::Fedramp {
        eprintln!(
            "note: device login is experimental on Webex for Government (FedRAMP): it is unverified there."
        );
    }
    let client = ctx.client()?;
    let audit = crate::audit::Entry::new("authorize").application(
        saved.as_ref().and_then(|s| s.integration.id.as_deref()),
        Some(&creds.client_id),
        saved.as_ref().and_then(|s| s.integration.name.as_deref()),
    );
    let code = match device::start(&client, &creds.client_id, &scopes).await {
        Ok(code) => code.value,
        Err(e) => {
            ctx.audit(audit.failed(&e));
            return Err(CliError::Exchange(e));
        }
    };
    show(&code, args.qr);
    let deadline = tokio::time::Instant::now() + code.expires_in;
    let mut interval = code.interval;
    // SIGINT, SIGTERM and SIGHUP between polls end the wait (nothing is on its way then).
    let mut signals = crate::platform::signals::Signals::new();
    loop {
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            n = signals.next() => {
                ctx.audit(audit.failed_locally("not-authorized"));
                eprintln!("Stopped: the device login was not approved here; nothing was issued.");
                return Ok(Ended::Signal(n));
            }
        }
        if tokio::time::Instant::now() >= deadline {
            ctx.audit(audit.failed_locally("expired"));
            return Err(CliError::Usage(
                "the code expired before it was approved: run authorize --device again".into(),
            ));
        }
        // A poll may bring the tokens: it and their hand-over are shielded from signals.
        let (next, signal) = crate::secrets::shield::shield(
            async {
                match device::poll(&client, &creds, &code, &scopes).await {
                    Ok(Poll::Waiting) => Ok(Next::Again),
                    Ok(Poll::SlowDown) => Ok(Next::Slower),
                    Ok(Poll::Tokens(tokens)) => keep_tokens(
                        ctx,
                        &creds.client_id,
                        Ok(tokens),
                        audit.clone(),
                        (args.json, args.save.as_deref()),
                    )
                    .map(|()| Next::Done),
                    // expired_token, access_denied, a refusal, or an answer to keep.
                    Err(e) => keep_tokens(
                        ctx,
                        &creds.client_id,
                        Err(e),
                        audit.clone(),
                        (args.json, args.save.as_deref()),
                    )
                    .map(|()| Next::Done),
                }
            },
            "Waiting until the tokens are kept (at most the request timeout).",
            || {
                eprintln!(
                    "Left before the tokens of {} were kept; any that were issued are lost: run authorize --device again. Recovery copies, if any, are in {}.",
                    creds.client_id,
                    ctx.dirs.recovery().display()
                );
            },
        )
        .await;
        match next? {
            Next::Again => {}
            Next::Slower => interval += device::SLOW_DOWN,
            Next::Done => return Ok(signal.map_or(Ended::Quit, Ended::Signal)),
        }
        if let Some(n) = signal {
            return Ok(Ended::Signal(n));
        }
    }
}

/// Webex runs the device grant only for an integration that lists its helper URIs. The
/// credentials file is what create saw: a later `update --device-login` is not in it, so a file
/// without them is a warning, and Webex's refusal (if it comes) is shown as it is.
fn warn_of_missing_helpers(saved: Option<&crate::credentials::SavedCredentials>, client_id: &str) {
    match saved {
        Some(s) => {
            let missing = device::missing_helpers(&s.integration.redirect_urls);
            if !missing.is_empty() {
                let which = s.integration.id.as_deref().unwrap_or(client_id);
                eprintln!(
                    "warning: device login needs the integration to list Webex's three device-helper redirect URLs, and the credentials file lacks {} of them:\n{}\n  Unless they were added since (webex-wizard update {which} --device-login), Webex will refuse.",
                    missing.len(),
                    missing
                        .iter()
                        .map(|m| format!("    {m}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                );
            }
        }
        None => eprintln!(
            "note: without --credentials, whether the integration lists Webex's three device-helper redirect URLs can't be checked here; Webex refuses the device login if it doesn't."
        ),
    }
}

/// What the person needs: the address, the code, the complete address, and its QR code.
fn show(code: &device::DeviceCode, qr: bool) {
    let shown = crate::text::visible_line(&code.verification_uri);
    eprintln!(
        "To sign in, open this address in any browser (a phone will do):\n\n  {shown}\n\nand enter the code:\n\n  {}\n",
        crate::text::visible_line(&code.user_code)
    );
    if let Some(complete) = &code.verification_uri_complete {
        eprintln!(
            "Or open this, which has the code in it:\n\n  {}\n",
            crate::text::visible_line(complete)
        );
    }
    if qr
        && let Some(qr) = code
            .verification_uri_complete
            .as_deref()
            .and_then(crate::authorization::qr_code)
            .filter(|qr| fits(qr))
    {
        eprintln!("Or scan it:\n{qr}");
    }
    eprintln!(
        "Waiting for the approval (the code works for {} min; Ctrl-C cancels) ...",
        code.expires_in.as_secs().div_ceil(60)
    );
}

/// Whether a QR code fits the terminal (standard error's), or 80x24 when it can't be told.
fn fits(qr: &str) -> bool {
    let (columns, rows) = crossterm_size().unwrap_or((80, 24));
    let width = qr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    width <= usize::from(columns) && qr.lines().count() + 12 <= usize::from(rows)
}

fn crossterm_size() -> Option<(u16, u16)> {
    ratatui::crossterm::terminal::size().ok()
}
