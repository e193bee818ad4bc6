//! The wizard's state: which step, what the user typed, what is in flight.

use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;

use crate::catalog::Catalog;
use crate::credentials::SavedCredentials;
use crate::draft::SavedDraft;
use crate::env::Environment;
use crate::integration::IntegrationDraft;

use super::theme::Theme;

pub use super::context::{Cause, Exit, Intent, Notice, Overlay, Session};

/// Declares each step's own state, from the one list in `tui/mod.rs`.
macro_rules! step_states {
    ($($step:ident => $module:ident),+ $(,)?) => {
        /// Each step's own state, one field per step, named as its module.
        #[derive(Default)]
        pub struct Steps {
            $(pub $module: super::steps::$module::State,)+
        }
    };
}

wizard_steps!(step_states);

/// How the wizard was started.
pub struct AppConfig {
    pub env: Environment,
    pub catalog: &'static Catalog,
    pub token: Option<(SecretString, TokenSource)>,
    pub theme: Theme,
    /// How long to wait for the browser to come back.
    pub auth_wait: Duration,
    /// The API behaves as Webex for Government (`FedRAMP`).
    pub fedramp: bool,
}

/// The whole state of the wizard.
pub struct App {
    /// What the steps hand to each other, and how the wizard was started.
    pub session: Session,
    pub step: Step,
    /// Each step's own state.
    pub steps: Box<Steps>,
    /// Recovered credentials waiting to be shown after the current ones.
    pub recovered: Vec<(PathBuf, SavedCredentials)>,
    /// Windows over the step; the last one has the keyboard.
    pub overlays: Vec<Overlay>,
    /// A draft to offer once any recovered credentials were dealt with.
    pub draft_offer: Option<SavedDraft>,
    pub notice: Option<Notice>,
    pub exit: Option<Exit>,
    /// A signal (or Ctrl-C) came while the create was on its way: stop once its answer is kept.
    pub stop_after_create: Option<i32>,
    /// How many recovered credentials the start found (for "1 of 3").
    pub recovered_total: usize,
    /// `s` in the quit question: quit once the save it started has worked.
    pub quit_after_save: bool,
    /// What was typed in the quit question towards [`STORED_WORD`].
    pub quit_typed: String,
}

/// What is typed in the quit question to say the secret was stored elsewhere: a word, so that
/// no key pressed by habit says it.
pub const STORED_WORD: &str = "kept";

pub use super::widgets::{multi_line, single_line};

impl App {
    pub fn new(config: AppConfig) -> Self {
        let (token, source, status) = match config.token {
            Some((token, source)) => (Some(token), source, TokenStatus::Checking),
            None => (None, TokenSource::Typed, TokenStatus::Missing),
        };
        let mut app = App {
            session: Session {
                admin: super::context::Admin {
                    token,
                    source,
                    status,
                },
                draft: IntegrationDraft::default(),
                listing: super::context::Listing::default(),
                credentials: None,
                tokens: None,
                bot_token: None,
                env: config.env,
                catalog: config.catalog,
                theme: config.theme,
                fedramp: config.fedramp,
                auth_wait: config.auth_wait,
                remote: None,
                policy: crate::policy::Policy::default(),
                screen: (80, 24),
                spinner: 0,
                intent: Intent::default(),
                token_radar: None,
                updating: None,
                update_from: None,
                justification: None,
                tested_token: None,
            },
            step: Step::Start,
            steps: Box::default(),
            recovered: Vec::new(),
            overlays: Vec::new(),
            draft_offer: None,
            notice: None,
            exit: None,
            stop_after_create: None,
            recovered_total: 0,
            quit_after_save: false,
            quit_typed: String::new(),
        };
        app.steps.scopes.refilter(app.session.catalog);
        app
    }

    /// Fill the form from a draft (an earlier session's, or a test's).
    pub fn load_draft(&mut self, draft: &IntegrationDraft) {
        self.steps.details.load(draft);
        self.steps.redirects.load(draft);
        self.steps.scopes.chosen.clone_from(&draft.scopes);
        self.steps.scopes.refilter(self.session.catalog);
        self.sync_draft();
    }

    /// Copy the form as typed into the session, where the steps read it.
    pub fn sync_draft(&mut self) {
        self.session.draft = self.draft();
    }

    /// Empty the form: an update is over, and what it loaded is no draft of a new
    /// integration.
    pub fn clear_form(&mut self) {
        self.steps.details = super::steps::details::State::default();
        self.steps.redirects = super::steps::redirects::State::default();
        self.steps.scopes = super::steps::scopes::State::default();
        self.steps.scopes.refilter(self.session.catalog);
        self.session.update_from = None;
        self.sync_draft();
    }

    /// What the user typed, as the request's fields.
    pub fn draft(&self) -> IntegrationDraft {
        let mut draft = IntegrationDraft {
            redirect_urls: self.steps.redirects.urls(),
            scopes: self.steps.scopes.chosen.clone(),
            ..IntegrationDraft::default()
        };
        self.steps.details.write(&mut draft);
        draft
    }

    /// A message over the key bar.
    pub fn notify(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: false,
            cause: None,
        });
    }

    /// A problem over the key bar.
    pub fn problem(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: true,
            cause: None,
        });
    }

    /// A problem message that goes away once `cause` is put right.
    pub fn problem_about(&mut self, cause: Cause, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error: true,
            cause: Some(cause),
        });
    }

    /// A one-time secret is on screen and not yet copied or saved.
    pub fn secret_at_risk(&self) -> bool {
        self.session.secret_at_risk()
    }

    /// The recovery file of the credentials on screen, if any.
    pub fn recovery_path(&self) -> Option<&PathBuf> {
        self.session
            .credentials
            .as_ref()
            .and_then(|c| c.recovery.as_ref())
    }

    /// The submit is on its way.
    pub fn is_sending(&self) -> bool {
        matches!(self.steps.creating, Some(CreateState::Sending { .. }))
    }

    /// Whether the Connect step shows the masked token field.
    pub fn connect_wants_token(&self) -> bool {
        self.session.admin.wants_token()
    }

    /// Typed characters go into a field (so `?` and `q` are text, not keys).
    pub fn typing(&self) -> bool {
        self.overlays.is_empty() && self.focused_input().is_some()
    }

    /// The one place the step changes: a fresh Review opens at its top, and a message about the
    /// step left behind goes with it. (`crate::tui::route::go` also saves the draft, as a step change does.)
    pub fn enter(&mut self, step: Step) {
        if step == Step::Review && self.step != Step::Review {
            self.steps.review = super::steps::review::State::default();
        }
        self.step = step;
        self.notice = None;
    }
}

pub use super::steps::Step;
pub use super::steps::authorize::{AuthPhase, AuthorizeState};
pub use super::steps::bot::BotState;
pub use super::steps::bot_token::BotTokenState;
pub use super::steps::connect::{ConnectState, TokenSource, TokenStatus, token_input};
pub use super::steps::creating::CreateState;
pub use super::steps::credentials::CredentialsState;
pub use super::steps::details::{DETAIL_FIELDS, DetailsState};
pub use super::steps::manage::{Listing, ManageState};
pub use super::steps::redirects::{
    DEFAULT_REDIRECT_URL, REDIRECT_PLACEHOLDER, REDIRECT_SUGGESTION, RedirectState,
};
pub use super::steps::scope_list::{PRESETS, Preset, ScopeRow, ScopeState};
pub use super::steps::scope_test::ScopeTestState;
pub use super::steps::tokens::TokensState;
