//! Step 1, Connect: the environment and the admin token, checked with `GET /people/me`.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui_textarea::TextArea;
use secrecy::{ExposeSecret, SecretString};

use super::{go, type_into};
use crate::secret;
use crate::tui::app::{App, Step, single_line};
use crate::tui::effects::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, clear, ENTER, ESC, undo, bind, when};
use crate::tui::phase::Phase;
use crate::tui::update::problem;
use crate::tui::widgets::{FieldView, error_lines, prose, spinner, wrapped_rows};
use crate::webex::WebexError;
use crate::webex::people::Person;

/// The step's title, and one line on what it is for.
pub(crate) const TITLE: &str = "Connect";
pub(crate) const PURPOSE: &str =
    "Which Webex, and the admin token that may create applications there.";
/// Where the step line shows it: creating the integration, proving it works, or both.
pub(crate) const PHASE: Phase = Phase::Create;

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

pub fn token_input() -> TextArea<'static> {
    let mut area = single_line("", "paste the admin token (input is hidden)");
    area.set_mask_char('•');
    area
}

impl App {
    /// Whether the Connect step shows the masked token field.
    pub fn connect_wants_token(&self) -> bool {
        matches!(
            self.connect.status,
            TokenStatus::Missing | TokenStatus::Invalid(_)
        )
    }
}

pub(crate) fn connect_typing(app: &App, _: &crate::tui::context::Session) -> bool {
    app.connect_wants_token()
}

pub(crate) fn connect_valid(app: &App, _: &crate::tui::context::Session) -> bool {
    matches!(app.connect.status, TokenStatus::Valid(_))
}

fn no_previous(app: &App, _: &crate::tui::context::Session) -> bool {
    !connect_has_previous(app, &app.session) && !matches!(app.connect.status, TokenStatus::Checking)
}

pub(crate) fn connect_has_previous(app: &App, _: &crate::tui::context::Session) -> bool {
    app.connect_wants_token() && app.connect.previous.is_some()
}

pub(crate) const KEYS: &[Binding] = &[
    when(
        bind("Enter", ENTER, A::Enter, "check token", "check the token"),
        connect_typing,
    ),
    when(
        bind(
            "Esc",
            ESC,
            A::Back,
            "keep the earlier token",
            "go back to the token checked before",
        ),
        connect_has_previous,
    ),
    when(clear(), connect_typing),
    when(undo(), connect_typing),
    when(
        bind("Enter", ENTER, A::Enter, "continue", "go on to the details"),
        connect_valid,
    ),
    when(
        bind(
            "t",
            &[Plain(KeyCode::Char('t'))],
            A::OtherToken,
            "use another token",
            "paste another admin token",
        ),
        connect_valid,
    ),
    when(
        bind("Esc", ESC, A::Back, "back", "back to what to do"),
        no_previous,
    ),
];

/// Ask for a (fresh) admin token, then go on to `resume_to`; `reason` says why above the field.
pub(crate) fn ask_for_token(app: &mut App, resume_to: Step, reason: Option<String>) -> Vec<Effect> {
    app.connect.token = None;
    app.connect.status = TokenStatus::Missing;
    app.connect.resume_to = Some(resume_to);
    app.connect.reason = reason;
    go(app, Step::Connect)
}

/// Once the token is good, Enter on Connect goes to `step`.
pub(crate) fn resume_at(app: &mut App, step: Step) {
    app.connect.resume_to = Some(step);
}

/// What the check of a token found.
pub(crate) fn token_checked(app: &mut App, result: Result<Person, WebexError>) {
    match result {
        Ok(person) => {
            app.connect.status = TokenStatus::Valid(person);
            app.connect.reason = None;
            app.connect.previous = None;
        }
        Err(e) => {
            // A refused token is useless; after any other failure, Enter tries it again.
            if e.api_failure()
                .is_some_and(|f| matches!(f.status, 401 | 403))
            {
                app.connect.token = None;
            }
            app.connect.status = TokenStatus::Invalid(e);
        }
    }
}

pub(crate) fn on_key(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    if app.connect_wants_token() {
        match action {
            Some(Action::Enter) => return check_typed_token(app),
            Some(Action::Back) => {
                let Some((token, source, person)) = app.connect.previous.take() else {
                    // No token checked before: back to what to do.
                    return go(app, Step::Start);
                };
                app.connect.token = Some(token);
                app.connect.source = source;
                app.connect.status = TokenStatus::Valid(person);
                app.connect.input = token_input();
                app.notice = None;
            }
            other => type_into(&mut app.connect.input, other, key),
        }
        return Vec::new();
    }
    match action {
        Some(Action::Enter) if app.session.intent == crate::tui::app::Intent::Manage => {
            super::manage::open(app)
        }
        Some(Action::Enter) => {
            let next = app.connect.resume_to.take().unwrap_or(Step::Details);
            go(app, next)
        }
        Some(Action::Back) => go(app, Step::Start),
        Some(Action::OtherToken) => {
            if let (Some(token), TokenStatus::Valid(person)) = (
                app.connect.token.take(),
                std::mem::replace(&mut app.connect.status, TokenStatus::Missing),
            ) {
                app.connect.previous = Some((token, app.connect.source, person));
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub(crate) fn check_typed_token(app: &mut App) -> Vec<Effect> {
    let typed = secret::clean_token(&app.connect.input.lines().join(""));
    // A fresh field: the typed token must not linger in the old one's undo history.
    app.connect.input = token_input();
    let token = match (typed.is_empty(), &app.connect.token) {
        (false, _) => SecretString::from(typed),
        (true, Some(earlier)) => earlier.clone(),
        (true, None) => {
            problem(app, "Paste or type the admin token first.");
            return Vec::new();
        }
    };
    if app
        .connect
        .token
        .as_ref()
        .is_none_or(|t| t.expose_secret() != token.expose_secret())
    {
        app.connect.source = TokenSource::Typed;
    }
    // The token checked before stays until this one is good: Esc goes back to it if not.
    app.connect.token = Some(token.clone());
    app.connect.status = TokenStatus::Checking;
    app.notice = None;
    vec![Effect::CheckToken(token)]
}

/// What Enter does once the token is good, in words.
fn after_a_good_token(c: &ConnectState) -> &'static str {
    match c.resume_to {
        Some(Step::Review) => "Press Enter to go on to the review.",
        Some(Step::Details) => "Press Enter to finish the details.",
        Some(Step::RedirectUrls) => "Press Enter to finish the redirect URLs.",
        Some(Step::Scopes) => "Press Enter to choose the scopes.",
        Some(_) => "Press Enter to continue where you were.",
        None if c.source == TokenSource::Demo => {
            "This is the sandbox's admin token. Press Enter to start."
        }
        None => "Press Enter to continue.",
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.session.theme;
    let c = &app.connect;
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Environment     ", t.dim()),
            Span::raw(app.session.env.label()),
        ]),
        Line::from(vec![
            Span::styled("API base        ", t.dim()),
            Span::raw(app.session.env.base.to_string()),
        ]),
        Line::from(vec![
            Span::styled("Admin token     ", t.dim()),
            Span::raw(match (&c.status, c.token.is_some()) {
                // Where a refused token came from, so the user knows what to fix.
                (TokenStatus::Invalid(_), _) => format!(
                    "{} one refused; paste another below (hidden)",
                    match c.source {
                        TokenSource::Typed => "the typed",
                        TokenSource::Environment => "WEBEX_ADMIN_TOKEN's",
                        TokenSource::File => "--token-file's",
                        TokenSource::Keyring => "the keyring's",
                        TokenSource::Demo => "the sandbox's",
                    }
                ),
                (TokenStatus::Missing, _) => {
                    "needed: paste it below (it stays hidden)".to_owned()
                }
                _ => format!("from {}", c.source.label()),
            }),
        ]),
        Line::raw(""),
    ];
    if let Some(reason) = &c.reason {
        lines.push(Line::styled(reason.clone(), t.warning()));
        lines.push(Line::raw(""));
    }
    match &c.status {
        TokenStatus::Checking => lines.push(Line::raw(format!(
            "{} Checking the token with GET /people/me …",
            spinner(app.session.spinner)
        ))),
        TokenStatus::Valid(person) => {
            lines.push(Line::styled(
                format!(
                    "✔ The token belongs to {}.",
                    crate::text::visible_line(&person.describe())
                ),
                t.ok(),
            ));
            lines.push(Line::raw(""));
            let next = after_a_good_token(c);
            lines.push(Line::raw(next));
        }
        TokenStatus::Invalid(e) => lines.extend(error_lines(e, area.width, t)),
        TokenStatus::Missing => {}
    }
    let wants_token = app.connect_wants_token();
    let [text, field, help] = Layout::vertical([
        Constraint::Length(wrapped_rows(&lines, area.width)),
        Constraint::Length(if wants_token { 3 } else { 0 }),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(prose(lines), text);
    if wants_token {
        FieldView {
            label: "Admin token",
            input: &c.input,
            focused: true,
            problem: None,
            hint: if c.previous.is_some() {
                "Enter checks it; Esc keeps the token checked before. It is never shown, logged or saved."
            } else {
                "Enter checks it. It is never shown, logged or saved."
            },
            theme: t,
        }
        .render(field, frame.buffer_mut());
        frame.render_widget(
            prose(vec![
                Line::raw(""),
                Line::styled(
                    "A FedRAMP admin token comes from Control Hub: sign in at https://admin-usgov.webex.com, open DevTools › Application › Session Storage and copy accessToken. It lasts at most 12 hours.",
                    t.dim(),
                ),
            ]),
            help,
        );
    }
}

/// Pasted text goes where typing would go.
pub(crate) fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
    if app.connect_wants_token() {
        paste_token(&mut app.connect.input, text);
    }
    Vec::new()
}

/// A pasted token into a masked field: cleaned as a typed one is, on one line.
pub(crate) fn paste_token(input: &mut TextArea<'static>, text: &str) {
    input.insert_str(secret::clean_token(text).replace(['\r', '\n'], ""));
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::super::testing::{app_on, press, type_text};
    use crate::tui::app::{Step, TokenStatus};
    use crate::tui::effects::Effect;

    #[test]
    fn a_typed_token_is_checked_and_leaves_the_field() {
        let mut app = app_on(Step::Connect);
        assert!(app.connect_wants_token());
        type_text(&mut app, "Bearer abc");
        let effects = press(&mut app, KeyCode::Enter);
        assert!(matches!(effects.as_slice(), [Effect::CheckToken(_)]));
        assert!(matches!(app.connect.status, TokenStatus::Checking));
        assert!(app.connect.input.is_empty(), "the token stays out of the field");
    }

    #[test]
    fn after_a_refused_token_esc_goes_back_to_the_one_checked_before_then_to_start() {
        use crate::webex::{ApiFailure, Operation, WebexError};
        let mut app = app_on(Step::Connect);
        type_text(&mut app, "good-token");
        press(&mut app, KeyCode::Enter);
        super::token_checked(
            &mut app,
            Ok(crate::webex::people::Person {
                id: "P1".into(),
                emails: vec!["admin@agency.example.gov".into()],
                display_name: None,
                org_id: None,
            }),
        );
        press(&mut app, KeyCode::Char('t'));
        type_text(&mut app, "garbage");
        press(&mut app, KeyCode::Enter);
        let refused = ApiFailure::from_response(
            Operation::CheckAdminToken,
            401,
            &reqwest::header::HeaderMap::new(),
            b"{}",
        );
        super::token_checked(&mut app, Err(WebexError::Api(Box::new(refused))));
        assert!(matches!(app.connect.status, TokenStatus::Invalid(_)));
        // Esc: the token checked before, still good.
        press(&mut app, KeyCode::Esc);
        assert!(matches!(app.connect.status, TokenStatus::Valid(_)));
        assert_eq!(app.step, Step::Connect);
        // Esc again: back to what to do.
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.step, Step::Start);
    }
}
