//! The effects of managing applications and creating bots: network calls on tokio tasks,
//! files right away, every result back as a [`Message`].

use tokio::sync::mpsc::UnboundedSender;

use super::effect::Effect;
use super::message::{Created, Message};
use crate::audit::AuditLog;
use crate::credentials::SavedCredentials;
use crate::env::Dirs;
use crate::webex::WebexClient;

/// Append `entry` for a call made with `client` to the session's audit log; a line that can't
/// be written is a log warning (the screen belongs to the wizard), never a reason to lose
/// anything.
pub(super) fn audit(to: &AuditLog, client: &WebexClient, entry: crate::audit::Entry) {
    if let Err(e) = to.write(client.base(), entry) {
        tracing::warn!(path = %to.path.display(), error = %e, "the audit line could not be written");
    }
}

#[expect(clippy::too_many_lines, reason = "one arm per effect, each short")]
pub(super) fn run(
    client: &WebexClient,
    dirs: &Dirs,
    audit_to: &AuditLog,
    tx: UnboundedSender<Message>,
    effect: Effect,
) {
    let log = audit_to.clone();
    let send = move |m: Message| {
        // The receiver only goes away when the wizard is closing.
        let _ = tx.send(m);
    };
    match effect {
        Effect::ListApplications(token) => {
            let client = client.clone();
            tokio::spawn(async move {
                send(Message::AppsListed(client.list_applications(&token).await));
            });
        }
        Effect::RotateSecret { token, application } => {
            let client = client.clone();
            let dirs = dirs.clone();
            tokio::spawn(async move {
                let result = client.rotate_secret(&token, &application).await;
                let id = application["id"].as_str().unwrap_or_default();
                let entry =
                    crate::audit::Entry::new("rotate-secret").application(Some(id), None, None);
                let entry = match &result {
                    Ok(c) => {
                        entry.application(None, Some(&c.value.client_id), c.value.name.as_deref())
                    }
                    Err(_) => entry,
                }
                .outcome(&result);
                // The new secret is kept before the audit line is written.
                let result = result
                    .map_err(|e| crate::secrets::delivery::keep_raw_answer(&dirs.recovery(), e))
                    .map(|integration| {
                        let mut created = kept(&client, &dirs, integration.value);
                        // A rotation supersedes the saved files of the old secret.
                        created.superseded = crate::credentials::files_of_client(
                            &dirs,
                            &created.saved.integration.client_id,
                        );
                        created
                    });
                audit(&log, &client, entry);
                send(Message::Rotated(Box::new(result)));
            });
        }
        Effect::DeleteApplication {
            token,
            id,
            client_id,
            name,
        } => {
            let client = client.clone();
            tokio::spawn(async move {
                let result = client.delete_application(&token, &id).await;
                let entry = crate::audit::Entry::new("delete").application(
                    Some(&id),
                    Some(&client_id),
                    Some(&name),
                );
                audit(&log, &client, entry.outcome(&result));
                let result = result.map(|_| name);
                send(Message::Deleted(result));
            });
        }
        Effect::CreateBot { token, draft } => {
            let client = client.clone();
            let dirs = dirs.clone();
            tokio::spawn(async move {
                let result = client.create_bot(&token, &draft).await;
                let entry = crate::audit::Entry::new("bot create");
                let entry = match &result {
                    Ok(b) => entry.with_file(&serde_json::to_value(&b.value).unwrap_or_default()),
                    Err(_) => entry.application(None, None, Some(draft.name.trim())),
                }
                .outcome(&result);
                let result = result
                    .map_err(|e| crate::secrets::delivery::keep_raw_answer(&dirs.recovery(), e))
                    .map(|bot| {
                        let bot = bot.value;
                        // Before anything is drawn: a crash from here on loses nothing.
                        let recovery = crate::secrets::delivery::keep_on_arrival(
                            &dirs.recovery(),
                            crate::webex::OneTime::Bot,
                            &bot.to_file_bytes(client.base().as_str()),
                        );
                        (bot, recovery)
                    });
                // The token is kept before the audit line is written.
                audit(&log, &client, entry);
                send(Message::BotCreated(Box::new(result)));
            });
        }
        Effect::SaveBot(job) => {
            let (bot, base) = *job;
            send(Message::BotSaved(crate::bot::save_default(
                &bot, &base, dirs,
            )));
        }
        Effect::UpdateApplication {
            token,
            id,
            client_id,
            draft,
            justification,
        } => {
            let client = client.clone();
            tokio::spawn(async move {
                let result = client
                    .update_application(&token, &id, &draft.to_request_value())
                    .await;
                let entry = crate::audit::Entry::new("update")
                    .application(Some(&id), Some(&client_id), Some(draft.name.trim()))
                    .justification(justification.as_deref());
                audit(&log, &client, entry.outcome(&result));
                send(Message::Updated(result.map(|updated| updated.value)));
            });
        }
        Effect::ListSavedTokens => {
            let dirs = dirs.clone();
            tokio::task::spawn_blocking(move || {
                send(Message::SavedTokensListed(crate::token_radar::scan(
                    &dirs,
                    &[dirs.tokens()],
                    &[],
                    time::OffsetDateTime::now_utc(),
                    crate::token_radar::soon(),
                )));
            });
        }
        Effect::RefreshSaved(row) => {
            let client = client.clone();
            let dirs = dirs.clone();
            tokio::spawn(async move {
                let credentials = crate::token_radar::credentials_of(&dirs, &row.client_id, None);
                let result = match credentials {
                    Err(why) => Err(format!(
                        "{why}; a hand-off: webex-wizard refresh --due --identity KEY"
                    )),
                    // Only to the base the file names when it is this session's own.
                    Ok((_, saved)) if saved.api_base != client.base().as_str() => Err(format!(
                        "its credentials are for {}, not this session's {}: use webex-wizard \
                            refresh --due",
                        crate::text::visible_line(&saved.api_base),
                        client.base()
                    )),
                    Ok((_, saved)) => {
                        crate::token_refresh::refresh_file(&client, &dirs, &log, &row, &saved)
                            .await
                            .map(|()| row.path.display().to_string())
                            .map_err(|e| e.to_string())
                    }
                };
                send(Message::SavedRefreshed(result));
            });
        }
        Effect::ProveSecret(saved) => {
            let client = client.clone();
            let dirs = dirs.clone();
            tokio::spawn(async move {
                let proof =
                    crate::token_refresh::prove_new_secret(&client, &dirs, &log, &saved).await;
                let works = matches!(proof, crate::token_refresh::Proof::Works(_));
                send(Message::SecretProven {
                    words: proof.words(),
                    works,
                });
            });
        }
        Effect::HandOff { recipient, of } => {
            let (result, entry) = hand_off(dirs, &recipient, &of);
            audit(&log, client, entry);
            send(Message::HandedOff(result));
        }
        // Run by the EffectRunner itself; listed so that a new effect needs a decision here.
        Effect::CheckToken(_)
        | Effect::Create { .. }
        | Effect::Copy(..)
        | Effect::SaveCredentials(_)
        | Effect::SaveDraft(_)
        | Effect::DiscardDraft
        | Effect::ScanTokens
        | Effect::NotePendingCreate(_)
        | Effect::RemoveRecovery(_)
        | Effect::Authorize(_)
        | Effect::DeviceLogin(_)
        | Effect::SubmitPaste(_)
        | Effect::CancelAuthorization
        | Effect::OpenBrowser(_)
        | Effect::SaveTokens { .. }
        | Effect::TestScopes { .. } => {}
    }
}

/// Write the hand-off of `of` for `recipient` where the wizard saves credentials: where it went
/// and for whom (fingerprints), and its audit line.
fn hand_off(
    dirs: &Dirs,
    recipient: &str,
    of: &super::effect::HandOffOf,
) -> (
    Result<(std::path::PathBuf, String), String>,
    crate::audit::Entry,
) {
    let entry = of.audit_entry();
    let recipients = match crate::secrets::sealed::parse_recipient(recipient) {
        Ok(r) => r,
        Err(e) => return (Err(e), entry.failed_locally("not-written")),
    };
    let written = crate::secrets::hand_off(dirs, &recipients, &of.plain(), None, &of.file_name())
        .map_err(|e| e.to_string());
    let prints = crate::secrets::fingerprints(&recipients);
    let entry = entry.recipient_keys(&crate::secrets::public_keys(&recipients));
    let entry = match &written {
        Ok(_) => entry.recipients(&prints),
        Err(_) => entry.failed_locally("not-written"),
    };
    (written.map(|out| (out, prints.join(", "))), entry)
}

/// A one-time secret that arrived (create or rotation), with its 0600 recovery copy written
/// before anything is drawn: a crash from here on loses nothing.
pub(super) fn kept(
    client: &WebexClient,
    dirs: &Dirs,
    integration: crate::webex::applications::CreatedIntegration,
) -> Created {
    let saved = SavedCredentials {
        api_base: client.base().to_string(),
        integration,
    };
    let recovery = crate::secrets::delivery::keep_on_arrival(
        &dirs.recovery(),
        crate::webex::OneTime::Integration,
        &saved.to_json_bytes(),
    );
    Created {
        saved,
        recovery,
        superseded: Vec::new(),
    }
}
