//! The wizard's state: which step, what the user typed, what is in flight.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ratatui::style::{Modifier, Style};
use ratatui_textarea::{TextArea, WrapMode};
use secrecy::{ExposeSecret, SecretString};

use crate::catalog::{Audience, Catalog, Scope};
use crate::credentials::SavedCredentials;
use crate::draft::SavedDraft;
use crate::env::Environment;
use crate::integration::IntegrationDraft;
use crate::oauth::{FlowError, Tokens};
use crate::scope_test::ProbeResult;
use crate::validate::{self, Field};
use crate::webex::people::Person;
use crate::webex::{ApiFailure, WebexError};
use time::OffsetDateTime;

use super::theme::Theme;

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Connect,
    Details,
    RedirectUrls,
    Scopes,
    Review,
    Creating,
    Credentials,
    Authorize,
    Tokens,
    TestScopes,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 10] = [
        Step::Connect,
        Step::Details,
        Step::RedirectUrls,
        Step::Scopes,
        Step::Review,
        Step::Creating,
        Step::Credentials,
        Step::Authorize,
        Step::Tokens,
        Step::TestScopes,
    ];

    /// Creating the integration.
    pub const CREATE: [Step; 7] = [
        Step::Connect,
        Step::Details,
        Step::RedirectUrls,
        Step::Scopes,
        Step::Review,
        Step::Creating,
        Step::Credentials,
    ];
    /// Proving that it works.
    pub const PROVE: [Step; 4] = [
        Step::Credentials,
        Step::Authorize,
        Step::Tokens,
        Step::TestScopes,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Step::Connect => "Connect",
            Step::Details => "Details",
            Step::RedirectUrls => "Redirect URLs",
            Step::Scopes => "Scopes",
            Step::Review => "Review",
            Step::Creating => "Creating",
            Step::Credentials => "Credentials",
            Step::Authorize => "Authorize",
            Step::Tokens => "Tokens",
            Step::TestScopes => "Test scopes",
        }
    }
}

/// Where the admin token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Demo,
    File,
    Environment,
    Typed,
}

impl TokenSource {
    pub fn label(self) -> &'static str {
        match self {
            TokenSource::Demo => "the sandbox (--demo)",
            TokenSource::File => "--token-file",
            TokenSource::Environment => "WEBEX_ADMIN_TOKEN",
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

/// Step 1.
pub struct ConnectState {
    /// The masked field; emptied the moment its text becomes a token.
    pub input: TextArea<'static>,
    pub token: Option<SecretString>,
    pub source: TokenSource,
    pub status: TokenStatus,
    /// After a 401 on submit: where a valid token takes the user back to.
    pub resume_to: Option<Step>,
    /// Why the user was sent back here (a refused submit), shown above the field.
    pub reason: Option<String>,
    /// The token checked before the user asked for another one (`t`); Esc goes back to it.
    pub previous: Option<(SecretString, TokenSource, Person)>,
}

/// The four fields of step 2, in focus order.
pub const DETAIL_FIELDS: [Field; 4] = [
    Field::Name,
    Field::Description,
    Field::ContactEmail,
    Field::CompanyName,
];

/// Step 2.
pub struct DetailsState {
    pub inputs: [TextArea<'static>; 4],
    pub focus: usize,
    /// A field's problem shows once it has text or the user tried to leave the step.
    pub touched: [bool; 4],
}

/// Step 3.
pub struct RedirectState {
    pub lines: Vec<TextArea<'static>>,
    pub focus: usize,
    pub touched: bool,
}

/// A preset offered above the scope list.
pub struct Preset {
    pub label: &'static str,
    pub scopes: &'static [&'static str],
}

/// The presets; a unit test checks that every scope is in the catalog.
pub const PRESETS: &[Preset] = &[
    Preset {
        label: "Read my profile",
        scopes: &["spark:people_read"],
    },
    Preset {
        label: "Messaging as a user",
        scopes: &[
            "spark:people_read",
            "spark:rooms_read",
            "spark:messages_read",
            "spark:messages_write",
        ],
    },
    Preset {
        label: "Admin audit",
        scopes: &["audit:events_read", "spark-admin:people_read"],
    },
    Preset {
        label: "Meetings (read)",
        scopes: &["meeting:schedules_read", "meeting:recordings_read"],
    },
];

/// One row of the scope list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeRow {
    Header(Audience),
    PresetHeader,
    Preset(usize),
    Scope(usize),
}

impl ScopeRow {
    pub fn is_choosable(self) -> bool {
        matches!(self, ScopeRow::Preset(_) | ScopeRow::Scope(_))
    }
}

/// Step 4.
pub struct ScopeState {
    pub filter: String,
    pub rows: Vec<ScopeRow>,
    /// Index into `rows`; always a choosable row when there is one.
    pub cursor: usize,
    /// Chosen scopes, in the order they were chosen.
    pub chosen: Vec<String>,
    pub touched: bool,
}

/// The submit as it stands.
pub enum CreateState {
    Sending { started: Instant, elapsed: Duration },
    Failed(Box<WebexError>),
}

/// Step 7.
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
}

impl CredentialsState {
    /// The secret is somewhere the user keeps it: saved, taken by a clipboard tool, or the
    /// user says so. An OSC 52 copy alone can't be confirmed, so it does not count.
    pub fn is_stored(&self) -> bool {
        self.copied_secret || self.saved_to.is_some() || self.stored_by_user
    }

    /// Fresh credentials on screen, with `recovery` as their 0600 copy.
    pub fn new(saved: SavedCredentials, recovery: Option<PathBuf>, recovered: bool) -> Self {
        CredentialsState {
            saved,
            revealed: false,
            copied_secret: false,
            sent_to_terminal: false,
            stored_by_user: false,
            copied_id: false,
            saved_to: None,
            recovery,
            recovered,
        }
    }
}

/// Where the authorization stands.
pub enum AuthPhase {
    /// Choosing the redirect URL and the scopes.
    Choose,
    /// Listening (or waiting for a paste); the URL is on screen.
    Waiting {
        url: String,
        loopback: bool,
        started: Instant,
        remaining: Duration,
    },
    Exchanging,
    Failed(Box<FlowError>),
}

/// Step 8: authorize the new integration in the browser.
pub struct AuthorizeState {
    pub redirect: usize,
    /// The registered scopes, each asked for or not.
    pub scopes: Vec<(String, bool)>,
    /// Rows: the redirect URLs, then the scopes.
    pub cursor: usize,
    pub phase: AuthPhase,
    pub show_qr: bool,
    /// Where the user pastes the address the browser landed on (non-loopback redirects).
    pub paste: TextArea<'static>,
    pub browser_opened: Option<bool>,
    /// Callbacks refused because they were not the answer to this authorization.
    pub refused: usize,
}

/// Step 9: the tokens.
pub struct TokensState {
    pub tokens: Tokens,
    pub revealed: bool,
    pub copied: bool,
    /// Sent to the terminal as OSC 52, unconfirmed.
    pub sent_to_terminal: bool,
    pub saved_to: Option<PathBuf>,
}

/// Step 10: what the token can really do.
pub struct ScopeTestState {
    /// Each scope with its result once its probe finished.
    pub rows: Vec<(String, Option<ProbeResult>)>,
    pub cursor: usize,
    /// The highlighted row's details are open.
    pub open: bool,
    pub expiry: Option<Result<OffsetDateTime, String>>,
}

impl ScopeTestState {
    pub fn is_done(&self) -> bool {
        self.rows.iter().all(|(_, r)| r.is_some())
    }
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
    /// Recovery files that hold no readable credentials.
    Unreadable(Vec<PathBuf>),
    /// Notes that an earlier session was stopped while a create was on its way.
    PendingCreate(Vec<(PathBuf, crate::draft::PendingCreate)>),
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

/// How the wizard was started.
pub struct AppConfig {
    pub env: Environment,
    pub catalog: &'static Catalog,
    pub token: Option<(SecretString, TokenSource)>,
    pub theme: Theme,
    /// How long to wait for the browser to come back.
    pub auth_wait: Duration,
    /// The API behaves as Webex for Government (FedRAMP).
    pub fedramp: bool,
}

/// The whole state of the wizard.
pub struct App {
    pub step: Step,
    pub env: Environment,
    pub catalog: &'static Catalog,
    pub theme: Theme,
    pub connect: ConnectState,
    pub details: DetailsState,
    pub redirects: RedirectState,
    pub scopes: ScopeState,
    pub review_scroll: u16,
    pub create: Option<CreateState>,
    pub credentials: Option<CredentialsState>,
    pub authorize: Option<AuthorizeState>,
    pub tokens: Option<TokensState>,
    pub scope_test: Option<ScopeTestState>,
    pub auth_wait: Duration,
    pub fedramp: bool,
    /// Recovered credentials waiting to be shown after the current ones.
    pub recovered: Vec<(PathBuf, SavedCredentials)>,
    /// Windows over the step; the last one has the keyboard.
    pub overlays: Vec<Overlay>,
    /// A draft to offer once any recovered credentials were dealt with.
    pub draft_offer: Option<SavedDraft>,
    pub notice: Option<Notice>,
    pub spinner: usize,
    pub exit: Option<Exit>,
    /// The terminal's size (columns, rows), for scrolling that stops at the end.
    pub screen: (u16, u16),
    /// How far the review is scrolled sideways.
    pub review_column: u16,
    /// A signal (or Ctrl-C) came while the create was on its way: stop once its answer is kept.
    pub stop_after_create: Option<i32>,
}

/// The redirect URL offered as a starting point.
pub const DEFAULT_REDIRECT_URL: &str = "http://localhost:8080/callback";

/// What an empty redirect line says.
pub const REDIRECT_PLACEHOLDER: &str = "(empty: Enter goes to the next step)";

/// What an empty redirect line says while the suggestion is on offer.
pub const REDIRECT_SUGGESTION: &str = "→ takes http://localhost:8080/callback";

pub fn single_line(text: &str, placeholder: &str) -> TextArea<'static> {
    let mut area = TextArea::new(vec![text.to_owned()]);
    area.set_cursor_line_style(Style::default());
    area.set_placeholder_text(placeholder);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

fn multi_line(text: &str, placeholder: &str) -> TextArea<'static> {
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut area = TextArea::new(lines);
    area.set_cursor_line_style(Style::default());
    area.set_placeholder_text(placeholder);
    area.set_wrap_mode(WrapMode::WordOrGlyph);
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

pub fn token_input() -> TextArea<'static> {
    let mut area = single_line("", "paste the admin token (input is hidden)");
    area.set_mask_char('•');
    area
}

impl App {
    pub fn new(config: AppConfig) -> Self {
        let (token, source, status) = match config.token {
            Some((token, source)) => (Some(token), source, TokenStatus::Checking),
            None => (None, TokenSource::Typed, TokenStatus::Missing),
        };
        let mut app = App {
            step: Step::Connect,
            env: config.env,
            catalog: config.catalog,
            theme: config.theme,
            connect: ConnectState {
                input: token_input(),
                token,
                source,
                status,
                resume_to: None,
                reason: None,
                previous: None,
            },
            details: DetailsState {
                inputs: [
                    single_line("", "e.g. Audit Reader"),
                    multi_line("", "What the integration is for (Enter adds a line)"),
                    single_line("", "e.g. admin@agency.example.gov"),
                    single_line("", "optional"),
                ],
                focus: 0,
                touched: [false; 4],
            },
            redirects: RedirectState {
                // Empty: the offered URL is a suggestion (→ takes it), so what is typed is sent as typed.
                lines: vec![single_line("", REDIRECT_PLACEHOLDER)],
                focus: 0,
                touched: false,
            },
            scopes: ScopeState {
                filter: String::new(),
                rows: Vec::new(),
                cursor: 0,
                chosen: Vec::new(),
                touched: false,
            },
            review_scroll: 0,
            create: None,
            credentials: None,
            authorize: None,
            tokens: None,
            scope_test: None,
            auth_wait: config.auth_wait,
            fedramp: config.fedramp,
            recovered: Vec::new(),
            overlays: Vec::new(),
            draft_offer: None,
            notice: None,
            spinner: 0,
            exit: None,
            screen: (80, 24),
            review_column: 0,
            stop_after_create: None,
        };
        app.refilter();
        app.refocus();
        app
    }

    /// Fill the form from a draft (an earlier session's, or a test's).
    pub fn load_draft(&mut self, draft: &IntegrationDraft) {
        let d = &mut self.details.inputs;
        d[0] = single_line(&draft.name, "e.g. Audit Reader");
        d[1] = multi_line(
            &draft.description,
            "What the integration is for (Enter adds a line)",
        );
        d[2] = single_line(&draft.contact_email, "e.g. admin@agency.example.gov");
        d[3] = single_line(draft.company_name.as_deref().unwrap_or(""), "optional");
        if !draft.redirect_urls.is_empty() {
            self.redirects.lines = draft
                .redirect_urls
                .iter()
                .map(|u| single_line(u, REDIRECT_PLACEHOLDER))
                .collect();
            self.redirects.focus = 0;
        }
        self.scopes.chosen = draft.scopes.clone();
        self.refilter();
        self.refocus();
    }

    /// What the user typed, as the request's fields.
    pub fn draft(&self) -> IntegrationDraft {
        let text = |i: usize| self.details.inputs[i].lines().join("\n");
        let company = text(3);
        IntegrationDraft {
            name: text(0),
            description: text(1),
            contact_email: text(2),
            company_name: (!company.trim().is_empty()).then_some(company),
            redirect_urls: self
                .redirects
                .lines
                .iter()
                .map(|l| l.lines().join(""))
                .filter(|u| !u.trim().is_empty())
                .collect(),
            scopes: self.scopes.chosen.clone(),
        }
    }

    /// The problem with a detail field, whether or not it shows yet.
    pub fn detail_problem(&self, index: usize) -> Option<String> {
        let value = self.details.inputs[index].lines().join("\n");
        let result = match DETAIL_FIELDS[index] {
            Field::Name => validate::check_name(&value),
            Field::Description => validate::check_description(&value),
            Field::ContactEmail => validate::check_contact_email(&value),
            _ if value.trim().is_empty() => Ok(()),
            _ => validate::check_company_name(&value),
        };
        result.err()
    }

    /// The problem with redirect line `index`, whether or not it shows yet.
    pub fn redirect_problem(&self, index: usize) -> Option<String> {
        let value = self.redirects.lines[index].lines().join("");
        if value.trim().is_empty() {
            return None;
        }
        if let Err(e) = validate::check_redirect_url(&value) {
            return Some(e);
        }
        let earlier = self.redirects.lines[..index]
            .iter()
            .any(|l| l.lines().join("").trim() == value.trim());
        earlier.then(|| "this URL is already in the list".to_owned())
    }

    /// The URL → would put on the focused redirect line: only on an empty line, and only
    /// while no line holds it yet.
    pub fn redirect_suggestion(&self) -> Option<&'static str> {
        let r = &self.redirects;
        let focused_empty = r
            .lines
            .get(r.focus)
            .is_some_and(|l| l.lines().join("").trim().is_empty());
        let listed = r
            .lines
            .iter()
            .any(|l| l.lines().join("").trim() == DEFAULT_REDIRECT_URL);
        (focused_empty && !listed).then_some(DEFAULT_REDIRECT_URL)
    }

    /// Whether the redirect list has a loopback URL the wizard can catch a callback on.
    pub fn has_loopback_redirect(&self) -> bool {
        // Drawn on every frame of step 3: look at the lines, not a whole copy of the draft.
        self.redirects.lines.iter().any(|line| {
            validate::check_redirect_url(&line.lines().join(""))
                .is_ok_and(|url| validate::is_loopback_host(&url))
        })
    }

    /// Rebuild the visible scope rows for the current filter, keeping the cursor on the same row if it stays.
    pub fn refilter(&mut self) {
        let before = self.scopes.rows.get(self.scopes.cursor).copied();
        let needle = self.scopes.filter.trim().to_ascii_lowercase();
        let mut rows = Vec::with_capacity(self.catalog.scopes().len() + 10);
        if needle.is_empty() {
            rows.push(ScopeRow::PresetHeader);
            rows.extend((0..PRESETS.len()).map(ScopeRow::Preset));
        }
        let scopes = self.catalog.scopes();
        for audience in Audience::ALL {
            let header_at = rows.len();
            rows.extend(
                scopes
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.audience == audience && s.matches(&needle))
                    .map(|(i, _)| ScopeRow::Scope(i)),
            );
            if rows.len() > header_at {
                rows.insert(header_at, ScopeRow::Header(audience));
            }
        }
        self.scopes.rows = rows;
        self.scopes.cursor = before
            .and_then(|b| self.scopes.rows.iter().position(|r| *r == b))
            .or_else(|| self.scopes.rows.iter().position(|r| r.is_choosable()))
            .unwrap_or(0);
    }

    pub fn scope_at(&self, row: ScopeRow) -> Option<&'static Scope> {
        match row {
            ScopeRow::Scope(i) => self.catalog.scopes().get(i),
            _ => None,
        }
    }

    pub fn is_chosen(&self, name: &str) -> bool {
        self.scopes.chosen.iter().any(|c| c == name)
    }

    /// The text field that has the keyboard, if any.
    pub fn focused_input(&self) -> Option<&TextArea<'static>> {
        match self.step {
            Step::Connect if self.connect_wants_token() => Some(&self.connect.input),
            Step::Details => Some(&self.details.inputs[self.details.focus]),
            Step::RedirectUrls => self.redirects.lines.get(self.redirects.focus),
            Step::Authorize => self.authorize.as_ref().and_then(|a| match a.phase {
                AuthPhase::Waiting {
                    loopback: false, ..
                } => Some(&a.paste),
                _ => None,
            }),
            _ => None,
        }
    }

    /// Whether the Connect step shows the masked token field.
    pub fn connect_wants_token(&self) -> bool {
        matches!(
            self.connect.status,
            TokenStatus::Missing | TokenStatus::Invalid(_)
        )
    }

    /// Typed characters go into a field (so `?` and `q` are text, not keys).
    pub fn typing(&self) -> bool {
        self.overlays.is_empty() && self.focused_input().is_some()
    }

    /// Show the cursor only in the field that has the keyboard.
    pub fn refocus(&mut self) {
        let on = Style::default().add_modifier(Modifier::REVERSED);
        let off = Style::default();
        let placeholder = self.theme.placeholder();
        self.connect.input.set_placeholder_style(placeholder);
        for input in self
            .details
            .inputs
            .iter_mut()
            .chain(self.redirects.lines.iter_mut())
        {
            input.set_placeholder_style(placeholder);
        }
        let step = self.step;
        self.connect
            .input
            .set_cursor_style(if step == Step::Connect { on } else { off });
        for (i, input) in self.details.inputs.iter_mut().enumerate() {
            input.set_cursor_style(if step == Step::Details && i == self.details.focus {
                on
            } else {
                off
            });
        }
        let suggest = self.redirect_suggestion().is_some();
        for (i, line) in self.redirects.lines.iter_mut().enumerate() {
            let focused = step == Step::RedirectUrls && i == self.redirects.focus;
            line.set_cursor_style(if focused { on } else { off });
            line.set_placeholder_text(if focused && suggest {
                REDIRECT_SUGGESTION
            } else {
                REDIRECT_PLACEHOLDER
            });
        }
    }

    /// Something is running that the screen should animate.
    pub fn is_busy(&self) -> bool {
        matches!(self.connect.status, TokenStatus::Checking)
            || matches!(self.create, Some(CreateState::Sending { .. }))
            || self.scope_test.as_ref().is_some_and(|t| !t.is_done())
            || self.authorize.as_ref().is_some_and(|a| {
                matches!(a.phase, AuthPhase::Waiting { .. } | AuthPhase::Exchanging)
            })
    }

    /// The Webex failure of the last submit, if it was refused.
    pub fn create_failure(&self) -> Option<&WebexError> {
        match &self.create {
            Some(CreateState::Failed(e)) => Some(e),
            _ => None,
        }
    }

    pub fn api_failure(&self) -> Option<&ApiFailure> {
        self.create_failure().and_then(WebexError::api_failure)
    }

    /// The field a refused submit names (a 4xx other than 401 whose message names a field).
    pub fn failed_field(&self) -> Option<Field> {
        let f = self.api_failure()?;
        if f.status == 401 || !f.is_client_error() || f.is_integration_limit() {
            return None;
        }
        Field::mentioned_in(&f.all_text())
    }

    /// A one-time secret is on screen and not yet copied or saved.
    pub fn secret_at_risk(&self) -> bool {
        self.credentials.as_ref().is_some_and(|c| !c.is_stored())
    }
}

impl App {
    /// Keep the review's scroll within what there is to see on this screen.
    pub fn clamp_review_scroll(&mut self) {
        self.review_scroll = self.review_scroll.min(super::view::review_max_scroll(self));
    }

    /// The submit is on its way.
    pub fn is_sending(&self) -> bool {
        matches!(self.create, Some(CreateState::Sending { .. }))
    }

    /// The recovery file of the credentials on screen, if any.
    pub fn recovery_path(&self) -> Option<&PathBuf> {
        self.credentials.as_ref().and_then(|c| c.recovery.as_ref())
    }

    /// The secret, for drawing only when revealed.
    pub fn secret_text(&self) -> Option<&str> {
        self.credentials
            .as_ref()
            .filter(|c| c.revealed)
            .map(|c| c.saved.integration.client_secret.expose_secret())
    }
}
