//! The effects of managing applications and creating bots: network calls on tokio tasks,
//! files right away, every result back as a [`Message`].

use tokio::sync::mpsc::UnboundedSender;

use super::effects::Effect;
use super::message::{Created, Message};
use crate::credentials::SavedCredentials;
use crate::env::Dirs;
use crate::files;
use crate::webex::WebexClient;

pub(super) fn run(client: &WebexClient, dirs: &Dirs, tx: UnboundedSender<Message>, effect: Effect) {
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
        Effect::RotateSecret { token, id } => {
            let client = client.clone();
            let dirs = dirs.clone();
            tokio::spawn(async move {
                let result = client
                    .rotate_secret(&token, &id)
                    .await
                    .map_err(|e| crate::handover::keep_raw_answer(&dirs.recovery(), e))
                    .map(|integration| kept(&client, &dirs, integration));
                send(Message::Rotated(Box::new(result)));
            });
        }
        Effect::DeleteApplication { token, id, name } => {
            let client = client.clone();
            tokio::spawn(async move {
                let result = client.delete_application(&token, &id).await.map(|()| name);
                send(Message::Deleted(result));
            });
        }
        Effect::CreateBot { token, draft } => {
            let client = client.clone();
            let dirs = dirs.clone();
            tokio::spawn(async move {
                let result = client
                    .create_bot(&token, &draft)
                    .await
                    .map_err(|e| crate::handover::keep_raw_answer(&dirs.recovery(), e))
                    .map(|bot| {
                        // Before anything is drawn: a crash from here on loses nothing.
                        let recovery = files::save_recovery(
                            &dirs.recovery(),
                            "bot",
                            "json",
                            &bot.to_file_bytes(client.base().as_str()),
                        );
                        (bot, recovery)
                    });
                send(Message::BotCreated(Box::new(result)));
            });
        }
        Effect::SaveBot(job) => {
            let (bot, base) = *job;
            send(Message::BotSaved(crate::bot::save_default(
                &bot, &base, dirs,
            )));
        }
        Effect::UpdateApplication { token, id, draft } => {
            let client = client.clone();
            tokio::spawn(async move {
                let result = client
                    .update_application(&token, &id, &draft.to_request_value())
                    .await;
                send(Message::Updated(result));
            });
        }
        Effect::HandOff { recipient, saved } => {
            send(Message::HandedOff(hand_off(dirs, &recipient, &saved)));
        }
        _ => {}
    }
}

/// Write the hand-off of `saved` for `recipient` beside where the wizard saves credentials.
fn hand_off(
    dirs: &Dirs,
    recipient: &str,
    saved: &SavedCredentials,
) -> Result<(std::path::PathBuf, String), String> {
    let recipients = crate::handoff::parse_recipient(recipient)?;
    let dir = dirs.credentials();
    files::ensure_private_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let near = dir.join(crate::credentials::default_file_name(&saved.integration));
    let out = crate::handoff::default_out(&near);
    crate::handoff::write_for(&saved.to_json_bytes(), &recipients, false, &out)
        .map_err(|e| e.to_string())?;
    let prints: Vec<&str> = recipients.iter().map(|r| r.fingerprint.as_str()).collect();
    Ok((out, prints.join(", ")))
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
    let recovery = files::save_recovery(
        &dirs.recovery(),
        "credentials",
        "json",
        &saved.to_json_bytes(),
    );
    Created { saved, recovery }
}
