//! What a step sees besides its own state: the session the steps hand to each other, and the
//! requests a step makes of the wizard (go to a step, show a message, open a window, stop).
//!
//! This module names no step module, no `App` and no handler: the steps depend on it, and it
//! on nothing of theirs, so the wizard's modules import one another without a circle.

use std::time::Duration;

use secrecy::SecretString;

use crate::catalog::Catalog;
use crate::draft::SavedDraft;
use crate::env::Environment;
use crate::integration::IntegrationDraft;
use crate::webex::WebexError;
use crate::webex::people::Person;

use super::theme::Theme;

/// Declares the wizard's steps from the one list in `tui/mod.rs`.
macro_rules! declare_step_enum {
    ($($step:ident => $module:ident),+ $(,)?) => {
        /// The wizard's steps, in order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Step {
            $($step),+
        }

        impl Step {
            /// Every step, in order.
            pub const ALL: &'static [Step] = &[$(Step::$step),+];
        }
    };
}

wizard_steps!(declare_step_enum);

/// What the user chose to do on the first screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Intent {
    #[default]
    CreateIntegration,
    CreateBot,
    Manage,
    TestToken,
    SavedTokens,
}

/// A window over the step.
pub enum Overlay {
    /// The keys, scrolled this many lines down.
    Help(u16),
    /// Quit while a one-time secret is not stored.
    ConfirmQuit,
    /// Go on to authorization while the secret is not stored.
    ConfirmAuthorize,
    /// Offer back the draft of an earlier session.
    ResumeDraft(SavedDraft),
    /// What an earlier session kept and could not deliver: each file, and what it holds.
    Unreadable(Vec<(std::path::PathBuf, String)>),
    /// Notes that an earlier session was stopped while a create was on its way.
    PendingCreate(Vec<(std::path::PathBuf, crate::draft::PendingCreate)>),
    /// The one-line justification broad scopes need (least privilege), as typed so far.
    Justify(String),
}

/// A message over the key bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    /// What the message is about; it goes away once that is put right.
    pub cause: Option<Cause>,
}

/// What a problem message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// A detail field (by index) has a problem.
    Detail(usize),
    /// No redirect URL is typed.
    NoRedirectUrl,
    /// A redirect line (by index) has a problem.
    RedirectUrl(usize),
    /// No scope is chosen.
    NoScope,
}

/// Why the wizard stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Quit,
    Signal(i32),
}

/// Where the admin token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Demo,
    File,
    Environment,
    /// Kept by `webex-wizard login`.
    Keyring,
    Typed,
}

impl TokenSource {
    pub fn label(self) -> &'static str {
        match self {
            TokenSource::Demo => "the sandbox (--demo)",
            TokenSource::File => "--token-file",
            TokenSource::Environment => "WEBEX_ADMIN_TOKEN",
            TokenSource::Keyring => "the OS keyring (webex-wizard login)",
            TokenSource::Typed => "typed here",
        }
    }
}

/// What we know about the admin token.
#[derive(Debug)]
pub enum TokenStatus {
    /// No token yet: the masked field is waiting.
    Missing,
    Checking,
    Valid(Person),
    Invalid(WebexError),
}

/// The admin token the steps send, and what is known of it.
pub struct Admin {
    pub token: Option<SecretString>,
    pub source: TokenSource,
    pub status: TokenStatus,
}

impl Session {
    /// A one-time secret is on screen and not yet copied or saved.
    pub fn secret_at_risk(&self) -> bool {
        self.credentials.as_ref().is_some_and(|c| !c.is_stored())
            || self.bot_token.as_ref().is_some_and(|b| !b.is_stored())
            || self.tokens.as_ref().is_some_and(|t| !t.is_stored())
    }
}

impl Admin {
    /// No good token yet: Connect shows the masked field.
    pub fn wants_token(&self) -> bool {
        matches!(self.status, TokenStatus::Missing | TokenStatus::Invalid(_))
    }
}

/// The list, as far as it has come.
#[derive(Debug, Default)]
pub enum Listing {
    #[default]
    Loading,
    Loaded(Vec<serde_json::Value>),
    Failed(Box<WebexError>),
}

/// What the steps hand to each other, and how the wizard was started.
pub struct Session {
    /// The admin token (Connect checks it; every request to Webex sends it).
    pub admin: Admin,
    /// The form as typed (Details, Redirect URLs and Scopes each write their part; the
    /// wizard copies it here before a step sees the session).
    pub draft: IntegrationDraft,
    /// The admin's applications as last read (Manage lists them; Review warns of a name
    /// that exists already).
    pub listing: Listing,
    /// The created (or recovered, or rotated) integration and whether its one-time secret
    /// is stored yet.
    pub credentials: Option<super::delivery::CredentialsState>,
    /// The tokens an authorization got, and whether they are stored yet.
    pub tokens: Option<super::delivery::TokensState>,
    /// A created bot and whether its one-time token is stored yet.
    pub bot_token: Option<super::delivery::BotTokenState>,
    pub env: Environment,
    pub catalog: &'static Catalog,
    pub theme: Theme,
    /// How long to wait for the browser to come back.
    pub auth_wait: Duration,
    /// The API behaves as Webex for Government (`FedRAMP`).
    pub fedramp: bool,
    /// An SSH session: no browser is started here, and the `ssh -L` line is shown instead.
    pub remote: Option<crate::authorization::RemoteSession>,
    /// The agency's scope policy (`--policy`, the config folder's, or the built-in rule).
    pub policy: crate::policy::Policy,
    /// What the user chose to do on the first screen.
    pub intent: Intent,
    /// The terminal's size (columns, rows), for scrolling that stops at the end.
    pub screen: (u16, u16),
    /// Turns of the busy spinner.
    pub spinner: usize,
    /// The saved tokens: how many need a refresh, how many are dead (Start says so).
    pub token_radar: Option<(usize, usize)>,
    /// The form edits this existing application (its ID) instead of a new one.
    pub updating: Option<String>,
    /// The application as it was when the update began, for Review's list of changes.
    pub update_from: Option<IntegrationDraft>,
    /// Why the broad scopes of this create or update are needed (asked on Review).
    pub justification: Option<String>,
    /// The token "Test a token" is probing (the scope table goes back there).
    pub tested_token: Option<SecretString>,
}

/// What a step asked of the wizard while it handled a message; the wizard carries it out
/// once the step is done.
#[derive(Default)]
pub struct Requests {
    /// Move to this step; `true`: saving the draft, as a step change from the form does.
    pub next: Option<(Step, bool)>,
    /// Replace the message over the key bar (`Some(None)` clears it).
    pub notice: Option<Option<Notice>>,
    /// Windows to open over the step.
    pub overlays: Vec<Overlay>,
    /// What only the wizard as a whole can do, in the order asked.
    pub more: Vec<Request>,
}

/// What a step asks of the wizard that touches more than the step.
pub enum Request {
    /// Open a step afresh (see `StepState::open`).
    Open(Step),
    /// Leave (keeping the draft and dropping recovery copies that did their job), or first
    /// ask while a one-time secret is not stored.
    AskToQuit,
    /// Take the user to where `field` is typed, with `why` on screen.
    JumpTo {
        field: crate::validate::Field,
        index: Option<usize>,
        why: String,
        found: Found,
    },
    /// Ask for a (fresh) admin token, then go on to `resume_to`; `reason` says why.
    AskForToken {
        resume_to: Step,
        reason: Option<String>,
    },
    /// Once the admin token is good, Enter on Connect goes to this step.
    ResumeAfterSignIn(Step),
    /// Done with recovered credentials that are stored: show the next, or go to Start.
    DoneWithRecovered,
    /// Send the update of the application the form edits (Review's Enter on an update).
    SendUpdate,
    /// Empty the form (Details, Redirect URLs, Scopes): an update is over, and what it
    /// loaded is not a draft of a new integration.
    ClearForm,
    /// Fill the form (Details, Redirect URLs, Scopes) from a draft.
    LoadDraft(IntegrationDraft),
}

/// Where a problem was found: our own rules (the message goes once the field passes them) or
/// Webex (the message stays until the user moves on: only Webex can say it is fixed).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Found {
    Locally,
    ByWebex,
}

/// A step's view of the wizard: the session, and a way to ask.
pub struct Cx<'a> {
    pub session: &'a mut Session,
    /// The step on screen when the message came (the one a request was made from).
    pub on_screen: Step,
    asked: Requests,
}

impl<'a> Cx<'a> {
    pub fn new(session: &'a mut Session, on_screen: Step) -> Self {
        Cx {
            session,
            on_screen,
            asked: Requests::default(),
        }
    }

    /// What was asked, for the wizard to carry out.
    pub fn finish(self) -> Requests {
        self.asked
    }

    /// Move to `step` and save the draft, as every step change from the form does.
    pub fn go(&mut self, step: Step) {
        self.asked.next = Some((step, true));
        self.asked.notice = Some(None);
    }

    /// Move to `step` without saving the draft.
    pub fn enter(&mut self, step: Step) {
        self.asked.next = Some((step, false));
        self.asked.notice = Some(None);
    }

    pub fn notify(&mut self, text: impl Into<String>) {
        self.set_notice(text.into(), false, None);
    }

    pub fn problem(&mut self, text: impl Into<String>) {
        self.set_notice(text.into(), true, None);
    }

    /// A problem message that goes away once `cause` is put right.
    pub fn problem_about(&mut self, cause: Cause, text: impl Into<String>) {
        self.set_notice(text.into(), true, Some(cause));
    }

    pub fn clear_notice(&mut self) {
        self.asked.notice = Some(None);
    }

    fn set_notice(&mut self, text: String, is_error: bool, cause: Option<Cause>) {
        self.asked.notice = Some(Some(Notice {
            text,
            is_error,
            cause,
        }));
    }

    pub fn open(&mut self, overlay: Overlay) {
        self.asked.overlays.push(overlay);
    }

    /// Ask the wizard for something only it can do.
    pub fn ask(&mut self, request: Request) {
        self.asked.more.push(request);
    }
}
