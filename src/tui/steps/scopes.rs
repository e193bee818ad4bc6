//! Step 4, Scopes: the catalog by audience, a filter, presets, the chosen scopes.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::go;
use crate::catalog::{Audience, Scope};
use crate::tui::app::{App, Cause, Step};
use crate::tui::effects::Effect;
use crate::tui::keys::Key;
use crate::tui::keys::Key::{Ctrl, Plain};
use crate::tui::keys::{
    Action, Action as A, Binding, DOWN_TABBING, ENTER, ESC, UP_DOWN_LABEL, UP_TABBING, also, bind,
};
use crate::tui::phase::Phase;
use crate::tui::update::problem_about;
use crate::tui::widgets::prose;

/// The step's title, and one line on what it is for.
pub(crate) const TITLE: &str = "Scopes";
pub(crate) const PURPOSE: &str =
    "What the integration may ask users for; only these can be requested.";
/// Where the step line shows it: creating the integration, proving it works, or both.
pub(crate) const PHASE: Phase = Phase::Create;

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

impl App {
    /// Rebuild the visible scope rows for the current filter, keeping the cursor on the same row if it stays.
    pub fn refilter(&mut self) {
        let before = self.scopes.rows.get(self.scopes.cursor).copied();
        let needle = self.scopes.filter.trim().to_ascii_lowercase();
        let mut rows = Vec::with_capacity(self.session.catalog.scopes().len() + 10);
        if needle.is_empty() {
            rows.push(ScopeRow::PresetHeader);
            rows.extend((0..PRESETS.len()).map(ScopeRow::Preset));
        }
        let scopes = self.session.catalog.scopes();
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
            ScopeRow::Scope(i) => self.session.catalog.scopes().get(i),
            _ => None,
        }
    }

    pub fn is_chosen(&self, name: &str) -> bool {
        self.scopes.chosen.iter().any(|c| c == name)
    }
}

pub(crate) const KEYS: &[Binding] = &[
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

pub(crate) fn on_key(app: &mut App, action: Option<Action>, key: KeyEvent) -> Vec<Effect> {
    use super::scope_list::{move_cursor, toggle_row};
    match action {
        Some(Action::ClearLine) => {
            app.scopes.filter.clear();
            app.refilter();
        }
        Some(Action::Toggle) => toggle_row(app),
        Some(Action::Filter) => {
            match key.code {
                KeyCode::Char(c) => app.scopes.filter.push(c),
                _ => {
                    app.scopes.filter.pop();
                }
            }
            app.refilter();
        }
        Some(Action::Up) => move_cursor(app, false, 1),
        Some(Action::Down) => move_cursor(app, true, 1),
        Some(Action::PageUp) => move_cursor(app, false, 10),
        Some(Action::PageDown) => move_cursor(app, true, 10),
        Some(Action::Home) => move_cursor(app, false, usize::MAX),
        Some(Action::End) => move_cursor(app, true, usize::MAX),
        Some(Action::Enter) if app.scopes.chosen.is_empty() => {
            app.scopes.touched = true;
            problem_about(
                app,
                Cause::NoScope,
                "Choose at least one scope: Space toggles the highlighted one.",
            );
        }
        Some(Action::Enter) => {
            let mut effects = go(app, Step::Review);
            // Review warns of a name that exists already; the list comes while it is read.
            if app.session.updating.is_none()
                && let Some(token) = app.session.admin.token.clone()
            {
                effects.push(Effect::ListApplications(token));
            }
            return effects;
        }
        Some(Action::Back) => return go(app, Step::RedirectUrls),
        _ => {}
    }
    Vec::new()
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    use super::scope_list::{detail_lines, row_line};
    use crate::tui::widgets::fit_line;
    let t = app.session.theme;
    let s = &app.scopes;
    let [title, filter, list, detail, chosen] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(3),
        Constraint::Length(2),
    ])
    .areas(area);
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
    frame.render_widget(
        Line::from(vec![
            Span::styled(format!("{} chosen", s.chosen.len()), t.ok()),
            Span::styled(
                format!(
                    " · {matching} of {} scopes shown · row {place} of {}",
                    app.session.catalog.scopes().len(),
                    choosable.len()
                ),
                t.dim(),
            ),
        ]),
        title,
    );
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
    let field = Rect { x: filter.x + 8, width: filter.width.saturating_sub(9), ..filter };
    crate::tui::widgets::underline_field(frame.buffer_mut(), field, t.focused());

    let height = usize::from(list.height);
    // Keep two rows below the cursor in view.
    let offset = (s.cursor + 3).saturating_sub(height);
    let longest = app.session
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
            row_line(app, *row, name_width, at == s.cursor),
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
    frame.render_widget(prose(detail_lines(app, highlighted)), detail);
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

/// Pasted text goes where typing would go.
pub(crate) fn on_paste(app: &mut App, text: &str) -> Vec<Effect> {
    app.scopes
        .filter
        .push_str(text.lines().next().unwrap_or(""));
    app.refilter();
    Vec::new()
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
        assert_eq!(app.scopes.chosen, ["audit:events_read"]);
        ctrl(&mut app, 'u');
        assert!(app.scopes.filter.is_empty());
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.step, Step::Review);
    }
}
