//! Everything that can happen to the wizard: keys, ticks, signals and results of effects.

use std::path::PathBuf;
use std::time::Instant;

use ratatui::crossterm::event::KeyEvent;

use crate::credentials::SavedCredentials;
use crate::files::SaveError;
use crate::oauth::{FlowError, Tokens};
use crate::scope_test::ProbeResult;
use crate::webex::WebexError;
use crate::webex::people::Person;

/// What was copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyTarget {
    ClientSecret,
    ClientId,
    AuthorizationUrl,
    AccessToken,
    CurlCommand,
    BotToken,
}

impl CopyTarget {
    pub fn label(self) -> &'static str {
        match self {
            CopyTarget::ClientSecret => "client secret",
            CopyTarget::ClientId => "client ID",
            CopyTarget::AuthorizationUrl => "authorization URL",
            CopyTarget::AccessToken => "access token",
            CopyTarget::CurlCommand => "cURL command",
            CopyTarget::BotToken => "bot token",
        }
    }
}

/// Where a copy went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CopyOutcome {
    /// Sent to the terminal as OSC 52; no terminal says whether it took it.
    pub terminal: bool,
    /// A clipboard tool that took the text.
    pub tool: Option<&'static str>,
}

impl CopyOutcome {
    /// Whether the copy is known to have landed on a clipboard.
    pub fn is_confirmed(self) -> bool {
        self.tool.is_some()
    }
}

/// The integration Webex created, and where its 0600 recovery copy went.
#[derive(Debug)]
pub struct Created {
    pub saved: SavedCredentials,
    pub recovery: Result<PathBuf, SaveError>,
    /// After a rotation: saved files that carry the same client ID (the old secret).
    pub superseded: Vec<PathBuf>,
}

/// A created bot, and where its 0600 recovery copy went.
pub type BotKept = (crate::bot::CreatedBot, Result<PathBuf, SaveError>);

#[derive(Debug)]
pub enum Message {
    Key(KeyEvent),
    Paste(String),
    /// Redraw the spinner and elapsed time.
    Tick(Instant),
    /// SIGTERM or SIGHUP: save what can be saved and stop.
    Signal(i32),
    TokenChecked(Result<Person, WebexError>),
    Created(Box<Result<Created, WebexError>>),
    /// Copied: how it went.
    Copied(CopyTarget, CopyOutcome),
    /// The terminal's new size (columns, rows).
    Resize(u16, u16),
    Saved(Result<PathBuf, SaveError>),
    /// Saving the draft failed; drafts that save fine say nothing.
    DraftNotSaved(SaveError),
    /// The authorization URL is ready and, for a loopback redirect, the listener is up.
    AuthorizationWaiting {
        url: String,
        loopback: bool,
    },
    BrowserOpened(crate::authorization::BrowserLaunch),
    /// A device login's code is ready: show it and where to enter it.
    DeviceCode {
        user_code: String,
        verification_uri: String,
        complete: Option<String>,
        expires_in: std::time::Duration,
    },
    /// The code arrived; the token request is on its way.
    Exchanging,
    /// Callbacks that were not the answer to this authorization were refused (so many so far).
    CallbacksRefused(usize),
    Authorized(Box<Result<Tokens, FlowError>>),
    TokensSaved(Result<PathBuf, SaveError>),
    /// The 0600 recovery copy of tokens that just arrived (or why none could be written).
    TokensKept(Result<PathBuf, SaveError>),
    /// The saved tokens files, read.
    SavedTokensListed(Vec<crate::token_radar::SavedTokens>),
    /// A saved tokens file was refreshed (its path) or not (why).
    SavedRefreshed(Result<String, String>),
    /// What proving a rotated secret found, in words; `works` when Webex took it.
    SecretProven {
        words: String,
        works: bool,
    },
    /// What the saved tokens need: how many to refresh, how many are dead.
    TokenRadar {
        due: usize,
        dead: usize,
    },
    /// One probe of the scope test finished (its row number).
    ProbeDone(usize, Box<ProbeResult>),
    TokenExpiry(Result<time::OffsetDateTime, String>),
    /// Webex refused the token under test itself (401): the probes were not sent.
    TokenRefused(String),
    AppsListed(Result<Vec<serde_json::Value>, WebexError>),
    /// A new client secret, kept like a created one.
    Rotated(Box<Result<Created, WebexError>>),
    /// An application was deleted (its name), or not.
    Deleted(Result<String, WebexError>),
    /// A bot was created (with where its recovery copy went), or not.
    BotCreated(Box<Result<BotKept, WebexError>>),
    BotSaved(Result<PathBuf, SaveError>),
    /// A hand-off was written (its path and the recipients' fingerprints), or not.
    HandedOff(Result<(PathBuf, String), String>),
    /// An application was updated (Webex's answer), or not.
    Updated(Result<serde_json::Value, WebexError>),
}
