//! The first screen: what to do. Creating an integration is the highlighted first choice, so
//! it stays one Enter away from launch.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::tui::context::{Cx, Request, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, bind};
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::prose;

/// Which choice is highlighted.
#[derive(Debug, Default)]
pub struct State {
    pub cursor: usize,
}

pub use crate::tui::context::Intent;

/// The choices, in order, with one line each.
pub const CHOICES: &[(Intent, &str, &str)] = &[
    (
        Intent::CreateIntegration,
        "Create an integration",
        "the form, then the one-time secret, authorization and a scope test",
    ),
    (
        Intent::CreateBot,
        "Create a bot",
        "its details, address and picture, then its one-time token",
    ),
    (
        Intent::Manage,
        "Manage existing applications",
        "list them; see, update, give a new secret to, or delete one",
    ),
    (
        Intent::TestToken,
        "Test a token",
        "paste an access token and see which scopes' requests it may make",
    ),
    (
        Intent::SavedTokens,
        "Saved tokens",
        "when each saved token expires; refresh one before it dies",
    ),
];

impl StepState for State {
    const TITLE: &'static str = "Start";
    const PURPOSE: &'static str = "What to do: create, manage what exists, or test a token.";
    const PHASE: Phase = Phase::Choose;
    const KEYS: &'static [Binding<Self>] = &[
        bind(
            "↑↓",
            &[Plain(KeyCode::Up), Plain(KeyCode::Char('k'))],
            A::Up,
            "choose",
            "move up and down the choices",
        ),
        bind(
            "",
            &[Plain(KeyCode::Down), Plain(KeyCode::Char('j'))],
            A::Down,
            "",
            "",
        ),
        bind(
            "Enter",
            &[Plain(KeyCode::Enter)],
            A::Enter,
            "go",
            "do the highlighted choice",
        ),
        // Ctrl-C is on the bar already; q quits too, as on every list.
        bind("q", &[Plain(KeyCode::Char('q'))], A::Quit, "", "quit"),
    ];

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
        match action {
            Some(Action::Up) => self.cursor = self.cursor.saturating_sub(1),
            Some(Action::Down) => self.cursor = (self.cursor + 1).min(CHOICES.len() - 1),
            Some(Action::Enter) => {
                cx.session.intent = CHOICES[self.cursor].0;
                match cx.session.intent {
                    Intent::TestToken => cx.go(Step::TokenTest),
                    Intent::SavedTokens => cx.ask(Request::Open(Step::SavedTokens)),
                    Intent::CreateIntegration | Intent::CreateBot | Intent::Manage => {
                        cx.go(Step::Connect);
                    }
                }
            }
            Some(Action::Quit) => cx.ask(Request::AskToQuit),
            _ => {}
        }
        Vec::new()
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self, session, frame, area);
    }
}

fn draw(state: &State, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    // Saved tokens that need attention, where people look first (above the choices, so it
    // stays on an 80x24 screen).
    let mut lines = vec![Line::raw("")];
    if let Some((due, dead)) = session.token_radar.filter(|(due, dead)| due + dead > 0) {
        let mut said = Vec::new();
        if due > 0 {
            said.push(format!("{due} to refresh"));
        }
        if dead > 0 {
            said.push(format!("{dead} dead"));
        }
        lines[0] = Line::styled(
            format!(
                "⚠ Saved tokens: {} (Saved tokens, below, shows which).",
                said.join(", ")
            ),
            t.warning(),
        );
    }
    for (i, (_, title, what)) in CHOICES.iter().enumerate() {
        let on = i == state.cursor;
        let marker = if on { "▸ " } else { "  " };
        let style = if on {
            t.title()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(marker, t.title()),
            Span::styled(*title, style),
        ]));
        lines.push(Line::from(Span::styled(format!("    {what}"), t.dim())));
        lines.push(Line::raw(""));
    }
    frame.render_widget(prose(lines), area);
}

#[cfg(test)]
mod tests {
    use super::super::testing::{app_on, press};
    use super::*;

    #[test]
    fn enter_at_launch_creates_an_integration_and_each_choice_goes_where_it_says() {
        let mut app = app_on(Step::Start);
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            (app.step, app.session.intent),
            (Step::Connect, Intent::CreateIntegration)
        );
        let mut app = app_on(Step::Start);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            (app.step, app.session.intent),
            (Step::Connect, Intent::CreateBot)
        );
        let mut app = app_on(Step::Start);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            (app.step, app.session.intent),
            (Step::Connect, Intent::Manage)
        );
        let mut app = app_on(Step::Start);
        for _ in 0..3 {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            (app.step, app.session.intent),
            (Step::TokenTest, Intent::TestToken)
        );
        let mut app = app_on(Step::Start);
        for _ in 0..9 {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            (app.step, app.session.intent),
            (Step::SavedTokens, Intent::SavedTokens)
        );
    }
}
