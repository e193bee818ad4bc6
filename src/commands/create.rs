//! `webex-wizard create`: create an integration from flags or a JSON file.

use secrecy::ExposeSecret;

use super::Context;
use crate::catalog::Catalog;
use crate::cli::CreateArgs;
use crate::credentials::SavedCredentials;
use crate::error::{CliError, Ended};
use crate::integration::{DraftFile, IntegrationDraft};
use crate::output::print_stdout;
use crate::secrets::delivery::{Handover, keep_raw_answer};
use crate::text::visible;
use crate::validate::{self, Problem};
use crate::webex::{OneTime, Operation};

/// The draft from `--from` (if any) with the flags laid over it.
pub fn build_draft(args: &CreateArgs) -> Result<IntegrationDraft, CliError> {
    let file = match &args.from {
        Some(path) => {
            let text = crate::platform::read_limited(path, crate::platform::limits::DOCUMENT)
                .map_err(|source| CliError::ReadFile {
                    path: path.clone(),
                    source,
                })?;
            let text = String::from_utf8(text)
                .map_err(|_| CliError::Usage(format!("{} is not UTF-8 text", path.display())))?;
            let file: DraftFile = serde_json::from_str(&text).map_err(|e| {
                CliError::Usage(format!(
                    "{} is not a valid integration body: {e}",
                    path.display()
                ))
            })?;
            if let Some(kind) = file.kind.as_deref().filter(|k| *k != "integration") {
                return Err(CliError::Usage(format!(
                    "{}: type is '{kind}'; webex-wizard creates integrations (type 'integration')",
                    path.display()
                )));
            }
            file
        }
        None => DraftFile::default(),
    };
    let pick = |flag: &Option<String>, from_file: Option<String>| {
        flag.clone().or(from_file).unwrap_or_default()
    };
    let list = |flags: &Vec<String>, from_file: Option<Vec<String>>| {
        if flags.is_empty() {
            from_file.unwrap_or_default()
        } else {
            flags.clone()
        }
    };
    Ok(IntegrationDraft {
        name: pick(&args.name, file.name),
        description: pick(&args.description, file.description),
        contact_email: pick(&args.contact_email, file.contact_email),
        company_name: args
            .company
            .clone()
            .or(file.company_name)
            .filter(|c| !c.trim().is_empty()),
        redirect_urls: {
            let urls = list(&args.redirect_urls, file.redirect_urls);
            if args.device_login {
                crate::oauth::device::with_helpers(&urls)
            } else {
                urls
            }
        },
        scopes: list(&args.scopes, file.scopes),
    })
}

/// Check `draft` with create's rules: warnings go to stderr, errors refuse it (nothing sent).
pub(super) fn checked(draft: &IntegrationDraft) -> Result<(), CliError> {
    let (errors, warnings): (Vec<Problem>, Vec<Problem>) =
        validate::validate(draft, Catalog::embedded())
            .into_iter()
            .partition(Problem::is_error);
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CliError::Invalid(errors))
    }
}

/// `--dry-run`: the request and its cURL, nothing sent.
fn dry_run(ctx: &Context, args: &CreateArgs, draft: &IntegrationDraft) -> Result<Ended, CliError> {
    let curl = draft.curl_command(&ctx.env.base);
    let text = if args.json {
        let doc = serde_json::json!({
            "method": "POST",
            "url": ctx.env.base.join("/applications"),
            "body": draft.to_request_value(),
            "curl": curl,
        });
        crate::output::json_text(&doc)
    } else {
        format!("{}\n\n{curl}", draft.to_request_json_pretty())
    };
    print_stdout(&text)?;
    if ctx.is_demo() {
        eprintln!(
            "The cURL above is aimed at this command's own embedded sandbox, which stops when it ends: to send it, start one with 'webex-wizard sandbox' and use its API base and admin token."
        );
    }
    eprintln!("Dry run: nothing was sent.");
    Ok(Ended::Quit)
}

/// The draft to finish in the wizard: `create` in a terminal (standard input and output), with
/// fields missing or invalid, opens the wizard with what was given filled in, as gh and okta
/// ask instead of refusing. Not with `--no-input`, nor with the flags that make it a script's
/// run (`--json`, `--dry-run`, `--save`, `--handoff-to`): those keep the error list and exit 2.
pub fn to_finish_in_wizard(
    args: &CreateArgs,
    policy: &crate::policy::Policy,
) -> Result<Option<IntegrationDraft>, CliError> {
    if !super::may_ask(
        args.no_input
            || args.json
            || args.dry_run
            || args.save.is_some()
            || !args.handoff_to.is_empty(),
    ) {
        return Ok(None);
    }
    let draft = build_draft(args)?;
    let incomplete = validate::validate(&draft, Catalog::embedded())
        .iter()
        .any(Problem::is_error);
    // Broad scopes without a reason: the wizard's Review asks for it (a denied scope is
    // refused here as in a script).
    let verdict = policy.judge(&draft.scopes, None, args.justification.as_deref());
    let reason_missing = verdict.refusals.is_empty() && verdict.reason_needed.is_some();
    Ok((incomplete || reason_missing).then_some(draft))
}

/// The policy's refusals of `scopes` (new, or replacing `before`), as one usage error naming
/// each rule.
pub(super) fn allowed_by_policy(
    ctx: &Context,
    scopes: &[String],
    before: Option<&[String]>,
    justification: Option<&str>,
) -> Result<(), CliError> {
    let refusals = ctx.policy.judge(scopes, before, justification).all();
    if refusals.is_empty() {
        return Ok(());
    }
    Err(CliError::Usage(format!(
        "nothing was sent, because the scope policy refuses it:\n{}",
        refusals
            .iter()
            .map(|r| format!("  - {r}"))
            .collect::<Vec<_>>()
            .join("\n")
    )))
}

pub async fn run(ctx: &Context, args: &CreateArgs) -> Result<Ended, CliError> {
    let draft = build_draft(args)?;
    checked(&draft)?;
    allowed_by_policy(ctx, &draft.scopes, None, args.justification.as_deref())?;
    if ctx.env.cloud == crate::env::Cloud::Fedramp || (ctx.is_demo() && ctx.sandbox_is_fedramp()) {
        for w in validate::fedramp_warnings(&draft, Catalog::embedded()) {
            eprintln!("warning: {w}");
        }
    }
    if args.dry_run {
        return dry_run(ctx, args, &draft);
    }
    super::check_save(args.save.as_deref())?;
    // Checked before sending: a recipient that can't be used refuses the create.
    let handoff = super::handoff::recipients(&args.handoff_to, &[])?;
    let token = ctx.admin_token()?;
    let client = ctx.client()?;

    eprintln!(
        "Checking the admin token on {} ({}) ...",
        ctx.env.base,
        ctx.env.label()
    );
    // One after the other, on one connection (over TLS, one handshake for the three
    // requests). The list warns of a second application of the same name before sending;
    // where it isn't offered, nothing is said.
    let me = client.people_me(&token, Operation::CheckAdminToken).await?;
    let existing = client.list_applications(&token).await;
    eprintln!("  The token belongs to {}.", visible(&me.describe()));
    if let Some(warning) = existing
        .ok()
        .and_then(|apps| crate::integration::same_name_warning(&apps, &draft.name))
    {
        eprintln!("warning: {warning}");
    }
    eprintln!("Creating the integration '{}' ...", draft.name.trim());
    let (done, signal) = crate::secrets::shield::shield(
        async {
            let created = client.create_integration(&token, &draft).await;
            let audit = crate::audit::Entry::new("create")
                .actor(&me)
                .justification(args.justification.as_deref());
            let audit = match &created {
                Ok(c) => audit.with_file(&serde_json::to_value(&c.value).unwrap_or_default()),
                Err(_) => audit.application(None, None, Some(draft.name.trim())),
            }
            .outcome(&created);
            // The secret is kept (its recovery copy) before anything else is written: an audit
            // log that can't be written must not stand between it and the user.
            let record = || ctx.audit(audit);
            match created {
                Ok(integration) => {
                    let saved = SavedCredentials {
                        api_base: ctx.env.base.to_string(),
                        integration: integration.value,
                    };
                    deliver(
                        ctx,
                        args.json,
                        args.save.as_deref(),
                        &handoff,
                        &saved,
                        OneTime::Integration,
                        record,
                    )
                }
                Err(e) => {
                    let kept = keep_raw_answer(&ctx.dirs.recovery(), e);
                    record();
                    Err(kept.into())
                }
            }
        },
        "Waiting for Webex's answer so that the one-time secret is kept (at most the request timeout).",
        || match crate::draft::note_pending_create(&ctx.dirs, draft.name.trim(), ctx.env.base.as_str()) {
            Ok(path) => eprintln!(
                "Left without Webex's answer: the integration '{}' may exist. A note is in {}; check Control Hub before creating it again.",
                draft.name.trim(),
                path.display()
            ),
            Err(e) => eprintln!(
                "Left without Webex's answer: the integration '{}' may exist (the note could not be written: {e}). Check Control Hub before creating it again.",
                draft.name.trim()
            ),
        },
    )
    .await;
    done?;
    Ok(signal.map_or(Ended::Quit, Ended::Signal))
}

/// Hand a one-time secret over (after create or rotation): a recovery copy first, then
/// standard output and `--save`. `what` says what happened (a create or a rotation);
/// `kept` runs once the recovery copy is written (the audit line: after the secret is safe,
/// before the hand-off it causes).
pub(super) fn deliver(
    ctx: &Context,
    json: bool,
    save: Option<&std::path::Path>,
    handoff: &[crate::secrets::sealed::Recipient],
    saved: &SavedCredentials,
    what: OneTime,
    kept: impl FnOnce(),
) -> Result<(), CliError> {
    let done = match what {
        OneTime::Rotation => "Rotated the secret of",
        _ => "Created",
    };
    let keep = saved.to_json_bytes();
    let handover = Handover::start(&ctx.dirs.recovery(), what, &keep);
    kept();
    let integration = &saved.integration;
    let text = if json {
        crate::output::json_text(&integration.to_json_exposing_secret())
    } else {
        eprintln!(
            "{done} '{}'.",
            visible(integration.name.as_deref().unwrap_or("(unnamed)"))
        );
        format!(
            "Client ID:      {}\nClient secret:  {}",
            visible(&integration.client_id),
            visible(integration.client_secret.expose_secret())
        )
    };
    let printed = handover.print(&text);
    if printed.result.is_ok() {
        eprintln!(
            "The client secret is shown only this once: Webex can never show it again. Store it now (a password manager, or --save)."
        );
    }
    let stored = save.map(|path| {
        saved.save(path).map(|()| {
            eprintln!(
                "Saved the client ID and secret to {}.",
                crate::files::saved_where(path)
            );
            path.to_owned()
        })
    });
    let i = &saved.integration;
    let handed = super::handoff::hand_off_created(
        ctx,
        handoff,
        &keep,
        save,
        &crate::credentials::default_file_name(i),
        crate::audit::Entry::new("handoff").application(
            i.id.as_deref(),
            Some(&i.client_id),
            i.name.as_deref(),
        ),
    );
    handover.finish(Some(&printed), stored.or(handed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("body.json");
        std::fs::write(
            &path,
            r#"{"type":"integration","name":"From file","description":"d","contactEmail":"a@example.com","redirectUrls":["https://a.example/cb"],"scopes":["spark:all"]}"#,
        )
        .unwrap();
        let args = CreateArgs {
            from: Some(path),
            name: Some("From flag".into()),
            scopes: vec!["spark:people_read".into()],
            ..Default::default()
        };
        let draft = build_draft(&args).unwrap();
        assert_eq!(draft.name, "From flag");
        assert_eq!(draft.description, "d");
        assert_eq!(draft.scopes, ["spark:people_read"]);
        assert_eq!(draft.redirect_urls, ["https://a.example/cb"]);
    }

    #[test]
    fn a_bot_body_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bot.json");
        std::fs::write(&path, r#"{"type":"bot","name":"b"}"#).unwrap();
        let err = build_draft(&CreateArgs {
            from: Some(path),
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("type is 'bot'"), "{err}");
    }
}
