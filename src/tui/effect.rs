//! What the update function asks for: [`Effect`], a plain value (no I/O here). The
//! [`super::effects::EffectRunner`] runs them.

use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

use super::message::CopyTarget;
use crate::credentials::SavedCredentials;
use crate::draft::SavedDraft;
use crate::integration::IntegrationDraft;
use crate::oauth::{ClientCredentials, Tokens};

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
        /// Why broad scopes are needed, for the audit line.
        justification: Option<String>,
    },
    Copy(CopyTarget, SecretString),
    SaveCredentials(Box<SavedCredentials>),
    SaveDraft(SavedDraft),
    DiscardDraft,
    /// Prove a rotated secret (kept already): refresh the newest saved refresh token of its
    /// client with it.
    ProveSecret(Box<SavedCredentials>),
    /// Read every saved tokens file for the Saved tokens screen.
    ListSavedTokens,
    /// Refresh one saved tokens file with its client's saved credentials.
    RefreshSaved(Box<crate::token_radar::SavedTokens>),
    /// Look at the saved tokens (after the first frame): how many need a refresh, how many are
    /// dead.
    ScanTokens,
    /// The wizard leaves while a create is on its way: note that it may exist (by name).
    NotePendingCreate(String),
    /// The user stored the credentials: the recovery copy has done its job.
    RemoveRecovery(PathBuf),
    /// Start an authorization: listen, open the browser, wait, exchange the code.
    Authorize(Box<AuthorizeJob>),
    /// Start a device login (the OAuth device grant): show the code, wait for the approval.
    DeviceLogin(Box<DeviceJob>),
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
        /// For the audit line: what was deleted, by name and client ID.
        client_id: String,
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
        /// For the audit line.
        client_id: String,
        draft: IntegrationDraft,
        /// Why added broad scopes are needed, for the audit line.
        justification: Option<String>,
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

/// What a device login needs: the integration's ID and secret, and the scopes.
pub struct DeviceJob {
    pub credentials: ClientCredentials,
    pub scopes: Vec<String>,
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
            Effect::ScanTokens => "ScanTokens",
            Effect::ProveSecret(_) => "ProveSecret",
            Effect::ListSavedTokens => "ListSavedTokens",
            Effect::RefreshSaved(_) => "RefreshSaved",
            Effect::NotePendingCreate(_) => "NotePendingCreate",
            Effect::RemoveRecovery(_) => "RemoveRecovery",
            Effect::Authorize(_) => "Authorize",
            Effect::DeviceLogin(_) => "DeviceLogin",
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
