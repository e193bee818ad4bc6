//! Step 4, Scopes: the catalog by audience, a filter, presets, the chosen scopes.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::scope_list::{ScopeRow, ScopeState};
use crate::tui::context::{Cause, Cx, Session, Step};
use crate::tui::effect::Effect;
use crate::tui::keys::Key;
use crate::tui::keys::Key::{Ctrl, Plain};
use crate::tui::keys::{
    Action, Action as A, Binding, DOWN_TABBING, ENTER, ESC, UP_DOWN_LABEL, UP_TABBING, also, bind,
};
use crate::tui::phase::Phase;
use crate::tui::steps::StepState;
use crate::tui::widgets::prose;

pub use super::scope_list::{PRESETS, Preset};

pub type State = ScopeState;

impl StepState for ScopeState {
    const TITLE: &'static str = "Scopes";
    const PURPOSE: &'static str =
        "What the integration may ask users for; only these can be requested.";
    const PHASE: Phase = Phase::Create;
    const KEYS: &'static [Binding<Self>] = &[
        bind(
            "Space",
            &[Plain(KeyCode::Char(' '))],
            A::Toggle,
            "toggle",
            "choose or drop the highlighted scope or preset",
        ),
        bind(
            "type",
            &[Key::AnyChar, Plain(KeyCode::Backspace)],
            A::Filter,
            "filter",
            "filter by name and summary (Backspace edits)",
        ),
        bind(
            UP_DOWN_LABEL,
            UP_TABBING,
            A::Up,
            "move",
            "previous / next scope (also Shift-Tab, Tab)",
        ),
        also(DOWN_TABBING, A::Down),
        bind(
            "PgUp/PgDn",
            &[Plain(KeyCode::PageUp)],
            A::PageUp,
            "",
            "ten scopes up / down",
        ),
        also(&[Plain(KeyCode::PageDown)], A::PageDown),
        bind(
            "Home/End",
            &[Plain(KeyCode::Home)],
            A::Home,
            "",
            "first / last scope",
        ),
        also(&[Plain(KeyCode::End)], A::End),
        bind("^U", &[Ctrl('u')], A::ClearLine, "", "clear the filter"),
        bind("Enter", ENTER, A::Enter, "review", "go on to the review"),
        bind(
            "Esc",
            ESC,
            A::Back,
            "back",
            "previous step (the filter is kept)",
        ),
    ];

    fn on_key(&mut self, cx: &mut Cx, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
        let catalog = cx.session.catalog;
        match action {
            Some(Action::ClearLine) => {
                self.filter.clear();
                self.refilter(catalog);
            }
            Some(Action::Toggle) => self.toggle_row(catalog),
            Some(Action::Filter) => {
                match key.code {
                    KeyCode::Char(c) => self.filter.push(c),
                    _ => {
                        self.filter.pop();
                    }
                }
                self.refilter(catalog);
            }
            Some(Action::Up) => self.move_cursor(false, 1),
            Some(Action::Down) => self.move_cursor(true, 1),
            Some(Action::PageUp) => self.move_cursor(false, 10),
            Some(Action::PageDown) => self.move_cursor(true, 10),
            Some(Action::Home) => self.move_cursor(false, usize::MAX),
            Some(Action::End) => self.move_cursor(true, usize::MAX),
            Some(Action::Enter) if self.chosen.is_empty() => {
                self.touched = true;
                cx.problem_about(
                    Cause::NoScope,
                    "Choose at least one scope: Space toggles the highlighted one.",
                );
            }
            Some(Action::Enter) => {
                cx.go(Step::Review);
                // Review warns of a name that exists already; the list comes while it is read.
                if cx.session.updating.is_none()
                    && let Some(token) = cx.session.admin.token.clone()
                {
                    return vec![Effect::ListApplications(token)];
                }
            }
            Some(Action::Back) => cx.go(Step::RedirectUrls),
            _ => {}
        }
        Vec::new()
    }

    fn on_paste(&mut self, cx: &mut Cx, text: &str) -> Vec<Effect> {
        self.filter.push_str(text.lines().next().unwrap_or(""));
        self.refilter(cx.session.catalog);
        Vec::new()
    }

    fn draw(&self, session: &Session, frame: &mut Frame, area: Rect) {
        draw(self, session, frame, area);
    }
}

/// How many are chosen and shown, and where the highlight is among the rows.
fn count_line(s: &ScopeState, session: &Session) -> Line<'static> {
    let t = session.theme;
    let matching = s
        .rows
        .iter()
        .filter(|r| matches!(r, ScopeRow::Scope(_)))
        .count();
    // Where in the catalog the highlight is: its place among the choosable rows shown.
    let choosable: Vec<usize> = (0..s.rows.len())
        .filter(|i| s.rows[*i].is_choosable())
        .collect();
    let place = choosable
        .iter()
        .position(|i| *i == s.cursor)
        .map_or(0, |p| p + 1);
    Line::from(vec![
        Span::styled(format!("{} chosen", s.chosen.len()), t.ok()),
        Span::styled(
            format!(
                " · {matching} of {} scopes shown · row {place} of {}",
                session.catalog.scopes().len(),
                choosable.len()
            ),
            t.dim(),
        ),
    ])
}

fn draw(s: &ScopeState, session: &Session, frame: &mut Frame, area: Rect) {
    use crate::tui::widgets::fit_line;
    let t = session.theme;
    let [title, filter, list, detail, chosen] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(3),
        Constraint::Length(2),
    ])
    .areas(area);
    frame.render_widget(count_line(s, session), title);
    frame.render_widget(
        Line::from(vec![
            Span::styled("Filter: ", t.dim()),
            Span::raw(crate::text::visible_line(&s.filter)),
            Span::styled("▏", t.focused()),
            Span::styled(
                if s.filter.is_empty() {
                    "  type to filter by name or summary"
                } else {
                    ""
                },
                t.dim(),
            ),
        ]),
        filter,
    );
    // The filter is a field like the form's: underlined across, in the focus colour.
    let field = Rect {
        x: filter.x + 8,
        width: filter.width.saturating_sub(9),
        ..filter
    };
    crate::tui::widgets::underline_field(frame.buffer_mut(), field, t.focused());

    let height = usize::from(list.height);
    // Keep two rows below the cursor in view.
    let offset = (s.cursor + 3).saturating_sub(height);
    let longest = session
        .catalog
        .scopes()
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(0);
    let name_width = usize::from(list.width / 2).min(longest);
    for (slot, row) in s.rows.iter().skip(offset).take(height).enumerate() {
        let at = offset + slot;
        let line = fit_line(
            s.row_line(session, *row, name_width, at == s.cursor),
            usize::from(list.width),
        );
        frame.render_widget(line, Rect::new(list.x, list.y + slot as u16, list.width, 1));
    }
    if s.rows.iter().all(|r| !r.is_choosable()) {
        frame.render_widget(
            Line::styled(
                "No scope matches; Backspace or Ctrl-U widens the filter.",
                t.warning(),
            ),
            list,
        );
    }

    let highlighted = s.rows.get(s.cursor).copied();
    frame.render_widget(
        prose(ScopeState::detail_lines(session, highlighted)),
        detail,
    );
    let names = if s.chosen.is_empty() {
        Span::styled("none yet (Space chooses the highlighted scope)", t.dim())
    } else {
        Span::raw(s.chosen.join(", "))
    };
    frame.render_widget(
        prose(vec![Line::from(vec![
            Span::styled("Chosen: ", t.dim()),
            names,
        ])]),
        chosen,
    );
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::super::testing::{app_on, ctrl, press, type_text};
    use crate::tui::app::Step;

    #[test]
    fn typing_filters_space_chooses_and_enter_needs_a_scope() {
        let mut app = app_on(Step::Scopes);
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.step, Step::Scopes, "no scope, no review");
        type_text(&mut app, "audit:events");
        press(&mut app, KeyCode::Char(' '));
        assert_eq!(app.steps.scopes.chosen, ["audit:events_read"]);
        ctrl(&mut app, 'u');
        assert!(app.steps.scopes.filter.is_empty());
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.step, Step::Review);
    }
}
