//! `webex-wizard bot create`: a bot, checked before sending, whose one-time `botToken` is
//! handed over like a client secret (recovery copy first, printed once, `--save`).

use secrecy::ExposeSecret;

use super::Context;
use crate::bot::{Avatar, BotDraft, CreatedBot, read_avatar};
use crate::cli::BotCreateArgs;
use crate::error::{CliError, Ended};
use crate::files;
use crate::output::print_stdout;
use crate::secrets::delivery::{Handover, keep_raw_answer};
use crate::text::visible;
use crate::webex::OneTime;
use crate::webex::Operation;

/// What `bot create` was given, for the wizard to finish: `bot create` in a terminal with
/// fields missing or invalid opens the wizard's bot form with them filled in. Not with
/// `--no-input`, nor with a script's flags (`--json`, `--dry-run`, `--save`, `--handoff-to`).
pub fn to_finish_in_wizard(args: &BotCreateArgs) -> Option<crate::bot::BotPrefill> {
    if !super::may_ask(
        args.no_input
            || args.json
            || args.dry_run
            || args.save.is_some()
            || !args.handoff_to.is_empty(),
    ) {
        return None;
    }
    if draft(args).is_ok() {
        return None;
    }
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    Some(crate::bot::BotPrefill {
        name: text(&args.name),
        bot_email: text(&args.bot_email),
        description: text(&args.description),
        contact_email: text(&args.contact_email),
        avatar: args
            .avatar_url
            .clone()
            .or_else(|| args.avatar_file.as_ref().map(|p| p.display().to_string()))
            .unwrap_or_default(),
    })
}

fn draft(args: &BotCreateArgs) -> Result<BotDraft, CliError> {
    // Every problem at once, the avatar's among them.
    let (avatar, avatar_problem) = match (&args.avatar_url, &args.avatar_file) {
        (Some(url), _) => (Avatar::Url(url.clone()), None),
        (None, Some(path)) => match read_avatar(path) {
            Ok(avatar) => (avatar, None),
            Err(e) => (Avatar::Url(String::new()), Some(format!("--avatar-file: {e}"))),
        },
        (None, None) => (
            Avatar::Url(String::new()),
            Some("--avatar-url or --avatar-file: Webex needs an avatar for a bot (an https URL, or a local PNG, JPEG or GIF)".to_owned()),
        ),
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let draft = BotDraft {
        name: text(&args.name),
        bot_email: text(&args.bot_email),
        description: text(&args.description),
        contact_email: text(&args.contact_email),
        avatar,
    };
    let mut problems = draft.problems();
    if let Some(p) = avatar_problem {
        problems.retain(|p| !p.starts_with("--avatar-url"));
        problems.push(p);
    }
    if problems.is_empty() {
        Ok(draft)
    } else {
        Err(CliError::Usage(format!(
            "nothing was sent, because the bot is not valid:\n{}",
            problems
                .iter()
                .map(|p| format!("  - {p}"))
                .collect::<Vec<_>>()
                .join("\n")
        )))
    }
}

pub async fn create(ctx: &Context, args: &BotCreateArgs) -> Result<Ended, CliError> {
    let draft = draft(args)?;
    if args.dry_run {
        let doc = serde_json::json!({
            "method": "POST",
            "url": ctx.env.base.join("/applications"),
            "contentType": if matches!(draft.avatar, Avatar::Url(_)) { "application/json" } else { "multipart/form-data" },
            "body": draft.describe_request(),
        });
        print_stdout(&(crate::output::json_text(&doc) + "\n"))?;
        eprintln!("Dry run: nothing was sent.");
        return Ok(Ended::Quit);
    }
    super::check_save(args.save.as_deref())?;
    let handoff = super::handoff::recipients(&args.handoff_to, &[])?;
    let token = ctx.admin_token()?;
    let client = ctx.client()?;
    let me = client.people_me(&token, Operation::CheckAdminToken).await?;
    eprintln!("  The admin token belongs to {}.", visible(&me.describe()));
    eprintln!("Creating the bot {} ...", visible(draft.bot_email.trim()));
    let (done, signal) = crate::secrets::shield::shield(
        async {
            let bot = client.create_bot(&token, &draft).await;
            let audit = crate::audit::Entry::new("bot create").actor(&me);
            let audit = match &bot {
                Ok(b) => audit.with_file(&serde_json::to_value(&b.value).unwrap_or_default()),
                Err(_) => audit.application(None, None, Some(draft.name.trim())),
            }
            .outcome(&bot);
            // The token is kept before the audit line is written.
            let record = || ctx.audit(audit);
            match bot {
                Ok(bot) => deliver(ctx, args, &handoff, &bot.value, record),
                Err(e) => {
                    let kept = keep_raw_answer(&ctx.dirs.recovery(), e);
                    record();
                    Err(kept.into())
                }
            }
        },
        "Waiting for Webex's answer so that the one-time bot token is kept (at most the request timeout).",
        || eprintln!("Left without Webex's answer: the bot {} may exist; check before creating it again.", draft.bot_email.trim()),
    )
    .await;
    done?;
    Ok(signal.map_or(Ended::Quit, Ended::Signal))
}

fn deliver(
    ctx: &Context,
    args: &BotCreateArgs,
    handoff: &[crate::secrets::sealed::Recipient],
    bot: &CreatedBot,
    kept: impl FnOnce(),
) -> Result<(), CliError> {
    let keep = bot.to_file_bytes(ctx.env.base.as_str());
    let handover = Handover::start(&ctx.dirs.recovery(), OneTime::Bot, &keep);
    kept();
    let text = if args.json {
        crate::output::json_text(&bot.to_json_exposing_token())
    } else {
        eprintln!(
            "Created the bot '{}'.",
            visible(
                bot.name
                    .as_deref()
                    .unwrap_or(args.name.as_deref().unwrap_or_default().trim())
            )
        );
        format!(
            "Bot e-mail:  {}\nBot token:   {}",
            visible(
                bot.bot_email
                    .as_deref()
                    .unwrap_or(args.bot_email.as_deref().unwrap_or_default().trim())
            ),
            visible(bot.bot_token.expose_secret())
        )
    };
    let printed = handover.print(&text);
    if printed.result.is_ok() {
        eprintln!(
            "The bot token is shown only this once. Store it now (a password manager, or --save)."
        );
    }
    let stored = args.save.as_ref().map(|path| {
        files::write_new_private(path, &keep).map(|()| {
            eprintln!(
                "Saved the bot and its token to {}.",
                crate::files::saved_where(path)
            );
            path.clone()
        })
    });
    let handed = super::handoff::hand_off_created(
        ctx,
        handoff,
        &keep,
        args.save.as_deref(),
        &crate::bot::default_file_name(bot),
        crate::audit::Entry::new("handoff")
            .with_file(&serde_json::to_value(bot).unwrap_or_default()),
    );
    handover.finish(Some(&printed), stored.or(handed))
}
