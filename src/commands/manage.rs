//! `list`, `show`, `rotate-secret` and `delete`: what was created, managed through the
//! experimental application endpoints (seen on commercial Webex; a 404/405 says "not available
//! on this environment" with what to do instead).

use std::fmt::Write as _;
use std::io::IsTerminal;

use serde_json::Value;

use super::Context;
use crate::cli::{AppType, DeleteArgs, ListArgs, RotateArgs, ShowArgs};
use crate::credentials::SavedCredentials;
use crate::error::{CliError, Ended};
use crate::output::print_stdout;
use crate::secrets::delivery::keep_raw_answer;
use crate::text::visible;

pub(super) fn text_of<'a>(app: &'a Value, key: &str) -> &'a str {
    app[key].as_str().unwrap_or("")
}

/// The one application `key` names: its ID, its client ID, or its exact name. A key that
/// matches more than one application, by any of these, is refused with the matches listed; a
/// missing field never matches; an application without an ID can't be acted on.
pub fn resolve(apps: &[Value], key: &str) -> Result<Value, CliError> {
    const FIELDS: [(&str, &str); 3] = [("id", "ID"), ("clientId", "client ID"), ("name", "name")];
    if key.trim().is_empty() {
        return Err(CliError::Usage(
            "APP is empty; give an application's ID, client ID or name (is a shell variable unset?)"
                .into(),
        ));
    }
    let matches: Vec<(&Value, &str)> = apps
        .iter()
        .filter_map(|a| {
            FIELDS
                .iter()
                .find(|(f, _)| !text_of(a, f).is_empty() && text_of(a, f) == key)
                .map(|(_, label)| (a, *label))
        })
        .collect();
    match matches.as_slice() {
        [(one, _)] if text_of(one, "id").is_empty() => Err(CliError::Usage(format!(
            "the application '{}' has no ID in Webex's answer, so nothing can be done with it here",
            visible(key)
        ))),
        [(one, _)] => Ok((*one).clone()),
        [] => Err(CliError::Usage(format!(
            "no application has the ID, client ID or name '{}' (webex-wizard list shows them)",
            visible(key)
        ))),
        many => Err(CliError::Usage(format!(
            "'{}' matches {} applications; give the ID of the one you mean:\n{}",
            visible(key),
            many.len(),
            many.iter()
                .map(|(a, by)| format!(
                    "  {}  '{}' (its {by})  created {}",
                    visible(text_of(a, "id")),
                    visible(text_of(a, "name")),
                    // To the second, as `list` shows it: Webex's nanoseconds say nothing here.
                    visible(text_of(a, "created"))
                        .chars()
                        .take(19)
                        .collect::<String>()
                ))
                .collect::<Vec<_>>()
                .join("\n")
        ))),
    }
}

pub(super) async fn find(
    ctx: &Context,
    key: &str,
) -> Result<(crate::webex::WebexClient, Value), CliError> {
    let client = ctx.client()?;
    let apps = client.list_applications(&ctx.admin_token()?).await?;
    let app = resolve(&apps, key)?;
    Ok((client, app))
}

fn count(app: &Value, key: &str) -> usize {
    app[key].as_array().map_or(0, Vec::len)
}

/// Who created an application, in words: the admin's e-mail when it is them, else the person
/// UUID inside the Webex ID (every Webex ID starts with the same base64 of
/// `ciscospark://…/PEOPLE/`, so the raw ID's start says nothing).
fn creator(created_by: &str, me: Option<&crate::webex::people::Person>) -> String {
    use base64::Engine;
    if let Some(me) = me.filter(|m| m.id == created_by)
        && let Some(email) = me.emails.first()
    {
        return email.clone();
    }
    let trimmed = created_by.trim_end_matches('=');
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(trimmed)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed))
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|uri| uri.starts_with("ciscospark://"))
        .and_then(|uri| uri.rsplit('/').next().map(str::to_owned))
        .unwrap_or_else(|| created_by.to_owned())
}

pub async fn list(ctx: &Context, args: &ListArgs) -> Result<Ended, CliError> {
    let client = ctx.client()?;
    let mut apps = client.list_applications(&ctx.admin_token()?).await?;
    apps.retain(|a| match args.app_type {
        AppType::All => true,
        AppType::Integration => text_of(a, "type") == "integration",
        AppType::Bot => text_of(a, "type") == "bot",
    });
    // Newest first (RFC 3339 times sort as text).
    apps.sort_by(|a, b| text_of(b, "created").cmp(text_of(a, "created")));
    let text = if args.json {
        crate::output::json_text(&apps) + "\n"
    } else if apps.is_empty() {
        "No applications.\n".to_owned()
    } else {
        let me = ctx.actor(&client).await;
        let set = secrets_set(ctx);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<28} {:<11} {:<20} {:<36} {:>4} {:>6}  {:<10}  CLIENT ID",
            "NAME", "TYPE", "CREATED", "BY", "URLS", "SCOPES", "SECRET SET"
        );
        for a in &apps {
            let name: String = visible(text_of(a, "name")).chars().take(28).collect();
            let by: String = visible(&creator(text_of(a, "createdBy"), me.as_ref()))
                .chars()
                .take(36)
                .collect();
            // The day this machine last set its secret (create or rotate-secret), if it did.
            let secret_set: String = set
                .get(text_of(a, "clientId"))
                .map_or_else(|| "?".to_owned(), |t| visible(t).chars().take(10).collect());
            let _ = writeln!(
                out,
                "{name:<28} {:<11} {:<20} {by:<36} {:>4} {:>6}  {secret_set:<10}  {}",
                visible(text_of(a, "type")),
                visible(text_of(a, "created"))
                    .chars()
                    .take(19)
                    .collect::<String>(),
                count(a, "redirectUrls"),
                count(a, "scopes"),
                visible(text_of(a, "clientId"))
            );
        }
        out
    };
    print_stdout(&text)?;
    Ok(Ended::Quit)
}

/// An application as lines of `label: value`.
fn describe(app: &Value) -> String {
    let mut out = String::new();
    for (label, key) in [
        ("Name", "name"),
        ("Type", "type"),
        ("ID", "id"),
        ("Client ID", "clientId"),
        ("Description", "description"),
        ("Contact", "contactEmail"),
        ("Company", "companyName"),
        ("Created", "created"),
        ("Created by", "createdBy"),
        ("Modified", "modified"),
    ] {
        if !text_of(app, key).is_empty() {
            let _ = writeln!(out, "{label:<14}{}", visible(text_of(app, key)));
        }
    }
    for (label, key) in [("Redirect URLs", "redirectUrls"), ("Scopes", "scopes")] {
        let _ = writeln!(out, "{label}:");
        for v in app[key].as_array().into_iter().flatten() {
            let _ = writeln!(out, "  {}", visible(v.as_str().unwrap_or("")));
        }
    }
    out
}

pub async fn show(ctx: &Context, args: &ShowArgs) -> Result<Ended, CliError> {
    let (client, app) = find(ctx, &args.app.app).await?;
    let app = client
        .get_application(&ctx.admin_token()?, text_of(&app, "id"))
        .await?;
    let text = if args.json {
        crate::output::json_text(&app) + "\n"
    } else {
        let mut text = describe(&app);
        if text_of(&app, "type") != "bot" {
            let set = secrets_set(ctx);
            let _ = writeln!(
                text,
                "{:<14}{}",
                "Secret set",
                set.get(text_of(&app, "clientId")).map_or_else(
                    || "not in this machine's audit trail".to_owned(),
                    |t| visible(t).chars().take(19).collect::<String>()
                )
            );
        }
        text
    };
    print_stdout(&text)?;
    Ok(Ended::Quit)
}

/// When each client's secret was last set, as far as this machine's audit trail knows.
fn secrets_set(ctx: &Context) -> std::collections::HashMap<String, String> {
    crate::audit::read(&ctx.audit_log.path)
        .map(|t| t.secrets_set())
        .unwrap_or_default()
}

pub async fn rotate_secret(ctx: &Context, args: &RotateArgs) -> Result<Ended, CliError> {
    super::check_save(args.save.as_deref())?;
    let mut handoff = super::handoff::recipients(&args.handoff_to, &[])?;
    let (client, app) = find(ctx, &args.app.app).await?;
    if args.handoff_again {
        // Checked before anything is sent: the same people, by their recorded public keys.
        let client_id = text_of(&app, "clientId");
        let keys = crate::audit::read(&ctx.audit_log.path)
            .ok()
            .and_then(|t| t.last_handoff_keys(client_id))
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "--handoff-again: the audit trail ({}) records no hand-off of {} with its recipients' keys; nothing was rotated (name them with --handoff-to)",
                    ctx.audit_log.path.display(),
                    visible(client_id)
                ))
            })?;
        let again = super::handoff::recipients(&keys, &[])?;
        eprintln!(
            "The new secret goes again to: {}.",
            crate::secrets::fingerprints(&again).join(", ")
        );
        handoff.extend(again);
    }
    let token = ctx.admin_token()?;
    eprintln!(
        "This gives '{}' ({}) a new client secret: the old one stops working at once, for every developer and copy that has it.",
        visible(text_of(&app, "name")),
        visible(text_of(&app, "clientId"))
    );
    let superseded = crate::credentials::files_of_client(&ctx.dirs, text_of(&app, "clientId"));
    if !superseded.is_empty() {
        eprintln!("These saved files hold the old secret and will be superseded:");
        for f in &superseded {
            eprintln!("  {}", f.display());
        }
    }
    if !args.yes {
        confirm_by_typing(&app, "rotate its secret", "rotated")?;
    }
    let me = ctx.actor(&client).await;
    let (done, signal) = crate::secrets::shield::shield(
        async {
            let rotated = client.rotate_secret(&token, &app).await;
            let audit = crate::audit::Entry::new("rotate-secret")
                .with_file(&app)
                .actor_if(me.as_ref());
            let audit = audit.outcome(&rotated);
            // The new secret is kept before the audit line is written.
            let record = || ctx.audit(audit);
            if rotated.is_ok() && !superseded.is_empty() {
                eprintln!("Superseded (they hold the old secret; replace or delete them):");
                for f in &superseded {
                    eprintln!("  {}", f.display());
                }
            }
            match rotated {
                Ok(integration) => {
                    let saved = SavedCredentials {
                        api_base: ctx.env.base.to_string(),
                        integration: integration.value,
                    };
                    let delivered = super::create::deliver(
                        ctx,
                        args.json,
                        args.save.as_deref(),
                        &handoff,
                        &saved,
                        crate::webex::OneTime::Rotation,
                        record,
                    );
                    // Kept: now prove it works, with the newest saved refresh token.
                    if delivered.is_ok() {
                        super::tokens::prove_new_secret(ctx, &saved).await;
                    }
                    delivered
                }
                Err(e) => {
                    let kept = keep_raw_answer(&ctx.dirs.recovery(), e);
                    record();
                    Err(kept.into())
                }
            }
        },
        "Waiting for Webex's answer so that the new secret is kept (at most the request timeout).",
        || eprintln!("Left without Webex's answer: the secret of '{}' may have been rotated already; the old one may no longer work.", text_of(&app, "name")),
    )
    .await;
    done?;
    Ok(signal.map_or(Ended::Quit, Ended::Signal))
}

/// Ask for the application's name (its ID when it has none) to be typed before `verb`ing it;
/// never a bare Enter. Without a terminal the caller needs `--yes`.
fn confirm_by_typing(app: &Value, verb: &str, done: &str) -> Result<(), CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(format!(
            "nothing was {done}: without a terminal, add --yes to {verb}"
        )));
    }
    let name = text_of(app, "name");
    let (what, expected) = if name.is_empty() {
        ("ID", text_of(app, "id"))
    } else {
        ("name", name)
    };
    let typed = super::ask(&format!(
        "Type the {what} ({}) to {verb}: ",
        visible(expected)
    ))?;
    if typed.is_empty() || typed != expected {
        return Err(CliError::Usage(format!(
            "the {what} did not match; nothing was {done}"
        )));
    }
    Ok(())
}

pub async fn delete(ctx: &Context, args: &DeleteArgs) -> Result<Ended, CliError> {
    let (client, app) = find(ctx, &args.app.app).await?;
    let name = text_of(&app, "name").to_owned();
    eprint!("This deletes:\n{}", describe(&app));
    eprintln!(
        "A deleted application can't be restored: its client ID stops working for every developer and user."
    );
    if !args.yes {
        confirm_by_typing(&app, "delete it", "deleted")?;
    }
    let me = ctx.actor(&client).await;
    let deleted = client
        .delete_application(&ctx.admin_token()?, text_of(&app, "id"))
        .await;
    let audit = crate::audit::Entry::new("delete")
        .with_file(&app)
        .actor_if(me.as_ref());
    ctx.audit(audit.outcome(&deleted));
    deleted?;
    eprintln!("Deleted '{}'.", visible(&name));
    Ok(Ended::Quit)
}
