//! `login`, `status`, `logout`: the admin token kept in the OS keyring, one per API base
//! (`crate::signin` does the keeping; this only asks and tells).

use std::fmt::Write as _;
use std::path::Path;

use serde_json::json;
use time::OffsetDateTime;

use crate::cli::{LoginArgs, StatusArgs};
use crate::error::CliError;
use crate::session::{ADMIN_TOKEN_VAR, Context};
use crate::signin::{self, Login};
use crate::text::visible;
use crate::webex::Operation;

/// "in 3 h 12 min" / "4 h 2 min ago".
fn from_now(at: OffsetDateTime, now: OffsetDateTime) -> String {
    let left = at - now;
    let (hours, minutes) = (left.whole_hours().abs(), left.whole_minutes().abs() % 60);
    if left.is_negative() {
        format!("{hours} h {minutes} min ago")
    } else {
        format!("in {hours} h {minutes} min")
    }
}

fn refuse_demo(ctx: &Context, what: &str) -> Result<(), CliError> {
    if ctx.is_demo() {
        return Err(CliError::Usage(format!(
            "{what} is for a real Webex (or a `webex-wizard sandbox` you started): --demo always uses the embedded sandbox's own admin token"
        )));
    }
    Ok(())
}

/// The token `login` was given: `--token-file`, standard input (`--with-token`), or typed at a
/// hidden prompt.
fn token_to_keep(ctx: &Context, args: &LoginArgs) -> Result<secrecy::SecretString, CliError> {
    Ok(if ctx.has_token_file() && !args.with_token {
        // `login --token-file PATH`: the token is in that file.
        ctx.admin_token()?
    } else if args.with_token {
        crate::secret::read_secret_file(Path::new("-")).map_err(|source| CliError::ReadFile {
            path: "standard input".into(),
            source,
        })?
    } else {
        let prompt = format!(
            "Paste the Control Hub admin token for {} (input hidden): ",
            ctx.env.base
        );
        crate::secret::read_hidden_from_terminal(&prompt)
            .filter(|t| !secrecy::ExposeSecret::expose_secret(t).trim().is_empty())
            .ok_or_else(|| {
                CliError::NoTerminal(
                    "no admin token was typed, and there is no terminal to ask on: pipe it in with `webex-wizard login --with-token`".into(),
                )
            })?
    })
}

pub async fn login(ctx: &Context, args: &LoginArgs) -> Result<(), CliError> {
    refuse_demo(ctx, "login")?;
    // Before asking for anything: is there a keyring to keep it in? Never a plaintext file
    // instead of one.
    crate::platform::keyring::probe()?;
    let token = token_to_keep(ctx, args)?;
    let token = crate::secret::clean_token(secrecy::ExposeSecret::expose_secret(&token));
    let token = secrecy::SecretString::from(token);
    let client = ctx.client()?;
    eprintln!(
        "Checking the token with {} ({})...",
        ctx.env.base,
        ctx.env.label()
    );
    let person = match client.people_me(&token, Operation::CheckAdminToken).await {
        Ok(person) => person,
        Err(e) => {
            // A refused sign-in is an event the trail keeps too (who is not known then).
            ctx.audit(crate::audit::Entry::new("login").failed(&e));
            return Err(e.into());
        }
    };
    let now = OffsetDateTime::now_utc();
    let (expires_at, expiry_known) = match crate::scope_test::token_expiry(&client, &token).await {
        Ok(at) => (at, true),
        Err(e) => {
            tracing::info!(error = %e, "token expiry not told; taking the 12-hour upper bound");
            (now + signin::MAX_LIFETIME, false)
        }
    };
    if expires_at <= now {
        return Err(CliError::Usage(format!(
            "that token expired at {}; nothing was kept. Copy a fresh one from Control Hub.",
            crate::types::rfc3339(expires_at)
        )));
    }
    let login = Login {
        api_base: ctx.env.base.to_string(),
        token,
        expires_at,
        expiry_known,
        person: person.describe(),
        person_id: person.id.clone(),
        email: person.emails.first().cloned(),
        org_id: person.org_id.clone(),
        saved_at: now,
    };
    signin::keep(&login)?;
    ctx.audit(crate::audit::Entry::new("login").actor(&person));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Signed in to {} ({}) as {}{}.",
        ctx.env.base,
        ctx.env.label(),
        visible(&login.person),
        login
            .org_id
            .as_deref()
            .map(|o| format!(", org {}", visible(o)))
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "  The token expires {} {} ({}).",
        if expiry_known { "at" } else { "at the latest" },
        crate::types::rfc3339(expires_at),
        from_now(expires_at, now)
    );
    let _ = writeln!(
        out,
        "  Kept in the OS keyring ({}): service '{}', account '{}'.",
        crate::platform::keyring::backend(),
        signin::SERVICE,
        signin::account(&login.api_base)
    );
    let _ = writeln!(
        out,
        "  Commands and the wizard use it when neither {ADMIN_TOKEN_VAR} nor --token-file is given; `webex-wizard logout` removes it."
    );
    if let Some(source) = ctx.token_source() {
        let _ = writeln!(
            out,
            "warning: {source} is set here and is used before the keyring."
        );
    }
    eprint!("{out}");
    Ok(())
}

pub fn status(ctx: &Context, args: &StatusArgs) -> Result<bool, CliError> {
    refuse_demo(ctx, "status")?;
    let now = OffsetDateTime::now_utc();
    let kept = match ctx.kept_login() {
        Ok(kept) => Ok(kept.as_ref()),
        Err(e) => Err(e.clone()),
    };
    let source = ctx.token_source();
    let login = kept.as_ref().ok().copied().flatten();
    let expired = login.is_some_and(|l| l.is_expired(now));
    let usable = login.is_some() && !expired;
    if args.json {
        let value = json!({
            "apiBase": ctx.env.base.as_str(),
            "environment": ctx.env.label(),
            "signedIn": login.is_some(),
            "expired": expired,
            "person": login.map(|l| l.person.clone()),
            "personId": login.map(|l| l.person_id.clone()),
            "orgId": login.and_then(|l| l.org_id.clone()),
            "expiresAt": login.map(|l| crate::types::rfc3339(l.expires_at)),
            "expiryKnown": login.map(|l| l.expiry_known),
            "keptIn": login.map(|_| json!({
                "backend": crate::platform::keyring::backend(),
                "service": signin::SERVICE,
                "account": signin::account(ctx.env.base.as_str()),
            })),
            "keyringError": kept.as_ref().err().map(ToString::to_string),
            "inUse": usable && source.is_none(),
            "tokenSource": source.or((usable && source.is_none()).then_some("keyring")),
        });
        crate::output::print_stdout(&crate::output::json_text(&value))?;
        return Ok(usable);
    }
    let mut out = String::new();
    let _ = writeln!(out, "API base:   {} ({})", ctx.env.base, ctx.env.label());
    match (&kept, login) {
        (Err(e), _) => {
            let _ = writeln!(out, "Signed in:  unknown: {e}");
        }
        (Ok(_), None) => {
            let _ = writeln!(
                out,
                "Signed in:  no (no admin token is kept for this API base; `webex-wizard login` keeps one)"
            );
        }
        (Ok(_), Some(l)) => {
            let _ = writeln!(out, "Signed in:  {}", visible(&l.person));
            if let Some(org) = &l.org_id {
                let _ = writeln!(out, "Org:        {}", visible(org));
            }
            let _ = writeln!(
                out,
                "Expires:    {}{} ({}){}",
                if l.expiry_known { "" } else { "at the latest " },
                crate::types::rfc3339(l.expires_at),
                from_now(l.expires_at, now),
                if expired {
                    ": EXPIRED, never sent; sign in again with `webex-wizard login`"
                } else {
                    ""
                }
            );
            let _ = writeln!(
                out,
                "Kept in:    the OS keyring ({}), service '{}', account '{}'",
                crate::platform::keyring::backend(),
                signin::SERVICE,
                signin::account(&l.api_base)
            );
        }
    }
    let _ = writeln!(
        out,
        "In use:     {}",
        match (source, usable) {
            (Some(s), _) => format!("{s} (it comes before the keyring)"),
            (None, true) => "the keyring's token".into(),
            (None, false) =>
                "nothing: commands will ask for WEBEX_ADMIN_TOKEN or --token-file".into(),
        }
    );
    crate::output::print_stdout(out.trim_end())?;
    Ok(usable)
}

pub fn logout(ctx: &Context) -> Result<(), CliError> {
    refuse_demo(ctx, "logout")?;
    let base = ctx.env.base.to_string();
    let whose = signin::kept(&base).ok().flatten().map(|l| l.actor());
    if signin::forget(&base)? {
        ctx.audit(crate::audit::Entry::new("logout").actor_if(whose.as_ref()));
        eprintln!("Signed out of {base}: its admin token was removed from the OS keyring.");
    } else {
        eprintln!("Nothing to sign out of: no admin token is kept for {base}.");
    }
    if let Some(source) = ctx.token_source() {
        eprintln!("note: {source} is still set here and commands still use it.");
    }
    Ok(())
}
