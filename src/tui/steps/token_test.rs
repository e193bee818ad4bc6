//! Test a token: paste an access token (hidden), then the scope tester probes every scope of
//! the catalog that has a read-only request, so the table says what the token may do.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use secrecy::{ExposeSecret, SecretString};

use super::{go, quit, type_into};
use crate::catalog::FedrampAvailability;
use crate::secret;
use crate::tui::app::{App, ScopeTestState, Step, single_line};
use crate::tui::effects::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, clear, ESC, undo, bind};
use crate::tui::phase::Phase;
use crate::tui::update::problem;
use crate::tui::widgets::{FieldView, prose};

pub(crate) const TITLE: &str = "Test a token";
pub(crate) const PURPOSE: &str = "Paste an access token: each scope's read-only request says what it may do.";
pub(crate) const PHASE: Phase = Phase::Manage;

pub(crate) const KEYS: &[Binding] = &[
    bind("Enter", &[Plain(KeyCode::Enter)], A::Enter, "test", "probe every scope with the token"),
    clear(),
    undo(),
    bind("Esc", ESC, A::Back, "back", "back to what to do"),
];

/// The masked field for the access token.
pub fn token_field() -> ratatui_textarea::TextArea<'static> {
    let mut area = single_line("", "paste an access token (input is hidden)");
    area.set_mask_char('•');
    area
}

/// The scopes a pasted token is tried with: every one with a probe (and, on Webex for
/// Government, not one it lacks).
pub fn scopes_to_try(app: &App) -> Vec<String> {
    app.session.catalog
        .scopes()
        .iter()
        .filter(|s| s.probe.is_some() && !s.deprecated)
        .filter(|s| !app.session.fedramp || s.fedramp != FedrampAvailability::No)
        .map(|s| s.name.clone())
        .collect()
}

pub(crate) fn on_key(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    match action {
        Some(Action::Enter) => {
            let text = secret::clean_token(&app.token_test.lines().join(""));
            if text.is_empty() {
                problem(app, "Paste an access token first.");
                return Vec::new();
            }
            *app.token_test = token_field();
            app.session.tested_token = Some(SecretString::from(text));
            probe(app)
        }
        Some(Action::Back) => go(app, Step::Start),
        Some(Action::Quit) => quit(app),
        other => {
            type_into(&mut app.token_test, other, key);
            Vec::new()
        }
    }
}

pub(crate) fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
    super::connect::paste_token(&mut app.token_test, text);
    Vec::new()
}

/// Probe every scope with the pasted token, on the scope table.
pub(crate) fn probe(app: &mut App) -> Vec<Effect> {
    let Some(token) = app.session.tested_token.clone() else {
        return Vec::new();
    };
    let scopes = scopes_to_try(app);
    app.scope_test = Some(ScopeTestState {
        refused: None,
        rows: scopes.iter().map(|s| (s.clone(), None)).collect(),
        cursor: 0,
        open: false,
        expiry: None,
    });
    app.enter(Step::TestScopes);
    vec![Effect::TestScopes {
        token,
        scopes,
        fedramp: app.session.fedramp,
    }]
}

/// Whether a token was pasted earlier (the scope table then goes back here, not to Tokens).
pub fn came_from_paste(app: &App, _: &crate::tui::context::Session) -> bool {
    app.session.tested_token
        .as_ref()
        .is_some_and(|t| !t.expose_secret().is_empty())
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.session.theme;
    let [field, help] = Layout::vertical([Constraint::Length(4), Constraint::Min(0)]).areas(area);
    FieldView {
        label: "Access token",
        input: &app.token_test,
        focused: true,
        problem: None,
        hint: "Enter tests it. It is never shown, logged or saved.",
        theme: t,
    }
    .render(field, frame.buffer_mut());
    frame.render_widget(
        prose(vec![
            Line::raw(""),
            Line::styled(
                "An integration's access token (from webex-wizard authorize), a bot token, or a personal access token. Each scope's read-only request is sent once; the table shows which work.",
                t.dim(),
            ),
        ]),
        help,
    );
}
