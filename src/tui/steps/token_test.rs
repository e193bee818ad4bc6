//! Test a token: paste an access token (hidden), then the scope tester probes every scope of
//! the catalog that has a read-only request, so the table says what the token may do.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui_textarea::TextArea;
use secrecy::SecretString;

use crate::secret;
use crate::tui::context::{Cx, Request, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ESC, bind, clear, undo};
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::{FieldView, paste_token, prose, single_line, type_into};

/// The masked field for the access token (the token itself goes to the session's
/// `tested_token` once Enter takes it).
pub struct State {
    pub field: TextArea<'static>,
}

impl Default for State {
    fn default() -> Self {
        State {
            field: token_field(),
        }
    }
}

/// The masked field for the access token.
pub fn token_field() -> TextArea<'static> {
    let mut area = single_line("", "paste an access token (input is hidden)");
    area.set_mask_char('•');
    area
}

impl StepState for State {
    const TITLE: &'static str = "Test a token";
    const PURPOSE: &'static str =
        "Paste an access token: each scope's read-only request says what it may do.";
    const PHASE: Phase = Phase::Manage;
    const KEYS: &'static [Binding<Self>] = &[
        bind(
            "Enter",
            &[Plain(KeyCode::Enter)],
            A::Enter,
            "test",
            "probe every scope with the token",
        ),
        clear(),
        undo(),
        bind("Esc", ESC, A::Back, "back", "back to what to do"),
    ];

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        match action {
            Some(Action::Enter) => {
                let text = secret::clean_token(&self.field.lines().join(""));
                if text.is_empty() {
                    cx.problem("Paste an access token first.");
                    return Vec::new();
                }
                self.field = token_field();
                cx.session.tested_token = Some(SecretString::from(text));
                cx.ask(Request::Open(Step::TestScopes));
            }
            Some(Action::Back) => cx.go(Step::Start),
            Some(Action::Quit) => cx.ask(Request::AskToQuit),
            other => type_into(&mut self.field, other, key),
        }
        Vec::new()
    }

    fn on_paste(&mut self, _cx: &mut Cx, text: &str) -> Vec<Effect> {
        paste_token(&mut self.field, text);
        Vec::new()
    }

    fn focused_input(&self, _session: &Session) -> Option<&TextArea<'static>> {
        Some(&self.field)
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self, session, frame, area);
    }
}

fn draw(state: &State, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let [field, help] = Layout::vertical([Constraint::Length(4), Constraint::Min(0)]).areas(area);
    FieldView {
        label: "Access token",
        input: &state.field,
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
                "An integration's access token (from webex-wizard authorize), a bot token, or \
                    a personal access token. Each scope's read-only request is sent once; the \
                    table shows which work.",
                t.dim(),
            ),
        ]),
        help,
    );
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::super::testing::{app_on, press, type_text};
    use crate::tui::app::Step;
    use crate::tui::effect::Effect;

    /// `?` is text in the token field (a token may hold one), not the help window.
    #[test]
    fn a_question_mark_is_typed_into_the_field() {
        let mut app = app_on(Step::TokenTest);
        type_text(&mut app, "junk?token");
        assert!(app.overlays.is_empty(), "help opened while typing");
        assert_eq!(app.steps.token_test.field.lines().join(""), "junk?token");
        let effects = press(&mut app, KeyCode::Enter);
        assert_eq!(app.step, Step::TestScopes);
        assert!(
            matches!(effects.as_slice(), [.., Effect::TestScopes { .. }]),
            "{effects:?}"
        );
    }
}
