//! Side effects the update function asks for, run here: network calls on tokio tasks, file
//! and clipboard work right away. Every result comes back as a [`Message`].

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use secrecy::SecretString;
use tokio::sync::mpsc::UnboundedSender;

use super::message::{CopyTarget, Created, Message};
use crate::clipboard;
use crate::credentials::SavedCredentials;
use crate::draft;
use crate::env::Dirs;
use crate::files;
use crate::webex::applications::IntegrationDraft;
use crate::webex::{Operation, WebexClient};

/// What the update function wants done.
pub enum Effect {
    CheckToken(SecretString),
    Create {
        token: SecretString,
        draft: IntegrationDraft,
    },
    Copy(CopyTarget, SecretString),
    SaveCredentials(Box<SavedCredentials>),
    SaveDraft(IntegrationDraft),
    DiscardDraft,
    /// The user stored the credentials: the recovery copy has done its job.
    RemoveRecovery(PathBuf),
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Names only: effects carry tokens and secrets.
        let name = match self {
            Effect::CheckToken(_) => "CheckToken",
            Effect::Create { .. } => "Create",
            Effect::Copy(..) => "Copy",
            Effect::SaveCredentials(_) => "SaveCredentials",
            Effect::SaveDraft(_) => "SaveDraft",
            Effect::DiscardDraft => "DiscardDraft",
            Effect::RemoveRecovery(_) => "RemoveRecovery",
        };
        f.write_str(name)
    }
}

/// Where OSC 52 sequences go: the terminal, or a buffer in tests.
pub type TerminalSink = Arc<Mutex<dyn Write + Send>>;

/// Runs effects and reports back.
pub struct EffectRunner {
    client: WebexClient,
    dirs: Dirs,
    tx: UnboundedSender<Message>,
    terminal: TerminalSink,
    system_clipboard: bool,
}

impl EffectRunner {
    pub fn new(
        client: WebexClient,
        dirs: Dirs,
        tx: UnboundedSender<Message>,
        terminal: TerminalSink,
        system_clipboard: bool,
    ) -> Self {
        EffectRunner {
            client,
            dirs,
            tx,
            terminal,
            system_clipboard,
        }
    }

    pub fn run(&self, effect: Effect) {
        let tx = self.tx.clone();
        let send = move |m: Message| {
            // The receiver only goes away when the wizard is closing.
            let _ = tx.send(m);
        };
        match effect {
            Effect::CheckToken(token) => {
                let client = self.client.clone();
                tokio::spawn(async move {
                    let result = client.people_me(&token, Operation::CheckAdminToken).await;
                    send(Message::TokenChecked(result));
                });
            }
            Effect::Create { token, draft } => {
                let client = self.client.clone();
                let dirs = self.dirs.clone();
                tokio::spawn(async move {
                    let result = client
                        .create_integration(&token, &draft, &dirs.recovery())
                        .await
                        .map(|integration| {
                            let saved = SavedCredentials {
                                api_base: client.base().to_string(),
                                integration,
                            };
                            // Before anything is drawn: a crash from here on loses nothing.
                            let recovery = files::save_recovery(
                                &dirs.recovery(),
                                "credentials",
                                "json",
                                &saved.to_json_bytes(),
                            )
                            .map_err(|e| e.to_string());
                            Created { saved, recovery }
                        });
                    send(Message::Created(Box::new(result)));
                });
            }
            Effect::Copy(target, text) => {
                let mut ways = Vec::new();
                if let Ok(mut out) = self.terminal.lock() {
                    let sequence = clipboard::osc52(&text);
                    if out.write_all(sequence.as_bytes()).is_ok() && out.flush().is_ok() {
                        ways.push("terminal (OSC 52)");
                    }
                }
                if self.system_clipboard
                    && let Some(tool) = clipboard::copy_to_system(&text)
                {
                    ways.push(tool);
                }
                send(Message::Copied(target, ways.join(" and ")));
            }
            Effect::SaveCredentials(saved) => {
                let result = saved.save_default(&self.dirs).map_err(|e| e.to_string());
                send(Message::Saved(result));
            }
            Effect::SaveDraft(d) => {
                if let Err(e) = draft::save(&self.dirs, &d) {
                    send(Message::DraftNotSaved(e.to_string()));
                }
            }
            Effect::DiscardDraft => {
                if let Err(e) = draft::discard(&self.dirs) {
                    send(Message::DraftNotSaved(e.to_string()));
                }
            }
            Effect::RemoveRecovery(path) => {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}
