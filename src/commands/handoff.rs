//! `webex-wizard handoff`: a credentials file, encrypted for the developers who need it (the
//! age format), and the hand-off written right after `create`, `rotate-secret` or `bot create`.

use std::path::{Path, PathBuf};

use super::Context;
use crate::cli::HandoffArgs;
use crate::error::{CliError, Ended};
use crate::files::SaveError;
use crate::secrets::sealed::{self as handoff, Recipient};

/// The recipients of `--to`/`--handoff-to` and `--to-file`, or a usage error (nothing sent).
pub fn recipients(to: &[String], to_files: &[PathBuf]) -> Result<Vec<Recipient>, CliError> {
    handoff::recipients(to, to_files).map_err(|e| CliError::Usage(format!("hand-off: {e}")))
}

/// After a create, a rotation or a bot: write the hand-off of `plain` for `recipients` (none:
/// nothing to do) beside the `--save` file, or as `default_name` in the data folder's
/// credentials, and audit it with `entry`'s application fields. A written hand-off counts as
/// the secret being stored.
pub fn hand_off_created(
    ctx: &Context,
    recipients: &[Recipient],
    plain: &[u8],
    save: Option<&Path>,
    default_name: &str,
    entry: crate::audit::Entry,
) -> Option<Result<PathBuf, SaveError>> {
    if recipients.is_empty() {
        return None;
    }
    let written = crate::secrets::hand_off(&ctx.dirs, recipients, plain, save, default_name);
    let prints = crate::secrets::fingerprints(recipients);
    match &written {
        Ok(out) => eprintln!(
            "Wrote the hand-off {} (age, mode 0600) for {}.",
            out.display(),
            prints.join(", ")
        ),
        Err(e) => eprintln!("The hand-off could not be written: {e}"),
    }
    let entry = entry
        .recipients(&prints)
        .recipient_keys(&crate::secrets::public_keys(recipients));
    ctx.audit(match &written {
        Ok(_) => entry,
        Err(_) => entry.failed_locally("not-written"),
    });
    Some(written)
}

pub fn run(ctx: &Context, args: &HandoffArgs) -> Result<Ended, CliError> {
    let recipients = recipients(&args.to, &args.to_file)?;
    let plain = handoff::read_plain(&args.credentials, args.identity.as_deref())?;
    // It must be what it says: a credentials or bot file of ours.
    let value: serde_json::Value = serde_json::from_slice(&plain).map_err(|e| {
        CliError::Usage(format!(
            "{} is not a webex-wizard credentials file: {e}",
            args.credentials.display()
        ))
    })?;
    if value.get("clientSecret").is_none() && value.get("botToken").is_none() {
        return Err(CliError::Usage(format!(
            "{} holds no client secret or bot token to hand over",
            args.credentials.display()
        )));
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| handoff::default_out(&args.credentials));
    handoff::write_for(&plain, &recipients, args.armor, &out).map_err(CliError::NotWritten)?;
    let prints: Vec<&str> = recipients.iter().map(|r| r.fingerprint.as_str()).collect();
    eprintln!(
        "Wrote {} (age{}, mode 0600) for {}.",
        out.display(),
        if args.armor { ", armored" } else { "" },
        prints.join(", ")
    );
    eprintln!(
        "The developer reads it with: age -d -i KEY {} (or --credentials with --identity KEY)",
        out.display()
    );
    // Nothing is sent: the line says which Webex the file was saved for, not the options'.
    let mut entry = crate::audit::Entry::new("handoff")
        .with_file(&value)
        .recipients(&prints)
        .recipient_keys(&crate::secrets::public_keys(&recipients));
    if let Some(base) = value["apiBase"]
        .as_str()
        .and_then(|b| crate::env::ApiBase::parse(b).ok())
    {
        let env = crate::env::Environment::for_base(base.clone());
        entry = entry.at(env.label(), base.as_str());
    }
    ctx.audit(entry);
    println!("{}", out.display());
    Ok(Ended::Quit)
}
