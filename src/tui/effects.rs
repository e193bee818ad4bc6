//! Side effects the update function asks for, run here: network calls on tokio tasks, file
//! and clipboard work right away. Every result comes back as a [`Message`].

use std::io::Write;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{mpsc, oneshot};

pub use super::effect::{AuthorizeJob, DeviceJob, Effect, HandOffOf};
use super::message::{CopyOutcome, Message};
use crate::authorization::{self, Attempt, Progress, open_browser};
use crate::clipboard;
use crate::draft;
use crate::env::Dirs;
use crate::webex::{Operation, WebexClient};

/// The controls of a running authorization.
struct AuthControl {
    cancel: Option<oneshot::Sender<()>>,
    paste: mpsc::UnboundedSender<String>,
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
    /// The controls of a new authorization (browser or device): Esc cancels it, a paste goes
    /// to it; whatever ran before is forgotten.
    fn take_control(&self) -> (oneshot::Receiver<()>, mpsc::UnboundedReceiver<String>) {
        let (cancel_tx, cancel_rx) = oneshot::channel();
        let (paste_tx, paste_rx) = mpsc::unbounded_channel();
        if let Ok(mut auth) = self.auth.lock() {
            *auth = Some(AuthControl {
                cancel: Some(cancel_tx),
                paste: paste_tx,
            });
        }
        (cancel_rx, paste_rx)
    }

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
            Effect::Create {
                token,
                draft,
                justification,
            } => {
                let client = self.client.clone();
                let dirs = self.dirs.clone();
                let audit_log = self.audit.clone();
                tokio::spawn(async move {
                    let result = client.create_integration(&token, &draft).await;
                    let entry =
                        crate::audit::Entry::new("create").justification(justification.as_deref());
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
            Effect::ScanTokens => {
                let dirs = self.dirs.clone();
                // Off the run loop: reading the files never delays a frame.
                tokio::task::spawn_blocking(move || {
                    let (_, due, dead) = crate::token_radar::at_a_glance(&dirs);
                    send(Message::TokenRadar { due, dead });
                });
            }
            Effect::NotePendingCreate(name) => {
                // Synchronous: the wizard exits right after this effect.
                let _ = draft::note_pending_create(&self.dirs, &name, self.client.base().as_str());
            }
            Effect::RemoveRecovery(path) => {
                let _ = std::fs::remove_file(path);
            }
            Effect::Authorize(job) => {
                let (cancel_rx, paste_rx) = self.take_control();
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
                    deliver_authorization(
                        &client,
                        &dirs,
                        &audit_log,
                        &job.credentials.client_id,
                        result,
                        &send,
                    );
                });
            }
            Effect::DeviceLogin(job) => {
                let (cancel_rx, _) = self.take_control();
                let client = self.client.clone();
                let dirs = self.dirs.clone();
                let audit_log = self.audit.clone();
                tokio::spawn(async move {
                    let cancel = async {
                        let _ = cancel_rx.await;
                    };
                    let shown = send.clone();
                    let result = crate::oauth::device::sign_in(
                        &client,
                        &job.credentials,
                        &job.scopes,
                        cancel,
                        move |code| {
                            shown(Message::DeviceCode {
                                user_code: code.user_code.clone(),
                                verification_uri: code.verification_uri.clone(),
                                complete: code.verification_uri_complete.clone(),
                                expires_in: code.expires_in,
                            });
                        },
                    )
                    .await;
                    deliver_authorization(
                        &client,
                        &dirs,
                        &audit_log,
                        &job.credentials.client_id,
                        result,
                        &send,
                    );
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
            e @ (Effect::ProveSecret(_)
            | Effect::ListSavedTokens
            | Effect::RefreshSaved(_)
            | Effect::ListApplications(_)
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

/// How an authorization ended (browser or device login): its audit line; tokens that arrived
/// kept in a recovery copy before anything is drawn, until they are saved; an answer that
/// can't be read kept as it came; then the result to the wizard.
fn deliver_authorization(
    client: &WebexClient,
    dirs: &Dirs,
    audit_log: &crate::audit::AuditLog,
    client_id: &str,
    result: Result<crate::webex::Tracked<crate::oauth::Tokens>, crate::oauth::FlowError>,
    send: &(impl Fn(Message) + ?Sized),
) {
    let entry = crate::audit::Entry::new("authorize").application(None, Some(client_id), None);
    super::manage_effects::audit(
        audit_log,
        client,
        match &result {
            Ok(tokens) => entry.tracked(Some(tokens.tracking_id.clone())),
            Err(crate::oauth::FlowError::Token(e)) => entry.failed(e),
            Err(crate::oauth::FlowError::Authorization(_)) => {
                entry.failed_locally("not-authorized")
            }
        },
    );
    let result = result.map(|tokens| tokens.value);
    let kept = result.as_ref().ok().map(|tokens| {
        let value = tokens.to_json_exposing_secrets(client.base().as_str(), client_id);
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
}
