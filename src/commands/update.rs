//! `webex-wizard update APP`: read the application, apply the changes, show the difference,
//! check it with create's rules, and send the whole object (`PUT`, experimental). Never a secret.

use std::fmt::Write as _;

use serde_json::json;

use super::Context;
use super::manage::{find, text_of};
use crate::cli::UpdateArgs;
use crate::error::{CliError, Ended};
use crate::integration::IntegrationDraft;
use crate::output::print_stdout;
use crate::text::visible;

/// Apply the flags; an item to remove that isn't there, or to add that is, is a usage error.
pub fn apply(draft: &IntegrationDraft, args: &UpdateArgs) -> Result<IntegrationDraft, CliError> {
    let mut new = draft.clone();
    if let Some(v) = &args.name {
        new.name.clone_from(v);
    }
    if let Some(v) = &args.description {
        new.description.clone_from(v);
    }
    if let Some(v) = &args.contact_email {
        new.contact_email.clone_from(v);
    }
    if let Some(v) = &args.company {
        new.company_name = Some(v.clone()).filter(|c| !c.trim().is_empty());
    }
    edit(
        &mut new.redirect_urls,
        &args.add_redirect_urls,
        &args.remove_redirect_urls,
        "redirect URL",
    )?;
    if args.device_login {
        new.redirect_urls = crate::oauth::device::with_helpers(&new.redirect_urls);
    }
    edit(
        &mut new.scopes,
        &args.add_scopes,
        &args.remove_scopes,
        "scope",
    )?;
    Ok(new)
}

fn edit(
    list: &mut Vec<String>,
    add: &[String],
    remove: &[String],
    what: &str,
) -> Result<(), CliError> {
    for r in remove {
        let before = list.len();
        list.retain(|x| x != r);
        if list.len() == before {
            return Err(CliError::Usage(format!(
                "the {what} '{}' is not on the application",
                visible(r)
            )));
        }
    }
    for a in add {
        if list.contains(a) {
            return Err(CliError::Usage(format!(
                "the {what} '{}' is already on the application",
                visible(a)
            )));
        }
        list.push(a.clone());
    }
    Ok(())
}

pub async fn run(ctx: &Context, args: &UpdateArgs) -> Result<Ended, CliError> {
    let (client, listed) = find(ctx, &args.app.app).await?;
    let token = ctx.admin_token()?;
    let id = text_of(&listed, "id").to_owned();
    let app = client.get_application(&token, &id).await?;
    let old = IntegrationDraft::from_application(&app);
    let new = apply(&old, args)?;
    super::create::checked(&new)?;
    super::create::allowed_by_policy(
        ctx,
        &new.scopes,
        Some(&old.scopes),
        args.justification.as_deref(),
    )?;
    let diff = crate::integration::difference(&old, &new);
    if diff.is_empty() {
        eprintln!("Nothing to change: the application already is like that; nothing was sent.");
        return Ok(Ended::Quit);
    }
    let mut shown = format!("Changes to '{}':\n", visible(text_of(&app, "name")));
    for line in &diff {
        let _ = writeln!(shown, "  {line}");
    }
    eprint!("{shown}");
    let url = ctx.env.base.join(&format!("/applications/{id}"));
    if args.dry_run {
        let text = if args.json {
            crate::output::json_text(
                &json!({ "method": "PUT", "url": url, "body": new.to_request_value(), "changes": diff }),
            )
        } else {
            format!("PUT {url}\n{}", new.to_request_json_pretty())
        };
        print_stdout(&format!("{text}\n"))?;
        eprintln!("Dry run: nothing was sent.");
        return Ok(Ended::Quit);
    }
    let me = ctx.actor(&client).await;
    let updated = client
        .update_application(&token, &id, &new.to_request_value())
        .await;
    let audit = crate::audit::Entry::new("update")
        .with_file(&app)
        .actor_if(me.as_ref())
        .justification(args.justification.as_deref());
    ctx.audit(audit.outcome(&updated));
    let updated = updated?.value;
    if args.json {
        print_stdout(&(crate::output::json_text(&updated) + "\n"))?;
    }
    eprintln!("Updated '{}'.", visible(text_of(&updated, "name")));
    Ok(Ended::Quit)
}
