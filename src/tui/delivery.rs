//! The one-time secrets on screen and how far their delivery got: the integration's client
//! secret, the tokens an authorization got, a bot's token. They are session data: the step
//! that shows one, the quit question, the hand-off and the authorization all read them.

use std::path::PathBuf;

use crate::bot::CreatedBot;
use crate::credentials::SavedCredentials;
use crate::oauth::Tokens;

use super::message::CopyTarget;

/// The created (or recovered, or rotated) integration, until its secret is stored.
#[allow(
    clippy::struct_excessive_bools,
    reason = "each bool is one thing the user did or saw"
)]
pub struct CredentialsState {
    pub saved: SavedCredentials,
    pub revealed: bool,
    /// A clipboard tool took the secret.
    pub copied_secret: bool,
    /// The secret went to the terminal as OSC 52, which no terminal confirms.
    pub sent_to_terminal: bool,
    /// The user said, in the quit question, that they stored the secret themselves.
    pub stored_by_user: bool,
    pub copied_id: bool,
    pub saved_to: Option<PathBuf>,
    /// The 0600 copy written the moment the answer arrived; removed once the user stored it.
    pub recovery: Option<PathBuf>,
    /// Shown at start-up from a previous session's recovery file.
    pub recovered: bool,
    /// Which of the recovered credentials this is, and how many there are.
    pub recovered_of: Option<(usize, usize)>,
    /// An encrypted hand-off written for a developer.
    pub handed_off: Option<PathBuf>,
}

impl CredentialsState {
    /// The secret is somewhere the user keeps it: saved, taken by a clipboard tool, or the
    /// user says so. An OSC 52 copy alone can't be confirmed, so it does not count.
    pub fn is_stored(&self) -> bool {
        self.copied_secret
            || self.saved_to.is_some()
            || self.stored_by_user
            || self.handed_off.is_some()
    }

    /// Fresh credentials on screen, with `recovery` as their 0600 copy.
    pub fn new(saved: SavedCredentials, recovery: Option<PathBuf>, recovered: bool) -> Self {
        CredentialsState {
            saved,
            revealed: false,
            copied_secret: false,
            sent_to_terminal: false,
            stored_by_user: false,
            handed_off: None,
            copied_id: false,
            saved_to: None,
            recovery,
            recovered_of: None,
            recovered,
        }
    }
}

/// The tokens an authorization got, until they are stored.
#[allow(
    clippy::struct_excessive_bools,
    reason = "each bool is one thing the user did or saw, as on Credentials"
)]
pub struct TokensState {
    pub tokens: Tokens,
    pub revealed: bool,
    pub copied: bool,
    /// Sent to the terminal as OSC 52, unconfirmed.
    pub sent_to_terminal: bool,
    pub saved_to: Option<PathBuf>,
    /// The 0600 copy written the moment the tokens arrived; removed once they are stored.
    pub recovery: Option<PathBuf>,
    /// The user said, in the quit question, that they stored the tokens themselves.
    pub stored_by_user: bool,
    /// The scopes the authorization asked for (the scope test tries these when the answer
    /// listed none).
    pub asked: Vec<String>,
}

impl TokensState {
    /// Fresh tokens on screen, not stored yet.
    pub fn new(tokens: Tokens) -> Self {
        TokensState {
            tokens,
            revealed: false,
            copied: false,
            sent_to_terminal: false,
            saved_to: None,
            recovery: None,
            stored_by_user: false,
            asked: Vec::new(),
        }
    }

    /// The tokens (the refresh token too, which no copy takes) are saved, or the user says
    /// they stored them.
    pub fn is_stored(&self) -> bool {
        self.saved_to.is_some() || self.stored_by_user
    }
}

/// A created bot, until its one-time token is stored.
#[expect(
    clippy::struct_excessive_bools,
    reason = "each is one thing done to keep the token, shown as its own mark"
)]
pub struct BotTokenState {
    pub bot: CreatedBot,
    pub api_base: String,
    pub recovery: Option<PathBuf>,
    pub revealed: bool,
    /// A clipboard tool confirmed the copy.
    pub copied: bool,
    /// Sent as OSC 52, unconfirmed.
    pub sent_to_terminal: bool,
    pub saved_to: Option<PathBuf>,
    /// An encrypted hand-off written for a developer.
    pub handed_off: Option<PathBuf>,
    pub stored_by_user: bool,
    /// Shown at start-up from an earlier session's recovery copy.
    pub recovered: bool,
}

impl BotTokenState {
    pub fn new(bot: CreatedBot, api_base: String, recovery: Option<PathBuf>) -> Self {
        BotTokenState {
            bot,
            api_base,
            recovery,
            revealed: false,
            copied: false,
            sent_to_terminal: false,
            saved_to: None,
            handed_off: None,
            stored_by_user: false,
            recovered: false,
        }
    }

    pub fn is_stored(&self) -> bool {
        self.copied || self.saved_to.is_some() || self.handed_off.is_some() || self.stored_by_user
    }
}

impl CredentialsState {
    /// The secret or the client ID was copied (`confirmed`: a clipboard tool took it) or sent
    /// to the terminal's clipboard, which can't be confirmed (an ID needs no confirming).
    pub fn mark_copied(&mut self, target: CopyTarget, confirmed: bool) {
        match target {
            CopyTarget::ClientSecret if confirmed => self.copied_secret = true,
            CopyTarget::ClientSecret => self.sent_to_terminal = true,
            CopyTarget::ClientId => self.copied_id = true,
            _ => {}
        }
    }
}

impl TokensState {
    /// The access token was copied (`confirmed`) or sent to the terminal's clipboard.
    pub fn mark_copied(&mut self, confirmed: bool) {
        if confirmed {
            self.copied = true;
        } else {
            self.sent_to_terminal = true;
        }
    }

    /// Saved to `path`: the recovery copy, if any, has done its job and is handed back to be
    /// removed.
    pub fn mark_saved(&mut self, path: PathBuf) -> Option<PathBuf> {
        self.saved_to = Some(path);
        self.recovery.take()
    }
}

impl BotTokenState {
    /// The token was copied (`confirmed`) or sent to the terminal's clipboard.
    pub fn mark_copied(&mut self, confirmed: bool) {
        if confirmed {
            self.copied = true;
        } else {
            self.sent_to_terminal = true;
        }
    }
}
