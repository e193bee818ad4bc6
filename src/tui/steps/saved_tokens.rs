//! Saved tokens (from Start): every saved tokens file, when its tokens expire and what to do,
//! as `webex-wizard tokens` shows them; `r` refreshes the chosen one with its client's saved
//! credentials (the shared `token_refresh`), and the screen says what happened.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use time::OffsetDateTime;

use crate::text::{cut_end, visible_line};
use crate::token_radar::{SavedTokens, Status, when_words};
use crate::tui::context::{Cx, Request, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key::Plain;
use crate::tui::keys::{Action, Action as A, Binding, ESC, bind};
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::{fit_line, prose, spinner};

/// The list, the row chosen, and what is running.
#[derive(Default)]
pub struct SavedTokensState {
    /// `None` while the files are being read.
    pub rows: Option<Vec<SavedTokens>>,
    pub cursor: usize,
    pub refreshing: bool,
}

pub type State = SavedTokensState;

impl StepState for SavedTokensState {
    const TITLE: &'static str = "Saved tokens";
    const PURPOSE: &'static str = "When each saved token expires; r refreshes the chosen one.";
    const PHASE: Phase = Phase::Manage;
    const KEYS: &'static [Binding<Self>] = &[
        bind(
            "↑↓",
            &[Plain(KeyCode::Up), Plain(KeyCode::Char('k'))],
            A::Up,
            "choose",
            "move up and down the saved tokens",
        ),
        bind(
            "",
            &[Plain(KeyCode::Down), Plain(KeyCode::Char('j'))],
            A::Down,
            "",
            "",
        ),
        bind(
            "r",
            &[Plain(KeyCode::Char('r'))],
            A::RunAgain,
            "refresh",
            "refresh the chosen tokens with their client's saved credentials",
        ),
        bind("Esc", ESC, A::Back, "back", "back to what to do"),
        bind("q", &[Plain(KeyCode::Char('q'))], A::Quit, "quit", "quit"),
    ];

    /// Opened from Start: read the files (an effect: no I/O in update).
    fn open(&mut self, cx: &mut Cx, step: Step) -> Vec<Effect> {
        cx.go(step);
        *self = SavedTokensState::default();
        vec![Effect::ListSavedTokens]
    }

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, _key: KeyEvent) -> Vec<Effect> {
        let count = self.rows.as_ref().map_or(0, Vec::len);
        match action {
            Some(Action::Up) => self.cursor = self.cursor.saturating_sub(1),
            Some(Action::Down) => self.cursor = (self.cursor + 1).min(count.saturating_sub(1)),
            Some(Action::RunAgain) if !self.refreshing => {
                let Some(row) = self.rows.as_ref().and_then(|r| r.get(self.cursor)).cloned() else {
                    return Vec::new();
                };
                if matches!(
                    row.status,
                    Status::Dead | Status::Unreadable | Status::Replaced
                ) {
                    cx.problem(
                        "This one can't be refreshed (dead or unreadable): authorize again in \
                            a browser.",
                    );
                    return Vec::new();
                }
                self.refreshing = true;
                return vec![Effect::RefreshSaved(Box::new(row))];
            }
            // Start's warning was counted again with each listing (a refresh lists again).
            Some(Action::Back) => cx.go(Step::Start),
            Some(Action::Quit) => cx.ask(Request::AskToQuit),
            _ => {}
        }
        Vec::new()
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self, session, frame, area);
    }
}

impl SavedTokensState {
    /// The files were read.
    pub(crate) fn on_listed(&mut self, cx: &mut Cx, rows: Vec<SavedTokens>) {
        // Start's warning counts what this list holds: no second scan of the folder.
        cx.session.token_radar = Some(crate::token_radar::counts(&rows));
        self.cursor = self.cursor.min(rows.len().saturating_sub(1));
        self.rows = Some(rows);
    }

    /// A refresh ended: say so, and read the files again.
    pub(crate) fn on_refreshed(
        &mut self,
        cx: &mut Cx,
        result: Result<String, String>,
    ) -> Vec<Effect> {
        self.refreshing = false;
        match result {
            Ok(path) => cx.notify(format!("Refreshed {path} (mode 0600).")),
            Err(why) => cx.problem(format!("Not refreshed: {why}")),
        }
        vec![Effect::ListSavedTokens]
    }
}

/// Under the table: the chosen row's dates in full, its file, scopes and what to do.
fn chosen_lines(
    row: &SavedTokens,
    now: OffsetDateTime,
    t: crate::tui::theme::Theme,
    columns: u16,
) -> Vec<Line<'static>> {
    let width = usize::from(columns);
    let mut lines = Vec::new();
    lines.push(Line::raw(""));
    if let Some(why) = &row.problem {
        lines.push(Line::styled(
            format!("Unreadable: {}", visible_line(why)),
            t.error(),
        ));
    }
    lines.push(Line::styled(
        format!(
            "Access token expires {}; refresh token {}.",
            when_words(row.access_expires, now),
            when_words(row.refresh_expires, now)
        ),
        t.dim(),
    ));
    lines.extend(crate::tui::widgets::secret_panel::path_lines(
        "File ", &row.path, width, t,
    ));
    lines.extend(crate::tui::widgets::hanging(
        &Span::styled("Scopes ", t.dim()),
        &visible_line(&row.scopes.join(" ")),
        columns,
    ));
    if matches!(row.status, Status::Ok | Status::RefreshSoon) {
        lines.push(Line::styled(
            "Test them: webex-wizard test-scopes --access-token-file FILE",
            t.dim(),
        ));
    }
    lines
}

fn draw(s: &SavedTokensState, session: &Session, frame: &mut Frame, area: Rect) {
    let t = session.theme;
    let Some(rows) = &s.rows else {
        frame.render_widget(
            prose(vec![Line::raw(format!(
                "{} Reading the saved tokens …",
                spinner(session.spinner)
            ))]),
            area,
        );
        return;
    };
    if rows.is_empty() {
        frame.render_widget(
            prose(vec![Line::raw(
                "No saved tokens yet: the Tokens screen's s (after an \
                authorization) saves them.",
            )]),
            area,
        );
        return;
    }
    let now = OffsetDateTime::now_utc();
    let width = usize::from(area.width);
    // Days in the table (it fits 80 columns); the chosen row's dates in full below it.
    let days = |t: Option<OffsetDateTime>| {
        t.map_or_else(
            || "unknown".to_owned(),
            |t| crate::token_radar::relative(t, now),
        )
    };
    let mut lines = vec![fit_line(
        Line::styled(
            format!(
                "  {:<22} {:<14} {:<14} {:<14}",
                "INTEGRATION", "STATUS", "ACCESS", "REFRESH"
            ),
            t.dim(),
        ),
        width,
    )];
    // The list scrolls: the chosen row and its details below always stay on screen.
    let room = usize::from(area.height).saturating_sub(9).max(3);
    let first = (s.cursor + 1).saturating_sub(room);
    if first > 0 || rows.len() > first + room {
        lines[0] = fit_line(
            Line::styled(
                format!(
                    "  {:<22} {:<14} {:<14} {:<14} ({}–{} of {})",
                    "INTEGRATION",
                    "STATUS",
                    "ACCESS",
                    "REFRESH",
                    first + 1,
                    (first + room).min(rows.len()),
                    rows.len()
                ),
                t.dim(),
            ),
            width,
        );
    }
    for (i, row) in rows.iter().enumerate().skip(first).take(room) {
        let on = i == s.cursor;
        let name = row.name.clone().unwrap_or_else(|| row.client_id.clone());
        let status_style = match row.status {
            Status::Ok => t.ok(),
            Status::RefreshSoon | Status::AccessExpired => t.warning(),
            Status::Dead | Status::Unreadable => t.error(),
            Status::Replaced => t.dim(),
        };
        let base = if on {
            t.title()
        } else {
            ratatui::style::Style::default()
        };
        let line = Line::from(vec![
            Span::styled(if on { "▸ " } else { "  " }, t.title()),
            Span::styled(format!("{:<22} ", cut_end(&visible_line(&name), 22)), base),
            Span::styled(format!("{:<14} ", row.status.label()), status_style),
            Span::styled(
                format!(
                    "{:<14} {:<14}",
                    days(row.access_expires),
                    days(row.refresh_expires)
                ),
                base,
            ),
        ]);
        lines.push(fit_line(line, width));
    }
    if let Some(row) = rows.get(s.cursor) {
        lines.extend(chosen_lines(row, now, session.theme, area.width));
    }
    if s.refreshing {
        lines.push(Line::raw(format!(
            "{} Refreshing …",
            spinner(session.spinner)
        )));
    }
    frame.render_widget(prose(lines), area);
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::super::testing::{app_on, press};
    use super::*;

    fn row(name: &str, status: Status) -> SavedTokens {
        SavedTokens {
            path: format!("/tmp/{name}.json").into(),
            client_id: format!("C-{name}"),
            name: Some(name.into()),
            api_base: "https://api-usgov.webex.com/v1".into(),
            scopes: vec!["spark:people_read".into()],
            access_expires: None,
            refresh_expires: None,
            has_refresh_token: true,
            status,
            problem: None,
        }
    }

    #[test]
    fn start_opens_it_and_r_refreshes_the_chosen_one_but_not_a_dead_one() {
        let mut app = app_on(Step::Start);
        for _ in 0..4 {
            press(&mut app, KeyCode::Down);
        }
        let effects = press(&mut app, KeyCode::Enter);
        assert_eq!(app.step, Step::SavedTokens);
        assert!(
            effects.iter().any(|e| matches!(e, Effect::ListSavedTokens)),
            "{effects:?}"
        );
        crate::tui::update::update(
            &mut app,
            crate::tui::message::Message::SavedTokensListed(vec![
                row("dead", Status::Dead),
                row("soon", Status::RefreshSoon),
            ]),
        );
        let effects = press(&mut app, KeyCode::Char('r'));
        assert!(effects.is_empty(), "a dead one was sent: {effects:?}");
        assert!(app.notice.as_ref().is_some_and(|n| n.is_error));
        press(&mut app, KeyCode::Down);
        let effects = press(&mut app, KeyCode::Char('r'));
        assert!(
            matches!(effects.as_slice(), [Effect::RefreshSaved(r)] if r.client_id == "C-soon"),
            "{effects:?}"
        );
        // One at a time.
        assert!(press(&mut app, KeyCode::Char('r')).is_empty());
        let effects = crate::tui::update::update(
            &mut app,
            crate::tui::message::Message::SavedRefreshed(Ok("/tmp/soon.json".into())),
        );
        assert!(matches!(effects.as_slice(), [Effect::ListSavedTokens]));
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.step, Step::Start);
    }
}
