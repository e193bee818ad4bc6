//! Side effects the update function asks for, run here: network calls on tokio tasks, file
//! and clipboard work right away. Every result comes back as a [`Message`].

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use std::time::Duration;

use secrecy::SecretString;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{mpsc, oneshot};

use super::message::{CopyOutcome, CopyTarget, Message};
use crate::authorization::{self, Attempt, Progress, open_browser};
use crate::clipboard;
use crate::credentials::SavedCredentials;
use crate::draft::{self, SavedDraft};
use crate::env::Dirs;
use crate::integration::IntegrationDraft;
use crate::oauth::{ClientCredentials, Tokens};
use crate::webex::{Operation, WebexClient};

/// What a hand-off carries: an integration's credentials or a bot and its token.
pub enum HandOffOf {
    Credentials(Box<SavedCredentials>),
    /// The bot and the API base it was made on.
    Bot(Box<(crate::bot::CreatedBot, String)>),
}

impl HandOffOf {
    /// The file's content, as `save` would write it (plaintext until encrypted).
    pub fn plain(&self) -> Vec<u8> {
        match self {
            HandOffOf::Credentials(saved) => saved.to_json_bytes(),
            HandOffOf::Bot(bot) => bot.0.to_file_bytes(&bot.1),
        }
    }

    /// The name `save` would give it; the hand-off is that name with `.age`.
    pub fn file_name(&self) -> String {
        match self {
            HandOffOf::Credentials(saved) => {
                crate::credentials::default_file_name(&saved.integration)
            }
            HandOffOf::Bot(bot) => crate::bot::default_file_name(&bot.0),
        }
    }

    /// The audit line's subject, as the CLI's hand-offs record it.
    pub fn audit_entry(&self) -> crate::audit::Entry {
        let entry = crate::audit::Entry::new("handoff");
        match self {
            HandOffOf::Credentials(saved) => {
                let i = &saved.integration;
                entry.application(i.id.as_deref(), Some(&i.client_id), i.name.as_deref())
            }
            HandOffOf::Bot(bot) => {
                entry.with_file(&serde_json::to_value(&bot.0).unwrap_or_default())
            }
        }
    }
}

/// What the update function wants done.
pub enum Effect {
    CheckToken(SecretString),
    Create {
        token: SecretString,
        draft: IntegrationDraft,
    },
    Copy(CopyTarget, SecretString),
    SaveCredentials(Box<SavedCredentials>),
    SaveDraft(SavedDraft),
    DiscardDraft,
    /// The wizard leaves while a create is on its way: note that it may exist (by name).
    NotePendingCreate(String),
    /// The user stored the credentials: the recovery copy has done its job.
    RemoveRecovery(PathBuf),
    /// Start an authorization: listen, open the browser, wait, exchange the code.
    Authorize(Box<AuthorizeJob>),
    /// Hand what the user pasted to the waiting authorization.
    SubmitPaste(String),
    CancelAuthorization,
    OpenBrowser(String),
    SaveTokens {
        tokens: Box<Tokens>,
        client_id: String,
        name: String,
    },
    /// The applications this admin can see.
    ListApplications(SecretString),
    /// A new client secret for `application` (as listed: its ID, client ID and name).
    RotateSecret {
        token: SecretString,
        application: Box<serde_json::Value>,
    },
    DeleteApplication {
        token: SecretString,
        id: String,
        name: String,
    },
    /// Encrypt the credentials or the bot to `recipient` into the data folder (age, 0600).
    HandOff {
        recipient: String,
        of: HandOffOf,
    },
    CreateBot {
        token: SecretString,
        draft: Box<crate::bot::BotDraft>,
    },
    /// Save a bot and its token (and the API base) to a new 0600 file.
    SaveBot(Box<(crate::bot::CreatedBot, String)>),
    /// Send the form as the whole application `id` (`PUT`).
    UpdateApplication {
        token: SecretString,
        id: String,
        draft: IntegrationDraft,
    },
    /// Probe each scope with the access token, and read the token's expiry.
    TestScopes {
        token: SecretString,
        scopes: Vec<String>,
        fedramp: bool,
    },
}

/// What an authorization needs.
pub struct AuthorizeJob {
    pub credentials: ClientCredentials,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub wait: Duration,
}

/// The controls of a running authorization.
struct AuthControl {
    cancel: Option<oneshot::Sender<()>>,
    paste: mpsc::UnboundedSender<String>,
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
            Effect::NotePendingCreate(_) => "NotePendingCreate",
            Effect::RemoveRecovery(_) => "RemoveRecovery",
            Effect::Authorize(_) => "Authorize",
            Effect::SubmitPaste(_) => "SubmitPaste",
            Effect::CancelAuthorization => "CancelAuthorization",
            Effect::OpenBrowser(_) => "OpenBrowser",
            Effect::SaveTokens { .. } => "SaveTokens",
            Effect::TestScopes { .. } => "TestScopes",
            Effect::ListApplications(_) => "ListApplications",
            Effect::RotateSecret { .. } => "RotateSecret",
            Effect::DeleteApplication { .. } => "DeleteApplication",
            Effect::UpdateApplication { .. } => "UpdateApplication",
            Effect::CreateBot { .. } => "CreateBot",
            Effect::HandOff { .. } => "HandOff",
            Effect::SaveBot(_) => "SaveBot",
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
    /// Whether to open a browser (tests of the runner drive the URL themselves).
    pub open_browser: bool,
    /// Where the audit trail is appended (`--audit-log`, or the state folder's), and who the
    /// admin is once the token was checked.
    pub audit: crate::audit::AuditLog,
    auth: Mutex<Option<AuthControl>>,
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
            audit: crate::audit::AuditLog::new(crate::audit::path(None, &dirs.state)),
            client,
            dirs,
            tx,
            terminal,
            system_clipboard,
            open_browser: true,
            auth: Mutex::new(None),
        }
    }

    #[expect(clippy::too_many_lines, reason = "one arm per effect, each short")]
    pub fn run(&self, effect: Effect) {
        let tx = self.tx.clone();
        let send = move |m: Message| {
            // The receiver only goes away when the wizard is closing.
            let _ = tx.send(m);
        };
        match effect {
            Effect::CheckToken(token) => {
                let client = self.client.clone();
                let log = self.audit.clone();
                tokio::spawn(async move {
                    let result = client.people_me(&token, Operation::CheckAdminToken).await;
                    if let Ok(person) = &result {
                        log.set_actor(person);
                    }
                    send(Message::TokenChecked(result));
                });
            }
            Effect::Create { token, draft } => {
                let client = self.client.clone();
                let dirs = self.dirs.clone();
                let audit_log = self.audit.clone();
                tokio::spawn(async move {
                    let result = client.create_integration(&token, &draft).await;
                    let entry = crate::audit::Entry::new("create");
                    let entry = match &result {
                        Ok(c) => {
                            entry.with_file(&serde_json::to_value(&c.value).unwrap_or_default())
                        }
                        Err(_) => entry.application(None, None, Some(draft.name.trim())),
                    }
                    .outcome(&result);
                    // The secret is kept before the audit line is written.
                    let result = result
                        .map_err(|e| crate::secrets::delivery::keep_raw_answer(&dirs.recovery(), e))
                        .map(|integration| {
                            super::manage_effects::kept(&client, &dirs, integration.value)
                        });
                    super::manage_effects::audit(&audit_log, &client, entry);
                    send(Message::Created(Box::new(result)));
                });
            }
            Effect::Copy(target, text) => {
                let mut outcome = CopyOutcome::default();
                if let Ok(mut out) = self.terminal.lock() {
                    let sequence = clipboard::osc52(&text);
                    outcome.terminal =
                        out.write_all(sequence.as_bytes()).is_ok() && out.flush().is_ok();
                }
                if self.system_clipboard {
                    outcome.tool = clipboard::copy_to_system(&text);
                }
                send(Message::Copied(target, outcome));
            }
            Effect::SaveCredentials(saved) => {
                send(Message::Saved(saved.save_default(&self.dirs)));
            }
            Effect::SaveDraft(d) => {
                if let Err(e) = draft::save(&self.dirs, &d) {
                    send(Message::DraftNotSaved(e));
                }
            }
            Effect::DiscardDraft => {
                if let Err(e) = draft::discard(&self.dirs) {
                    send(Message::DraftNotSaved(crate::files::SaveError::Io {
                        path: draft::path(&self.dirs),
                        source: e,
                    }));
                }
            }
            Effect::NotePendingCreate(name) => {
                // Synchronous: the wizard exits right after this effect.
                let _ = draft::note_pending_create(&self.dirs, &name, self.client.base().as_str());
            }
            Effect::RemoveRecovery(path) => {
                let _ = std::fs::remove_file(path);
            }
            Effect::Authorize(job) => {
                let (cancel_tx, cancel_rx) = oneshot::channel();
                let (paste_tx, paste_rx) = mpsc::unbounded_channel();
                if let Ok(mut auth) = self.auth.lock() {
                    *auth = Some(AuthControl {
                        cancel: Some(cancel_tx),
                        paste: paste_tx,
                    });
                }
                let client = self.client.clone();
                let dirs = self.dirs.clone();
                let open = self.open_browser;
                let audit_log = self.audit.clone();
                tokio::spawn(async move {
                    let attempt = Attempt {
                        client: &client,
                        credentials: &job.credentials,
                        redirect_uri: &job.redirect_uri,
                        scopes: &job.scopes,
                        pkce: true,
                        wait: job.wait,
                        open_browser: open,
                    };
                    let mut paste_rx = paste_rx;
                    let progress = {
                        let send = send.clone();
                        move |p: Progress| {
                            send(match p {
                                Progress::Waiting { url, loopback } => {
                                    Message::AuthorizationWaiting { url, loopback }
                                }
                                Progress::BrowserOpened(opened) => Message::BrowserOpened(opened),
                                Progress::Exchanging => Message::Exchanging,
                                Progress::Refused(count) => Message::CallbacksRefused(count),
                            });
                        }
                    };
                    let cancel = async {
                        let _ = cancel_rx.await;
                    };
                    let result = authorization::authorize(
                        attempt,
                        || async move { paste_rx.recv().await },
                        cancel,
                        progress,
                    )
                    .await;
                    let entry = crate::audit::Entry::new("authorize").application(
                        None,
                        Some(&job.credentials.client_id),
                        None,
                    );
                    super::manage_effects::audit(
                        &audit_log,
                        &client,
                        match &result {
                            Ok(tokens) => entry.tracked(Some(tokens.tracking_id.clone())),
                            Err(crate::oauth::FlowError::Token(e)) => entry.failed(e),
                            Err(crate::oauth::FlowError::Authorization(_)) => {
                                entry.failed_locally("not-authorized")
                            }
                        },
                    );
                    let result = result.map(|tokens| tokens.value);
                    // Tokens that arrived are kept in a recovery copy before anything is drawn,
                    // until they are saved; an answer that can't be read is kept as it came.
                    let kept = result.as_ref().ok().map(|tokens| {
                        let value = tokens.to_json_exposing_secrets(
                            client.base().as_str(),
                            &job.credentials.client_id,
                        );
                        crate::secrets::delivery::keep_on_arrival(
                            &dirs.recovery(),
                            crate::webex::OneTime::Tokens,
                            &serde_json::to_vec_pretty(&value).expect("JSON serializes"),
                        )
                    });
                    let result = result.map_err(|e| match e {
                        crate::oauth::FlowError::Token(e) => crate::oauth::FlowError::Token(
                            crate::secrets::delivery::keep_raw_answer(&dirs.recovery(), e),
                        ),
                        other @ crate::oauth::FlowError::Authorization(_) => other,
                    });
                    send(Message::Authorized(Box::new(result)));
                    if let Some(kept) = kept {
                        send(Message::TokensKept(kept));
                    }
                });
            }
            Effect::SubmitPaste(text) => {
                if let Ok(auth) = self.auth.lock()
                    && let Some(control) = auth.as_ref()
                {
                    let _ = control.paste.send(text);
                }
            }
            Effect::CancelAuthorization => {
                if let Ok(mut auth) = self.auth.lock()
                    && let Some(cancel) = auth.as_mut().and_then(|c| c.cancel.take())
                {
                    let _ = cancel.send(());
                }
            }
            Effect::OpenBrowser(url) => {
                tokio::spawn(async move {
                    send(Message::BrowserOpened(open_browser(&url).await));
                });
            }
            Effect::TestScopes {
                token,
                scopes,
                fedramp,
            } => {
                let client = self.client.clone();
                let each = send.clone();
                tokio::spawn(async move {
                    // The token once first: a refused one is said so, not probed 50 times.
                    let expiry = crate::scope_test::token_expiry(&client, &token).await;
                    if let Err(crate::webex::WebexError::Api(f)) = &expiry
                        && f.status == 401
                    {
                        send(Message::TokenRefused(format!("{f}")));
                        return;
                    }
                    send(Message::TokenExpiry(expiry.map_err(|e| e.to_string())));
                    let probes = crate::scope_test::test_scopes(
                        &client,
                        &token,
                        crate::catalog::Catalog::embedded(),
                        &scopes,
                        fedramp,
                        move |i, r| each(Message::ProbeDone(i, Box::new(r.clone()))),
                    );
                    probes.await;
                });
            }
            e @ (Effect::ListApplications(_)
            | Effect::RotateSecret { .. }
            | Effect::DeleteApplication { .. }
            | Effect::CreateBot { .. }
            | Effect::HandOff { .. }
            | Effect::SaveBot(_)
            | Effect::UpdateApplication { .. }) => {
                super::manage_effects::run(
                    &self.client,
                    &self.dirs,
                    &self.audit,
                    self.tx.clone(),
                    e,
                );
            }
            Effect::SaveTokens {
                tokens,
                client_id,
                name,
            } => {
                let result = crate::credentials::save_tokens_default(
                    &tokens,
                    &self.dirs,
                    self.client.base().as_str(),
                    &client_id,
                    &name,
                );
                send(Message::TokensSaved(result));
            }
        }
    }
}
