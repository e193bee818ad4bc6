//! Step 1, Connect: the environment and the admin token, checked with `GET /people/me`.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui_textarea::TextArea;
use secrecy::{ExposeSecret, SecretString};

use crate::secret;
use crate::tui::context::{Cx, Intent, Request, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ENTER, ESC, bind, clear, undo, when};
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::{
    FieldView, error_lines, paste_token, prose, single_line, spinner, type_into, wrapped_rows,
};
use crate::webex::WebexError;
use crate::webex::people::Person;

pub use crate::tui::context::{Admin, TokenSource, TokenStatus};

/// Step 1: the masked field, and where a good token takes the user (the token itself and
/// what is known of it are the session's: every step that calls Webex sends it).
pub struct ConnectState {
    /// The masked field; emptied the moment its text becomes a token.
    pub input: TextArea<'static>,
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

pub type State = ConnectState;

impl Default for ConnectState {
    fn default() -> Self {
        ConnectState {
            input: token_input(),
            resume_to: None,
            reason: None,
            previous: None,
        }
    }
}

fn typing(_: &State, session: &Session) -> bool {
    session.admin.wants_token()
}

fn valid(_: &State, session: &Session) -> bool {
    matches!(session.admin.status, TokenStatus::Valid(_))
}

fn no_previous(c: &State, session: &Session) -> bool {
    !has_previous(c, session) && !matches!(session.admin.status, TokenStatus::Checking)
}

fn has_previous(c: &State, session: &Session) -> bool {
    session.admin.wants_token() && c.previous.is_some()
}

impl StepState for ConnectState {
    const TITLE: &'static str = "Connect";
    const PURPOSE: &'static str =
        "Which Webex, and the admin token that may create applications there.";
    const PHASE: Phase = Phase::Create;
    const KEYS: &'static [Binding<Self>] = &[
        when(
            bind("Enter", ENTER, A::Enter, "check token", "check the token"),
            typing,
        ),
        when(
            bind(
                "Esc",
                ESC,
                A::Back,
                "keep the earlier token",
                "go back to the token checked before",
            ),
            has_previous,
        ),
        when(clear(), typing),
        when(undo(), typing),
        when(
            bind("Enter", ENTER, A::Enter, "continue", "go on to the details"),
            valid,
        ),
        when(
            bind(
                "t",
                &[Plain(KeyCode::Char('t'))],
                A::OtherToken,
                "use another token",
                "paste another admin token",
            ),
            valid,
        ),
        when(
            bind("Esc", ESC, A::Back, "back", "back to what to do"),
            no_previous,
        ),
    ];

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        let admin = &mut cx.session.admin;
        if admin.wants_token() {
            match action {
                Some(Action::Enter) => return self.check_typed_token(cx),
                Some(Action::Back) => {
                    let Some((token, source, person)) = self.previous.take() else {
                        // No token checked before: back to what to do.
                        cx.go(Step::Start);
                        return Vec::new();
                    };
                    admin.token = Some(token);
                    admin.source = source;
                    admin.status = TokenStatus::Valid(person);
                    self.input = token_input();
                    cx.clear_notice();
                }
                other => type_into(&mut self.input, other, key),
            }
            return Vec::new();
        }
        match action {
            Some(Action::Enter) if cx.session.intent == Intent::Manage => {
                cx.ask(Request::Open(Step::Manage));
            }
            Some(Action::Enter) => cx.go(self.resume_to.take().unwrap_or(Step::Details)),
            Some(Action::Back) => cx.go(Step::Start),
            Some(Action::OtherToken) => {
                if let (Some(token), TokenStatus::Valid(person)) = (
                    admin.token.take(),
                    std::mem::replace(&mut admin.status, TokenStatus::Missing),
                ) {
                    self.previous = Some((token, admin.source, person));
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn on_paste(&mut self, cx: &mut Cx, text: &str) -> Vec<Effect> {
        if cx.session.admin.wants_token() {
            paste_token(&mut self.input, text);
        }
        Vec::new()
    }

    fn focused_input(&self, session: &Session) -> Option<&TextArea<'static>> {
        session.admin.wants_token().then_some(&self.input)
    }

    fn busy(&self, session: &Session, _on_screen: bool) -> bool {
        matches!(session.admin.status, TokenStatus::Checking)
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self, session, frame, area);
    }

    fn refocus(&mut self, session: &Session, on_screen: bool) {
        crate::tui::widgets::show_cursor(&mut self.input, session.theme, on_screen);
    }
}

impl ConnectState {
    /// Ask for a (fresh) admin token, then go on to `resume_to`; `reason` says why above
    /// the field.
    pub(crate) fn ask_for_token(&mut self, cx: &mut Cx, resume_to: Step, reason: Option<String>) {
        cx.session.admin.token = None;
        cx.session.admin.status = TokenStatus::Missing;
        self.resume_to = Some(resume_to);
        self.reason = reason;
        cx.go(Step::Connect);
    }

    /// What the check of a token found.
    pub(crate) fn token_checked(&mut self, cx: &mut Cx, result: Result<Person, WebexError>) {
        let admin = &mut cx.session.admin;
        match result {
            Ok(person) => {
                admin.status = TokenStatus::Valid(person);
                self.reason = None;
                self.previous = None;
            }
            Err(e) => {
                // A refused token is useless; after any other failure, Enter tries it again.
                if e.api_failure()
                    .is_some_and(|f| matches!(f.status, 401 | 403))
                {
                    admin.token = None;
                }
                admin.status = TokenStatus::Invalid(e);
            }
        }
    }

    fn check_typed_token(&mut self, cx: &mut Cx) -> Vec<Effect> {
        let typed = secret::clean_token(&self.input.lines().join(""));
        // A fresh field: the typed token must not linger in the old one's undo history.
        self.input = token_input();
        let admin = &mut cx.session.admin;
        let token = match (typed.is_empty(), &admin.token) {
            (false, _) => SecretString::from(typed),
            (true, Some(earlier)) => earlier.clone(),
            (true, None) => {
                cx.problem("Paste or type the admin token first.");
                return Vec::new();
            }
        };
        if admin
            .token
            .as_ref()
            .is_none_or(|t| t.expose_secret() != token.expose_secret())
        {
            admin.source = TokenSource::Typed;
        }
        // The token checked before stays until this one is good: Esc goes back to it if not.
        admin.token = Some(token.clone());
        admin.status = TokenStatus::Checking;
        cx.clear_notice();
        vec![Effect::CheckToken(token)]
    }
}

/// What Enter does once the token is good, in words.
fn after_a_good_token(c: &ConnectState, source: TokenSource) -> &'static str {
    match c.resume_to {
        Some(Step::Review) => "Press Enter to go on to the review.",
        Some(Step::Details) => "Press Enter to finish the details.",
        Some(Step::RedirectUrls) => "Press Enter to finish the redirect URLs.",
        Some(Step::Scopes) => "Press Enter to choose the scopes.",
        Some(_) => "Press Enter to continue where you were.",
        None if source == TokenSource::Demo => {
            "This is the sandbox's admin token. Press Enter to start."
        }
        None => "Press Enter to continue.",
    }
}

fn draw(c: &ConnectState, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let admin = &session.admin;
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Environment     ", t.dim()),
            Span::raw(session.env.label()),
        ]),
        Line::from(vec![
            Span::styled("API base        ", t.dim()),
            Span::raw(session.env.base.to_string()),
        ]),
        Line::from(vec![
            Span::styled("Admin token     ", t.dim()),
            Span::raw(match (&admin.status, admin.token.is_some()) {
                // Where a refused token came from, so the user knows what to fix.
                (TokenStatus::Invalid(_), _) => format!(
                    "{} one refused; paste another below (hidden)",
                    match admin.source {
                        TokenSource::Typed => "the typed",
                        TokenSource::Environment => "WEBEX_ADMIN_TOKEN's",
                        TokenSource::File => "--token-file's",
                        TokenSource::Keyring => "the keyring's",
                        TokenSource::Demo => "the sandbox's",
                    }
                ),
                (TokenStatus::Missing, _) => "needed: paste it below (it stays hidden)".to_owned(),
                _ => format!("from {}", admin.source.label()),
            }),
        ]),
        Line::raw(""),
    ];
    if let Some(reason) = &c.reason {
        lines.push(Line::styled(reason.clone(), t.warning()));
        lines.push(Line::raw(""));
    }
    match &admin.status {
        TokenStatus::Checking => lines.push(Line::raw(format!(
            "{} Checking the token with GET /people/me …",
            spinner(session.spinner)
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
            let next = after_a_good_token(c, admin.source);
            lines.push(Line::raw(next));
        }
        TokenStatus::Invalid(e) => lines.extend(error_lines(e, area.width, t)),
        TokenStatus::Missing => {}
    }
    let wants_token = admin.wants_token();
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
                "Enter checks it; Esc keeps the token checked before. It is never shown, \
                    logged or saved."
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
                    "A FedRAMP admin token comes from Control Hub: sign in at \
                        https://admin-usgov.webex.com, open DevTools › Application › Session \
                        Storage and copy accessToken. It lasts at most 12 hours.",
                    t.dim(),
                ),
            ]),
            help,
        );
    }
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
        assert!(matches!(app.session.admin.status, TokenStatus::Checking));
        assert!(
            app.steps.connect.input.is_empty(),
            "the token stays out of the field"
        );
    }

    #[test]
    fn after_a_refused_token_esc_goes_back_to_the_one_checked_before_then_to_start() {
        use crate::tui::message::Message;
        use crate::tui::update::update;
        use crate::webex::{ApiFailure, Operation, WebexError};
        let mut app = app_on(Step::Connect);
        type_text(&mut app, "good-token");
        press(&mut app, KeyCode::Enter);
        update(
            &mut app,
            Message::TokenChecked(Ok(crate::webex::people::Person {
                id: "P1".into(),
                emails: vec!["admin@agency.example.gov".into()],
                display_name: None,
                org_id: None,
            })),
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
        update(
            &mut app,
            Message::TokenChecked(Err(WebexError::Api(Box::new(refused)))),
        );
        assert!(matches!(app.session.admin.status, TokenStatus::Invalid(_)));
        // Esc: the token checked before, still good.
        press(&mut app, KeyCode::Esc);
        assert!(matches!(app.session.admin.status, TokenStatus::Valid(_)));
        assert_eq!(app.step, Step::Connect);
        // Esc again: back to what to do.
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.step, Step::Start);
    }
}
