//! `authorizations list` and `authorizations revoke`: a user's grants to integrations, and
//! ending them (their access and refresh tokens stop working).

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};

use serde_json::Value;

use super::Context;
use crate::cli::{AuthorizationsListArgs, AuthorizationsRevokeArgs};
use crate::error::{CliError, Ended};
use crate::output::print_stdout;
use crate::text::visible;
use crate::webex::authorizations::RevokeTarget;

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

pub async fn list(ctx: &Context, args: &AuthorizationsListArgs) -> Result<Ended, CliError> {
    let (key, value) = match (&args.person_email, &args.person_id) {
        (Some(e), _) => ("personEmail", e.as_str()),
        (None, Some(id)) => ("personId", id.as_str()),
        (None, None) => return Err(CliError::Usage("give --person-email or --person-id".into())),
    };
    let items = ctx
        .client()?
        .list_authorizations(&ctx.admin_token()?, key, value)
        .await?;
    let out = if args.json {
        crate::output::json_text(&items) + "\n"
    } else if items.is_empty() {
        format!("No authorizations for {}.\n", visible(value))
    } else {
        let mut out = format!(
            "{:<28} {:<8} {:<20} {:<66} ID\n",
            "APPLICATION", "TYPE", "CREATED", "CLIENT ID"
        );
        for a in &items {
            let _ = writeln!(
                out,
                "{:<28} {:<8} {:<20} {:<66} {}",
                visible(text(a, "applicationName"))
                    .chars()
                    .take(28)
                    .collect::<String>(),
                visible(text(a, "type")),
                visible(text(a, "created"))
                    .chars()
                    .take(19)
                    .collect::<String>(),
                visible(text(a, "clientId")),
                visible(text(a, "id"))
            );
        }
        out
    };
    print_stdout(out.trim_end())?;
    Ok(Ended::Quit)
}

pub async fn revoke(ctx: &Context, args: &AuthorizationsRevokeArgs) -> Result<Ended, CliError> {
    let (target, what) = match (&args.id, &args.client_id) {
        (Some(id), _) => (
            RevokeTarget::Id(id.clone()),
            format!("the authorization {}", visible(id)),
        ),
        (None, Some(c)) => (
            RevokeTarget::Client {
                client_id: c.clone(),
                org_id: args.org_id.clone(),
            },
            format!(
                "every authorization of the client {}{}",
                visible(c),
                args.org_id
                    .as_deref()
                    .map(|o| format!(" in the organization {}", visible(o)))
                    .unwrap_or_default()
            ),
        ),
        (None, None) => return Err(CliError::Usage("give --id or --client-id".into())),
    };
    eprintln!(
        "This revokes {what}: its access and refresh tokens stop working, and the user must authorize again."
    );
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(CliError::Usage(
                "nothing was revoked: without a terminal, add --yes to revoke".into(),
            ));
        }
        eprint!("Revoke? [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(CliError::Terminal)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return Err(CliError::Usage("nothing was revoked".into()));
        }
    }
    let client = ctx.client()?;
    let me = ctx.actor(&client).await;
    let revoked = client
        .revoke_authorizations(&ctx.admin_token()?, &target)
        .await;
    let audit = match &target {
        RevokeTarget::Id(id) => crate::audit::Entry::new("revoke").tracking_target(id),
        RevokeTarget::Client { client_id, .. } => {
            crate::audit::Entry::new("revoke").application(None, Some(client_id), None)
        }
    }
    .actor_if(me.as_ref());
    ctx.audit(audit.outcome(&revoked));
    revoked?;
    eprintln!("Revoked {what}.");
    Ok(Ended::Quit)
}
